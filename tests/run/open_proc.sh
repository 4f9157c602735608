#!/bin/sh
# The guest's own names for itself and its fds: /proc/self, /proc/thread-self,
# /dev/fd/N, /dev/std*, /proc/self/cwd, and the devices of the minimal /dev.
# Each case runs natively and under ferry and must give the same answer.
. "$(dirname "$0")/../lib.sh"

# both DESCRIPTION STATUS OUTPUT SCRIPT: runs sh -c SCRIPT twice, with $RUN
# empty and then set to "$FERRY --"; each run must exit with STATUS and print
# OUTPUT (stdout and stderr, carriage returns dropped).
both() {
	_bd=$1 _bs=$2 _bo=$3 _bscript=$4
	for _side in native ferry; do
		if [ $_side = native ]; then RUN=; else RUN="$FERRY --"; fi
		export RUN
		sh -c "$_bscript" >"$WORK/.both" 2>&1
		_bgot=$?
		_bout=$(tr -d '\r' <"$WORK/.both")
		expect_eq "$_bd: status ($_side)" "$_bgot" "$_bs"
		expect_eq "$_bd: output ($_side)" "$_bout" "$_bo"
	done
}

nl='
'
tab=$(printf '\t')

test_body() {
	printf 'line1\nline2\n' >f
	mkdir sub
	echo in-sub >sub/inner

	# /proc/self is the process that opens it.
	both "cat /proc/self/status names cat" 0 "Name:${tab}cat" \
		'$RUN cat /proc/self/status | grep "^Name:"'
	both "grep /proc/self/status names grep" 0 "Name:${tab}grep" \
		'$RUN grep "^Name:" /proc/self/status'
	cat >selfpid.sh <<'SCRIPT'
while read -r k v; do [ "$k" = Pid: ] && pid=$v; done </proc/self/status
[ "$pid" = "$$" ] && echo same || echo "differs: $pid vs $$"
SCRIPT
	both "the shell's own /proc/self/status shows its own pid" 0 same '$RUN sh ./selfpid.sh'
	both "/proc/self/cmdline" 0 "cat /proc/self/cmdline " \
		'$RUN cat /proc/self/cmdline | tr "\0" " "'
	both "/proc/thread-self/comm" 0 cat '$RUN cat /proc/thread-self/comm'
	cat >threadself.py <<'SCRIPT'
import threading
def f():
    st = dict(l.split(":\t", 1) for l in open("/proc/thread-self/status").read().splitlines())
    print(st["Pid"].strip() == str(threading.get_native_id()), st["Name"].strip())
t = threading.Thread(target=f)
t.start()
t.join()
print(open("/proc/self/comm").read().strip())
SCRIPT
	both "a second thread's /proc/thread-self is that thread" 0 "True python3${nl}python3" \
		'$RUN /usr/bin/python3 threadself.py'
	cat >sibling.sh <<'SCRIPT'
sleep 5 &
# Wait (bounded) until the child has become sleep.
i=0
while [ $i -lt 100 ] && [ "$(cat /proc/$!/comm)" != sleep ]; do sleep 0.05; i=$((i + 1)); done
grep "^Name:" /proc/$!/status
kill $!
SCRIPT
	both "/proc/PID/status of a child" 0 "Name:${tab}sleep" '$RUN sh ./sibling.sh'
	both "/proc/self/maps maps the program" 0 mapped \
		'$RUN grep -q /grep /proc/self/maps && echo mapped'
	# Files that only the process itself (or a tracer) may open.
	cat >environ.sh <<'SCRIPT'
cat /proc/self/environ | tr '\0' '\n' | grep '^FERRYTEST='
SCRIPT
	both "/proc/self/environ" 0 "FERRYTEST=1" '$RUN env FERRYTEST=1 sh ./environ.sh'
	both "/proc/self/auxv" 0 readable '$RUN sh -c "head -c 8 /proc/self/auxv >/dev/null && echo readable"'
	both "/proc/self/cwd/FILE" 0 "line1${nl}line2" '$RUN cat /proc/self/cwd/f'
	both "/proc/self/cwd after cd" 0 in-sub '$RUN sh -c "cd sub && cat /proc/self/cwd/inner"'
	both "/proc/self/root/PATH" 0 "line1${nl}line2" '$RUN cat /proc/self/root$WORK/f'
	both "/proc/self/exe is the program" 0 same '$RUN cmp /proc/self/exe /usr/bin/cmp && echo same'

	# Reopening fds: a new open file description, offset 0.
	cat >reopen.sh <<'SCRIPT'
exec 3<f
read -r a <&3
echo "read: $a"
cat /dev/fd/3
cat /proc/self/fd/3
SCRIPT
	both "/dev/fd/N and /proc/self/fd/N reopen a file at offset 0" 0 \
		"read: line1${nl}line1${nl}line2${nl}line1${nl}line2" '$RUN sh ./reopen.sh'
	both "/proc/self/fd lists an fd" 0 7 '$RUN sh -c "exec 7<f; ls /proc/self/fd | grep -x 7"'
	cp f g
	both "/dev/fd/N of an unlinked file" 0 "line1${nl}line2" \
		'cp f g; $RUN sh -c "exec 3<g; rm g; cat /dev/fd/3"'
	both "write through /dev/fd/N of a read-only fd" 0 new \
		'echo old >h; $RUN sh -c "exec 3<h; echo new >/dev/fd/3"; cat h'
	both "/dev/fd/N of a closed fd" 1 "cat: /dev/fd/9: No such file or directory" \
		'$RUN cat /dev/fd/9'
	cat >nofollow.py <<'SCRIPT'
import os
fd = os.open("f", os.O_RDONLY)
try:
    os.open("/proc/self/fd/%d" % fd, os.O_RDONLY | os.O_NOFOLLOW)
    print("opened")
except OSError as e:
    print(os.strerror(e.errno))
SCRIPT
	both "O_NOFOLLOW on /proc/self/fd/N" 0 "Too many levels of symbolic links" \
		'$RUN /usr/bin/python3 nofollow.py'

	# Standard streams.
	both "/dev/stdout into a file" 0 hello \
		'rm -f o1; $RUN sh -c "echo hello >/dev/stdout" >o1; cat o1'
	both "/dev/stderr into a file" 0 oops \
		'rm -f o2; $RUN sh -c "echo oops >/dev/stderr" 2>o2; cat o2'
	both "/dev/stdin from a pipe" 0 piped 'echo piped | $RUN cat /dev/stdin'
	both "/dev/fd/0 from a pipe" 0 p2 'echo p2 | $RUN cat /dev/fd/0'
	both "/dev/stdin from a file redirect" 0 "line1${nl}line2" '$RUN cat /dev/stdin <f'
	cat >partial.sh <<'SCRIPT'
read -r a
echo "$a"
cat /dev/stdin
SCRIPT
	both "/dev/stdin reopens a redirected file at offset 0" 0 "line1${nl}line1${nl}line2" \
		'$RUN sh ./partial.sh <f'
	both "/dev/stdin from a pipe inside the guest" 0 inner \
		'$RUN sh -c "echo inner | cat /dev/stdin"'

	# Pipes through /dev/fd (bash process substitution) and FIFOs.
	both "cat <(echo hi)" 0 hi '$RUN bash -c "cat <(echo hi)"'
	both "diff <(echo a) <(echo a)" 0 same '$RUN bash -c "diff <(echo a) <(echo a) && echo same"'
	both "diff <(echo a) <(echo b) finds a difference" 1 "1c1${nl}< a${nl}---${nl}> b" \
		'$RUN bash -c "diff <(echo a) <(echo b)"'
	both "paste <(echo a) <(echo b)" 0 "a${tab}b" '$RUN bash -c "paste <(echo a) <(echo b)"'
	both "read < <(printf ...)" 0 "got 1${nl}got 2" \
		'$RUN bash -c "while read -r l; do echo got \$l; done < <(printf \"1\n2\n\")"'
	cat >fifo.sh <<'SCRIPT'
rm -f p
mkfifo p
echo viafifo >p &
cat p
wait
rm p
SCRIPT
	both "a named FIFO between two guest processes" 0 viafifo '$RUN sh ./fifo.sh'

	# Devices.
	both "read /dev/null" 0 "rc=0" '$RUN cat /dev/null; echo rc=$?'
	both "write /dev/null" 0 0 '$RUN sh -c "echo x >/dev/null && wc -c </dev/null"'
	both "read /dev/zero" 0 5 '$RUN head -c 5 /dev/zero | wc -c'
	both "read /dev/urandom" 0 16 '$RUN head -c 16 /dev/urandom | wc -c'
	both "write /dev/full fails" 0 rc=1 '$RUN sh -c "echo x >/dev/full; echo rc=\$?" 2>/dev/null'

	# /dev/tty: ENXIO without a controlling terminal; the terminal with one.
	both "/dev/tty without a terminal" 2 "sh: 1: cannot open /dev/tty: No such device or address" \
		'setsid -w $RUN sh -c "exec 3</dev/tty"'
	if command -v script >/dev/null 2>&1; then
		both "/dev/tty in a pty" 0 "hi" \
			'script -qec "$RUN sh -c \"echo hi >/dev/tty\"" /dev/null'
		both "/dev/tty after setsid in a pty" 2 \
			"sh: 1: cannot open /dev/tty: No such device or address" \
			'script -qec "$RUN setsid -w sh -c \"exec 3</dev/tty && echo opened\"" /dev/null'
		# The caller's pty is not in the sandbox's own /dev/pts, so
		# ttyname() finds no name for it (ferry(1), LIMITATIONS).
		expect_eq "tty(1) in a pty, natively" \
			"$(script -qec "tty" /dev/null | tr -d "\r" | sed "s/[0-9]*\$//")" "/dev/pts/"
		expect_eq "tty(1) in a pty, under ferry: not a tty" \
			"$(script -qec "$FERRY -- tty" /dev/null | tr -d "\r")" "not a tty"
	fi

	# Reopening an fd cannot write what the sandbox has read-only.
	mkdir ro
	echo orig >ro/file
	expect_status "writing a --ro file fails" 2 "$FERRY" --ro "$WORK/ro" -- sh -c 'echo evil >ro/file'
	expect_status "writing it through /dev/fd/N of a read fd fails" 2 \
		"$FERRY" --ro "$WORK/ro" -- sh -c 'exec 3<ro/file; echo evil >/dev/fd/3'
	expect_eq "the file is unchanged on the host" "$(cat ro/file)" orig
}

ferry_test_main "$@"
