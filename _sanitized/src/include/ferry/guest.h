/* The guest's last steps before exec. */
#ifndef FERRY_GUEST_H
#define FERRY_GUEST_H

#include <stdnoreturn.h>

#include "ferry/jail.h"

/* Enters the working directory, limits capabilities, installs the notify
 * filter, sends the listener to the supervisor, waits for its go-ahead,
 * closes every fd but 0, 1 and 2, and execs the command. Exits 125 on a setup
 * failure, 126 or 127 when the command cannot be run. */
noreturn void ferry_guest_exec(const struct ferry_jail_args *args);

#endif
