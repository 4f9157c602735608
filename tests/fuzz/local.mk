# libFuzzer targets for the pure modules: the policy-file parser, the command
# line, the glob matcher and the supervisor <-> gofer codec. They need clang,
# so they are not automake programs: tests/fuzz/run.sh builds them with
# $(FUZZ_CC) straight from the sources into tests/fuzz/out/ and runs each for
# FERRY_FUZZ_SECONDS (default 10) over a copy of tests/fuzz/corpus/<target>/.
# A longer run by hand:
#   FERRY_FUZZ_SECONDS=300 FERRY_FUZZ_TARGETS=fuzz_glob make check TESTS=tests/fuzz/run.sh
fuzz_sources = \
	tests/fuzz/fuzz_common.h \
	tests/fuzz/fuzz_policy.c \
	tests/fuzz/fuzz_cmdline.c \
	tests/fuzz/fuzz_glob.c \
	tests/fuzz/fuzz_proto.c \
	tests/fuzz/mkseeds_proto.c

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus $(fuzz_sources)

if HAVE_LIBFUZZER
TESTS += tests/fuzz/run.sh
AM_TESTS_ENVIRONMENT += FERRY_FUZZ_CC='$(FUZZ_CC)'; export FERRY_FUZZ_CC;
endif

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/out
.PHONY: clean-fuzz
