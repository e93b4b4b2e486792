/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The event stream: building, numbering, keeping and dispatching events. */
#include "trace/trace.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SINKS 8

struct sink {
	trace_sink_fn fn;
	void *ctx;
};

struct trace {
	uint64_t next_seq;
	bool keep;
	struct trace_event **events;
	size_t nevents, cap;
	struct sink sinks[MAX_SINKS];
	unsigned nsinks;
	trace_realm_namer_fn namer;
	void *namer_ctx;
	trace_symbol_fn symbolizer;
	void *symbolizer_ctx;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fputs("cca-sim: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size);
	if (!p) {
		fputs("cca-sim: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct trace *trace_create(void)
{
	struct trace *t = xcalloc(1, sizeof(*t));
	t->next_seq = 1;
	return t;
}

static void event_free(struct trace_event *ev)
{
	for (unsigned i = 0; i < ev->nfields; i++) {
		struct trace_field *f = &ev->fields[i];
		if (f->kind == TV_STR) {
			free((char *)f->str);
		}
		free(f->list);
	}
	free(ev);
}

void trace_destroy(struct trace *t)
{
	if (!t) {
		return;
	}
	for (size_t i = 0; i < t->nevents; i++) {
		event_free(t->events[i]);
	}
	free(t->events);
	free(t);
}

void trace_keep(struct trace *t, bool keep)
{
	t->keep = keep;
}

void trace_add_sink(struct trace *t, trace_sink_fn fn, void *ctx)
{
	if (t->nsinks < MAX_SINKS) {
		t->sinks[t->nsinks++] = (struct sink){fn, ctx};
	}
}

void trace_set_realm_namer(struct trace *t, trace_realm_namer_fn fn, void *ctx)
{
	t->namer = fn;
	t->namer_ctx = ctx;
}

#define TRACE_TYPE_NAME(name) #name,
static const char *const type_names[TE_COUNT] = {TRACE_EVENT_TYPES(TRACE_TYPE_NAME)};

const char *trace_type_name(enum trace_type type)
{
	return (unsigned)type < TE_COUNT ? type_names[type] : NULL;
}

struct trace_event *trace_begin(struct trace *t, enum trace_type type)
{
	if (!t || (!t->keep && t->nsinks == 0)) {
		return NULL;
	}
	/* Only the header is cleared: a field is, when it is added (most events use few). */
	struct trace_event *ev = xmalloc(offsetof(struct trace_event, fields) +
					 TRACE_MAX_FIELDS * sizeof(struct trace_field));
	memset(ev, 0, offsetof(struct trace_event, fields));
	ev->kind = type;
	ev->type = trace_type_name(type);
	return ev;
}

static struct trace_field *add(struct trace_event *ev, const char *key, enum trace_val kind)
{
	if (!ev || ev->nfields == TRACE_MAX_FIELDS) {
		return NULL;
	}
	struct trace_field *f = &ev->fields[ev->nfields++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->kind = kind;
	return f;
}

void trace_int(struct trace_event *ev, const char *key, int64_t v)
{
	struct trace_field *f = add(ev, key, TV_INT);
	if (f) {
		f->num = (uint64_t)v;
	}
}

void trace_hex(struct trace_event *ev, const char *key, uint64_t v)
{
	struct trace_field *f = add(ev, key, TV_HEX);
	if (f) {
		f->num = v;
	}
}

void trace_name(struct trace_event *ev, const char *key, const char *name)
{
	struct trace_field *f = add(ev, key, TV_NAME);
	if (f) {
		f->str = name ? name : "UNKNOWN";
	}
}

void trace_enum(struct trace_event *ev, const char *key, const char *name, uint64_t value)
{
	struct trace_field *f = add(ev, key, TV_NAME);
	if (f) {
		f->str = name ? name : "UNKNOWN";
		f->num = value;
		f->has_num = true;
	}
}

void trace_mark_output(struct trace_event *ev)
{
	if (ev && ev->nfields) {
		ev->fields[ev->nfields - 1].output = true;
	}
}

void trace_str(struct trace_event *ev, const char *key, const char *text)
{
	struct trace_field *f = add(ev, key, TV_STR);
	if (f) {
		f->str = strdup(text ? text : "");
	}
}

void trace_bool(struct trace_event *ev, const char *key, bool v)
{
	struct trace_field *f = add(ev, key, TV_BOOL);
	if (f) {
		f->num = v;
	}
}

void trace_hexlist(struct trace_event *ev, const char *key, const uint64_t *v, unsigned n)
{
	struct trace_field *f = add(ev, key, TV_HEXLIST);
	if (f) {
		f->list = xcalloc(n ? n : 1, sizeof(uint64_t));
		if (n) { /* an empty list may come with no array at all */
			memcpy(f->list, v, n * sizeof(uint64_t));
		}
		f->len = n;
	}
}

void trace_realm(struct trace *t, struct trace_event *ev, uint64_t rd)
{
	const char *name = (t && t->namer) ? t->namer(t->namer_ctx, rd) : NULL;
	if (name) {
		trace_str(ev, "realm", name);
	} else {
		trace_hex(ev, "realm", rd);
	}
}

void trace_set_symbolizer(struct trace *t, trace_symbol_fn fn, void *ctx)
{
	t->symbolizer = fn;
	t->symbolizer_ctx = ctx;
}

void trace_code_address(struct trace *t, struct trace_event *ev, uint64_t rd, uint64_t pc)
{
	char sym[96];

	trace_hex(ev, "pc", pc);
	if (t && t->symbolizer && t->symbolizer(t->symbolizer_ctx, rd, pc, sym, sizeof(sym))) {
		trace_str(ev, "symbol", sym);
	}
}

void trace_end(struct trace *t, struct trace_event *ev)
{
	if (!ev) {
		return;
	}
	ev->seq = t->next_seq++;
	for (unsigned i = 0; i < t->nsinks; i++) {
		t->sinks[i].fn(t->sinks[i].ctx, ev);
	}
	if (!t->keep) {
		event_free(ev);
		return;
	}
	if (t->nevents == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): events is an array of pointers */
		struct trace_event **n = realloc(t->events, cap * sizeof(*n));
		if (!n) {
			fputs("cca-sim: out of memory\n", stderr);
			abort();
		}
		t->events = n;
		t->cap = cap;
	}
	t->events[t->nevents++] = ev;
}

size_t trace_count(const struct trace *t)
{
	return t ? t->nevents : 0;
}

const struct trace_event *trace_get(const struct trace *t, size_t i)
{
	return (t && i < t->nevents) ? t->events[i] : NULL;
}

const struct trace_field *trace_field(const struct trace_event *ev, const char *key)
{
	for (unsigned i = 0; i < ev->nfields; i++) {
		if (strcmp(ev->fields[i].key, key) == 0) {
			return &ev->fields[i];
		}
	}
	return NULL;
}

const char *trace_field_name(const struct trace_event *ev, const char *key)
{
	const struct trace_field *f = trace_field(ev, key);
	return f && (f->kind == TV_NAME || f->kind == TV_STR) ? f->str : NULL;
}

const char *trace_field_text(const struct trace_event *ev, const char *key, const char *otherwise)
{
	const char *s = trace_field_name(ev, key);
	return s ? s : otherwise;
}

bool trace_field_num(const struct trace_event *ev, const char *key, uint64_t *v)
{
	const struct trace_field *f = trace_field(ev, key);
	if (!f || f->kind == TV_NAME || f->kind == TV_STR || f->kind == TV_HEXLIST) {
		return false;
	}
	*v = f->num;
	return true;
}

void trace_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
		} else {
			fputc(c, f);
		}
	}
	fputc('"', f);
}

void trace_write_json(FILE *f, const struct trace_event *ev)
{
	fprintf(f, "{\"seq\":%llu,\"type\":", (unsigned long long)ev->seq);
	trace_json_string(f, ev->type);
	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct trace_field *fd = &ev->fields[i];
		fputc(',', f);
		trace_json_string(f, fd->key);
		fputc(':', f);
		switch (fd->kind) {
		case TV_INT:
			fprintf(f, "%lld", (long long)fd->num);
			break;
		case TV_HEX:
			fprintf(f, "\"0x%llx\"", (unsigned long long)fd->num);
			break;
		case TV_NAME:
		case TV_STR:
			trace_json_string(f, fd->str);
			break;
		case TV_BOOL:
			fputs(fd->num ? "true" : "false", f);
			break;
		case TV_HEXLIST:
			fputc('[', f);
			for (unsigned j = 0; j < fd->len; j++) {
				fprintf(f, "%s\"0x%llx\"", j ? "," : "",
					(unsigned long long)fd->list[j]);
			}
			fputc(']', f);
			break;
		}
	}
	fputc('}', f);
}

void trace_json_sink(void *ctx, const struct trace_event *ev)
{
	FILE *f = ctx;
	trace_write_json(f, ev);
	fputc('\n', f);
}
