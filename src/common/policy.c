/* Rules -> mount plan and per-path decisions. Pure. */
#include "ferry/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/fail.h"

/* A guest chooses the paths that are matched, so matching is bounded: past
 * this many steps the pattern is taken to match, which fails closed for deny
 * rules. */
#define GLOB_STEP_BUDGET 200000

struct glob_state {
	long steps;
	bool prefix; /* match_below: running off the end of the path is a success */
};

static const char *class_end(const char *p)
{
	/* p points after '['; returns the closing ']' or NULL. */
	const char *q = p;
	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']')
		q++;
	for (; *q; q++) {
		if (*q == '\\' && q[1])
			q++;
		else if (*q == ']')
			return q;
	}
	return NULL;
}

static bool class_match(const char *p, const char *end, unsigned char c)
{
	bool negate = false;
	bool hit = false;
	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	bool first = true;
	while (p < end) {
		unsigned char lo = (unsigned char)*p;
		if (lo == '\\' && p + 1 < end)
			lo = (unsigned char)*++p;
		else if (lo == ']' && !first)
			break;
		p++;
		first = false;
		unsigned char hi = lo;
		if (*p == '-' && p + 1 < end) {
			hi = (unsigned char)p[1];
			if (hi == '\\' && p + 2 < end) {
				hi = (unsigned char)p[2];
				p++;
			}
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	return hit != negate;
}

static bool glob_at(struct glob_state *st, const char *p, const char *s, bool comp_start)
{
	for (;;) {
		if (++st->steps > GLOB_STEP_BUDGET)
			return true;
		if (st->prefix && *s == '\0')
			return *p != '\0';
		if (comp_start && p[0] == '*' && p[1] == '*' && (p[2] == '/' || p[2] == '\0')) {
			if (p[2] == '\0')
				return *s != '\0';
			const char *rest = p + 3;
			while (rest[0] == '*' && rest[1] == '*' && rest[2] == '/')
				rest += 3;
			if (glob_at(st, rest, s, true))
				return true;
			for (const char *t = s; *t; t++)
				if (*t == '/' && glob_at(st, rest, t + 1, true))
					return true;
			return false;
		}
		switch (*p) {
		case '\0':
			return *s == '\0';
		case '*':
			while (*p == '*')
				p++;
			for (const char *t = s;; t++) {
				if (glob_at(st, p, t, false))
					return true;
				if (*t == '\0' || *t == '/')
					return false;
			}
		case '?':
			if (*s == '\0' || *s == '/')
				return false;
			p++;
			s++;
			comp_start = false;
			continue;
		case '[': {
			const char *end = class_end(p + 1);
			/* The scan counts against the budget too (and running
			 * out of it still answers "match": fail closed). */
			st->steps += end ? end - p : (long)strlen(p);
			if (st->steps > GLOB_STEP_BUDGET)
				return true;
			if (end) {
				if (*s == '\0' || *s == '/' ||
				    !class_match(p + 1, end, (unsigned char)*s))
					return false;
				p = end + 1;
				s++;
				comp_start = false;
				continue;
			}
			break; /* no closing ']': a literal '[' */
		}
		case '\\':
			if (p[1])
				p++;
			break;
		default:
			break;
		}
		if (*p != *s)
			return false;
		comp_start = *p == '/';
		p++;
		s++;
	}
}

bool ferry_glob_match(const char *pattern, const char *path)
{
	struct glob_state st = {0, false};
	return glob_at(&st, pattern, path, true);
}

bool ferry_glob_match_below(const char *pattern, const char *dir)
{
	size_t n = strlen(dir);
	char *s = malloc(n + 2);
	if (!s)
		return true;
	memcpy(s, dir, n);
	if (n == 0 || dir[n - 1] != '/')
		s[n++] = '/';
	s[n] = '\0';
	struct glob_state st = {0, true};
	bool r = glob_at(&st, pattern, s, true);
	free(s);
	return r;
}

/* A pattern "**" "/NAME" where NAME holds no '/' looks at the last component
 * only, so moving a directory cannot change what it matches below it. */
static bool glob_is_basename_only(const char *pattern)
{
	return strncmp(pattern, "**/", 3) == 0 && strchr(pattern + 3, '/') == NULL &&
	       strstr(pattern + 3, "**") == NULL;
}

static size_t path_depth(const char *path)
{
	size_t depth = 0;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1] != '\0')
			depth++;
	return depth;
}

static bool path_is_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int mount_cmp(const void *a, const void *b)
{
	const struct ferry_mount *x = a, *y = b;
	size_t dx = path_depth(x->target), dy = path_depth(y->target);
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static bool mount_from_rule(const struct ferry_rule *r, size_t index, struct ferry_mount *m,
                            char *err, size_t errlen, int *failed)
{
	*failed = 0;
	m->rule = index;
	m->source = NULL;
	m->target = r->host_path ? r->host_path : r->path;
	m->source_is_dir = r->host_type == FERRY_HOST_DIR;
	switch (r->kind) {
	case FERRY_RULE_RO:
	case FERRY_RULE_RW:
		if (r->host_type == FERRY_HOST_MISSING || r->host_type == FERRY_HOST_UNKNOWN) {
			if (r->optional)
				return false;
			*failed = ferry_set_err(err, errlen, "%s %s: No such file or directory",
			                        r->origin, r->path);
			return false;
		}
		if (r->host_type == FERRY_HOST_SYMLINK) {
			m->kind = FERRY_MOUNT_SYMLINK;
			m->target = r->path;
			m->source = r->link_target;
			return true;
		}
		m->kind = r->kind == FERRY_RULE_RO ? FERRY_MOUNT_BIND_RO : FERRY_MOUNT_BIND_RW;
		m->source = r->host_path;
		return true;
	case FERRY_RULE_TMPFS:
		if (strcmp(r->path, "/") == 0) {
			*failed = ferry_set_err(
			    err, errlen,
			    "%s /: the sandbox root is a tmpfs already; use --profile none",
			    r->origin);
			return false;
		}
		m->kind = FERRY_MOUNT_TMPFS;
		m->target = r->path;
		m->source_is_dir = true;
		return true;
	case FERRY_RULE_HIDE:
		if (r->host_type == FERRY_HOST_MISSING || r->host_type == FERRY_HOST_UNKNOWN)
			return false; /* nothing there to hide */
		if (strcmp(m->target, "/") == 0) {
			*failed = ferry_set_err(err, errlen, "%s /: cannot hide the sandbox root",
			                        r->origin);
			return false;
		}
		m->kind =
		    r->host_type == FERRY_HOST_DIR ? FERRY_MOUNT_HIDE_DIR : FERRY_MOUNT_HIDE_FILE;
		return true;
	case FERRY_RULE_DENY:
		return false;
	}
	return false;
}

/* Adds m to the plan; the last rule for a target wins. */
static void add_mount(struct ferry_policy *policy, const struct ferry_mount *m)
{
	size_t j;
	for (j = 0; j < policy->n_mounts; j++)
		if (strcmp(policy->mounts[j].target, m->target) == 0)
			break;
	if (j < policy->n_mounts) {
		memmove(&policy->mounts[j], &policy->mounts[j + 1],
		        (policy->n_mounts - j - 1) * sizeof(*m));
		policy->n_mounts--;
	}
	policy->mounts[policy->n_mounts++] = *m;
}

int ferry_policy_build(struct ferry_policy *policy, const struct ferry_rule *rules, size_t n_rules,
                       char *err, size_t errlen)
{
	memset(policy, 0, sizeof(*policy));
	policy->rules = rules;
	policy->n_rules = n_rules;
	/* A rule naming a symlink yields a bind and the link itself. */
	policy->mounts = calloc(n_rules ? 2 * n_rules : 1, sizeof(*policy->mounts));
	policy->deny = calloc(n_rules ? n_rules : 1, sizeof(*policy->deny));
	if (!policy->mounts || !policy->deny) {
		ferry_policy_free(policy);
		return ferry_set_err(err, errlen, "out of memory");
	}
	for (size_t i = 0; i < n_rules; i++) {
		if (rules[i].kind == FERRY_RULE_DENY) {
			policy->deny[policy->n_deny++] = i;
			continue;
		}
		struct ferry_mount m;
		int failed;
		if (!mount_from_rule(&rules[i], i, &m, err, errlen, &failed)) {
			if (failed) {
				ferry_policy_free(policy);
				return -1;
			}
			continue;
		}
		add_mount(policy, &m);
		if (m.kind != FERRY_MOUNT_SYMLINK && rules[i].link_target &&
		    strcmp(rules[i].path, m.target) != 0) {
			/* The path named was a symlink: the bind sits at its real
			 * location, and the name leads there. */
			struct ferry_mount link = {FERRY_MOUNT_SYMLINK, rules[i].path,
			                           rules[i].link_target, false, i};
			add_mount(policy, &link);
		}
	}
	qsort(policy->mounts, policy->n_mounts, sizeof(*policy->mounts), mount_cmp);
	return 0;
}

void ferry_policy_free(struct ferry_policy *policy)
{
	free(policy->mounts);
	free(policy->deny);
	memset(policy, 0, sizeof(*policy));
}

/* The deny rule matching path or one of its parents, or FERRY_NO_RULE. */
static size_t deny_rule_for(const struct ferry_policy *policy, const char *path)
{
	if (policy->n_deny == 0)
		return FERRY_NO_RULE;
	size_t n = strlen(path);
	char *prefix = malloc(n + 1);
	if (!prefix)
		return policy->deny[0]; /* fail closed */
	memcpy(prefix, path, n + 1);
	size_t found = FERRY_NO_RULE;
	/* One budget for the whole decision, every rule against every parent:
	 * the guest chooses how deep its paths go. */
	struct glob_state st = {0, false};
	for (;;) {
		for (size_t i = 0; i < policy->n_deny && found == FERRY_NO_RULE; i++)
			if (st.steps > GLOB_STEP_BUDGET ||
			    glob_at(&st, policy->rules[policy->deny[i]].path, prefix, true))
				found = policy->deny[i];
		if (found == FERRY_NO_RULE && st.steps > GLOB_STEP_BUDGET)
			found = policy->deny[0]; /* out of budget: fail closed */
		char *slash = strrchr(prefix, '/');
		if (found != FERRY_NO_RULE || !slash || slash == prefix)
			break;
		*slash = '\0';
	}
	free(prefix);
	return found;
}

struct ferry_decision ferry_policy_decide(const struct ferry_policy *policy, const char *path)
{
	struct ferry_decision d = {true, FERRY_NO_RULE};
	size_t deny = deny_rule_for(policy, path);
	if (deny != FERRY_NO_RULE) {
		d.allow = false;
		d.rule = deny;
		return d;
	}
	/* Mounts are sorted parents first: the last one holding path is innermost. */
	for (size_t i = 0; i < policy->n_mounts; i++)
		if (path_is_within(path, policy->mounts[i].target))
			d.rule = policy->mounts[i].rule;
	return d;
}

struct ferry_decision ferry_policy_decide_move(const struct ferry_policy *policy, const char *src,
                                               bool src_is_dir, const char *dst)
{
	struct ferry_decision d = ferry_policy_decide(policy, src);
	if (!d.allow)
		return d;
	struct ferry_decision to = ferry_policy_decide(policy, dst);
	if (!to.allow)
		return to;
	if (src_is_dir) {
		for (size_t i = 0; i < policy->n_deny; i++) {
			const char *pattern = policy->rules[policy->deny[i]].path;
			if (!glob_is_basename_only(pattern) &&
			    ferry_glob_match_below(pattern, src)) {
				d.allow = false;
				d.rule = policy->deny[i];
				return d;
			}
		}
	}
	return d;
}

const char *ferry_mount_kind_name(enum ferry_mount_kind kind)
{
	switch (kind) {
	case FERRY_MOUNT_BIND_RO:
		return "ro";
	case FERRY_MOUNT_BIND_RW:
		return "rw";
	case FERRY_MOUNT_TMPFS:
		return "tmpfs";
	case FERRY_MOUNT_HIDE_DIR:
	case FERRY_MOUNT_HIDE_FILE:
		return "hide";
	case FERRY_MOUNT_SYMLINK:
		return "symlink";
	}
	return "?";
}

void ferry_policy_rule_text(const struct ferry_policy *policy, size_t rule, char *buf, size_t len)
{
	if (rule == FERRY_NO_RULE || rule >= policy->n_rules) {
		snprintf(buf, len, "-");
		return;
	}
	const struct ferry_rule *r = &policy->rules[rule];
	snprintf(buf, len, "%s %s", ferry_rule_kind_name(r->kind), r->path);
}
