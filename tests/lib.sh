# Shared helpers for the end-to-end and escape tests (sourced, POSIX sh).
#
# A test script defines test_body and ends with `ferry_test_main "$@"`.
# Run as root, the body runs twice: as root, then as an unprivileged user
# (uid 65534, through setpriv) with its own HOME and work directory, since
# ferry works differently for each (bounded capabilities vs user namespace).
# Each run happens in a fresh work directory ($WORK), which is the current
# directory when test_body starts; $FERRY is the binary under test.
#
# Exit codes follow automake's test driver: 0 pass, 1 fail, 77 skip.

set -u

: "${FERRY:?FERRY must name the ferry binary}"
_script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
FERRY_TEST_UID=65534
FERRY_TEST_GID=65534

_failures=0
_checks=0

say() { printf '%s\n' "$*"; }

# fail MESSAGE: records a failed check and carries on.
fail() {
	_failures=$((_failures + 1))
	_checks=$((_checks + 1))
	say "not ok - [$IDENTITY] $*"
}

pass() {
	_checks=$((_checks + 1))
	say "ok - [$IDENTITY] $*"
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	_desc=$1
	shift
	if "$@"; then pass "$_desc"; else fail "$_desc"; fi
}

# expect_eq DESCRIPTION ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

# expect_status DESCRIPTION STATUS COMMAND...: runs COMMAND, output kept in
# $OUT (stdout) and $ERR (stderr) for later checks.
expect_status() {
	_desc=$1
	_want=$2
	shift 2
	"$@" >"$WORK/.out" 2>"$WORK/.err"
	_got=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
	if [ "$_got" = "$_want" ]; then
		pass "$_desc"
	else
		fail "$_desc: exit $_got, expected $_want; stderr: $ERR"
	fi
}

# expect_contains DESCRIPTION HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1: '$3' not in: $2" ;;
	esac
}

expect_not_contains() {
	case "$2" in
	*"$3"*) fail "$1: '$3' unexpectedly in: $2" ;;
	*) pass "$1" ;;
	esac
}

is_root() { [ "$(id -u)" = 0 ]; }

# Process checks, for the tests that end or kill things.
now_ms() { date +%s%3N; }
has_process() { pgrep -f "$1" >/dev/null; }

# within TENTHS COMMAND...: COMMAND succeeds within TENTHS tenths of a second.
within() {
	_w_left=$1
	shift
	until "$@"; do
		[ "$_w_left" -le 0 ] && return 1
		sleep 0.1
		_w_left=$((_w_left - 1))
	done
}

_no_process_now() { ! pgrep -f "$1" >/dev/null; }
_gone_now() { [ ! -e /proc/"$1"/stat ]; }

# no_process TEXT: no process has TEXT in its command line within 2 s.
no_process() { within 20 _no_process_now "$1"; }
# running TEXT: a process with TEXT in its command line appears within 10 s.
running() { within 100 has_process "$1"; }
# gone PID: process PID ends within 2 s.
gone() { within 20 _gone_now "$1"; }

# skip REASON: ends this run as skipped.
skip() {
	say "skip - [$IDENTITY] $*"
	exit 77
}

_run_body() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-test.XXXXXX") || exit 99
	export WORK
	cd "$WORK" || exit 99
	test_body
	_rc=0
	[ "$_failures" -eq 0 ] || _rc=1
	[ "$_checks" -gt 0 ] || {
		say "not ok - [$IDENTITY] the test made no checks"
		_rc=1
	}
	cd / && rm -rf "$WORK"
	say "# [$IDENTITY] $_checks checks, $_failures failed"
	return $_rc
}

ferry_test_main() {
	if [ -n "${FERRY_TEST_AS_USER:-}" ]; then
		IDENTITY=user
		_run_body
		exit $?
	fi
	IDENTITY=$(id -un 2>/dev/null || id -u)
	_run_body
	_root_rc=$?
	if ! is_root || [ -n "${FERRY_TEST_ROOT_ONLY:-}" ]; then
		exit $_root_rc
	fi
	# Again as an unprivileged user, with a home and TMPDIR of its own.
	_home=$(mktemp -d /tmp/ferry-home.XXXXXX) || exit 99
	chown "$FERRY_TEST_UID:$FERRY_TEST_GID" "$_home"
	setpriv --reuid=$FERRY_TEST_UID --regid=$FERRY_TEST_GID --clear-groups \
		env FERRY_TEST_AS_USER=1 HOME="$_home" TMPDIR="$_home" sh "$_script" "$@"
	_user_rc=$?
	rm -rf "$_home"
	if [ $_root_rc -ne 0 ] && [ $_root_rc -ne 77 ]; then exit $_root_rc; fi
	if [ $_user_rc -ne 0 ] && [ $_user_rc -ne 77 ]; then exit $_user_rc; fi
	[ $_root_rc -eq 77 ] && [ $_user_rc -eq 77 ] && exit 77
	exit 0
}
