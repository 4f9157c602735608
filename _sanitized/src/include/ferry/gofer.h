/* The gofer: opens, links and renames on the supervisor's behalf, inside the
 * sandbox root, after deciding each request with the policy on the path it
 * actually resolved. */
#ifndef FERRY_GOFER_H
#define FERRY_GOFER_H

#include <stdbool.h>
#include <stdnoreturn.h>

#include "ferry/policy.h"
#include "ferry/proto.h"

/* Serves requests on sock until the supervisor closes it. act_as: honour the
 * request's fsuid/fsgid (a root sandbox, where the guest may change ids). */
noreturn void ferry_gofer_serve(int sock, const struct ferry_policy *policy, bool act_as);

/* Handles one request (req_fd: the fd that came with it, or -1); fills rep
 * and returns the fd to send back, or -1. */
int ferry_gofer_handle(const struct ferry_policy *policy, bool act_as,
                       const struct ferry_request *req, int req_fd, struct ferry_reply *rep);

#endif
