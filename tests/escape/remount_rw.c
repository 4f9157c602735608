/* Attack: make a read-only bind writable. mount(MS_REMOUNT|MS_BIND) without
 * MS_RDONLY and mount_setattr(attr_clr = MOUNT_ATTR_RDONLY), first as the
 * guest is, then again after unshare(CLONE_NEWUSER|CLONE_NEWNS) (what
 * `unshare -Ur` does), which makes the guest root of a new user namespace
 * with CAP_SYS_ADMIN over a copy of its mounts; a non-recursive bind of the
 * mount and an OPEN_TREE_CLONE copy with RDONLY cleared are tried too.
 * Escaped when a remount call succeeds or a directory can be created under
 * the target (mkdir is not brokered: it goes to the kernel in the guest's
 * own mount namespace, where the remount happened).
 *
 * Stops it: the guest has no CAP_SYS_ADMIN over the sandbox's mounts, and
 * mounts copied into a less privileged mount namespace are locked
 * (MNT_LOCK_READONLY): the kernel refuses to clear their flags.
 * Natively (the driver makes a read-only bind in a mount namespace where
 * the caller is privileged): the remount succeeds and the directory is
 * created (ESCAPED).
 *
 * Usage: remount_rw TOKEN TARGET_DIR
 */
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include "escape.h"

static const char *target;
static char probe[4200];

static void check_writable(const char *how)
{
	struct statvfs sv;
	bool rw = statvfs(target, &sv) == 0 && !(sv.f_flag & ST_RDONLY);
	if (mkdir(probe, 0700) == 0) {
		rmdir(probe);
		escaped("%s: created %s", how, probe);
	}
	int e = errno;
	if (rw)
		escaped("%s: %s is mounted read-write now (mkdir: %s)", how, target, strerror(e));
	escape_note("%s: still read-only, mkdir: %s", how, strerror(e));
}

static void attempts(const char *who)
{
	char how[256];
	snprintf(how, sizeof(how), "%s remount,bind,rw", who);
	if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
		check_writable(how);
	else
		escape_note("%s: %s", how, strerror(errno));
	struct mount_attr attr = {.attr_clr = MOUNT_ATTR_RDONLY};
	snprintf(how, sizeof(how), "%s mount_setattr(clear RDONLY)", who);
	if (syscall(SYS_mount_setattr, AT_FDCWD, target, 0, &attr, sizeof(attr)) == 0)
		check_writable(how);
	else
		escape_note("%s: %s", how, strerror(errno));
	snprintf(how, sizeof(how), "%s bind onto itself + remount rw", who);
	if (mount(target, target, NULL, MS_BIND, NULL) == 0) {
		if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
			check_writable(how);
		else
			escape_note("%s: %s", how, strerror(errno));
	} else {
		escape_note("%s (bind): %s", how, strerror(errno));
	}
	snprintf(how, sizeof(how), "%s open_tree(CLONE)+setattr", who);
	int tree =
	    (int)syscall(SYS_open_tree, AT_FDCWD, target, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0) {
		escape_note("%s: %s", how, strerror(errno));
	} else if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
		escape_note("%s: %s", how, strerror(errno));
	} else if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) <
	           0) {
		escape_note("%s (move_mount): %s", how, strerror(errno));
	} else {
		check_writable(how);
	}
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "remount-rw", 1, "TARGET_DIR");
	static char attack[128];
	target = argv[2];
	snprintf(attack, sizeof(attack), "remount-rw(%s)", target);
	escape_attack = attack;
	snprintf(probe, sizeof(probe), "%s/esc-probe-%d", target, (int)getpid());
	uid_t uid = geteuid();
	gid_t gid = getegid();
	check_writable("as is");
	attempts("as is:");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		escape_note("unshare(NEWUSER|NEWNS): %s", strerror(errno));
		contained();
	}
	char map[64];
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		escape_note("uid_map: %s", strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	attempts("after unshare -Ur:");
	contained();
}
