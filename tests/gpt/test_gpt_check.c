/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The granule protection check: every GPI against every PAS at both levels, and every fault
 * type and level in the priority order of [ARM:D9.4]. Descriptors are written
 * straight into the table in RAM, as a test would on hardware, and the registers through the
 * private struct gpt.
 */
#include "gpt/gpt.h"
#include "gpt/gpt_private.h"
#include "test_machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Geometry of the default GPT: t = 40, s = 30, p = 12. */
#define PA_NORMAL (TEST_RAM_BASE + 0x101000) /* GPI index 1 in its L1 descriptor */

static uint64_t l0_desc_pa(const struct gpt *g, uint64_t pa)
{
	return (gpt_gptbr_el3(g) << 12) + ((pa >> 30) & 0x3ff) * 8;
}

static uint64_t l1_desc_pa(struct gpt_fixture *f, uint64_t pa)
{
	uint64_t l0 = test_peek64(f->m, l0_desc_pa(f->g, pa));

	return (l0 & 0x000ffffffffff000ULL) + ((pa >> 16) & 0x3fff) * 8;
}

static void expect(struct gpt_result r, enum gpt_fault fault, int level)
{
	assert_int_equal(r.fault, fault);
	if (fault != GPT_OK) {
		assert_int_equal(r.level, level);
	}
}

static void expect_all_pas(const struct gpt *g, uint64_t pa, enum gpt_fault fault, int level)
{
	for (int pas = GPT_PAS_SECURE; pas <= GPT_PAS_REALM; pas++) {
		expect(gpt_check(g, pa, (enum gpt_pas)pas), fault, level);
	}
}

/*
 * The GPI rule, stated independently of the implementation: for each of the 16 nibble values,
 * which of {Secure, NS, Root, Realm} may access, or 'W' when the value is reserved (GPCCR has
 * no NSO/SA/NSP/NA6/NA7) and the check is a GPT walk fault.
 */
static const char *const gpi_rule[16] = {
    "----",                                                         /* 0b0000 no access */
    "WWWW", "WWWW", "WWWW", "WWWW", "WWWW", "WWWW", "WWWW", "S---", /* 0b1000 Secure */
    "-N--",                                                         /* 0b1001 NS */
    "--R-",                                                         /* 0b1010 Root */
    "---L",                                                         /* 0b1011 Realm */
    "WWWW", "WWWW", "WWWW", "SNRL",                                 /* 0b1111 any */
};

static void expect_rule(const struct gpt *g, uint64_t pa, unsigned gpi, int level)
{
	for (int pas = GPT_PAS_SECURE; pas <= GPT_PAS_REALM; pas++) {
		struct gpt_result r = gpt_check(g, pa, (enum gpt_pas)pas);
		char c = gpi_rule[gpi][pas];

		if (c == 'W') {
			assert_int_equal(r.fault, GPT_FAULT_WALK);
		} else if (c == '-') {
			assert_int_equal(r.fault, GPT_FAULT_GPF);
		} else {
			assert_int_equal(r.fault, GPT_OK);
		}
		assert_int_equal(r.level, level);
		if (c != 'W') {
			assert_int_equal(r.gpi, gpi);
		}
	}
}

static void every_gpi_every_pas_level1(void **state)
{
	struct gpt_fixture *f = *state;

	for (unsigned gpi = 0; gpi < 16; gpi++) {
		assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL, gpi), 0);
		/* The nibble is where the architecture says: PA[15:12] = 1 -> bits [7:4]. */
		assert_int_equal((test_peek64(f->m, l1_desc_pa(f, PA_NORMAL)) >> 4) & 0xf, gpi);
		expect_rule(f->g, PA_NORMAL, gpi, 1);
		/* Its neighbours in the same descriptor are untouched. */
		expect(gpt_check(f->g, PA_NORMAL - 0x1000, GPT_PAS_NS), GPT_OK, 1);
		expect(gpt_check(f->g, PA_NORMAL + 0x1000, GPT_PAS_NS), GPT_OK, 1);
	}
	assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL, GPI_NS), 0);
}

static void every_gpi_every_pas_level0_block(void **state)
{
	struct gpt_fixture *f = *state;
	/* An L0 entry outside RAM (region 5, [5 GiB, 6 GiB)) and the RAM one. */
	uint64_t pas_to_try[2] = {5ULL << 30, PA_NORMAL};

	for (int k = 0; k < 2; k++) {
		uint64_t d = l0_desc_pa(f->g, pas_to_try[k]);
		uint64_t saved = test_peek64(f->m, d);

		for (unsigned gpi = 0; gpi < 16; gpi++) {
			test_poke64(f->m, d, ((uint64_t)gpi << 4) | 0x1);
			expect_rule(f->g, pas_to_try[k], gpi, 0);
		}
		test_poke64(f->m, d, saved);
	}
	/* gpt_create leaves non-RAM space below PPS as an ANY block. */
	assert_int_equal(test_peek64(f->m, l0_desc_pa(f->g, 5ULL << 30)), 0xf1);
}

static void above_pps(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t pas_above[3] = {1ULL << 40, (1ULL << 40) + 0x5000, (1ULL << 44) - 0x1000};

	for (int k = 0; k < 3; k++) {
		expect(gpt_check(f->g, pas_above[k], GPT_PAS_NS), GPT_OK, 0);
		expect(gpt_check(f->g, pas_above[k], GPT_PAS_REALM), GPT_FAULT_GPF, 0);
		expect(gpt_check(f->g, pas_above[k], GPT_PAS_ROOT), GPT_FAULT_GPF, 0);
		expect(gpt_check(f->g, pas_above[k], GPT_PAS_SECURE), GPT_FAULT_GPF, 0);
	}
	/* Just below PPS is checked through the (ANY) block. */
	expect_all_pas(f->g, (1ULL << 40) - 0x1000, GPT_OK, 0);
}

static void invalid_l0_descriptor(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t d = l0_desc_pa(f->g, PA_NORMAL);
	uint64_t saved = test_peek64(f->m, d);
	uint64_t l1 = saved & ~0xfffULL;
	const uint64_t bad[] = {
	    0x0,                     /* type 0b0000 */
	    l1 | 0x2,                /* type 0b0010 */
	    l1 | 0x7,                /* type 0b0111 */
	    l1 | 0xf,                /* type 0b1111 */
	    l1 | 0x3 | 0x10,         /* Table with RES0 bit 4 */
	    l1 | 0x3 | (1ULL << 52), /* Table with RES0 bit 52 */
	    l1 | 0x3 | (1ULL << 63), /* Table with RES0 bit 63 */
	    l1 | 0x1000 | 0x3,       /* L1 table not aligned to its 128 KB size */
	    0x91 | (1ULL << 8),      /* Block with RES0 bit 8 */
	    0x91 | (1ULL << 40),     /* Block with RES0 bit 40 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		test_poke64(f->m, d, bad[i]);
		expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_WALK, 0);
	}
	test_poke64(f->m, d, saved);
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
}

static void l0_table_address_beyond_pps(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t d = l0_desc_pa(f->g, PA_NORMAL);
	uint64_t saved = test_peek64(f->m, d);

	test_poke64(f->m, d, (1ULL << 40) | 0x3);
	expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_ADDR_SIZE, 0);
	test_poke64(f->m, d, (1ULL << 51) | (saved & ~0xfffULL) | 0x3);
	expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_ADDR_SIZE, 0);
	test_poke64(f->m, d, saved);
}

static void gptbr_beyond_pps_and_fetch_aborts(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t saved = f->g->regs.gptbr;
	uint64_t d = l0_desc_pa(f->g, PA_NORMAL);
	uint64_t l0 = test_peek64(f->m, d);

	f->g->regs.gptbr = (1ULL << 40) >> 12;
	expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_ADDR_SIZE, 0);
	/* Below PPS but not RAM: the level-0 fetch aborts. */
	f->g->regs.gptbr = 0x40000000ULL >> 12;
	expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_EABT, 0);
	f->g->regs.gptbr = saved;

	/* An L1 table outside RAM: the level-1 fetch aborts. */
	test_poke64(f->m, d, 0x40000000ULL | 0x3);
	expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_EABT, 1);
	test_poke64(f->m, d, l0);
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
}

static void l0_block_gpi(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t d = l0_desc_pa(f->g, PA_NORMAL);
	uint64_t saved = test_peek64(f->m, d);
	struct gpt_result r;

	test_poke64(f->m, d, ((uint64_t)GPI_REALM << 4) | 0x1);
	r = gpt_check(f->g, PA_NORMAL, GPT_PAS_NS);
	expect(r, GPT_FAULT_GPF, 0);
	assert_int_equal(r.gpi, GPI_REALM);
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_REALM), GPT_OK, 0);
	/* The block decides for the whole 1 GB, whatever the L1 table says. */
	expect(gpt_check(f->g, gpt_root_base(f->g), GPT_PAS_REALM), GPT_OK, 0);
	test_poke64(f->m, d, saved);
}

static void reserved_l1_nibble(void **state)
{
	struct gpt_fixture *f = *state;
	const unsigned reserved[] = {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0xc, 0xd, 0xe};

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL, reserved[i]), 0);
		expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_WALK, 1);
		assert_int_equal(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS).gpi, reserved[i]);
	}
	assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL, GPI_NS), 0);
	/* A reserved value in another nibble of the same word does not matter. */
	assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL + 0x1000, 0x7), 0);
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
	assert_int_equal(gpt_set_gpi(f->g, PA_NORMAL + 0x1000, GPI_NS), 0);
}

static void contiguous_l1_descriptor(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t block = TEST_RAM_BASE + 0x200000; /* a 2 MB block: 32 L1 descriptors */
	uint64_t d0 = l1_desc_pa(f, block);
	uint64_t saved[32];
	struct gpt_result r;

	for (int i = 0; i < 32; i++) {
		saved[i] = test_peek64(f->m, d0 + 8 * i);
		test_poke64(f->m, d0 + 8 * i, (0x1ULL << 8) | ((uint64_t)GPI_REALM << 4) | 0x1);
	}
	for (uint64_t a = block; a < block + 0x200000; a += 0x3000) {
		expect(gpt_check(f->g, a, GPT_PAS_REALM), GPT_OK, 1);
		r = gpt_check(f->g, a, GPT_PAS_NS);
		expect(r, GPT_FAULT_GPF, 1);
		assert_int_equal(r.gpi, GPI_REALM);
	}
	/* Every Contig size is valid... */
	for (uint64_t contig = 1; contig <= 3; contig++) {
		test_poke64(f->m, d0, (contig << 8) | ((uint64_t)GPI_ROOT << 4) | 0x1);
		expect(gpt_check(f->g, block, GPT_PAS_ROOT), GPT_OK, 1);
		expect(gpt_check(f->g, block, GPT_PAS_NS), GPT_FAULT_GPF, 1);
	}
	/* ...Contig = 0b00 is reserved, as are bits [63:10] and reserved GPIs. */
	test_poke64(f->m, d0, ((uint64_t)GPI_REALM << 4) | 0x1);
	expect_all_pas(f->g, block, GPT_FAULT_WALK, 1);
	test_poke64(f->m, d0, (1ULL << 10) | (0x1ULL << 8) | ((uint64_t)GPI_REALM << 4) | 0x1);
	expect_all_pas(f->g, block, GPT_FAULT_WALK, 1);
	test_poke64(f->m, d0, (1ULL << 63) | (0x1ULL << 8) | ((uint64_t)GPI_REALM << 4) | 0x1);
	expect_all_pas(f->g, block, GPT_FAULT_WALK, 1);
	test_poke64(f->m, d0, (0x1ULL << 8) | (0x5ULL << 4) | 0x1);
	expect_all_pas(f->g, block, GPT_FAULT_WALK, 1);
	/* Contiguous ANY lets everyone in. */
	test_poke64(f->m, d0, (0x2ULL << 8) | ((uint64_t)GPI_ANY << 4) | 0x1);
	expect_all_pas(f->g, block, GPT_OK, 1);

	for (int i = 0; i < 32; i++) {
		test_poke64(f->m, d0 + 8 * i, saved[i]);
	}
	expect(gpt_check(f->g, block, GPT_PAS_NS), GPT_OK, 1);
}

static void invalid_gpccr(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t good = gpt_gpccr_el3(f->g);
	const uint64_t bad[] = {
	    (good & ~(0x3ULL << 14)) | (0x3ULL << 14), /* PGS = 0b11 */
	    (good & ~(0x3ULL << 12)) | (0x1ULL << 12), /* SH = 0b01 */
	    (good & ~0xf00ULL) | (0x3ULL << 12),       /* NC/NC, SH inner */
	    (good & ~0xf00ULL & ~(0x3ULL << 12)),      /* NC/NC, SH non-shareable */
	    (good & ~0x7ULL) | 0x3,                    /* PPS 42 bits > 40 implemented */
	    (good & ~0x7ULL) | 0x6,                    /* PPS 52 bits > 40 implemented */
	    (good & ~0x7ULL) | 0x7,                    /* PPS reserved */
	    (good & ~(0xfULL << 20)) | (0x1ULL << 20), /* L0GPTSZ not an encoding */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f->g->regs.gpccr = bad[i];
		expect_all_pas(f->g, PA_NORMAL, GPT_FAULT_WALK, 0);
		/* Priority 1 comes before "above PPS": even NS there faults. */
		expect_all_pas(f->g, 1ULL << 45, GPT_FAULT_WALK, 0);
	}
	/* NC/NC is valid when Outer Shareable. */
	f->g->regs.gpccr = (good & ~0xf00ULL & ~(0x3ULL << 12)) | (0x2ULL << 12);
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
	/* A smaller valid PPS (36 bits): the same L0 entry serves RAM, and 2^36 is now above. */
	f->g->regs.gpccr = (good & ~0x7ULL) | 0x1;
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
	expect(gpt_check(f->g, 1ULL << 36, GPT_PAS_NS), GPT_OK, 0);
	expect(gpt_check(f->g, 1ULL << 36, GPT_PAS_REALM), GPT_FAULT_GPF, 0);
	f->g->regs.gpccr = good;
	expect(gpt_check(f->g, PA_NORMAL, GPT_PAS_NS), GPT_OK, 1);
}

static void gpc_disabled(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t good = gpt_gpccr_el3(f->g);

	f->g->regs.gpccr = good & ~(1ULL << 16);
	expect_all_pas(f->g, gpt_root_base(f->g), GPT_OK, 0);
	expect_all_pas(f->g, 1ULL << 45, GPT_OK, 0);
	f->g->regs.gpccr = good;
	expect(gpt_check(f->g, gpt_root_base(f->g), GPT_PAS_NS), GPT_FAULT_GPF, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(every_gpi_every_pas_level1, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(every_gpi_every_pas_level0_block, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(above_pps, gpt_fixture_setup, gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(invalid_l0_descriptor, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(l0_table_address_beyond_pps, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(gptbr_beyond_pps_and_fetch_aborts, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(l0_block_gpi, gpt_fixture_setup, gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(reserved_l1_nibble, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(contiguous_l1_descriptor, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(invalid_gpccr, gpt_fixture_setup, gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(gpc_disabled, gpt_fixture_setup, gpt_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
