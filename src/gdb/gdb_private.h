/* SPDX-License-Identifier: GPL-2.0-or-later */
/* src/gdb internals: the session state, the wire codec, the link, the packet handlers. */
#ifndef CCA_GDB_PRIVATE_H
#define CCA_GDB_PRIVATE_H

#include "gdb/gdb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PacketSize (qSupported): the largest payload accepted and sent, and the reply buffer. */
#define GDB_PACKET_MAX 0x4000
/* m reads at most this many bytes: their hex fills a packet. */
#define GDB_MEM_MAX (GDB_PACKET_MAX / 2)
/* Retransmissions of a packet gdb nacks before the server gives up on it. */
#define GDB_SEND_TRIES            4
#define GDB_DEFAULT_IO_TIMEOUT_MS 5000

/* Error replies (Exx): the number is free text to gdb; these say which check refused. */
#define GDB_E_PACKET "E01" /* malformed packet */
#define GDB_E_THREAD "E02" /* no such thread */
#define GDB_E_REGS   "E03" /* the target refused the register access */
#define GDB_E_POINT  "E04" /* the target could not insert the point */
#define GDB_E_MEMORY "E0e" /* EFAULT: the access would fault */
#define GDB_E_ANNEX  "E00" /* qXfer: unknown annex */

/* A reply being built; overflow makes it an error reply rather than a truncated one. */
struct gdb_out {
	char buf[GDB_PACKET_MAX + 1];
	size_t len;
	bool overflow;
};

void out_reset(struct gdb_out *o);
void out_str(struct gdb_out *o, const char *s);
void out_bytes(struct gdb_out *o, const void *p, size_t n);
void out_fmt(struct gdb_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_hex(struct gdb_out *o, const void *p, size_t n);    /* two hex digits per byte */
void out_binary(struct gdb_out *o, const void *p, size_t n); /* escapes # $ } * */

/* Wire codec (codec.c). */
int hex_digit(int c); /* 0..15, or -1 */
unsigned char gdb_checksum(const void *p, size_t n);
/* Parses hex digits at *p (at most 16, at least one) up to end; advances *p. */
bool parse_hex_u64(const char **p, const char *end, uint64_t *v);
/* Decodes exactly n bytes of hex from p (2n digits). */
bool hex_decode(const char *p, size_t ndigits, void *buf, size_t n);
/* Undoes the binary escaping of X packets into buf (room for max); false on a truncated
 * escape or more than max bytes. */
bool binary_decode(const char *p, size_t n, void *buf, size_t max, size_t *out_len);
/* A thread id: "-1" (all), "0" (any) or positive hex. */
bool parse_thread_id(const char **p, const char *end, int *id);

/* Register table and target description (regs.c). */
struct gdb_reg_desc {
	const char *name;
	unsigned bits; /* 32 or 64 */
	const char *type;
	bool system; /* in org.cca-sim.aarch64.sysregs */
};
const struct gdb_reg_desc *gdb_reg_desc(unsigned reg);
/* target.xml, NUL-terminated, malloc'ed; NULL when out of memory. */
char *gdb_target_xml_build(void);
void regs_to_hex(struct gdb_out *o, const struct gdb_regs *r, unsigned first, unsigned count);
/* Parses registers first.. from hex (x.. = leave it alone); false on a bad digit or length. */
bool regs_from_hex(const char *p, size_t n, struct gdb_regs *r, unsigned first, unsigned count);

struct gdb_point_entry {
	enum gdb_point type;
	uint64_t addr, len;
};

/* What a handler wants done after it returns. */
enum gdb_after {
	GDB_AFTER_REPLY,  /* send out (possibly empty: "not supported") */
	GDB_AFTER_SENT,   /* the handler sent its reply itself */
	GDB_AFTER_RESUME, /* gdb_server_wait returns s->resume; the stop reply comes later */
	GDB_AFTER_DETACH, /* send out, then end the session as a detach */
	GDB_AFTER_KILL,   /* end the session, no reply */
};

struct gdb_server {
	struct gdb_target target;
	int io_timeout_ms;
	FILE *log;
	int listen_fd;
	unsigned port;
	int fd;
	enum gdb_session session;
	bool no_ack;      /* QStartNoAckMode accepted */
	bool gdb_swbreak; /* gdb's qSupported said swbreak+: it parses the swbreak reason */
	bool gdb_hwbreak; /* ... and hwbreak+ */
	bool resumed;     /* gdb waits for the stop reply of a c/s/vCont */
	int g_thread;     /* Hg: thread of g/G/p/P/m/M/X (0 = the stopped one) */
	int c_thread;     /* Hc: thread of c/s (-1 all, 0 = the stopped one) */
	int stop_thread;  /* thread of the latest stop */
	char stop_reply[80];
	struct gdb_resume resume;
	/* input: bytes received, not yet consumed */
	unsigned char in[4096];
	size_t in_pos, in_len;
	char pkt[GDB_PACKET_MAX + 1]; /* the packet being handled, NUL-terminated */
	size_t pkt_len;
	struct gdb_out out;
	char frame[GDB_PACKET_MAX + 4]; /* $payload#xx as sent */
	struct gdb_point_entry points[GDB_MAX_POINTS];
	size_t npoints;
	struct gdb_thread threads[GDB_MAX_THREADS];
	size_t nthreads;
	char *target_xml;
	size_t target_xml_len;
};

/* Link (link.c). Each returns false when the connection is gone (then closed). */
enum gdb_recv {
	GDB_RECV_PACKET, /* s->pkt holds a packet whose checksum was right */
	GDB_RECV_GONE,   /* EOF or an error: the connection is closed */
};
enum gdb_recv link_recv_packet(struct gdb_server *s);
bool link_send_packet(struct gdb_server *s, const char *payload, size_t len);
bool link_poll_interrupt(struct gdb_server *s, bool *interrupted);
void link_close(struct gdb_server *s);
/* Reads what is left until EOF, up to the io timeout (after W, before closing). */
void link_drain(struct gdb_server *s);

/* Packets (packets.c). */
enum gdb_after packet_dispatch(struct gdb_server *s);
size_t server_refresh_threads(struct gdb_server *s);
const struct gdb_thread *server_find_thread(struct gdb_server *s, int id);
/* Formats the stop reply of `stop` into s->stop_reply. */
void stop_reply_format(struct gdb_server *s, const struct gdb_stop *stop);
/* Removes every point still inserted (session over). */
void points_remove_all(struct gdb_server *s);

#endif
