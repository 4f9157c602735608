/* Supervisor <-> gofer message codec. Pure. */
#include "ferry/proto.h"

#include <string.h>

const char *ferry_op_name(uint32_t op)
{
	switch (op) {
	case FERRY_OP_OPEN:
		return "open";
	case FERRY_OP_LINK:
		return "link";
	case FERRY_OP_RENAME:
		return "rename";
	case FERRY_OP_LISTENER:
		return "listener";
	}
	return "?";
}

static int put_strings(unsigned char *out, size_t avail, const char *const *strs, uint16_t *lens,
                       size_t n, size_t *used)
{
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strnlen(strs[i], PATH_MAX);
		if (l >= PATH_MAX || l > avail - off)
			return -1;
		memcpy(out + off, strs[i], l);
		lens[i] = (uint16_t)l;
		off += l;
	}
	*used = off;
	return 0;
}

static int get_strings(const unsigned char *in, size_t avail, char *const *strs,
                       const uint16_t *lens, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (lens[i] >= PATH_MAX)
			return -1;
		total += lens[i];
	}
	if (total != avail)
		return -1;
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		if (memchr(in + off, '\0', lens[i]))
			return -1;
		memcpy(strs[i], in + off, lens[i]);
		strs[i][lens[i]] = '\0';
		off += lens[i];
	}
	return 0;
}

ptrdiff_t ferry_proto_encode_request(const struct ferry_request *req, void *buf, size_t len)
{
	struct ferry_wire_request w;
	if (len < sizeof(w))
		return -1;
	memset(&w, 0, sizeof(w));
	w.magic = FERRY_PROTO_MAGIC;
	w.op = req->op;
	w.seq = req->seq;
	w.id = req->id;
	w.mode = req->mode;
	w.flags = req->flags;
	w.resolve = req->resolve;
	w.act_as = req->act_as;
	w.fsuid = req->fsuid;
	w.fsgid = req->fsgid;
	const char *strs[4] = {req->base, req->path, req->base2, req->path2};
	size_t used;
	if (put_strings((unsigned char *)buf + sizeof(w), len - sizeof(w), strs, w.len, 4, &used) <
	    0)
		return -1;
	memcpy(buf, &w, sizeof(w));
	return (ptrdiff_t)(sizeof(w) + used);
}

int ferry_proto_decode_request(struct ferry_request *req, const void *buf, size_t len)
{
	struct ferry_wire_request w;
	if (len < sizeof(w))
		return -1;
	memcpy(&w, buf, sizeof(w));
	if (w.magic != FERRY_PROTO_MAGIC || w.op < FERRY_OP_OPEN || w.op > FERRY_OP_LISTENER)
		return -1;
	char *strs[4] = {req->base, req->path, req->base2, req->path2};
	if (get_strings((const unsigned char *)buf + sizeof(w), len - sizeof(w), strs, w.len, 4) <
	    0)
		return -1;
	req->op = w.op;
	req->seq = w.seq;
	req->id = w.id;
	req->mode = w.mode;
	req->flags = w.flags;
	req->resolve = w.resolve;
	req->act_as = w.act_as;
	req->fsuid = w.fsuid;
	req->fsgid = w.fsgid;
	return 0;
}

ptrdiff_t ferry_proto_encode_reply(const struct ferry_reply *rep, void *buf, size_t len)
{
	struct ferry_wire_reply w;
	if (len < sizeof(w))
		return -1;
	memset(&w, 0, sizeof(w));
	w.magic = FERRY_PROTO_MAGIC;
	w.seq = rep->seq;
	w.kind = rep->kind;
	w.error = rep->error;
	w.value = rep->value;
	w.allow = rep->allow;
	w.rule = rep->rule;
	const char *strs[2] = {rep->resolved, rep->resolved2};
	size_t used;
	if (put_strings((unsigned char *)buf + sizeof(w), len - sizeof(w), strs, w.len, 2, &used) <
	    0)
		return -1;
	memcpy(buf, &w, sizeof(w));
	return (ptrdiff_t)(sizeof(w) + used);
}

int ferry_proto_decode_reply(struct ferry_reply *rep, const void *buf, size_t len)
{
	struct ferry_wire_reply w;
	if (len < sizeof(w))
		return -1;
	memcpy(&w, buf, sizeof(w));
	if (w.magic != FERRY_PROTO_MAGIC || w.kind > FERRY_REPLY_ANSWERED || w.error < 0 ||
	    w.value < 0 || w.allow > 1)
		return -1;
	char *strs[2] = {rep->resolved, rep->resolved2};
	if (get_strings((const unsigned char *)buf + sizeof(w), len - sizeof(w), strs, w.len, 2) <
	    0)
		return -1;
	rep->seq = w.seq;
	rep->kind = w.kind;
	rep->error = w.error;
	rep->value = w.value;
	rep->allow = w.allow;
	rep->rule = w.rule;
	return 0;
}

ptrdiff_t ferry_proto_encode_forward(const struct ferry_forward *fwd, void *buf, size_t len)
{
	struct ferry_wire_forward w;
	if (len < sizeof(w))
		return -1;
	memset(&w, 0, sizeof(w));
	w.magic = FERRY_FORWARD_MAGIC;
	w.pid = fwd->pid;
	w.id = fwd->id;
	w.nr = fwd->nr;
	w.arch = fwd->arch;
	w.ip = fwd->ip;
	memcpy(w.args, fwd->args, sizeof(w.args));
	memcpy(buf, &w, sizeof(w));
	return (ptrdiff_t)sizeof(w);
}

int ferry_proto_decode_forward(struct ferry_forward *fwd, const void *buf, size_t len)
{
	struct ferry_wire_forward w;
	if (len != sizeof(w))
		return -1;
	memcpy(&w, buf, sizeof(w));
	if (w.magic != FERRY_FORWARD_MAGIC || w.pid == 0 || w.pid > INT32_MAX)
		return -1;
	fwd->id = w.id;
	fwd->pid = w.pid;
	fwd->nr = w.nr;
	fwd->arch = w.arch;
	fwd->ip = w.ip;
	memcpy(fwd->args, w.args, sizeof(fwd->args));
	return 0;
}

int ferry_proto_is_forward(const void *buf, size_t len)
{
	uint32_t magic;
	if (len < sizeof(magic))
		return 0;
	memcpy(&magic, buf, sizeof(magic));
	return magic == FERRY_FORWARD_MAGIC;
}
