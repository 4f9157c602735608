#!/bin/sh
# Real programs under ferry: a compiler, make, python, git, tar, find,
# coreutils that create, rename and link, and many opens at once from threads
# and processes. What they leave in the work directory is checked on the host.
. "$(dirname "$0")/../lib.sh"

THREADS=$FERRY_BUILDDIR/tests/run/progs/threads
PY=/usr/bin/python3

test_body() {
	me="$(id -u):$(id -g)"

	# gcc: compile, link, run.
	cat >hello.c <<'C'
#include <stdio.h>
int main(void) { puts("hello from gcc"); return 0; }
C
	expect_status "gcc -c compiles" 0 "$FERRY" -- gcc -c hello.c -o x.o
	expect_status "gcc links" 0 "$FERRY" -- gcc x.o -o a.out
	expect_eq "x.o is the caller's" "$(stat -c %u:%g x.o 2>&1)" "$me"
	expect_eq "a.out is the caller's" "$(stat -c %u:%g a.out 2>&1)" "$me"
	check "a.out is executable" test -x a.out
	expect_eq "a.out runs on the host" "$(./a.out 2>&1)" "hello from gcc"
	expect_status "a.out runs under ferry" 0 "$FERRY" -- ./a.out
	expect_eq "and prints" "$OUT" "hello from gcc"
	expect_status "gcc -E of a system header" 0 "$FERRY" -- sh -c 'echo "#include <stdlib.h>" | gcc -E - | grep -c "malloc"'

	# make -j2 of a small project, then an incremental rebuild.
	mkdir proj
	cat >proj/main.c <<'C'
#include <stdio.h>
int a(void);
int b(void);
int main(void) { printf("%d\n", a() + b()); return 0; }
C
	echo 'int a(void) { return 40; }' >proj/a.c
	echo 'int b(void) { return 2; }' >proj/b.c
	printf 'prog: main.o a.o b.o\n\t$(CC) -o $@ main.o a.o b.o\n%%.o: %%.c\n\t$(CC) -c -o $@ $<\n' >proj/Makefile
	expect_status "make -j2 builds" 0 "$FERRY" -- make -j2 -C proj
	expect_eq "the program works" "$(proj/prog 2>&1)" 42
	expect_status "make again" 0 "$FERRY" -- make -C proj
	expect_contains "nothing to do" "$OUT" "is up to date"
	sleep 1
	echo 'int b(void) { return 3; }' >proj/b.c
	expect_status "make after a change" 0 "$FERRY" -- make -C proj
	expect_contains "rebuilds b.o" "$OUT" "-o b.o"
	expect_not_contains "and not a.o" "$OUT" "-o a.o"
	expect_eq "the new program" "$(proj/prog 2>&1)" 43

	# python3: many stdlib modules, a JSON file and an sqlite database.
	cat >py.py <<'PYTHON'
import argparse, collections, csv, dataclasses, datetime, decimal, email, fractions
import gzip, hashlib, http.client, importlib, inspect, io, itertools, json, logging
import multiprocessing, os, pathlib, pickle, random, re, shutil, socket, sqlite3
import statistics, string, subprocess, tarfile, tempfile, textwrap, threading, typing
import unittest, urllib.parse, uuid, xml.etree.ElementTree, zipfile, zlib
n = sum(1 for m in dir() if not m.startswith("_"))
with open("out.json", "w") as f:
    json.dump({"modules": n, "sha": hashlib.sha256(b"ferry").hexdigest()[:8]}, f)
db = sqlite3.connect("t.db")
db.execute("create table t (x)")
db.executemany("insert into t values (?)", [(i,) for i in range(100)])
db.commit()
db.close()
with tempfile.TemporaryFile() as t:
    t.write(b"scratch")
    t.seek(0)
    assert t.read() == b"scratch"
with tempfile.NamedTemporaryFile(dir=".", delete=False, prefix="named") as t:
    t.write(b"kept")
p = pathlib.Path("tree/a/b")
p.mkdir(parents=True)
(p / "f.txt").write_text("deep")
shutil.copytree("tree", "tree2")
print("python ok")
PYTHON
	expect_status "python3 imports the stdlib and writes files" 0 "$FERRY" -- "$PY" py.py
	expect_eq "it says so" "$OUT" "python ok"
	mkdir pynat
	(cd pynat && "$PY" ../py.py >/dev/null 2>&1)
	expect_eq "out.json on the host, as natively" "$(cat out.json 2>&1)" "$(cat pynat/out.json 2>&1)"
	expect_contains "it counted the modules" "$(cat out.json 2>&1)" '"modules": 40'
	expect_eq "the sqlite database is valid on the host" \
		"$("$PY" -c 'import sqlite3; d = sqlite3.connect("t.db"); print(d.execute("pragma integrity_check").fetchone()[0], d.execute("select count(*), sum(x) from t").fetchone())' 2>&1)" \
		"ok (100, 4950)"
	expect_eq "no journal left behind" "$(ls t.db-* 2>/dev/null)" ""
	expect_eq "the named temporary file" "$(cat named* 2>&1)" kept
	expect_eq "copytree copied" "$(cat tree2/a/b/f.txt 2>&1)" deep

	# git: init, add, commit, log, status; the repository is valid on the host.
	mkdir repo
	echo one >repo/one.txt
	mkdir repo/sub
	echo two >repo/sub/two.txt
	expect_status "git init, add, commit" 0 "$FERRY" -- sh -c 'cd repo && git init -q &&
		git add . && git -c user.name=Tester -c user.email=t@example.com commit -qm x'
	expect_status "git log" 0 "$FERRY" -- git -C repo log --format=%s
	expect_eq "shows the commit" "$OUT" x
	expect_status "git status" 0 "$FERRY" -- git -C repo status --porcelain
	expect_eq "clean" "$OUT" ""
	echo changed >repo/one.txt
	expect_status "git status sees a change" 0 "$FERRY" -- git -C repo status --porcelain
	expect_eq "one.txt modified" "$OUT" " M one.txt"
	expect_status "git commit -a" 0 "$FERRY" -- git -C repo -c user.name=Tester \
		-c user.email=t@example.com commit -qam y
	expect_status "git fsck on the host" 0 git -C repo fsck --strict
	expect_eq "host git log" "$(git -C repo log --format=%s 2>&1 | tr '\n' ' ')" "y x "
	expect_eq "host git status is clean" "$(git -C repo status --porcelain 2>&1)" ""
	expect_eq "the objects are the caller's" \
		"$(find repo/.git -not -user "$(id -u)" 2>&1 | head -3)" ""
	expect_eq "no lock files left" "$(find repo/.git -name '*.lock' 2>&1)" ""

	# A #! script, run by sh -c.
	printf '#!/bin/sh\necho "shebang $1"\n' >script.sh
	chmod +x script.sh
	expect_status "sh -c ./script.sh" 0 "$FERRY" -- sh -c './script.sh arg'
	expect_eq "runs the script" "$OUT" "shebang arg"
	printf '#!/usr/bin/env python3\nimport sys\nprint("env", sys.argv[1])\n' >script.py
	chmod +x script.py
	expect_status "#!/usr/bin/env python3" 0 "$FERRY" -- sh -c './script.py arg'
	expect_eq "runs python" "$OUT" "env arg"
	expect_status "a bash here-document" 0 "$FERRY" -- bash -c 'cat <<X
heredoc
X'
	expect_eq "prints it" "$OUT" heredoc

	# tar: create and extract in the work directory.
	mkdir -p src/d1/d2
	echo alpha >src/a.txt
	echo beta >src/d1/d2/b.txt
	ln -s a.txt src/link
	ln src/a.txt src/hard
	chmod 751 src/d1
	expect_status "tar czf" 0 "$FERRY" -- tar czf t.tgz src
	expect_status "tar xzf" 0 "$FERRY" -- sh -c 'mkdir out && tar xzf t.tgz -C out'
	expect_status "the extracted tree equals the original" 0 diff -r src out/src
	expect_eq "the symlink is a symlink" "$(readlink out/src/link 2>&1)" a.txt
	expect_eq "the hard link is a hard link" "$(stat -c %h out/src/hard 2>&1)" 2
	expect_eq "modes kept" "$(stat -c %a out/src/d1 2>&1)" 751
	expect_eq "tar tzf from the host lists the same" "$(tar tzf t.tgz | sort | tr '\n' ' ')" \
		"$(cd out && find src | sed 's|$||' | sort | while read -r p; do
			if [ -d "$p" ] && [ ! -L "$p" ]; then printf '%s/ ' "$p"; else printf '%s ' "$p"; fi
		done)"

	# Coreutils that create, rename and link.
	printf 'a\nb\n' >edit.txt
	expect_status "sed -i" 0 "$FERRY" -- sed -i 's/a/A/' edit.txt
	expect_eq "edited in place" "$(tr '\n' ' ' <edit.txt)" "A b "
	expect_eq "no sed temporaries" "$(ls sed* 2>/dev/null)" ""
	expect_status "mv, ln, ln -s, install, cp -a, mktemp" 0 "$FERRY" -- sh -c '
		mv edit.txt moved.txt && ln moved.txt hard.txt && ln -s moved.txt soft.txt &&
		install -m 0750 hello.c installed.c && cp -a src copy && t=$(mktemp -p .) && echo "$t" >tmpname'
	check "mv moved" test -f moved.txt -a ! -e edit.txt
	expect_eq "ln made a hard link" "$(stat -c %i hard.txt)" "$(stat -c %i moved.txt)"
	expect_eq "ln -s made a symlink" "$(readlink soft.txt)" moved.txt
	expect_eq "install set the mode" "$(stat -c %a installed.c)" 750
	expect_eq "cp -a kept the symlink" "$(readlink copy/link)" a.txt
	expect_eq "cp -a kept the directory mode" "$(stat -c %a copy/d1)" 751
	expect_eq "mktemp made a 0600 file" "$(stat -c %a "$(cat tmpname)" 2>&1)" 600

	# find walks a directory tree with dirfds, like natively.
	expect_status "find /usr/include -name '*.h' | sort | head" 0 \
		"$FERRY" -- sh -c "find /usr/include -name '*.h' | LC_ALL=C sort | head"
	expect_eq "the same first files as natively" "$OUT" \
		"$(find /usr/include -name '*.h' | LC_ALL=C sort | head)"
	expect_status "find /usr/include -name '*.h' | wc -l" 0 \
		"$FERRY" -- sh -c "find /usr/include -name '*.h' | wc -l"
	expect_eq "the same count as natively" "$OUT" "$(find /usr/include -name '*.h' | wc -l)"
	expect_status "find | head exits early without trouble" 0 \
		"$FERRY" -- sh -c "find /usr/include -name '*.h' | head -3 >/dev/null"

	# Many opens at once: 8 threads and 8 processes, 2000 opens each.
	if [ -x "$THREADS" ]; then
		mkdir th pr
		cp "$THREADS" th/threads
		cp "$THREADS" pr/threads
		expect_status "8 threads x 2000 opens" 0 sh -c "cd th && '$FERRY' -- ./threads threads 8 2000"
		expect_eq "all succeeded with the right data" "$OUT" "ok 16320"
		expect_eq "each thread's own file on the host" "$(cat th/w7 2>&1)" "worker 7 iteration 1900"
		expect_status "8 processes x 2000 opens" 0 sh -c "cd pr && '$FERRY' -- ./threads procs 8 2000"
		expect_eq "all succeeded with the right data" "$OUT" "ok 16320"
		expect_eq "each process's own file on the host" "$(cat pr/w3 2>&1)" "worker 3 iteration 1900"
	else
		fail "$THREADS is not built"
	fi
}

ferry_test_main "$@"
