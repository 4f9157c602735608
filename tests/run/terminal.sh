#!/bin/sh
# Interactive programs under ferry, in a pty (script(1)): a shell, vi, Ctrl-C.
# (That the guest cannot type into the terminal, TIOCSTI, is an escape test.)
. "$(dirname "$0")/../lib.sh"

# in_pty SECONDS KEYS COMMAND: runs COMMAND in a pty, typing KEYS (printf
# escapes) after a second; its output, with carriage returns removed, in $OUT.
in_pty() {
	_secs=$1 _keys=$2
	shift 2
	OUT=$( (sleep 1; printf "$_keys"; sleep "$_secs") | timeout 20 script -qfc "$*" /dev/null 2>&1 |
		tr -d '\r')
}

test_body() {
	command -v script >/dev/null || skip "script(1) is not installed"
	in_pty 1 'echo hel""lo-$((6*7))\rexit\r' "$FERRY -- bash --norc -i"
	expect_contains "an interactive bash runs what is typed" "$OUT" "hello-42"
	if command -v vi >/dev/null; then
		in_pty 2 'ihello from vi\033:wq typed.txt\r' "$FERRY -- vi"
		expect_eq "vi writes what was typed" "$(cat typed.txt 2>/dev/null)" "hello from vi"
	fi
	start=$(date +%s)
	in_pty 4 '\003' "trap : INT; $FERRY -- sleep 30; echo status=\$?"
	expect_contains "Ctrl-C stops the command" "$OUT" "status=130"
	check "at once" test $(($(date +%s) - start)) -lt 12
}

ferry_test_main "$@"
