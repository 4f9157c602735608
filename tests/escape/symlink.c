/* Attack: a symlink created inside the read-write directory pointing at a
 * file the guest may not read: outside the view, below a --hide, or matching
 * a --deny glob.
 *
 * Variants, for the target given: an absolute symlink; a relative one made
 * of "../" up to / and then the target's path; a two-hop chain (link ->
 * link -> target); a symlink to the target's directory followed by the
 * file's name; O_NOFOLLOW-free openat through a directory fd; and hard
 * links of the symlink (link(), linkat(AT_SYMLINK_FOLLOW)).
 *
 * Stops it: the gofer follows the link inside its jail and decides the
 * policy on the resolved path (outside: absent from the view; --hide: an
 * empty tmpfs or /dev/null; --deny: EACCES on the resolved name).
 * Natively: the first variant reads the target (ESCAPED).
 *
 * Usage: symlink TOKEN LABEL TARGET_ABS
 */
#include <limits.h>
#include <sys/stat.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "symlink", 2, "LABEL TARGET_ABS");
	static char attack[128];
	snprintf(attack, sizeof(attack), "symlink(%s)", argv[2]);
	escape_attack = attack;
	const char *target = argv[3];
	char rel[PATH_MAX], cwd[PATH_MAX], dir[PATH_MAX];

	if (mkdir("esc-links", 0755) < 0 && errno != EEXIST)
		setup_failed("mkdir esc-links: %s", strerror(errno));
	if (!getcwd(cwd, sizeof(cwd)))
		setup_failed("getcwd: %s", strerror(errno));

	if (symlink(target, "esc-links/abs") < 0)
		escape_note("symlink abs: %s", strerror(errno));
	try_open("abs link", "esc-links/abs");

	/* esc-links/rel -> ../../..(one per component of cwd/esc-links)/target */
	size_t len = 0;
	for (const char *p = cwd; *p; p++)
		if (*p == '/')
			len += (size_t)snprintf(rel + len, sizeof(rel) - len, "../");
	snprintf(rel + len, sizeof(rel) - len, "../%s", target + 1);
	if (symlink(rel, "esc-links/rel") < 0)
		escape_note("symlink rel: %s", strerror(errno));
	try_open("relative ../ chain", "esc-links/rel");

	if (symlink("rel", "esc-links/hop2") < 0 || symlink("hop2", "esc-links/hop1") < 0)
		escape_note("symlink hops: %s", strerror(errno));
	try_open("two-hop chain", "esc-links/hop1");

	snprintf(dir, sizeof(dir), "%s", target);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (symlink(dir, "esc-links/dir") < 0)
			escape_note("symlink dir: %s", strerror(errno));
		char through[PATH_MAX + 32];
		snprintf(through, sizeof(through), "esc-links/dir/%s", slash + 1);
		try_open("dir link + name", through);
		int dfd = open("esc-links/dir", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			escape_note("open dir link: %s", strerror(errno));
		else
			try_openat("openat(dir link fd, name)", dfd, slash + 1, O_RDONLY);
	}

	if (link("esc-links/abs", "esc-links/hard") < 0)
		escape_note("link(symlink): %s", strerror(errno));
	else
		try_open("hard link of the symlink", "esc-links/hard");
	if (linkat(AT_FDCWD, "esc-links/abs", AT_FDCWD, "esc-links/hardf", AT_SYMLINK_FOLLOW) < 0)
		escape_note("linkat(FOLLOW): %s", strerror(errno));
	else
		try_open("linkat(AT_SYMLINK_FOLLOW)", "esc-links/hardf");
	contained();
}
