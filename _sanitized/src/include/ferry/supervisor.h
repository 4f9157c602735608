/* ferry run: prepares the sandbox from the config, starts it, brokers the
 * guest's path calls until the command ends, and returns the exit status. */
#ifndef FERRY_SUPERVISOR_H
#define FERRY_SUPERVISOR_H

#include <stddef.h>

#include "ferry/config.h"

int ferry_run(struct ferry_config *cfg);

/* --explain: prints the layers the options set up, and runs nothing. */
int ferry_explain(struct ferry_config *cfg);

/* The policy-file loader used on the command line: reads a whole file. */
char *ferry_read_policy_file(void *ctx, const char *path, char *err, size_t errlen);

#endif
