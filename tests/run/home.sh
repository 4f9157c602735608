#!/bin/sh
# The home directory inside is empty, private and writable; the real one's
# files stay invisible and nothing written inside reaches it. Same for /tmp.
. "$(dirname "$0")/../lib.sh"

test_body() {
	# A home of our own (root's real one is not ours to fill).
	H=$(mktemp -d "${TMPDIR:-/tmp}/ferry-realhome.XXXXXX")
	mkdir -p "$H/.ssh" "$H/.config/app"
	echo PRIVATE-KEY >"$H/.ssh/id_rsa"
	echo settings >"$H/.config/app/conf"
	echo visible >"$H/.profile-marker"
	before=$(cd "$H" && find . | sort)

	expect_status "HOME is set inside" 0 env HOME="$H" "$FERRY" -- sh -c 'echo "$HOME"'
	expect_eq "to the same path" "$OUT" "$H"
	expect_status "the real home's key is absent" 1 env HOME="$H" "$FERRY" -- cat "$H/.ssh/id_rsa"
	expect_contains "ENOENT" "$ERR" "No such file or directory"
	expect_not_contains "its content did not leak" "$OUT" "PRIVATE-KEY"
	expect_status "~/.ssh/id_rsa through ~" 1 env HOME="$H" "$FERRY" -- sh -c 'cat ~/.ssh/id_rsa'
	expect_status "~ lists empty" 0 env HOME="$H" "$FERRY" -- ls -A "$H"
	expect_eq "no entries" "$OUT" ""
	expect_status "~ belongs to the caller inside" 0 env HOME="$H" "$FERRY" -- stat -c %u "$H"
	expect_eq "its owner" "$OUT" "$(id -u)"
	expect_status "writing in ~ works" 0 env HOME="$H" "$FERRY" -- sh -c \
		'mkdir -p ~/.cache/tool && echo cached > ~/.cache/tool/c && echo top > ~/.profile-marker && cat ~/.cache/tool/c ~/.profile-marker'
	expect_eq "and reads back" "$OUT" "cached
top"
	expect_eq "nothing reached the real home" "$(cd "$H" && find . | sort)" "$before"
	expect_eq "the real home's file is unchanged" "$(cat "$H/.profile-marker")" "visible"
	expect_status "nothing survives to the next run" 0 env HOME="$H" "$FERRY" -- ls -A "$H"
	expect_eq "~ is empty again" "$OUT" ""
	expect_status "a policy can bind part of the home back" 0 env HOME="$H" "$FERRY" \
		--ro "$H/.config/app" -- cat "$H/.config/app/conf"
	expect_eq "with its content" "$OUT" "settings"
	expect_status "the rest of the home stays hidden" 1 env HOME="$H" "$FERRY" \
		--ro "$H/.config/app" -- cat "$H/.ssh/id_rsa"
	rm -rf "$H"

	# The test's own HOME (for the unprivileged run, the work directory lies
	# inside it: only the path down to it shows).
	echo mine >"$HOME/ferry-home-marker.$$"
	expect_status "the caller's home: its files are absent" 1 "$FERRY" -- cat "$HOME/ferry-home-marker.$$"
	expect_status "the caller's home lists" 0 "$FERRY" -- ls -A "$HOME"
	expect_not_contains "without the marker" "$OUT" "ferry-home-marker"
	case "$WORK" in
	"$HOME"/*)
		first=${WORK#"$HOME"/}
		first=${first%%/*}
		expect_eq "only the way to the work directory" "$OUT" "$first"
		;;
	*) expect_eq "nothing at all" "$OUT" "" ;;
	esac
	rm -f "$HOME/ferry-home-marker.$$"

	# /tmp is fresh too.
	tmpmark=/tmp/ferry-tmp-marker.$$.$(id -u)
	echo host >"$tmpmark"
	expect_status "a host /tmp file is absent" 1 "$FERRY" -- cat "$tmpmark"
	expect_status "writing in /tmp works" 0 "$FERRY" -- sh -c \
		"echo inside > /tmp/ferry-inside.$$ && cat /tmp/ferry-inside.$$ && echo changed > $tmpmark"
	expect_eq "and reads back" "$OUT" "inside"
	check "nothing reached the host's /tmp" test ! -e /tmp/ferry-inside.$$
	expect_eq "the host's /tmp file is unchanged" "$(cat "$tmpmark")" "host"
	rm -f "$tmpmark"

	# Run from the home directory itself (or from a directory holding it),
	# the default profile does not bind it: the real home stays out.
	fakehome=$WORK/fakehome
	mkdir -p "$fakehome/.ssh"
	echo key >"$fakehome/.ssh/id_test"
	expect_status "run from \$HOME" 0 sh -c \
		"cd '$fakehome' && HOME='$fakehome' '$FERRY' -- sh -c 'pwd; ls -A; echo x > made-inside'"
	expect_eq "starts in the (empty) private home" "$OUT" "$fakehome"
	expect_contains "says why" "$ERR" "holds your home directory"
	check "the real home's files stayed out" test ! -e "$fakehome/made-inside"
	expect_eq "and were not visible" "$(ls -A "$fakehome")" ".ssh"
	expect_status "run from the directory holding \$HOME" 0 sh -c \
		"cd '$WORK' && HOME='$fakehome' '$FERRY' -- sh -c 'ls -A fakehome'"
	expect_eq "the home is empty there too" "$OUT" ""
	expect_status "--rw shares it on purpose" 0 sh -c \
		"cd '$fakehome' && HOME='$fakehome' '$FERRY' --rw '$fakehome' -- ls -A"
	expect_eq "then its files are there" "$OUT" ".ssh"
	expect_not_contains "and nothing is said" "$ERR" "holds your home directory"
}

ferry_test_main "$@"
