#!/bin/sh
# Invariants attacked: layer 3 (ptrace and process_vm_readv/writev are
# refused) and the process tree: PTRACE_ATTACH and process_vm_readv of
# every pid visible in /proc and of a child holding the secret; with
# --allow-debug, which allows them among the sandbox's own processes
# (strace and gdb work), the supervisor and the gofer stay out of reach
# (they are not in the sandbox's pid namespace), and so does init.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

# Starts ptrace_pids in outside mode under ferry $FERRY_OPTS once the
# sandbox is up, given the host pids of the supervisor and its children
# (the jail, which becomes the gofer) through a file of the work directory.
outside_under_ferry() {
	_label=$1
	escape_setup
	(cd "$WORK/jail" && exec "$FERRY" $FERRY_OPTS --ro "$WORK/bin" -- sh -c '
		i=0
		while [ ! -s pids ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		exec "$0" "$1" outside 1 $(cat pids)' "$WORK/bin/ptrace_pids" "$TOKEN") \
		>"$WORK/.dbgout" 2>&1 </dev/null &
	_sup=$!
	_kids=
	_i=0
	while [ -z "$_kids" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_kids=$(cat /proc/$_sup/task/*/children 2>/dev/null)
		_i=$((_i + 1))
	done
	echo "$_sup $_kids" >"$WORK/jail/pids.tmp" && mv "$WORK/jail/pids.tmp" "$WORK/jail/pids"
	wait $_sup
	_rc=$?
	_out=$(cat "$WORK/.dbgout")
	say "# [$IDENTITY] supervisor $_sup, its children $_kids: $_out"
	case "$_out" in
	CONTAINED*) if [ "$_rc" -eq 0 ] && [ -n "$_kids" ]; then
		pass "$_label: contained under ferry"
	else
		fail "$_label: under ferry: exit $_rc (children: '$_kids'): $_out"
	fi ;;
	*) fail "$_label: under ferry: $_out" ;;
	esac
}

test_body() {
	attack "ptrace and process_vm_readv of every visible pid" ptrace_pids all

	escape_setup
	sleep 60 &
	sleeper=$!
	expect_native ESCAPED "ptrace and process_vm_readv of a process outside" \
		ptrace_pids outside "$sleeper"
	kill "$sleeper"
	wait "$sleeper" 2>/dev/null
	outside_under_ferry "ptrace of the supervisor and gofer (no --allow-debug)"

	if ! "$FERRY" --allow-debug -- true >"$WORK/.err" 2>&1; then
		fail "ferry --allow-debug -- true: $(cat "$WORK/.err")"
		return
	fi
	escape_setup
	if command -v strace >/dev/null 2>&1; then
		(cd "$WORK/jail" && ferry_sandbox strace -f -o /dev/null true) >"$WORK/.err" 2>&1
		check "without --allow-debug, strace -f true fails" test $? -ne 0
		FERRY_OPTS=--allow-debug
		(cd "$WORK/jail" && ferry_sandbox strace -f -o /dev/null true) >"$WORK/.err" 2>&1
		rc=$?
		FERRY_OPTS=
		expect_eq "ferry --allow-debug -- strace -f -o /dev/null true" \
			"$rc $(cat "$WORK/.err")" "0 "
	else
		say "# no strace: not checked"
	fi
	if command -v gdb >/dev/null 2>&1; then
		FERRY_OPTS=--allow-debug
		out=$(cd "$WORK/jail" && ferry_sandbox gdb -nx -batch -ex run --args \
			"$WORK/bin/refused" "$TOKEN" unknown 2>&1 </dev/null)
		rc=$?
		FERRY_OPTS=
		expect_eq "ferry --allow-debug -- gdb -batch -ex run: exit status" "$rc" 0
		expect_contains "ferry --allow-debug -- gdb -batch -ex run: the program ran" \
			"$out" "exited normally"
	else
		say "# no gdb: not checked"
	fi

	FERRY_OPTS=--allow-debug
	outside_under_ferry "ptrace of the supervisor and gofer with --allow-debug"
	FERRY_OPTS=
}

ferry_test_main "$@"
