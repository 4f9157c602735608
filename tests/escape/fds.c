/* Attack: use a file descriptor inherited from outside the sandbox. The
 * driver opens extra fds in the shell that runs ferry (exec 5</etc/passwd
 * 7>file 9<secret); the guest looks for any fd but 0, 1 and 2 with
 * fcntl(F_GETFD) up to 1024, and reads what it finds.
 *
 * Stops it: the guest closes every fd but 0, 1, 2 (close_range) before it
 * execs the command; the supervisor's and gofer's fds are CLOEXEC.
 * Natively: fds 5, 7 and 9 are there (ESCAPED).
 *
 * Usage: fds TOKEN
 */
#include <limits.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "inherited-fds", 0, "");
	char found[2048] = "";
	size_t len = 0;
	int extra = 0;
	for (int fd = 3; fd < 1024; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		char link[64], target[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		char shown[256] = "";
		off_t off = lseek(fd, 0, SEEK_CUR);
		bool secret = fd_has_token(fd, shown, sizeof(shown));
		if (off >= 0)
			lseek(fd, off, SEEK_SET);
		extra++;
		if (len < sizeof(found))
			len +=
			    (size_t)snprintf(found + len, sizeof(found) - len, "%s%d -> %s%s%s%s",
			                     extra > 1 ? ", " : "", fd, target,
			                     secret ? " (read \"" : "", shown, secret ? "\")" : "");
	}
	if (extra)
		escaped("%d fds beyond 0, 1, 2: %s", extra, found);
	escape_note("only 0, 1, 2 are open");
	contained();
}
