/* Times one system call pattern in a loop and prints the median nanoseconds
 * per operation over several rounds:
 *   bench-open MODE ITERATIONS ROUNDS PATH
 * MODE: existing (open+close of PATH, which exists), missing (open of PATH,
 * which must fail with ENOENT), relative (openat(AT_FDCWD, PATH) + close,
 * PATH relative), getppid (an untrapped call; PATH is ignored).
 * Output: MODE <TAB> median-ns <TAB> ns/op. Run natively and under each
 * runner by tools/bench, which compares them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

enum workload { OPEN_EXISTING, OPEN_MISSING, OPEN_RELATIVE, GETPPID };

static int run_once(enum workload w, const char *path)
{
	int fd;
	switch (w) {
	case OPEN_EXISTING:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	case OPEN_MISSING:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		return fd < 0 && errno == ENOENT ? 0 : -1;
	case OPEN_RELATIVE:
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	case GETPPID:
		return getppid() > 0 ? 0 : -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"existing", "missing", "relative", "getppid"};
	if (argc != 5) {
	usage:
		fprintf(stderr, "usage: bench-open existing|missing|relative|getppid ITERATIONS ROUNDS PATH\n");
		return 2;
	}
	int w = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(argv[1], names[i]) == 0)
			w = i;
	long iterations = atol(argv[2]), rounds = atol(argv[3]);
	const char *path = argv[4];
	if (w < 0 || iterations <= 0 || rounds <= 0 || rounds > 1000)
		goto usage;
	double *samples = calloc((size_t)rounds, sizeof(double));
	if (!samples)
		return 1;
	for (long i = 0; i < iterations / 10 + 1; i++) /* warm-up, and a check */
		if (run_once(w, path) < 0) {
			fprintf(stderr, "bench-open: %s %s: %s\n", names[w], path, strerror(errno));
			return 1;
		}
	for (long r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < iterations; i++)
			run_once(w, path);
		samples[r] = (now_ns() - t0) / (double)iterations;
	}
	qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
	printf("%s\t%.1f\tns/op\n", names[w], samples[rounds / 2]);
	free(samples);
	return 0;
}
