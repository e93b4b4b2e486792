/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The search (explore.h, docs/explore.md). A run is a scenario_run with an adversary that
 * follows a path: the alternatives it takes at the first decision points, then alternative 0
 * at each further one, recording how many there were. After the run, each further decision
 * point's other alternatives become new paths, pushed on a stack: depth first, every leaf of
 * the tree of host decisions is one run, from the start, on one machine reset in between.
 *
 * Merging: at a new decision point the adversary hashes the state that decides the rest of the
 * run (host_state_hash: memory and clock changed since boot, and the VMM's own state) with
 * the point itself and what the run may still do (its depth, tampering left). A state seen
 * before has had (or is having) its subtree explored: the run stops there and pushes nothing.
 *
 * Sharding (--shard I/N): the subtrees at SPLIT_DEPTH decision points are dealt out by a hash
 * of their path; above it, every part makes the same runs and counts only the ones whose
 * subtree it owns. The parts together make every run of the whole search, once.
 */
#include "explore/explore.h"

#include "cpu/cpu.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_MAX_RUNS 10000
#define DEFAULT_TAMPER   1
#define SPLIT_DEPTH      2
#define MAX_DECISIONS    256 /* decision points one run records (branching or not) */

struct path {
	uint8_t c[EXPLORE_MAX_DEPTH];
	uint8_t n;
};

/* The set of states seen (open addressing; 0 marks an empty slot). */
struct state_set {
	uint64_t *slot;
	size_t cap, n;
};

static bool state_seen(struct state_set *s, uint64_t h)
{
	h |= 1; /* never 0 */
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		uint64_t *slot = calloc(cap, sizeof(*slot));
		if (!slot) {
			return false; /* without memory, nothing is merged */
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (s->slot[i]) {
				size_t k = (size_t)(s->slot[i] >> 7) & (cap - 1);
				while (slot[k]) {
					k = (k + 1) & (cap - 1);
				}
				slot[k] = s->slot[i];
			}
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	size_t k = (size_t)(h >> 7) & (s->cap - 1);
	for (; s->slot[k]; k = (k + 1) & (s->cap - 1)) {
		if (s->slot[k] == h) {
			return true;
		}
	}
	s->slot[k] = h;
	s->n++;
	return false;
}

/* One run's adversary. */
struct adversary {
	const struct path *path;
	unsigned depth, tamper; /* the limits */
	struct explore_decision d[EXPLORE_MAX_DEPTH];
	unsigned nd; /* branching decisions taken */
	unsigned tampered;
	struct state_set *states; /* NULL: no merging */
	bool owned_below;         /* shard: may record states (the run's subtree is ours) */
	unsigned shard, shards;
	bool merged; /* stopped at a state seen */
	unsigned new_states;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static unsigned path_owner(const struct explore_decision *d, unsigned n, unsigned shards)
{
	uint64_t h = 0x84222325ULL;
	for (unsigned i = 0; i < n; i++) {
		h = mix(h, d[i].chosen);
	}
	return (unsigned)(h % shards);
}

static unsigned choose(void *ctx, struct host *h, const struct host_choice *c)
{
	struct adversary *a = ctx;
	if (c->kind == HOST_CHOICE_TAMPER && a->tampered >= a->tamper) {
		return 0; /* nothing: no tampering left, not a decision */
	}
	if (a->nd >= a->depth) {
		return HOST_CHOOSE_POLICY;
	}
	unsigned k = 0;
	if (a->nd < a->path->n) {
		k = a->path->c[a->nd];
	} else if (a->states && (a->shards <= 1 || a->nd >= SPLIT_DEPTH)) {
		/* a new decision point: a state explored already ends the run */
		uint64_t s = mix(host_state_hash(h), a->nd);
		s = mix(s, a->tampered);
		s = mix(s, (uint64_t)c->kind << 48 | (uint64_t)c->realm << 32 | c->rec << 16 |
			       c->target);
		s = mix(s, c->fid);
		if (a->owned_below || a->shards <= 1) {
			if (state_seen(a->states, s)) {
				a->merged = true;
				return HOST_CHOOSE_STOP;
			}
			a->new_states++;
		}
	}
	/* a schedule's target: the REC it enters */
	unsigned target = c->kind == HOST_CHOICE_SCHEDULE ? c->options[k] : c->target;
	a->d[a->nd] = (struct explore_decision){
	    (uint8_t)c->kind, (uint8_t)k,       (uint8_t)c->n, (uint16_t)c->realm,
	    (uint16_t)c->rec, (uint16_t)target, c->fid};
	a->nd++;
	if (c->kind == HOST_CHOICE_TAMPER && k != 0) {
		a->tampered++;
	}
	/* shard: once past the split, the run's subtree is known and owned or not */
	if (a->shards > 1 && a->nd == SPLIT_DEPTH) {
		a->owned_below = path_owner(a->d, a->nd, a->shards) == a->shard;
	}
	return k;
}

static struct path path_of(const struct explore_decision *d, unsigned n)
{
	struct path p = {.n = (uint8_t)n};
	for (unsigned i = 0; i < n; i++) {
		p.c[i] = d[i].chosen;
	}
	return p;
}

static void run_path(struct scenario *s, const struct explore_options *o, struct adversary *a,
		     uint64_t budget, struct cpu_machine **keep, struct scenario_result *res)
{
	struct scenario_run_options ro = {.spec = o->spec,
					  .profile = o->profile,
					  .max_insns = budget,
					  .keep = keep,
					  .chooser = choose,
					  .chooser_ctx = a};
	scenario_run(s, &ro, res);
}

void explore_replay(struct scenario *s, const struct explore_options *o,
		    const struct explore_decision *path, unsigned npath,
		    struct scenario_result *res)
{
	struct path p = path_of(path, npath);
	/* the search's tampering budget: past it, tampering points are not decisions */
	struct adversary a = {.path = &p,
			      .depth = npath,
			      .tamper = o->tamper >= 0 ? (unsigned)o->tamper : DEFAULT_TAMPER};
	run_path(s, o, &a, o->max_insns, o->keep, res);
}

/* How far a path strays from the VMM: its decisions other than alternative 0, then its length. */
static unsigned long weight(const struct explore_violation *v)
{
	unsigned odd = 0;
	for (unsigned i = 0; i < v->npath; i++) {
		odd += v->path[i].chosen != 0;
	}
	return (unsigned long)odd << 8 | v->npath;
}

static int keep_violation(struct explore_summary *sum, const struct explore_violation *v)
{
	for (unsigned i = 0; i < sum->nviolations; i++) {
		if (sum->violations[i].invariant == v->invariant) {
			if (weight(v) < weight(&sum->violations[i])) {
				sum->violations[i] = *v; /* a simpler way to the same failure */
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

struct search {
	struct scenario *s;
	const struct explore_options *o;
	struct explore_summary *sum;
	struct path *stack;
	size_t cap, top;
	struct state_set states, flows;
	struct cpu_machine *own, **machine;
	unsigned depth, tamper, max_runs;
	uint64_t budget; /* of each run; 0 until the first has run (--max-insns sets it) */
	double started, shown;
};

static int push(struct search *se, const struct path *p)
{
	if (se->top == se->cap) {
		size_t cap = se->cap ? 2 * se->cap : 256;
		struct path *grown = realloc(se->stack, cap * sizeof(*grown));
		if (!grown) {
			return -1;
		}
		se->stack = grown;
		se->cap = cap;
	}
	se->stack[se->top++] = *p;
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(struct search *se, bool last)
{
	double t = now();
	if (!se->o->progress || (!last && t - se->shown < 0.25)) {
		return;
	}
	se->shown = t;
	const struct explore_summary *sum = se->sum;
	fprintf(se->o->progress,
		"\rexplore %s: %u runs, %u decision points, %u states, %u violations, %zu to go, "
		"%.1f s%s",
		se->s->name, sum->runs, sum->decision_points, sum->distinct_states,
		sum->nviolations, se->top, t - se->started, last ? "\n" : "");
	fflush(se->o->progress);
}

/* The alternatives of each decision point past the path, as new paths (not the ones a shard
 * does not own). */
static int push_siblings(struct search *se, const struct adversary *a, const struct path *p,
			 bool owned)
{
	for (unsigned d = p->n; d < a->nd; d++) {
		for (unsigned k = a->d[d].n; k-- > 1;) { /* popped in order 1, 2, ... */
			struct explore_decision q[EXPLORE_MAX_DEPTH];
			memcpy(q, a->d, sizeof(q[0]) * d);
			q[d] = a->d[d];
			q[d].chosen = (uint8_t)k;
			if (se->o->shards > 1 && d + 1 >= SPLIT_DEPTH) {
				unsigned at = SPLIT_DEPTH;
				bool mine = d + 1 == SPLIT_DEPTH
						? path_owner(q, at, se->o->shards) == se->o->shard
						: owned;
				if (!mine) {
					continue;
				}
			}
			struct path np = path_of(q, d + 1);
			if (push(se, &np) != 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* Takes one run's outcome into the summary; returns -1 out of memory. */
static int count_run(struct search *se, const struct adversary *a, struct scenario_result *res)
{
	struct explore_summary *sum = se->sum;
	struct explore_run_facts facts;
	explore_read_run(res->trace, &facts, sum);
	sum->runs++;
	sum->merged += a->merged;
	if (!state_seen(&se->flows, facts.flow_hash)) {
		sum->distinct_flows++;
	}
	bool any = false;
	for (unsigned k = 0; k < EXPLORE_INVARIANTS; k++) {
		if (!facts.violated[k]) {
			continue;
		}
		any = true;
		memcpy(facts.found[k].path, a->d, sizeof(a->d[0]) * a->nd);
		facts.found[k].npath = a->nd;
		if (keep_violation(sum, &facts.found[k]) != 0) {
			return -1;
		}
	}
	sum->violation_runs += any;
	return 0;
}

static int search_step(struct search *se)
{
	struct path p = se->stack[--se->top];
	struct adversary a = {.path = &p,
			      .depth = se->depth,
			      .tamper = se->tamper,
			      .states = se->o->no_merge ? NULL : &se->states,
			      .shard = se->o->shard,
			      .shards = se->o->shards};
	struct scenario_result res;
	if (se->o->shards > 1 && p.n >= SPLIT_DEPTH) {
		a.owned_below = true; /* only owned subtrees are pushed past the split */
	}
	run_path(se->s, se->o, &a, se->budget, se->o->new_machine_each_run ? NULL : se->machine,
		 &res);
	if (!se->budget && !res.runaway) { /* the first run sets the budget of the others */
		se->budget =
		    10 * res.insns > EXPLORE_MIN_BUDGET ? 10 * res.insns : EXPLORE_MIN_BUDGET;
	}
	se->sum->runaways += res.runaway;
	if (res.exit_code == CCA_EXIT_INPUT || (res.exit_code == CCA_EXIT_SYSTEM && !res.runaway)) {
		se->sum->error = res.exit_code;
		snprintf(se->sum->error_text, sizeof(se->sum->error_text), "%s", res.error);
		scenario_result_free(&res);
		return 1;
	}
	/* a run above the split belongs to the part that owns its subtree (or, if it ends
	 * before the split, its whole path) */
	bool owned = se->o->shards <= 1 ||
		     (a.nd >= SPLIT_DEPTH ? path_owner(a.d, SPLIT_DEPTH, se->o->shards)
					  : path_owner(a.d, a.nd, se->o->shards)) == se->o->shard;
	int rc = 0;
	if (owned) {
		se->sum->decision_points += a.nd > p.n ? a.nd - p.n : 0;
		se->sum->distinct_states += a.new_states;
		rc = count_run(se, &a, &res);
	}
	scenario_result_free(&res);
	if (rc == 0) {
		/* a merged run stopped before recording its last point: its siblings are done */
		rc = push_siblings(se, &a, &p, owned);
	}
	return rc;
}

int explore_run(struct scenario *s, const struct explore_options *o, struct explore_summary *out)
{
	struct search se = {.s = s, .o = o, .sum = out};
	int rc = 0;
	memset(out, 0, sizeof(*out));
	se.machine = o->keep ? o->keep : &se.own;
	se.depth = o->depth && o->depth <= EXPLORE_MAX_DEPTH ? o->depth : EXPLORE_DEFAULT_DEPTH;
	se.tamper = o->tamper >= 0 ? (unsigned)o->tamper : DEFAULT_TAMPER;
	se.max_runs = o->max_runs ? o->max_runs : DEFAULT_MAX_RUNS;
	se.budget = o->max_insns;
	se.started = se.shown = now();
	struct path root = {.n = 0};
	if (push(&se, &root) != 0) {
		return -1;
	}
	/* the adversary answers PSCI requests itself: not with the scenario's answers */
	struct scenario_answer *answers = s->host.answers;
	size_t nanswers = s->host.nanswers;
	s->host.answers = NULL;
	s->host.nanswers = 0;
	while (se.top > 0 && rc == 0) {
		if (out->runs >= se.max_runs) {
			out->truncated = true;
			break;
		}
		rc = search_step(&se);
		progress(&se, false);
	}
	s->host.answers = answers;
	s->host.nanswers = nanswers;
	if (o->progress) {
		progress(&se, true);
	}
	cpu_machine_destroy(se.own);
	free(se.stack);
	free(se.states.slot);
	free(se.flows.slot);
	return rc < 0 ? -1 : 0;
}

void explore_summary_free(struct explore_summary *sum)
{
	free(sum->violations);
	memset(sum, 0, sizeof(*sum));
}
