#!/bin/sh
# Invariants attacked: layer 1 through /proc. /proc/<pid>/root/...,
# /proc/<pid>/cwd/... and /proc/<pid>/fd/* of every visible pid (the shell
# that starts ferry holds the secret open as fd 9), /proc/1/root/..., and
# host paths learned from /proc/self/mountinfo.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	ESCAPE_PRE='exec 9<"$WORK/outside/secret"'
	attack "procfs" procfs "$WORK/outside/secret" ../outside/secret
	ESCAPE_PRE=:
	attack "mountinfo" mountinfo outside/secret
}

ferry_test_main "$@"
