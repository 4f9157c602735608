#!/bin/sh
# Invariant attacked: "policy is decided on the path the gofer actually
# resolved, never on the raw string": a denied file named through an
# allowed directory fd, "//", "/./", a trailing "/", "..", /proc/self/cwd,
# /dev/fd/N/, openat2 scopes; and given an allowed name by link(at) and
# rename(at/at2), including the rename or exchange of its directory, for
# --deny GLOB, --deny FILE, --deny 'DIR/**' and --deny DIR.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	attack "denied glob through other names" denied_paths . secret.pem
	attack "denied file through other names" denied_paths . exact.txt
	attack "denied DIR/** through other names" denied_paths keys secret
	attack "denied DIR through other names" denied_paths vault secret
	attack "link/rename of a file denied by a glob" link_rename file secret.pem
	attack "link/rename of a file denied by path" link_rename file exact.txt
	attack "link/rename in and of a directory denied by DIR/**" link_rename dir keys secret
	attack "link/rename in and of a directory denied by DIR" link_rename dir vault secret
}

ferry_test_main "$@"
