/* The gofer: resolves each requested path inside its jail, decides it with
 * the policy on what it actually resolved, and acts. */
#include "ferry/gofer.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry/answer.h"
#include "ferry/config.h"
#include "ferry/fdpass.h"
#include "ferry/guestcall.h"
#include "ferry/guestpath.h"
#include "ferry/proto.h"

#define MAX_SYMLINK_HOPS 40

#ifndef NS_GET_PID_IN_PIDNS /* Linux 6.7 */
#define NS_GET_PID_IN_PIDNS _IOR(0xb7, 0x8, int)
#endif

/* A resolved path: the directory that holds it (an O_PATH fd), its last
 * component ("." when the path names that directory itself), what is there,
 * and the path inside the sandbox. */
struct resolved {
	int dirfd;
	char name[NAME_MAX + 1];
	bool exists;
	bool must_be_dir; /* trailing slash */
	struct stat st;
	char path[PATH_MAX];
};

static long sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode,
                        uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* The guest's RESOLVE_* flags as the gofer applies them: magic links always
 * refused; RESOLVE_CACHED dropped (the gofer's cache is not the guest's). */
static uint64_t jail_resolve(uint64_t resolve)
{
	resolve &= ~(FERRY_RESOLVE_STRICT | FERRY_RESOLVE_FROM_FD | FERRY_RESOLVE_UNRECORDED |
	             (uint64_t)RESOLVE_CACHED);
	return resolve | RESOLVE_NO_MAGICLINKS;
}

/* Splits path into its directory part (in dir) and last component. */
static int split(const char *path, char *dir, char *name, bool *must_be_dir)
{
	size_t n = strlen(path);
	if (n == 0)
		return -ENOENT;
	*must_be_dir = false;
	while (n > 1 && path[n - 1] == '/') {
		n--;
		*must_be_dir = true;
	}
	if (n == 1 && path[0] == '/') {
		strcpy(dir, "/");
		strcpy(name, ".");
		return 0;
	}
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (n - start > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, path + start, n - start);
	name[n - start] = '\0';
	if (start == 0) {
		strcpy(dir, ".");
	} else {
		size_t dl = start;
		while (dl > 1 && path[dl - 1] == '/')
			dl--;
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	return 0;
}

static void release(struct resolved *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
}

/* The directory a path starts from: base (absolute, inside the jail) when
 * the path is relative, or scoped to it by openat2's RESOLVE_BENEATH or
 * RESOLVE_IN_ROOT; else the jail's root (AT_FDCWD). Returns 0 with *dirfd,
 * to be closed when >= 0, or -errno. */
static int open_start(const char *base, const char *path, uint64_t resolve, int *dirfd)
{
	*dirfd = AT_FDCWD;
	if (path[0] == '/' && !(resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)))
		return 0;
	*dirfd = (int)sys_openat2(AT_FDCWD, base[0] ? base : "/", O_PATH | O_DIRECTORY | O_CLOEXEC,
	                          0, RESOLVE_NO_MAGICLINKS);
	return *dirfd < 0 ? -errno : 0;
}

/* Resolves base + path inside the jail. resolve carries the guest's openat2
 * RESOLVE_* flags; magic links are always refused. follow: follow a symlink
 * in the last component. A followed link's target is joined to the text of
 * the directory it sits in, so RESOLVE_BENEATH and RESOLVE_IN_ROOT keep
 * applying to the guest's base, as they would natively. */
static int resolve_path(const char *base, const char *path, uint64_t resolve, bool follow,
                        struct resolved *out)
{
	char cur[PATH_MAX], dir[PATH_MAX], target[PATH_MAX];
	out->dirfd = -1;
	resolve = jail_resolve(resolve);
	int rootfd;
	int err = open_start(base, path, resolve, &rootfd);
	if (err < 0)
		return err;
	int basefd = rootfd;
	snprintf(cur, sizeof(cur), "%s", path);
	for (int hops = 0;; hops++) {
		err = split(cur, dir, out->name, &out->must_be_dir);
		if (err < 0)
			break;
		int dfd =
		    (int)sys_openat2(basefd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, resolve);
		if (dfd < 0) {
			err = -errno;
			break;
		}
		if (strcmp(out->name, ".") == 0 || strcmp(out->name, "..") == 0) {
			int sub = (int)sys_openat2(dfd, out->name, O_PATH | O_DIRECTORY | O_CLOEXEC,
			                           0, resolve);
			err = -errno;
			close(dfd);
			if (sub < 0)
				break;
			err = 0;
			dfd = sub;
			strcpy(out->name, ".");
		}
		out->exists =
		    fstatat(dfd, out->name, &out->st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) == 0;
		if (!out->exists && errno != ENOENT) {
			err = -errno;
			close(dfd);
			break;
		}
		if (!out->exists || !S_ISLNK(out->st.st_mode) || (!follow && !out->must_be_dir)) {
			out->dirfd = dfd;
			break;
		}
		/* A symlink in the last component: follow it here, so the
		 * policy decides on its target. */
		ssize_t n = readlinkat(dfd, out->name, target, sizeof(target) - 2);
		err = n < 0 ? -errno : 0;
		close(dfd);
		if (err == 0 && (resolve & RESOLVE_NO_SYMLINKS))
			err = -ELOOP;
		if (err == 0 && hops >= MAX_SYMLINK_HOPS)
			err = -ELOOP;
		if (err == 0 && target[0] == '/' && (resolve & RESOLVE_BENEATH))
			err = -EXDEV;
		if (err < 0)
			break;
		target[n] = '\0';
		if (out->must_be_dir)
			strcat(target, "/");
		int len;
		if (target[0] == '/') {
			if (!(resolve & RESOLVE_IN_ROOT))
				basefd = AT_FDCWD;
			len = snprintf(cur, sizeof(cur), "%s", target);
		} else {
			len = snprintf(cur, sizeof(cur), "%s/%s", dir, target);
		}
		if (len >= (int)sizeof(cur)) {
			err = -ENAMETOOLONG;
			break;
		}
	}
	if (rootfd >= 0)
		close(rootfd);
	if (err < 0) {
		release(out);
		return err;
	}
	/* The path inside the jail, as the kernel sees it. */
	if (fchdir(out->dirfd) < 0 || !getcwd(dir, sizeof(dir)) || dir[0] != '/') {
		release(out);
		return -EACCES;
	}
	if (strcmp(out->name, ".") == 0)
		snprintf(out->path, sizeof(out->path), "%s", dir);
	else if (snprintf(out->path, sizeof(out->path), "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
	                  out->name) >= (int)sizeof(out->path)) {
		release(out);
		return -ENAMETOOLONG;
	}
	return 0;
}

static void set_decision(struct ferry_reply *rep, struct ferry_decision d)
{
	rep->allow = d.allow;
	rep->rule = d.rule;
}

/* Flags whose meaning survives F_SETFL, to undo the O_NONBLOCK added below. */
#define SETFL_MASK (O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME)

/* Clears the O_NONBLOCK fd was opened with (so the gofer never waits),
 * keeping the guest's flags that F_SETFL sets. Returns fd, or -1 with
 * rep->error and fd closed. */
static int restore_blocking(int fd, uint64_t flags, struct ferry_reply *rep)
{
	if (fcntl(fd, F_SETFL, (int)(flags & SETFL_MASK)) == 0)
		return fd;
	rep->error = errno;
	close(fd);
	return -1;
}

/* The flags open(2) knows: openat2(2) refuses any other bit, open ignores it. */
#define KNOWN_OPEN_FLAGS                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |     \
	 O_SYNC | O_PATH | __O_TMPFILE)

/* Whether an open may skip resolving its path step by step: nothing needs
 * the path (no deny rule to match, nothing records it), and the kernel's
 * openat2 means what the guest's call means. */
static bool quick_open_fits(const struct ferry_policy *policy, const struct ferry_request *req)
{
	uint64_t flags = req->flags;
	bool strict = req->resolve & FERRY_RESOLVE_STRICT;
	/* The FIFO check before a blocking open resolves the path as stat
	 * does, which is what openat2 does only without these flags. */
	bool scoped = req->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	return (req->resolve & FERRY_RESOLVE_UNRECORDED) && policy->n_deny == 0 &&
	       !(flags & O_PATH) && (flags & O_ACCMODE) != O_ACCMODE &&
	       (strict || !(flags & ~(uint64_t)KNOWN_OPEN_FLAGS)) &&
	       !(scoped && !(flags & O_NONBLOCK));
}

#define TAKE_CAREFUL_PATH (-2)

/* The open in one openat2 call, the kernel resolving the path inside the
 * jail. Returns the fd, -1 with rep->error, or TAKE_CAREFUL_PATH for what
 * only do_open handles: a FIFO whose open would wait (even opened
 * non-blocking, it would let a waiting writer or reader through before the
 * guest's own open is there), /dev/tty (ENXIO here). */
static int quick_open(const struct ferry_request *req, struct ferry_reply *rep)
{
	uint64_t flags = req->flags;
	int basefd;
	int err = open_start(req->base, req->path, req->resolve, &basefd);
	if (err < 0) {
		rep->error = -err;
		return -1;
	}
	bool blocking = !(flags & O_NONBLOCK);
	struct stat st;
	if (blocking && fstatat(basefd, req->path, &st, 0) == 0 && S_ISFIFO(st.st_mode)) {
		if (basefd >= 0)
			close(basefd);
		return TAKE_CAREFUL_PATH;
	}
	uint64_t oflags = flags | O_CLOEXEC | O_NONBLOCK; /* never wait here */
	int fd = (int)sys_openat2(basefd, req->path, oflags,
	                          (oflags & (O_CREAT | __O_TMPFILE)) ? req->mode : 0,
	                          jail_resolve(req->resolve));
	int e = errno;
	if (basefd >= 0)
		close(basefd);
	if (fd < 0) {
		if (e == ENXIO)
			return TAKE_CAREFUL_PATH;
		rep->error = e;
		return -1;
	}
	if (!blocking)
		return fd;
	if (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode)) {
		/* A FIFO put there since the check: the careful way after all. */
		close(fd);
		return TAKE_CAREFUL_PATH;
	}
	return restore_blocking(fd, flags, rep);
}

static int do_open(const struct ferry_policy *policy, const struct ferry_request *req,
                   struct ferry_reply *rep)
{
	if (quick_open_fits(policy, req)) {
		int fd = quick_open(req, rep);
		if (fd != TAKE_CAREFUL_PATH)
			return fd;
	}
	uint64_t flags = req->flags;
	bool strict = req->resolve & FERRY_RESOLVE_STRICT;
	uint64_t resolve = jail_resolve(req->resolve);
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	struct resolved r;
	int err = resolve_path(req->base, req->path, resolve, follow, &r);
	if (err < 0) {
		rep->error = -err;
		return -1;
	}
	snprintf(rep->resolved, sizeof(rep->resolved), "%s", r.path);
	struct ferry_decision d = ferry_policy_decide(policy, r.path);
	set_decision(rep, d);
	if (!d.allow) {
		release(&r);
		rep->error = EACCES;
		return -1;
	}
	/* A trailing slash asks for a directory, as the kernel reads it. */
	if ((r.must_be_dir && (flags & O_CREAT)) ||
	    (r.must_be_dir && r.exists && !S_ISDIR(r.st.st_mode))) {
		release(&r);
		rep->error = (flags & O_CREAT) ? EISDIR : ENOTDIR;
		return -1;
	}
	if (r.exists && S_ISCHR(r.st.st_mode) && strcmp(r.path, "/dev/tty") == 0) {
		/* The guest's controlling terminal, which only the supervisor
		 * can tell (the gofer has none): it gets the sandbox's pts
		 * directory, in case the terminal is one of the sandbox's. */
		release(&r);
		rep->kind = FERRY_REPLY_TTY;
		int pts = (int)sys_openat2(AT_FDCWD, "/dev/pts", O_PATH | O_DIRECTORY | O_CLOEXEC,
		                           0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		return pts >= 0 ? pts : -1;
	}
	bool blocking = !(flags & (O_NONBLOCK | O_PATH));
	uint64_t oflags = flags | O_CLOEXEC | O_NOFOLLOW;
	if (r.must_be_dir)
		oflags |= O_DIRECTORY;
	if (flags & O_PATH) {
		/* The kernel installs no O_PATH file in another process
		 * (SECCOMP_IOCTL_NOTIF_ADDFD takes fget()), so an O_PATH open
		 * gets a read-only fd to the same object: usable as a dirfd,
		 * for fstat and for /proc/self/fd/N, but it needs read
		 * permission, and a symlink itself cannot be opened. */
		if (r.exists && S_ISLNK(r.st.st_mode)) {
			/* What the common user, fchmodat(AT_SYMLINK_NOFOLLOW),
			 * answers for a symlink in the end. */
			release(&r);
			rep->error = EOPNOTSUPP;
			return -1;
		}
		oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW |
		         (flags & O_DIRECTORY) | (r.must_be_dir ? O_DIRECTORY : 0);
		strict = false;
	}
	if (blocking && r.exists && S_ISFIFO(r.st.st_mode)) {
		/* Opening a FIFO waits for its other end: hand back an O_PATH
		 * fd and let the supervisor wait for it, off its main loop. */
		oflags = O_PATH | O_CLOEXEC | O_NOFOLLOW;
		rep->kind = FERRY_REPLY_REOPEN;
		blocking = false;
	} else if (blocking) {
		/* Never wait here (a FIFO swapped in after the check). */
		oflags |= O_NONBLOCK;
	}
	long fd;
	if (strict)
		fd = sys_openat2(r.dirfd, r.name, oflags,
		                 (oflags & (O_CREAT | __O_TMPFILE)) ? req->mode : 0, 0);
	else
		fd = openat(r.dirfd, r.name, (int)oflags, (mode_t)req->mode);
	int e = errno;
	release(&r);
	if (fd < 0) {
		rep->error = e;
		return -1;
	}
	return blocking ? restore_blocking((int)fd, flags, rep) : (int)fd;
}

/* linkat(fd, "", ..., AT_EMPTY_PATH): gives a name to the guest's file. */
static int do_link_fd(const struct ferry_policy *policy, const struct ferry_request *req, int fd,
                      struct ferry_reply *rep)
{
	struct resolved to;
	int err = resolve_path(req->base2, req->path2, 0, false, &to);
	if (err < 0) {
		rep->error = -err;
		return -1;
	}
	snprintf(rep->resolved2, sizeof(rep->resolved2), "%s", to.path);
	/* Decide on the name the file had, if any: an unlinked file keeps its
	 * rules. */
	char from[PATH_MAX];
	snprintf(from, sizeof(from), "%.*s", (int)ferry_path_undeleted_len(req->path), req->path);
	snprintf(rep->resolved, sizeof(rep->resolved), "%s", from);
	struct ferry_decision dec = from[0] == '/'
	                                ? ferry_policy_decide_move(policy, from, false, to.path)
	                                : ferry_policy_decide(policy, to.path);
	set_decision(rep, dec);
	if (to.must_be_dir)
		rep->error = ENOENT;
	else if (!dec.allow)
		rep->error = EACCES;
	else if (linkat(fd, "", to.dirfd, to.name, AT_EMPTY_PATH) < 0)
		rep->error = errno;
	release(&to);
	return -1;
}

static int do_move(const struct ferry_policy *policy, const struct ferry_request *req,
                   struct ferry_reply *rep)
{
	bool is_link = req->op == FERRY_OP_LINK;
	struct resolved from, to;
	bool follow = is_link && (req->flags & AT_SYMLINK_FOLLOW);
	int err = resolve_path(req->base, req->path, 0, follow, &from);
	if (err < 0) {
		rep->error = -err;
		return -1;
	}
	snprintf(rep->resolved, sizeof(rep->resolved), "%s", from.path);
	err = resolve_path(req->base2, req->path2, 0, false, &to);
	if (err < 0) {
		release(&from);
		rep->error = -err;
		return -1;
	}
	snprintf(rep->resolved2, sizeof(rep->resolved2), "%s", to.path);
	bool from_dir = from.exists && S_ISDIR(from.st.st_mode);
	/* A trailing slash asks for a directory, as the kernel reads it. */
	if ((from.exists && !from_dir && (from.must_be_dir || to.must_be_dir)) ||
	    (to.exists && to.must_be_dir && !S_ISDIR(to.st.st_mode))) {
		release(&from);
		release(&to);
		rep->error = is_link ? ENOENT : ENOTDIR;
		return -1;
	}
	struct ferry_decision d = ferry_policy_decide_move(policy, from.path, from_dir, to.path);
	if (d.allow && !is_link && (req->flags & RENAME_EXCHANGE))
		d = ferry_policy_decide_move(policy, to.path, to.exists && S_ISDIR(to.st.st_mode),
		                             from.path);
	set_decision(rep, d);
	int r;
	if (!d.allow) {
		r = -1;
		errno = EACCES;
	} else if (is_link) {
		r = linkat(from.dirfd, from.name, to.dirfd, to.name, 0);
	} else {
		r = renameat2(from.dirfd, from.name, to.dirfd, to.name, (unsigned)req->flags);
	}
	rep->error = r < 0 ? errno : 0;
	release(&from);
	release(&to);
	return -1;
}

int ferry_gofer_handle(const struct ferry_policy *policy, bool act_as,
                       const struct ferry_request *req, int req_fd, struct ferry_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->seq = req->seq;
	/* A path that does not resolve was not denied: no rule decided it. */
	rep->allow = true;
	rep->rule = FERRY_NO_RULE;
	/* A root sandbox: act as the guest's filesystem identity, which it may
	 * have changed (su, setpriv). Root stays root at no cost. */
	bool switch_ids = act_as && req->act_as && (req->fsuid != 0 || req->fsgid != 0);
	if (switch_ids) {
		setfsgid(req->fsgid);
		setfsuid(req->fsuid);
	}
	int fd;
	if (req->op == FERRY_OP_OPEN)
		fd = do_open(policy, req, rep);
	else if (req->op == FERRY_OP_LINK && (req->resolve & FERRY_RESOLVE_FROM_FD))
		fd = req_fd >= 0 ? do_link_fd(policy, req, req_fd, rep) : (rep->error = EPROTO, -1);
	else
		fd = do_move(policy, req, rep);
	if (switch_ids) {
		setfsuid(0);
		setfsgid(0);
	}
	return fd;
}

/* Answers the guest's trapped call: installs fd (ours, then closed) as its
 * result, atomically (ADDFD with SEND), or returns rep->error or 0. The
 * reply then only tells the supervisor how it went. */
static void answer_guest(int listener, const struct ferry_request *req, int fd,
                         struct ferry_reply *rep)
{
	rep->kind = FERRY_REPLY_ANSWERED;
	if (req->op == FERRY_OP_OPEN && fd < 0 && rep->error == 0)
		rep->error = EIO;
	if (fd >= 0) {
		int r = ferry_answer_fd(listener, req->id, fd, req->flags & O_CLOEXEC);
		close(fd);
		if (r >= 0)
			rep->value = r;
		else
			rep->error = -r;
	} else if (rep->error) {
		ferry_answer_error(listener, req->id, rep->error);
	} else {
		ferry_answer_value(listener, req->id, 0);
	}
}

int ferry_gofer_prepare(struct ferry_gofer_kernel *k, int pidns, const char **what)
{
	ferry_syscalls_lookup(&k->nr);
	struct seccomp_notif_sizes sizes;
	*what = "seccomp(SECCOMP_GET_NOTIF_SIZES)";
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	k->pidns = pidns;
	k->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif)
	                    ? sizes.seccomp_notif
	                    : sizeof(struct seccomp_notif);
	return 0;
}

/* The threads that take the guest's calls: at most this many. */
#define MAX_TAKERS 8

struct gofer;

/* A thread taking the guest's calls from the listener, with buffers of its
 * own. */
struct taker {
	struct gofer *g;
	struct seccomp_notif *notif;
	struct ferry_call *call;
	struct ferry_request *req;
	struct ferry_reply *rep;
	pthread_t thread;
};

struct gofer {
	int sock;
	int listener;   /* the guest's, once the supervisor hands it over */
	int go[2];      /* a pipe: the takers wait for the listener on it */
	int started[2]; /* a pipe: each taker says it has a cwd of its own */
	const struct ferry_policy *policy;
	bool act_as;
	const struct ferry_gofer_kernel *kernel;
	unsigned char *in, *out;
	struct ferry_request *req;
	struct ferry_reply *rep;
	struct taker takers[MAX_TAKERS];
	size_t n_takers;
};

/* Hands a call to the supervisor unanswered. The supervisor reads its
 * socket whenever it waits, so this send cannot wait on it for long.
 * Returns 0, or -1 when the supervisor is gone. */
static int forward_call(struct gofer *g, const struct seccomp_notif *n)
{
	struct ferry_forward f = {.id = n->id,
	                          .pid = n->pid,
	                          .nr = n->data.nr,
	                          .arch = n->data.arch,
	                          .ip = n->data.instruction_pointer};
	memcpy(f.args, n->data.args, sizeof(f.args));
	unsigned char buf[sizeof(struct ferry_wire_forward)];
	ptrdiff_t len = ferry_proto_encode_forward(&f, buf, sizeof(buf));
	return ferry_send_fd(g->sock, buf, (size_t)len, -1) < 0 ? -1 : 0;
}

/* Whether the gofer can answer an open alone: one that names neither the
 * caller itself nor anything in /proc, which the supervisor rewrites and
 * reopens as the guest's own. */
static bool open_is_its_own(const struct ferry_call *c)
{
	const char *rest;
	return c->op == FERRY_OP_OPEN && !ferry_guest_names_self(c->raw) &&
	       !ferry_path_has_prefix(c->raw, "/proc", &rest);
}

/* Whether an error from reading the caller's /proc or memory means the
 * gofer may not (a guest that made itself non-dumpable), which the
 * supervisor may. */
static bool not_for_the_gofer(int r)
{
	return r == -EPERM || r == -EACCES;
}

/* Takes one call from the listener: answers an open of its own, forwards
 * anything else. Returns 0, 1 when no process is left to call, or -1 when
 * the supervisor is gone. */
static int take_call(struct taker *t)
{
	struct gofer *g = t->g;
	struct seccomp_notif *n = t->notif;
	memset(n, 0, g->kernel->notif_size);
	if (ioctl(g->listener, SECCOMP_IOCTL_NOTIF_RECV, n) < 0) {
		/* ENOENT: its caller is gone, or no process is left under the
		 * filter, and every further wait would end at once. */
		struct pollfd p = {g->listener, POLLIN, 0};
		if (errno == ENOENT && poll(&p, 1, 0) == 1 && (p.revents & POLLHUP))
			return 1;
		return 0;
	}
	const struct ferry_syscalls *nr = &g->kernel->nr;
	int call = n->data.nr;
	if (call != nr->open && call != nr->openat && call != nr->openat2 && call != nr->creat)
		return forward_call(g, n);
	struct ferry_call *c = t->call;
	struct ferry_request *req = t->req;
	struct ferry_reply *rep = t->rep;
	memset(req, 0, sizeof(*req));
	memset(rep, 0, sizeof(*rep));
	int r = ferry_call_decode(nr, (pid_t)n->pid, call, (const uint64_t *)n->data.args, c);
	if (r == -ESRCH)
		return 0; /* the caller is gone */
	if (not_for_the_gofer(r) || (r == 0 && !open_is_its_own(c)))
		return forward_call(g, n);
	bool scoped = c->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_NO_XDEV);
	bool creates = c->flags & (O_CREAT | __O_TMPFILE);
	pid_t tid = 0; /* the caller as the sandbox's /proc names it, if needed */
	if (r == 0 && (c->raw[0] != '/' || scoped || creates)) {
		tid = (pid_t)ioctl(g->kernel->pidns, NS_GET_PID_IN_PIDNS, n->pid);
		if (tid < 0) /* gone, or before Linux 6.7 */
			return errno == ESRCH ? 0 : forward_call(g, n);
	}
	if (r == 0)
		r = ferry_guest_make_absolute(tid, c->dirfd, c->raw, scoped, false, req->base,
		                              req->path);
	struct ferry_guest_status st = {0};
	if (r == 0 && creates)
		r = ferry_guest_status_read(tid, &st); /* the umask */
	if (not_for_the_gofer(r))
		return forward_call(g, n);
	/* Everything read: the caller must still be the one that trapped. */
	if (ioctl(g->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0)
		return 0;
	req->op = FERRY_OP_OPEN;
	req->id = n->id;
	if (r < 0) {
		rep->error = -r;
		answer_guest(g->listener, req, -1, rep);
		return 0;
	}
	req->flags = c->flags;
	req->resolve =
	    c->resolve | (c->strict ? FERRY_RESOLVE_STRICT : 0) | FERRY_RESOLVE_UNRECORDED;
	req->mode = (uint32_t)(c->mode & 07777 & ~(uint64_t)st.umask);
	int fd = ferry_gofer_handle(g->policy, g->act_as, req, -1, rep);
	if (rep->kind == FERRY_REPLY_DONE) {
		answer_guest(g->listener, req, fd, rep);
		return 0;
	}
	/* A FIFO or the terminal: the supervisor finishes those. */
	if (fd >= 0)
		close(fd);
	return forward_call(g, n);
}

/* Serves one request from the supervisor. Returns 0, or -1 when it is gone. */
static int serve_request(struct gofer *g)
{
	struct ferry_request *req = g->req;
	struct ferry_reply *rep = g->rep;
	int req_fd;
	ssize_t n = ferry_recv_fd(g->sock, g->in, FERRY_PROTO_MAX_REQUEST, &req_fd);
	if (n == 0)
		return -1;
	if (n == -EINTR || n == -EAGAIN)
		return 0;
	int fd = -1;
	bool valid = n > 0 && ferry_proto_decode_request(req, g->in, (size_t)n) == 0;
	if (!valid) {
		memset(rep, 0, sizeof(*rep));
		rep->rule = FERRY_NO_RULE;
		rep->error = EPROTO;
	} else if (req->op == FERRY_OP_LISTENER) {
		memset(rep, 0, sizeof(*rep));
		rep->seq = req->seq;
		rep->rule = FERRY_NO_RULE;
		if (g->listener >= 0 || req_fd < 0) {
			rep->error = EPROTO;
		} else {
			g->listener = req_fd;
			req_fd = -1;
			/* The takers start taking calls. */
			char go[MAX_TAKERS] = {0};
			if ((req->flags & FERRY_LISTENER_RECEIVE) && g->n_takers &&
			    write(g->go[1], go, g->n_takers) != (ssize_t)g->n_takers)
				rep->error = errno;
		}
	} else {
		fd = ferry_gofer_handle(g->policy, g->act_as, req, req_fd, rep);
		if (rep->kind == FERRY_REPLY_DONE && req->id && g->listener >= 0) {
			answer_guest(g->listener, req, fd, rep);
			fd = -1;
		}
	}
	if (req_fd >= 0)
		close(req_fd);
	if (valid && (req->resolve & FERRY_RESOLVE_UNRECORDED) && rep->kind == FERRY_REPLY_ANSWERED)
		return 0; /* nobody waits for this reply */
	ptrdiff_t len = ferry_proto_encode_reply(rep, g->out, FERRY_PROTO_MAX_REPLY);
	if (len < 0)
		_exit(1);
	int r = ferry_send_fd(g->sock, g->out, (size_t)len, fd);
	if (fd >= 0)
		close(fd);
	return r < 0 ? -1 : 0;
}

static void *taker_main(void *arg)
{
	struct taker *t = arg;
	struct gofer *g = t->g;
	/* A cwd of its own: resolve_path moves it (fchdir) per path. */
	char ok = unshare(CLONE_FS) == 0;
	if (write(g->started[1], &ok, 1) != 1 || !ok)
		return NULL;
	char go;
	if (read(g->go[0], &go, 1) != 1)
		return NULL;
	int r;
	while ((r = take_call(t)) == 0)
		;
	if (r < 0)
		_exit(0); /* the supervisor is gone */
	/* Nothing left to take: wait here (no second "go" comes) until the
	 * supervisor ends the gofer. */
	while (read(g->go[0], &go, 1) >= 0 || errno == EINTR)
		;
	return NULL;
}

struct gofer *ferry_gofer_start(int sock, const struct ferry_policy *policy, bool act_as,
                                const struct ferry_gofer_kernel *kernel, size_t takers,
                                const char **what)
{
	struct gofer *g = calloc(1, sizeof(*g));
	*what = "out of memory";
	if (!g)
		return NULL;
	*g = (struct gofer){.sock = sock,
	                    .listener = -1,
	                    .policy = policy,
	                    .act_as = act_as,
	                    .kernel = kernel,
	                    .in = malloc(FERRY_PROTO_MAX_REQUEST),
	                    .out = malloc(FERRY_PROTO_MAX_REPLY),
	                    .req = malloc(sizeof(struct ferry_request)),
	                    .rep = malloc(sizeof(struct ferry_reply))};
	if (!g->in || !g->out || !g->req || !g->rep)
		return NULL;
	*what = "pipe2";
	if (pipe2(g->go, O_CLOEXEC) < 0 || pipe2(g->started, O_CLOEXEC) < 0)
		return NULL;
	if (takers > MAX_TAKERS)
		takers = MAX_TAKERS;
	for (size_t i = 0; i < takers; i++) {
		struct taker *t = &g->takers[i];
		*t = (struct taker){.g = g,
		                    .notif = malloc(kernel->notif_size),
		                    .call = malloc(sizeof(struct ferry_call)),
		                    .req = malloc(sizeof(struct ferry_request)),
		                    .rep = malloc(sizeof(struct ferry_reply))};
		*what = "out of memory";
		if (!t->notif || !t->call || !t->req || !t->rep)
			return NULL;
		*what = "pthread_create";
		int e = pthread_create(&t->thread, NULL, taker_main, t);
		if (e != 0) {
			errno = e;
			return NULL;
		}
		g->n_takers++;
	}
	/* Each has its own cwd before the allowlist forbids unshare. */
	*what = "unshare(CLONE_FS) in a gofer thread";
	for (size_t i = 0; i < g->n_takers; i++) {
		char ok;
		if (read(g->started[0], &ok, 1) != 1 || !ok)
			return NULL;
	}
	return g;
}

noreturn void ferry_gofer_serve(struct gofer *g)
{
	for (;;)
		if (serve_request(g) < 0)
			_exit(0);
}
