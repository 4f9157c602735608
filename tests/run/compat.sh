#!/bin/sh
# Kernels without mount_setattr (before Linux 5.12): ferry makes its binds
# read-only, nosuid and nodev with bind remounts instead, submounts too.
. "$(dirname "$0")/../lib.sh"

WITHOUT=$FERRY_BUILDDIR/tests/run/progs/without_syscall

test_body() {
	[ -x "$WITHOUT" ] || skip "$WITHOUT is not built"
	mkdir -p ro/sub rw
	echo orig >ro/file
	if is_root; then
		mount -t tmpfs tmpfs ro/sub || skip "cannot mount a tmpfs for the submount"
		echo inner >ro/sub/file
	fi
	expect_status "mount_setattr fails as on an old kernel" 1 "$WITHOUT" mount_setattr \
		python3 -c 'import ctypes, sys; l = ctypes.CDLL(None, use_errno=True); r = l.syscall(442, -100, b"/", 0, None, 0); sys.exit(1 if r < 0 and ctypes.get_errno() == 38 else 0)'
	expect_status "ferry still runs" 0 "$WITHOUT" mount_setattr "$FERRY" --ro "$WORK/ro" \
		--rw "$WORK/rw" -- sh -c 'cat ro/file; echo new > rw/file'
	expect_eq "and reads" "$OUT" "orig"
	expect_eq "and writes where it may" "$(cat rw/file)" "new"
	expect_status "a --ro bind is read-only" 2 "$WITHOUT" mount_setattr "$FERRY" --ro "$WORK/ro" \
		-- sh -c 'echo evil > ro/file'
	expect_contains "with EROFS" "$ERR" "Read-only file system"
	expect_eq "the file is unchanged" "$(cat ro/file)" "orig"
	expect_status "the system directories are read-only" 1 "$WITHOUT" mount_setattr "$FERRY" \
		-- touch /etc/ferry-compat-x
	check "nothing was created" test ! -e /etc/ferry-compat-x
	expect_status "the sandbox root is read-only" 1 "$WITHOUT" mount_setattr "$FERRY" \
		-- mkdir /ferry-compat-x
	if is_root; then
		expect_status "a submount of a --ro bind is read-only too" 2 "$WITHOUT" mount_setattr \
			"$FERRY" --ro "$WORK/ro" -- sh -c 'echo evil > ro/sub/file'
		expect_eq "the submount's file is unchanged" "$(cat ro/sub/file)" "inner"
		umount ro/sub
	fi
}

ferry_test_main "$@"
