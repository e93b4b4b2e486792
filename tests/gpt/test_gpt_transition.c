/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Delegation and undelegation as EL3 performs RMM_GTSI_(UN)DELEGATE: the L1 nibble, the
 * errors in TF-A's order, the views of both worlds, and the "gpt" trace events.
 */
#include "abi/abi.h"
#include "gpt/gpt.h"
#include "test_machine.h"
#include "trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PA_GRANULE (TEST_RAM_BASE + 0x345000)

static unsigned nibble(struct gpt_fixture *f, uint64_t pa)
{
	uint64_t l0 = test_peek64(f->m, (gpt_gptbr_el3(f->g) << 12) + ((pa >> 30) & 0x3ff) * 8);
	uint64_t l1 = l0 & 0x000ffffffffff000ULL;
	uint64_t word = test_peek64(f->m, l1 + ((pa >> 16) & 0x3fff) * 8);

	return (unsigned)(word >> (4 * ((pa >> 12) & 0xf))) & 0xf;
}

static void expect_event(struct gpt_fixture *f, size_t i, uint64_t pa, const char *from,
			 const char *to)
{
	const struct trace_event *ev = trace_get(f->t, i);
	const struct trace_field *fl;

	assert_non_null(ev);
	assert_string_equal(ev->type, "gpt");
	fl = trace_field(ev, "pa");
	assert_non_null(fl);
	assert_int_equal(fl->kind, TV_HEX);
	assert_int_equal(fl->num, pa);
	fl = trace_field(ev, "from");
	assert_non_null(fl);
	assert_int_equal(fl->kind, TV_NAME);
	assert_string_equal(fl->str, from);
	fl = trace_field(ev, "to");
	assert_non_null(fl);
	assert_int_equal(fl->kind, TV_NAME);
	assert_string_equal(fl->str, to);
}

static void delegate_then_undelegate_restores_ns(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(nibble(f, PA_GRANULE), GPI_NS);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(nibble(f, PA_GRANULE), GPI_REALM);
	/* Only that granule changed. */
	assert_int_equal(nibble(f, PA_GRANULE - 0x1000), GPI_NS);
	assert_int_equal(nibble(f, PA_GRANULE + 0x1000), GPI_NS);
	assert_int_equal(gpt_check(f->g, PA_GRANULE, GPT_PAS_NS).fault, GPT_FAULT_GPF);
	assert_int_equal(gpt_check(f->g, PA_GRANULE, GPT_PAS_REALM).fault, GPT_OK);

	assert_int_equal(gpt_undelegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(nibble(f, PA_GRANULE), GPI_NS);
	assert_int_equal(gpt_check(f->g, PA_GRANULE, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(f->g, PA_GRANULE, GPT_PAS_REALM).fault, GPT_FAULT_GPF);
}

static void wrong_source_pas(void **state)
{
	struct gpt_fixture *f = *state;

	/* Delegating a Realm granule, undelegating an NS one. */
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_BAD_PAS);
	assert_int_equal(nibble(f, PA_GRANULE), GPI_REALM);
	assert_int_equal(gpt_undelegate(f->g, PA_GRANULE + 0x1000), E_RMM_BAD_PAS);
	assert_int_equal(nibble(f, PA_GRANULE + 0x1000), GPI_NS);
	/* Root, Secure, no-access and any granules move nowhere. */
	assert_int_equal(gpt_delegate(f->g, gpt_root_base(f->g)), E_RMM_BAD_PAS);
	assert_int_equal(gpt_undelegate(f->g, gpt_root_base(f->g)), E_RMM_BAD_PAS);
	const unsigned others[] = {GPI_SECURE, GPI_NO_ACCESS, GPI_ANY, GPI_ROOT, 0x5};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(gpt_set_gpi(f->g, PA_GRANULE + 0x2000, others[i]), 0);
		assert_int_equal(gpt_delegate(f->g, PA_GRANULE + 0x2000), E_RMM_BAD_PAS);
		assert_int_equal(gpt_undelegate(f->g, PA_GRANULE + 0x2000), E_RMM_BAD_PAS);
		assert_int_equal(nibble(f, PA_GRANULE + 0x2000), others[i]);
	}
	/* Non-RAM granules in the L1 table are ANY. */
	assert_int_equal(gpt_delegate(f->g, TEST_RAM_BASE + TEST_RAM_SIZE), E_RMM_BAD_PAS);
	/* Only the successful delegate was an event. */
	assert_int_equal(trace_count(f->t), 1);
}

static void bad_addresses(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(gpt_delegate(f->g, PA_GRANULE + 0x800), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE + 8), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_undelegate(f->g, PA_GRANULE + 0x10), E_RMM_BAD_ADDR);
	assert_int_equal(nibble(f, PA_GRANULE), GPI_NS);
	/* At and beyond PPS. */
	assert_int_equal(gpt_delegate(f->g, 1ULL << 40), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_delegate(f->g, (1ULL << 44) + 0x1000), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_undelegate(f->g, 1ULL << 40), E_RMM_BAD_ADDR);
	/* Block-mapped regions (every L0 entry but RAM's) are static. */
	assert_int_equal(gpt_delegate(f->g, 0x40000000ULL), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_delegate(f->g, 0), E_RMM_BAD_ADDR);
	assert_int_equal(gpt_undelegate(f->g, (1ULL << 40) - 0x1000), E_RMM_BAD_ADDR);
	/* An RAM region turned into a block by a descriptor write behind the library's back. */
	uint64_t d = (gpt_gptbr_el3(f->g) << 12) + (TEST_RAM_BASE >> 30) * 8;
	uint64_t saved = test_peek64(f->m, d);
	test_poke64(f->m, d, ((uint64_t)GPI_NS << 4) | 0x1);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_BAD_ADDR);
	/* ...or an invalid L0 entry. */
	test_poke64(f->m, d, 0);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_BAD_ADDR);
	test_poke64(f->m, d, saved);
	assert_int_equal(nibble(f, PA_GRANULE), GPI_NS);
	assert_int_equal(trace_count(f->t), 0);
}

static void views_follow(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, PA_GRANULE), CPU_ACCESS_ALL);
	/* An NS granule is data the Realm PE may reach through an Unprotected mapping. */
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, PA_GRANULE),
			 CPU_ACCESS_READ | CPU_ACCESS_WRITE);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, PA_GRANULE), 0);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, PA_GRANULE), CPU_ACCESS_ALL);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, PA_GRANULE + 0x1000), CPU_ACCESS_ALL);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, PA_GRANULE + 0x1000),
			 CPU_ACCESS_READ | CPU_ACCESS_WRITE);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, PA_GRANULE - 0x1000), CPU_ACCESS_ALL);
	assert_int_equal(gpt_undelegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_NS, PA_GRANULE), CPU_ACCESS_ALL);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, PA_GRANULE),
			 CPU_ACCESS_READ | CPU_ACCESS_WRITE);
}

/* The views and the check agree on [base, base + n granules). */
static void expect_views_match(struct gpt_fixture *f, uint64_t base, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = base + i * 0x1000;
		unsigned ns = gpt_check(f->g, pa, GPT_PAS_NS).fault == GPT_OK ? CPU_ACCESS_ALL : 0;
		unsigned realm =
		    gpt_check(f->g, pa, GPT_PAS_REALM).fault == GPT_OK ? CPU_ACCESS_ALL : 0;
		if (ns) {
			realm |= CPU_ACCESS_READ | CPU_ACCESS_WRITE;
		}
		if (cpu_view_get(f->m, CPU_WORLD_NS, pa) != ns ||
		    cpu_view_get(f->m, CPU_WORLD_REALM, pa) != realm) {
			fail_msg("granule at %#llx: views %#x/%#x, the check says %#x/%#x",
				 (unsigned long long)pa, cpu_view_get(f->m, CPU_WORLD_NS, pa),
				 cpu_view_get(f->m, CPU_WORLD_REALM, pa), ns, realm);
		}
	}
}

/* The L0 and L1 descriptors that hold pa's GPI (the fixture: L0 per GB, L1 per 64 KB). */
static uint64_t l0_desc(struct gpt_fixture *f, uint64_t pa)
{
	return (gpt_gptbr_el3(f->g) << 12) + ((pa >> 30) & 0x3ff) * 8;
}

static uint64_t l1_desc(struct gpt_fixture *f, uint64_t pa)
{
	return (test_peek64(f->m, l0_desc(f, pa)) & 0x000ffffffffff000ULL) +
	       ((pa >> 16) & 0x3fff) * 8;
}

/* The views, built with a walk per descriptor for both worlds, give what the granule
 * protection check gives each PAS granule by granule: every GPI in a Granules descriptor,
 * invalid nibbles, a Contiguous descriptor and a level-0 block (the Realm view adds NS
 * granules' data). */
static void views_match_the_check(void **state)
{
	struct gpt_fixture *f = *state;
	static const unsigned gpis[] = {GPI_NS,   GPI_REALM, GPI_SECURE,
					GPI_ROOT, GPI_ANY,   GPI_NO_ACCESS};
	const uint64_t base = PA_GRANULE, n = 64;
	for (uint64_t i = 0; i < n; i++) {
		assert_int_equal(gpt_set_gpi(f->g, base + i * 0x1000, gpis[(i * 7) % 6]), 0);
	}
	/* a Granules descriptor with invalid GPIs (2, 5) among valid ones */
	const uint64_t odd = (base + 0x100000) & ~0xffffULL, contig = odd + 0x10000;
	test_poke64(f->m, l1_desc(f, odd), 0x9b2f5a0b9b2f5a0bULL);
	/* a Contiguous descriptor: GPI REALM for its 16 granules */
	test_poke64(f->m, l1_desc(f, contig), ((uint64_t)GPI_REALM << 4) | (1ULL << 8) | 0x1);
	gpt_invalidate_all(f->g);
	expect_views_match(f, base, (contig + 0x20000 - base) / 0x1000);
	/* a level-0 block: its whole region at once */
	test_poke64(f->m, l0_desc(f, base), ((uint64_t)GPI_ANY << 4) | 0x1);
	gpt_invalidate_all(f->g);
	expect_views_match(f, base, 64);
	assert_int_equal(cpu_view_get(f->m, CPU_WORLD_REALM, base), CPU_ACCESS_ALL);
}

static void trace_events(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(trace_count(f->t), 0);
	assert_int_equal(gpt_delegate(f->g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(trace_count(f->t), 1);
	expect_event(f, 0, PA_GRANULE, "NS", "REALM");
	assert_int_equal(gpt_undelegate(f->g, PA_GRANULE), E_RMM_OK);
	/* One event: the NO_ACCESS step in between is not a transition of its own. */
	assert_int_equal(trace_count(f->t), 2);
	expect_event(f, 1, PA_GRANULE, "REALM", "NS");
	/* Raw writes are set-up, not transitions. */
	assert_int_equal(gpt_set_gpi(f->g, PA_GRANULE, GPI_REALM), 0);
	assert_int_equal(trace_count(f->t), 2);
}

static void untraced_gpt_works(void **state)
{
	struct cpu_machine *m = test_machine_create(TEST_RAM_BASE, TEST_RAM_SIZE, TEST_PA_BITS);
	struct gpt *g = NULL;
	(void)state;

	assert_int_equal(gpt_create(m, NULL, NULL, &g), 0);
	assert_int_equal(gpt_delegate(g, PA_GRANULE), E_RMM_OK);
	assert_int_equal(gpt_undelegate(g, PA_GRANULE), E_RMM_OK);
	gpt_destroy(g);
	test_machine_destroy(m);
}

/* A 2 MB Contiguous descriptor is split into Granules descriptors before one granule moves. */
static void delegate_in_contiguous_block(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t block = TEST_RAM_BASE + 0x400000;
	uint64_t l0 = test_peek64(f->m, (gpt_gptbr_el3(f->g) << 12) + (TEST_RAM_BASE >> 30) * 8);
	uint64_t d0 = (l0 & 0x000ffffffffff000ULL) + ((block >> 16) & 0x3fff) * 8;

	for (int i = 0; i < 32; i++) {
		test_poke64(f->m, d0 + 8 * i, (0x1ULL << 8) | ((uint64_t)GPI_NS << 4) | 0x1);
	}
	assert_int_equal(gpt_delegate(f->g, block + 0x123000), E_RMM_OK);
	for (uint64_t a = block; a < block + 0x200000; a += 0x1000) {
		unsigned want = a == block + 0x123000 ? GPI_REALM : GPI_NS;

		assert_int_equal(nibble(f, a), want);
		assert_int_equal(gpt_check(f->g, a, GPT_PAS_NS).fault,
				 want == GPI_NS ? GPT_OK : GPT_FAULT_GPF);
	}
	/* The descriptors around the block were left alone. */
	assert_int_equal(test_peek64(f->m, d0 - 8), 0x9999999999999999ULL);
	assert_int_equal(test_peek64(f->m, d0 + 32 * 8), 0x9999999999999999ULL);
	/* A Contiguous descriptor with a reserved Contig field cannot be split. */
	test_poke64(f->m, d0 + 8, ((uint64_t)GPI_NS << 4) | 0x1);
	assert_int_equal(gpt_delegate(f->g, block + 0x10000), E_RMM_BAD_ADDR);
}

static void set_gpi_refusals(void **state)
{
	struct gpt_fixture *f = *state;

	assert_int_equal(gpt_set_gpi(f->g, PA_GRANULE, 0x10), -1);
	assert_int_equal(gpt_set_gpi(f->g, PA_GRANULE + 4, GPI_REALM), -1);
	assert_int_equal(gpt_set_gpi(f->g, 0x40000000ULL, GPI_REALM), -1); /* block */
	assert_int_equal(gpt_set_gpi(f->g, 1ULL << 40, GPI_REALM), -1);    /* above PPS */
	assert_int_equal(nibble(f, PA_GRANULE), GPI_NS);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, gpt_fixture_setup, gpt_fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(delegate_then_undelegate_restores_ns),
	    T(wrong_source_pas),
	    T(bad_addresses),
	    T(views_follow),
	    T(views_match_the_check),
	    T(trace_events),
	    cmocka_unit_test(untraced_gpt_works),
	    T(delegate_in_contiguous_block),
	    T(set_gpi_refusals),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
