#!/bin/sh
# Invariant attacked: "the guest starts with fds 0, 1, 2 only; no
# supervisor or gofer fd leaks in". The shell that runs ferry holds extra
# fds (5 on /etc/passwd, 7 on a file it writes, 9 on the secret); none may
# be open in the guest.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	ESCAPE_PRE='exec 5</etc/passwd 7>"$WORK/fd7" 9<"$WORK/outside/secret"'
	attack "inherited fds" fds
	escape_setup
	(cd "$WORK/jail" && eval "$ESCAPE_PRE" &&
		ferry_sandbox sh -c 'fd=3; while [ $fd -lt 64 ]; do
			[ -e /proc/$$/fd/$fd ] && echo "fd $fd open"; fd=$((fd + 1)); done
			echo done') >"$WORK/.fdout" 2>&1
	expect_eq "a shell in the sandbox sees no fd beyond 2" "$(cat "$WORK/.fdout")" "done"
	ESCAPE_PRE=:
}

ferry_test_main "$@"
