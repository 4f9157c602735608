/* Writes the seed corpus of fuzz_proto: valid encoded requests and replies
 * (and a few near misses), one file each, into the directory given.
 *
 *   cc -I include -D_GNU_SOURCE tests/fuzz/mkseeds_proto.c src/common/proto.c \
 *      -o mkseeds && ./mkseeds tests/fuzz/corpus/fuzz_proto
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "ferry/policy.h"
#include "ferry/proto.h"

static const char *dir;

static void put(const char *name, const void *buf, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static unsigned char buf[FERRY_PROTO_MAX_REQUEST];

static void request(const char *name, uint32_t op, uint64_t flags, uint64_t resolve, uint32_t mode,
                    uint32_t act_as, const char *base, const char *path, const char *base2,
                    const char *path2)
{
	static struct ferry_request req;
	memset(&req, 0, sizeof(req));
	req.op = op;
	req.seq = 7;
	req.id = op == FERRY_OP_LISTENER ? 0 : 0x6b8b4567327b23c6ULL;
	req.flags = flags;
	req.resolve = resolve;
	req.mode = mode;
	req.act_as = act_as;
	req.fsuid = act_as ? 1000 : 0;
	req.fsgid = act_as ? 1000 : 0;
	strcpy(req.base, base);
	strcpy(req.path, path);
	strcpy(req.base2, base2);
	strcpy(req.path2, path2);
	ptrdiff_t n = ferry_proto_encode_request(&req, buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "%s: cannot encode\n", name);
		exit(1);
	}
	put(name, buf, (size_t)n);
}

static void reply(const char *name, uint32_t kind, int32_t error, uint32_t allow, uint64_t rule,
                  const char *resolved, const char *resolved2)
{
	static struct ferry_reply rep;
	memset(&rep, 0, sizeof(rep));
	rep.seq = 7;
	rep.kind = kind;
	rep.error = error;
	rep.value = kind == FERRY_REPLY_ANSWERED && !error ? 3 : 0;
	rep.allow = allow;
	rep.rule = rule;
	strcpy(rep.resolved, resolved);
	strcpy(rep.resolved2, resolved2);
	ptrdiff_t n = ferry_proto_encode_reply(&rep, buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "%s: cannot encode\n", name);
		exit(1);
	}
	put(name, buf, (size_t)n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	/* open("/etc/passwd", O_RDONLY) */
	request("req-open-abs", FERRY_OP_OPEN, O_RDONLY, 0, 0, 0, "/", "/etc/passwd", "", "");
	/* openat(dirfd, "src/main.c", O_WRONLY|O_CREAT|O_TRUNC, 0644) as uid 1000 */
	request("req-open-creat", FERRY_OP_OPEN, O_WRONLY | O_CREAT | O_TRUNC, 0, 0644, 1,
	        "/home/u/proj", "src/main.c", "", "");
	/* openat2 with RESOLVE_BENEATH (0x08), strict */
	request("req-openat2-beneath", FERRY_OP_OPEN, O_RDONLY | O_DIRECTORY,
	        0x08 | FERRY_RESOLVE_STRICT, 0, 0, "/home/u/proj", "build/..", "", "");
	/* open("/usr/lib/libc.so.6"): nothing needs the resolved name */
	request("req-open-unrecorded", FERRY_OP_OPEN, O_RDONLY | O_CLOEXEC,
	        FERRY_RESOLVE_UNRECORDED, 0, 0, "/", "/usr/lib/libc.so.6", "", "");
	/* the listener handed over (the fd travels beside the message) */
	request("req-listener", FERRY_OP_LISTENER, 0, 0, 0, 0, "", "", "", "");
	/* open(".") */
	request("req-open-empty-path", FERRY_OP_OPEN, O_RDONLY, 0, 0, 0, "/tmp", "", "", "");
	/* linkat(AT_FDCWD, "a", AT_FDCWD, "b", AT_SYMLINK_FOLLOW) */
	request("req-link", FERRY_OP_LINK, 0x400, 0, 0, 1, "/home/u/proj", "a", "/home/u/proj",
	        "b");
	/* linkat of an O_TMPFILE fd */
	request("req-link-from-fd", FERRY_OP_LINK, 0x400, FERRY_RESOLVE_FROM_FD, 0, 0, "/",
	        "/tmp/#1234 (deleted)", "/tmp", "out");
	/* renameat2(..., RENAME_NOREPLACE) */
	request("req-rename", FERRY_OP_RENAME, 1, 0, 0, 0, "/home/u/proj", "old name",
	        "/home/u/proj/sub", "../new");
	{
		static char longp[PATH_MAX];
		memset(longp, 'x', PATH_MAX - 1);
		longp[0] = '/';
		request("req-open-longest", FERRY_OP_OPEN, O_RDONLY, 0, 0, 0, "/", longp, "", "");
	}
	reply("rep-done-ok", FERRY_REPLY_DONE, 0, 1, 2, "/etc/passwd", "");
	reply("rep-denied", FERRY_REPLY_DONE, 13, 0, 5, "/home/u/.ssh/id_ed25519", "");
	reply("rep-enoent-norule", FERRY_REPLY_DONE, 2, 1, FERRY_NO_RULE, "", "");
	reply("rep-reopen-fifo", FERRY_REPLY_REOPEN, 0, 1, 3, "/tmp/fifo", "");
	{
		/* openat(AT_FDCWD, <guest pointer>, O_RDONLY) forwarded by the gofer */
		struct ferry_forward f = {.id = 0x6b8b4567327b23c6ULL,
		                          .pid = 4242,
		                          .nr = 257,
		                          .arch = 0xc000003e,
		                          .ip = 0x7f0000001234,
		                          .args = {(uint64_t)-100, 0x7ffc00001000, 0, 0, 0, 0}};
		ptrdiff_t n = ferry_proto_encode_forward(&f, buf, sizeof(buf));
		put("fwd-openat", buf, (size_t)n);
	}
	reply("rep-answered-fd", FERRY_REPLY_ANSWERED, 0, 1, FERRY_NO_RULE, "", "");
	reply("rep-answered-enoent", FERRY_REPLY_ANSWERED, 2, 1, FERRY_NO_RULE, "", "");
	reply("rep-tty", FERRY_REPLY_TTY, 0, 1, FERRY_NO_RULE, "/dev/tty", "");
	reply("rep-rename", FERRY_REPLY_DONE, 0, 1, 4, "/home/u/proj/a", "/home/u/proj/b");
	/* Near misses: a header alone, and a request cut in the middle of its path. */
	request("req-header-plus-5", FERRY_OP_OPEN, O_RDONLY, 0, 0, 0, "/", "/etc/passwd", "", "");
	{
		char path[4096];
		snprintf(path, sizeof(path), "%s/req-header-plus-5", dir);
		if (truncate(path, sizeof(struct ferry_wire_request) + 5) != 0) {
			perror(path);
			return 1;
		}
	}
	return 0;
}
