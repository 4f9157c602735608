/* A classic BPF program that answers ENOSYS for the system call numbers in
 * a set of ranges, and allows every other call: the guest's filter for the
 * numbers libseccomp does not know. Written here rather than as one
 * libseccomp rule per number, which took ferry's start-up 8 ms (650 rules
 * to build and optimise). Pure: the program is checked instruction by
 * instruction in tests/unit/test_sysrange.c. */
#ifndef FERRY_SYSRANGE_H
#define FERRY_SYSRANGE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The numbers first .. end - 1. */
struct ferry_nr_range {
	uint32_t first, end;
};

/* The ranges of numbers below n for which known[nr] is false, in order.
 * Returns how many, or 0 when more than cap. */
size_t ferry_unknown_ranges(const bool *known, uint32_t n, struct ferry_nr_range *out, size_t cap);

/* The program, for calls of architecture arch (an AUDIT_ARCH_* value):
 * ENOSYS for a number in one of the ranges, sorted and disjoint; allow for
 * anything else, including every call of another architecture (the main
 * filter judges those). Returns its length in instructions, or 0 when cap
 * is too small or the ranges too many for BPF's 8-bit jumps. */
size_t ferry_enosys_program(uint32_t arch, const struct ferry_nr_range *ranges, size_t n,
                            struct sock_filter *out, size_t cap);

#endif
