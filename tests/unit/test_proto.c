/* The supervisor <-> gofer message codec. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/proto.h"

static unsigned char buf[FERRY_PROTO_MAX_REQUEST + 64];

static void sample_request(struct ferry_request *req)
{
	memset(req, 0, sizeof(*req));
	req->op = FERRY_OP_RENAME;
	req->seq = 0xdeadbeef;
	req->id = 0xfedcba9876543210ULL;
	req->flags = 0x0123456789abcdefULL;
	req->resolve = FERRY_RESOLVE_STRICT | 0x18;
	req->mode = 0644;
	req->act_as = 1;
	req->fsuid = 1000;
	req->fsgid = 100;
	strcpy(req->base, "/home/u/proj");
	strcpy(req->path, "src/main.c");
	strcpy(req->base2, "/");
	strcpy(req->path2, "/tmp/x\xc3\xa9 y");
}

static void sample_reply(struct ferry_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->seq = 77;
	rep->kind = FERRY_REPLY_REOPEN;
	rep->error = EACCES;
	rep->value = 12;
	rep->allow = 1;
	rep->rule = UINT64_MAX;
	strcpy(rep->resolved, "/home/u/proj/src/main.c");
	strcpy(rep->resolved2, "/tmp/x");
}

static void assert_request_equal(const struct ferry_request *a, const struct ferry_request *b)
{
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->resolve, b->resolve);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->act_as, b->act_as);
	assert_int_equal(a->fsuid, b->fsuid);
	assert_int_equal(a->fsgid, b->fsgid);
	assert_string_equal(a->base, b->base);
	assert_string_equal(a->path, b->path);
	assert_string_equal(a->base2, b->base2);
	assert_string_equal(a->path2, b->path2);
}

static void assert_reply_equal(const struct ferry_reply *a, const struct ferry_reply *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->error, b->error);
	assert_int_equal(a->value, b->value);
	assert_int_equal(a->allow, b->allow);
	assert_int_equal(a->rule, b->rule);
	assert_string_equal(a->resolved, b->resolved);
	assert_string_equal(a->resolved2, b->resolved2);
}

static size_t encode_request(const struct ferry_request *req)
{
	ptrdiff_t n = ferry_proto_encode_request(req, buf, sizeof(buf));
	assert_true(n > 0);
	return (size_t)n;
}

static size_t encode_reply(const struct ferry_reply *rep)
{
	ptrdiff_t n = ferry_proto_encode_reply(rep, buf, sizeof(buf));
	assert_true(n > 0);
	return (size_t)n;
}

static struct ferry_request dec_req;
static struct ferry_reply dec_rep;

static int decode_request(size_t len)
{
	memset(&dec_req, 'x', sizeof(dec_req));
	return ferry_proto_decode_request(&dec_req, buf, len);
}

static int decode_reply(size_t len)
{
	memset(&dec_rep, 'x', sizeof(dec_rep));
	return ferry_proto_decode_reply(&dec_rep, buf, len);
}

static void test_request_round_trip(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	assert_int_equal(n, sizeof(struct ferry_wire_request) + strlen(req.base) +
	                        strlen(req.path) + strlen(req.base2) + strlen(req.path2));
	/* the header as documented */
	struct ferry_wire_request w;
	memcpy(&w, buf, sizeof(w));
	assert_int_equal(w.magic, FERRY_PROTO_MAGIC);
	assert_int_equal(w.op, FERRY_OP_RENAME);
	assert_int_equal(w.len[0], strlen(req.base));
	assert_int_equal(w.len[1], strlen(req.path));
	assert_int_equal(w.len[2], strlen(req.base2));
	assert_int_equal(w.len[3], strlen(req.path2));
	assert_memory_equal(buf + sizeof(w), "/home/u/projsrc/main.c/", 23);
	assert_int_equal(decode_request(n), 0);
	assert_request_equal(&dec_req, &req);

	/* every op, and empty strings */
	for (uint32_t op = FERRY_OP_OPEN; op <= FERRY_OP_RENAME; op++) {
		memset(&req, 0, sizeof(req));
		req.op = op;
		req.seq = op * 3;
		n = encode_request(&req);
		assert_int_equal(n, sizeof(struct ferry_wire_request));
		assert_int_equal(decode_request(n), 0);
		assert_request_equal(&dec_req, &req);
		assert_string_equal(dec_req.path2, "");
	}
}

static void test_reply_round_trip(void **state)
{
	(void)state;
	struct ferry_reply rep;
	sample_reply(&rep);
	size_t n = encode_reply(&rep);
	assert_int_equal(n, sizeof(struct ferry_wire_reply) + strlen(rep.resolved) +
	                        strlen(rep.resolved2));
	struct ferry_wire_reply w;
	memcpy(&w, buf, sizeof(w));
	assert_int_equal(w.magic, FERRY_PROTO_MAGIC);
	assert_int_equal(w.len[0], strlen(rep.resolved));
	assert_int_equal(w.len[1], strlen(rep.resolved2));
	assert_int_equal(decode_reply(n), 0);
	assert_reply_equal(&dec_rep, &rep);

	memset(&rep, 0, sizeof(rep));
	rep.kind = FERRY_REPLY_DONE;
	rep.allow = 0;
	rep.rule = 3;
	n = encode_reply(&rep);
	assert_int_equal(n, sizeof(struct ferry_wire_reply));
	assert_int_equal(decode_reply(n), 0);
	assert_reply_equal(&dec_rep, &rep);
}

static void test_truncated(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	for (size_t len = 0; len < n; len++)
		if (decode_request(len) != -1)
			fail_msg("a request cut to %zu of %zu bytes decoded", len, n);
	assert_int_equal(decode_request(n), 0);

	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	for (size_t len = 0; len < n; len++)
		if (decode_reply(len) != -1)
			fail_msg("a reply cut to %zu of %zu bytes decoded", len, n);
	assert_int_equal(decode_reply(n), 0);
}

static void test_trailing_garbage(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	buf[n] = 'z';
	assert_int_equal(decode_request(n + 1), -1);
	buf[n] = '\0';
	assert_int_equal(decode_request(n + 1), -1);
	assert_int_equal(decode_request(n + 100), -1);

	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	buf[n] = 'z';
	assert_int_equal(decode_reply(n + 1), -1);
	/* a request is not a reply and the other way round */
	sample_request(&req);
	n = encode_request(&req);
	assert_int_equal(decode_reply(n), -1);
}

static void test_max_strings(void **state)
{
	(void)state;
	static struct ferry_request req, out;
	memset(&req, 0, sizeof(req));
	req.op = FERRY_OP_LINK;
	memset(req.base, 'a', PATH_MAX - 1);
	memset(req.path, 'b', PATH_MAX - 1);
	memset(req.base2, 'c', PATH_MAX - 1);
	memset(req.path2, 'd', PATH_MAX - 1);
	static unsigned char exact[FERRY_PROTO_MAX_REQUEST];
	ptrdiff_t n = ferry_proto_encode_request(&req, exact, sizeof(exact));
	assert_int_equal(n, FERRY_PROTO_MAX_REQUEST);
	assert_int_equal(ferry_proto_decode_request(&out, exact, (size_t)n), 0);
	assert_request_equal(&out, &req);
	assert_int_equal(strlen(out.path2), PATH_MAX - 1);
	/* one byte short of room */
	assert_int_equal(ferry_proto_encode_request(&req, exact, sizeof(exact) - 1), -1);

	/* PATH_MAX bytes (no NUL in the array) is too long, in any slot */
	char *slots[4] = {req.base, req.path, req.base2, req.path2};
	for (int i = 0; i < 4; i++) {
		char saved = slots[i][PATH_MAX - 1];
		slots[i][PATH_MAX - 1] = 'z';
		if (ferry_proto_encode_request(&req, buf, sizeof(buf)) != -1)
			fail_msg("request string %d of PATH_MAX bytes was encoded", i);
		slots[i][PATH_MAX - 1] = saved;
	}

	static struct ferry_reply rep, rout;
	memset(&rep, 0, sizeof(rep));
	memset(rep.resolved, 'r', PATH_MAX - 1);
	memset(rep.resolved2, 's', PATH_MAX - 1);
	static unsigned char rexact[FERRY_PROTO_MAX_REPLY];
	n = ferry_proto_encode_reply(&rep, rexact, sizeof(rexact));
	assert_int_equal(n, FERRY_PROTO_MAX_REPLY);
	assert_int_equal(ferry_proto_decode_reply(&rout, rexact, (size_t)n), 0);
	assert_reply_equal(&rout, &rep);
	assert_int_equal(ferry_proto_encode_reply(&rep, rexact, sizeof(rexact) - 1), -1);
	rep.resolved[PATH_MAX - 1] = 'z';
	assert_int_equal(ferry_proto_encode_reply(&rep, buf, sizeof(buf)), -1);
	rep.resolved[PATH_MAX - 1] = '\0';
	rep.resolved2[PATH_MAX - 1] = 'z';
	assert_int_equal(ferry_proto_encode_reply(&rep, buf, sizeof(buf)), -1);
}

static void test_small_buffer(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	unsigned char small[sizeof(buf)];
	for (size_t len = 0; len < n; len++)
		if (ferry_proto_encode_request(&req, small, len) != -1)
			fail_msg("a request of %zu bytes encoded into %zu", n, len);
	assert_int_equal(ferry_proto_encode_request(&req, small, n), (ptrdiff_t)n);
	assert_memory_equal(small, buf, n);

	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	for (size_t len = 0; len < n; len++)
		if (ferry_proto_encode_reply(&rep, small, len) != -1)
			fail_msg("a reply of %zu bytes encoded into %zu", n, len);
	assert_int_equal(ferry_proto_encode_reply(&rep, small, n), (ptrdiff_t)n);
}

static void test_bad_header(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	/* every byte of the magic matters */
	for (size_t i = 0; i < 4; i++) {
		buf[i] ^= 0x20;
		assert_int_equal(decode_request(n), -1);
		buf[i] ^= 0x20;
	}
	assert_int_equal(decode_request(n), 0);
	/* ops outside 1..4 */
	static const uint32_t bad_ops[] = {0, 5, 6, 0x100, UINT32_MAX};
	for (size_t i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++) {
		req.op = bad_ops[i];
		n = encode_request(&req);
		if (decode_request(n) != -1)
			fail_msg("op %u decoded", bad_ops[i]);
	}

	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	buf[0] ^= 1;
	assert_int_equal(decode_reply(n), -1);
	buf[0] ^= 1;
	assert_int_equal(decode_reply(n), 0);
	sample_reply(&rep);
	rep.kind = FERRY_REPLY_ANSWERED + 1;
	assert_int_equal(decode_reply(encode_reply(&rep)), -1);
	sample_reply(&rep);
	rep.value = -1;
	assert_int_equal(decode_reply(encode_reply(&rep)), -1);
	sample_reply(&rep);
	rep.error = -1;
	assert_int_equal(decode_reply(encode_reply(&rep)), -1);
	sample_reply(&rep);
	rep.error = INT32_MIN;
	assert_int_equal(decode_reply(encode_reply(&rep)), -1);
	sample_reply(&rep);
	rep.allow = 2;
	assert_int_equal(decode_reply(encode_reply(&rep)), -1);
	sample_reply(&rep);
	rep.error = 4095;
	rep.allow = 0;
	rep.kind = FERRY_REPLY_DONE;
	assert_int_equal(decode_reply(encode_reply(&rep)), 0);
	assert_reply_equal(&dec_rep, &rep);
}

static void test_embedded_nul(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	for (size_t i = sizeof(struct ferry_wire_request); i < n; i++) {
		unsigned char saved = buf[i];
		buf[i] = '\0';
		if (decode_request(n) != -1)
			fail_msg("a request with a NUL at byte %zu decoded", i);
		buf[i] = saved;
	}
	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	for (size_t i = sizeof(struct ferry_wire_reply); i < n; i++) {
		unsigned char saved = buf[i];
		buf[i] = '\0';
		if (decode_reply(n) != -1)
			fail_msg("a reply with a NUL at byte %zu decoded", i);
		buf[i] = saved;
	}
	assert_int_equal(decode_reply(n), 0);
}

static void set_req_len(int i, uint16_t v)
{
	memcpy(buf + offsetof(struct ferry_wire_request, len) + (size_t)i * sizeof(uint16_t), &v,
	       sizeof(v));
}

static void set_rep_len(int i, uint16_t v)
{
	memcpy(buf + offsetof(struct ferry_wire_reply, len) + (size_t)i * sizeof(uint16_t), &v,
	       sizeof(v));
}

static void test_lengths(void **state)
{
	(void)state;
	struct ferry_request req;
	sample_request(&req);
	size_t n = encode_request(&req);
	struct ferry_wire_request w;
	memcpy(&w, buf, sizeof(w));
	for (int i = 0; i < 4; i++) {
		set_req_len(i, (uint16_t)(w.len[i] + 1));
		if (decode_request(n) != -1)
			fail_msg("len[%d] one too many decoded", i);
		if (w.len[i] > 0) {
			set_req_len(i, (uint16_t)(w.len[i] - 1));
			if (decode_request(n) != -1)
				fail_msg("len[%d] one too few decoded", i);
		}
		set_req_len(i, UINT16_MAX);
		if (decode_request(n) != -1)
			fail_msg("len[%d] 65535 decoded", i);
		set_req_len(i, w.len[i]);
	}
	assert_int_equal(decode_request(n), 0);
	/* lengths shifted between strings still add up, and then the strings differ */
	set_req_len(0, (uint16_t)(w.len[0] - 2));
	set_req_len(1, (uint16_t)(w.len[1] + 2));
	assert_int_equal(decode_request(n), 0);
	assert_string_equal(dec_req.base, "/home/u/pr");
	assert_string_equal(dec_req.path, "ojsrc/main.c");

	/* a string of PATH_MAX bytes, with the lengths adding up, is too long */
	memset(&req, 0, sizeof(req));
	req.op = FERRY_OP_OPEN;
	n = encode_request(&req);
	memset(buf + n, 'a', PATH_MAX);
	set_req_len(1, PATH_MAX);
	assert_int_equal(decode_request(n + PATH_MAX), -1);
	set_req_len(1, PATH_MAX - 1);
	assert_int_equal(decode_request(n + PATH_MAX - 1), 0);
	assert_int_equal(strlen(dec_req.path), PATH_MAX - 1);
	/* split over two strings it is fine */
	set_req_len(1, PATH_MAX / 2);
	set_req_len(3, PATH_MAX / 2);
	assert_int_equal(decode_request(n + PATH_MAX), 0);
	assert_int_equal(strlen(dec_req.path), PATH_MAX / 2);
	assert_int_equal(strlen(dec_req.path2), PATH_MAX / 2);

	struct ferry_reply rep;
	sample_reply(&rep);
	n = encode_reply(&rep);
	struct ferry_wire_reply wr;
	memcpy(&wr, buf, sizeof(wr));
	for (int i = 0; i < 2; i++) {
		set_rep_len(i, (uint16_t)(wr.len[i] + 1));
		assert_int_equal(decode_reply(n), -1);
		set_rep_len(i, (uint16_t)(wr.len[i] - 1));
		assert_int_equal(decode_reply(n), -1);
		set_rep_len(i, wr.len[i]);
	}
	assert_int_equal(decode_reply(n), 0);
	memset(&rep, 0, sizeof(rep));
	n = encode_reply(&rep);
	memset(buf + n, 'a', PATH_MAX);
	set_rep_len(0, PATH_MAX);
	assert_int_equal(decode_reply(n + PATH_MAX), -1);
	set_rep_len(0, 0);
	set_rep_len(1, PATH_MAX);
	assert_int_equal(decode_reply(n + PATH_MAX), -1);
}

static void test_op_name(void **state)
{
	(void)state;
	assert_string_equal(ferry_op_name(FERRY_OP_OPEN), "open");
	assert_string_equal(ferry_op_name(FERRY_OP_LINK), "link");
	assert_string_equal(ferry_op_name(FERRY_OP_RENAME), "rename");
	assert_string_equal(ferry_op_name(FERRY_OP_LISTENER), "listener");
	assert_string_equal(ferry_op_name(0), "?");
	assert_string_equal(ferry_op_name(5), "?");
	assert_string_equal(ferry_op_name(UINT32_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_round_trip),
	    cmocka_unit_test(test_reply_round_trip),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_trailing_garbage),
	    cmocka_unit_test(test_max_strings),
	    cmocka_unit_test(test_small_buffer),
	    cmocka_unit_test(test_bad_header),
	    cmocka_unit_test(test_embedded_nul),
	    cmocka_unit_test(test_lengths),
	    cmocka_unit_test(test_op_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
