/* What a trapped path call names, beyond its arguments (ferry/guestcall.h):
 * its paths made absolute inside the sandbox, and what /proc says of the
 * caller. A pid here is as the reader's /proc names it: the supervisor reads
 * the host's /proc with host pids, the gofer the sandbox's own /proc with
 * the sandbox's pids (translated with NS_GET_PID_IN_PIDNS). */
#ifndef FERRY_GUESTPATH_H
#define FERRY_GUESTPATH_H

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ferry/guestcall.h"

/* What /proc/<tid>/status says about the calling thread. */
struct ferry_guest_status {
	mode_t umask;
	uid_t fsuid;
	gid_t fsgid;
	pid_t host_tgid, ns_tgid, ns_tid;
};

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

/* pidfd_open's PIDFD_THREAD (Linux 6.9): a pidfd for any thread. */
#define FERRY_PIDFD_THREAD O_EXCL

void ferry_pidfd_cache_init(struct ferry_pidfd_cache *cache);
/* Closes every pidfd held (the cache stays usable). */
void ferry_pidfd_cache_free(struct ferry_pidfd_cache *cache);

/* The fsuid and fsgid of thread tid (host pid namespace). Returns 0,
 * -ENOTSUP when the kernel cannot tell this way (read the status then), or
 * -ESRCH when the thread is gone. */
int ferry_guest_fs_ids(struct ferry_pidfd_cache *cache, pid_t tid, uid_t *fsuid, gid_t *fsgid);

/* Makes raw absolute in the sandbox: base is "/" and path the joined path,
 * or, when scoped (openat2's RESOLVE_BENEATH, IN_ROOT, NO_XDEV) or too long
 * to join, base is the starting directory and path raw as given.
 * may_copy_fd (the supervisor only): a dirfd whose /proc entry cannot be
 * read (a non-dumpable guest) is read through a copy (pidfd_getfd). */
int ferry_guest_make_absolute(pid_t tid, int dirfd, const char *raw, bool scoped, bool may_copy_fd,
                              char *base, char *path);

/* Rewrites names of the guest itself in path (PATH_MAX bytes) to its pid in
 * the sandbox; *magic_fd gets N for exactly /proc/<pid>/fd/N, else -1. */
int ferry_guest_rewrite_self(pid_t tid, const struct ferry_guest_status *st, char *path,
                             int *magic_fd);

/* readlink("/proc/<pid>/<what>"): paths as the sandbox sees them. */
int ferry_guest_readlink(pid_t pid, const char *what, char *buf, size_t len);

/* A copy of the guest's fd n, for the supervisor's own use, through a pidfd
 * of pid opened with pidfd_flags (0 for a process, FERRY_PIDFD_THREAD for
 * any thread). Returns 0, -ESRCH when pid is gone, -ENOENT when it has no
 * fd n, or -errno. */
int ferry_guest_fd(pid_t pid, unsigned pidfd_flags, int n, int *fd);

/* The controlling terminal (tty_nr) in a /proc/PID/stat file, 0 if none. */
int ferry_tty_of(const char *stat_path);

/* The command name of pid ("" if gone). */
void ferry_guest_comm(pid_t pid, char *comm, size_t len);

#endif
