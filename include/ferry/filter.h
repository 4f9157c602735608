/* seccomp filters, built with libseccomp for the native architecture. */
#ifndef FERRY_FILTER_H
#define FERRY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The guest's filter: path calls go to the supervisor (user notification),
 * other architectures are killed. Loads it with no_new_privs and returns the
 * listener fd, or -errno with a message in err. */
int ferry_filter_load_guest(bool allow_debug, char *err, size_t errlen);

/* The guest's filter in words, for --explain. */
void ferry_filter_describe(FILE *out, bool allow_debug);

/* The gofer's own allowlist; anything else kills it. receive: it may take
 * the guest's calls from the listener itself (poll, NOTIF_RECV and
 * ID_VALID, process_vm_readv), which ferry allows only in a sandbox with a
 * user namespace of its own, where the kernel lets the gofer read no
 * process outside it. Returns 0 or -errno. */
int ferry_filter_load_gofer(bool receive, char *err, size_t errlen);

/* Syscall numbers the broker dispatches on, looked up once from libseccomp. */
struct ferry_syscalls {
	int open, openat, openat2, creat;
	int link, linkat, rename, renameat, renameat2;
};
void ferry_syscalls_lookup(struct ferry_syscalls *nr);

#endif
