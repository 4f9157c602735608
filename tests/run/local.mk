# End-to-end tests: real programs under ferry.
run_tests = \
	tests/run/basic.sh \
	tests/run/options.sh \
	tests/run/errors.sh \
	tests/run/deny.sh \
	tests/run/log.sh \
	tests/run/signals.sh \
	tests/run/home.sh \
	tests/run/policy.sh

TESTS += $(run_tests)
EXTRA_DIST += $(run_tests)
