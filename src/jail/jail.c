/* The jail process (becomes the gofer) and the sandbox's init. */
#include "ferry/jail.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ferry/fail.h"
#include "ferry/fdpass.h"
#include "ferry/filter.h"
#include "ferry/gofer.h"
#include "ferry/guest.h"
#include "ferry/rootfs.h"

/* "ferry: CALL [PATH]: strerror(e)", then exit 125. */
static noreturn void die(const char *call, const char *path, int e)
{
	ferry_msg("%s%s%s: %s", call, path ? " " : "", path ? path : "", strerror(e));
	_exit(FERRY_EXIT_FAILURE);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", path, errno);
	ssize_t n = write(fd, text, strlen(text));
	if (n < 0)
		die("write", path, errno);
	close(fd);
}

static void map_ids(const struct ferry_jail_args *a)
{
	char line[64];
	write_file("/proc/self/setgroups", "deny");
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)a->uid, (unsigned)a->uid);
	write_file("/proc/self/uid_map", line);
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)a->gid, (unsigned)a->gid);
	write_file("/proc/self/gid_map", line);
}

static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket(AF_INET) for the loopback", NULL, errno);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("ioctl(SIOCGIFFLAGS) lo", NULL, errno);
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("ioctl(SIOCSIFFLAGS) lo", NULL, errno);
	close(s);
}

static void reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Closes every fd but 0, 1, 2 and the ones listed. */
static void keep_fds(const int *keep, size_t n)
{
	int max = 3;
	for (size_t i = 0; i < n; i++)
		if (keep[i] >= max)
			max = keep[i] + 1;
	for (int fd = 3; fd < max; fd++) {
		bool kept = false;
		for (size_t i = 0; i < n; i++)
			kept |= keep[i] == fd;
		if (!kept)
			close(fd);
	}
	syscall(SYS_close_range, (unsigned)max, ~0U, 0);
}

static noreturn void init_main(const struct ferry_jail_args *a, int ready_fd)
{
	char err[1024];
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die("prctl(PR_SET_PDEATHSIG)", NULL, errno);
	if (ferry_rootfs_enter(a->policy, err, sizeof(err)) < 0) {
		ferry_msg("%s", err);
		_exit(FERRY_EXIT_FAILURE);
	}
	/* Ready, and the sandbox's pid namespace for the gofer (to translate
	 * its callers' pids): init's own, in the sandbox's /proc. */
	int pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (pidns < 0)
		die("open", "/proc/self/ns/pid", errno);
	if (ferry_send_fd(ready_fd, "R", 1, pidns) < 0)
		_exit(FERRY_EXIT_FAILURE);
	close(pidns);
	close(ready_fd);

	pid_t guest = fork();
	if (guest < 0)
		die("fork", NULL, errno);
	if (guest == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
			die("prctl(PR_SET_PDEATHSIG)", NULL, errno);
		ferry_guest_exec(a);
	}
	int keep[] = {a->status_fd};
	keep_fds(keep, 1);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || ferry_caps_limit(0) < 0)
		die("dropping init's privileges", NULL, errno);
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		if (pid == guest) {
			/* The command is done: report, and let the kernel end the
			 * rest of the pid namespace as init exits. */
			if (write(a->status_fd, &status, sizeof(status)) != sizeof(status))
				_exit(FERRY_EXIT_FAILURE);
			_exit(0);
		}
	}
}

noreturn void ferry_jail_main(const struct ferry_jail_args *a)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die("prctl(PR_SET_PDEATHSIG)", NULL, errno);
	if (getppid() != a->supervisor)
		_exit(FERRY_EXIT_FAILURE);
	char go;
	ssize_t got;
	do
		got = read(a->start_fd, &go, 1);
	while (got < 0 && errno == EINTR);
	if (got != 1)
		_exit(FERRY_EXIT_FAILURE);
	close(a->start_fd);
	reset_signals();
	if (a->userns)
		map_ids(a);
	if (a->cfg->net == FERRY_NET_NONE)
		loopback_up();

	int ready[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ready) < 0)
		die("socketpair", NULL, errno);
	pid_t init = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
	if (init < 0)
		die("clone(CLONE_NEWPID)", NULL, errno);
	if (init == 0) {
		close(ready[0]);
		close(a->gofer_sock);
		init_main(a, ready[1]);
	}
	close(ready[1]);
	char c;
	int pidns;
	ssize_t n;
	do
		n = ferry_recv_fd(ready[0], &c, 1, &pidns);
	while (n == -EINTR);
	if (n != 1 || pidns < 0)
		_exit(FERRY_EXIT_FAILURE); /* init said why */
	close(ready[0]);

	/* init's pivot_root moved this process's root too; the old cwd is gone. */
	if (chdir("/") < 0)
		die("chdir / in the sandbox root", NULL, errno);
	int keep[] = {a->gofer_sock, pidns};
	keep_fds(keep, 2);
	/* No controlling terminal: /dev/tty means the guest's, which the
	 * supervisor opens. */
	if (setsid() < 0)
		die("setsid", NULL, errno);
	/* Children (init) are reaped by the kernel; the supervisor watches them. */
	signal(SIGCHLD, SIG_IGN);
	umask(0);
	char err[1024];
	/* As root, the gofer keeps what the guest has, so the kernel lets it
	 * open what the guest could (its own /proc/PID/maps among them), and
	 * nothing the guest lacks: no CAP_SYS_PTRACE, so init's /proc files,
	 * which are not dumpable, stay closed. Its allowlist bars the calls
	 * these would serve beyond opening. */
	struct ferry_gofer_kernel kernel;
	const char *what;
	int r = ferry_gofer_prepare(&kernel, pidns, &what);
	if (r < 0)
		die(what, NULL, -r);
	r = ferry_caps_limit(a->userns ? 0 : ferry_guest_caps());
	if (r < 0)
		die("dropping the gofer's capabilities", NULL, -r);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die("prctl(PR_SET_DUMPABLE)", NULL, errno);
	/* As a user, threads to take the guest's calls, should the supervisor
	 * hand them over: two per CPU, as each waits in ADDFD until its caller
	 * has taken the fd (measured: 2 guest threads got 1.7x the opens of
	 * one with 4 takers on 2 CPUs, 0.7-1.0x with 2). */
	cpu_set_t cpus;
	size_t takers = 0;
	if (a->userns)
		takers =
		    2 *
		    (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 ? (size_t)CPU_COUNT(&cpus) : 1);
	struct gofer *g =
	    ferry_gofer_start(a->gofer_sock, a->policy, !a->userns, &kernel, takers, &what);
	if (!g)
		die(what, NULL, errno);
	if (ferry_filter_load_gofer(a->userns, err, sizeof(err)) < 0) {
		ferry_msg("gofer: %s", err);
		_exit(FERRY_EXIT_FAILURE);
	}
	ferry_gofer_serve(g);
}
