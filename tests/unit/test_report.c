/* Access log records: ferry_log_format, ferry_open_flags_text,
 * ferry_errno_name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/report.h"

static void check_flags(uint64_t flags, const char *want, const char *file, int line)
{
	char buf[256];
	memset(buf, 'x', sizeof(buf));
	ferry_open_flags_text(flags, buf, sizeof(buf));
	if (strcmp(buf, want) != 0) {
		print_error("ferry_open_flags_text(%#llo) = \"%s\", expected \"%s\"\n",
		            (unsigned long long)flags, buf, want);
		_fail(file, line);
	}
}

#define FLAGS(f, want) check_flags(f, want, __FILE__, __LINE__)

/* ferry_errno_text into a buffer of the test's own, for assertions. */
static const char *errno_name(int err)
{
	static char buf[32];
	ferry_errno_text(err, buf, sizeof(buf));
	return buf;
}

static void test_open_flags(void **state)
{
	(void)state;
	FLAGS(O_RDONLY, "O_RDONLY");
	FLAGS(O_WRONLY, "O_WRONLY");
	FLAGS(O_RDWR, "O_RDWR");
	FLAGS(O_RDONLY | O_CLOEXEC, "O_RDONLY|O_CLOEXEC");
	FLAGS(O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC");
	FLAGS(O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, "O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC");
	FLAGS(O_WRONLY | O_APPEND | O_CREAT, "O_WRONLY|O_CREAT|O_APPEND");
	FLAGS(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
	      "O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC");
	FLAGS(O_RDONLY | O_NOCTTY | O_NONBLOCK, "O_RDONLY|O_NOCTTY|O_NONBLOCK");
	FLAGS(O_PATH | O_CLOEXEC, "O_RDONLY|O_CLOEXEC|O_PATH");
	FLAGS(O_PATH | O_DIRECTORY, "O_RDONLY|O_DIRECTORY|O_PATH");
	FLAGS(O_WRONLY | O_DSYNC, "O_WRONLY|O_DSYNC");
	FLAGS(O_RDONLY | O_DIRECT | O_NOATIME, "O_RDONLY|O_DIRECT|O_NOATIME");
	/* O_TMPFILE holds O_DIRECTORY's bit: named once, not as O_DIRECTORY */
	FLAGS(O_TMPFILE | O_WRONLY, "O_WRONLY|O_TMPFILE");
	FLAGS(O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, "O_RDWR|O_TMPFILE|O_EXCL|O_CLOEXEC");
	/* bits it has no name for come last, in hex */
	FLAGS(1ULL << 40, "O_RDONLY|0x10000000000");
	FLAGS(O_WRONLY | O_CLOEXEC | (1ULL << 33), "O_WRONLY|O_CLOEXEC|0x200000000");
	FLAGS(O_RDWR | (1ULL << 63), "O_RDWR|0x8000000000000000");
	/* O_SYNC is O_DSYNC plus a bit of its own; either spelling says it all */
	char buf[128];
	ferry_open_flags_text(O_WRONLY | O_SYNC, buf, sizeof(buf));
	if (strcmp(buf, "O_WRONLY|O_SYNC") != 0 && strcmp(buf, "O_WRONLY|O_DSYNC|O_SYNC") != 0)
		fail_msg("O_WRONLY|O_SYNC came out as %s", buf);
}

static void test_open_flags_truncated(void **state)
{
	(void)state;
	char buf[32];
	memset(buf, 'x', sizeof(buf));
	ferry_open_flags_text(O_RDONLY | O_CLOEXEC, buf, 10);
	assert_string_equal(buf, "O_RDONLY|");
	assert_int_equal(buf[10], 'x');
	memset(buf, 'x', sizeof(buf));
	ferry_open_flags_text(O_RDWR | O_CREAT | O_TRUNC | (1ULL << 40), buf, 12);
	assert_string_equal(buf, "O_RDWR|O_CR");
	assert_int_equal(buf[12], 'x');
	memset(buf, 'x', sizeof(buf));
	ferry_open_flags_text(O_WRONLY | O_TMPFILE, buf, 1);
	assert_string_equal(buf, "");
	assert_int_equal(buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	ferry_open_flags_text(O_WRONLY | O_DIRECTORY, buf, 0);
	assert_int_equal(buf[0], 'x');
}

static void test_open_flags_accmode3(void **state)
{
	(void)state;
	/* Access mode 3 is neither O_RDONLY nor the others (Linux checks read
	 * and write permission for it); the log must not call it O_RDONLY. */
	char buf[128];
	ferry_open_flags_text(3, buf, sizeof(buf));
	if (strncmp(buf, "O_RDONLY", 8) == 0)
		fail_msg("access mode 3 was logged as \"%s\"", buf);
	ferry_open_flags_text(3 | O_CLOEXEC, buf, sizeof(buf));
	if (strncmp(buf, "O_RDONLY", 8) == 0)
		fail_msg("access mode 3 | O_CLOEXEC was logged as \"%s\"", buf);
}

static void test_open_flags_largefile(void **state)
{
	(void)state;
	/* The kernel's O_LARGEFILE (0100000 on x86-64) is what a guest passes
	 * (musl sets it on every open); glibc's O_LARGEFILE there is 0. */
#if defined(__x86_64__)
	FLAGS(0100000, "O_RDONLY|O_LARGEFILE");
	FLAGS(O_WRONLY | 0100000 | O_CLOEXEC, "O_WRONLY|O_LARGEFILE|O_CLOEXEC");
#else
	skip();
#endif
}

static void test_errno_name(void **state)
{
	(void)state;
	assert_string_equal(errno_name(ENOENT), "ENOENT");
	assert_string_equal(errno_name(EACCES), "EACCES");
	assert_string_equal(errno_name(EPERM), "EPERM");
	assert_string_equal(errno_name(ELOOP), "ELOOP");
	assert_string_equal(errno_name(EXDEV), "EXDEV");
	assert_string_equal(errno_name(ENOTDIR), "ENOTDIR");
	assert_string_equal(errno_name(EISDIR), "EISDIR");
	assert_string_equal(errno_name(EEXIST), "EEXIST");
	assert_string_equal(errno_name(ENAMETOOLONG), "ENAMETOOLONG");
	assert_string_equal(errno_name(EROFS), "EROFS");
	assert_string_equal(errno_name(ENOSYS), "ENOSYS");
	assert_string_equal(errno_name(EINTR), "EINTR");
	assert_string_equal(errno_name(EHWPOISON), "EHWPOISON");
}

static void test_errno_name_unknown(void **state)
{
	(void)state;
	/* report.h: "E123" for numbers it does not know */
	assert_string_equal(errno_name(134), "E134");
	assert_string_equal(errno_name(4000), "E4000");
	assert_string_equal(errno_name(1234), "E1234");
}

static struct ferry_log_record open_record(void)
{
	struct ferry_log_record r;
	memset(&r, 0, sizeof(r));
	r.time_us = 1709210096789012; /* 2024-02-29T12:34:56.789012Z */
	r.pid = 4242;
	r.comm = "make";
	r.syscall = "openat";
	r.path = "src/main.c";
	r.resolved = "/home/u/proj/src/main.c";
	r.flags = O_RDONLY | O_CLOEXEC;
	r.is_open = true;
	r.allow = true;
	r.rule = "rw /home/u/proj";
	r.result = 3;
	r.latency_us = 17;
	return r;
}

static void check_log(const struct ferry_log_record *rec, const char *want, const char *file,
                      int line)
{
	struct ferry_json j;
	ferry_json_init(&j);
	/* something left over from an earlier record */
	ferry_json_begin(&j);
	ferry_json_key_int(&j, "stale", 1);
	ferry_log_format(&j, rec);
	if (j.failed || strcmp(j.buf, want) != 0 || j.len != strlen(want)) {
		print_error("ferry_log_format gave\n    %s\nexpected\n    %s\n", j.buf, want);
		ferry_json_free(&j);
		_fail(file, line);
	}
	/* one line, newline-terminated */
	if (strchr(j.buf, '\n') != j.buf + j.len - 1) {
		ferry_json_free(&j);
		_fail(file, line);
	}
	ferry_json_free(&j);
}

#define LOG(rec, want) check_log(rec, want, __FILE__, __LINE__)

static void test_log_open(void **state)
{
	(void)state;
	struct ferry_log_record r = open_record();
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	        "\"syscall\":\"openat\",\"path\":\"src/main.c\","
	        "\"resolved\":\"/home/u/proj/src/main.c\",\"flags\":\"O_RDONLY|O_CLOEXEC\","
	        "\"decision\":\"allow\",\"rule\":\"rw /home/u/proj\",\"result\":3,"
	        "\"latency_us\":17}\n");

	/* a denied creating open: mode shown, errno by name, no resolved path */
	r = open_record();
	r.syscall = "open";
	r.path = "/home/u/proj/key.pem";
	r.resolved = NULL;
	r.flags = O_WRONLY | O_CREAT | O_TRUNC;
	r.mode = 0644;
	r.allow = false;
	r.rule = "deny **/*.pem";
	r.result = -EACCES;
	r.comm = NULL;
	r.latency_us = 0;
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"\","
	        "\"syscall\":\"open\",\"path\":\"/home/u/proj/key.pem\",\"resolved\":null,"
	        "\"flags\":\"O_WRONLY|O_CREAT|O_TRUNC\",\"mode\":\"0644\",\"decision\":\"deny\","
	        "\"rule\":\"deny **/*.pem\",\"result\":\"EACCES\",\"latency_us\":0}\n");

	/* O_TMPFILE creates too; special bits in the mode; no rule */
	r = open_record();
	r.flags = O_TMPFILE | O_RDWR;
	r.mode = 0104755; /* file type bits are not part of it */
	r.rule = NULL;
	r.result = -ENOENT;
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	        "\"syscall\":\"openat\",\"path\":\"src/main.c\","
	        "\"resolved\":\"/home/u/proj/src/main.c\",\"flags\":\"O_RDWR|O_TMPFILE\","
	        "\"mode\":\"04755\",\"decision\":\"allow\",\"rule\":\"-\",\"result\":\"ENOENT\","
	        "\"latency_us\":17}\n");

	/* mode 0 is still shown for a creating open, and not for others */
	r = open_record();
	r.flags = O_CREAT | O_WRONLY;
	r.mode = 0;
	r.result = 0;
	LOG(&r,
	    "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	    "\"syscall\":\"openat\",\"path\":\"src/main.c\","
	    "\"resolved\":\"/home/u/proj/src/main.c\",\"flags\":\"O_WRONLY|O_CREAT\","
	    "\"mode\":\"0000\",\"decision\":\"allow\",\"rule\":\"rw /home/u/proj\",\"result\":0,"
	    "\"latency_us\":17}\n");
	r.flags = O_RDONLY;
	r.mode = 0777;
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	        "\"syscall\":\"openat\",\"path\":\"src/main.c\","
	        "\"resolved\":\"/home/u/proj/src/main.c\",\"flags\":\"O_RDONLY\","
	        "\"decision\":\"allow\",\"rule\":\"rw /home/u/proj\",\"result\":0,"
	        "\"latency_us\":17}\n");
}

static void test_log_two_paths(void **state)
{
	(void)state;
	struct ferry_log_record r = open_record();
	r.syscall = "renameat2";
	r.path = "a";
	r.resolved = "/home/u/proj/a";
	r.path2 = "../b";
	r.resolved2 = "/home/u/b";
	r.is_open = false;
	r.flags = 1; /* RENAME_NOREPLACE */
	r.mode = 0644;
	r.result = 0;
	r.latency_us = 123456789;
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	        "\"syscall\":\"renameat2\",\"path\":\"a\",\"resolved\":\"/home/u/proj/a\","
	        "\"path2\":\"../b\",\"resolved2\":\"/home/u/b\",\"flags\":1,"
	        "\"decision\":\"allow\",\"rule\":\"rw /home/u/proj\",\"result\":0,"
	        "\"latency_us\":123456789}\n");
	r.syscall = "linkat";
	r.resolved2 = NULL;
	r.flags = 0x400; /* AT_SYMLINK_FOLLOW */
	r.allow = false;
	r.rule = "deny /etc/shadow";
	r.result = -EXDEV;
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"make\","
	        "\"syscall\":\"linkat\",\"path\":\"a\",\"resolved\":\"/home/u/proj/a\","
	        "\"path2\":\"../b\",\"resolved2\":null,\"flags\":1024,"
	        "\"decision\":\"deny\",\"rule\":\"deny /etc/shadow\",\"result\":\"EXDEV\","
	        "\"latency_us\":123456789}\n");
}

static void test_log_escaping(void **state)
{
	(void)state;
	struct ferry_log_record r = open_record();
	r.comm = "a\"b";
	r.path = "we\xffird\n\"name\"\\";
	r.resolved = "/caf\xc3\xa9";
	r.rule = "deny **/\"*";
	LOG(&r, "{\"time\":\"2024-02-29T12:34:56.789012Z\",\"pid\":4242,\"comm\":\"a\\\"b\","
	        "\"syscall\":\"openat\",\"path\":\"we\\udcffird\\n\\\"name\\\"\\\\\","
	        "\"resolved\":\"/caf\xc3\xa9\",\"flags\":\"O_RDONLY|O_CLOEXEC\","
	        "\"decision\":\"allow\",\"rule\":\"deny **/\\\"*\",\"result\":3,"
	        "\"latency_us\":17}\n");
}

static void check_time(int64_t us, const char *want, const char *file, int line)
{
	struct ferry_log_record r = open_record();
	r.time_us = us;
	struct ferry_json j;
	ferry_json_init(&j);
	ferry_log_format(&j, &r);
	char head[64];
	snprintf(head, sizeof(head), "{\"time\":\"%s\",", want);
	if (strncmp(j.buf, head, strlen(head)) != 0) {
		print_error("time %lld came out as %.40s, expected %s\n", (long long)us, j.buf,
		            head);
		ferry_json_free(&j);
		_fail(file, line);
	}
	ferry_json_free(&j);
}

#define TIME(us, want) check_time(us, want, __FILE__, __LINE__)

static void test_log_time(void **state)
{
	(void)state;
	TIME(0, "1970-01-01T00:00:00.000000Z");
	TIME(1, "1970-01-01T00:00:00.000001Z");
	TIME(999999, "1970-01-01T00:00:00.999999Z");
	TIME(86399999999, "1970-01-01T23:59:59.999999Z");
	TIME(86400000000, "1970-01-02T00:00:00.000000Z");
	TIME(68169600000000, "1972-02-29T00:00:00.000000Z");
	TIME(951782400000001, "2000-02-29T00:00:00.000001Z");
	TIME(1234567890123456, "2009-02-13T23:31:30.123456Z");
	TIME(1709210096789012, "2024-02-29T12:34:56.789012Z");
	TIME(4102444799999999, "2099-12-31T23:59:59.999999Z");
	TIME(4102444800000000, "2100-01-01T00:00:00.000000Z");
	TIME(4107456000000000, "2100-02-28T00:00:00.000000Z");
	TIME(4107542400000000, "2100-03-01T00:00:00.000000Z"); /* 2100 is no leap year */
}

static void test_log_reuse(void **state)
{
	(void)state;
	/* one buffer for many records: each call leaves exactly one line */
	struct ferry_json j;
	ferry_json_init(&j);
	struct ferry_log_record r = open_record();
	ferry_log_format(&j, &r);
	size_t first = j.len;
	char *copy = strdup(j.buf);
	assert_non_null(copy);
	for (int i = 0; i < 50; i++)
		ferry_log_format(&j, &r);
	assert_int_equal(j.len, first);
	assert_string_equal(j.buf, copy);
	free(copy);
	ferry_json_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_flags),
	    cmocka_unit_test(test_open_flags_truncated),
	    cmocka_unit_test(test_open_flags_accmode3),
	    cmocka_unit_test(test_open_flags_largefile),
	    cmocka_unit_test(test_errno_name),
	    cmocka_unit_test(test_errno_name_unknown),
	    cmocka_unit_test(test_log_open),
	    cmocka_unit_test(test_log_two_paths),
	    cmocka_unit_test(test_log_escaping),
	    cmocka_unit_test(test_log_time),
	    cmocka_unit_test(test_log_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
