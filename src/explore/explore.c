/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The explorer (explore.h, docs/explore.md). Each run is a scenario_run of the scenario with
 * a prefix of forced CPU_ON answers in `host.answers`; what the automatic VMM decides after
 * the prefix shows whether the run met another decision point, where the search branches.
 * The guarantees are checked on the run's events alone, from the states the RMM reports
 * (rec_state, realm_state, gpt), so that the check does not trust the RMM's own reasoning.
 */
#include "explore/explore.h"

#include "abi/abi.h"
#include "cpu/cpu.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RUNS 10000
#define MAX_RECS         64

static const uint64_t answers_tried[EXPLORE_ANSWERS] = {PSCI_SUCCESS, PSCI_DENIED, PSCI_ALREADY_ON,
							PSCI_INVALID_PARAMETERS};

const char *explore_invariant_name(enum explore_invariant i)
{
	static const char *const names[EXPLORE_INVARIANTS] = {
	    "failed_command_changes_nothing",
	    "permitted_cpu_on_result",
	    "rec_runs_only_when_runnable",
	};
	return (unsigned)i < EXPLORE_INVARIANTS ? names[i] : "?";
}

/* ---- one run's events ----------------------------------------------------------------- */

struct rec_known {
	const char *realm; /* points into the events */
	uint64_t pa;
	unsigned index;
	int runnable;          /* -1 unknown */
	int before_completion; /* the target's state when the host last completed for it */
	unsigned cpu_on_calls;
};

struct run_facts {
	struct rec_known recs[MAX_RECS];
	unsigned nrecs;
	unsigned fresh_decisions; /* decisions the VMM's policy took (not forced, not a retry) */
	uint64_t flow_hash;
	struct explore_violation found[EXPLORE_INVARIANTS];
	bool violated[EXPLORE_INVARIANTS];
};

static const char *name_of(const struct trace_event *ev, const char *key)
{
	const struct trace_field *f = trace_field(ev, key);
	return f && (f->kind == TV_NAME || f->kind == TV_STR) ? f->str : NULL;
}

static bool num_of(const struct trace_event *ev, const char *key, uint64_t *v)
{
	const struct trace_field *f = trace_field(ev, key);
	if (!f || f->kind == TV_NAME || f->kind == TV_STR || f->kind == TV_HEXLIST) {
		return false;
	}
	*v = f->num;
	return true;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static struct rec_known *rec_by_index(struct run_facts *f, const char *realm, uint64_t index)
{
	for (unsigned i = 0; i < f->nrecs; i++) {
		if (f->recs[i].index == index && same(f->recs[i].realm, realm)) {
			return &f->recs[i];
		}
	}
	return NULL;
}

static struct rec_known *rec_by_pa(struct run_facts *f, uint64_t pa)
{
	for (unsigned i = 0; i < f->nrecs; i++) {
		if (f->recs[i].pa == pa) {
			return &f->recs[i];
		}
	}
	return NULL;
}

static void violate(struct run_facts *f, enum explore_invariant inv, uint64_t seq, const char *what)
{
	if (f->violated[inv]) {
		return;
	}
	f->violated[inv] = true;
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

/* The realm received `result` for a PSCI_CPU_ON of `target`: permitted for its state? */
static void check_cpu_on_result(struct run_facts *f, const struct trace_event *ev,
				struct rec_known *caller, uint64_t result)
{
	const struct trace_field *args = trace_field(ev, "args");
	if (!args || args->kind != TV_HEXLIST || args->len < 1) {
		return;
	}
	struct rec_known *t = rec_by_index(f, caller->realm, mpidr_to_rec_index(args->list[0]));
	if (!t) {
		return; /* an MPIDR no REC has: the RMM answers it itself */
	}
	int state = t->before_completion >= 0 ? t->before_completion : t->runnable;
	const char *why = NULL;
	if ((result == PSCI_DENIED || result == PSCI_SUCCESS) && state == 1) {
		why = "for a target that was RUNNABLE";
	} else if (result == PSCI_ALREADY_ON && state == 0) {
		why = "for a target that was NOT_RUNNABLE";
	} else if (result != PSCI_SUCCESS && result != PSCI_DENIED && result != PSCI_ALREADY_ON &&
		   result != PSCI_INVALID_PARAMETERS && result != PSCI_INVALID_ADDRESS) {
		why = "that PSCI_CPU_ON never returns in a realm";
	}
	if (why) {
		char what[256];
		const char *name = abi_name(ABI_PSCI_RET, result);
		snprintf(what, sizeof(what), "REC %u received %s %s (REC %u)", caller->index,
			 name ? name : "an unnamed code", why, t->index);
		violate(f, EXPLORE_PERMITTED_RESULT, ev->seq, what);
	}
}

static void note_call(struct explore_summary *sum, const struct rec_known *r, uint64_t result)
{
	const char *realm = r->realm ? r->realm : "realm";
	struct explore_call *c = NULL;
	for (unsigned i = 0; i < sum->ncalls; i++) {
		if (strcmp(sum->calls[i].realm, realm) == 0 && sum->calls[i].rec == r->index &&
		    sum->calls[i].nth == r->cpu_on_calls) {
			c = &sum->calls[i];
		}
	}
	if (!c && sum->ncalls < EXPLORE_MAX_CALLS) {
		c = &sum->calls[sum->ncalls++];
		*c = (struct explore_call){.rec = r->index, .nth = r->cpu_on_calls};
		snprintf(c->realm, sizeof(c->realm), "%s", realm);
	}
	for (unsigned i = 0; c && i < c->nresults; i++) {
		if (c->results[i] == result) {
			return;
		}
	}
	if (c && c->nresults < 8) {
		c->results[c->nresults++] = result;
	}
}

/* Everything the search needs from one run, in one pass over its events. */
static void read_run(const struct trace *t, struct run_facts *f, struct explore_summary *sum)
{
	bool in_call = false, changed = false, pending_answer = false, retry = false;
	uint64_t call_fid = 0, changed_seq = 0, calling_pa = 0;
	struct rec_known *last_state = NULL; /* the REC of the last rec_state event */
	memset(f, 0, sizeof(*f));
	f->flow_hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		uint64_t v = 0;
		f->flow_hash = hash_event(f->flow_hash, ev);
		const char *realm = name_of(ev, "realm");
		switch (ev->kind) {
		case TE_smc: {
			const char *world = name_of(ev, "world");
			const struct trace_field *a = trace_field(ev, "args");
			if (world && strcmp(world, "NS") == 0 && num_of(ev, "fid", &call_fid)) {
				in_call = true;
				changed = false;
				calling_pa = a && a->kind == TV_HEXLIST && a->len ? a->list[0] : 0;
				struct rec_known *c = rec_by_pa(f, calling_pa);
				if (call_fid == RMI_PSCI_COMPLETE && c) {
					/* the states the completion is judged by: before it */
					for (unsigned k = 0; k < f->nrecs; k++) {
						if (same(f->recs[k].realm, c->realm)) {
							f->recs[k].before_completion =
							    f->recs[k].runnable;
						}
					}
				}
			}
			break;
		}
		case TE_rec_state:
		case TE_realm_state:
		case TE_gpt:
			if (in_call && !changed) {
				changed = true;
				changed_seq = ev->seq;
			}
			if (ev->kind == TE_rec_state && num_of(ev, "rec", &v)) {
				struct rec_known *r = rec_by_index(f, realm, v);
				uint64_t run = 0;
				if (!r && f->nrecs < MAX_RECS) { /* first seen: its REC_CREATE */
					r = &f->recs[f->nrecs++];
					*r = (struct rec_known){realm, 0, (unsigned)v, -1, -1, 0};
				}
				if (r && num_of(ev, "runnable", &run)) {
					r->runnable = run != 0;
				}
				last_state = r;
			}
			break;
		case TE_rmi: {
			const char *cmd = name_of(ev, "cmd"), *status = name_of(ev, "status");
			bool ok = status && strcmp(status, "RMI_SUCCESS") == 0;
			const struct trace_field *a = trace_field(ev, "args");
			/* the REC's rec_state event came first, inside the call: its granule */
			if (ok && cmd && strcmp(cmd, "RMI_REC_CREATE") == 0 && a && a->len >= 2 &&
			    last_state && last_state->pa == 0) {
				last_state->pa = a->list[1];
			}
			if (in_call && !ok && changed) {
				char what[256];
				const char *cond = name_of(ev, "condition");
				snprintf(
				    what, sizeof(what),
				    "%s failed (%s%s%s) yet changed the RMM's state (event %llu)",
				    cmd ? cmd : "?", status ? status : "?",
				    cond ? ", condition " : "", cond ? cond : "",
				    (unsigned long long)changed_seq);
				violate(f, EXPLORE_FAILED_CHANGES_NOTHING, ev->seq, what);
			}
			if (cmd && strcmp(cmd, "RMI_PSCI_COMPLETE") == 0 && pending_answer) {
				retry = !ok;
				pending_answer = false;
			}
			in_call = false;
			break;
		}
		case TE_rec_enter: {
			const char *status = name_of(ev, "status");
			struct rec_known *r =
			    num_of(ev, "rec", &v) ? rec_by_index(f, realm, v) : NULL;
			if (r && status && strcmp(status, "RMI_SUCCESS") == 0 && r->runnable == 0) {
				char what[256];
				snprintf(what, sizeof(what),
					 "REC %u was entered while NOT_RUNNABLE", r->index);
				violate(f, EXPLORE_RUNS_WHEN_RUNNABLE, ev->seq, what);
			}
			break;
		}
		case TE_psci: {
			const char *call = name_of(ev, "call");
			struct rec_known *r =
			    num_of(ev, "rec", &v) ? rec_by_index(f, realm, v) : NULL;
			const struct trace_field *res = trace_field(ev, "result");
			if (!r || !call || strcmp(call, "PSCI_CPU_ON") != 0 || !res) {
				break;
			}
			uint64_t result = res->kind == TV_NAME ? 0 : res->num;
			if (res->kind == TV_NAME &&
			    !abi_value(ABI_PSCI_RET, res->str, NULL, &result)) {
				break;
			}
			r->cpu_on_calls++;
			note_call(sum, r, result);
			check_cpu_on_result(f, ev, r, result);
			for (unsigned k = 0; k < f->nrecs; k++) {
				f->recs[k].before_completion = -1;
			}
			break;
		}
		case TE_host: {
			const char *d = name_of(ev, "decision");
			if (d && strcmp(d, "answer") == 0) {
				pending_answer = true;
			} else if (d && (!strcmp(d, "allow") || !strcmp(d, "deny") ||
					 !strcmp(d, "cannot_deny"))) {
				f->fresh_decisions += !retry;
				retry = false;
			}
			break;
		}
		default:
			break;
		}
	}
}

unsigned explore_check(const struct trace *t, struct explore_violation *out, unsigned max)
{
	struct run_facts facts;
	struct explore_summary scratch;
	unsigned n = 0;
	memset(&scratch, 0, sizeof(scratch));
	read_run(t, &facts, &scratch);
	for (unsigned k = 0; k < EXPLORE_INVARIANTS && n < max; k++) {
		if (facts.violated[k]) {
			out[n++] = facts.found[k];
		}
	}
	return n;
}

/* ---- the search --------------------------------------------------------------------- */

struct prefix {
	uint64_t a[EXPLORE_MAX_DEPTH];
	unsigned n;
};

/* Runs `s` with the CPU_ON answers of p forced; 0, or the run's exit code 2 or 3. */
static int run_prefix(struct scenario *s, const struct explore_options *o, const struct prefix *p,
		      struct cpu_machine **keep, struct scenario_result *res)
{
	struct scenario_answer forced[EXPLORE_MAX_DEPTH];
	struct scenario_answer *saved = s->host.answers;
	size_t nsaved = s->host.nanswers;
	memset(forced, 0, sizeof(forced));
	for (unsigned i = 0; i < p->n; i++) {
		forced[i].call.kind = SCENARIO_VAL_NUMBER;
		forced[i].call.num = PSCI_CPU_ON;
		forced[i].call.has_num = true;
		forced[i].status.kind = SCENARIO_VAL_NUMBER;
		forced[i].status.num = p->a[i];
		forced[i].status.has_num = true;
	}
	s->host.answers = p->n ? forced : NULL;
	s->host.nanswers = p->n;
	struct scenario_run_options ro = {.spec = o->spec, .profile = o->profile, .keep = keep};
	scenario_run(s, &ro, res);
	s->host.answers = saved;
	s->host.nanswers = nsaved;
	return res->exit_code == CCA_EXIT_INPUT || res->exit_code == CCA_EXIT_SYSTEM
		   ? res->exit_code
		   : 0;
}

static int keep_violation(struct explore_summary *sum, const struct explore_violation *v)
{
	for (unsigned i = 0; i < sum->nviolations; i++) {
		if (sum->violations[i].invariant == v->invariant) {
			if (v->nanswers < sum->violations[i].nanswers) {
				sum->violations[i] = *v; /* a shorter way to the same failure */
			}
			return 0;
		}
	}
	struct explore_violation *grown =
	    realloc(sum->violations, (sum->nviolations + 1) * sizeof(*grown));
	if (!grown) {
		return -1;
	}
	sum->violations = grown;
	sum->violations[sum->nviolations++] = *v;
	return 0;
}

/* Counts the flow in *n unless it was seen. */
static bool seen_flow(uint64_t **flows, unsigned *n, uint64_t h)
{
	for (unsigned i = 0; *flows && i < *n; i++) {
		if ((*flows)[i] == h) {
			return true;
		}
	}
	uint64_t *grown = realloc(*flows, (*n + 1) * sizeof(**flows));
	if (grown) {
		*flows = grown;
		(*flows)[(*n)++] = h;
	}
	return false;
}

int explore_run(struct scenario *s, const struct explore_options *o, struct explore_summary *out)
{
	unsigned depth = o->depth && o->depth < EXPLORE_MAX_DEPTH ? o->depth : EXPLORE_MAX_DEPTH;
	unsigned max_runs = o->max_runs ? o->max_runs : DEFAULT_MAX_RUNS;
	size_t cap = 64, top = 0;
	struct prefix *stack = malloc(cap * sizeof(*stack));
	uint64_t *flows = NULL;
	struct run_facts facts;
	struct cpu_machine *own = NULL; /* one machine for every run, reset in between */
	struct cpu_machine **machine = o->keep ? o->keep : &own;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!stack) {
		return -1;
	}
	stack[top++] = (struct prefix){.n = 0};
	while (top > 0 && rc == 0) {
		if (out->runs == max_runs) {
			out->truncated = true;
			break;
		}
		struct prefix p = stack[--top];
		struct scenario_result res;
		int bad = run_prefix(s, o, &p, o->new_machine_each_run ? NULL : machine, &res);
		out->runs++;
		if (bad) {
			out->error = bad;
			snprintf(out->error_text, sizeof(out->error_text), "%s", res.error);
			scenario_result_free(&res);
			break;
		}
		read_run(res.trace, &facts, out);
		scenario_result_free(&res);
		seen_flow(&flows, &out->distinct_flows, facts.flow_hash);
		bool any = false;
		for (unsigned k = 0; k < EXPLORE_INVARIANTS; k++) {
			if (!facts.violated[k]) {
				continue;
			}
			any = true;
			memcpy(facts.found[k].answers, p.a, sizeof(p.a));
			facts.found[k].nanswers = p.n;
			if (keep_violation(out, &facts.found[k]) != 0) {
				rc = -1;
			}
		}
		out->violation_runs += any;
		/* a decision the policy took after the forced ones: branch there */
		if (facts.fresh_decisions == 0 || p.n >= depth) {
			continue;
		}
		out->decision_points++;
		for (unsigned k = EXPLORE_ANSWERS; k-- > 0;) { /* popped in answers_tried order */
			if (top == cap) {
				struct prefix *grown = realloc(stack, 2 * cap * sizeof(*stack));
				if (!grown) {
					rc = -1;
					break;
				}
				stack = grown;
				cap *= 2;
			}
			struct prefix q = p;
			q.a[q.n++] = answers_tried[k];
			stack[top++] = q;
		}
	}
	cpu_machine_destroy(own);
	free(stack);
	free(flows);
	return rc;
}

void explore_summary_free(struct explore_summary *sum)
{
	free(sum->violations);
	memset(sum, 0, sizeof(*sum));
}

/* ---- reports -------------------------------------------------------------------------- */

static const char *code_name(uint64_t v)
{
	const char *n = abi_name(ABI_PSCI_RET, v);
	return n ? n : "?";
}

static void answers_text(FILE *out, const struct explore_violation *v)
{
	fputs("[", out);
	for (unsigned i = 0; i < v->nanswers; i++) {
		fprintf(out, "%s{call: PSCI_CPU_ON, status: %s}", i ? ", " : "",
			code_name(v->answers[i]));
	}
	fputs("]", out);
}

void explore_print(const struct scenario *s, const struct explore_summary *sum, FILE *out)
{
	fprintf(out, "explore %s: %u run%s, %u decision point%s, %u distinct flow%s%s\n", s->name,
		sum->runs, sum->runs == 1 ? "" : "s", sum->decision_points,
		sum->decision_points == 1 ? "" : "s", sum->distinct_flows,
		sum->distinct_flows == 1 ? "" : "s",
		sum->truncated ? " (stopped at --max-runs)" : "");
	fputs("PSCI_CPU_ON results the realm can receive, over every host answer explored:\n", out);
	for (unsigned i = 0; i < sum->ncalls; i++) {
		const struct explore_call *c = &sum->calls[i];
		bool named = strcmp(c->realm, "realm") != 0; /* several realms: say whose */
		fprintf(out, "  %s%sREC %u, its PSCI_CPU_ON number %u:", named ? c->realm : "",
			named ? "." : "", c->rec, c->nth);
		for (unsigned k = 0; k < c->nresults; k++) {
			fprintf(out, "%s %s", k ? "," : "", code_name(c->results[k]));
		}
		fputc('\n', out);
	}
	if (!sum->nviolations) {
		fputs("every guarantee held in every run\n", out);
		return;
	}
	fprintf(out, "%u run%s broke a guarantee:\n", sum->violation_runs,
		sum->violation_runs == 1 ? "" : "s");
	for (unsigned i = 0; i < sum->nviolations; i++) {
		const struct explore_violation *v = &sum->violations[i];
		fprintf(out, "VIOLATION %s at event %llu: %s\n  reproduce with host answers ",
			explore_invariant_name(v->invariant), (unsigned long long)v->seq, v->what);
		answers_text(out, v);
		fputs(" and cca-sim run --check-invariants\n", out);
	}
}

void explore_print_json(const struct scenario *s, const struct explore_summary *sum, FILE *out)
{
	fputs("{\"scenario\":", out);
	trace_json_string(out, s->name);
	fprintf(out,
		",\"runs\":%u,\"decision_points\":%u,\"distinct_flows\":%u,\"truncated\":%s,"
		"\"violation_runs\":%u,\"calls\":[",
		sum->runs, sum->decision_points, sum->distinct_flows,
		sum->truncated ? "true" : "false", sum->violation_runs);
	for (unsigned i = 0; i < sum->ncalls; i++) {
		const struct explore_call *c = &sum->calls[i];
		fputs(i ? ",{\"realm\":" : "{\"realm\":", out);
		trace_json_string(out, c->realm);
		fprintf(out, ",\"rec\":%u,\"nth\":%u,\"results\":[", c->rec, c->nth);
		for (unsigned k = 0; k < c->nresults; k++) {
			fprintf(out, "%s\"%s\"", k ? "," : "", code_name(c->results[k]));
		}
		fputs("]}", out);
	}
	fputs("],\"violations\":[", out);
	for (unsigned i = 0; i < sum->nviolations; i++) {
		const struct explore_violation *v = &sum->violations[i];
		fprintf(out, "%s{\"invariant\":\"%s\",\"seq\":%llu,\"what\":", i ? "," : "",
			explore_invariant_name(v->invariant), (unsigned long long)v->seq);
		trace_json_string(out, v->what);
		fputs(",\"answers\":[", out);
		for (unsigned k = 0; k < v->nanswers; k++) {
			fprintf(out, "%s\"%s\"", k ? "," : "", code_name(v->answers[k]));
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}
