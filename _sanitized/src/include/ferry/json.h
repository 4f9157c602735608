/* A small JSON writer for log records. Pure: writes into a growing buffer. */
#ifndef FERRY_JSON_H
#define FERRY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ferry_json {
	char *buf;
	size_t len;
	size_t cap;
	bool need_comma;
	bool failed; /* out of memory: the record is dropped */
};

void ferry_json_init(struct ferry_json *j);
void ferry_json_free(struct ferry_json *j);
void ferry_json_reset(struct ferry_json *j);

/* Appends n bytes as they are. */
void ferry_json_raw(struct ferry_json *j, const char *s, size_t n);

void ferry_json_begin(struct ferry_json *j);
void ferry_json_end(struct ferry_json *j);
/* Writes "key": (with a comma when needed); the value follows. */
void ferry_json_key(struct ferry_json *j, const char *key);
void ferry_json_key_string(struct ferry_json *j, const char *key, const char *value);
void ferry_json_key_int(struct ferry_json *j, const char *key, int64_t value);
void ferry_json_key_null(struct ferry_json *j, const char *key);

/* Appends s as a JSON string literal. Valid UTF-8 is kept as is; control
 * characters, '"' and '\' are escaped; each byte of invalid UTF-8 becomes
 * \udcXX (the "surrogateescape" convention, so paths that are not UTF-8
 * survive a round trip through Python's json with errors="surrogateescape"). */
void ferry_json_string(struct ferry_json *j, const char *s);

#endif
