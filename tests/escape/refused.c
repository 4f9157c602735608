/* Attack: reach kernel interfaces a sandboxed program has no business
 * with, each a large attack surface or a channel around the sandbox's
 * namespaces. One call per run; escaped when the call succeeds (these are
 * not reads of the secret: a working bpf program or packet socket is the
 * foothold).
 *   add_key   add_key("user", ...) into the process keyring
 *   keyctl    keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING)
 *   bpf       bpf(BPF_PROG_LOAD) of a two-instruction socket filter
 *   perf      perf_event_open of a software clock on itself
 *   packet    socket(AF_PACKET, SOCK_RAW)
 *   inet-packet socket(AF_INET, SOCK_PACKET), the obsolete spelling the
 *             kernel turns into an AF_PACKET socket
 *   alg       socket(AF_ALG, SOCK_SEQPACKET) (the kernel's crypto API)
 *   vsock     socket(AF_VSOCK, SOCK_STREAM) (to the hypervisor: no network
 *             namespace separates it)
 *   raw       socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)
 *   raw6      socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)
 *   personality personality() with READ_IMPLIES_EXEC or MMAP_PAGE_ZERO,
 *             each also with bit 31 set (the kernel takes any value but
 *             the 0xffffffff query); escaped when a later query shows the
 *             flag set
 *   unknown   syscall(470) and syscall(1000), numbers beyond the table:
 *             not an attack but the filter's default, ENOSYS (natively
 *             ENOSYS too); anything else prints ESCAPED.
 *   open_tree_attr  syscall 467 (Linux 6.15; open_tree with attributes):
 *             an fd for a detached copy of a mount, like open_tree; ENOSYS
 *             where libseccomp does not know it, EPERM where it does, and
 *             ENOSYS natively on older kernels (then the driver skips the
 *             native check).
 *
 * Stops it: layer 3, the filter answers each with EPERM (socket by its
 * family, and SOCK_RAW for AF_INET/AF_INET6), and calls it does not know
 * with ENOSYS; the root guest's bounded capabilities (no NET_RAW,
 * SYS_ADMIN, BPF, PERFMON) refuse several of them again.
 * Natively, as root: each call succeeds (ESCAPED), where the kernel has the
 * feature (the driver skips a family the kernel lacks: EAFNOSUPPORT).
 * As another user the kernel itself refuses some (packet, raw, bpf), and
 * the driver checks only those that succeed natively.
 *
 * Usage: refused TOKEN CALL
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/mount.h>
#include <netinet/in.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "escape.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static void result(const char *call, long r)
{
	if (r >= 0)
		escaped("%s succeeded (returned %ld)", call, r);
	escape_note("%s: %s (%s)", call, strerror(errno),
	            strerrorname_np(errno) ? strerrorname_np(errno) : "?");
}

static void try_socket(const char *call, int domain, int type, int protocol)
{
	int s = socket(domain, type | SOCK_CLOEXEC, protocol);
	int e = errno;
	if (s >= 0)
		close(s);
	errno = e;
	result(call, s);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "refused", 1, "CALL");
	const char *call = argv[2];
	static char attack[64];
	snprintf(attack, sizeof(attack), "refused-%s", call);
	escape_attack = attack;
	if (strcmp(call, "add_key") == 0) {
		result("add_key", syscall(SYS_add_key, "user", "ferry-escape-probe", "x", 1,
		                          KEY_SPEC_PROCESS_KEYRING));
	} else if (strcmp(call, "keyctl") == 0) {
		result("keyctl(GET_KEYRING_ID)",
		       syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
	} else if (strcmp(call, "bpf") == 0) {
		struct bpf_insn insns[] = {
		    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		    {.code = BPF_JMP | BPF_EXIT},
		};
		union bpf_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		attr.insn_cnt = 2;
		attr.insns = (unsigned long)insns;
		attr.license = (unsigned long)"GPL";
		long fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
		int e = errno;
		if (fd >= 0)
			close((int)fd);
		errno = e;
		result("bpf(BPF_PROG_LOAD)", fd);
	} else if (strcmp(call, "perf") == 0) {
		struct perf_event_attr pe;
		memset(&pe, 0, sizeof(pe));
		pe.type = PERF_TYPE_SOFTWARE;
		pe.size = sizeof(pe);
		pe.config = PERF_COUNT_SW_CPU_CLOCK;
		pe.exclude_kernel = 1;
		pe.exclude_hv = 1;
		long fd = syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
		int e = errno;
		if (fd >= 0)
			close((int)fd);
		errno = e;
		result("perf_event_open", fd);
	} else if (strcmp(call, "packet") == 0) {
		try_socket("socket(AF_PACKET)", AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	} else if (strcmp(call, "inet-packet") == 0) {
		try_socket("socket(AF_INET,SOCK_PACKET)", AF_INET, SOCK_PACKET, htons(ETH_P_ALL));
	} else if (strcmp(call, "personality") == 0) {
		static const struct {
			unsigned long value;
			unsigned long flag;
			const char *name;
		} tries[] = {
		    {READ_IMPLIES_EXEC, READ_IMPLIES_EXEC, "READ_IMPLIES_EXEC"},
		    {MMAP_PAGE_ZERO, MMAP_PAGE_ZERO, "MMAP_PAGE_ZERO"},
		    {0x80000000UL | READ_IMPLIES_EXEC, READ_IMPLIES_EXEC,
		     "0x80000000|READ_IMPLIES_EXEC"},
		    {0x80000000UL | MMAP_PAGE_ZERO, MMAP_PAGE_ZERO, "0x80000000|MMAP_PAGE_ZERO"},
		};
		for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
			long r = syscall(SYS_personality, tries[i].value);
			int e = errno;
			long now = syscall(SYS_personality, 0xffffffffUL);
			if (now >= 0 && (now & (long)tries[i].flag)) {
				syscall(SYS_personality, PER_LINUX);
				escaped("personality(%s) set the flag (personality now %#lx)",
				        tries[i].name, now);
			}
			escape_note("personality(%s): %s", tries[i].name,
			            r < 0 ? strerror(e) : "flag not set");
		}
	} else if (strcmp(call, "open_tree_attr") == 0) {
		long fd = syscall(467, AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, NULL, 0);
		int e = errno;
		if (fd >= 0)
			close((int)fd);
		errno = e;
		result("open_tree_attr(/, OPEN_TREE_CLONE)", fd);
	} else if (strcmp(call, "alg") == 0) {
		try_socket("socket(AF_ALG)", AF_ALG, SOCK_SEQPACKET, 0);
	} else if (strcmp(call, "vsock") == 0) {
		try_socket("socket(AF_VSOCK)", AF_VSOCK, SOCK_STREAM, 0);
	} else if (strcmp(call, "raw") == 0) {
		try_socket("socket(AF_INET,SOCK_RAW)", AF_INET, SOCK_RAW, IPPROTO_ICMP);
	} else if (strcmp(call, "raw6") == 0) {
		try_socket("socket(AF_INET6,SOCK_RAW)", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	} else if (strcmp(call, "unknown") == 0) {
		static const long numbers[] = {470, 1000};
		for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
			long r = syscall(numbers[i], 0, 0, 0, 0, 0, 0);
			if (r >= 0 || errno != ENOSYS)
				escaped("syscall(%ld): %ld, %s (expected ENOSYS)", numbers[i], r,
				        r >= 0 ? "success" : strerror(errno));
			escape_note("syscall(%ld): %s", numbers[i], strerror(errno));
		}
	} else {
		setup_failed("unknown call %s", call);
	}
	contained();
}
