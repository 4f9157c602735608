/* What a trapped path call names, read from the guest and /proc. */
#include "ferry/guestpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/config.h"
#include "ferry/proto.h"

/* Reads a small /proc file into buf, NUL-terminated. Returns 0 or -errno
 * (-ESRCH when empty: the process is gone). */
static int read_proc_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int e = errno;
	close(fd);
	if (n <= 0)
		return n < 0 ? -e : -ESRCH;
	buf[n] = '\0';
	return 0;
}

/* The controlling terminal (tty_nr of /proc/PID/stat) of a process, 0 if none. */
int ferry_tty_of(const char *stat_path)
{
	char text[1024];
	int r = read_proc_text(stat_path, text, sizeof(text));
	if (r < 0)
		return r;
	/* After the command name in parentheses: state ppid pgrp session tty_nr. */
	const char *p = strrchr(text, ')');
	int tty;
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %d", &tty) != 1)
		return -EIO;
	return tty;
}

int ferry_guest_readlink(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	ssize_t n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

static long status_field(const char *text, const char *key, int column)
{
	const char *p = strstr(text, key);
	if (!p)
		return -1;
	p += strlen(key);
	long v = -1;
	for (int c = 0; c <= column; c++) {
		char *end;
		v = strtol(p, &end, c == 0 && strcmp(key, "Umask:") == 0 ? 8 : 10);
		if (end == p)
			return -1;
		p = end;
	}
	return v;
}

int ferry_guest_status_read(pid_t tid, struct ferry_guest_status *st)
{
	char path[64], text[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	int r = read_proc_text(path, text, sizeof(text));
	if (r < 0)
		return r;
	long um = status_field(text, "Umask:", 0);
	long fsuid = status_field(text, "\nUid:", 3), fsgid = status_field(text, "\nGid:", 3);
	long tgid = status_field(text, "\nTgid:", 0);
	/* The last column is the pid in the sandbox's namespace. */
	long ns_tgid = -1, ns_tid = -1;
	for (int c = 0; c < 8; c++) {
		long v = status_field(text, "\nNStgid:", c);
		if (v < 0)
			break;
		ns_tgid = v;
	}
	for (int c = 0; c < 8; c++) {
		long v = status_field(text, "\nNSpid:", c);
		if (v < 0)
			break;
		ns_tid = v;
	}
	if (um < 0 || fsuid < 0 || fsgid < 0 || tgid < 0 || ns_tgid < 0 || ns_tid < 0)
		return -EIO;
	st->umask = (mode_t)um;
	st->fsuid = (uid_t)fsuid;
	st->fsgid = (gid_t)fsgid;
	st->host_tgid = (pid_t)tgid;
	st->ns_tgid = (pid_t)ns_tgid;
	st->ns_tid = (pid_t)ns_tid;
	return 0;
}

/* True when /proc/PID/WHAT, whose link text is text, names a file that no
 * longer has a name: the text ends in " (deleted)" and the file has no links
 * (a directory really named "x (deleted)" still has them). */
static bool link_is_deleted(pid_t pid, const char *what, const char *text)
{
	if (ferry_path_undeleted_len(text) == strlen(text))
		return false;
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	return stat(path, &st) < 0 || st.st_nlink == 0;
}

/* The path of the guest's fd n through a copy of it (pidfd_getfd): for a
 * guest that made itself non-dumpable, whose /proc/<pid>/fd only root may
 * list, but whose fds its user namespace's owner may still take. */
static int guest_fd_path(pid_t tid, int n, char *buf, size_t len)
{
	int fd;
	int r = ferry_guest_fd(tid, FERRY_PIDFD_THREAD, n, &fd);
	if (r < 0)
		return r == -ENOENT ? -EBADF : r; /* as openat answers a bad dirfd */
	char what[32];
	snprintf(what, sizeof(what), "fd/%d", fd);
	r = ferry_guest_readlink(getpid(), what, buf, len);
	struct stat st;
	bool unlinked = fstat(fd, &st) == 0 && st.st_nlink == 0;
	close(fd);
	if (r < 0)
		return r;
	if (buf[0] != '/')
		return -ENOTDIR;
	return unlinked && ferry_path_undeleted_len(buf) != strlen(buf) ? -ENOENT : 0;
}

/* The directory a relative path starts from: the guest's cwd or dirfd. */
static int guest_dir(pid_t pid, int dirfd, bool may_copy_fd, char *buf, size_t len)
{
	char what[32];
	if (dirfd == AT_FDCWD)
		snprintf(what, sizeof(what), "cwd");
	else if (dirfd < 0)
		return -EBADF;
	else
		snprintf(what, sizeof(what), "fd/%d", dirfd);
	int r = ferry_guest_readlink(pid, what, buf, len);
	if (r == -EACCES && dirfd >= 0 && may_copy_fd)
		return guest_fd_path(pid, dirfd, buf, len);
	if (r == -ENOENT)
		return dirfd == AT_FDCWD ? -ENOENT : -EBADF;
	if (r < 0)
		return r;
	if (buf[0] != '/')
		return -ENOTDIR; /* a pipe, socket or anonymous inode */
	if (link_is_deleted(pid, what, buf))
		return -ENOENT;
	return 0;
}

int ferry_guest_make_absolute(pid_t pid, int dirfd, const char *raw, bool scoped, bool may_copy_fd,
                              char *base, char *path)
{
	if (raw[0] == '/' && !scoped) {
		strcpy(base, "/");
		snprintf(path, PATH_MAX, "%s", raw);
		return 0;
	}
	char dir[PATH_MAX];
	int r = guest_dir(pid, dirfd, may_copy_fd, dir, sizeof(dir));
	if (r < 0)
		return r;
	if (scoped) {
		snprintf(base, PATH_MAX, "%s", dir);
		snprintf(path, PATH_MAX, "%s", raw);
		return 0;
	}
	if (snprintf(path, PATH_MAX, "%s/%s", dir, raw) >= PATH_MAX) {
		/* Too long joined (the guest may name PATH_MAX - 1 bytes
		 * relative to a deep directory): the gofer starts from dir. */
		snprintf(base, PATH_MAX, "%s", dir);
		snprintf(path, PATH_MAX, "%s", raw);
		return 0;
	}
	strcpy(base, "/");
	return 0;
}

/* Rewrites names of the guest itself, which the gofer (outside the guest's
 * pid namespace) cannot follow: /proc/self, /proc/thread-self and the
 * procfs links into them (/proc/net, /proc/mounts), /dev/fd/N, /dev/std*. Links that only the guest
 * can follow (its fds, cwd, root, exe) are replaced by their targets; an exact /proc/<pid>/fd/N is
 * returned in magic for the supervisor to reopen. */
int ferry_guest_rewrite_self(pid_t tid, const struct ferry_guest_status *st, char *path,
                             int *magic_fd)
{
	char out[PATH_MAX], proc[64];
	const char *rest;
	*magic_fd = -1;
	int len;
	if (ferry_path_has_prefix(path, "/proc/self", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/proc/thread-self", &rest))
		len =
		    snprintf(out, sizeof(out), "/proc/%d/task/%d%s", st->ns_tgid, st->ns_tid, rest);
	else if (ferry_path_has_prefix(path, "/proc/net", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/net%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/proc/mounts", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/mounts%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/dev/fd", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/fd%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/dev/stdin", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/fd/0%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/dev/stdout", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/fd/1%s", st->ns_tgid, rest);
	else if (ferry_path_has_prefix(path, "/dev/stderr", &rest))
		len = snprintf(out, sizeof(out), "/proc/%d/fd/2%s", st->ns_tgid, rest);
	else
		len = snprintf(out, sizeof(out), "%s", path);
	if (len >= (int)sizeof(out))
		return -ENAMETOOLONG;
	snprintf(proc, sizeof(proc), "/proc/%d", st->ns_tgid);
	if (!ferry_path_has_prefix(out, proc, &rest)) {
		strcpy(path, out);
		return 0;
	}
	/* /proc/<pid>/task/<tid>/... names the same fds, cwd and root. */
	if (strncmp(rest, "/task/", 6) == 0) {
		const char *t = rest + 6;
		while (*t >= '0' && *t <= '9')
			t++;
		if (t > rest + 6 && (*t == '/' || *t == '\0'))
			rest = t;
	}
	char link[PATH_MAX], what[32];
	const char *tail = NULL;
	if (strncmp(rest, "/fd/", 4) == 0 && rest[4] >= '0' && rest[4] <= '9') {
		char *end;
		long fd = strtol(rest + 4, &end, 10);
		if (*end == '\0' || strcmp(end, "/") == 0) {
			*magic_fd = (int)fd;
			strcpy(path, out);
			return 0;
		}
		if (*end != '/') {
			strcpy(path, out);
			return 0;
		}
		snprintf(what, sizeof(what), "fd/%ld", fd);
		tail = end;
	} else if (ferry_path_has_prefix(rest, "/cwd", &tail)) {
		snprintf(what, sizeof(what), "cwd");
	} else if (ferry_path_has_prefix(rest, "/root", &tail)) {
		snprintf(what, sizeof(what), "root");
	} else if (ferry_path_has_prefix(rest, "/exe", &tail)) {
		snprintf(what, sizeof(what), "exe");
	} else {
		strcpy(path, out);
		return 0;
	}
	int r = ferry_guest_readlink(tid, what, link, sizeof(link));
	if (r < 0)
		return r == -ENOENT ? -ENOENT : r;
	if (link[0] != '/')
		return -ENOTDIR;
	if (snprintf(path, PATH_MAX, "%s%s", link, tail) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* A copy of the guest's fd n, for the supervisor's own use. */
int ferry_guest_fd(pid_t pid, unsigned pidfd_flags, int n, int *fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, pidfd_flags);
	if (pidfd < 0)
		return -ESRCH;
	*fd = (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
	int e = errno;
	close(pidfd);
	if (*fd < 0)
		return e == EBADF ? -ENOENT : -e;
	return 0;
}

/* struct pidfd_info and its ioctl, as Linux 6.13 defines them (newer than
 * the headers ferry may be built with). */
struct pidfd_info_v0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	uint32_t spare0[1];
};
#define FERRY_PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info_v0)
#define FERRY_PIDFD_INFO_CREDS (1ULL << 1)

void ferry_pidfd_cache_init(struct ferry_pidfd_cache *cache)
{
	memset(cache, 0, sizeof(*cache));
	for (size_t i = 0; i < FERRY_PIDFD_SLOTS; i++)
		cache->fd[i] = -1;
}

void ferry_pidfd_cache_free(struct ferry_pidfd_cache *cache)
{
	for (size_t i = 0; i < FERRY_PIDFD_SLOTS; i++)
		if (cache->fd[i] >= 0)
			close(cache->fd[i]);
	bool unsupported = cache->unsupported;
	ferry_pidfd_cache_init(cache);
	cache->unsupported = unsupported;
}

int ferry_guest_fs_ids(struct ferry_pidfd_cache *cache, pid_t tid, uid_t *fsuid, gid_t *fsgid)
{
	if (cache->unsupported)
		return -ENOTSUP;
	size_t slot = (size_t)tid % FERRY_PIDFD_SLOTS;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (cache->fd[slot] < 0 || cache->tid[slot] != tid) {
			if (cache->fd[slot] >= 0) {
				close(cache->fd[slot]);
				cache->used--;
			}
			cache->tid[slot] = tid;
			cache->fd[slot] = (int)syscall(SYS_pidfd_open, tid, FERRY_PIDFD_THREAD);
			if (cache->fd[slot] >= 0)
				cache->used++;
			if (cache->fd[slot] < 0) {
				int e = errno;
				if (e == EINVAL) /* no PIDFD_THREAD: before Linux 6.9 */
					cache->unsupported = true;
				return e == EINVAL ? -ENOTSUP : -ESRCH;
			}
		}
		struct pidfd_info_v0 info = {.mask = FERRY_PIDFD_INFO_CREDS};
		int r = ioctl(cache->fd[slot], FERRY_PIDFD_GET_INFO, &info);
		if (r == 0 && (info.mask & FERRY_PIDFD_INFO_CREDS) && info.pid == (uint32_t)tid) {
			*fsuid = (uid_t)info.fsuid;
			*fsgid = (gid_t)info.fsgid;
			return 0;
		}
		int e = r < 0 ? errno : (info.mask & FERRY_PIDFD_INFO_CREDS) ? ESRCH : ENOTTY;
		close(cache->fd[slot]);
		cache->fd[slot] = -1;
		cache->used--;
		if (e == ENOTTY || e == EINVAL) {
			cache->unsupported = true;
			return -ENOTSUP;
		}
		/* ESRCH: the slot held an earlier thread of that number; once
		 * more with a fresh pidfd. */
	}
	return -ESRCH;
}

/* The command name of pid, read while the call still holds it alive. */
void ferry_guest_comm(pid_t pid, char *comm, size_t len)
{
	char path[64];
	comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_proc_text(path, comm, len) < 0)
		return;
	comm[strcspn(comm, "\n")] = '\0';
}
