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

/* "ENOENT"; "E123" for numbers it does not know. */
void ferry_errno_text(int err, char *buf, size_t len);

#endif
