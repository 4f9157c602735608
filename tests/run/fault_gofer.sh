#!/bin/sh
# The gofer is killed while the guest runs: the sandbox ends, ferry says so
# in one line and exits 125, and no process of the sandbox remains. Likewise
# when the sandbox's init is killed from the host.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# kill_gofer DESCRIPTION MARKER COMMAND...: runs ferry on COMMAND (whose
# command line holds MARKER), kills the gofer once MARKER runs, and checks
# how ferry ends. kill_init: the same, killing the sandbox's init.
kill_gofer() {
	_victim=gofer
	_kill "$@"
}

kill_init() {
	_victim=init
	_kill "$@"
}

_kill() {
	_d=$1
	_m=$2
	shift 2
	"$FERRY" --timeout 30 -- "$@" >out 2>err &
	_pid=$!
	check "$_d: the command runs" running "^$_m"
	sleep 0.5
	# ferry's only child is the jail, now the gofer: in the host's pid
	# namespace, the parent of the sandbox's init.
	_kids=$(ps -o pid= --ppid $_pid | tr -d ' ')
	expect_eq "$_d: ferry has one child, the gofer" "$(echo "$_kids" | wc -w)" 1
	_gofer=$(echo "$_kids" | head -n 1)
	_init=$(ps -o pid= --ppid "$_gofer" | tr -d ' ')
	check "$_d: the gofer is the parent of init" test -n "$_init"
	_t0=$(now_ms)
	if [ $_victim = gofer ]; then
		kill -KILL "$_gofer"
	else
		kill -KILL "$_init"
	fi
	(
		sleep 5
		kill -KILL $_pid 2>/dev/null
	) >/dev/null 2>&1 &
	_dog=$!
	wait $_pid
	_st=$?
	_ms=$(($(now_ms) - _t0))
	kill $_dog 2>/dev/null
	wait $_dog 2>/dev/null
	expect_eq "$_d: ferry exits 125" "$_st" 125
	check "$_d: within 3 s ($_ms ms)" test $_ms -le 3000
	# The command's own complaints (its calls in flight fail with EIO)
	# may come first; ferry itself says one line.
	_err=$(grep '^ferry: ' err)
	expect_eq "$_d: ferry prints one line" "$(grep -c '^ferry: ' err)" 1
	_other=$(grep -v '^ferry: ' err | grep -v 'Input/output error')
	expect_eq "$_d: anything else is the command's EIO" "$_other" ""
	expect_contains "$_d: it names the $_victim" "$_err" "$_victim"
	check "$_d: no process of the sandbox remains" no_process "$_m"
	check "$_d: the gofer is gone" gone "$_gofer"
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}
	echo data >data

	kill_gofer "threads opening in a loop" "./hostile flood 4 25 data" \
		./hostile flood 4 25 data
	marker="sleep 3210.$$"
	kill_gofer "processes opening in a loop" "sh -c : $marker" \
		sh -c ": $marker; i=0; while [ \$i -lt 100000 ]; do cat data >/dev/null; i=\$((i+1)); done"
	kill_gofer "a command that sleeps" "$marker" $marker
	kill_init "init killed, a command that sleeps" "$marker" $marker
	kill_init "init killed, threads opening in a loop" "./hostile flood 4 25 data" \
		./hostile flood 4 25 data
}

ferry_test_main "$@"
