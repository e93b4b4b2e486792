/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chrome trace-event JSON for ui.perfetto.dev. One process per world (NS, Root, Realm), one
 * thread per actor: the host, the EL3 monitor, the RMM and each REC. Calls and REC runs are
 * complete ("X") slices, so begin and end can never mismatch; world switches are short slices
 * on the monitor's track; decisions, GPT transitions and PSCI/RSI calls are instants. Time is
 * the event's seq times 10 microseconds: deterministic, and in the order things happened.
 */
#include "trace/view_model.h"

#include "abi/abi.h"

#include <stdlib.h>
#include <string.h>

#define TICK 10 /* microseconds per event */

enum { PID_NS = 1, PID_ROOT, PID_REALM };
enum { TID_HOST = 1, TID_EL3, TID_RMM, TID_REC0 = 100 };

struct pf {
	FILE *out;
	const struct trace_view *v;
	bool first;
	/* RECs in order of first appearance: their thread is TID_REC0 + index */
	const char **realm;
	uint64_t *rec;
	size_t nrecs;
};

static void sep(struct pf *p)
{
	fputs(p->first ? "\n" : ",\n", p->out);
	p->first = false;
}

static void meta(struct pf *p, const char *what, int pid, int tid, const char *name)
{
	sep(p);
	fprintf(p->out,
		"{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":", what,
		pid, tid);
	trace_json_string(p->out, name);
	fputs("}}", p->out);
}

/* The index of an event's REC in p's list, or -1. */
static int rec_index(const struct pf *p, const struct trace_event *ev)
{
	uint64_t rec = 0;
	const char *realm = trace_field_name(ev, "realm");
	trace_field_num(ev, "rec", &rec);
	for (size_t i = 0; i < p->nrecs; i++) {
		/* an event without a realm (a check) means the REC of that index */
		if (p->rec[i] == rec &&
		    (!realm || (p->realm[i] && strcmp(realm, p->realm[i]) == 0))) {
			return (int)i;
		}
	}
	return -1;
}

static int rec_tid(const struct pf *p, const struct trace_event *ev)
{
	int i = rec_index(p, ev);
	return TID_REC0 + (i < 0 ? 0 : i);
}

static int collect(const struct trace *t, struct pf *p)
{
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		uint64_t rec;
		if (ev->kind == TE_host || !trace_field_num(ev, "rec", &rec) ||
		    !trace_field_name(ev, "realm") || rec_index(p, ev) >= 0) {
			continue;
		}
		const char **nr = realloc(p->realm, (p->nrecs + 1) * sizeof(*nr));
		if (!nr) {
			return -1;
		}
		p->realm = nr;
		uint64_t *nrec = realloc(p->rec, (p->nrecs + 1) * sizeof(*nrec));
		if (!nrec) {
			return -1;
		}
		p->rec = nrec;
		p->realm[p->nrecs] = trace_field_name(ev, "realm");
		p->rec[p->nrecs++] = rec;
	}
	return 0;
}

/* Opens an event object up to its args; the caller writes args and closes with "}}". */
static void slice(struct pf *p, const char *ph, const char *name, uint64_t ts, uint64_t dur,
		  int pid, int tid)
{
	sep(p);
	fputs("{\"name\":", p->out);
	trace_json_string(p->out, name);
	fprintf(p->out, ",\"ph\":\"%s\",\"ts\":%llu,", ph, (unsigned long long)ts);
	if (ph[0] == 'X') {
		fprintf(p->out, "\"dur\":%llu,", (unsigned long long)dur);
	} else {
		fputs("\"s\":\"t\",", p->out);
	}
	fprintf(p->out, "\"pid\":%d,\"tid\":%d,\"args\":{", pid, tid);
}

/* A step `ph` (s start, t step, f end) of flow `id`: Perfetto draws the arrows between the
 * slices each step lies in. */
static void flow(struct pf *p, const char *ph, uint64_t id, uint64_t ts, int pid, int tid)
{
	sep(p);
	fprintf(p->out,
		"{\"name\":\"RMI_REC_ENTER\",\"cat\":\"flow\",\"ph\":\"%s\",\"id\":%llu,"
		"\"ts\":%llu,\"pid\":%d,\"tid\":%d%s}",
		ph, (unsigned long long)id, (unsigned long long)ts, pid, tid,
		ph[0] == 'f' ? ",\"bp\":\"e\"" : "");
}

static void arg_str(struct pf *p, bool comma, const char *key, const char *val)
{
	fprintf(p->out, "%s\"%s\":", comma ? "," : "", key);
	trace_json_string(p->out, val ? val : "");
}

/* The RMM's answer to the host's SMC at i: the next rmi event (or the last event). */
static size_t next_rmi(const struct trace *t, size_t i)
{
	for (size_t j = i + 1; j < trace_count(t); j++) {
		if (trace_get(t, j)->kind == TE_rmi) {
			return j;
		}
	}
	return trace_count(t) - 1;
}

static void label(struct pf *p, const struct trace_event *ev, char *buf, size_t len)
{
	const struct trace_field *a = trace_field(ev, "args");
	const char *name = trace_field_text(ev, "cmd", trace_field_name(ev, "call"));
	char one[64];
	/* RMI_PSCI_COMPLETE's status argument by its name, as the narration gives it */
	bool status_last = name && strcmp(name, "RMI_PSCI_COMPLETE") == 0;
	snprintf(buf, len, "%s(", name ? name : ev->type);
	for (unsigned i = 0; a && a->kind == TV_HEXLIST && i < a->len; i++) {
		const char *st = status_last && i > 0 && i + 1 == a->len
				     ? abi_name(ABI_PSCI_RET, a->list[i])
				     : NULL;
		if (st) {
			snprintf(one, sizeof(one), "%s", st);
		} else {
			view_addr(p->v, a->list[i], one, sizeof(one));
		}
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? ", " : "", one);
	}
	size_t used = strlen(buf);
	snprintf(buf + used, len - used, ")");
}

static void rmi_slices(struct pf *p, const struct trace *t, size_t i)
{
	const struct trace_event *smc = trace_get(t, i);
	size_t j = next_rmi(t, i);
	const struct trace_event *rmi = trace_get(t, j);
	char text[256];
	if (rmi->kind != TE_rmi) {
		return;
	}
	label(p, rmi, text, sizeof(text));
	uint64_t start = smc->seq * TICK, end = rmi->seq * TICK + TICK / 2;
	slice(p, "X", trace_field_name(rmi, "cmd"), start, end - start + 2, PID_NS, TID_HOST);
	arg_str(p, false, "call", text);
	arg_str(p, true, "status", trace_field_name(rmi, "status"));
	if (trace_field_name(rmi, "condition")) {
		arg_str(p, true, "condition", trace_field_name(rmi, "condition"));
	}
	if (trace_field_name(rmi, "decision")) {
		arg_str(p, true, "decision", trace_field_name(rmi, "decision"));
	}
	fputs("}}", p->out);
	slice(p, "X", trace_field_name(rmi, "cmd"), start + 1, end - start, PID_REALM, TID_RMM);
	arg_str(p, false, "call", text);
	arg_str(p, true, "status", trace_field_name(rmi, "status"));
	fputs("}}", p->out);
	/* An entry is one arrow across the worlds: the host's call, the RMM, the REC it runs. */
	for (size_t k = i + 1; k < j; k++) {
		const struct trace_event *ev = trace_get(t, k);
		if (ev->kind == TE_rec_enter) {
			flow(p, "s", smc->seq, start, PID_NS, TID_HOST);
			flow(p, "t", smc->seq, start + 1, PID_REALM, TID_RMM);
			flow(p, "f", smc->seq, ev->seq * TICK, PID_REALM, rec_tid(p, ev));
			break;
		}
	}
}

/* A REC runs from its entry to its exit; if the RMM returns first (the run ended otherwise),
 * the slice ends there, so slices on a REC's track never overlap. */
static void rec_run(struct pf *p, const struct trace *t, size_t i)
{
	const struct trace_event *ev = trace_get(t, i), *end = ev;
	int tid = rec_tid(p, ev);
	for (size_t j = i + 1; j < trace_count(t); j++) {
		end = trace_get(t, j);
		if (end->kind == TE_rmi || (end->kind == TE_rec_exit && rec_tid(p, end) == tid)) {
			break;
		}
	}
	slice(p, "X", "running", ev->seq * TICK, (end->seq - ev->seq) * TICK + 1, PID_REALM, tid);
	arg_str(p, false, "exit",
		end->kind == TE_rec_exit ? trace_field_name(end, "reason") : "none");
	fputs("}}", p->out);
}

static void instant(struct pf *p, const struct trace_event *ev, const char *name, int pid, int tid)
{
	slice(p, "i", name, ev->seq * TICK, 0, pid, tid);
	fprintf(p->out, "\"seq\":%llu}}", (unsigned long long)ev->seq);
}

static void one_event(struct pf *p, const struct trace *t, size_t i)
{
	const struct trace_event *ev = trace_get(t, i);
	enum trace_type type = ev->kind;
	char text[256], pa[64];
	uint64_t v = 0;

	if (type == TE_smc && trace_field_name(ev, "world") &&
	    strcmp(trace_field_name(ev, "world"), "NS") == 0) {
		rmi_slices(p, t, i);
	} else if (type == TE_world_switch) {
		snprintf(text, sizeof(text), "world switch %s → %s", trace_field_name(ev, "from"),
			 trace_field_name(ev, "to"));
		slice(p, "X", text, ev->seq * TICK, 2, PID_ROOT, TID_EL3);
		fprintf(p->out, "\"seq\":%llu}}", (unsigned long long)ev->seq);
	} else if (type == TE_rec_enter) {
		const char *st = trace_field_name(ev, "status");
		if (st && strcmp(st, "RMI_SUCCESS") == 0) {
			rec_run(p, t, i);
		}
	} else if (type == TE_psci || type == TE_rsi) {
		label(p, ev, text, sizeof(text));
		const char *r = view_result(ev);
		if (r) {
			size_t used = strlen(text);
			snprintf(text + used, sizeof(text) - used, " → %s", r);
		}
		instant(p, ev, text, PID_REALM, rec_tid(p, ev));
	} else if (type == TE_interrupt || type == TE_console || type == TE_guest_exit ||
		   type == TE_token) {
		view_realm_note(ev, text, sizeof(text));
		instant(p, ev, text, PID_REALM, rec_tid(p, ev));
	} else if (type == TE_host) {
		char detail[128];
		snprintf(text, sizeof(text), "VMM decides: %s",
			 view_decision(trace_field_name(ev, "decision")));
		view_host_detail(ev, false, detail, sizeof(detail));
		view_append(text, sizeof(text), detail);
		instant(p, ev, text, PID_NS, TID_HOST);
	} else if (type == TE_gpt || type == TE_gpf) {
		trace_field_num(ev, "pa", &v);
		view_addr(p->v, v, pa, sizeof(pa));
		if (type == TE_gpt) {
			snprintf(text, sizeof(text), "GPT %s %s → %s", pa,
				 trace_field_name(ev, "from"), trace_field_name(ev, "to"));
		} else {
			snprintf(text, sizeof(text), "GPF %s of %s", trace_field_name(ev, "access"),
				 pa);
		}
		instant(p, ev, text, PID_ROOT, TID_EL3);
	} else if (type == TE_realm_state) {
		snprintf(text, sizeof(text), "realm %s", trace_field_name(ev, "state"));
		instant(p, ev, text, PID_REALM, TID_RMM);
	}
}

int trace_write_perfetto(const struct trace *t, const struct trace_view *v, FILE *out)
{
	struct pf p = {.out = out, .v = v, .first = true};
	char name[256];
	if (collect(t, &p) != 0) {
		free(p.realm);
		free(p.rec);
		return -1;
	}
	/* metadata: what the run was (the trace-event format's free-form dictionary) */
	view_title(v, name, sizeof(name));
	fputs("{\"metadata\":{\"cca-sim scenario\":", out);
	trace_json_string(out, name);
	if (v && v->spec && v->profile) {
		fputs(",\"spec\":", out);
		trace_json_string(out, v->spec);
		fputs(",\"profile\":", out);
		trace_json_string(out, v->profile);
	}
	fprintf(out,
		",\"timebase\":\"synthetic: event number N at N x %d us, not emulated time\"},",
		TICK);
	fputs("\"displayTimeUnit\":\"ns\",\"traceEvents\":[", out);
	meta(&p, "process_name", PID_NS, TID_HOST, "Non-secure world");
	meta(&p, "process_name", PID_ROOT, TID_EL3, "Root world");
	meta(&p, "process_name", PID_REALM, TID_RMM, "Realm world");
	meta(&p, "thread_name", PID_NS, TID_HOST, "host (NS-EL2)");
	meta(&p, "thread_name", PID_ROOT, TID_EL3, "EL3 monitor");
	meta(&p, "thread_name", PID_REALM, TID_RMM, "RMM (R-EL2)");
	for (size_t i = 0; i < p.nrecs; i++) {
		if (p.realm[i] && strcmp(p.realm[i], "realm") != 0) {
			snprintf(name, sizeof(name), "%s.rec%llu (R-EL1)", p.realm[i],
				 (unsigned long long)p.rec[i]);
		} else {
			snprintf(name, sizeof(name), "rec%llu (R-EL1)",
				 (unsigned long long)p.rec[i]);
		}
		meta(&p, "thread_name", PID_REALM, TID_REC0 + (int)i, name);
	}
	for (size_t i = 0; i < trace_count(t); i++) {
		one_event(&p, t, i);
	}
	fputs("\n]}\n", out);
	free(p.realm);
	free(p.rec);
	return ferror(out) ? -1 : 0;
}
