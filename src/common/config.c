/* Command line and policy files -> struct ferry_config. Pure. */
#include "ferry/config.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include "ferry/fail.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_INCLUDES 256

const char *const ferry_profile_names[] = {"default", "none", NULL};

/* Where an option came from, for messages and nested includes. */
struct source {
	const char *name; /* NULL: the command line */
	unsigned line;
	int depth;
	const struct source *parent; /* include chain, for loop detection */
};

struct parser {
	struct ferry_config *cfg;
	const struct ferry_vars *vars;
	const struct ferry_loader *loader;
	char *err;
	size_t errlen;
	bool profile_set;
	unsigned includes; /* files included so far, against fan-out */
};

enum opt_id {
	OPT_RO,
	OPT_RW,
	OPT_HIDE,
	OPT_DENY,
	OPT_TMPFS,
	OPT_CHDIR,
	OPT_POLICY,
	OPT_PROFILE,
	OPT_NET,
	OPT_SETENV,
	OPT_UNSETENV,
	OPT_CLEARENV,
	OPT_TIMEOUT,
	OPT_LOG,
	OPT_REPORT,
	OPT_INCLUDE,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_HELP,
	OPT_VERSION,
	OPT_EXPLAIN,
	OPT_ALLOW_DEBUG,
	OPT_LIMIT,
	OPT_MEMORY,
	OPT_PIDS,
};

struct opt_def {
	const char *name;
	enum opt_id id;
	bool has_arg;
	bool in_file; /* allowed in policy files */
	bool on_cli;
};

static const struct opt_def opt_defs[] = {
    {"ro", OPT_RO, true, true, true},
    {"rw", OPT_RW, true, true, true},
    {"hide", OPT_HIDE, true, true, true},
    {"deny", OPT_DENY, true, true, true},
    {"tmpfs", OPT_TMPFS, true, true, true},
    {"chdir", OPT_CHDIR, true, true, true},
    {"policy", OPT_POLICY, true, false, true},
    {"profile", OPT_PROFILE, true, true, true},
    {"net", OPT_NET, true, true, true},
    {"setenv", OPT_SETENV, true, true, true},
    {"unsetenv", OPT_UNSETENV, true, true, true},
    {"clearenv", OPT_CLEARENV, false, true, true},
    {"timeout", OPT_TIMEOUT, true, true, true},
    {"log", OPT_LOG, true, true, true},
    {"report", OPT_REPORT, true, true, true},
    {"include", OPT_INCLUDE, true, true, false},
    {"verbose", OPT_VERBOSE, false, false, true},
    {"quiet", OPT_QUIET, false, false, true},
    {"help", OPT_HELP, false, false, true},
    {"version", OPT_VERSION, false, false, true},
    {"explain", OPT_EXPLAIN, false, false, true},
    {"allow-debug", OPT_ALLOW_DEBUG, false, true, true},
    {"limit", OPT_LIMIT, true, true, true},
    {"memory", OPT_MEMORY, true, true, true},
    {"pids", OPT_PIDS, true, true, true},
};

static const struct opt_def *find_opt(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(opt_defs) / sizeof(opt_defs[0]); i++)
		if (strlen(opt_defs[i].name) == len && strncmp(opt_defs[i].name, name, len) == 0)
			return &opt_defs[i];
	return NULL;
}

const char *ferry_rule_kind_name(enum ferry_rule_kind kind)
{
	switch (kind) {
	case FERRY_RULE_RO:
		return "ro";
	case FERRY_RULE_RW:
		return "rw";
	case FERRY_RULE_HIDE:
		return "hide";
	case FERRY_RULE_TMPFS:
		return "tmpfs";
	case FERRY_RULE_DENY:
		return "deny";
	}
	return "?";
}

/* "--ro" on the command line, "ci.policy:3: ro" in a file. */
static int where(const struct source *src, const struct opt_def *def, char *buf, size_t len)
{
	if (src->name)
		return snprintf(buf, len, "%s:%u: %s", src->name, src->line, def->name);
	return snprintf(buf, len, "--%s", def->name);
}

__attribute__((format(printf, 4, 5))) static int fail_at(struct parser *ps,
                                                         const struct source *src,
                                                         const struct opt_def *def, const char *fmt,
                                                         ...)
{
	char head[512];
	char body[1024];
	where(src, def, head, sizeof(head));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return ferry_set_err(ps->err, ps->errlen, "%s: %s", head, body);
}

char *ferry_path_normalize(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 2);
	if (!out)
		return NULL;
	size_t o = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

size_t ferry_path_undeleted_len(const char *text)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(text), d = sizeof(deleted) - 1;
	return n >= d && strcmp(text + n - d, deleted) == 0 ? n - d : n;
}

char *ferry_path_join(const char *base, const char *path)
{
	if (path[0] == '/')
		return ferry_path_normalize(path);
	size_t bl = strlen(base), pl = strlen(path);
	char *tmp = malloc(bl + pl + 2);
	if (!tmp)
		return NULL;
	memcpy(tmp, base, bl);
	tmp[bl] = '/';
	memcpy(tmp + bl + 1, path, pl + 1);
	char *out = ferry_path_normalize(tmp);
	free(tmp);
	return out;
}

/* Expands ${PWD}, ${HOME} and a leading "~". Returns malloc'ed text or NULL
 * with the error reported. */
static char *expand_vars(struct parser *ps, const struct source *src, const struct opt_def *def,
                         const char *in)
{
	size_t cap = strlen(in) + 1, len = 0;
	char *out = malloc(cap);
	if (!out) {
		fail_at(ps, src, def, "out of memory");
		return NULL;
	}
	const char *p = in;
	while (*p) {
		const char *val = NULL;
		size_t skip = 0;
		if (p == in && p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
			val = ps->vars->home;
			skip = 1;
			if (!val) {
				free(out);
				fail_at(ps, src, def, "'~' used but HOME is not set");
				return NULL;
			}
		} else if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p, '}');
			if (!close) {
				free(out);
				fail_at(ps, src, def, "unterminated '${' in '%s'", in);
				return NULL;
			}
			size_t nl = (size_t)(close - p - 2);
			if (nl == 3 && strncmp(p + 2, "PWD", 3) == 0)
				val = ps->vars->pwd;
			else if (nl == 4 && strncmp(p + 2, "HOME", 4) == 0)
				val = ps->vars->home;
			else {
				free(out);
				fail_at(ps, src, def,
				        "unknown variable '%.*s' (only ${PWD} and ${HOME})",
				        (int)(close - p + 1), p);
				return NULL;
			}
			if (!val) {
				free(out);
				fail_at(ps, src, def, "'%.*s' used but it is not set",
				        (int)(close - p + 1), p);
				return NULL;
			}
			skip = (size_t)(close - p + 1);
		}
		const char *add = val ? val : p;
		size_t addlen = val ? strlen(val) : 1;
		if (len + addlen + 1 > cap) {
			cap = (len + addlen + 1) * 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				fail_at(ps, src, def, "out of memory");
				return NULL;
			}
			out = grown;
		}
		memcpy(out + len, add, addlen);
		len += addlen;
		p += val ? skip : 1;
	}
	out[len] = '\0';
	return out;
}

static void *grow(void *array, size_t n, size_t size)
{
	/* Grows by one element; capacity doubles at powers of two. */
	if (n & (n - 1))
		return array;
	size_t cap = n ? n * 2 : 4;
	return realloc(array, cap * size);
}

static int add_rule(struct parser *ps, const char *origin, enum ferry_rule_kind kind, char *path,
                    bool optional, bool keep_symlink)
{
	struct ferry_config *cfg = ps->cfg;
	struct ferry_rule *rules = grow(cfg->rules, cfg->n_rules, sizeof(*rules));
	char *origin_copy = strdup(origin);
	if (!rules || !origin_copy) {
		if (rules)
			cfg->rules = rules;
		free(origin_copy);
		free(path);
		return ferry_set_err(ps->err, ps->errlen, "out of memory");
	}
	cfg->rules = rules;
	struct ferry_rule *r = &rules[cfg->n_rules++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->path = path;
	r->origin = origin_copy;
	r->optional = optional;
	r->keep_symlink = keep_symlink;
	return 0;
}

static char *make_path(struct parser *ps, const struct source *src, const struct opt_def *def,
                       const char *arg)
{
	if (arg[0] == '\0') {
		fail_at(ps, src, def, "empty path");
		return NULL;
	}
	char *expanded = expand_vars(ps, src, def, arg);
	if (!expanded)
		return NULL;
	if (expanded[0] != '/' && src->name) {
		fail_at(ps, src, def, "'%s' is not an absolute path (write ${PWD}/%s)", arg, arg);
		free(expanded);
		return NULL;
	}
	char *path = ferry_path_join(ps->vars->pwd, expanded);
	free(expanded);
	if (!path)
		fail_at(ps, src, def, "out of memory");
	return path;
}

/* Removes "." components and resolves ".." against the component before it,
 * in place ("/a/./b/../c" -> "/a/c"). A ".." after "**" or at the start of a
 * relative pattern is kept: it cannot be resolved lexically. */
static void glob_drop_dots(char *pattern)
{
	char *copy = strdup(pattern);
	if (!copy)
		return; /* left as it is */
	const char *p = copy;
	char *out = pattern;
	if (*p == '/')
		*out++ = *p++;
	char *start = out; /* components go after the leading '/' */
	bool absolute = start > pattern;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool dot = len == 1 && p[0] == '.';
		bool dotdot = len == 2 && p[0] == '.' && p[1] == '.';
		char *last = out; /* start of the last component written */
		while (last > start && last[-1] != '/')
			last--;
		bool can_pop = out > start && !(out - last == 2 && strncmp(last, "..", 2) == 0) &&
		               !(out - last == 2 && strncmp(last, "**", 2) == 0);
		if (dot || (dotdot && absolute && out == start)) {
			/* "." and ".." at the root name the root */
		} else if (dotdot && can_pop) {
			out = last > start ? last - 1 : start;
		} else if (len > 0) {
			if (out > start)
				*out++ = '/';
			memmove(out, p, len);
			out += len;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	if (out == pattern)
		*out++ = '.';
	*out = '\0';
	free(copy);
}

static char *make_glob(struct parser *ps, const struct source *src, const struct opt_def *def,
                       const char *arg)
{
	char *expanded = expand_vars(ps, src, def, arg);
	if (!expanded)
		return NULL;
	size_t n = strlen(expanded);
	while (n > 1 && expanded[n - 1] == '/')
		expanded[--n] = '\0';
	if (n == 0) {
		free(expanded);
		fail_at(ps, src, def, "empty pattern");
		return NULL;
	}
	/* "./x" and "../x" are relative to the current directory. */
	if (strcmp(expanded, ".") == 0 || strcmp(expanded, "..") == 0 ||
	    strncmp(expanded, "./", 2) == 0 || strncmp(expanded, "../", 3) == 0) {
		char *joined = malloc(strlen(ps->vars->pwd) + n + 2);
		if (!joined) {
			free(expanded);
			fail_at(ps, src, def, "out of memory");
			return NULL;
		}
		sprintf(joined, "%s/%s", ps->vars->pwd, expanded);
		free(expanded);
		expanded = joined;
	}
	/* Decisions are made on resolved paths, which hold no "." or ".."
	 * components: take them out of the pattern too (they hold no glob
	 * characters, so this is exact). */
	glob_drop_dots(expanded);
	n = strlen(expanded);
	/* A pattern without a leading '/' matches at any depth, like a
	 * gitignore pattern: "*.pem" means "**" "/" "*.pem". */
	bool anywhere =
	    expanded[0] != '/' && strncmp(expanded, "**/", 3) != 0 && strcmp(expanded, "**") != 0;
	char *out = malloc(n + 4);
	if (!out) {
		free(expanded);
		fail_at(ps, src, def, "out of memory");
		return NULL;
	}
	size_t o = 0;
	if (anywhere) {
		memcpy(out, "**/", 3);
		o = 3;
	}
	for (size_t i = 0; i < n; i++)
		if (!(expanded[i] == '/' && o > 0 && out[o - 1] == '/'))
			out[o++] = expanded[i];
	out[o] = '\0';
	free(expanded);
	return out;
}

static int apply_profile(struct parser *ps, const char *name, const struct source *src,
                         const struct opt_def *def);
static int apply_text(struct parser *ps, const char *name, const char *text,
                      const struct source *parent);

static bool is_profile(const char *name)
{
	for (size_t i = 0; ferry_profile_names[i]; i++)
		if (strcmp(ferry_profile_names[i], name) == 0)
			return true;
	return false;
}

static int include_file(struct parser *ps, const struct source *src, const struct opt_def *def,
                        const char *arg)
{
	char *expanded = expand_vars(ps, src, def, arg);
	if (!expanded)
		return -1;
	char *path;
	if (expanded[0] == '/' || !src->name) {
		path = ferry_path_join(ps->vars->pwd, expanded);
	} else {
		/* Relative includes are relative to the including file. */
		const char *slash = strrchr(src->name, '/');
		size_t dl = slash ? (size_t)(slash - src->name) : 0;
		char *dir = slash ? strndup(src->name, dl ? dl : 1) : strdup(".");
		path = dir ? ferry_path_join(dir, expanded) : NULL;
		free(dir);
	}
	free(expanded);
	if (!path)
		return fail_at(ps, src, def, "out of memory");
	if (++ps->includes > MAX_INCLUDES) {
		fail_at(ps, src, def, "'%s': more than %d files included in all", path,
		        MAX_INCLUDES);
		free(path);
		return -1;
	}
	if (src->depth >= MAX_INCLUDE_DEPTH) {
		fail_at(ps, src, def, "'%s': includes nested deeper than %d", path,
		        MAX_INCLUDE_DEPTH);
		free(path);
		return -1;
	}
	for (const struct source *s = src; s; s = s->parent)
		if (s->name && strcmp(s->name, path) == 0) {
			fail_at(ps, src, def, "'%s' includes itself", path);
			free(path);
			return -1;
		}
	char lerr[256] = "";
	char *text = ps->loader && ps->loader->load
	                 ? ps->loader->load(ps->loader->ctx, path, lerr, sizeof(lerr))
	                 : NULL;
	if (!text) {
		fail_at(ps, src, def, "%s: %s", path,
		        lerr[0] ? lerr : "cannot read policy files here");
		free(path);
		return -1;
	}
	int r = apply_text(ps, path, text, src);
	free(text);
	free(path);
	return r;
}

int ferry_parse_size(const char *text, unsigned long long *out)
{
	if (!isdigit((unsigned char)text[0]))
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno)
		return -1;
	static const char units[] = "KMGT";
	const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (*end && (!u || end[1] != '\0'))
		return -1;
	for (const char *p = units; u && p <= u; p++) {
		if (v > (~0ULL >> 10))
			return -1;
		v <<= 10;
	}
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	int resource;
	bool count_only; /* seconds: no K/M/G suffix */
} limit_names[] = {
    {"as", RLIMIT_AS, false},         {"nproc", RLIMIT_NPROC, false},
    {"nofile", RLIMIT_NOFILE, false}, {"fsize", RLIMIT_FSIZE, false},
    {"cpu", RLIMIT_CPU, true},        {"core", RLIMIT_CORE, false},
};

/* "--limit nofile=abc: not a whole number (or unlimited)" */
static int limit_err(struct parser *ps, const struct source *src, const struct opt_def *def,
                     const char *arg, const char *why)
{
	char head[512];
	where(src, def, head, sizeof(head));
	return ferry_set_err(ps->err, ps->errlen, "%s %s: %s", head, arg, why);
}

const char *ferry_limit_name(int resource)
{
	for (size_t i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++)
		if (limit_names[i].resource == resource)
			return limit_names[i].name;
	return "?";
}

static int parse_limit(struct parser *ps, const struct source *src, const struct opt_def *def,
                       const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t nl = eq ? (size_t)(eq - arg) : strlen(arg);
	size_t i;
	for (i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++)
		if (strlen(limit_names[i].name) == nl && strncmp(limit_names[i].name, arg, nl) == 0)
			break;
	if (!eq)
		return limit_err(ps, src, def, arg, "not NAME=VALUE");
	if (i == sizeof(limit_names) / sizeof(limit_names[0])) {
		char why[128];
		snprintf(why, sizeof(why),
		         "unknown limit '%.*s' (as, nproc, nofile, fsize, cpu, core)", (int)nl,
		         arg);
		return limit_err(ps, src, def, arg, why);
	}
	unsigned long long value = RLIM_INFINITY;
	const char *v = eq + 1;
	int bad = 0;
	if (strcmp(v, "unlimited") != 0) {
		if (limit_names[i].count_only)
			bad =
			    strspn(v, "0123456789") != strlen(v) ? -1 : ferry_parse_size(v, &value);
		else
			bad = ferry_parse_size(v, &value);
	}
	if (bad < 0) {
		char why[160];
		snprintf(why, sizeof(why), "'%s' is not a %s (or unlimited)", v,
		         limit_names[i].count_only ? "whole number of seconds" : "number");
		return limit_err(ps, src, def, arg, why);
	}
	/* The last value for a resource wins (the guest sets each once). */
	struct ferry_config *cfg = ps->cfg;
	for (size_t k = 0; k < cfg->n_limits; k++)
		if (cfg->limits[k].resource == limit_names[i].resource) {
			cfg->limits[k].value = value;
			return 0;
		}
	struct ferry_limit *limits = grow(cfg->limits, cfg->n_limits, sizeof(*limits));
	if (!limits)
		return fail_at(ps, src, def, "out of memory");
	cfg->limits = limits;
	limits[cfg->n_limits++] = (struct ferry_limit){limit_names[i].resource, value};
	return 0;
}

/* tmpfs's size=: a number with an optional k/m/g suffix, or a percentage. */
static bool is_tmpfs_size(const char *s)
{
	size_t digits = strspn(s, "0123456789");
	if (digits == 0)
		return false;
	return s[digits] == '\0' || (s[digits + 1] == '\0' && strchr("kKmMgG%", s[digits]));
}

static int parse_timeout(const char *arg, unsigned *out)
{
	if (!isdigit((unsigned char)arg[0]))
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || *end || v == 0 || v > 100000000UL)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int add_env(struct parser *ps, enum ferry_env_kind kind, char *name, char *value)
{
	struct ferry_config *cfg = ps->cfg;
	struct ferry_env_op *ops = grow(cfg->env_ops, cfg->n_env_ops, sizeof(*ops));
	if (!ops) {
		free(name);
		free(value);
		return ferry_set_err(ps->err, ps->errlen, "out of memory");
	}
	cfg->env_ops = ops;
	ops[cfg->n_env_ops++] = (struct ferry_env_op){kind, name, value};
	return 0;
}

static int apply_opt(struct parser *ps, const struct source *src, const struct opt_def *def,
                     const char *arg)
{
	struct ferry_config *cfg = ps->cfg;
	char origin[512];
	char *s;
	switch (def->id) {
	case OPT_RO:
	case OPT_RW:
	case OPT_HIDE:
	case OPT_TMPFS: {
		static const enum ferry_rule_kind kinds[] = {
		    [OPT_RO] = FERRY_RULE_RO,
		    [OPT_RW] = FERRY_RULE_RW,
		    [OPT_HIDE] = FERRY_RULE_HIDE,
		    [OPT_TMPFS] = FERRY_RULE_TMPFS,
		};
		/* --tmpfs PATH:SIZE */
		char *size = NULL;
		const char *colon = def->id == OPT_TMPFS ? strrchr(arg, ':') : NULL;
		if (colon && is_tmpfs_size(colon + 1)) {
			char *path = strndup(arg, (size_t)(colon - arg));
			size = strdup(colon + 1);
			s = path && size ? make_path(ps, src, def, path) : NULL;
			free(path);
		} else {
			s = make_path(ps, src, def, arg);
		}
		if (!s) {
			free(size);
			return -1;
		}
		where(src, def, origin, sizeof(origin));
		if (add_rule(ps, origin, kinds[def->id], s, false, false) < 0) {
			free(size);
			return -1;
		}
		ps->cfg->rules[ps->cfg->n_rules - 1].size = size;
		return 0;
	}
	case OPT_DENY:
		if (!(s = make_glob(ps, src, def, arg)))
			return -1;
		where(src, def, origin, sizeof(origin));
		return add_rule(ps, origin, FERRY_RULE_DENY, s, false, false);
	case OPT_CHDIR:
		if (!(s = make_path(ps, src, def, arg)))
			return -1;
		free(cfg->chdir);
		cfg->chdir = s;
		return 0;
	case OPT_LOG:
	case OPT_REPORT:
		if (!(s = make_path(ps, src, def, arg)))
			return -1;
		char **slot = def->id == OPT_LOG ? &cfg->log_path : &cfg->report_path;
		free(*slot);
		*slot = s;
		return 0;
	case OPT_POLICY:
	case OPT_INCLUDE:
		if (def->id == OPT_INCLUDE && is_profile(arg))
			return apply_profile(ps, arg, src, def);
		return include_file(ps, src, def, arg);
	case OPT_PROFILE:
		if (!is_profile(arg))
			return fail_at(ps, src, def,
			               "no profile named '%s' (there are: default, none)", arg);
		free(cfg->profile);
		if (!(cfg->profile = strdup(arg)))
			return fail_at(ps, src, def, "out of memory");
		ps->profile_set = true;
		return 0;
	case OPT_NET:
		if (strcmp(arg, "none") == 0)
			cfg->net = FERRY_NET_NONE;
		else if (strcmp(arg, "host") == 0)
			cfg->net = FERRY_NET_HOST;
		else
			return fail_at(ps, src, def, "'%s' is neither none nor host", arg);
		return 0;
	case OPT_SETENV: {
		const char *eq = strchr(arg, '=');
		if (!eq || eq == arg)
			return fail_at(ps, src, def, "'%s' is not NAME=VALUE", arg);
		char *name = strndup(arg, (size_t)(eq - arg));
		char *value = expand_vars(ps, src, def, eq + 1);
		if (!value) {
			free(name);
			return -1;
		}
		if (!name || !value) {
			free(name);
			free(value);
			return fail_at(ps, src, def, "out of memory");
		}
		return add_env(ps, FERRY_ENV_SET, name, value);
	}
	case OPT_UNSETENV:
		if (arg[0] == '\0' || strchr(arg, '='))
			return fail_at(ps, src, def, "'%s' is not a variable name", arg);
		if (!(s = strdup(arg)))
			return fail_at(ps, src, def, "out of memory");
		return add_env(ps, FERRY_ENV_UNSET, s, NULL);
	case OPT_CLEARENV:
		/* Earlier --setenv/--unsetenv still apply, on top of the empty set. */
		cfg->clearenv = true;
		return 0;
	case OPT_TIMEOUT:
		if (parse_timeout(arg, &cfg->timeout) < 0)
			return fail_at(ps, src, def,
			               "'%s' is not a whole number of seconds (1 or more)", arg);
		return 0;
	case OPT_VERBOSE:
		cfg->verbosity = cfg->verbosity < 0 ? 1 : cfg->verbosity + 1;
		return 0;
	case OPT_QUIET:
		cfg->verbosity = -1;
		return 0;
	case OPT_EXPLAIN:
		cfg->mode = FERRY_MODE_EXPLAIN;
		return 0;
	case OPT_ALLOW_DEBUG:
		cfg->allow_debug = true;
		return 0;
	case OPT_LIMIT:
		return parse_limit(ps, src, def, arg);
	case OPT_MEMORY:
		if (ferry_parse_size(arg, &cfg->memory_max) < 0 || cfg->memory_max == 0)
			return fail_at(ps, src, def, "'%s' is not a size (like 512M or 2G)", arg);
		return 0;
	case OPT_PIDS: {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(arg, &end, 10);
		if (!isdigit((unsigned char)arg[0]) || *end || errno || n == 0)
			return fail_at(ps, src, def, "'%s' is not a whole number of processes",
			               arg);
		cfg->pids_max = n;
		return 0;
	}
	case OPT_HELP:
		cfg->mode = FERRY_MODE_HELP;
		return 0;
	case OPT_VERSION:
		cfg->mode = FERRY_MODE_VERSION;
		return 0;
	}
	return 0;
}

static int apply_profile(struct parser *ps, const char *name, const struct source *src,
                         const struct opt_def *def)
{
	static const char *const system_ro[] = {"/usr",   "/bin",    "/sbin", "/lib", "/lib32",
	                                        "/lib64", "/libx32", "/etc",  "/opt"};
	char origin[512];
	if (src)
		where(src, def, origin, sizeof(origin));
	else
		snprintf(origin, sizeof(origin), "profile %s", name);
	if (strcmp(name, "none") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(system_ro) / sizeof(system_ro[0]); i++) {
		char *p = strdup(system_ro[i]);
		if (!p || add_rule(ps, origin, FERRY_RULE_RO, p, true, true) < 0)
			return ferry_set_err(ps->err, ps->errlen, "out of memory");
	}
	char *tmp = strdup("/tmp");
	if (!tmp || add_rule(ps, origin, FERRY_RULE_TMPFS, tmp, true, false) < 0)
		return ferry_set_err(ps->err, ps->errlen, "out of memory");
	const char *home = ps->vars->home;
	if (home && home[0] == '/') {
		char *h = ferry_path_normalize(home);
		if (!h)
			return ferry_set_err(ps->err, ps->errlen, "out of memory");
		if (strcmp(h, "/") == 0)
			free(h);
		else if (add_rule(ps, origin, FERRY_RULE_TMPFS, h, true, false) < 0)
			return -1;
	}
	char *pwd = ferry_path_normalize(ps->vars->pwd);
	if (!pwd)
		return ferry_set_err(ps->err, ps->errlen, "out of memory");
	/* The private home stays private: a current directory that is the
	 * home, or holds it, is not bound (ferry says so, and --rw binds it). */
	if (ps->vars->home && ps->vars->home[0] == '/' && strcmp(pwd, "/") != 0) {
		char *h = ferry_path_normalize(ps->vars->home);
		size_t pl = strlen(pwd);
		bool holds_home = h && strncmp(h, pwd, pl) == 0 && (h[pl] == '\0' || h[pl] == '/');
		free(h);
		if (holds_home) {
			free(pwd);
			return 0;
		}
	}
	if (strcmp(pwd, "/") == 0) {
		free(pwd);
		return ferry_set_err(
		    ps->err, ps->errlen,
		    "%s: the current directory is /, and making all of it writable "
		    "would expose the host; run ferry from a project directory, or "
		    "use --profile none with --ro/--rw",
		    origin);
	}
	return add_rule(ps, origin, FERRY_RULE_RW, pwd, false, false);
}

static int apply_text(struct parser *ps, const char *name, const char *text,
                      const struct source *parent)
{
	struct source src = {name, 0, parent ? parent->depth + 1 : 1, parent};
	const char *p = text;
	while (*p) {
		src.line++;
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = strndup(p, len);
		if (!line)
			return ferry_set_err(ps->err, ps->errlen, "out of memory");
		p += len + (eol ? 1 : 0);
		/* Strip comments, then surrounding blanks. */
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *start = line;
		while (isspace((unsigned char)*start))
			start++;
		char *end = start + strlen(start);
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*start == '\0') {
			free(line);
			continue;
		}
		char *key_end = start;
		while (*key_end && !isspace((unsigned char)*key_end))
			key_end++;
		char *arg = key_end;
		while (isspace((unsigned char)*arg))
			arg++;
		const struct opt_def *def = find_opt(start, (size_t)(key_end - start));
		int r;
		if (!def || !def->in_file) {
			r = ferry_set_err(ps->err, ps->errlen, "%s:%u: unknown option '%.*s'", name,
			                  src.line, (int)(key_end - start), start);
		} else if (def->has_arg && *arg == '\0') {
			r = fail_at(ps, &src, def, "missing argument");
		} else if (!def->has_arg && *arg != '\0') {
			r = fail_at(ps, &src, def, "takes no argument");
		} else {
			r = apply_opt(ps, &src, def, arg);
		}
		free(line);
		if (r < 0)
			return -1;
	}
	return 0;
}

int ferry_config_apply_policy_text(struct ferry_config *cfg, const char *name, const char *text,
                                   const struct ferry_vars *vars, const struct ferry_loader *loader,
                                   char *err, size_t errlen)
{
	struct parser ps = {cfg, vars, loader, err, errlen, false, 0};
	return apply_text(&ps, name, text, NULL);
}

static int parse_cli(struct parser *ps, int argc, char **argv)
{
	struct source cli = {NULL, 0, 0, NULL};
	int i = 1;
	if (i < argc && strcmp(argv[i], "run") == 0)
		i++;
	else if (i < argc && strcmp(argv[i], "trace") == 0)
		return ferry_set_err(ps->err, ps->errlen,
		                     "trace: this build of ferry has no trace mode yet");
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] != '-') {
			/* Short options: -v, -q, -h, -V, combinable. */
			for (const char *c = a + 1; *c; c++) {
				const char *name = *c == 'v'   ? "verbose"
				                   : *c == 'q' ? "quiet"
				                   : *c == 'h' ? "help"
				                   : *c == 'V' ? "version"
				                               : NULL;
				if (!name)
					return ferry_set_err(
					    ps->err, ps->errlen,
					    "unknown option '-%c' (see ferry --help)", *c);
				apply_opt(ps, &cli, find_opt(name, strlen(name)), NULL);
			}
			continue;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt_def *def = find_opt(name, nlen);
		if (!def || !def->on_cli)
			return ferry_set_err(ps->err, ps->errlen,
			                     "unknown option '--%.*s' (see ferry --help)",
			                     (int)nlen, name);
		const char *arg = NULL;
		if (def->has_arg) {
			if (eq)
				arg = eq + 1;
			else if (i + 1 < argc)
				arg = argv[++i];
			else
				return fail_at(ps, &cli, def, "missing argument");
		} else if (eq) {
			return fail_at(ps, &cli, def, "takes no argument");
		}
		if (apply_opt(ps, &cli, def, arg) < 0)
			return -1;
	}
	if (ps->cfg->mode == FERRY_MODE_HELP || ps->cfg->mode == FERRY_MODE_VERSION)
		return 0;
	if (i >= argc && ps->cfg->mode == FERRY_MODE_EXPLAIN)
		return 0;
	if (i >= argc)
		return ferry_set_err(ps->err, ps->errlen, "no command given (see ferry --help)");
	ps->cfg->argv = &argv[i];
	return 0;
}

int ferry_config_parse(struct ferry_config *cfg, int argc, char **argv,
                       const struct ferry_vars *vars, const struct ferry_loader *loader, char *err,
                       size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->net = FERRY_NET_NONE;
	struct parser ps = {cfg, vars, loader, err, errlen, false, 0};
	if (parse_cli(&ps, argc, argv) < 0)
		return -1;
	if (cfg->mode == FERRY_MODE_HELP || cfg->mode == FERRY_MODE_VERSION)
		return 0;
	/* The base profile's rules come first, so options refine it. */
	struct ferry_rule *own = cfg->rules;
	size_t n_own = cfg->n_rules;
	cfg->rules = NULL;
	cfg->n_rules = 0;
	const char *profile = ps.profile_set ? cfg->profile : "default";
	char *name = strdup(profile);
	int r = name ? apply_profile(&ps, name, NULL, NULL)
	             : ferry_set_err(err, errlen, "out of memory");
	free(name);
	if (r == 0 && !cfg->profile && !(cfg->profile = strdup(profile)))
		r = ferry_set_err(err, errlen, "out of memory");
	for (size_t k = 0; k < n_own; k++) {
		if (r == 0) {
			struct ferry_rule *rules = grow(cfg->rules, cfg->n_rules, sizeof(*rules));
			if (rules) {
				cfg->rules = rules;
				rules[cfg->n_rules++] = own[k];
				continue;
			}
			r = ferry_set_err(err, errlen, "out of memory");
		}
		free(own[k].path);
		free(own[k].origin);
		free(own[k].size);
	}
	free(own);
	return r;
}

void ferry_config_free(struct ferry_config *cfg)
{
	for (size_t i = 0; i < cfg->n_rules; i++) {
		free(cfg->rules[i].path);
		free(cfg->rules[i].origin);
		free(cfg->rules[i].host_path);
		free(cfg->rules[i].link_target);
		free(cfg->rules[i].size);
	}
	free(cfg->rules);
	for (size_t i = 0; i < cfg->n_env_ops; i++) {
		free(cfg->env_ops[i].name);
		free(cfg->env_ops[i].value);
	}
	free(cfg->env_ops);
	free(cfg->limits);
	free(cfg->profile);
	free(cfg->chdir);
	free(cfg->log_path);
	free(cfg->report_path);
	memset(cfg, 0, sizeof(*cfg));
}
