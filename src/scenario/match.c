/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expectations over the event stream (docs/scenarios.md, "Events"): `expect` patterns must
 * match events in order, each later than the previous match; `absent` patterns must match
 * none. A pattern matches an event of its type whose listed fields are all equal; lists match
 * element by element from the start. Failures name the pattern's place in the file and show
 * the events around the point where matching stopped.
 */
#include "runner.h"

#include "abi/abi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void runner_fail(struct runner *r, const struct scenario_pos *pos, const char *fmt, ...)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	if (!f) {
		return;
	}
	if (pos && pos->file) {
		fprintf(f, "%s:%u:%u: ", pos->file, pos->line, pos->col);
	}
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap); /* whole: a message cut short would cut its JSON mid-token */
	va_end(ap);
	if (fclose(f) != 0 || !line) {
		free(line);
		return;
	}
	char **grown = realloc(r->res->failures, (r->res->nfailures + 1) * sizeof(char *));
	if (!grown) {
		free(line);
		return;
	}
	r->res->failures = grown;
	r->res->failures[r->res->nfailures++] = line;
}

static const char *sym_name(enum scenario_symbol s)
{
	static const char *const names[] = {
	    [SCENARIO_SYM_RD] = "rd",
	    [SCENARIO_SYM_REC] = "rec",
	    [SCENARIO_SYM_RUN] = "run",
	    [SCENARIO_SYM_DATA] = "data",
	    [SCENARIO_SYM_RTT] = "rtt",
	    [SCENARIO_SYM_DELEGATED] = "delegated",
	    [SCENARIO_SYM_UNDELEGATED] = "undelegated",
	    [SCENARIO_SYM_OUTSIDE] = "outside",
	    [SCENARIO_SYM_AUX] = "aux",
	    [SCENARIO_SYM_SECURE] = "secure",
	    [SCENARIO_SYM_DEVICE] = "device",
	};
	return names[s];
}

static bool indexed(enum scenario_symbol s)
{
	return s == SCENARIO_SYM_REC || s == SCENARIO_SYM_RUN || s == SCENARIO_SYM_DATA ||
	       s == SCENARIO_SYM_AUX;
}

bool runner_value_num(const struct runner *r, const struct scenario_value *v, uint64_t *out)
{
	uint64_t pa;
	switch (v->kind) {
	case SCENARIO_VAL_NUMBER:
		*out = v->num;
		return true;
	case SCENARIO_VAL_NAME:
		*out = v->num;
		return v->has_num;
	case SCENARIO_VAL_SYMBOL:
		if (!r->h || !host_symbol(r->h, v->realm_index > 0 ? (unsigned)v->realm_index : 0,
					  sym_name(v->sym), v->index, &pa)) {
			return false;
		}
		*out = pa + (uint64_t)v->offset;
		return true;
	case SCENARIO_VAL_NONE:
	case SCENARIO_VAL_LIST:
		break;
	}
	return false;
}

void runner_format_value(const struct scenario_value *v, char *buf, size_t len)
{
	size_t at = 0;
	switch (v->kind) {
	case SCENARIO_VAL_NUMBER:
		snprintf(buf, len, "0x%llx", (unsigned long long)v->num);
		return;
	case SCENARIO_VAL_NAME:
		snprintf(buf, len, "%s", v->name ? v->name : "?");
		return;
	case SCENARIO_VAL_SYMBOL:
		snprintf(buf, len, "%s%s%s", v->realm ? v->realm : "", v->realm ? "." : "",
			 sym_name(v->sym));
		at = strlen(buf);
		if (indexed(v->sym) && at < len) {
			snprintf(buf + at, len - at, "%u", v->index);
		}
		at = strlen(buf);
		if (v->offset && at < len) {
			snprintf(buf + at, len - at, " + %lld", (long long)v->offset);
		}
		return;
	case SCENARIO_VAL_LIST:
		snprintf(buf, len, "[");
		for (size_t i = 0; i < v->count && (at = strlen(buf)) + 4 < len; i++) {
			if (i) {
				snprintf(buf + at, len - at, ", ");
				at = strlen(buf);
			}
			runner_format_value(&v->items[i], buf + at, len - at);
		}
		at = strlen(buf);
		if (at + 1 < len) {
			snprintf(buf + at, len - at, "]");
		}
		return;
	case SCENARIO_VAL_NONE:
		break;
	}
	snprintf(buf, len, "~");
}

/* Fields that count or index (a REC, a level, a size) rather than address: shown in decimal,
 * as the pattern most likely wrote them. */
static bool counting_field(const char *name)
{
	static const char *const names[] = {"rec", "seq",  "index", "level", "el",
					    "op",  "size", "intid", "target"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], name) == 0) {
			return true;
		}
	}
	return false;
}

static void format_pattern(const struct scenario_pattern *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s: {", p->type);
	for (size_t i = 0; i < p->nfields; i++) {
		size_t at = strlen(buf);
		char v[256];
		const struct scenario_value *val = &p->fields[i].value;
		if (val->kind == SCENARIO_VAL_NUMBER && counting_field(p->fields[i].name)) {
			snprintf(v, sizeof(v), "%llu", (unsigned long long)val->num);
		} else {
			runner_format_value(val, v, sizeof(v));
		}
		snprintf(buf + at, len - at, "%s%s: %s", i ? ", " : "", p->fields[i].name, v);
	}
	size_t at = strlen(buf);
	snprintf(buf + at, len - at, "}");
}

/* The number a spec name in an event stands for, when it has one. */
static bool name_value(const char *name, uint64_t *v)
{
	static const enum abi_kind kinds[] = {ABI_FID, ABI_RMI_STATUS, ABI_PSCI_RET, ABI_RSI_RET,
					      ABI_EXIT_REASON};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (abi_value(kinds[i], name, NULL, v)) {
			return true;
		}
	}
	return false;
}

static bool scalar_matches(const struct runner *r, const struct scenario_value *pv,
			   const struct trace_field *f)
{
	uint64_t want, have;
	if (f->kind == TV_NAME || f->kind == TV_STR) {
		if (pv->kind == SCENARIO_VAL_NAME && pv->name && strcmp(pv->name, f->str) == 0) {
			return true;
		}
		if (f->has_num) { /* an enumeration's label: compare the value it stands for */
			return runner_value_num(r, pv, &want) && want == f->num;
		}
		return runner_value_num(r, pv, &want) && name_value(f->str, &have) && have == want;
	}
	if (f->kind == TV_INT && pv->kind == SCENARIO_VAL_SYMBOL && pv->sym == SCENARIO_SYM_REC) {
		return f->num == pv->index; /* `rec: rec1` in a pattern means REC index 1 */
	}
	return runner_value_num(r, pv, &want) && want == f->num;
}

static bool field_matches(const struct runner *r, const struct scenario_value *pv,
			  const struct trace_field *f)
{
	if (f->kind != TV_HEXLIST) {
		return pv->kind != SCENARIO_VAL_LIST && scalar_matches(r, pv, f);
	}
	if (pv->kind != SCENARIO_VAL_LIST || pv->count > f->len) {
		return false;
	}
	for (size_t i = 0; i < pv->count; i++) {
		uint64_t want;
		if (!runner_value_num(r, &pv->items[i], &want) || want != f->list[i]) {
			return false;
		}
	}
	return true;
}

static bool matches(const struct runner *r, const struct scenario_pattern *p,
		    const struct trace_event *ev)
{
	if (strcmp(p->type, ev->type) != 0) {
		return false;
	}
	for (size_t i = 0; i < p->nfields; i++) {
		const struct scenario_value *v = &p->fields[i].value;
		uint64_t want;
		if (strcmp(p->fields[i].name, "seq") == 0) {
			/* seq is every event's number, not one of its fields */
			if (!runner_value_num(r, v, &want) || want != ev->seq) {
				return false;
			}
			continue;
		}
		const struct trace_field *f = trace_field(ev, p->fields[i].name);
		if (!f || !field_matches(r, v, f)) {
			return false;
		}
	}
	return true;
}

#define CONTEXT_SHOWN    3   /* events shown after a failed pattern */
#define CONTEXT_JSON_MAX 400 /* characters of one, cut at a field with a marker */

/* How many of the pattern's fields the event has equal: how near it comes to matching. */
static size_t nearness(const struct runner *r, const struct scenario_pattern *p,
		       const struct trace_event *ev)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nfields; i++) {
		const struct trace_field *f = trace_field(ev, p->fields[i].name);
		n += f && field_matches(r, &p->fields[i].value, f);
	}
	return n;
}

/* One event as JSON, at most CONTEXT_JSON_MAX characters: a longer one is cut after a whole
 * field and says so, never in the middle of a value. */
static void context_json(FILE *f, const struct trace_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		return;
	}
	trace_write_json(m, ev);
	fclose(m);
	if (buf && len > CONTEXT_JSON_MAX) {
		size_t cut = CONTEXT_JSON_MAX;
		while (cut > 1 && !(buf[cut] == ',' && buf[cut + 1] == '"')) {
			cut--;
		}
		fprintf(f, "%.*s, ... (cut: %zu more characters)}", (int)cut, buf, len - cut - 1);
	} else if (buf) {
		fputs(buf, f);
	}
	free(buf);
}

/* The events of the pattern's type after `from` that come nearest to it (most fields equal,
 * then the earliest), up to CONTEXT_SHOWN, in event order: what did happen instead. */
static void context(const struct runner *r, const struct scenario_pattern *p, size_t from, FILE *f)
{
	size_t best[CONTEXT_SHOWN], score[CONTEXT_SHOWN], nbest = 0;
	for (size_t i = from; i < trace_count(r->t); i++) {
		const struct trace_event *ev = trace_get(r->t, i);
		if (strcmp(ev->type, p->type) != 0) {
			continue;
		}
		size_t s = nearness(r, p, ev), at = nbest;
		while (at > 0 && score[at - 1] < s) {
			at--;
		}
		if (at == CONTEXT_SHOWN) {
			continue;
		}
		size_t end = nbest < CONTEXT_SHOWN ? nbest : CONTEXT_SHOWN - 1;
		memmove(&best[at + 1], &best[at], (end - at) * sizeof(*best));
		memmove(&score[at + 1], &score[at], (end - at) * sizeof(*score));
		best[at] = i;
		score[at] = s;
		nbest = end + 1;
	}
	/* shown in the order they happened */
	for (size_t a = 0; a < nbest; a++) {
		for (size_t b = a + 1; b < nbest; b++) {
			if (best[b] < best[a]) {
				size_t t = best[a];
				best[a] = best[b];
				best[b] = t;
			}
		}
	}
	for (size_t k = 0; k < nbest; k++) {
		fputs(k ? "\n    " : "; nearest events of that type:\n    ", f);
		context_json(f, trace_get(r->t, best[k]));
	}
	if (!nbest) {
		fprintf(f, "; no `%s` event after that point", p->type);
	}
}

void runner_check_events(struct runner *r)
{
	size_t at = 0, n = trace_count(r->t);
	char pat[512];

	for (size_t k = 0; k < r->s->nexpect; k++) {
		const struct scenario_pattern *p = &r->s->expect[k];
		size_t i = at;
		r->res->nchecks++;
		while (i < n && !matches(r, p, trace_get(r->t, i))) {
			i++;
		}
		if (i == n) {
			char *ctx = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&ctx, &len);
			if (f) {
				context(r, p, at, f);
				fclose(f);
			}
			format_pattern(p, pat, sizeof(pat));
			runner_fail(r, &p->pos, "expected event not found after event #%zu: %s%s",
				    at, pat, ctx ? ctx : "");
			free(ctx);
			continue; /* later patterns are still checked from the same point */
		}
		at = i + 1;
	}
	for (size_t k = 0; k < r->s->nabsent; k++) {
		const struct scenario_pattern *p = &r->s->absent[k];
		r->res->nchecks++;
		for (size_t i = 0; i < n; i++) {
			const struct trace_event *ev = trace_get(r->t, i);
			if (matches(r, p, ev)) {
				char json[600];
				FILE *f = fmemopen(json, sizeof(json), "w");
				if (f) {
					trace_write_json(f, ev);
					fclose(f);
				}
				format_pattern(p, pat, sizeof(pat));
				runner_fail(r, &p->pos,
					    "event #%llu matches an absent pattern %s: %s",
					    (unsigned long long)ev->seq, pat, f ? json : "");
				break;
			}
		}
	}
}
