/* Many opens at once, for tests/run/prog_real.sh.
 *
 * Usage: threads threads|procs N ITERATIONS
 *
 * Creates 8 files f0..f7 in the current directory, then N threads (or N
 * forked processes) each open, read, check and close them ITERATIONS times,
 * cycling through open, openat on a directory fd and openat2, and every 100
 * iterations rewrite a file of their own (w<i>) with O_CREAT|O_TRUNC and read
 * it back. Prints "ok OPENS" when every call succeeded and read the right
 * bytes, or a line per kind of failure and exits 1. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NFILES 8

static int dirfd_;
static int iterations;
static atomic_long opens, failures;
static atomic_int first_errno;

static void failed(int worker, const char *what, int e)
{
	if (atomic_fetch_add(&failures, 1) < 5)
		fprintf(stderr, "worker %d: %s: %s\n", worker, what,
		        e ? strerror(e) : "wrong data");
	int zero = 0;
	atomic_compare_exchange_strong(&first_errno, &zero, e ? e : -1);
}

static void expected(int i, char *buf, size_t len)
{
	/* i < NFILES: a width the compiler can see is bounded */
	snprintf(buf, len, "file %d: %0*d\n", i, 40 + (i & 15), i);
}

static int open_one(int how, const char *name)
{
	char path[64];
	switch (how % 3) {
	case 0:
		snprintf(path, sizeof(path), "./%s", name);
		return open(path, O_RDONLY | O_CLOEXEC);
	case 1:
		return openat(dirfd_, name, O_RDONLY | O_CLOEXEC);
	default: {
		struct open_how oh = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
		return (int)syscall(SYS_openat2, dirfd_, name, &oh, sizeof(oh));
	}
	}
}

static void work(int worker)
{
	char name[32], want[128], got[128];
	for (int j = 0; j < iterations; j++) {
		int i = (worker + j) % NFILES;
		snprintf(name, sizeof(name), "f%d", i);
		int fd = open_one(j, name);
		if (fd < 0) {
			failed(worker, "open", errno);
			continue;
		}
		atomic_fetch_add(&opens, 1);
		expected(i, want, sizeof(want));
		ssize_t n = read(fd, got, sizeof(got));
		if (n != (ssize_t)strlen(want) || memcmp(got, want, (size_t)n) != 0)
			failed(worker, name, n < 0 ? errno : 0);
		close(fd);
		if (j % 100 == 0) {
			char own[32], text[64];
			snprintf(own, sizeof(own), "w%d", worker);
			int len =
			    snprintf(text, sizeof(text), "worker %d iteration %d\n", worker, j);
			fd = open(own, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0 || write(fd, text, (size_t)len) != len) {
				failed(worker, own, errno);
			} else {
				close(fd);
				atomic_fetch_add(&opens, 1);
			}
			fd = open(own, O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				failed(worker, own, errno);
				continue;
			}
			atomic_fetch_add(&opens, 1);
			n = read(fd, got, sizeof(got));
			if (n != len || memcmp(got, text, (size_t)len) != 0)
				failed(worker, own, n < 0 ? errno : 0);
			close(fd);
		}
	}
}

static void *thread_main(void *arg)
{
	work((int)(long)arg);
	return NULL;
}

static int count_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: threads threads|procs N ITERATIONS\n");
		return 2;
	}
	int n = atoi(argv[2]);
	iterations = atoi(argv[3]);
	for (int i = 0; i < NFILES; i++) {
		char name[32], text[128];
		snprintf(name, sizeof(name), "f%d", i);
		expected(i, text, sizeof(text));
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
			perror(name);
			return 1;
		}
		close(fd);
	}
	dirfd_ = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd_ < 0) {
		perror(".");
		return 1;
	}
	int fds_before = count_fds();
	if (strcmp(argv[1], "threads") == 0) {
		pthread_t *t = calloc((size_t)n, sizeof(*t));
		for (long i = 0; i < n; i++)
			if (pthread_create(&t[i], NULL, thread_main, (void *)i) != 0) {
				fprintf(stderr, "pthread_create failed\n");
				return 1;
			}
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		free(t);
	} else if (strcmp(argv[1], "procs") == 0) {
		for (int i = 0; i < n; i++) {
			pid_t pid = fork();
			if (pid < 0) {
				perror("fork");
				return 1;
			}
			if (pid == 0) {
				work(i);
				_exit(atomic_load(&failures) ? 1 : 0);
			}
		}
		int status, bad = 0;
		while (wait(&status) > 0)
			bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		if (bad) {
			printf("FAIL %d of %d processes\n", bad, n);
			return 1;
		}
		/* Each child made the same number of opens as a thread would. */
		atomic_store(&opens, (long)n * (iterations + 2 * ((iterations + 99) / 100)));
	} else {
		fprintf(stderr, "threads: unknown mode %s\n", argv[1]);
		return 2;
	}
	int fds_after = count_fds();
	if (atomic_load(&failures)) {
		printf("FAIL %ld failures, first: %s\n", atomic_load(&failures),
		       atomic_load(&first_errno) > 0 ? strerror(atomic_load(&first_errno))
		                                     : "wrong data");
		return 1;
	}
	if (fds_after != fds_before) {
		printf("FAIL fds leaked: %d before, %d after\n", fds_before, fds_after);
		return 1;
	}
	printf("ok %ld\n", atomic_load(&opens));
	return 0;
}
