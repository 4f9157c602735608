/* Times open+close of a path (and a few neighbours) in a loop; prints the
 * median nanoseconds per operation over several rounds. Run natively and
 * under ferry by tools/bench, which compares the two. */
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

static int run_once(enum workload w, const char *path, const char *missing, const char *relative)
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
		fd = open(missing, O_RDONLY | O_CLOEXEC);
		return fd < 0 && errno == ENOENT ? 0 : -1;
	case OPEN_RELATIVE:
		fd = openat(AT_FDCWD, relative, O_RDONLY | O_CLOEXEC);
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
	if (argc != 5) {
		fprintf(stderr, "usage: bench-open ITERATIONS ROUNDS FILE RELATIVE-FILE\n");
		return 2;
	}
	long iterations = atol(argv[1]), rounds = atol(argv[2]);
	const char *path = argv[3], *relative = argv[4];
	char missing[4096];
	snprintf(missing, sizeof(missing), "%s.missing", path);
	if (iterations <= 0 || rounds <= 0 || rounds > 1000)
		return 2;
	static const char *const names[] = {"open+close", "open ENOENT", "open relative", "getppid"};
	double *samples = calloc((size_t)rounds, sizeof(double));
	if (!samples)
		return 1;
	for (int w = OPEN_EXISTING; w <= GETPPID; w++) {
		for (long i = 0; i < iterations / 10; i++) /* warm-up */
			if (run_once(w, path, missing, relative) < 0) {
				fprintf(stderr, "bench-open: %s %s: %s\n", names[w], path, strerror(errno));
				return 1;
			}
		for (long r = 0; r < rounds; r++) {
			double t0 = now_ns();
			for (long i = 0; i < iterations; i++)
				run_once(w, path, missing, relative);
			samples[r] = (now_ns() - t0) / (double)iterations;
		}
		qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
		printf("%s\t%.1f\n", names[w], samples[rounds / 2]);
	}
	free(samples);
	return 0;
}
