#!/bin/sh
# Invariant attacked: layer 3, the calls that would open files without the
# broker: io_uring IORING_OP_OPENAT, open_by_handle_at with a handle made
# outside (the "shocker" escape), and a second seccomp filter with
# SECCOMP_FILTER_FLAG_NEW_LISTENER answering CONTINUE.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
		expect_native ESCAPED "io_uring openat" io_uring "$WORK/jail/secret.pem"
	else
		say "# io_uring is disabled on this host: no native check"
	fi
	expect_contained "io_uring openat" io_uring "$WORK/jail/secret.pem"

	escape_setup
	handle=$(run_native handle make "$WORK/outside/secret")
	case "$handle" in
	ERROR*) fail "name_to_handle_at natively: $handle" ;;
	*)
		if is_root; then
			expect_native ESCAPED "open_by_handle_at" handle open "$handle" \
				"$WORK/jail/secret.pem"
		else
			say "# open_by_handle_at needs CAP_DAC_READ_SEARCH: no native check as a user"
		fi
		expect_contained "open_by_handle_at" handle open "$handle" "$WORK/jail/secret.pem"
		;;
	esac

	attack "seccomp NEW_LISTENER" seccomp_listener "$WORK/jail/secret.pem"
}

ferry_test_main "$@"
