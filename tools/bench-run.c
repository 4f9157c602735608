/* Runs a command N times and reports, for each run, its wall time and the
 * peak resident set of its process tree: the largest ru_maxrss that wait4
 * returns for the child and for every orphaned descendant. bench-run is a
 * child subreaper, so a process whose parent exits without reaping it (a
 * sandbox's pid 1, say) comes back to bench-run, which reaps it; ru_maxrss
 * of a reaped process already covers the descendants it reaped itself.
 *   bench-run [-c CPU] [-n N] [-q] [-r FILE] -- COMMAND [ARG...]
 * -c pins this process, and so every process it starts, to one CPU (what
 * `taskset -c CPU` does, without an extra exec per run). -q sends the
 * command's stdout to /dev/null. One line per run goes to fd 3 if it is open,
 * to stderr otherwise, or is written to FILE with -r (which is how a copy
 * of bench-run running inside a sandbox reports the guest's tree, whatever
 * the runner does with its own children):
 *   bench-run <TAB> wall_ns <TAB> maxrss_kib <TAB> status
 * The exit status is the last run's (128+N for signal N). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int cpu = -1, quiet = 0;
	const char *report = NULL;
	long runs = 1;
	int opt;
	while ((opt = getopt(argc, argv, "+c:n:qr:")) != -1) {
		switch (opt) {
		case 'c': cpu = atoi(optarg); break;
		case 'n': runs = atol(optarg); break;
		case 'q': quiet = 1; break;
		case 'r': report = optarg; break;
		default: goto usage;
		}
	}
	if (optind >= argc || runs <= 0) {
	usage:
		fprintf(stderr, "usage: bench-run [-c CPU] [-n N] [-q] [-r FILE] -- COMMAND [ARG...]\n");
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			perror("bench-run: sched_setaffinity");
			return 2;
		}
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("bench-run: PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	FILE *out = report ? fopen(report, "w") : fcntl(3, F_GETFD) >= 0 ? fdopen(3, "w") : stderr;
	if (!out)
		out = stderr;
	int code = 0;
	for (long i = 0; i < runs; i++) {
		long long t0 = now_ns();
		pid_t pid = fork();
		if (pid < 0) {
			perror("bench-run: fork");
			return 2;
		}
		if (pid == 0) {
			if (out != stderr)
				close(fileno(out));
			if (quiet) {
				int fd = open("/dev/null", O_WRONLY);
				if (fd >= 0) {
					dup2(fd, 1);
					close(fd);
				}
			}
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "bench-run: %s: %s\n", argv[optind], strerror(errno));
			_exit(errno == ENOENT ? 127 : 126);
		}
		int st = 0, orphan_st;
		struct rusage ru;
		long maxrss = 0;
		long long t1 = 0;
		for (;;) {
			/* the child first, then any orphan reparented to us; give
			 * up on orphans still alive 10 s after the child exited */
			pid_t w = t1 ? wait4(-1, &orphan_st, __WALL | WNOHANG, &ru)
			             : wait4(pid, &st, 0, &ru);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == ECHILD && t1)
				break;
			if (w < 0) {
				perror("bench-run: wait4");
				return 2;
			}
			if (w == 0) {
				if (now_ns() - t1 > 10000000000LL) {
					fprintf(stderr, "bench-run: a process of the run is still alive 10 s after it ended\n");
					break;
				}
				usleep(1000);
				continue;
			}
			if (ru.ru_maxrss > maxrss)
				maxrss = ru.ru_maxrss;
			if (!t1)
				t1 = now_ns();
		}
		code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		fprintf(out, "bench-run\t%lld\t%ld\t%d\n", t1 - t0, maxrss, code);
		fflush(out);
	}
	return code;
}
