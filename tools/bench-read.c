/* Read throughput through an fd the runner handed over: opens FILE, reads
 * it once to the end (to warm the page cache), then reads it again with
 * 1 MiB read() calls, timing each one.
 *   bench-read FILE
 * Output: read-1MiB <TAB> median-ns-per-read <TAB> ns/op <TAB> MiB/s of the
 * second pass. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench-read FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	char *buf = malloc(CHUNK);
	if (fd < 0 || !buf) {
		fprintf(stderr, "bench-read: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	size_t cap = 1024, n = 0;
	double *samples = malloc(cap * sizeof(double));
	double total = 0, bytes = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (lseek(fd, 0, SEEK_SET) < 0)
			return 1;
		for (;;) {
			double t0 = now_ns();
			ssize_t got = read(fd, buf, CHUNK);
			double dt = now_ns() - t0;
			if (got < 0) {
				fprintf(stderr, "bench-read: read %s: %s\n", argv[1], strerror(errno));
				return 1;
			}
			if (got == 0)
				break;
			if (pass == 1) {
				if (n == cap && !(samples = realloc(samples, (cap *= 2) * sizeof(double))))
					return 1;
				if (got == CHUNK)
					samples[n++] = dt;
				total += dt;
				bytes += (double)got;
			}
		}
	}
	if (n == 0) {
		fprintf(stderr, "bench-read: %s is smaller than 1 MiB\n", argv[1]);
		return 1;
	}
	qsort(samples, n, sizeof(double), cmp_double);
	printf("read-1MiB\t%.1f\tns/op\t%.0f MiB/s\n", samples[n / 2], bytes / (1 << 20) / (total / 1e9));
	return 0;
}
