/* Attack: reveal what a --hide mount covers. umount2(MNT_DETACH) of the
 * hiding mount, a move of it elsewhere, a non-recursive bind of its parent
 * (which would show the parent without its submounts) and a non-recursive
 * OPEN_TREE_CLONE of the parent, first as the guest is, then again after
 * unshare(CLONE_NEWUSER|CLONE_NEWNS) (`unshare -Ur`). After each success it
 * looks: stat() of the hidden name (not brokered), a plain open, and
 * open_tree(O_PATH-like, not brokered) + /proc/self/fd/N.
 *
 * Stops it: the guest has no CAP_SYS_ADMIN over the sandbox's mounts, and
 * mounts copied into a less privileged mount namespace are locked together
 * with their children (MNT_LOCKED): no umount, no move, no bind that would
 * leave locked children behind.
 * Natively (the driver hides the directory with a tmpfs in a mount namespace
 * where the caller is privileged): the umount succeeds and the file reads
 * (ESCAPED).
 *
 * Usage: umount_hide TOKEN HIDDEN_DIR NAME
 */
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "escape.h"

static const char *hidden, *name;

static void look(const char *how, const char *dir)
{
	char path[PATH_MAX * 2], fdpath[64];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char shown[256];
	if (fd >= 0 && fd_has_token(fd, shown, sizeof(shown)))
		escaped("%s, then open %s: read \"%s\"", how, path, shown);
	if (fd >= 0)
		close(fd);
	int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLOEXEC);
	if (tree >= 0) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", tree);
		fd = open(fdpath, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fd_has_token(fd, shown, sizeof(shown)))
			escaped("%s, then open_tree %s + /proc/self/fd: read \"%s\"", how, path,
			        shown);
		if (fd >= 0)
			close(fd);
		close(tree);
	}
	if (stat(path, &st) == 0)
		escaped("%s: %s is visible (%lld bytes)", how, path, (long long)st.st_size);
	escape_note("%s: succeeded, but %s is not there", how, path);
}

static void attempts(const char *who)
{
	char how[256], parent[PATH_MAX], moved[PATH_MAX], view[PATH_MAX * 2];
	snprintf(parent, sizeof(parent), "%s", hidden);
	char *slash = strrchr(parent, '/');
	const char *base = slash ? slash + 1 : hidden;
	if (slash)
		*slash = '\0';
	else
		snprintf(parent, sizeof(parent), ".");

	snprintf(how, sizeof(how), "%s umount2(MNT_DETACH)", who);
	if (umount2(hidden, MNT_DETACH) == 0)
		look(how, hidden);
	else
		escape_note("%s: %s", how, strerror(errno));

	snprintf(moved, sizeof(moved), "esc-moved-%d", (int)getpid());
	mkdir(moved, 0700);
	snprintf(how, sizeof(how), "%s MS_MOVE away", who);
	if (mount(hidden, moved, NULL, MS_MOVE, NULL) == 0)
		look(how, hidden);
	else
		escape_note("%s: %s", how, strerror(errno));

	snprintf(how, sizeof(how), "%s non-recursive bind of the parent", who);
	if (mount(parent, moved, NULL, MS_BIND, NULL) == 0) {
		snprintf(view, sizeof(view), "%s/%s", moved, base);
		look(how, view);
	} else {
		escape_note("%s: %s", how, strerror(errno));
	}
	rmdir(moved);

	snprintf(how, sizeof(how), "%s open_tree(parent, CLONE)", who);
	int tree =
	    (int)syscall(SYS_open_tree, AT_FDCWD, parent, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree >= 0) {
		char dir[64];
		snprintf(dir, sizeof(dir), "/proc/self/fd/%d/%s", tree, base);
		look(how, dir);
	} else {
		escape_note("%s: %s", how, strerror(errno));
	}
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "umount-hide", 2, "HIDDEN_DIR NAME");
	hidden = argv[2];
	name = argv[3];
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", hidden, name);
	try_open("before", path);
	uid_t uid = geteuid();
	gid_t gid = getegid();
	attempts("as is:");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		escape_note("unshare(NEWUSER|NEWNS): %s", strerror(errno));
		contained();
	}
	char map[64];
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	attempts("after unshare -Ur:");
	contained();
}
