#!/bin/sh
. "$(dirname "$0")/../lib.sh"
test_body() { :; }
ferry_test_main "$@"
