/* libFuzzer target: the glob matcher. The input is a pattern, a newline, and
 * a path. policy.c is compiled into this file so the step counter is
 * visible: invariants are only checked when the budget was not used up (a
 * match that ran out of budget says "yes", which fails closed). */
#include "../../src/common/policy.c"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* CPU time one match may take, at most. The budget bounds steps; this checks
 * that a step stays cheap. Generous: the fuzzer's own build is slow. */
#ifndef GLOB_MAX_CPU_SECONDS
#define GLOB_MAX_CPU_SECONDS 0.5
#endif

struct outcome {
	bool match;
	bool exhausted; /* the step budget ran out: match says nothing */
};

static struct outcome match(const char *pattern, const char *path, bool prefix)
{
	struct glob_state st = {0, prefix};
	clock_t t0 = clock();
	struct outcome o;
	if (prefix) {
		/* What ferry_glob_match_below does, with the counter kept. */
		size_t n = strlen(path);
		char *s = malloc(n + 2);
		FUZZ_CHECK(s != NULL);
		memcpy(s, path, n);
		if (n == 0 || path[n - 1] != '/')
			s[n++] = '/';
		s[n] = '\0';
		o.match = glob_at(&st, pattern, s, true);
		free(s);
	} else {
		o.match = glob_at(&st, pattern, path, true);
	}
	double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* One step past the budget, or one class scan (charged whole) past it. */
	FUZZ_CHECK(st.steps <= GLOB_STEP_BUDGET + 1 + (long)strlen(pattern));
	if (cpu > GLOB_MAX_CPU_SECONDS) {
		fprintf(stderr, "glob: %.2f s of CPU for %ld steps (pattern %zu bytes, path %zu)\n",
		        cpu, st.steps, strlen(pattern), strlen(path));
		abort();
	}
	o.exhausted = st.steps > GLOB_STEP_BUDGET;
	if (o.exhausted)
		FUZZ_CHECK(o.match); /* fails closed */
	/* The public entry points agree with what was run here. */
	FUZZ_CHECK((prefix ? ferry_glob_match_below(pattern, path)
	                   : ferry_glob_match(pattern, path)) == o.match);
	return o;
}

static bool has_glob_chars(const char *p)
{
	return strpbrk(p, "*?[\\") != NULL;
}

/* Shaped like a resolved path: "/" or "/a/b" with no empty, "." or ".."
 * component. */
static bool is_resolved(const char *s)
{
	if (s[0] != '/')
		return false;
	if (strcmp(s, "/") == 0)
		return true;
	for (const char *c = s + 1;;) {
		const char *end = strchrnul(c, '/');
		size_t len = (size_t)(end - c);
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!*end)
			return true;
		c = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_strndup(data, size);
	char *nl = strchr(buf, '\n');
	const char *pattern = buf;
	const char *path = "";
	if (nl) {
		*nl = '\0';
		path = nl + 1;
	}

	struct outcome m = match(pattern, path, false);
	struct outcome b = match(pattern, path, true);

	/* A pattern without glob characters matches exactly itself, and
	 * matches below a directory exactly when it names something in it. */
	if (!has_glob_chars(pattern)) {
		FUZZ_CHECK(!m.exhausted && !b.exhausted);
		FUZZ_CHECK(m.match == (strcmp(pattern, path) == 0));
		size_t n = strlen(path);
		bool slash = n > 0 && path[n - 1] == '/';
		size_t dl = n + !slash; /* the directory with its trailing '/' */
		bool below = strncmp(pattern, path, n) == 0 && (slash || pattern[n] == '/') &&
		             strlen(pattern) > dl;
		FUZZ_CHECK(b.match == below);
	}

	/* Matching a path means matching something below each of its parent
	 * directories (ferry_policy_decide_move relies on this to keep a
	 * directory holding denied entries from being moved). */
	if (m.match && !m.exhausted && is_resolved(path) && strcmp(path, "/") != 0) {
		char *dir = strdup(path);
		FUZZ_CHECK(dir != NULL);
		for (;;) {
			char *slash = strrchr(dir, '/');
			if (slash == dir)
				slash[1] = '\0'; /* "/" */
			else
				*slash = '\0';
			struct outcome below = match(pattern, dir, true);
			if (!below.exhausted && !below.match) {
				fprintf(stderr, "glob: '%s' matches '%s' but nothing below '%s'\n",
				        pattern, path, dir);
				abort();
			}
			if (strcmp(dir, "/") == 0)
				break;
		}
		free(dir);
	}

	/* Swapping the roles must not crash either (a path as a pattern). */
	(void)ferry_glob_match(path, pattern);
	free(buf);
	return 0;
}
