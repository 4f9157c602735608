#!/bin/sh
# Invariants attacked: layer 1 (the guest's mount namespace is exactly the
# view) and "policy is decided on the path the gofer actually resolved
# (symlinks and .. followed inside its jail)": ".." out of the read-write
# work directory, and symlinks made in it towards a path outside the view,
# a --hide'n directory or file, and --deny'd files, absolute, relative
# ../../ chains, multi-hop, through a directory link, and hard links of
# them; ".." from a directory fd the broker handed over (openat, openat2,
# fchdir), from the work directory and from a --ro bind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

test_body() {
	attack "dotdot" dotdot "$WORK/outside/secret" ../outside/secret
	attack "symlink outside the view" symlink outside "$WORK/outside/secret"
	attack "symlink to a hidden directory's file" symlink hidden-dir "$WORK/jail/hidden/secret"
	attack "symlink to a hidden file" symlink hidden-file "$WORK/jail/hidden.txt"
	attack "symlink to a file denied by a glob" symlink deny-glob "$WORK/jail/secret.pem"
	attack "symlink to a file denied by path" symlink deny-exact "$WORK/jail/exact.txt"
	attack "symlink into a directory denied by DIR/**" symlink deny-dir-glob "$WORK/jail/keys/secret"
	attack "symlink into a directory denied by DIR" symlink deny-dir "$WORK/jail/vault/secret"
	attack "dirfd of a work subdirectory, then .. outside the view" \
		dirfd_dotdot keyz "$WORK/outside/secret" ../../outside/secret
	attack "dirfd of a --ro directory, then .. outside the view" \
		dirfd_dotdot "$WORK/rodir" "$WORK/outside/secret" ../outside/secret
	attack "dirfd of a work subdirectory, then .. into a hidden directory" \
		dirfd_dotdot keyz "$WORK/jail/hidden/secret" ../hidden/secret
	attack "dirfd of a work subdirectory, then .. to a file denied by a glob" \
		dirfd_dotdot keyz "$WORK/jail/secret.pem" ../secret.pem
}

ferry_test_main "$@"
