/* The kernel's floor for any design built on seccomp user notification:
 * a child installs a filter that sends its own openat calls to a listener,
 * the parent answers each one with SECCOMP_USER_NOTIF_FLAG_CONTINUE (the
 * kernel then runs the call as if it had not been trapped), and the child
 * times open+close of PATH like `bench-open existing`.
 *   bench-notify [--sync-wakeup] ITERATIONS ROUNDS PATH
 * --sync-wakeup sets SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP on the listener
 * (Linux 6.6), which lets the kernel hand the CPU straight to the waiter.
 * Output: notify-continue[-sync] <TAB> median-ns <TAB> ns/op.
 * Run natively only: it is a reference, not a workload for a runner. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int send_fd(int sock, int fd)
{
	char byte = 'L';
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int child(int sock, long iterations, long rounds, const char *path)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(insns) / sizeof(insns[0]), insns};
	double *samples = calloc((size_t)rounds, sizeof(double));
	if (!samples || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 1;
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		perror("bench-notify: seccomp(NEW_LISTENER)");
		return 1;
	}
	if (send_fd(sock, listener) < 0) /* sendmsg is not trapped */
		return 1;
	close(listener);
	for (long i = 0; i < iterations / 10 + 1; i++) { /* warm-up, and a check */
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "bench-notify: %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	}
	for (long r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < iterations; i++) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				close(fd);
		}
		samples[r] = (now_ns() - t0) / (double)iterations;
	}
	qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
	printf("%.1f\n", samples[rounds / 2]);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int sync_wakeup = argc > 1 && strcmp(argv[1], "--sync-wakeup") == 0;
	if (argc != 4 + sync_wakeup) {
		fprintf(stderr, "usage: bench-notify [--sync-wakeup] ITERATIONS ROUNDS PATH\n");
		return 2;
	}
	long iterations = atol(argv[1 + sync_wakeup]), rounds = atol(argv[2 + sync_wakeup]);
	const char *path = argv[3 + sync_wakeup];
	if (iterations <= 0 || rounds <= 0 || rounds > 1000)
		return 2;
	int sv[2], out[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe(out) < 0)
		return 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(sv[0]);
		close(out[0]);
		dup2(out[1], 1);
		_exit(child(sv[1], iterations, rounds, path));
	}
	close(sv[1]);
	close(out[1]);
	int listener = recv_fd(sv[0]);
	if (listener < 0) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "bench-notify: no listener from the child\n");
		return 1;
	}
	if (sync_wakeup && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0) {
		perror("bench-notify: SECCOMP_IOCTL_NOTIF_SET_FLAGS");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	for (;;) {
		struct pollfd p = {listener, POLLIN, 0};
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
				continue; /* ENOENT: the caller went away */
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		} else if (p.revents & (POLLHUP | POLLERR)) {
			break; /* the child is gone */
		}
	}
	int status;
	waitpid(pid, &status, 0);
	char buf[64] = "";
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("notify-continue%s\t%s\tns/op\n", sync_wakeup ? "-sync" : "", buf);
	return 0;
}
