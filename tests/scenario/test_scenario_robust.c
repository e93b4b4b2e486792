/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parser never crashes and always explains: empty input, the wrong shape, random bytes,
 * mutated scenarios and absurd nesting all end in a positioned error (valgrind checks leaks).
 */
#include "scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *data_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", SCENARIO_TEST_DATA, name);
	return path;
}

static void expect_string_error(const char *text, size_t len, unsigned line, unsigned col,
				const char *fragment)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	assert_int_equal(scenario_load_string("mem.yaml", text, len, &s, &err), -1);
	assert_null(s);
	if (err.line != line || err.col != col || !strstr(err.message, fragment)) {
		print_message("got %u:%u: %s\n", err.line, err.col, err.message);
	}
	assert_string_equal(err.file, "mem.yaml");
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_non_null(strstr(err.message, fragment));
}

static void test_empty_file(void **state)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	assert_int_equal(scenario_load(data_path("empty.yaml"), &s, &err), -1);
	assert_null(s);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.message, "empty scenario"));
	expect_string_error("# only a comment\n\n", 18, 1, 1, "empty scenario");
	expect_string_error("---\n...\n", 8, 1, 1, "empty scenario");
}

static void test_top_level_not_a_map(void **state)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	assert_int_equal(scenario_load(data_path("top_list.yaml"), &s, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.message, "must be a map at the top level, found a list"));
	expect_string_error("just words", 10, 1, 1, "found a scalar");
}

static void test_bad_bytes(void **state)
{
	static const char invalid_utf8[] = "name: t\nrealm: \xff\xfe";
	static const char with_nul[] = "name: t\nrea\0lm: {}\n";

	expect_string_error(invalid_utf8, sizeof(invalid_utf8) - 1, 2, 8,
			    "YAML syntax error: invalid leading UTF-8 octet");
	expect_string_error(with_nul, sizeof(with_nul) - 1, 2, 4,
			    "YAML syntax error: control characters are not allowed");
}

static void test_aliases_and_documents_refused(void **state)
{
	static const char alias[] = "name: &n t\ndescription: *n\n";
	static const char two_docs[] = "name: t\n---\nname: u\n";

	expect_string_error(alias, sizeof(alias) - 1, 2, 14, "aliases (*n) are not supported");
	expect_string_error(two_docs, sizeof(two_docs) - 1, 2, 1, "one YAML document");
}

static void test_deep_nesting(void **state)
{
	const size_t depth = 10000;
	char *flow = malloc(2 * depth + 1);
	char *maps = malloc(4 * depth + 1);
	char *block = malloc(2 * depth + 2);

	assert_non_null(flow);
	assert_non_null(maps);
	assert_non_null(block);
	for (size_t i = 0; i < depth; i++) {
		flow[i] = '[';
		flow[depth + i] = ']';
		/* sized texts, not strings: nothing terminates them */
		memcpy(maps + 4 * i, "{a: ", 4); /* NOLINT(bugprone-not-null-terminated-result) */
		memcpy(block + 2 * i, "- ", 2);  /* NOLINT(bugprone-not-null-terminated-result) */
	}
	block[2 * depth] = 'x';
	/* the 65th level is refused where it starts */
	expect_string_error(flow, 2 * depth, 1, 65, "nesting deeper than 64 levels");
	expect_string_error(maps, 4 * depth, 1, 4 * 64 + 1, "nesting deeper than 64 levels");
	expect_string_error(block, 2 * depth + 1, 1, 2 * 64 + 1, "nesting deeper than 64 levels");
	free(flow);
	free(maps);
	free(block);
}

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Either a model or an error with a message: nothing else, and never a crash. */
static void load_anything(const char *text, size_t len)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	if (scenario_load_string("fuzz.yaml", text, len, &s, &err) == 0) {
		assert_non_null(s);
		scenario_free(s);
	} else {
		assert_null(s);
		assert_true(err.message[0] != '\0');
	}
}

static void test_random_bytes(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char buf[512];

	for (int i = 0; i < 500; i++) {
		size_t len = (size_t)(next_random(&x) % sizeof(buf));
		for (size_t j = 0; j < len; j++) {
			buf[j] = (char)next_random(&x);
		}
		load_anything(buf, len);
	}
}

static void test_mutated_scenarios(void **state)
{
	static const char alphabet[] = "{}[]:,-#&*!|>'\"%@` \n\t0179xaZ_.+~";
	uint64_t x = 0x243f6a8885a308d3ULL;
	char orig[4096], buf[4096];
	FILE *f = fopen(data_path("multi_realm.yaml"), "rb");
	int parsed = 0;

	assert_non_null(f);
	size_t len = fread(orig, 1, sizeof(orig), f);
	fclose(f);
	assert_true(len > 0 && len < sizeof(orig));
	load_anything(orig, len);
	for (int i = 0; i < 3000; i++) {
		memcpy(buf, orig, len);
		for (unsigned m = 0; m < 1 + next_random(&x) % 4; m++) {
			size_t at = (size_t)(next_random(&x) % len);
			uint64_t r = next_random(&x);
			if (r & 1) {
				buf[at] = alphabet[(r >> 8) % (sizeof(alphabet) - 1)];
			} else {
				buf[at] = (char)(r >> 8);
			}
		}
		struct scenario *s = NULL;
		struct scenario_error err;
		if (scenario_load_string("fuzz.yaml", buf, len, &s, &err) == 0) {
			parsed++;
			scenario_free(s);
		} else {
			assert_true(err.message[0] != '\0');
		}
	}
	/* the mutations hit both valid and invalid variants */
	assert_true(parsed > 0 && parsed < 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_file),
	    cmocka_unit_test(test_top_level_not_a_map),
	    cmocka_unit_test(test_bad_bytes),
	    cmocka_unit_test(test_aliases_and_documents_refused),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_random_bytes),
	    cmocka_unit_test(test_mutated_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
