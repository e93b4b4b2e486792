/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet handlers: one function per packet gdb-multiarch uses, found by name (q, Q and v
 * packets) or by letter. Each parses its arguments strictly, refuses what it cannot parse with
 * an error reply, and answers through s->out. Packets not listed get an empty reply, which
 * tells gdb they are not supported.
 */
#include "gdb_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum gdb_after (*handler_fn)(struct gdb_server *s, const char *p, const char *end);

static enum gdb_after reply(struct gdb_server *s, const char *text)
{
	out_str(&s->out, text);
	return GDB_AFTER_REPLY;
}

static bool at_end(const char *p, const char *end)
{
	return p == end;
}

static bool expect_char(const char **p, const char *end, char c)
{
	if (*p == end || **p != c) {
		return false;
	}
	(*p)++;
	return true;
}

/* "ADDR,LEN" */
static bool parse_addr_len(const char **p, const char *end, uint64_t *addr, uint64_t *len)
{
	return parse_hex_u64(p, end, addr) && expect_char(p, end, ',') &&
	       parse_hex_u64(p, end, len);
}

/* --- threads ------------------------------------------------------------------------------ */

size_t server_refresh_threads(struct gdb_server *s)
{
	size_t n = s->target.threads(s->target.ctx, s->threads, GDB_MAX_THREADS);

	s->nthreads = n < GDB_MAX_THREADS ? n : GDB_MAX_THREADS;
	return s->nthreads;
}

const struct gdb_thread *server_find_thread(struct gdb_server *s, int id)
{
	server_refresh_threads(s);
	for (size_t i = 0; i < s->nthreads; i++) {
		if (s->threads[i].id == id) {
			return &s->threads[i];
		}
	}
	return NULL;
}

/* A selection (0 any, -1 all, or an id) to one thread: "any" is the stopped thread. -1 when
 * the id names no thread, or there is none. */
static int pick_thread(struct gdb_server *s, int sel)
{
	if (sel > 0) {
		return server_find_thread(s, sel) ? sel : -1;
	}
	if (server_find_thread(s, s->stop_thread)) {
		return s->stop_thread;
	}
	return s->nthreads > 0 ? s->threads[0].id : -1;
}

static const char *world_name(enum gdb_world w)
{
	return w == GDB_WORLD_REALM ? "Realm" : "Non-secure";
}

/* "Realm world, EL1, REC 0, not runnable": the place of a thread, for info threads. */
static void thread_extra(const struct gdb_thread *t, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s world, EL%u", world_name(t->world), t->el);

	if (n > 0 && (size_t)n < len && t->rec >= 0) {
		n += snprintf(buf + n, len - (size_t)n, ", REC %d", t->rec);
	}
	if (n > 0 && (size_t)n < len && t->state[0]) {
		snprintf(buf + n, len - (size_t)n, ", %.*s", (int)sizeof(t->state), t->state);
	}
}

static enum gdb_after q_fthreadinfo(struct gdb_server *s, const char *p, const char *end)
{
	server_refresh_threads(s);
	if (s->nthreads == 0) {
		return reply(s, "l");
	}
	out_str(&s->out, "m");
	for (size_t i = 0; i < s->nthreads; i++) {
		out_fmt(&s->out, "%s%x", i ? "," : "", (unsigned)s->threads[i].id);
	}
	return GDB_AFTER_REPLY;
}

static enum gdb_after q_sthreadinfo(struct gdb_server *s, const char *p, const char *end)
{
	return reply(s, "l"); /* qfThreadInfo gave them all */
}

static enum gdb_after q_current(struct gdb_server *s, const char *p, const char *end)
{
	int id = pick_thread(s, 0);

	if (id < 0) {
		return reply(s, GDB_E_THREAD);
	}
	out_fmt(&s->out, "QC%x", (unsigned)id);
	return GDB_AFTER_REPLY;
}

static enum gdb_after q_attached(struct gdb_server *s, const char *p, const char *end)
{
	return reply(s, "1"); /* gdb quitting detaches: the run goes on */
}

static enum gdb_after q_extra(struct gdb_server *s, const char *p, const char *end)
{
	const struct gdb_thread *t;
	char text[160];
	int id;

	if (!parse_thread_id(&p, end, &id) || !at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	t = server_find_thread(s, id);
	if (!t) {
		return reply(s, GDB_E_THREAD);
	}
	thread_extra(t, text, sizeof(text));
	out_hex(&s->out, text, strlen(text));
	return GDB_AFTER_REPLY;
}

static enum gdb_after t_alive(struct gdb_server *s, const char *p, const char *end)
{
	int id;

	if (!parse_thread_id(&p, end, &id) || !at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	return reply(s, id > 0 && server_find_thread(s, id) ? "OK" : GDB_E_THREAD);
}

/* H op thread: which thread later g/G/p/P/m/M/X (op g) or c/s (op c) act on. */
static enum gdb_after h_select(struct gdb_server *s, const char *p, const char *end)
{
	char op;
	int id;

	if (p == end) {
		return reply(s, GDB_E_PACKET);
	}
	op = *p++;
	if ((op != 'g' && op != 'c') || !parse_thread_id(&p, end, &id) || !at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	if (id > 0 && !server_find_thread(s, id)) {
		return reply(s, GDB_E_THREAD);
	}
	if (op == 'g') {
		s->g_thread = id < 0 ? 0 : id;
	} else {
		s->c_thread = id;
	}
	return reply(s, "OK");
}

/* --- qXfer: the target description and the thread list ----------------------------------- */

/* XML character data or attribute value: the target's names are free text. */
static void xml_text(FILE *f, const char *text, size_t max)
{
	for (size_t k = 0; k < max && text[k]; k++) {
		char c = text[k];

		if (c == '&') {
			fputs("&amp;", f);
		} else if (c == '<') {
			fputs("&lt;", f);
		} else if (c == '>') {
			fputs("&gt;", f);
		} else if (c == '"') {
			fputs("&quot;", f);
		} else {
			fputc(c, f);
		}
	}
}

static char *threads_xml(struct gdb_server *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f) {
		return NULL;
	}
	server_refresh_threads(s);
	fputs("<?xml version=\"1.0\"?>\n<threads>\n", f);
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct gdb_thread *t = &s->threads[i];
		char extra[160];

		fprintf(f, "<thread id=\"%x\" name=\"", (unsigned)t->id);
		xml_text(f, t->name, sizeof(t->name));
		fputs("\">", f);
		thread_extra(t, extra, sizeof(extra));
		xml_text(f, extra, sizeof(extra));
		fputs("</thread>\n", f);
	}
	fputs("</threads>\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A window [off, off + len) of an object: 'm' + data while more follows, 'l' + data at the
 * end, binary-escaped. */
static void xfer_window(struct gdb_server *s, const char *data, size_t total, uint64_t off,
			uint64_t len)
{
	size_t room = (GDB_PACKET_MAX - 1) / 2; /* every byte might need an escape */
	size_t n;

	if (off >= total) {
		out_str(&s->out, "l");
		return;
	}
	n = total - (size_t)off;
	if (n > len) {
		n = (size_t)len;
	}
	if (n > room) {
		n = room;
	}
	out_str(&s->out, (size_t)off + n < total ? "m" : "l");
	out_binary(&s->out, data + off, n);
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH */
static enum gdb_after q_xfer(struct gdb_server *s, const char *p, const char *end)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	const char *annex, *annex_end;
	uint64_t off, len;
	bool features;

	if (!colon) {
		return reply(s, GDB_E_PACKET);
	}
	if ((size_t)(colon - p) == 8 && memcmp(p, "features", 8) == 0) {
		features = true;
	} else if ((size_t)(colon - p) == 7 && memcmp(p, "threads", 7) == 0) {
		features = false;
	} else {
		return GDB_AFTER_REPLY; /* an object we do not offer */
	}
	p = colon + 1;
	if ((size_t)(end - p) < 5 || memcmp(p, "read:", 5) != 0) {
		return GDB_AFTER_REPLY; /* only reads are offered */
	}
	annex = p + 5;
	annex_end = memchr(annex, ':', (size_t)(end - annex));
	if (!annex_end) {
		return reply(s, GDB_E_PACKET);
	}
	p = annex_end + 1;
	if (!parse_addr_len(&p, end, &off, &len) || !at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	if (features) {
		size_t n = (size_t)(annex_end - annex);

		if (n != strlen("target.xml") || memcmp(annex, "target.xml", n) != 0) {
			return reply(s, GDB_E_ANNEX);
		}
		xfer_window(s, s->target_xml, s->target_xml_len, off, len);
	} else {
		size_t total = 0;
		char *xml;

		if (annex != annex_end) {
			return reply(s, GDB_E_ANNEX);
		}
		xml = threads_xml(s, &total);
		if (!xml) {
			return reply(s, GDB_E_PACKET);
		}
		xfer_window(s, xml, total, off, len);
		free(xml);
	}
	return GDB_AFTER_REPLY;
}

/* --- session ----------------------------------------------------------------------------- */

static bool has_feature(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;

		if ((size_t)(stop - p) == n && memcmp(p, name, n) == 0) {
			return true;
		}
		p = semi ? semi + 1 : end;
	}
	return false;
}

static enum gdb_after q_supported(struct gdb_server *s, const char *p, const char *end)
{
	s->gdb_swbreak = has_feature(p, end, "swbreak+");
	s->gdb_hwbreak = has_feature(p, end, "hwbreak+");
	out_fmt(&s->out,
		"PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;"
		"vContSupported+;swbreak+;hwbreak+",
		GDB_PACKET_MAX);
	return GDB_AFTER_REPLY;
}

/* The OK goes out (and is acknowledged) before acknowledgements stop. */
static enum gdb_after q_noack(struct gdb_server *s, const char *p, const char *end)
{
	if (!at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	if (link_send_packet(s, "OK", 2)) {
		s->no_ack = true;
	}
	return GDB_AFTER_SENT;
}

static enum gdb_after q_stop_reason(struct gdb_server *s, const char *p, const char *end)
{
	return reply(s, s->stop_reply);
}

static void send_console(struct gdb_server *s, const char *text, size_t n)
{
	size_t chunk = (GDB_PACKET_MAX - 1) / 2;

	for (size_t off = 0; off < n && s->fd >= 0; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;

		out_reset(&s->out);
		out_str(&s->out, "O");
		out_hex(&s->out, text + off, k);
		link_send_packet(s, s->out.buf, s->out.len);
	}
	out_reset(&s->out);
}

/* qRcmd,HEX: `monitor CMD`; its output goes to gdb's console as O packets. */
static enum gdb_after q_rcmd(struct gdb_server *s, const char *p, const char *end)
{
	char cmd[512];
	size_t n = (size_t)(end - p);
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!s->target.monitor) {
		return GDB_AFTER_REPLY;
	}
	if (n % 2 != 0 || n / 2 >= sizeof(cmd) || !hex_decode(p, n, cmd, n / 2)) {
		return reply(s, GDB_E_PACKET);
	}
	cmd[n / 2] = '\0';
	if (strlen(cmd) != n / 2) {
		return reply(s, GDB_E_PACKET); /* a NUL inside the command */
	}
	f = open_memstream(&text, &len);
	if (!f) {
		return reply(s, GDB_E_PACKET);
	}
	rc = s->target.monitor(s->target.ctx, cmd, f);
	if (rc != 0) {
		fprintf(f, "unknown monitor command '%s'\n", cmd);
	}
	if (fclose(f) == 0) {
		send_console(s, text, len);
	}
	free(text);
	return reply(s, "OK");
}

/* --- registers ---------------------------------------------------------------------------- */

static enum gdb_after g_read_all(struct gdb_server *s, const char *p, const char *end)
{
	struct gdb_regs r;
	int id = pick_thread(s, s->g_thread);

	memset(&r, 0, sizeof(r));
	if (!at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	if (id < 0 || s->target.get_regs(s->target.ctx, id, &r) != 0) {
		return reply(s, GDB_E_THREAD);
	}
	regs_to_hex(&s->out, &r, 0, GDB_NUM_REGS);
	return GDB_AFTER_REPLY;
}

static enum gdb_after write_regs(struct gdb_server *s, const struct gdb_regs *r)
{
	int id = pick_thread(s, s->g_thread);

	if (id < 0) {
		return reply(s, GDB_E_THREAD);
	}
	return reply(s, s->target.set_regs(s->target.ctx, id, r) == 0 ? "OK" : GDB_E_REGS);
}

static enum gdb_after g_write_all(struct gdb_server *s, const char *p, const char *end)
{
	struct gdb_regs r;

	memset(&r, 0, sizeof(r));
	if (!regs_from_hex(p, (size_t)(end - p), &r, 0, GDB_NUM_REGS)) {
		return reply(s, GDB_E_PACKET);
	}
	return write_regs(s, &r);
}

static enum gdb_after p_read_one(struct gdb_server *s, const char *p, const char *end)
{
	struct gdb_regs r;
	uint64_t n;
	int id;

	memset(&r, 0, sizeof(r));
	if (!parse_hex_u64(&p, end, &n) || !at_end(p, end) || n >= GDB_NUM_REGS) {
		return reply(s, GDB_E_PACKET);
	}
	id = pick_thread(s, s->g_thread);
	if (id < 0 || s->target.get_regs(s->target.ctx, id, &r) != 0) {
		return reply(s, GDB_E_THREAD);
	}
	regs_to_hex(&s->out, &r, (unsigned)n, 1);
	return GDB_AFTER_REPLY;
}

static enum gdb_after p_write_one(struct gdb_server *s, const char *p, const char *end)
{
	struct gdb_regs r;
	uint64_t n;

	memset(&r, 0, sizeof(r));
	if (!parse_hex_u64(&p, end, &n) || !expect_char(&p, end, '=') || n >= GDB_NUM_REGS ||
	    !regs_from_hex(p, (size_t)(end - p), &r, (unsigned)n, 1) || !r.valid[n]) {
		return reply(s, GDB_E_PACKET);
	}
	return write_regs(s, &r);
}

/* --- memory ------------------------------------------------------------------------------- */

static enum gdb_after m_read(struct gdb_server *s, const char *p, const char *end)
{
	unsigned char buf[GDB_MEM_MAX];
	uint64_t addr, len;
	size_t got;
	int id;

	if (!parse_addr_len(&p, end, &addr, &len) || !at_end(p, end)) {
		return reply(s, GDB_E_PACKET);
	}
	if (!s->target.read_mem) {
		return GDB_AFTER_REPLY;
	}
	id = pick_thread(s, s->g_thread);
	if (id < 0) {
		return reply(s, GDB_E_THREAD);
	}
	if (len > GDB_MEM_MAX) {
		len = GDB_MEM_MAX; /* a shorter reply is allowed: gdb asks for the rest */
	}
	if (len > ~addr) {
		len = ~addr + 1; /* not past the top of the address space */
	}
	if (len == 0) {
		return GDB_AFTER_REPLY;
	}
	got = s->target.read_mem(s->target.ctx, id, addr, buf, (size_t)len);
	if (got == 0 || got > len) {
		return reply(s, GDB_E_MEMORY);
	}
	out_hex(&s->out, buf, got);
	return GDB_AFTER_REPLY;
}

static enum gdb_after write_mem(struct gdb_server *s, uint64_t addr, const void *buf, size_t n)
{
	int id;

	if (!s->target.write_mem) {
		return GDB_AFTER_REPLY;
	}
	id = pick_thread(s, s->g_thread);
	if (id < 0) {
		return reply(s, GDB_E_THREAD);
	}
	if (n == 0) {
		return reply(s, "OK"); /* gdb's probe for X */
	}
	if (n - 1 > ~addr) {
		return reply(s, GDB_E_MEMORY);
	}
	return reply(s, s->target.write_mem(s->target.ctx, id, addr, buf, n) == 0 ? "OK"
										  : GDB_E_MEMORY);
}

/* M ADDR,LEN:HEX */
static enum gdb_after m_write_hex(struct gdb_server *s, const char *p, const char *end)
{
	unsigned char buf[GDB_MEM_MAX];
	uint64_t addr, len;

	if (!parse_addr_len(&p, end, &addr, &len) || !expect_char(&p, end, ':') ||
	    len > GDB_MEM_MAX || !hex_decode(p, (size_t)(end - p), buf, (size_t)len)) {
		return reply(s, GDB_E_PACKET);
	}
	return write_mem(s, addr, buf, (size_t)len);
}

/* X ADDR,LEN:BINARY */
static enum gdb_after x_write_binary(struct gdb_server *s, const char *p, const char *end)
{
	unsigned char buf[GDB_MEM_MAX];
	uint64_t addr, len;
	size_t n;

	if (!parse_addr_len(&p, end, &addr, &len) || !expect_char(&p, end, ':') ||
	    len > GDB_MEM_MAX || !binary_decode(p, (size_t)(end - p), buf, sizeof(buf), &n) ||
	    n != len) {
		return reply(s, GDB_E_PACKET);
	}
	return write_mem(s, addr, buf, n);
}

/* --- breakpoints and watchpoints ---------------------------------------------------------- */

static struct gdb_point_entry *point_find(struct gdb_server *s, enum gdb_point type, uint64_t addr,
					  uint64_t len)
{
	for (size_t i = 0; i < s->npoints; i++) {
		struct gdb_point_entry *e = &s->points[i];

		if (e->type == type && e->addr == addr && e->len == len) {
			return e;
		}
	}
	return NULL;
}

/* Z/z TYPE,ADDR,KIND[;conditions]: conditions are not offered, so gdb sends none; any are
 * ignored. */
static enum gdb_after point_packet(struct gdb_server *s, const char *p, const char *end,
				   bool insert)
{
	struct gdb_point_entry *e;
	uint64_t type, addr, len;
	int rc;

	if (!parse_hex_u64(&p, end, &type) || !expect_char(&p, end, ',') ||
	    !parse_addr_len(&p, end, &addr, &len) || (!at_end(p, end) && *p != ';')) {
		return reply(s, GDB_E_PACKET);
	}
	if (type > GDB_POINT_WATCH_ACCESS || !s->target.insert_point || !s->target.remove_point) {
		return GDB_AFTER_REPLY;
	}
	e = point_find(s, (enum gdb_point)type, addr, len);
	if (insert) {
		if (e) {
			return reply(s, "OK"); /* inserted already */
		}
		if (s->npoints == GDB_MAX_POINTS) {
			return reply(s, GDB_E_POINT);
		}
		rc = s->target.insert_point(s->target.ctx, (enum gdb_point)type, addr, len);
		if (rc == GDB_POINT_UNSUPPORTED) {
			return GDB_AFTER_REPLY;
		}
		if (rc != 0) {
			return reply(s, GDB_E_POINT);
		}
		s->points[s->npoints++] = (struct gdb_point_entry){(enum gdb_point)type, addr, len};
		return reply(s, "OK");
	}
	if (!e) {
		return reply(s, "OK"); /* not inserted: nothing to remove */
	}
	if (s->target.remove_point(s->target.ctx, e->type, e->addr, e->len) != 0) {
		return reply(s, GDB_E_POINT);
	}
	*e = s->points[--s->npoints];
	return reply(s, "OK");
}

static enum gdb_after z_insert(struct gdb_server *s, const char *p, const char *end)
{
	return point_packet(s, p, end, true);
}

static enum gdb_after z_remove(struct gdb_server *s, const char *p, const char *end)
{
	return point_packet(s, p, end, false);
}

void points_remove_all(struct gdb_server *s)
{
	while (s->npoints > 0) {
		const struct gdb_point_entry *e = &s->points[--s->npoints];

		s->target.remove_point(s->target.ctx, e->type, e->addr, e->len);
	}
}

/* --- resuming ----------------------------------------------------------------------------- */

static enum gdb_after resume(struct gdb_server *s, enum gdb_action action, int thread,
			     bool others_run)
{
	s->resume =
	    (struct gdb_resume){.action = action, .thread = thread, .others_run = others_run};
	return GDB_AFTER_RESUME;
}

/* c/s [ADDR], C/S SIG[;ADDR]: the thread chosen by Hc. The signal is not delivered: the
 * machine has no signals, only exceptions the target reports. */
static enum gdb_after legacy_resume(struct gdb_server *s, const char *p, const char *end, bool step,
				    bool with_signal)
{
	int id = pick_thread(s, s->c_thread);
	uint64_t sig, addr;
	bool has_addr = false;

	if (with_signal) {
		if (!parse_hex_u64(&p, end, &sig) || sig > 0xff) {
			return reply(s, GDB_E_PACKET);
		}
		if (!at_end(p, end) && (!expect_char(&p, end, ';') || at_end(p, end))) {
			return reply(s, GDB_E_PACKET);
		}
	}
	if (!at_end(p, end)) {
		if (!parse_hex_u64(&p, end, &addr) || !at_end(p, end)) {
			return reply(s, GDB_E_PACKET);
		}
		has_addr = true;
	}
	if (id < 0) {
		return reply(s, GDB_E_THREAD);
	}
	if (has_addr) {
		struct gdb_regs r;

		memset(&r, 0, sizeof(r));
		r.value[GDB_REG_PC] = addr;
		r.valid[GDB_REG_PC] = true;
		if (s->target.set_regs(s->target.ctx, id, &r) != 0) {
			return reply(s, GDB_E_REGS);
		}
	}
	return resume(s, step ? GDB_STEP : GDB_CONTINUE, step ? id : 0, true);
}

static enum gdb_after c_continue(struct gdb_server *s, const char *p, const char *end)
{
	return legacy_resume(s, p, end, false, false);
}

static enum gdb_after s_step(struct gdb_server *s, const char *p, const char *end)
{
	return legacy_resume(s, p, end, true, false);
}

static enum gdb_after c_continue_sig(struct gdb_server *s, const char *p, const char *end)
{
	return legacy_resume(s, p, end, false, true);
}

static enum gdb_after s_step_sig(struct gdb_server *s, const char *p, const char *end)
{
	return legacy_resume(s, p, end, true, true);
}

static enum gdb_after v_cont_query(struct gdb_server *s, const char *p, const char *end)
{
	return reply(s, "vCont;c;C;s;S");
}

/*
 * vCont;ACTION[:THREAD];...: each thread takes the leftmost action that names it (or names no
 * thread). In all-stop mode one thread at most steps; a default action c lets the others run
 * while it does.
 */
static enum gdb_after v_cont(struct gdb_server *s, const char *p, const char *end)
{
	int step_thread = 0;
	bool stepping = false, others_run = false;

	if (p == end) {
		return reply(s, GDB_E_PACKET);
	}
	while (p < end) {
		char action = *p++;
		uint64_t sig;
		int id = -1;

		if (action == 'C' || action == 'S') {
			if (!parse_hex_u64(&p, end, &sig) || sig > 0xff) {
				return reply(s, GDB_E_PACKET);
			}
		} else if (action != 'c' && action != 's') {
			return reply(s, GDB_E_PACKET); /* t, r: not offered */
		}
		if (p < end && *p == ':') {
			p++;
			if (!parse_thread_id(&p, end, &id)) {
				return reply(s, GDB_E_PACKET);
			}
			if (id > 0 && !server_find_thread(s, id)) {
				return reply(s, GDB_E_THREAD);
			}
		}
		if (p < end && !expect_char(&p, end, ';')) {
			return reply(s, GDB_E_PACKET);
		}
		if ((action == 's' || action == 'S') && !stepping) {
			stepping = true;
			step_thread = id;
		} else if ((action == 'c' || action == 'C') && (id <= 0 || id != step_thread)) {
			others_run = true; /* some other thread continues */
		}
	}
	if (!stepping) {
		return resume(s, GDB_CONTINUE, 0, true);
	}
	step_thread = pick_thread(s, step_thread);
	if (step_thread < 0) {
		return reply(s, GDB_E_THREAD);
	}
	return resume(s, GDB_STEP, step_thread, others_run);
}

static enum gdb_after d_detach(struct gdb_server *s, const char *p, const char *end)
{
	out_str(&s->out, "OK");
	return GDB_AFTER_DETACH;
}

static enum gdb_after k_kill(struct gdb_server *s, const char *p, const char *end)
{
	return GDB_AFTER_KILL;
}

/* --- dispatch ----------------------------------------------------------------------------- */

static const struct {
	const char *name;
	handler_fn fn;
} named_packets[] = {
    {"qSupported", q_supported},     {"qXfer", q_xfer}, {"qfThreadInfo", q_fthreadinfo},
    {"qsThreadInfo", q_sthreadinfo}, {"qC", q_current}, {"qAttached", q_attached},
    {"qThreadExtraInfo", q_extra},   {"qRcmd", q_rcmd}, {"QStartNoAckMode", q_noack},
    {"vCont?", v_cont_query},        {"vCont", v_cont},
};

static const handler_fn letter_packets[128] = {
    ['?'] = q_stop_reason, ['H'] = h_select,       ['T'] = t_alive,        ['g'] = g_read_all,
    ['G'] = g_write_all,   ['p'] = p_read_one,     ['P'] = p_write_one,    ['m'] = m_read,
    ['M'] = m_write_hex,   ['X'] = x_write_binary, ['Z'] = z_insert,       ['z'] = z_remove,
    ['c'] = c_continue,    ['s'] = s_step,         ['C'] = c_continue_sig, ['S'] = s_step_sig,
    ['D'] = d_detach,      ['k'] = k_kill,
};

enum gdb_after packet_dispatch(struct gdb_server *s)
{
	const char *p = s->pkt, *end = s->pkt + s->pkt_len;
	unsigned char first;

	out_reset(&s->out);
	if (p == end) {
		return GDB_AFTER_REPLY;
	}
	first = (unsigned char)*p;
	if (first == 'q' || first == 'Q' || first == 'v') {
		size_t n = strcspn(p, ":,;");

		if (n < s->pkt_len && p[n] != ':' && p[n] != ',' && p[n] != ';') {
			return GDB_AFTER_REPLY; /* a NUL inside the name */
		}
		for (size_t i = 0; i < sizeof(named_packets) / sizeof(named_packets[0]); i++) {
			const char *name = named_packets[i].name;

			if (strlen(name) == n && memcmp(name, p, n) == 0) {
				return named_packets[i].fn(s, p + n + (p + n < end), end);
			}
		}
		return GDB_AFTER_REPLY;
	}
	if (first < 128 && letter_packets[first]) {
		return letter_packets[first](s, p + 1, end);
	}
	return GDB_AFTER_REPLY;
}

void stop_reply_format(struct gdb_server *s, const struct gdb_stop *stop)
{
	int signal = GDB_SIGTRAP;
	int id;
	char *r = s->stop_reply;
	size_t len = sizeof(s->stop_reply);
	int n;

	if (stop->kind == GDB_STOP_EXITED) {
		snprintf(r, len, "W%02x", (unsigned)stop->status & 0xffU);
		return;
	}
	if (stop->kind == GDB_STOP_SIGNAL && stop->signal > 0) {
		signal = stop->signal;
	} else if (stop->kind == GDB_STOP_FAULT) {
		signal = stop->signal > 0 ? stop->signal : GDB_SIGSEGV;
	} else if (stop->kind == GDB_STOP_INTERRUPT) {
		signal = GDB_SIGINT;
	}
	if (stop->thread > 0 && server_find_thread(s, stop->thread)) {
		id = stop->thread;
	} else { /* a stop of no known thread: the first one's */
		id = s->nthreads > 0 ? s->threads[0].id : -1;
	}
	s->stop_thread = id;
	s->g_thread = id > 0 ? id : 0; /* gdb takes the stopped thread as its Hg thread */
	if (id <= 0) {
		snprintf(r, len, "S%02x", (unsigned)signal & 0xffU);
		return;
	}
	n = snprintf(r, len, "T%02xthread:%x;", (unsigned)signal & 0xffU, (unsigned)id);
	if (n < 0 || (size_t)n >= len) {
		return;
	}
	switch (stop->kind) {
	case GDB_STOP_BREAK_SW:
		if (s->gdb_swbreak) {
			snprintf(r + n, len - (size_t)n, "swbreak:;");
		}
		break;
	case GDB_STOP_BREAK_HW:
		if (s->gdb_hwbreak) {
			snprintf(r + n, len - (size_t)n, "hwbreak:;");
		}
		break;
	case GDB_STOP_WATCH_WRITE:
		snprintf(r + n, len - (size_t)n, "watch:%llx;", (unsigned long long)stop->addr);
		break;
	case GDB_STOP_WATCH_READ:
		snprintf(r + n, len - (size_t)n, "rwatch:%llx;", (unsigned long long)stop->addr);
		break;
	case GDB_STOP_WATCH_ACCESS:
		snprintf(r + n, len - (size_t)n, "awatch:%llx;", (unsigned long long)stop->addr);
		break;
	default:
		break;
	}
}
