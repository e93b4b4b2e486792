/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu memory: stage-2 (and stage-1) translation through descriptors built in RAM, aborts
 * and their syndromes, per-world views (GPF), Unprotected (NS) stage-2 mappings.
 */
#include "a64.h"
#include "cpu_test.h"

void realm_setup(struct cpu_machine *m, const uint32_t *code, size_t n)
{
	s2_init(m, TABLES_A);
	s2_map(m, TABLES_A, 0, CODE_PA);
	s2_map(m, TABLES_A, 0x1000, DATA_A);
	put_code(m, CODE_PA, code, n);
	realm_enter(m, TABLES_A, HCR_VM | HCR_TSC, 0);
}

void test_stage2_translation(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {
	    a64_movz(2, 0x1000, 0), a64_ldr(1, 2, 0), a64_movz(3, 0xbeef, 0),
	    a64_str(3, 2, 8),       a64_smc(0),
	};
	struct cpu_trap t;

	realm_setup(m, code, 5);
	put64(m, DATA_A, 0x1122334455667788ULL);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(t.pc, 0x10);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x1122334455667788ULL);
	assert_int_equal(get64(m, DATA_A + 8), 0xbeef);
	/* IPA 0x1008 is not PA 0x1008: nothing else was written. */
	assert_null(cpu_phys(m, 0x1008, 8));
	assert_int_equal(t.insns, 4);
}

void test_stage2_abort(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {
	    a64_movz(5, 0x2000, 0), a64_ldr(4, 5, 0),    /* 0x0: unmapped at level 3 */
	    a64_movz(6, 0x4000, 1), a64_str(7, 6, 0x10), /* 0x8: unmapped at level 1 */
	    a64_movz(8, 0x3000, 0), a64_br(8),           /* 0x10: fetch unmapped */
	};
	struct cpu_trap t;

	realm_setup(m, code, 6);
	cpu_pe_set_x(pe, 4, 0xdead);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_true(t.s2);
	assert_int_equal(t.from_el, 1);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, 4);
	assert_int_equal(t.return_pc, 4);
	assert_int_equal(t.far, 0x2000);
	assert_int_equal(t.hpfar, 0x20);
	assert_int_equal(t.access, CPU_ACCESS_READ);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_DABT_ISV |
				    ISS_SAS(3) | ISS_SRT(4) | ESR_DABT_SF | ESR_FSC_TRANS(3));
	assert_int_equal(cpu_pe_get_x(pe, 4), 0xdead);
	assert_int_equal(t.insns, 1);

	assert_int_equal(cpu_pe_run(pe, 8, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_true(t.s2);
	assert_int_equal(t.pc, 0xc);
	assert_int_equal(t.far, 0x40000010);
	assert_int_equal(t.hpfar, (0x40000010ULL >> 12) << 4);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_DABT_ISV |
				    ISS_SAS(3) | ISS_SRT(7) | ESR_DABT_SF | ESR_DABT_WNR |
				    ESR_FSC_TRANS(1));

	assert_int_equal(cpu_pe_run(pe, 0x10, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IABT);
	assert_true(t.s2);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, 0x3000);
	assert_int_equal(t.far, 0x3000);
	assert_int_equal(t.hpfar, 0x30);
	assert_int_equal(t.esr,
			 (uint64_t)ESR_EC_IABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_FSC_TRANS(3));
}

void test_view_ns(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {a64_str(1, 2, 0), a64_ldr(3, 2, 8), a64_br(4)};
	const uint32_t target[] = {a64_movz(5, 0x77, 0), a64_smc(1)};
	struct cpu_trap t;

	put_code(m, CODE_PA, code, 3);
	put_code(m, GRAN + 0x800, target, 2);
	put64(m, GRAN, 0xaaaa);
	put64(m, GRAN + 8, 0xbbbb);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE_PA), 0);
	cpu_pe_set_x(pe, 1, 0x1111);
	cpu_pe_set_x(pe, 2, GRAN);
	cpu_pe_set_x(pe, 3, 0x3333);
	cpu_pe_set_x(pe, 4, GRAN + 0x800);
	cpu_pe_set_x(pe, 5, 0x5555);

	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, 0);
	assert_int_equal(cpu_view_get(m, CPU_WORLD_NS, GRAN + 0x10), 0);
	assert_int_equal(cpu_view_get(m, CPU_WORLD_NS, GRAN + 4096), CPU_ACCESS_ALL);
	assert_int_equal(cpu_view_get(m, CPU_WORLD_REALM, GRAN), CPU_ACCESS_ALL);

	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, GRAN);
	assert_int_equal(t.far, GRAN);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(t.pc, CODE_PA);
	assert_int_equal(t.return_pc, CODE_PA);
	assert_int_equal(t.to_el, 2);
	/* What the FVP reports for a store to a delegated granule [ARM:D1.4.5.3]. */
	assert_int_equal(t.esr, 0x96000068ULL);
	assert_int_equal(t.insns, 0);
	assert_int_equal(get64(m, GRAN), 0xaaaa);

	assert_int_equal(cpu_pe_run(pe, CODE_PA + 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, GRAN + 8);
	assert_int_equal(t.far, GRAN + 8);
	assert_int_equal(t.access, CPU_ACCESS_READ);
	assert_int_equal(t.pc, CODE_PA + 4);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_DABT_CUR);
	assert_int_equal(cpu_pe_get_x(pe, 3), 0x3333);
	assert_int_equal(cpu_pe_get_x(pe, 2), GRAN);

	assert_int_equal(cpu_pe_run(pe, CODE_PA + 8, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_FETCH);
	assert_int_equal(t.pa, GRAN + 0x800);
	assert_int_equal(t.far, GRAN + 0x800);
	assert_int_equal(t.pc, GRAN + 0x800);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_IABT_CUR << ESR_EC_SHIFT | ESR_IL | ESR_FSC_GPF);
	assert_int_equal(t.insns, 1);
	assert_int_equal(cpu_pe_get_x(pe, 5), 0x5555);

	/* Read-only: the load passes, the store still faults. */
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, CPU_ACCESS_READ);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(get64(m, GRAN), 0xaaaa);
	assert_int_equal(cpu_pe_run(pe, CODE_PA + 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_FETCH);
	assert_int_equal(cpu_pe_get_x(pe, 3), 0xbbbb);

	/* Allowed again: the same code runs through. */
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, CPU_ACCESS_ALL);
	cpu_pe_set_x(pe, 3, 0x3333);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(ESR_ISS(t.esr), 1);
	assert_int_equal(get64(m, GRAN), 0x1111);
	assert_int_equal(cpu_pe_get_x(pe, 3), 0xbbbb);
	assert_int_equal(cpu_pe_get_x(pe, 5), 0x77);
}

/* DC ZVA writes through a host pointer, not the store path: it is checked all the same. */
void test_view_dc_zva(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {a64_dc_zva(2), a64_smc(0)};
	struct cpu_trap t;

	put_code(m, CODE_PA, code, 2);
	put64(m, GRAN + 0x40, 0xaaaa);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE_PA), 0);
	cpu_pe_set_x(pe, 2, GRAN + 0x48);
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, CPU_ACCESS_READ);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(t.pa, GRAN + 0x40);
	assert_int_equal(t.far, GRAN + 0x48);
	assert_int_equal(t.pc, CODE_PA);
	assert_int_equal(get64(m, GRAN + 0x40), 0xaaaa);
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, CPU_ACCESS_ALL);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(get64(m, GRAN + 0x40), 0);
}

void test_view_realm(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_str(3, 2, 8), a64_ldr(1, 2, 0), a64_smc(0)};
	struct cpu_trap t;

	realm_setup(m, code, 3);
	put64(m, DATA_A, 0x1234);
	put64(m, DATA_A + 8, 0x5678);
	cpu_pe_set_x(pe, 1, 0x1111);
	cpu_pe_set_x(pe, 2, 0x1000);
	cpu_pe_set_x(pe, 3, 0x3333);

	cpu_view_set(m, CPU_WORLD_REALM, DATA_A, 4096, CPU_ACCESS_FETCH);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, DATA_A + 8);
	assert_int_equal(t.far, 0x1008);
	assert_int_equal(t.access, CPU_ACCESS_WRITE);
	assert_int_equal(t.pc, 0);
	assert_int_equal(t.from_el, 1);
	assert_int_equal(t.to_el, 1);
	assert_int_equal(t.esr, 0x96000068ULL);
	assert_int_equal(get64(m, DATA_A + 8), 0x5678);

	assert_int_equal(cpu_pe_run(pe, 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, DATA_A);
	assert_int_equal(t.far, 0x1000);
	assert_int_equal(t.access, CPU_ACCESS_READ);
	assert_int_equal(t.pc, 4);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x1111);

	/* The NS view does not govern the realm PE. */
	cpu_view_set(m, CPU_WORLD_REALM, DATA_A, 4096, CPU_ACCESS_ALL);
	cpu_view_set(m, CPU_WORLD_NS, DATA_A, 4096, 0);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(get64(m, DATA_A + 8), 0x3333);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x1234);

	/* Fetch from a granule the realm view denies. */
	cpu_view_set(m, CPU_WORLD_REALM, CODE_PA, 4096, CPU_ACCESS_READ | CPU_ACCESS_WRITE);
	assert_int_equal(cpu_pe_run(pe, 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.access, CPU_ACCESS_FETCH);
	assert_int_equal(t.pa, CODE_PA + 4);
	assert_int_equal(t.far, 4);
	assert_int_equal(t.insns, 0);
}

/*
 * A realm access through an Unprotected mapping (stage-2 NS bit 55) is an NS-PAS access:
 * checked against the NS view, and never executable.
 */
void test_unprotected_ipa(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_ldr(1, 2, 0), a64_smc(0), a64_br(2)};
	struct cpu_trap t;

	realm_setup(m, code, 3);
	put64(m, TABLES_A + 0x2000 + 2 * 8, GRAN | S2_PAGE | (1ULL << 55)); /* IPA 0x2000 */
	put64(m, GRAN, 0x4242);
	cpu_pe_set_x(pe, 2, 0x2000);
	/* Realm view denies the NS granule, NS view allows it: the load passes. */
	cpu_view_set(m, CPU_WORLD_REALM, GRAN, 4096, 0);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x4242);
	/* NS view denies it: GPF, whatever the realm view says. */
	cpu_view_set(m, CPU_WORLD_REALM, GRAN, 4096, CPU_ACCESS_ALL);
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, 0);
	cpu_pe_set_x(pe, 1, 0);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, GRAN);
	assert_int_equal(t.far, 0x2000);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0);
	/* Executing NS memory: stage-2 permission fault. */
	cpu_view_set(m, CPU_WORLD_NS, GRAN, 4096, CPU_ACCESS_ALL);
	assert_int_equal(cpu_pe_run(pe, 8, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IABT);
	assert_true(t.s2);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, 0x2000);
	assert_int_equal(t.hpfar, 0x20);
	assert_int_equal(t.esr,
			 (uint64_t)ESR_EC_IABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_FSC_PERM(3));
	assert_int_equal(t.insns, 1);
}

/* Stage 1 at EL1 (stage 2 off): a translation fault is a data abort taken to EL1. */
void test_stage1_abort(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_ldr(1, 2, 0), a64_str(1, 5, 0)};
	struct cpu_trap t;

	put_code(m, CODE_PA, code, 2);
	s2_init(m, TABLES_A);
	put64(m, TABLES_A + 0x2000, CODE_PA | 0x703); /* VA 0: page, AF, SH, AttrIndx 0 */
	put64(m, TABLES_A + 0x2008, DATA_A | 0x703);  /* VA 0x1000 */
	put64(m, DATA_A, 0x77);
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 10, 2, 0), 0xff); /* MAIR_EL1 */
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 2), 32 | (1 << 23) | (2ULL << 32)); /* TCR */
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 0), TABLES_A); /* TTBR0_EL1 */
	cpu_pe_set_sysreg(pe, CPU_SCTLR_EL1, 1);                    /* M */
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW);
	assert_int_equal(cpu_pe_enter_el(pe, 1, 0), 0);
	cpu_pe_set_x(pe, 2, 0x1000);
	cpu_pe_set_x(pe, 5, 0x5008);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x77);
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_false(t.s2);
	assert_int_equal(t.from_el, 1);
	assert_int_equal(t.to_el, 1);
	assert_int_equal(t.pc, 4);
	assert_int_equal(t.far, 0x5008);
	assert_int_equal(t.hpfar, 0);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_CUR << ESR_EC_SHIFT | ESR_IL | ESR_DABT_WNR |
				    ESR_FSC_TRANS(3));
	assert_int_equal(t.insns, 1);
}

/*
 * Stage 1 and stage 2 together (a realm with its MMU on): stage-1 tables live at IPAs; a
 * stage-2 fault on the final IPA and one on a stage-1 table fetch (S1PTW); views apply to the
 * final PA.
 */
void test_nested_translation(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_ldr(1, 2, 0), a64_ldr(4, 5, 0), a64_ldr(6, 7, 0)};
	const uint64_t s1 = TABLES_B; /* stage-1 L1, L2, L3 at IPA 0x4000, 0x5000, 0x6000 */
	struct cpu_trap t;

	realm_setup(m, code, 3);
	for (unsigned i = 0; i < 3; i++) {
		s2_map(m, TABLES_A, 0x4000 + 0x1000 * i, s1 + 0x1000 * i);
	}
	memset(cpu_phys(m, s1, 3 * 4096), 0, 3 * 4096);
	put64(m, s1, 0x5000 | 3);
	put64(m, s1 + 0x1000, 0x6000 | 3);
	put64(m, s1 + 0x1000 + 8, 0x8000 | 3); /* VA 2 MB: L3 at an IPA stage 2 lacks */
	put64(m, s1 + 0x2000, 0x0000 | 0x703);
	put64(m, s1 + 0x2008, 0x1000 | 0x703);
	put64(m, s1 + 0x2010, 0x7000 | 0x703); /* VA 0x2000 -> IPA 0x7000, not in stage 2 */
	put64(m, DATA_A, 0x77);
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 10, 2, 0), 0xff);
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 2), 32 | (1 << 23) | (2ULL << 32));
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 0), 0x4000);
	cpu_pe_set_sysreg(pe, CPU_SCTLR_EL1, 1);
	cpu_pe_set_x(pe, 2, 0x1000);
	cpu_pe_set_x(pe, 5, 0x2000);
	cpu_pe_set_x(pe, 7, 0x200000);

	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x77);
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_true(t.s2);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, 4);
	assert_int_equal(t.far, 0x2000);
	assert_int_equal(t.hpfar, 0x70);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | ESR_DABT_ISV |
				    ISS_SAS(3) | ISS_SRT(4) | ESR_DABT_SF | ESR_FSC_TRANS(3));

	assert_int_equal(cpu_pe_run(pe, 8, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_DABT);
	assert_true(t.s2);
	assert_int_equal(t.far, 0x200000);
	assert_int_equal(t.hpfar, 0x80);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | (1ULL << 7) |
				    ESR_FSC_TRANS(3));

	cpu_view_set(m, CPU_WORLD_REALM, DATA_A, 4096, 0);
	cpu_pe_set_x(pe, 1, 0);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_GPF);
	assert_int_equal(t.pa, DATA_A);
	assert_int_equal(t.far, 0x1000);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0);
}
