# End-to-end tests: real programs under ferry.
run_tests = \
	tests/run/basic.sh \
	tests/run/options.sh \
	tests/run/errors.sh \
	tests/run/deny.sh \
	tests/run/log.sh \
	tests/run/signals.sh \
	tests/run/home.sh \
	tests/run/policy.sh \
	tests/run/compat.sh \
	tests/run/terminal.sh \
	tests/run/broker.sh

TESTS += $(run_tests)
EXTRA_DIST += $(run_tests)

# ---- brokered opens compared with native ones; real programs under ferry ----
open_tests = \
	tests/run/open_flags.sh \
	tests/run/open_proc.sh \
	tests/run/prog_real.sh

TESTS += $(open_tests)
EXTRA_DIST += $(open_tests)
check_PROGRAMS += tests/run/progs/opens tests/run/progs/threads
tests_run_progs_opens_SOURCES = tests/run/progs/opens.c
tests_run_progs_threads_SOURCES = tests/run/progs/threads.c
tests_run_progs_threads_LDADD = -lpthread
# ---- end of brokered opens and real programs ----

check_PROGRAMS += tests/run/progs/without_syscall
tests_run_progs_without_syscall_SOURCES = tests/run/progs/without_syscall.c
tests_run_progs_without_syscall_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
tests_run_progs_without_syscall_LDADD = $(SECCOMP_LIBS)

# ---- faults (gofer, supervisor, hostile guests, timeout) and limits ----
fault_tests = \
	tests/run/fault_gofer.sh \
	tests/run/fault_supervisor.sh \
	tests/run/fault_hostile.sh \
	tests/run/fault_timeout.sh \
	tests/run/limit_rlimits.sh \
	tests/run/limit_cgroup.sh \
	tests/run/limit_tmpfs.sh

TESTS += $(fault_tests)
EXTRA_DIST += $(fault_tests)
check_PROGRAMS += tests/run/progs/hostile
tests_run_progs_hostile_SOURCES = tests/run/progs/hostile.c
tests_run_progs_hostile_LDADD = -lpthread
# ---- end of faults and limits ----
