/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The link to gdb: packet framing ($payload#xx), acknowledgements, and bounded socket I/O.
 * Waiting for the first byte of the next packet is the only read without a time limit; once
 * a packet has started, the whole of it must arrive within the io timeout, and every write
 * and every acknowledgement is bounded the same way.
 */
#include "gdb_private.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LINK_TIMEOUT (-1)
#define LINK_GONE    (-2)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

void link_close(struct gdb_server *s)
{
	if (s->fd >= 0) {
		close(s->fd);
	}
	s->fd = -1;
	s->in_pos = s->in_len = 0;
}

static void link_lost(struct gdb_server *s)
{
	link_close(s);
	if (s->session == GDB_SESSION_ACTIVE) {
		s->session = GDB_SESSION_LOST;
	}
}

static void log_packet(struct gdb_server *s, const char *dir, const char *p, size_t n)
{
	if (!s->log) {
		return;
	}
	fprintf(s->log, "gdb %s ", dir);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			fputc(c, s->log);
		} else {
			fprintf(s->log, "\\x%02x", c);
		}
	}
	fputc('\n', s->log);
}

/* Waits up to timeout_ms (< 0: no limit) for more input. 1, LINK_TIMEOUT or LINK_GONE. */
static int link_fill(struct gdb_server *s, int timeout_ms)
{
	struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
	ssize_t n;
	int r;

	if (s->fd < 0) {
		return LINK_GONE;
	}
	do {
		r = poll(&pfd, 1, timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		return LINK_TIMEOUT;
	}
	if (r < 0) {
		link_lost(s);
		return LINK_GONE;
	}
	do {
		n = recv(s->fd, s->in, sizeof(s->in), 0);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		link_lost(s);
		return LINK_GONE;
	}
	s->in_pos = 0;
	s->in_len = (size_t)n;
	return 1;
}

/* The next byte (0..255), LINK_TIMEOUT or LINK_GONE. */
static int link_getc(struct gdb_server *s, int timeout_ms)
{
	if (s->in_pos == s->in_len) {
		int r = link_fill(s, timeout_ms);

		if (r != 1) {
			return r;
		}
	}
	return s->in[s->in_pos++];
}

static bool link_write(struct gdb_server *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	int64_t deadline = now_ms() + s->io_timeout_ms;

	while (n > 0) {
		struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
		ssize_t w;
		int r;

		if (s->fd < 0) {
			return false;
		}
		r = poll(&pfd, 1, remaining_ms(deadline));
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) { /* gdb stopped reading, or the socket failed */
			link_lost(s);
			return false;
		}
		w = send(s->fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (w <= 0) {
			link_lost(s);
			return false;
		}
		b += w;
		n -= (size_t)w;
	}
	return true;
}

static bool link_ack(struct gdb_server *s, char c)
{
	return s->no_ack || link_write(s, &c, 1);
}

enum body { BODY_OK, BODY_BAD, BODY_GONE };

/* After '$': the payload up to '#', then the checksum, all within the io timeout. */
static enum body read_body(struct gdb_server *s)
{
	int64_t deadline = now_ms() + s->io_timeout_ms;
	bool overlong = false;
	size_t len = 0;
	int c, hi, lo;

	for (;;) {
		c = link_getc(s, remaining_ms(deadline));
		if (c == LINK_GONE) {
			return BODY_GONE;
		}
		if (c == LINK_TIMEOUT) {
			return BODY_BAD; /* cut short: dropped */
		}
		if (c == '$') { /* a new packet started: the previous was cut short */
			len = 0;
			overlong = false;
			continue;
		}
		if (c == '#') {
			break;
		}
		if (len == GDB_PACKET_MAX) {
			overlong = true;
		} else {
			s->pkt[len++] = (char)c;
		}
	}
	s->pkt[len] = '\0';
	s->pkt_len = len;
	hi = link_getc(s, remaining_ms(deadline));
	lo = hi < 0 ? hi : link_getc(s, remaining_ms(deadline));
	if (hi == LINK_GONE || lo == LINK_GONE) {
		return BODY_GONE;
	}
	if (overlong || hi < 0 || lo < 0) {
		return BODY_BAD;
	}
	hi = hex_digit(hi);
	lo = hex_digit(lo);
	if (hi < 0 || lo < 0 || (unsigned)((hi << 4) | lo) != gdb_checksum(s->pkt, len)) {
		return BODY_BAD;
	}
	return BODY_OK;
}

enum gdb_recv link_recv_packet(struct gdb_server *s)
{
	for (;;) {
		int c = link_getc(s, -1);

		if (c == LINK_GONE) {
			return GDB_RECV_GONE;
		}
		if (c != '$') {
			continue; /* acks, a ^C that came too late, line noise */
		}
		switch (read_body(s)) {
		case BODY_OK:
			log_packet(s, "<-", s->pkt, s->pkt_len);
			if (!link_ack(s, '+')) {
				return GDB_RECV_GONE;
			}
			return GDB_RECV_PACKET;
		case BODY_BAD:
			log_packet(s, "<- (bad, nacked)", s->pkt, s->pkt_len);
			if (!link_ack(s, '-')) {
				return GDB_RECV_GONE;
			}
			break;
		case BODY_GONE:
			return GDB_RECV_GONE;
		}
	}
}

/* In ack mode, gdb answers '+' or '-' (resend); a '$' means it moved on to its next packet. */
static int wait_ack(struct gdb_server *s)
{
	int64_t deadline = now_ms() + s->io_timeout_ms;

	for (;;) {
		int c = link_getc(s, remaining_ms(deadline));

		if (c == '+' || c == '-' || c == LINK_GONE) {
			return c;
		}
		if (c == LINK_TIMEOUT) {
			link_lost(s); /* a gdb that never acknowledges is not listening */
			return LINK_GONE;
		}
		if (c == '$') {
			s->in_pos--; /* keep it for link_recv_packet */
			return '+';
		}
	}
}

bool link_send_packet(struct gdb_server *s, const char *payload, size_t len)
{
	char *frame = s->frame;

	if (s->fd < 0 || len > GDB_PACKET_MAX) {
		return false;
	}
	frame[0] = '$';
	memcpy(frame + 1, payload, len);
	snprintf(frame + 1 + len, 4, "#%02x", gdb_checksum(payload, len));
	log_packet(s, "->", payload, len);
	for (int tries = 0; tries < GDB_SEND_TRIES; tries++) {
		int ack;

		if (!link_write(s, frame, len + 4)) {
			return false;
		}
		if (s->no_ack) {
			return true;
		}
		ack = wait_ack(s);
		if (ack == LINK_GONE) {
			return false;
		}
		if (ack == '+') {
			return true;
		}
	}
	return true; /* nacked every time: gdb will notice the missing reply itself */
}

bool link_poll_interrupt(struct gdb_server *s, bool *interrupted)
{
	*interrupted = false;
	if (s->fd < 0) {
		return false;
	}
	if (s->in_pos == s->in_len) {
		int r = link_fill(s, 0);

		if (r == LINK_GONE) {
			return false;
		}
		if (r == LINK_TIMEOUT) {
			return true;
		}
	}
	while (s->in_pos < s->in_len) {
		unsigned char c = s->in[s->in_pos];

		if (c == 0x03) {
			*interrupted = true;
		} else if (c != '+' && c != '-') {
			break; /* a packet: left for gdb_server_wait */
		}
		s->in_pos++;
	}
	return true;
}

void link_drain(struct gdb_server *s)
{
	int64_t deadline = now_ms() + s->io_timeout_ms;

	while (s->fd >= 0) {
		int c = link_getc(s, remaining_ms(deadline));

		if (c == LINK_TIMEOUT) {
			break;
		}
	}
	link_close(s);
}
