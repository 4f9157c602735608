/* Builds the sandbox root in the current (new) mount namespace and enters it. */
#ifndef FERRY_ROOTFS_H
#define FERRY_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

#include "ferry/policy.h"

/* Must run as pid 1 of the new pid namespace (it mounts /proc), in a mount
 * namespace of its own. On return "/" is the sandbox root and the host's root
 * is detached. Returns 0, or -1 with a message naming the path and call. */
int ferry_rootfs_enter(const struct ferry_policy *policy, char *err, size_t errlen);

#endif
