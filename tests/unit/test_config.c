/* ferry_config_parse, ferry_config_apply_policy_text, ferry_path_normalize,
 * ferry_path_join. Policy files come from a fake loader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ferry/config.h"
#include "ferry/policy.h"

/* ---- a fake file system for policy files ---- */

struct fake_file {
	const char *path;
	const char *text;
};

#define MAX_REQUESTS 64

struct fake_fs {
	const struct fake_file *files; /* terminated by a NULL path */
	char *requested[MAX_REQUESTS]; /* the paths the parser asked for, as given */
	size_t n_requested;
};

static char *fake_load(void *ctx, const char *path, char *err, size_t errlen)
{
	struct fake_fs *fs = ctx;
	if (fs->n_requested < MAX_REQUESTS)
		fs->requested[fs->n_requested++] = strdup(path);
	/* The kernel would find "/p/./a" where "/p/a" is. */
	char *norm = ferry_path_normalize(path);
	assert_non_null(norm);
	for (const struct fake_file *f = fs->files; f && f->path; f++)
		if (strcmp(f->path, norm) == 0) {
			free(norm);
			return strdup(f->text);
		}
	free(norm);
	snprintf(err, errlen, "No such file or directory");
	return NULL;
}

static void fake_fs_clear(struct fake_fs *fs)
{
	for (size_t i = 0; i < fs->n_requested; i++)
		free(fs->requested[i]);
	fs->n_requested = 0;
}

static const struct ferry_vars std_vars = {"/home/u/proj", "/home/u"};

static int argc_of(char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

#define ARGV(...) ((char *[]){"ferry", __VA_ARGS__, NULL})

static int parse_with(struct ferry_config *cfg, char **argv, const struct ferry_vars *vars,
                      const struct fake_file *files, char *err, size_t errlen)
{
	struct fake_fs fs = {files, {NULL}, 0};
	struct ferry_loader loader = {fake_load, &fs};
	int r = ferry_config_parse(cfg, argc_of(argv), argv, vars, &loader, err, errlen);
	fake_fs_clear(&fs);
	return r;
}

static void parse_ok_at(struct ferry_config *cfg, char **argv, const struct ferry_vars *vars,
                        const struct fake_file *files, const char *file, int line)
{
	char err[1024] = "";
	if (parse_with(cfg, argv, vars, files, err, sizeof(err)) != 0) {
		print_error("parse failed: %s\n", err);
		ferry_config_free(cfg);
		_fail(file, line);
	}
}

static void parse_err_at(char **argv, const struct ferry_vars *vars, const struct fake_file *files,
                         const char *want, const char *file, int line)
{
	struct ferry_config cfg;
	char err[1024] = "";
	int r = parse_with(&cfg, argv, vars, files, err, sizeof(err));
	ferry_config_free(&cfg);
	if (r != -1) {
		print_error("parse succeeded (%d), expected the error: %s\n", r, want);
		_fail(file, line);
	}
	if (strcmp(err, want) != 0) {
		print_error("error\n    \"%s\"\nexpected\n    \"%s\"\n", err, want);
		_fail(file, line);
	}
}

#define PARSE_OK(cfg, argv) parse_ok_at(cfg, argv, &std_vars, NULL, __FILE__, __LINE__)
#define PARSE_OK_FILES(cfg, argv, files)                                                           \
	parse_ok_at(cfg, argv, &std_vars, files, __FILE__, __LINE__)
#define PARSE_ERR(argv, want) parse_err_at(argv, &std_vars, NULL, want, __FILE__, __LINE__)
#define PARSE_ERR_FILES(argv, files, want)                                                         \
	parse_err_at(argv, &std_vars, files, want, __FILE__, __LINE__)

static void check_rule_at(const struct ferry_config *cfg, size_t i, enum ferry_rule_kind kind,
                          const char *path, const char *origin, const char *file, int line)
{
	if (i >= cfg->n_rules) {
		print_error("rule %zu: only %zu rules\n", i, cfg->n_rules);
		_fail(file, line);
	}
	const struct ferry_rule *r = &cfg->rules[i];
	if (r->kind != kind || strcmp(r->path, path) != 0 || strcmp(r->origin, origin) != 0) {
		print_error("rule %zu is {%s, \"%s\", \"%s\"}, expected {%s, \"%s\", \"%s\"}\n", i,
		            ferry_rule_kind_name(r->kind), r->path, r->origin,
		            ferry_rule_kind_name(kind), path, origin);
		_fail(file, line);
	}
	if (r->host_type != FERRY_HOST_UNKNOWN || r->host_path || r->link_target) {
		print_error("rule %zu has host fields filled in\n", i);
		_fail(file, line);
	}
}

#define RULE(cfg, i, kind, path, origin)                                                           \
	check_rule_at(cfg, i, FERRY_RULE_##kind, path, origin, __FILE__, __LINE__)

/* The rules after the default profile's (which are 12 with std_vars). */
#define NDEF 12

static void check_default_profile(const struct ferry_config *cfg, const char *home, const char *pwd)
{
	static const char *const ro[] = {"/usr",   "/bin",    "/sbin", "/lib", "/lib32",
	                                 "/lib64", "/libx32", "/etc",  "/opt"};
	size_t i = 0;
	for (; i < 9; i++) {
		RULE(cfg, i, RO, ro[i], "profile default");
		assert_true(cfg->rules[i].optional);
		assert_true(cfg->rules[i].keep_symlink);
	}
	RULE(cfg, i, TMPFS, "/tmp", "profile default");
	assert_true(cfg->rules[i].optional);
	assert_false(cfg->rules[i].keep_symlink);
	i++;
	if (home) {
		RULE(cfg, i, TMPFS, home, "profile default");
		assert_true(cfg->rules[i].optional);
		assert_false(cfg->rules[i].keep_symlink);
		i++;
	}
	RULE(cfg, i, RW, pwd, "profile default");
	assert_false(cfg->rules[i].optional);
	assert_false(cfg->rules[i].keep_symlink);
}

/* ---- the command line ---- */

static void test_minimal(void **state)
{
	(void)state;
	struct ferry_config cfg;
	char **argv = ARGV("ls", "-l");
	PARSE_OK(&cfg, argv);
	assert_int_equal(cfg.mode, FERRY_MODE_RUN);
	assert_ptr_equal(cfg.argv, &argv[1]);
	assert_string_equal(cfg.argv[0], "ls");
	assert_string_equal(cfg.argv[1], "-l");
	assert_null(cfg.argv[2]);
	assert_string_equal(cfg.profile, "default");
	assert_int_equal(cfg.net, FERRY_NET_NONE);
	assert_int_equal(cfg.timeout, 0);
	assert_int_equal(cfg.verbosity, 0);
	assert_false(cfg.clearenv);
	assert_null(cfg.chdir);
	assert_null(cfg.log_path);
	assert_int_equal(cfg.n_env_ops, 0);
	assert_int_equal(cfg.n_rules, NDEF);
	check_default_profile(&cfg, "/home/u", "/home/u/proj");
	ferry_config_free(&cfg);
	assert_null(cfg.rules);
	assert_int_equal(cfg.n_rules, 0);
}

static void test_default_profile_vars(void **state)
{
	(void)state;
	struct ferry_config cfg;
	/* no HOME: no private home */
	struct ferry_vars nohome = {"/srv/x", NULL};
	parse_ok_at(&cfg, ARGV("true"), &nohome, NULL, __FILE__, __LINE__);
	assert_int_equal(cfg.n_rules, 11);
	check_default_profile(&cfg, NULL, "/srv/x");
	ferry_config_free(&cfg);
	/* HOME of "/" or relative: none either */
	struct ferry_vars roothome = {"/srv/x", "/"};
	parse_ok_at(&cfg, ARGV("true"), &roothome, NULL, __FILE__, __LINE__);
	assert_int_equal(cfg.n_rules, 11);
	check_default_profile(&cfg, NULL, "/srv/x");
	ferry_config_free(&cfg);
	struct ferry_vars relhome = {"/srv/x", "home/u"};
	parse_ok_at(&cfg, ARGV("true"), &relhome, NULL, __FILE__, __LINE__);
	assert_int_equal(cfg.n_rules, 11);
	ferry_config_free(&cfg);
	/* both normalised */
	struct ferry_vars messy = {"/srv//x/./y/../z/", "//home/u/"};
	parse_ok_at(&cfg, ARGV("true"), &messy, NULL, __FILE__, __LINE__);
	assert_int_equal(cfg.n_rules, 12);
	check_default_profile(&cfg, "/home/u", "/srv/x/z");
	ferry_config_free(&cfg);
	/* the current directory is / */
	static const char refuse[] =
	    "profile default: the current directory is /, and making all of it writable would "
	    "expose the host; run ferry from a project directory, or use --profile none with "
	    "--ro/--rw";
	struct ferry_vars root = {"/", "/home/u"};
	parse_err_at(ARGV("true"), &root, NULL, refuse, __FILE__, __LINE__);
	parse_err_at(ARGV("--ro", "/x", "true"), &root, NULL, refuse, __FILE__, __LINE__);
	parse_err_at(ARGV("--profile", "default", "true"), &root, NULL, refuse, __FILE__, __LINE__);
	struct ferry_vars dotdot = {"/a/..", "/home/u"};
	parse_err_at(ARGV("true"), &dotdot, NULL, refuse, __FILE__, __LINE__);
	/* but --profile none is fine there */
	parse_ok_at(&cfg, ARGV("--profile", "none", "--ro", "/usr", "true"), &root, NULL, __FILE__,
	            __LINE__);
	assert_int_equal(cfg.n_rules, 1);
	RULE(&cfg, 0, RO, "/usr", "--ro");
	ferry_config_free(&cfg);
}

static void test_profile_option(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--profile", "none", "true"));
	assert_string_equal(cfg.profile, "none");
	assert_int_equal(cfg.n_rules, 0);
	ferry_config_free(&cfg);
	PARSE_OK(&cfg, ARGV("--profile=none", "--rw", "/data", "true"));
	assert_int_equal(cfg.n_rules, 1);
	RULE(&cfg, 0, RW, "/data", "--rw");
	ferry_config_free(&cfg);
	/* the last one counts */
	PARSE_OK(&cfg, ARGV("--profile", "none", "--profile", "default", "true"));
	assert_string_equal(cfg.profile, "default");
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	PARSE_OK(&cfg, ARGV("--profile", "default", "--profile", "none", "true"));
	assert_string_equal(cfg.profile, "none");
	assert_int_equal(cfg.n_rules, 0);
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--profile", "strict", "true"),
	          "--profile: no profile named 'strict' (there are: default, none)");
	PARSE_ERR(ARGV("--profile=", "true"),
	          "--profile: no profile named '' (there are: default, none)");
	assert_string_equal(ferry_profile_names[0], "default");
	assert_string_equal(ferry_profile_names[1], "none");
	assert_null(ferry_profile_names[2]);
}

static void test_rule_options(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg,
	         ARGV("--ro", "/opt/tool", "--rw", "/data", "--hide", "/home/u/.ssh", "--tmpfs",
	              "/var/tmp", "--deny", "/etc/shadow", "--ro=/srv", "make", "check"));
	assert_int_equal(cfg.n_rules, NDEF + 6);
	check_default_profile(&cfg, "/home/u", "/home/u/proj");
	RULE(&cfg, NDEF + 0, RO, "/opt/tool", "--ro");
	RULE(&cfg, NDEF + 1, RW, "/data", "--rw");
	RULE(&cfg, NDEF + 2, HIDE, "/home/u/.ssh", "--hide");
	RULE(&cfg, NDEF + 3, TMPFS, "/var/tmp", "--tmpfs");
	RULE(&cfg, NDEF + 4, DENY, "/etc/shadow", "--deny");
	RULE(&cfg, NDEF + 5, RO, "/srv", "--ro");
	for (size_t i = NDEF; i < cfg.n_rules; i++) {
		assert_false(cfg.rules[i].optional);
		assert_false(cfg.rules[i].keep_symlink);
	}
	assert_string_equal(cfg.argv[0], "make");
	assert_string_equal(cfg.argv[1], "check");
	ferry_config_free(&cfg);
	/* many rules (the array grows) */
	PARSE_OK(&cfg, ARGV("--profile", "none", "--ro", "/1", "--ro", "/2", "--ro", "/3", "--ro",
	                    "/4", "--ro", "/5", "--ro", "/6", "--ro", "/7", "--ro", "/8", "--ro",
	                    "/9", "true"));
	assert_int_equal(cfg.n_rules, 9);
	RULE(&cfg, 0, RO, "/1", "--ro");
	RULE(&cfg, 8, RO, "/9", "--ro");
	ferry_config_free(&cfg);
}

static void test_relative_paths(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--profile", "none", "--ro", "sub", "--rw", ".", "--hide", "../other",
	                    "--tmpfs", "a/./b//c/", "--ro", "../../../../..", "--ro", "/x/../y/.",
	                    "--ro", "./a/../../b", "true"));
	assert_int_equal(cfg.n_rules, 7);
	RULE(&cfg, 0, RO, "/home/u/proj/sub", "--ro");
	RULE(&cfg, 1, RW, "/home/u/proj", "--rw");
	RULE(&cfg, 2, HIDE, "/home/u/other", "--hide");
	RULE(&cfg, 3, TMPFS, "/home/u/proj/a/b/c", "--tmpfs");
	RULE(&cfg, 4, RO, "/", "--ro");
	RULE(&cfg, 5, RO, "/y", "--ro");
	RULE(&cfg, 6, RO, "/home/u/b", "--ro");
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--ro", "", "true"), "--ro: empty path");
	PARSE_ERR(ARGV("--rw=", "true"), "--rw: empty path");
	PARSE_ERR(ARGV("--hide", "", "true"), "--hide: empty path");
	PARSE_ERR(ARGV("--tmpfs", "", "true"), "--tmpfs: empty path");
	PARSE_ERR(ARGV("--chdir", "", "true"), "--chdir: empty path");
	PARSE_ERR(ARGV("--log", "", "true"), "--log: empty path");
}

static void test_chdir_log(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--chdir", "sub/dir/", "--log", "ferry.jsonl", "true"));
	assert_string_equal(cfg.chdir, "/home/u/proj/sub/dir");
	assert_string_equal(cfg.log_path, "/home/u/proj/ferry.jsonl");
	assert_int_equal(cfg.n_rules, NDEF); /* neither is a rule */
	ferry_config_free(&cfg);
	PARSE_OK(&cfg, ARGV("--chdir", "/a", "--chdir=/b/../c", "--log", "/tmp/1", "--log=~/2.log",
	                    "true"));
	assert_string_equal(cfg.chdir, "/c");
	assert_string_equal(cfg.log_path, "/home/u/2.log");
	ferry_config_free(&cfg);
	PARSE_OK(&cfg,
	         ARGV("--report", "r.json", "--log", "l", "--report=/tmp/../x/r2.json", "true"));
	assert_string_equal(cfg.report_path, "/x/r2.json");
	assert_string_equal(cfg.log_path, "/home/u/proj/l");
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--report", "", "true"), "--report: empty path");
	PARSE_ERR(ARGV("--report"), "--report: missing argument");
}

static void test_hardening_options(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--limit", "nofile=64", "--limit=as=2G", "--limit", "cpu=unlimited",
	                    "--limit", "core=0", "--memory", "512M", "--pids", "32",
	                    "--allow-debug", "--tmpfs", "/scratch:64M", "--tmpfs", "/odd:name",
	                    "--tmpfs", "/p:10%", "true"));
	assert_int_equal(cfg.n_limits, 4);
	assert_int_equal(cfg.limits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(cfg.limits[0].value, 64);
	assert_int_equal(cfg.limits[1].resource, RLIMIT_AS);
	assert_int_equal(cfg.limits[1].value, 2ULL << 30);
	assert_true(cfg.limits[2].value == RLIM_INFINITY);
	assert_int_equal(cfg.limits[3].value, 0);
	assert_int_equal(cfg.memory_max, 512ULL << 20);
	assert_int_equal(cfg.pids_max, 32);
	assert_true(cfg.allow_debug);
	assert_string_equal(cfg.rules[NDEF].path, "/scratch");
	assert_string_equal(cfg.rules[NDEF].size, "64M");
	/* not a size after the colon: all of it is the path */
	assert_string_equal(cfg.rules[NDEF + 1].path, "/odd:name");
	assert_null(cfg.rules[NDEF + 1].size);
	assert_string_equal(cfg.rules[NDEF + 2].size, "10%");
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--limit", "x=1", "true"),
	          "--limit x=1: unknown limit 'x' (as, nproc, nofile, fsize, cpu, core)");
	PARSE_ERR(ARGV("--limit", "nofile=abc", "true"),
	          "--limit nofile=abc: 'abc' is not a number (or unlimited)");
	PARSE_ERR(ARGV("--limit", "cpu=1K", "true"),
	          "--limit cpu=1K: '1K' is not a whole number of seconds (or unlimited)");
	PARSE_ERR(ARGV("--limit", "as=1Q", "true"),
	          "--limit as=1Q: '1Q' is not a number (or unlimited)");
	PARSE_ERR(ARGV("--limit", "nofile", "true"), "--limit nofile: not NAME=VALUE");
	PARSE_ERR(ARGV("--memory", "lots", "true"),
	          "--memory: 'lots' is not a size (like 512M or 2G)");
	PARSE_ERR(ARGV("--memory", "0", "true"), "--memory: '0' is not a size (like 512M or 2G)");
	PARSE_ERR(ARGV("--pids", "-1", "true"), "--pids: '-1' is not a whole number of processes");
	PARSE_ERR(ARGV("--allow-debug=1", "true"), "--allow-debug: takes no argument");
	/* --explain needs no command */
	PARSE_OK(&cfg, ARGV("--explain"));
	assert_int_equal(cfg.mode, FERRY_MODE_EXPLAIN);
	assert_null(cfg.argv);
	ferry_config_free(&cfg);
	unsigned long long v;
	assert_int_equal(ferry_parse_size("3G", &v), 0);
	assert_int_equal(v, 3ULL << 30);
	assert_int_equal(ferry_parse_size("7", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(ferry_parse_size("16777216T", &v), -1); /* overflows */
	assert_int_equal(ferry_parse_size("", &v), -1);
	assert_int_equal(ferry_parse_size("1KB", &v), -1);
}

static void test_net(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--net", "host", "true"));
	assert_int_equal(cfg.net, FERRY_NET_HOST);
	ferry_config_free(&cfg);
	PARSE_OK(&cfg, ARGV("--net=host", "--net", "none", "true"));
	assert_int_equal(cfg.net, FERRY_NET_NONE);
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--net", "all", "true"), "--net: 'all' is neither none nor host");
	PARSE_ERR(ARGV("--net", "HOST", "true"), "--net: 'HOST' is neither none nor host");
	PARSE_ERR(ARGV("--net=", "true"), "--net: '' is neither none nor host");
}

static void check_env_op(const struct ferry_config *cfg, size_t i, enum ferry_env_kind kind,
                         const char *name, const char *value)
{
	assert_true(i < cfg->n_env_ops);
	assert_int_equal(cfg->env_ops[i].kind, kind);
	assert_string_equal(cfg->env_ops[i].name, name);
	if (value)
		assert_string_equal(cfg->env_ops[i].value, value);
	else
		assert_null(cfg->env_ops[i].value);
}

static void test_env_options(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--setenv", "A=1", "--unsetenv", "B", "--setenv", "C=", "--setenv",
	                    "D=x=y", "--setenv=E=2", "--clearenv", "--unsetenv=F", "true"));
	assert_true(cfg.clearenv);
	assert_int_equal(cfg.n_env_ops, 6);
	check_env_op(&cfg, 0, FERRY_ENV_SET, "A", "1");
	check_env_op(&cfg, 1, FERRY_ENV_UNSET, "B", NULL);
	check_env_op(&cfg, 2, FERRY_ENV_SET, "C", "");
	check_env_op(&cfg, 3, FERRY_ENV_SET, "D", "x=y");
	check_env_op(&cfg, 4, FERRY_ENV_SET, "E", "2");
	check_env_op(&cfg, 5, FERRY_ENV_UNSET, "F", NULL);
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--setenv", "A", "true"), "--setenv: 'A' is not NAME=VALUE");
	PARSE_ERR(ARGV("--setenv", "=x", "true"), "--setenv: '=x' is not NAME=VALUE");
	PARSE_ERR(ARGV("--setenv", "", "true"), "--setenv: '' is not NAME=VALUE");
	PARSE_ERR(ARGV("--unsetenv", "A=1", "true"), "--unsetenv: 'A=1' is not a variable name");
	PARSE_ERR(ARGV("--unsetenv=", "true"), "--unsetenv: '' is not a variable name");
	PARSE_ERR(ARGV("--clearenv=yes", "true"), "--clearenv: takes no argument");
}

static void test_timeout(void **state)
{
	(void)state;
	static const struct {
		const char *arg;
		unsigned want;
	} good[] = {{"1", 1}, {"30", 30}, {"007", 7}, {"100000000", 100000000}};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ferry_config cfg;
		PARSE_OK(&cfg, ARGV("--timeout", (char *)good[i].arg, "true"));
		assert_int_equal(cfg.timeout, good[i].want);
		ferry_config_free(&cfg);
	}
	static const char *const bad[] = {
	    "0",
	    "-1",
	    "+5",
	    " 5",
	    "5 ",
	    "5s",
	    "",
	    "1e3",
	    "0x10",
	    "100000001",
	    "99999999999999999999999",
	    "4294967296",
	    "1.5",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];
		snprintf(want, sizeof(want),
		         "--timeout: '%s' is not a whole number of seconds (1 or more)", bad[i]);
		PARSE_ERR(ARGV("--timeout", (char *)bad[i], "true"), want);
	}
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--timeout=5", "--timeout", "9", "true"));
	assert_int_equal(cfg.timeout, 9);
	ferry_config_free(&cfg);
}

static void test_verbosity(void **state)
{
	(void)state;
	static const struct {
		char *a, *b;
		int want;
	} cases[] = {
	    {"-v", NULL, 1},   {"-vv", NULL, 2},       {"-vvv", NULL, 3},
	    {"-v", "-v", 2},   {"--verbose", NULL, 1}, {"--verbose", "-v", 2},
	    {"-q", NULL, -1},  {"--quiet", NULL, -1},  {"-v", "-q", -1},
	    {"-q", "-v", 1},   {"-vq", NULL, -1},      {"-qv", NULL, 1},
	    {"-qq", NULL, -1}, {"-vv", "--quiet", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ferry_config cfg;
		char **argv =
		    cases[i].b ? ARGV(cases[i].a, cases[i].b, "true") : ARGV(cases[i].a, "true");
		PARSE_OK(&cfg, argv);
		if (cfg.verbosity != cases[i].want)
			fail_msg("%s %s: verbosity %d, expected %d", cases[i].a,
			         cases[i].b ? cases[i].b : "", cfg.verbosity, cases[i].want);
		assert_int_equal(cfg.mode, FERRY_MODE_RUN);
		ferry_config_free(&cfg);
	}
	PARSE_ERR(ARGV("--verbose=2", "true"), "--verbose: takes no argument");
	PARSE_ERR(ARGV("--quiet=1", "true"), "--quiet: takes no argument");
}

static void test_help_version(void **state)
{
	(void)state;
	static const struct {
		char *arg;
		enum ferry_mode mode;
	} cases[] = {
	    {"--help", FERRY_MODE_HELP},
	    {"-h", FERRY_MODE_HELP},
	    {"--version", FERRY_MODE_VERSION},
	    {"-V", FERRY_MODE_VERSION},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ferry_config cfg;
		/* no command needed */
		PARSE_OK(&cfg, ARGV(cases[i].arg));
		assert_int_equal(cfg.mode, cases[i].mode);
		assert_null(cfg.argv);
		assert_int_equal(cfg.n_rules, 0); /* no profile applied */
		ferry_config_free(&cfg);
		/* not even under a pwd of / */
		struct ferry_vars root = {"/", NULL};
		parse_ok_at(&cfg, ARGV("run", cases[i].arg), &root, NULL, __FILE__, __LINE__);
		assert_int_equal(cfg.mode, cases[i].mode);
		ferry_config_free(&cfg);
	}
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--help", "ls"));
	assert_int_equal(cfg.mode, FERRY_MODE_HELP);
	ferry_config_free(&cfg);
	/* after the command, it is the command's */
	PARSE_OK(&cfg, ARGV("ls", "--help"));
	assert_int_equal(cfg.mode, FERRY_MODE_RUN);
	assert_string_equal(cfg.argv[1], "--help");
	ferry_config_free(&cfg);
	PARSE_OK(&cfg, ARGV("--version", "--help"));
	assert_int_equal(cfg.mode, FERRY_MODE_HELP);
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--help", "--bogus"), "unknown option '--bogus' (see ferry --help)");
	PARSE_ERR(ARGV("--help=all"), "--help: takes no argument");
	PARSE_ERR(ARGV("--version=1"), "--version: takes no argument");
}

static void test_command_start(void **state)
{
	(void)state;
	struct ferry_config cfg;
	char **argv = ARGV("run", "ls");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[2]);
	ferry_config_free(&cfg);
	argv = ARGV("run", "--", "run", "x");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[3]);
	assert_string_equal(cfg.argv[0], "run");
	ferry_config_free(&cfg);
	argv = ARGV("run", "run");
	PARSE_OK(&cfg, argv);
	assert_string_equal(cfg.argv[0], "run");
	ferry_config_free(&cfg);
	argv = ARGV("--", "--ro", "/x");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[2]);
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	argv = ARGV("--ro", "/x", "--", "--", "y");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[4]);
	assert_string_equal(cfg.argv[0], "--");
	assert_int_equal(cfg.n_rules, NDEF + 1);
	ferry_config_free(&cfg);
	/* the first non-option starts the command; its options are its own */
	argv = ARGV("-v", "make", "--ro", "/x", "-q", "--", "y");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[2]);
	assert_int_equal(cfg.verbosity, 1);
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	/* "-" alone is a command name */
	argv = ARGV("-", "x");
	PARSE_OK(&cfg, argv);
	assert_ptr_equal(cfg.argv, &argv[1]);
	ferry_config_free(&cfg);
	/* "run" only counts first */
	argv = ARGV("-v", "run");
	PARSE_OK(&cfg, argv);
	assert_string_equal(cfg.argv[0], "run");
	ferry_config_free(&cfg);

	PARSE_ERR(((char *[]){"ferry", NULL}), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("run"), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("--"), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("run", "--"), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("--ro", "/x"), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("-v"), "no command given (see ferry --help)");
	PARSE_ERR(ARGV("trace", "ls"), "trace: this build of ferry has no trace mode yet");
}

static void test_unknown_options(void **state)
{
	(void)state;
	PARSE_ERR(ARGV("--bogus", "true"), "unknown option '--bogus' (see ferry --help)");
	PARSE_ERR(ARGV("--bogus=1", "true"), "unknown option '--bogus' (see ferry --help)");
	PARSE_ERR(ARGV("--r", "/x", "true"), "unknown option '--r' (see ferry --help)");
	PARSE_ERR(ARGV("--roo", "/x", "true"), "unknown option '--roo' (see ferry --help)");
	PARSE_ERR(ARGV("--RO", "/x", "true"), "unknown option '--RO' (see ferry --help)");
	PARSE_ERR(ARGV("--include", "x", "true"), "unknown option '--include' (see ferry --help)");
	PARSE_ERR(ARGV("--landlock", "true"), "unknown option '--landlock' (see ferry --help)");
	PARSE_ERR(ARGV("---ro", "/x", "true"), "unknown option '---ro' (see ferry --help)");
	PARSE_ERR(ARGV("--=x", "true"), "unknown option '--' (see ferry --help)");
	PARSE_ERR(ARGV("-x", "true"), "unknown option '-x' (see ferry --help)");
	PARSE_ERR(ARGV("-vx", "true"), "unknown option '-x' (see ferry --help)");
	PARSE_ERR(ARGV("-r", "/x", "true"), "unknown option '-r' (see ferry --help)");
	/* errors stop the parse where they are */
	PARSE_ERR(ARGV("--net", "x", "--bogus", "true"), "--net: 'x' is neither none nor host");
}

static void test_missing_argument(void **state)
{
	(void)state;
	static const char *const opts[] = {"ro",       "rw",      "hide",    "deny", "tmpfs",
	                                   "chdir",    "policy",  "profile", "net",  "setenv",
	                                   "unsetenv", "timeout", "log"};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char opt[32], want[64];
		snprintf(opt, sizeof(opt), "--%s", opts[i]);
		snprintf(want, sizeof(want), "--%s: missing argument", opts[i]);
		PARSE_ERR(ARGV(opt), want);
	}
	/* an option's argument is the next word, whatever it looks like */
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--profile", "none", "--ro", "--rw", "true"));
	assert_int_equal(cfg.n_rules, 1);
	RULE(&cfg, 0, RO, "/home/u/proj/--rw", "--ro");
	ferry_config_free(&cfg);
}

static void test_deny_globs(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg,
	         ARGV("--profile", "none", "--deny", "*.pem", "--deny", "secret/", "--deny",
	              "/etc/shadow", "--deny", "**/x", "--deny", "**", "--deny", "/a//b/", "--deny",
	              "~/.ssh", "--deny", "${HOME}/.aws/**", "--deny", "${PWD}/*.key", "--deny",
	              "a/b", "--deny", "//", "--deny", "x//y//", "--deny=.env", "true"));
	static const char *const want[] = {
	    "**/*.pem",     "**/secret",       "/etc/shadow",        "**/x",   "**", "/a/b",
	    "/home/u/.ssh", "/home/u/.aws/**", "/home/u/proj/*.key", "**/a/b", "/",  "**/x/y",
	    "**/.env",
	};
	assert_int_equal(cfg.n_rules, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < cfg.n_rules; i++)
		RULE(&cfg, i, DENY, want[i], "--deny");
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--deny=", "true"), "--deny: empty pattern");
	PARSE_ERR(ARGV("--deny", "", "true"), "--deny: empty pattern");
	PARSE_ERR(ARGV("--deny", "${NOPE}/x", "true"),
	          "--deny: unknown variable '${NOPE}' (only ${PWD} and ${HOME})");
}

/* A deny glob with "." or ".." components can never match a resolved path,
 * so it must not be accepted silently: either it is refused, or it denies
 * what it names. */
static void check_deny_effective(const char *arg, const char *target)
{
	struct ferry_config cfg;
	char err[512] = "";
	int r = parse_with(&cfg, ARGV("--profile", "none", "--deny", (char *)arg, "true"),
	                   &std_vars, NULL, err, sizeof(err));
	char glob[512] = "";
	bool effective = false;
	if (r == 0 && cfg.n_rules == 1) {
		snprintf(glob, sizeof(glob), "%s", cfg.rules[0].path);
		effective = ferry_glob_match(glob, target);
	}
	ferry_config_free(&cfg);
	if (r == 0 && !effective)
		fail_msg("--deny '%s' became '%s', which does not deny %s (nor anything)", arg,
		         glob, target);
	if (r != 0)
		assert_non_null(strstr(err, "--deny"));
}

static void test_deny_dot_components(void **state)
{
	(void)state;
	check_deny_effective("/home/u/proj/../other/*.key", "/home/u/other/a.key");
	check_deny_effective("${PWD}/./secret", "/home/u/proj/secret");
	check_deny_effective("/etc/./shadow", "/etc/shadow");
	/* "./secret" reads as the current directory's secret */
	check_deny_effective("./secret", "/home/u/proj/secret");
}

static void test_variables(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK(&cfg, ARGV("--profile", "none", "--ro", "~", "--ro", "~/x", "--ro", "~x", "--ro",
	                    "a~", "--ro", "${PWD}/../x", "--ro", "${HOME}", "--ro", "$PWD", "--ro",
	                    "${HOME}${PWD}", "--ro", "/x/~", "--ro", "x/~/y", "true"));
	static const char *const want[] = {
	    "/home/u",
	    "/home/u/x",
	    "/home/u/proj/~x",
	    "/home/u/proj/a~",
	    "/home/u/x",
	    "/home/u",
	    "/home/u/proj/$PWD",
	    "/home/u/home/u/proj",
	    "/x/~",
	    "/home/u/proj/x/~/y",
	};
	assert_int_equal(cfg.n_rules, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < cfg.n_rules; i++)
		RULE(&cfg, i, RO, want[i], "--ro");
	ferry_config_free(&cfg);
	PARSE_ERR(ARGV("--ro", "${USER}", "true"),
	          "--ro: unknown variable '${USER}' (only ${PWD} and ${HOME})");
	PARSE_ERR(ARGV("--ro", "/a/${}", "true"),
	          "--ro: unknown variable '${}' (only ${PWD} and ${HOME})");
	PARSE_ERR(ARGV("--ro", "${pwd}", "true"),
	          "--ro: unknown variable '${pwd}' (only ${PWD} and ${HOME})");
	PARSE_ERR(ARGV("--ro", "${PWD", "true"), "--ro: unterminated '${' in '${PWD'");
	PARSE_ERR(ARGV("--chdir", "/x/${HOME", "true"),
	          "--chdir: unterminated '${' in '/x/${HOME'");
	PARSE_ERR(ARGV("--log", "${TMP}/l", "true"),
	          "--log: unknown variable '${TMP}' (only ${PWD} and ${HOME})");
	struct ferry_vars nohome = {"/home/u/proj", NULL};
	parse_err_at(ARGV("--ro", "~", "true"), &nohome, NULL, "--ro: '~' used but HOME is not set",
	             __FILE__, __LINE__);
	parse_err_at(ARGV("--rw", "~/x", "true"), &nohome, NULL,
	             "--rw: '~' used but HOME is not set", __FILE__, __LINE__);
	parse_err_at(ARGV("--hide", "${HOME}/.ssh", "true"), &nohome, NULL,
	             "--hide: '${HOME}' used but it is not set", __FILE__, __LINE__);
	parse_err_at(ARGV("--deny", "~/.ssh", "true"), &nohome, NULL,
	             "--deny: '~' used but HOME is not set", __FILE__, __LINE__);
}

/* ---- policy files ---- */

static const struct fake_file ci_files[] = {
    {"/home/u/proj/ci.policy", "# the CI job's view\n"
                               "profile none\n"
                               "\n"
                               "ro /usr\n"
                               "   rw ${PWD}/out   # build output\n"
                               "\tdeny\t*.pem\n"
                               "net host\n"
                               "setenv LANG=C.UTF-8\n"
                               "unsetenv TERM\n"
                               "clearenv\n"
                               "timeout 600\n"
                               "chdir ${PWD}/build\n"
                               "log ~/ci.jsonl\n"
                               "tmpfs /scratch\n"
                               "hide ~/.netrc\n"
                               "deny ${HOME}/.aws/**"},
    {NULL, NULL},
};

static void test_policy_file(void **state)
{
	(void)state;
	struct ferry_config cfg;
	PARSE_OK_FILES(&cfg, ARGV("--policy", "ci.policy", "make"), ci_files);
	assert_string_equal(cfg.profile, "none");
	assert_int_equal(cfg.n_rules, 6);
	RULE(&cfg, 0, RO, "/usr", "/home/u/proj/ci.policy:4: ro");
	RULE(&cfg, 1, RW, "/home/u/proj/out", "/home/u/proj/ci.policy:5: rw");
	RULE(&cfg, 2, DENY, "**/*.pem", "/home/u/proj/ci.policy:6: deny");
	RULE(&cfg, 3, TMPFS, "/scratch", "/home/u/proj/ci.policy:14: tmpfs");
	RULE(&cfg, 4, HIDE, "/home/u/.netrc", "/home/u/proj/ci.policy:15: hide");
	RULE(&cfg, 5, DENY, "/home/u/.aws/**", "/home/u/proj/ci.policy:16: deny");
	assert_int_equal(cfg.net, FERRY_NET_HOST);
	assert_true(cfg.clearenv);
	assert_int_equal(cfg.n_env_ops, 2);
	check_env_op(&cfg, 0, FERRY_ENV_SET, "LANG", "C.UTF-8");
	check_env_op(&cfg, 1, FERRY_ENV_UNSET, "TERM", NULL);
	assert_int_equal(cfg.timeout, 600);
	assert_string_equal(cfg.chdir, "/home/u/proj/build");
	assert_string_equal(cfg.log_path, "/home/u/ci.jsonl");
	assert_string_equal(cfg.argv[0], "make");
	ferry_config_free(&cfg);

	/* the command line around it applies in order */
	PARSE_OK_FILES(&cfg,
	               ARGV("--net", "none", "--ro", "/a", "--policy=ci.policy", "--chdir", "/c",
	                    "--ro", "/b", "make"),
	               ci_files);
	assert_int_equal(cfg.net, FERRY_NET_HOST);
	assert_string_equal(cfg.chdir, "/c");
	assert_int_equal(cfg.n_rules, 8);
	RULE(&cfg, 0, RO, "/a", "--ro");
	RULE(&cfg, 1, RO, "/usr", "/home/u/proj/ci.policy:4: ro");
	RULE(&cfg, 7, RO, "/b", "--ro");
	ferry_config_free(&cfg);

	/* a policy file path is made absolute and normalised */
	struct fake_fs fs = {ci_files, {NULL}, 0};
	struct ferry_loader loader = {fake_load, &fs};
	char err[256] = "";
	char **argv = ARGV("--policy", "../proj/./ci.policy", "true");
	assert_int_equal(
	    ferry_config_parse(&cfg, argc_of(argv), argv, &std_vars, &loader, err, sizeof(err)), 0);
	assert_int_equal(fs.n_requested, 1);
	assert_string_equal(fs.requested[0], "/home/u/proj/ci.policy");
	assert_string_equal(cfg.rules[0].origin, "/home/u/proj/ci.policy:4: ro");
	ferry_config_free(&cfg);
	fake_fs_clear(&fs);
}

static void test_policy_file_lines(void **state)
{
	(void)state;
	static const struct fake_file files[] = {
	    {"/p/crlf.policy", "profile none\r\nro /usr\r\n\r\n# x\r\nrw /srv\r\n"},
	    {"/p/blank.policy", ""},
	    {"/p/comments.policy", "# only\n   # comments\n\n\t\n#\n"},
	    {"/p/nonl.policy", "profile none\nro /a"},
	    {"/p/hash.policy", "profile none\nro /a#b\ndeny x#y\n"},
	    {"/p/spaces.policy", "profile none\nro /a b  \n"},
	    {NULL, NULL},
	};
	struct ferry_config cfg;
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/crlf.policy", "true"), files);
	assert_int_equal(cfg.n_rules, 2);
	RULE(&cfg, 0, RO, "/usr", "/p/crlf.policy:2: ro");
	RULE(&cfg, 1, RW, "/srv", "/p/crlf.policy:5: rw");
	ferry_config_free(&cfg);
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/blank.policy", "true"), files);
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/comments.policy", "true"), files);
	assert_int_equal(cfg.n_rules, NDEF);
	ferry_config_free(&cfg);
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/nonl.policy", "true"), files);
	assert_int_equal(cfg.n_rules, 1);
	RULE(&cfg, 0, RO, "/a", "/p/nonl.policy:2: ro");
	ferry_config_free(&cfg);
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/hash.policy", "true"), files);
	assert_int_equal(cfg.n_rules, 2);
	RULE(&cfg, 0, RO, "/a", "/p/hash.policy:2: ro");
	RULE(&cfg, 1, DENY, "**/x", "/p/hash.policy:3: deny");
	ferry_config_free(&cfg);
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/spaces.policy", "true"), files);
	assert_int_equal(cfg.n_rules, 1);
	RULE(&cfg, 0, RO, "/a b", "/p/spaces.policy:2: ro");
	ferry_config_free(&cfg);
}

static void test_policy_file_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
	    {"ro relative", "/p/e.policy:1: ro: 'relative' is not an absolute path (write "
	                    "${PWD}/relative)"},
	    {"# c\n\nrw ./x", "/p/e.policy:3: rw: './x' is not an absolute path (write "
	                      "${PWD}/./x)"},
	    {"hide .ssh", "/p/e.policy:1: hide: '.ssh' is not an absolute path (write "
	                  "${PWD}/.ssh)"},
	    {"tmpfs tmp", "/p/e.policy:1: tmpfs: 'tmp' is not an absolute path (write "
	                  "${PWD}/tmp)"},
	    {"chdir build", "/p/e.policy:1: chdir: 'build' is not an absolute path (write "
	                    "${PWD}/build)"},
	    {"log l.json", "/p/e.policy:1: log: 'l.json' is not an absolute path (write "
	                   "${PWD}/l.json)"},
	    {"ro /a\nbogus x", "/p/e.policy:2: unknown option 'bogus'"},
	    {"--ro /x", "/p/e.policy:1: unknown option '--ro'"},
	    {"RO /x", "/p/e.policy:1: unknown option 'RO'"},
	    {"policy /p/x.policy", "/p/e.policy:1: unknown option 'policy'"},
	    {"verbose", "/p/e.policy:1: unknown option 'verbose'"},
	    {"quiet", "/p/e.policy:1: unknown option 'quiet'"},
	    {"help", "/p/e.policy:1: unknown option 'help'"},
	    {"version", "/p/e.policy:1: unknown option 'version'"},
	    {"ro=/x", "/p/e.policy:1: unknown option 'ro=/x'"},
	    {"\n\n  ro  ", "/p/e.policy:3: ro: missing argument"},
	    {"deny", "/p/e.policy:1: deny: missing argument"},
	    {"include", "/p/e.policy:1: include: missing argument"},
	    {"net", "/p/e.policy:1: net: missing argument"},
	    {"clearenv yes", "/p/e.policy:1: clearenv: takes no argument"},
	    {"net maybe", "/p/e.policy:1: net: 'maybe' is neither none nor host"},
	    {"profile strict", "/p/e.policy:1: profile: no profile named 'strict' (there are: "
	                       "default, none)"},
	    {"timeout soon", "/p/e.policy:1: timeout: 'soon' is not a whole number of seconds "
	                     "(1 or more)"},
	    {"timeout 0", "/p/e.policy:1: timeout: '0' is not a whole number of seconds (1 or "
	                  "more)"},
	    {"setenv X", "/p/e.policy:1: setenv: 'X' is not NAME=VALUE"},
	    {"unsetenv X=1", "/p/e.policy:1: unsetenv: 'X=1' is not a variable name"},
	    {"ro ${FOO}/x", "/p/e.policy:1: ro: unknown variable '${FOO}' (only ${PWD} and "
	                    "${HOME})"},
	    {"ro ${PWD", "/p/e.policy:1: ro: unterminated '${' in '${PWD'"},
	    {"deny ${X}", "/p/e.policy:1: deny: unknown variable '${X}' (only ${PWD} and "
	                  "${HOME})"},
	    {"include nope.policy", "/p/e.policy:1: include: /p/nope.policy: No such file or "
	                            "directory"},
	    {"include /q/nope.policy", "/p/e.policy:1: include: /q/nope.policy: No such file or "
	                               "directory"},
	    {"include ${NOPE}", "/p/e.policy:1: include: unknown variable '${NOPE}' (only "
	                        "${PWD} and ${HOME})"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fake_file files[] = {{"/p/e.policy", cases[i].text}, {NULL, NULL}};
		PARSE_ERR_FILES(ARGV("--policy", "/p/e.policy", "true"), files, cases[i].err);
	}
	/* no such file, and no loader at all */
	PARSE_ERR(ARGV("--policy", "missing.policy", "true"),
	          "--policy: /home/u/proj/missing.policy: No such file or directory");
	struct ferry_config cfg;
	char err[256] = "";
	char **argv = ARGV("--policy", "x.policy", "true");
	assert_int_equal(
	    ferry_config_parse(&cfg, argc_of(argv), argv, &std_vars, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "--policy: /home/u/proj/x.policy: cannot read policy files here");
	ferry_config_free(&cfg);
	struct ferry_loader noload = {NULL, NULL};
	assert_int_equal(
	    ferry_config_parse(&cfg, argc_of(argv), argv, &std_vars, &noload, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "--policy: /home/u/proj/x.policy: cannot read policy files here");
	ferry_config_free(&cfg);
	/* ~ in a file with no HOME */
	static const struct fake_file tilde[] = {{"/p/t.policy", "ro ~/x"}, {NULL, NULL}};
	struct ferry_vars nohome = {"/home/u/proj", NULL};
	parse_err_at(ARGV("--policy", "/p/t.policy", "true"), &nohome, tilde,
	             "/p/t.policy:1: ro: '~' used but HOME is not set", __FILE__, __LINE__);
}

static void test_include(void **state)
{
	(void)state;
	static const struct fake_file files[] = {
	    {"/etc/ferry/base.policy", "profile none\n"
	                               "include common.policy\n"
	                               "ro /base\n"
	                               "include /opt/x.policy\n"
	                               "include ${HOME}/h.policy\n"
	                               "include ~/t.policy\n"
	                               "include sub/s.policy\n"},
	    {"/etc/ferry/common.policy", "# common\nro /common\n"},
	    {"/opt/x.policy", "ro /x\n"},
	    {"/home/u/h.policy", "ro /h\n"},
	    {"/home/u/t.policy", "ro /t\n"},
	    {"/etc/ferry/sub/s.policy", "include s2.policy\n"},
	    {"/etc/ferry/sub/s2.policy", "ro /s2\n"},
	    {NULL, NULL},
	};
	struct fake_fs fs = {files, {NULL}, 0};
	struct ferry_loader loader = {fake_load, &fs};
	struct ferry_config cfg;
	char err[256] = "";
	char **argv = ARGV("--policy", "/etc/ferry/base.policy", "true");
	int r = ferry_config_parse(&cfg, argc_of(argv), argv, &std_vars, &loader, err, sizeof(err));
	if (r != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.n_rules, 6);
	RULE(&cfg, 0, RO, "/common", "/etc/ferry/common.policy:2: ro");
	RULE(&cfg, 1, RO, "/base", "/etc/ferry/base.policy:3: ro");
	RULE(&cfg, 2, RO, "/x", "/opt/x.policy:1: ro");
	RULE(&cfg, 3, RO, "/h", "/home/u/h.policy:1: ro");
	RULE(&cfg, 4, RO, "/t", "/home/u/t.policy:1: ro");
	RULE(&cfg, 5, RO, "/s2", "/etc/ferry/sub/s2.policy:1: ro");
	assert_int_equal(fs.n_requested, 7);
	assert_string_equal(fs.requested[0], "/etc/ferry/base.policy");
	assert_string_equal(fs.requested[1], "/etc/ferry/common.policy");
	assert_string_equal(fs.requested[2], "/opt/x.policy");
	assert_string_equal(fs.requested[3], "/home/u/h.policy");
	assert_string_equal(fs.requested[4], "/home/u/t.policy");
	assert_string_equal(fs.requested[5], "/etc/ferry/sub/s.policy");
	assert_string_equal(fs.requested[6], "/etc/ferry/sub/s2.policy");
	ferry_config_free(&cfg);
	fake_fs_clear(&fs);

	/* an error in an included file names that file and line */
	static const struct fake_file bad[] = {
	    {"/etc/ferry/a.policy", "ro /a\ninclude b.policy\n"},
	    {"/etc/ferry/b.policy", "\n\nro b\n"},
	    {NULL, NULL},
	};
	PARSE_ERR_FILES(ARGV("--policy", "/etc/ferry/a.policy", "true"), bad,
	                "/etc/ferry/b.policy:3: ro: 'b' is not an absolute path (write ${PWD}/b)");

	/* Includes that fan out (each file including the next twenty times)
	 * stop at 256 files in all, however shallow. */
	static const char twenty_b[] = "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\ninclude b.policy\n"
	                               "include b.policy\ninclude b.policy\n";
	static const char twenty_c[] = "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\ninclude c.policy\n"
	                               "include c.policy\ninclude c.policy\n";
	static const struct fake_file fanout[] = {
	    {"/f/a.policy", twenty_b},
	    {"/f/b.policy", twenty_c},
	    {"/f/c.policy", "ro /c\n"},
	    {NULL, NULL},
	};
	PARSE_ERR_FILES(
	    ARGV("--policy", "/f/a.policy", "true"), fanout,
	    "/f/b.policy:3: include: '/f/c.policy': more than 256 files included in all");
}

static void test_include_profile(void **state)
{
	(void)state;
	static const struct fake_file files[] = {
	    {"/p/d.policy", "profile none\ninclude default\nro /extra\n"},
	    {"/p/n.policy", "include none\nro /extra\n"},
	    {NULL, NULL},
	};
	struct ferry_config cfg;
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/d.policy", "true"), files);
	assert_string_equal(cfg.profile, "none");
	assert_int_equal(cfg.n_rules, NDEF + 1);
	static const char *const ro[] = {"/usr",   "/bin",    "/sbin", "/lib", "/lib32",
	                                 "/lib64", "/libx32", "/etc",  "/opt"};
	for (size_t i = 0; i < 9; i++) {
		RULE(&cfg, i, RO, ro[i], "/p/d.policy:2: include");
		assert_true(cfg.rules[i].optional);
		assert_true(cfg.rules[i].keep_symlink);
	}
	RULE(&cfg, 9, TMPFS, "/tmp", "/p/d.policy:2: include");
	RULE(&cfg, 10, TMPFS, "/home/u", "/p/d.policy:2: include");
	RULE(&cfg, 11, RW, "/home/u/proj", "/p/d.policy:2: include");
	RULE(&cfg, 12, RO, "/extra", "/p/d.policy:3: ro");
	ferry_config_free(&cfg);
	/* "include none" adds nothing; the default profile still comes first */
	PARSE_OK_FILES(&cfg, ARGV("--policy", "/p/n.policy", "true"), files);
	assert_string_equal(cfg.profile, "default");
	assert_int_equal(cfg.n_rules, NDEF + 1);
	RULE(&cfg, NDEF, RO, "/extra", "/p/n.policy:2: ro");
	ferry_config_free(&cfg);
	/* include default refuses a pwd of / too, naming the line */
	struct ferry_vars root = {"/", NULL};
	parse_err_at(ARGV("--profile", "none", "--policy", "/p/d.policy", "true"), &root, files,
	             "/p/d.policy:2: include: the current directory is /, and making all of it "
	             "writable would expose the host; run ferry from a project directory, or use "
	             "--profile none with --ro/--rw",
	             __FILE__, __LINE__);
}

static void test_include_loops(void **state)
{
	(void)state;
	static const struct fake_file files[] = {
	    {"/p/self.policy", "ro /a\ninclude /p/self.policy\n"},
	    {"/p/self-rel.policy", "include self-rel.policy\n"},
	    {"/p/a.policy", "include b.policy\n"},
	    {"/p/b.policy", "\ninclude /p/a.policy\n"},
	    {"/p/twice.policy", "include /p/leaf.policy\ninclude /p/leaf.policy\n"},
	    {"/p/leaf.policy", "ro /leaf\n"},
	    {NULL, NULL},
	};
	PARSE_ERR_FILES(ARGV("--policy", "/p/self.policy", "true"), files,
	                "/p/self.policy:2: include: '/p/self.policy' includes itself");
	PARSE_ERR_FILES(ARGV("--policy", "/p/self-rel.policy", "true"), files,
	                "/p/self-rel.policy:1: include: '/p/self-rel.policy' includes itself");
	PARSE_ERR_FILES(ARGV("--policy", "/p/a.policy", "true"), files,
	                "/p/b.policy:2: include: '/p/a.policy' includes itself");
	/* including a file twice side by side is no loop */
	struct ferry_config cfg;
	PARSE_OK_FILES(&cfg, ARGV("--profile", "none", "--policy", "/p/twice.policy", "true"),
	               files);
	assert_int_equal(cfg.n_rules, 2);
	RULE(&cfg, 1, RO, "/leaf", "/p/leaf.policy:1: ro");
	ferry_config_free(&cfg);
	/* nor is giving --policy twice */
	PARSE_OK_FILES(&cfg,
	               ARGV("--profile", "none", "--policy", "/p/leaf.policy", "--policy",
	                    "/p/leaf.policy", "true"),
	               files);
	assert_int_equal(cfg.n_rules, 2);
	ferry_config_free(&cfg);
}

static void test_include_paths_normalised(void **state)
{
	(void)state;
	/* "./x" names the same file as "x": a loop, said as such, with the path
	 * written plainly */
	static const struct fake_file files[] = {
	    {"/p/dot.policy", "include ./dot.policy\n"},
	    {"/top.policy", "include sub.policy\n"},
	    {"/sub.policy", "ro /sub\n"},
	    {"/p/q/up.policy", "include ../r/./r.policy\n"},
	    {"/p/r/r.policy", "ro /r\n"},
	    {NULL, NULL},
	};
	PARSE_ERR_FILES(ARGV("--policy", "/p/dot.policy", "true"), files,
	                "/p/dot.policy:1: include: '/p/dot.policy' includes itself");
	/* the loader, the origins and the messages see plain absolute paths */
	struct fake_fs fs = {files, {NULL}, 0};
	struct ferry_loader loader = {fake_load, &fs};
	struct ferry_config cfg;
	char err[256] = "";
	char **argv = ARGV("--profile", "none", "--policy", "/top.policy", "--policy",
	                   "/p/q/up.policy", "true");
	assert_int_equal(
	    ferry_config_parse(&cfg, argc_of(argv), argv, &std_vars, &loader, err, sizeof(err)), 0);
	assert_int_equal(fs.n_requested, 4);
	assert_string_equal(fs.requested[0], "/top.policy");
	assert_string_equal(fs.requested[1], "/sub.policy");
	assert_string_equal(fs.requested[2], "/p/q/up.policy");
	assert_string_equal(fs.requested[3], "/p/r/r.policy");
	assert_int_equal(cfg.n_rules, 2);
	RULE(&cfg, 0, RO, "/sub", "/sub.policy:1: ro");
	RULE(&cfg, 1, RO, "/r", "/p/r/r.policy:1: ro");
	ferry_config_free(&cfg);
	fake_fs_clear(&fs);
}

static void test_include_depth(void **state)
{
	(void)state;
	/* d1 includes d2 ... includes dN; dN holds a rule */
	struct fake_file files[20];
	char names[20][32], texts[20][64];
	for (int n = 16; n <= 17; n++) {
		for (int i = 0; i < n; i++) {
			snprintf(names[i], sizeof(names[i]), "/p/d%d.policy", i + 1);
			if (i + 1 < n)
				snprintf(texts[i], sizeof(texts[i]), "include d%d.policy\n", i + 2);
			else
				snprintf(texts[i], sizeof(texts[i]), "ro /deep\n");
			files[i].path = names[i];
			files[i].text = texts[i];
		}
		files[n].path = NULL;
		files[n].text = NULL;
		if (n == 16) {
			struct ferry_config cfg;
			PARSE_OK_FILES(
			    &cfg, ARGV("--profile", "none", "--policy", "/p/d1.policy", "true"),
			    files);
			assert_int_equal(cfg.n_rules, 1);
			RULE(&cfg, 0, RO, "/deep", "/p/d16.policy:1: ro");
			ferry_config_free(&cfg);
		} else {
			PARSE_ERR_FILES(
			    ARGV("--policy", "/p/d1.policy", "true"), files,
			    "/p/d16.policy:1: include: '/p/d17.policy': includes nested "
			    "deeper than 16");
		}
	}
}

static void test_apply_policy_text(void **state)
{
	(void)state;
	static const struct fake_file files[] = {
	    {"/etc/ferry/inc.policy", "ro /inc\n"},
	    {NULL, NULL},
	};
	struct fake_fs fs = {files, {NULL}, 0};
	struct ferry_loader loader = {fake_load, &fs};
	struct ferry_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	char err[256] = "";
	assert_int_equal(ferry_config_apply_policy_text(&cfg, "/etc/ferry/main.policy",
	                                                "ro /a\ninclude inc.policy\ndeny k\n",
	                                                &std_vars, &loader, err, sizeof(err)),
	                 0);
	assert_int_equal(cfg.n_rules, 3);
	RULE(&cfg, 0, RO, "/a", "/etc/ferry/main.policy:1: ro");
	RULE(&cfg, 1, RO, "/inc", "/etc/ferry/inc.policy:1: ro");
	RULE(&cfg, 2, DENY, "**/k", "/etc/ferry/main.policy:3: deny");
	/* more text adds to the same config */
	assert_int_equal(ferry_config_apply_policy_text(&cfg, "/x.policy", "rw /b", &std_vars, NULL,
	                                                err, sizeof(err)),
	                 0);
	assert_int_equal(cfg.n_rules, 4);
	RULE(&cfg, 3, RW, "/b", "/x.policy:1: rw");
	assert_int_equal(ferry_config_apply_policy_text(&cfg, "/x.policy", "\nro b", &std_vars,
	                                                NULL, err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "/x.policy:2: ro: 'b' is not an absolute path (write ${PWD}/b)");
	assert_int_equal(ferry_config_apply_policy_text(&cfg, "/x.policy", "include /y.policy",
	                                                &std_vars, NULL, err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "/x.policy:1: include: /y.policy: cannot read policy files here");
	ferry_config_free(&cfg);
	fake_fs_clear(&fs);
}

/* ---- paths ---- */

static void check_norm(const char *in, const char *want, const char *file, int line)
{
	char *got = ferry_path_normalize(in);
	if (!got || strcmp(got, want) != 0) {
		print_error("ferry_path_normalize(\"%s\") = \"%s\", expected \"%s\"\n", in,
		            got ? got : "(null)", want);
		free(got);
		_fail(file, line);
	}
	free(got);
}

static void check_join(const char *base, const char *path, const char *want, const char *file,
                       int line)
{
	char *got = ferry_path_join(base, path);
	if (!got || strcmp(got, want) != 0) {
		print_error("ferry_path_join(\"%s\", \"%s\") = \"%s\", expected \"%s\"\n", base,
		            path, got ? got : "(null)", want);
		free(got);
		_fail(file, line);
	}
	free(got);
}

#define NORM(in, want) check_norm(in, want, __FILE__, __LINE__)
#define JOIN(base, path, want) check_join(base, path, want, __FILE__, __LINE__)

static void test_path_normalize(void **state)
{
	(void)state;
	NORM("/", "/");
	NORM("//", "/");
	NORM("///", "/");
	NORM("/.", "/");
	NORM("/..", "/");
	NORM("/../..", "/");
	NORM("/./.././", "/");
	NORM("/a", "/a");
	NORM("/a/", "/a");
	NORM("/a//", "/a");
	NORM("//a//b//", "/a/b");
	NORM("/a/./b", "/a/b");
	NORM("/a/b/.", "/a/b");
	NORM("/a/b/..", "/a");
	NORM("/a/b/../", "/a");
	NORM("/a/b/../..", "/");
	NORM("/a/b/../../..", "/");
	NORM("/a/../../b", "/b");
	NORM("/../a", "/a");
	NORM("/a/b/c/../../d", "/a/d");
	NORM("/a//b/./c/../d/", "/a/b/d");
	NORM("/...", "/...");
	NORM("/a/.../b", "/a/.../b");
	NORM("/a/..b/c", "/a/..b/c");
	NORM("/a/b../c", "/a/b../c");
	NORM("/a/.b", "/a/.b");
	NORM("/.hidden/..", "/");
	NORM("/a b/ c", "/a b/ c");
	NORM("/\xc3\xa9/x", "/\xc3\xa9/x");
	/* relative input comes out rooted */
	NORM("a/b", "/a/b");
	NORM("", "/");
	NORM(".", "/");
	NORM("..", "/");
}

static void test_path_undeleted(void **state)
{
	(void)state;
	assert_int_equal(ferry_path_undeleted_len("/a/b (deleted)"), 4);
	assert_int_equal(ferry_path_undeleted_len("/a/b"), 4);
	assert_int_equal(ferry_path_undeleted_len("/a/b(deleted)"), 13);
	assert_int_equal(ferry_path_undeleted_len(" (deleted)"), 0);
	assert_int_equal(ferry_path_undeleted_len(""), 0);
}

static void test_path_join(void **state)
{
	(void)state;
	JOIN("/home/u", "x", "/home/u/x");
	JOIN("/home/u/", "x", "/home/u/x");
	JOIN("/home/u", "x/", "/home/u/x");
	JOIN("/home/u", ".", "/home/u");
	JOIN("/home/u", "", "/home/u");
	JOIN("/home/u", "..", "/home");
	JOIN("/home/u", "../..", "/");
	JOIN("/home/u", "../../../..", "/");
	JOIN("/home/u", "./a/../b", "/home/u/b");
	JOIN("/home/u", "a//b", "/home/u/a/b");
	JOIN("/home/u", "/abs", "/abs");
	JOIN("/home/u", "/abs/../x/", "/x");
	JOIN("/home/u", "//abs", "/abs");
	JOIN("/", "x", "/x");
	JOIN("/", "..", "/");
	JOIN("/a/./b/../", "c", "/a/c");
	JOIN("/home/u", "~", "/home/u/~");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_default_profile_vars),
	    cmocka_unit_test(test_profile_option),
	    cmocka_unit_test(test_rule_options),
	    cmocka_unit_test(test_relative_paths),
	    cmocka_unit_test(test_chdir_log),
	    cmocka_unit_test(test_net),
	    cmocka_unit_test(test_hardening_options),
	    cmocka_unit_test(test_env_options),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_verbosity),
	    cmocka_unit_test(test_help_version),
	    cmocka_unit_test(test_command_start),
	    cmocka_unit_test(test_unknown_options),
	    cmocka_unit_test(test_missing_argument),
	    cmocka_unit_test(test_deny_globs),
	    cmocka_unit_test(test_deny_dot_components),
	    cmocka_unit_test(test_variables),
	    cmocka_unit_test(test_policy_file),
	    cmocka_unit_test(test_policy_file_lines),
	    cmocka_unit_test(test_policy_file_errors),
	    cmocka_unit_test(test_include),
	    cmocka_unit_test(test_include_profile),
	    cmocka_unit_test(test_include_loops),
	    cmocka_unit_test(test_include_paths_normalised),
	    cmocka_unit_test(test_include_depth),
	    cmocka_unit_test(test_apply_policy_text),
	    cmocka_unit_test(test_path_normalize),
	    cmocka_unit_test(test_path_join),
	    cmocka_unit_test(test_path_undeleted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
