/* Shared helpers of the escape programs.
 *
 * Each program tries one attack in several variants and prints one line:
 *   CONTAINED <attack>[: what each variant got]    exit 0
 *   ESCAPED <attack>: <evidence>                   exit 1
 * A variant escapes when it reads the secret token (argv[1]) out of a file
 * it should not reach, or, for attacks on the view itself, when it changes
 * something it should not. Anything else (setup trouble) exits 2.
 */
#ifndef FERRY_ESCAPE_H
#define FERRY_ESCAPE_H

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *escape_attack = "?";
static const char *escape_token = "";
/* What the variants got, for the CONTAINED line. */
static char escape_notes[2048];

static inline void escape_init(int argc, char **argv, const char *attack, int min_args,
                               const char *usage)
{
	escape_attack = attack;
	if (argc < 2 + min_args || !argv[1][0]) {
		fprintf(stderr, "usage: %s TOKEN %s\n", argv[0], usage);
		exit(2);
	}
	escape_token = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Records what a contained variant got ("name: strerror"). */
__attribute__((format(printf, 1, 2))) static inline void escape_note(const char *fmt, ...)
{
	size_t len = strlen(escape_notes);
	if (len + 4 >= sizeof(escape_notes))
		return;
	if (len)
		len += (size_t)snprintf(escape_notes + len, sizeof(escape_notes) - len, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(escape_notes + len, sizeof(escape_notes) - len, fmt, ap);
	va_end(ap);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void escaped(const char *fmt, ...)
{
	char evidence[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(evidence, sizeof(evidence), fmt, ap);
	va_end(ap);
	printf("ESCAPED %s: %s\n", escape_attack, evidence);
	fflush(stdout);
	_exit(1);
}

__attribute__((noreturn)) static inline void contained(void)
{
	printf("CONTAINED %s%s%s\n", escape_attack, escape_notes[0] ? ": " : "", escape_notes);
	fflush(stdout);
	_exit(0);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void setup_failed(const char *fmt,
                                                                                ...)
{
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("ERROR %s: %s\n", escape_attack, what);
	fflush(stdout);
	_exit(2);
}

/* Reads up to len-1 bytes of fd (without blocking on a pipe). Returns the
 * count, or -1 with errno. */
static inline ssize_t read_some(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return got ? (ssize_t)got : -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* True when fd holds the token; the first line read goes into shown. */
static inline bool fd_has_token(int fd, char *shown, size_t shown_len)
{
	char buf[4096];
	if (read_some(fd, buf, sizeof(buf)) <= 0)
		return false;
	char *hit = memmem(buf, strlen(buf), escape_token, strlen(escape_token));
	if (!hit)
		return false;
	snprintf(shown, shown_len, "%.*s", (int)strcspn(hit, "\n"), hit);
	return true;
}

/* Opens with openat(dirfd, path, flags), reads, and escapes when the token
 * is there; otherwise notes what happened under name. */
/* A seccomp filter that sends openat to a listener and allows the rest,
 * with no_new_privs set, as loading it needs: the start of an attack that
 * brings a broker of its own. */
static inline struct sock_fprog openat_notify_filter(void)
{
	static struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		setup_failed("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return (struct sock_fprog){sizeof(f) / sizeof(f[0]), f};
}

/* What an open attempt got: escapes when fd reads the token. */
static inline void check_opened(const char *name, int fd)
{
	if (fd < 0) {
		escape_note("%s: %s", name, strerror(errno));
		return;
	}
	char shown[256];
	if (fd_has_token(fd, shown, sizeof(shown)))
		escaped("%s: read \"%s\"", name, shown);
	close(fd);
	escape_note("%s: opened, no secret", name);
}

static inline void try_openat(const char *name, int dirfd, const char *path, int flags)
{
	check_opened(name, openat(dirfd, path, flags | O_CLOEXEC | O_NONBLOCK));
}

/* openat2(dirfd, path, O_RDONLY, resolve), then as try_openat. */
static inline void try_openat2(const char *name, int dirfd, const char *path,
                               unsigned long long resolve)
{
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .mode = 0, .resolve = resolve};
	check_opened(name, (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
}

static inline void try_open(const char *name, const char *path)
{
	try_openat(name, AT_FDCWD, path, O_RDONLY);
}

/* Writes a whole string to a file, for uid_map and the like. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#endif
