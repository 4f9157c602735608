/* The guest's last steps before exec. */
#include "ferry/guest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/fail.h"
#include "ferry/fdpass.h"
#include "ferry/filter.h"

extern char **environ;

static noreturn void fail(const char *what, int e)
{
	ferry_msg("%s: %s", what, strerror(e));
	_exit(FERRY_EXIT_FAILURE);
}

noreturn void ferry_guest_exec(const struct ferry_jail_args *a)
{
	close(a->status_fd);
	if (chdir(a->workdir) < 0) {
		if (a->workdir_explicit) {
			char what[4200];
			snprintf(what, sizeof(what), "--chdir %s", a->workdir);
			fail(what, errno);
		}
		/* The caller's directory is not in this view (--profile none). */
		if (chdir("/") < 0)
			fail("chdir /", errno);
	}
	int r = ferry_caps_limit(ferry_guest_caps());
	if (r < 0)
		fail("limiting the guest's capabilities", -r);

	char err[1024];
	int listener = ferry_filter_load_guest(a->cfg->allow_debug, err, sizeof(err));
	if (listener < 0) {
		ferry_msg("%s", err);
		_exit(FERRY_EXIT_FAILURE);
	}
	/* From here on, open() waits for the supervisor: hand it the listener
	 * (the kernel attaches this process's credentials) and wait for its go. */
	r = ferry_send_fd(a->control_sock, "L", 1, listener);
	if (r < 0)
		fail("sending the seccomp listener", -r);
	char go;
	ssize_t n;
	do
		n = read(a->control_sock, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(FERRY_EXIT_FAILURE);
	if (syscall(SYS_close_range, 3U, ~0U, 0) < 0)
		fail("close_range", errno);
	/* The command's limits, last: nothing of ferry's own runs under them
	 * (a low nofile would refuse the listener, a low as the filter). */
	for (size_t i = 0; i < a->cfg->n_limits; i++) {
		const struct ferry_limit *l = &a->cfg->limits[i];
		struct rlimit rl = {l->value, l->value};
		if (setrlimit(l->resource, &rl) < 0) {
			int e = errno;
			ferry_msg("--limit %s: setrlimit: %s%s", ferry_limit_name(l->resource),
			          strerror(e), e == EPERM ? " (above your hard limit)" : "");
			_exit(FERRY_EXIT_FAILURE);
		}
	}

	environ = a->envp;
	execvp(a->argv[0], a->argv);
	int e = errno;
	ferry_msg("%s: %s", a->argv[0], strerror(e));
	_exit(e == ENOENT || e == ENOTDIR ? FERRY_EXIT_NOT_FOUND : FERRY_EXIT_CANNOT_EXEC);
}
