#!/bin/sh
# --deny GLOB: opens, links and renames of matching paths fail with EACCES,
# decided on the resolved path, even inside the read-write work directory.
. "$(dirname "$0")/../lib.sh"

test_body() {
	echo secret >key.pem
	echo public >notes.txt
	mkdir -p sub/deeper
	echo deepsecret >sub/deeper/inner.pem

	# ---- reading ----
	expect_status "a denied file cannot be read" 1 "$FERRY" --deny '**/*.pem' -- cat key.pem
	expect_contains "with EACCES" "$ERR" "Permission denied"
	expect_not_contains "its content did not leak" "$OUT" "secret"
	expect_status "other files are still readable" 0 "$FERRY" --deny '**/*.pem' -- cat notes.txt
	expect_eq "with their content" "$OUT" "public"
	expect_status "a glob without a leading /: at any depth" 1 "$FERRY" --deny '*.pem' -- \
		sh -c 'cat sub/deeper/inner.pem; cat key.pem'
	expect_not_contains "neither content leaked" "$OUT" "secret"
	expect_status "--deny '*.key'" 1 "$FERRY" --deny '*.key' -- sh -c 'echo k > id.key; cat id.key'
	check "the new .key file was not created" test ! -e id.key
	expect_status "an absolute glob" 0 "$FERRY" --deny "$WORK/sub/**" -- \
		sh -c 'cat sub/deeper/inner.pem || echo denied; cat key.pem'
	expect_eq "only the matching tree is denied" "$OUT" "denied
secret"
	expect_status "a glob that does not match leaves the file readable" 0 \
		"$FERRY" --deny '*.pem.bak' -- cat key.pem
	expect_eq "its content" "$OUT" "secret"

	# ---- the resolved path decides ----
	ln -s key.pem link.txt
	expect_status "through a symlink with another name" 1 "$FERRY" --deny '*.pem' -- cat link.txt
	expect_contains "EACCES" "$ERR" "Permission denied"
	expect_status "through ./sub/../" 1 "$FERRY" --deny '*.pem' -- cat ./sub/../key.pem
	expect_status "through /proc/self/cwd" 1 "$FERRY" --deny '*.pem' -- cat /proc/self/cwd/key.pem
	expect_status "from another directory" 1 "$FERRY" --deny '*.pem' --chdir sub -- cat ../key.pem
	expect_status "through a symlink made inside" 1 "$FERRY" --deny '*.pem' -- \
		sh -c "ln -s '$WORK/key.pem' /tmp/innocent && cat /tmp/innocent"
	expect_not_contains "no leak" "$OUT" "secret"

	# ---- writing ----
	"$FERRY" --deny '*.pem' -- sh -c 'echo x > key.pem' >/dev/null 2>&1
	expect_eq "a truncating write did not happen" "$(cat key.pem)" "secret"
	"$FERRY" --deny '*.pem' -- sh -c 'echo x >> key.pem' >/dev/null 2>&1
	expect_eq "an appending write did not happen" "$(cat key.pem)" "secret"
	expect_status "truncate(1) fails" 1 "$FERRY" --deny '*.pem' -- truncate -s 0 key.pem
	expect_eq "the file still has its content" "$(cat key.pem)" "secret"
	expect_status "creating a new matching file fails" 2 "$FERRY" --deny '*.pem' -- sh -c 'echo x > new.pem'
	expect_contains "with EACCES" "$ERR" "Permission denied"
	check "the new file is not on the host" test ! -e new.pem
	expect_status "touch of a new matching file fails" 1 "$FERRY" --deny '*.pem' -- touch other.pem
	check "it is not on the host" test ! -e other.pem

	# ---- links and renames ----
	expect_status "renaming a denied file away fails" 1 "$FERRY" --deny '*.pem' -- mv key.pem moved.txt
	check "the file stays" test -f key.pem -a ! -e moved.txt
	expect_status "renaming a file onto a denied name fails" 1 "$FERRY" --deny '*.pem' -- mv notes.txt notes.pem
	check "neither name changed" test -f notes.txt -a ! -e notes.pem
	expect_status "hard-linking a denied file fails" 1 "$FERRY" --deny '*.pem' -- ln key.pem hard.txt
	check "no link appeared" test ! -e hard.txt
	expect_status "copying a denied file fails" 1 "$FERRY" --deny '*.pem' -- cp key.pem copy.txt
	check "no copy appeared" test ! -e copy.txt

	# ---- a directory ----
	mkdir -p vault/inner
	echo v1 >vault/a
	echo v2 >vault/inner/b
	expect_status "--deny DIR: a file in it" 1 "$FERRY" --deny vault -- cat vault/a
	expect_status "--deny DIR: a file deeper in it" 1 "$FERRY" --deny vault -- cat vault/inner/b
	expect_status "--deny DIR: listing it" 2 "$FERRY" --deny vault -- ls vault
	expect_not_contains "no names leaked" "$OUT" "inner"
	expect_status "--deny DIR: creating in it" 2 "$FERRY" --deny vault -- sh -c 'echo n > vault/new'
	check "nothing created on the host" test ! -e vault/new
	expect_status "--deny DIR/ (trailing slash)" 1 "$FERRY" --deny vault/ -- cat vault/a
	expect_status "--deny DIR: other files are readable" 0 "$FERRY" --deny vault -- cat notes.txt
	expect_eq "their content" "$OUT" "public"

	# ---- -v reports denials ----
	expect_status "-v: a denial" 1 "$FERRY" -v --deny '**/*.pem' -- cat key.pem
	expect_contains "-v: names the path" "$ERR" "denied openat $WORK/key.pem"
	expect_contains "-v: names the rule" "$ERR" "(deny **/*.pem)"
	expect_status "without -v: no report" 1 "$FERRY" --deny '**/*.pem' -- cat key.pem
	expect_not_contains "nothing from ferry" "$ERR" "ferry:"
	expect_status "-v: a missing file is not a denial" 1 "$FERRY" -v -- cat nodir/nofile
	expect_not_contains "-v: no line for the missing file" "$ERR" "ferry: openat nodir/nofile"
	expect_not_contains "-v: no line for the missing file (denied)" "$ERR" "denied openat $WORK/nodir"

	# ---- several rules ----
	echo t >token.txt
	expect_status "two --deny rules both hold" 0 "$FERRY" --deny '*.pem' --deny token.txt -- \
		sh -c 'cat key.pem 2>/dev/null || echo a; cat token.txt 2>/dev/null || echo b; cat notes.txt'
	expect_eq "each denied, the rest allowed" "$OUT" "a
b
public"
}

ferry_test_main "$@"
