/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every kind of invalid scenario is reported as FILE:LINE:COL with a message that names it. */
#include "scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void expect_error(const char *name, unsigned line, unsigned col, const char *fragment)
{
	char path[512], formatted[1200], prefix[600];
	struct scenario *s = (struct scenario *)1;
	struct scenario_error err;

	snprintf(path, sizeof(path), "%s/%s", SCENARIO_TEST_DATA, name);
	assert_int_equal(scenario_load(path, &s, &err), -1);
	assert_null(s);
	scenario_format_error(&err, formatted, sizeof(formatted));
	if (err.line != line || err.col != col || !strstr(err.message, fragment)) {
		print_message("got: %s\nwant: %u:%u ... %s\n", formatted, line, col, fragment);
	}
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_non_null(strstr(err.message, fragment));
	snprintf(prefix, sizeof(prefix), "%s:%u:%u: error: ", path, line, col);
	assert_memory_equal(formatted, prefix, strlen(prefix));
}

static void test_syntax_error(void **state)
{
	expect_error("err_syntax.yaml", 5, 1,
		     "YAML syntax error: did not find expected ',' or ']'");
}

/* libyaml's usual problems are said in a writer's words, libyaml's own after them. */
static void test_syntax_error_words(void **state)
{
	expect_error("err_tab.yaml", 3, 1,
		     "YAML syntax error: a tab: YAML indents with spaces only (YAML: found "
		     "character that cannot start any token");
	expect_error("err_indent.yaml", 5, 3,
		     "YAML syntax error: this line is not indented like the keys of the map it "
		     "belongs to, or a key lacks its ':' (YAML: did not find expected key while "
		     "parsing a block mapping at line 3, column 3)");
}

static void test_unknown_top_level_key(void **state)
{
	expect_error("err_unknown_top.yaml", 2, 1, "unknown key `colour` in the scenario");
}

static void test_unknown_key_in_op(void **state)
{
	expect_error("err_unknown_op_key.yaml", 5, 49,
		     "unknown key `contxt_id` in op psci_cpu_on (expected one of: target, entry, "
		     "context_id)");
}

static void test_unknown_op(void **state)
{
	expect_error("err_unknown_op.yaml", 6, 11, "unknown op `psci_cpu_of`");
}

static void test_unknown_step(void **state)
{
	expect_error("err_unknown_step.yaml", 8, 7, "unknown step `rec_entr`");
}

static void test_unknown_event_type(void **state)
{
	expect_error("err_unknown_event.yaml", 7, 5, "unknown event type `rec_exitt`");
}

static void test_unknown_event_field(void **state)
{
	expect_error("err_unknown_field.yaml", 6, 24, "unknown key `reasn` in event `rec_exit`");
}

static void test_unknown_name(void **state)
{
	expect_error("err_unknown_name.yaml", 6, 19,
		     "unknown name `PSCI_DENIEDD` for `expect` (expected a PSCI return code");
}

static void test_wrong_type(void **state)
{
	expect_error("err_wrong_type.yaml", 3, 9, "`recs` must be a list, found a map");
}

static void test_missing_name(void **state)
{
	expect_error("err_missing_name.yaml", 1, 1, "missing required key `name`");
}

static void test_missing_recs(void **state)
{
	expect_error("err_missing_recs.yaml", 3, 3, "missing required key `recs` in `realm`");
}

static void test_bad_number(void **state)
{
	expect_error("err_bad_number.yaml", 5, 61, "bad number `0x12g` for `context_id`");
}

static void test_bad_name_pattern(void **state)
{
	expect_error("err_bad_name.yaml", 1, 7, "`name` `Hotplug Deny` must match [a-z0-9_-]+");
}

static void test_realm_and_realms(void **state)
{
	expect_error("err_realm_realms.yaml", 5, 1, "both `realm` and `realms`");
}

static void test_duplicate_key(void **state)
{
	expect_error("err_duplicate_key.yaml", 5, 7,
		     "duplicate key `runnable` in a REC (first at line 4, column 7)");
}

static void test_two_ops_in_one_item(void **state)
{
	expect_error("err_two_ops.yaml", 6, 11, "two ops `psci_version` and `psci_cpu_off`");
}

static void test_unknown_program(void **state)
{
	expect_error("err_unknown_program.yaml", 7, 16, "unknown program `bot`");
}

static void test_rec_index_out_of_range(void **state)
{
	expect_error("err_rec_range.yaml", 5, 33,
		     "REC index 2 out of range in `target` of psci_cpu_on (realm `realm` has 2 "
		     "RECs)");
}

static void test_rec_index_out_of_range_in_shared_program(void **state)
{
	expect_error("err_program_range.yaml", 4, 39,
		     "REC index 2 out of range in `entry` of psci_cpu_on (program `wake` runs in "
		     "realm `small`");
}

static void test_symbol_out_of_range(void **state)
{
	expect_error("err_symbol_range.yaml", 8, 42, "REC index 3 out of range in `rec3`");
}

static void test_unqualified_symbol_with_realms(void **state)
{
	expect_error("err_unqualified.yaml", 9, 24, "symbol `rec0` needs a realm qualifier");
}

static void test_unknown_realm_qualifier(void **state)
{
	expect_error("err_unknown_realm.yaml", 6, 18, "unknown realm `vm3` in symbol `vm3.rd`");
}

static void test_unknown_spec(void **state)
{
	expect_error("err_unknown_spec.yaml", 2, 7, "unknown spec `1.1`");
}

/* host.devices (ext): a known kind, a granule-aligned IPA in every realm's Unprotected half,
 * one device per address. */
static void test_device_errors(void **state)
{
	expect_error("err_device_kind.yaml", 6, 27, "unknown device `virtio`");
	expect_error("err_device_align.yaml", 7, 26, "a device's `ipa` must be aligned to 4K");
	expect_error("err_device_protected.yaml", 7, 7,
		     "device at IPA 0x9010000 is not in the Unprotected half of realm `realm`");
	expect_error("err_device_twice.yaml", 6, 26, "two devices at the same address");
}

/* host.inject (ext): an SGI, PPI or SPI, a priority the GIC can hold, a REC that exists,
 * the INTID given; host.on_unprotected one of its two answers; machine.gic_lrs 1 to 16. */
static void test_inject_errors(void **state)
{
	expect_error("err_inject_intid.yaml", 7, 23, "`intid` (an SGI, PPI or SPI) is 1020");
	expect_error("err_inject_priority.yaml", 7, 37,
		     "the GIC has 5 priority bits: `priority` is a multiple of 8");
	expect_error("err_inject_rec.yaml", 10, 13, "REC index 2 out of range for `rec`");
	expect_error("err_inject_no_intid.yaml", 7, 7,
		     "missing required key `intid` in an `inject` entry");
	expect_error("err_inject_realms.yaml", 9, 13,
		     "REC index 2 out of range in `inject` (realm `small` has 1 REC)");
	expect_error("err_on_unprotected.yaml", 6, 19,
		     "`on_unprotected` is map_shared or inject_sea");
	expect_error("err_gic_lrs.yaml", 3, 12, "`gic_lrs` is 17, out of range (expected 1 to 16)");
}

static void test_missing_file(void **state)
{
	struct scenario *s;
	struct scenario_error err;
	char buf[1200];

	assert_int_equal(scenario_load("/nonexistent/x.yaml", &s, &err), -1);
	assert_null(s);
	assert_int_equal(err.line, 0);
	scenario_format_error(&err, buf, sizeof(buf));
	assert_non_null(strstr(buf, "/nonexistent/x.yaml: error: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax_error),
	    cmocka_unit_test(test_syntax_error_words),
	    cmocka_unit_test(test_unknown_top_level_key),
	    cmocka_unit_test(test_unknown_key_in_op),
	    cmocka_unit_test(test_unknown_op),
	    cmocka_unit_test(test_unknown_step),
	    cmocka_unit_test(test_unknown_event_type),
	    cmocka_unit_test(test_unknown_event_field),
	    cmocka_unit_test(test_unknown_name),
	    cmocka_unit_test(test_wrong_type),
	    cmocka_unit_test(test_missing_name),
	    cmocka_unit_test(test_missing_recs),
	    cmocka_unit_test(test_bad_number),
	    cmocka_unit_test(test_bad_name_pattern),
	    cmocka_unit_test(test_realm_and_realms),
	    cmocka_unit_test(test_duplicate_key),
	    cmocka_unit_test(test_two_ops_in_one_item),
	    cmocka_unit_test(test_unknown_program),
	    cmocka_unit_test(test_rec_index_out_of_range),
	    cmocka_unit_test(test_rec_index_out_of_range_in_shared_program),
	    cmocka_unit_test(test_symbol_out_of_range),
	    cmocka_unit_test(test_unqualified_symbol_with_realms),
	    cmocka_unit_test(test_unknown_realm_qualifier),
	    cmocka_unit_test(test_unknown_spec),
	    cmocka_unit_test(test_device_errors),
	    cmocka_unit_test(test_inject_errors),
	    cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
