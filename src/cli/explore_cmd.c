/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim explore FILE [--depth N] [--max-runs N] [--max-insns N] [--tamper N] [--shard I/N]
 * [--out DIR] [--no-merge] [--spec REV] [--profile NAME] [--json]`: the host as an adversary
 * (src/explore, docs/explore.md). Exit code 0 when every guarantee held in every run, 1 when one
 * broke, 2 for a bad command line or scenario, 3 when a run could not be made.
 */
#include "cli.h"

#include "explore/explore.h"
#include "rmm/rmm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool count_arg(const char *val, unsigned max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(val, &end, 10);
	if (errno || *end || v == 0 || v > max) {
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* One option that takes a value (never NULL here). */
static int explore_option(struct explore_options *o, const char *a, const char *val)
{
	if (strcmp(a, "--depth") == 0) {
		return count_arg(val, EXPLORE_MAX_DEPTH, &o->depth)
			   ? 0
			   : cli_usage_error("--depth is 1 to 32 decision points, not", val);
	}
	if (strcmp(a, "--tamper") == 0) {
		unsigned n = 0;
		if (strcmp(val, "0") != 0 && !count_arg(val, 8, &n)) {
			return cli_usage_error("--tamper is 0 to 8 actions, not", val);
		}
		o->tamper = (int)n;
		return 0;
	}
	if (strcmp(a, "--shard") == 0) {
		unsigned i = 0, n = 0;
		char extra;
		if (sscanf(val, "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || n > 1000000 ||
		    i == 0 || i > n) {
			return cli_usage_error("--shard is I/N, part I (1 to N) of N, not", val);
		}
		o->shard = i - 1;
		o->shards = n;
		return 0;
	}
	if (strcmp(a, "--max-insns") == 0) {
		return cli_insn_count(val, &o->max_insns)
			   ? 0
			   : cli_usage_error("--max-insns needs a positive number, not", val);
	}
	if (strcmp(a, "--out") == 0) {
		o->out_dir = val;
		return 0;
	}
	if (strcmp(a, "--max-runs") == 0) {
		return count_arg(val, 10000000, &o->max_runs)
			   ? 0
			   : cli_usage_error("--max-runs is 1 to 10000000, not", val);
	}
	if (strcmp(a, "--spec") == 0) {
		enum rmm_spec s;
		if (!rmm_spec_parse(val, &s)) {
			return cli_usage_error("unknown spec revision", val);
		}
		o->spec = (int)s;
		return 0;
	}
	enum rmm_profile p;
	if (!rmm_profile_parse(val, &p)) {
		return cli_usage_error("unknown profile", val);
	}
	o->profile = (int)p;
	return 0;
}

int cli_explore(int argc, char **argv)
{
	static const char *const with_value[] = {"--depth",  "--max-runs", "--max-insns",
						 "--tamper", "--shard",    "--out",
						 "--spec",   "--profile"};
	struct explore_options o = {.spec = -1, .profile = -1, .tamper = -1};
	const char *file = NULL;
	bool json = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (cli_arg_in(a, with_value, sizeof(with_value) / sizeof(with_value[0]))) {
			if (i + 1 >= argc) {
				return cli_usage_error("needs a value:", a);
			}
			int rc = explore_option(&o, a, argv[++i]);
			if (rc != 0) {
				return rc;
			}
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--no-merge") == 0) {
			o.no_merge = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option for explore:", a);
		} else if (file) {
			return cli_usage_error("explore takes one scenario file, not also", a);
		} else {
			file = a;
		}
	}
	if (!file) {
		return cli_usage_error("explore needs a scenario file", NULL);
	}
	struct scenario *s;
	struct scenario_error err;
	char msg[1200];
	if (scenario_load(file, &s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return CCA_EXIT_INPUT;
	}
	if (s->host.has_steps) {
		fprintf(
		    stderr,
		    "%s: error: explore branches over the automatic VMM's decisions; a scenario "
		    "with host steps has none\n",
		    file);
		scenario_free(s);
		return CCA_EXIT_INPUT;
	}
	/* the progress line only where a person watches */
	o.progress = isatty(STDERR_FILENO) ? stderr : NULL;
	struct explore_summary sum;
	if (explore_run(s, &o, &sum) != 0) {
		fputs("cca-sim: error: out of memory\n", stderr);
		explore_summary_free(&sum);
		scenario_free(s);
		return CCA_EXIT_SYSTEM;
	}
	int rc = sum.error ? sum.error : sum.nviolations ? CCA_EXIT_EXPECT : CCA_EXIT_OK;
	if (sum.error) {
		fprintf(stderr, "%s\n", sum.error_text);
	}
	for (unsigned i = 0; o.out_dir && !sum.error && i < sum.nviolations; i++) {
		char why[300];
		if (explore_write_counterexample(s, &o, &sum.violations[i], why, sizeof(why)) !=
		    0) {
			fprintf(stderr, "cca-sim: %s: counterexample of %s not written: %s\n", file,
				explore_invariant_name(sum.violations[i].invariant), why);
		}
	}
	if (json) {
		explore_print_json(s, &o, &sum, stdout);
	} else {
		explore_print(s, &o, &sum, stdout);
	}
	explore_summary_free(&sum);
	scenario_free(s);
	return rc;
}
