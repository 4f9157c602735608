/* Attack: a file matching a --deny rule, named in every way the kernel
 * accepts for the same file: through an allowed directory fd, with "//",
 * "/./", a trailing "/", "..", /proc/self/cwd, /proc/self/root,
 * /proc/thread-self, /dev/fd/N/, openat2 RESOLVE_BENEATH / RESOLVE_IN_ROOT,
 * chdir/fchdir into the directory, and an O_PATH fd reopened through
 * /proc/self/fd/N.
 *
 * Stops it: the gofer decides on the path it resolved (getcwd of the
 * directory it holds, plus the name), never on the string the guest gave;
 * /proc/self and /dev/fd are rewritten by the supervisor to the guest's pid
 * and the targets of its cwd/root/fd links.
 * Natively: nothing is denied, the first variant reads it (ESCAPED).
 *
 * Usage: denied_paths TOKEN DIR NAME   (DIR relative to the cwd, or ".")
 */
#include <limits.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "denied-paths", 2, "DIR NAME");
	static char attack[128];
	snprintf(attack, sizeof(attack), "denied-paths(%s/%s)", argv[2], argv[3]);
	escape_attack = attack;
	const char *dir = argv[2], *name = argv[3];
	char cwd[PATH_MAX], p[3 * PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		setup_failed("getcwd: %s", strerror(errno));

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	try_open("plain relative", p);
	snprintf(p, sizeof(p), "%s/%s/%s", cwd, dir, name);
	try_open("plain absolute", p);
	snprintf(p, sizeof(p), "/%s//%s//%s", cwd, dir, name);
	try_open("//", p);
	snprintf(p, sizeof(p), "%s/./%s/./%s", cwd, dir, name);
	try_open("/./", p);
	snprintf(p, sizeof(p), "./%s/../%s/%s", dir, dir, name);
	try_open("dir/../dir", p);
	snprintf(p, sizeof(p), "%s/%s/", dir, name);
	try_open("trailing / on the file", p);
	snprintf(p, sizeof(p), "/proc/self/cwd/%s/%s", dir, name);
	try_open("/proc/self/cwd", p);
	snprintf(p, sizeof(p), "/proc/thread-self/cwd/%s/%s", dir, name);
	try_open("/proc/thread-self/cwd", p);
	snprintf(p, sizeof(p), "/proc/self/root%s/%s/%s", cwd, dir, name);
	try_open("/proc/self/root", p);
	snprintf(p, sizeof(p), "/proc/%d/cwd/%s/%s", getpid(), dir, name);
	try_open("/proc/<pid>/cwd", p);

	snprintf(p, sizeof(p), "%s/", dir);
	int dfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		escape_note("open(dir/): %s", strerror(errno));
	} else {
		try_openat("openat(dirfd, name)", dfd, name, O_RDONLY);
		snprintf(p, sizeof(p), "./%s", name);
		try_openat("openat(dirfd, ./name)", dfd, p, O_RDONLY);
		snprintf(p, sizeof(p), ".//%s", name);
		try_openat("openat(dirfd, .//name)", dfd, p, O_RDONLY);
		try_openat2("openat2(dirfd, RESOLVE_BENEATH)", dfd, name, RESOLVE_BENEATH);
		try_openat2("openat2(dirfd, RESOLVE_IN_ROOT)", dfd, name, RESOLVE_IN_ROOT);
		snprintf(p, sizeof(p), "/%s", name);
		try_openat2("openat2(dirfd, /name, RESOLVE_IN_ROOT)", dfd, p, RESOLVE_IN_ROOT);
		snprintf(p, sizeof(p), "/dev/fd/%d/%s", dfd, name);
		try_open("/dev/fd/N/name", p);
		snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dfd, name);
		try_open("/proc/self/fd/N/name", p);
		if (fchdir(dfd) == 0) {
			try_open("fchdir(dirfd)+open", name);
			if (chdir(cwd) < 0)
				setup_failed("chdir back: %s", strerror(errno));
		} else {
			escape_note("fchdir: %s", strerror(errno));
		}
	}

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	int pfd = open(p, O_PATH | O_CLOEXEC);
	if (pfd < 0) {
		escape_note("O_PATH: %s", strerror(errno));
	} else {
		snprintf(p, sizeof(p), "/proc/self/fd/%d", pfd);
		try_open("O_PATH + /proc/self/fd/N", p);
	}

	if (chdir(dir) == 0)
		try_open("chdir(dir)+open", name);
	else
		escape_note("chdir(dir): %s", strerror(errno));
	contained();
}
