# Shared by the escape drivers (sourced after ../lib.sh, POSIX sh).
#
# The layout each attack runs against, rebuilt before every run (attacks
# that succeed natively move, link and unlink things):
#
#   $WORK/outside/secret      next to the work directory, outside the view
#   $WORK/jail/               the work directory: ferry's cwd, read-write
#   $WORK/jail/public.txt     allowed
#   $WORK/jail/secret.pem     --deny '**/*.pem'
#   $WORK/jail/keys/secret    --deny "$WORK/jail/keys/**"
#   $WORK/jail/vault/secret   --deny "$WORK/jail/vault"
#   $WORK/jail/exact.txt      --deny "$WORK/jail/exact.txt"
#   $WORK/jail/keyz/secret    allowed (one letter from keys/secret)
#   $WORK/jail/hidden/secret  --hide "$WORK/jail/hidden"
#   $WORK/jail/hidden.txt     --hide "$WORK/jail/hidden.txt"
#   $WORK/rodir/file          --ro "$WORK/rodir"
#   $WORK/bin/                the attack programs, --ro
#
# Every secret holds $TOKEN; an attack escapes when it reads it. The
# sandbox also runs with --unsetenv FERRY_ESCAPE_ENV.

TOKEN="ferry-escape-secret-$$"

escape_programs="dotdot symlink procfs mountinfo denied_paths link_rename toctou fds io_uring
handle seccomp_listener remount_rw umount_hide reopen_deleted nested_bind reopen_creds env_leak
foreign_abi chroot_escape ptrace_pids procmem reopen_rw connect_out dirfd_dotdot refused keyring"

: "${FERRY_BUILDDIR:?FERRY_BUILDDIR must name the build directory}"

escape_setup() {
	chmod 755 "$WORK"
	rm -rf "$WORK/jail" "$WORK/outside" "$WORK/rodir"
	mkdir -p "$WORK/outside" "$WORK/jail/hidden" "$WORK/jail/keys" "$WORK/jail/vault" \
		"$WORK/rodir" "$WORK/bin" || exit 99
	echo "$TOKEN outside" >"$WORK/outside/secret"
	echo "$TOKEN hidden" >"$WORK/jail/hidden/secret"
	echo "$TOKEN hidden file" >"$WORK/jail/hidden.txt"
	echo "$TOKEN pem" >"$WORK/jail/secret.pem"
	echo "$TOKEN keys" >"$WORK/jail/keys/secret"
	echo "$TOKEN vault" >"$WORK/jail/vault/secret"
	echo "$TOKEN exact" >"$WORK/jail/exact.txt"
	mkdir "$WORK/jail/keyz" && echo public >"$WORK/jail/keyz/secret"
	echo public >"$WORK/jail/public.txt"
	echo ro >"$WORK/rodir/file"
	for _p in $escape_programs; do
		[ -x "$WORK/bin/$_p" ] || cp "$FERRY_BUILDDIR/tests/escape/$_p" "$WORK/bin/" || exit 99
	done
}

# Extra options for ferry_sandbox (split on spaces), e.g. --allow-debug.
FERRY_OPTS=

# The sandbox every attack runs in: the default profile plus the rules above.
ferry_sandbox() {
	"$FERRY" $FERRY_OPTS --ro "$WORK/bin" --ro "$WORK/rodir" \
		--hide "$WORK/jail/hidden" --hide "$WORK/jail/hidden.txt" \
		--deny '**/*.pem' --deny "$WORK/jail/keys/**" --deny "$WORK/jail/vault" \
		--deny "$WORK/jail/exact.txt" --unsetenv FERRY_ESCAPE_ENV \
		-- "$@"
}

# Shell code run (eval) in the subshell that starts the program, natively
# and under ferry, e.g. to open extra fds.
ESCAPE_PRE=:

# run_native PROG ARGS...: the attack without ferry, from $WORK/jail.
run_native() {
	_prog=$1
	shift
	(cd "$WORK/jail" && eval "$ESCAPE_PRE" && exec "$WORK/bin/$_prog" "$TOKEN" "$@") </dev/null 2>&1
}

# run_ferry PROG ARGS...: the attack under ferry, from $WORK/jail.
run_ferry() {
	_prog=$1
	shift
	(cd "$WORK/jail" && eval "$ESCAPE_PRE" &&
		ferry_sandbox "$WORK/bin/$_prog" "$TOKEN" "$@") </dev/null 2>&1
}

# expect_native WANT LABEL PROG ARGS...: the native run prints WANT
# (ESCAPED: the attack is real; CONTAINED: the baseline ferry must keep).
expect_native() {
	_want=$1
	_label=$2
	shift 2
	escape_setup
	_out=$(run_native "$@")
	case "$_out" in
	"$_want "*) pass "$_label: natively $_want" ;;
	*) fail "$_label: natively expected $_want, got: $_out" ;;
	esac
}

# expect_contained LABEL PROG ARGS...: under ferry the attack must print
# CONTAINED and exit 0.
expect_contained() {
	_label=$1
	shift
	escape_setup
	_out=$(run_ferry "$@")
	_rc=$?
	say "# [$IDENTITY] under ferry: $_out"
	case "$_out" in
	CONTAINED*) if [ "$_rc" -eq 0 ]; then
		pass "$_label: contained under ferry"
	else
		fail "$_label: under ferry: exit $_rc: $_out"
	fi ;;
	*) fail "$_label: under ferry: $_out" ;;
	esac
}

# attack LABEL PROG ARGS...: must escape natively, must not under ferry.
attack() {
	expect_native ESCAPED "$@"
	expect_contained "$@"
}
