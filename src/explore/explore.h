/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/explore: the host as an adversary (`cca-sim explore`, docs/explore.md). The realm
 * programs stay as written; at each of the automatic VMM's decision points (host.h,
 * host_set_chooser) the explorer branches over what a host may do: which runnable REC to
 * enter, how to complete each PSCI request (every status, the wrong target, late), and a
 * bounded number of tampering actions. It runs the branches depth first, each from the start
 * on one machine reset in between, merges the states it has seen, and checks on every run the
 * guarantees the spec makes to the realm whatever the host does.
 *
 * Files: search.c (the search), check.c (the guarantees, from a run's events),
 * counterexample.c (violations as shortened explicit-steps scenarios), report.c (summaries).
 */
#ifndef CCA_EXPLORE_H
#define CCA_EXPLORE_H

#include "scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXPLORE_MAX_DEPTH     32 /* decision points one run may branch at */
#define EXPLORE_DEFAULT_DEPTH 16
#define EXPLORE_MAX_CALLS     64 /* PSCI calls whose results are summed up */
#define EXPLORE_MAX_RESULTS   16
#define EXPLORE_MIN_BUDGET    200000ULL

/* The guarantees every run is checked against (docs/explore.md has each one's spec basis). */
enum explore_invariant {
	EXPLORE_FAILED_CHANGES_NOTHING, /* a failed RMI command changes no RMM state (B1.6, B1.9) */
	EXPLORE_PERMITTED_RESULT,       /* a PSCI result is permitted for the target's state */
	EXPLORE_RUNS_WHEN_RUNNABLE,     /* a REC is entered only while RUNNABLE */
	EXPLORE_NS_ACCESS_DENIED,       /* no NS access to a Realm granule completes */
	EXPLORE_GPT_MATCHES_STATES,     /* the GPT and the RMM's granule states agree */
	EXPLORE_SCRUBBED,               /* a granule returned to NS holds nothing of the realm */
	EXPLORE_INVARIANTS
};

/* "failed_command_changes_nothing", ... */
const char *explore_invariant_name(enum explore_invariant i);
/* Its invariant, by name; false for none. */
bool explore_invariant_parse(const char *name, enum explore_invariant *out);

struct explore_options {
	int spec, profile; /* -1: the scenario's */
	unsigned depth;    /* decision points to branch at (0: EXPLORE_DEFAULT_DEPTH) */
	unsigned max_runs; /* 0: 10000 */
	int tamper;        /* tampering actions one run may take; -1: 1 */
	/* Instruction budget of each run after the first; 0: ten times what the first (the
	 * VMM's own decisions) took, at least EXPLORE_MIN_BUDGET. A run past it is a runaway
	 * guest: counted, checked up to there, not an error. */
	uint64_t max_insns;
	unsigned shard, shards; /* this is part `shard` (0-based) of `shards`; 0 or 1: whole */
	bool no_merge;          /* explore states already seen again (no pruning) */
	FILE *progress;         /* a progress line, rewritten in place, or NULL */
	const char *out_dir;    /* each violation written there as a scenario, or NULL */
	/* A new machine for every run instead of one reset between runs: only the benchmark's
	 * baseline (bench/bench_explore.c) asks for it. */
	bool new_machine_each_run;
	/* A machine to run on, kept across searches (its last one is left there; the caller
	 * destroys it with cpu_machine_destroy), or NULL: one for this search. */
	struct cpu_machine **keep;
};

/* One decision the adversary took (host.h, struct host_choice, and the alternative). */
struct explore_decision {
	uint8_t kind; /* enum host_choice_kind */
	uint8_t chosen, n;
	uint16_t realm, rec, target;
	uint64_t fid;
};

/* One violation: where it shows, and the decisions that lead to it. */
struct explore_violation {
	enum explore_invariant invariant;
	uint64_t seq; /* the event at which it shows */
	char what[256];
	struct explore_decision path[EXPLORE_MAX_DEPTH];
	unsigned npath;
	char file[600]; /* the counterexample scenario written (--out), or "" */
	unsigned steps; /* its host steps */
};

/* The results a realm can receive from one PSCI call ("REC 0's 1st PSCI_CPU_ON"). */
struct explore_call {
	char realm[48]; /* the realm's name */
	unsigned rec, nth;
	uint64_t fid; /* PSCI_CPU_ON or PSCI_AFFINITY_INFO */
	uint64_t results[EXPLORE_MAX_RESULTS];
	unsigned nresults;
};

struct explore_summary {
	unsigned runs;            /* runs made (of this shard) */
	unsigned decision_points; /* new decision points met (where the search branched) */
	unsigned distinct_states; /* states at decision points, each counted once */
	unsigned merged;          /* runs ended at a state explored already */
	unsigned runaways;        /* runs ended by their instruction budget */
	unsigned distinct_flows;  /* runs whose event streams differ */
	bool truncated;           /* max_runs reached before the search ended */
	struct explore_violation *violations; /* the first of each invariant, shortest path */
	unsigned nviolations, violation_runs;
	struct explore_call calls[EXPLORE_MAX_CALLS];
	unsigned ncalls;
	int error; /* an enum cca_exit when a run could not be made (2 or 3), else 0 */
	char error_text[600];
};

/* ---- check.c ---- */

/* The guarantees checked on one finished run's events (`cca-sim run --check-invariants`, how a
 * counterexample is replayed): up to `max` violations into out (no path), their count. */
unsigned explore_check(const struct trace *t, struct explore_violation *out, unsigned max);

/* Everything the search takes from one run: its violations, the results its PSCI calls
 * received (added to sum->calls) and a hash of its flow. */
struct explore_run_facts {
	struct explore_violation found[EXPLORE_INVARIANTS];
	bool violated[EXPLORE_INVARIANTS];
	uint64_t flow_hash;
};
void explore_read_run(const struct trace *t, struct explore_run_facts *f,
		      struct explore_summary *sum);

/* ---- search.c ---- */

/* Explores scenario `s` (loaded). Returns 0 (see the summary) or -1 (out of memory). */
int explore_run(struct scenario *s, const struct explore_options *o, struct explore_summary *out);
void explore_summary_free(struct explore_summary *sum);
/* Runs `s` once with the decisions of `path` (an adversary that then takes the VMM's policy),
 * into res (scenario_result_free it). */
void explore_replay(struct scenario *s, const struct explore_options *o,
		    const struct explore_decision *path, unsigned npath,
		    struct scenario_result *res);

/* ---- counterexample.c ---- */

/* Writes violation v of a search of `s` as a scenario of explicit host steps in o->out_dir,
 * shortened to the fewest steps that still break the same guarantee; fills v->file and
 * v->steps. Returns 0, or -1 with why in `why` (the file could not be written, or the run
 * does not replay as steps). */
int explore_write_counterexample(struct scenario *s, const struct explore_options *o,
				 struct explore_violation *v, char *why, size_t len);

/* ---- report.c ---- */

/* The decision in words: "complete REC 0's PSCI_CPU_ON for REC 1 with PSCI_DENIED". */
void explore_decision_text(const struct explore_decision *d, int spec, char *buf, size_t len);
/* The summary for people: counts, each call's results, each violation with its decisions. */
void explore_print(const struct scenario *s, const struct explore_options *o,
		   const struct explore_summary *sum, FILE *out);
/* The same as one JSON object (for CI), deterministic. */
void explore_print_json(const struct scenario *s, const struct explore_options *o,
			const struct explore_summary *sum, FILE *out);

#endif
