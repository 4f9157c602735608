# cmocka unit tests of the pure modules.
if HAVE_CMOCKA
unit_tests =

check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)
endif
