/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu runs of a Realm PE without the memory hook (mem_checks.c): when its stage 2 proves
 * every access allowed, and only then; what the hook did besides checking (the FAR of a data
 * abort, written granules) still happens; code translated without the hook never runs with it.
 */
#include "a64.h"
#include "cpu_test.h"

#define NS_CODE (RAM_BASE + 0x400000)

/* realm_setup, with the tables out of the NS world's reach, as the GPT has an RTT's granule. */
static void realm_setup_private(struct cpu_machine *m, const uint32_t *code, size_t n)
{
	realm_setup(m, code, n);
	cpu_view_set(m, CPU_WORLD_NS, TABLES_A, 3 * 4096, 0);
}

struct probe_count {
	unsigned hits;
};

static void count_probe(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct probe_count *c = ctx;

	(void)pe;
	(void)va;
	c->hits++;
}

/* A data abort without the hook: FAR, ESR and the count as with it, the probe fired once. */
void test_unhooked_abort(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(5, 0x2000, 0), a64_ldr(4, 5, 0), a64_smc(0)};
	struct probe_count c = {0};
	struct cpu_trap t;

	realm_setup_private(m, code, 3);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_REALM, 4, count_probe, &c), 0);
	cpu_pe_set_x(pe, 4, 0xdead);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_false(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_true(t.s2);
	assert_int_equal(t.pc, 4);
	assert_int_equal(t.far, 0x2000);
	assert_int_equal(t.hpfar, 0x20);
	assert_int_equal(t.access, CPU_ACCESS_READ);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_DABT_ISV |
				    ISS_SAS(3) | ISS_SRT(4) | ESR_DABT_SF | ESR_FSC_TRANS(3));
	assert_int_equal(cpu_pe_get_x(pe, 4), 0xdead);
	assert_int_equal(t.insns, 1);
	assert_int_equal(c.hits, 1);
}

/* A view that no longer allows what the stage 2 maps brings the hook back, and the code
 * translated without it goes: the same block's store now faults. */
void test_unhooked_then_checked(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(1, 0x1000, 0), a64_ldr(2, 1, 0), a64_str(2, 1, 8),
				 a64_smc(0)};
	struct cpu_trap t;

	realm_setup_private(m, code, 4);
	put64(m, DATA_A, 0x1234);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_false(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(get64(m, DATA_A + 8), 0x1234);

	put64(m, DATA_A, 0x5678);
	cpu_view_set(m, CPU_WORLD_REALM, DATA_A, 4096, CPU_ACCESS_READ);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_true(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(t.pa, DATA_A + 8);
	assert_int_equal(t.pc, 8);
	assert_int_equal(get64(m, DATA_A + 8), 0x1234);

	cpu_view_set(m, CPU_WORLD_REALM, DATA_A, 4096, CPU_ACCESS_ALL);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_false(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(get64(m, DATA_A + 8), 0x5678);
}

/* A realm whose stage 2 maps its own table writable could map anything during the run: the
 * hook stays, and catches the access through the descriptor the realm wrote. */
void test_unhooked_not_own_table(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(1, 0x2000, 0), a64_str(3, 1, 0x18),
				 a64_movz(5, 0x3000, 0), a64_ldr(4, 5, 0), a64_smc(0)};
	struct cpu_trap t;

	realm_setup_private(m, code, 5);
	s2_map(m, TABLES_A, 0x2000, TABLES_A + 0x2000);
	cpu_view_set(m, CPU_WORLD_REALM, GRAN, 4096, 0);
	cpu_pe_set_x(pe, 3, GRAN | S2_PAGE);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_true(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_READ);
	assert_int_equal(t.pa, GRAN);
	assert_int_equal(t.pc, 0xc);
}

/* Tables the NS world may write could change under a proof without C knowing (a host store):
 * the hook stays, and sees the mapping the host added. */
void test_unhooked_not_ns_writable_table(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	struct cpu_pe *host = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {a64_ldr(4, 5, 0), a64_smc(0)};
	const uint32_t host_code[] = {a64_str(3, 2, 0), a64_smc(1)};
	struct cpu_trap t;

	realm_setup(m, code, 2); /* NS views stay open */
	cpu_view_set(m, CPU_WORLD_REALM, GRAN, 4096, 0);
	cpu_pe_set_x(pe, 5, 0x1000);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_true(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);

	put_code(m, NS_CODE, host_code, 2);
	assert_int_equal(cpu_pe_enter_el(host, 2, NS_CODE), 0);
	cpu_pe_set_x(host, 2, TABLES_A + 0x2000 + 3 * 8);
	cpu_pe_set_x(host, 3, GRAN | S2_PAGE);
	assert_int_equal(cpu_pe_run(host, NS_CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);

	cpu_pe_set_x(pe, 5, 0x3000);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, GRAN);
}

/* Stores without the hook still mark their granule written: a reset zeroes it. */
void test_unhooked_store_is_reset(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(1, 0x2000, 0), a64_str(3, 1, 0x20), a64_smc(0)};
	struct cpu_trap t;

	realm_setup_private(m, code, 3);
	s2_map(m, TABLES_A, 0x2000, DATA_B); /* C never writes DATA_B */
	cpu_pe_set_x(pe, 3, 0xfeed);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_false(cpu_pe_mem_checked(pe));
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(*(const uint64_t *)cpu_phys_read(m, DATA_B + 0x20, 8), 0xfeed);
	assert_int_equal(cpu_machine_reset(m, NULL), 0);
	assert_int_equal(*(const uint64_t *)cpu_phys_read(m, DATA_B + 0x20, 8), 0);
}

struct watch_seen {
	struct cpu_machine *m;
	unsigned hits;
	uint64_t va;
};

static void add_watch_probe(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct watch_seen *w = ctx;

	(void)pe;
	(void)va;
	assert_int_equal(cpu_machine_add_watch(w->m, 0x1000, 8, CPU_ACCESS_WRITE), 0);
}

static void on_watch(void *ctx, struct cpu_pe *pe, uint64_t data_va, unsigned access)
{
	struct watch_seen *w = ctx;

	(void)pe;
	(void)access;
	w->hits++;
	w->va = data_va;
	cpu_machine_remove_watch(w->m, 0x1000, 8, CPU_ACCESS_WRITE);
}

/* A watchpoint set from a probe in the middle of a run without the hook (a debugger stopped
 * there): the hook is in before the next instruction, and the watchpoint is hit. */
void test_unhooked_watch_set_mid_run(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(1, 0x1000, 0), a64_movz(9, 1, 0), a64_str(3, 1, 0),
				 a64_smc(0)};
	struct watch_seen w = {m, 0, 0};
	struct probe_count c = {0};
	struct cpu_trap t;

	realm_setup_private(m, code, 4);
	cpu_machine_set_watch_fn(m, on_watch, &w);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_REALM, 4, add_watch_probe, &w), 0);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_REALM, 4, count_probe, &c), 0);
	cpu_pe_set_x(pe, 3, 0xabcd);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(w.hits, 1);
	assert_int_equal(w.va, 0x1000);
	assert_int_equal(c.hits, 1);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(t.insns, 3);
	assert_int_equal(get64(m, DATA_A), 0xabcd);
}
