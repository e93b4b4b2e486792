/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-world views src/cpu enforces, derived from the GPT: built by gpt_create, following
 * delegation, raw GPI writes and, after descriptor writes behind the library's back,
 * gpt_invalidate_all. Runs on the fake cpu.h (test_gpt_views) and on the real src/cpu
 * (test_gpt_views_real).
 */
#include "abi/abi.h"
#include "gpt/gpt.h"
#include "test_machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define PA_X (TEST_RAM_BASE + 0x456000)
/* What the Realm PE may do with an NS granule: data through an Unprotected (NS = 1)
 * mapping, never an instruction fetch (realm code is never in NS memory). */
#define REALM_ON_NS (CPU_ACCESS_READ | CPU_ACCESS_WRITE)

static void expect_views(struct gpt_fixture *f, uint64_t pa, unsigned ns, unsigned realm)
{
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, pa), ns);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, pa), realm);
}

static void views_after_create(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t root = gpt_root_base(f->g);

	expect_views(f, TEST_RAM_BASE, CPU_ACCESS_ALL, REALM_ON_NS);
	expect_views(f, PA_X, CPU_ACCESS_ALL, REALM_ON_NS);
	expect_views(f, root - 0x1000, CPU_ACCESS_ALL, REALM_ON_NS);
	/* The Root carve-out holding the GPT is out of both worlds' reach. */
	for (uint64_t a = root; a < root + gpt_root_size(f->g); a += 0x1000) {
		expect_views(f, a, 0, 0);
	}
}

/* The initial GPIs where RAM and the Root carve-out do not end on a 64 KB boundary (an L1
 * descriptor's span): the descriptors that straddle them hold a GPI per granule, the others
 * one for all sixteen, and every granule's GPI is what it should be. */
static void initial_gpis_at_unaligned_ends(void **state)
{
	(void)state;
	const uint64_t size = TEST_RAM_SIZE + 0x5000;
	struct cpu_machine *m = test_machine_create(TEST_RAM_BASE, size, TEST_PA_BITS);
	struct gpt *g = NULL;
	assert_non_null(m);
	assert_int_equal(gpt_create(m, NULL, NULL, &g), 0);
	uint64_t root = gpt_root_base(g), root_end = root + gpt_root_size(g);
	assert_true((root & 0xffff) != 0 || (root_end & 0xffff) != 0);
	for (uint64_t pa = TEST_RAM_BASE; pa < TEST_RAM_BASE + size + 0x40000; pa += 0x1000) {
		unsigned want = pa >= root && pa < root_end ? GPI_ROOT
				: pa < TEST_RAM_BASE + size ? GPI_NS
							    : GPI_ANY;
		struct gpt_result r = gpt_check(g, pa, GPT_PAS_ROOT);
		if (r.gpi != want) {
			fail_msg("granule %#llx: GPI %#x, want %#x", (unsigned long long)pa, r.gpi,
				 want);
		}
	}
	gpt_destroy(g);
	test_machine_destroy(m);
}

static void views_follow_transitions(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(gpt_delegate(f->g, PA_X), E_RMM_OK);
	expect_views(f, PA_X, 0, CPU_ACCESS_ALL);
	expect_views(f, PA_X - 0x1000, CPU_ACCESS_ALL, REALM_ON_NS);
	expect_views(f, PA_X + 0x1000, CPU_ACCESS_ALL, REALM_ON_NS);
	assert_int_equal(gpt_undelegate(f->g, PA_X), E_RMM_OK);
	expect_views(f, PA_X, CPU_ACCESS_ALL, REALM_ON_NS);

	/* Raw GPI writes: every GPI seen from both worlds. */
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_ANY), 0);
	expect_views(f, PA_X, CPU_ACCESS_ALL, CPU_ACCESS_ALL);
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_NO_ACCESS), 0);
	expect_views(f, PA_X, 0, 0);
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_SECURE), 0);
	expect_views(f, PA_X, 0, 0);
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_ROOT), 0);
	expect_views(f, PA_X, 0, 0);
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_REALM), 0);
	expect_views(f, PA_X, 0, CPU_ACCESS_ALL);
	/* A reserved GPI is a walk fault: denied in every view. */
	assert_int_equal(gpt_set_gpi(f->g, PA_X, 0xe), 0);
	expect_views(f, PA_X, 0, 0);
	assert_int_equal(gpt_set_gpi(f->g, PA_X, GPI_NS), 0);
	expect_views(f, PA_X, CPU_ACCESS_ALL, REALM_ON_NS);
}

static void nibble_zero_turning_contiguous(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t base = PA_X & ~0xffffULL;

	/* 0b0001 in nibble 0 makes the word a (here invalid) Contiguous descriptor: all 16
	 * granules it covers fault, and the views say so. */
	assert_int_equal(gpt_set_gpi(f->g, base, 0x1), 0);
	for (uint64_t a = base; a < base + 0x10000; a += 0x1000) {
		expect_views(f, a, 0, 0);
	}
	expect_views(f, base + 0x10000, CPU_ACCESS_ALL, REALM_ON_NS);
}

static void invalidate_all_rederives_from_memory(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t l0_ram = (gpt_gptbr_el3(f->g) << 12) + (TEST_RAM_BASE >> 30) * 8;
	uint64_t saved = test_peek64(f->m, l0_ram);

	/* Until the "TLBI PAALL" the views are what they were. */
	test_poke64(f->m, l0_ram, ((uint64_t)GPI_REALM << 4) | 0x1);
	expect_views(f, PA_X, CPU_ACCESS_ALL, REALM_ON_NS);
	gpt_invalidate_all(f->g);
	expect_views(f, PA_X, 0, CPU_ACCESS_ALL);
	expect_views(f, gpt_root_base(f->g), 0, CPU_ACCESS_ALL); /* the block overrides */

	/* An invalid L0 entry: a walk fault for every granule, denied everywhere. */
	test_poke64(f->m, l0_ram, 0);
	gpt_invalidate_all(f->g);
	expect_views(f, TEST_RAM_BASE, 0, 0);
	expect_views(f, PA_X, 0, 0);
	expect_views(f, TEST_RAM_BASE + TEST_RAM_SIZE - 0x1000, 0, 0);

	/* An L1 table address beyond PPS: an address size fault, denied everywhere. */
	test_poke64(f->m, l0_ram, (1ULL << 40) | 0x3);
	gpt_invalidate_all(f->g);
	expect_views(f, PA_X, 0, 0);

	test_poke64(f->m, l0_ram, saved);
	gpt_invalidate_all(f->g);
	expect_views(f, PA_X, CPU_ACCESS_ALL, REALM_ON_NS);
	expect_views(f, gpt_root_base(f->g), 0, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, gpt_fixture_setup, gpt_fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(views_after_create),
	    cmocka_unit_test(initial_gpis_at_unaligned_ends),
	    T(views_follow_transitions),
	    T(nibble_zero_turning_contiguous),
	    T(invalidate_all_rederives_from_memory),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
