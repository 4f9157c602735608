#!/bin/sh
# Invariant attacked: layer 3, "deny syscalls that escape or bypass the
# others": keyrings (add_key, keyctl, and a key the host planted in the
# user keyring, which a root guest shares with the host), bpf, perf,
# AF_PACKET (also as AF_INET/SOCK_PACKET), AF_ALG, AF_VSOCK and raw
# sockets, personality flags that weaken the guest's own protections, and
# open_tree_attr (a mount fd, like open_tree, newer than the filter's
# table); each must be refused. And the filter's default for a syscall it
# does not know: ENOSYS.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	for call in add_key keyctl bpf perf packet inet-packet alg vsock raw raw6 personality \
		open_tree_attr; do
		escape_setup
		out=$(run_native refused "$call")
		case "$out" in
		"ESCAPED "*) pass "$call refused: natively ESCAPED" ;;
		*EAFNOSUPPORT* | *ENOSYS*) say "# $call: the kernel lacks it ($out): no native check" ;;
		*) if is_root; then
			fail "$call refused: natively expected ESCAPED, got: $out"
		else
			say "# $call: the kernel refuses a user ($out): no native check"
		fi ;;
		esac
		expect_contained "$call refused" refused "$call"
	done

	expect_native CONTAINED "syscalls unknown to the filter get ENOSYS" refused unknown
	expect_contained "syscalls unknown to the filter get ENOSYS" refused unknown

	escape_setup
	desc="ferry-escape-$$"
	if out=$(cd "$WORK/jail" && "$WORK/bin/keyring" "$TOKEN" plant "$desc" 2>&1); then
		attack "a key the host planted in the user keyring" keyring read "$desc"
		"$WORK/bin/keyring" "$TOKEN" remove "$desc"
	else
		say "# cannot plant a key ($out): keyring not checked"
	fi
}

ferry_test_main "$@"
