#!/bin/sh
# --memory and --pids: the sandbox in a cgroup of its own, with those limits,
# removed at exit; 125 with a clear message where no usable cgroup exists.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# cgroup_dir PID CONTROLLER: the directory of PID's cgroup for CONTROLLER
# (memory or pids), v2 or v1, as the host sees it.
cgroup_dir() {
	_v1=$(sed -n "s/^[0-9]*:\\([^:]*,\\)*$2\\(,[^:]*\\)*:\\(.*\\)/\\3/p" /proc/"$1"/cgroup)
	if [ -n "$_v1" ] && [ -d /sys/fs/cgroup/"$2" ]; then
		echo "/sys/fs/cgroup/$2$_v1"
		return
	fi
	_v2=$(sed -n 's/^0:://p' /proc/"$1"/cgroup)
	[ -n "$_v2" ] && echo "/sys/fs/cgroup$_v2"
}

# limit_of DIR FILE...: the first of the files that exists in DIR.
limit_of() {
	_dir=$1
	shift
	for _f in "$@"; do
		if [ -e "$_dir/$_f" ]; then
			cat "$_dir/$_f"
			return
		fi
	done
	echo "none of $* in $_dir"
}

controllers_exist() {
	grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
		[ -d /sys/fs/cgroup/memory ]
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}

	# ---- without a usable cgroup: 125, saying why ----
	"$FERRY" --memory 64M -- true >/dev/null 2>probe.err
	probe=$?
	ERR=$(cat probe.err)
	if [ $probe != 0 ]; then
		# Not usable here (no cgroup, or not delegated to this user).
		rm -f ran
		for opt in "--memory 64M" "--pids 32"; do
			expect_status "$opt without a usable cgroup: 125" 125 \
				"$FERRY" $opt -- sh -c ': > ran'
			expect_contains "$opt: the message names the option" "$ERR" "ferry: ${opt% *}: "
			case $ERR in
			*"Permission denied"* | *delegated* | *"No such file"* | *"not mounted"* | *"no cgroup"*)
				pass "$opt: the message says why" ;;
			*) fail "$opt: the message does not say why: $ERR" ;;
			esac
			expect_eq "$opt: one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
			check "$opt: the command did not run" test ! -e ran
		done
		if is_root && controllers_exist; then
			fail "root, with cgroup controllers present, cannot use them: $ERR"
			return
		fi
		[ "$_failures" -gt 0 ] && return
		skip "no cgroup usable by $(id -un 2>/dev/null || id -u) here ($(cat probe.err))"
	fi

	# ---- the limits are set, on the sandbox and not on ferry ----
	marker="sleep 5432.$$"
	"$FERRY" --memory 64M --pids 32 -- $marker >/dev/null 2>&1 &
	pid=$!
	check "a sandbox with --memory and --pids runs" running "^$marker"
	guest=$(pgrep -f "^$marker" | head -n 1)
	mem=$(cgroup_dir "$guest" memory)
	pids=$(cgroup_dir "$guest" pids)
	expect_eq "memory limit on the guest's cgroup ($mem)" \
		"$(limit_of "$mem" memory.max memory.limit_in_bytes)" 67108864
	if [ -e "$mem/memory.swap.max" ]; then
		expect_eq "no swap (memory.swap.max)" "$(cat "$mem/memory.swap.max")" 0
	fi
	expect_eq "pids limit on the guest's cgroup ($pids)" "$(limit_of "$pids" pids.max)" 32
	check "ferry itself is outside the memory-limited cgroup" \
		test "$(cgroup_dir $pid memory)" != "$mem"
	kill -TERM $pid
	wait $pid
	expect_eq "SIGTERM ends it: 143" "$?" 143
	check "its memory cgroup is removed at exit" no_process "$mem"
	check "its pids cgroup is removed at exit" no_process "$pids"

	# ---- --memory 64M: touching 256M gets the command OOM-killed ----
	expect_status "--memory 64M, 256M touched: killed, 137" 137 \
		"$FERRY" --memory 64M --timeout 20 -- ./hostile touch 256
	expect_not_contains "it never got them all" "$OUT" "ok"
	expect_status "128M without a limit: fine (the program works)" 0 \
		"$FERRY" --timeout 20 -- ./hostile touch 128
	expect_status "the host is fine: ferry still runs commands" 0 "$FERRY" -- true
	expect_status "--memory 64M, a command within it: its status" 0 \
		"$FERRY" --memory 64M -- ./hostile touch 16

	# ---- --pids 32: forks fail with EAGAIN near 32 (at most 200 tried) ----
	expect_status "--pids 32: a fork loop" 0 "$FERRY" --pids 32 --timeout 20 -- ./hostile forks 200
	case $OUT in
	"forked "*" EAGAIN")
		n=${OUT#forked }
		n=${n% EAGAIN}
		check "forks failed with EAGAIN after $n (<= 32, > 16)" test "$n" -le 32 -a "$n" -gt 16
		;;
	*) fail "--pids 32: forks did not fail with EAGAIN: $OUT" ;;
	esac
	expect_status "the fork loop works without --pids" 0 "$FERRY" -- ./hostile forks 40
	expect_eq "40 forks without --pids" "$OUT" "forked 40 0"

	# ---- bad values ----
	expect_status "--memory x: 125" 125 "$FERRY" --memory x -- true
	expect_contains "--memory x: names the option" "$ERR" "--memory"
	expect_status "--pids x: 125" 125 "$FERRY" --pids x -- true
	expect_contains "--pids x: names the option" "$ERR" "--pids"
	expect_status "--pids 0: 125" 125 "$FERRY" --pids 0 -- true
}

ferry_test_main "$@"
