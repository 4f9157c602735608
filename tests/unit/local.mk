# cmocka unit tests of the pure modules.
if HAVE_CMOCKA
unit_tests = \
	tests/unit/test_glob \
	tests/unit/test_policy \
	tests/unit/test_config \
	tests/unit/test_proto \
	tests/unit/test_json \
	tests/unit/test_report \
	tests/unit/test_env \
	tests/unit/test_sysrange

unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
unit_ldadd = libferry_pure.a $(CMOCKA_LIBS)

tests_unit_test_glob_SOURCES = tests/unit/test_glob.c
tests_unit_test_glob_CFLAGS = $(unit_cflags)
tests_unit_test_glob_LDADD = $(unit_ldadd)

tests_unit_test_policy_SOURCES = tests/unit/test_policy.c
tests_unit_test_policy_CFLAGS = $(unit_cflags)
tests_unit_test_policy_LDADD = $(unit_ldadd)

tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(unit_cflags)
tests_unit_test_config_LDADD = $(unit_ldadd)

tests_unit_test_proto_SOURCES = tests/unit/test_proto.c
tests_unit_test_proto_CFLAGS = $(unit_cflags)
tests_unit_test_proto_LDADD = $(unit_ldadd)

tests_unit_test_json_SOURCES = tests/unit/test_json.c
tests_unit_test_json_CFLAGS = $(unit_cflags)
tests_unit_test_json_LDADD = $(unit_ldadd)

tests_unit_test_report_SOURCES = tests/unit/test_report.c
tests_unit_test_report_CFLAGS = $(unit_cflags)
tests_unit_test_report_LDADD = $(unit_ldadd)

tests_unit_test_sysrange_SOURCES = tests/unit/test_sysrange.c
tests_unit_test_sysrange_CFLAGS = $(unit_cflags)
tests_unit_test_sysrange_LDADD = $(unit_ldadd)

tests_unit_test_env_SOURCES = tests/unit/test_env.c
tests_unit_test_env_CFLAGS = $(unit_cflags)
tests_unit_test_env_LDADD = $(unit_ldadd)

check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)
endif
