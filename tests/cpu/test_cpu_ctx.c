/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu contexts: save/load round trip, two contexts with their own stage 2 switched
 * alternately, EL0 contexts, a system register trap, code rewritten between runs.
 */
#include "a64.h"
#include "cpu_test.h"

static void ctx_init(struct cpu_context *c, uint64_t vttbr, uint64_t x0)
{
	memset(c, 0, sizeof(*c));
	c->pstate = 0x3c5; /* EL1h, DAIF masked */
	c->pc = 0;
	c->x[0] = x0;
	c->x[2] = 0x1000;
	c->sp_elx = 0x8000 + x0;
	c->hcr_el2 = HCR_RW | HCR_VM | HCR_TSC;
	c->vtcr_el2 = S2_VTCR;
	c->vttbr_el2 = vttbr;
}

static void run_ctx(struct cpu_pe *pe, struct cpu_context *c, uint64_t want_x0, uint64_t want_x1)
{
	struct cpu_trap t;

	assert_int_equal(cpu_pe_load(pe, c), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(cpu_pe_get_x(pe, 0), want_x0);
	assert_int_equal(cpu_pe_get_x(pe, 1), want_x1);
	cpu_pe_save(pe, c);
	assert_int_equal(c->x[0], want_x0);
	assert_int_equal(c->pc, 8);
}

void test_context_switch(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_ldr(1, 2, 0), a64_add_imm(0, 0, 1), a64_smc(0)};
	struct cpu_context a, b;

	put_code(m, CODE_PA, code, 3);
	s2_init(m, TABLES_A);
	s2_map(m, TABLES_A, 0, CODE_PA);
	s2_map(m, TABLES_A, 0x1000, DATA_A);
	s2_init(m, TABLES_B);
	s2_map(m, TABLES_B, 0, CODE_PA);
	s2_map(m, TABLES_B, 0x1000, DATA_B);
	put64(m, DATA_A, 0xa);
	put64(m, DATA_B, 0xb);
	put64(m, DATA_C, 0xc);
	ctx_init(&a, TABLES_A, 0);
	ctx_init(&b, TABLES_B | (1ULL << 48), 100);

	run_ctx(pe, &a, 1, 0xa);
	run_ctx(pe, &b, 101, 0xb);
	run_ctx(pe, &a, 2, 0xa);
	assert_int_equal(a.sp_elx, 0x8000);
	assert_int_equal(b.sp_elx, 0x8000 + 100);
	/* The RMM remaps B's IPA 0x1000 in memory, with no TLBI the PE could see. */
	s2_map(m, TABLES_B, 0x1000, DATA_C);
	run_ctx(pe, &b, 102, 0xc);
	/* Same context again, so the same VTTBR: only the load's flush can drop the old entry. */
	s2_map(m, TABLES_B, 0x1000, DATA_A);
	run_ctx(pe, &b, 103, 0xa);
	s2_map(m, TABLES_A, 0x1000, DATA_C);
	run_ctx(pe, &a, 3, 0xc);
}

void test_load_save_roundtrip(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	struct cpu_context c, d;

	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < 31; i++) {
		c.x[i] = 0x1000ULL * i + 7;
	}
	c.sp_el0 = 0x100;
	c.sp_elx = 0x200;
	c.pc = 0x80004000;
	c.pstate = 0x600003c5; /* Z, C, DAIF, EL1h */
	c.sctlr_el1 = 0x30d00800;
	c.tcr_el1 = 0x19;
	c.ttbr0_el1 = 0x80010000;
	c.ttbr1_el1 = 0x80020000;
	c.mair_el1 = 0xff;
	c.vbar_el1 = 0x80008000;
	c.elr_el1 = 0x1234;
	c.spsr_el1 = 0x3c5;
	c.esr_el1 = 0x56000000;
	c.far_el1 = 0xabc;
	c.par_el1 = 0x800;
	c.contextidr_el1 = 0x42;
	c.cpacr_el1 = 3ULL << 20;
	c.tpidr_el0 = 0x11;
	c.tpidrro_el0 = 0x22;
	c.tpidr_el1 = 0x33;
	c.cntkctl_el1 = 0x3;
	c.hcr_el2 = HCR_RW | HCR_TSC | HCR_VM;
	c.vtcr_el2 = S2_VTCR;
	c.vttbr_el2 = TABLES_A | (5ULL << 48);
	c.vmpidr_el2 = 0x80000003;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
	memset(&d, 0xee, sizeof(d));
	cpu_pe_save(pe, &d);
	/* AMAIR/AFSRx are RAZ/WI in QEMU 5.0, zero in c: the whole struct must match. */
	assert_memory_equal(&c, &d, sizeof(c));

	/* An EL1t context keeps SP_EL0 live. */
	c.pstate = 0x3c4;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	cpu_pe_save(pe, &d);
	assert_int_equal(d.sp_el0, 0x100);
	assert_int_equal(d.sp_elx, 0x200);
	assert_int_equal(d.pstate, 0x3c4);
}

/* HCR_EL2.TID3: an ID register read at EL1 is a system register trap to EL2 (EC 0x18). */
void test_tid3_trap(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_mrs(3, SYSREG_ENC(3, 0, 0, 4, 0)), a64_smc(0)};
	struct cpu_trap t;

	put_code(m, CODE_PA, code, 2);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW | (1ULL << 18));
	assert_int_equal(cpu_pe_enter_el(pe, 1, CODE_PA), 0);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_UNDEF);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, CODE_PA);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_SYSREG << ESR_EC_SHIFT | ESR_IL | 3ULL << 20 |
				    3ULL << 5 | 4ULL << 1 | 1);
	/* Without TID3 the read just happens. */
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_not_equal(cpu_pe_get_x(pe, 3), 0);
}

/* Realm code rewritten from C is seen at its IPA, with or without a load in between. */
void test_realm_code_rewrite(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	uint32_t code[] = {a64_movz(0, 1, 0), a64_smc(0)};
	struct cpu_context c;
	struct cpu_trap t;

	realm_setup(m, code, 2);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(cpu_pe_get_x(pe, 0), 1);
	code[0] = a64_movz(0, 2, 0);
	put_code(m, CODE_PA, code, 2);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(cpu_pe_get_x(pe, 0), 2);
	cpu_pe_save(pe, &c);
	code[0] = a64_movz(0, 3, 0);
	put_code(m, CODE_PA, code, 2);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, 0, 0, &t), 0);
	assert_int_equal(cpu_pe_get_x(pe, 0), 3);
}

/* An EL0 context: SVC goes to EL1; the PE can be loaded with an EL1 context afterwards. */
void test_el0_context(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(0, 42, 0), a64_svc(1)};
	struct cpu_context c, d;
	struct cpu_trap t;

	put_code(m, CODE_PA, code, 2);
	memset(&c, 0, sizeof(c));
	c.pstate = 0; /* EL0t */
	c.pc = CODE_PA;
	c.hcr_el2 = HCR_RW;
	c.sp_el0 = 0x1111;
	c.sp_elx = 0x2222;
	c.tpidr_el1 = 0x77;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_current_el(pe), 0);
	assert_int_equal(cpu_pe_run(pe, CODE_PA, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SVC);
	assert_int_equal(t.from_el, 0);
	assert_int_equal(t.to_el, 1);
	assert_int_equal(t.esr, (uint64_t)ESR_EC_SVC64 << ESR_EC_SHIFT | ESR_IL | 1);
	assert_int_equal(cpu_pe_get_x(pe, 0), 42);

	c.pstate = 0x3c5;
	c.x[3] = 3;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
	cpu_pe_save(pe, &d);
	assert_int_equal(d.x[3], 3);
	assert_int_equal(d.sp_el0, 0x1111);
	assert_int_equal(d.sp_elx, 0x2222);
	assert_int_equal(d.tpidr_el1, 0x77);
	assert_int_equal(d.hcr_el2, HCR_RW);
	assert_int_equal(d.pc, CODE_PA);

	/* cpu_pe_enter_el from EL0 keeps the registers too. */
	c.pstate = 0;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_enter_el(pe, 1, CODE_PA), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
	assert_int_equal(cpu_pe_get_x(pe, 3), 3);
	assert_int_equal(cpu_pe_get_sysreg(pe, CPU_HCR_EL2), HCR_RW);
}
