/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table gpt_create builds, read back as the architecture defines it: GPCCR_EL3 and
 * GPTBR_EL3 decode to the configuration, the level-0 entry covering RAM is a Table descriptor
 * pointing at an L1 table in the Root carve-out, the L1 word for a PA holds its GPI in nibble
 * PA[15:12], and the configuration options are honoured or refused.
 */
#include "gpt/gpt.h"
#include "test_machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define FIELD(v, lo, bits) (((v) >> (lo)) & ((1ULL << (bits)) - 1))

static void registers_decode_to_the_configuration(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t gpccr = gpt_gpccr_el3(f->g);
	uint64_t gptbr = gpt_gptbr_el3(f->g);
	uint64_t l0 = gptbr << 12;

	assert_int_equal(FIELD(gpccr, 0, 3), 0x2);           /* PPS = 40 bits */
	assert_int_equal(FIELD(gpccr, 8, 2), 0x1);           /* IRGN = WB RA WA */
	assert_int_equal(FIELD(gpccr, 10, 2), 0x1);          /* ORGN = WB RA WA */
	assert_int_equal(FIELD(gpccr, 12, 2), 0x3);          /* SH = Inner */
	assert_int_equal(FIELD(gpccr, 14, 2), 0x0);          /* PGS = 4 KB */
	assert_int_equal(FIELD(gpccr, 16, 1), 0x1);          /* GPC */
	assert_int_equal(FIELD(gpccr, 20, 4), 0x0);          /* L0GPTSZ = 30 bits */
	assert_int_equal(gpccr & ~0xf1ff00ULL & ~0x7ULL, 0); /* nothing else set */

	assert_int_equal(gptbr >> 40, 0); /* BADDR is [39:0] */
	/* The L0 table (8 x 2^(40-30) = 8 KB) is in the carve-out and aligned to its size. */
	assert_int_equal(l0 & 0x1fff, 0);
	assert_true(l0 >= gpt_root_base(f->g));
	assert_true(l0 + 8192 <= gpt_root_base(f->g) + gpt_root_size(f->g));

	assert_int_equal(gpt_root_size(f->g), 1ULL << 20);
	assert_int_equal(gpt_root_base(f->g), TEST_RAM_BASE + TEST_RAM_SIZE - (1ULL << 20));
}

static void level0_and_level1_descriptors(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t l0 = gpt_gptbr_el3(f->g) << 12;
	uint64_t ram_entry = TEST_RAM_BASE >> 30;

	for (uint64_t i = 0; i < 1024; i++) {
		uint64_t d = test_peek64(f->m, l0 + 8 * i);

		if (i == ram_entry) {
			uint64_t l1 = d & 0x000ffffffffff000ULL;

			assert_int_equal(d & 0xf, 0x3); /* Table */
			assert_int_equal(d & ~0x000ffffffffff00fULL, 0);
			assert_int_equal(l1 & 0x1ffff, 0); /* aligned to its 128 KB */
			assert_true(l1 >= gpt_root_base(f->g));
			assert_true(l1 + 0x20000 <= gpt_root_base(f->g) + gpt_root_size(f->g));
		} else {
			assert_int_equal(d, 0xf1); /* Block, GPI ANY */
		}
	}

	uint64_t l1 = test_peek64(f->m, l0 + 8 * ram_entry) & 0x000ffffffffff000ULL;
	/* PA 0x80123000: L1 index PA[29:16] = 0x12, GPI index PA[15:12] = 3. */
	uint64_t pa = 0x80123000;
	uint64_t word = l1 + 0x12 * 8;

	assert_int_equal(test_peek64(f->m, word), 0x9999999999999999ULL);
	assert_int_equal(gpt_set_gpi(f->g, pa, GPI_REALM), 0);
	assert_int_equal(test_peek64(f->m, word), 0x999999999999b999ULL);
	assert_int_equal(gpt_set_gpi(f->g, pa + 0xc000, GPI_SECURE), 0);
	assert_int_equal(test_peek64(f->m, word), 0x899999999999b999ULL);
	assert_int_equal(gpt_check(f->g, pa, GPT_PAS_REALM).fault, GPT_OK);
	assert_int_equal(gpt_check(f->g, pa + 0xc000, GPT_PAS_SECURE).fault, GPT_OK);

	/* The carve-out is ROOT, word for word; RAM words beyond it don't exist (PA 2^31+16M..). */
	uint64_t root = gpt_root_base(f->g);
	for (uint64_t a = root; a < root + gpt_root_size(f->g); a += 0x10000) {
		assert_int_equal(test_peek64(f->m, l1 + ((a >> 16) & 0x3fff) * 8),
				 0xaaaaaaaaaaaaaaaaULL);
	}
	/* The rest of the 1 GB region the L1 table covers is not RAM: ANY. */
	assert_int_equal(
	    test_peek64(f->m, l1 + (((TEST_RAM_BASE + TEST_RAM_SIZE) >> 16) & 0x3fff) * 8),
	    0xffffffffffffffffULL);
}

static void carve_out_is_root_only(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t root = gpt_root_base(f->g);
	struct gpt_result r = gpt_check(f->g, root, GPT_PAS_NS);

	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.level, 1);
	assert_int_equal(r.gpi, GPI_ROOT);
	assert_int_equal(gpt_check(f->g, root, GPT_PAS_ROOT).fault, GPT_OK);
	assert_int_equal(gpt_check(f->g, root - 0x1000, GPT_PAS_ROOT).fault, GPT_FAULT_GPF);
	assert_int_equal(gpt_check(f->g, root - 0x1000, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(f->g, TEST_RAM_BASE, GPT_PAS_REALM).fault, GPT_FAULT_GPF);
}

struct machine_and_gpt {
	struct cpu_machine *m;
	struct gpt *g;
};

static int create(struct machine_and_gpt *mg, uint64_t base, uint64_t size, unsigned pa_bits,
		  const struct gpt_config *cfg)
{
	mg->g = NULL;
	mg->m = test_machine_create(base, size, pa_bits);
	assert_non_null(mg->m);
	return gpt_create(mg->m, cfg, NULL, &mg->g);
}

static void destroy(struct machine_and_gpt *mg)
{
	gpt_destroy(mg->g);
	test_machine_destroy(mg->m);
}

static void configuration_options(void **state)
{
	struct machine_and_gpt mg;
	(void)state;

	/* PPS defaults to pa_bits: 44 -> 0b100; L0 table 8 x 2^14 = 128 KB. */
	assert_int_equal(create(&mg, TEST_RAM_BASE, TEST_RAM_SIZE, 44, NULL), 0);
	assert_int_equal(gpt_gpccr_el3(mg.g) & 0x7, 0x4);
	assert_int_equal((gpt_gptbr_el3(mg.g) << 12) & 0x1ffff, 0);
	assert_int_equal(gpt_check(mg.g, 1ULL << 42, GPT_PAS_REALM).fault, GPT_OK); /* ANY */
	assert_int_equal(gpt_check(mg.g, 1ULL << 44, GPT_PAS_REALM).fault, GPT_FAULT_GPF);
	destroy(&mg);

	/* Explicit PPS below pa_bits, L0GPTSZ 34 (2 MB L1 table), a bigger carve-out, a default. */
	struct gpt_config cfg = {
	    .pps_bits = 36, .l0gptsz = 34, .root_size = 4ULL << 20, .default_gpi = GPI_REALM};
	assert_int_equal(create(&mg, TEST_RAM_BASE, TEST_RAM_SIZE, 40, &cfg), 0);
	assert_int_equal(gpt_gpccr_el3(mg.g) & 0x7, 0x1);
	assert_int_equal((gpt_gpccr_el3(mg.g) >> 20) & 0xf, 0x4);
	assert_int_equal(gpt_root_size(mg.g), 4ULL << 20);
	assert_int_equal(gpt_check(mg.g, TEST_RAM_BASE, GPT_PAS_REALM).fault, GPT_OK);
	assert_int_equal(gpt_check(mg.g, TEST_RAM_BASE, GPT_PAS_NS).fault, GPT_FAULT_GPF);
	assert_int_equal(gpt_check(mg.g, gpt_root_base(mg.g), GPT_PAS_ROOT).fault, GPT_OK);
	assert_int_equal(gpt_check(mg.g, 1ULL << 36, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(mg.g, 1ULL << 36, GPT_PAS_ROOT).fault, GPT_FAULT_GPF);
	/* L0 entry for RAM, index PA[35:34] = 0, is a Table descriptor. */
	uint64_t l0 = gpt_gptbr_el3(mg.g) << 12;
	assert_int_equal(test_peek64(mg.m, l0) & 0xf, 0x3);
	assert_int_equal(test_peek64(mg.m, l0) & 0x1fffff & ~0xfULL, 0); /* L1 2 MB aligned */
	destroy(&mg);

	/* RAM spanning two L0 regions gets two L1 tables. */
	assert_int_equal(create(&mg, 0xbf800000ULL, 16ULL << 20, 40, NULL), 0);
	l0 = gpt_gptbr_el3(mg.g) << 12;
	assert_int_equal(test_peek64(mg.m, l0 + 2 * 8) & 0xf, 0x3);
	assert_int_equal(test_peek64(mg.m, l0 + 3 * 8) & 0xf, 0x3);
	assert_int_not_equal(test_peek64(mg.m, l0 + 2 * 8), test_peek64(mg.m, l0 + 3 * 8));
	assert_int_equal(gpt_check(mg.g, 0xbf800000ULL, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(mg.g, 0xc0000000ULL, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(mg.g, 0xc0000000ULL, GPT_PAS_NS).level, 1);
	destroy(&mg);
}

static void configurations_refused(void **state)
{
	struct machine_and_gpt mg;
	(void)state;

	const struct gpt_config bad[] = {
	    {.pps_bits = 44},                 /* above pa_bits 40 */
	    {.pps_bits = 38},                 /* no PPS encoding */
	    {.l0gptsz = 31},                  /* no L0GPTSZ encoding */
	    {.l0gptsz = 39},                  /* 64 MB L1 table: no room in 1 MiB */
	    {.root_size = 0x1800},            /* not a multiple of 4 KB */
	    {.root_size = 64 << 10},          /* too small for the tables */
	    {.root_size = TEST_RAM_SIZE * 2}, /* larger than RAM */
	    {.default_gpi = 0x3},             /* reserved GPI */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(create(&mg, TEST_RAM_BASE, TEST_RAM_SIZE, 40, &bad[i]), -1);
		assert_null(mg.g);
		destroy(&mg);
	}
	/* RAM above PPS. */
	struct gpt_config cfg = {.pps_bits = 32};
	assert_int_equal(create(&mg, 0xfff00000ULL + 0x100000, TEST_RAM_SIZE, 40, &cfg), -1);
	destroy(&mg);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(gpt_gpi_name(GPI_NS), "NS");
	assert_string_equal(gpt_gpi_name(GPI_REALM), "REALM");
	assert_string_equal(gpt_gpi_name(GPI_ROOT), "ROOT");
	assert_string_equal(gpt_gpi_name(GPI_SECURE), "SECURE");
	assert_string_equal(gpt_gpi_name(GPI_NO_ACCESS), "NO_ACCESS");
	assert_string_equal(gpt_gpi_name(GPI_ANY), "ANY");
	assert_string_equal(gpt_gpi_name(0x5), "RESERVED");
	assert_string_equal(gpt_pas_name(GPT_PAS_NS), "NS");
	assert_string_equal(gpt_pas_name(GPT_PAS_REALM), "REALM");
	assert_string_equal(gpt_pas_name(GPT_PAS_ROOT), "ROOT");
	assert_string_equal(gpt_pas_name(GPT_PAS_SECURE), "SECURE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(registers_decode_to_the_configuration,
					    gpt_fixture_setup, gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(level0_and_level1_descriptors, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(carve_out_is_root_only, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test(configuration_options),
	    cmocka_unit_test(configurations_refused),
	    cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
