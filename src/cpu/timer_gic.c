/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a guest at EL1 sees of the generic timer and of the GICv3 virtual CPU interface, in
 * virtual time. Unicorn's timers follow the host's clock and it has no GIC, so the system
 * registers are emulated: the timer's in Unicorn's MRS/MSR hooks (it has them, on the host's
 * clock), the GIC's where Unicorn finds them undefined (cpu_pe_run):
 *  - CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0 (CNTVOFF is 0): the machine clock, instructions
 *    retired by every PE (plus the time a PE waited in WFI), converted at cnt_hz / insn_hz;
 *  - CNTV_* and CNTP_* (CTL, CVAL, TVAL): ISTATUS is computed; when an enabled, unmasked
 *    timer's condition holds the run stops with CPU_TRAP_IRQ, the physical interrupt that a
 *    guest's timer raises at EL2 (HCR_EL2.IMO: whatever PSTATE.I says);
 *  - ICC_*_EL1, which with ICH_HCR_EL2.En reach the virtual interface: IAR1 acknowledges the
 *    highest-priority pending Group 1 List Register, EOIR1 (EOImode 0) deactivates it, PMR,
 *    IGRPEN1 and BPR1 live in ICH_VMCR_EL2; while an LR is pending, enabled and above the
 *    priority mask, the run stops with CPU_TRAP_VIRQ as soon as PSTATE.I is clear.
 * Only Group 1, no preemption by priority groups, 5 priority bits (ICH_VTR_EL2).
 */
#include "cpu/cpu_private.h"

#define SR(op0, op1, crn, crm, op2) CPU_SYSREG(op0, op1, crn, crm, op2)
#define CNTFRQ_EL0                  SR(3, 3, 14, 0, 0)
#define CNTPCT_EL0                  SR(3, 3, 14, 0, 1)
#define CNTVCT_EL0                  SR(3, 3, 14, 0, 2)
#define CNTP_TVAL_EL0               SR(3, 3, 14, 2, 0)
#define CNTP_CTL_EL0                SR(3, 3, 14, 2, 1)
#define CNTP_CVAL_EL0               SR(3, 3, 14, 2, 2)
#define CNTV_TVAL_EL0               SR(3, 3, 14, 3, 0)
#define CNTV_CTL_EL0                SR(3, 3, 14, 3, 1)
#define CNTV_CVAL_EL0               SR(3, 3, 14, 3, 2)
#define ICC_PMR_EL1                 SR(3, 0, 4, 6, 0)
#define ICC_DIR_EL1                 SR(3, 0, 12, 11, 1)
#define ICC_RPR_EL1                 SR(3, 0, 12, 11, 3)
#define ICC_IAR1_EL1                SR(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1               SR(3, 0, 12, 12, 1)
#define ICC_HPPIR1_EL1              SR(3, 0, 12, 12, 2)
#define ICC_BPR1_EL1                SR(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1                SR(3, 0, 12, 12, 4)
#define ICC_SRE_EL1                 SR(3, 0, 12, 12, 5)
#define ICC_IGRPEN1_EL1             SR(3, 0, 12, 12, 7)

#define SPURIOUS      1023U
#define IDLE_PRIORITY 0xffU

static uint64_t mul_div(uint64_t a, uint64_t mul, uint64_t div, bool round_up)
{
	unsigned __int128 p = (unsigned __int128)a * mul;
	return (uint64_t)((p + (round_up ? div - 1 : 0)) / div);
}

bool tg_guest(struct cpu_pe *pe)
{
	return !pe->in_tramp && pe->world == CPU_WORLD_REALM && cpu_pe_current_el(pe) < 2;
}

uint64_t cpu_machine_counter(const struct cpu_machine *m)
{
	return mul_div(m->clock_insns, m->cnt_hz, m->insn_hz, false);
}

void cpu_machine_wait_until(struct cpu_machine *m, uint64_t count)
{
	if (count <= UINT64_MAX / m->insn_hz) {
		uint64_t at = mul_div(count, m->insn_hz, m->cnt_hz, true);
		m->clock_insns = at > m->clock_insns ? at : m->clock_insns;
	}
}

void cpu_machine_set_host_irq(struct cpu_machine *m, uint64_t count)
{
	m->host_irq_at = count;
}

bool tg_is_timer(uint32_t enc)
{
	return (enc & ~(uint32_t)SR(0, 0, 0, 15, 7)) == SR(3, 3, 14, 0, 0);
}

uint64_t tg_clock(const struct cpu_pe *pe)
{
	return pe->m->clock_insns + pe->count;
}

static uint64_t counter(const struct cpu_pe *pe)
{
	return mul_div(tg_clock(pe), pe->m->cnt_hz, pe->m->insn_hz, false);
}

/* The clock (instructions) at which the counter reaches `cval`. */
static uint64_t clock_at(const struct cpu_pe *pe, uint64_t cval)
{
	if (cval > UINT64_MAX / pe->m->insn_hz) {
		return UINT64_MAX;
	}
	return mul_div(cval, pe->m->insn_hz, pe->m->cnt_hz, true);
}

static bool timer_live(uint64_t ctl)
{
	return (ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK);
}

static uint64_t ctl_read(const struct cpu_pe *pe, uint64_t ctl, uint64_t cval)
{
	ctl &= CNT_CTL_ENABLE | CNT_CTL_IMASK;
	if ((ctl & CNT_CTL_ENABLE) && counter(pe) >= cval) {
		ctl |= CNT_CTL_ISTATUS;
	}
	return ctl;
}

static unsigned lr_state(uint64_t lr)
{
	return (unsigned)ARCH_GET(lr, 63, 62);
}

static unsigned lr_priority(uint64_t lr)
{
	return (unsigned)ARCH_GET(lr, 55, 48);
}

/* The pending Group 1 LR of highest priority (lowest value) below the priority mask, or -1. */
static int best_pending(const struct cpu_pe *pe)
{
	const struct cpu_context *t = &pe->tg;
	unsigned pmr = (unsigned)ARCH_GET(t->ich_vmcr, 31, 24), best = 0x100;
	int n = -1;
	if (!(t->ich_hcr & ICH_HCR_EN) || !(t->ich_vmcr & ICH_VMCR_VENG1)) {
		return -1;
	}
	for (int i = 0; i < CPU_GIC_LRS; i++) {
		uint64_t lr = t->ich_lr[i];
		if ((lr_state(lr) & ICH_LR_STATE_PENDING) && (lr & ICH_LR_GROUP) &&
		    lr_priority(lr) < pmr && lr_priority(lr) < best) {
			best = lr_priority(lr);
			n = i;
		}
	}
	return n;
}

/* The priority of the highest active interrupt (ICC_RPR), IDLE_PRIORITY when none. */
static unsigned running_priority(const struct cpu_pe *pe)
{
	unsigned p = IDLE_PRIORITY;
	for (int i = 0; i < CPU_GIC_LRS; i++) {
		uint64_t lr = pe->tg.ich_lr[i];
		if ((lr_state(lr) & ICH_LR_STATE_ACTIVE) && lr_priority(lr) < p) {
			p = lr_priority(lr);
		}
	}
	return p;
}

/* Whether a List Register holds `intid`, pending or active. */
static bool in_flight(const struct cpu_pe *pe, uint64_t intid)
{
	for (int i = 0; i < CPU_GIC_LRS; i++) {
		if (lr_state(pe->tg.ich_lr[i]) && ICH_LR_VINTID(pe->tg.ich_lr[i]) == intid) {
			return true;
		}
	}
	return false;
}

/*
 * When a physical interrupt is raised at EL2: a timer's (level) interrupt as soon as its
 * condition holds, except while the host has its virtual interrupt in a List Register, pending
 * or active, as KVM keeps the physical interrupt masked until the guest has handled the
 * virtual one (once that is deactivated, a timer whose condition still holds fires again);
 * the host's own interrupt at its time (cpu_machine_set_host_irq).
 */
void tg_update(struct cpu_pe *pe)
{
	const struct cpu_context *t = &pe->tg;
	uint64_t at = UINT64_MAX;
	if (timer_live(t->cntv_ctl) && !in_flight(pe, INTID_VTIMER)) {
		at = clock_at(pe, t->cntv_cval);
	}
	if (timer_live(t->cntp_ctl) && !in_flight(pe, INTID_PTIMER)) {
		uint64_t p = clock_at(pe, t->cntp_cval);
		at = p < at ? p : at;
	}
	if (pe->m->host_irq_at != UINT64_MAX) {
		uint64_t h = clock_at(pe, pe->m->host_irq_at);
		at = h < at ? h : at;
	}
	pe->fire_at = at;
	int n = best_pending(pe);
	/* A pending interrupt is signalled only above the running priority (no preemption of an
	 * active one of higher priority). */
	pe->virq = n >= 0 && lr_priority(pe->tg.ich_lr[n]) < running_priority(pe);
	pe->fast = false; /* the timer's clock or the virtual IRQ changed: pe_refresh_fast */
}

bool tg_irq_masked(struct cpu_pe *pe)
{
	uint64_t daif = 0;
	uc_reg_read(pe->uc, UC_ARM64_REG_PSTATE, &daif);
	return (daif & PSTATE_I) != 0;
}

static uint64_t acknowledge(struct cpu_pe *pe)
{
	int n = best_pending(pe);
	if (n < 0 || lr_priority(pe->tg.ich_lr[n]) >= running_priority(pe)) {
		return SPURIOUS;
	}
	uint64_t *lr = &pe->tg.ich_lr[n];
	*lr = (*lr & ~ICH_LR_STATE_MASK) | ((uint64_t)ICH_LR_STATE_ACTIVE << ICH_LR_STATE_SHIFT);
	return ICH_LR_VINTID(*lr);
}

static void end_of_interrupt(struct cpu_pe *pe, uint64_t intid)
{
	for (int i = 0; i < CPU_GIC_LRS; i++) {
		uint64_t *lr = &pe->tg.ich_lr[i];
		if ((lr_state(*lr) & ICH_LR_STATE_ACTIVE) &&
		    ICH_LR_VINTID(*lr) == (intid & 0xffffff)) {
			*lr &= ~((uint64_t)ICH_LR_STATE_ACTIVE << ICH_LR_STATE_SHIFT);
			return;
		}
	}
}

bool tg_sysreg_read(struct cpu_pe *pe, uint32_t enc, uint64_t *v)
{
	const struct cpu_context *t = &pe->tg;
	switch (enc) {
	case CNTFRQ_EL0:
		*v = pe->m->cnt_hz;
		return true;
	case CNTPCT_EL0:
	case CNTVCT_EL0:
		*v = counter(pe);
		return true;
	case CNTV_CTL_EL0:
		*v = ctl_read(pe, t->cntv_ctl, t->cntv_cval);
		return true;
	case CNTV_CVAL_EL0:
		*v = t->cntv_cval;
		return true;
	case CNTV_TVAL_EL0:
		*v = (uint32_t)(t->cntv_cval - counter(pe));
		return true;
	case CNTP_CTL_EL0:
		*v = ctl_read(pe, t->cntp_ctl, t->cntp_cval);
		return true;
	case CNTP_CVAL_EL0:
		*v = t->cntp_cval;
		return true;
	case CNTP_TVAL_EL0:
		*v = (uint32_t)(t->cntp_cval - counter(pe));
		return true;
	case ICC_IAR1_EL1:
		*v = acknowledge(pe);
		tg_update(pe);
		return true;
	case ICC_HPPIR1_EL1: {
		int n = best_pending(pe);
		*v = n < 0 ? SPURIOUS : ICH_LR_VINTID(t->ich_lr[n]);
		return true;
	}
	case ICC_RPR_EL1:
		*v = running_priority(pe);
		return true;
	case ICC_PMR_EL1:
		*v = ARCH_GET(t->ich_vmcr, 31, 24);
		return true;
	case ICC_BPR1_EL1:
		*v = ARCH_GET(t->ich_vmcr, 20, 18);
		return true;
	case ICC_IGRPEN1_EL1:
		*v = (t->ich_vmcr & ICH_VMCR_VENG1) ? 1 : 0;
		return true;
	case ICC_CTLR_EL1:
		*v = (4ULL << 8); /* PRIbits: 5 priority bits; EOImode 0 */
		return true;
	case ICC_SRE_EL1:
		*v = 7; /* SRE, DFB, DIB: the system register interface, always */
		return true;
	default:
		return false;
	}
}

bool tg_sysreg_write(struct cpu_pe *pe, uint32_t enc, uint64_t v)
{
	struct cpu_context *t = &pe->tg;
	uint64_t now = counter(pe);
	switch (enc) {
	case CNTV_CTL_EL0:
		t->cntv_ctl = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
		break;
	case CNTV_CVAL_EL0:
		t->cntv_cval = v;
		break;
	case CNTV_TVAL_EL0:
		t->cntv_cval = now + (uint64_t)(int64_t)(int32_t)v;
		break;
	case CNTP_CTL_EL0:
		t->cntp_ctl = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
		break;
	case CNTP_CVAL_EL0:
		t->cntp_cval = v;
		break;
	case CNTP_TVAL_EL0:
		t->cntp_cval = now + (uint64_t)(int64_t)(int32_t)v;
		break;
	case ICC_EOIR1_EL1:
		end_of_interrupt(pe, v);
		break;
	case ICC_DIR_EL1:
		break; /* EOImode 0: EOIR already deactivated it */
	case ICC_PMR_EL1:
		t->ich_vmcr = ARCH_SET(t->ich_vmcr, 31, 24, v & 0xf8);
		break;
	case ICC_BPR1_EL1:
		t->ich_vmcr = ARCH_SET(t->ich_vmcr, 20, 18, v & 7);
		break;
	case ICC_IGRPEN1_EL1:
		t->ich_vmcr =
		    (v & 1) ? t->ich_vmcr | ICH_VMCR_VENG1 : t->ich_vmcr & ~ICH_VMCR_VENG1;
		break;
	case ICC_CTLR_EL1:
	case ICC_SRE_EL1:
		break; /* fixed */
	default:
		return false;
	}
	tg_update(pe);
	return true;
}

bool tg_emulate(struct cpu_pe *pe, uint64_t pc)
{
	bool ok;
	uint32_t op = pe_fetch_opcode(pe, pc, &ok);
	/* MRS/MSR (register) with op0 = 2 or 3: 1101010100 L 1 o0 op1 CRn CRm op2 Rt */
	if (!ok || (op & 0xffd00000U) != 0xd5100000U) {
		return false;
	}
	bool read = (op >> 21) & 1;
	unsigned rt = op & 31;
	uint32_t enc = CPU_SYSREG(2 + ((op >> 19) & 1), (op >> 16) & 7, (op >> 12) & 15,
				  (op >> 8) & 15, (op >> 5) & 7);
	uint64_t v = 0;
	if (read) {
		if (!tg_sysreg_read(pe, enc, &v)) {
			return false;
		}
		if (rt != 31) {
			cpu_pe_set_x(pe, rt, v);
		}
		return true;
	}
	if (rt != 31) {
		v = cpu_pe_get_x(pe, rt);
	}
	return tg_sysreg_write(pe, enc, v);
}

void tg_load(struct cpu_pe *pe, const struct cpu_context *ctx)
{
	pe->tg = *ctx;
	pe->tg.cntv_ctl &= CNT_CTL_ENABLE | CNT_CTL_IMASK;
	pe->tg.cntp_ctl &= CNT_CTL_ENABLE | CNT_CTL_IMASK;
	tg_update(pe);
}

void tg_save(const struct cpu_pe *pe, struct cpu_context *ctx)
{
	const struct cpu_context *t = &pe->tg;
	/* With ISTATUS, as the REC exit reports them; a load ignores it (computed). */
	ctx->cntv_ctl = ctl_read(pe, t->cntv_ctl, t->cntv_cval);
	ctx->cntv_cval = t->cntv_cval;
	ctx->cntp_ctl = ctl_read(pe, t->cntp_ctl, t->cntp_cval);
	ctx->cntp_cval = t->cntp_cval;
	ctx->ich_hcr = t->ich_hcr;
	ctx->ich_vmcr = t->ich_vmcr;
	for (int i = 0; i < CPU_GIC_LRS; i++) {
		ctx->ich_lr[i] = t->ich_lr[i];
	}
}
