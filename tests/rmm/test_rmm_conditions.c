/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The condition tables (src/rmm/conditions.h) against the RMM's command tables and against the
 * tests: every RMI and RSI command has a table, and every row of every table is provoked and
 * asserted by some test of tests/rmm. The other RMM test programs log each (command,
 * condition) they assert to the files CCA_CONDITION_LOGS names (':'-separated); ctest runs
 * them first (a fixture). A row marked unreachable must be provoked by none.
 */
#include "rmm/rmm.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define MAX_PAIRS 4096
#define LINE_MAX_ 256

struct pair {
	char command[64];
	char id[64];
};

static struct pair pairs[MAX_PAIRS];
static size_t npairs;

static void read_log(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fail_msg("%s: cannot read (did its test program run?)", path);
	}
	char line[LINE_MAX_];
	while (fgets(line, sizeof(line), f)) {
		assert_true(npairs < MAX_PAIRS);
		struct pair *p = &pairs[npairs];
		if (sscanf(line, "%63s %63s", p->command, p->id) == 2) {
			/* PSCI's SMC32 forms (TR4) are the same command. */
			char *smc32 = strstr(p->command, "_SMC32");
			if (smc32) {
				*smc32 = '\0';
			}
			npairs++;
		}
	}
	fclose(f);
}

static int read_logs(void **state)
{
	(void)state;
	const char *logs = getenv("CCA_CONDITION_LOGS");
	if (!logs) {
		fprintf(stderr, "CCA_CONDITION_LOGS is not set\n");
		return -1;
	}
	char *copy = strdup(logs), *save = NULL;
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		read_log(p);
	}
	free(copy);
	return 0;
}

static bool logged(const char *command, const char *id)
{
	for (size_t i = 0; i < npairs; i++) {
		if (strcmp(pairs[i].command, command) == 0 && strcmp(pairs[i].id, id) == 0) {
			return true;
		}
	}
	return false;
}

/* Every command the RMM dispatches has a table of its interface. */
static void every_command_has_a_table(void **state)
{
	(void)state;
	const struct rmm_command *c;
	for (size_t i = 0; (c = rmm_rmi_command_at(i)) != NULL; i++) {
		const struct rmm_condition_table *t = rmm_condition_table_find(c->name);
		if (!t || t->iface != RMM_IFACE_RMI) {
			fail_msg("%s has no RMI condition table", c->name);
		}
	}
	for (size_t i = 0; (c = rmm_rsi_command_at(i)) != NULL; i++) {
		const struct rmm_condition_table *t = rmm_condition_table_find(c->name);
		if (!t || t->iface != RMM_IFACE_RSI) {
			fail_msg("%s has no RSI condition table", c->name);
		}
	}
}

/* Rows are well formed: unique IDs, a status, a sentence, a section of the right chapter. */
static void tables_are_well_formed(void **state)
{
	(void)state;
	static const char *const chapter[] = {"B4.3.", "B5.3.", "B6.3."};
	const struct rmm_condition_table *t;
	size_t rows = 0;
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		assert_ptr_equal(rmm_condition_table_find(t->command), t);
		if (strncmp(t->section, chapter[t->iface], strlen(chapter[t->iface])) != 0) {
			fail_msg("%s: section %s", t->command, t->section);
		}
		for (size_t j = 0; j < t->count; j++) {
			const struct rmm_condition *c = &t->conds[j];
			size_t len = strlen(c->meaning);
			if (len < 10 || c->meaning[len - 1] != '.') {
				fail_msg("%s.%s: meaning is not a sentence", t->command, c->id);
			}
			assert_non_null(c->status_name);
			assert_int_not_equal(c->revisions, 0);
			assert_ptr_equal(rmm_condition_find(t, c->id), c);
			rows++;
		}
	}
	assert_null(rmm_condition_find(rmm_condition_table_find("RMI_DATA_CREATE"), "no_such"));
	assert_null(rmm_condition_table_find("RMI_NO_SUCH"));
	assert_true(rows > 100);
}

/* The reasons the views give (--explain): a condition's meaning, a decision's, or none. */
static void events_are_explained(void **state)
{
	(void)state;
	char buf[512];
	struct trace_event ev = {.kind = TE_rmi, .type = "rmi"};
	ev.fields[ev.nfields++] =
	    (struct trace_field){.key = "cmd", .kind = TV_NAME, .str = "RMI_PSCI_COMPLETE"};
	assert_null(rmm_explain_event(NULL, &ev, buf, sizeof(buf))); /* neither */
	ev.fields[ev.nfields++] =
	    (struct trace_field){.key = "condition", .kind = TV_NAME, .str = "pending"};
	assert_string_equal(rmm_explain_event(NULL, &ev, buf, sizeof(buf)),
			    "The calling REC has no PSCI request waiting for the host. (B4.3.7, "
			    "failure condition pending)");
	ev.fields[1] = (struct trace_field){.key = "decision", .kind = TV_NAME, .str = "on_denied"};
	const char *why = rmm_explain_event(NULL, &ev, buf, sizeof(buf));
	assert_non_null(why);
	assert_non_null(strstr(why, "PSCI_DENIED is permitted because the target REC is "
				    "NOT_RUNNABLE"));
	assert_non_null(strstr(why, "(B4.3.7.3, decision on_denied)"));
	ev.fields[1].str = "no_such";
	assert_null(rmm_explain_event(NULL, &ev, buf, sizeof(buf)));
	/* rsi and psci events name their command in `call` */
	struct trace_event psci = {.kind = TE_psci, .type = "psci", .nfields = 2};
	psci.fields[0] = (struct trace_field){.key = "call", .kind = TV_NAME, .str = "PSCI_CPU_ON"};
	psci.fields[1] = (struct trace_field){.key = "condition", .kind = TV_NAME, .str = "entry"};
	assert_non_null(strstr(rmm_explain_event(NULL, &psci, buf, sizeof(buf)), "(B6.3.3, "));
	/* every decision is a sentence of RMI_PSCI_COMPLETE */
	const struct rmm_decision *d;
	size_t n = 0;
	for (; (d = rmm_decision_at(n)) != NULL; n++) {
		assert_string_equal(d->command, "RMI_PSCI_COMPLETE");
		assert_ptr_equal(rmm_decision_find(d->id), d);
		assert_int_equal(d->meaning[strlen(d->meaning) - 1], '.');
	}
	assert_int_equal(n, 5);
}

/* Every row is asserted by a test, and every asserted pair is a row. */
static void every_row_is_tested(void **state)
{
	(void)state;
	char missing[8192] = "";
	size_t nmissing = 0, len = 0;
	const struct rmm_condition_table *t;
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		for (size_t j = 0; j < t->count; j++) {
			bool unreachable = t->conds[j].origin == RMM_COND_UNREACHABLE;
			if (logged(t->command, t->conds[j].id) != unreachable) {
				continue;
			}
			if (unreachable) {
				fail_msg("%s.%s is provoked: it is not unreachable", t->command,
					 t->conds[j].id);
			}
			nmissing++;
			int n = snprintf(missing + len, sizeof(missing) - len, " %s.%s", t->command,
					 t->conds[j].id);
			if (n > 0 && (size_t)n < sizeof(missing) - len) {
				len += (size_t)n;
			}
		}
	}
	for (size_t i = 0; i < npairs; i++) {
		const struct rmm_condition_table *pt = rmm_condition_table_find(pairs[i].command);
		if (!rmm_condition_find(pt, pairs[i].id)) {
			fail_msg("a test asserts %s.%s, which no table lists", pairs[i].command,
				 pairs[i].id);
		}
	}
	if (nmissing) {
		fail_msg("%zu conditions no test provokes:%s", nmissing, missing);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_command_has_a_table),
	    cmocka_unit_test(tables_are_well_formed),
	    cmocka_unit_test(events_are_explained),
	    cmocka_unit_test(every_row_is_tested),
	};
	return cmocka_run_group_tests(tests, read_logs, NULL);
}
