/* Answering a trapped call. */
#include "ferry/answer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>

void ferry_answer_error(int listener, uint64_t id, int error)
{
	struct seccomp_notif_resp resp = {.id = id, .val = 0, .error = -error, .flags = 0};
	/* ENOENT: the caller is gone; nothing to answer. */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void ferry_answer_value(int listener, uint64_t id, int64_t val)
{
	struct seccomp_notif_resp resp = {.id = id, .val = val, .error = 0, .flags = 0};
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int ferry_answer_fd(int listener, uint64_t id, int fd, bool cloexec)
{
	struct seccomp_notif_addfd addfd = {
	    .id = id,
	    .flags = SECCOMP_ADDFD_FLAG_SEND,
	    .srcfd = (uint32_t)fd,
	    .newfd = 0,
	    .newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	if (r >= 0)
		return r;
	int e = errno;
	if (e != ENOENT)
		ferry_answer_error(listener, id, e); /* e.g. EMFILE: the guest is out of fds */
	return -e;
}
