/* ferry run: the trusted side. */
#include "ferry/supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ferry/broker.h"
#include "ferry/cgroup.h"
#include "ferry/env.h"
#include "ferry/fail.h"
#include "ferry/fdpass.h"
#include "ferry/filter.h"
#include "ferry/jail.h"
#include "ferry/policy.h"
#include "ferry/report.h"
#include "config.h"

extern char **environ;

/* Signals that reach ferry and are passed on to the command. */
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

char *ferry_read_policy_file(void *ctx, const char *path, char *err, size_t errlen)
{
	(void)ctx;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ferry_set_err(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *text = malloc(cap);
	for (;;) {
		if (!text) {
			ferry_set_err(err, errlen, "out of memory");
			close(fd);
			return NULL;
		}
		if (len + 1 >= cap) {
			char *grown = cap < (1u << 24) ? realloc(text, cap * 2) : NULL;
			if (!grown) {
				free(text);
				ferry_set_err(err, errlen, "too large");
				close(fd);
				return NULL;
			}
			text = grown;
			cap *= 2;
		}
		ssize_t n = read(fd, text + len, cap - len - 1);
		if (n < 0) {
			ferry_set_err(err, errlen, "%s", strerror(errno));
			free(text);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	if (strlen(text) != len) {
		ferry_set_err(err, errlen, "holds a NUL byte: not a policy file");
		free(text);
		return NULL;
	}
	return text;
}

/* Fills each mount rule's host_* fields from the host. */
static int look_at_host(struct ferry_config *cfg)
{
	for (size_t i = 0; i < cfg->n_rules; i++) {
		struct ferry_rule *r = &cfg->rules[i];
		if (r->kind == FERRY_RULE_DENY || r->kind == FERRY_RULE_TMPFS)
			continue;
		struct stat st;
		if (lstat(r->path, &st) < 0) {
			if (errno == ENOENT || errno == ENOTDIR) {
				r->host_type = FERRY_HOST_MISSING;
				continue;
			}
			ferry_msg("%s %s: %s", r->origin, r->path, strerror(errno));
			return -1;
		}
		if (S_ISLNK(st.st_mode) && r->keep_symlink) {
			char target[PATH_MAX];
			ssize_t n = readlink(r->path, target, sizeof(target) - 1);
			if (n < 0) {
				ferry_msg("%s %s: readlink: %s", r->origin, r->path,
				          strerror(errno));
				return -1;
			}
			target[n] = '\0';
			r->host_type = FERRY_HOST_SYMLINK;
			r->link_target = strdup(target);
			if (!r->link_target)
				return ferry_set_err(NULL, 0, "out of memory");
			continue;
		}
		char *real = realpath(r->path, NULL);
		if (!real || stat(real, &st) < 0) {
			if (errno == ENOENT) {
				free(real);
				r->host_type = FERRY_HOST_MISSING;
				continue;
			}
			ferry_msg("%s %s: %s", r->origin, r->path, strerror(errno));
			free(real);
			return -1;
		}
		r->host_path = real;
		r->host_type = S_ISDIR(st.st_mode) ? FERRY_HOST_DIR : FERRY_HOST_FILE;
		if (strcmp(real, r->path) != 0 && !(r->link_target = strdup(real))) {
			ferry_msg("out of memory");
			return -1;
		}
	}
	return 0;
}

/* Receives the guest's listener and, through SO_PASSCRED, its pid. */
static int receive_listener(int sock, pid_t *pid)
{
	char byte;
	int fd;
	ssize_t n = ferry_recv_fd_from(sock, &byte, 1, &fd, pid);
	if (n <= 0 || fd < 0 || *pid <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct sandbox {
	pid_t jail;
	int gofer;   /* our end */
	int control; /* our end */
	int status;  /* read end */
	int listener;
	pid_t guest;     /* host pid */
	dev_t pidns_dev; /* its pid namespace */
	ino_t pidns_ino;
	int guest_pidfd;
};

/* Asks the listener to install an fd for a notification that does not
 * exist: a kernel that knows ADDFD with SECCOMP_ADDFD_FLAG_SEND looks for it
 * (ENOENT); an older one rejects the request itself (EINVAL). */
static bool kernel_has_addfd_send(int listener)
{
	struct seccomp_notif_addfd addfd = {
	    .id = ~0ULL, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (uint32_t)listener};
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 && errno == ENOENT;
}

/* Like fork, into new namespaces, and into a cgroup when cgroup_fd >= 0. */
static pid_t clone_into(unsigned long flags, int cgroup_fd)
{
	if (cgroup_fd < 0)
		return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
	struct clone_args ca = {
	    .flags = flags | CLONE_INTO_CGROUP,
	    .exit_signal = SIGCHLD,
	    .cgroup = (uint64_t)cgroup_fd,
	};
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

static int start_sandbox(struct sandbox *sb, const struct ferry_jail_args *proto_args,
                         struct ferry_cgroup *cgroup)
{
	int gofer[2], control[2], status[2], start[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, gofer) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) < 0 ||
	    pipe2(status, O_CLOEXEC) < 0 || pipe2(start, O_CLOEXEC) < 0) {
		ferry_msg("socketpair: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	if (setsockopt(control[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		ferry_msg("setsockopt(SO_PASSCRED): %s", strerror(errno));
		return -1;
	}
	struct ferry_jail_args args = *proto_args;
	args.gofer_sock = gofer[1];
	args.control_sock = control[1];
	args.status_fd = status[1];
	args.start_fd = start[0];
	args.supervisor = getpid();
	unsigned long flags = CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
	if (args.userns)
		flags |= CLONE_NEWUSER;
	if (args.cfg->net == FERRY_NET_NONE)
		flags |= CLONE_NEWNET;
	fflush(NULL);
	pid_t pid = clone_into(flags, cgroup->fd);
	if (pid < 0) {
		int e = errno;
		if (args.userns && (e == EPERM || e == ENOSPC || e == EINVAL))
			ferry_msg("clone(CLONE_NEWUSER): %s: user namespaces are not available to "
			          "this user (see /proc/sys/user/max_user_namespaces and "
			          "kernel.unprivileged_userns_clone); refusing to run unconfined",
			          strerror(e));
		else if (cgroup->fd >= 0 && (e == ENOSYS || e == EINVAL))
			ferry_msg(
			    "--memory/--pids: clone3 with CLONE_INTO_CGROUP: %s (Linux 5.7 or "
			    "later is needed)",
			    strerror(e));
		else
			ferry_msg("clone (new namespaces): %s", strerror(e));
		return -1;
	}
	if (pid == 0) {
		close(gofer[0]);
		close(control[0]);
		close(status[0]);
		close(start[1]);
		ferry_jail_main(&args);
	}
	close(start[0]);
	/* The jail waits for this byte: it runs nothing before it is in its
	 * cgroups (v1 hosts). */
	bool attached = ferry_cgroup_attach(cgroup, pid) == 0;
	if (!attached || write(start[1], "S", 1) != 1) {
		close(start[1]);
		close(gofer[1]);
		close(control[1]);
		close(status[1]);
		sb->jail = pid;
		sb->status = status[0];
		close(gofer[0]);
		close(control[0]);
		return -1;
	}
	close(start[1]);
	close(gofer[1]);
	close(control[1]);
	close(status[1]);
	sb->jail = pid;
	sb->gofer = gofer[0];
	sb->control = control[0];
	sb->status = status[0];
	pid_t guest;
	sb->listener = receive_listener(sb->control, &guest);
	if (sb->listener < 0)
		return -1; /* the jail said why, or exits 125/126/127 */
	if (!kernel_has_addfd_send(sb->listener)) {
		ferry_msg(
		    "this kernel lacks SECCOMP_ADDFD_FLAG_SEND (Linux 5.14 or later is needed); "
		    "refusing to run unconfined");
		return -1;
	}
	sb->guest = guest;
	/* The sandbox's pid namespace, while the guest waits for G. */
	char ns[64];
	struct stat st;
	snprintf(ns, sizeof(ns), "/proc/%d/ns/pid", guest);
	if (stat(ns, &st) < 0) {
		ferry_msg("%s: %s", ns, strerror(errno));
		return -1;
	}
	sb->pidns_dev = st.st_dev;
	sb->pidns_ino = st.st_ino;
	sb->guest_pidfd = (int)syscall(SYS_pidfd_open, guest, 0);
	if (sb->guest_pidfd < 0) {
		ferry_msg("pidfd_open: %s", strerror(errno));
		return -1;
	}
	if (write(sb->control, "G", 1) != 1) {
		ferry_msg("starting the command: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return FERRY_EXIT_FAILURE;
}

/* Waits for the jail and returns its exit status as ferry's. */
static int reap_jail(pid_t jail)
{
	int status;
	while (waitpid(jail, &status, 0) < 0)
		if (errno != EINTR)
			return FERRY_EXIT_FAILURE;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return WEXITSTATUS(status);
	return FERRY_EXIT_FAILURE;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The sandbox is ending: init's status pipe closes before the kernel has
 * killed the rest of its pid namespace. Keep answering what those last
 * processes ask (EIO once the gofer is gone) until none is left under the
 * filter, so none sees the ENOSYS of a closed listener. At most 2 s. */
static void drain_listener(struct sandbox *sb, struct ferry_broker *broker)
{
	int64_t end = monotonic_ms() + 2000;
	while (monotonic_ms() < end) {
		struct pollfd p = {sb->listener, POLLIN, 0};
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			return;
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			return;
		if (p.revents & POLLIN)
			ferry_broker_handle(broker);
	}
}

/* The sandbox ended before init reported the command's status: the gofer or
 * init died. Ends what is left and says which, in one line. */
static int sandbox_lost(struct sandbox *sb, struct ferry_broker *broker)
{
	bool gofer_lost = broker->gofer_lost;
	int status;
	/* init dies as soon as the jail's first thread does (its parent death
	 * signal); the gofer's other threads take a moment more to go. */
	bool gone = false;
	for (int i = 0; i < 20 && !gone; i++) {
		gone = waitpid(sb->jail, &status, WNOHANG) == sb->jail;
		struct timespec ts = {0, 10 * 1000 * 1000};
		if (!gone)
			nanosleep(&ts, NULL);
	}
	if (!gone) {
		kill(sb->jail, SIGKILL);
		reap_jail(sb->jail);
	}
	/* Said once the last guest process is gone, after what it printed. */
	drain_listener(sb, broker);
	const char *sig = gone && WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : NULL;
	if (gofer_lost || gone)
		ferry_msg("the sandbox's gofer %s%s%s; the command was stopped",
		          gofer_lost ? "stopped answering" : "died",
		          sig && !gofer_lost ? " of SIG" : "", sig && !gofer_lost ? sig : "");
	else
		ferry_msg("the sandbox's init died; the command was stopped");
	return FERRY_EXIT_FAILURE;
}

/* After this long without a call, the broker lets go of what it keeps
 * between calls. */
#define IDLE_MS 200
#define DEFERRED_CHECK_MS 100

/* Serves the guest until init reports the command's status. */
static int supervise(struct sandbox *sb, struct ferry_broker *broker, int sigfd,
                     const struct ferry_config *cfg)
{
	int64_t deadline = cfg->timeout ? monotonic_ms() + (int64_t)cfg->timeout * 1000 : 0;
	bool listening = true, jail_killed = false;
	for (;;) {
		struct pollfd fds[4] = {
		    {sb->status, POLLIN, 0},
		    {sigfd, POLLIN, 0},
		    /* when the gofer takes the calls, only to see the last go */
		    {listening ? sb->listener : -1, broker->direct ? 0 : POLLIN, 0},
		    /* calls the gofer hands back to finish */
		    {broker->gofer_lost ? -1 : sb->gofer, POLLIN, 0},
		};
		/* Opens waiting in threads are checked this often: their
		 * caller may die or give up, and when the gofer takes the
		 * calls, nothing else wakes this loop. */
		int timeout = ferry_broker_deferred(broker) ? DEFERRED_CHECK_MS : -1;
		if (ferry_broker_holds_cache(broker) && (timeout < 0 || timeout > IDLE_MS))
			timeout = IDLE_MS;
		if (deadline) {
			int64_t left = deadline - monotonic_ms();
			left = left > 0 ? left : 0;
			if (timeout < 0 || left < timeout)
				timeout = (int)(left < INT_MAX ? left : INT_MAX);
		}
		int n = poll(fds, 4, timeout);
		if (n < 0 && errno != EINTR) {
			ferry_msg("poll: %s", strerror(errno));
			kill(sb->jail, SIGKILL);
			reap_jail(sb->jail);
			return FERRY_EXIT_FAILURE;
		}
		/* Checked on every wake: a guest keeping the broker busy would
		 * otherwise never let poll time out. */
		if (deadline && monotonic_ms() >= deadline) {
			if (cfg->verbosity >= 0)
				ferry_msg("timed out after %u s; stopping the command",
				          cfg->timeout);
			kill(sb->jail, SIGKILL);
			reap_jail(sb->jail);
			drain_listener(sb, broker);
			return FERRY_EXIT_TIMEOUT;
		}
		ferry_broker_tend_deferred(broker);
		if (n == 0)
			ferry_broker_idle(broker);
		if (fds[0].revents) {
			int status;
			ssize_t got = read(sb->status, &status, sizeof(status));
			if (got == (ssize_t)sizeof(status)) {
				drain_listener(sb, broker);
				close(sb->gofer);
				sb->gofer = -1;
				reap_jail(sb->jail);
				return exit_status_of(status);
			}
			if (got < 0 && errno == EINTR)
				continue;
			return sandbox_lost(sb, broker);
		}
		if (fds[1].revents) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
			    si.ssi_signo != SIGCHLD && si.ssi_code <= 0) {
				/* Sent by a process: pass it on. A terminal's signals
				 * (SI_KERNEL) reach the command's process group already. */
				syscall(SYS_pidfd_send_signal, sb->guest_pidfd, (int)si.ssi_signo,
				        NULL, 0);
			}
		}
		if (fds[2].revents & (POLLHUP | POLLERR | POLLNVAL))
			listening = false; /* no process left under the filter */
		else if (fds[2].revents & POLLIN)
			ferry_broker_handle(broker);
		if (fds[3].revents)
			ferry_broker_finish(broker);
		ferry_broker_run_forwarded(broker);
		/* Without its gofer the sandbox cannot go on: end it; init's
		 * silence then says why. */
		if (broker->gofer_lost && !jail_killed) {
			kill(sb->jail, SIGKILL);
			jail_killed = true;
		}
	}
}

static int64_t realtime_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The directory that will hold the report, checked writable before the
 * command runs, so a bad --report fails first and nothing half-written is
 * ever left: the report is written beside it and renamed into place. */
static int open_report_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || faccessat(fd, ".", W_OK, AT_EACCESS) < 0) {
		ferry_msg("--report %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		ferry_msg("--report %s: Is a directory", path);
		close(fd);
		return -1;
	}
	return fd;
}

static void summary_rule_text(const void *ctx, size_t rule, char *buf, size_t len)
{
	ferry_policy_rule_text(ctx, rule, buf, len);
}

static int write_report(int dirfd, const char *path, const struct ferry_summary *summary)
{
	struct ferry_json j;
	ferry_json_init(&j);
	ferry_summary_format(&j, summary);
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", name, (int)getpid());
	int fd = j.failed ? -1 : openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int e = j.failed ? ENOMEM : errno;
	bool ok = fd >= 0 && write(fd, j.buf, j.len) == (ssize_t)j.len;
	if (fd >= 0 && !ok)
		e = errno;
	if (fd >= 0 && close(fd) < 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && renameat(dirfd, tmp, dirfd, name) < 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		if (fd >= 0)
			unlinkat(dirfd, tmp, 0);
		ferry_msg("--report %s: %s", path, strerror(e));
	}
	ferry_json_free(&j);
	return ok ? 0 : -1;
}

static void describe(const struct ferry_config *cfg, const struct ferry_policy *policy, bool userns)
{
	ferry_msg("sandbox: %s; %zu mounts; %zu deny rules; network %s; brokered opens on",
	          userns ? "user namespace (your uid and gid)" : "root, bounded capabilities",
	          policy->n_mounts, policy->n_deny, cfg->net == FERRY_NET_NONE ? "none" : "host");
	for (size_t i = 0; i < policy->n_mounts; i++) {
		const struct ferry_mount *m = &policy->mounts[i];
		const char *arrow = m->kind == FERRY_MOUNT_SYMLINK ? "  -> " : "  <- ";
		ferry_msg("  %-7s %s%s%s", ferry_mount_kind_name(m->kind), m->target,
		          m->source ? arrow : "", m->source ? m->source : "");
	}
	for (size_t i = 0; i < policy->n_deny; i++)
		ferry_msg("  deny    %s", policy->rules[policy->deny[i]].path);
}

/* The host's side of each rule, then the policy; says what went wrong. */
static int prepare_policy(struct ferry_config *cfg, struct ferry_policy *policy)
{
	char err[2048];
	if (look_at_host(cfg) < 0)
		return -1;
	if (ferry_policy_build(policy, cfg->rules, cfg->n_rules, err, sizeof(err)) < 0) {
		ferry_msg("%s", err);
		return -1;
	}
	return 0;
}

int ferry_explain(struct ferry_config *cfg)
{
	struct ferry_policy policy;
	if (prepare_policy(cfg, &policy) < 0)
		return FERRY_EXIT_FAILURE;
	bool userns = geteuid() != 0;
	printf("identity: %s\n",
	       userns ? "you (your uid and gid, mapped in a new user namespace; no capability "
	                "outside it)"
	              : "root, without a user namespace, capabilities bounded to CHOWN, "
	                "DAC_OVERRIDE, FOWNER, FSETID, KILL, SETUID, SETGID, SETPCAP, SETFCAP, "
	                "NET_BIND_SERVICE, AUDIT_WRITE");
	printf("namespaces: mount, pid, ipc, uts, cgroup%s%s\n", userns ? ", user" : "",
	       cfg->net == FERRY_NET_NONE ? ", network (loopback only)" : "; the host's network");
	printf("layer 1, the view: a fresh read-only root holding only these (the deepest "
	       "path wins):\n");
	for (size_t i = 0; i < policy.n_mounts; i++) {
		const struct ferry_mount *m = &policy.mounts[i];
		const char *size = m->kind == FERRY_MOUNT_TMPFS ? cfg->rules[m->rule].size : NULL;
		printf("  %-7s %s%s%s%s%s   (%s)\n", ferry_mount_kind_name(m->kind), m->target,
		       m->source ? (m->kind == FERRY_MOUNT_SYMLINK ? " -> " : " <- ") : "",
		       m->source ? m->source : "", size ? ", size " : "", size ? size : "",
		       cfg->rules[m->rule].origin);
	}
	printf("  and /dev (null zero full random urandom tty, a private pts and shm), a fresh "
	       "/proc (kcore, keys, sysrq-trigger, timer_list masked; sys, irq, bus, fs "
	       "read-only); everything else is absent\n");
	printf("layer 2, the broker: every open, openat, openat2, creat, link(at) and "
	       "rename(at, at2) is resolved and performed by the gofer inside the view, and "
	       "decided on the resolved path by these rules:\n");
	for (size_t i = 0; i < policy.n_deny; i++)
		printf("  deny %s   (%s)\n", policy.rules[policy.deny[i]].path,
		       policy.rules[policy.deny[i]].origin);
	if (policy.n_deny == 0)
		printf("  (no deny rules: everything in the view may be opened)\n");
	bool names = ferry_broker_names_needed(&policy, cfg->log_path != NULL,
	                                       cfg->report_path != NULL, cfg->verbosity);
	printf("  %s\n",
	       ferry_broker_gofer_receives(!userns, names)
	           ? "the gofer takes each call from the seccomp listener and answers it itself; "
	             "it hands the supervisor only names of the caller itself (/proc/self, "
	             "/dev/fd), links, renames, FIFOs and the terminal"
	       : names ? "the supervisor takes each call, reads it, and hands it to the gofer, "
	                 "which answers it; it records what the gofer resolved"
	               : "the supervisor takes each call, reads it, and hands it to the gofer, "
	                 "which answers it (as root the kernel would let a gofer read processes "
	                 "outside the sandbox: it does not take calls itself)");
	printf("layer 3, the filter (seccomp, with no_new_privs):\n");
	ferry_filter_describe(stdout, cfg->allow_debug);
	printf("limits:");
	bool any = false;
	if (cfg->timeout)
		any = printf(" timeout %u s;", cfg->timeout) > 0;
	if (cfg->memory_max)
		any = printf(" memory %llu bytes;", cfg->memory_max) > 0;
	if (cfg->pids_max)
		any = printf(" pids %llu;", cfg->pids_max) > 0;
	for (size_t i = 0; i < cfg->n_limits; i++) {
		if (cfg->limits[i].value == RLIM_INFINITY)
			printf(" %s unlimited;", ferry_limit_name(cfg->limits[i].resource));
		else
			printf(" %s %llu;", ferry_limit_name(cfg->limits[i].resource),
			       cfg->limits[i].value);
		any = true;
	}
	printf("%s\n", any ? "" : " none beyond your own");
	ferry_policy_free(&policy);
	return 0;
}

int ferry_run(struct ferry_config *cfg)
{
	struct ferry_policy policy;
	if (prepare_policy(cfg, &policy) < 0)
		return FERRY_EXIT_FAILURE;
	bool userns = geteuid() != 0;
	if (cfg->verbosity >= 1)
		describe(cfg, &policy, userns);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		ferry_msg("getcwd: %s", strerror(errno));
		ferry_policy_free(&policy);
		return FERRY_EXIT_FAILURE;
	}
	int log_fd = -1;
	if (cfg->log_path) {
		log_fd =
		    open(cfg->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
		if (log_fd < 0) {
			ferry_msg("--log %s: %s", cfg->log_path, strerror(errno));
			ferry_policy_free(&policy);
			return FERRY_EXIT_FAILURE;
		}
	}
	const char *home = getenv("HOME");
	size_t cl = strlen(cwd);
	struct ferry_decision at_cwd = ferry_policy_decide(&policy, cwd);
	bool cwd_bound =
	    at_cwd.rule != FERRY_NO_RULE && cfg->rules[at_cwd.rule].kind != FERRY_RULE_TMPFS;
	if (cfg->verbosity >= 0 && !cfg->chdir && !cwd_bound &&
	    strcmp(cfg->profile, "default") == 0 && home && strcmp(cwd, "/") != 0 &&
	    strncmp(home, cwd, cl) == 0 && (home[cl] == '\0' || home[cl] == '/'))
		ferry_msg("note: %s holds your home directory, which the default profile keeps out "
		          "of the sandbox: the command starts in an empty private home (--rw DIR "
		          "shares a directory)",
		          cwd);
	int report_dir = -1;
	if (cfg->report_path && (report_dir = open_report_dir(cfg->report_path)) < 0) {
		if (log_fd >= 0)
			close(log_fd);
		ferry_policy_free(&policy);
		return FERRY_EXIT_FAILURE;
	}
	int64_t started_us = realtime_us(), started_ms = monotonic_ms();
	char **envp = ferry_env_build(environ, cfg);
	if (!envp) {
		ferry_msg("out of memory");
		ferry_policy_free(&policy);
		return FERRY_EXIT_FAILURE;
	}
	/* Signals arrive through a signalfd, so none interrupts the broker. */
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&mask, forwarded[i]);
	sigprocmask(SIG_BLOCK, &mask, &old);
	int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	int code = FERRY_EXIT_FAILURE;
	struct sandbox sb = {.jail = -1,
	                     .gofer = -1,
	                     .control = -1,
	                     .status = -1,
	                     .listener = -1,
	                     .guest_pidfd = -1};
	struct ferry_broker broker;
	bool broker_ready = false;
	struct ferry_cgroup cgroup = {.fd = -1, .parent_fd = -1, .v1_fd = {-1, -1}};
	if (sigfd < 0) {
		ferry_msg("signalfd: %s", strerror(errno));
		goto out;
	}
	struct ferry_jail_args args = {
	    .cfg = cfg,
	    .policy = &policy,
	    .userns = userns,
	    .uid = geteuid(),
	    .gid = getegid(),
	    .workdir = cfg->chdir ? cfg->chdir : cwd,
	    .workdir_explicit = cfg->chdir != NULL,
	    .envp = envp,
	    .argv = cfg->argv,
	};
	if ((cfg->memory_max || cfg->pids_max) &&
	    ferry_cgroup_create(&cgroup, cfg->memory_max, cfg->pids_max) < 0)
		goto out;
	if (start_sandbox(&sb, &args, &cgroup) < 0) {
		if (sb.jail > 0) {
			/* A jail that died of a signal on its own said nothing. */
			int jail_status;
			if (waitpid(sb.jail, &jail_status, WNOHANG) == sb.jail) {
				if (WIFSIGNALED(jail_status))
					ferry_msg(
					    "the sandbox's gofer died of SIG%s while starting",
					    sigabbrev_np(WTERMSIG(jail_status))
					        ? sigabbrev_np(WTERMSIG(jail_status))
					        : "a signal");
				code = WIFEXITED(jail_status) && WEXITSTATUS(jail_status)
				           ? WEXITSTATUS(jail_status)
				           : FERRY_EXIT_FAILURE;
			} else {
				kill(sb.jail, SIGKILL);
				code = reap_jail(sb.jail);
			}
			/* The guest's exec failure (126/127) arrives as its status. */
			int status;
			if (read(sb.status, &status, sizeof(status)) == (ssize_t)sizeof(status))
				code = exit_status_of(status);
		}
		goto out;
	}
	char err[1024];
	struct ferry_broker_setup setup = {
	    .listener = sb.listener,
	    .gofer = sb.gofer,
	    .pidns_dev = sb.pidns_dev,
	    .pidns_ino = sb.pidns_ino,
	    .policy = &policy,
	    .act_as = !userns,
	    .verbosity = cfg->verbosity,
	    .log_fd = log_fd,
	    .keep_files = cfg->report_path != NULL,
	};
	if (ferry_broker_init(&broker, &setup, err, sizeof(err)) < 0) {
		ferry_msg("%s", err);
		kill(sb.jail, SIGKILL);
		reap_jail(sb.jail);
		goto out;
	}
	broker_ready = true;
	if (cfg->verbosity >= 1)
		ferry_msg("broker: %s", broker.direct ? "the gofer takes the calls"
		                                      : "the supervisor takes the calls");
	code = supervise(&sb, &broker, sigfd, cfg);
	if (report_dir >= 0) {
		struct ferry_summary summary = {
		    .version = PACKAGE_VERSION,
		    .argv = cfg->argv,
		    .exit_status = code,
		    .started_us = started_us,
		    .duration_ms = monotonic_ms() - started_ms,
		    .identity = userns ? "user namespace" : "root",
		    .network = cfg->net == FERRY_NET_NONE ? "none" : "host",
		    .profile = cfg->profile,
		    .calls = broker.brokered,
		    .allowed = broker.allowed,
		    .denied = broker.denied,
		    .failed = broker.failed,
		    .read = &broker.read,
		    .written = &broker.written,
		    .refused = &broker.refused,
		    .rule_text = summary_rule_text,
		    .rule_ctx = &policy,
		};
		if (write_report(report_dir, cfg->report_path, &summary) < 0)
			code = FERRY_EXIT_FAILURE;
	}
out:
	if (broker_ready)
		ferry_broker_free(&broker);
	ferry_cgroup_destroy(&cgroup);
	int fds[] = {sb.gofer,       sb.control, sb.status, sb.listener,
	             sb.guest_pidfd, sigfd,      log_fd,    report_dir};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ferry_env_free(envp);
	ferry_policy_free(&policy);
	return code;
}
