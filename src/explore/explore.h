/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/explore: the host as an adversary (`cca-sim explore`, docs/explore.md). The realm
 * programs stay as written; at each decision point the explorer branches over what a host may
 * do and runs every branch, depth first, from the start, checking on every run the
 * guarantees the spec makes to the realm whatever the host does. This first version branches
 * over the answer to each PSCI_CPU_ON completion the automatic VMM gives (PSCI_SUCCESS,
 * PSCI_DENIED and two answers the spec never permits, PSCI_ALREADY_ON and
 * PSCI_INVALID_PARAMETERS), through the scenario's `host.answers`.
 */
#ifndef CCA_EXPLORE_H
#define CCA_EXPLORE_H

#include "scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXPLORE_ANSWERS   4  /* alternatives at each decision point */
#define EXPLORE_MAX_DEPTH 16 /* decision points one run may branch at */
#define EXPLORE_MAX_CALLS 32 /* PSCI_CPU_ON calls whose results are summed up */

/* The guarantees every run is checked against (docs/explore.md: B1.6, B1.9, B3.27, B4.3.14.2). */
enum explore_invariant {
	EXPLORE_FAILED_CHANGES_NOTHING, /* a failed RMI command changes no RMM state */
	EXPLORE_PERMITTED_RESULT,       /* CPU_ON's result is permitted for the target's state */
	EXPLORE_RUNS_WHEN_RUNNABLE,     /* a REC is entered only while RUNNABLE */
	EXPLORE_INVARIANTS
};

/* "failed_command_changes_nothing", ... */
const char *explore_invariant_name(enum explore_invariant i);

struct explore_options {
	int spec, profile; /* -1: the scenario's */
	unsigned depth;    /* decision points to branch at (0: EXPLORE_MAX_DEPTH) */
	unsigned max_runs; /* 0: 10000 */
	/* A new machine for every run instead of one reset between runs: only the benchmark's
	 * baseline (bench/bench_explore.c) asks for it. */
	bool new_machine_each_run;
	/* A machine to run on, kept across searches (its last one is left there; the caller
	 * destroys it with cpu_machine_destroy), or NULL: one for this search. */
	struct cpu_machine **keep;
};

/* One violation, with the answers that lead to it (a run's `host.answers`). */
struct explore_violation {
	enum explore_invariant invariant;
	uint64_t seq; /* the event at which it shows */
	char what[256];
	uint64_t answers[EXPLORE_MAX_DEPTH];
	unsigned nanswers;
};

/* The results the realm can receive from one PSCI_CPU_ON call ("REC 0's 1st PSCI_CPU_ON"). */
struct explore_call {
	char realm[48]; /* the realm's name */
	unsigned rec, nth;
	uint64_t results[8];
	unsigned nresults;
};

struct explore_summary {
	unsigned runs, decision_points, distinct_flows;
	bool truncated;                       /* max_runs reached before the search ended */
	struct explore_violation *violations; /* the first of each invariant, shortest first */
	unsigned nviolations, violation_runs;
	struct explore_call calls[EXPLORE_MAX_CALLS];
	unsigned ncalls;
	int error; /* an enum cca_exit when a run could not be made (2 or 3), else 0 */
	char error_text[600];
};

/* The guarantees checked on one finished run's events (`cca-sim run --check-invariants`, and
 * how a counterexample is replayed): up to `max` violations into out, their count returned. */
unsigned explore_check(const struct trace *t, struct explore_violation *out, unsigned max);

/* Explores scenario `s` (loaded). Returns 0 (see the summary) or -1 (out of memory). */
int explore_run(struct scenario *s, const struct explore_options *o, struct explore_summary *out);
void explore_summary_free(struct explore_summary *sum);
/* The summary for people: counts, each violation with its answers, each call's results. */
void explore_print(const struct scenario *s, const struct explore_summary *sum, FILE *out);
/* The same as one JSON object (for CI), deterministic. */
void explore_print_json(const struct scenario *s, const struct explore_summary *sum, FILE *out);

#endif
