/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Changing exception level. Unicorn caches the EL in its translation flags and only an
 * exception return rebuilds them (docs/unicorn.md), so every EL change is an ERET from EL3
 * run in a two-instruction trampoline; around it, the TLB flushes every load needs and the
 * drop of translated code that C rewrote.
 */
#include "cpu/cpu_private.h"

/* SCR_EL3 while the trampoline's ERET enters a lower EL (0x531): NS, HCE, RW (AArch64). QEMU
 * 5.0 has no NSE, so the Realm PE runs as Non-secure too: what makes it a realm is its view and
 * its stage 2. The SCR_EL3 the monitor models for each world is monitor_private.h's. */
#define SCR_EL3_ERET_LOWER (SCR_RES1 | SCR_NS | SCR_HCE | SCR_RW)

static const int elr_ids[4] = {UC_ARM64_REG_ELR_EL0, UC_ARM64_REG_ELR_EL1, UC_ARM64_REG_ELR_EL2,
			       UC_ARM64_REG_ELR_EL3};

/*
 * Writes SCTLR_EL1, SCTLR_EL2 and HCR_EL2 in one batch, HCR twice with VM flipped first:
 * QEMU's hcr_write() flushes the whole TLB when VM changes. That is the TLB flush the API
 * offers: UC_CTL_TB_FLUSH drops translated code, not the TLB, and SCTLR/TTBR/TCR writes
 * through UC_ARM64_REG_CP_REG use the raw accessors, which flush nothing.
 */
void pe_write_translation_controls(struct cpu_pe *pe, uint64_t sctlr1, uint64_t sctlr2,
				   uint64_t hcr)
{
	uc_arm64_cp_reg cps[4] = {pe_cp_of(CPU_SYSREG(3, 0, 1, 0, 0)), pe_cp_of(CPU_SCTLR_EL2),
				  pe_cp_of(CPU_HCR_EL2), pe_cp_of(CPU_HCR_EL2)};
	int ids[4] = {UC_ARM64_REG_CP_REG, UC_ARM64_REG_CP_REG, UC_ARM64_REG_CP_REG,
		      UC_ARM64_REG_CP_REG};
	void *vals[4] = {&cps[0], &cps[1], &cps[2], &cps[3]};

	cps[0].val = sctlr1;
	cps[1].val = sctlr2;
	/* From one identity regime to another (the host at EL2 with its MMU off, in and out of
	 * the trampoline) the TLB's translations stay true: no flush, which clears every TLB
	 * table of the engine. */
	uint64_t old_hcr = pe_sysreg(pe, CPU_HCR_EL2);
	bool flat =
	    !((sctlr1 | sctlr2) & SCTLR_M) && !((hcr | old_hcr) & HCR_VM) &&
	    !((pe_sysreg(pe, CPU_SYSREG(3, 0, 1, 0, 0)) | pe_sysreg(pe, CPU_SCTLR_EL2)) & SCTLR_M);
	cps[2].val = hcr ^ HCR_VM;
	cps[3].val = hcr;
	if (flat) {
		cps[2].val = hcr;
	}
	uc_reg_write_batch(pe->uc, ids, vals, flat ? 3 : 4);
	pe->rg.valid = false;
	pe->xlat_gen++;
	pe->tlb_clean = true;
}

void pe_drop_stale_code_now(struct cpu_pe *pe)
{
	uint64_t hcr = pe_sysreg(pe, CPU_HCR_EL2);
	uint64_t sctlr1 = pe_sysreg(pe, CPU_SYSREG(3, 0, 1, 0, 0));
	uint64_t sctlr2 = pe_sysreg(pe, CPU_SCTLR_EL2);

	pe_write_translation_controls(pe, sctlr1 & ~SCTLR_M, sctlr2 & ~SCTLR_M, hcr & ~HCR_VM);
	pe_drop_stale_code(pe);
	pe_write_translation_controls(pe, sctlr1, sctlr2, hcr);
}

void pe_flush_tlb(struct cpu_pe *pe)
{
	uint64_t hcr = pe_sysreg(pe, CPU_HCR_EL2);
	uc_arm64_cp_reg cps[2] = {pe_cp_of(CPU_HCR_EL2), pe_cp_of(CPU_HCR_EL2)};
	int ids[2] = {UC_ARM64_REG_CP_REG, UC_ARM64_REG_CP_REG};
	void *vals[2] = {&cps[0], &cps[1]};

	cps[0].val = hcr ^ HCR_VM;
	cps[1].val = hcr;
	uc_reg_write_batch(pe->uc, ids, vals, 2);
	pe->tlb_clean = true;
}

/* EL2 registers beyond struct cpu_context that leaving EL0 must not lose. */
static const uint32_t el2_keep[] = {
    CPU_SCTLR_EL2,
    CPU_VBAR_EL2,
    CPU_SYSREG(3, 4, 2, 0, 2),  /* TCR_EL2 */
    CPU_SYSREG(3, 4, 2, 0, 0),  /* TTBR0_EL2 */
    CPU_SYSREG(3, 4, 10, 2, 0), /* MAIR_EL2 */
    CPU_SYSREG(3, 4, 13, 0, 2), /* TPIDR_EL2 */
    CPU_SYSREG(3, 4, 1, 1, 2),  /* CPTR_EL2 */
    CPU_SYSREG(3, 4, 4, 0, 1),  /* ELR_EL2 */
    CPU_SYSREG(3, 4, 4, 0, 0),  /* SPSR_EL2 */
    CPU_SYSREG(3, 4, 0, 0, 0),  /* VPIDR_EL2 */
};
#define N_EL2_KEEP (sizeof(el2_keep) / sizeof(el2_keep[0]))

/*
 * ERET is UNDEFINED at EL0 and nothing but an exception return rebuilds Unicorn's cached EL,
 * so a PE left at EL0 goes back to its reset state (EL1h) through uc_context_restore, with
 * its registers (struct cpu_context, SP_EL2 and the EL2 registers above) carried over.
 */
static int leave_el0(struct cpu_pe *pe)
{
	struct cpu_context keep;
	uint64_t el2[N_EL2_KEEP], sp_el2;

	cpu_pe_save(pe, &keep);
	for (size_t i = 0; i < N_EL2_KEEP; i++) {
		el2[i] = pe_sysreg(pe, el2_keep[i]);
	}
	sp_el2 = pe_reg_get(pe, UC_ARM64_REG_SP_EL2);
	if (uc_context_restore(pe->uc, pe->reset_ctx) != UC_ERR_OK) {
		return -1;
	}
	cpu_pe_set_xs(pe, keep.x, 31);
	if (pe_write_ctx_sysregs(pe, &keep)) {
		return -1;
	}
	for (size_t i = 0; i < N_EL2_KEEP; i++) {
		cpu_pe_set_sysreg(pe, el2_keep[i], el2[i]);
	}
	pe_reg_set(pe, UC_ARM64_REG_SP_EL0, keep.sp_el0);
	pe_reg_set(pe, UC_ARM64_REG_SP_EL2, sp_el2);
	/* Reset PSTATE is EL1h: the live SP is SP_EL1. */
	pe_reg_set(pe, UC_ARM64_REG_SP, keep.sp_elx);
	return 0;
}

/*
 * ERET from EL3 to the mode in `spsr` at `pc`. Unicorn caches the EL in its translation flags
 * and only an exception return rebuilds them, so this is the one way to change EL
 * (docs/unicorn.md). The live SP is first parked in its SP_ELx so the ERET can reload the
 * right one; sp0/spx (when non-NULL) replace SP_EL0 and the target's SP_ELx before it.
 *
 * The trampoline is fetched with the translation regime of the *cached* EL (the flags still
 * name EL1 or EL2), so with a realm's stage 2 or a host's stage 1 on, its PA would be looked
 * up in their tables. Stage 1 and stage 2 are therefore switched off (SCTLR_ELx.M, HCR.VM)
 * while it is fetched, and switched back on by the trampoline's first instruction, an MRS
 * whose Unicorn hook restores them from C and skips the read (pe_run.c mrs_hook): the ERET then
 * runs, and the target is looked up, under the context's real regime. (Restoring after the
 * run instead would translate the target under the identity regime: a realm PC at IPA 0
 * would be fetched from a hole as an uncached block, every load, growing the code cache.)
 * The identity window is also where translated code that C rewrote is dropped (machine.c).
 * Each switch flushes the TLB; the SCTLR bits the ERET folds into the new flags (endianness,
 * BTI, PAuth) are untouched.
 */
int pe_eret_to(struct cpu_pe *pe, uint64_t spsr, uint64_t pc, const uint64_t *sp0,
	       const uint64_t *spx)
{
	uint64_t pstate = pe_reg_get(pe, UC_ARM64_REG_PSTATE);
	unsigned cur = (pstate >> 2) & 3, target = (spsr >> 2) & 3;
	uint64_t old_elr, hcr, sctlr1, sctlr2, pa;
	enum cpu_world vw;
	int ret;

	if (target == 3 || (spsr & 0x10)) {
		return -1;
	}
	if (cur == 0) {
		if (leave_el0(pe)) {
			return -1;
		}
		pstate = pe_reg_get(pe, UC_ARM64_REG_PSTATE);
		cur = (pstate >> 2) & 3;
	}
	pe_reg_set(pe, pe_sp_ids[(pstate & 1) ? cur : 0], pe_reg_get(pe, UC_ARM64_REG_SP));
	if (sp0) {
		pe_reg_set(pe, UC_ARM64_REG_SP_EL0, *sp0);
	}
	if (spx) {
		pe_reg_set(pe, pe_sp_ids[target ? target : 1], *spx);
	}
	hcr = pe_sysreg(pe, CPU_HCR_EL2);
	sctlr1 = pe_sysreg(pe, CPU_SYSREG(3, 0, 1, 0, 0));
	sctlr2 = pe_sysreg(pe, CPU_SCTLR_EL2);
	pe_write_translation_controls(pe, sctlr1 & ~SCTLR_M, sctlr2 & ~SCTLR_M, hcr & ~HCR_VM);
	pe->tramp_sctlr1 = sctlr1;
	pe->tramp_sctlr2 = sctlr2;
	pe->tramp_hcr = hcr;
	pe->tramp_restore = true;
	if (pe_has_stale_code(pe)) {
		pe_drop_stale_code(pe);
	}
	/* The helper reads SPSR_EL3 (real EL); the translator reads ELR of the cached EL. */
	old_elr = pe_reg_get(pe, elr_ids[cur]);
	cpu_pe_set_sysreg(pe, CPU_SCR_EL3, SCR_EL3_ERET_LOWER);
	cpu_pe_set_sysreg(pe, CPU_SYSREG(3, 6, 4, 0, 0), spsr); /* SPSR_EL3 */
	pe_reg_set(pe, UC_ARM64_REG_ELR_EL3, pc);
	pe_reg_set(pe, elr_ids[cur], pc);
	pe_reg_set(pe, UC_ARM64_REG_PSTATE, PSTATE_EL3H);
	ret = run_trampoline(pe);
	pe_reg_set(pe, elr_ids[cur], old_elr);
	if (pe->tramp_restore) {
		pe->tramp_restore = false;
		pe_write_translation_controls(pe, sctlr1, sctlr2, hcr);
		ret = -1;
	}
	if (ret || cpu_pe_current_el(pe) != target) {
		return -1;
	}
	/* The target's block was translated (not run) to stop there: it is code now. */
	if (walk_va_to_pa(pe, pc, &pa, &vw)) {
		code_seen(pe, pa);
	}
	return 0;
}

int cpu_pe_enter_el(struct cpu_pe *pe, unsigned el, uint64_t pc)
{
	/* EL1h / EL2h with DAIF masked, as firmware enters a lower EL. */
	if (el != 1 && el != 2) {
		return -1;
	}
	return pe_eret_to(pe, PSTATE_DAIF | PSTATE_M_EL(el) | PSTATE_M_SPX, pc, NULL, NULL);
}
