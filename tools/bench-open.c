/* Times one system call pattern in a loop and prints the median nanoseconds
 * per operation over several rounds:
 *   bench-open MODE[:THREADS] ITERATIONS ROUNDS PATH
 * MODE: existing (open+close of PATH, which exists), missing (open of PATH,
 * which must fail with ENOENT), relative (openat(AT_FDCWD, PATH) + close,
 * PATH relative), getppid (an untrapped call; PATH is ignored).
 * THREADS (default 1): that many threads run the loop at once, each
 * ITERATIONS times a round; the time per op is then the round's wall time
 * over all their ops, so it falls as throughput grows.
 * Output: MODE <TAB> median-ns <TAB> ns/op. Run natively and under each
 * runner by tools/bench, which compares them. */
#include <errno.h>
#include <pthread.h>
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

/* One round's loop, for each thread. */
struct loop {
	enum workload w;
	const char *path;
	long iterations;
	pthread_barrier_t *start;
};

static void *run_loop(void *arg)
{
	struct loop *l = arg;
	pthread_barrier_wait(l->start);
	for (long i = 0; i < l->iterations; i++)
		run_once(l->w, l->path);
	return NULL;
}

/* Runs one round in nthreads threads; returns its wall time in ns. */
static double round_ns(struct loop *l, int nthreads)
{
	if (nthreads == 1) {
		double t0 = now_ns();
		for (long i = 0; i < l->iterations; i++)
			run_once(l->w, l->path);
		return now_ns() - t0;
	}
	pthread_t threads[64];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)nthreads + 1);
	l->start = &start;
	for (int t = 0; t < nthreads; t++)
		if (pthread_create(&threads[t], NULL, run_loop, l) != 0) {
			fprintf(stderr, "bench-open: pthread_create failed\n");
			exit(1);
		}
	/* Timed from before the start: on one CPU the threads may run to the
	 * end before this thread is back from the barrier. */
	double t0 = now_ns();
	pthread_barrier_wait(&start);
	for (int t = 0; t < nthreads; t++)
		pthread_join(threads[t], NULL);
	double ns = now_ns() - t0;
	pthread_barrier_destroy(&start);
	return ns;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"existing", "missing", "relative", "getppid"};
	if (argc != 5) {
	usage:
		fprintf(stderr, "usage: bench-open existing|missing|relative|getppid[:THREADS] "
		                "ITERATIONS ROUNDS PATH\n");
		return 2;
	}
	int w = -1;
	const char *colon = strchr(argv[1], ':');
	size_t ml = colon ? (size_t)(colon - argv[1]) : strlen(argv[1]);
	int nthreads = colon ? atoi(colon + 1) : 1;
	for (int i = 0; i < 4; i++)
		if (strlen(names[i]) == ml && strncmp(argv[1], names[i], ml) == 0)
			w = i;
	if (nthreads < 1 || nthreads > 64)
		goto usage;
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
	struct loop loop = {(enum workload)w, path, iterations, NULL};
	for (long r = 0; r < rounds; r++)
		samples[r] = round_ns(&loop, nthreads) / (double)(iterations * nthreads);
	qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
	printf("%s\t%.1f\tns/op\n", names[w], samples[rounds / 2]);
	free(samples);
	return 0;
}
