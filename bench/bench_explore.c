/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Explorer runs per second (issue 15): `cca-sim explore` of each scenario given, repeated
 * until SECONDS of runs were made, in one process, against two baselines measured in the
 * same process:
 *  1. the same search with a new machine for every run (what each run cost before machines
 *     were reset and reused: two engines created and closed per run);
 *  2. the floor a run cannot go below: its RMI calls, each at the cost of an RMI_VERSION
 *     round trip (an SMC from the host's code at NS-EL2, EL3, the world switch into the RMM
 *     and back) on the same kind of machine. The instructions the realms and the host's stub
 *     execute are counted (the run's `insns`); at tens of nanoseconds each they are a small
 *     part of that floor, which the round trips dominate.
 * Usage: bench_explore SECONDS FILE...   (SECONDS 0: one search each, a smoke run)
 */
#include "abi/abi.h"
#include "cpu/cpu.h"
#include "explore/explore.h"
#include "host/host.h"
#include "trace/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs per second of whole searches of s, repeated for at least `seconds`. */
static double runs_per_second(struct scenario *s, bool fresh, double seconds, unsigned *runs)
{
	/* a smoke run (SECONDS 0) makes a few runs only */
	unsigned max_runs = seconds > 0 ? 2000 : 20;
	struct cpu_machine *keep = NULL; /* the same machine from search to search */
	/* whole runs (no merging, no tampering), so that each is the scenario's run with other
	 * PSCI answers and schedules: comparable with its instructions and RMI calls */
	struct explore_options o = {.spec = -1,
				    .profile = -1,
				    .tamper = 0,
				    .no_merge = true,
				    .max_runs = max_runs,
				    .new_machine_each_run = fresh,
				    .keep = &keep};
	double t0 = now(), t;
	unsigned long total = 0;
	do {
		struct explore_summary sum;
		if (explore_run(s, &o, &sum) != 0 || sum.error) {
			fprintf(stderr, "bench_explore: %s: the search failed\n", s->file);
			exit(1);
		}
		total += sum.runs;
		*runs = sum.runs;
		explore_summary_free(&sum);
		t = now() - t0;
	} while (t < seconds);
	cpu_machine_destroy(keep);
	return (double)total / t;
}

/* One run as the scenario says: its instructions and RMI calls. */
static void run_shape(struct scenario *s, uint64_t *insns, unsigned *rmi_calls)
{
	struct scenario_run_options o = {.spec = -1, .profile = -1};
	struct scenario_result res;
	scenario_run(s, &o, &res);
	*insns = res.insns;
	*rmi_calls = 0;
	for (size_t i = 0; i < trace_count(res.trace); i++) {
		*rmi_calls += trace_get(res.trace, i)->kind == TE_rmi;
	}
	scenario_result_free(&res);
}

/* Seconds per RMI_VERSION round trip, executed by the host's stub. */
static double rmi_round_trip(unsigned n)
{
	struct host_config hc = {.rmm = {.spec = RMM_SPEC_1_0_REL0, .profile = RMM_PROFILE_SPEC}};
	struct host *h;
	if (host_create(&hc, NULL, &h) != 0) {
		fprintf(stderr, "bench_explore: the machine did not boot\n");
		exit(1);
	}
	double t0 = now();
	for (unsigned i = 0; i < n; i++) {
		uint64_t regs[MONITOR_SMC_REGS] = {RMI_VERSION, 1ULL << 16}; /* asks for 1.0 */
		if (host_rmi(h, regs) != HOST_OK) {
			fprintf(stderr, "bench_explore: RMI_VERSION failed\n");
			exit(1);
		}
	}
	double t = (now() - t0) / n;
	host_destroy(h);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_explore SECONDS FILE...\n");
		return 2;
	}
	double seconds = atof(argv[1]);
	double rmi = rmi_round_trip(seconds > 0 ? 20000 : 10);
	printf("RMI_VERSION round trip: %.2f us\n", rmi * 1e6);
	printf("%-20s %6s %7s %5s %12s %12s %7s %11s %7s\n", "scenario", "runs", "insns", "RMIs",
	       "runs/s", "new machine", "ratio", "us per run", "floor");
	for (int i = 2; i < argc; i++) {
		struct scenario *s;
		struct scenario_error err;
		if (scenario_load(argv[i], &s, &err) != 0) {
			fprintf(stderr, "%s:%u:%u: error: %s\n", err.file, err.line, err.col,
				err.message);
			return 2;
		}
		uint64_t insns;
		unsigned calls, runs;
		run_shape(s, &insns, &calls);
		double fresh = runs_per_second(s, true, seconds, &runs);
		double reused = runs_per_second(s, false, seconds, &runs);
		double floor_us = calls * rmi * 1e6;
		printf("%-20s %6u %7llu %5u %12.0f %12.0f %6.1fx %11.1f %6.1fx\n", s->name, runs,
		       (unsigned long long)insns, calls, reused, fresh, reused / fresh,
		       1e6 / reused, 1e6 / reused / floor_us);
		scenario_free(s);
	}
	printf("runs/s: whole searches of the scenario, repeated; new machine: the same with a\n"
	       "machine created per run (ratio: reused / new); floor: us per run against the\n"
	       "run's RMI calls at the round-trip cost.\n");
	return 0;
}
