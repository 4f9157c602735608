#!/bin/sh
# Invariant attacked: layer 3, "the guest's filter kills non-native ABIs":
# a denied file and a file outside the view opened through the i386 entry
# (int $0x80, open and openat, whose numbers differ from x86-64's) and
# openat with the x32 bit. Each runs in a child; it must die by SIGSYS
# before the open runs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	case "$(uname -m)" in
	x86_64) ;;
	*) skip "the i386 and x32 ABIs exist on x86-64 only" ;;
	esac
	attack "i386 open (int 0x80) of a file denied by a glob" foreign_abi int80 \
		"$WORK/jail/secret.pem"
	expect_contains "the i386 open kills the process (SIGSYS)" "$_out" "killed by Bad system call"
	attack "i386 openat (int 0x80) outside the view" foreign_abi int80at "$WORK/outside/secret"
	expect_contains "the i386 openat kills the process (SIGSYS)" "$_out" \
		"killed by Bad system call"

	escape_setup
	out=$(run_native foreign_abi x32 "$WORK/jail/secret.pem")
	case "$out" in
	"ESCAPED "*) pass "x32 openat: natively ESCAPED" ;;
	*) say "# x32 is off in this kernel (natively: $out): no native check" ;;
	esac
	expect_contained "x32 openat of a file denied by a glob" foreign_abi x32 "$WORK/jail/secret.pem"
	expect_contains "the x32 openat kills the process (SIGSYS)" "$_out" "killed by Bad system call"
}

ferry_test_main "$@"
