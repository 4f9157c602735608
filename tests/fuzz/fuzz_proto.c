/* libFuzzer target: the supervisor <-> gofer codec. Every input is decoded
 * as a request, as a reply and as a forward. When decoding succeeds, encoding the
 * result must succeed, decode to the same struct, and give back the input
 * bytes (with the padding fields zeroed); encoding into any shorter buffer
 * must fail. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/proto.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_request(const struct ferry_request *a, const struct ferry_request *b)
{
	FUZZ_CHECK(a->op == b->op && a->seq == b->seq && a->id == b->id && a->flags == b->flags);
	FUZZ_CHECK(a->resolve == b->resolve && a->mode == b->mode && a->act_as == b->act_as);
	FUZZ_CHECK(a->fsuid == b->fsuid && a->fsgid == b->fsgid);
	FUZZ_CHECK(strcmp(a->base, b->base) == 0 && strcmp(a->path, b->path) == 0);
	FUZZ_CHECK(strcmp(a->base2, b->base2) == 0 && strcmp(a->path2, b->path2) == 0);
}

static void same_reply(const struct ferry_reply *a, const struct ferry_reply *b)
{
	FUZZ_CHECK(a->seq == b->seq && a->kind == b->kind && a->error == b->error);
	FUZZ_CHECK(a->value == b->value);
	FUZZ_CHECK(a->allow == b->allow && a->rule == b->rule);
	FUZZ_CHECK(strcmp(a->resolved, b->resolved) == 0);
	FUZZ_CHECK(strcmp(a->resolved2, b->resolved2) == 0);
}

/* Encoding into every buffer shorter than the message fails. The buffers are
 * heap blocks of exactly that size, so ASan sees any write past them. */
typedef ptrdiff_t (*encode_fn)(const void *msg, void *buf, size_t len);

static void check_short_buffers(encode_fn encode, const void *msg, size_t need)
{
	size_t sizes[] = {0, 1, need / 2, need > 0 ? need - 1 : 0};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] >= need)
			continue;
		unsigned char *buf = malloc(sizes[i] ? sizes[i] : 1);
		FUZZ_CHECK(buf != NULL);
		FUZZ_CHECK(encode(msg, buf, sizes[i]) == -1);
		free(buf);
	}
}

static ptrdiff_t enc_req(const void *msg, void *buf, size_t len)
{
	return ferry_proto_encode_request(msg, buf, len);
}

static ptrdiff_t enc_rep(const void *msg, void *buf, size_t len)
{
	return ferry_proto_encode_reply(msg, buf, len);
}

static void fuzz_request(const uint8_t *data, size_t size)
{
	struct ferry_request *req = malloc(sizeof(*req)), *again = malloc(sizeof(*again));
	unsigned char *out = malloc(FERRY_PROTO_MAX_REQUEST);
	FUZZ_CHECK(req && again && out);
	memset(req, 0xa5, sizeof(*req)); /* decode must not rely on a clean struct */
	if (ferry_proto_decode_request(req, data, size) == 0) {
		FUZZ_CHECK(req->op >= FERRY_OP_OPEN && req->op <= FERRY_OP_LISTENER);
		ptrdiff_t n = ferry_proto_encode_request(req, out, FERRY_PROTO_MAX_REQUEST);
		FUZZ_CHECK(n >= (ptrdiff_t)sizeof(struct ferry_wire_request));
		FUZZ_CHECK((size_t)n == size);
		unsigned char *canon = malloc(size);
		FUZZ_CHECK(canon != NULL);
		memcpy(canon, data, size);
		memset(canon + offsetof(struct ferry_wire_request, pad), 0, sizeof(uint32_t));
		FUZZ_CHECK(memcmp(canon, out, size) == 0);
		free(canon);
		memset(again, 0x5a, sizeof(*again));
		FUZZ_CHECK(ferry_proto_decode_request(again, out, (size_t)n) == 0);
		same_request(req, again);
		check_short_buffers(enc_req, req, (size_t)n);
		/* Cut short, the message is refused. */
		FUZZ_CHECK(ferry_proto_decode_request(again, out, (size_t)n - 1) == -1);
	}
	free(req);
	free(again);
	free(out);
}

static void fuzz_reply(const uint8_t *data, size_t size)
{
	struct ferry_reply *rep = malloc(sizeof(*rep)), *again = malloc(sizeof(*again));
	unsigned char *out = malloc(FERRY_PROTO_MAX_REPLY);
	FUZZ_CHECK(rep && again && out);
	memset(rep, 0xa5, sizeof(*rep));
	if (ferry_proto_decode_reply(rep, data, size) == 0) {
		FUZZ_CHECK(rep->kind <= FERRY_REPLY_ANSWERED && rep->error >= 0 &&
		           rep->value >= 0 && rep->allow <= 1);
		ptrdiff_t n = ferry_proto_encode_reply(rep, out, FERRY_PROTO_MAX_REPLY);
		FUZZ_CHECK(n >= (ptrdiff_t)sizeof(struct ferry_wire_reply));
		FUZZ_CHECK((size_t)n == size);
		unsigned char *canon = malloc(size);
		FUZZ_CHECK(canon != NULL);
		memcpy(canon, data, size);
		memset(canon + offsetof(struct ferry_wire_reply, pad2), 0, sizeof(uint32_t));
		FUZZ_CHECK(memcmp(canon, out, size) == 0);
		free(canon);
		memset(again, 0x5a, sizeof(*again));
		FUZZ_CHECK(ferry_proto_decode_reply(again, out, (size_t)n) == 0);
		same_reply(rep, again);
		check_short_buffers(enc_rep, rep, (size_t)n);
		FUZZ_CHECK(ferry_proto_decode_reply(again, out, (size_t)n - 1) == -1);
	}
	free(rep);
	free(again);
	free(out);
}

/* A forward has no padding and no strings: it must come back byte for byte,
 * and be told from a reply by its magic alone. */
static void fuzz_forward(const uint8_t *data, size_t size)
{
	struct ferry_forward fwd, again;
	unsigned char out[sizeof(struct ferry_wire_forward)];
	FUZZ_CHECK(ferry_proto_is_forward(data, size) ==
	           (size >= 4 && memcmp(data, &(uint32_t){FERRY_FORWARD_MAGIC}, 4) == 0));
	if (ferry_proto_decode_forward(&fwd, data, size) != 0)
		return;
	FUZZ_CHECK(ferry_proto_is_forward(data, size) && fwd.pid > 0 && fwd.pid <= INT32_MAX);
	ptrdiff_t n = ferry_proto_encode_forward(&fwd, out, sizeof(out));
	FUZZ_CHECK((size_t)n == size && memcmp(out, data, size) == 0);
	FUZZ_CHECK(ferry_proto_decode_forward(&again, out, (size_t)n) == 0);
	FUZZ_CHECK(again.id == fwd.id && again.pid == fwd.pid && again.nr == fwd.nr &&
	           again.arch == fwd.arch && again.ip == fwd.ip &&
	           memcmp(again.args, fwd.args, sizeof(fwd.args)) == 0);
	FUZZ_CHECK(ferry_proto_encode_forward(&fwd, out, sizeof(out) - 1) == -1);
	FUZZ_CHECK(ferry_proto_decode_forward(&again, out, (size_t)n - 1) == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan catches reads past the end. */
	uint8_t *copy = malloc(size ? size : 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, size);
	fuzz_request(copy, size);
	fuzz_reply(copy, size);
	fuzz_forward(copy, size);
	free(copy);
	return 0;
}
