/* A trapped path call's arguments, read once from the calling thread's
 * memory (process_vm_readv). Used on both sides of the boundary: by the
 * supervisor, and by the gofer when it takes the guest's calls itself.
 * Independent of the trap source (seccomp notification today), so another
 * engine can feed the same gofer, policy and log. */
#ifndef FERRY_GUESTCALL_H
#define FERRY_GUESTCALL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ferry/filter.h"

/* What the guest asked. */
struct ferry_call {
	const char *name; /* the syscall's name */
	uint32_t op;      /* FERRY_OP_* */
	int dirfd, dirfd2;
	uint64_t addr, addr2;
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
	bool strict; /* openat2 */
	char raw[PATH_MAX], raw2[PATH_MAX];
};

/* Decodes syscall nr with args a, made by thread tid (in the caller's pid
 * namespace), reading its path strings (at most PATH_MAX bytes each) and
 * openat2's open_how from its memory. Returns 0 or -errno for the guest;
 * -EPERM and -ESRCH say the caller may not read that thread's memory, or it
 * is gone, rather than what the guest should get. */
int ferry_call_decode(const struct ferry_syscalls *sys, pid_t tid, int nr, const uint64_t *a,
                      struct ferry_call *c);

/* Whether path names the guest itself (/proc/self, /dev/fd, ...). */
bool ferry_guest_names_self(const char *path);

/* Whether s starts with prefix as a whole path component (s is prefix, or
 * goes on with '/'); *rest gets what follows. */
bool ferry_path_has_prefix(const char *s, const char *prefix, const char **rest);

#endif
