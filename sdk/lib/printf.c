/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small printf for realms: enough conversions for diagnostics, no floating point. */
#include "cca_realm.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, unsigned width, bool left,
		       char pad)
{
	for (size_t i = n; !left && i < width; i++) {
		put(o, pad);
	}
	for (size_t i = 0; i < n; i++) {
		put(o, s[i]);
	}
	for (size_t i = n; left && i < width; i++) {
		put(o, ' ');
	}
}

static void put_number(struct out *o, uint64_t v, bool neg, unsigned base, unsigned width,
		       bool left, char pad)
{
	char digits[24];
	size_t n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		digits[sizeof(digits) - 1 - n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg) {
		digits[sizeof(digits) - 1 - n++] = '-';
	}
	put_padded(o, digits + sizeof(digits) - n, n, width, left, pad);
}

int cca_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		bool left = false;
		char pad = ' ';
		unsigned width = 0, lng = 0;
		for (p++; *p == '-' || *p == '0'; p++) {
			left |= *p == '-';
			pad = *p == '0' ? '0' : pad;
		}
		for (; *p >= '0' && *p <= '9'; p++) {
			width = width * 10 + (unsigned)(*p - '0');
		}
		for (; *p == 'l' || *p == 'z'; p++) {
			lng += *p == 'z' ? 2 : 1;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_number(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, 10, width, left,
				   pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_number(&o, v, false, *p == 'u' ? 10 : 16, width, left, pad);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, width, left,
				   pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;
			s = s ? s : "(null)";
			while (s[n]) {
				n++;
			}
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default: /* unknown: shown as written */
			put(&o, '%');
			if (*p) {
				put(&o, *p);
			} else {
				p--;
			}
		}
	}
	if (size) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int cca_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = cca_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cca_puts(buf);
	return n;
}
