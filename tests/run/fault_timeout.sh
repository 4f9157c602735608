#!/bin/sh
# --timeout ends the whole sandbox: a command ignoring SIGTERM, a
# double-forked daemon, brokered calls in flight; exit 124 within about
# 3 s, nothing left behind.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# timeout1 DESCRIPTION MARKER COMMAND...: ferry --timeout 1 on COMMAND, which
# would run for far longer, ends with 124 within 3 s, leaving nothing with
# MARKER in its command line.
timeout1() {
	_d=$1
	_m=$2
	shift 2
	_t0=$(now_ms)
	# A watchdog, so that a broken --timeout fails the test instead of
	# hanging it.
	"$FERRY" --timeout 1 -- "$@" >out 2>err &
	_pid=$!
	(
		sleep 6
		kill -KILL $_pid
	) >/dev/null 2>&1 &
	_dog=$!
	wait $_pid
	_st=$?
	_ms=$(($(now_ms) - _t0))
	kill $_dog 2>/dev/null
	wait $_dog 2>/dev/null
	expect_eq "$_d: exit 124" "$_st" 124
	check "$_d: within 3 s ($_ms ms)" test $_ms -ge 900 -a $_ms -le 3000
	expect_contains "$_d: ferry says it timed out" "$(cat err)" "ferry: timed out"
	check "$_d: nothing remains" no_process "$_m"
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}
	echo data >data
	m="7001.$$"
	timeout1 "a command ignoring SIGTERM" "$m" \
		sh -c "trap '' TERM INT HUP; : $m; while :; do sleep 0.1; done"
	m="sleep 7002.$$"
	rm -f started
	timeout1 "a double-forked setsid child" "$m" \
		sh -c "(setsid sh -c ': > started; trap \"\" TERM HUP; exec $m' >/dev/null 2>&1 &); exec $m"
	check "the double-forked child had started" test -e started
	m="7003.$$"
	echo data >"data$m"
	timeout1 "threads in brokered opens" "$m" ./hostile flood 8 30 "data$m"
	m="7004.$$"
	mkfifo fifo
	timeout1 "a command waiting in a FIFO open" "$m" sh -c ": $m; cat fifo"
	m="sleep 7005.$$"
	timeout1 "a process group leader's children ignoring SIGTERM" "$m" \
		sh -c "trap '' TERM; $m & $m & wait"
	expect_status "--timeout not reached: the command's own status" 3 \
		"$FERRY" --timeout 5 -- sh -c 'exit 3'
}

ferry_test_main "$@"
