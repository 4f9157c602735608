/* JSON writer. Pure. */
#include "ferry/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ferry_json_init(struct ferry_json *j)
{
	memset(j, 0, sizeof(*j));
}

void ferry_json_free(struct ferry_json *j)
{
	free(j->buf);
	memset(j, 0, sizeof(*j));
}

void ferry_json_reset(struct ferry_json *j)
{
	j->len = 0;
	j->need_comma = false;
	j->failed = false;
	if (j->buf)
		j->buf[0] = '\0';
}

void ferry_json_raw(struct ferry_json *j, const char *s, size_t n)
{
	if (j->failed)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		while (j->len + n + 1 > cap)
			cap *= 2;
		char *b = realloc(j->buf, cap);
		if (!b) {
			j->failed = true;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void ferry_json_string(struct ferry_json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	ferry_json_raw(j, "\"", 1);
	while (*s) {
		char esc[8];
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*s;
			ferry_json_raw(j, esc, 2);
			s++;
		} else if (*s < 0x20) {
			const char *named = *s == '\n'   ? "\\n"
			                    : *s == '\t' ? "\\t"
			                    : *s == '\r' ? "\\r"
			                                 : NULL;
			if (named)
				ferry_json_raw(j, named, 2);
			else {
				snprintf(esc, sizeof(esc), "\\u%04x", *s);
				ferry_json_raw(j, esc, 6);
			}
			s++;
		} else {
			size_t n = utf8_len(s);
			if (n == 0) {
				snprintf(esc, sizeof(esc), "\\udc%02x", *s);
				ferry_json_raw(j, esc, 6);
				s++;
			} else {
				ferry_json_raw(j, (const char *)s, n);
				s += n;
			}
		}
	}
	ferry_json_raw(j, "\"", 1);
}

void ferry_json_key(struct ferry_json *j, const char *k)
{
	if (j->need_comma)
		ferry_json_raw(j, ",", 1);
	ferry_json_string(j, k);
	ferry_json_raw(j, ":", 1);
	j->need_comma = true;
}

void ferry_json_begin(struct ferry_json *j)
{
	ferry_json_raw(j, "{", 1);
	j->need_comma = false;
}

void ferry_json_end(struct ferry_json *j)
{
	ferry_json_raw(j, "}", 1);
	j->need_comma = true;
}

void ferry_json_key_string(struct ferry_json *j, const char *k, const char *value)
{
	ferry_json_key(j, k);
	ferry_json_string(j, value);
}

void ferry_json_key_int(struct ferry_json *j, const char *k, int64_t value)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64, value);
	ferry_json_key(j, k);
	ferry_json_raw(j, num, (size_t)n);
}

void ferry_json_key_null(struct ferry_json *j, const char *k)
{
	ferry_json_key(j, k);
	ferry_json_raw(j, "null", 4);
}
