/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu: exception levels, traps and their syndromes, budget, instruction hook and probes,
 * all with hand-encoded AArch64 code run by the PEs. Memory tests: test_cpu_mem.c.
 */
#include "a64.h"
#include "cpu_test.h"

#include <stdio.h>
#include <stdlib.h>

#define CODE (RAM_BASE + 0x10000)

static int setup(void **state)
{
	struct cpu_machine *m;

	if (cpu_machine_create(NULL, &m)) {
		return -1;
	}
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	cpu_machine_destroy(*state);
	return 0;
}

void s2_init(struct cpu_machine *m, uint64_t tables)
{
	memset(cpu_phys(m, tables, 3 * 4096), 0, 3 * 4096);
	put64(m, tables, (tables + 0x1000) | 3);          /* L1[0] -> L2 */
	put64(m, tables + 0x1000, (tables + 0x2000) | 3); /* L2[0] -> L3 */
}

void s2_map(struct cpu_machine *m, uint64_t tables, uint64_t ipa, uint64_t pa)
{
	put64(m, tables + 0x2000 + ((ipa >> 12) & 511) * 8, pa | S2_PAGE);
}

void realm_enter(struct cpu_machine *m, uint64_t tables, uint64_t hcr_extra, uint64_t pc)
{
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);

	cpu_pe_set_sysreg(pe, CPU_VTCR_EL2, S2_VTCR);
	cpu_pe_set_sysreg(pe, CPU_VTTBR_EL2, tables);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW | hcr_extra);
	assert_int_equal(cpu_pe_enter_el(pe, 1, pc), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
}

static void test_encodings(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(cpu_disasm(a64_mrs(0, R_CURRENTEL), 0, buf, sizeof(buf)),
			    "mrs x0, currentel");
	assert_string_equal(cpu_disasm(a64_mrs(1, R_HCR_EL2), 0, buf, sizeof(buf)),
			    "mrs x1, hcr_el2");
	assert_string_equal(cpu_disasm(a64_msr(R_VTTBR_EL2, 2), 0, buf, sizeof(buf)),
			    "msr vttbr_el2, x2");
	assert_string_equal(cpu_disasm(a64_smc(0x1234), 0, buf, sizeof(buf)), "smc #0x1234");
	assert_string_equal(cpu_disasm(a64_ldr(4, 5, 8), 0, buf, sizeof(buf)), "ldr x4, [x5, #8]");
	assert_string_equal(cpu_disasm(a64_str(3, 2, 16), 0, buf, sizeof(buf)),
			    "str x3, [x2, #0x10]");
	assert_string_equal(cpu_disasm(a64_b(-4), 0x1004, buf, sizeof(buf)), "b #0x1000");
	assert_string_equal(cpu_disasm(a64_add_reg(2, 0, 1), 0, buf, sizeof(buf)),
			    "add x2, x0, x1");
	assert_string_equal(cpu_disasm(a64_dc_zva(2), 0, buf, sizeof(buf)), "dc zva, x2");
}

/* Code at NS-EL2 reads CurrentEL = 8 and uses EL2 registers. */
static void test_ns_el2(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {
	    a64_mrs(0, R_CURRENTEL),
	    a64_movz(2, 0x1234, 0),
	    a64_msr(R_VTTBR_EL2, 2),
	    a64_mrs(1, R_VTTBR_EL2),
	    a64_smc(0),
	};
	struct cpu_trap t;

	put_code(m, CODE, code, 5);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	assert_int_equal(cpu_pe_current_el(pe), 2);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 0), 8);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x1234);
	assert_int_equal(cpu_pe_get_sysreg(pe, CPU_VTTBR_EL2), 0x1234);
	assert_int_equal(t.from_el, 2);
	assert_int_equal(t.insns, 5);
}

/* Code at R-EL1 reads CurrentEL = 4; an EL2 register is UNDEFINED there. */
static void test_realm_el1_undef(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_mrs(0, R_CURRENTEL), a64_mrs(1, R_HCR_EL2), a64_smc(0)};
	struct cpu_trap t;

	put_code(m, CODE, code, 3);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW);
	assert_int_equal(cpu_pe_enter_el(pe, 1, CODE), 0);
	assert_int_equal(cpu_pe_current_el(pe), 1);
	cpu_pe_set_x(pe, 1, 0x5555);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(cpu_pe_get_x(pe, 0), 4);
	assert_int_equal(cpu_pe_get_x(pe, 1), 0x5555);
	assert_int_equal(t.kind, CPU_TRAP_UNDEF);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_UNKNOWN);
	assert_true(t.esr & ESR_IL);
	assert_int_equal(t.pc, CODE + 4);
	assert_int_equal(t.return_pc, CODE + 4);
	assert_int_equal(t.from_el, 1);
	assert_int_equal(t.to_el, 1);
	assert_int_equal(t.insns, 1);

	/* The same instruction at NS-EL2 works. */
	pe = cpu_pe(m, CPU_WORLD_NS);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW | HCR_TSC);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 1), HCR_RW | HCR_TSC);
}

static void test_smc_el2(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {A64_NOP, a64_smc(0x1234), a64_hvc(0x66)};
	struct cpu_trap t;

	put_code(m, CODE, code, 3);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_SMC64);
	assert_int_equal(ESR_ISS(t.esr), 0x1234);
	assert_true(t.esr & ESR_IL);
	assert_int_equal(t.pc, CODE + 4);
	assert_int_equal(t.return_pc, CODE + 8);
	assert_int_equal(t.from_el, 2);
	assert_int_equal(t.to_el, 3);
	assert_int_equal(t.insns, 2);

	/* Resume after the SMC: HVC at EL2 goes to EL2. */
	assert_int_equal(cpu_pe_run(pe, t.return_pc, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_HVC);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_HVC64);
	assert_int_equal(ESR_ISS(t.esr), 0x66);
	assert_int_equal(t.pc, CODE + 8);
	assert_int_equal(t.return_pc, CODE + 12);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.insns, 1);
}

static void test_el1_traps(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_smc(0x42), a64_hvc(0x5), a64_svc(0x7), A64_UDF};
	struct cpu_trap t;

	put_code(m, CODE, code, 4);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW | HCR_TSC);
	assert_int_equal(cpu_pe_enter_el(pe, 1, CODE), 0);

	/* HCR_EL2.TSC: the SMC traps to EL2, reported at the SMC itself. */
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC_TRAPPED);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_SMC64);
	assert_int_equal(ESR_ISS(t.esr), 0x42);
	assert_int_equal(t.pc, CODE);
	assert_int_equal(t.return_pc, CODE);
	assert_int_equal(t.from_el, 1);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.insns, 0);

	assert_int_equal(cpu_pe_run(pe, CODE + 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_HVC);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_HVC64);
	assert_int_equal(ESR_ISS(t.esr), 5);
	assert_int_equal(t.pc, CODE + 4);
	assert_int_equal(t.return_pc, CODE + 8);
	assert_int_equal(t.to_el, 2);

	assert_int_equal(cpu_pe_run(pe, CODE + 8, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SVC);
	assert_int_equal(ESR_EC(t.esr), ESR_EC_SVC64);
	assert_int_equal(ESR_ISS(t.esr), 7);
	assert_int_equal(t.pc, CODE + 8);
	assert_int_equal(t.return_pc, CODE + 12);
	assert_int_equal(t.to_el, 1);

	assert_int_equal(cpu_pe_run(pe, CODE + 12, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_UNDEF);
	assert_int_equal(t.pc, CODE + 12);
	assert_int_equal(t.esr, ESR_IL);

	/* Without TSC an EL1 SMC goes to EL3, PC after it. */
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(t.pc, CODE);
	assert_int_equal(t.return_pc, CODE + 4);
	assert_int_equal(t.to_el, 3);
	assert_int_equal(t.insns, 1);
}

/* WFI trapped by HCR_EL2.TWI (EC 0x01 to EL2), BRK (EC 0x3C), a WFI that halts the PE. */
static void test_wfx_brk(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {A64_WFI, 0xd4200000U | (0x99 << 5) /* brk #0x99 */, a64_smc(0)};
	struct cpu_trap t;

	put_code(m, CODE, code, 3);
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW | (1ULL << 13));
	assert_int_equal(cpu_pe_enter_el(pe, 1, CODE), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_WFX);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.pc, CODE);
	assert_int_equal(t.return_pc, CODE + 4);
	assert_int_equal(t.esr, 0x01ULL << ESR_EC_SHIFT | ESR_IL);

	assert_int_equal(cpu_pe_run(pe, CODE + 4, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_ERROR);
	assert_int_equal(t.pc, CODE + 4);
	assert_int_equal(t.esr, 0x3CULL << ESR_EC_SHIFT | ESR_IL | 0x99);

	/* Without TWI, and with nothing that could wake it, the WFI waits forever: the run
	 * ends there (IDLE), resumable after it. */
	cpu_pe_set_sysreg(pe, CPU_HCR_EL2, HCR_RW);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IDLE);
	assert_int_equal(t.pc, CODE);
	assert_int_equal(t.return_pc, CODE + 4);
}

#define CNTVCT    SYSREG_ENC(3, 3, 14, 0, 2)
#define CNTFRQ    SYSREG_ENC(3, 3, 14, 0, 0)
#define CNTV_CTL  SYSREG_ENC(3, 3, 14, 3, 1)
#define CNTV_TVAL SYSREG_ENC(3, 3, 14, 3, 0)
#define ICC_IAR1  SYSREG_ENC(3, 0, 12, 12, 0)
#define ICC_EOIR1 SYSREG_ENC(3, 0, 12, 12, 1)

/* A realm context at EL1h with the MMU off, DAIF as given, code at CODE. */
static void guest_ctx(struct cpu_context *c, uint64_t daif)
{
	memset(c, 0, sizeof(*c));
	c->pc = CODE;
	c->pstate = 0x5 | daif;
	c->hcr_el2 = HCR_RW | HCR_IMO;
	c->sctlr_el1 = 0x30d00800ULL;
}

/* Virtual time: the counter follows executed instructions (here 1 tick per instruction),
 * CNTFRQ is the configured frequency, a timer's TVAL counts down from a write. */
static void test_virtual_counter(void **state)
{
	(void)state;
	struct cpu_config cfg = {.cnt_hz = 1000, .insn_hz = 1000};
	struct cpu_machine *m;
	assert_int_equal(cpu_machine_create(&cfg, &m), 0);
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {
	    a64_mrs(0, CNTVCT), A64_NOP,   A64_NOP, A64_NOP, a64_mrs(1, CNTVCT),
	    a64_mrs(2, CNTFRQ), a64_smc(0)};
	struct cpu_context c;
	struct cpu_trap t;
	put_code(m, CODE, code, 7);
	guest_ctx(&c, PSTATE_DAIF);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 1) - cpu_pe_get_x(pe, 0), 4);
	assert_int_equal(cpu_pe_get_x(pe, 2), 1000);
	cpu_machine_destroy(m);
}

/* An enabled virtual timer fires as a physical interrupt to EL2 (PSTATE.I notwithstanding);
 * a WFI that waits for it jumps the clock to the moment it fires. */
static void test_timer_fires(void **state)
{
	(void)state;
	struct cpu_config cfg = {.cnt_hz = 1000, .insn_hz = 1000};
	struct cpu_machine *m;
	assert_int_equal(cpu_machine_create(&cfg, &m), 0);
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {a64_movz(0, 1000, 0),
				 a64_msr(CNTV_TVAL, 0),
				 a64_movz(0, 1, 0),
				 a64_msr(CNTV_CTL, 0),
				 A64_WFI,
				 a64_smc(0)};
	struct cpu_context c;
	struct cpu_trap t;
	put_code(m, CODE, code, 6);
	guest_ctx(&c, PSTATE_DAIF);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IRQ);
	assert_int_equal(t.to_el, 2);
	assert_int_equal(t.return_pc, CODE + 20); /* after the WFI */
	cpu_pe_save(pe, &c);
	assert_int_equal(c.cntv_ctl, CNT_CTL_ENABLE | CNT_CTL_ISTATUS); /* ISTATUS: due */
	assert_true(c.cntv_cval >= 1000);
	/* Re-entered with the timer still armed and due: it fires again at once. */
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE + 20, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IRQ);
	assert_int_equal(t.pc, CODE + 20);
	cpu_machine_destroy(m);
}

/* The host's interrupt (cpu_machine_set_host_irq): a running realm traps to EL2 when the
 * counter reaches its time, whatever PSTATE.I; a WFI waits for it rather than idling; once
 * the host sets none, the same WFI has nothing to wait for. */
static void test_host_irq(void **state)
{
	(void)state;
	struct cpu_config cfg = {.cnt_hz = 1000, .insn_hz = 1000};
	struct cpu_machine *m;
	assert_int_equal(cpu_machine_create(&cfg, &m), 0);
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {A64_NOP, A64_NOP, A64_NOP, A64_NOP, A64_NOP,
				 A64_NOP, A64_NOP, A64_NOP, A64_WFI, a64_smc(0)};
	struct cpu_context c;
	struct cpu_trap t;
	put_code(m, CODE, code, 10);
	guest_ctx(&c, PSTATE_DAIF);
	uint64_t start = cpu_machine_counter(m);
	cpu_machine_set_host_irq(m, start + 3);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IRQ);
	assert_int_equal(t.to_el, 2);
	assert_true(t.pc > CODE && t.pc < CODE + 32); /* among the NOPs */
	assert_true(cpu_machine_counter(m) >= start + 3);
	cpu_pe_save(pe, &c);
	/* Later, in the WFI: time passes until the interrupt. */
	cpu_machine_set_host_irq(m, start + 500);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE + 32, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IRQ);
	assert_int_equal(cpu_machine_counter(m), start + 500);
	/* None set: the WFI idles. */
	cpu_machine_set_host_irq(m, UINT64_MAX);
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE + 32, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_IDLE);
	cpu_machine_destroy(m);
}

/* A pending Group 1 List Register: the run stops for the virtual IRQ once PSTATE.I is clear;
 * IAR1 acknowledges it (the LR turns active), EOIR1 deactivates it. */
static void test_virtual_irq(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_REALM);
	const uint32_t code[] = {A64_NOP, a64_mrs(0, ICC_IAR1), a64_msr(ICC_EOIR1, 0),
				 a64_mrs(1, ICC_IAR1), a64_smc(0)};
	struct cpu_context c;
	struct cpu_trap t;
	put_code(m, CODE, code, 5);
	guest_ctx(&c, PSTATE_DAIF & ~PSTATE_I);
	c.ich_hcr = ICH_HCR_EN;
	c.ich_vmcr = ICH_VMCR_VENG1 | (0xf0ULL << 24);
	c.ich_lr[0] = (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | INTID_VTIMER;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 1000, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_VIRQ);
	assert_int_equal(t.pc, CODE);
	/* Masked, the same code runs through: IAR1 returns the interrupt, then spurious. */
	guest_ctx(&c, PSTATE_DAIF);
	c.ich_hcr = ICH_HCR_EN;
	c.ich_vmcr = ICH_VMCR_VENG1 | (0xf0ULL << 24);
	c.ich_lr[0] = (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | INTID_VTIMER;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 1000, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 0), INTID_VTIMER);
	assert_int_equal(cpu_pe_get_x(pe, 1), 1023);
	cpu_pe_save(pe, &c);
	assert_int_equal(c.ich_lr[0] >> 62, 0); /* invalid again: handled */
	/* Below the priority mask it is never signalled. */
	guest_ctx(&c, PSTATE_DAIF & ~PSTATE_I);
	c.ich_hcr = ICH_HCR_EN;
	c.ich_vmcr = ICH_VMCR_VENG1 | (0x80ULL << 24);
	c.ich_lr[0] = (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | INTID_VTIMER;
	assert_int_equal(cpu_pe_load(pe, &c), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 1000, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 0), 1023);
}

static void test_budget(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {a64_add_imm(0, 0, 1), a64_b(-4)};
	struct cpu_trap t;

	put_code(m, CODE, code, 2);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	cpu_pe_set_x(pe, 0, 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 1001, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_BUDGET);
	assert_int_equal(t.insns, 1001);
	/* 501 adds and 500 branches ran; the next instruction is the branch. */
	assert_int_equal(cpu_pe_get_x(pe, 0), 501);
	assert_int_equal(t.pc, CODE + 4);

	assert_int_equal(cpu_pe_run(pe, t.pc, 7, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_BUDGET);
	assert_int_equal(t.insns, 7);
	assert_int_equal(cpu_pe_get_x(pe, 0), 504);
}

struct seen {
	unsigned n;
	struct cpu_insn insn[16];
};

static void on_insn(void *ctx, const struct cpu_insn *insn)
{
	struct seen *s = ctx;

	if (s->n < 16) {
		s->insn[s->n] = *insn;
	}
	s->n++;
}

/* A run is observed as: the thread resuming (the registers it brings), each instruction with
 * the registers it changed and its memory accesses, then the exception that ended the run. */
static void test_insn_hook(void **state)
{
	struct cpu_config cfg = {.insn_hook = true};
	struct cpu_machine *m;
	struct cpu_pe *pe;
	struct seen s = {0};
	const uint64_t data = CODE + 0x800;
	const uint32_t code[] = {a64_movz(0, 5, 0), a64_movz(1, 7, 0), a64_add_reg(2, 0, 1),
				 a64_str(2, 3, 8),  a64_ldr(4, 3, 0),  a64_smc(3)};
	struct cpu_trap t;

	(void)state;
	assert_int_equal(cpu_machine_create(&cfg, &m), 0);
	pe = cpu_pe(m, CPU_WORLD_NS);
	cpu_machine_set_insn_hook(m, on_insn, &s);
	put_code(m, CODE, code, 6);
	*(uint64_t *)cpu_phys(m, data, 8) = 0x1122334455667788ULL;
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	for (unsigned r = 0; r < 5; r++) {
		cpu_pe_set_x(pe, r, 0);
	}
	cpu_pe_set_x(pe, 3, data);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(s.n, 8);
	/* First run of the thread: what differs from zero (X3, and the SP it was given). */
	assert_int_equal(s.insn[0].kind, CPU_INSN_RESUME);
	assert_int_equal(s.insn[0].pc, CODE);
	assert_true(s.insn[0].nchanged >= 1);
	assert_int_equal(s.insn[0].changed[0].reg, 3);
	assert_int_equal(s.insn[0].changed[0].value, data);
	for (unsigned i = 0; i < 6; i++) {
		const struct cpu_insn *in = &s.insn[1 + i];
		assert_int_equal(in->kind, CPU_INSN_EXEC);
		assert_int_equal(in->pc, CODE + 4 * i);
		assert_int_equal(in->opcode, code[i]);
		assert_int_equal(in->el, 2);
		assert_int_equal(in->world, CPU_WORLD_NS);
		assert_int_equal(in->nmem, i == 3 || i == 4 ? 1 : 0);
	}
	assert_int_equal(s.insn[1].nchanged, 1);
	assert_int_equal(s.insn[1].changed[0].reg, 0);
	assert_int_equal(s.insn[1].changed[0].value, 5);
	assert_int_equal(s.insn[2].nchanged, 1);
	assert_int_equal(s.insn[2].changed[0].reg, 1);
	assert_int_equal(s.insn[2].changed[0].value, 7);
	assert_int_equal(s.insn[3].nchanged, 1);
	assert_int_equal(s.insn[3].changed[0].reg, 2);
	assert_int_equal(s.insn[3].changed[0].value, 12);
	/* The store: its VA, PA (flat), PAS and the bytes written. */
	const struct cpu_insn_mem *st = &s.insn[4].mem[0];
	assert_true(st->write);
	assert_int_equal(st->size, 8);
	assert_int_equal(st->va, data + 8);
	assert_int_equal(st->pa, data + 8);
	assert_int_equal(st->pas, CPU_WORLD_NS);
	assert_int_equal(st->data[0], 12);
	assert_int_equal(st->data[1], 0);
	/* The load: the bytes it read. */
	const struct cpu_insn_mem *ld = &s.insn[5].mem[0];
	assert_false(ld->write);
	assert_int_equal(ld->va, data);
	assert_int_equal(ld->data[0], 0x88);
	assert_int_equal(ld->data[7], 0x11);
	assert_int_equal(s.insn[5].changed[0].reg, 4);
	assert_int_equal(s.insn[6].nchanged, 0);
	/* The SMC taken to EL3. */
	assert_int_equal(s.insn[7].kind, CPU_INSN_EXCEPTION);
	assert_int_equal(s.insn[7].trap, CPU_TRAP_SMC);
	assert_int_equal(s.insn[7].to_el, 3);
	assert_int_equal(s.insn[7].pc, CODE + 20);
	assert_int_equal(s.insn[7].return_pc, CODE + 24);
	assert_int_equal(s.insn[7].esr >> 26, 0x17);

	/* Resumed with X0 written by C: only X0 is reported. */
	s.n = 0;
	cpu_pe_set_x(pe, 0, 0xabc);
	assert_int_equal(cpu_pe_run(pe, CODE + 20, 0, &t), 0);
	assert_true(s.n >= 1);
	assert_int_equal(s.insn[0].kind, CPU_INSN_RESUME);
	assert_int_equal(s.insn[0].pc, CODE + 20);
	assert_int_equal(s.insn[0].nchanged, 1);
	assert_int_equal(s.insn[0].changed[0].reg, 0);
	assert_int_equal(s.insn[0].changed[0].value, 0xabc);
	cpu_machine_destroy(m);
}

struct probe_seen {
	unsigned hits;
	uint64_t va, x0, x1, x2;
};

static void on_probe(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct probe_seen *p = ctx;

	p->hits++;
	p->va = va;
	p->x0 = cpu_pe_get_x(pe, 0);
	p->x1 = cpu_pe_get_x(pe, 1);
	p->x2 = cpu_pe_get_x(pe, 2);
}

/* A debugger stopped in a probe: it removes its breakpoint and steps one instruction (the
 * one it is at runs, the step stops before the next), then another thread's step waits for
 * that thread; the probe table changing under a firing probe is safe. */
struct stepper {
	struct cpu_machine *m;
	unsigned hits, steps;
	uint64_t step_va[4];
};

static void on_step(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct stepper *s = ctx;
	(void)pe;
	if (s->steps < 4) {
		s->step_va[s->steps] = va;
	}
	s->steps++;
}

static void on_break(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct stepper *s = ctx;
	s->hits++;
	cpu_machine_remove_probe(s->m, CPU_WORLD_NS, va, on_break, s);
	cpu_machine_step(s->m, CPU_WORLD_NS, cpu_pe_thread_tag(pe), true, on_step, s);
}

static void test_debug_step(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t code[] = {A64_NOP, A64_NOP, a64_movz(0, 5, 0), A64_NOP, a64_smc(3)};
	struct stepper s = {.m = m};
	struct cpu_trap t;

	put_code(m, CODE, code, 5);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_NS, CODE + 4, on_break, &s), 0);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(s.hits, 1);
	assert_int_equal(s.steps, 1);
	assert_int_equal(s.step_va[0], CODE + 8);
	/* The breakpoint is gone: a second run does not stop. */
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(s.hits, 1);
	/* A step of a thread not running now stops before its second instruction; one for a
	 * thread that never runs never fires. */
	cpu_machine_step(m, CPU_WORLD_NS, 0, false, on_step, &s);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(s.steps, 2);
	assert_int_equal(s.step_va[1], CODE + 4);
	cpu_machine_step(m, CPU_WORLD_NS, 42, false, on_step, &s);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(s.steps, 2);
	cpu_machine_step_cancel(m);
}

/* The debugger's memory accesses: through the thread's regime and its world's view, reading
 * what an access would and no further, writing nothing where the view denies it. */
static void test_debug_memory(void **state)
{
	struct cpu_machine *m = *state;
	uint64_t base = cpu_ram_base(m) + 0x40000, v = 0x1122334455667788ULL, out[2] = {0};
	struct cpu_context c;
	guest_ctx(&c, PSTATE_DAIF); /* a REC at EL1, MMU and stage 2 off: VA = PA */
	memcpy(cpu_phys(m, base, 8), &v, 8);
	cpu_view_set(m, CPU_WORLD_REALM, base, GRANULE_SIZE, CPU_ACCESS_READ | CPU_ACCESS_WRITE);
	cpu_view_set(m, CPU_WORLD_REALM, base + GRANULE_SIZE, GRANULE_SIZE, 0);
	assert_int_equal(cpu_debug_read(m, CPU_WORLD_REALM, &c, base, out, 8), 8);
	assert_int_equal(out[0], v);
	/* Across into a granule the realm may not read: the bytes before it only. */
	assert_int_equal(cpu_debug_read(m, CPU_WORLD_REALM, &c, base + GRANULE_SIZE - 8, out, 16),
			 8);
	assert_int_equal(cpu_debug_write(m, CPU_WORLD_REALM, &c, base + GRANULE_SIZE, &v, 8), 0);
	assert_int_equal(cpu_debug_write(m, CPU_WORLD_REALM, &c, base + 8, &v, 8), 8);
	memcpy(&out[1], cpu_phys(m, base + 8, 8), 8);
	assert_int_equal(out[1], v);
	/* The NS view of the same granule: what the host's own access would get. */
	cpu_view_set(m, CPU_WORLD_NS, base, GRANULE_SIZE, 0);
	assert_int_equal(cpu_debug_read(m, CPU_WORLD_NS, NULL, base, out, 8), 0);
}

static void test_probe(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	struct probe_seen p = {0}, first = {0};
	const uint32_t code[] = {a64_movz(0, 5, 0), a64_movz(1, 7, 0), a64_add_reg(2, 0, 1),
				 a64_smc(3)};
	struct cpu_trap t;

	put_code(m, CODE, code, 4);
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	/* Added before the first run of the NS PE, after enter_el translated the entry block. */
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_NS, CODE + 8, on_probe, &p), 0);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_NS, CODE, on_probe, &first), 0);
	cpu_pe_set_x(pe, 2, 99);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(ESR_ISS(t.esr), 3);
	assert_int_equal(t.insns, 4);
	assert_int_equal(first.hits, 1);
	assert_int_equal(first.va, CODE);
	assert_int_equal(p.hits, 1);
	assert_int_equal(p.va, CODE + 8);
	assert_int_equal(p.x0, 5);
	assert_int_equal(p.x1, 7);
	assert_int_equal(p.x2, 99); /* before the add executed */
	assert_int_equal(cpu_pe_get_x(pe, 2), 12);
	/* Probes stay: a second run hits them again. */
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(p.hits, 2);
	assert_int_equal(first.hits, 2);
	/* Added after the PE ran, its code translated already: it fires as well. Adding the same
	 * probe twice adds it once. */
	struct probe_seen late = {0}, other = {0};
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_NS, CODE + 4, on_probe, &late), 0);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_NS, CODE + 4, on_probe, &late), 0);
	/* Many probes elsewhere (the table grows several times) disturb none of these. */
	for (uint64_t i = 0; i < 1000; i++) {
		assert_int_equal(
		    cpu_machine_add_probe(m, CPU_WORLD_NS, CODE + 0x1000 + 4 * i, on_probe, &other),
		    0);
	}
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(late.hits, 1);
	assert_int_equal(late.x0, 5);
	assert_int_equal(p.hits, 3);
	assert_int_equal(first.hits, 3);
	assert_int_equal(other.hits, 0);
	/* A run that its budget stops before an instruction does not fire that one's probe. */
	assert_int_equal(cpu_pe_run(pe, CODE, 2, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_BUDGET);
	assert_int_equal(first.hits, 4);
	assert_int_equal(late.hits, 2);
	assert_int_equal(p.hits, 3);
	/* The other world's probes are its own. */
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_REALM, CODE, on_probe, &p), 0);
	assert_int_equal(cpu_machine_add_probe(m, CPU_WORLD_REALM, CODE, NULL, &p), -1);
}

/* Code rewritten from C (through cpu_phys) after the PE translated it runs as rewritten. */
static void test_code_rewrite(void **state)
{
	struct cpu_machine *m = *state;
	struct cpu_pe *pe = cpu_pe(m, CPU_WORLD_NS);
	const uint32_t one[] = {a64_movz(0, 1, 0), a64_smc(0)};
	const uint32_t two[] = {a64_movz(0, 2, 0), a64_smc(0)};
	struct cpu_trap t;

	/* Entering the EL translates the (still empty) target. */
	assert_int_equal(cpu_pe_enter_el(pe, 2, CODE), 0);
	put_code(m, CODE, one, 2);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 0), 1);
	put_code(m, CODE, two, 2);
	assert_int_equal(cpu_pe_run(pe, CODE, 0, &t), 0);
	assert_int_equal(t.kind, CPU_TRAP_SMC);
	assert_int_equal(cpu_pe_get_x(pe, 0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test_setup_teardown(test_ns_el2, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_realm_el1_undef, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_smc_el2, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_el1_traps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wfx_brk, setup, teardown),
	    cmocka_unit_test(test_virtual_counter),
	    cmocka_unit_test(test_timer_fires),
	    cmocka_unit_test(test_host_irq),
	    cmocka_unit_test_setup_teardown(test_virtual_irq, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
	    cmocka_unit_test(test_insn_hook),
	    cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_debug_step, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_debug_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_code_rewrite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stage2_translation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stage2_abort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_view_ns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_view_realm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_view_dc_zva, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_context_switch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unprotected_ipa, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stage1_abort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tid3_trap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_realm_code_rewrite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nested_translation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_el0_context, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_save_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_abort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_then_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_not_own_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_not_ns_writable_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_store_is_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unhooked_watch_set_mid_run, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
