#!/bin/sh
# --limit NAME=VALUE: the guest's soft and hard rlimits, enforced by the
# kernel; bad names and values are refused with 125.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$FERRY_BUILDDIR/tests/run/progs/hostile

# limits_line NAME: the "soft hard" pair of NAME ("Max open files") in the
# guest's /proc/self/limits; ferry's options come before the command.
limits_of() {
	_name=$1
	shift
	"$FERRY" "$@" -- cat /proc/self/limits 2>&1 |
		sed -n "s/^$_name  *\\([^ ]*\\)  *\\([^ ]*\\).*/\\1 \\2/p"
}

# bad_limit DESCRIPTION NEEDLE ARGS...: ferry exits 125 with one message
# containing NEEDLE, and the command does not run.
bad_limit() {
	_d=$1
	_n=$2
	shift 2
	rm -f ran
	expect_status "$_d: 125" 125 "$FERRY" "$@" -- sh -c ': > ran'
	expect_contains "$_d: the message" "$ERR" "$_n"
	expect_eq "$_d: one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
	check "$_d: the command did not run" test ! -e ran
}

test_body() {
	cp "$HOSTILE" ./hostile || {
		fail "copying $HOSTILE"
		return
	}

	# ---- nofile ----
	expect_status "--limit nofile=64: ulimit -n" 0 "$FERRY" --limit nofile=64 -- sh -c 'ulimit -n'
	expect_eq "the guest sees 64" "$OUT" 64
	expect_eq "soft and hard" "$(limits_of "Max open files" --limit nofile=64)" "64 64"
	expect_status "--limit nofile=64: opening fds until it fails" 0 \
		"$FERRY" --limit nofile=64 -- ./hostile nofile
	expect_eq "the 65th fd fails with EMFILE (brokered open)" "$OUT" "last 63 EMFILE"
	expect_status "without --limit, far more fds" 0 "$FERRY" -- ./hostile nofile
	case $OUT in
	"last 63 "*) fail "without --limit the guest also stops at 64: $OUT" ;;
	*) pass "without --limit the guest is not held to 64 ($OUT)" ;;
	esac
	expect_eq "--limit nofile=1K: 1024" "$(limits_of "Max open files" --limit nofile=1K)" \
		"1024 1024"
	printf '# a policy with a limit\ninclude default\nlimit nofile=100\n' >limits.policy
	expect_eq "limit nofile=100 in a policy file" \
		"$(limits_of "Max open files" --policy limits.policy)" "100 100"
	expect_eq "--limit repeated: the last one holds" \
		"$(limits_of "Max open files" --limit nofile=50 --limit nofile=60)" "60 60"

	# ---- fsize ----
	expect_status "--limit fsize=1M, 2M written: SIGXFSZ, 153" 153 \
		"$FERRY" --limit fsize=1M -- sh -c 'exec head -c 2097152 /dev/zero > big'
	expect_eq "the file stopped at 1M" "$(stat -c %s big 2>&1)" 1048576
	rm -f big
	expect_status "with SIGXFSZ ignored: the write fails" 1 \
		"$FERRY" --limit fsize=1M -- sh -c "trap '' XFSZ; exec dd if=/dev/zero of=big bs=64k count=32"
	expect_contains "with EFBIG" "$ERR" "File too large"
	expect_eq "the file stopped at 1M" "$(stat -c %s big 2>&1)" 1048576
	expect_eq "--limit fsize=unlimited" "$(limits_of "Max file size" --limit fsize=unlimited)" \
		"unlimited unlimited"

	# ---- cpu ----
	t0=$(now_ms)
	"$FERRY" --limit cpu=1 --timeout 15 -- sh -c 'while :; do :; done' >/dev/null 2>&1
	st=$?
	ms=$(($(now_ms) - t0))
	case $st in
	137 | 152) pass "--limit cpu=1: a busy loop is killed ($st)" ;;
	*) fail "--limit cpu=1: a busy loop ended with $st, expected 152 (SIGXCPU) or 137" ;;
	esac
	check "within a few seconds ($ms ms)" test $ms -le 6000
	expect_eq "cpu in seconds" "$(limits_of "Max cpu time" --limit cpu=7)" "7 7"

	# ---- as ----
	expect_status "--limit as=256M: a 1 GiB allocation fails" 3 \
		"$FERRY" --limit as=256M -- ./hostile alloc 1024
	expect_eq "with ENOMEM" "$OUT" "alloc 1024 MiB: ENOMEM"
	expect_status "--limit as=256M: 16 MiB still works" 0 \
		"$FERRY" --limit as=256M -- ./hostile alloc 16
	expect_status "without it, 1 GiB works" 0 "$FERRY" -- ./hostile alloc 1024
	expect_eq "--limit as=512M in bytes" "$(limits_of "Max address space" --limit as=512M)" \
		"536870912 536870912"
	expect_eq "--limit as=1G" "$(limits_of "Max address space" --limit as=1G)" \
		"1073741824 1073741824"

	# ---- core ----
	expect_status "--limit core=0: ulimit -c" 0 "$FERRY" --limit core=0 -- sh -c 'ulimit -c'
	expect_eq "the guest sees 0" "$OUT" 0
	expect_eq "soft and hard" "$(limits_of "Max core file size" --limit core=0)" "0 0"

	# ---- nproc ----
	expect_eq "--limit nproc=500" "$(limits_of "Max processes" --limit nproc=500)" "500 500"
	if is_root; then
		say "# [$IDENTITY] nproc is not enforced for root (the kernel exempts uid 0); its value is checked only"
	else
		# Counted per uid: leave room for what this uid already runs.
		mine=$(ps -u "$(id -u)" -o pid= | wc -l)
		n=$((mine + 20))
		expect_status "--limit nproc=$n: a fork loop (at most 200)" 0 \
			"$FERRY" --limit nproc=$n --timeout 20 -- ./hostile forks 200
		case $OUT in
		"forked "*" EAGAIN")
			k=${OUT#forked }
			k=${k% EAGAIN}
			check "forks fail with EAGAIN after $k (< 200)" test "$k" -lt 200
			;;
		*) fail "--limit nproc=$n: forks did not fail with EAGAIN: $OUT" ;;
		esac
	fi

	# ---- bad names and values ----
	bad_limit "unknown name" \
		"ferry: --limit x=1: unknown limit 'x' (as, nproc, nofile, fsize, cpu, core)" --limit x=1
	bad_limit "not a number" "ferry: --limit nofile=abc: 'abc' is not a number (or unlimited)" \
		--limit nofile=abc
	bad_limit "no value" "--limit" --limit nofile=
	bad_limit "no =" "--limit" --limit nofile
	bad_limit "negative" "--limit nofile=-1" --limit nofile=-1
	bad_limit "a fraction" "--limit fsize=1.5M" --limit fsize=1.5M
	bad_limit "an unknown suffix" "--limit fsize=1X" --limit fsize=1X
	bad_limit "a suffix for cpu" "--limit cpu=1M" --limit cpu=1M
	bad_limit "too large" "--limit fsize=99999999999999999999" --limit fsize=99999999999999999999
	bad_limit "missing argument" "--limit" --limit
	printf 'limit bogus=1\n' >bad.policy
	bad_limit "unknown name in a policy file" "bogus" --policy bad.policy
	if ! is_root; then
		hard=$(sh -c 'ulimit -Hn')
		bad_limit "nofile above the hard limit ($hard)" "nofile" --limit nofile=$((hard + 1))
	fi
}

ferry_test_main "$@"
