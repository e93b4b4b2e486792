/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim coverage [DIR]`: runs every scenario of DIR (default scenarios) and prints, for
 * every command of the conditions tables, which of its failure conditions (and, for
 * RMI_PSCI_COMPLETE, which of its decisions) some scenario reached, with the first scenario
 * that did, and which none did. A condition counts as reached when an event of the run names
 * it: the `condition` of an rmi event (by `cmd`) or of an rsi or psci event (by `call`), the
 * `decision` of an rmi event. Exit code 0 when every condition that can hold on cca-sim's
 * platforms is reached, 1 when some is not, 2 when DIR or a scenario in it is invalid.
 */
#include "cli.h"

#include "rmm/rmm.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

struct reached {
	const char *command, *id; /* static: the tables' strings */
	unsigned count;           /* scenarios that reach it */
	char first[64];           /* the first of them, by file name */
};

struct coverage {
	struct reached *rows;
	size_t nrows;
};

static void add_row(struct coverage *cv, const char *command, const char *id)
{
	cv->rows[cv->nrows++] = (struct reached){.command = command, .id = id};
}

/* One row per condition of every table, then one per decision, in the tables' order. */
static int coverage_rows(struct coverage *cv)
{
	const struct rmm_condition_table *t;
	const struct rmm_decision *d;
	size_t n = 0;
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		n += t->count;
	}
	for (size_t i = 0; rmm_decision_at(i) != NULL; i++) {
		n++;
	}
	cv->rows = calloc(n + 1, sizeof(*cv->rows));
	if (!cv->rows) {
		return -1;
	}
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		for (size_t j = 0; j < t->count; j++) {
			add_row(cv, t->command, t->conds[j].id);
		}
	}
	for (size_t i = 0; (d = rmm_decision_at(i)) != NULL; i++) {
		add_row(cv, d->command, d->id);
	}
	return 0;
}

static struct reached *find_row(struct coverage *cv, const char *command, const char *id)
{
	for (size_t i = 0; i < cv->nrows; i++) {
		if (strcmp(cv->rows[i].command, command) == 0 && strcmp(cv->rows[i].id, id) == 0) {
			return &cv->rows[i];
		}
	}
	return NULL;
}

static const char *field_name(const struct trace_event *ev, const char *key)
{
	const struct trace_field *f = trace_field(ev, key);
	return f && f->kind == TV_NAME ? f->str : NULL;
}

/* Marks what one run reached; each row once per scenario. */
static void note_run(struct coverage *cv, const struct trace *t, const char *name)
{
	bool *seen = calloc(cv->nrows + 1, sizeof(*seen));
	if (!seen) {
		return;
	}
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		if (ev->kind != TE_rmi && ev->kind != TE_rsi && ev->kind != TE_psci) {
			continue;
		}
		const char *cmd = field_name(ev, ev->kind == TE_rmi ? "cmd" : "call");
		const char *ids[2] = {field_name(ev, "condition"), field_name(ev, "decision")};
		for (size_t k = 0; cmd && k < 2; k++) {
			struct reached *r = ids[k] ? find_row(cv, cmd, ids[k]) : NULL;
			if (r && !seen[r - cv->rows]) {
				seen[r - cv->rows] = true;
				if (r->count++ == 0) {
					snprintf(r->first, sizeof(r->first), "%s", name);
				}
			}
		}
	}
	free(seen);
}

/* Runs one scenario file; returns its verdict's exit code (2 if it cannot be loaded). */
static int run_file(struct coverage *cv, const char *path)
{
	struct scenario *s;
	struct scenario_error err;
	struct scenario_result res;
	char msg[1200];

	if (scenario_load(path, &s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return CCA_EXIT_INPUT;
	}
	struct scenario_run_options ro = {.spec = -1, .profile = -1};
	scenario_run(s, &ro, &res);
	int code = res.exit_code;
	if (res.trace) {
		note_run(cv, res.trace, s->name);
	}
	if (code == CCA_EXIT_INPUT || code == CCA_EXIT_SYSTEM) {
		fprintf(stderr, "%s\n", res.error);
	}
	scenario_result_free(&res);
	scenario_free(s);
	return code;
}

static const struct rmm_condition *condition_of(const struct reached *r)
{
	const struct rmm_condition_table *t = rmm_condition_table_find(r->command);
	return t ? rmm_condition_find(t, r->id) : NULL;
}

/* The report; returns the number of conditions that can hold and that no scenario reached. */
static size_t print_coverage(const struct coverage *cv, size_t nfiles, const char *dir)
{
	size_t gaps = 0, reached = 0, unreachable = 0, conds = 0, one_pe = 0;
	const char *cmd = NULL;
	for (size_t i = 0; i < cv->nrows; i++) {
		const struct reached *r = &cv->rows[i];
		const struct rmm_condition *c = condition_of(r);
		bool cannot = c && c->origin == RMM_COND_UNREACHABLE;
		bool concurrent = c && c->origin == RMM_COND_CONCURRENT;
		if (!cmd || strcmp(cmd, r->command) != 0) {
			cmd = r->command;
			printf("%s\n", cmd);
		}
		printf("  %-16s %-10s ", r->id, c ? "condition" : "decision");
		if (r->count) {
			printf("reached by %u scenario%s, first %s\n", r->count,
			       r->count == 1 ? "" : "s", r->first);
		} else if (cannot) {
			printf("not reached: cannot hold on cca-sim's platforms\n");
		} else if (concurrent) {
			printf("not reached: needs a call from another PE while the REC runs "
			       "(tests/rmm reach it)\n");
		} else {
			printf("NOT REACHED by any scenario\n");
		}
		conds += c != NULL;
		reached += r->count > 0;
		unreachable += cannot && !r->count;
		one_pe += concurrent && !r->count;
		gaps += !r->count && !cannot && !concurrent;
	}
	printf("%zu scenarios in %s: %zu of %zu conditions and decisions reached (%zu conditions, "
	       "%zu decisions), %zu cannot hold on cca-sim's platforms, %zu need a second PE, "
	       "%zu not reached\n",
	       nfiles, dir, reached, cv->nrows, conds, cv->nrows - conds, unreachable, one_pe,
	       gaps);
	return gaps;
}

int cli_coverage(int argc, char **argv)
{
	const char *dir = argc > 0 ? argv[0] : "scenarios";
	char **paths;
	size_t n;
	struct coverage cv = {0};
	int worst = CCA_EXIT_OK;

	if (argc > 1) {
		fprintf(stderr, "cca-sim: error: coverage takes at most one folder, not '%s'\n",
			argv[1]);
		return CCA_EXIT_INPUT;
	}
	if (scenario_dir(dir, &paths, &n) != 0) {
		fprintf(stderr, "cca-sim: error: cannot read folder %s\n", dir);
		return CCA_EXIT_INPUT;
	}
	if (coverage_rows(&cv) != 0) {
		scenario_dir_free(paths, n);
		fputs("cca-sim: error: out of memory\n", stderr);
		return CCA_EXIT_SYSTEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (run_file(&cv, paths[i]) == CCA_EXIT_INPUT) {
			worst = CCA_EXIT_INPUT;
		}
	}
	size_t gaps = print_coverage(&cv, n, dir);
	free(cv.rows);
	scenario_dir_free(paths, n);
	if (worst == CCA_EXIT_OK && gaps) {
		worst = CCA_EXIT_EXPECT;
	}
	return worst;
}
