#!/bin/sh
# Invariant attacked: "policy is decided on the path the gofer actually
# resolved, never on the raw string", where the supervisor reopens an exact
# /proc/<pid>/fd/N itself (broker.c open_guest_fd). An O_PATH fd obtained
# without the broker (open_tree) is reopened after its link text stops
# naming the denied file: once unlinked ("PATH (deleted)"), or under a bind
# mount of the guest's own mount namespace. And, in a root sandbox, the
# reopen is done with the supervisor's credentials, not the guest's: a guest
# process that dropped root reads root's files, and any guest reads the
# non-dumpable init's /proc/1/environ (with what --unsetenv removed).
# And a read-only fd reopened for writing through /proc/self/fd/N and its
# other names: a file of a --ro bind, and, as a user, a 0444 file of the
# read-write work directory.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	attack "reopen a file of a --ro bind for writing" reopen_rw "$WORK/rodir/file"
	ESCAPE_PRE='echo mine >"$WORK/jail/readonly.txt" && chmod 444 "$WORK/jail/readonly.txt"'
	if is_root; then
		expect_native ESCAPED "reopen a 0444 file for writing" reopen_rw \
			"$WORK/jail/readonly.txt"
		say "# root may write a 0444 file (CAP_DAC_OVERRIDE): checked as a user only"
	else
		expect_native CONTAINED "reopen a 0444 file for writing" reopen_rw \
			"$WORK/jail/readonly.txt"
		expect_contained "reopen a 0444 file for writing" reopen_rw "$WORK/jail/readonly.txt"
	fi
	ESCAPE_PRE=:

	attack "reopen an unlinked file denied by a glob" reopen_deleted "$WORK/jail/secret.pem"
	attack "reopen an unlinked file denied by path" reopen_deleted "$WORK/jail/exact.txt"
	attack "reopen an unlinked file in a directory denied by DIR/**" \
		reopen_deleted "$WORK/jail/keys/secret"
	attack "bind a directory denied by DIR/** in an own namespace" \
		nested_bind "$WORK/jail/keys" secret
	attack "bind a directory denied by DIR in an own namespace" \
		nested_bind "$WORK/jail/vault" secret
	attack "bind a file denied by a glob in an own namespace" \
		nested_bind "$WORK/jail/secret.pem" -

	# The shell that starts ferry has FERRY_ESCAPE_ENV=$TOKEN; the guest does
	# not (--unsetenv). Natively: the program started without it by a shell
	# started with it (the trailing ':' keeps that shell as its parent).
	escape_setup
	out=$(cd "$WORK/jail" && env FERRY_ESCAPE_ENV="$TOKEN" sh -c '"$@"; :' sh \
		env -u FERRY_ESCAPE_ENV "$WORK/bin/env_leak" "$TOKEN" FERRY_ESCAPE_ENV)
	case "$out" in
	"ESCAPED "*) pass "an --unsetenv'd variable from an ancestor: natively ESCAPED" ;;
	*) fail "an --unsetenv'd variable from an ancestor: natively expected ESCAPED, got: $out" ;;
	esac
	ESCAPE_PRE='export FERRY_ESCAPE_ENV="$TOKEN"'
	expect_contained "an --unsetenv'd variable from an ancestor" env_leak FERRY_ESCAPE_ENV
	ESCAPE_PRE=:

	if is_root; then
		expect_native ESCAPED "reopen as root (no drop)" reopen_creds "$WORK/jail/secret.pem" \
			--no-drop
		prepare='install -m 600 "$WORK/jail/public.txt" "$WORK/jail/rootonly" &&
			echo "$TOKEN root only" >"$WORK/jail/rootonly"'
		ESCAPE_PRE=$prepare
		expect_native CONTAINED "reopen after dropping to 65534" reopen_creds \
			"$WORK/jail/rootonly"
		expect_contained "reopen after dropping to 65534" reopen_creds "$WORK/jail/rootonly"
		ESCAPE_PRE=:
	fi
}

ferry_test_main "$@"
