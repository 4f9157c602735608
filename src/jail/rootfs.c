/* Builds the sandbox root: a fresh tmpfs holding the policy's binds, a
 * minimal /dev, a fresh /proc, then pivots into it and detaches the host. */
#include "ferry/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/fail.h"

#define STAGE "/tmp"
#define NEWROOT "/newroot"
#define OLDROOT "/oldroot"

struct builder {
	const struct ferry_policy *policy;
	char *err;
	size_t errlen;
	/* Sandbox paths mounted so far and whether each is a bind (whose inside
	 * is the host's: ferry creates nothing there). */
	const char *done[256];
	bool done_is_bind[256];
	size_t n_done;
};

static int fail(struct builder *b, const char *call, const char *path, int e)
{
	return ferry_set_err(b->err, b->errlen, "%s %s: %s", call, path, strerror(e));
}

static void in_newroot(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, NEWROOT "%s", strcmp(path, "/") == 0 ? "" : path);
}

static void in_oldroot(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, OLDROOT "%s", strcmp(path, "/") == 0 ? "" : path);
}

/* The innermost mount done so far that holds target; -1 for the root tmpfs. */
static long holder_of(const struct builder *b, const char *target)
{
	long best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < b->n_done; i++) {
		size_t n = strlen(b->done[i]);
		if (strncmp(target, b->done[i], n) == 0 && (target[n] == '/' || n == 1) &&
		    n >= best_len && strcmp(target, b->done[i]) != 0) {
			best = (long)i;
			best_len = n;
		}
	}
	return best;
}

static void remember(struct builder *b, const char *target, bool is_bind)
{
	if (b->n_done < sizeof(b->done) / sizeof(b->done[0])) {
		b->done[b->n_done] = target;
		b->done_is_bind[b->n_done++] = is_bind;
	}
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Makes sure the mount point for target exists, creating it (and its parents)
 * only where ferry's own tmpfs lies, never inside a bind of a host path. */
static int make_mount_point(struct builder *b, const struct ferry_mount *m, bool is_dir)
{
	char path[PATH_MAX];
	in_newroot(path, sizeof(path), m->target);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode) != is_dir)
			return ferry_set_err(b->err, b->errlen,
			                     "%s %s: the mount point is %s in the sandbox",
			                     b->policy->rules[m->rule].origin, m->target,
			                     is_dir ? "not a directory" : "a directory");
		return 0;
	}
	long holder = holder_of(b, m->target);
	if (holder >= 0 && b->done_is_bind[holder]) {
		return ferry_set_err(b->err, b->errlen,
		                     "%s %s: no such path inside the bind of %s, and ferry does "
		                     "not create files on the host",
		                     b->policy->rules[m->rule].origin, m->target, b->done[holder]);
	}
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		int r = mkdir_p(parent, 0755);
		if (r < 0)
			return fail(b, "mkdir", parent, -r);
	}
	if (is_dir) {
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return fail(b, "mkdir", path, errno);
	} else {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return fail(b, "creating mount point", path, errno);
		close(fd);
	}
	return 0;
}

/* Adds the flags in set to the mount at path with a bind remount, keeping
 * the flags it has (a user namespace may not clear locked ones). */
static int remount_one(struct builder *b, const char *path, unsigned long long set)
{
	static const struct {
		unsigned long st, ms;
	} kept[] = {
	    {ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},   {ST_NODEV, MS_NODEV},
	    {ST_NOEXEC, MS_NOEXEC},     {ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME},
	    {ST_RELATIME, MS_RELATIME},
	};
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return fail(b, "statvfs", path, errno);
	unsigned long flags = MS_REMOUNT | MS_BIND;
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (sv.f_flag & kept[i].st)
			flags |= kept[i].ms;
	if (set & MOUNT_ATTR_RDONLY)
		flags |= MS_RDONLY;
	if (set & MOUNT_ATTR_NOSUID)
		flags |= MS_NOSUID;
	if (set & MOUNT_ATTR_NODEV)
		flags |= MS_NODEV;
	if (set & MOUNT_ATTR_NOEXEC)
		flags |= MS_NOEXEC;
	if (mount(NULL, path, NULL, flags, NULL) < 0)
		return fail(b, "remount", path, errno);
	return 0;
}

/* Without mount_setattr (Linux before 5.12): remount path and, when
 * recursive, every mount below it, from /proc/self/mountinfo. */
static int remount_tree(struct builder *b, const char *path, unsigned long long set, bool recursive)
{
	int r = remount_one(b, path, set);
	if (r < 0 || !recursive)
		return r;
	FILE *info = fopen(OLDROOT "/proc/self/mountinfo", "re");
	if (!info)
		return fail(b, "open", OLDROOT "/proc/self/mountinfo", errno);
	char line[4 * PATH_MAX], point[PATH_MAX];
	size_t n = strlen(path);
	while (r == 0 && fgets(line, sizeof(line), info)) {
		/* id parent major:minor root mount-point ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1)
			continue;
		if (strncmp(point, path, n) == 0 && point[n] == '/')
			r = remount_one(b, point, set);
	}
	fclose(info);
	return r;
}

static int set_attr(struct builder *b, const char *path, unsigned long long set, bool recursive)
{
	struct mount_attr attr = {.attr_set = set};
	if (mount_setattr(AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof(attr)) < 0) {
		if (errno == ENOSYS)
			return remount_tree(b, path, set, recursive);
		return fail(b, "mount_setattr", path, errno);
	}
	return 0;
}

static int bind(struct builder *b, const char *source, const char *target, unsigned long long attrs)
{
	if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) < 0) {
		char what[PATH_MAX + 16];
		snprintf(what, sizeof(what), "bind %s on", source);
		return fail(b, what, target, errno);
	}
	return attrs ? set_attr(b, target, attrs, true) : 0;
}

static int mount_tmpfs(struct builder *b, const char *target, const char *options)
{
	if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0)
		return fail(b, "mount tmpfs on", target, errno);
	return 0;
}

static bool is_sticky_tmp(const char *target)
{
	return strcmp(target, "/tmp") == 0 || strcmp(target, "/var/tmp") == 0 ||
	       strcmp(target, "/dev/shm") == 0;
}

static int apply_mount(struct builder *b, const struct ferry_mount *m)
{
	char target[PATH_MAX], source[PATH_MAX];
	in_newroot(target, sizeof(target), m->target);
	int r;
	switch (m->kind) {
	case FERRY_MOUNT_SYMLINK: {
		long holder = holder_of(b, m->target);
		if (holder >= 0 && b->done_is_bind[holder])
			return 0; /* the bind shows the host's own link */
		char parent[PATH_MAX];
		snprintf(parent, sizeof(parent), "%s", target);
		*strrchr(parent, '/') = '\0';
		if ((r = mkdir_p(parent, 0755)) < 0)
			return fail(b, "mkdir", parent, -r);
		if (symlink(m->source, target) < 0 && errno != EEXIST)
			return fail(b, "symlink", target, errno);
		return 0;
	}
	case FERRY_MOUNT_BIND_RO:
	case FERRY_MOUNT_BIND_RW:
		if ((r = make_mount_point(b, m, m->source_is_dir)) < 0)
			return r;
		in_oldroot(source, sizeof(source), m->source);
		r = bind(b, source, target,
		         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
		             (m->kind == FERRY_MOUNT_BIND_RO ? MOUNT_ATTR_RDONLY : 0));
		remember(b, m->target, true);
		return r;
	case FERRY_MOUNT_TMPFS:
		if ((r = make_mount_point(b, m, true)) < 0)
			return r;
		char options[64];
		const char *size = b->policy->rules[m->rule].size;
		snprintf(options, sizeof(options), "mode=%s%s%s",
		         is_sticky_tmp(m->target) ? "1777" : "0755", size ? ",size=" : "",
		         size ? size : "");
		r = mount_tmpfs(b, target, options);
		remember(b, m->target, false);
		return r;
	case FERRY_MOUNT_HIDE_DIR:
		if ((r = make_mount_point(b, m, true)) < 0)
			return r;
		if ((r = mount_tmpfs(b, target, "mode=0555,size=4k")) < 0)
			return r;
		remember(b, m->target, false);
		return set_attr(b, target, MOUNT_ATTR_RDONLY, false);
	case FERRY_MOUNT_HIDE_FILE:
		if ((r = make_mount_point(b, m, false)) < 0)
			return r;
		remember(b, m->target, true);
		return bind(b, OLDROOT "/dev/null", target, MOUNT_ATTR_RDONLY);
	}
	return 0;
}

static int build_dev(struct builder *b)
{
	static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
	static const char *const links[][2] = {
	    {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"},
	    {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
	    {"ptmx", "pts/ptmx"},
	};
	int r;
	if (mkdir(NEWROOT "/dev", 0755) < 0)
		return fail(b, "mkdir", NEWROOT "/dev", errno);
	if ((r = mount_tmpfs(b, NEWROOT "/dev", "mode=0755")) < 0)
		return r;
	char target[PATH_MAX], source[PATH_MAX];
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(target, sizeof(target), NEWROOT "/dev/%s", nodes[i]);
		snprintf(source, sizeof(source), OLDROOT "/dev/%s", nodes[i]);
		int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0)
			return fail(b, "creating", target, errno);
		close(fd);
		if (mount(source, target, NULL, MS_BIND, NULL) < 0)
			return fail(b, "bind", source, errno);
		if ((r = set_attr(b, target, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, false)) < 0)
			return r;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(target, sizeof(target), NEWROOT "/dev/%s", links[i][0]);
		if (symlink(links[i][1], target) < 0)
			return fail(b, "symlink", target, errno);
	}
	if (mkdir(NEWROOT "/dev/pts", 0755) < 0)
		return fail(b, "mkdir", NEWROOT "/dev/pts", errno);
	if (mount("devpts", NEWROOT "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	          "newinstance,ptmxmode=0666,mode=620") < 0)
		return fail(b, "mount devpts on", NEWROOT "/dev/pts", errno);
	if (mkdir(NEWROOT "/dev/shm", 01777) < 0)
		return fail(b, "mkdir", NEWROOT "/dev/shm", errno);
	if ((r = mount_tmpfs(b, NEWROOT "/dev/shm", "mode=1777")) < 0)
		return r;
	remember(b, "/dev", false);
	return 0;
}

/* /proc files that reach beyond the sandbox are masked, as container runtimes
 * do; only matters to a root guest, which the kernel would otherwise let in. */
static int build_proc(struct builder *b)
{
	static const char *const masked_files[] = {"kcore",       "keys",          "timer_list",
	                                           "sched_debug", "sysrq-trigger", "latency_stats"};
	static const char *const ro_dirs[] = {"sys", "irq", "bus", "fs", "acpi", "scsi"};
	if (mkdir(NEWROOT "/proc", 0555) < 0)
		return fail(b, "mkdir", NEWROOT "/proc", errno);
	if (mount("proc", NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail(b, "mount proc on", NEWROOT "/proc", errno);
	char path[PATH_MAX];
	int r;
	for (size_t i = 0; i < sizeof(masked_files) / sizeof(masked_files[0]); i++) {
		snprintf(path, sizeof(path), NEWROOT "/proc/%s", masked_files[i]);
		if (access(path, F_OK) < 0)
			continue;
		if ((r = bind(b, OLDROOT "/dev/null", path, MOUNT_ATTR_RDONLY)) < 0)
			return r;
	}
	for (size_t i = 0; i < sizeof(ro_dirs) / sizeof(ro_dirs[0]); i++) {
		snprintf(path, sizeof(path), NEWROOT "/proc/%s", ro_dirs[i]);
		if (access(path, F_OK) < 0)
			continue;
		if ((r = bind(b, path, path,
		              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)) < 0)
			return r;
	}
	remember(b, "/proc", true);
	return 0;
}

int ferry_rootfs_enter(const struct ferry_policy *policy, char *err, size_t errlen)
{
	struct builder b = {.policy = policy, .err = err, .errlen = errlen};
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(&b, "mount --make-rprivate", "/", errno);
	/* Stage in a tmpfs over /tmp, with the host's root reachable at /oldroot
	 * as the source of binds, as bubblewrap does. */
	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return fail(&b, "mount tmpfs on", STAGE, errno);
	if (mkdir(STAGE NEWROOT, 0755) < 0 || mkdir(STAGE OLDROOT, 0755) < 0)
		return fail(&b, "mkdir", STAGE, errno);
	if (syscall(SYS_pivot_root, STAGE, STAGE OLDROOT) < 0)
		return fail(&b, "pivot_root", STAGE, errno);
	if (chdir("/") < 0)
		return fail(&b, "chdir", "/", errno);
	if (mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return fail(&b, "mount tmpfs on", "the sandbox root", errno);
	int r;
	if ((r = build_dev(&b)) < 0 || (r = build_proc(&b)) < 0)
		return r;
	for (size_t i = 0; i < policy->n_mounts; i++)
		if ((r = apply_mount(&b, &policy->mounts[i])) < 0)
			return r;
	/* Everything ferry created stays as it is: the root and /dev are read-only. */
	if ((r = set_attr(&b, NEWROOT "/dev", MOUNT_ATTR_RDONLY, false)) < 0 ||
	    (r = set_attr(&b, NEWROOT, MOUNT_ATTR_RDONLY, false)) < 0)
		return r;
	if (chdir(NEWROOT) < 0)
		return fail(&b, "chdir", NEWROOT, errno);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return fail(&b, "pivot_root", "the sandbox root", errno);
	if (umount2(".", MNT_DETACH) < 0)
		return fail(&b, "umount2", "the host root", errno);
	if (chdir("/") < 0)
		return fail(&b, "chdir", "/", errno);
	return 0;
}
