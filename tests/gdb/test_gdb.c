/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdb stub: the wire codec, the target description, and every packet handler against the
 * fake machine (fake_target.h), over a socketpair. Each test writes gdb's side of a
 * conversation into the socket, lets gdb_server_wait answer it until gdb resumes (or the
 * socket ends), then reads back and checks what the server sent.
 */
#include "fake_target.h"
#include "gdb/gdb_private.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* --- the harness -------------------------------------------------------------------------- */

#define MAX_REPLIES 64

struct session {
	struct fake_target f;
	struct gdb_server *srv;
	int peer;  /* gdb's end */
	char *raw; /* everything the server sent since the last collect */
	size_t raw_len;
	char *reply[MAX_REPLIES]; /* its packets' payloads, in order */
	unsigned nreplies;
	unsigned acks, nacks; /* '+' and '-' outside packets */
	bool resumed;         /* gdb resumed: the next serve starts with a stop reply */
	bool bad_frame;       /* a packet whose checksum was wrong */
};

/* The fake machine served over a socketpair, or, with `listen`, on a socket gdb has yet to
 * connect to (t->peer = -1). `without` lists target functions to take out (NULL-terminated
 * names). */
static struct session *session_create(bool spin, const char *listen, const char *const *without)
{
	struct session *t = calloc(1, sizeof(*t));
	struct gdb_config cfg = {.listen = listen, .io_timeout_ms = 300};
	struct gdb_target target;
	char err[128];
	int sv[2];

	assert_non_null(t);
	fake_init(&t->f, spin);
	target = fake_gdb_target(&t->f);
	for (; without && *without; without++) {
		if (strcmp(*without, "memory") == 0) {
			target.read_mem = NULL;
			target.write_mem = NULL;
		} else if (strcmp(*without, "points") == 0) {
			target.insert_point = NULL;
		} else if (strcmp(*without, "monitor") == 0) {
			target.monitor = NULL;
		}
	}
	assert_int_equal(gdb_server_create(&cfg, &target, &t->srv, err, sizeof(err)), 0);
	t->peer = -1;
	if (!listen) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		gdb_server_adopt(t->srv, sv[0]);
		t->peer = sv[1];
	}
	return t;
}

static struct session *session_open(bool spin)
{
	return session_create(spin, NULL, NULL);
}

static void clear_replies(struct session *t)
{
	for (unsigned i = 0; i < t->nreplies; i++) {
		free(t->reply[i]);
	}
	t->nreplies = 0;
	t->acks = t->nacks = 0;
	t->bad_frame = false;
	free(t->raw);
	t->raw = NULL;
	t->raw_len = 0;
}

static void session_close(struct session *t)
{
	clear_replies(t);
	gdb_server_destroy(t->srv);
	if (t->peer >= 0) {
		close(t->peer);
	}
	free(t);
}

static void send_raw(struct session *t, const void *p, size_t n)
{
	assert_int_equal(write(t->peer, p, n), (ssize_t)n);
}

/* $payload#xx with the right checksum. */
static void send_pkt(struct session *t, const char *payload)
{
	char tail[4];

	send_raw(t, "$", 1);
	send_raw(t, payload, strlen(payload));
	snprintf(tail, sizeof(tail), "#%02x", gdb_checksum(payload, strlen(payload)));
	send_raw(t, tail, 3);
}

/* Reads what the server has sent (it is all there: the server runs in this thread) and
 * splits it into acks and packets. */
static void collect(struct session *t)
{
	char buf[8192];
	FILE *f;
	ssize_t n;

	clear_replies(t);
	f = open_memstream(&t->raw, &t->raw_len);
	assert_non_null(f);
	for (;;) {
		struct pollfd pfd = {.fd = t->peer, .events = POLLIN};

		if (poll(&pfd, 1, 0) <= 0) {
			break;
		}
		n = read(t->peer, buf, sizeof(buf));
		if (n <= 0) {
			break;
		}
		fwrite(buf, 1, (size_t)n, f);
	}
	fclose(f);
	for (size_t i = 0; i < t->raw_len;) {
		char c = t->raw[i];

		if (c == '+' || c == '-') {
			c == '+' ? t->acks++ : t->nacks++;
			i++;
			continue;
		}
		assert_int_equal(c, '$');
		{
			const char *hash = memchr(t->raw + i, '#', t->raw_len - i);
			size_t len;
			char sum[3];

			assert_non_null(hash);
			assert_true((size_t)(hash - t->raw) + 2 < t->raw_len);
			len = (size_t)(hash - t->raw) - i - 1;
			snprintf(sum, sizeof(sum), "%02x", gdb_checksum(t->raw + i + 1, len));
			if (memcmp(sum, hash + 1, 2) != 0) {
				t->bad_frame = true;
			}
			assert_true(t->nreplies < MAX_REPLIES);
			t->reply[t->nreplies] = strndup(t->raw + i + 1, len);
			t->nreplies++;
			i += len + 4;
		}
	}
	assert_false(t->bad_frame);
}

/* Lets the server answer everything sent so far; returns what gdb asked for. */
static struct gdb_resume serve(struct session *t, const struct gdb_stop *stop)
{
	struct gdb_resume r = gdb_server_wait(t->srv, stop);

	collect(t);
	t->resumed = r.action == GDB_CONTINUE || r.action == GDB_STEP;
	return r;
}

/* Drops the stop reply that comes first after a resume. */
static void drop_stop_reply(struct session *t, bool resumed)
{
	if (!resumed) {
		return;
	}
	assert_true(t->nreplies > 0);
	assert_true(t->reply[0][0] == 'T' || t->reply[0][0] == 'S');
	free(t->reply[0]);
	memmove(t->reply, t->reply + 1, (t->nreplies - 1) * sizeof(t->reply[0]));
	t->nreplies--;
}

static const struct gdb_stop first_stop = {
    .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP, .thread = FAKE_HOST};

/* Sends the packets, then `c`, and returns the replies to the packets. */
static void ask(struct session *t, const char *pkts[], unsigned n)
{
	bool resumed = t->resumed;
	struct gdb_resume r;

	for (unsigned i = 0; i < n; i++) {
		send_pkt(t, pkts[i]);
	}
	send_pkt(t, "c");
	r = serve(t, &first_stop);
	assert_int_equal(r.action, GDB_CONTINUE);
	drop_stop_reply(t, resumed);
	assert_int_equal(t->nreplies, n);
}

#define ASK(t, ...)                                                                                \
	do {                                                                                       \
		const char *pkts_[] = {__VA_ARGS__};                                               \
		ask(t, pkts_, sizeof(pkts_) / sizeof(pkts_[0]));                                   \
	} while (0)

/* Answers as if gdb resumed, then asks the one packet: for tests that run the fake between. */
static const char *reply_to(struct session *t, const struct gdb_stop *stop, const char *pkt)
{
	bool resumed = t->resumed;

	send_pkt(t, pkt);
	send_pkt(t, "c");
	assert_int_equal(serve(t, stop).action, GDB_CONTINUE);
	drop_stop_reply(t, resumed);
	assert_int_equal(t->nreplies, 1);
	return t->reply[t->nreplies - 1];
}

static void hex_of(const char *text, char *out)
{
	for (size_t i = 0; text[i]; i++) {
		sprintf(out + 2 * i, "%02x", (unsigned char)text[i]);
	}
}

/* --- the codec ---------------------------------------------------------------------------- */

static void checksums_and_hex(void **state)
{
	const char *p, *s;
	uint64_t v;
	unsigned char b[4];
	int id;

	assert_int_equal(gdb_checksum("OK", 2), 0x9a);
	assert_int_equal(gdb_checksum("", 0), 0);
	assert_int_equal(gdb_checksum("\xff\xff", 2), 0xfe); /* modulo 256 */
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);

	s = "80001000,4";
	p = s;
	assert_true(parse_hex_u64(&p, s + strlen(s), &v));
	assert_int_equal(v, 0x80001000);
	assert_int_equal(*p, ',');
	s = "ffffffffffffffff";
	p = s;
	assert_true(parse_hex_u64(&p, s + 16, &v));
	assert_true(v == UINT64_MAX);
	s = "10000000000000000"; /* 17 digits: does not fit */
	p = s;
	assert_false(parse_hex_u64(&p, s + 17, &v));
	s = ",4";
	p = s;
	assert_false(parse_hex_u64(&p, s + 2, &v));

	assert_true(hex_decode("deadBEEF", 8, b, 4));
	assert_int_equal(b[0], 0xde);
	assert_int_equal(b[3], 0xef);
	assert_false(hex_decode("dead", 4, b, 4)); /* too short */
	assert_false(hex_decode("de0g", 4, b, 2));

	s = "-1";
	p = s;
	assert_true(parse_thread_id(&p, s + 2, &id));
	assert_int_equal(id, -1);
	s = "1f";
	p = s;
	assert_true(parse_thread_id(&p, s + 2, &id));
	assert_int_equal(id, 0x1f);
	s = "80000000";
	p = s;
	assert_false(parse_thread_id(&p, s + 8, &id)); /* not an int */
}

static void binary_escaping(void **state)
{
	static const unsigned char raw[] = {'a', '#', '$', '}', '*', 0, 'z'};
	struct gdb_out *o = calloc(1, sizeof(*o));
	unsigned char back[16];
	size_t n = 0;

	assert_non_null(o);
	out_reset(o);
	out_binary(o, raw, sizeof(raw));
	assert_int_equal(o->len, 11);
	assert_memory_equal(o->buf, "a}\x03}\x04}]}\x0a\0z", 11);
	assert_true(binary_decode(o->buf, o->len, back, sizeof(back), &n));
	assert_int_equal(n, sizeof(raw));
	assert_memory_equal(back, raw, sizeof(raw));
	assert_false(binary_decode("ab}", 3, back, sizeof(back), &n)); /* truncated escape */
	assert_false(binary_decode("abc", 3, back, 2, &n));            /* more than max */

	out_reset(o);
	out_hex(o, "\x01\xab", 2);
	assert_string_equal(o->buf, "01ab");
	/* a reply that would not fit a packet overflows instead of being cut */
	out_reset(o);
	for (unsigned i = 0; i < GDB_PACKET_MAX / 2 + 1; i++) {
		out_hex(o, "\x00", 1);
	}
	assert_true(o->overflow);
	free(o);
}

static void register_table_and_description(void **state)
{
	char *xml = gdb_target_xml_build();
	struct gdb_regs r, back;
	struct gdb_out *o = calloc(1, sizeof(*o));
	char want[128];

	assert_non_null(xml);
	assert_non_null(o);
	assert_non_null(strstr(xml, "<architecture>aarch64</architecture>"));
	assert_non_null(strstr(xml, "<feature name=\"org.gnu.gdb.aarch64.core\">"));
	assert_non_null(strstr(xml, "<feature name=\"org.cca-sim.aarch64.sysregs\">"));
	for (unsigned i = 0; i < GDB_NUM_REGS; i++) {
		snprintf(want, sizeof(want), "<reg name=\"%s\" bitsize=\"%u\"", gdb_reg_name(i),
			 gdb_reg_desc(i)->bits);
		assert_non_null(strstr(xml, want));
		snprintf(want, sizeof(want), "regnum=\"%u\"", i);
		assert_non_null(strstr(xml, want));
	}
	/* the core feature comes first and holds the core registers only */
	assert_true(strstr(xml, "name=\"cpsr\"") < strstr(xml, "org.cca-sim.aarch64.sysregs"));
	assert_true(strstr(xml, "name=\"esr_el1\"") > strstr(xml, "org.cca-sim.aarch64.sysregs"));
	assert_string_equal(gdb_reg_name(GDB_REG_PC), "pc");
	assert_string_equal(gdb_reg_name(GDB_REG_VBAR_EL1), "vbar_el1");
	assert_null(gdb_reg_name(GDB_NUM_REGS));
	free(xml);

	memset(&r, 0, sizeof(r));
	r.value[GDB_REG_X0] = 0x0123456789abcdefULL;
	r.valid[GDB_REG_X0] = true;
	r.value[GDB_REG_CPSR] = 0x3c5;
	r.valid[GDB_REG_CPSR] = true;
	out_reset(o);
	regs_to_hex(o, &r, GDB_REG_X0, 2);
	assert_string_equal(o->buf, "efcdab8967452301xxxxxxxxxxxxxxxx"); /* little-endian */
	out_reset(o);
	regs_to_hex(o, &r, GDB_REG_CPSR, 1);
	assert_string_equal(o->buf, "c5030000"); /* cpsr is 32 bits */
	memset(&back, 0, sizeof(back));
	assert_true(regs_from_hex("efcdab8967452301xxxxxxxxxxxxxxxx", 32, &back, 0, 2));
	assert_true(back.valid[0]);
	assert_false(back.valid[1]);
	assert_true(back.value[0] == 0x0123456789abcdefULL);
	assert_false(regs_from_hex("efcdab89674523", 14, &back, 0, 1));     /* short */
	assert_false(regs_from_hex("efcdab89674523zz", 16, &back, 0, 1));   /* bad digit */
	assert_false(regs_from_hex("xxxxxxxx4523xxxx", 16, &back, 0, 1));   /* half unavailable */
	assert_false(regs_from_hex("00000000", 8, &back, GDB_NUM_REGS, 1)); /* no such register */
	free(o);
}

/* --- framing and the link ----------------------------------------------------------------- */

static void acks_and_no_ack_mode(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "qSupported:multiprocess+;swbreak+;hwbreak+", "QStartNoAckMode", "qAttached");
	assert_string_equal(t->reply[0], "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;"
					 "QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+");
	assert_string_equal(t->reply[1], "OK");
	assert_string_equal(t->reply[2], "1");
	/* qSupported and QStartNoAckMode were acknowledged; nothing after */
	assert_int_equal(t->acks, 2);
	ASK(t, "qC");
	assert_string_equal(t->reply[0], "QC1");
	assert_int_equal(t->acks, 0);
	session_close(t);
}

static void bad_checksum_is_nacked(void **state)
{
	struct session *t = session_open(false);

	send_raw(t, "$qC#00", 6);         /* wrong sum */
	send_raw(t, "$qC#zz", 6);         /* not hex */
	send_raw(t, "garbage+-\x03", 10); /* between packets: ignored */
	ASK(t, "qC");
	assert_int_equal(t->nacks, 2);
	assert_int_equal(t->acks, 2); /* the good qC and the c */
	assert_string_equal(t->reply[0], "QC1");
	session_close(t);
}

static void overlong_packet_is_nacked(void **state)
{
	struct session *t = session_open(false);
	size_t n = GDB_PACKET_MAX + 100;
	char *big = malloc(n + 4);

	assert_non_null(big);
	big[0] = '$';
	memset(big + 1, 'a', n);
	big[n + 1] = '#';
	big[n + 2] = '0';
	big[n + 3] = '0';
	send_raw(t, big, n + 4);
	free(big);
	ASK(t, "qC");
	assert_int_equal(t->nacks, 1);
	assert_string_equal(t->reply[0], "QC1");
	session_close(t);
}

static void dollar_restarts_a_packet(void **state)
{
	struct session *t = session_open(false);

	send_raw(t, "$g", 2); /* cut short by the next '$' */
	ASK(t, "qAttached");
	assert_string_equal(t->reply[0], "1");
	assert_int_equal(t->nacks, 0);
	session_close(t);
}

static void eof_mid_packet_is_a_lost_session(void **state)
{
	struct session *t = session_open(false);
	struct gdb_resume r;

	send_pkt(t, "Z0,80000008,4");
	send_raw(t, "$qXfer:feat", 11);
	shutdown(t->peer, SHUT_WR);
	r = serve(t, &first_stop);
	assert_int_equal(r.action, GDB_DETACH);
	assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_LOST);
	assert_int_equal(t->nreplies, 1);
	assert_string_equal(t->reply[0], "OK");
	/* the breakpoint gdb left is gone: the run goes on without it */
	assert_int_equal(t->f.inserts, 1);
	assert_int_equal(t->f.npoints, 0);
	/* and every later stop returns at once */
	assert_int_equal(gdb_server_wait(t->srv, &first_stop).action, GDB_DETACH);
	assert_false(gdb_server_interrupt_pending(t->srv));
	session_close(t);
}

static void stalled_packet_times_out(void **state)
{
	struct session *t = session_open(false);
	pid_t child;

	/* half a packet, then nothing for longer than the io timeout (300 ms): it is dropped
	 * with a nack, and the next packet is served. The rest comes 1 s later (a margin for a
	 * loaded machine) from a child process, as the server reads in this one. */
	send_raw(t, "$qAtt", 5);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		static const char later[] = "ached#8f$c#63";

		usleep(1000 * 1000);
		_exit(write(t->peer, later, sizeof(later) - 1) == (ssize_t)sizeof(later) - 1 ? 0
											     : 1);
	}
	assert_int_equal(serve(t, &first_stop).action, GDB_CONTINUE);
	assert_int_equal(waitpid(child, NULL, 0), child);
	/* "ached#8f" was line noise by then; c was served */
	assert_int_equal(t->nacks, 1);
	assert_int_equal(t->nreplies, 0);
	session_close(t);
}

/* --- queries ------------------------------------------------------------------------------ */

static void stop_reason_and_threads(void **state)
{
	struct session *t = session_open(false);
	char extra[128];

	hex_of("Realm world, EL1, REC 0, runnable", extra);
	ASK(t, "?", "qfThreadInfo", "qsThreadInfo", "qC", "qThreadExtraInfo,2",
	    "qThreadExtraInfo,1", "qThreadExtraInfo,9", "T2", "T9", "T", "Hg9", "Hg2", "qC", "Hx1",
	    "qThreadExtraInfo,zz");
	assert_string_equal(t->reply[0], "T05thread:1;");
	assert_string_equal(t->reply[1], "m1,2");
	assert_string_equal(t->reply[2], "l");
	assert_string_equal(t->reply[3], "QC1");
	assert_string_equal(t->reply[4], extra);
	hex_of("Non-secure world, EL2", extra);
	assert_string_equal(t->reply[5], extra);
	assert_string_equal(t->reply[6], "E02");
	assert_string_equal(t->reply[7], "OK");
	assert_string_equal(t->reply[8], "E02");
	assert_string_equal(t->reply[9], "E01");
	assert_string_equal(t->reply[10], "E02");
	assert_string_equal(t->reply[11], "OK");
	assert_string_equal(t->reply[12], "QC1"); /* the stopped thread, whatever Hg says */
	assert_string_equal(t->reply[13], "E01");
	assert_string_equal(t->reply[14], "E01");
	session_close(t);
}

static void xfer_features_in_windows(void **state)
{
	struct session *t = session_open(false);
	char *xml = gdb_target_xml_build();
	size_t total = strlen(xml);
	char *got = calloc(1, total + 1);
	size_t have = 0;

	assert_non_null(got);
	/* read it in 0x100-byte windows, as a gdb with a small PacketSize would */
	for (;;) {
		char pkt[64];
		const char *r;

		snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,100", have);
		r = reply_to(t, &first_stop, pkt);
		assert_true(r[0] == 'm' || r[0] == 'l');
		assert_true(have + strlen(r + 1) <= total);
		memcpy(got + have, r + 1, strlen(r + 1));
		have += strlen(r + 1);
		if (r[0] == 'l') {
			break;
		}
		assert_int_equal(strlen(r + 1), 0x100);
	}
	assert_string_equal(got, xml);
	ASK(t, "qXfer:features:read:other.xml:0,100", "qXfer:features:read:target.xml:ffff,100",
	    "qXfer:features:write:target.xml:0,1", "qXfer:libraries:read::0,100",
	    "qXfer:features:read:target.xml", "qXfer:features:read:target.xml:0,zz");
	assert_string_equal(t->reply[0], "E00");
	assert_string_equal(t->reply[1], "l"); /* past the end */
	assert_string_equal(t->reply[2], "");
	assert_string_equal(t->reply[3], "");
	assert_string_equal(t->reply[4], "E01");
	assert_string_equal(t->reply[5], "E01");
	free(got);
	free(xml);
	session_close(t);
}

static void xfer_threads(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "qXfer:threads:read::0,1000", "qXfer:threads:read:x:0,1000");
	assert_string_equal(
	    t->reply[0], "l<?xml version=\"1.0\"?>\n<threads>\n"
			 "<thread id=\"1\" name=\"host NS-EL2\">Non-secure world, EL2</thread>\n"
			 "<thread id=\"2\" name=\"REC 0 R-EL1 (realm)\">Realm world, EL1, REC 0, "
			 "runnable</thread>\n</threads>\n");
	assert_string_equal(t->reply[1], "E00");
	/* the target's text is escaped in XML, as it is in the plain reply */
	snprintf(t->f.rec_state, sizeof(t->f.rec_state), "<R&D \"x\">");
	ASK(t, "qXfer:threads:read::0,1000");
	assert_non_null(
	    strstr(t->reply[0], ">Realm world, EL1, REC 0, &lt;R&amp;D &quot;x&quot;&gt;<"));
	session_close(t);
}

static void unknown_packets_get_empty_replies(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "vMustReplyEmpty", "qTStatus", "qOffsets", "!", "", "\x7f",
	    "qSymbol::", "vFile:open:", "qCRC:0,4");
	for (unsigned i = 0; i < t->nreplies; i++) {
		assert_string_equal(t->reply[i], "");
	}
	session_close(t);
}

/* --- registers ---------------------------------------------------------------------------- */

static void read_registers(void **state)
{
	struct session *t = session_open(false);
	const char *g;

	ASK(t, "g", "Hg2", "g", "p20", "p21", "p22", "p26", "p3f", "p40", "pzz", "p20x");
	g = t->reply[0];
	/* 31 X, sp, pc (8 bytes each), cpsr (4), then the system registers (8 each) */
	assert_int_equal(strlen(g), 2 * (33 * 8 + 4 + (GDB_NUM_REGS - 34) * 8));
	assert_memory_equal(g,
			    "0000000000000000"
			    "0110000000000000",
			    32);                                               /* x0, x1 */
	assert_memory_equal(g + 2 * 8 * 32, "0000008000000000", 16);           /* pc */
	assert_memory_equal(g + 2 * 8 * 33, "c9030000", 8);                    /* cpsr */
	assert_memory_equal(g + 2 * (8 * 33 + 4), "0800000000000000", 16);     /* currentel = EL2 */
	assert_memory_equal(g + 2 * (8 * 33 + 4 + 8), "xxxxxxxxxxxxxxxx", 16); /* no sp_el0 */
	/* after Hg2, the REC's */
	assert_memory_equal(t->reply[2] + 2 * 8 * 32, "0001010000000000", 16);
	assert_string_equal(t->reply[3], "0001010000000000"); /* p pc */
	assert_string_equal(t->reply[4], "c5030000");         /* p cpsr */
	assert_string_equal(t->reply[5], "0400000000000000"); /* p currentel = EL1 */
	assert_string_equal(t->reply[6], "0000000000000000"); /* p elr_el1 */
	assert_string_equal(t->reply[7], "xxxxxxxxxxxxxxxx"); /* the REC has no vbar_el2 */
	assert_string_equal(t->reply[8], "E01");              /* no register 0x40 */
	assert_string_equal(t->reply[9], "E01");
	assert_string_equal(t->reply[10], "E01");
	session_close(t);
}

static void write_registers(void **state)
{
	struct session *t = session_open(false);
	char g[1024];

	ASK(t, "Hg2", "P5=efbeadde00000000", "P20=0401010000000000", "P22=0c00000000000000",
	    "P3e=0000000000000000", "P5=1234", "P5", "P5=xxxxxxxxxxxxxxxx", "Px=00");
	assert_string_equal(t->reply[1], "OK");
	assert_true(t->f.th[1].regs.value[5] == 0xdeadbeef);
	assert_string_equal(t->reply[2], "OK");
	assert_true(fake_pc(&t->f, FAKE_REC) == FAKE_REC_VA + FAKE_REC_CODE + 4);
	assert_string_equal(t->reply[3], "E03"); /* currentel is read-only */
	assert_string_equal(t->reply[4], "E03"); /* the REC has no sctlr_el2 */
	assert_string_equal(t->reply[5], "E01");
	assert_string_equal(t->reply[6], "E01");
	assert_string_equal(t->reply[7], "E01");
	assert_string_equal(t->reply[8], "E01");
	assert_true(t->f.th[1].regs.value[5] == 0xdeadbeef);

	/* G: gdb's whole register file back, with x7 changed; unavailable ones stay so */
	ASK(t, "Hg2", "g"); /* each stop makes the stopped thread gdb's Hg thread again */
	snprintf(g, sizeof(g), "%s", t->reply[1]);
	for (unsigned k = 0; k < 16; k++) { /* x7 = 0x7000000000000007 */
		g[2 * 8 * 7 + k] = "0700000000000070"[k];
	}
	{
		char pkt[1100];

		snprintf(pkt, sizeof(pkt), "G%s", g);
		ASK(t, "Hg2", pkt, "G0011", "G");
	}
	assert_string_equal(t->reply[1], "OK");
	assert_true(t->f.th[1].regs.value[7] == 0x7000000000000007ULL);
	assert_true(t->f.th[1].regs.value[5] == 0xdeadbeef);
	assert_string_equal(t->reply[2], "E01");
	assert_string_equal(t->reply[3], "E01");
	session_close(t);
}

/* --- memory ------------------------------------------------------------------------------- */

static void read_memory(void **state)
{
	struct session *t = session_open(false);
	char want[64];

	ASK(t, "m80000000,8", "m80000ffc,10", "m7ffffffc,4", "m80001000,4", "mffffffffffffffff,10",
	    "mzz,4", "m80000000", "m80000000,", "m80000000,4x", "m80000000,0");
	assert_string_equal(t->reply[0], "0000000000000000");
	assert_string_equal(t->reply[1], "00000000"); /* the last 4 mapped bytes only */
	assert_string_equal(t->reply[2], "E0e");
	assert_string_equal(t->reply[3], "E0e");
	assert_string_equal(t->reply[4], "E0e");
	for (unsigned i = 5; i < 9; i++) {
		assert_string_equal(t->reply[i], "E01");
	}
	assert_string_equal(t->reply[9], "");

	/* each thread reads through its own view: the REC sees RAM at another address */
	snprintf(want, sizeof(want), "%02x%02x%02x%02x", FAKE_DATA2 & 0xff, FAKE_DATA2 >> 8, 0,
		 FAKE_STORE);
	ASK(t, "Hg2", "m10104,4", "m80000104,4");
	assert_string_equal(t->reply[1], want);
	assert_string_equal(t->reply[2], "E0e");
	session_close(t);
}

static void huge_reads_are_clamped(void **state)
{
	struct session *t = session_open(false);

	/* more than a packet holds: a shorter reply, which gdb continues from */
	ASK(t, "m80000000,ffffffff");
	assert_int_equal(strlen(t->reply[0]), 2 * FAKE_RAM_SIZE);
	session_close(t);
}

static void write_memory(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "M80000800,4:11223344", "m80000800,4", "M80000800,4:112233", "M80000800,2:112233",
	    "M80000800,4:1122zz44", "M80000800,ffffffff:00", "M80000ffe,4:00000000", "Mzz",
	    "M80000800,4");
	assert_string_equal(t->reply[0], "OK");
	assert_string_equal(t->reply[1], "11223344");
	for (unsigned i = 2; i < 6; i++) {
		assert_string_equal(t->reply[i], "E01");
	}
	assert_string_equal(t->reply[6], "E0e"); /* runs off the mapping: nothing written */
	assert_int_equal(t->f.ram[FAKE_RAM_SIZE - 2], 0);
	assert_string_equal(t->reply[7], "E01");
	assert_string_equal(t->reply[8], "E01");
	session_close(t);
}

static void write_binary_memory(void **state)
{
	struct session *t = session_open(false);
	/* X80000800,5: bytes # $ } * 0 escaped as gdb escapes them */
	static const char x[] = "X80000800,5:}\x03}\x04}]}\x0a\x00";
	char frame[64];
	size_t n = sizeof(x) - 1;

	frame[0] = '$';
	memcpy(frame + 1, x, n);
	snprintf(frame + 1 + n, 4, "#%02x", gdb_checksum(x, n));
	send_raw(t, frame, n + 4);
	{
		static const char *more[] = {"m80000800,5",    "X80000800,0:",    "X80000800,2:a}",
					     "X80000800,3:ab", "X80000800,1:abc", "X7fff0000,1:a",
					     "X80000800"};

		for (unsigned i = 0; i < 7; i++) {
			send_pkt(t, more[i]);
		}
		send_pkt(t, "c");
		serve(t, &first_stop);
		assert_int_equal(t->nreplies, 8);
	}
	assert_string_equal(t->reply[0], "OK");
	assert_string_equal(t->reply[1], "23247d2a00");
	assert_string_equal(t->reply[2], "OK");  /* gdb's probe for X */
	assert_string_equal(t->reply[3], "E01"); /* truncated escape */
	assert_string_equal(t->reply[4], "E01"); /* shorter than said */
	assert_string_equal(t->reply[5], "E01"); /* longer than said */
	assert_string_equal(t->reply[6], "E0e");
	assert_string_equal(t->reply[7], "E01");
	session_close(t);
}

/* --- running: breakpoints, watchpoints, steps --------------------------------------------- */

/* Serves until gdb resumes, runs the fake as asked, and returns the stop. */
static struct gdb_stop run_once(struct session *t, const struct gdb_stop *stop)
{
	struct gdb_resume r = serve(t, stop);

	return fake_run(&t->f, &r, t->srv);
}

static void breakpoint_in_the_rec(void **state)
{
	struct session *t = session_open(false);
	struct gdb_stop stop;
	char pkt[64];

	send_pkt(t, "qSupported:swbreak+;hwbreak+");
	snprintf(pkt, sizeof(pkt), "Z0,%llx,4", FAKE_REC_VA + FAKE_OFF_REC_STORE);
	send_pkt(t, pkt);
	send_pkt(t, pkt); /* inserted already: not asked of the target again */
	send_pkt(t, "vCont;c");
	stop = run_once(t, &first_stop);
	assert_int_equal(t->nreplies, 3);
	assert_string_equal(t->reply[1], "OK");
	assert_string_equal(t->reply[2], "OK");
	assert_int_equal(t->f.inserts, 1);
	/* the host entered the REC, which stopped before its store */
	assert_int_equal(stop.kind, GDB_STOP_BREAK_SW);
	assert_int_equal(stop.thread, FAKE_REC);
	assert_true(fake_pc(&t->f, FAKE_REC) == FAKE_REC_VA + FAKE_OFF_REC_STORE);
	assert_int_equal(t->f.ram[FAKE_DATA2], 0);

	snprintf(pkt, sizeof(pkt), "z0,%llx,4", FAKE_REC_VA + FAKE_OFF_REC_STORE);
	send_pkt(t, "?");
	send_pkt(t, "g");
	send_pkt(t, pkt);
	send_pkt(t, pkt); /* not inserted any more: fine */
	send_pkt(t, "vCont;s:2");
	stop = run_once(t, &stop);
	assert_string_equal(t->reply[0], "T05thread:2;swbreak:;");
	assert_string_equal(t->reply[1], "T05thread:2;swbreak:;");
	assert_memory_equal(t->reply[2] + 2 * 8 * 32, "0401010000000000", 16); /* Hg follows */
	assert_string_equal(t->reply[3], "OK");
	assert_string_equal(t->reply[4], "OK");
	assert_int_equal(t->f.npoints, 0);
	assert_int_equal(stop.kind, GDB_STOP_STEP);
	assert_int_equal(stop.thread, FAKE_REC);
	assert_int_equal(t->f.ram[FAKE_DATA2], 1);

	send_pkt(t, "k");
	assert_int_equal(serve(t, &stop).action, GDB_KILL);
	assert_string_equal(t->reply[0], "T05thread:2;");
	assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_KILLED);
	assert_int_equal(gdb_server_wait(t->srv, &stop).action, GDB_KILL);
	session_close(t);
}

static void hardware_breakpoint_and_old_gdb(void **state)
{
	struct session *t = session_open(false);
	struct gdb_stop stop;

	/* a gdb that did not offer swbreak+/hwbreak+ gets plain T05 */
	send_pkt(t, "qSupported:multiprocess+");
	send_pkt(t, "Z1,80000010,4");
	send_pkt(t, "c");
	stop = run_once(t, &first_stop);
	assert_int_equal(stop.kind, GDB_STOP_BREAK_HW);
	assert_int_equal(stop.thread, FAKE_HOST);
	send_pkt(t, "D");
	send_raw(t, "+", 1); /* gdb acknowledges the OK */
	assert_int_equal(serve(t, &stop).action, GDB_DETACH);
	assert_string_equal(t->reply[0], "T05thread:1;");
	session_close(t);

	t = session_open(false);
	send_pkt(t, "qSupported:swbreak+;hwbreak+");
	send_pkt(t, "Z1,80000010,4");
	send_pkt(t, "c");
	stop = run_once(t, &first_stop);
	send_pkt(t, "D");
	send_raw(t, "+", 1); /* gdb acknowledges the OK */
	serve(t, &stop);
	assert_string_equal(t->reply[0], "T05thread:1;hwbreak:;");
	session_close(t);
}

static void watchpoints_stop_before_the_access(void **state)
{
	static const struct {
		const char *z;
		const char *reply;
	} cases[] = {
	    {"Z2,80000800,8", "T05thread:1;watch:80000800;"},
	    {"Z3,80000808,8", "T05thread:1;rwatch:80000808;"},
	    {"Z4,80000804,2", "T05thread:1;awatch:80000800;"},
	};

	for (unsigned i = 0; i < 3; i++) {
		struct session *t = session_open(false);
		struct gdb_stop stop;

		send_pkt(t, cases[i].z);
		send_pkt(t, "c");
		stop = run_once(t, &first_stop);
		assert_string_equal(t->reply[0], "OK");
		send_pkt(t, "D");
		send_raw(t, "+", 1); /* gdb acknowledges the OK */
		serve(t, &stop);
		assert_string_equal(t->reply[0], cases[i].reply);
		/* the access has not happened: the store's value is not there yet */
		if (i != 1) {
			assert_int_equal(t->f.ram[FAKE_DATA], 0);
		} else {
			assert_true(fake_pc(&t->f, FAKE_HOST) == FAKE_HOST_VA + FAKE_OFF_LOAD);
		}
		/* the detach took the point out of the target */
		assert_int_equal(t->f.npoints, 0);
		assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_DETACHED);
		session_close(t);
	}
}

static void points_refused(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "Z5,80000000,4", "Z0,80000000", "Zx", "Z0,80000000,4;X0", "z0,zz,4");
	assert_string_equal(t->reply[0], ""); /* a type nobody offers */
	assert_string_equal(t->reply[1], "E01");
	assert_string_equal(t->reply[2], "E01");
	assert_string_equal(t->reply[3], "OK"); /* conditions are ignored */
	assert_string_equal(t->reply[4], "E01");
	/* the fake holds 8: the 9th distinct point is refused by the target */
	for (unsigned i = 1; i < FAKE_MAX_POINTS; i++) {
		char pkt[32];

		snprintf(pkt, sizeof(pkt), "Z0,%x,4", 0x80000000U + 4 * i);
		send_pkt(t, pkt);
	}
	send_pkt(t, "Z0,80000100,4");
	send_pkt(t, "c");
	serve(t, &first_stop);
	drop_stop_reply(t, true);
	assert_int_equal(t->nreplies, FAKE_MAX_POINTS);
	assert_string_equal(t->reply[FAKE_MAX_POINTS - 2], "OK");
	assert_string_equal(t->reply[FAKE_MAX_POINTS - 1], "E04");
	session_close(t);
}

static void step_over_entering_the_rec(void **state)
{
	struct session *t = session_open(false);
	struct gdb_stop stop;
	char pkt[64];

	/* to the host's ENTER, then one step: the REC runs in between */
	snprintf(pkt, sizeof(pkt), "Z0,%llx,4", FAKE_HOST_VA + FAKE_OFF_ENTER);
	send_pkt(t, pkt);
	send_pkt(t, "c");
	stop = run_once(t, &first_stop);
	assert_int_equal(stop.kind, GDB_STOP_BREAK_SW);
	pkt[0] = 'z';
	send_pkt(t, pkt);
	send_pkt(t, "vCont;s:1;c");
	{
		struct gdb_resume r = serve(t, &stop);

		assert_int_equal(r.action, GDB_STEP);
		assert_int_equal(r.thread, FAKE_HOST);
		assert_true(r.others_run);
		stop = fake_run(&t->f, &r, t->srv);
	}
	assert_int_equal(stop.kind, GDB_STOP_STEP);
	assert_int_equal(stop.thread, FAKE_HOST);
	assert_true(fake_pc(&t->f, FAKE_HOST) == FAKE_HOST_VA + FAKE_OFF_ENTER + 4);
	assert_int_equal(t->f.ram[FAKE_DATA2], 1); /* the REC's store */
	assert_int_equal(t->f.nevents, 2);
	send_pkt(t, "D");
	send_raw(t, "+", 1); /* gdb acknowledges the OK */
	serve(t, &stop);
	assert_string_equal(t->reply[0], "T05thread:1;");
	session_close(t);
}

static void resume_packets(void **state)
{
	static const struct {
		const char *pkt;
		enum gdb_action action;
		int thread;
		bool others_run;
	} cases[] = {
	    {"c", GDB_CONTINUE, 0, true},
	    {"s", GDB_STEP, FAKE_HOST, true},
	    {"C05", GDB_CONTINUE, 0, true},
	    {"S0b", GDB_STEP, FAKE_HOST, true},
	    {"vCont;c", GDB_CONTINUE, 0, true},
	    {"vCont;s:2", GDB_STEP, FAKE_REC, false},
	    {"vCont;s:2;c", GDB_STEP, FAKE_REC, true},
	    {"vCont;S05:1;c:2", GDB_STEP, FAKE_HOST, true},
	    {"vCont;C0b:1", GDB_CONTINUE, 0, true},
	    {"vCont;s", GDB_STEP, FAKE_HOST, false},
	    {"vCont;c:-1", GDB_CONTINUE, 0, true},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct session *t = session_open(false);
		struct gdb_resume r;

		send_pkt(t, cases[i].pkt);
		r = serve(t, &first_stop);
		assert_int_equal(t->nreplies, 0);
		assert_int_equal(r.action, cases[i].action);
		assert_int_equal(r.thread, cases[i].thread);
		assert_int_equal(r.others_run, cases[i].others_run);
		session_close(t);
	}
}

static void resume_packets_refused(void **state)
{
	struct session *t = session_open(false);

	ASK(t, "vCont?", "vCont", "vCont;", "vCont;t:1", "vCont;s:9", "vCont;c:zz", "vCont;C", "cz",
	    "C", "Czz", "S05;", "c80000000x", "Hc9", "vCont;r0,4:1");
	assert_string_equal(t->reply[0], "vCont;c;C;s;S");
	assert_string_equal(t->reply[1], "E01");
	assert_string_equal(t->reply[2], "E01");
	assert_string_equal(t->reply[3], "E01");
	assert_string_equal(t->reply[4], "E02");
	for (unsigned i = 5; i < 12; i++) {
		assert_string_equal(t->reply[i], "E01");
	}
	assert_string_equal(t->reply[12], "E02");
	assert_string_equal(t->reply[13], "E01");
	session_close(t);
}

static void continue_at_an_address(void **state)
{
	struct session *t = session_open(false);
	struct gdb_resume r;

	send_pkt(t, "Hc2");
	send_pkt(t, "c10108");
	r = serve(t, &first_stop);
	assert_int_equal(r.action, GDB_CONTINUE);
	assert_string_equal(t->reply[0], "OK");
	assert_true(fake_pc(&t->f, FAKE_REC) == FAKE_REC_VA + 0x108);
	assert_true(fake_pc(&t->f, FAKE_HOST) == FAKE_HOST_VA);
	session_close(t);
}

static void run_to_the_end(void **state)
{
	struct session *t = session_open(false);
	struct gdb_stop stop;

	send_pkt(t, "c");
	stop = run_once(t, &first_stop);
	assert_int_equal(stop.kind, GDB_STOP_EXITED);
	assert_int_equal(stop.status, FAKE_EXIT_CODE);
	/* W, then the server waits (bounded) for gdb to close */
	shutdown(t->peer, SHUT_WR);
	assert_int_equal(serve(t, &stop).action, GDB_DETACH);
	assert_int_equal(t->nreplies, 1);
	assert_string_equal(t->reply[0], "W03");
	assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_EXITED);
	session_close(t);
}

static void a_fault_is_a_signal(void **state)
{
	struct session *t = session_open(false);
	struct gdb_stop stop;
	char pkt[64];

	/* gdb writes a faulting instruction into the REC's code, then continues */
	snprintf(pkt, sizeof(pkt), "M%llx,4:00000006", FAKE_REC_VA + FAKE_OFF_REC_STORE);
	send_pkt(t, "Hg2");
	send_pkt(t, pkt);
	send_pkt(t, "c");
	stop = run_once(t, &first_stop);
	assert_string_equal(t->reply[1], "OK");
	assert_int_equal(stop.kind, GDB_STOP_FAULT);
	send_pkt(t, "D");
	send_raw(t, "+", 1); /* gdb acknowledges the OK */
	serve(t, &stop);
	assert_string_equal(t->reply[0], "T0bthread:2;");
	session_close(t);
}

static void interrupt_while_running(void **state)
{
	struct session *t = session_open(true); /* the host spins */
	struct gdb_stop stop;

	send_pkt(t, "c");
	send_raw(t, "\x03", 1);
	stop = run_once(t, &first_stop);
	assert_int_equal(stop.kind, GDB_STOP_INTERRUPT);
	assert_true(t->f.insns < 100000); /* ^C was seen long before the spin ended */
	send_pkt(t, "D");
	send_raw(t, "+", 1); /* gdb acknowledges the OK */
	serve(t, &stop);
	assert_string_equal(t->reply[0], "T02thread:1;");
	session_close(t);
}

static void packets_while_running_wait(void **state)
{
	struct session *t = session_open(false);
	struct gdb_resume r;

	/* bytes that arrive while the machine runs are kept, not lost */
	send_pkt(t, "c");
	r = serve(t, &first_stop);
	assert_int_equal(r.action, GDB_CONTINUE);
	send_raw(t, "+", 1);
	send_pkt(t, "qC");
	assert_false(gdb_server_interrupt_pending(t->srv));
	send_pkt(t, "c");
	assert_int_equal(
	    serve(t, &(struct gdb_stop){.kind = GDB_STOP_STEP, .thread = FAKE_REC}).action,
	    GDB_CONTINUE);
	assert_int_equal(t->nreplies, 2);
	assert_string_equal(t->reply[0], "T05thread:2;");
	assert_string_equal(t->reply[1], "QC2");
	session_close(t);
}

static void stop_of_an_unknown_thread(void **state)
{
	struct session *t = session_open(false);

	send_pkt(t, "c");
	serve(t, &first_stop);
	send_pkt(t, "c");
	serve(t, &(struct gdb_stop){.kind = GDB_STOP_STEP, .thread = 42});
	assert_string_equal(t->reply[0], "T05thread:1;");
	send_pkt(t, "c");
	serve(t, &(struct gdb_stop){.kind = GDB_STOP_SIGNAL, .signal = GDB_SIGILL, .thread = 2});
	assert_string_equal(t->reply[0], "T04thread:2;");
	session_close(t);
}

static void disconnect_while_running(void **state)
{
	struct session *t = session_open(false);
	struct gdb_resume r;

	send_pkt(t, "Z0,80000010,4");
	send_pkt(t, "c");
	r = serve(t, &first_stop);
	assert_int_equal(r.action, GDB_CONTINUE);
	close(t->peer);
	t->peer = -1;
	assert_true(gdb_server_interrupt_pending(t->srv)); /* come back and stop */
	r = gdb_server_wait(t->srv, &(struct gdb_stop){.kind = GDB_STOP_INTERRUPT});
	assert_int_equal(r.action, GDB_DETACH);
	assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_LOST);
	assert_int_equal(t->f.npoints, 0);
	assert_false(gdb_server_interrupt_pending(t->srv));
	session_close(t);
}

/* --- monitor ------------------------------------------------------------------------------ */

static void monitor_commands(void **state)
{
	struct session *t = session_open(false);
	char pkt[300], want[256];

	t->f.nevents = 1;
	snprintf(t->f.events[0], sizeof(t->f.events[0]), "host enters REC 0");
	hex_of("events", want);
	snprintf(pkt, sizeof(pkt), "qRcmd,%s", want);
	send_pkt(t, pkt);
	hex_of("frobnicate", want);
	snprintf(pkt, sizeof(pkt), "qRcmd,%s", want);
	send_pkt(t, pkt);
	send_pkt(t, "qRcmd,6");
	send_pkt(t, "qRcmd,zz");
	send_pkt(t, "qRcmd,6500");
	send_pkt(t, "c");
	serve(t, &first_stop);
	assert_int_equal(t->nreplies, 7);
	/* the answer goes to gdb's console as O packets, then OK */
	hex_of("  1  host enters REC 0\n", want);
	assert_int_equal(t->reply[0][0], 'O');
	assert_string_equal(t->reply[0] + 1, want);
	assert_string_equal(t->reply[1], "OK");
	hex_of("unknown monitor command 'frobnicate'\n", want);
	assert_string_equal(t->reply[2] + 1, want);
	assert_string_equal(t->reply[3], "OK");
	assert_string_equal(t->reply[4], "E01");
	assert_string_equal(t->reply[5], "E01");
	assert_string_equal(t->reply[6], "E01"); /* a NUL inside */
	session_close(t);
}

static void optional_target_functions(void **state)
{
	static const char *const without[] = {"memory", "points", "monitor", NULL};
	struct session *t = session_create(false, NULL, without);
	struct gdb_config cfg = {0};
	struct gdb_target target = fake_gdb_target(&t->f);
	struct gdb_server *srv;
	char err[128];

	ASK(t, "m80000000,4", "M80000000,1:00", "X80000000,1:a", "Z0,80000000,4", "qRcmd,65", "qC");
	for (unsigned i = 0; i < 5; i++) {
		assert_string_equal(t->reply[i], "");
	}
	assert_string_equal(t->reply[5], "QC1");
	session_close(t);

	target.threads = NULL;
	assert_int_equal(gdb_server_create(&cfg, &target, &srv, err, sizeof(err)), -1);
	assert_null(srv);
	assert_non_null(strstr(err, "threads"));
}

/* --- listening ---------------------------------------------------------------------------- */

static void listen_addresses(void **state)
{
	static const char *bad[] = {"",     "abc",       "1:2:3", "70000",          "-1",
				    "[::1", "[::1]1234", "host:", "127.0.0.1:12ab", ":"};
	struct fake_target f;
	struct gdb_target target;
	struct gdb_server *srv;
	char err[160];

	fake_init(&f, false);
	target = fake_gdb_target(&f);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gdb_config cfg = {.listen = bad[i]};

		assert_int_equal(gdb_server_create(&cfg, &target, &srv, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "gdb address"));
	}
	{
		struct gdb_config cfg = {.listen = "localhost:0"};
		struct gdb_server *again;
		char addr[32];

		assert_int_equal(gdb_server_create(&cfg, &target, &srv, err, sizeof(err)), 0);
		gdb_server_destroy(srv);
		cfg.listen = "0";

		assert_int_equal(gdb_server_create(&cfg, &target, &srv, err, sizeof(err)), 0);
		assert_true(gdb_server_port(srv) > 0);
		/* a port in use is an error, not a crash */
		snprintf(addr, sizeof(addr), "127.0.0.1:%u", gdb_server_port(srv));
		cfg.listen = addr;
		assert_int_equal(gdb_server_create(&cfg, &target, &again, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "cannot listen"));
		/* nobody connects: a bounded wait */
		assert_int_equal(gdb_server_accept(srv, 50, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "no gdb connected"));
		assert_int_equal(gdb_server_session(srv), GDB_SESSION_WAITING);
		assert_int_equal(gdb_server_wait(srv, &first_stop).action, GDB_DETACH);
		gdb_server_destroy(srv);
	}
}

static void accept_over_tcp(void **state)
{
	struct session *t = session_create(false, "127.0.0.1:0", NULL);
	struct sockaddr_in sin;
	char err[160];

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)gdb_server_port(t->srv));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t->peer = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(t->peer >= 0);
	assert_int_equal(connect(t->peer, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(gdb_server_accept(t->srv, 1000, err, sizeof(err)), 0);
	assert_int_equal(gdb_server_session(t->srv), GDB_SESSION_ACTIVE);
	/* one gdb per run: accepting again is refused */
	assert_int_equal(gdb_server_accept(t->srv, 0, err, sizeof(err)), -1);
	ASK(t, "qC");
	assert_string_equal(t->reply[0], "QC1");
	assert_string_equal(gdb_session_name(gdb_server_session(t->srv)), "active");
	session_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(checksums_and_hex),
	    cmocka_unit_test(binary_escaping),
	    cmocka_unit_test(register_table_and_description),
	    cmocka_unit_test(acks_and_no_ack_mode),
	    cmocka_unit_test(bad_checksum_is_nacked),
	    cmocka_unit_test(overlong_packet_is_nacked),
	    cmocka_unit_test(dollar_restarts_a_packet),
	    cmocka_unit_test(eof_mid_packet_is_a_lost_session),
	    cmocka_unit_test(stalled_packet_times_out),
	    cmocka_unit_test(stop_reason_and_threads),
	    cmocka_unit_test(xfer_features_in_windows),
	    cmocka_unit_test(xfer_threads),
	    cmocka_unit_test(unknown_packets_get_empty_replies),
	    cmocka_unit_test(read_registers),
	    cmocka_unit_test(write_registers),
	    cmocka_unit_test(read_memory),
	    cmocka_unit_test(huge_reads_are_clamped),
	    cmocka_unit_test(write_memory),
	    cmocka_unit_test(write_binary_memory),
	    cmocka_unit_test(breakpoint_in_the_rec),
	    cmocka_unit_test(hardware_breakpoint_and_old_gdb),
	    cmocka_unit_test(watchpoints_stop_before_the_access),
	    cmocka_unit_test(points_refused),
	    cmocka_unit_test(step_over_entering_the_rec),
	    cmocka_unit_test(resume_packets),
	    cmocka_unit_test(resume_packets_refused),
	    cmocka_unit_test(continue_at_an_address),
	    cmocka_unit_test(run_to_the_end),
	    cmocka_unit_test(a_fault_is_a_signal),
	    cmocka_unit_test(interrupt_while_running),
	    cmocka_unit_test(packets_while_running_wait),
	    cmocka_unit_test(stop_of_an_unknown_thread),
	    cmocka_unit_test(disconnect_while_running),
	    cmocka_unit_test(monitor_commands),
	    cmocka_unit_test(optional_target_functions),
	    cmocka_unit_test(listen_addresses),
	    cmocka_unit_test(accept_over_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
