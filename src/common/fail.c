/* Error reporting. */
#include "ferry/fail.h"

#include <stdarg.h>
#include <stdio.h>

void ferry_msg(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One write, so lines from the supervisor and the jail do not interleave. */
	fprintf(stderr, "ferry: %s\n", buf);
}

int ferry_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
