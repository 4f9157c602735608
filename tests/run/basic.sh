#!/bin/sh
# The default profile: the host's system read-only, the work directory
# read-write, an empty private home.
. "$(dirname "$0")/../lib.sh"

test_body() {
	expect_status "cat /etc/hostname works" 0 "$FERRY" -- cat /etc/hostname
	expect_eq "it prints the host's file" "$OUT" "$(cat /etc/hostname)"

	expect_status "writes in the work directory" 0 "$FERRY" -- sh -c 'echo data > out.txt'
	expect_eq "the file is on the host" "$(cat out.txt)" "data"
	expect_eq "owned by the caller" "$(stat -c %u out.txt)" "$(id -u)"

	expect_status "writing under /usr fails" 1 "$FERRY" -- touch /usr/ferry-test-x
	expect_contains "with EROFS" "$ERR" "Read-only file system"
	check "nothing was created under /usr" test ! -e /usr/ferry-test-x
}

ferry_test_main "$@"
