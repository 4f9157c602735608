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

/* Serves requests on sock until the supervisor closes it. act_as: honour the
 * request's fsuid/fsgid (a root sandbox, where the guest may change ids).
 * Once handed the listener with FERRY_LISTENER_RECEIVE, it also takes the
 * guest's calls itself: the opens of absolute paths it answers alone, the
 * others it forwards to the supervisor (struct ferry_forward). */
noreturn void ferry_gofer_serve(int sock, const struct ferry_policy *policy, bool act_as,
                                const struct ferry_gofer_kernel *kernel);

/* Handles one request (req_fd: the fd that came with it, or -1); fills rep
 * and returns the fd to send back, or -1. */
int ferry_gofer_handle(const struct ferry_policy *policy, bool act_as,
                       const struct ferry_request *req, int req_fd, struct ferry_reply *rep);

#endif
