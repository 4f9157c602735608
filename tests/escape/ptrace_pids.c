/* Attack: debug another process, to read its memory or make it run our
 * code: PTRACE_ATTACH and process_vm_readv against every pid visible in
 * /proc (at most 4096), a child of our own that holds the secret in its
 * memory (forked before the attack, so it is the first target), and pids
 * named on the command line (the driver's: the host pids of ferry's
 * supervisor and gofer, which must not be reachable even when ptrace is
 * allowed).
 *
 * Modes:
 *   all        the child (PTRACE_ATTACH), then every visible pid
 *              (PTRACE_SEIZE: the same permission check, but the target is
 *              never stopped, so a native run cannot freeze a host process);
 *              any attach or read escapes. process_vm_readv reads the
 *              address of the child's copy of the secret, or the first
 *              readable mapping in /proc/PID/maps.
 *   outside    PTRACE_ATTACH of only the pids on the command line (the
 *              driver adds 1, init, under ferry), for `ferry --allow-debug`,
 *              which allows debugging the sandbox's own processes: the pids
 *              may not even appear in /proc.
 * An attach is detached at once; the run stops at the first success.
 *
 * Stops it: layer 3, ptrace and process_vm_readv/writev get EPERM (unless
 * --allow-debug); the sandbox's pid namespace leaves the supervisor and
 * gofer, and everything else of the host, out of /proc and out of reach
 * (ESRCH) when they are allowed; init is non-dumpable and the guest has no
 * CAP_SYS_PTRACE.
 * Natively: the child is attached and its copy of the secret read
 * (ESCAPED); in outside mode, the driver's sleep is attached.
 *
 * Usage: ptrace_pids TOKEN all|outside [PID...]
 */
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "escape.h"

static char secret_copy[256];
static pid_t kid;
static int attach_fail, read_fail;
static char attach_errs[256], read_errs[256];

static void add_errno(char *list, size_t len, int err)
{
	char word[48];
	snprintf(word, sizeof(word), "%s,", strerrorname_np(err) ? strerrorname_np(err) : "?");
	if (!strstr(list, word) && strlen(list) + strlen(word) < len)
		strcat(list, word);
}

/* First readable mapping of pid, from /proc/PID/maps (0 when unknown). */
static unsigned long first_readable(pid_t pid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	unsigned long start = 0, lo, hi;
	char perms[8];
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && perms[0] == 'r') {
			start = lo;
			break;
		}
	fclose(f);
	return start;
}

static void end_kid(void)
{
	if (kid > 0) {
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
		kid = 0;
	}
}

static void try_pid(pid_t pid, const char *what, unsigned long addr, bool seize)
{
	if (seize && ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
		end_kid();
		escaped("PTRACE_SEIZE of %s pid %d succeeded", what, (int)pid);
	}
	if (!seize && ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
		int status;
		waitpid(pid, &status, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		end_kid();
		escaped("PTRACE_ATTACH of %s pid %d succeeded", what, (int)pid);
	}
	attach_fail++;
	add_errno(attach_errs, sizeof(attach_errs), errno);

	char buf[256];
	if (!addr)
		addr = first_readable(pid);
	if (!addr)
		addr = (unsigned long)secret_copy;
	struct iovec local = {buf, sizeof(buf) - 1}, remote = {(void *)addr, sizeof(buf) - 1};
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		end_kid();
		if (memmem(buf, (size_t)n, escape_token, strlen(escape_token)))
			escaped("process_vm_readv of %s pid %d: read \"%s\"", what, (int)pid, buf);
		escaped("process_vm_readv of %s pid %d read %zd bytes at %#lx", what, (int)pid, n,
		        addr);
	}
	read_fail++;
	add_errno(read_errs, sizeof(read_errs), errno);
}

static void summary(const char *label)
{
	escape_note("%s: PTRACE_ATTACH/SEIZE failed %d times (%s), process_vm_readv %d times (%s)",
	            label, attach_fail, attach_errs, read_fail, read_errs);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "ptrace", 1, "all|outside [PID...]");
	const char *mode = argv[2];
	pid_t self = getpid();
	if (strcmp(mode, "outside") == 0) {
		for (int i = 3; i < argc; i++) {
			pid_t pid = (pid_t)atoi(argv[i]);
			char path[64];
			snprintf(path, sizeof(path), "/proc/%d", (int)pid);
			bool visible = access(path, F_OK) == 0;
			escape_note("pid %d %s in /proc", (int)pid, visible ? "is" : "is not");
			if (pid > 0 && pid != self)
				try_pid(pid, pid == 1 ? "init" : "outside", 0, false);
		}
		summary("outside pids");
		contained();
	}
	if (strcmp(mode, "all") != 0)
		setup_failed("unknown mode %s", mode);

	snprintf(secret_copy, sizeof(secret_copy), "%s in memory", escape_token);
	kid = fork();
	if (kid < 0)
		setup_failed("fork: %s", strerror(errno));
	if (kid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0; i < 300; i++)
			sleep(1);
		_exit(0);
	}
	memset(secret_copy, 0, sizeof(secret_copy)); /* only the child's copy is left */
	try_pid(kid, "own child", (unsigned long)secret_copy, false);

	int pids = 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		setup_failed("opendir /proc: %s", strerror(errno));
	struct dirent *e;
	while ((e = readdir(proc)) && pids < 4096) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid == self || pid == kid)
			continue;
		pids++;
		try_pid(pid, "visible", 0, true);
	}
	closedir(proc);
	end_kid();
	escape_note("%d other pids", pids);
	summary("all");
	contained();
}
