/* ENOSYS for ranges of system call numbers, as a classic BPF program. Pure. */
#include "ferry/sysrange.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>

size_t ferry_unknown_ranges(const bool *known, uint32_t n, struct ferry_nr_range *out, size_t cap)
{
	size_t count = 0;
	for (uint32_t nr = 0; nr < n;) {
		if (known[nr]) {
			nr++;
			continue;
		}
		uint32_t first = nr;
		while (nr < n && !known[nr])
			nr++;
		if (count == cap)
			return 0;
		out[count++] = (struct ferry_nr_range){first, nr};
	}
	return count;
}

/* Instructions before the range checks (arch, number) and after (allow). */
#define HEAD 3
#define TAIL 1
#define PER_RANGE 3

size_t ferry_enosys_program(uint32_t arch, const struct ferry_nr_range *ranges, size_t n,
                            struct sock_filter *out, size_t cap)
{
	size_t len = HEAD + PER_RANGE * n + TAIL;
	/* The arch check jumps over every range check to the final allow. */
	if (len > cap || PER_RANGE * n + 1 > 255)
		return 0;
	size_t i = 0;
	out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                        offsetof(struct seccomp_data, arch));
	out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0,
	                                        (uint8_t)(PER_RANGE * n + 1));
	out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                        offsetof(struct seccomp_data, nr));
	for (size_t r = 0; r < n; r++) {
		/* Below first: the next range. At or past end: the next range.
		 * Else ENOSYS. */
		out[i++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ranges[r].first, 0, 2);
		out[i++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ranges[r].end, 1, 0);
		out[i++] = (struct sock_filter)BPF_STMT(
		    BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	}
	out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return i;
}
