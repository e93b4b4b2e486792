/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The protocol's encodings: hex, checksums, binary escaping, numbers and thread ids. */
#include "gdb_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char hex_chars[] = "0123456789abcdef";

int hex_digit(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* The sum of the payload's bytes modulo 256, as the two digits after '#'. */
unsigned char gdb_checksum(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		sum += b[i];
	}
	return (unsigned char)(sum & 0xffU);
}

bool parse_hex_u64(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	uint64_t x = 0;
	unsigned n = 0;
	int d;

	while (q < end && (d = hex_digit((unsigned char)*q)) >= 0) {
		if (++n > 16) {
			return false;
		}
		x = (x << 4) | (uint64_t)d;
		q++;
	}
	if (n == 0) {
		return false;
	}
	*v = x;
	*p = q;
	return true;
}

bool hex_decode(const char *p, size_t ndigits, void *buf, size_t n)
{
	unsigned char *b = buf;

	if (ndigits != 2 * n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)p[2 * i]);
		int lo = hex_digit((unsigned char)p[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			return false;
		}
		b[i] = (unsigned char)((hi << 4) | lo);
	}
	return true;
}

/* '}' escapes the next byte, XORed with 0x20 (RSP "Binary Data"). */
bool binary_decode(const char *p, size_t n, void *buf, size_t max, size_t *out_len)
{
	unsigned char *b = buf;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '}') {
			if (++i == n) {
				return false; /* the escape is the packet's last byte */
			}
			c = (unsigned char)p[i] ^ 0x20U;
		}
		if (len == max) {
			return false;
		}
		b[len++] = c;
	}
	*out_len = len;
	return true;
}

bool parse_thread_id(const char **p, const char *end, int *id)
{
	uint64_t v;

	if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*id = -1;
		return true;
	}
	if (!parse_hex_u64(p, end, &v) || v > 0x7fffffffU) {
		return false;
	}
	*id = (int)v;
	return true;
}

void out_reset(struct gdb_out *o)
{
	o->len = 0;
	o->overflow = false;
	o->buf[0] = '\0';
}

void out_bytes(struct gdb_out *o, const void *p, size_t n)
{
	if (o->overflow || n > GDB_PACKET_MAX - o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void out_str(struct gdb_out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

void out_fmt(struct gdb_out *o, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		o->overflow = true;
		return;
	}
	out_bytes(o, tmp, (size_t)n);
}

void out_hex(struct gdb_out *o, const void *p, size_t n)
{
	const unsigned char *b = p;

	if (o->overflow || n > (GDB_PACKET_MAX - o->len) / 2) {
		o->overflow = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		o->buf[o->len++] = hex_chars[b[i] >> 4];
		o->buf[o->len++] = hex_chars[b[i] & 0xfU];
	}
	o->buf[o->len] = '\0';
}

void out_binary(struct gdb_out *o, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n && !o->overflow; i++) {
		unsigned char c = b[i];

		if (c == '#' || c == '$' || c == '}' || c == '*') {
			unsigned char esc[2] = {'}', (unsigned char)(c ^ 0x20U)};

			out_bytes(o, esc, 2);
		} else {
			out_bytes(o, &c, 1);
		}
	}
}
