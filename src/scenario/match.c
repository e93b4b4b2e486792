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
	char msg[600], line[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pos && pos->file) {
		snprintf(line, sizeof(line), "%s:%u:%u: %s", pos->file, pos->line, pos->col, msg);
	} else {
		snprintf(line, sizeof(line), "%s", msg);
	}
	char **f = realloc(r->res->failures, (r->res->nfailures + 1) * sizeof(char *));
	if (!f) {
		return;
	}
	r->res->failures = f;
	r->res->failures[r->res->nfailures++] = strdup(line);
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

static void format_pattern(const struct scenario_pattern *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s: {", p->type);
	for (size_t i = 0; i < p->nfields; i++) {
		size_t at = strlen(buf);
		char v[256];
		runner_format_value(&p->fields[i].value, v, sizeof(v));
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

/* Up to three events of the pattern's type from `from`, as JSON, to show what did happen. */
static void context(const struct runner *r, const struct scenario_pattern *p, size_t from,
		    char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	unsigned shown = 0;
	if (!f) {
		buf[0] = 0;
		return;
	}
	for (size_t i = from; i < trace_count(r->t) && shown < 3; i++) {
		const struct trace_event *ev = trace_get(r->t, i);
		if (strcmp(ev->type, p->type) == 0) {
			fputs(shown++ ? "\n    " : "; nearest events of that type:\n    ", f);
			trace_write_json(f, ev);
		}
	}
	if (!shown) {
		fprintf(f, "; no `%s` event after that point", p->type);
	}
	fclose(f);
}

void runner_check_events(struct runner *r)
{
	size_t at = 0, n = trace_count(r->t);
	char pat[512], ctx[1200];

	for (size_t k = 0; k < r->s->nexpect; k++) {
		const struct scenario_pattern *p = &r->s->expect[k];
		size_t i = at;
		r->res->nchecks++;
		while (i < n && !matches(r, p, trace_get(r->t, i))) {
			i++;
		}
		if (i == n) {
			format_pattern(p, pat, sizeof(pat));
			context(r, p, at, ctx, sizeof(ctx));
			runner_fail(r, &p->pos, "expected event not found after event #%zu: %s%s",
				    at, pat, ctx);
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
