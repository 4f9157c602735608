#!/bin/sh
# Who takes the guest's calls, and that every kind of open comes out as it
# does natively whoever takes it: the gofer itself (a user's sandbox where
# nothing records the calls), the supervisor (as root, or when the log, the
# report or a deny rule needs the resolved paths), and the supervisor for a
# guest that made itself non-dumpable, whose memory the gofer may not read.
. "$(dirname "$0")/../lib.sh"

test_body() {
	expect_status "-v says who takes the calls" 0 "$FERRY" -v -- true
	if is_root; then
		expect_contains "as root: the supervisor" "$ERR" "broker: the supervisor takes the calls"
	else
		expect_contains "as a user: the gofer" "$ERR" "broker: the gofer takes the calls"
	fi
	expect_status "with --log" 0 "$FERRY" -v --log calls.json -- true
	expect_contains "the supervisor takes them, to record them" "$ERR" \
		"broker: the supervisor takes the calls"
	expect_status "with a deny rule" 0 "$FERRY" -v --deny '**/*.key' -- true
	expect_contains "the supervisor takes them, to decide them" "$ERR" \
		"broker: the supervisor takes the calls"

	mkdir -p sub/deeper
	echo top >top.txt
	echo inner >sub/inner.txt
	mkfifo sub/fifo
	cat >opens.py <<'PY'
import ctypes, errno, os, stat, sys, threading
if sys.argv[1] == "nondumpable":
    if ctypes.CDLL(None).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        sys.exit("prctl failed")
def attempt(what, fn):
    try:
        r = fn()
        print(what, "ok", r if r is not None else "")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
def read(path, dir_fd=None, flags=os.O_RDONLY):
    fd = os.open(path, flags, dir_fd=dir_fd)
    try:
        return os.read(fd, 100).decode().strip()
    finally:
        os.close(fd)
here = os.getcwd()
attempt("absolute", lambda: read(here + "/top.txt"))
attempt("relative", lambda: read("sub/inner.txt"))
attempt("dot-dot", lambda: read("sub/deeper/../inner.txt"))
os.chdir("sub/deeper")
attempt("relative to a new cwd", lambda: read("../inner.txt"))
os.chdir(here)
d = os.open("sub", os.O_RDONLY | os.O_DIRECTORY)
attempt("relative to a dirfd", lambda: read("inner.txt", dir_fd=d))
attempt("missing", lambda: read("sub/nope"))
attempt("missing absolute", lambda: read(here + "/nope"))
attempt("a directory for writing", lambda: read("sub", flags=os.O_WRONLY))
os.umask(0o027)
def create(path, dir_fd=None):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666, dir_fd=dir_fd)
    os.write(fd, b"made\n")
    os.close(fd)
    return oct(stat.S_IMODE(os.stat(path if dir_fd is None else "sub/" + path).st_mode))
attempt("create, umask 027", lambda: create("made.txt"))
attempt("create again, O_EXCL", lambda: create("made.txt"))
attempt("create by dirfd", lambda: create("made2.txt", dir_fd=d))
attempt("create absolute", lambda: create(here + "/made3.txt"))
attempt("read it back", lambda: read("made.txt"))
attempt("own status", lambda: read("/proc/self/status")[:5])
def writer():
    with open("sub/fifo", "w") as f:
        f.write("through the fifo\n")
t = threading.Thread(target=writer)
t.start()
attempt("a FIFO", lambda: read("sub/fifo"))
t.join()
PY
	for mode in dumpable nondumpable; do
		rm -f made*.txt sub/made*.txt
		native=$(python3 opens.py $mode 2>&1)
		check "natively, $mode: the script ran" test -n "$native"
		rm -f made*.txt sub/made*.txt
		expect_status "under ferry, $mode" 0 "$FERRY" -- python3 opens.py $mode
		expect_eq "under ferry, $mode: as natively" "$OUT" "$native"
		rm -f made*.txt sub/made*.txt
		expect_status "under ferry --log, $mode" 0 "$FERRY" --log calls.json -- python3 opens.py $mode
		expect_eq "under ferry --log, $mode: as natively" "$OUT" "$native"
	done
	expect_contains "the script checked what it should" "$native" "create, umask 027 ok 0o640"
}

ferry_test_main "$@"
