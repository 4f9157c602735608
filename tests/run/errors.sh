#!/bin/sh
# Exit statuses and error messages, as env(1) and timeout(1) users expect:
# the command's own, 128+N, 124, 125, 126, 127.
. "$(dirname "$0")/../lib.sh"

# bad_usage DESCRIPTION NEEDLE ARGS...: ferry exits 125 before running
# anything, with one "ferry: " message that contains NEEDLE.
bad_usage() {
	_d=$1
	_n=$2
	shift 2
	rm -f "$WORK/ran"
	expect_status "$_d: exit 125" 125 "$FERRY" "$@"
	expect_contains "$_d: message names it" "$ERR" "$_n"
	case "$ERR" in
	"ferry: "*) pass "$_d: message starts with 'ferry: '" ;;
	*) fail "$_d: message does not start with 'ferry: ': $ERR" ;;
	esac
	check "$_d: the command did not run" test ! -e "$WORK/ran"
}

test_body() {
	# ---- the command's own status ----
	expect_status "exit 0" 0 "$FERRY" -- true
	expect_status "exit 1" 1 "$FERRY" -- false
	expect_status "exit 7 passes through" 7 "$FERRY" -- sh -c 'exit 7'
	expect_status "exit 255 passes through" 255 "$FERRY" -- sh -c 'exit 255'
	expect_status "exit 125 of the command itself" 125 "$FERRY" -- sh -c 'exit 125'
	expect_eq "and ferry says nothing about it" "$ERR" ""

	# ---- killed by a signal: 128+N ----
	expect_status "SIGTERM: 143" 143 "$FERRY" -- sh -c 'kill -TERM $$'
	expect_status "SIGKILL: 137" 137 "$FERRY" -- sh -c 'kill -KILL $$'
	expect_status "SIGSEGV: 139" 139 "$FERRY" -- sh -c 'kill -SEGV $$'

	# ---- 125: ferry itself failed ----
	bad_usage "unknown option" "--bogus" --bogus -- sh -c ': > ran'
	bad_usage "unknown short option" "-x" -x -- sh -c ': > ran'
	bad_usage "--ro of a missing path" "ferry: --ro /nonexistent: No such file or directory" \
		--ro /nonexistent -- sh -c ': > ran'
	bad_usage "--rw of a missing path" "--rw /nonexistent-ferry: No such file or directory" \
		--rw /nonexistent-ferry -- sh -c ': > ran'
	bad_usage "bad --net" "--net" --net x -- sh -c ': > ran'
	expect_contains "bad --net: names the value" "$ERR" "'x'"
	bad_usage "bad --timeout" "--timeout" --timeout x -- sh -c ': > ran'
	bad_usage "--timeout 0" "--timeout" --timeout 0 -- sh -c ': > ran'
	bad_usage "negative --timeout" "--timeout" --timeout -1 -- sh -c ': > ran'
	bad_usage "unknown --profile" "--profile" --profile x -- sh -c ': > ran'
	expect_contains "unknown --profile: names the profile" "$ERR" "'x'"
	bad_usage "missing policy file" "$WORK/missing.policy" --policy missing.policy -- sh -c ': > ran'
	expect_contains "missing policy file: the reason" "$ERR" "No such file or directory"
	bad_usage "missing argument" "--ro" --ro
	expect_contains "missing argument: says so" "$ERR" "missing argument"
	bad_usage "missing argument at the end" "--chdir" --chdir
	bad_usage "no command" "no command" --ro /usr
	bad_usage "no command after --" "no command" --
	bad_usage "--setenv without =" "--setenv" --setenv NOVALUE -- sh -c ': > ran'
	bad_usage "--unsetenv with =" "--unsetenv" --unsetenv A=B -- sh -c ': > ran'
	bad_usage "empty --ro" "--ro" --ro= -- sh -c ': > ran'
	bad_usage "--help=x" "--help" --help=x
	bad_usage "--log to a missing directory" "--log $WORK/nodir/log.jsonl" \
		--log nodir/log.jsonl -- sh -c ': > ran'
	bad_usage "--chdir missing" "--chdir $WORK/nodir" --chdir nodir -- sh -c ': > ran'

	# ---- 126: found, not executable ----
	printf '#!/bin/sh\necho ran\n' >noexec.sh
	chmod 644 noexec.sh
	expect_status "a file without the x bit: 126" 126 "$FERRY" -- ./noexec.sh
	expect_contains "the message names it" "$ERR" "./noexec.sh"
	expect_contains "with EACCES" "$ERR" "Permission denied"
	expect_eq "it did not run" "$OUT" ""
	mkdir adir
	expect_status "a directory: 126" 126 "$FERRY" -- ./adir

	# ---- 127: not found ----
	expect_status "a command not on PATH: 127" 127 "$FERRY" -- ferry-no-such-command
	expect_contains "the message names it" "$ERR" "ferry: ferry-no-such-command"
	expect_status "a missing path: 127" 127 "$FERRY" -- ./nothing-here
	expect_contains "the message names it" "$ERR" "./nothing-here"
	expect_status "a command outside the view: 127" 127 "$FERRY" -- /srv/anything

	# ---- 124: --timeout ----
	start=$(date +%s)
	expect_status "--timeout 1 -- sleep 30: 124" 124 "$FERRY" --timeout 1 -- sleep 30
	elapsed=$(($(date +%s) - start))
	check "it stopped within a few seconds ($elapsed s)" test "$elapsed" -le 4
	expect_contains "it says it timed out" "$ERR" "ferry: timed out"
	marker="sleep 987.$$"
	start=$(date +%s)
	expect_status "--timeout with a background child: 124" 124 \
		"$FERRY" --timeout 1 -- sh -c "$marker & exec $marker"
	elapsed=$(($(date +%s) - start))
	check "it stopped within a few seconds ($elapsed s)" test "$elapsed" -le 4
	sleep 0.3
	check "no process of the sandbox remains" no_process "$marker"
	start=$(date +%s)
	expect_status "--timeout not reached: the command's status" 3 "$FERRY" --timeout 20 -- sh -c 'exit 3'
	elapsed=$(($(date +%s) - start))
	check "and no wait for the timeout ($elapsed s)" test "$elapsed" -le 3

	# ---- the command exits, its background children are ended ----
	marker2="sleep 988.$$"
	start=$(date +%s)
	expect_status "a command leaving a child behind: its own status" 4 \
		"$FERRY" -- sh -c "$marker2 >/dev/null 2>&1 & exit 4"
	elapsed=$(($(date +%s) - start))
	check "ferry did not wait for the child ($elapsed s)" test "$elapsed" -le 3
	sleep 0.3
	check "the child is gone" no_process "$marker2"
}

ferry_test_main "$@"
