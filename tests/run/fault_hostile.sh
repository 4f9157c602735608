#!/bin/sh
# A hostile guest: bad path pointers, paths past PATH_MAX, dying in the
# middle of a trapped call, flooding the broker, escaping the command's
# lifetime, kill(-1, SIGKILL). ferry answers, leaks nothing, stays in charge.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# paused TEXT: a process with TEXT in its command line appears within 10 s;
# then waits 0.5 s more, for the calls that started it to be answered and
# for ferry, idle for 0.2 s, to close the pidfds it keeps while calls come.
paused() {
	_i=0
	until pgrep -f "$1" >/dev/null; do
		[ $_i -ge 100 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 0.5
}

# fds PID: the open fds of process PID, one "N -> target" a line.
fds() {
	for _f in /proc/"$1"/fd/*; do
		printf '%s -> %s\n' "${_f##*/}" "$(readlink "$_f" 2>/dev/null)"
	done
}

# wait_bounded PID SECONDS: waits for our child PID, SIGKILLing it after
# SECONDS; sets STATUS and ELAPSED (ms).
wait_bounded() {
	_t0=$(now_ms)
	(
		sleep "$2"
		kill -KILL "$1" 2>/dev/null
	) >/dev/null 2>&1 &
	_dog=$!
	wait "$1"
	STATUS=$?
	ELAPSED=$(($(now_ms) - _t0))
	kill "$_dog" 2>/dev/null
	wait "$_dog" 2>/dev/null
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}
	echo data >data

	# ---- bad pointers and long paths: the kernel's own answers ----
	# Natively first, so a broken program cannot make the test pass.
	expect_status "bad pointers, natively: EFAULT everywhere" 0 ./hostile badptr
	expect_status "bad pointers under ferry: EFAULT everywhere" 0 "$FERRY" -- ./hostile badptr
	expect_contains "the program ran its checks" "$OUT" "open(NULL): EFAULT"
	expect_not_contains "no unexpected answer" "$OUT" "unexpected"
	native=$(./hostile toolong 2>&1)
	expect_contains "long paths, natively: as expected" "$native" "PASS"
	expect_status "long paths under ferry: ENAMETOOLONG from PATH_MAX on" 0 \
		"$FERRY" -- ./hostile toolong
	expect_eq "the same answers as natively" "$OUT" "$native"
	check "nothing was created" test ! -e hostile-x -a ! -e hostile-nope

	# ---- a guest dying in the middle of trapped calls: no fd leaks ----
	# The command stays alive throughout, so the supervisor's fds are
	# counted in the same state before and after each death: while the
	# command sleeps (no call in flight), the test takes the count, then
	# ends that sleep to let the command go on.
	mkfifo fifo
	pause="sleep 4321.$$"
	"$FERRY" -- sh -c "
		$pause
		./hostile fifo-exit fifo > fifo-exit.out 2>&1
		$pause
		./hostile flood 8 20 data > flood.out 2>&1 & f=\$!
		sleep 1; kill -KILL \$f; wait \$f; echo \$? > flood.status
		$pause" >/dev/null 2>&1 &
	pid=$!
	check "the command started" paused "^$pause"
	before=$(fds $pid)
	pkill -f "^$pause"
	check "the FIFO opener ran" paused "^$pause"
	expect_eq "it died in the middle of the open" "$(cat fifo-exit.out 2>/dev/null)" "exiting"
	after=$(fds $pid)
	expect_eq "a thread dying in a FIFO open leaks no fd in ferry" "$after" "$before"
	expect_eq "nor a thread" "$(ls /proc/$pid/task 2>/dev/null | wc -l)" 1
	before=$after
	pkill -f "^$pause"
	check "the flood was killed" paused "^$pause"
	expect_eq "the flood died of SIGKILL" "$(cat flood.status 2>/dev/null)" 137
	after=$(fds $pid)
	expect_eq "SIGKILL with many opens in flight leaks no fd in ferry" "$after" "$before"
	# Release a supervisor thread still waiting on the FIFO, if any.
	exec 9<>fifo
	exec 9>&-
	pkill -f "^$pause"
	wait_bounded $pid 10
	expect_eq "the command finished" "$STATUS" 143

	# ---- a flood of opens from 16 threads does not starve another process ----
	expect_status "16 threads flood, another process probes" 0 "$FERRY" -- sh -c '
		./hostile flood 16 3 data > flood.out 2>&1 & f=$!
		sleep 0.5
		./hostile probe 10 1000 data; r=$?
		wait $f; exit $r'
	expect_contains "each probe open answered within 1 s" "$OUT" "PASS"
	case $(cat flood.out) in
	"flood "[1-9]*" failed 0") pass "the flood's opens all succeeded: $(cat flood.out)" ;;
	*) fail "the flood: $(cat flood.out)" ;;
	esac

	# ---- SIGINT and SIGTERM end ferry promptly during a flood ----
	for sig in INT TERM; do
		rm -f flood.out
		env --default-signal "$FERRY" -- ./hostile flood 16 20 data >flood.out 2>&1 &
		pid=$!
		sleep 1
		check "SIG$sig during a flood: the flood runs" has_process "hostile flood 16 20"
		kill -s $sig $pid
		wait_bounded $pid 10
		n=2
		[ $sig = TERM ] && n=15
		expect_eq "SIG$sig during a flood: exit 128+$n" "$STATUS" $((128 + n))
		check "SIG$sig during a flood: within 3 s ($ELAPSED ms)" test "$ELAPSED" -le 3000
		check "SIG$sig during a flood: nothing remains" no_process "hostile flood 16 20"
	done

	# ---- a double-forked setsid daemon does not outlive ferry ----
	marker="sleep 2345.$$"
	rm -f started
	expect_status "a command leaving a setsid daemon: its own status" 3 \
		"$FERRY" -- sh -c "(setsid sh -c ': > started; exec $marker' >/dev/null 2>&1 &)
			sleep 0.5; exit 3"
	check "the daemon had started" test -e started
	check "the daemon is gone after ferry's exit" no_process "$marker"

	# ---- kill(-1, SIGKILL) inside the sandbox ----
	host="sleep 3456.$$"
	$host >/dev/null 2>&1 &
	hostpid=$!
	m1="sleep 3457.$$"
	expect_status "the command calls kill(-1, SIGKILL): ferry survives with its status" 0 \
		"$FERRY" -- sh -c "$m1 & sleep 0.3; exec ./hostile killall"
	expect_eq "kill(-1) succeeded in the sandbox" "$OUT" "kill(-1, SIGKILL): 0"
	check "the sandbox's other processes died" no_process "$m1"
	rm -f report.json
	"$FERRY" --report report.json -- sh -c "$m1 & sleep 0.3; ./hostile killall; exit 5" \
		>/dev/null 2>&1
	st=$?
	case $st in
	137 | 5) pass "a child calls kill(-1, SIGKILL): ferry exits $st" ;;
	*) fail "a child calls kill(-1, SIGKILL): ferry exits $st, expected 137 or 5" ;;
	esac
	check "ferry itself survived it (it wrote its report)" test -s report.json
	check "nothing of the sandbox remains" no_process "$m1"
	check "a host process outside the sandbox survived" kill -0 $hostpid
	kill $hostpid 2>/dev/null
	wait $hostpid 2>/dev/null
}

ferry_test_main "$@"
