/* Error reporting: every message starts with "ferry: " and names the call or
 * path at fault. */
#ifndef FERRY_FAIL_H
#define FERRY_FAIL_H

#include <stddef.h>

/* Exit statuses, as env(1) and timeout(1) users expect. */
enum {
	FERRY_EXIT_TIMEOUT = 124,
	FERRY_EXIT_FAILURE = 125,
	FERRY_EXIT_CANNOT_EXEC = 126,
	FERRY_EXIT_NOT_FOUND = 127,
};

__attribute__((format(printf, 1, 2))) void ferry_msg(const char *fmt, ...);

/* Formats into err (for functions that report errors to their caller). */
__attribute__((format(printf, 3, 4))) int ferry_set_err(char *err, size_t errlen, const char *fmt,
                                                        ...);

#endif
