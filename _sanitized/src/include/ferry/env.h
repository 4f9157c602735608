/* The guest's environment. Pure. */
#ifndef FERRY_ENV_H
#define FERRY_ENV_H

#include "ferry/config.h"

/* Builds a NULL-terminated, malloc'ed environment from base (usually environ)
 * after --clearenv, --setenv and --unsetenv. Returns NULL when out of memory. */
char **ferry_env_build(char *const *base, const struct ferry_config *cfg);
void ferry_env_free(char **env);

#endif
