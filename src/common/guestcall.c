/* Reading a trapped call's arguments from the guest's memory. */
#include "ferry/guestcall.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/uio.h>

#include "ferry/proto.h"

static int read_guest(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH || errno == EPERM ? -errno : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/* Reads a NUL-terminated string of at most PATH_MAX bytes, a page at a time
 * so a string ending just before unmapped memory still reads. */
static int read_guest_string(pid_t pid, uint64_t addr, char *buf)
{
	if (addr == 0)
		return -EFAULT;
	size_t got = 0;
	const size_t page = 4096;
	while (got < PATH_MAX) {
		size_t chunk = page - ((addr + got) % page);
		if (chunk > PATH_MAX - got)
			chunk = PATH_MAX - got;
		int r = read_guest(pid, addr + got, buf + got, chunk);
		if (r < 0)
			return r;
		void *nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return 0;
		got += chunk;
	}
	return -ENAMETOOLONG;
}

int ferry_call_decode(const struct ferry_syscalls *sys, pid_t tid, int nr, const uint64_t *a,
                      struct ferry_call *c)
{
	if (nr == sys->open) {
		*c = (struct ferry_call){.name = "open",
		                         .op = FERRY_OP_OPEN,
		                         .dirfd = AT_FDCWD,
		                         .addr = a[0],
		                         .flags = (uint32_t)a[1],
		                         .mode = a[2]};
	} else if (nr == sys->openat) {
		*c = (struct ferry_call){.name = "openat",
		                         .op = FERRY_OP_OPEN,
		                         .dirfd = (int)a[0],
		                         .addr = a[1],
		                         .flags = (uint32_t)a[2],
		                         .mode = a[3]};
	} else if (nr == sys->creat) {
		*c = (struct ferry_call){.name = "creat",
		                         .op = FERRY_OP_OPEN,
		                         .dirfd = AT_FDCWD,
		                         .addr = a[0],
		                         .flags = O_CREAT | O_WRONLY | O_TRUNC,
		                         .mode = a[1]};
	} else if (nr == sys->openat2) {
		*c = (struct ferry_call){.name = "openat2",
		                         .op = FERRY_OP_OPEN,
		                         .dirfd = (int)a[0],
		                         .addr = a[1],
		                         .strict = true};
		struct open_how how;
		size_t size = a[3];
		if (size < 24) /* OPEN_HOW_SIZE_VER0 */
			return -EINVAL;
		if (size > 4096)
			return -E2BIG;
		memset(&how, 0, sizeof(how));
		int r = read_guest(tid, a[2], &how, size < sizeof(how) ? size : sizeof(how));
		if (r < 0)
			return r;
		for (size_t off = sizeof(how); off < size; off++) {
			unsigned char byte;
			if ((r = read_guest(tid, a[2] + off, &byte, 1)) < 0)
				return r;
			if (byte)
				return -E2BIG;
		}
		if ((how.flags >> 32) || (how.mode & ~(uint64_t)07777) ||
		    (how.mode && !(how.flags & (O_CREAT | __O_TMPFILE))))
			return -EINVAL;
		c->flags = how.flags;
		c->mode = how.mode;
		c->resolve = how.resolve;
	} else if (nr == sys->link || nr == sys->linkat) {
		bool at = nr == sys->linkat;
		*c = (struct ferry_call){.name = at ? "linkat" : "link",
		                         .op = FERRY_OP_LINK,
		                         .dirfd = at ? (int)a[0] : AT_FDCWD,
		                         .addr = at ? a[1] : a[0],
		                         .dirfd2 = at ? (int)a[2] : AT_FDCWD,
		                         .addr2 = at ? a[3] : a[1],
		                         .flags = at ? (uint32_t)a[4] : 0};
		if (c->flags & ~(uint64_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
	} else if (nr == sys->rename || nr == sys->renameat || nr == sys->renameat2) {
		bool at = nr != sys->rename;
		*c = (struct ferry_call){.name = nr == sys->rename     ? "rename"
		                                 : nr == sys->renameat ? "renameat"
		                                                       : "renameat2",
		                         .op = FERRY_OP_RENAME,
		                         .dirfd = at ? (int)a[0] : AT_FDCWD,
		                         .addr = at ? a[1] : a[0],
		                         .dirfd2 = at ? (int)a[2] : AT_FDCWD,
		                         .addr2 = at ? a[3] : a[1],
		                         .flags = nr == sys->renameat2 ? (uint32_t)a[4] : 0};
	} else {
		c->name = "?";
		return -ENOSYS;
	}
	int r = read_guest_string(tid, c->addr, c->raw);
	if (r == 0 && c->addr2)
		r = read_guest_string(tid, c->addr2, c->raw2);
	else if (r == 0 && c->op != FERRY_OP_OPEN)
		r = -EFAULT;
	if (r < 0)
		return r;
	if (c->raw[0] == '\0' || (c->op != FERRY_OP_OPEN && c->raw2[0] == '\0'))
		return -ENOENT; /* linkat's AT_EMPTY_PATH needs a privilege the guest lacks */
	return 0;
}

bool ferry_path_has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0 || (s[n] != '\0' && s[n] != '/'))
		return false;
	*rest = s + n;
	return true;
}

bool ferry_guest_names_self(const char *path)
{
	const char *rest;
	return ferry_path_has_prefix(path, "/proc/self", &rest) ||
	       ferry_path_has_prefix(path, "/proc/thread-self", &rest) ||
	       ferry_path_has_prefix(path, "/proc/net", &rest) ||
	       ferry_path_has_prefix(path, "/proc/mounts", &rest) ||
	       ferry_path_has_prefix(path, "/dev/fd", &rest) ||
	       ferry_path_has_prefix(path, "/dev/stdin", &rest) ||
	       ferry_path_has_prefix(path, "/dev/stdout", &rest) ||
	       ferry_path_has_prefix(path, "/dev/stderr", &rest);
}
