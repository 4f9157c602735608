/* Shared by the libFuzzer targets: a NUL-terminated copy of the input, and an
 * in-memory file system of policy files carried in the input itself.
 *
 * Input layout for the config targets (text):
 *
 *     main part (a policy file, or argv one element a line)
 *     @@ /home/u/proj/base.policy
 *     text of that file
 *     @@ other.policy
 *     text of a file found by its last component
 *
 * A line starting with "@@ " starts a file. The loader returns a copy of the
 * file whose name equals the (normalised) path asked for, or else whose name
 * holds no '/' and equals the path's last component.
 */
#ifndef FERRY_FUZZ_COMMON_H
#define FERRY_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/config.h"

#define FUZZ_MAX_FILES 64

/* More loads than this for one parse means the include tree fans out
 * without bound (MAX_INCLUDE_DEPTH limits depth, not breadth): report it. A
 * parser that bounds the total number of includes never gets near this. */
#define FUZZ_MAX_LOADS 4096

#define FUZZ_CHECK(cond)                                                                    \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                                     \
			abort();                                                            \
		}                                                                           \
	} while (0)

struct fuzz_file {
	const char *name;
	const char *text;
};

struct fuzz_fs {
	struct fuzz_file files[FUZZ_MAX_FILES];
	size_t n_files;
	unsigned long loads;
};

/* A malloc'ed NUL-terminated copy (an embedded NUL ends the text early). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Cuts buf (modified in place) into the main part and the "@@ " files.
 * Returns the main part. */
static inline char *fuzz_fs_split(struct fuzz_fs *fs, char *buf)
{
	static char empty[1];
	memset(fs, 0, sizeof(*fs));
	char *main_part = buf;
	char *p = buf; /* always at the start of a line */
	while (*p) {
		char *nl = strchr(p, '\n');
		if (strncmp(p, "@@ ", 3) == 0) {
			if (p == buf)
				main_part = empty;
			else
				p[-1] = '\0'; /* ends the part before */
			if (nl)
				*nl = '\0';
			if (fs->n_files < FUZZ_MAX_FILES) {
				fs->files[fs->n_files].name = p + 3;
				fs->files[fs->n_files].text = nl ? nl + 1 : empty;
				fs->n_files++;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return main_part;
}

static inline char *fuzz_load(void *ctx, const char *path, char *err, size_t errlen)
{
	struct fuzz_fs *fs = ctx;
	if (++fs->loads > FUZZ_MAX_LOADS) {
		fprintf(stderr,
		        "fuzz: more than %d policy files loaded for one parse: the include tree "
		        "fans out without bound\n",
		        FUZZ_MAX_LOADS);
		abort();
	}
	FUZZ_CHECK(path != NULL && path[0] == '/');
	char *norm = ferry_path_normalize(path);
	FUZZ_CHECK(norm != NULL);
	const char *base = strrchr(norm, '/') + 1;
	const struct fuzz_file *hit = NULL;
	for (size_t i = 0; i < fs->n_files && !hit; i++)
		if (strcmp(fs->files[i].name, norm) == 0)
			hit = &fs->files[i];
	for (size_t i = 0; i < fs->n_files && !hit; i++)
		if (!strchr(fs->files[i].name, '/') && strcmp(fs->files[i].name, base) == 0)
			hit = &fs->files[i];
	free(norm);
	if (!hit) {
		snprintf(err, errlen, "No such file or directory");
		return NULL;
	}
	char *text = strdup(hit->text);
	FUZZ_CHECK(text != NULL);
	return text;
}

/* What every parsed config must look like: bind/tmpfs/hide paths absolute
 * and normalised; deny patterns absolute or starting with "**", with no
 * empty component. */
static inline void fuzz_check_config(const struct ferry_config *cfg)
{
	for (size_t i = 0; i < cfg->n_rules; i++) {
		const struct ferry_rule *r = &cfg->rules[i];
		FUZZ_CHECK(r->path != NULL && r->origin != NULL);
		FUZZ_CHECK(!r->size || (r->kind == FERRY_RULE_TMPFS && r->size[0] != '\0'));
		if (r->kind == FERRY_RULE_DENY) {
			FUZZ_CHECK(r->path[0] == '/' || strncmp(r->path, "**", 2) == 0);
			FUZZ_CHECK(strstr(r->path, "//") == NULL);
			continue;
		}
		FUZZ_CHECK(r->path[0] == '/');
		char *norm = ferry_path_normalize(r->path);
		FUZZ_CHECK(norm != NULL);
		FUZZ_CHECK(strcmp(norm, r->path) == 0);
		free(norm);
	}
	for (size_t i = 0; i < cfg->n_env_ops; i++) {
		const struct ferry_env_op *op = &cfg->env_ops[i];
		FUZZ_CHECK(op->name != NULL && op->name[0] != '\0');
		FUZZ_CHECK((op->kind == FERRY_ENV_SET) == (op->value != NULL));
	}
	const char *paths[] = {cfg->chdir, cfg->log_path, cfg->report_path};
	for (size_t i = 0; i < 3; i++)
		FUZZ_CHECK(!paths[i] || paths[i][0] == '/');
}

#endif
