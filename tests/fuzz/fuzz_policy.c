/* libFuzzer target: policy files (ferry_config_apply_policy_text), with
 * "include" served from files carried in the input (see fuzz_common.h), then
 * the rules through ferry_policy_build and ferry_policy_decide. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/config.h"
#include "ferry/policy.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise_policy(struct ferry_config *cfg)
{
	/* Pretend every path exists on the host as a directory. */
	for (size_t i = 0; i < cfg->n_rules; i++)
		cfg->rules[i].host_type = FERRY_HOST_DIR;
	struct ferry_policy policy;
	char err[512];
	if (ferry_policy_build(&policy, cfg->rules, cfg->n_rules, err, sizeof(err)) < 0)
		return;
	FUZZ_CHECK(policy.n_mounts <= 2 * cfg->n_rules && policy.n_deny <= cfg->n_rules);
	char text[256];
	for (size_t i = 0; i < cfg->n_rules; i++) {
		const char *path = cfg->rules[i].path;
		struct ferry_decision d = ferry_policy_decide(&policy, path);
		FUZZ_CHECK(d.rule == FERRY_NO_RULE || d.rule < cfg->n_rules);
		if (!d.allow)
			FUZZ_CHECK(cfg->rules[d.rule].kind == FERRY_RULE_DENY);
		ferry_policy_rule_text(&policy, d.rule, text, sizeof(text));
		const char *other = cfg->rules[(i + 1) % cfg->n_rules].path;
		struct ferry_decision m = ferry_policy_decide_move(&policy, path, true, other);
		/* A move is never allowed when either end on its own is denied. */
		if (!d.allow || !ferry_policy_decide(&policy, other).allow)
			FUZZ_CHECK(!m.allow);
	}
	ferry_policy_free(&policy);
}

static void run_once(const char *text, struct fuzz_fs *fs, const struct ferry_vars *vars)
{
	struct ferry_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	struct ferry_loader loader = {fuzz_load, fs};
	char err[1024];
	fs->loads = 0;
	int r = ferry_config_apply_policy_text(&cfg, "/home/u/proj/main.policy", text, vars,
	                                       &loader, err, sizeof(err));
	if (r == 0) {
		fuzz_check_config(&cfg);
		exercise_policy(&cfg);
	} else {
		FUZZ_CHECK(r == -1 && err[0] != '\0');
	}
	ferry_config_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_strndup(data, size);
	struct fuzz_fs fs;
	const char *text = fuzz_fs_split(&fs, buf);
	static const struct ferry_vars usual = {"/home/u/proj", "/home/u"};
	static const struct ferry_vars bare = {"/", NULL}; /* run from /, HOME unset */
	run_once(text, &fs, &usual);
	run_once(text, &fs, &bare);
	free(buf);
	return 0;
}
