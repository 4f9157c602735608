/* Attack: give a denied file an allowed name, then read the new name:
 * link(), linkat() (with and without AT_SYMLINK_FOLLOW through a symlink),
 * rename(), renameat2(RENAME_EXCHANGE) with an allowed file, and for a
 * denied directory (--deny DIR, or a --deny glob of everything below DIR): rename of the directory,
 * renameat2(RENAME_EXCHANGE) with an empty allowed directory, and a link or
 * rename of the file out of it.
 *
 * Stops it: link and rename are brokered; the gofer resolves both ends and
 * refuses when either is denied, or when the source is a directory that may
 * hold denied entries (ferry_policy_decide_move).
 * Natively: the first variant succeeds and the new name reads the secret
 * (ESCAPED).
 *
 * Usage: link_rename TOKEN file NAME | link_rename TOKEN dir DIR NAME
 */
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "escape.h"

static void after(const char *variant, int r, const char *newname)
{
	if (r < 0) {
		escape_note("%s: %s", variant, strerror(errno));
		return;
	}
	try_open(variant, newname);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "link-rename", 2, "file NAME | dir DIR NAME");
	static char attack[128];
	char src[PATH_MAX];
	bool is_dir = strcmp(argv[2], "dir") == 0;
	if (is_dir && argc < 5)
		setup_failed("dir needs DIR NAME");
	if (is_dir)
		snprintf(src, sizeof(src), "%s/%s", argv[3], argv[4]);
	else
		snprintf(src, sizeof(src), "%s", argv[3]);
	snprintf(attack, sizeof(attack), "link-rename(%s %.64s)", argv[2], is_dir ? argv[3] : src);
	escape_attack = attack;

	after("link", link(src, "esc-link"), "esc-link");
	after("linkat", linkat(AT_FDCWD, src, AT_FDCWD, "esc-linkat", 0), "esc-linkat");
	char target[PATH_MAX + 8];
	snprintf(target, sizeof(target), "%s", src);
	if (symlink(src, "esc-sym") < 0)
		escape_note("symlink: %s", strerror(errno));
	after("linkat(symlink, AT_SYMLINK_FOLLOW)",
	      linkat(AT_FDCWD, "esc-sym", AT_FDCWD, "esc-linkf", AT_SYMLINK_FOLLOW), "esc-linkf");
	int dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	after("linkat(dirfd)", linkat(dfd, src, dfd, "esc-linkd", 0), "esc-linkd");

	after("rename", rename(src, "esc-renamed"), "esc-renamed");
	after("renameat", renameat(dfd, src, dfd, "esc-renamedat"), "esc-renamedat");
	int fd = open("esc-allowed", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	after("renameat2(RENAME_EXCHANGE)",
	      renameat2(AT_FDCWD, src, AT_FDCWD, "esc-allowed", RENAME_EXCHANGE), "esc-allowed");
	after("renameat2(RENAME_NOREPLACE)",
	      renameat2(AT_FDCWD, src, AT_FDCWD, "esc-noreplace", RENAME_NOREPLACE),
	      "esc-noreplace");

	if (is_dir) {
		const char *dir = argv[3], *name = argv[4];
		char inside[PATH_MAX + 16];
		snprintf(inside, sizeof(inside), "esc-moved/%s", name);
		after("rename(dir)", rename(dir, "esc-moved"), inside);
		if (mkdir("esc-empty", 0755) < 0 && errno != EEXIST)
			escape_note("mkdir: %s", strerror(errno));
		snprintf(inside, sizeof(inside), "esc-empty/%s", name);
		after("renameat2(dir, RENAME_EXCHANGE)",
		      renameat2(AT_FDCWD, dir, AT_FDCWD, "esc-empty", RENAME_EXCHANGE), inside);
		if (mkdir("esc-sub", 0755) < 0 && errno != EEXIST)
			escape_note("mkdir: %s", strerror(errno));
		snprintf(inside, sizeof(inside), "esc-sub/%s", dir);
		char moved[PATH_MAX * 2];
		snprintf(moved, sizeof(moved), "%s/%s", inside, name);
		after("rename(dir, into a subdirectory)", rename(dir, inside), moved);
	}
	contained();
}
