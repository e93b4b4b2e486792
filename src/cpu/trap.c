/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Turning what the hooks saw into a struct cpu_trap with the syndrome the architecture would
 * have produced. Unicorn writes no ESR/FAR (docs/unicorn.md), so the syndrome comes from
 * decoding the trapping instruction and from our own translation walk.
 */
#include "cpu/cpu_private.h"

#include <string.h>

uint32_t pe_fetch_opcode(struct cpu_pe *pe, uint64_t pc, bool *ok)
{
	enum cpu_world vw;
	uint64_t pa;
	uint32_t op = 0;
	void *p;

	*ok = false;
	if (pe->fetch_valid && (pc & ~(GRANULE_SIZE - 1)) == pe->fetch_va_page) {
		pa = pe->fetch_pa_page | (pc & (GRANULE_SIZE - 1));
	} else if (!walk_va_to_pa(pe, pc, &pa, &vw)) {
		return 0;
	}
	p = ram_at(pe->m, pa, 4);
	if (!p) {
		return 0;
	}
	memcpy(&op, p, 4);
	*ok = true;
	return op;
}

/*
 * ISS bits [24:14] of a data abort on a single general-purpose register load or store without
 * writeback (Arm ARM D24.2.47: ISV = 1 only for those); false for anything else (LDP/STP,
 * writeback forms, exclusives, SIMD), whose ISV is 0.
 */
static bool ldst_iss(uint32_t insn, uint64_t *iss)
{
	unsigned size = insn >> 30, opc = (insn >> 22) & 3, rt = insn & 31;
	bool sse = false, sf, ar = false;

	if ((insn & 0x3f000000) == 0x39000000 || /* unsigned immediate */
	    (insn & 0x3f200c00) == 0x38000000 || /* unscaled immediate */
	    (insn & 0x3f200c00) == 0x38000800 || /* unprivileged */
	    (insn & 0x3f200c00) == 0x38200800) { /* register offset */
		if (opc <= 1) {
			sf = size == 3;
		} else if (size == 3 || (size == 2 && opc == 3)) {
			return false; /* PRFM, unallocated */
		} else {
			sse = true;
			sf = opc == 2;
		}
	} else if ((insn & 0x3f000000) == 0x18000000) { /* LDR (literal) */
		if (size == 3) {
			return false; /* PRFM */
		}
		sse = size == 2;
		sf = size != 0;
		size = size == 1 ? 3 : 2;
	} else if ((insn & 0x3fa00000) == 0x08800000) { /* LDAR/STLR/LDLAR/STLLR */
		sf = size == 3;
		ar = insn >> 15 & 1;
	} else {
		return false;
	}
	*iss = ESR_DABT_ISV | (uint64_t)size << 22 | (sse ? ESR_DABT_SSE : 0) | (uint64_t)rt << 16 |
	       (sf ? ESR_DABT_SF : 0) | (ar ? ESR_DABT_AR : 0);
	return true;
}

static unsigned fsc_of(const struct walk *w, uint64_t va)
{
	switch (w->fault) {
	case WALK_TRANSLATION:
		return ESR_FSC_TRANS(w->level);
	case WALK_ACCESS_FLAG:
		return 0x08U + w->level;
	case WALK_PERMISSION:
		return ESR_FSC_PERM(w->level);
	case WALK_ADDR_SIZE:
		return w->level;
	case WALK_EXTERNAL:
		return 0x14U + w->level;
	default:
		/* Our walk saw no fault where Unicorn did: most likely alignment. */
		return (va & 3) ? ESR_FSC_ALIGN : ESR_FSC_SEA;
	}
}

/* EL a synchronous exception from EL `from` goes to when not routed to EL2 by stage 2. */
static unsigned own_el(struct cpu_pe *pe, unsigned from)
{
	if (from >= 2) {
		return from;
	}
	if (from == 0 && (pe->rg.hcr & HCR_TGE)) {
		return 2;
	}
	return 1;
}

/*
 * QEMU raises a system register access trapped to EL2 as the same exception number as an
 * UNDEFINED instruction. Tell them apart for the trap the RMM relies on: ID group 3 reads at
 * EL1 with HCR_EL2.TID3, reported as EC 0x18 to EL2 with the ISS of
 * D24.2.47 (Op0, Op2, Op1, CRn, Rt, CRm, Direction = read).
 */
static bool sysreg_trap(struct cpu_pe *pe, struct cpu_trap *t)
{
	uint32_t op;
	unsigned op0, op1, crn, crm, op2, rt;
	bool ok;

	if (t->from_el != 1 || !(pe->rg.hcr & HCR_TID3)) {
		return false;
	}
	op = pe_fetch_opcode(pe, t->pc, &ok);
	if (!ok || (op & 0xfff80000U) != 0xd5380000U) { /* MRS with op0 = 3 */
		return false;
	}
	op0 = 3;
	op1 = (op >> 16) & 7;
	crn = (op >> 12) & 15;
	crm = (op >> 8) & 15;
	op2 = (op >> 5) & 7;
	rt = op & 31;
	if (op1 != 0 || crn != 0 || crm < 1 || crm > 7) {
		return false;
	}
	t->to_el = 2;
	t->esr = (uint64_t)ESR_EC_SYSREG << ESR_EC_SHIFT | ESR_IL | (uint64_t)op0 << 20 |
		 (uint64_t)op2 << 17 | (uint64_t)op1 << 14 | (uint64_t)crn << 10 |
		 (uint64_t)rt << 5 | (uint64_t)crm << 1 | 1;
	return true;
}

/*
 * WFI/WFE at EL0/EL1 with HCR_EL2.TWI/TWE: QEMU raises the trap to EL2 as the exception
 * number of UNDEFINED too. EC 0x01, ISS TI (0 WFI, 1 WFE), CV = 0.
 */
static bool wfx_trap(struct cpu_pe *pe, struct cpu_trap *t)
{
	bool ok;
	uint32_t op = pe_fetch_opcode(pe, t->pc, &ok);

	if (!ok || t->from_el >= 2 || (op != A64_WFI && op != A64_WFE)) {
		return false;
	}
	if (!(pe->rg.hcr & (op == A64_WFI ? HCR_TWI : HCR_TWE))) {
		return false;
	}
	t->kind = CPU_TRAP_WFX;
	t->to_el = 2;
	t->return_pc = t->pc + 4;
	t->esr = (uint64_t)ESR_EC_WFX << ESR_EC_SHIFT | ESR_IL | (op == A64_WFE ? 1 : 0);
	return true;
}

/*
 * Unicorn ended a guest's run in a WFI (not trapped): the PE waits for an interrupt, in
 * virtual time. A timer that will fire wakes it: the clock jumps to that moment and the
 * interrupt is taken after the WFI. With nothing that can wake it, the wait is forever: the
 * host's own timer would end it on hardware (CPU_TRAP_IDLE).
 */
static bool guest_wfi(struct cpu_pe *pe, struct cpu_trap *t)
{
	bool ok;
	if (!tg_guest(pe) || pe_fetch_opcode(pe, pe->cur_pc, &ok) != A64_WFI || !ok) {
		return false;
	}
	t->pc = pe->cur_pc;
	t->return_pc = pe->cur_pc + 4;
	t->insns = pe->count;
	t->to_el = 2;
	if (pe->fire_at == UINT64_MAX) {
		t->kind = CPU_TRAP_IDLE;
		return true;
	}
	if (pe->fire_at > tg_clock(pe)) {
		pe->m->clock_insns += pe->fire_at - tg_clock(pe);
	}
	t->kind = CPU_TRAP_IRQ;
	return true;
}

static uint64_t imm16_iss(struct cpu_pe *pe, uint64_t pc)
{
	bool ok;
	uint32_t op = pe_fetch_opcode(pe, pc, &ok);

	return ok ? (op >> 5) & 0xffff : 0;
}

static void fill_abort(struct cpu_pe *pe, struct cpu_trap *t, bool fetch)
{
	struct walk w;
	uint64_t va = fetch ? t->pc : (pe->mem_valid ? pe->mem_va : t->pc);
	unsigned access =
	    fetch ? CPU_ACCESS_FETCH : (pe->mem_valid ? pe->mem_access : CPU_ACCESS_READ);
	uint64_t iss = 0;
	unsigned ec;
	bool ok;

	walk_va(pe, va, access, &w);
	t->kind = fetch ? CPU_TRAP_IABT : CPU_TRAP_DABT;
	t->far = va;
	t->access = access;
	t->return_pc = t->pc;
	t->s2 = w.s2 && w.fault != WALK_OK;
	if (t->s2) {
		t->to_el = 2;
		t->hpfar = (w.ipa >> 12) << 4;
		t->s1_level = w.s1_level;
	} else {
		t->to_el = own_el(pe, t->from_el);
	}
	if (fetch) {
		ec = t->to_el == t->from_el ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	} else {
		ec = t->to_el == t->from_el ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	}
	if (!fetch) {
		uint32_t op = pe_fetch_opcode(pe, t->pc, &ok);

		/* ISV is only set for stage-2 aborts reported to EL2, not on a stage-1 walk. */
		if (!(t->s2 && !w.s1ptw && ok && ldst_iss(op, &iss))) {
			iss = 0;
		}
		if (access == CPU_ACCESS_WRITE && !w.s1ptw) {
			iss |= ESR_DABT_WNR;
		}
	}
	if (w.s1ptw) {
		iss |= ESR_DABT_S1PTW;
	}
	iss |= fsc_of(&w, va);
	t->esr = (uint64_t)ec << ESR_EC_SHIFT | ESR_IL | iss;
}

static void fill_gpf(struct cpu_pe *pe, struct cpu_trap *t)
{
	bool fetch = pe->gpf_access == CPU_ACCESS_FETCH;
	unsigned ec;
	uint64_t iss = ESR_FSC_GPF;

	if (pe->gpf_external) {
		/* No memory at the PA: the access passes the granule protection check (GPI ANY
		 * or NS outside RAM) and gets a Synchronous External Abort, taken to the EL's own
		 * handler, not a GPF. */
		t->kind = fetch ? CPU_TRAP_IABT : CPU_TRAP_DABT;
		t->pa = pe->gpf_pa;
		t->far = pe->gpf_va;
		t->access = pe->gpf_access;
		t->pc = t->return_pc = pe->cur_pc;
		t->to_el = own_el(pe, t->from_el);
		ec = fetch ? (t->to_el == t->from_el ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW)
			   : (t->to_el == t->from_el ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW);
		t->esr = (uint64_t)ec << ESR_EC_SHIFT | ESR_IL | ESR_FSC_SEA |
			 (pe->gpf_access == CPU_ACCESS_WRITE ? ESR_DABT_WNR : 0);
		t->insns = fetch ? pe->count : pe->count - 1;
		return;
	}
	t->kind = CPU_TRAP_GPF;
	t->pa = pe->gpf_pa;
	t->far = pe->gpf_va;
	t->access = pe->gpf_access;
	t->pc = t->return_pc = pe->cur_pc;
	/* [ARM:D1.4.5.3]: to EL2 from EL2, or from EL1 when HCR_EL2.GPF (or TGE) is set. */
	if (t->from_el == 2 || (pe->rg.hcr & (HCR_GPF | HCR_TGE))) {
		t->to_el = 2;
	} else {
		t->to_el = 1;
	}
	if (fetch) {
		ec = t->to_el == t->from_el ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	} else {
		ec = t->to_el == t->from_el ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	}
	if (pe->gpf_access == CPU_ACCESS_WRITE) {
		iss |= ESR_DABT_WNR;
	}
	t->esr = (uint64_t)ec << ESR_EC_SHIFT | ESR_IL | iss;
	/* A fetch GPF stops before the instruction is counted; a data GPF after. */
	t->insns = fetch ? pe->count : pe->count - 1;
}

static void fill_exception(struct cpu_pe *pe, struct cpu_trap *t)
{
	uint64_t after = pe->intr_pc;

	switch (pe->intno) {
	case INTNO_UDEF:
		t->kind = CPU_TRAP_UNDEF;
		t->pc = t->return_pc = after;
		if (!sysreg_trap(pe, t) && !wfx_trap(pe, t)) {
			t->to_el = own_el(pe, t->from_el);
			t->esr = (uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL;
		}
		break;
	case INTNO_SWI:
		t->kind = CPU_TRAP_SVC;
		t->pc = after - 4;
		t->return_pc = after;
		t->to_el = own_el(pe, t->from_el);
		t->esr = (uint64_t)ESR_EC_SVC64 << ESR_EC_SHIFT | ESR_IL | imm16_iss(pe, t->pc);
		break;
	case INTNO_HVC:
		t->kind = CPU_TRAP_HVC;
		t->pc = after - 4;
		t->return_pc = after;
		t->to_el = 2;
		t->esr = (uint64_t)ESR_EC_HVC64 << ESR_EC_SHIFT | ESR_IL | imm16_iss(pe, t->pc);
		break;
	case INTNO_HYP_TRAP:
		/* SMC at EL1 trapped by HCR_EL2.TSC: reported at the SMC itself. */
		t->kind = CPU_TRAP_SMC_TRAPPED;
		t->pc = t->return_pc = after;
		t->to_el = 2;
		t->esr = (uint64_t)ESR_EC_SMC64 << ESR_EC_SHIFT | ESR_IL | imm16_iss(pe, t->pc);
		break;
	case INTNO_SMC:
		t->kind = CPU_TRAP_SMC;
		t->pc = after - 4;
		t->return_pc = after;
		t->to_el = 3;
		t->esr = (uint64_t)ESR_EC_SMC64 << ESR_EC_SHIFT | ESR_IL | imm16_iss(pe, t->pc);
		break;
	case INTNO_PREFETCH_ABORT:
	case INTNO_DATA_ABORT:
		t->pc = after;
		fill_abort(pe, t, pe->intno == INTNO_PREFETCH_ABORT);
		break;
	case INTNO_BKPT:
		/* No trap kind of its own: an ERROR with the syndrome of a BRK (EC 0x3C). */
		t->kind = CPU_TRAP_ERROR;
		t->pc = t->return_pc = after;
		t->to_el = own_el(pe, t->from_el);
		t->esr = (uint64_t)ESR_EC_BRK64 << ESR_EC_SHIFT | ESR_IL | imm16_iss(pe, t->pc);
		break;
	default:
		t->kind = CPU_TRAP_ERROR;
		t->pc = t->return_pc = after;
		break;
	}
	/*
	 * Instructions that trap in place did not complete and are not counted. The code hook
	 * counted them, except an instruction abort: its instruction was never translated.
	 */
	t->insns = pe->count;
	if (t->return_pc == t->pc && pe->count > 0 && pe->intno != INTNO_PREFETCH_ABORT) {
		t->insns--;
	}
}

const char *cpu_esr_class_name(uint64_t esr)
{
	switch (ESR_EC(esr)) {
	case ESR_EC_UNKNOWN:
		return "an undefined instruction";
	case ESR_EC_WFX:
		return "a trapped WFI or WFE";
	case ESR_EC_SVC64:
		return "an SVC";
	case ESR_EC_HVC64:
		return "an HVC";
	case ESR_EC_SMC64:
		return "an SMC";
	case ESR_EC_SYSREG:
		return "a trapped system register access";
	case ESR_EC_GPC:
		return "a granule protection check exception";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return "an instruction abort";
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return "a data abort";
	case ESR_EC_BRK64:
		return "a BRK";
	default:
		return "an exception";
	}
}

void trap_fill(struct cpu_pe *pe, struct cpu_trap *t)
{
	if (!pe->rg.valid) {
		pe_regime_load(pe);
	}
	if (pe->gpf) {
		fill_gpf(pe, t);
	} else if (pe->intr) {
		fill_exception(pe, t);
	} else if (pe->budget_hit) {
		t->kind = CPU_TRAP_BUDGET;
		t->pc = t->return_pc = pe->cur_pc;
		t->to_el = t->from_el;
		t->insns = pe->count;
	} else if (pe->timer_hit || pe->virq_hit) {
		/* Before the instruction at cur_pc: the interrupt is taken there. */
		t->kind = pe->timer_hit ? CPU_TRAP_IRQ : CPU_TRAP_VIRQ;
		t->pc = t->return_pc = pe->cur_pc;
		t->to_el = pe->timer_hit ? 2 : 1;
		t->insns = pe->count;
	} else if (guest_wfi(pe, t)) {
		return;
	} else {
		bool ok;

		/* Unicorn ends the run when the PE halts in a WFI: resumable after it. */
		t->kind = CPU_TRAP_ERROR;
		t->pc = t->return_pc = pe->cur_pc;
		t->insns = pe->count;
		if (pe_fetch_opcode(pe, t->pc, &ok) == A64_WFI && ok) {
			t->return_pc = t->pc + 4;
		}
	}
}
