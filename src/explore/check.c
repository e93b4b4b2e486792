/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guarantees (explore.h, docs/explore.md), checked on one run's events alone: from the
 * states the RMM and the GPT report (rec_state, realm_state, gpt, the rmi events' `granules`),
 * the host's completed accesses (access) and what the realm received (psci), never from the
 * RMM's own reasoning (`decision`), so that the check does not trust what it checks.
 */
#include "explore/explore.h"

#include "abi/abi.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RECS     64
#define MAX_GRANULES 512

static const char *const invariant_names[EXPLORE_INVARIANTS] = {
    "failed_command_changes_nothing", "permitted_psci_result",
    "rec_runs_only_when_runnable",    "ns_access_denied",
    "gpt_matches_granule_states",     "protected_memory_scrubbed",
};

const char *explore_invariant_name(enum explore_invariant i)
{
	return (unsigned)i < EXPLORE_INVARIANTS ? invariant_names[i] : "?";
}

bool explore_invariant_parse(const char *name, enum explore_invariant *out)
{
	for (unsigned i = 0; i < EXPLORE_INVARIANTS; i++) {
		if (strcmp(name, invariant_names[i]) == 0) {
			*out = (enum explore_invariant)i;
			return true;
		}
	}
	return false;
}

struct rec_known {
	const char *realm; /* points into the events */
	uint64_t pa;
	unsigned index;
	int runnable; /* -1 unknown */
	bool destroyed;
	/* The states of the realm's RECs (by their place in run_state.recs) when the host
	 * completed this REC's request, until the REC receives the result. */
	bool has_completion;
	int at_completion[MAX_RECS];
	unsigned cpu_on_calls, affinity_calls;
};

/* What the events said of a granule: its GPI (the last gpt event) and RMM state. */
struct granule_known {
	uint64_t pa;
	char gpi[16];   /* "" unknown */
	char state[16]; /* "" unknown */
	bool changed;   /* in the command being read */
};

struct run_state {
	struct explore_run_facts *f;
	struct explore_summary *sum;
	struct rec_known recs[MAX_RECS];
	unsigned nrecs;
	struct granule_known *granules;
	unsigned ngranules;
	bool in_call, changed;
	uint64_t call_fid, changed_seq, calling_pa;
	struct rec_known *last_state; /* the REC of the last rec_state event */
	/* The RECs' states when the host called RMI_PSCI_COMPLETE for `completing`: its
	 * request's result is judged by them if the call succeeds. */
	int snapshot[MAX_RECS];
	struct rec_known *completing;
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static struct rec_known *rec_by_index(struct run_state *st, const char *realm, uint64_t index)
{
	for (unsigned i = 0; i < st->nrecs; i++) {
		if (!st->recs[i].destroyed && st->recs[i].index == index &&
		    same(st->recs[i].realm, realm)) {
			return &st->recs[i];
		}
	}
	return NULL;
}

static struct rec_known *rec_by_pa(struct run_state *st, uint64_t pa)
{
	for (unsigned i = 0; pa && i < st->nrecs; i++) {
		if (!st->recs[i].destroyed && st->recs[i].pa == pa) {
			return &st->recs[i];
		}
	}
	return NULL;
}

static struct granule_known *granule(struct run_state *st, uint64_t pa, bool add)
{
	pa &= ~0xfffULL;
	for (unsigned i = 0; i < st->ngranules; i++) {
		if (st->granules[i].pa == pa) {
			return &st->granules[i];
		}
	}
	if (!add || st->ngranules == MAX_GRANULES) {
		return NULL;
	}
	struct granule_known *g = &st->granules[st->ngranules++];
	memset(g, 0, sizeof(*g));
	g->pa = pa;
	return g;
}

static void violate(struct run_state *st, enum explore_invariant inv, uint64_t seq,
		    const char *what)
{
	struct explore_run_facts *f = st->f;
	if (f->violated[inv]) {
		return;
	}
	f->violated[inv] = true;
	memset(&f->found[inv], 0, sizeof(f->found[inv]));
	f->found[inv].invariant = inv;
	f->found[inv].seq = seq;
	snprintf(f->found[inv].what, sizeof(f->found[inv].what), "%s", what);
}

/* FNV-1a over an event's type and fields, not its number: runs that did the same hash alike. */
static uint64_t hash_event(uint64_t h, const struct trace_event *ev)
{
#define MIX(b) (h = (h ^ (uint64_t)(unsigned char)(b)) * 0x100000001b3ULL)
	for (const char *c = ev->type; *c; c++) {
		MIX(*c);
	}
	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct trace_field *fl = &ev->fields[i];
		for (const char *c = fl->key; *c; c++) {
			MIX(*c);
		}
		if (fl->kind == TV_NAME || fl->kind == TV_STR) {
			for (const char *c = fl->str; c && *c; c++) {
				MIX(*c);
			}
		} else if (fl->kind == TV_HEXLIST) {
			for (unsigned k = 0; k < fl->len; k++) {
				for (unsigned b = 0; b < 8; b++) {
					MIX(fl->list[k] >> (8 * b));
				}
			}
		} else {
			for (unsigned b = 0; b < 8; b++) {
				MIX(fl->num >> (8 * b));
			}
		}
	}
#undef MIX
	return h;
}

static const char *ret_name(uint64_t v)
{
	const char *name = abi_name(ABI_PSCI_RET, v);
	return name ? name : "an unnamed code";
}

/*
 * The realm received `result` for a PSCI_CPU_ON or PSCI_AFFINITY_INFO of `target`: permitted
 * for the target's state when the host completed the request? CPU_ON [S:B3.27
 * PsciReturnCodePermitted, B4.3.7.3]: SUCCESS and DENIED only for a NOT_RUNNABLE target,
 * ALREADY_ON only for a RUNNABLE one, nothing outside those and INVALID_PARAMETERS and
 * INVALID_ADDRESS (which the RMM answers itself). AFFINITY_INFO [S:B6.3.1]: ON for a RUNNABLE
 * target, OFF for a NOT_RUNNABLE one.
 */
static void check_psci_result(struct run_state *st, const struct trace_event *ev,
			      struct rec_known *caller, bool cpu_on, uint64_t result)
{
	const struct trace_field *args = trace_field(ev, "args");
	if (!args || args->kind != TV_HEXLIST || args->len < 1) {
		return;
	}
	struct rec_known *t = rec_by_index(st, caller->realm, mpidr_to_rec_index(args->list[0]));
	if (!t) {
		return; /* an MPIDR no REC has: the RMM answers it itself */
	}
	int state = caller->has_completion ? caller->at_completion[t - st->recs] : t->runnable;
	const char *why = NULL;
	if (!cpu_on) {
		if (state >= 0 && result != (state ? 0 : PSCI_OFF)) {
			why = state ? "for a target that was RUNNABLE (ON)"
				    : "for a target that was NOT_RUNNABLE (OFF)";
		}
	} else if ((result == PSCI_DENIED || result == PSCI_SUCCESS) && state == 1) {
		why = "for a target that was RUNNABLE";
	} else if (result == PSCI_ALREADY_ON && state == 0) {
		why = "for a target that was NOT_RUNNABLE";
	} else if (result != PSCI_SUCCESS && result != PSCI_DENIED && result != PSCI_ALREADY_ON &&
		   result != PSCI_INVALID_PARAMETERS && result != PSCI_INVALID_ADDRESS) {
		why = "that PSCI_CPU_ON never returns in a realm";
	}
	if (why) {
		char what[256];
		snprintf(what, sizeof(what), "REC %u's %s received %s %s (REC %u)", caller->index,
			 cpu_on ? "PSCI_CPU_ON" : "PSCI_AFFINITY_INFO",
			 !cpu_on && result == 0 ? "ON" : ret_name(result), why, t->index);
		violate(st, EXPLORE_PERMITTED_RESULT, ev->seq, what);
	}
}

static void note_call(struct explore_summary *sum, const struct rec_known *r, uint64_t fid,
		      unsigned nth, uint64_t result)
{
	const char *realm = r->realm ? r->realm : "realm";
	struct explore_call *c = NULL;
	if (!sum) {
		return;
	}
	for (unsigned i = 0; i < sum->ncalls && !c; i++) {
		if (strcmp(sum->calls[i].realm, realm) == 0 && sum->calls[i].rec == r->index &&
		    sum->calls[i].fid == fid && sum->calls[i].nth == nth) {
			c = &sum->calls[i];
		}
	}
	if (!c && sum->ncalls < EXPLORE_MAX_CALLS) {
		c = &sum->calls[sum->ncalls++];
		*c = (struct explore_call){.rec = r->index, .nth = nth, .fid = fid};
		snprintf(c->realm, sizeof(c->realm), "%s", realm);
	}
	for (unsigned i = 0; c && i < c->nresults; i++) {
		if (c->results[i] == result) {
			return;
		}
	}
	if (c && c->nresults < EXPLORE_MAX_RESULTS) {
		c->results[c->nresults++] = result;
	}
}

static void on_smc(struct run_state *st, const struct trace_event *ev)
{
	const struct trace_field *a = trace_field(ev, "args");
	if (!is(trace_field_name(ev, "world"), "NS") ||
	    !trace_field_num(ev, "fid", &st->call_fid)) {
		return;
	}
	st->in_call = true;
	st->changed = false;
	st->calling_pa = a && a->kind == TV_HEXLIST && a->len ? a->list[0] : 0;
	for (unsigned i = 0; i < st->ngranules; i++) {
		st->granules[i].changed = false;
	}
	struct rec_known *c = rec_by_pa(st, st->calling_pa);
	st->completing = st->call_fid == RMI_PSCI_COMPLETE ? c : NULL;
	for (unsigned k = 0; st->completing && k < st->nrecs; k++) {
		st->snapshot[k] = st->recs[k].runnable; /* the states before the completion */
	}
}

static void on_state(struct run_state *st, const struct trace_event *ev)
{
	uint64_t v = 0, run = 0;
	if (st->in_call && !st->changed) {
		st->changed = true;
		st->changed_seq = ev->seq;
	}
	if (ev->kind == TE_gpt && trace_field_num(ev, "pa", &v)) {
		struct granule_known *g = granule(st, v, true);
		const char *to = trace_field_name(ev, "to");
		uint64_t scrubbed = 1;
		if (g && to) {
			snprintf(g->gpi, sizeof(g->gpi), "%s", to);
			g->changed = true;
		}
		if (is(to, "NS") && trace_field_num(ev, "scrubbed", &scrubbed) && !scrubbed) {
			char what[256];
			snprintf(what, sizeof(what),
				 "granule 0x%llx went back to the Non-secure PAS holding data",
				 (unsigned long long)v);
			violate(st, EXPLORE_SCRUBBED, ev->seq, what);
		}
	}
	if (ev->kind != TE_rec_state || !trace_field_num(ev, "rec", &v)) {
		return;
	}
	const char *realm = trace_field_name(ev, "realm");
	struct rec_known *r = rec_by_index(st, realm, v);
	if (!r && st->nrecs < MAX_RECS) { /* first seen: its REC_CREATE */
		r = &st->recs[st->nrecs++];
		memset(r, 0, sizeof(*r));
		r->realm = realm;
		r->index = (unsigned)v;
		r->runnable = -1;
	}
	if (r && trace_field_num(ev, "runnable", &run)) {
		r->runnable = run != 0;
	}
	st->last_state = r;
}

/* "0x80002000=RD 0x80003000=RTT" into the granules' states. */
static void read_granules(struct run_state *st, const char *text)
{
	if (!text) {
		return;
	}
	for (const char *p = text; *p;) {
		char *end;
		uint64_t pa = strtoull(p, &end, 16);
		if (end == p || *end != '=') {
			break;
		}
		const char *name = end + 1;
		size_t n = strcspn(name, " ");
		struct granule_known *g = granule(st, pa, true);
		if (g && n < sizeof(g->state)) {
			memcpy(g->state, name, n);
			g->state[n] = '\0';
			g->changed = true;
		}
		p = name + n;
		while (*p == ' ') {
			p++;
		}
	}
}

/* After a command: every granule it changed is NS in the GPT exactly when UNDELEGATED. */
static void check_granules(struct run_state *st, const struct trace_event *ev)
{
	for (unsigned i = 0; i < st->ngranules; i++) {
		const struct granule_known *g = &st->granules[i];
		if (!g->changed || !g->gpi[0] || !g->state[0]) {
			continue;
		}
		bool ns = strcmp(g->gpi, "NS") == 0, undelegated = !strcmp(g->state, "UNDELEGATED");
		if (ns != undelegated || (!ns && strcmp(g->gpi, "REALM") != 0)) {
			char what[256];
			snprintf(what, sizeof(what),
				 "after %s granule 0x%llx is %s for the RMM but %s in the GPT",
				 trace_field_text(ev, "cmd", "the command"),
				 (unsigned long long)g->pa, g->state, g->gpi);
			violate(st, EXPLORE_GPT_MATCHES_STATES, ev->seq, what);
		}
	}
}

static void on_rmi(struct run_state *st, const struct trace_event *ev)
{
	const char *cmd = trace_field_name(ev, "cmd"), *status = trace_field_name(ev, "status");
	bool ok = is(status, "RMI_SUCCESS");
	const struct trace_field *a = trace_field(ev, "args");
	/* the REC's rec_state event came first, inside the call: its granule */
	if (ok && is(cmd, "RMI_REC_CREATE") && a && a->len >= 2 && st->last_state &&
	    st->last_state->pa == 0) {
		st->last_state->pa = a->list[1];
	}
	/* a destroyed REC is no target any more: the RMM answers for its MPIDR itself */
	struct rec_known *gone =
	    ok && is(cmd, "RMI_REC_DESTROY") && a && a->len >= 1 ? rec_by_pa(st, a->list[0]) : NULL;
	if (gone) {
		gone->destroyed = true;
	}
	if (st->completing && ok && is(cmd, "RMI_PSCI_COMPLETE")) {
		memcpy(st->completing->at_completion, st->snapshot, sizeof(st->snapshot));
		st->completing->has_completion = true;
	}
	st->completing = NULL;
	read_granules(st, trace_field_name(ev, "granules"));
	if (st->in_call && !ok && st->changed) {
		char what[256];
		const char *cond = trace_field_name(ev, "condition");
		snprintf(what, sizeof(what),
			 "%s failed (%s%s%s) yet changed the RMM's state (event %llu)",
			 cmd ? cmd : "?", status ? status : "?", cond ? ", condition " : "",
			 cond ? cond : "", (unsigned long long)st->changed_seq);
		violate(st, EXPLORE_FAILED_CHANGES_NOTHING, ev->seq, what);
	}
	check_granules(st, ev);
	st->in_call = false;
}

static void on_rec_enter(struct run_state *st, const struct trace_event *ev)
{
	uint64_t v = 0;
	struct rec_known *r = trace_field_num(ev, "rec", &v)
				  ? rec_by_index(st, trace_field_name(ev, "realm"), v)
				  : NULL;
	if (r && is(trace_field_name(ev, "status"), "RMI_SUCCESS") && r->runnable == 0) {
		char what[256];
		snprintf(what, sizeof(what), "REC %u was entered while NOT_RUNNABLE", r->index);
		violate(st, EXPLORE_RUNS_WHEN_RUNNABLE, ev->seq, what);
	}
}

static void on_psci(struct run_state *st, const struct trace_event *ev)
{
	uint64_t v = 0, result = 0;
	const char *call = trace_field_name(ev, "call");
	struct rec_known *r = trace_field_num(ev, "rec", &v)
				  ? rec_by_index(st, trace_field_name(ev, "realm"), v)
				  : NULL;
	const struct trace_field *res = trace_field(ev, "result");
	bool cpu_on = is(call, "PSCI_CPU_ON"), affinity = is(call, "PSCI_AFFINITY_INFO");
	if (!r || !(cpu_on || affinity) || !res) {
		return;
	}
	if (res->kind == TV_NAME ? !abi_value(ABI_PSCI_RET, res->str, NULL, &result)
				 : (result = res->num, false)) {
		return;
	}
	unsigned nth = cpu_on ? ++r->cpu_on_calls : ++r->affinity_calls;
	note_call(st->sum, r, cpu_on ? PSCI_CPU_ON : PSCI_AFFINITY_INFO, nth, result);
	/* A request the RMM refused itself (a `condition`: an MPIDR no REC has, a level other
	 * than 0) never reached the host; what the host completed is judged. */
	if (!trace_field(ev, "condition")) {
		check_psci_result(st, ev, r, cpu_on, result);
	}
	r->has_completion = false;
}

/* A host load or store that completed: never of a granule the GPT gave the Realm PAS. */
static void on_access(struct run_state *st, const struct trace_event *ev)
{
	uint64_t pa = 0;
	if (!is(trace_field_name(ev, "world"), "NS") || !trace_field_num(ev, "pa", &pa)) {
		return;
	}
	const struct granule_known *g = granule(st, pa, false);
	if (g && g->gpi[0] && strcmp(g->gpi, "NS") != 0) {
		char what[256];
		snprintf(what, sizeof(what), "the host's %s of 0x%llx (a %s granule) completed",
			 is(trace_field_name(ev, "access"), "write") ? "store" : "load",
			 (unsigned long long)pa, g->gpi);
		violate(st, EXPLORE_NS_ACCESS_DENIED, ev->seq, what);
	}
}

void explore_read_run(const struct trace *t, struct explore_run_facts *f,
		      struct explore_summary *sum)
{
	struct granule_known granules[MAX_GRANULES];
	struct run_state st = {.f = f, .sum = sum, .granules = granules};
	memset(f, 0, sizeof(*f));
	f->flow_hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		f->flow_hash = hash_event(f->flow_hash, ev);
		switch (ev->kind) {
		case TE_smc:
			on_smc(&st, ev);
			break;
		case TE_rec_state:
		case TE_realm_state:
		case TE_gpt:
			on_state(&st, ev);
			break;
		case TE_rmi:
			on_rmi(&st, ev);
			break;
		case TE_rec_enter:
			on_rec_enter(&st, ev);
			break;
		case TE_psci:
			on_psci(&st, ev);
			break;
		case TE_access:
			on_access(&st, ev);
			break;
		default:
			break;
		}
	}
}

unsigned explore_check(const struct trace *t, struct explore_violation *out, unsigned max)
{
	struct explore_run_facts facts;
	unsigned n = 0;
	explore_read_run(t, &facts, NULL);
	for (unsigned k = 0; k < EXPLORE_INVARIANTS && n < max; k++) {
		if (facts.violated[k]) {
			out[n++] = facts.found[k];
		}
	}
	return n;
}
