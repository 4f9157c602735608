/* The gofer: opens, links and renames on the supervisor's behalf, inside the
 * sandbox root, after deciding each request with the policy on the path it
 * actually resolved. */
#ifndef FERRY_GOFER_H
#define FERRY_GOFER_H

#include <stdbool.h>
#include <stdnoreturn.h>

#include "ferry/filter.h"
#include "ferry/policy.h"
#include "ferry/proto.h"

/* What the gofer must learn or open before it drops its capabilities and
 * loads its allowlist, to take the guest's calls from the listener itself. */
struct ferry_gofer_kernel {
	struct ferry_syscalls nr;
	size_t notif_size;
	int pidns; /* the sandbox's pid namespace (nsfs), to translate callers' pids */
};

/* pidns: the sandbox's pid namespace. Returns 0, or -errno (naming what
 * failed in *what). */
int ferry_gofer_prepare(struct ferry_gofer_kernel *k, int pidns, const char **what);

struct gofer;

/* Sets the gofer up to serve requests on sock. act_as: honour the request's
 * fsuid/fsgid (a root sandbox, where the guest may change ids). takers:
 * threads that, once the supervisor hands over the listener with
 * FERRY_LISTENER_RECEIVE, take the guest's calls from it (0 where it never
 * will: as root). Call it after the capabilities are dropped (the threads
 * inherit the caller's) and before the allowlist is loaded (with TSYNC).
 * Returns NULL, naming what failed in *what. */
struct gofer *ferry_gofer_start(int sock, const struct ferry_policy *policy, bool act_as,
                                const struct ferry_gofer_kernel *kernel, size_t takers,
                                const char **what);

/* Serves the supervisor's requests until it closes the socket. The takers
 * answer the opens they can alone and forward the other calls to the
 * supervisor (struct ferry_forward). */
noreturn void ferry_gofer_serve(struct gofer *g);

/* Handles one request (req_fd: the fd that came with it, or -1); fills rep
 * and returns the fd to send back, or -1. */
int ferry_gofer_handle(const struct ferry_policy *policy, bool act_as,
                       const struct ferry_request *req, int req_fd, struct ferry_reply *rep);

#endif
