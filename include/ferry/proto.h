/* Supervisor <-> gofer messages.
 *
 * One request, one reply, over a SOCK_SEQPACKET pair, in order. The supervisor
 * sends what the guest asked for with its paths already made absolute inside
 * the sandbox; the gofer resolves them inside its jail, decides them with the
 * policy, acts, and answers the guest itself: it installs the fd it opened
 * with SECCOMP_IOCTL_NOTIF_ADDFD (the supervisor hands it the listener once,
 * FERRY_OP_LISTENER), so no fd travels back. It replies with the outcome and
 * the resolved paths; only what the supervisor must finish itself (a FIFO, the
 * guest's terminal) comes back with an fd (SCM_RIGHTS).
 *
 * Wire format (little-endian host order; both ends are the same binary):
 *   request: struct ferry_wire_request, then base, path, base2, path2 bytes
 *            (lengths in the header, no NULs).
 *   reply:   struct ferry_wire_reply, then resolved, resolved2 bytes.
 * Encoding and decoding are pure and reject truncated, oversized and
 * inconsistent messages.
 */
#ifndef FERRY_PROTO_H
#define FERRY_PROTO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

enum ferry_op {
	FERRY_OP_OPEN = 1,     /* open path (flags, mode, resolve) */
	FERRY_OP_LINK = 2,     /* hard link path -> path2 (flags: AT_SYMLINK_FOLLOW) */
	FERRY_OP_RENAME = 3,   /* rename path -> path2 (flags: RENAME_*) */
	FERRY_OP_LISTENER = 4, /* the guest's seccomp listener is attached; no paths */
};

/* A path as the guest named it, made absolute by the supervisor: base is an
 * absolute directory inside the sandbox, path is relative to it (or absolute
 * when the guest gave an absolute path and base is "/"). Keeping them apart
 * lets openat2's RESOLVE_BENEATH and RESOLVE_IN_ROOT apply to base. */
struct ferry_request {
	uint32_t op;
	uint32_t seq;
	uint64_t id; /* the trapped call to answer; 0: reply to the supervisor only */
	uint64_t flags;
	uint64_t resolve; /* openat2 RESOLVE_* flags (FERRY_OP_OPEN) */
	uint32_t mode;    /* creation mode with the guest's umask applied */
	uint32_t act_as;  /* nonzero: act with fsuid/fsgid below */
	uint32_t fsuid;
	uint32_t fsgid;
	char base[PATH_MAX];
	char path[PATH_MAX];
	char base2[PATH_MAX];
	char path2[PATH_MAX];
};

enum ferry_reply_kind {
	FERRY_REPLY_DONE = 0,     /* error says how it went; fd attached for a successful open */
	FERRY_REPLY_REOPEN = 1,   /* a FIFO: the fd is O_PATH, the supervisor opens it off-loop */
	FERRY_REPLY_TTY = 2,      /* /dev/tty: the supervisor opens the guest's terminal (fd:
	                             the sandbox's /dev/pts, O_PATH, if it has one) */
	FERRY_REPLY_ANSWERED = 3, /* the gofer answered the guest: value, or error */
};

struct ferry_reply {
	uint32_t seq;
	uint32_t kind;
	int32_t error;  /* 0 or a positive errno */
	int32_t value;  /* FERRY_REPLY_ANSWERED without error: the call's result */
	uint32_t allow; /* the policy's decision */
	uint64_t rule;  /* deciding rule index, FERRY_NO_RULE if none */
	char resolved[PATH_MAX];
	char resolved2[PATH_MAX];
};

/* In ferry_request.resolve: the guest called openat2, whose flag checks are
 * strict; the gofer opens with openat2 too. */
#define FERRY_RESOLVE_STRICT (1ULL << 63)

/* In ferry_request.resolve, for FERRY_OP_LINK: the source is the fd attached
 * to the request (a guest fd, e.g. O_TMPFILE); path is its name for the
 * policy, possibly ending in " (deleted)". */
#define FERRY_RESOLVE_FROM_FD (1ULL << 62)

/* In ferry_request.resolve: nothing records the call (no deny rule, log or
 * report needs its resolved paths or outcome). The supervisor does not wait:
 * the gofer answers the guest and replies only when the supervisor must
 * finish the call (FERRY_REPLY_REOPEN, FERRY_REPLY_TTY). An open may then
 * be done in one openat2 call, if the policy has no deny rule. */
#define FERRY_RESOLVE_UNRECORDED (1ULL << 61)

#define FERRY_PROTO_MAGIC 0x46455232u /* "FER2" */

struct ferry_wire_request {
	uint32_t magic;
	uint32_t op;
	uint32_t seq;
	uint32_t mode;
	uint64_t id;
	uint64_t flags;
	uint64_t resolve;
	uint32_t act_as;
	uint32_t fsuid;
	uint32_t fsgid;
	uint16_t len[4]; /* base, path, base2, path2 */
	uint32_t pad;
};

struct ferry_wire_reply {
	uint32_t magic;
	uint32_t seq;
	uint32_t kind;
	int32_t error;
	uint32_t allow;
	int32_t value;
	uint64_t rule;
	uint16_t len[2]; /* resolved, resolved2 */
	uint32_t pad2;
};

#define FERRY_PROTO_MAX_REQUEST (sizeof(struct ferry_wire_request) + 4 * (PATH_MAX - 1))
#define FERRY_PROTO_MAX_REPLY (sizeof(struct ferry_wire_reply) + 2 * (PATH_MAX - 1))

/* Encoders return the message length, or -1 when a string is too long
 * (PATH_MAX - 1 bytes at most) or buf is too small. */
ptrdiff_t ferry_proto_encode_request(const struct ferry_request *req, void *buf, size_t len);
ptrdiff_t ferry_proto_encode_reply(const struct ferry_reply *rep, void *buf, size_t len);

/* Decoders return 0, or -1 for a malformed message (bad magic or op, lengths
 * not adding up, a string holding a NUL). Strings come out NUL-terminated. */
int ferry_proto_decode_request(struct ferry_request *req, const void *buf, size_t len);
int ferry_proto_decode_reply(struct ferry_reply *rep, const void *buf, size_t len);

/* A trapped call the gofer took from the listener itself (FERRY_OP_LISTENER
 * with FERRY_LISTENER_RECEIVE) and hands to the supervisor unanswered: one
 * it cannot finish alone (a relative path, a name of the guest itself, a
 * creation that needs the umask, a FIFO, the terminal). The same socket
 * carries replies; the magic tells them apart. */
struct ferry_forward {
	uint64_t id;
	uint32_t pid; /* the calling thread, in the gofer's (the host's) pid namespace */
	int32_t nr;
	uint32_t arch;
	uint64_t ip;
	uint64_t args[6];
};

/* In ferry_request.flags of FERRY_OP_LISTENER: the gofer takes the guest's
 * calls from the listener itself (a sandbox with its own user namespace,
 * where the kernel lets it read only the sandbox's processes). */
#define FERRY_LISTENER_RECEIVE 1u

#define FERRY_FORWARD_MAGIC 0x46574431u /* "FWD1" */

struct ferry_wire_forward {
	uint32_t magic;
	uint32_t pid;
	uint64_t id;
	int32_t nr;
	uint32_t arch;
	uint64_t ip;
	uint64_t args[6];
};

ptrdiff_t ferry_proto_encode_forward(const struct ferry_forward *fwd, void *buf, size_t len);

/* Returns 0, or -1 for anything but a whole forward message. */
int ferry_proto_decode_forward(struct ferry_forward *fwd, const void *buf, size_t len);

/* Whether a message from the gofer is a forward (else a reply). */
int ferry_proto_is_forward(const void *buf, size_t len);

const char *ferry_op_name(uint32_t op);

#endif
