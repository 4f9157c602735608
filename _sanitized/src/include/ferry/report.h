/* The access log: one JSON object per trapped call (JSON Lines). */
#ifndef FERRY_REPORT_H
#define FERRY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ferry/json.h"

struct ferry_log_record {
	int64_t time_us; /* CLOCK_REALTIME */
	pid_t pid;       /* the guest's pid as the host sees it */
	const char *comm;
	const char *syscall;
	const char *path;     /* as the guest gave it */
	const char *resolved; /* inside the sandbox; NULL if not resolved */
	const char *path2;    /* second path of link/rename, or NULL */
	const char *resolved2;
	uint64_t flags; /* open flags, or link/rename flags */
	bool is_open;
	uint32_t mode; /* logged for creating opens */
	bool allow;
	const char *rule; /* "deny GLOB", "rw /home/u/proj", "-" */
	int result;       /* fd or 0 on success, -errno on failure */
	int64_t latency_us;
};

/* Writes one record, newline-terminated, into j (reset first). */
void ferry_log_format(struct ferry_json *j, const struct ferry_log_record *rec);

/* "O_RDONLY|O_CLOEXEC" */
void ferry_open_flags_text(uint64_t flags, char *buf, size_t len);

/* A set of paths with a count and a rule each: what the summary lists. */
struct ferry_path_set {
	struct ferry_path_entry *slots;
	size_t cap, len;
};

struct ferry_path_entry {
	char *path; /* NULL: an empty slot */
	uint64_t count;
	size_t rule;
};

/* Adds one to path's count (inserting it with rule). Returns 0 or -1 when out
 * of memory. */
int ferry_path_set_add(struct ferry_path_set *set, const char *path, size_t rule);
void ferry_path_set_free(struct ferry_path_set *set);

/* What --report writes: the run and every file it touched. */
struct ferry_summary {
	const char *version;
	char *const *argv;
	int exit_status;
	int64_t started_us; /* CLOCK_REALTIME */
	int64_t duration_ms;
	const char *identity; /* "user namespace" or "root" */
	const char *network;
	const char *profile;
	uint64_t calls, allowed, denied, failed;
	const struct ferry_path_set *read, *written, *refused;
	/* rule index -> text, for the refused entries */
	void (*rule_text)(const void *ctx, size_t rule, char *buf, size_t len);
	const void *rule_ctx;
};

/* Formats the summary as one JSON object (paths sorted), newline-terminated. */
void ferry_summary_format(struct ferry_json *j, const struct ferry_summary *s);

/* "ENOENT"; "E123" for numbers it does not know. */
void ferry_errno_text(int err, char *buf, size_t len);

#endif
