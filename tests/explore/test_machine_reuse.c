/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run on a machine kept from another run (scenario_run_options.keep, cpu_machine_reset) is
 * the same run as on a new machine: for every scenario given, its events (as JSON Lines), its
 * instruction count and its exit code are compared between a new machine and one that has just
 * run the previous scenario of the list (and, for the first, the last). The explorer relies on
 * it for every run but its first.
 * Usage: test_machine_reuse SCENARIO... (every one of scenarios/ in the suite)
 */
#include "cpu/cpu.h"
#include "scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int nfiles;
static char **files;

struct outcome {
	char *json;
	size_t len;
	uint64_t insns;
	int exit_code;
};

static void run_one(const char *file, struct cpu_machine **keep, struct outcome *out)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	struct scenario_result res;
	if (scenario_load(file, &s, &err) != 0) {
		fail_msg("%s:%u:%u: %s", err.file, err.line, err.col, err.message);
	}
	FILE *json = open_memstream(&out->json, &out->len);
	assert_non_null(json);
	struct scenario_run_options o = {.spec = -1, .profile = -1, .json = json, .keep = keep};
	scenario_run(s, &o, &res);
	fclose(json);
	out->insns = res.insns;
	out->exit_code = res.exit_code;
	scenario_result_free(&res);
	scenario_free(s);
}

static void test_reused_machine_runs_alike(void **state)
{
	(void)state;
	struct cpu_machine *keep = NULL;
	struct outcome warm = {0};
	run_one(files[nfiles - 1], &keep, &warm); /* leaves the machine of the last one */
	free(warm.json);
	for (int i = 0; i < nfiles; i++) {
		struct outcome fresh = {0}, reused = {0};
		run_one(files[i], NULL, &fresh);
		assert_non_null(keep);
		run_one(files[i], &keep, &reused);
		if (fresh.len != reused.len || memcmp(fresh.json, reused.json, fresh.len) != 0) {
			fail_msg("%s: the events differ on a reused machine", files[i]);
		}
		assert_int_equal(fresh.insns, reused.insns);
		assert_int_equal(fresh.exit_code, reused.exit_code);
		assert_true(fresh.len > 0);
		free(fresh.json);
		free(reused.json);
	}
	cpu_machine_destroy(keep);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_machine_reuse SCENARIO...\n");
		return 2;
	}
	nfiles = argc - 1;
	files = argv + 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reused_machine_runs_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
