/* A cgroup v2 of the sandbox's own, for --memory and --pids. */
#include "ferry/cgroup.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "ferry/fail.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static int write_text(int dirfd, const char *file, const char *text)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	return n < 0 ? -e : 0;
}

static int read_text(int dirfd, const char *file, char *buf, size_t len)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return 0;
}

/* Whether the space-separated list has word. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/* The caller's cgroup, from /proc/self/cgroup: in the cgroup v2 hierarchy
 * when controller is NULL, else in the v1 hierarchy of that controller. The
 * path starts with '/', and is "" for the hierarchy's root. */
static int own_cgroup(const char *controller, char *buf, size_t len)
{
	char text[8192];
	if (read_text(AT_FDCWD, "/proc/self/cgroup", text, sizeof(text)) < 0)
		return -1;
	char *lines, *names;
	for (char *line = strtok_r(text, "\n", &lines); line; line = strtok_r(NULL, "\n", &lines)) {
		/* hierarchy-id:controller-list:path */
		char *list = strchr(line, ':');
		char *path = list ? strchr(list + 1, ':') : NULL;
		if (!path)
			continue;
		*list++ = '\0';
		*path++ = '\0';
		bool match = false;
		if (!controller)
			match = strcmp(line, "0") == 0 && list[0] == '\0';
		for (char *c = strtok_r(list, ",", &names); c && controller && !match;
		     c = strtok_r(NULL, ",", &names))
			match = strcmp(c, controller) == 0;
		if (match && strlen(path) < len) {
			strcpy(buf, strcmp(path, "/") == 0 ? "" : path);
			return 0;
		}
	}
	return -1;
}

/* cgroup v1: one cgroup per controller, below the caller's. */
static int create_v1(struct ferry_cgroup *cg, unsigned long long memory_max,
                     unsigned long long pids_max, const char *option)
{
	static const char *const controllers[2] = {"memory", "pids"};
	const unsigned long long limits[2] = {memory_max, pids_max};
	cg->v1 = true;
	snprintf(cg->name, sizeof(cg->name), "ferry-%d", (int)getpid());
	for (int i = 0; i < 2; i++) {
		if (!limits[i])
			continue;
		char own[PATH_MAX], root[64], dir[PATH_MAX + 128];
		struct statfs sfs;
		snprintf(root, sizeof(root), CGROUP_ROOT "/%s", controllers[i]);
		if (statfs(root, &sfs) < 0 || sfs.f_type != CGROUP_SUPER_MAGIC ||
		    own_cgroup(controllers[i], own, sizeof(own)) < 0) {
			ferry_msg("%s: no cgroup v2, and no cgroup v1 %s controller at %s", option,
			          controllers[i], root);
			return -1;
		}
		snprintf(dir, sizeof(dir), "%s%s/%s", root, own, cg->name);
		if (mkdir(dir, 0755) < 0 ||
		    (cg->v1_fd[i] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			ferry_msg("%s: mkdir %s: %s", option, dir, strerror(errno));
			return -1;
		}
		char value[32];
		snprintf(value, sizeof(value), "%llu", limits[i]);
		int r =
		    write_text(cg->v1_fd[i], i == 0 ? "memory.limit_in_bytes" : "pids.max", value);
		/* No swapping around the limit, where swap is accounted. */
		if (r == 0 && i == 0 &&
		    faccessat(cg->v1_fd[i], "memory.memsw.limit_in_bytes", F_OK, 0) == 0)
			r = write_text(cg->v1_fd[i], "memory.memsw.limit_in_bytes", value);
		if (r < 0) {
			ferry_msg("%s: setting the limit in %s: %s", option, dir, strerror(-r));
			return -1;
		}
	}
	return 0;
}

int ferry_cgroup_attach(struct ferry_cgroup *cg, int pid)
{
	char text[32];
	snprintf(text, sizeof(text), "%d", pid);
	for (int i = 0; i < 2; i++) {
		int r = cg->v1_fd[i] >= 0 ? write_text(cg->v1_fd[i], "cgroup.procs", text) : 0;
		if (r < 0) {
			ferry_msg("%s: moving the sandbox into its cgroup: %s",
			          i == 0 ? "--memory" : "--pids", strerror(-r));
			return -1;
		}
	}
	return 0;
}

int ferry_cgroup_create(struct ferry_cgroup *cg, unsigned long long memory_max,
                        unsigned long long pids_max)
{
	memset(cg, 0, sizeof(*cg));
	cg->fd = cg->parent_fd = cg->v1_fd[0] = cg->v1_fd[1] = -1;
	const char *option = memory_max ? "--memory" : "--pids";
	struct statfs sfs;
	if (statfs(CGROUP_ROOT, &sfs) < 0) {
		ferry_msg("%s: %s: %s", option, CGROUP_ROOT, strerror(errno));
		return -1;
	}
	if (sfs.f_type != CGROUP2_SUPER_MAGIC) {
		if (create_v1(cg, memory_max, pids_max, option) < 0) {
			ferry_cgroup_destroy(cg);
			return -1;
		}
		return 0;
	}
	/* Root makes the cgroup at the top; anyone else inside their own
	 * cgroup, which must be delegated to them. */
	char own[PATH_MAX];
	if (geteuid() == 0) {
		own[0] = '\0';
	} else if (own_cgroup(NULL, own, sizeof(own)) < 0) {
		ferry_msg("%s: cannot tell this process's cgroup from /proc/self/cgroup", option);
		return -1;
	}
	if (snprintf(cg->parent, sizeof(cg->parent), CGROUP_ROOT "%s", own) >=
	    (int)sizeof(cg->parent)) {
		ferry_msg("%s: the cgroup path is too long", option);
		return -1;
	}
	cg->parent_fd = open(cg->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->parent_fd < 0 || faccessat(cg->parent_fd, "cgroup.subtree_control", W_OK, 0) < 0 ||
	    faccessat(cg->parent_fd, "cgroup.procs", W_OK, 0) < 0) {
		ferry_msg("%s: cgroup v2 is not delegated to this user (%s: %s)", option,
		          cg->parent, strerror(errno));
		ferry_cgroup_destroy(cg);
		return -1;
	}
	const char *need[2] = {memory_max ? "memory" : NULL, pids_max ? "pids" : NULL};
	char have[512], enabled[512];
	if (read_text(cg->parent_fd, "cgroup.controllers", have, sizeof(have)) < 0 ||
	    read_text(cg->parent_fd, "cgroup.subtree_control", enabled, sizeof(enabled)) < 0) {
		ferry_msg("%s: reading %s: %s", option, cg->parent, strerror(errno));
		ferry_cgroup_destroy(cg);
		return -1;
	}
	bool missing = false;
	for (int i = 0; i < 2; i++) {
		if (need[i] && !has_word(have, need[i]) && cg->parent[sizeof(CGROUP_ROOT) - 1]) {
			ferry_msg("%s: the %s controller is not delegated to %s", option, need[i],
			          cg->parent);
			ferry_cgroup_destroy(cg);
			return -1;
		}
		missing |= need[i] && !has_word(enabled, need[i]);
	}
	if (missing && own[0]) {
		/* A cgroup with processes in it cannot pass controllers down, and
		 * ferry is in it: move into a leaf of its own first. */
		snprintf(cg->leaf, sizeof(cg->leaf), "ferry-%d.supervisor", (int)getpid());
		char pid[32];
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		int leaf = -1;
		if (mkdirat(cg->parent_fd, cg->leaf, 0755) < 0 ||
		    (leaf = openat(cg->parent_fd, cg->leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		        0 ||
		    write_text(leaf, "cgroup.procs", pid) < 0) {
			ferry_msg("%s: moving ferry into %s/%s: %s", option, cg->parent, cg->leaf,
			          strerror(errno));
			if (leaf >= 0)
				close(leaf);
			ferry_cgroup_destroy(cg);
			return -1;
		}
		close(leaf);
		cg->moved = true;
	}
	for (int i = 0; i < 2 && missing; i++) {
		char add[32];
		snprintf(add, sizeof(add), "+%s", need[i] ? need[i] : "");
		int r = need[i] ? write_text(cg->parent_fd, "cgroup.subtree_control", add) : 0;
		if (r < 0) {
			ferry_msg("%s: enabling the %s controller in %s: %s%s", option, need[i],
			          cg->parent, strerror(-r),
			          r == -EBUSY
			              ? " (other processes share this cgroup: run ferry in a "
			                "delegated cgroup of its own, e.g. systemd-run --user "
			                "--scope -p Delegate=yes)"
			              : "");
			ferry_cgroup_destroy(cg);
			return -1;
		}
		cg->enabled[i] = true;
	}
	snprintf(cg->name, sizeof(cg->name), "ferry-%d", (int)getpid());
	if (mkdirat(cg->parent_fd, cg->name, 0755) < 0 ||
	    (cg->fd = openat(cg->parent_fd, cg->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ferry_msg("%s: mkdir %s/%s: %s", option, cg->parent, cg->name, strerror(errno));
		cg->name[0] = '\0';
		ferry_cgroup_destroy(cg);
		return -1;
	}
	char value[32];
	int r = 0;
	if (memory_max) {
		snprintf(value, sizeof(value), "%llu", memory_max);
		r = write_text(cg->fd, "memory.max", value);
		/* No swapping around the limit (absent without swap accounting). */
		if (r == 0 && faccessat(cg->fd, "memory.swap.max", F_OK, 0) == 0)
			r = write_text(cg->fd, "memory.swap.max", "0");
	}
	if (r == 0 && pids_max) {
		snprintf(value, sizeof(value), "%llu", pids_max);
		r = write_text(cg->fd, "pids.max", value);
	}
	if (r < 0) {
		ferry_msg("%s: setting the limit in %s/%s: %s", option, cg->parent, cg->name,
		          strerror(-r));
		ferry_cgroup_destroy(cg);
		return -1;
	}
	return 0;
}

/* Waits up to about a second for the cgroup to empty. */
static void wait_empty(int fd)
{
	for (int i = 0; i < 100; i++) {
		char events[256];
		if (read_text(fd, "cgroup.events", events, sizeof(events)) < 0 ||
		    strstr(events, "populated 0"))
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* v1 has no cgroup.kill: kill what cgroup.procs lists until it is empty. */
static void empty_v1(int fd)
{
	for (int round = 0; round < 100; round++) {
		char procs[4096];
		if (read_text(fd, "cgroup.procs", procs, sizeof(procs)) < 0 || procs[0] == '\0')
			return;
		char *next;
		for (char *p = strtok_r(procs, "\n", &next); p; p = strtok_r(NULL, "\n", &next))
			kill(atoi(p), SIGKILL);
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

void ferry_cgroup_destroy(struct ferry_cgroup *cg)
{
	if (cg->v1) {
		for (int i = 0; i < 2; i++) {
			if (cg->v1_fd[i] < 0)
				continue;
			empty_v1(cg->v1_fd[i]);
			/* rmdir through the directory's own path in /proc/self/fd. */
			char self[64], dir[PATH_MAX];
			snprintf(self, sizeof(self), "/proc/self/fd/%d", cg->v1_fd[i]);
			ssize_t n = readlink(self, dir, sizeof(dir) - 1);
			close(cg->v1_fd[i]);
			cg->v1_fd[i] = -1;
			if (n > 0) {
				dir[n] = '\0';
				if (rmdir(dir) < 0)
					ferry_msg("removing cgroup %s: %s", dir, strerror(errno));
			}
		}
		cg->v1 = false;
		cg->name[0] = '\0';
		return;
	}
	if (cg->fd >= 0) {
		write_text(cg->fd, "cgroup.kill", "1");
		wait_empty(cg->fd);
		close(cg->fd);
	}
	if (cg->name[0] && cg->parent_fd >= 0 &&
	    unlinkat(cg->parent_fd, cg->name, AT_REMOVEDIR) < 0)
		ferry_msg("removing cgroup %s/%s: %s", cg->parent, cg->name, strerror(errno));
	static const char *const undo[2] = {"-memory", "-pids"};
	for (int i = 0; i < 2; i++)
		if (cg->enabled[i] && cg->moved)
			write_text(cg->parent_fd, "cgroup.subtree_control", undo[i]);
	if (cg->moved) {
		char pid[32];
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		write_text(cg->parent_fd, "cgroup.procs", pid);
		unlinkat(cg->parent_fd, cg->leaf, AT_REMOVEDIR);
	}
	if (cg->parent_fd >= 0)
		close(cg->parent_fd);
	cg->fd = cg->parent_fd = -1;
	cg->name[0] = '\0';
}
