/* Rules -> the sandbox's mount plan (layer 1) and per-path decisions
 * (layer 2). Pure: no syscalls.
 */
#ifndef FERRY_POLICY_H
#define FERRY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "ferry/config.h"

/* Glob matching on '/'-separated paths: '*' and '?' stay inside a component,
 * "[...]" is a character class ("[!...]" negated), '\' escapes, and a "**"
 * component matches zero or more whole components. */
bool ferry_glob_match(const char *pattern, const char *path);

/* True when the pattern matches some path strictly below dir. */
bool ferry_glob_match_below(const char *pattern, const char *dir);

enum ferry_mount_kind {
	FERRY_MOUNT_BIND_RO,
	FERRY_MOUNT_BIND_RW,
	FERRY_MOUNT_TMPFS,
	FERRY_MOUNT_HIDE_DIR,  /* empty read-only tmpfs */
	FERRY_MOUNT_HIDE_FILE, /* /dev/null bound read-only */
	FERRY_MOUNT_SYMLINK,   /* a symlink recreated from the host */
};

struct ferry_mount {
	enum ferry_mount_kind kind;
	const char *target; /* path inside the sandbox */
	const char *source; /* host path (binds) or link text (symlinks) */
	bool source_is_dir;
	size_t rule; /* index into the config's rules */
};

struct ferry_policy {
	const struct ferry_rule *rules; /* borrowed from the config */
	size_t n_rules;
	struct ferry_mount *mounts; /* parents before children */
	size_t n_mounts;
	size_t *deny; /* indices of DENY rules */
	size_t n_deny;
};

/* Builds the plan from rules whose host_* fields the supervisor filled in.
 * The last rule for a target wins. Returns 0, or -1 with a message. */
int ferry_policy_build(struct ferry_policy *policy, const struct ferry_rule *rules, size_t n_rules,
                       char *err, size_t errlen);
void ferry_policy_free(struct ferry_policy *policy);

#define FERRY_NO_RULE ((size_t)-1)

struct ferry_decision {
	bool allow;
	size_t rule; /* the deny rule, or the innermost mount holding the path, or FERRY_NO_RULE */
};

/* Decides an open of a resolved absolute path. A deny glob matching the path
 * or any of its parent directories denies it. */
struct ferry_decision ferry_policy_decide(const struct ferry_policy *policy, const char *path);

/* Decides a rename or hard link from src to dst (both resolved). Denied when
 * either end is denied, or when src is a directory that may hold denied
 * entries whose denial depends on where they are. */
struct ferry_decision ferry_policy_decide_move(const struct ferry_policy *policy, const char *src,
                                               bool src_is_dir, const char *dst);

/* "ro", "rw", "tmpfs", "hide", "symlink": as --explain and -v show them. */
const char *ferry_mount_kind_name(enum ferry_mount_kind kind);

/* "deny GLOB", "ro /usr", ... for messages and logs; "-" for FERRY_NO_RULE. */
void ferry_policy_rule_text(const struct ferry_policy *policy, size_t rule, char *buf, size_t len);

#endif
