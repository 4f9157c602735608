/* ferry: parses the command line and dispatches. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ferry/config.h"
#include "ferry/fail.h"
#include "ferry/supervisor.h"

static const char usage[] =
    "Usage: ferry [run] [OPTIONS] [--] COMMAND [ARG...]\n"
    "       ferry --explain [OPTIONS]\n"
    "       ferry --help | --version\n"
    "\n"
    "Runs COMMAND confined: it sees only what the profile and options bind, every\n"
    "open is decided by ferry's policy and performed by a jailed helper, and the\n"
    "opened file is handed to the command, which then reads and writes it directly.\n"
    "\n"
    "View (layer 1; the last rule for a path wins, deeper paths go on top):\n"
    "  --ro PATH          bind PATH read-only\n"
    "  --rw PATH          bind PATH read-write\n"
    "  --hide PATH        mask PATH with an empty directory or an empty file\n"
    "  --tmpfs PATH[:SIZE] mount a fresh, empty tmpfs at PATH (SIZE: 64M, 1G, 10%)\n"
    "  --profile NAME     base view: default (the system read-only, the current\n"
    "                     directory read-write, fresh /tmp and $HOME) or none\n"
    "  --policy FILE      read options from FILE, one per line, without the dashes\n"
    "Access (layer 2):\n"
    "  --deny GLOB        opens, links and renames of matching paths fail with\n"
    "                     EACCES; a GLOB without a leading / matches at any depth\n"
    "Process:\n"
    "  --chdir DIR        start the command in DIR (default: the current directory)\n"
    "  --net none|host    no network but loopback (default), or the host's\n"
    "  --setenv K=V       set an environment variable\n"
    "  --unsetenv K       remove an environment variable\n"
    "  --clearenv         start from an empty environment\n"
    "  --timeout SECONDS  stop the command after SECONDS; ferry exits 124\n"
    "  --limit NAME=VALUE set an rlimit in the sandbox: as, nproc, nofile, fsize,\n"
    "                     cpu or core; VALUE a number (K, M, G, T) or unlimited\n"
    "  --memory SIZE      cap the sandbox's memory (cgroup v2; root, or a\n"
    "                     delegated cgroup)\n"
    "  --pids N           cap the sandbox's processes (cgroup v2, likewise)\n"
    "  --allow-debug      allow ptrace and process_vm_* inside the sandbox\n"
    "Output:\n"
    "  --log FILE         one JSON object per brokered call (JSON Lines)\n"
    "  --report FILE      a JSON summary: exit status, counts, the files read,\n"
    "                     written and denied\n"
    "  -v, --verbose      describe the sandbox and report denials (-vv: every call)\n"
    "  -q, --quiet        only report errors\n"
    "  --explain          print the layers these options set up, run nothing\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "Exit status: the command's own; 128+N if killed by signal N; 124 on --timeout;\n"
    "125 if ferry itself failed; 126 if COMMAND cannot run; 127 if it is not found.\n"
    "See ferry(1) and ferry.policy(5).\n";

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], err[4096];
	if (!getcwd(cwd, sizeof(cwd))) {
		ferry_msg("getcwd: the current directory is not reachable");
		return FERRY_EXIT_FAILURE;
	}
	const char *home = getenv("HOME");
	struct ferry_vars vars = {cwd, home && home[0] ? home : NULL};
	struct ferry_loader loader = {ferry_read_policy_file, NULL};
	struct ferry_config cfg;
	if (ferry_config_parse(&cfg, argc, argv, &vars, &loader, err, sizeof(err)) < 0) {
		ferry_msg("%s", err);
		ferry_config_free(&cfg);
		return FERRY_EXIT_FAILURE;
	}
	int code = 0;
	switch (cfg.mode) {
	case FERRY_MODE_HELP:
		fputs(usage, stdout);
		break;
	case FERRY_MODE_VERSION:
		printf("ferry %s\n", PACKAGE_VERSION);
		break;
	case FERRY_MODE_RUN:
		code = ferry_run(&cfg);
		break;
	case FERRY_MODE_EXPLAIN:
		code = ferry_explain(&cfg);
		break;
	}
	ferry_config_free(&cfg);
	if (fflush(stdout) != 0 && code == 0)
		code = FERRY_EXIT_FAILURE;
	return code;
}
