/* ferry_glob_match and ferry_glob_match_below. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "ferry/policy.h"

static void check_glob(const char *pattern, const char *path, bool want, const char *file, int line)
{
	bool got = ferry_glob_match(pattern, path);
	if (got != want) {
		print_error("ferry_glob_match(\"%s\", \"%s\") = %s, expected %s\n", pattern, path,
		            got ? "true" : "false", want ? "true" : "false");
		_fail(file, line);
	}
}

static void check_below(const char *pattern, const char *dir, bool want, const char *file, int line)
{
	bool got = ferry_glob_match_below(pattern, dir);
	if (got != want) {
		print_error("ferry_glob_match_below(\"%s\", \"%s\") = %s, expected %s\n", pattern,
		            dir, got ? "true" : "false", want ? "true" : "false");
		_fail(file, line);
	}
}

#define MATCH(p, s) check_glob(p, s, true, __FILE__, __LINE__)
#define NO_MATCH(p, s) check_glob(p, s, false, __FILE__, __LINE__)
#define BELOW(p, d) check_below(p, d, true, __FILE__, __LINE__)
#define NOT_BELOW(p, d) check_below(p, d, false, __FILE__, __LINE__)

static void test_literal(void **state)
{
	(void)state;
	MATCH("/etc/passwd", "/etc/passwd");
	NO_MATCH("/etc/passwd", "/etc/passwd2");
	NO_MATCH("/etc/passwd", "/etc/passw");
	NO_MATCH("/etc/passwd", "/etc");
	NO_MATCH("/etc", "/etc/passwd");
	NO_MATCH("/etc/passwd", "/ETC/passwd");
	MATCH("/", "/");
	NO_MATCH("/", "/a");
	MATCH("", "");
	NO_MATCH("", "/");
	NO_MATCH("/a", "");
}

static void test_star(void **state)
{
	(void)state;
	MATCH("/home/*/.ssh", "/home/u/.ssh");
	MATCH("/home/*/.ssh", "/home/a-long-name/.ssh");
	NO_MATCH("/home/*/.ssh", "/home/a/b/.ssh"); /* '*' never crosses '/' */
	MATCH("/a/*", "/a/b");
	MATCH("/a/*", "/a/");   /* '*' may match nothing */
	NO_MATCH("/a/*", "/a"); /* but the '/' must be there */
	NO_MATCH("/a/*", "/a/b/c");
	MATCH("/a/*.pem", "/a/key.pem");
	MATCH("/a/*.pem", "/a/.pem");
	MATCH("/a/*.pem", "/a/.hidden.pem"); /* dotfiles are not special */
	NO_MATCH("/a/*.pem", "/a/key.pem.bak");
	NO_MATCH("/a/*.pem", "/a/x/key.pem");
	MATCH("/a/k*y", "/a/key");
	MATCH("/a/k*y", "/a/ky");
	MATCH("/a/k*y", "/a/kyyyy");
	NO_MATCH("/a/k*y", "/a/k/y");
	MATCH("/a/*x*", "/a/x");
	MATCH("/a/*x*", "/a/abxcd");
	NO_MATCH("/a/*x*", "/a/abcd");
	MATCH("/*/*", "/a/b");
	NO_MATCH("/*/*", "/a/b/c");
	NO_MATCH("/*", "/a/b");
	MATCH("/*", "/a");
	MATCH("/a*b*c", "/abc");
	MATCH("/a*b*c", "/aXbYc");
	NO_MATCH("/a*b*c", "/aXb/c");
	/* consecutive stars that are not a whole component stay in it */
	MATCH("/a/b**", "/a/bxyz");
	NO_MATCH("/a/b**", "/a/bx/yz");
	MATCH("/a/***", "/a/x");
	NO_MATCH("/a/***", "/a/x/y");
}

static void test_question(void **state)
{
	(void)state;
	MATCH("/a/?", "/a/b");
	NO_MATCH("/a/?", "/a/");
	NO_MATCH("/a/?", "/a/bc");
	NO_MATCH("/a?b", "/a/b"); /* '?' never matches '/' */
	MATCH("/a?b", "/axb");
	MATCH("/???", "/abc");
	NO_MATCH("/???", "/ab");
	MATCH("/a/?*", "/a/x");
	NO_MATCH("/a/?*", "/a/");
	MATCH("/a/\xc3\xa9?", "/a/\xc3\xa9z");
}

static void test_class(void **state)
{
	(void)state;
	MATCH("/a/[abc]", "/a/a");
	MATCH("/a/[abc]", "/a/c");
	NO_MATCH("/a/[abc]", "/a/d");
	NO_MATCH("/a/[abc]", "/a/");
	NO_MATCH("/a/[abc]", "/a/ab");
	MATCH("/a/[a-c]x", "/a/bx");
	NO_MATCH("/a/[a-c]x", "/a/dx");
	MATCH("/a/[0-9][0-9]", "/a/42");
	NO_MATCH("/a/[0-9][0-9]", "/a/4x");
	MATCH("/a/[a-cx-z]", "/a/y");
	NO_MATCH("/a/[a-cx-z]", "/a/m");
	/* negation, both spellings */
	MATCH("/a/[!abc]", "/a/d");
	NO_MATCH("/a/[!abc]", "/a/a");
	MATCH("/a/[^abc]", "/a/d");
	NO_MATCH("/a/[^abc]", "/a/b");
	MATCH("/a/[!a-c]", "/a/z");
	NO_MATCH("/a/[!a-c]", "/a/b");
	/* a negated class never matches '/' nor the end */
	NO_MATCH("/a[!x]b", "/a/b");
	NO_MATCH("/a/[!x]", "/a/");
	NO_MATCH("/a[/]b", "/a/b");
	/* ']' first is literal */
	MATCH("/a/[]]", "/a/]");
	NO_MATCH("/a/[]]", "/a/a");
	MATCH("/a/[]a]", "/a/a");
	MATCH("/a/[!]]", "/a/a");
	NO_MATCH("/a/[!]]", "/a/]");
	/* '-' first or last is literal */
	MATCH("/a/[-a]", "/a/-");
	MATCH("/a/[a-]", "/a/-");
	MATCH("/a/[a-]", "/a/a");
	NO_MATCH("/a/[a-]", "/a/b");
	/* escapes inside a class */
	MATCH("/a/[\\]]", "/a/]");
	MATCH("/a/[a\\-z]", "/a/-");
	MATCH("/a/[a\\-z]", "/a/z");
	NO_MATCH("/a/[a\\-z]", "/a/m");
	MATCH("/a/[\\!a]", "/a/!");
	/* bytes above 0x7f compare unsigned */
	MATCH("/a/[\x80-\xff]", "/a/\xc3");
	NO_MATCH("/a/[\x80-\xff]", "/a/c");
	MATCH("/a/[!\x80-\xff]", "/a/c");
}

static void test_unterminated_class(void **state)
{
	(void)state;
	/* no closing ']': the '[' is literal */
	MATCH("/a/[abc", "/a/[abc");
	NO_MATCH("/a/[abc", "/a/a");
	NO_MATCH("/a/[abc", "/a/abc");
	MATCH("/a/[", "/a/[");
	MATCH("/a/[!", "/a/[!");
	MATCH("/a/[]", "/a/[]");
	MATCH("/a/[*", "/a/[xyz");
	NO_MATCH("/a/[*", "/a/xyz");
	/* an escaped ']' does not close it */
	MATCH("/a/[x\\]", "/a/[x]");
	NO_MATCH("/a/[x\\]", "/a/x");
}

static void test_escape(void **state)
{
	(void)state;
	MATCH("/a/\\*", "/a/*");
	NO_MATCH("/a/\\*", "/a/b");
	MATCH("/a/\\?", "/a/?");
	NO_MATCH("/a/\\?", "/a/b");
	MATCH("/a/\\[x]", "/a/[x]");
	NO_MATCH("/a/\\[x]", "/a/x");
	MATCH("/a/\\\\", "/a/\\");
	MATCH("/a/\\b", "/a/b");
	/* an escaped "**" is two literal stars */
	MATCH("/a/\\*\\*", "/a/**");
	NO_MATCH("/a/\\*\\*", "/a/b");
	NO_MATCH("/a/\\*\\*/c", "/a/b/c");
	/* a trailing backslash is literal */
	MATCH("/a/b\\", "/a/b\\");
	NO_MATCH("/a/b\\", "/a/b");
}

static void test_double_star(void **state)
{
	(void)state;
	/* at the start */
	MATCH("**/*.pem", "/k.pem");
	MATCH("**/*.pem", "/a/k.pem");
	MATCH("**/*.pem", "/a/b/c/k.pem");
	NO_MATCH("**/*.pem", "/a/k.pem/x");
	NO_MATCH("**/*.pem", "/a/k.pemx");
	MATCH("**/.ssh", "/home/u/.ssh");
	NO_MATCH("**/.ssh", "/home/u/x.ssh");
	MATCH("**/a/b", "/x/a/b");
	MATCH("**/a/b", "/a/b");
	NO_MATCH("**/a/b", "/xa/b");
	MATCH("**", "/");
	MATCH("**", "/a/b/c");
	/* in the middle */
	MATCH("/a/**/b", "/a/b");
	MATCH("/a/**/b", "/a/x/b");
	MATCH("/a/**/b", "/a/x/y/z/b");
	NO_MATCH("/a/**/b", "/a/xb");
	NO_MATCH("/a/**/b", "/ab");
	NO_MATCH("/a/**/b", "/a/b/c");
	MATCH("/a/**/**/b", "/a/b");
	MATCH("/a/**/**/b", "/a/x/y/b");
	MATCH("/**/b", "/b");
	MATCH("/**/b", "/x/y/b");
	MATCH("/a/**/*.key", "/a/k.key");
	MATCH("/a/**/*.key", "/a/x/k.key");
	NO_MATCH("/a/**/*.key", "/b/x/k.key");
	/* at the end: everything strictly below */
	MATCH("/a/**", "/a/b");
	MATCH("/a/**", "/a/b/c/d");
	NO_MATCH("/a/**", "/a");
	NO_MATCH("/a/**", "/ab");
	NO_MATCH("/a/**", "/b/c");
	NO_MATCH("/**", "/");
	MATCH("/**", "/a");
	/* "**" that is not a whole component is an ordinary star */
	MATCH("/a**/b", "/axyz/b");
	NO_MATCH("/a**/b", "/ax/y/b");
	NO_MATCH("/a/**b", "/a/x/yb");
	MATCH("/a/**b", "/a/xyb");
	NO_MATCH("/a/b**/c", "/a/bx/y/c");
}

static void test_step_budget(void **state)
{
	(void)state;
	/* Pathological patterns stop after a bounded amount of work and fail
	 * closed (taken to match), since only deny rules are globs. */
	char path[200];
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	MATCH("/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path);
	/* a harmless pattern on the same path is still decided exactly */
	NO_MATCH("/*b", path);
	MATCH("/*a", path);

	/* Unclosed '[' are scanned to the end each time: that work counts too,
	 * and running out of budget there also answers "match". */
	static char unclosed[4002], brackets[4002];
	unclosed[0] = '*';
	memset(unclosed + 1, '[', 4000);
	memset(brackets, '[', 4000);
	brackets[4000] = 'x';
	MATCH(unclosed, brackets);
	/* One class longer than the whole budget, which would not match 'x':
	 * scanning it uses the budget up, so the answer is "match". */
	static char long_class[300003];
	memset(long_class, '[', 300001);
	long_class[300001] = ']';
	MATCH(long_class, "x");
}

static void test_below(void **state)
{
	(void)state;
	BELOW("/a/b", "/a");
	BELOW("/a/b", "/a/");
	BELOW("/a/b/c", "/a");
	NOT_BELOW("/a", "/a"); /* strictly below */
	NOT_BELOW("/a", "/a/b");
	NOT_BELOW("/ab", "/a");
	NOT_BELOW("/b/c", "/a");
	BELOW("/x", "/");
	BELOW("/a/*.pem", "/a");
	NOT_BELOW("/a/*.pem", "/b");
	BELOW("/a/*/k", "/a/b");
	NOT_BELOW("/a/*/k", "/a/b/c/d");
	BELOW("/a*/x", "/ab");
	NOT_BELOW("/a*", "/ab");
	BELOW("/a/**", "/a");
	BELOW("/a/**", "/a/b");
	NOT_BELOW("/a/**", "/b");
	BELOW("**/*.pem", "/anything");
	BELOW("**/secret/*.key", "/x/y");
	BELOW("/home/*/.ssh", "/home");
	BELOW("/home/*/.ssh", "/home/u");
	NOT_BELOW("/home/*/.ssh", "/home/u/.ssh");
	NOT_BELOW("/home/*/.ssh", "/etc");
	BELOW("/a/[bc]/d", "/a/c");
	NOT_BELOW("/a/[bc]/d", "/a/e");
	BELOW("/a/?/d", "/a/x");
	NOT_BELOW("/a/?/d", "/a/xy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literal),
	    cmocka_unit_test(test_star),
	    cmocka_unit_test(test_question),
	    cmocka_unit_test(test_class),
	    cmocka_unit_test(test_unterminated_class),
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_double_star),
	    cmocka_unit_test(test_step_budget),
	    cmocka_unit_test(test_below),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
