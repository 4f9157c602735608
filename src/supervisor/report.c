/* Access log records (JSON Lines). Pure formatting. */
#include "ferry/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ferry_errno_text(int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(err);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "E%d", err);
}

/* The kernel's O_LARGEFILE, which 64-bit glibc defines as 0 but a guest
 * (musl, 32-bit code) may pass. */
#if defined(__aarch64__) || defined(__arm__)
#define KERNEL_O_LARGEFILE 0400000
#else
#define KERNEL_O_LARGEFILE 0100000
#endif

void ferry_open_flags_text(uint64_t flags, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
	    {O_CREAT, "O_CREAT"},
	    {O_EXCL, "O_EXCL"},
	    {O_NOCTTY, "O_NOCTTY"},
	    {O_TRUNC, "O_TRUNC"},
	    {O_APPEND, "O_APPEND"},
	    {O_NONBLOCK, "O_NONBLOCK"},
	    {O_DSYNC, "O_DSYNC"},
	    {O_DIRECT, "O_DIRECT"},
	    {KERNEL_O_LARGEFILE, "O_LARGEFILE"},
	    {O_NOFOLLOW, "O_NOFOLLOW"},
	    {O_NOATIME, "O_NOATIME"},
	    {O_CLOEXEC, "O_CLOEXEC"},
	    {O_PATH, "O_PATH"},
	    {O_SYNC & ~O_DSYNC, "O_SYNC"},
	};
	size_t o = 0;
	uint64_t rest = flags;
	const char *acc = (flags & O_ACCMODE) == O_WRONLY   ? "O_WRONLY"
	                  : (flags & O_ACCMODE) == O_RDWR   ? "O_RDWR"
	                  : (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY"
	                                                    : "O_ACCMODE";
	rest &= ~(uint64_t)O_ACCMODE;
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s|O_TMPFILE", acc);
		rest &= ~(uint64_t)O_TMPFILE;
	} else {
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s", acc);
		if (flags & O_DIRECTORY) {
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "|O_DIRECTORY");
			rest &= ~(uint64_t)O_DIRECTORY;
		}
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (rest & bits[i].bit) {
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "|%s", bits[i].name);
			rest &= ~bits[i].bit;
		}
	if (rest)
		snprintf(buf + o, o < len ? len - o : 0, "|0x%llx", (unsigned long long)rest);
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void format_time(int64_t us, char *buf, size_t len)
{
	int64_t secs = us / 1000000, frac = us % 1000000;
	int64_t days = secs / 86400, rem = secs % 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, len, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", (long long)y,
	         (long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem / 60 % 60),
	         (long long)(rem % 60), (long long)frac);
}

void ferry_log_format(struct ferry_json *j, const struct ferry_log_record *rec)
{
	char text[512];
	ferry_json_reset(j);
	ferry_json_begin(j);
	format_time(rec->time_us, text, sizeof(text));
	ferry_json_key_string(j, "time", text);
	ferry_json_key_int(j, "pid", rec->pid);
	ferry_json_key_string(j, "comm", rec->comm ? rec->comm : "");
	ferry_json_key_string(j, "syscall", rec->syscall);
	ferry_json_key_string(j, "path", rec->path);
	if (rec->resolved)
		ferry_json_key_string(j, "resolved", rec->resolved);
	else
		ferry_json_key_null(j, "resolved");
	if (rec->path2) {
		ferry_json_key_string(j, "path2", rec->path2);
		if (rec->resolved2)
			ferry_json_key_string(j, "resolved2", rec->resolved2);
		else
			ferry_json_key_null(j, "resolved2");
	}
	if (rec->is_open) {
		ferry_open_flags_text(rec->flags, text, sizeof(text));
		ferry_json_key_string(j, "flags", text);
		if ((rec->flags & O_CREAT) || (rec->flags & O_TMPFILE) == O_TMPFILE) {
			snprintf(text, sizeof(text), "0%03o", rec->mode & 07777);
			ferry_json_key_string(j, "mode", text);
		}
	} else {
		ferry_json_key_int(j, "flags", (int64_t)rec->flags);
	}
	ferry_json_key_string(j, "decision", rec->allow ? "allow" : "deny");
	ferry_json_key_string(j, "rule", rec->rule ? rec->rule : "-");
	if (rec->result >= 0)
		ferry_json_key_int(j, "result", rec->result);
	else {
		ferry_errno_text(-rec->result, text, sizeof(text));
		ferry_json_key_string(j, "result", text);
	}
	ferry_json_key_int(j, "latency_us", rec->latency_us);
	ferry_json_end(j);
	ferry_json_raw(j, "\n", 1);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct ferry_path_entry *find_slot(struct ferry_path_entry *slots, size_t cap,
                                          const char *path)
{
	size_t i = hash(path) & (cap - 1);
	while (slots[i].path && strcmp(slots[i].path, path) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

int ferry_path_set_add(struct ferry_path_set *set, const char *path, size_t rule)
{
	if ((set->len + 1) * 10 > set->cap * 7) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct ferry_path_entry *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -1;
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i].path)
				*find_slot(slots, cap, set->slots[i].path) = set->slots[i];
		free(set->slots);
		set->slots = slots;
		set->cap = cap;
	}
	struct ferry_path_entry *e = find_slot(set->slots, set->cap, path);
	if (!e->path) {
		if (!(e->path = strdup(path)))
			return -1;
		e->rule = rule;
		set->len++;
	}
	e->count++;
	return 0;
}

void ferry_path_set_free(struct ferry_path_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].path);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

static int entry_cmp(const void *a, const void *b)
{
	const struct ferry_path_entry *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

/* "key": [ {"path": ..., "count": N[, "rule": ...]}, ... ] sorted by path. */
static void format_set(struct ferry_json *j, const char *key, const struct ferry_path_set *set,
                       const struct ferry_summary *s, bool with_rule)
{
	const struct ferry_path_entry **sorted = calloc(set->len ? set->len : 1, sizeof(*sorted));
	if (!sorted) {
		j->failed = true;
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].path)
			sorted[n++] = &set->slots[i];
	qsort(sorted, n, sizeof(*sorted), entry_cmp);
	ferry_json_key(j, key);
	ferry_json_raw(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ferry_json_raw(j, ",", 1);
		ferry_json_begin(j);
		ferry_json_key_string(j, "path", sorted[i]->path);
		ferry_json_key_int(j, "count", (int64_t)sorted[i]->count);
		if (with_rule) {
			char rule[4096 + 32];
			s->rule_text(s->rule_ctx, sorted[i]->rule, rule, sizeof(rule));
			ferry_json_key_string(j, "rule", rule);
		}
		ferry_json_end(j);
	}
	ferry_json_raw(j, "]", 1);
	j->need_comma = true;
	free(sorted);
}

void ferry_summary_format(struct ferry_json *j, const struct ferry_summary *s)
{
	char text[64];
	ferry_json_reset(j);
	ferry_json_begin(j);
	ferry_json_key_string(j, "ferry", s->version);
	ferry_json_key(j, "command");
	ferry_json_raw(j, "[", 1);
	for (size_t i = 0; s->argv[i]; i++) {
		if (i)
			ferry_json_raw(j, ",", 1);
		ferry_json_string(j, s->argv[i]);
	}
	ferry_json_raw(j, "]", 1);
	j->need_comma = true;
	ferry_json_key_int(j, "exit_status", s->exit_status);
	format_time(s->started_us, text, sizeof(text));
	ferry_json_key_string(j, "started", text);
	ferry_json_key_int(j, "duration_ms", s->duration_ms);
	ferry_json_key_string(j, "identity", s->identity);
	ferry_json_key_string(j, "network", s->network);
	ferry_json_key_string(j, "profile", s->profile);
	ferry_json_key_int(j, "calls", (int64_t)s->calls);
	ferry_json_key_int(j, "allowed", (int64_t)s->allowed);
	ferry_json_key_int(j, "denied", (int64_t)s->denied);
	ferry_json_key_int(j, "failed", (int64_t)s->failed);
	format_set(j, "read", s->read, s, false);
	format_set(j, "written", s->written, s, false);
	format_set(j, "denied_paths", s->refused, s, true);
	ferry_json_end(j);
	ferry_json_raw(j, "\n", 1);
}
