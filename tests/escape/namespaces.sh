#!/bin/sh
# Invariant attacked: layer 1 against a guest that makes namespaces of its
# own (unshare -Ur, i.e. unshare(CLONE_NEWUSER|CLONE_NEWNS)): remount a
# read-only bind read-write and write there; umount, move or bind around a
# --hide mount to see what it covers.
#
# Natively the program runs in a mount namespace (unshare -m as root,
# unshare -rm as a user) where the driver made the read-only bind or the
# hiding tmpfs itself, so the caller is privileged over them: the attack
# escapes there. Nothing leaves that namespace (unshare makes it private).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

# native_in_ns WANT LABEL SETUP PROG ARGS...: runs SETUP then PROG in a new
# mount namespace.
native_in_ns() {
	_want=$1
	_label=$2
	_setup=$3
	_prog=$4
	shift 4
	escape_setup
	_flags=-m
	is_root || _flags=-rm
	_out=$(cd "$WORK/jail" && unshare $_flags sh -c "$_setup"' && exec "$0" "$@"' \
		"$WORK/bin/$_prog" "$TOKEN" "$@" </dev/null 2>&1)
	case "$_out" in
	"$_want "*) pass "$_label: natively $_want" ;;
	*) fail "$_label: natively expected $_want, got: $_out" ;;
	esac
}

test_body() {
	ro="$WORK/rodir"
	native_in_ns ESCAPED "remount a read-only bind rw" \
		"mount --bind '$ro' '$ro' && mount -o remount,ro,bind '$ro'" remount_rw "$ro"
	expect_contained "remount a read-only bind rw" remount_rw "$ro"
	expect_contained "remount /usr rw" remount_rw /usr
	check "nothing was created under /usr" sh -c '! ls -d /usr/esc-probe-* 2>/dev/null'

	escape_setup
	(cd "$WORK/jail" && ferry_sandbox unshare -Ur sh -c \
		'mount -o remount,rw,bind /usr && mkdir /usr/esc-probe-shell') >"$WORK/.nsout" 2>&1
	check "ferry -- unshare -Ur mount -o remount,rw,bind /usr fails" test $? -ne 0
	check "and creates nothing under /usr" test ! -e /usr/esc-probe-shell
	say "# [$IDENTITY] $(tr '\n' ' ' <"$WORK/.nsout")"

	hidden="$WORK/jail/hidden"
	native_in_ns ESCAPED "umount a --hide mount" \
		"mount -t tmpfs -o ro,size=4k tmpfs '$hidden'" umount_hide "$hidden" secret
	expect_contained "umount a --hide mount" umount_hide "$hidden" secret
}

ferry_test_main "$@"
