/* Messages with an optional fd attached (SCM_RIGHTS) over a SOCK_SEQPACKET
 * or SOCK_STREAM unix socket. */
#ifndef FERRY_FDPASS_H
#define FERRY_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* Sends len bytes and, when fd >= 0, the fd. Returns 0 or -errno. */
int ferry_send_fd(int sock, const void *buf, size_t len, int fd);

/* The same with sendmsg flags added (MSG_DONTWAIT: -EAGAIN when full). */
int ferry_send_fd_flags(int sock, const void *buf, size_t len, int fd, int msg_flags);

/* Receives one message of at most len bytes. *fd gets the attached fd with
 * O_CLOEXEC set, or -1; surplus fds are closed. Returns the byte count (0 at
 * end of stream) or -errno; a truncated message or control block is -EMSGSIZE. */
ssize_t ferry_recv_fd(int sock, void *buf, size_t len, int *fd);

/* The same, and *pid gets the sender's pid as SO_PASSCRED reports it (in
 * our pid namespace), or 0. */
ssize_t ferry_recv_fd_from(int sock, void *buf, size_t len, int *fd, pid_t *pid);

#endif
