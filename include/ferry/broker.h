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
	bool keep_files; /* --report: remember the files touched */
	struct ferry_path_set read, written, refused;
	uint64_t allowed, failed;
	int own_tty; /* our controlling terminal's device number, 0 if none */
	uint64_t brokered, denied;
};

/* Returns 0, or -1 with a message. */
int ferry_broker_init(struct ferry_broker *b, int listener, int gofer,
                      const struct ferry_policy *policy, bool act_as, int verbosity, int log_fd,
                      char *err, size_t errlen);
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

/* Receives and answers one notification. Returns 0, or -1 when the listener
 * is unusable. Once the gofer is gone, calls fail with EIO. */
int ferry_broker_handle(struct ferry_broker *b);

#endif
