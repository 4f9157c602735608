/* Open, link and rename cases for tests/run/open_flags.sh.
 *
 * Usage: opens CASE... | opens all | opens list
 *
 * Each case runs in a child of its own, in a fresh directory c.CASE under the
 * current directory (umask 022), sets up what it needs, makes the calls and
 * prints one line "CASE RESULT": "ok" plus what it observed, or the errno's
 * name. The script runs the same cases natively and under ferry and checks
 * the results and the files they leave behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static char res[PATH_MAX + 256];

/* The result of a failed call: its errno's name. */
static const char *E(void)
{
	const char *name = strerrorname_np(errno);
	snprintf(res, sizeof(res), "%s", name ? name : "E?");
	return res;
}

__attribute__((format(printf, 1, 2))) static const char *R(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res, sizeof(res), fmt, ap);
	va_end(ap);
	return res;
}

/* A setup step failed: the case cannot say anything. */
static const char *case_name;
static void setup_failed(const char *what)
{
	const char *name = strerrorname_np(errno);
	printf("%s SETUP-FAILED %s: %s\n", case_name, what, name ? name : "?");
	fflush(stdout);
	_exit(0);
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		setup_failed(path);
	size_t n = strlen(text);
	if (write(fd, text, n) != (ssize_t)n)
		setup_failed(path);
	close(fd);
}

static void mkd(const char *path)
{
	if (mkdir(path, 0755) < 0)
		setup_failed(path);
}

static void sym(const char *target, const char *path)
{
	if (symlink(target, path) < 0)
		setup_failed(path);
}

/* The absolute path of name in the current directory. */
static const char *here(const char *name)
{
	static char buf[2][PATH_MAX];
	static int which;
	char *b = buf[which++ % 2];
	if (!getcwd(b, PATH_MAX))
		setup_failed("getcwd");
	strcat(b, "/");
	strcat(b, name);
	return b;
}

/* Reads what fd holds (up to 200 bytes), closes it: "ok TEXT" ("ok" when
 * empty), without a trailing newline. */
static const char *rd(int fd)
{
	char buf[201];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return R("ok read:%s", strerrorname_np(e));
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf[0] ? R("ok %s", buf) : R("ok");
}

static const char *open_rd(int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags);
	return fd < 0 ? E() : rd(fd);
}

/* "ok" for a successful call returning 0, or the errno. */
static const char *zero(long r)
{
	return r < 0 ? E() : R("ok");
}

static long sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode,
                        uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
	/* A scoped lookup fails with EAGAIN when a rename anywhere races it;
	 * openat2(2) asks callers to retry. */
	long r;
	int tries = 0;
	do
		r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (r < 0 && errno == EAGAIN && !(resolve & RESOLVE_CACHED) && ++tries < 100);
	return r;
}

static const char *openat2_rd(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	long fd = sys_openat2(dirfd, path, flags, 0, resolve);
	return fd < 0 ? E() : rd((int)fd);
}

static int dir_fd(const char *path, int flags)
{
	int fd = open(path, O_DIRECTORY | flags);
	if (fd < 0)
		setup_failed(path);
	return fd;
}

static const char *mode_of_fd(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return E();
	close(fd);
	return R("ok mode=%04o", st.st_mode & 07777);
}

/* ---- relative paths, cwd and dirfds ---- */

static const char *c_rel_cwd(void)
{
	put("f", "data\n");
	return open_rd(AT_FDCWD, "f", O_RDONLY);
}

static const char *c_rel_subdir(void)
{
	mkd("d");
	put("d/f", "inner");
	return open_rd(AT_FDCWD, "d/f", O_RDONLY);
}

static const char *c_dotdot(void)
{
	mkd("d");
	mkd("d/e");
	put("f", "data");
	return open_rd(AT_FDCWD, "d/e/../../f", O_RDONLY);
}

static const char *c_dotdot_dot(void)
{
	mkd("d");
	put("d/f", "inner");
	return open_rd(AT_FDCWD, "./d/./../d/f", O_RDONLY);
}

/* ".." after a symlinked directory is physical, not lexical. */
static const char *c_dotdot_symlink(void)
{
	mkd("a");
	mkd("a/b");
	put("a/f", "physical");
	put("f", "lexical");
	sym("a/b", "lb");
	return open_rd(AT_FDCWD, "lb/../f", O_RDONLY);
}

static const char *c_chdir(void)
{
	mkd("d");
	put("d/f", "inner");
	if (chdir("d") < 0)
		setup_failed("chdir");
	return open_rd(AT_FDCWD, "f", O_RDONLY);
}

static const char *c_openat_dirfd(void)
{
	mkd("d");
	put("d/f", "inner");
	return open_rd(dir_fd("d", O_RDONLY), "f", O_RDONLY);
}

static const char *c_openat_opath(void)
{
	mkd("d");
	put("d/f", "inner");
	return open_rd(dir_fd("d", O_PATH), "f", O_RDONLY);
}

static const char *c_openat_dirfd_dotdot(void)
{
	mkd("d");
	put("f", "outer");
	return open_rd(dir_fd("d", O_RDONLY), "../f", O_RDONLY);
}

static const char *c_openat_dirfd_chdir(void)
{
	mkd("d");
	mkd("e");
	put("d/f", "inner");
	put("e/f", "other");
	int dfd = dir_fd("d", O_RDONLY);
	if (chdir("e") < 0)
		setup_failed("chdir");
	return open_rd(dfd, "f", O_RDONLY);
}

static const char *c_openat_dirfd_renamed(void)
{
	mkd("d");
	put("d/f", "inner");
	int dfd = dir_fd("d", O_RDONLY);
	if (rename("d", "d2") < 0)
		setup_failed("rename");
	return open_rd(dfd, "f", O_RDONLY);
}

static const char *c_openat_dirfd_deleted(void)
{
	mkd("d");
	int dfd = dir_fd("d", O_RDONLY);
	if (rmdir("d") < 0)
		setup_failed("rmdir");
	int fd = openat(dfd, "x", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_openat_filefd(void)
{
	put("f", "data");
	int fd = open("f", O_RDONLY);
	if (fd < 0)
		setup_failed("f");
	return open_rd(fd, "x", O_RDONLY);
}

static const char *c_openat_badfd(void)
{
	put("f", "data");
	return open_rd(999, "f", O_RDONLY);
}

static const char *c_openat_negfd(void)
{
	put("f", "data");
	return open_rd(-5, "f", O_RDONLY);
}

static const char *c_openat_badfd_abs(void)
{
	put("f", "data");
	return open_rd(999, here("f"), O_RDONLY);
}

/* ---- creating ---- */

static const char *c_creat_umask027(void)
{
	umask(027);
	int fd = open("n", O_WRONLY | O_CREAT, 0666);
	return fd < 0 ? E() : mode_of_fd(fd);
}

static const char *c_creat_umask0(void)
{
	umask(0);
	int fd = open("n", O_WRONLY | O_CREAT, 0666);
	return fd < 0 ? E() : mode_of_fd(fd);
}

static const char *c_creat_umask077_dir(void)
{
	mkd("d");
	umask(077);
	int fd = openat(dir_fd("d", O_RDONLY), "n", O_RDWR | O_CREAT, 0755);
	return fd < 0 ? E() : mode_of_fd(fd);
}

static const char *c_creat_existing(void)
{
	put("f", "data");
	/* O_CREAT without O_EXCL on an existing file: opened, mode untouched. */
	umask(0);
	int fd = open("f", O_RDONLY | O_CREAT, 0600);
	return fd < 0 ? E() : rd(fd);
}

static const char *c_excl(void)
{
	put("f", "data");
	int fd = open("f", O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_excl_new(void)
{
	int fd = open("n", O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return E();
	return write(fd, "new", 3) == 3 ? R("ok") : E();
}

static const char *c_excl_symlink(void)
{
	sym("target", "l");
	int fd = open("l", O_WRONLY | O_CREAT | O_EXCL, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_trunc(void)
{
	put("f", "data");
	int fd = open("f", O_WRONLY | O_TRUNC);
	if (fd < 0)
		return E();
	struct stat st;
	fstat(fd, &st);
	return R("ok size=%lld", (long long)st.st_size);
}

static const char *c_append(void)
{
	put("f", "x\n");
	for (int i = 0; i < 2; i++) {
		int fd = open("f", O_WRONLY | O_APPEND);
		if (fd < 0)
			return E();
		if (!(fcntl(fd, F_GETFL) & O_APPEND))
			return R("no O_APPEND in F_GETFL");
		lseek(fd, 0, SEEK_SET);
		if (write(fd, i ? "b\n" : "a\n", 2) != 2)
			return E();
		close(fd);
	}
	return R("ok");
}

static const char *c_offset_zero(void)
{
	put("f", "data");
	int fd = open("f", O_RDWR);
	if (fd < 0)
		return E();
	return R("ok offset=%lld", (long long)lseek(fd, 0, SEEK_CUR));
}

static const char *c_accmode(void)
{
	put("f", "data");
	int a = open("f", O_RDONLY), b = open("f", O_WRONLY), c = open("f", O_RDWR);
	if (a < 0 || b < 0 || c < 0)
		return E();
	char ch;
	errno = 0;
	ssize_t w = write(a, "x", 1);
	const char *we = w < 0 ? strerrorname_np(errno) : "wrote";
	ssize_t r = read(b, &ch, 1);
	const char *re = r < 0 ? strerrorname_np(errno) : "read";
	return R("ok %d %d %d write(rdonly)=%s read(wronly)=%s", fcntl(a, F_GETFL) & O_ACCMODE,
	         fcntl(b, F_GETFL) & O_ACCMODE, fcntl(c, F_GETFL) & O_ACCMODE, we, re);
}

static const char *c_nonblock(void)
{
	put("f", "data");
	int a = open("f", O_RDONLY), b = open("f", O_RDONLY | O_NONBLOCK);
	if (a < 0 || b < 0)
		return E();
	return R("ok plain=%d asked=%d", !!(fcntl(a, F_GETFL) & O_NONBLOCK),
	         !!(fcntl(b, F_GETFL) & O_NONBLOCK));
}

static const char *c_cloexec(void)
{
	put("f", "data");
	int a = open("f", O_RDONLY), b = open("f", O_RDONLY | O_CLOEXEC);
	int c = (int)syscall(SYS_openat2, AT_FDCWD, "f",
	                     &(struct open_how){.flags = O_RDONLY | O_CLOEXEC},
	                     sizeof(struct open_how));
	if (a < 0 || b < 0 || c < 0)
		return E();
	return R("ok plain=%d cloexec=%d openat2=%d", fcntl(a, F_GETFD) & FD_CLOEXEC,
	         fcntl(b, F_GETFD) & FD_CLOEXEC, fcntl(c, F_GETFD) & FD_CLOEXEC);
}

static const char *c_directory_on_file(void)
{
	put("f", "data");
	return open_rd(AT_FDCWD, "f", O_RDONLY | O_DIRECTORY);
}

static const char *c_directory_on_dir(void)
{
	mkd("d");
	int fd = open("d", O_RDONLY | O_DIRECTORY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_wronly_dir(void)
{
	mkd("d");
	int fd = open("d", O_WRONLY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_creat_on_dir(void)
{
	mkd("d");
	int fd = open("d", O_RDONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_sys_creat(void)
{
	put("f", "old content");
	umask(022);
	long a = syscall(SYS_creat, "f", 0600);
	long b = syscall(SYS_creat, "n", 0666);
	if (a < 0 || b < 0)
		return E();
	struct stat sa, sb;
	fstat((int)a, &sa);
	fstat((int)b, &sb);
	int fl = fcntl((int)b, F_GETFL) & O_ACCMODE;
	return R("ok old:size=%lld,mode=%04o new:mode=%04o,accmode=%d", (long long)sa.st_size,
	         sa.st_mode & 07777, sb.st_mode & 07777, fl);
}

static const char *c_sys_open(void)
{
	put("f", "data");
	long fd = syscall(SYS_open, "f", O_RDONLY);
	return fd < 0 ? E() : rd((int)fd);
}

/* ---- symlinks ---- */

static const char *c_nofollow(void)
{
	put("f", "data");
	sym("f", "l");
	return open_rd(AT_FDCWD, "l", O_RDONLY | O_NOFOLLOW);
}

static const char *c_opath_nofollow(void)
{
	put("f", "data");
	sym("f", "l");
	int fd = open("l", O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return E();
	struct stat st;
	if (fstatat(fd, "", &st, AT_EMPTY_PATH) < 0)
		return E();
	char buf[64];
	ssize_t n = readlinkat(fd, "", buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return R("ok %s -> %s", S_ISLNK(st.st_mode) ? "symlink" : "not-a-symlink", buf);
}

static const char *c_nofollow_middle(void)
{
	mkd("d");
	put("d/f", "inner");
	sym("d", "ld");
	return open_rd(AT_FDCWD, "ld/f", O_RDONLY | O_NOFOLLOW);
}

static const char *c_follow_rel(void)
{
	put("f", "data");
	sym("f", "l");
	return open_rd(AT_FDCWD, "l", O_RDONLY);
}

static const char *c_follow_abs(void)
{
	put("f", "data");
	sym(here("f"), "l");
	return open_rd(AT_FDCWD, "l", O_RDONLY);
}

static const char *c_follow_chain(void)
{
	mkd("d");
	put("d/f", "end");
	sym("d/f", "l3");
	sym(here("l3"), "l2");
	sym("../l2", "d/l1");
	return open_rd(AT_FDCWD, "d/l1", O_RDONLY);
}

static const char *c_follow_updir(void)
{
	mkd("d");
	put("f", "outer");
	sym("../f", "d/up");
	return open_rd(AT_FDCWD, "d/up", O_RDONLY);
}

static const char *c_follow_dirlink(void)
{
	mkd("d");
	put("d/f", "inner");
	sym(here("d"), "ld");
	return open_rd(AT_FDCWD, "ld/f", O_RDONLY);
}

static const char *c_symlink_loop(void)
{
	sym("l2", "l1");
	sym("l1", "l2");
	return open_rd(AT_FDCWD, "l1", O_RDONLY);
}

static const char *c_dangling_read(void)
{
	sym("target", "l");
	return open_rd(AT_FDCWD, "l", O_RDONLY);
}

static const char *c_dangling_creat(void)
{
	sym("target", "l");
	int fd = open("l", O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return E();
	if (write(fd, "via link", 8) != 8)
		return E();
	return mode_of_fd(fd);
}

static const char *c_dangling_creat_abs(void)
{
	mkd("d");
	sym(here("d/target"), "l");
	int fd = open("l", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_dangling_creat_nofollow(void)
{
	sym("target", "l");
	int fd = open("l", O_WRONLY | O_CREAT | O_NOFOLLOW, 0644);
	return fd < 0 ? E() : R("ok");
}

/* ---- trailing slashes ---- */

static const char *c_slash_file(void)
{
	put("f", "data");
	return open_rd(AT_FDCWD, "f/", O_RDONLY);
}

static const char *c_slash_dir(void)
{
	mkd("d");
	int fd = open("d/", O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_slash_creat(void)
{
	int fd = open("n/", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_slash_symlink_file(void)
{
	put("f", "data");
	sym("f", "l");
	return open_rd(AT_FDCWD, "l/", O_RDONLY);
}

static const char *c_slash_symlink_dir(void)
{
	mkd("d");
	sym("d", "ld");
	int fd = open("ld/", O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_slash_missing(void)
{
	return open_rd(AT_FDCWD, "missing/", O_RDONLY);
}

/* ---- O_TMPFILE ---- */

static const char *c_tmpfile_link(void)
{
	umask(022);
	int fd = open(".", O_TMPFILE | O_RDWR, 0640);
	if (fd < 0)
		return E();
	struct stat st;
	fstat(fd, &st);
	if (write(fd, "tmp", 3) != 3)
		return E();
	DIR *d = opendir(".");
	int entries = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		entries += e->d_name[0] != '.';
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	int r = linkat(AT_FDCWD, proc, AT_FDCWD, "pub", AT_SYMLINK_FOLLOW);
	const char *lr = r < 0 ? strerrorname_np(errno) : "ok";
	return R("ok nlink=%lu mode=%04o entries=%d link=%s", (unsigned long)st.st_nlink,
	         st.st_mode & 07777, entries, lr);
}

static const char *c_tmpfile_excl(void)
{
	int fd = open(".", O_TMPFILE | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		return E();
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return zero(linkat(AT_FDCWD, proc, AT_FDCWD, "pub", AT_SYMLINK_FOLLOW));
}

static const char *c_tmpfile_rdonly(void)
{
	int fd = open(".", O_TMPFILE | O_RDONLY, 0600);
	return fd < 0 ? E() : R("ok");
}

static const char *c_tmpfile_on_file(void)
{
	put("f", "data");
	int fd = open("f", O_TMPFILE | O_RDWR, 0600);
	return fd < 0 ? E() : R("ok");
}

/* ---- openat2 ---- */

static const char *c_o2_beneath_dotdot(void)
{
	mkd("d");
	put("x", "outside");
	return openat2_rd(dir_fd("d", O_RDONLY), "../x", O_RDONLY, RESOLVE_BENEATH);
}

static const char *c_o2_beneath_ok(void)
{
	mkd("d");
	mkd("d/e");
	put("d/f", "inner");
	return openat2_rd(dir_fd("d", O_RDONLY), "e/../f", O_RDONLY, RESOLVE_BENEATH);
}

static const char *c_o2_beneath_abs(void)
{
	mkd("d");
	put("d/f", "inner");
	return openat2_rd(dir_fd("d", O_RDONLY), here("d/f"), O_RDONLY, RESOLVE_BENEATH);
}

static const char *c_o2_beneath_symlink_out(void)
{
	mkd("d");
	put("f", "outer");
	sym("../f", "d/l");
	return openat2_rd(dir_fd("d", O_RDONLY), "l", O_RDONLY, RESOLVE_BENEATH);
}

static const char *c_o2_beneath_cwd(void)
{
	put("x", "outside");
	mkd("d");
	if (chdir("d") < 0)
		setup_failed("chdir");
	return openat2_rd(AT_FDCWD, "../x", O_RDONLY, RESOLVE_BENEATH);
}

static const char *c_o2_in_root(void)
{
	mkd("d");
	put("d/f", "inner");
	put("f", "outer");
	return openat2_rd(dir_fd("d", O_RDONLY), "/f", O_RDONLY, RESOLVE_IN_ROOT);
}

static const char *c_o2_in_root_dotdot(void)
{
	mkd("d");
	put("d/f", "inner");
	put("f", "outer");
	return openat2_rd(dir_fd("d", O_RDONLY), "../../f", O_RDONLY, RESOLVE_IN_ROOT);
}

static const char *c_o2_in_root_abs_symlink(void)
{
	mkd("d");
	put("d/f", "inner");
	put("f", "outer");
	sym("/f", "d/l");
	return openat2_rd(dir_fd("d", O_RDONLY), "l", O_RDONLY, RESOLVE_IN_ROOT);
}

static const char *c_o2_in_root_creat(void)
{
	mkd("d");
	long fd =
	    sys_openat2(dir_fd("d", O_RDONLY), "/n", O_WRONLY | O_CREAT, 0644, RESOLVE_IN_ROOT);
	return fd < 0 ? E() : R("ok");
}

static const char *c_o2_no_symlinks(void)
{
	put("f", "data");
	sym("f", "l");
	return openat2_rd(AT_FDCWD, "l", O_RDONLY, RESOLVE_NO_SYMLINKS);
}

static const char *c_o2_no_symlinks_middle(void)
{
	mkd("d");
	put("d/f", "inner");
	sym("d", "ld");
	return openat2_rd(AT_FDCWD, "ld/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
}

static const char *c_o2_no_symlinks_plain(void)
{
	mkd("d");
	put("d/f", "inner");
	return openat2_rd(AT_FDCWD, "d/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
}

static const char *c_o2_bad_flag_high(void)
{
	return openat2_rd(AT_FDCWD, "missing/x", O_RDONLY | (1ULL << 40), 0);
}

static const char *c_o2_bad_flag_low(void)
{
	put("f", "data");
	return openat2_rd(AT_FDCWD, "f", O_RDONLY | 040000000, 0);
}

static const char *c_o2_bad_resolve(void)
{
	put("f", "data");
	return openat2_rd(AT_FDCWD, "f", O_RDONLY, 0x4000);
}

static const char *c_o2_mode_without_creat(void)
{
	put("f", "data");
	long fd = sys_openat2(AT_FDCWD, "f", O_RDONLY, 0644, 0);
	return fd < 0 ? E() : R("ok");
}

static const char *c_o2_bad_mode(void)
{
	long fd = sys_openat2(AT_FDCWD, "n", O_WRONLY | O_CREAT, 010000, 0);
	return fd < 0 ? E() : R("ok");
}

static const char *c_o2_creat_mode(void)
{
	umask(0);
	long fd = sys_openat2(AT_FDCWD, "n", O_WRONLY | O_CREAT, 0604, 0);
	return fd < 0 ? E() : mode_of_fd((int)fd);
}

static const char *c_o2_small_size(void)
{
	put("f", "data");
	struct open_how how = {.flags = O_RDONLY};
	long fd = syscall(SYS_openat2, AT_FDCWD, "f", &how, (size_t)16);
	return fd < 0 ? E() : R("ok");
}

static const char *c_o2_big_size(void)
{
	put("f", "data");
	struct {
		struct open_how how;
		uint64_t extra;
	} big = {{.flags = O_RDONLY}, 1};
	long fd = syscall(SYS_openat2, AT_FDCWD, "f", &big, sizeof(big));
	long r1 = fd < 0 ? -errno : 0;
	big.extra = 0;
	long fd2 = syscall(SYS_openat2, AT_FDCWD, "f", &big, sizeof(big));
	long r2 = fd2 < 0 ? -errno : 0;
	return R("nonzero:%s zero:%s", r1 ? strerrorname_np((int)-r1) : "ok",
	         r2 ? strerrorname_np((int)-r2) : "ok");
}

/* ---- errors in the path argument ---- */

static const char *c_enoent(void)
{
	return open_rd(AT_FDCWD, "missing", O_RDONLY);
}

static const char *c_enoent_dir(void)
{
	return open_rd(AT_FDCWD, "missing/x", O_RDONLY);
}

static const char *c_enotdir_component(void)
{
	put("f", "data");
	return open_rd(AT_FDCWD, "f/x", O_RDONLY);
}

static const char *c_empty(void)
{
	return open_rd(AT_FDCWD, "", O_RDONLY);
}

/* A path of PATH_MAX bytes (no room for the NUL): ENAMETOOLONG. */
static const char *c_path_max(void)
{
	static char p[PATH_MAX + 1];
	put("ff", "data");
	for (int i = 0; i < PATH_MAX - 2; i += 2)
		memcpy(p + i, "./", 2);
	memcpy(p + PATH_MAX - 2, "ff", 2);
	p[PATH_MAX] = '\0';
	return open_rd(AT_FDCWD, p, O_RDONLY);
}

/* One byte shorter: a valid relative path, whatever the cwd's length. */
static const char *c_path_max_minus1(void)
{
	static char p[PATH_MAX];
	put("f", "data");
	for (int i = 0; i < PATH_MAX - 2; i += 2)
		memcpy(p + i, "./", 2);
	p[PATH_MAX - 2] = 'f';
	p[PATH_MAX - 1] = '\0';
	return open_rd(AT_FDCWD, p, O_RDONLY);
}

static const char *c_name_max(void)
{
	char p[NAME_MAX + 2];
	memset(p, 'n', NAME_MAX + 1);
	p[NAME_MAX + 1] = '\0';
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_null(void)
{
	long fd = syscall(SYS_openat, AT_FDCWD, (char *)NULL, O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_unmapped(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		setup_failed("mmap");
	strcpy(p, "f");
	munmap(p, 4096);
	put("f", "data");
	long fd = syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

/* A path ending at the last byte before an inaccessible page. */
static const char *c_page_end(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + 4096, 4096, PROT_NONE) < 0)
		setup_failed("mmap");
	put("f", "data");
	memcpy(p + 4096 - 4, "./f", 4);
	return open_rd(AT_FDCWD, p + 4096 - 4, O_RDONLY);
}

/* The NUL would be in an inaccessible page. */
static const char *c_page_cross(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + 4096, 4096, PROT_NONE) < 0)
		setup_failed("mmap");
	put("f", "data");
	memcpy(p + 4096 - 3, "./f", 3);
	long fd = syscall(SYS_openat, AT_FDCWD, p + 4096 - 3, O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

static const char *c_null_link(void)
{
	put("f", "data");
	return zero(syscall(SYS_link, "f", (char *)NULL));
}

static const char *c_null_rename(void)
{
	put("f", "data");
	return zero(syscall(SYS_rename, (char *)NULL, "g"));
}

/* ---- permissions ---- */

static const char *c_perm_dir(void)
{
	mkd("r");
	chmod("r", 0555);
	int fd = open("r/x", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_perm_file(void)
{
	put("f", "data");
	chmod("f", 0);
	return open_rd(AT_FDCWD, "f", O_RDONLY);
}

static const char *c_owner(void)
{
	int fd = open("n", O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return E();
	struct stat st;
	fstat(fd, &st);
	return R("ok uid=%s gid=%s", st.st_uid == geteuid() ? "euid" : "other",
	         st.st_gid == getegid() ? "egid" : "other");
}

/* ---- FIFOs ---- */

static const char *c_fifo_nonblock_read(void)
{
	if (mkfifo("p", 0644) < 0)
		setup_failed("mkfifo");
	int fd = open("p", O_RDONLY | O_NONBLOCK);
	return fd < 0 ? E() : R("ok");
}

static const char *c_fifo_nonblock_write(void)
{
	if (mkfifo("p", 0644) < 0)
		setup_failed("mkfifo");
	int fd = open("p", O_WRONLY | O_NONBLOCK);
	return fd < 0 ? E() : R("ok");
}

static const char *c_fifo_blocking(void)
{
	if (mkfifo("p", 0644) < 0)
		setup_failed("mkfifo");
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("p", O_WRONLY);
		_exit(fd >= 0 && write(fd, "through fifo", 12) == 12 ? 0 : 1);
	}
	int fd = open("p", O_RDONLY);
	const char *r = fd < 0 ? E() : rd(fd);
	int status;
	waitpid(pid, &status, 0);
	return r;
}

/* ---- rename ---- */

static const char *c_rename(void)
{
	put("a", "A");
	return zero(rename("a", "b"));
}

static const char *c_rename_replace(void)
{
	put("a", "A");
	put("b", "B");
	return zero(syscall(SYS_rename, "a", "b"));
}

static const char *c_renameat(void)
{
	mkd("d");
	put("d/a", "A");
	return zero(syscall(SYS_renameat, dir_fd("d", O_RDONLY), "a", AT_FDCWD, "b"));
}

static const char *c_rename_noreplace(void)
{
	put("a", "A");
	put("b", "B");
	return zero(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
}

static const char *c_rename_noreplace_new(void)
{
	put("a", "A");
	return zero(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
}

static const char *c_rename_exchange(void)
{
	put("a", "A");
	put("b", "B");
	return zero(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
}

static const char *c_rename_exchange_missing(void)
{
	put("a", "A");
	return zero(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
}

static const char *c_rename_bad_flags(void)
{
	put("a", "A");
	put("b", "B");
	return zero(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE | RENAME_NOREPLACE));
}

static const char *c_rename_symlink(void)
{
	put("f", "data");
	sym("f", "l");
	return zero(rename("l", "l2"));
}

static const char *c_rename_slash_file(void)
{
	put("f", "data");
	return zero(rename("f", "g/"));
}

static const char *c_rename_slash_dir(void)
{
	mkd("d");
	return zero(rename("d/", "e/"));
}

static const char *c_rename_into_self(void)
{
	mkd("d");
	return zero(rename("d", "d/sub"));
}

static const char *c_rename_missing(void)
{
	return zero(rename("missing", "g"));
}

/* ---- link ---- */

static const char *c_link(void)
{
	put("f", "data");
	if (link("f", "h") < 0)
		return E();
	struct stat a, b;
	stat("f", &a);
	stat("h", &b);
	return R("ok same=%d nlink=%lu", a.st_ino == b.st_ino, (unsigned long)a.st_nlink);
}

static const char *c_link_exists(void)
{
	put("f", "data");
	put("h", "other");
	return zero(syscall(SYS_link, "f", "h"));
}

static const char *c_link_dir(void)
{
	mkd("d");
	return zero(link("d", "h"));
}

static const char *c_link_missing(void)
{
	return zero(link("missing", "h"));
}

static const char *c_link_slash(void)
{
	put("f", "data");
	return zero(link("f", "h/"));
}

static const char *c_linkat_dirfd(void)
{
	mkd("d");
	put("d/f", "inner");
	int dfd = dir_fd("d", O_RDONLY);
	return zero(linkat(dfd, "f", dfd, "h", 0));
}

static const char *c_linkat_nofollow(void)
{
	put("f", "data");
	sym("f", "l");
	if (linkat(AT_FDCWD, "l", AT_FDCWD, "h", 0) < 0)
		return E();
	struct stat st;
	lstat("h", &st);
	return R("ok %s", S_ISLNK(st.st_mode) ? "symlink" : "not-a-symlink");
}

static const char *c_linkat_follow(void)
{
	put("f", "data");
	sym("f", "l");
	if (linkat(AT_FDCWD, "l", AT_FDCWD, "h", AT_SYMLINK_FOLLOW) < 0)
		return E();
	struct stat st, f;
	lstat("h", &st);
	stat("f", &f);
	return R("ok %s same=%d", S_ISLNK(st.st_mode) ? "symlink" : "file", st.st_ino == f.st_ino);
}

static const char *c_linkat_bad_flags(void)
{
	put("f", "data");
	return zero(linkat(AT_FDCWD, "f", AT_FDCWD, "h", 0x1));
}

static const char *c_linkat_proc_fd(void)
{
	put("f", "data");
	int fd = open("f", O_RDONLY);
	if (fd < 0)
		return E();
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return zero(linkat(AT_FDCWD, proc, AT_FDCWD, "h", AT_SYMLINK_FOLLOW));
}

/* ---- more corners ---- */

static const char *c_opath_file(void)
{
	put("f", "data");
	int fd = open("f", O_PATH);
	if (fd < 0)
		return E();
	return R("ok accmode=%d path=%d", fcntl(fd, F_GETFL) & O_ACCMODE,
	         !!(fcntl(fd, F_GETFL) & O_PATH));
}

static const char *c_slash_creat_file(void)
{
	put("f", "data");
	int fd = open("f/", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_slash_creat_excl(void)
{
	int fd = open("n/", O_WRONLY | O_CREAT | O_EXCL, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_creat_directory(void)
{
	int fd = open("n", O_RDONLY | O_CREAT | O_DIRECTORY, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_open_dotdot(void)
{
	mkd("d");
	if (chdir("d") < 0)
		setup_failed("chdir");
	int fd = open("..", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return E();
	struct stat a, b;
	fstat(fd, &a);
	stat("..", &b);
	return R("ok same=%d", a.st_ino == b.st_ino);
}

static const char *c_open_unknown_flag(void)
{
	put("f", "data");
	return open_rd(AT_FDCWD, "f", O_RDONLY | 040000000);
}

static const char *c_socket_file(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "sock"};
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		setup_failed("bind");
	int fd = open("sock", O_RDONLY);
	return fd < 0 ? E() : R("ok");
}

/* A directory whose name ends like a deleted one's /proc link. */
static const char *c_dirfd_named_deleted(void)
{
	mkd("d (deleted)");
	put("d (deleted)/f", "inner");
	return open_rd(dir_fd("d (deleted)", O_RDONLY), "f", O_RDONLY);
}

static const char *c_cwd_named_deleted(void)
{
	mkd("d (deleted)");
	put("d (deleted)/f", "inner");
	if (chdir("d (deleted)") < 0)
		setup_failed("chdir");
	return open_rd(AT_FDCWD, "f", O_RDONLY);
}

static const char *c_cwd_deleted(void)
{
	mkd("e");
	if (chdir("e") < 0 || rmdir("../e") < 0)
		setup_failed("rmdir");
	int fd = open("x", O_WRONLY | O_CREAT, 0644);
	return fd < 0 ? E() : R("ok");
}

static const char *c_o2_no_xdev(void)
{
	mkd("d");
	put("d/f", "inner");
	return openat2_rd(AT_FDCWD, "d/f", O_RDONLY, RESOLVE_NO_XDEV);
}

static const char *c_o2_no_magiclinks(void)
{
	put("f", "data");
	int fd = open("f", O_RDONLY);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return openat2_rd(AT_FDCWD, proc, O_RDONLY, RESOLVE_NO_MAGICLINKS);
}

static const char *c_o2_no_symlinks_magic(void)
{
	put("f", "data");
	int fd = open("f", O_RDONLY);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return openat2_rd(AT_FDCWD, proc, O_RDONLY, RESOLVE_NO_SYMLINKS);
}

static const char *c_setgid_dir(void)
{
	mkd("d");
	if (geteuid() == 0 && chown("d", 0, 65534) < 0)
		setup_failed("chown");
	if (chmod("d", 02775) < 0)
		setup_failed("chmod");
	int fd = open("d/n", O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return E();
	struct stat d, n;
	stat("d", &d);
	fstat(fd, &n);
	return R("ok gid=%s", n.st_gid == d.st_gid ? "dir" : "other");
}

static const char *c_rename_dir_nonempty(void)
{
	mkd("a");
	mkd("b");
	put("b/f", "data");
	return zero(rename("a", "b"));
}

static const char *c_rename_dir_empty(void)
{
	mkd("a");
	put("a/f", "data");
	mkd("b");
	return zero(rename("a", "b"));
}

static const char *c_rename_file_over_dir(void)
{
	put("a", "A");
	mkd("b");
	return zero(rename("a", "b"));
}

struct tcase {
	const char *name;
	const char *(*fn)(void);
};

#define C(n)                                                                                       \
	{                                                                                          \
#n, c_##n                                                                          \
	}
static const struct tcase cases[] = {
    C(rel_cwd),
    C(rel_subdir),
    C(dotdot),
    C(dotdot_dot),
    C(dotdot_symlink),
    C(chdir),
    C(openat_dirfd),
    C(openat_opath),
    C(openat_dirfd_dotdot),
    C(openat_dirfd_chdir),
    C(openat_dirfd_renamed),
    C(openat_dirfd_deleted),
    C(openat_filefd),
    C(openat_badfd),
    C(openat_negfd),
    C(openat_badfd_abs),
    C(creat_umask027),
    C(creat_umask0),
    C(creat_umask077_dir),
    C(creat_existing),
    C(excl),
    C(excl_new),
    C(excl_symlink),
    C(trunc),
    C(append),
    C(offset_zero),
    C(accmode),
    C(nonblock),
    C(cloexec),
    C(directory_on_file),
    C(directory_on_dir),
    C(wronly_dir),
    C(creat_on_dir),
    C(sys_creat),
    C(sys_open),
    C(nofollow),
    C(opath_nofollow),
    C(nofollow_middle),
    C(follow_rel),
    C(follow_abs),
    C(follow_chain),
    C(follow_updir),
    C(follow_dirlink),
    C(symlink_loop),
    C(dangling_read),
    C(dangling_creat),
    C(dangling_creat_abs),
    C(dangling_creat_nofollow),
    C(slash_file),
    C(slash_dir),
    C(slash_creat),
    C(slash_symlink_file),
    C(slash_symlink_dir),
    C(slash_missing),
    C(tmpfile_link),
    C(tmpfile_excl),
    C(tmpfile_rdonly),
    C(tmpfile_on_file),
    C(o2_beneath_dotdot),
    C(o2_beneath_ok),
    C(o2_beneath_abs),
    C(o2_beneath_symlink_out),
    C(o2_beneath_cwd),
    C(o2_in_root),
    C(o2_in_root_dotdot),
    C(o2_in_root_abs_symlink),
    C(o2_in_root_creat),
    C(o2_no_symlinks),
    C(o2_no_symlinks_middle),
    C(o2_no_symlinks_plain),
    C(o2_bad_flag_high),
    C(o2_bad_flag_low),
    C(o2_bad_resolve),
    C(o2_mode_without_creat),
    C(o2_bad_mode),
    C(o2_creat_mode),
    C(o2_small_size),
    C(o2_big_size),
    C(enoent),
    C(enoent_dir),
    C(enotdir_component),
    C(empty),
    C(path_max),
    C(path_max_minus1),
    C(name_max),
    C(null),
    C(unmapped),
    C(page_end),
    C(page_cross),
    C(null_link),
    C(null_rename),
    C(perm_dir),
    C(perm_file),
    C(owner),
    C(fifo_nonblock_read),
    C(fifo_nonblock_write),
    C(fifo_blocking),
    C(rename),
    C(rename_replace),
    C(renameat),
    C(rename_noreplace),
    C(rename_noreplace_new),
    C(rename_exchange),
    C(rename_exchange_missing),
    C(rename_bad_flags),
    C(rename_symlink),
    C(rename_slash_file),
    C(rename_slash_dir),
    C(rename_into_self),
    C(rename_missing),
    C(link),
    C(link_exists),
    C(link_dir),
    C(link_missing),
    C(link_slash),
    C(linkat_dirfd),
    C(linkat_nofollow),
    C(linkat_follow),
    C(linkat_bad_flags),
    C(linkat_proc_fd),
    C(opath_file),
    C(slash_creat_file),
    C(slash_creat_excl),
    C(creat_directory),
    C(open_dotdot),
    C(open_unknown_flag),
    C(socket_file),
    C(dirfd_named_deleted),
    C(cwd_named_deleted),
    C(cwd_deleted),
    C(o2_no_xdev),
    C(o2_no_magiclinks),
    C(o2_no_symlinks_magic),
    C(setgid_dir),
    C(rename_dir_nonempty),
    C(rename_dir_empty),
    C(rename_file_over_dir),
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void run(const struct tcase *t)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("%s FORK-FAILED\n", t->name);
		return;
	}
	if (pid == 0) {
		char dir[128];
		case_name = t->name;
		snprintf(dir, sizeof(dir), "c.%s", t->name);
		umask(022);
		alarm(10);
		mkd(dir);
		if (chdir(dir) < 0)
			setup_failed("chdir");
		const char *r = t->fn();
		printf("%s %s\n", t->name, r);
		fflush(stdout);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	if (!WIFEXITED(status))
		printf("%s CRASHED signal %d\n", t->name,
		       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: opens CASE... | all | list\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		bool found = false;
		for (size_t k = 0; k < N_CASES; k++) {
			if (strcmp(argv[i], "list") == 0) {
				printf("%s\n", cases[k].name);
				found = true;
			} else if (strcmp(argv[i], "all") == 0 ||
			           strcmp(argv[i], cases[k].name) == 0) {
				run(&cases[k]);
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "opens: no case %s\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
