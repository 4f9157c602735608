/* without_syscall NAME COMMAND [ARG...]: runs COMMAND with system call NAME
 * failing with ENOSYS, as on a kernel that lacks it, to exercise ferry's
 * fallbacks. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: without_syscall NAME COMMAND [ARG...]\n");
		return 2;
	}
	int nr = seccomp_syscall_resolve_name(argv[1]);
	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "without_syscall: unknown system call %s\n", argv[1]);
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = ctx ? seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) : -ENOMEM;
	if (r == 0)
		r = seccomp_load(ctx);
	if (r < 0) {
		fprintf(stderr, "without_syscall: %s\n", strerror(-r));
		return 2;
	}
	seccomp_release(ctx);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "without_syscall: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
