#!/bin/sh
# Invariant attacked: layer 1 for the network (`--net none`, the default:
# the sandbox has a network namespace of its own). The driver runs a
# listener on the host, on 127.0.0.1 at a free port and on the abstract
# unix socket "\0ferry-test-<pid>", that writes the secret to whoever
# connects; the guest must reach neither. With --net host it reaches both:
# abstract unix sockets belong to the network namespace, and that is what
# --net host means, so that run is only reported.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	escape_setup
	name="ferry-test-$$"
	rm -f "$WORK/port"
	"$WORK/bin/connect_out" "$TOKEN" serve "$WORK/port" "$name" </dev/null &
	server=$!
	i=0
	while [ ! -s "$WORK/port" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat "$WORK/port" 2>/dev/null)
	if [ -z "$port" ]; then
		fail "the host's listener did not start"
		kill "$server"
		return
	fi
	attack "loopback TCP and an abstract unix socket towards the host" \
		connect_out connect "$port" "$name"
	attack "an abstract unix socket towards the host" connect_out connect - "$name"
	FERRY_OPTS="--net host"
	escape_setup
	out=$(run_ferry connect_out connect "$port" "$name")
	say "# [$IDENTITY] with --net host (the host's network, by design): $out"
	out=$(run_ferry connect_out connect - "$name")
	say "# [$IDENTITY] with --net host (the host's abstract sockets, by design): $out"
	FERRY_OPTS=
	kill "$server"
	wait "$server" 2>/dev/null
}

ferry_test_main "$@"
