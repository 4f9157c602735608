/* Command line and policy files -> struct ferry_config.
 *
 * Pure: no syscalls. Policy files are read through a caller-supplied loader,
 * and ${PWD}/${HOME} come from the caller, so every path through the parser
 * can be unit-tested.
 */
#ifndef FERRY_CONFIG_H
#define FERRY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum ferry_rule_kind {
	FERRY_RULE_RO,    /* bind read-only */
	FERRY_RULE_RW,    /* bind read-write */
	FERRY_RULE_HIDE,  /* mask with an empty directory or /dev/null */
	FERRY_RULE_TMPFS, /* fresh tmpfs */
	FERRY_RULE_DENY,  /* glob: brokered opens, links and renames fail with EACCES */
};

enum ferry_host_type {
	FERRY_HOST_UNKNOWN, /* not looked at yet */
	FERRY_HOST_MISSING,
	FERRY_HOST_DIR,
	FERRY_HOST_FILE, /* anything that is not a directory */
	FERRY_HOST_SYMLINK,
};

struct ferry_rule {
	enum ferry_rule_kind kind;
	char *path;        /* absolute, normalised; a glob for DENY */
	char *origin;      /* where it came from: "--ro", "ci.policy:3", "profile default" */
	bool optional;     /* profile entries: skipped when the host lacks them */
	bool keep_symlink; /* profile entries: a host symlink is recreated, not followed */
	char *size;        /* TMPFS: the size= option ("64M", "10%"), or NULL */

	/* Filled by the supervisor from the host before the policy is built. */
	enum ferry_host_type host_type;
	char *host_path;   /* realpath on the host */
	char *link_target; /* FERRY_HOST_SYMLINK with keep_symlink: the link's text;
	                    * otherwise, when path is not its own realpath: host_path,
	                    * so the name given leads to the bind */
};

enum ferry_net {
	FERRY_NET_NONE,
	FERRY_NET_HOST,
};

enum ferry_env_kind {
	FERRY_ENV_SET,
	FERRY_ENV_UNSET,
};

struct ferry_env_op {
	enum ferry_env_kind kind;
	char *name;
	char *value; /* FERRY_ENV_SET only */
};

enum ferry_mode {
	FERRY_MODE_RUN,
	FERRY_MODE_HELP,
	FERRY_MODE_VERSION,
	FERRY_MODE_EXPLAIN, /* describe the sandbox, run nothing */
};

/* An rlimit set in the guest before exec. */
struct ferry_limit {
	int resource;             /* RLIMIT_* */
	unsigned long long value; /* RLIM_INFINITY for "unlimited" */
};

struct ferry_config {
	enum ferry_mode mode;
	struct ferry_rule *rules; /* profile rules first, then options in order */
	size_t n_rules;
	struct ferry_env_op *env_ops;
	size_t n_env_ops;
	bool clearenv;
	enum ferry_net net;
	char *profile;              /* base profile name */
	char *chdir;                /* guest working directory; NULL: the caller's */
	char *log_path;             /* JSON Lines access log; NULL: none */
	char *report_path;          /* JSON summary; NULL: none */
	unsigned timeout;           /* seconds; 0: none */
	int verbosity;              /* -1 quiet, 0 normal, 1+ verbose */
	bool allow_debug;           /* ptrace and process_vm_* inside the sandbox */
	struct ferry_limit *limits; /* --limit, in order (the last for a resource wins) */
	size_t n_limits;
	unsigned long long memory_max; /* --memory, bytes; 0: none */
	unsigned long long pids_max;   /* --pids; 0: none */
	char **argv;                   /* the command, NULL-terminated (borrowed from argv) */
};

/* Values substituted for ${PWD} and ${HOME}, and the base of relative paths. */
struct ferry_vars {
	const char *pwd;
	const char *home; /* may be NULL */
};

/* Reads a policy file; returns a malloc'ed NUL-terminated text or NULL with
 * a message in err (e.g. "No such file or directory"). */
typedef char *(*ferry_load_fn)(void *ctx, const char *path, char *err, size_t errlen);

struct ferry_loader {
	ferry_load_fn load;
	void *ctx;
};

/* Parses argv (argv[0] is the program name). Returns 0, or -1 with a message
 * naming the option or file at fault in err (without the "ferry: " prefix). */
/* "nofile" for RLIMIT_NOFILE: the names --limit takes. */
const char *ferry_limit_name(int resource);

/* Parses "64", "64K", "3G" (powers of 1024). Returns 0 or -1. */
int ferry_parse_size(const char *text, unsigned long long *out);

int ferry_config_parse(struct ferry_config *cfg, int argc, char **argv,
                       const struct ferry_vars *vars, const struct ferry_loader *loader, char *err,
                       size_t errlen);

/* Applies one policy file's text, as if its lines were given on the command
 * line at this point. name is used in messages and to resolve includes. */
int ferry_config_apply_policy_text(struct ferry_config *cfg, const char *name, const char *text,
                                   const struct ferry_vars *vars, const struct ferry_loader *loader,
                                   char *err, size_t errlen);

void ferry_config_free(struct ferry_config *cfg);

/* Lexically normalises an absolute path ("/a//b/./c/../d/" -> "/a/b/d").
 * Returns a malloc'ed string. */
char *ferry_path_normalize(const char *path);

/* The kernel shows a file that lost its name (unlinked, O_TMPFILE) as its
 * old path followed by " (deleted)" in /proc/PID/fd/N and cwd: the length
 * of text without that ending, or all of it when it has none. */
size_t ferry_path_undeleted_len(const char *text);

/* Joins base and path (path wins when absolute) and normalises. */
char *ferry_path_join(const char *base, const char *path);

const char *ferry_rule_kind_name(enum ferry_rule_kind kind);

/* Names of the built-in profiles, NULL-terminated. */
extern const char *const ferry_profile_names[];

#endif
