/* The ENOSYS ranges and their BPF program, run by a small evaluator of the
 * instructions it uses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <string.h>

#include "ferry/sysrange.h"

/* Runs prog on (nr, arch) as the kernel would, for LD ABS, JEQ/JGE K and
 * RET K; fails the test on anything else or a jump out of the program. */
static uint32_t run(const struct sock_filter *prog, size_t len, uint32_t nr, uint32_t arch)
{
	struct seccomp_data data;
	memset(&data, 0, sizeof(data));
	data.nr = (int)nr;
	data.arch = arch;
	uint32_t acc = 0;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(in->k + 4 <= sizeof(data));
			memcpy(&acc, (const char *)&data + in->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += acc == in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += acc >= in->k ? in->jt : in->jf;
			break;
		case BPF_RET | BPF_K:
			return in->k;
		default:
			fail_msg("instruction %zu: code 0x%x", pc, in->code);
		}
	}
	fail_msg("ran off the end of the program");
	return 0;
}

#define ENOSYS_RET (SECCOMP_RET_ERRNO | ENOSYS)

static void test_ranges(void **state)
{
	(void)state;
	bool known[16];
	for (int i = 0; i < 16; i++)
		known[i] = true;
	struct ferry_nr_range r[8];
	assert_int_equal(ferry_unknown_ranges(known, 16, r, 8), 0);
	known[0] = known[5] = known[6] = known[15] = false;
	assert_int_equal(ferry_unknown_ranges(known, 16, r, 8), 3);
	assert_int_equal(r[0].first, 0);
	assert_int_equal(r[0].end, 1);
	assert_int_equal(r[1].first, 5);
	assert_int_equal(r[1].end, 7);
	assert_int_equal(r[2].first, 15);
	assert_int_equal(r[2].end, 16);
	/* more ranges than room: refused, not cut short */
	assert_int_equal(ferry_unknown_ranges(known, 16, r, 2), 0);
	for (int i = 0; i < 16; i++)
		known[i] = false;
	assert_int_equal(ferry_unknown_ranges(known, 16, r, 8), 1);
	assert_int_equal(r[0].end, 16);
}

static void test_program(void **state)
{
	(void)state;
	/* Known: everything but 3, 10..19, 500..1023, and 1024 upwards. */
	static bool known[1024];
	for (int i = 0; i < 1024; i++)
		known[i] = !(i == 3 || (i >= 10 && i < 20) || i >= 500);
	struct ferry_nr_range r[16];
	size_t n = ferry_unknown_ranges(known, 1024, r, 15);
	assert_int_equal(n, 3);
	r[n++] = (struct ferry_nr_range){1024, 0x40000000};
	struct sock_filter prog[64];
	size_t len = ferry_enosys_program(AUDIT_ARCH_X86_64, r, n, prog, 64);
	assert_true(len > 0);
	for (uint32_t nr = 0; nr < 4096; nr++) {
		bool unknown = nr >= 1024 || !known[nr];
		if (run(prog, len, nr, AUDIT_ARCH_X86_64) !=
		    (unknown ? ENOSYS_RET : SECCOMP_RET_ALLOW))
			fail_msg("nr %u", nr);
		/* another architecture: the main filter's to judge */
		assert_int_equal(run(prog, len, nr, AUDIT_ARCH_I386), SECCOMP_RET_ALLOW);
	}
	/* the edges of the last range, and x32 numbers past it */
	assert_int_equal(run(prog, len, 0x3fffffff, AUDIT_ARCH_X86_64), ENOSYS_RET);
	assert_int_equal(run(prog, len, 0x40000000, AUDIT_ARCH_X86_64), SECCOMP_RET_ALLOW);
	assert_int_equal(run(prog, len, 0x40000001, AUDIT_ARCH_X86_64), SECCOMP_RET_ALLOW);
	assert_int_equal(run(prog, len, UINT32_MAX, AUDIT_ARCH_X86_64), SECCOMP_RET_ALLOW);
}

static void test_limits(void **state)
{
	(void)state;
	struct ferry_nr_range r[100];
	for (uint32_t i = 0; i < 100; i++)
		r[i] = (struct ferry_nr_range){2 * i, 2 * i + 1};
	static struct sock_filter prog[400];
	/* no room */
	assert_int_equal(ferry_enosys_program(AUDIT_ARCH_X86_64, r, 2, prog, 9), 0);
	assert_int_equal(ferry_enosys_program(AUDIT_ARCH_X86_64, r, 2, prog, 10), 10);
	/* the arch check's jump must fit in 8 bits */
	assert_int_equal(ferry_enosys_program(AUDIT_ARCH_X86_64, r, 85, prog, 400), 0);
	size_t len = ferry_enosys_program(AUDIT_ARCH_X86_64, r, 84, prog, 400);
	assert_int_equal(len, 3 + 3 * 84 + 1);
	for (uint32_t nr = 0; nr < 200; nr++) {
		assert_int_equal(run(prog, len, nr, AUDIT_ARCH_X86_64),
		                 nr < 2 * 84 && nr % 2 == 0 ? ENOSYS_RET : SECCOMP_RET_ALLOW);
		assert_int_equal(run(prog, len, nr, AUDIT_ARCH_I386), SECCOMP_RET_ALLOW);
	}
	/* no ranges: allow all */
	len = ferry_enosys_program(AUDIT_ARCH_X86_64, r, 0, prog, 400);
	assert_int_equal(run(prog, len, 3, AUDIT_ARCH_X86_64), SECCOMP_RET_ALLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_program),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
