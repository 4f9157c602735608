/* fork+exec+wait of a program (/bin/true by default), TOTAL times in ROUNDS
 * equal rounds; prints the median nanoseconds per fork+exec+wait.
 *   bench-forkexec TOTAL ROUNDS [PROGRAM]
 * Output: fork+exec <TAB> median-ns <TAB> ns/op. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

static int spawn(const char *prog)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench-forkexec TOTAL ROUNDS [PROGRAM]\n");
		return 2;
	}
	long total = atol(argv[1]), rounds = atol(argv[2]);
	const char *prog = argc == 4 ? argv[3] : "/bin/true";
	if (total <= 0 || rounds <= 0 || rounds > total)
		return 2;
	long per = total / rounds;
	double *samples = calloc((size_t)rounds, sizeof(double));
	if (!samples)
		return 1;
	if (spawn(prog) < 0) { /* warm-up, and a check */
		fprintf(stderr, "bench-forkexec: %s failed\n", prog);
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < per; i++)
			if (spawn(prog) < 0) {
				fprintf(stderr, "bench-forkexec: %s failed\n", prog);
				return 1;
			}
		samples[r] = (now_ns() - t0) / (double)per;
	}
	qsort(samples, (size_t)rounds, sizeof(double), cmp_double);
	printf("fork+exec\t%.1f\tns/op\n", samples[rounds / 2]);
	return 0;
}
