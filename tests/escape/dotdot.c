/* Attack: ".." out of the read-write work directory towards a file next to
 * it that is outside the sandbox's view.
 *
 * Variants: the relative path ../outside/secret, forty "../" before the
 * secret's absolute path, openat(dirfd of ".", ...), openat(dirfd of "..",
 * ...), chdir("..") then open, and openat2 without RESOLVE_ flags.
 *
 * Stops it: layer 1 (the sibling is absent from the mount namespace) and the
 * gofer, which resolves ".." inside its pivot_root'ed jail.
 * Natively: the first variant reads the secret (ESCAPED).
 *
 * Usage: dotdot TOKEN SECRET_ABS REL_PATH (REL_PATH from the cwd)
 */
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "dotdot", 2, "SECRET_ABS REL_PATH");
	const char *abs = argv[2], *rel = argv[3];
	char path[8192];

	try_open("open(rel)", rel);

	size_t len = 0;
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "../");
	snprintf(path + len, sizeof(path) - len, "%s", abs + 1);
	try_open("open(40x../abs)", path);

	int dot = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dot < 0)
		escape_note("open(.): %s", strerror(errno));
	else
		try_openat("openat(dirfd .,rel)", dot, rel, O_RDONLY);

	int up = open("..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (up < 0) {
		escape_note("open(..): %s", strerror(errno));
	} else {
		/* rel starts with "../": the rest is relative to the parent. */
		const char *below = strncmp(rel, "../", 3) == 0 ? rel + 3 : rel;
		try_openat("openat(dirfd ..,below)", up, below, O_RDONLY);
		snprintf(path, sizeof(path), "../../../../../../../..%s", abs);
		try_openat("openat(dirfd ..,8x../abs)", up, path, O_RDONLY);
	}

	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .mode = 0, .resolve = 0};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, rel, &how, sizeof(how));
	if (fd < 0) {
		escape_note("openat2(rel): %s", strerror(errno));
	} else {
		char shown[256];
		if (fd_has_token(fd, shown, sizeof(shown)))
			escaped("openat2(rel): read \"%s\"", shown);
		close(fd);
	}

	if (chdir("..") < 0) {
		escape_note("chdir(..): %s", strerror(errno));
	} else {
		const char *below = strncmp(rel, "../", 3) == 0 ? rel + 3 : rel;
		try_open("chdir(..)+open", below);
		if (chdir("../../../../../../../..") == 0)
			try_open("chdir(8x..)+open(abs-1)", abs + 1);
	}
	contained();
}
