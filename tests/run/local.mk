# End-to-end tests: real programs under ferry.
run_tests = \
	tests/run/basic.sh

TESTS += $(run_tests)
EXTRA_DIST += $(run_tests)
