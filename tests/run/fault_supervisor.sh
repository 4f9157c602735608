#!/bin/sh
# ferry itself is SIGKILLed while the command runs: every process of the
# sandbox (jail/gofer, init, the command and anything it started, daemons
# included) is gone within two seconds.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# count TEXT: how many processes have TEXT in their command line.
count() {
	pgrep -f "$1" | wc -l
}

# sigkill_ferry DESCRIPTION MARKER WANT COMMAND...: runs ferry on COMMAND,
# waits until WANT processes with MARKER in their command line run (ferry,
# jail and init hold it too), SIGKILLs ferry and checks they all go.
sigkill_ferry() {
	_d=$1
	_m=$2
	_want=$3
	shift 3
	"$FERRY" -- "$@" >/dev/null 2>&1 &
	_pid=$!
	check "$_d: runs" running "$_m"
	# One sample both decides and is checked (fork and exec make the
	# count flicker from one pgrep to the next).
	_i=0
	while _n=$(count "$_m") && [ "$_n" -lt "$_want" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	check "$_d: at least $_want processes ($_n)" test "$_n" -ge "$_want"
	sleep 0.3
	kill -KILL $_pid
	wait $_pid
	expect_eq "$_d: ferry died of SIGKILL" "$?" 137
	check "$_d: nothing of the sandbox remains within 2 s" no_process "$_m"
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}
	echo data >data
	m="sleep 6001.$$"
	# ferry, jail, init, the command.
	sigkill_ferry "a sleeping command" "$m" 4 $m
	m="6002.$$"
	sigkill_ferry "a busy loop" "$m" 4 sh -c ": $m; while :; do :; done"
	m="6003.$$"
	sigkill_ferry "a loop of brokered opens" "$m" 4 \
		sh -c ": $m; while :; do cat data >/dev/null; done"
	m="6004.$$"
	echo data >"data$m"
	sigkill_ferry "threads in brokered opens" "$m" 4 ./hostile flood 8 30 "data$m"
	m="sleep 6005.$$"
	sigkill_ferry "a double-forked setsid daemon" "$m" 5 \
		sh -c "(setsid $m >/dev/null 2>&1 &); exec $m"
	m="sleep 6006.$$"
	sigkill_ferry "a daemon in its own process group, ignoring SIGHUP and SIGTERM" "$m" 5 \
		sh -c "(trap '' HUP TERM; setsid sh -c 'trap \"\" HUP TERM; exec $m' &); exec $m"
}

ferry_test_main "$@"
