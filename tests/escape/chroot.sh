#!/bin/sh
# Invariants attacked: layer 3 (chroot is refused) and layer 1 (the view
# holds anyway): the double chroot escape, chroot into a subdirectory of
# the work directory, then ".." from the cwd left outside it (or from a
# directory fd taken before), and chroot(".") at the top.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	if is_root; then
		expect_native ESCAPED "chroot double escape" chroot_escape "$WORK/outside/secret" \
			../outside/secret
	else
		say "# chroot needs CAP_SYS_CHROOT: no native check as a user"
	fi
	expect_contained "chroot double escape" chroot_escape "$WORK/outside/secret" \
		../outside/secret
	expect_contained "chroot double escape towards a hidden directory" chroot_escape \
		"$WORK/jail/hidden/secret" hidden/secret
}

ferry_test_main "$@"
