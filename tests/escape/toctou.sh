#!/bin/sh
# Invariant attacked: "never answer a trapped path call with CONTINUE: a
# guest thread rewriting the path buffer after the check changes nothing".
# One thread flips the buffer between an allowed and a denied name while
# another opens it in a loop (20000 opens or 5 s). Natively the program is
# also run under its own naive broker (string check, then CONTINUE) to show
# the race is won when the rule is broken.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	expect_native ESCAPED "toctou against a naive CONTINUE broker" \
		toctou public.txt secret.pem --naive-broker
	attack "toctou public.txt/secret.pem" toctou public.txt secret.pem
	attack "toctou keyz/secret/keys/secret" toctou keyz/secret keys/secret
}

ferry_test_main "$@"
