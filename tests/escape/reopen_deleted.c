/* Attack: a denied file reopened through /proc/self/fd/N once it is
 * unlinked. open_tree(path, 0) gives an O_PATH fd without any open(2), so
 * the broker never sees it (open(O_PATH) is tried first); reopening
 * /proc/self/fd/N is refused while the file has its name, since the
 * supervisor decides on readlink(/proc/PID/fd/N). unlink() is not brokered,
 * and after it the link reads "PATH (deleted)", which no longer matches an
 * exact --deny PATH or a glob on the file's name (such as
 * --deny '**' followed by '/' and '*.pem').
 *
 * Stops it (should): the supervisor's reopen of the guest's own fd must not
 * decide on link text; the filter should refuse open_tree (layer
 * 3 lists the mount API).
 * Natively: open_tree + /proc/self/fd/N reads the file at once (ESCAPED).
 *
 * Usage: reopen_deleted TOKEN DENIED_PATH
 */
#include <linux/mount.h>
#include <sys/syscall.h>

#include "escape.h"

static void try_reopen(const char *how, int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	try_open(how, path);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd);
	try_open(how, path);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "reopen-deleted", 1, "DENIED_PATH");
	const char *denied = argv[2];
	int fd = open(denied, O_PATH | O_CLOEXEC);
	const char *how = "open(O_PATH)";
	if (fd < 0) {
		escape_note("open(O_PATH): %s", strerror(errno));
		fd = (int)syscall(SYS_open_tree, AT_FDCWD, denied, OPEN_TREE_CLOEXEC);
		how = "open_tree";
	}
	if (fd < 0) {
		escape_note("open_tree: %s", strerror(errno));
		contained();
	}
	char what[128];
	snprintf(what, sizeof(what), "%s + /proc/self/fd/N", how);
	try_reopen(what, fd);
	if (unlink(denied) < 0) {
		escape_note("unlink: %s", strerror(errno));
		contained();
	}
	snprintf(what, sizeof(what), "%s + unlink + /proc/self/fd/N", how);
	try_reopen(what, fd);
	contained();
}
