#!/bin/sh
# --log FILE: one JSON object per brokered call, read back with python3.
. "$(dirname "$0")/../lib.sh"

# logq FILE EXPR: prints EXPR evaluated over the records (a list "recs" of
# dicts), the log decoded as UTF-8 with surrogateescape; exits 1 if a line is
# not one JSON object.
logq() {
	python3 - "$1" "$2" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
recs = []
for line in raw.split(b"\n"):
    if not line:
        continue
    try:
        r = json.loads(line.decode("utf-8", "surrogateescape"))
    except ValueError as e:
        print("bad line: %r: %s" % (line, e)); sys.exit(1)
    if not isinstance(r, dict):
        print("not an object: %r" % line); sys.exit(1)
    recs.append(r)
def find(path_end, **kw):
    for r in recs:
        if isinstance(r.get("path"), str) and r["path"].endswith(path_end) and \
           all(r.get(k) == v for k, v in kw.items()):
            return r
    return {}
v = eval(sys.argv[2])
if isinstance(v, bytes):
    sys.stdout.buffer.write(v)
else:
    print(v)
PY
}

test_body() {
	echo hello >plain.txt
	echo secret >key.pem
	ln -s plain.txt link.txt

	expect_status "a run with --log" 0 "$FERRY" --log log.jsonl --deny '*.pem' -- sh -c \
		'cat plain.txt; cat key.pem 2>/dev/null; cat missing.txt 2>/dev/null; cat nodir/x 2>/dev/null;
		 cat link.txt; echo new > created.txt; mv created.txt renamed.txt; true'
	check "the log exists" test -s log.jsonl
	expect_eq "every line is one JSON object" "$(logq log.jsonl 'len(recs) > 5')" "True"
	expect_eq "the log is owned by the caller" "$(stat -c %u log.jsonl)" "$(id -u)"
	expect_eq "every record has all fields" \
		"$(logq log.jsonl 'all(set(["time","pid","comm","syscall","path","resolved","flags","decision","rule","result","latency_us"]) <= set(r) for r in recs)')" "True"
	expect_eq "time is ISO 8601 UTC" \
		"$(logq log.jsonl '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", recs[0]["time"]) is not None')" "True"
	expect_eq "time is now (this year)" "$(logq log.jsonl 'recs[0]["time"][:4]')" "$(date -u +%Y)"
	expect_eq "pid and latency_us are non-negative integers" \
		"$(logq log.jsonl 'all(type(r["pid"]) is int and r["pid"] > 0 and type(r["latency_us"]) is int and r["latency_us"] >= 0 for r in recs)')" "True"

	# an allowed open
	expect_eq "allowed open: syscall" "$(logq log.jsonl 'find("plain.txt").get("syscall")')" "openat"
	expect_eq "allowed open: comm" "$(logq log.jsonl 'find("plain.txt").get("comm")')" "cat"
	expect_eq "allowed open: path as given" "$(logq log.jsonl 'find("plain.txt").get("path")')" "plain.txt"
	expect_eq "allowed open: resolved" "$(logq log.jsonl 'find("plain.txt").get("resolved")')" "$WORK/plain.txt"
	expect_eq "allowed open: decision" "$(logq log.jsonl 'find("plain.txt").get("decision")')" "allow"
	expect_eq "allowed open: rule" "$(logq log.jsonl 'find("plain.txt").get("rule")')" "rw $WORK"
	expect_eq "allowed open: result is an fd" "$(logq log.jsonl 'type(find("plain.txt").get("result")) is int and find("plain.txt")["result"] >= 0')" "True"
	expect_eq "allowed open: flags" "$(logq log.jsonl 'find("plain.txt").get("flags")')" "O_RDONLY"
	expect_eq "a system library is logged under ro /usr" \
		"$(logq log.jsonl 'any(r["rule"] == "ro /usr" and r["decision"] == "allow" for r in recs)')" "True"

	# a denied open
	expect_eq "denied: decision" "$(logq log.jsonl 'find("key.pem").get("decision")')" "deny"
	expect_eq "denied: rule" "$(logq log.jsonl 'find("key.pem").get("rule")')" "deny **/*.pem"
	expect_eq "denied: result" "$(logq log.jsonl 'find("key.pem").get("result")')" "EACCES"
	expect_eq "denied: resolved" "$(logq log.jsonl 'find("key.pem").get("resolved")')" "$WORK/key.pem"

	# missing files
	expect_eq "missing file: result" "$(logq log.jsonl 'find("missing.txt").get("result")')" "ENOENT"
	expect_eq "missing file: decision" "$(logq log.jsonl 'find("missing.txt").get("decision")')" "allow"
	expect_eq "missing directory: result" "$(logq log.jsonl 'find("nodir/x").get("result")')" "ENOENT"
	expect_eq "missing directory: not logged as a denial" \
		"$(logq log.jsonl 'find("nodir/x").get("decision") != "deny"')" "True"

	# symlink, creation, rename
	expect_eq "symlink: resolved to its target" "$(logq log.jsonl 'find("link.txt").get("resolved")')" "$WORK/plain.txt"
	expect_eq "creation: O_CREAT in flags" \
		"$(logq log.jsonl '"O_CREAT" in find("created.txt", syscall="openat").get("flags", "") and "O_WRONLY" in find("created.txt", syscall="openat").get("flags", "")')" "True"
	expect_eq "creation: a mode" "$(logq log.jsonl 'find("created.txt", syscall="openat").get("mode")')" "0666"
	expect_eq "rename: logged with path2" \
		"$(logq log.jsonl '[r.get("path2") for r in recs if r["syscall"].startswith("rename")]')" "['renamed.txt']"
	check "rename happened" test -f renamed.txt

	# odd bytes in a name
	name=$(printf 'odd\n"q\\\001\377 \303\251.txt')
	printf 'odd-content' >"$name"
	expect_status "a file with odd bytes in its name" 0 "$FERRY" --log odd.jsonl -- cat "$name"
	expect_eq "it was read" "$OUT" "odd-content"
	expect_eq "the log still has one object per line" \
		"$(logq odd.jsonl 'sum(1 for r in recs)')" "$(grep -c . odd.jsonl)"
	logq odd.jsonl 'find(".txt", comm="cat").get("path", "").encode("utf-8", "surrogateescape")' >got-name
	printf '%s' "$name" >want-name
	check "the name round-trips (surrogateescape)" cmp -s got-name want-name
	logq odd.jsonl 'find(".txt", comm="cat").get("resolved", "").encode("utf-8", "surrogateescape")' >got-name
	printf '%s' "$WORK/$name" >want-name
	check "the resolved name round-trips" cmp -s got-name want-name
	check "no raw newline or control byte inside a record" \
		sh -c '! grep -q "$(printf "\001")" odd.jsonl'

	# the log is replaced, not appended to
	printf 'junk\n' >old.jsonl
	expect_status "--log over an old file" 0 "$FERRY" --log old.jsonl -- true
	check "the old content is gone" sh -c '! grep -q junk old.jsonl'

	# a denied call with -q still logs
	expect_status "-q with --log" 1 "$FERRY" -q --log q.jsonl --deny '*.pem' -- cat key.pem
	expect_eq "-q: the denial is logged" "$(logq q.jsonl 'find("key.pem").get("decision")')" "deny"

	# unwritable log paths
	expect_status "--log in a missing directory" 125 "$FERRY" --log "$WORK/nodir/x.jsonl" -- sh -c ': > ran'
	expect_contains "the message names the path" "$ERR" "ferry: --log $WORK/nodir/x.jsonl"
	expect_contains "with the reason" "$ERR" "No such file or directory"
	check "the command did not run" test ! -e ran
	mkdir adir
	expect_status "--log naming a directory" 125 "$FERRY" --log adir -- sh -c ': > ran'
	expect_contains "the message names the path" "$ERR" "--log $WORK/adir"
	if ! is_root; then
		mkdir locked && chmod 555 locked
		expect_status "--log in an unwritable directory" 125 "$FERRY" --log locked/x.jsonl -- true
		expect_contains "with EACCES" "$ERR" "Permission denied"
		chmod 755 locked
	fi
}

ferry_test_main "$@"
