/* The seccomp-notify loop's handler: reads a trapped call's arguments from
 * the guest once, makes its paths absolute inside the sandbox, asks the
 * gofer, and answers the guest with the fd (ADDFD) or an errno. Never lets a
 * trapped path call continue. */
#ifndef FERRY_BROKER_H
#define FERRY_BROKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ferry/filter.h"
#include "ferry/json.h"
#include "ferry/policy.h"
#include "ferry/proto.h"
#include "ferry/report.h"

struct ferry_broker_scratch;
struct deferred_open;

struct ferry_broker {
	int listener;
	int gofer;
	const struct ferry_policy *policy;
	bool act_as; /* a root sandbox: send the guest's fsuid/fsgid */
	int verbosity;
	int log_fd; /* -1: no log */
	struct ferry_syscalls nr;
	struct ferry_json json;
	struct seccomp_notif *notif;
	size_t notif_size;
	struct ferry_broker_scratch *scratch;
	struct deferred_open *deferred; /* opens waiting in threads of their own */
	uint32_t seq;
	bool gofer_lost;
	bool keep_files;   /* --report: remember the files touched */
	bool names_needed; /* a deny rule, the log, the report or -vv needs resolved paths */
	bool direct;       /* the gofer takes the calls from the listener */
	dev_t pidns_dev;   /* the sandbox's pid namespace, to check forwarded calls */
	ino_t pidns_ino;
	int forward_pidfd;               /* while a forwarded call runs: its thread */
	struct ferry_forward *forwarded; /* calls the gofer forwarded, to be run */
	size_t n_forwarded, forwarded_cap;
	struct ferry_path_set read, written, refused;
	uint64_t allowed, failed;
	int own_tty; /* our controlling terminal's device number, 0 if none */
	uint64_t brokered, denied;
};

struct ferry_broker_setup {
	int listener;
	int gofer;
	dev_t pidns_dev; /* the sandbox's pid namespace */
	ino_t pidns_ino;
	const struct ferry_policy *policy;
	bool act_as; /* a root sandbox: send the guest's fsuid/fsgid */
	int verbosity;
	int log_fd;      /* -1: no log */
	bool keep_files; /* --report: remember the files touched */
};

/* Whether anything records the calls' resolved paths or outcomes: a deny
 * rule, the log, the report, -vv. */
bool ferry_broker_names_needed(const struct ferry_policy *policy, bool log, bool report,
                               int verbosity);

/* Whether the gofer takes the guest's calls from the listener itself: when
 * nothing records them, in a sandbox with a user namespace of its own (not
 * as root), where the kernel lets the gofer read the memory and /proc of
 * the sandbox's processes only. */
bool ferry_broker_gofer_receives(bool act_as, bool names_needed);

/* Returns 0, or -1 with a message. Hands the gofer the listener: it answers
 * the guest itself; in a sandbox with its own user namespace where nothing
 * records the calls, it also takes them from the listener (b->direct). */
int ferry_broker_init(struct ferry_broker *b, const struct ferry_broker_setup *setup, char *err,
                      size_t errlen);
void ferry_broker_free(struct ferry_broker *b);

/* How many opens wait in threads of their own (FIFOs). */
size_t ferry_broker_deferred(const struct ferry_broker *b);

/* Joins finished deferred opens and interrupts those whose caller is gone;
 * call it now and then while any are waiting. */
void ferry_broker_tend_deferred(struct ferry_broker *b);

/* Whether the broker holds fds worth letting go when idle (the pidfds it
 * keeps of the guest's threads), and letting them go: call it after a
 * while without calls, so the pidfds of threads long gone are closed. */
bool ferry_broker_holds_cache(const struct ferry_broker *b);
void ferry_broker_idle(struct ferry_broker *b);

/* Finishes a call the gofer handed back (a FIFO, the guest's terminal): call
 * it when the gofer's socket is readable. Returns 0, or -1 once the gofer is
 * gone (then every call it held is answered EIO). */
int ferry_broker_finish(struct ferry_broker *b);

/* Runs the calls the gofer forwarded (read by ferry_broker_finish): call it
 * after ferry_broker_finish, from the loop, not from within a call. */
void ferry_broker_run_forwarded(struct ferry_broker *b);

/* Receives and answers one notification. Returns 0, or -1 when the listener
 * is unusable. Once the gofer is gone, calls fail with EIO. */
int ferry_broker_handle(struct ferry_broker *b);

#endif
