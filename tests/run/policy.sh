#!/bin/sh
# --policy FILE: long options one a line, without the dashes; comments,
# includes relative to the including file, ${PWD} and ${HOME}; errors that
# name file:line.
. "$(dirname "$0")/../lib.sh"

# bad_policy DESCRIPTION NEEDLE TEXT: a policy with TEXT is refused (125)
# with a message holding NEEDLE; the command does not run.
bad_policy() {
	printf '%s\n' "$3" >"$WORK/bad.policy"
	rm -f "$WORK/ran"
	expect_status "$1: exit 125" 125 "$FERRY" --policy bad.policy -- sh -c ': > ran'
	expect_contains "$1: message" "$ERR" "$2"
	check "$1: the command did not run" test ! -e "$WORK/ran"
}

test_body() {
	mkdir -p conf/sub ro rw-other tdir hdir d
	echo original >ro/f
	echo host >tdir/old
	echo hidden >hdir/h
	echo secret >key.pem
	echo public >notes.txt
	echo topsecret >hfile

	cat >conf/main.policy <<'P'
# A policy: comments, blank lines, indentation, trailing comments.

	ro ${PWD}/ro        # read-only
deny **/*.pem
  tmpfs ${PWD}/tdir
hide ${PWD}/hdir
hide ${PWD}/hfile
setenv GREETING=hello world
net none
chdir ${PWD}/d
include sub/extra.policy
P
	cat >conf/sub/extra.policy <<'P'
setenv FROM_INCLUDE=yes
include ../third.policy
P
	printf 'setenv THIRD=3\n' >conf/third.policy

	expect_status "a policy with every kind of line" 0 "$FERRY" --policy conf/main.policy -- sh -c '
		pwd
		echo "$GREETING/$FROM_INCLUDE/$THIRD"
		cat ../key.pem 2>/dev/null || echo pem-denied
		cat ../notes.txt
		ls -A ../tdir | wc -l
		ls -A ../hdir | wc -l
		wc -c < ../hfile
		echo x > ../ro/f 2>/dev/null || echo ro-refused
		echo t > ../tdir/new
		python3 -c "import socket; print(len(socket.if_nameindex()))"'
	expect_eq "every line took effect" "$OUT" "$WORK/d
hello world/yes/3
pem-denied
public
0
0
0
ro-refused
1"
	expect_eq "ro: the host file is unchanged" "$(cat ro/f)" "original"
	check "tmpfs: nothing reached the host" test ! -e tdir/new
	expect_eq "hide: the host file is intact" "$(cat hfile)" "topsecret"

	# include default / profile none
	printf 'profile none\n' >none.policy
	expect_status "profile none in a file" 127 "$FERRY" --policy none.policy -- /usr/bin/true
	printf 'profile none\ninclude default\n' >both.policy
	expect_status "include default after profile none" 0 "$FERRY" --policy both.policy -- cat /etc/hostname
	expect_eq "the system is there" "$OUT" "$(cat /etc/hostname)"
	printf 'include default\nrw ${PWD}/ro\n' >inc.policy
	expect_status "include default, then a refinement" 0 "$FERRY" --policy inc.policy -- \
		sh -c 'echo changed > ro/f'
	expect_eq "the refinement won" "$(cat ro/f)" "changed"
	echo original >ro/f

	# order: the command line after --policy wins, and before it loses
	printf 'ro ${PWD}/ro\n' >ro.policy
	expect_status "--rw after --policy wins" 0 "$FERRY" --policy ro.policy --rw ro -- sh -c 'echo later > ro/f'
	expect_eq "the file changed" "$(cat ro/f)" "later"
	echo original >ro/f
	expect_status "--rw before --policy loses" 2 "$FERRY" --rw ro --policy ro.policy -- sh -c 'echo later > ro/f'
	expect_eq "the file did not change" "$(cat ro/f)" "original"

	# ${HOME}
	H=$(mktemp -d "${TMPDIR:-/tmp}/ferry-phome.XXXXXX")
	mkdir -p "$H/proj"
	echo inhome >"$H/proj/f"
	printf 'ro ${HOME}/proj\n' >home.policy
	expect_status "without the policy the home's file is hidden" 1 env HOME="$H" "$FERRY" -- cat "$H/proj/f"
	expect_status "ro \${HOME}/proj" 0 env HOME="$H" "$FERRY" --policy home.policy -- cat "$H/proj/f"
	expect_eq "the home's file is visible" "$OUT" "inhome"
	expect_status "and not writable" 2 env HOME="$H" "$FERRY" --policy home.policy -- sh -c "echo x > '$H/proj/f'"
	expect_eq "the home's file is unchanged" "$(cat "$H/proj/f")" "inhome"
	rm -rf "$H"

	# an absolute --policy path from elsewhere; ${PWD} is ferry's directory
	printf 'deny ${PWD}/notes.txt\n' >conf/pwd.policy
	expect_status "\${PWD} is the current directory, not the file's" 1 \
		"$FERRY" --policy "$WORK/conf/pwd.policy" -- cat notes.txt
	expect_contains "denied" "$ERR" "Permission denied"
	printf 'setenv WHERE=${PWD}\n' >env.policy
	expect_status "\${PWD} in a setenv value" 0 "$FERRY" --policy env.policy -- printenv WHERE
	expect_eq "expands" "$OUT" "$WORK"

	# errors name file:line
	bad_policy "missing argument" "ferry: $WORK/bad.policy:1: ro: missing argument" 'ro'
	bad_policy "unknown option on line 3" "$WORK/bad.policy:3: unknown option 'bogus'" '# comment

bogus x'
	bad_policy "a relative path" "$WORK/bad.policy:1: ro: 'relative' is not an absolute path" 'ro relative'
	bad_policy "a missing path" "$WORK/bad.policy:2: ro $WORK/nothing: No such file or directory" '# x
ro ${PWD}/nothing'
	bad_policy "a missing include" "$WORK/bad.policy:1: include: $WORK/nope.policy: No such file or directory" 'include nope.policy'
	bad_policy "an include loop" "includes itself" 'include bad.policy'
	bad_policy "an unknown variable" "$WORK/bad.policy:1: ro: unknown variable '\${FOO}'" 'ro ${FOO}/x'
	bad_policy "a bad net" "$WORK/bad.policy:1: net: 'bogus'" 'net bogus'
	bad_policy "a bad timeout" "$WORK/bad.policy:1: timeout" 'timeout soon'
	bad_policy "an unknown profile" "$WORK/bad.policy:1: profile" 'profile nosuch'
	bad_policy "a command-line-only option" "$WORK/bad.policy:1: unknown option 'verbose'" 'verbose'
	bad_policy "policy inside a policy" "$WORK/bad.policy:1: unknown option 'policy'" 'policy other'
	bad_policy "an argument to clearenv" "$WORK/bad.policy:1: clearenv: takes no argument" 'clearenv now'
	printf 'ro ${PWD}/ro\nbogus\n' >conf/sub/broken.policy
	bad_policy "an error in an included file names that file" "$WORK/conf/sub/broken.policy:2: unknown option 'bogus'" \
		'include conf/sub/broken.policy'
	printf 'ro\0x\n' >nul.policy
	expect_status "a file with a NUL byte" 125 "$FERRY" --policy nul.policy -- true
	expect_contains "is refused, naming it" "$ERR" "nul.policy"
	expect_status "a directory as policy" 125 "$FERRY" --policy conf -- true
	expect_contains "is refused, naming it" "$ERR" "$WORK/conf"
}

ferry_test_main "$@"
