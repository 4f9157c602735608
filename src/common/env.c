/* The guest's environment. Pure. */
#include "ferry/env.h"

#include <stdlib.h>
#include <string.h>

static size_t name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');
	return eq ? (size_t)(eq - entry) : strlen(entry);
}

static void drop(char **env, size_t *n, const char *name, size_t nl)
{
	for (size_t i = 0; i < *n;) {
		if (name_len(env[i]) == nl && strncmp(env[i], name, nl) == 0) {
			free(env[i]);
			memmove(&env[i], &env[i + 1], (*n - i) * sizeof(*env));
			(*n)--;
		} else {
			i++;
		}
	}
}

char **ferry_env_build(char *const *base, const struct ferry_config *cfg)
{
	size_t n_base = 0;
	if (!cfg->clearenv)
		while (base && base[n_base])
			n_base++;
	size_t cap = n_base + cfg->n_env_ops + 1, n = 0;
	char **env = calloc(cap, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n_base; i++)
		if (!(env[n++] = strdup(base[i])))
			goto oom;
	for (size_t i = 0; i < cfg->n_env_ops; i++) {
		const struct ferry_env_op *op = &cfg->env_ops[i];
		size_t nl = strlen(op->name);
		drop(env, &n, op->name, nl);
		if (op->kind == FERRY_ENV_SET) {
			char *entry = malloc(nl + strlen(op->value) + 2);
			if (!entry)
				goto oom;
			memcpy(entry, op->name, nl);
			entry[nl] = '=';
			strcpy(entry + nl + 1, op->value);
			env[n++] = entry;
		}
	}
	env[n] = NULL;
	return env;
oom:
	env[n] = NULL;
	ferry_env_free(env);
	return NULL;
}

void ferry_env_free(char **env)
{
	if (!env)
		return;
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
}
