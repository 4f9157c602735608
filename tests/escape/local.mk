# Escape tests: each tries to break an invariant of ferry (doc/architecture.md).
#
# One small program per attack (tests/escape/*.c), printing one line,
# CONTAINED <attack> (exit 0) or ESCAPED <attack>: <evidence> (exit 1);
# the shell drivers run each natively first (where it must escape, so a
# test cannot pass because the attack is broken) and then under ferry,
# where it must be contained.
escape_programs = \
	tests/escape/dotdot \
	tests/escape/symlink \
	tests/escape/procfs \
	tests/escape/mountinfo \
	tests/escape/denied_paths \
	tests/escape/link_rename \
	tests/escape/toctou \
	tests/escape/fds \
	tests/escape/io_uring \
	tests/escape/handle \
	tests/escape/seccomp_listener \
	tests/escape/remount_rw \
	tests/escape/umount_hide \
	tests/escape/reopen_deleted \
	tests/escape/nested_bind \
	tests/escape/reopen_creds \
	tests/escape/env_leak \
	tests/escape/foreign_abi \
	tests/escape/chroot_escape \
	tests/escape/ptrace_pids \
	tests/escape/procmem \
	tests/escape/reopen_rw \
	tests/escape/connect_out \
	tests/escape/dirfd_dotdot \
	tests/escape/refused \
	tests/escape/keyring

check_PROGRAMS += $(escape_programs)

tests_escape_dotdot_SOURCES = tests/escape/dotdot.c tests/escape/escape.h
tests_escape_symlink_SOURCES = tests/escape/symlink.c tests/escape/escape.h
tests_escape_procfs_SOURCES = tests/escape/procfs.c tests/escape/escape.h
tests_escape_mountinfo_SOURCES = tests/escape/mountinfo.c tests/escape/escape.h
tests_escape_denied_paths_SOURCES = tests/escape/denied_paths.c tests/escape/escape.h
tests_escape_link_rename_SOURCES = tests/escape/link_rename.c tests/escape/escape.h
tests_escape_toctou_SOURCES = tests/escape/toctou.c tests/escape/escape.h
tests_escape_toctou_LDADD = -lpthread
tests_escape_fds_SOURCES = tests/escape/fds.c tests/escape/escape.h
tests_escape_io_uring_SOURCES = tests/escape/io_uring.c tests/escape/escape.h
tests_escape_handle_SOURCES = tests/escape/handle.c tests/escape/escape.h
tests_escape_seccomp_listener_SOURCES = tests/escape/seccomp_listener.c tests/escape/escape.h
tests_escape_seccomp_listener_LDADD = -lpthread
tests_escape_remount_rw_SOURCES = tests/escape/remount_rw.c tests/escape/escape.h
tests_escape_umount_hide_SOURCES = tests/escape/umount_hide.c tests/escape/escape.h
tests_escape_reopen_deleted_SOURCES = tests/escape/reopen_deleted.c tests/escape/escape.h
tests_escape_nested_bind_SOURCES = tests/escape/nested_bind.c tests/escape/escape.h
tests_escape_reopen_creds_SOURCES = tests/escape/reopen_creds.c tests/escape/escape.h
tests_escape_env_leak_SOURCES = tests/escape/env_leak.c tests/escape/escape.h
tests_escape_foreign_abi_SOURCES = tests/escape/foreign_abi.c tests/escape/escape.h
tests_escape_chroot_escape_SOURCES = tests/escape/chroot_escape.c tests/escape/escape.h
tests_escape_ptrace_pids_SOURCES = tests/escape/ptrace_pids.c tests/escape/escape.h
tests_escape_procmem_SOURCES = tests/escape/procmem.c tests/escape/escape.h
tests_escape_reopen_rw_SOURCES = tests/escape/reopen_rw.c tests/escape/escape.h
tests_escape_connect_out_SOURCES = tests/escape/connect_out.c tests/escape/escape.h
tests_escape_dirfd_dotdot_SOURCES = tests/escape/dirfd_dotdot.c tests/escape/escape.h
tests_escape_refused_SOURCES = tests/escape/refused.c tests/escape/escape.h
tests_escape_keyring_SOURCES = tests/escape/keyring.c tests/escape/escape.h

# Grouped by the invariant they attack (see each script's header).
escape_tests = \
	tests/escape/view.sh \
	tests/escape/proc.sh \
	tests/escape/fds.sh \
	tests/escape/policy.sh \
	tests/escape/toctou.sh \
	tests/escape/bypass.sh \
	tests/escape/namespaces.sh \
	tests/escape/reopen.sh \
	tests/escape/abi.sh \
	tests/escape/chroot.sh \
	tests/escape/debug.sh \
	tests/escape/procmem.sh \
	tests/escape/net.sh \
	tests/escape/kernel.sh

TESTS += $(escape_tests)
EXTRA_DIST += $(escape_tests) tests/escape/common.sh
