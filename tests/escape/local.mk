# Escape tests: each tries to break an invariant of DESIGN.md.
escape_tests =

TESTS += $(escape_tests)
EXTRA_DIST += $(escape_tests)
