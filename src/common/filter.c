/* seccomp filters via libseccomp. */
#include "ferry/filter.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/fail.h"
#include "ferry/sysrange.h"

/* Path calls the broker answers. */
static const char *const brokered[] = {
    "open", "openat", "openat2", "creat", "link", "linkat", "rename", "renameat", "renameat2", NULL,
};

/* System calls the guest may not make, by why. */
struct denied_group {
	const char *why; /* for --explain */
	int error;
	bool debug; /* allowed again by --allow-debug */
	const char *const *calls;
};

static const char *const calls_bypass[] = {
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_by_handle_at",
    "name_to_handle_at",
    "open_tree",
    "fsopen",
    "fspick",
    "fsmount",
    "fsconfig",
    "move_mount",
    "mount_setattr",
    "open_tree_attr",
    NULL,
};
static const char *const calls_stall[] = {"userfaultfd", NULL};
static const char *const calls_view[] = {"mount",   "umount2", "pivot_root", "chroot",
                                         "unshare", "setns",   NULL};
static const char *const calls_debug[] = {"ptrace", "process_vm_readv", "process_vm_writev", NULL};
static const char *const calls_others[] = {"process_madvise", "kcmp", "pidfd_getfd", NULL};
static const char *const calls_host[] = {
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "fanotify_init",
    "lookup_dcookie",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "quotactl_fd",
    "iopl",
    "ioperm",
    "syslog",
    "vhangup",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "uselib",
    "nfsservctl",
    "_sysctl",
    NULL,
};

static const struct denied_group denied_groups[] = {
    {"would open or reach files without the broker", EPERM, false, calls_bypass},
    {"could stall the broker's reads of guest memory", EPERM, false, calls_stall},
    {"would change the view (mounts, root, namespaces)", EPERM, false, calls_view},
    {"would read or write other processes' memory", EPERM, true, calls_debug},
    {"would reach into other processes", EPERM, false, calls_others},
    {"touch host-wide kernel state or widen the kernel's attack surface", EPERM, false, calls_host},
};

/* ioctls that type into a terminal. */
static const unsigned long long tty_injection[] = {TIOCSTI, TIOCLINUX};

/* clone() flags that make namespaces. */
static const unsigned long long clone_new[] = {
    CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET,
    CLONE_NEWIPC, CLONE_NEWUTS,  CLONE_NEWCGROUP, CLONE_NEWTIME,
};

/* Socket families with a large kernel attack surface or raw access. */
static const int socket_families[] = {AF_ALG, AF_VSOCK, AF_PACKET};

/* personality(): the bits a guest may set (PER_LINUX32, UNAME26 and
 * ADDR_NO_RANDOMIZE, which gdb uses); 0xffffffff, the query, stays allowed. */
#define PERSONALITY_ALLOWED (PER_LINUX32 | UNAME26 | ADDR_NO_RANDOMIZE)

/* System call numbers are checked up to here for ones libseccomp does not
 * know (newer than it): they get ENOSYS, as does every number from here up
 * to the x32 bit, so no new way to open a file slips past the broker. */
#define MAX_SYSCALL_NR 1024
#ifndef X32_SYSCALL_BIT
#define X32_SYSCALL_BIT 0x40000000u
#endif

/* What the gofer needs to serve requests after it is jailed. */
static const char *const gofer_allowed[] = {
    "read",      "write",    "recvmsg",        "sendmsg",  "openat",       "openat2", "newfstatat",
    "fstat",     "statx",    "readlinkat",     "fchdir",   "getcwd",       "close",   "linkat",
    "renameat2", "renameat", "setfsuid",       "setfsgid", "fcntl",        "exit",    "exit_group",
    "brk",       "mmap",     "munmap",         "mremap",   "rt_sigreturn", "lseek",   "getpid",
    "gettid",    "tgkill",   "rt_sigprocmask", "madvise",  "sigaltstack",  NULL,
};

/* And what it needs to take the guest's calls itself. */
static const char *const gofer_receiving[] = {"process_vm_readv", "readlink", "futex", "poll",
                                              NULL};

/* One rule with action for each call of the NULL-terminated list. */
static int add_calls(scmp_filter_ctx ctx, const char *const *calls, uint32_t action, char *err,
                     size_t errlen)
{
	for (const char *const *c = calls; *c; c++) {
		int nr = seccomp_syscall_resolve_name(*c);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		int r = seccomp_rule_add(ctx, action, nr, 0);
		if (r < 0) {
			ferry_set_err(err, errlen, "seccomp_rule_add %s: %s", *c, strerror(-r));
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

/* The rules that look at arguments. */
static int add_conditional(scmp_filter_ctx ctx)
{
	/* A listener of the guest's own would see path calls before ours. The
	 * kernel reads the operation and flags as 32-bit values: so does this. */
	int r =
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(seccomp), 2,
	                     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, SECCOMP_SET_MODE_FILTER),
	                     SCMP_A1(SCMP_CMP_MASKED_EQ, SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                             SECCOMP_FILTER_FLAG_NEW_LISTENER));
	for (size_t i = 0; i < sizeof(clone_new) / sizeof(clone_new[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, clone_new[i], clone_new[i]));
	/* clone3 passes its flags in memory a filter cannot read; libcs fall
	 * back to clone on ENOSYS. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* Keystrokes pushed into the caller's terminal would run as the caller,
	 * outside the sandbox. The kernel compares the request's low 32 bits. */
	for (size_t i = 0; i < sizeof(tty_injection) / sizeof(tty_injection[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		                     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, tty_injection[i]));
	for (size_t i = 0; i < sizeof(socket_families) / sizeof(socket_families[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL,
		                             (unsigned long long)socket_families[i]));
	/* Raw IP sockets, and AF_INET's SOCK_PACKET, an AF_PACKET socket. */
	const int inet[] = {AF_INET, AF_INET6};
	const int raw_types[] = {SOCK_RAW, SOCK_PACKET};
	for (size_t i = 0; i < 2 && r == 0; i++)
		for (size_t t = 0; t < 2 && r == 0; t++)
			r = seccomp_rule_add(
			    ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2,
			    SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, (unsigned long long)inet[i]),
			    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, (unsigned long long)raw_types[t]));
	/* The kernel reads personality's argument as 32 bits. Any other bit set
	 * is refused, unless all 32 are (the query): bit b set with bit 31
	 * clear, or bit 31 set with any bit below it clear. */
	for (int bit = 0; bit < 31 && r == 0; bit++) {
		unsigned long long b = 1ULL << bit, top = 1ULL << 31;
		if (!(PERSONALITY_ALLOWED & b))
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
			                     SCMP_A0(SCMP_CMP_MASKED_EQ, b | top, b));
		if (r == 0)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
			                     SCMP_A0(SCMP_CMP_MASKED_EQ, b | top, top));
	}
	return r;
}

/* The first filter: ENOSYS for the numbers libseccomp does not know, below
 * MAX_SYSCALL_NR, and for every number from there up to the x32 bit. */
static int load_enosys_filter(char *err, size_t errlen)
{
	static bool known[MAX_SYSCALL_NR];
	for (int nr = 0; nr < MAX_SYSCALL_NR; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		known[nr] = name != NULL;
		free(name);
	}
	struct ferry_nr_range ranges[64];
	size_t n = ferry_unknown_ranges(known, MAX_SYSCALL_NR, ranges, 63);
	ranges[n++] = (struct ferry_nr_range){MAX_SYSCALL_NR, X32_SYSCALL_BIT};
	struct sock_filter insns[256];
	size_t len = ferry_enosys_program(seccomp_arch_native(), ranges, n, insns, 256);
	if (len == 0)
		return ferry_set_err(err, errlen, "the ENOSYS filter: too many unknown ranges"),
		       -E2BIG;
	struct sock_fprog prog = {(unsigned short)len, insns};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return ferry_set_err(err, errlen, "seccomp(SECCOMP_SET_MODE_FILTER): %s",
		                     strerror(errno)),
		       -errno;
	return 0;
}

int ferry_filter_load_guest(bool allow_debug, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return ferry_set_err(err, errlen, "seccomp_init: out of memory"), -ENOMEM;
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r < 0) {
		ferry_set_err(err, errlen, "seccomp_attr_set: %s", strerror(-r));
		goto out;
	}
	r = add_calls(ctx, brokered, SCMP_ACT_NOTIFY, err, errlen);
	for (size_t i = 0; i < sizeof(denied_groups) / sizeof(denied_groups[0]) && r == 0; i++)
		if (!(allow_debug && denied_groups[i].debug))
			r = add_calls(ctx, denied_groups[i].calls,
			              SCMP_ACT_ERRNO(denied_groups[i].error), err, errlen);
	if (r < 0)
		goto out;
	if ((r = add_conditional(ctx)) < 0) {
		ferry_set_err(err, errlen, "seccomp_rule_add: %s", strerror(-r));
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		r = -errno;
		ferry_set_err(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		goto out;
	}
	/* Two filters: the kernel takes the strictest answer of both, and
	 * ENOSYS is stricter than allow and than the listener. */
	if ((r = load_enosys_filter(err, errlen)) < 0)
		goto out;
	r = load_with_flags(
	    ctx, SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, err,
	    errlen);
out:
	seccomp_release(ctx);
	return r;
}

void ferry_filter_describe(FILE *out, bool allow_debug)
{
	fprintf(out, "  trapped, decided by the policy and performed by the gofer:\n   ");
	for (const char *const *c = brokered; *c; c++)
		fprintf(out, " %s", *c);
	fprintf(out, "\n");
	for (size_t i = 0; i < sizeof(denied_groups) / sizeof(denied_groups[0]); i++) {
		const struct denied_group *g = &denied_groups[i];
		if (allow_debug && g->debug) {
			fprintf(out, "  allowed by --allow-debug (within the sandbox's own pid "
			             "namespace):\n   ");
		} else {
			fprintf(out, "  %s, as they %s:\n   ", strerrorname_np(g->error), g->why);
		}
		for (const char *const *c = g->calls; *c; c++)
			fprintf(out, " %s", *c);
		fprintf(out, "\n");
	}
	fprintf(out,
	        "  EPERM for these uses of otherwise allowed calls:\n"
	        "    seccomp(SECCOMP_SET_MODE_FILTER) with SECCOMP_FILTER_FLAG_NEW_LISTENER\n"
	        "    clone with any CLONE_NEW* flag\n"
	        "    ioctl TIOCSTI and TIOCLINUX (typing into a terminal; low 32 bits compared)\n"
	        "    socket of AF_ALG, AF_VSOCK, AF_PACKET, and raw or SOCK_PACKET\n"
	        "      AF_INET/AF_INET6 sockets\n"
	        "    personality other than PER_LINUX with PER_LINUX32, UNAME26 or\n"
	        "      ADDR_NO_RANDOMIZE, or the 0xffffffff query\n"
	        "  ENOSYS, so C libraries fall back: clone3, and every system call this\n"
	        "    filter does not know (newer than its table)\n"
	        "  a killed process: any system call through another ABI (i386 int 0x80, x32)\n"
	        "  everything else: allowed\n");
}

int ferry_filter_load_gofer(bool receive, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return ferry_set_err(err, errlen, "seccomp_init: out of memory"), -ENOMEM;
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* Every thread of the gofer at once. */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (r == 0)
		r = add_calls(ctx, gofer_allowed, SCMP_ACT_ALLOW, err, errlen);
	if (r == 0 && receive)
		r = add_calls(ctx, gofer_receiving, SCMP_ACT_ALLOW, err, errlen);
	/* The ioctls that answer the guest's trapped calls, and those that
	 * take them. */
	static const unsigned long answer_ioctls[] = {
	    SECCOMP_IOCTL_NOTIF_ADDFD, SECCOMP_IOCTL_NOTIF_SEND, SECCOMP_IOCTL_NOTIF_RECV,
	    SECCOMP_IOCTL_NOTIF_ID_VALID, _IOR(0xb7, 0x8, int) /* NS_GET_PID_IN_PIDNS */};
	size_t n_ioctls = sizeof(answer_ioctls) / sizeof(answer_ioctls[0]) - (receive ? 0 : 3);
	for (size_t i = 0; r == 0 && i < n_ioctls; i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		                     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, answer_ioctls[i]));
		if (r < 0)
			ferry_set_err(err, errlen, "seccomp_rule_add ioctl: %s", strerror(-r));
	}
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
