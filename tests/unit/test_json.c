/* The JSON writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/json.h"

static void check_string(const char *in, const char *want, const char *file, int line)
{
	struct ferry_json j;
	ferry_json_init(&j);
	ferry_json_string(&j, in);
	if (j.failed || !j.buf || strcmp(j.buf, want) != 0 || j.len != strlen(want)) {
		print_error("ferry_json_string gave\n    %s\nexpected\n    %s\n",
		            j.buf ? j.buf : "(null)", want);
		ferry_json_free(&j);
		_fail(file, line);
	}
	ferry_json_free(&j);
}

#define STR(in, want) check_string(in, want, __FILE__, __LINE__)

static void test_plain(void **state)
{
	(void)state;
	STR("", "\"\"");
	STR("abc", "\"abc\"");
	STR("/home/u/proj/a b.c", "\"/home/u/proj/a b.c\"");
	STR("'single' `tick` $x {} [] : ,", "\"'single' `tick` $x {} [] : ,\"");
	STR("/", "\"/\""); /* '/' may stay as it is */
	STR("\x7f", "\"\x7f\"");
}

static void test_escapes(void **state)
{
	(void)state;
	STR("\"", "\"\\\"\"");
	STR("\\", "\"\\\\\"");
	STR("a\"b\\c", "\"a\\\"b\\\\c\"");
	STR("\\\"", "\"\\\\\\\"\"");
	STR("\n", "\"\\n\"");
	STR("\t", "\"\\t\"");
	STR("\r", "\"\\r\"");
	STR("\b", "\"\\u0008\"");
	STR("\f", "\"\\u000c\"");
	STR("\x01", "\"\\u0001\"");
	STR("\x1b[31m", "\"\\u001b[31m\"");
	STR("\x1f", "\"\\u001f\"");
	STR(" ", "\" \"");
	STR("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	/* every control character */
	for (int c = 1; c < 0x20; c++) {
		char in[2] = {(char)c, '\0'};
		char want[16];
		if (c == '\n')
			snprintf(want, sizeof(want), "\"\\n\"");
		else if (c == '\t')
			snprintf(want, sizeof(want), "\"\\t\"");
		else if (c == '\r')
			snprintf(want, sizeof(want), "\"\\r\"");
		else
			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		check_string(in, want, __FILE__, __LINE__);
	}
}

static void test_utf8_valid(void **state)
{
	(void)state;
	STR("\xc3\xa9", "\"\xc3\xa9\"");                 /* U+00E9 */
	STR("\xc2\x80", "\"\xc2\x80\"");                 /* U+0080, smallest 2-byte */
	STR("\xdf\xbf", "\"\xdf\xbf\"");                 /* U+07FF */
	STR("\xe0\xa0\x80", "\"\xe0\xa0\x80\"");         /* U+0800, smallest 3-byte */
	STR("\xe2\x82\xac", "\"\xe2\x82\xac\"");         /* U+20AC euro */
	STR("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");         /* U+D7FF, below the surrogates */
	STR("\xee\x80\x80", "\"\xee\x80\x80\"");         /* U+E000, above them */
	STR("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");         /* U+FFFF */
	STR("\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\""); /* U+10000, smallest 4-byte */
	STR("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""); /* U+1F600 */
	STR("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF, the last */
	STR("/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac", "\"/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac\"");
	STR("\xc3\xa9\"\xc3\xa9", "\"\xc3\xa9\\\"\xc3\xa9\"");
}

static void test_utf8_invalid(void **state)
{
	(void)state;
	/* lone continuation bytes and bytes that never start a sequence */
	STR("\x80", "\"\\udc80\"");
	STR("\xbf", "\"\\udcbf\"");
	STR("\xfe", "\"\\udcfe\"");
	STR("\xff", "\"\\udcff\"");
	STR("a\xffz", "\"a\\udcffz\"");
	STR("\xf5\x80\x80\x80", "\"\\udcf5\\udc80\\udc80\\udc80\"");
	/* truncated sequences */
	STR("\xc3", "\"\\udcc3\"");
	STR("\xc3x", "\"\\udcc3x\"");
	STR("\xe2\x82", "\"\\udce2\\udc82\"");
	STR("\xe2\x82x", "\"\\udce2\\udc82x\"");
	STR("\xf0\x9f\x98", "\"\\udcf0\\udc9f\\udc98\"");
	/* a sequence cut by another start byte: the second one stands */
	STR("\xe2\xc3\xa9", "\"\\udce2\xc3\xa9\"");
	/* overlong encodings */
	STR("\xc0\xaf", "\"\\udcc0\\udcaf\""); /* '/' in 2 bytes */
	STR("\xc1\xbf", "\"\\udcc1\\udcbf\"");
	STR("\xc0\x80", "\"\\udcc0\\udc80\"");            /* NUL in 2 bytes */
	STR("\xe0\x80\xaf", "\"\\udce0\\udc80\\udcaf\""); /* '/' in 3 bytes */
	STR("\xe0\x9f\xbf", "\"\\udce0\\udc9f\\udcbf\""); /* U+07FF in 3 bytes */
	STR("\xf0\x80\x80\xaf", "\"\\udcf0\\udc80\\udc80\\udcaf\"");
	STR("\xf0\x8f\xbf\xbf", "\"\\udcf0\\udc8f\\udcbf\\udcbf\""); /* U+FFFF in 4 bytes */
	/* UTF-16 surrogates */
	STR("\xed\xa0\x80", "\"\\udced\\udca0\\udc80\""); /* U+D800 */
	STR("\xed\xbf\xbf", "\"\\udced\\udcbf\\udcbf\""); /* U+DFFF */
	STR("\xed\xb2\x80", "\"\\udced\\udcb2\\udc80\""); /* U+DC80 */
	/* above U+10FFFF */
	STR("\xf4\x90\x80\x80", "\"\\udcf4\\udc90\\udc80\\udc80\"");
	STR("\xf7\xbf\xbf\xbf", "\"\\udcf7\\udcbf\\udcbf\\udcbf\"");
	/* Latin-1 file names */
	STR("/caf\xe9.txt", "\"/caf\\udce9.txt\"");
	STR("\xe9\xe9", "\"\\udce9\\udce9\"");
}

static void test_object(void **state)
{
	(void)state;
	struct ferry_json j;
	ferry_json_init(&j);
	assert_null(j.buf);
	assert_int_equal(j.len, 0);
	ferry_json_begin(&j);
	ferry_json_end(&j);
	assert_string_equal(j.buf, "{}");
	ferry_json_reset(&j);
	assert_int_equal(j.len, 0);
	assert_string_equal(j.buf, "");

	ferry_json_begin(&j);
	ferry_json_key_string(&j, "path", "/a\"b");
	ferry_json_key_int(&j, "pid", 4242);
	ferry_json_key_int(&j, "neg", -17);
	ferry_json_key_int(&j, "zero", 0);
	ferry_json_key_int(&j, "max", INT64_MAX);
	ferry_json_key_int(&j, "min", INT64_MIN);
	ferry_json_key_null(&j, "resolved");
	ferry_json_key_string(&j, "k\"\n\xff", "");
	ferry_json_end(&j);
	assert_string_equal(j.buf, "{\"path\":\"/a\\\"b\",\"pid\":4242,\"neg\":-17,\"zero\":0,"
	                           "\"max\":9223372036854775807,\"min\":-9223372036854775808,"
	                           "\"resolved\":null,\"k\\\"\\n\\udcff\":\"\"}");
	assert_int_equal(j.len, strlen(j.buf));
	assert_false(j.failed);

	/* after a reset, no stray comma */
	ferry_json_reset(&j);
	ferry_json_begin(&j);
	ferry_json_key_null(&j, "a");
	ferry_json_end(&j);
	ferry_json_raw(&j, "\n", 1);
	assert_string_equal(j.buf, "{\"a\":null}\n");
	/* a second record after the first, without a reset */
	ferry_json_begin(&j);
	ferry_json_key_int(&j, "b", 1);
	ferry_json_key_int(&j, "c", 2);
	ferry_json_end(&j);
	assert_string_equal(j.buf, "{\"a\":null}\n{\"b\":1,\"c\":2}");
	ferry_json_free(&j);
	assert_null(j.buf);
	assert_int_equal(j.len, 0);
	assert_int_equal(j.cap, 0);
}

static void test_raw_growth(void **state)
{
	(void)state;
	struct ferry_json j;
	ferry_json_init(&j);
	ferry_json_raw(&j, "", 0);
	assert_non_null(j.buf);
	assert_string_equal(j.buf, "");
	/* grow well past the first allocation */
	char chunk[1000];
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 100; i++)
		ferry_json_raw(&j, chunk, sizeof(chunk));
	assert_int_equal(j.len, 100000);
	assert_true(j.cap > j.len);
	assert_int_equal(strlen(j.buf), 100000);
	ferry_json_free(&j);

	/* a long string with escapes */
	char *big = malloc(70001);
	assert_non_null(big);
	for (int i = 0; i < 70000; i++)
		big[i] = i % 2 ? '"' : '\xff';
	big[70000] = '\0';
	ferry_json_init(&j);
	ferry_json_string(&j, big);
	assert_int_equal(j.len, 2 + 35000 * 2 + 35000 * 6);
	assert_memory_equal(j.buf, "\"\\udcff\\\"\\udcff\\\"", 17);
	ferry_json_free(&j);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),      cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_utf8_valid), cmocka_unit_test(test_utf8_invalid),
	    cmocka_unit_test(test_object),     cmocka_unit_test(test_raw_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
