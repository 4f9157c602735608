/* The seccomp-notify handler. */
#include "ferry/broker.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/fsuid.h>
#include <time.h>
#include <unistd.h>

#include "ferry/answer.h"
#include "ferry/config.h"
#include "ferry/fail.h"
#include "ferry/guestpath.h"
#include "ferry/fdpass.h"
#include "ferry/proto.h"
#include "ferry/report.h"

/* A call handed to the gofer without waiting (nothing records it): what the
 * supervisor needs if the gofer hands it back to finish (a FIFO, the guest's
 * terminal), found by the request's sequence number. The slots outnumber
 * the requests the gofer's socket can hold (its send buffer is bounded in
 * ferry_broker_init), so none is reused while its request is queued. */
struct handed_call {
	uint32_t seq;
	uint64_t id; /* 0: finished */
	pid_t tid;
	uint64_t flags;
	uid_t fsuid;
	gid_t fsgid;
};
#define HANDED_SLOTS 1024
#define GOFER_SNDBUF (64 * 1024)

/* Buffers for one call at a time, allocated once. */
struct ferry_broker_scratch {
	struct handed_call handed[HANDED_SLOTS];
	struct ferry_reply handed_rep;
	unsigned char handed_wire[FERRY_PROTO_MAX_REPLY];
	struct ferry_call call;
	struct ferry_request req;
	struct ferry_reply rep;
	char resolved[PATH_MAX];
	struct ferry_pidfd_cache pidfds;
	unsigned char wire[FERRY_PROTO_MAX_REQUEST > FERRY_PROTO_MAX_REPLY ? FERRY_PROTO_MAX_REQUEST
	                                                                   : FERRY_PROTO_MAX_REPLY];
};

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* An open that may wait (a FIFO for its other end), run by a thread of its
 * own. The broker keeps them in a list: when the caller is gone, the thread
 * is interrupted (CANCEL_SIGNAL, no SA_RESTART) so it does not wait forever
 * with an fd open. */
struct deferred_open {
	int listener;
	uint64_t id;
	int fd; /* ours, to reopen */
	int flags;
	bool cloexec;
	bool act_as;
	uid_t fsuid;
	gid_t fsgid;
	pthread_t thread;
	atomic_bool done;
	struct deferred_open *next;
};

#define CANCEL_SIGNAL (SIGRTMIN + 1)

static void interrupt_open(int sig)
{
	(void)sig; /* only to make the blocked open() return EINTR */
}

/* The outcome of one call, for the answer and the log. */
struct outcome {
	int result; /* fd or 0, or -errno */
	bool allow;
	size_t rule;
	const char *resolved, *resolved2;
};

static int ask_gofer(struct ferry_broker *b, const struct ferry_request *req, int send_fd,
                     struct ferry_reply *rep, int *fd);
static void gofer_lost(struct ferry_broker *b);

static int64_t now_us(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool ferry_broker_names_needed(const struct ferry_policy *policy, bool log, bool report,
                               int verbosity)
{
	return policy->n_deny > 0 || log || report || verbosity >= 2;
}

bool ferry_broker_gofer_receives(bool act_as, bool names_needed)
{
	return !act_as && !names_needed;
}

int ferry_broker_init(struct ferry_broker *b, const struct ferry_broker_setup *setup, char *err,
                      size_t errlen)
{
	memset(b, 0, sizeof(*b));
	int listener = setup->listener, gofer = setup->gofer;
	b->listener = listener;
	b->gofer = gofer;
	b->policy = setup->policy;
	b->act_as = setup->act_as;
	b->verbosity = setup->verbosity;
	b->log_fd = setup->log_fd;
	b->keep_files = setup->keep_files;
	b->names_needed =
	    ferry_broker_names_needed(b->policy, b->log_fd >= 0, b->keep_files, b->verbosity);
	b->direct = ferry_broker_gofer_receives(b->act_as, b->names_needed);
	b->pidns_dev = setup->pidns_dev;
	b->pidns_ino = setup->pidns_ino;
	b->forward_pidfd = -1;
	if (b->direct) {
		/* Forwarded calls are checked through thread pidfds (Linux 6.9). */
		int self = (int)syscall(SYS_pidfd_open, getpid(), FERRY_PIDFD_THREAD);
		if (self < 0)
			b->direct = false;
		else
			close(self);
	}
	ferry_syscalls_lookup(&b->nr);
	ferry_json_init(&b->json);
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return ferry_set_err(err, errlen, "seccomp(SECCOMP_GET_NOTIF_SIZES): %s",
		                     strerror(errno));
	b->notif_size =
	    sizes.seccomp_notif > sizeof(*b->notif) ? sizes.seccomp_notif : sizeof(*b->notif);
	/* Deferred opens are interrupted with CANCEL_SIGNAL; the threads
	 * unblock it, the main thread keeps it blocked. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = interrupt_open;
	sigemptyset(&sa.sa_mask);
	sigset_t cancel;
	sigemptyset(&cancel);
	sigaddset(&cancel, CANCEL_SIGNAL);
	if (sigaction(CANCEL_SIGNAL, &sa, NULL) < 0 ||
	    pthread_sigmask(SIG_BLOCK, &cancel, NULL) != 0)
		return ferry_set_err(err, errlen, "sigaction: %s", strerror(errno));
	/* Our controlling terminal, if any, to tell whether a guest shares it. */
	b->own_tty = ferry_tty_of("/proc/self/stat");
	b->notif = calloc(1, b->notif_size);
	b->scratch = calloc(1, sizeof(*b->scratch));
	if (!b->notif || !b->scratch)
		return ferry_set_err(err, errlen, "out of memory");
	ferry_pidfd_cache_init(&b->scratch->pidfds);
	/* Linux 6.6: a trapped call wakes its answerer on the caller's CPU,
	 * not an idle one, which costs tens of microseconds on a VM. Older
	 * kernels refuse the flag and run as before. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	          (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0 &&
	    errno != EINVAL && errno != ENOTTY)
		return ferry_set_err(err, errlen, "SECCOMP_IOCTL_NOTIF_SET_FLAGS: %s",
		                     strerror(errno));
	int sndbuf = GOFER_SNDBUF;
	if (setsockopt(gofer, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0)
		return ferry_set_err(err, errlen, "setsockopt(SO_SNDBUF): %s", strerror(errno));
	/* The gofer answers the guest itself from now on: one hop less per
	 * call, and no fd sent back to be installed and closed here. */
	struct ferry_request *req = &b->scratch->req;
	memset(req, 0, sizeof(*req));
	req->op = FERRY_OP_LISTENER;
	req->seq = ++b->seq;
	req->flags = b->direct ? FERRY_LISTENER_RECEIVE : 0;
	int fd;
	if (ask_gofer(b, req, listener, &b->scratch->rep, &fd) < 0 || b->scratch->rep.error) {
		if (fd >= 0)
			close(fd);
		return ferry_set_err(err, errlen, "handing the listener to the gofer: %s",
		                     strerror(b->gofer_lost ? EPIPE : b->scratch->rep.error));
	}
	return 0;
}

void ferry_broker_free(struct ferry_broker *b)
{
	/* The sandbox is gone: every deferred open is interrupted and joined. */
	while (b->deferred) {
		for (struct deferred_open *d = b->deferred; d; d = d->next)
			if (!atomic_load(&d->done))
				pthread_kill(d->thread, CANCEL_SIGNAL);
		struct timespec ts = {0, 1000 * 1000};
		nanosleep(&ts, NULL);
		ferry_broker_tend_deferred(b);
	}
	free(b->notif);
	free(b->forwarded);
	if (b->scratch)
		ferry_pidfd_cache_free(&b->scratch->pidfds);
	free(b->scratch);
	ferry_path_set_free(&b->read);
	ferry_path_set_free(&b->written);
	ferry_path_set_free(&b->refused);
	ferry_json_free(&b->json);
}

/* ---- answering the guest ---- */

/* Hands fd to the guest as the call's result; consumes fd. */
static int install(struct ferry_broker *b, uint64_t id, int fd, uint64_t flags, bool *answered)
{
	int r = ferry_answer_fd(b->listener, id, fd, flags & O_CLOEXEC);
	close(fd);
	*answered = true;
	return r;
}

/* ---- reopening the guest's own fds ---- */

/* Opens our fd again, as the guest's filesystem identity when act_as (a root
 * sandbox, whose guest may have changed it). setfsuid is per thread. */
static int reopen(int fd, int flags, bool act_as, uid_t fsuid, gid_t fsgid)
{
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	bool switch_ids = act_as && (fsuid != 0 || fsgid != 0);
	if (switch_ids) {
		setfsgid(fsgid);
		setfsuid(fsuid);
	}
	int r = open(self, flags | O_CLOEXEC);
	int e = errno;
	if (switch_ids) {
		setfsuid(0);
		setfsgid(0);
	}
	return r < 0 ? -e : r;
}

static void *deferred_open_main(void *arg)
{
	struct deferred_open *d = arg;
	sigset_t cancel;
	sigemptyset(&cancel);
	sigaddset(&cancel, CANCEL_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &cancel, NULL);
	int fd = reopen(d->fd, d->flags, d->act_as, d->fsuid, d->fsgid);
	close(d->fd);
	if (fd < 0) {
		ferry_answer_error(d->listener, d->id, -fd);
	} else {
		ferry_answer_fd(d->listener, d->id, fd, d->cloexec);
		close(fd);
	}
	atomic_store(&d->done, true);
	return NULL;
}

size_t ferry_broker_deferred(const struct ferry_broker *b)
{
	size_t n = 0;
	for (const struct deferred_open *d = b->deferred; d; d = d->next)
		n++;
	return n;
}

void ferry_broker_tend_deferred(struct ferry_broker *b)
{
	for (struct deferred_open **p = &b->deferred; *p;) {
		struct deferred_open *d = *p;
		if (atomic_load(&d->done)) {
			pthread_join(d->thread, NULL);
			*p = d->next;
			free(d);
			continue;
		}
		/* Its caller died or was interrupted: stop waiting for it. */
		if (ioctl(b->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &d->id) < 0)
			pthread_kill(d->thread, CANCEL_SIGNAL);
		p = &d->next;
	}
}

/* Opens fd (ours) as the guest asked, in a thread of its own when that can
 * wait for a FIFO's other end. Returns the new fd, or 0 when a thread will
 * answer, or -errno. */
static int open_or_defer(struct ferry_broker *b, uint64_t id, int fd, uint64_t flags,
                         const struct ferry_guest_status *guest)
{
	int oflags = (int)(flags & ~(uint64_t)(O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC));
	if (flags & O_PATH) /* ADDFD installs no O_PATH file: see the gofer's do_open */
		oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | (int)(flags & O_DIRECTORY);
	struct stat st;
	struct statfs sfs;
	bool named_fifo = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fstatfs(fd, &sfs) == 0 &&
	                  sfs.f_type != PIPEFS_MAGIC;
	if (!named_fifo || (flags & (O_NONBLOCK | O_PATH))) {
		int r = reopen(fd, oflags, b->act_as, guest->fsuid, guest->fsgid);
		close(fd);
		return r;
	}
	struct deferred_open *d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	d->listener = b->listener;
	d->id = id;
	d->fd = fd;
	d->flags = oflags;
	d->cloexec = flags & O_CLOEXEC;
	d->act_as = b->act_as;
	d->fsuid = guest->fsuid;
	d->fsgid = guest->fsgid;
	atomic_init(&d->done, false);
	int r = pthread_create(&d->thread, NULL, deferred_open_main, d);
	if (r != 0) {
		close(fd);
		free(d);
		return -r;
	}
	d->next = b->deferred;
	b->deferred = d;
	return 0;
}

/* open("/proc/self/fd/N"): a new open of what the guest's fd N refers to. */
static int open_guest_fd(struct ferry_broker *b, uint64_t id, pid_t tid,
                         const struct ferry_guest_status *st, int n, const struct ferry_call *c,
                         char *resolved, struct outcome *out)
{
	char what[32];
	snprintf(what, sizeof(what), "fd/%d", n);
	int r = ferry_guest_readlink(tid, what, resolved, PATH_MAX);
	if (r < 0)
		return r == -ENOENT ? -ENOENT : r;
	out->resolved = resolved;
	if (resolved[0] == '/') {
		/* Decide on the name it had: an unlinked file keeps its rules. */
		char name[PATH_MAX];
		snprintf(name, sizeof(name), "%.*s", (int)ferry_path_undeleted_len(resolved),
		         resolved);
		struct ferry_decision dec = ferry_policy_decide(b->policy, name);
		out->allow = dec.allow;
		out->rule = dec.rule;
		if (!dec.allow)
			return -EACCES;
	}
	/* As the kernel answers for a magic link. */
	if ((c->flags & O_NOFOLLOW) && !(c->flags & O_PATH))
		return -ELOOP;
	if (c->resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS))
		return -ELOOP;
	int fd;
	if ((r = ferry_guest_fd(st->host_tgid, 0, n, &fd)) < 0)
		return r;
	/* procfs files check the opener's right to the process they describe,
	 * and the supervisor has more rights than any guest: never reopen one. */
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type == PROC_SUPER_MAGIC) {
		close(fd);
		return -EACCES;
	}
	return open_or_defer(b, id, fd, c->flags, st);
}

/* open("/dev/tty"): the guest's controlling terminal. Ours when it shares
 * it, a pty of the sandbox's own when it made one (script, ssh), opened in
 * pts_dir (the sandbox's /dev/pts, from the gofer; -1 if none), else none. */
static int open_guest_tty(struct ferry_broker *b, pid_t tid, uint64_t flags, int pts_dir)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	int tty = ferry_tty_of(path);
	if (tty < 0)
		return tty;
	if (tty == 0)
		return -ENXIO;
	if (tty == b->own_tty) {
		int fd = open("/dev/tty", (int)(flags & (O_ACCMODE | O_NONBLOCK | O_APPEND)) |
		                              O_NOCTTY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	unsigned maj = major((dev_t)tty), min = minor((dev_t)tty);
	if (maj < 136 || maj > 143 || pts_dir < 0)
		return -ENXIO;
	char name[16];
	snprintf(name, sizeof(name), "%u", (maj - 136) * 256 + min);
	struct open_how how = {
	    .flags = (flags & (O_ACCMODE | O_NONBLOCK | O_APPEND)) | O_NOCTTY | O_CLOEXEC,
	    .resolve =
	        RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, pts_dir, name, &how, sizeof(how));
	if (fd < 0)
		return errno == ENOENT ? -ENXIO : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != (dev_t)tty) {
		close(fd);
		return -ENXIO;
	}
	return fd;
}

/* ---- the gofer ---- */

/* Sends req (with send_fd attached when >= 0) and waits for the reply. */
static int ask_gofer(struct ferry_broker *b, const struct ferry_request *req, int send_fd,
                     struct ferry_reply *rep, int *fd)
{
	unsigned char *buf = b->scratch->wire;
	const size_t buflen = sizeof(b->scratch->wire);
	*fd = -1;
	if (b->gofer_lost)
		return -EIO;
	ptrdiff_t len = ferry_proto_encode_request(req, buf, buflen);
	if (len < 0)
		return -ENAMETOOLONG;
	if (ferry_send_fd(b->gofer, buf, (size_t)len, send_fd) < 0)
		goto lost;
	ssize_t n = ferry_recv_fd(b->gofer, buf, buflen, fd);
	if (n <= 0 || ferry_proto_decode_reply(rep, buf, (size_t)n) < 0 || rep->seq != req->seq) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		goto lost;
	}
	return 0;
lost:
	gofer_lost(b); /* the supervisor ends the sandbox and says so */
	return -EIO;
}

bool ferry_broker_holds_cache(const struct ferry_broker *b)
{
	return b->scratch && b->scratch->pidfds.used > 0;
}

void ferry_broker_idle(struct ferry_broker *b)
{
	ferry_pidfd_cache_free(&b->scratch->pidfds);
}

/* The gofer is gone: calls handed to it may never be answered; answer them
 * EIO (the kernel says ENOENT for those answered already: ids are unique). */
static void gofer_lost(struct ferry_broker *b)
{
	b->gofer_lost = true;
	for (size_t i = 0; i < HANDED_SLOTS; i++) {
		struct handed_call *h = &b->scratch->handed[i];
		if (h->id)
			ferry_answer_error(b->listener, h->id, EIO);
		h->id = 0;
	}
}

/* Sends req without waiting for the answer. While the gofer's queue is
 * full, finishes what it hands back, so neither ever waits on the other. */
static int hand_to_gofer(struct ferry_broker *b, const struct ferry_request *req, int send_fd)
{
	unsigned char *buf = b->scratch->wire;
	ptrdiff_t len = ferry_proto_encode_request(req, buf, sizeof(b->scratch->wire));
	if (len < 0)
		return -ENAMETOOLONG;
	for (;;) {
		int r = ferry_send_fd_flags(b->gofer, buf, (size_t)len, send_fd, MSG_DONTWAIT);
		if (r == 0)
			return 0;
		if (r != -EAGAIN)
			break;
		struct pollfd p = {b->gofer, POLLIN | POLLOUT, 0};
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if ((p.revents & POLLIN) && ferry_broker_finish(b) < 0)
			return -EIO;
		if (!(p.revents & (POLLIN | POLLOUT)) && (p.revents & (POLLHUP | POLLERR)))
			break;
	}
	gofer_lost(b);
	return -EIO;
}

/* Queues a forwarded call, to be run from the loop (ferry_broker_run_forwarded). */
static int queue_forward(struct ferry_broker *b, const void *msg, size_t len)
{
	struct ferry_forward f;
	if (ferry_proto_decode_forward(&f, msg, len) < 0) {
		gofer_lost(b);
		return -1;
	}
	if (b->n_forwarded == b->forwarded_cap) {
		size_t cap = b->forwarded_cap ? 2 * b->forwarded_cap : 64;
		struct ferry_forward *grown = realloc(b->forwarded, cap * sizeof(*grown));
		if (!grown) {
			ferry_answer_error(b->listener, f.id, ENOMEM);
			return 0;
		}
		b->forwarded = grown;
		b->forwarded_cap = cap;
	}
	b->forwarded[b->n_forwarded++] = f;
	return 0;
}

int ferry_broker_finish(struct ferry_broker *b)
{
	struct ferry_broker_scratch *sc = b->scratch;
	struct ferry_reply *rep = &sc->handed_rep;
	int fd;
	ssize_t n = ferry_recv_fd(b->gofer, sc->handed_wire, sizeof(sc->handed_wire), &fd);
	if (n == -EINTR || n == -EAGAIN)
		return 0;
	if (n > 0 && b->direct && ferry_proto_is_forward(sc->handed_wire, (size_t)n)) {
		if (fd >= 0)
			close(fd);
		return queue_forward(b, sc->handed_wire, (size_t)n);
	}
	struct handed_call *h = NULL;
	if (n > 0 && ferry_proto_decode_reply(rep, sc->handed_wire, (size_t)n) == 0)
		h = &sc->handed[rep->seq % HANDED_SLOTS];
	if (!h || h->seq != rep->seq || !h->id) {
		if (fd >= 0)
			close(fd);
		gofer_lost(b);
		return -1;
	}
	uint64_t id = h->id;
	h->id = 0;
	int r;
	if (rep->kind == FERRY_REPLY_REOPEN && fd >= 0) {
		struct ferry_guest_status st = {.fsuid = h->fsuid, .fsgid = h->fsgid};
		r = open_or_defer(b, id, fd, h->flags, &st);
		fd = -1;
	} else if (rep->kind == FERRY_REPLY_TTY) {
		r = open_guest_tty(b, h->tid, h->flags, fd);
	} else {
		r = rep->error ? -rep->error : -EIO;
	}
	if (fd >= 0)
		close(fd);
	if (r > 0) {
		bool answered;
		install(b, id, r, h->flags, &answered);
	} else if (r < 0) {
		ferry_answer_error(b->listener, id, -r);
	}
	return 0;
}

/* ---- one call ---- */

static void log_call(struct ferry_broker *b, const struct ferry_call *c, pid_t pid,
                     const char *comm, const struct outcome *o, int64_t start_real,
                     int64_t start_mono)
{
	char rule[PATH_MAX + 16];
	ferry_policy_rule_text(b->policy, o->rule, rule, sizeof(rule));
	bool show = b->verbosity >= 2 || (b->verbosity >= 1 && !o->allow);
	if (show) {
		if (o->result >= 0 || o->result == -EACCES)
			ferry_msg("%s %s %s%s%s (%s)", o->allow ? "allowed" : "denied", c->name,
			          o->resolved ? o->resolved : c->raw,
			          c->op != FERRY_OP_OPEN ? " -> " : "",
			          c->op != FERRY_OP_OPEN ? (o->resolved2 ? o->resolved2 : c->raw2)
			                                 : "",
			          rule);
		else {
			char name[32];
			ferry_errno_text(-o->result, name, sizeof(name));
			ferry_msg("%s %s: %s", c->name, c->raw, name);
		}
	}
	if (b->log_fd < 0)
		return;
	struct ferry_log_record rec = {
	    .time_us = start_real,
	    .pid = pid,
	    .comm = comm,
	    .syscall = c->name,
	    .path = c->raw,
	    .resolved = o->resolved,
	    .path2 = c->op != FERRY_OP_OPEN ? c->raw2 : NULL,
	    .resolved2 = o->resolved2,
	    .flags = c->flags,
	    .is_open = c->op == FERRY_OP_OPEN,
	    .mode = (uint32_t)c->mode,
	    .allow = o->allow,
	    .rule = rule,
	    .result = o->result,
	    .latency_us = now_us(CLOCK_MONOTONIC) - start_mono,
	};
	ferry_log_format(&b->json, &rec);
	if (b->json.failed)
		return;
	if (write(b->log_fd, b->json.buf, b->json.len) != (ssize_t)b->json.len) {
		ferry_msg("--log: write: %s; logging stops", strerror(errno));
		b->log_fd = -1;
	}
}

/* Whether the call needs more of the caller than its filesystem ids: the
 * umask, or its pids to rewrite its names for itself. */
static bool needs_status(const struct ferry_call *c, const char *path, const char *path2)
{
	return (c->flags & O_CREAT) || (c->flags & __O_TMPFILE) || ferry_guest_names_self(path) ||
	       (path2 && ferry_guest_names_self(path2)) || strncmp(path, "/proc/", 6) == 0;
}

/* Runs the call; returns the result for the guest (fd, 0, or -errno) and
 * whether it has been answered already (ADDFD or a deferred thread). */
static int run_call(struct ferry_broker *b, const struct seccomp_notif *n, struct ferry_call *c,
                    struct ferry_request *req, struct ferry_reply *rep, struct outcome *o,
                    bool *answered)
{
	pid_t tid = n->pid;
	/* These resolve flags speak of the starting directory: keep it apart. */
	bool scoped = c->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_NO_XDEV);
	int r =
	    ferry_guest_make_absolute(tid, c->dirfd, c->raw, scoped, true, req->base, req->path);
	if (r == 0 && c->op != FERRY_OP_OPEN)
		r = ferry_guest_make_absolute(tid, c->dirfd2, c->raw2, false, true, req->base2,
		                              req->path2);
	if (r < 0)
		return r;
	if (c->op == FERRY_OP_OPEN)
		req->base2[0] = req->path2[0] = '\0';
	struct ferry_guest_status st = {0};
	bool have_status = needs_status(c, req->path, c->op != FERRY_OP_OPEN ? req->path2 : NULL);
	if (!have_status && b->act_as) {
		r = ferry_guest_fs_ids(&b->scratch->pidfds, tid, &st.fsuid, &st.fsgid);
		if (r == -ENOTSUP)
			have_status = true;
		else if (r < 0)
			return r;
	}
	if (have_status && (r = ferry_guest_status_read(tid, &st)) < 0)
		return r;
	int magic = -1, magic2 = -1;
	if (have_status && !scoped) {
		if ((r = ferry_guest_rewrite_self(tid, &st, req->path, &magic)) < 0)
			return r;
		if (c->op != FERRY_OP_OPEN &&
		    (r = ferry_guest_rewrite_self(tid, &st, req->path2, &magic2)) < 0)
			return r;
	}
	/* The call's answer may not depend on memory the guest can still change:
	 * everything read, check the caller is still the one that trapped. */
	if (ioctl(b->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0)
		return -ESRCH;
	if (b->forward_pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, b->forward_pidfd, 0, NULL, 0) < 0)
		return -ESRCH;
	if (c->op == FERRY_OP_OPEN && magic >= 0) {
		r = open_guest_fd(b, n->id, tid, &st, magic, c, b->scratch->resolved, o);
		return r > 0 ? install(b, n->id, r, c->flags, answered) : (*answered = r == 0, r);
	}
	int send_fd = -1; /* a guest fd the gofer links from */
	if (magic2 >= 0 || (magic >= 0 && c->op == FERRY_OP_RENAME))
		return -EXDEV; /* a /proc magic link is on another file system */
	if (magic >= 0) {
		/* linkat("/proc/self/fd/N", ..., AT_SYMLINK_FOLLOW): link the file
		 * the guest's fd N is open on, named or not (O_TMPFILE). */
		if (!(c->flags & AT_SYMLINK_FOLLOW))
			return -EXDEV;
		char what[32];
		snprintf(what, sizeof(what), "fd/%d", magic);
		if ((r = ferry_guest_readlink(tid, what, req->path, PATH_MAX)) < 0)
			return r == -ENOENT ? -ENOENT : r;
		if ((r = ferry_guest_fd(st.host_tgid, 0, magic, &send_fd)) < 0)
			return r;
		strcpy(req->base, "/");
	}
	bool names_needed = b->names_needed;
	req->op = c->op;
	req->seq = ++b->seq;
	req->id = n->id;
	req->flags = c->flags;
	req->resolve = c->resolve | (c->strict ? FERRY_RESOLVE_STRICT : 0) |
	               (send_fd >= 0 ? FERRY_RESOLVE_FROM_FD : 0) |
	               (names_needed ? 0 : FERRY_RESOLVE_UNRECORDED);
	req->mode = have_status ? (uint32_t)(c->mode & 07777 & ~(uint64_t)st.umask)
	                        : (uint32_t)(c->mode & 07777);
	req->act_as = b->act_as;
	req->fsuid = st.fsuid;
	req->fsgid = st.fsgid;
	if (!names_needed) {
		struct handed_call *h = &b->scratch->handed[req->seq % HANDED_SLOTS];
		*h = (struct handed_call){.seq = req->seq,
		                          .id = n->id,
		                          .tid = tid,
		                          .flags = c->flags,
		                          .fsuid = st.fsuid,
		                          .fsgid = st.fsgid};
		r = hand_to_gofer(b, req, send_fd);
		if (send_fd >= 0)
			close(send_fd);
		if (r < 0) {
			h->id = 0;
			return r;
		}
		*answered = true; /* by the gofer, or by ferry_broker_finish */
		return 0;
	}
	int fd;
	r = ask_gofer(b, req, send_fd, rep, &fd);
	if (send_fd >= 0)
		close(send_fd);
	if (r < 0)
		return r;
	o->allow = rep->allow;
	o->rule = rep->rule;
	o->resolved = rep->resolved[0] ? rep->resolved : NULL;
	o->resolved2 = rep->resolved2[0] ? rep->resolved2 : NULL;
	if (rep->kind == FERRY_REPLY_TTY) {
		r = open_guest_tty(b, tid, c->flags, fd);
		if (fd >= 0)
			close(fd);
		return r > 0 ? install(b, n->id, r, c->flags, answered) : r;
	}
	if (rep->kind == FERRY_REPLY_ANSWERED) {
		*answered = true;
		return rep->error ? -rep->error : rep->value;
	}
	if (rep->error)
		return -rep->error;
	if (c->op != FERRY_OP_OPEN)
		return 0;
	if (fd < 0)
		return -EIO;
	if (rep->kind == FERRY_REPLY_REOPEN) {
		r = open_or_defer(b, n->id, fd, c->flags, &st);
		*answered = r == 0;
		if (r <= 0)
			return r;
		fd = r;
	}
	return install(b, n->id, fd, c->flags, answered);
}

/* Counts the call and, for --report, remembers the files it touched. */
static void count_call(struct ferry_broker *b, const struct ferry_call *c, const struct outcome *o)
{
	b->brokered++;
	if (!o->allow) {
		b->denied++;
		if (b->keep_files)
			ferry_path_set_add(&b->refused, o->resolved ? o->resolved : c->raw,
			                   o->rule);
		return;
	}
	if (o->result < 0) {
		b->failed++;
		return;
	}
	b->allowed++;
	if (!b->keep_files)
		return;
	bool writes = c->op != FERRY_OP_OPEN || (c->flags & O_ACCMODE) != O_RDONLY ||
	              (c->flags & (O_CREAT | O_TRUNC | __O_TMPFILE));
	if (c->op == FERRY_OP_OPEN && !o->resolved)
		return;
	if (c->op != FERRY_OP_LINK && o->resolved)
		ferry_path_set_add(writes ? &b->written : &b->read, o->resolved, o->rule);
	if (c->op != FERRY_OP_OPEN && o->resolved2)
		ferry_path_set_add(&b->written, o->resolved2, o->rule);
}

/* Answers notification n, taken from the listener or forwarded. */
static void handle_notification(struct ferry_broker *b, const struct seccomp_notif *n)
{
	struct ferry_broker_scratch *sc = b->scratch;
	struct ferry_call *c = &sc->call;
	int64_t start_real = now_us(CLOCK_REALTIME), start_mono = now_us(CLOCK_MONOTONIC);
	struct outcome o = {.result = 0, .allow = true, .rule = FERRY_NO_RULE};
	bool answered = false;
	char comm[32] = "";
	if (b->log_fd >= 0)
		ferry_guest_comm(n->pid, comm, sizeof(comm));
	int r = ferry_call_decode(&b->nr, n->pid, n->data.nr, (const uint64_t *)n->data.args, c);
	if (r == 0)
		r = run_call(b, n, c, &sc->req, &sc->rep, &o, &answered);
	o.result = r;
	if (!answered) {
		if (r < 0)
			ferry_answer_error(b->listener, n->id, -r);
		else
			ferry_answer_value(b->listener, n->id, r);
	}
	if (r != -ESRCH)
		count_call(b, c, &o);
	if (r != -ESRCH)
		log_call(b, c, n->pid, comm, &o, start_real, start_mono);
}

int ferry_broker_handle(struct ferry_broker *b)
{
	struct seccomp_notif *n = b->notif;
	memset(n, 0, b->notif_size);
	if (ioctl(b->listener, SECCOMP_IOCTL_NOTIF_RECV, n) < 0)
		return errno == EINTR || errno == ENOENT ? 0 : -1;
	handle_notification(b, n);
	return 0;
}

/* A call the gofer forwarded. Its pid is the gofer's word: the call is run
 * only for a thread of the sandbox, held by a pidfd from before its memory
 * is read until after (run_call checks it is still alive), so the pid
 * cannot have passed to another process meanwhile. */
static void run_forward(struct ferry_broker *b, const struct ferry_forward *f)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)f->pid, FERRY_PIDFD_THREAD);
	if (pidfd < 0)
		return; /* gone */
	char ns[64];
	struct stat st;
	snprintf(ns, sizeof(ns), "/proc/%u/ns/pid", f->pid);
	if (stat(ns, &st) < 0 || st.st_dev != b->pidns_dev || st.st_ino != b->pidns_ino) {
		close(pidfd); /* not the sandbox's: its caller is gone */
		return;
	}
	struct seccomp_notif *n = b->notif;
	memset(n, 0, b->notif_size);
	n->id = f->id;
	n->pid = f->pid;
	n->data.nr = f->nr;
	n->data.arch = f->arch;
	n->data.instruction_pointer = f->ip;
	memcpy(n->data.args, f->args, sizeof(n->data.args));
	b->forward_pidfd = pidfd;
	handle_notification(b, n);
	b->forward_pidfd = -1;
	close(pidfd);
}

void ferry_broker_run_forwarded(struct ferry_broker *b)
{
	/* Running one may read more (while waiting to send): they queue up
	 * behind it. */
	for (size_t i = 0; i < b->n_forwarded; i++) {
		struct ferry_forward f = b->forwarded[i];
		run_forward(b, &f);
	}
	b->n_forwarded = 0;
}
