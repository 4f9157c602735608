#!/bin/sh
# Invariants attacked: layer 1 through /proc, and the process tree:
# /proc/<pid>/exe and /proc/<pid>/mem of every visible pid. The driver runs
# a copy of sleep that lives outside the view, with the secret appended to
# its file and in its environment; the shell that starts ferry exports the
# secret as well, so init (whose memory holds ferry's environment, before
# --unsetenv) has it too: /proc/1/mem must stay closed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	escape_setup
	cp /bin/sleep "$WORK/host-sleeper" || exit 99
	echo "$TOKEN in the executable" >>"$WORK/host-sleeper"
	FERRY_ESCAPE_ENV="$TOKEN in the environment" "$WORK/host-sleeper" 300 &
	sleeper=$!
	ESCAPE_PRE='export FERRY_ESCAPE_ENV="$TOKEN"'
	attack "/proc/PID/exe of every visible pid" procmem exe "$sleeper"
	attack "/proc/PID/mem of every visible pid" procmem mem "$sleeper"
	expect_not_contains "init's /proc/1/mem does not open" "$_out" "/proc/1/mem: opened"
	ESCAPE_PRE=:
	kill "$sleeper"
	wait "$sleeper" 2>/dev/null
}

ferry_test_main "$@"
