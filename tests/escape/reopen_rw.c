/* Attack: upgrade a read-only fd to a writable one by reopening it through
 * its magic link. The program opens PATH O_RDONLY, then opens
 * /proc/self/fd/N, /proc/thread-self/fd/N, /dev/fd/N and /proc/PID/fd/N
 * (PID its own pid) with O_RDWR, O_WRONLY, O_WRONLY|O_APPEND and
 * O_WRONLY|O_TRUNC, and, for each that opens, writes a line. Escaped when
 * any reopen for writing succeeds (the file's new contents are shown).
 *
 * Targets the driver uses: a file on a --ro bind (layer 1: the mount is
 * read-only), and, as a user, a 0444 file of the read-write work directory
 * (DAC: the broker's reopen must act as the guest would).
 *
 * Stops it: the supervisor reopens an exact /proc/<own pid>/fd/N itself
 * (broker.c open_guest_fd), through the very file the guest holds, so the
 * kernel checks the same mount (read-only: EROFS) and, with the guest's
 * fsuid and fsgid, the same permissions (EACCES); other spellings go to
 * the gofer, which refuses magic links.
 * Natively: PATH is an ordinary writable file (the driver runs it against
 * the same paths without ferry's mounts), so the reopen writes (ESCAPED);
 * a 0444 file is reopened for writing only by root (CAP_DAC_OVERRIDE).
 *
 * Usage: reopen_rw TOKEN PATH
 */
#include <limits.h>

#include "escape.h"

static const char *target;

static void try_reopen(const char *dir, int fd, int flags, const char *flag_name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%d", dir, fd);
	int w = open(path, flags | O_CLOEXEC | O_NONBLOCK);
	if (w < 0) {
		escape_note("%s %s: %s", path, flag_name, strerror(errno));
		return;
	}
	ssize_t n = write(w, "written through a reopened fd\n", 30);
	int e = errno;
	close(w);
	char now[256] = "";
	int r = open(target, O_RDONLY | O_CLOEXEC);
	if (r >= 0) {
		read_some(r, now, sizeof(now));
		close(r);
	}
	now[strcspn(now, "\n")] = '\0';
	if (n > 0)
		escaped("%s %s opened and wrote %zd bytes; %s now starts \"%s\"", path, flag_name,
		        n, target, now);
	escaped("%s %s opened for writing (write: %s)", path, flag_name,
	        n < 0 ? strerror(e) : "0 bytes");
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "reopen-rw", 1, "PATH");
	target = argv[2];
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		setup_failed("open %s O_RDONLY: %s", target, strerror(errno));
	char own[64];
	snprintf(own, sizeof(own), "/proc/%d/fd/", (int)getpid());
	const char *dirs[] = {"/proc/self/fd/", "/proc/thread-self/fd/", "/dev/fd/", own};
	struct {
		int flags;
		const char *name;
	} modes[] = {
	    {O_RDWR, "O_RDWR"},
	    {O_WRONLY, "O_WRONLY"},
	    {O_WRONLY | O_APPEND, "O_WRONLY|O_APPEND"},
	    {O_WRONLY | O_TRUNC, "O_WRONLY|O_TRUNC"},
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
			try_reopen(dirs[i], fd, modes[m].flags, modes[m].name);
	contained();
}
