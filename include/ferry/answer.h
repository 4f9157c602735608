/* Answering a trapped call on the seccomp listener, for whichever process
 * holds it: the supervisor, or the gofer when it answers the guest itself.
 * Never with SECCOMP_USER_NOTIF_FLAG_CONTINUE. */
#ifndef FERRY_ANSWER_H
#define FERRY_ANSWER_H

#include <stdbool.h>
#include <stdint.h>

/* The call fails with error (a positive errno). */
void ferry_answer_error(int listener, uint64_t id, int error);

/* The call returns val. */
void ferry_answer_value(int listener, uint64_t id, int64_t val);

/* Installs fd in the caller and makes its number the call's result, in one
 * step (ADDFD with SECCOMP_ADDFD_FLAG_SEND). Returns that number, or -errno:
 * the call is then failed with it, unless its caller is gone (-ENOENT).
 * fd stays the caller's of this function to close. */
int ferry_answer_fd(int listener, uint64_t id, int fd, bool cloexec);

#endif
