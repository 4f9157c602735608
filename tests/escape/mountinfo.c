/* Attack: read /proc/self/mountinfo to learn host paths (each mount's root
 * within its filesystem and its mount point), then try them: for every such
 * path, the cwd, and each of their parents, open PARENT/<name> of the secret
 * (the name as seen from a parent of the work directory), through plain
 * paths and through /proc/self/root; and open each mount's source device.
 *
 * Stops it: layer 1: host paths learned from mountinfo lead nowhere, as
 * everything not bound is absent; the devices are not in the minimal /dev.
 * Natively: a parent of the cwd holds the secret (ESCAPED).
 *
 * Usage: mountinfo TOKEN NAME_FROM_A_PARENT   (e.g. outside/secret)
 */
#include <limits.h>

#include "escape.h"

static int tries, fails;

static void try_parents(const char *start, const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX * 2 + 32];
	snprintf(dir, sizeof(dir), "%s", start);
	for (int depth = 0; depth < 64; depth++) {
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", name);
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		tries++;
		if (fd >= 0) {
			char shown[256];
			if (fd_has_token(fd, shown, sizeof(shown)))
				escaped("host path %s from mountinfo: read \"%s\"", path, shown);
			close(fd);
		} else {
			fails++;
		}
		snprintf(path, sizeof(path), "/proc/self/root%s/%s", strcmp(dir, "/") ? dir : "",
		         name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		tries++;
		if (fd >= 0) {
			char shown[256];
			if (fd_has_token(fd, shown, sizeof(shown)))
				escaped("%s: read \"%s\"", path, shown);
			close(fd);
		} else {
			fails++;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || strcmp(dir, "/") == 0)
			break;
		if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "mountinfo", 1, "NAME_FROM_A_PARENT");
	const char *name = argv[2];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		setup_failed("/proc/self/mountinfo: %s", strerror(errno));
	char line[8192], cwd[PATH_MAX];
	int mounts = 0, devices = 0, device_opens = 0;
	while (fgets(line, sizeof(line), f) && mounts < 1024) {
		char root[PATH_MAX], point[PATH_MAX], source[PATH_MAX];
		/* id parent maj:min root mountpoint options ... - fstype source ... */
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		mounts++;
		try_parents(root, name);
		try_parents(point, name);
		const char *dash = strstr(line, " - ");
		if (dash && sscanf(dash, " - %*s %4095s", source) == 1 && source[0] == '/') {
			devices++;
			int fd = open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd >= 0) {
				device_opens++;
				close(fd);
			}
		}
	}
	fclose(f);
	if (getcwd(cwd, sizeof(cwd)))
		try_parents(cwd, name);
	escape_note("%d mounts; %d of %d opens of learned paths failed, none read the secret; "
	            "%d of %d source devices opened",
	            mounts, fails, tries, device_opens, devices);
	contained();
}
