/* Attack: a directory fd the broker handed over, used as the starting
 * point of "..". The program opens DIR (a subdirectory of the work
 * directory, or a --ro one) O_DIRECTORY and O_PATH|O_DIRECTORY, both
 * brokered, and then, relative to each fd:
 *   openat(dirfd, "../" x 40 + <secret's absolute path>);
 *   openat(dirfd, UP_PATH), the secret's path relative to DIR;
 *   openat2(dirfd, UP_PATH) without RESOLVE_ flags, with RESOLVE_IN_ROOT
 *   (the ".." must stop at DIR) and with RESOLVE_BENEATH (EXDEV);
 *   fchdir(dirfd), then open(UP_PATH) and chdir("..") x 40 + open of the
 *   absolute path without its "/".
 *
 * Stops it: layer 1, the secret is absent from the mount namespace, and
 * the broker, which sends the gofer the *text* of the dirfd's path inside
 * the sandbox (never the fd), so ".." resolves inside the gofer's
 * pivot_root'ed jail; RESOLVE_IN_ROOT and RESOLVE_BENEATH are kept relative
 * to the dirfd (the request's base).
 * Natively: openat(dirfd, UP_PATH) reads the secret (ESCAPED).
 *
 * Usage: dirfd_dotdot TOKEN DIR SECRET_ABS UP_PATH (UP_PATH from DIR)
 */
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "escape.h"

static void attack_from(const char *kind, int dirfd, const char *abs, const char *up)
{
	char path[8192], name[128];
	size_t len = 0;
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "../");
	snprintf(path + len, sizeof(path) - len, "%s", abs + 1);

	snprintf(name, sizeof(name), "%s: openat(up)", kind);
	try_openat(name, dirfd, up, O_RDONLY);
	snprintf(name, sizeof(name), "%s: openat(40x../abs)", kind);
	try_openat(name, dirfd, path, O_RDONLY);
	snprintf(name, sizeof(name), "%s: openat2(up)", kind);
	try_openat2(name, dirfd, up, 0);
	snprintf(name, sizeof(name), "%s: openat2(up,IN_ROOT)", kind);
	try_openat2(name, dirfd, up, RESOLVE_IN_ROOT);
	snprintf(name, sizeof(name), "%s: openat2(40x../abs,IN_ROOT)", kind);
	try_openat2(name, dirfd, path, RESOLVE_IN_ROOT);
	snprintf(name, sizeof(name), "%s: openat2(up,BENEATH)", kind);
	try_openat2(name, dirfd, up, RESOLVE_BENEATH);

	int back = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (back < 0)
		setup_failed("open(.): %s", strerror(errno));
	if (fchdir(dirfd) < 0) {
		escape_note("%s: fchdir: %s", kind, strerror(errno));
	} else {
		snprintf(name, sizeof(name), "%s: fchdir+open(up)", kind);
		try_open(name, up);
		int i = 0;
		while (i < 40 && chdir("..") == 0)
			i++;
		snprintf(name, sizeof(name), "%s: fchdir+%dx chdir(..)+open(abs-1)", kind, i);
		try_open(name, abs + 1);
	}
	if (fchdir(back) < 0)
		setup_failed("fchdir back: %s", strerror(errno));
	close(back);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "dirfd-dotdot", 3, "DIR SECRET_ABS UP_PATH");
	const char *dir = argv[2], *abs = argv[3], *up = argv[4];
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		setup_failed("open %s O_DIRECTORY: %s", dir, strerror(errno));
	attack_from("O_DIRECTORY", dirfd, abs, up);
	int pathfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pathfd < 0)
		escape_note("open O_PATH: %s", strerror(errno));
	else
		attack_from("O_PATH", pathfd, abs, up);
	contained();
}
