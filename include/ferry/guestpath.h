/* What a trapped path call names: its arguments read from the guest, its
 * paths made absolute inside the sandbox, and what /proc says of the caller.
 * Independent of the trap source (seccomp notification today), so another
 * engine can feed the same gofer, policy and log. */
#ifndef FERRY_GUESTPATH_H
#define FERRY_GUESTPATH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ferry/filter.h"

/* What the guest asked. */
struct ferry_call {
	const char *name; /* the syscall's name */
	uint32_t op;      /* FERRY_OP_* */
	int dirfd, dirfd2;
	uint64_t addr, addr2;
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
	bool strict; /* openat2 */
	char raw[PATH_MAX], raw2[PATH_MAX];
};

/* What /proc/<tid>/status says about the calling thread. */
struct ferry_guest_status {
	mode_t umask;
	uid_t fsuid;
	gid_t fsgid;
	pid_t host_tgid, ns_tgid, ns_tid;
};

/* Decodes syscall nr with args a, made by thread tid (host pid namespace),
 * reading its path strings (at most PATH_MAX bytes each) and openat2's
 * open_how from its memory. Returns 0 or -errno for the guest. */
int ferry_call_decode(const struct ferry_syscalls *sys, pid_t tid, int nr, const uint64_t *a,
                      struct ferry_call *c);

int ferry_guest_status_read(pid_t tid, struct ferry_guest_status *st);

/* Thread pidfds kept open between calls, so that the caller's filesystem
 * ids cost one ioctl instead of formatting /proc/<tid>/status (about 10 us
 * against 0.7 us here). A slot is checked on every use: a pidfd names one
 * task, and a dead task's pidfd says ESRCH. */
#define FERRY_PIDFD_SLOTS 64
struct ferry_pidfd_cache {
	pid_t tid[FERRY_PIDFD_SLOTS];
	int fd[FERRY_PIDFD_SLOTS];
	size_t used;      /* slots holding a pidfd */
	bool unsupported; /* before Linux 6.13 (PIDFD_GET_INFO) */
};

void ferry_pidfd_cache_init(struct ferry_pidfd_cache *cache);
/* Closes every pidfd held (the cache stays usable). */
void ferry_pidfd_cache_free(struct ferry_pidfd_cache *cache);

/* The fsuid and fsgid of thread tid (host pid namespace). Returns 0,
 * -ENOTSUP when the kernel cannot tell this way (read the status then), or
 * -ESRCH when the thread is gone. */
int ferry_guest_fs_ids(struct ferry_pidfd_cache *cache, pid_t tid, uid_t *fsuid, gid_t *fsgid);

/* Makes raw absolute in the sandbox: base is "/" and path the joined path,
 * or, when scoped (openat2's RESOLVE_BENEATH, IN_ROOT, NO_XDEV) or too long
 * to join, base is the starting directory and path raw as given. */
int ferry_guest_make_absolute(pid_t tid, int dirfd, const char *raw, bool scoped, char *base,
                              char *path);

/* Whether path names the guest itself (/proc/self, /dev/fd, ...). */
bool ferry_guest_names_self(const char *path);

/* Rewrites names of the guest itself in path (PATH_MAX bytes) to its pid in
 * the sandbox; *magic_fd gets N for exactly /proc/<pid>/fd/N, else -1. */
int ferry_guest_rewrite_self(pid_t tid, const struct ferry_guest_status *st, char *path,
                             int *magic_fd);

/* readlink("/proc/<pid>/<what>"): paths as the sandbox sees them. */
int ferry_guest_readlink(pid_t pid, const char *what, char *buf, size_t len);

/* A copy of the guest's fd n, for the supervisor's own use. */
int ferry_guest_fd(pid_t host_tgid, int n, int *fd);

/* The controlling terminal (tty_nr) in a /proc/PID/stat file, 0 if none. */
int ferry_tty_of(const char *stat_path);

/* The command name of pid ("" if gone). */
void ferry_guest_comm(pid_t pid, char *comm, size_t len);

#endif
