#!/bin/sh
# --tmpfs PATH:SIZE: a tmpfs of that size; writing past it fails with ENOSPC
# and nothing reaches the host.
. "$(dirname "$0")/../lib.sh"

test_body() {
	tag="ferry-limit-tmpfs.$$"

	# ---- a new mount point ----
	expect_status "--tmpfs /scratch:1M: its size" 0 \
		"$FERRY" --tmpfs /scratch:1M -- stat -f -c '%b %S' /scratch
	set -- $OUT
	expect_eq "1 MiB" "$(($1 * $2))" 1048576
	expect_status "--tmpfs /scratch:1M: 2M written fails" 1 \
		"$FERRY" --tmpfs /scratch:1M -- dd if=/dev/zero of=/scratch/$tag bs=64k count=32
	expect_contains "with ENOSPC" "$ERR" "No space left on device"
	expect_status "512K fit, and read back" 0 "$FERRY" --tmpfs /scratch:1M -- sh -c \
		"head -c 524288 /dev/zero > /scratch/f && stat -c %s /scratch/f"
	expect_eq "all of it" "$OUT" 524288
	check "nothing at /scratch on the host" test ! -e /scratch/$tag
	expect_status "the tmpfs starts empty each run" 0 \
		"$FERRY" --tmpfs /scratch:1M -- sh -c 'ls -A /scratch | wc -l'
	expect_eq "empty" "$OUT" 0

	# ---- the profile's /tmp ----
	expect_status "--tmpfs /tmp:1M: its size" 0 \
		"$FERRY" --tmpfs /tmp:1M -- stat -f -c '%b %S' /tmp
	set -- $OUT
	expect_eq "1 MiB" "$(($1 * $2))" 1048576
	expect_status "--tmpfs /tmp:1M: 2M written fails" 1 \
		"$FERRY" --tmpfs /tmp:1M -- dd if=/dev/zero of=/tmp/$tag bs=64k count=32
	expect_contains "with ENOSPC" "$ERR" "No space left on device"
	check "nothing in the host's /tmp" test ! -e /tmp/$tag
	check "nothing in TMPDIR" test ! -e "${TMPDIR:-/tmp}/$tag"
	expect_status "--tmpfs /tmp:1M: a small file fits" 0 \
		"$FERRY" --tmpfs /tmp:1M -- sh -c "echo x > /tmp/$tag.small && cat /tmp/$tag.small"
	expect_eq "and reads back" "$OUT" x
	check "it stayed in the sandbox" test ! -e /tmp/$tag.small
	expect_status "--tmpfs /tmp:1M: a fresh /tmp each run" 1 \
		"$FERRY" --tmpfs /tmp:1M -- test -e /tmp/$tag.small

	# ---- other sizes ----
	expect_status "--tmpfs /scratch:64K" 0 "$FERRY" --tmpfs /scratch:64K -- stat -f -c '%b %S' /scratch
	set -- $OUT
	expect_eq "64 KiB" "$(($1 * $2))" 65536
	expect_status "--tmpfs /scratch:10% (of RAM)" 0 \
		"$FERRY" --tmpfs /scratch:10% -- stat -f -c '%b %S' /scratch
	set -- $OUT
	ram=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
	size=$(($1 * $2 / 1024))
	check "about 10% of RAM ($size of $ram kB)" \
		test $((size * 100)) -ge $((ram * 9)) -a $((size * 100)) -le $((ram * 11))
	expect_status "--tmpfs /scratch without a size still works" 0 \
		"$FERRY" --tmpfs /scratch -- sh -c 'echo x > /scratch/f && cat /scratch/f'
	expect_eq "and holds a file" "$OUT" x
}

ferry_test_main "$@"
