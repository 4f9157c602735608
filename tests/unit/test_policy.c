/* ferry_policy_build, ferry_policy_decide, ferry_policy_decide_move,
 * ferry_policy_rule_text, on rules built by hand (as the supervisor leaves
 * them after looking at the host). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

#include "ferry/policy.h"

/* A rule whose host_* fields say what the host has at path. */
static struct ferry_rule rule(enum ferry_rule_kind kind, const char *path, const char *origin,
                              enum ferry_host_type host_type)
{
	struct ferry_rule r;
	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.path = (char *)path;
	r.origin = (char *)origin;
	r.host_type = host_type;
	if (host_type == FERRY_HOST_DIR || host_type == FERRY_HOST_FILE)
		r.host_path = (char *)path;
	return r;
}

static struct ferry_rule ro(const char *path)
{
	return rule(FERRY_RULE_RO, path, "--ro", FERRY_HOST_DIR);
}

static struct ferry_rule rw(const char *path)
{
	return rule(FERRY_RULE_RW, path, "--rw", FERRY_HOST_DIR);
}

static struct ferry_rule tmpfs(const char *path)
{
	return rule(FERRY_RULE_TMPFS, path, "--tmpfs", FERRY_HOST_UNKNOWN);
}

static struct ferry_rule deny(const char *glob)
{
	return rule(FERRY_RULE_DENY, glob, "--deny", FERRY_HOST_UNKNOWN);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void build_ok(struct ferry_policy *p, const struct ferry_rule *rules, size_t n)
{
	char err[256] = "";
	int r = ferry_policy_build(p, rules, n, err, sizeof(err));
	if (r != 0)
		fail_msg("ferry_policy_build failed: %s", err);
}

static void check_mount(const struct ferry_policy *p, size_t i, enum ferry_mount_kind kind,
                        const char *target, const char *source, size_t rule_index)
{
	assert_true(i < p->n_mounts);
	assert_int_equal(p->mounts[i].kind, kind);
	assert_string_equal(p->mounts[i].target, target);
	if (source)
		assert_string_equal(p->mounts[i].source, source);
	else
		assert_null(p->mounts[i].source);
	assert_int_equal(p->mounts[i].rule, rule_index);
}

static void test_build_basic(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/usr"), rw("/home/u/proj"), tmpfs("/tmp"), deny("**/*.pem"), deny("/etc/shadow"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_ptr_equal(p.rules, rules);
	assert_int_equal(p.n_rules, N(rules));
	assert_int_equal(p.n_mounts, 3);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RO, "/usr", "/usr", 0);
	assert_true(p.mounts[0].source_is_dir);
	check_mount(&p, 1, FERRY_MOUNT_TMPFS, "/tmp", NULL, 2);
	assert_true(p.mounts[1].source_is_dir);
	check_mount(&p, 2, FERRY_MOUNT_BIND_RW, "/home/u/proj", "/home/u/proj", 1);
	assert_int_equal(p.n_deny, 2);
	assert_int_equal(p.deny[0], 3);
	assert_int_equal(p.deny[1], 4);
	ferry_policy_free(&p);
	assert_null(p.mounts);
	assert_null(p.deny);
	assert_int_equal(p.n_mounts, 0);
	/* freeing twice is harmless */
	ferry_policy_free(&p);
}

static void test_build_empty(void **state)
{
	(void)state;
	struct ferry_policy p;
	build_ok(&p, NULL, 0);
	assert_int_equal(p.n_mounts, 0);
	assert_int_equal(p.n_deny, 0);
	struct ferry_decision d = ferry_policy_decide(&p, "/etc/passwd");
	assert_true(d.allow);
	assert_int_equal(d.rule, FERRY_NO_RULE);
	ferry_policy_free(&p);
}

static void test_build_file_bind(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {rule(FERRY_RULE_RO, "/etc/hosts", "--ro", FERRY_HOST_FILE)};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 1);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RO, "/etc/hosts", "/etc/hosts", 0);
	assert_false(p.mounts[0].source_is_dir);
	ferry_policy_free(&p);
}

static void test_build_target_is_host_path(void **state)
{
	(void)state;
	/* A bind goes where the host's realpath is. */
	struct ferry_rule rules[] = {rw("/home/u/link")};
	rules[0].host_path = (char *)"/data/real";
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 1);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RW, "/data/real", "/data/real", 0);
	ferry_policy_free(&p);
}

static void test_build_last_rule_wins(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/a"), rw("/b"), rw("/a"), ro("/c"), tmpfs("/b"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 3);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RW, "/a", "/a", 2);
	check_mount(&p, 1, FERRY_MOUNT_BIND_RO, "/c", "/c", 3);
	check_mount(&p, 2, FERRY_MOUNT_TMPFS, "/b", NULL, 4);
	ferry_policy_free(&p);

	/* and back again: three rules for one target */
	struct ferry_rule again[] = {
	    tmpfs("/x"),
	    ro("/x"),
	    rule(FERRY_RULE_HIDE, "/x", "--hide", FERRY_HOST_DIR),
	};
	build_ok(&p, again, N(again));
	assert_int_equal(p.n_mounts, 1);
	check_mount(&p, 0, FERRY_MOUNT_HIDE_DIR, "/x", NULL, 2);
	ferry_policy_free(&p);
}

static void test_build_parents_first(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/a/b/c/d"), ro("/a/b"), rw("/a/b/c"), tmpfs("/z"), ro("/a"), ro("/"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 6);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RO, "/", "/", 5);
	check_mount(&p, 1, FERRY_MOUNT_TMPFS, "/z", NULL, 3);
	check_mount(&p, 2, FERRY_MOUNT_BIND_RO, "/a", "/a", 4);
	check_mount(&p, 3, FERRY_MOUNT_BIND_RO, "/a/b", "/a/b", 1);
	check_mount(&p, 4, FERRY_MOUNT_BIND_RW, "/a/b/c", "/a/b/c", 2);
	check_mount(&p, 5, FERRY_MOUNT_BIND_RO, "/a/b/c/d", "/a/b/c/d", 0);
	ferry_policy_free(&p);
}

static void test_build_optional_missing(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    rule(FERRY_RULE_RO, "/lib32", "profile default", FERRY_HOST_MISSING),
	    ro("/usr"),
	    rule(FERRY_RULE_RO, "/libx32", "profile default", FERRY_HOST_UNKNOWN),
	    rule(FERRY_RULE_RW, "/opt", "profile default", FERRY_HOST_MISSING),
	};
	rules[0].optional = rules[2].optional = rules[3].optional = true;
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 1);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RO, "/usr", "/usr", 1);
	ferry_policy_free(&p);
}

static void build_fails(const struct ferry_rule *rules, size_t n, const char *want)
{
	struct ferry_policy p;
	char err[256] = "";
	assert_int_equal(ferry_policy_build(&p, rules, n, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	/* nothing is left to free */
	assert_null(p.mounts);
	assert_null(p.deny);
	assert_int_equal(p.n_mounts, 0);
	ferry_policy_free(&p);
}

static void test_build_missing_fails(void **state)
{
	(void)state;
	struct ferry_rule a[] = {ro("/usr"),
	                         rule(FERRY_RULE_RO, "/nope", "--ro", FERRY_HOST_MISSING)};
	build_fails(a, N(a), "--ro /nope: No such file or directory");
	struct ferry_rule b[] = {
	    rule(FERRY_RULE_RW, "/srv/x", "ci.policy:3: rw", FERRY_HOST_MISSING),
	    ro("/usr"),
	};
	build_fails(b, N(b), "ci.policy:3: rw /srv/x: No such file or directory");
	struct ferry_rule c[] = {rule(FERRY_RULE_RO, "/what", "--ro", FERRY_HOST_UNKNOWN)};
	build_fails(c, N(c), "--ro /what: No such file or directory");
	/* a NULL or short err buffer is fine */
	struct ferry_policy p;
	assert_int_equal(ferry_policy_build(&p, a, N(a), NULL, 0), -1);
	char small[6];
	assert_int_equal(ferry_policy_build(&p, a, N(a), small, sizeof(small)), -1);
	assert_string_equal(small, "--ro ");
}

static void test_build_hide(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    rule(FERRY_RULE_HIDE, "/home/u/.ssh", "--hide", FERRY_HOST_DIR),
	    rule(FERRY_RULE_HIDE, "/home/u/.netrc", "--hide", FERRY_HOST_FILE),
	    rule(FERRY_RULE_HIDE, "/home/u/.aws", "--hide", FERRY_HOST_MISSING),
	    rule(FERRY_RULE_HIDE, "/home/u/.gcp", "--hide", FERRY_HOST_UNKNOWN),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 2);
	check_mount(&p, 0, FERRY_MOUNT_HIDE_DIR, "/home/u/.ssh", NULL, 0);
	check_mount(&p, 1, FERRY_MOUNT_HIDE_FILE, "/home/u/.netrc", NULL, 1);
	assert_true(p.mounts[0].source_is_dir);
	assert_false(p.mounts[1].source_is_dir);
	ferry_policy_free(&p);

	struct ferry_rule root[] = {ro("/usr"),
	                            rule(FERRY_RULE_HIDE, "/", "--hide", FERRY_HOST_DIR)};
	build_fails(root, N(root), "--hide /: cannot hide the sandbox root");
}

static void test_build_tmpfs_root(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {ro("/usr"), tmpfs("/")};
	build_fails(rules, N(rules),
	            "--tmpfs /: the sandbox root is a tmpfs already; use --profile none");
	struct ferry_rule file[] = {
	    rule(FERRY_RULE_TMPFS, "/", "x.policy:9: tmpfs", FERRY_HOST_UNKNOWN)};
	build_fails(file, N(file),
	            "x.policy:9: tmpfs /: the sandbox root is a tmpfs already; use --profile none");
}

static void test_build_symlink(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    rule(FERRY_RULE_RO, "/usr", "profile default", FERRY_HOST_DIR),
	    rule(FERRY_RULE_RO, "/lib", "profile default", FERRY_HOST_SYMLINK),
	    rule(FERRY_RULE_RO, "/bin", "profile default", FERRY_HOST_SYMLINK),
	};
	rules[1].keep_symlink = rules[2].keep_symlink = true;
	rules[1].optional = rules[2].optional = true;
	rules[1].link_target = (char *)"usr/lib";
	rules[2].link_target = (char *)"/usr/bin";
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	assert_int_equal(p.n_mounts, 3);
	check_mount(&p, 0, FERRY_MOUNT_BIND_RO, "/usr", "/usr", 0);
	check_mount(&p, 1, FERRY_MOUNT_SYMLINK, "/lib", "usr/lib", 1);
	check_mount(&p, 2, FERRY_MOUNT_SYMLINK, "/bin", "/usr/bin", 2);
	ferry_policy_free(&p);
}

#define DECIDE(p, path, want_allow, want_rule)                                                     \
	do {                                                                                       \
		struct ferry_decision d_ = ferry_policy_decide(p, path);                           \
		if (d_.allow != (want_allow) || d_.rule != (size_t)(want_rule))                    \
			fail_msg("decide(%s) = {%d, %zd}, expected {%d, %zd}", path, d_.allow,     \
			         (ssize_t)d_.rule, (int)(want_allow), (ssize_t)(want_rule));       \
	} while (0)

static void test_decide_deny(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/usr"),
	    ro("/etc"),
	    rw("/home/u/proj"),
	    deny("/etc/shadow"),
	    deny("**/*.pem"),
	    deny("**/.ssh"),
	    deny("/home/u/proj/secret/**"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	DECIDE(&p, "/etc/shadow", false, 3);
	DECIDE(&p, "/etc/shadow/x", false, 3); /* a parent matches */
	DECIDE(&p, "/etc/shadow-", true, 1);
	DECIDE(&p, "/etc/shadowx", true, 1);
	DECIDE(&p, "/etc", true, 1);
	DECIDE(&p, "/etc/passwd", true, 1);
	DECIDE(&p, "/home/u/proj/k.pem", false, 4);
	DECIDE(&p, "/k.pem", false, 4);
	DECIDE(&p, "/home/u/proj/certs.pem/inner", false, 4);
	DECIDE(&p, "/home/u/proj/k.pem.txt", true, 2);
	DECIDE(&p, "/home/u/.ssh", false, 5);
	DECIDE(&p, "/home/u/.ssh/id_ed25519", false, 5);
	DECIDE(&p, "/home/u/.ssh/a/b/c", false, 5);
	DECIDE(&p, "/home/u/proj/secret", true, 2); /* a trailing double star is strictly below */
	DECIDE(&p, "/home/u/proj/secret/a", false, 6);
	DECIDE(&p, "/home/u/proj/secret/a/b", false, 6);
	DECIDE(&p, "/home/u/proj/secrets/a", true, 2);
	DECIDE(&p, "/", true, FERRY_NO_RULE);
	ferry_policy_free(&p);
}

static void test_decide_deny_order(void **state)
{
	(void)state;
	/* The path itself is looked at before its parents, and rules in order. */
	struct ferry_rule rules[] = {
	    deny("/a"),
	    deny("**/*.key"),
	    deny("/a/**"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	DECIDE(&p, "/a", false, 0);
	DECIDE(&p, "/a/x.key", false, 1);
	DECIDE(&p, "/a/x", false, 2);
	DECIDE(&p, "/b/x.key", false, 1);
	DECIDE(&p, "/b/x", true, FERRY_NO_RULE);
	ferry_policy_free(&p);
}

static void test_decide_innermost(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/usr"),    rw("/usr/local"),
	    tmpfs("/tmp"), ro("/usr/local/share"),
	    rw("/home/u"), rule(FERRY_RULE_HIDE, "/home/u/.ssh", "--hide", FERRY_HOST_DIR),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	DECIDE(&p, "/usr", true, 0);
	DECIDE(&p, "/usr/bin/cc", true, 0);
	DECIDE(&p, "/usr/local", true, 1);
	DECIDE(&p, "/usr/local/bin/x", true, 1);
	DECIDE(&p, "/usr/localx", true, 0);
	DECIDE(&p, "/usr/local/share", true, 3);
	DECIDE(&p, "/usr/local/share/doc/x", true, 3);
	DECIDE(&p, "/usrx", true, FERRY_NO_RULE);
	DECIDE(&p, "/tmp/x", true, 2);
	DECIDE(&p, "/home/u/.ssh/id", true, 5);
	DECIDE(&p, "/home/u/x", true, 4);
	DECIDE(&p, "/home", true, FERRY_NO_RULE);
	DECIDE(&p, "/etc/passwd", true, FERRY_NO_RULE);
	ferry_policy_free(&p);

	struct ferry_rule root[] = {ro("/"), rw("/srv")};
	build_ok(&p, root, N(root));
	DECIDE(&p, "/", true, 0);
	DECIDE(&p, "/etc/passwd", true, 0);
	DECIDE(&p, "/srv", true, 1);
	DECIDE(&p, "/srv/a", true, 1);
	DECIDE(&p, "/srvx", true, 0);
	ferry_policy_free(&p);
}

#define MOVE(p, src, is_dir, dst, want_allow, want_rule)                                           \
	do {                                                                                       \
		struct ferry_decision d_ = ferry_policy_decide_move(p, src, is_dir, dst);          \
		if (d_.allow != (want_allow) || d_.rule != (size_t)(want_rule))                    \
			fail_msg("decide_move(%s, %d, %s) = {%d, %zd}, expected {%d, %zd}", src,   \
			         (int)(is_dir), dst, d_.allow, (ssize_t)d_.rule,                   \
			         (int)(want_allow), (ssize_t)(want_rule));                         \
	} while (0)

static void test_decide_move(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    rw("/home/u/proj"),          tmpfs("/tmp"),   deny("**/*.pem"),
	    deny("/home/u/proj/secret"), deny("**/.ssh"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	/* files */
	MOVE(&p, "/home/u/proj/a", false, "/home/u/proj/b", true, 0);
	MOVE(&p, "/tmp/a", false, "/home/u/proj/b", true, 1);
	MOVE(&p, "/home/u/proj/k.pem", false, "/home/u/proj/k.txt", false, 2);
	MOVE(&p, "/home/u/proj/k.txt", false, "/home/u/proj/k.pem", false, 2);
	MOVE(&p, "/home/u/proj/secret", false, "/tmp/s", false, 3);
	MOVE(&p, "/home/u/proj/secret/x", false, "/tmp/s", false, 3);
	MOVE(&p, "/tmp/s", false, "/home/u/proj/secret", false, 3);
	MOVE(&p, "/tmp/s", false, "/home/u/proj/secret/s", false, 3);
	MOVE(&p, "/tmp/id", false, "/home/u/.ssh/id", false, 4);
	/* src is looked at before dst */
	MOVE(&p, "/a.pem", false, "/home/u/proj/secret", false, 2);
	/* directories holding a path-dependent denied entry cannot move */
	MOVE(&p, "/home/u/proj", true, "/tmp/p", false, 3);
	MOVE(&p, "/home/u", true, "/tmp/u", false, 3);
	MOVE(&p, "/home", true, "/tmp/h", false, 3);
	MOVE(&p, "/home/u/proj/src", true, "/tmp/src", true, 0);
	MOVE(&p, "/tmp/d", true, "/tmp/e", true, 1);
	/* a file has nothing below it */
	MOVE(&p, "/home/u/proj", false, "/tmp/p", true, 0);
	/* basename-only globs match the same entries wherever they are */
	struct ferry_rule base_only[] = {
	    rw("/home/u/proj"),
	    deny("**/*.pem"),
	    deny("**/.ssh"),
	    deny("**/id_[rd]sa*"),
	};
	ferry_policy_free(&p);
	build_ok(&p, base_only, N(base_only));
	MOVE(&p, "/home/u/proj/certs", true, "/home/u/proj/old-certs", true, 0);
	MOVE(&p, "/home/u", true, "/home/v", true, FERRY_NO_RULE);
	MOVE(&p, "/home/u/.ssh", true, "/home/u/ssh", false, 2);
	MOVE(&p, "/home/u/ssh", true, "/home/u/.ssh", false, 2);
	MOVE(&p, "/home/u/x", true, "/home/u/certs.pem", false, 1);
	ferry_policy_free(&p);
}

static void test_decide_move_patterns(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    rw("/home"),
	    deny("/home/*/.aws"),
	    deny("**/secret/*.key"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	MOVE(&p, "/home/u", true, "/home/v", false, 1);
	MOVE(&p, "/home/u/.aws", true, "/home/u/aws", false, 1);
	MOVE(&p, "/home/u/aws", true, "/home/u/.aws", false, 1);
	MOVE(&p, "/home/u/.aws2", true, "/home/u/aws", false, 2);
	/* a two-component glob after a leading double star: any directory may hold a match */
	MOVE(&p, "/home/u/secret", true, "/home/u/public", false, 2);
	MOVE(&p, "/home/u/x", false, "/home/u/y", true, 0);
	ferry_policy_free(&p);

	struct ferry_rule star[] = {rw("/"), deny("**")};
	build_ok(&p, star, N(star));
	MOVE(&p, "/a", false, "/b", false, 1);
	ferry_policy_free(&p);
}

static void test_rule_text(void **state)
{
	(void)state;
	struct ferry_rule rules[] = {
	    ro("/usr"),       rw("/home/u/proj"),
	    tmpfs("/tmp"),    rule(FERRY_RULE_HIDE, "/home/u/.ssh", "--hide", FERRY_HOST_DIR),
	    deny("**/*.pem"),
	};
	struct ferry_policy p;
	build_ok(&p, rules, N(rules));
	char buf[64];
	ferry_policy_rule_text(&p, 0, buf, sizeof(buf));
	assert_string_equal(buf, "ro /usr");
	ferry_policy_rule_text(&p, 1, buf, sizeof(buf));
	assert_string_equal(buf, "rw /home/u/proj");
	ferry_policy_rule_text(&p, 2, buf, sizeof(buf));
	assert_string_equal(buf, "tmpfs /tmp");
	ferry_policy_rule_text(&p, 3, buf, sizeof(buf));
	assert_string_equal(buf, "hide /home/u/.ssh");
	ferry_policy_rule_text(&p, 4, buf, sizeof(buf));
	assert_string_equal(buf, "deny **/*.pem");
	ferry_policy_rule_text(&p, FERRY_NO_RULE, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	ferry_policy_rule_text(&p, 5, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	char small[5];
	ferry_policy_rule_text(&p, 4, small, sizeof(small));
	assert_string_equal(small, "deny");
	/* the decision's rule is what the text describes */
	struct ferry_decision d = ferry_policy_decide(&p, "/home/u/proj/a/b.pem");
	ferry_policy_rule_text(&p, d.rule, buf, sizeof(buf));
	assert_string_equal(buf, "deny **/*.pem");
	d = ferry_policy_decide(&p, "/home/u/proj/a/b.c");
	ferry_policy_rule_text(&p, d.rule, buf, sizeof(buf));
	assert_string_equal(buf, "rw /home/u/proj");
	ferry_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_basic),
	    cmocka_unit_test(test_build_empty),
	    cmocka_unit_test(test_build_file_bind),
	    cmocka_unit_test(test_build_target_is_host_path),
	    cmocka_unit_test(test_build_last_rule_wins),
	    cmocka_unit_test(test_build_parents_first),
	    cmocka_unit_test(test_build_optional_missing),
	    cmocka_unit_test(test_build_missing_fails),
	    cmocka_unit_test(test_build_hide),
	    cmocka_unit_test(test_build_tmpfs_root),
	    cmocka_unit_test(test_build_symlink),
	    cmocka_unit_test(test_decide_deny),
	    cmocka_unit_test(test_decide_deny_order),
	    cmocka_unit_test(test_decide_innermost),
	    cmocka_unit_test(test_decide_move),
	    cmocka_unit_test(test_decide_move_patterns),
	    cmocka_unit_test(test_rule_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
