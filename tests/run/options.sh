#!/bin/sh
# The command line's view, process and output options, one by one, checked
# by their effect on the host and on what the command sees.
. "$(dirname "$0")/../lib.sh"

# The dynamic loader, to run a program in a root without /lib64.
find_loader() {
	for l in /usr/lib/*/ld-linux*.so.* /usr/lib/ld-linux*.so.*; do
		[ -f "$l" ] && [ ! -L "$l" ] && { printf '%s\n' "$l"; return 0; }
	done
	for l in /usr/lib/*/ld-linux*.so.*; do
		[ -e "$l" ] && { readlink -f "$l"; return 0; }
	done
	return 1
}

test_body() {
	# ---- --ro ----
	mkdir ro && echo original > ro/f
	expect_status "--ro: the file is readable" 0 "$FERRY" --ro ro -- cat ro/f
	expect_eq "--ro: with the host's content" "$OUT" "original"
	expect_status "--ro: writing fails (sh: 2)" 2 "$FERRY" --ro "$WORK/ro" -- sh -c 'echo changed > ro/f'
	expect_contains "--ro: with EROFS" "$ERR" "Read-only file system"
	expect_eq "--ro: the host file is unchanged" "$(cat ro/f)" "original"
	"$FERRY" --ro ro -- sh -c 'touch ro/new; mkdir ro/newdir' >/dev/null 2>&1
	check "--ro: no file or directory was created" test ! -e ro/new -a ! -e ro/newdir

	echo single >single.txt
	expect_status "--ro on a single file: writing fails" 2 "$FERRY" --ro single.txt -- sh -c 'echo x > single.txt'
	expect_eq "--ro file: the host file is unchanged" "$(cat single.txt)" "single"
	expect_status "--ro on a single file: the rest stays writable" 0 "$FERRY" --ro single.txt -- sh -c 'echo y > other.txt'
	expect_eq "--ro file: a neighbour was written" "$(cat other.txt)" "y"

	# ---- --rw outside the work directory ----
	other=$(mktemp -d "${TMPDIR:-/tmp}/ferry-rw.XXXXXX")
	echo old >"$other/f"
	expect_status "--rw: writing works" 0 "$FERRY" --rw "$other" -- \
		sh -c "echo new > '$other/f'; echo made > '$other/made'"
	expect_eq "--rw: the change reaches the host" "$(cat "$other/f")" "new"
	expect_eq "--rw: the new file is on the host" "$(cat "$other/made" 2>/dev/null)" "made"
	expect_eq "--rw: owned by the caller" "$(stat -c %u "$other/made" 2>/dev/null)" "$(id -u)"
	expect_status "without --rw the directory is absent" 1 "$FERRY" -- cat "$other/f"
	expect_contains "with ENOENT" "$ERR" "No such file or directory"
	expect_status "--rw after --ro on the same path: the last wins" 0 \
		"$FERRY" --ro "$other" --rw "$other" -- sh -c "echo last > '$other/f'"
	expect_eq "the last rule's write reached the host" "$(cat "$other/f")" "last"
	rm -rf "$other"

	# ---- --hide ----
	echo topsecret >hidden.txt
	mkdir hdir && echo inner >hdir/inner.txt
	expect_status "--hide file: it reads empty" 0 "$FERRY" --hide hidden.txt -- cat hidden.txt
	expect_eq "--hide file: no content" "$OUT" ""
	expect_status "--hide dir: it lists empty" 0 "$FERRY" --hide hdir -- ls -A hdir
	expect_eq "--hide dir: no entries" "$OUT" ""
	expect_status "--hide dir: its files are gone" 1 "$FERRY" --hide hdir -- cat hdir/inner.txt
	"$FERRY" --hide hidden.txt --hide hdir -- \
		sh -c 'echo over > hidden.txt; echo x > hdir/inner.txt; echo y > hdir/new' >/dev/null 2>&1
	expect_eq "--hide: the host file keeps its content" "$(cat hidden.txt)" "topsecret"
	expect_eq "--hide: the host dir's file keeps its content" "$(cat hdir/inner.txt)" "inner"
	check "--hide: nothing new in the host dir" test ! -e hdir/new

	# ---- --tmpfs ----
	mkdir tdir && echo host >tdir/old
	expect_status "--tmpfs: empty and writable" 0 "$FERRY" --tmpfs tdir -- \
		sh -c 'ls -A tdir; echo fresh > tdir/new; cat tdir/new'
	expect_eq "--tmpfs: the command saw no files, then its own" "$OUT" "fresh"
	check "--tmpfs: nothing reached the host" test ! -e tdir/new
	expect_eq "--tmpfs: the host's file is intact" "$(cat tdir/old)" "host"
	# A mount point missing under a bind would have to be created on the
	# host; ferry refuses instead, naming the path.
	expect_status "--tmpfs on a path missing under a bind: refused" 125 \
		"$FERRY" --tmpfs "$WORK/notthere" -- true
	expect_contains "the message names the path" "$ERR" "--tmpfs $WORK/notthere"
	check "--tmpfs: the missing path was not created on the host" test ! -e notthere

	# ---- --chdir ----
	mkdir -p sub/dir
	expect_status "--chdir relative" 0 "$FERRY" --chdir sub/dir -- pwd
	expect_eq "--chdir: pwd inside" "$OUT" "$WORK/sub/dir"
	expect_status "--chdir absolute" 0 "$FERRY" --chdir "$WORK/sub" -- sh -c 'echo here > marker'
	check "--chdir: a relative write lands there" test -f sub/marker
	expect_status "default: the current directory" 0 "$FERRY" -- pwd
	expect_eq "default cwd" "$OUT" "$WORK"
	expect_status "--chdir to a missing directory" 125 "$FERRY" --chdir /nonexistent-ferry-dir -- pwd
	expect_contains "the message names it" "$ERR" "/nonexistent-ferry-dir"
	expect_contains "the message starts with ferry:" "$ERR" "ferry: "
	expect_eq "the command did not run" "$OUT" ""
	expect_status "--chdir to a host directory outside the view" 125 "$FERRY" --chdir /srv -- pwd
	expect_contains "the message names it" "$ERR" "--chdir /srv"

	# ---- --profile none ----
	expect_status "--profile none: /usr is absent" 127 "$FERRY" --profile none -- /usr/bin/true
	expect_contains "the message names the command" "$ERR" "/usr/bin/true"
	loader=$(find_loader)
	if [ -n "$loader" ]; then
		expect_status "--profile none --ro /usr: only what was asked for" 0 \
			"$FERRY" --profile none --ro /usr -- "$loader" /usr/bin/ls -A /
		expect_not_contains "no /etc" "$OUT" "etc"
		expect_not_contains "no /tmp" "$OUT" "tmp"
		expect_not_contains "no /home" "$OUT" "home"
		expect_contains "/usr is there" "$OUT" "usr"
	fi
	expect_status "--profile none with the system dirs bound: a shell runs" 0 \
		"$FERRY" --profile none --ro /usr --ro /lib --ro /lib64 --ro /bin -- /bin/sh -c 'echo ok'
	expect_eq "it printed" "$OUT" "ok"
	expect_status "--profile default is the default" 0 "$FERRY" --profile default -- cat /etc/hostname
	expect_eq "with the host's /etc" "$OUT" "$(cat /etc/hostname)"

	# ---- --net ----
	expect_status "--net none (default): only lo" 0 "$FERRY" -- \
		python3 -c 'import socket; print(" ".join(n for _, n in socket.if_nameindex()))'
	expect_eq "the interfaces" "$OUT" "lo"
	expect_status "--net none: lo is up (listen and connect on 127.0.0.1)" 0 "$FERRY" --net none -- python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname(), timeout=5)
a, _ = s.accept(); c.sendall(b"ping"); print(a.recv(4).decode())'
	expect_eq "the message came back" "$OUT" "ping"
	expect_status "--net none: /proc/net/dev lists only lo" 0 "$FERRY" -- cat /proc/net/dev
	expect_contains "lo is there" "$OUT" "lo:"
	expect_eq "two header lines and lo" "$(printf '%s\n' "$OUT" | wc -l)" "3"
	expect_status "/proc/mounts (a link to self/mounts) is readable" 0 "$FERRY" -- cat /proc/mounts
	expect_contains "it lists the work directory" "$OUT" "$WORK"
	expect_status "--net none: the outside is unreachable" 1 "$FERRY" -- python3 -c '
import socket, sys
try:
    socket.create_connection(("192.0.2.1", 9), timeout=2)
except OSError as e:
    print(e.errno); sys.exit(1)'
	host_ifs=$(python3 -c 'import socket; print(" ".join(sorted(n for _, n in socket.if_nameindex())))')
	expect_status "--net host: the host's interfaces" 0 "$FERRY" --net host -- \
		python3 -c 'import socket; print(" ".join(sorted(n for _, n in socket.if_nameindex())))'
	expect_eq "the same as outside" "$OUT" "$host_ifs"

	# ---- environment ----
	expect_status "the environment passes through" 0 env FERRY_OUTER=outside "$FERRY" -- printenv FERRY_OUTER
	expect_eq "the value" "$OUT" "outside"
	expect_status "--setenv" 0 "$FERRY" --setenv 'GREETING=hello world' --setenv EMPTY= -- \
		sh -c 'echo "$GREETING|${EMPTY-unset}"'
	expect_eq "--setenv values (with a space; an empty one)" "$OUT" "hello world|"
	expect_status "--setenv replaces" 0 env FERRY_OUTER=outside "$FERRY" --setenv FERRY_OUTER=inside -- \
		printenv FERRY_OUTER
	expect_eq "the replaced value" "$OUT" "inside"
	expect_status "--unsetenv" 0 env FERRY_OUTER=outside "$FERRY" --unsetenv FERRY_OUTER -- \
		sh -c 'echo "${FERRY_OUTER-unset}"'
	expect_eq "the variable is gone" "$OUT" "unset"
	expect_status "--clearenv --setenv" 0 env FERRY_OUTER=outside "$FERRY" --clearenv --setenv ONLY=1 -- /usr/bin/env
	expect_eq "only the set variable" "$OUT" "ONLY=1"
	expect_status "--clearenv alone" 0 "$FERRY" --clearenv -- /usr/bin/env
	expect_eq "an empty environment" "$OUT" ""

	expect_status "--setenv with = in the value" 0 "$FERRY" --setenv A=b=c -- printenv A
	expect_eq "the value keeps its =" "$OUT" "b=c"
	expect_status "--setenv before --clearenv still applies" 0 env FERRY_OUTER=x "$FERRY" --setenv X=1 --clearenv -- /usr/bin/env
	expect_eq "only X" "$OUT" "X=1"

	# ---- standard streams and fds ----
	expect_status "stdin reaches the command" 0 sh -c 'echo piped | "$1" -- cat' sh "$FERRY"
	expect_eq "what it read" "$OUT" "piped"
	expect_status "only fds 0, 1, 2 inside, even if ferry has more" 0 \
		sh -c '"$1" -- sh -c "ls /proc/\$\$/fd" 3</dev/null 4>&1' sh "$FERRY"
	expect_eq "the command's fds" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "0 1 2 "
	expect_status "--chdir to a file" 125 "$FERRY" --chdir single.txt -- pwd
	expect_contains "the message names it and the reason" "$ERR" "--chdir $WORK/single.txt: Not a directory"

	# ---- output ----
	expect_status "-q: the command's own output stays" 0 "$FERRY" -q -- sh -c 'echo out; echo err >&2'
	expect_eq "-q: stdout" "$OUT" "out"
	expect_eq "-q: stderr is the command's only" "$ERR" "err"
	expect_status "-q --timeout: no message" 124 "$FERRY" -q --timeout 1 -- sleep 10
	expect_eq "-q: nothing on stderr" "$ERR" ""
	expect_status "-q still reports errors" 125 "$FERRY" -q --ro /nonexistent-ferry-x -- true
	expect_contains "the error" "$ERR" "ferry: --ro /nonexistent-ferry-x"
	expect_status "without -v ferry is silent" 0 "$FERRY" -- true
	expect_eq "no stderr" "$ERR" ""
	expect_status "-v describes the sandbox" 0 "$FERRY" -v --ro ro --deny '*.pem' -- true
	expect_contains "-v: the sandbox line" "$ERR" "ferry: sandbox:"
	expect_contains "-v: the network" "$ERR" "network none"
	expect_contains "-v: the work directory read-write" "$ERR" "$WORK"
	expect_contains "-v: the --ro bind" "$ERR" "$WORK/ro"
	expect_contains "-v: the deny rule" "$ERR" "deny    **/*.pem"
	expect_eq "-v: stdout untouched" "$OUT" ""
	expect_status "-vv reports every call" 0 "$FERRY" -vv -- cat single.txt
	expect_contains "-vv: an allowed open, with its rule" "$ERR" "allowed openat $WORK/single.txt (rw $WORK)"
	expect_status "-v does not report allowed calls" 0 "$FERRY" -v -- cat single.txt
	expect_not_contains "-v: no allowed line" "$ERR" "allowed openat"
	expect_status "--help" 0 "$FERRY" --help
	expect_contains "--help: usage on stdout" "$OUT" "Usage: ferry"
	expect_contains "--help: lists --deny" "$OUT" "--deny GLOB"
	expect_eq "--help: nothing on stderr" "$ERR" ""
	expect_status "-h" 0 "$FERRY" -h
	expect_contains "-h: usage" "$OUT" "Usage: ferry"
	expect_status "--version" 0 "$FERRY" --version
	check "--version: 'ferry X.Y.Z' on stdout" sh -c 'printf "%s\n" "$1" | grep -Eq "^ferry [0-9]+\.[0-9]+(\.[0-9]+)?"' sh "$OUT"
	expect_status "-V" 0 "$FERRY" -V
	check "-V: same as --version" test "$OUT" = "$("$FERRY" --version)"
	expect_status "'run' is optional and accepted" 0 "$FERRY" run -- sh -c 'echo ran'
	expect_eq "run: output" "$OUT" "ran"
	expect_status "--opt=VALUE form" 0 "$FERRY" --setenv=K=V -- printenv K
	expect_eq "--opt=VALUE: value" "$OUT" "V"
	expect_status "options end at the command" 0 "$FERRY" sh -c 'echo "$1"' sh --ro
	expect_eq "the command's own --ro argument" "$OUT" "--ro"

	# ---- --report (a JSON summary) ----
	expect_status "--report FILE is accepted" 0 "$FERRY" --report "$WORK/r.json" -- true
	check "--report: a JSON object is written" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if isinstance(d, dict) else 1)' "$WORK/r.json" 2>/dev/null
}

ferry_test_main "$@"
