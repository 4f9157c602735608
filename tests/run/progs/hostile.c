/* A guest that misbehaves, for tests/run/fault_*.sh and limit_*.sh.
 *
 * Usage: hostile MODE [ARG...]
 *
 *   badptr             path pointers that are NULL, unmapped, or run into an
 *                      unmapped page: every call must fail with EFAULT
 *   toolong            paths around PATH_MAX: ENOENT up to 4095 bytes,
 *                      ENAMETOOLONG from 4096 on
 *   fifo-exit FIFO     a thread opens FIFO for reading (and waits in the
 *                      broker); the main thread calls exit_group meanwhile
 *   flood N SECS FILE  N threads open and close FILE as fast as they can
 *                      for SECS seconds; prints "flood OPENS"
 *   probe N MS FILE    N opens of FILE, 50 ms apart; prints the slowest and
 *                      fails when one took MS ms or more, or failed
 *   killall            kill(-1, SIGKILL); prints what it returned
 *   forks N            forks up to N children that wait; stops at the first
 *                      failure; prints "forked K ERRNO", then ends them
 *   alloc MB           mallocs MB MiB without touching them
 *   touch MB           mallocs MB MiB and touches every page
 *   nofile             opens /dev/null until it fails; prints "last FD ERRNO"
 *
 * The modes with expectations print one line per call and "PASS" or "FAIL"
 * at the end (exit 0 or 1); the others print their result and exit 0, or 3
 * when an allocation failed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

/* NULL, hidden from the compiler's nonnull checks. */
static const char *volatile null_path;

static const char *errname(int e)
{
	const char *name = e ? strerrorname_np(e) : "0";
	return name ? name : "?";
}

/* expect WHAT RESULT WANT: RESULT is a call's return value (errno read now). */
static void expect(const char *what, long r, int want)
{
	int e = r < 0 ? errno : 0;
	if (r >= 0)
		close((int)r);
	bool ok = r < 0 && e == want;
	printf("%s: %s%s\n", what, r < 0 ? errname(e) : "succeeded", ok ? "" : " (unexpected)");
	failures += !ok;
}

static long sys_openat2(int dirfd, const char *path, const struct open_how *how, size_t size)
{
	return syscall(SYS_openat2, dirfd, path, how, size);
}

static int finish(void)
{
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}

static int badptr(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	/* The second page unmapped: a pointer into it, and a string that runs
	 * from the first page into it without a NUL. */
	munmap(map + page, (size_t)page);
	char *unmapped = map + page;
	char *edge = unmapped - 8;
	memset(edge, 'a', 8);
	struct open_how how = {.flags = O_RDONLY};

	expect("open(NULL)", open(null_path, O_RDONLY), EFAULT);
	expect("open(1)", open((const char *)1, O_RDONLY), EFAULT);
	expect("open(unmapped)", open(unmapped, O_RDONLY), EFAULT);
	expect("open(no NUL before unmapped)", open(edge, O_RDONLY), EFAULT);
	expect("open(NULL, O_CREAT)", open(null_path, O_WRONLY | O_CREAT, 0644), EFAULT);
	expect("creat(unmapped)", creat(unmapped, 0644), EFAULT);
	expect("openat(NULL)", openat(AT_FDCWD, null_path, O_RDONLY), EFAULT);
	expect("openat(-1 pointer)", openat(AT_FDCWD, (const char *)-1L, O_RDONLY), EFAULT);
	expect("openat2(NULL path)", sys_openat2(AT_FDCWD, null_path, &how, sizeof(how)), EFAULT);
	expect("openat2(unmapped how)",
	       sys_openat2(AT_FDCWD, ".", (const struct open_how *)unmapped, sizeof(how)), EFAULT);
	expect("openat2(NULL how)", sys_openat2(AT_FDCWD, ".", NULL, sizeof(how)), EFAULT);
	int fd = open("hostile-src", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	expect("link(NULL, x)", link(null_path, "hostile-dst"), EFAULT);
	expect("link(x, unmapped)", link("hostile-src", unmapped), EFAULT);
	expect("rename(unmapped, x)", rename(unmapped, "hostile-dst"), EFAULT);
	expect("rename(x, NULL)", rename("hostile-src", null_path), EFAULT);
	expect("renameat2(x, edge)",
	       syscall(SYS_renameat2, AT_FDCWD, "hostile-src", AT_FDCWD, edge, 0), EFAULT);
	unlink("hostile-src");
	munmap(map, (size_t)page);
	return finish();
}

/* A relative path of exactly len bytes ("./././.../hostile-nope/x"),
 * NUL-terminated, in a directory that does not exist. */
static char *path_of(size_t len)
{
	const char *tail = len % 2 ? "hostile-nope/xy" : "hostile-nope/x";
	size_t tl = strlen(tail);
	char *p = malloc(len + 1);
	if (!p || len < tl)
		exit(2);
	for (size_t i = 0; i + tl < len; i += 2)
		memcpy(p + i, "./", 2);
	memcpy(p + len - tl, tail, tl + 1);
	return p;
}

static int toolong(void)
{
	static const size_t lens[] = {4095, 4096, 4097, 8192, 100000};
	char what[64];
	int fd = open("hostile-src", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char *p = path_of(lens[i]);
		if (strlen(p) != lens[i])
			return 2;
		int want = lens[i] < 4096 ? ENOENT : ENAMETOOLONG;
		snprintf(what, sizeof(what), "open(%zu bytes)", lens[i]);
		expect(what, open(p, O_RDONLY), want);
		snprintf(what, sizeof(what), "open(%zu bytes, O_CREAT)", lens[i]);
		expect(what, open(p, O_WRONLY | O_CREAT, 0644), want);
		snprintf(what, sizeof(what), "rename(%zu bytes, x)", lens[i]);
		expect(what, rename(p, "hostile-x"), want);
		snprintf(what, sizeof(what), "link(x, %zu bytes)", lens[i]);
		expect(what, link("hostile-src", p), want);
		free(p);
	}
	/* 4096 bytes without a NUL, then an unmapped page: too long, read no
	 * further than PATH_MAX. */
	long page = sysconf(_SC_PAGESIZE);
	size_t span = ((4096 + (size_t)page - 1) / (size_t)page) * (size_t)page;
	char *map = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 2;
	munmap(map + span, (size_t)page);
	char *start = map + span - 4096;
	memset(start, '/', 4096);
	expect("open(4096 bytes, no NUL, then unmapped)", open(start, O_RDONLY), ENAMETOOLONG);
	unlink("hostile-src");
	return finish();
}

static void *open_fifo(void *arg)
{
	int fd = open(arg, O_RDONLY);
	/* Only reached when a writer came: the test failed to kill us first. */
	printf("fifo opened: %d\n", fd);
	fflush(stdout);
	return NULL;
}

static int fifo_exit(const char *fifo)
{
	pthread_t t;
	if (pthread_create(&t, NULL, open_fifo, (void *)fifo) != 0)
		return 2;
	struct timespec ts = {0, 300 * 1000 * 1000};
	nanosleep(&ts, NULL);
	printf("exiting\n");
	fflush(stdout);
	syscall(SYS_exit_group, 0);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *flood_file;
static double flood_end;
static atomic_long flood_opens, flood_failed;

static void *flood_main(void *arg)
{
	(void)arg;
	while (now() < flood_end) {
		int fd = open(flood_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			atomic_fetch_add(&flood_failed, 1);
			continue;
		}
		close(fd);
		atomic_fetch_add(&flood_opens, 1);
	}
	return NULL;
}

static int flood(int n, double secs, const char *file)
{
	pthread_t t[64];
	if (n < 1 || n > 64)
		return 2;
	flood_file = file;
	flood_end = now() + secs;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, flood_main, NULL) != 0)
			return 2;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("flood %ld failed %ld\n", atomic_load(&flood_opens), atomic_load(&flood_failed));
	return 0;
}

static int probe(int n, double max_ms, const char *file)
{
	double slowest = 0;
	int bad = 0;
	for (int i = 0; i < n; i++) {
		double t0 = now();
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		double ms = (now() - t0) * 1000;
		if (fd < 0)
			bad++;
		else
			close(fd);
		if (ms > slowest)
			slowest = ms;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	bool ok = !bad && slowest < max_ms;
	printf("probe %d opens, %d failed, slowest %.0f ms: %s\n", n, bad, slowest,
	       ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

static int killall(void)
{
	int r = kill(-1, SIGKILL);
	printf("kill(-1, SIGKILL): %s\n", r < 0 ? errname(errno) : "0");
	return 0;
}

static int forks(int n)
{
	pid_t *kids = calloc((size_t)n + 1, sizeof(*kids));
	int k = 0, e = 0;
	pid_t self = getpid();
	if (!kids)
		return 2;
	while (k < n) {
		pid_t pid = fork();
		if (pid < 0) {
			e = errno;
			break;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			pause();
			_exit(0);
		}
		kids[k++] = pid;
	}
	printf("forked %d %s\n", k, errname(e));
	fflush(stdout);
	for (int i = 0; i < k; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(kids);
	return 0;
}

static int alloc(long mb, bool touch)
{
	size_t size = (size_t)mb << 20;
	volatile char *p = malloc(size);
	if (!p) {
		printf("alloc %ld MiB: %s\n", mb, errname(errno));
		return 3;
	}
	if (touch)
		for (size_t i = 0; i < size; i += 4096)
			p[i] = 1;
	printf("alloc %ld MiB: ok\n", mb);
	return 0;
}

static int nofile(void)
{
	int last = -1;
	for (int i = 0; i < 100000; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			printf("last %d %s\n", last, errname(errno));
			return 0;
		}
		last = fd;
	}
	printf("last %d no failure\n", last);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "badptr") == 0)
		return badptr();
	if (strcmp(mode, "toolong") == 0)
		return toolong();
	if (strcmp(mode, "fifo-exit") == 0 && argc == 3)
		return fifo_exit(argv[2]);
	if (strcmp(mode, "flood") == 0 && argc == 5)
		return flood(atoi(argv[2]), atof(argv[3]), argv[4]);
	if (strcmp(mode, "probe") == 0 && argc == 5)
		return probe(atoi(argv[2]), atof(argv[3]), argv[4]);
	if (strcmp(mode, "killall") == 0)
		return killall();
	if (strcmp(mode, "forks") == 0 && argc == 3)
		return forks(atoi(argv[2]));
	if ((strcmp(mode, "alloc") == 0 || strcmp(mode, "touch") == 0) && argc == 3)
		return alloc(atol(argv[2]), mode[0] == 't');
	if (strcmp(mode, "nofile") == 0)
		return nofile();
	fprintf(stderr, "usage: hostile badptr|toolong|fifo-exit FIFO|flood N SECS FILE|"
	                "probe N MS FILE|killall|forks N|alloc MB|touch MB|nofile\n");
	return 2;
}
