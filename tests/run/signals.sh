#!/bin/sh
# Signals sent to ferry reach the command; when ferry is killed, the whole
# sandbox goes with it.
. "$(dirname "$0")/../lib.sh"

# wait_file FILE: waits up to 5 s for FILE to appear.
wait_file() {
	_i=0
	while [ ! -e "$1" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -e "$1" ]
}

# forward SIG STATUS: ferry gets SIG from outside; the command's trap
# writes a marker and exits with STATUS, which ferry returns.
forward() {
	_sig=$1
	_status=$2
	rm -f ready mark
	# A background job of a non-interactive shell ignores SIGINT and SIGQUIT;
	# start ferry with default dispositions, as from a terminal.
	env --default-signal "$FERRY" -- sh -c "trap 'echo $_sig > mark; exit $_status' $_sig
		: > ready
		while :; do sleep 0.1; done" >/dev/null 2>&1 &
	_pid=$!
	check "SIG$_sig: the command started" wait_file ready
	kill -s "$_sig" $_pid
	wait $_pid
	expect_eq "SIG$_sig: ferry exits with the command's status" "$?" "$_status"
	expect_eq "SIG$_sig: the command's trap ran" "$(cat mark 2>/dev/null)" "$_sig"
}

test_body() {
	forward TERM 3
	forward INT 4
	forward HUP 5
	forward USR1 6

	# Without a trap, the command dies of the signal: 128+N.
	rm -f ready
	"$FERRY" -- sh -c ': > ready; exec sleep 30' >/dev/null 2>&1 &
	pid=$!
	wait_file ready
	sleep 0.2
	kill -TERM $pid
	wait $pid
	expect_eq "SIGTERM to an untrapping command: 143" "$?" "143"

	# SIGKILL to ferry: nothing of the sandbox survives.
	marker="sleep 1234.$$"
	rm -f ready
	"$FERRY" -- sh -c ": > ready; ($marker &); setsid $marker & exec $marker" >/dev/null 2>&1 &
	pid=$!
	wait_file ready
	sleep 0.3
	check "the sandbox's processes are running" has_process "$marker"
	kill -KILL $pid
	wait $pid
	expect_eq "ferry died of SIGKILL" "$?" "137"
	check "after SIGKILL no process of the sandbox remains" no_process "$marker"

	# SIGKILL in the middle of a trapped call (a FIFO open waits in the broker).
	marker="sleep 1235.$$"
	mkfifo fifo
	rm -f ready
	"$FERRY" -- sh -c ": > ready; $marker & cat fifo" >/dev/null 2>&1 &
	pid=$!
	wait_file ready
	sleep 0.3
	check "a command waiting on a FIFO is running" has_process "$marker"
	kill -KILL $pid
	wait $pid
	check "after SIGKILL during an open, nothing remains" no_process "$marker"

	# SIGTERM while the command ignores it: ferry keeps waiting, the command
	# finishes normally.
	rm -f ready done
	"$FERRY" -- sh -c 'trap "" TERM; : > ready; sleep 1; echo finished > done' >/dev/null 2>&1 &
	pid=$!
	wait_file ready
	kill -TERM $pid
	wait $pid
	expect_eq "an ignored SIGTERM: the command's own status" "$?" "0"
	expect_eq "the command finished its work" "$(cat done 2>/dev/null)" "finished"
}

ferry_test_main "$@"
