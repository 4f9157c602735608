/* ferry_env_build: the guest's environment after --clearenv, --setenv and
 * --unsetenv. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/env.h"

static void check_env(char *const *base, bool clearenv, const struct ferry_env_op *ops,
                      size_t n_ops, const char *const *want, const char *file, int line)
{
	struct ferry_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.clearenv = clearenv;
	cfg.env_ops = (struct ferry_env_op *)ops;
	cfg.n_env_ops = n_ops;
	char **env = ferry_env_build(base, &cfg);
	if (!env) {
		print_error("ferry_env_build returned NULL\n");
		_fail(file, line);
	}
	size_t i = 0;
	for (; want[i] && env[i]; i++)
		if (strcmp(env[i], want[i]) != 0)
			break;
	if (want[i] || env[i]) {
		print_error("entry %zu is \"%s\", expected \"%s\"; got:\n", i,
		            env[i] ? env[i] : "(end)", want[i] ? want[i] : "(end)");
		for (char **e = env; *e; e++)
			print_error("    %s\n", *e);
		ferry_env_free(env);
		_fail(file, line);
	}
	/* the entries are copies */
	for (size_t k = 0; base && !clearenv && base[k] && env[k]; k++)
		if (env[k] == base[k]) {
			ferry_env_free(env);
			_fail(file, line);
		}
	ferry_env_free(env);
}

#define SET(n, v)                                                                                  \
	{                                                                                          \
		FERRY_ENV_SET, (char *)(n), (char *)(v)                                            \
	}
#define UNSET(n)                                                                                   \
	{                                                                                          \
		FERRY_ENV_UNSET, (char *)(n), NULL                                                 \
	}
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})
#define CHECK(base, clear, ops, want)                                                              \
	check_env(base, clear, ops, sizeof(ops) / sizeof((ops)[0]), want, __FILE__, __LINE__)
#define CHECK0(base, clear, want) check_env(base, clear, NULL, 0, want, __FILE__, __LINE__)

static char *base_env[] = {"PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8",
                           "TERM=xterm",         "EMPTY=",       NULL};

static void test_passthrough(void **state)
{
	(void)state;
	CHECK0(base_env, false,
	       ENV("PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "TERM=xterm", "EMPTY="));
	CHECK0(NULL, false, NONE);
	char *empty[] = {NULL};
	CHECK0(empty, false, NONE);
}

static void test_clearenv(void **state)
{
	(void)state;
	CHECK0(base_env, true, NONE);
	static const struct ferry_env_op ops[] = {SET("A", "1"), SET("PATH", "/bin")};
	CHECK(base_env, true, ops, ENV("A=1", "PATH=/bin"));
	/* unsetting what is not there is fine */
	static const struct ferry_env_op un[] = {UNSET("HOME"), SET("B", "2"), UNSET("NOPE")};
	CHECK(base_env, true, un, ENV("B=2"));
}

static void test_setenv(void **state)
{
	(void)state;
	static const struct ferry_env_op add[] = {SET("NEW", "v")};
	CHECK(base_env, false, add,
	      ENV("PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "TERM=xterm",
	          "EMPTY=", "NEW=v"));
	/* replacing: the old one goes, the new one is there once */
	static const struct ferry_env_op repl[] = {SET("HOME", "/tmp/h")};
	CHECK(base_env, false, repl,
	      ENV("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "TERM=xterm", "EMPTY=", "HOME=/tmp/h"));
	static const struct ferry_env_op odd[] = {SET("E", ""), SET("X", "a=b=c"),
	                                          SET("Y", "sp ace\nnl")};
	CHECK(base_env, true, odd, ENV("E=", "X=a=b=c", "Y=sp ace\nnl"));
	/* names are compared whole */
	static const struct ferry_env_op prefix[] = {SET("PAT", "x"), SET("PATHS", "y"),
	                                             SET("LANGUAGE", "z")};
	CHECK(base_env, false, prefix,
	      ENV("PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "TERM=xterm",
	          "EMPTY=", "PAT=x", "PATHS=y", "LANGUAGE=z"));
	/* setting twice keeps the last */
	static const struct ferry_env_op twice[] = {SET("A", "1"), SET("B", "2"), SET("A", "3")};
	CHECK(base_env, true, twice, ENV("B=2", "A=3"));
}

static void test_unsetenv(void **state)
{
	(void)state;
	static const struct ferry_env_op ops[] = {UNSET("TERM"), UNSET("PATH"), UNSET("NOPE"),
	                                          UNSET("EMPTY")};
	CHECK(base_env, false, ops, ENV("HOME=/home/u", "LANG=C.UTF-8"));
	static const struct ferry_env_op lang[] = {UNSET("LAN"), UNSET("LANG=C.UTF-8")};
	CHECK(base_env, false, lang,
	      ENV("PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "TERM=xterm", "EMPTY="));
	static const struct ferry_env_op all[] = {UNSET("PATH"), UNSET("HOME"), UNSET("LANG"),
	                                          UNSET("TERM"), UNSET("EMPTY")};
	CHECK(base_env, false, all, NONE);
}

static void test_duplicates_in_base(void **state)
{
	(void)state;
	/* an environment may hold a name twice, or an entry with no '=' */
	char *dup[] = {"A=1", "B=2", "A=3", "NOEQ", "C=4", NULL};
	CHECK0(dup, false, ENV("A=1", "B=2", "A=3", "NOEQ", "C=4"));
	static const struct ferry_env_op unset_a[] = {UNSET("A")};
	CHECK(dup, false, unset_a, ENV("B=2", "NOEQ", "C=4"));
	static const struct ferry_env_op set_a[] = {SET("A", "9")};
	CHECK(dup, false, set_a, ENV("B=2", "NOEQ", "C=4", "A=9"));
	static const struct ferry_env_op noeq[] = {UNSET("NOEQ")};
	CHECK(dup, false, noeq, ENV("A=1", "B=2", "A=3", "C=4"));
	static const struct ferry_env_op setnoeq[] = {SET("NOEQ", "x")};
	CHECK(dup, false, setnoeq, ENV("A=1", "B=2", "A=3", "C=4", "NOEQ=x"));
}

static void test_order(void **state)
{
	(void)state;
	/* operations apply in the order given */
	static const struct ferry_env_op set_unset[] = {SET("A", "1"), UNSET("A")};
	CHECK(base_env, true, set_unset, NONE);
	static const struct ferry_env_op unset_set[] = {UNSET("HOME"), SET("HOME", "/h")};
	CHECK(base_env, false, unset_set,
	      ENV("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "TERM=xterm", "EMPTY=", "HOME=/h"));
	static const struct ferry_env_op mixed[] = {SET("A", "1"), SET("B", "2"), UNSET("A"),
	                                            SET("C", "3"), SET("A", "4"), UNSET("B")};
	CHECK(base_env, true, mixed, ENV("C=3", "A=4"));
	/* many operations (more than the base has entries) */
	struct ferry_env_op many[40];
	char names[40][8];
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "V%d", i % 10);
		many[i].kind = i % 3 == 2 ? FERRY_ENV_UNSET : FERRY_ENV_SET;
		many[i].name = names[i];
		many[i].value = many[i].kind == FERRY_ENV_SET ? names[i] : NULL;
	}
	/* the last op on each Vk decides it: i = 30 + k */
	CHECK(base_env, true, many,
	      ENV("V0=V0", "V1=V1", "V3=V3", "V4=V4", "V6=V6", "V7=V7", "V9=V9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_passthrough),
	    cmocka_unit_test(test_clearenv),
	    cmocka_unit_test(test_setenv),
	    cmocka_unit_test(test_unsetenv),
	    cmocka_unit_test(test_duplicates_in_base),
	    cmocka_unit_test(test_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
