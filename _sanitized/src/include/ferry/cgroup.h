/* A cgroup of the sandbox's own, for --memory and --pids. With cgroup v2: made
 * at the top of the hierarchy by root, or inside the caller's cgroup when
 * that is delegated to them, and entered at clone (CLONE_INTO_CGROUP). On a
 * host whose memory and pids controllers are still on cgroup v1 hierarchies:
 * one cgroup in each, below the caller's, which the jail is moved into before
 * it starts anything. Emptied and removed when the run ends. */
#ifndef FERRY_CGROUP_H
#define FERRY_CGROUP_H

#include <limits.h>
#include <stdbool.h>

struct ferry_cgroup {
	int fd; /* v2: the sandbox's cgroup, for CLONE_INTO_CGROUP */
	bool v1;
	int v1_fd[2]; /* v1: the sandbox's memory and pids cgroups, or -1 */
	int parent_fd;
	char parent[PATH_MAX];
	char name[64];
	char leaf[64]; /* where ferry moved itself, when it had to */
	bool moved;
	bool enabled[2]; /* controllers ferry enabled: memory, pids */
};

/* Makes the cgroup with memory.max (0: none) and pids.max (0: none). Returns
 * 0, or -1 having said why, naming the option. */
int ferry_cgroup_create(struct ferry_cgroup *cg, unsigned long long memory_max,
                        unsigned long long pids_max);

/* v1: moves pid (the jail, before it forks) into the cgroups. Returns 0 or
 * -1 having said why. A no-op with v2. */
int ferry_cgroup_attach(struct ferry_cgroup *cg, int pid);

/* Kills what is left in it and removes it; undoes what creating it changed. */
void ferry_cgroup_destroy(struct ferry_cgroup *cg);

#endif
