/* The sandbox side: everything that runs inside the new namespaces.
 *
 *   jail (gofer)  user+mount+net+ipc+uts+cgroup namespaces, host pid ns:
 *     builds nothing itself; once init has built and entered the root, it
 *     drops capabilities, installs its own allowlist and serves the broker.
 *   init          pid 1 of the sandbox's pid namespace: builds the root
 *     (rootfs.h), forks the guest, reaps, and reports the guest's status.
 *   guest         installs the notify filter, hands the listener to the
 *     supervisor, and execs the command.
 *
 * The gofer lives outside the guest's pid namespace, so no guest process can
 * see, signal or trace it.
 */
#ifndef FERRY_JAIL_H
#define FERRY_JAIL_H

#include <stdbool.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include "ferry/config.h"
#include "ferry/policy.h"

struct ferry_jail_args {
	const struct ferry_config *cfg;
	const struct ferry_policy *policy;
	bool userns; /* map uid/gid in a new user namespace (callers other than root) */
	uid_t uid;   /* the caller's */
	gid_t gid;
	pid_t supervisor;      /* to notice the supervisor dying before PDEATHSIG is armed */
	int gofer_sock;        /* jail end of the broker channel */
	int control_sock;      /* the guest sends its listener here */
	int status_fd;         /* init writes the guest's wait status here */
	int start_fd;          /* one byte from the supervisor: go on */
	const char *workdir;   /* guest working directory inside the sandbox */
	bool workdir_explicit; /* from --chdir: failing to enter it is an error */
	char **envp;
	char **argv;
};

/* Entry point of the child cloned into the new namespaces. */
noreturn void ferry_jail_main(const struct ferry_jail_args *args);

/* Capabilities a root guest keeps (file ownership and signalling, as container
 * runtimes grant), as a bit mask over CAP_* numbers. */
unsigned long long ferry_guest_caps(void);

/* Drops every capability not in keep from the bounding, permitted, effective
 * and inheritable sets. Returns 0 or -errno. */
int ferry_caps_limit(unsigned long long keep);

#endif
