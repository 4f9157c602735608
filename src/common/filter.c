/* seccomp filters via libseccomp. */
#include "ferry/filter.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/fail.h"

/* Path calls the broker answers. */
static const char *const brokered[] = {
    "open", "openat", "openat2", "creat", "link", "linkat", "rename", "renameat", "renameat2",
};

/* Calls that would let a guest open or reach files without the broker: a
 * kernel-side open (io_uring), a stall of the broker's reads of guest memory
 * (userfaultfd), an open by file handle, an fd from the mount API
 * (open_tree) or a view of its own (mounts, namespaces) in which paths the
 * broker decides on no longer name what they name in the sandbox. */
static const char *const bypasses[] = {
    "io_uring_setup", "io_uring_enter",    "io_uring_register",
    "userfaultfd",    "open_by_handle_at", "name_to_handle_at",
    "mount",          "umount2",           "pivot_root",
    "fsopen",         "fsconfig",          "fsmount",
    "fspick",         "move_mount",        "open_tree",
    "mount_setattr",  "unshare",           "setns",
};

/* ioctls that type into a terminal. */
static const unsigned long long tty_injection[] = {TIOCSTI, TIOCLINUX};

/* clone() flags that make namespaces. */
static const unsigned long long clone_new[] = {
    CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET,
    CLONE_NEWIPC, CLONE_NEWUTS,  CLONE_NEWCGROUP, CLONE_NEWTIME,
};

/* What the gofer needs to serve requests after it is jailed. */
static const char *const gofer_allowed[] = {
    "read",      "write",    "recvmsg",        "sendmsg",  "openat",       "openat2", "newfstatat",
    "fstat",     "statx",    "readlinkat",     "fchdir",   "getcwd",       "close",   "linkat",
    "renameat2", "renameat", "setfsuid",       "setfsgid", "fcntl",        "exit",    "exit_group",
    "brk",       "mmap",     "munmap",         "mremap",   "rt_sigreturn", "lseek",   "getpid",
    "gettid",    "tgkill",   "rt_sigprocmask", "madvise",
};

static int add_rules(scmp_filter_ctx ctx, const char *const *names, size_t n, uint32_t action,
                     char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		int r = seccomp_rule_add(ctx, action, nr, 0);
		if (r < 0) {
			ferry_set_err(err, errlen, "seccomp_rule_add %s: %s", names[i],
			              strerror(-r));
			return r;
		}
	}
	return 0;
}

/* Loads ctx with seccomp(2) so flags libseccomp 2.5 does not know can be used. */
static int load_with_flags(scmp_filter_ctx ctx, unsigned long flags, char *err, size_t errlen)
{
	int mfd = memfd_create("ferry-bpf", MFD_CLOEXEC);
	if (mfd < 0)
		return ferry_set_err(err, errlen, "memfd_create: %s", strerror(errno)), -errno;
	int r = seccomp_export_bpf(ctx, mfd);
	if (r < 0) {
		close(mfd);
		return ferry_set_err(err, errlen, "seccomp_export_bpf: %s", strerror(-r)), r;
	}
	off_t size = lseek(mfd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0) {
		close(mfd);
		return ferry_set_err(err, errlen, "seccomp_export_bpf: bad program size"), -EINVAL;
	}
	struct sock_filter *insns = malloc((size_t)size);
	if (!insns || pread(mfd, insns, (size_t)size, 0) != size) {
		free(insns);
		close(mfd);
		return ferry_set_err(err, errlen, "reading the filter program: %s",
		                     strerror(errno)),
		       -EIO;
	}
	close(mfd);
	struct sock_fprog prog = {(unsigned short)(size / (off_t)sizeof(struct sock_filter)),
	                          insns};
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0 && errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		             flags & ~(unsigned long)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
	int saved = errno;
	free(insns);
	if (fd < 0) {
		errno = saved;
		if (saved == EINVAL || saved == ENOSYS)
			return ferry_set_err(
			           err, errlen,
			           "this kernel lacks seccomp user notification (Linux 5.9 "
			           "or later is needed); refusing to run unconfined"),
			       -saved;
		return ferry_set_err(err, errlen, "seccomp(SECCOMP_SET_MODE_FILTER): %s",
		                     strerror(saved)),
		       -saved;
	}
	return (int)fd;
}

int ferry_filter_load_guest(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return ferry_set_err(err, errlen, "seccomp_init: out of memory"), -ENOMEM;
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) {
		ferry_set_err(err, errlen, "seccomp_attr_set: %s", strerror(-r));
		goto out;
	}
	r = add_rules(ctx, brokered, sizeof(brokered) / sizeof(brokered[0]), SCMP_ACT_NOTIFY, err,
	              errlen);
	if (r < 0)
		goto out;
	r = add_rules(ctx, bypasses, sizeof(bypasses) / sizeof(bypasses[0]), SCMP_ACT_ERRNO(EPERM),
	              err, errlen);
	if (r < 0)
		goto out;
	/* A listener of the guest's own would see path calls before ours. The
	 * kernel reads the operation and flags as 32-bit values: so does this. */
	r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(seccomp), 2,
	                     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, SECCOMP_SET_MODE_FILTER),
	                     SCMP_A1(SCMP_CMP_MASKED_EQ, SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                             SECCOMP_FILTER_FLAG_NEW_LISTENER));
	if (r < 0) {
		ferry_set_err(err, errlen, "seccomp_rule_add seccomp: %s", strerror(-r));
		goto out;
	}
	for (size_t i = 0; i < sizeof(clone_new) / sizeof(clone_new[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, clone_new[i], clone_new[i]));
	/* Keystrokes pushed into the caller's terminal would run as the caller,
	 * outside the sandbox. The kernel compares the request's low 32 bits. */
	for (size_t i = 0; i < sizeof(tty_injection) / sizeof(tty_injection[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		                     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, tty_injection[i]));
	/* clone3 passes its flags in memory a filter cannot read; libcs fall
	 * back to clone on ENOSYS. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (r < 0) {
		ferry_set_err(err, errlen, "seccomp_rule_add clone: %s", strerror(-r));
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		r = -errno;
		ferry_set_err(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		goto out;
	}
	r = load_with_flags(
	    ctx, SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, err,
	    errlen);
out:
	seccomp_release(ctx);
	return r;
}

int ferry_filter_load_gofer(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return ferry_set_err(err, errlen, "seccomp_init: out of memory"), -ENOMEM;
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r == 0)
		r = add_rules(ctx, gofer_allowed, sizeof(gofer_allowed) / sizeof(gofer_allowed[0]),
		              SCMP_ACT_ALLOW, err, errlen);
	if (r == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		r = -errno;
		ferry_set_err(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	}
	if (r == 0) {
		r = seccomp_load(ctx);
		if (r < 0)
			ferry_set_err(err, errlen, "seccomp_load: %s", strerror(-r));
	}
	seccomp_release(ctx);
	return r;
}

void ferry_syscalls_lookup(struct ferry_syscalls *nr)
{
	nr->open = seccomp_syscall_resolve_name("open");
	nr->openat = seccomp_syscall_resolve_name("openat");
	nr->openat2 = seccomp_syscall_resolve_name("openat2");
	nr->creat = seccomp_syscall_resolve_name("creat");
	nr->link = seccomp_syscall_resolve_name("link");
	nr->linkat = seccomp_syscall_resolve_name("linkat");
	nr->rename = seccomp_syscall_resolve_name("rename");
	nr->renameat = seccomp_syscall_resolve_name("renameat");
	nr->renameat2 = seccomp_syscall_resolve_name("renameat2");
}
