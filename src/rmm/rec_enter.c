/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_REC_ENTER [S:B4.3.14, A4.2, A4.3]: the entry ladder, the run loop that lets the Realm PE
 * execute the REC until something needs the RMM, and the REC exit written into the run page.
 *
 * Exceptions the realm must take itself are injected the way hardware would deliver them,
 * since the PE does not vector (docs/unicorn.md): ELR_EL1/SPSR_EL1/ESR_EL1/FAR_EL1 are set in
 * the REC's context, PSTATE becomes EL1h with DAIF masked and the PC moves to VBAR_EL1 plus
 * the synchronous-exception offset for the EL and stack the realm was using.
 */
#include "rec.h"
#include "s2tt.h"

#include <string.h>

#define ENTER_LEN (RUN_ENTER_GICV3_LRS + 16 * 8)
/* What RmiRecExit.esr shows the host of a data abort it can emulate. */
#define ESR_DABT_EMUL                                                                              \
	(ESR_DABT_ISV | ESR_DABT_SAS_MASK | ESR_DABT_SSE | ESR_DABT_SRT_MASK | ESR_DABT_SF |       \
	 ESR_DABT_AR)

struct rmm_run_enter {
	uint64_t flags;
	uint64_t gprs[31];
	uint64_t gicv3_hcr;
	uint64_t gicv3_lrs[16];
};

static void enter_parse(const uint8_t *buf, struct rmm_run_enter *e)
{
	memcpy(&e->flags, buf + RUN_ENTER_FLAGS, 8);
	memcpy(e->gprs, buf + RUN_ENTER_GPRS, sizeof(e->gprs));
	memcpy(&e->gicv3_hcr, buf + RUN_ENTER_GICV3_HCR, 8);
	memcpy(e->gicv3_lrs, buf + RUN_ENTER_GICV3_LRS, sizeof(e->gicv3_lrs));
}

/*
 * The GIC CPU interface the RMM models: the platform's `gic_lrs` List Registers, 16-bit virtual
 * INTIDs, 5 priority bits, no NMI (ICH_VTR_EL2). ICH_HCR_EL2 bits the host may set [S:A6.1]: UIE,
 * LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE (bits 1-7) and TDIR (bit 14).
 */
#define GICV3_HCR_HOST (ARCH_MASK(7, 1) | ARCH_BIT(14))
/* RES0 in an ICH_LR<n>_EL2 with HW == 0: [59:56] (no NMI), [47:42] and [40:32] (pINTID
 * except EOI), the unimplemented priority bits [50:48] and the vINTID above bit 15. */
#define ICH_LR_RES0                                                                                \
	(ARCH_MASK(59, 56) | ARCH_MASK(47, 42) | ARCH_MASK(40, 32) |                               \
	 ((uint64_t)RMM_GIC_PRIORITY_RES0 << 48) | ARCH_MASK(31, 16))
#define GIC_MAX_VINTID 0xFFFFU

/*
 * Gicv3ConfigIsValid [S:B3.18, A6.1]: gicv3_hcr sets no bit outside the host's; every
 * gicv3_lrs[n] is an architecturally valid ICH_LR<n>_EL2 value with HW == 0. The function
 * takes all 16 values, so all 16 are checked, whatever their State, though only the first
 * `gic_lrs` are loaded.
 */
static bool gicv3_lrs_valid_spec(const uint64_t *lrs)
{
	for (unsigned i = 0; i < 16; i++) {
		if ((lrs[i] & ICH_LR_HW) || (lrs[i] & ICH_LR_RES0)) {
			return false;
		}
	}
	return true;
}

/* TR19: TF-RMM checks only the List Registers the PE implements whose State is not Invalid:
 * HW, the pINTID bits but EOI, the priority's RES0 bits, the vINTID's range (SGI/PPI/SPI or
 * LPI), and that no two name the same vINTID. */
static bool gicv3_lrs_valid_tf_rmm(const uint64_t *lrs, unsigned nlrs)
{
	for (unsigned i = 0; i < nlrs; i++) {
		uint64_t lr = lrs[i], id = ICH_LR_VINTID(lr);
		if ((lr >> ICH_LR_STATE_SHIFT) == 0) {
			continue;
		}
		if ((lr & ICH_LR_HW) || (lr & ICH_LR_PINTID & ~ICH_LR_EOI) ||
		    (ICH_LR_PRIORITY(lr) & RMM_GIC_PRIORITY_RES0) ||
		    !(id <= GIC_MAX_SPI || (id >= GIC_MIN_LPI && id <= GIC_MAX_VINTID))) {
			return false;
		}
		for (unsigned j = i + 1; j < nlrs; j++) {
			if ((lrs[j] >> ICH_LR_STATE_SHIFT) != 0 && ICH_LR_VINTID(lrs[j]) == id) {
				return false;
			}
		}
	}
	return true;
}

static bool gicv3_config_is_valid(const struct rmm *r, const struct rmm_run_enter *e)
{
	if (e->gicv3_hcr & ~GICV3_HCR_HOST) {
		return false;
	}
	return tr19_gic_checks_live_lrs(r)
		   ? gicv3_lrs_valid_tf_rmm(e->gicv3_lrs, r->cfg.features.gic_lrs)
		   : gicv3_lrs_valid_spec(e->gicv3_lrs);
}

static struct rmi_ret check_run_addr(struct rmm *r, uint64_t run_pa)
{
	if (!GRANULE_ALIGNED(run_pa)) {
		return rmi_fail(COND_run_align);
	}
	if (!rmm_pa_delegable(r, run_pa)) {
		return rmi_fail(COND_run_bound);
	}
	return rmi_ok();
}

/* Reading `enter` is where a run page outside the NS PAS shows up [S:A4.2.2]. */
static struct rmi_ret read_enter(struct rmm *r, uint64_t run_pa, struct rmm_run_enter *e)
{
	uint8_t buf[ENTER_LEN];
	if (r->plat.ns_read(r->plat.ctx, run_pa, buf, sizeof(buf)) != 0) {
		return rmi_fail(COND_run_pas);
	}
	enter_parse(buf, e);
	return rmi_ok();
}

static struct rmi_ret check_rec(struct rmm *r, uint64_t rec_pa, struct rec *rec, struct rd *rd,
				bool *loaded)
{
	TRY(check_granule(r, rec_pa, GRANULE_REC, COND_rec_align, COND_rec_bound,
			  COND_rec_gran_state));
	rec_load(r, rec_pa, rec);
	rd_load(r, rec->owner, rd);
	*loaded = true;
	return rmi_ok();
}

/*
 * The entry ladder. Spec profile: the REC, then the run page (the first group is unordered),
 * then realm before REC conditions (so that every REC of a SYSTEM_OFF realm reports
 * system_off, E4). tf-rmm profile (TR13): the run page must be an NS granule (by the RMM's
 * own granule state), then the REC and whether it runs, then `enter` is read, then TF-RMM's
 * order for the rest.
 */
static struct rmi_ret rec_enter_ladder(struct rmm *r, uint64_t rec_pa, uint64_t run_pa,
				       struct rec *rec, struct rd *rd, struct rmm_run_enter *e,
				       bool *loaded)
{
	if (tr13_tf_rmm_check_order(r)) {
		TRY(check_run_addr(r, run_pa));
		if (gst_get(r, run_pa) != GRANULE_UNDELEGATED) {
			return rmi_fail(COND_run_pas);
		}
		TRY(check_rec(r, rec_pa, rec, rd, loaded));
		if (rec->state == REC_RUNNING) {
			return rmi_fail(COND_rec_state);
		}
		TRY(read_enter(r, run_pa, e));
	} else {
		TRY(check_rec(r, rec_pa, rec, rd, loaded));
		TRY(check_run_addr(r, run_pa));
		TRY(read_enter(r, run_pa, e));
	}
	if (rd->state == REALM_NEW) {
		return rmi_fail(COND_realm_new);
	}
	if (rd->state == REALM_SYSTEM_OFF) {
		return rmi_fail(COND_system_off);
	}
	if (!tr13_tf_rmm_check_order(r) && rec->state == REC_RUNNING) {
		return rmi_fail(COND_rec_state);
	}
	if (!rec->runnable) {
		return rmi_fail(COND_rec_runnable);
	}
	if (rec->psci_pending) {
		return rmi_fail(COND_rec_psci);
	}
	if (!gicv3_config_is_valid(r, e)) {
		return rmi_fail(COND_rec_gicv3);
	}
	if ((e->flags & REC_ENTER_FLAG_EMUL_MMIO) && !rec->emulatable_abort) {
		return rmi_fail(COND_rec_mmio);
	}
	return rmi_ok();
}

/* The vector a synchronous exception (or an IRQ) taken now goes to: VBAR_EL1 plus the offset
 * for the EL and stack the realm is using. */
static uint64_t vector_of(const struct cpu_context *c, bool irq)
{
	uint64_t m = c->pstate & PSTATE_M_MASK;
	if (irq) {
		return c->vbar_el1 + (m == 0x5   ? VECTOR_IRQ_CUR_SPX
				      : m == 0x4 ? VECTOR_IRQ_CUR_SP0
						 : VECTOR_IRQ_LOWER_A64);
	}
	return c->vbar_el1 + (m == 0x5   ? VECTOR_CUR_SPX
			      : m == 0x4 ? VECTOR_CUR_SP0
					 : VECTOR_LOWER_A64);
}

/* Exception entry to EL1 at `vector`, returning to `elr`: every PSTATE mask set, EL1h. */
static void enter_exception(struct cpu_context *c, uint64_t vector, uint64_t elr)
{
	c->elr_el1 = elr;
	c->spsr_el1 = c->pstate;
	c->pstate = PSTATE_EL1H;
	c->pc = vector;
}

static void inject_sync_exception(struct cpu_context *c, uint64_t esr, uint64_t far, uint64_t elr)
{
	c->esr_el1 = esr;
	c->far_el1 = far;
	enter_exception(c, vector_of(c, false), elr);
}

/*
 * The Realm PE takes a virtual IRQ that its GIC interface signals (cpu layer, CPU_TRAP_VIRQ),
 * between two instructions as hardware does: to the IRQ vector for its EL and stack, every
 * PSTATE mask set; the `interrupt` event names the highest-priority pending INTID.
 */
static void take_virq(struct rmm *r, struct rec *rec, uint64_t pc)
{
	struct cpu_context *c = &rec->ctx;
	uint64_t intid = 1023;
	unsigned best = 0x100;
	for (unsigned i = 0; i < r->cfg.features.gic_lrs; i++) {
		uint64_t lr = c->ich_lr[i];
		if ((lr >> ICH_LR_STATE_SHIFT) & ICH_LR_STATE_PENDING &&
		    ICH_LR_PRIORITY(lr) < best) {
			best = (unsigned)ICH_LR_PRIORITY(lr);
			intid = ICH_LR_VINTID(lr);
		}
	}
	enter_exception(c, vector_of(c, true), pc);
	struct trace_event *ev = trace_begin(r->t, TE_interrupt);
	trace_int(ev, "rec", (int64_t)rec->index);
	trace_int(ev, "intid", (int64_t)intid);
	trace_hex(ev, "vector", c->pc);
	trace_realm(r->t, ev, rec->owner);
	trace_end(r->t, ev);
}

/*
 * The exceptions delivered to the realm in one RMI_REC_ENTER since it last retired an
 * instruction, to recognise a fault loop (struct rmm_fault_loop).
 */
struct fault_chain {
	unsigned n;
	uint64_t first_pc, first_esr, first_far;
	uint64_t last_pc, last_esr;
};

/*
 * Delivers a synchronous exception that the realm takes at `pc` (the instruction it concerns;
 * ELR_EL1 = elr), as hardware would. Returns false instead when it is the exception delivered
 * last, at the same PC, with nothing retired since: the fault loop is recorded.
 */
static bool realm_take(struct rmm *r, struct rec *rec, struct fault_chain *fc, uint64_t pc,
		       uint64_t esr, uint64_t far, uint64_t elr)
{
	if (fc->n > 0 && fc->last_pc == pc && fc->last_esr == esr) {
		r->last_run = RMM_RUN_FAULT_LOOP;
		r->fault_loop = (struct rmm_fault_loop){
		    .rd = rec->owner,
		    .rec = rec->index,
		    .n = fc->n,
		    .first_pc = fc->first_pc,
		    .first_esr = fc->first_esr,
		    .first_far = fc->first_far,
		    .pc = pc,
		    .esr = esr,
		    .far = far,
		    .vector = vector_of(&rec->ctx, false),
		    .vbar = rec->ctx.vbar_el1,
		};
		return false;
	}
	if (fc->n++ == 0) {
		fc->first_pc = pc;
		fc->first_esr = esr;
		fc->first_far = far;
	}
	fc->last_pc = pc;
	fc->last_esr = esr;
	inject_sync_exception(&rec->ctx, esr, far, elr);
	return true;
}

/* realm_take for a trap of the run; a fault loop ends the run (an IRQ exit, as the host's
 * timer would end it on hardware). */
static enum smc_outcome deliver(struct rmm *r, struct rec *rec, struct fault_chain *fc,
				const struct cpu_trap *t, uint64_t esr, uint64_t far, uint64_t elr,
				struct rec_exit *exit)
{
	if (realm_take(r, rec, fc, t->pc, esr, far, elr)) {
		return SMC_RESUME;
	}
	exit->reason = RMI_EXIT_IRQ;
	return SMC_EXIT;
}

/* The syndrome of a Synchronous External Abort on the realm's own access (RIPAS EMPTY, fetch
 * from NS), for a trap of kind DABT or IABT taken from the realm's current EL. */
static uint64_t sea_esr(const struct cpu_context *c, const struct cpu_trap *t)
{
	bool from_el1 = (c->pstate & PSTATE_M_MASK) >= PSTATE_M_EL1T;
	unsigned ec = t->kind == CPU_TRAP_IABT ? (from_el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW)
					       : (from_el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW);
	uint64_t wnr = t->kind == CPU_TRAP_DABT ? (t->esr & ESR_DABT_WNR) : 0;
	return ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | wnr | ESR_FSC_SEA;
}

/* The access-size part of an emulated MMIO value (ISS.SAS), sign-extended for a load when
 * ISS.SSE says so, to 64 or 32 bits per ISS.SF. */
static uint64_t mmio_value(uint64_t esr, uint64_t v, bool load)
{
	unsigned bits = 8U << ((esr >> 22) & 3);
	if (bits < 64) {
		v &= (1ULL << bits) - 1;
	}
	if (load && (esr & ESR_DABT_SSE) && bits < 64 && (v >> (bits - 1)) & 1) {
		v |= ~((1ULL << bits) - 1);
	}
	if (load && !(esr & ESR_DABT_SF)) {
		v &= 0xffffffffULL;
	}
	return v;
}

/* A stage-1 Address Size Fault taken to the realm (an access beyond its IPA space [S:A5.2.8]):
 * at the level of the stage-1 descriptor that gave the IPA, level 0 with stage 1 off. */
static uint64_t addr_size_esr(const struct cpu_context *c, const struct cpu_trap *t)
{
	uint64_t esr = sea_esr(c, t) & ~(uint64_t)ESR_FSC_MASK;
	return esr | ESR_FSC_ADDR_SIZE(t->s1_level);
}

static uint64_t abort_ipa(const struct cpu_trap *t)
{
	return ((t->hpfar >> 4) << GRANULE_SHIFT) | (t->far & GRANULE_MASK);
}

/*
 * A stage-2 abort [S:A4.3.4, A5.2.9]. An access beyond the IPA space is the realm's own fault,
 * a stage-1 Address Size Fault [S:A5.2.8]; so are RIPAS EMPTY and instruction fetches from
 * Unprotected IPAs, an SEA. Otherwise a REC exit SYNC, filtered: an
 * emulatable data abort (Unprotected IPA, ISV = 1) exposes ISV/SAS/SSE/SRT/SF/AR/WnR/DFSC and
 * the page offset of FAR; any other only EC, IL and the fault status code, and FAR = 0.
 */
static enum smc_outcome handle_s2_abort(struct rmm *r, const struct rd *rd, struct rec *rec,
					struct fault_chain *fc, const struct cpu_trap *t,
					struct rec_exit *exit)
{
	uint64_t ipa = abort_ipa(t);
	struct rtt_walk w;
	bool prot = ipa_is_protected(rd, ipa);

	if (ipa >> rd->ipa_width) {
		return deliver(r, rec, fc, t, addr_size_esr(&rec->ctx, t), t->far, t->pc, exit);
	}
	if (prot) {
		rtt_walk(r, rd, ipa, RTT_PAGE_LEVEL, &w);
		if (s2tte_ripas(w.entry, w.level) == RIPAS_EMPTY) {
			return deliver(r, rec, fc, t, sea_esr(&rec->ctx, t), t->far, t->pc, exit);
		}
	} else if (t->kind == CPU_TRAP_IABT) {
		return deliver(r, rec, fc, t, sea_esr(&rec->ctx, t), t->far, t->pc, exit);
	}
	exit->reason = RMI_EXIT_SYNC;
	exit->hpfar = t->hpfar;
	exit->esr = (t->esr & (ESR_EC_MASK | ESR_IL)) | (t->esr & ESR_FSC_MASK);
	if (!prot && t->kind == CPU_TRAP_DABT) {
		/* The host may answer it with an SEA [S:A4.2, A5.2.7], emulatable or not. */
		rec->unprotected_abort = 1;
		rec->abort_esr = t->esr;
	}
	if (!prot && t->kind == CPU_TRAP_DABT && (t->esr & ESR_DABT_ISV)) {
		exit->esr |= t->esr & (ESR_DABT_EMUL | ESR_DABT_WNR);
		exit->far = t->far & GRANULE_MASK;
		rec->emulatable_abort = 1;
		if ((t->esr & ESR_DABT_WNR) && ESR_DABT_SRT(t->esr) < 31) {
			exit->gprs[0] = mmio_value(t->esr, rec->ctx.x[ESR_DABT_SRT(t->esr)], false);
		}
	}
	return SMC_EXIT;
}

static enum smc_outcome handle_realm_smc(struct rmm *r, uint64_t rec_pa, struct rec *rec,
					 struct rec_exit *exit)
{
	uint64_t fid = rec->ctx.x[0] & ~SMCCC_SVE_HINT;

	if (psci_fid_is_psci(fid)) {
		return handle_realm_psci(r, rec_pa, rec, exit);
	}
	if (fid >= RSI_FID_FIRST && fid <= RSI_FID_LAST) {
		return handle_realm_rsi(r, rec_pa, rec, exit);
	}
	if (fid == SMCCC_VERSION && tr10_smccc_version_answered(r)) {
		rec->ctx.x[0] = 0x10002; /* SMCCC 1.2 */
	} else {
		rec->ctx.x[0] = SMCCC_NOT_SUPPORTED;
	}
	return SMC_RESUME;
}

/* One trap from the Realm PE. */
static enum smc_outcome handle_trap(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				    struct fault_chain *fc, const struct cpu_trap *t,
				    struct rec_exit *exit)
{
	struct rd rd;
	struct cpu_context *c = &rec->ctx;

	switch (t->kind) {
	case CPU_TRAP_SMC_TRAPPED:
		c->pc = t->pc + 4; /* the trapped SMC completes when the RMM resumes the REC */
		fc->n = 0;
		return handle_realm_smc(r, rec_pa, rec, exit);
	case CPU_TRAP_HVC:
		/* No HVC conduit in a realm [S:A4.5]: an Unknown exception at the HVC. */
		return deliver(r, rec, fc, t, ESR_IL, 0, t->pc, exit);
	case CPU_TRAP_DABT:
	case CPU_TRAP_IABT:
		if (t->s2) {
			rd_load(r, rec->owner, &rd);
			return handle_s2_abort(r, &rd, rec, fc, t, exit);
		}
		return deliver(r, rec, fc, t, t->esr, t->far, t->pc, exit);
	case CPU_TRAP_SVC:
		return deliver(r, rec, fc, t, t->esr, 0, t->return_pc, exit);
	case CPU_TRAP_UNDEF:
		if (t->to_el == 2 && emulate_id_reg_read(r, rec, t->esr)) {
			c->pc = t->pc + 4; /* the MRS completes with the value the RMM gave */
			fc->n = 0;
			return SMC_RESUME;
		}
		return deliver(r, rec, fc, t, t->esr, t->far, t->pc, exit);
	case CPU_TRAP_GPF:
		/* SCR_EL3.GPF = HCR_EL2.GPF = 0: a GPF on the realm's access is its own abort. */
		return deliver(r, rec, fc, t, t->esr, t->far, t->pc, exit);
	case CPU_TRAP_BUDGET:
		r->last_run = RMM_RUN_BUDGET;
		exit->reason = RMI_EXIT_IRQ;
		return SMC_EXIT;
	case CPU_TRAP_IRQ:
		/* A physical interrupt (the realm's own timer): the host's to handle. */
		c->pc = t->return_pc;
		exit->reason = RMI_EXIT_IRQ;
		return SMC_EXIT;
	case CPU_TRAP_IDLE:
		/* WFI with nothing to wake the REC: on hardware the host's tick would end it. */
		c->pc = t->return_pc;
		r->last_run = RMM_RUN_IDLE;
		exit->reason = RMI_EXIT_IRQ;
		return SMC_EXIT;
	case CPU_TRAP_WFX:
		/* Trapped by the host's trap_wfi/trap_wfe: EC and TI only [S:A4.3.4.6]. */
		c->pc = t->return_pc;
		exit->reason = RMI_EXIT_SYNC;
		exit->esr = t->esr & (ESR_EC_MASK | ESR_IL | ESR_WFX_TI);
		return SMC_EXIT;
	case CPU_TRAP_VIRQ:
		take_virq(r, rec, t->pc);
		return SMC_RESUME;
	default:
		r->last_run = RMM_RUN_ERROR;
		exit->reason = RMI_EXIT_IRQ;
		return SMC_EXIT;
	}
}

/*
 * Entry processing after a previous exit [S:A4.2.2, 5.4]. Returns false when the REC cannot
 * run: the host call's buffer is no longer mapped, so the entry ends at once in a REC exit
 * for a stage-2 data abort at it (host_call_pending stays set until the host maps it).
 */
static bool rec_apply_entry(struct rmm *r, struct rec *rec, const struct rmm_run_enter *e,
			    struct fault_chain *fc, struct rec_exit *exit)
{
	struct cpu_context *c = &rec->ctx;

	if (rec->psci_report) {
		/* A completed PSCI_CPU_ON/AFFINITY_INFO: X0 already holds the result. */
		struct realm_call call = {.fid = rec->psci_report_fid,
					  .args = rec->psci_report_args,
					  .nargs = rec->psci_report_nargs,
					  .has_result = true,
					  .result = c->x[0]};
		trace_realm_call(r, rec, RMM_IFACE_PSCI, &call);
		rec->psci_report = 0;
	}
	if (rec->host_call_pending) {
		struct rd rd;
		uint64_t pa;
		unsigned ripas;
		rd_load(r, rec->owner, &rd);
		if (!rtt_ipa_to_pa(r, &rd, rec->host_call_ipa, &pa, &ripas)) {
			exit->reason = RMI_EXIT_SYNC;
			exit->esr = ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL |
				    ESR_DABT_WNR | ESR_FSC_TRANS(3);
			exit->hpfar = (rec->host_call_ipa >> GRANULE_SHIFT) << 4;
			return false;
		}
		rmm_write(r, pa + HOST_CALL_GPRS, e->gprs, sizeof(e->gprs));
		rec->host_call_pending = 0;
		c->x[0] = RSI_SUCCESS;
		trace_rsi_result(r, rec, rmm_rsi_command(RSI_HOST_CALL), &rec->host_call_ipa, NULL);
	}
	if (rec->ripas_pending) {
		bool reject =
		    (e->flags & REC_ENTER_FLAG_RIPAS_RESPONSE) && rec->ripas_addr != rec->ripas_top;
		c->x[0] = RSI_SUCCESS;
		c->x[1] = rec->ripas_addr;
		c->x[2] = reject ? RSI_REJECT : RSI_ACCEPT;
		rec->ripas_pending = 0;
		/* The realm's call returns now: new_base and response are its results. */
		trace_rsi_result(r, rec, rmm_rsi_command(RSI_IPA_STATE_SET), rec->ripas_call_args,
				 NULL);
	}
	/* After a data abort at an Unprotected IPA, inject_sea makes the realm take an SEA at
	 * the access, and emul_mmio is then ignored [S:A4.2]; emul_mmio completes an emulatable
	 * one (ISV = 1) with the host's value. */
	if (rec->unprotected_abort && (e->flags & REC_ENTER_FLAG_INJECT_SEA)) {
		struct cpu_trap t = {.kind = CPU_TRAP_DABT, .pc = c->pc, .esr = rec->abort_esr};
		/* The first of the chain: cannot be a loop yet. */
		realm_take(r, rec, fc, c->pc, sea_esr(c, &t), 0, c->pc);
	} else if (rec->emulatable_abort && (e->flags & REC_ENTER_FLAG_EMUL_MMIO)) {
		uint64_t esr = rec->abort_esr;
		if (!(esr & ESR_DABT_WNR) && ESR_DABT_SRT(esr) < 31) {
			c->x[ESR_DABT_SRT(esr)] = mmio_value(esr, e->gprs[0], true);
		}
		c->pc += 4;
	}
	rec->emulatable_abort = 0;
	rec->unprotected_abort = 0;
	return true;
}

static void exit_serialise(const struct rec_exit *x, uint8_t *buf)
{
	uint64_t ripas_value = x->ripas_value & 0xff, imm = x->imm & 0xffff;
	memset(buf, 0, 0x800);
	memcpy(buf + RUN_EXIT_REASON - RUN_EXIT_BASE, &x->reason, 8);
	memcpy(buf + RUN_EXIT_ESR - RUN_EXIT_BASE, &x->esr, 8);
	memcpy(buf + RUN_EXIT_FAR - RUN_EXIT_BASE, &x->far, 8);
	memcpy(buf + RUN_EXIT_HPFAR - RUN_EXIT_BASE, &x->hpfar, 8);
	memcpy(buf + RUN_EXIT_GPRS - RUN_EXIT_BASE, x->gprs, sizeof(x->gprs));
	memcpy(buf + RUN_EXIT_RIPAS_BASE - RUN_EXIT_BASE, &x->ripas_base, 8);
	memcpy(buf + RUN_EXIT_RIPAS_TOP - RUN_EXIT_BASE, &x->ripas_top, 8);
	memcpy(buf + RUN_EXIT_RIPAS_VALUE - RUN_EXIT_BASE, &ripas_value, 8);
	memcpy(buf + RUN_EXIT_IMM - RUN_EXIT_BASE, &imm, 8);
	memcpy(buf + RUN_EXIT_GICV3_HCR - RUN_EXIT_BASE, &x->gicv3_hcr, 8);
	memcpy(buf + RUN_EXIT_GICV3_LRS - RUN_EXIT_BASE, x->gicv3_lrs, sizeof(x->gicv3_lrs));
	memcpy(buf + RUN_EXIT_GICV3_MISR - RUN_EXIT_BASE, &x->gicv3_misr, 8);
	memcpy(buf + RUN_EXIT_GICV3_VMCR - RUN_EXIT_BASE, &x->gicv3_vmcr, 8);
	memcpy(buf + RUN_EXIT_CNTP_CTL - RUN_EXIT_BASE, &x->cntp_ctl, 8);
	memcpy(buf + RUN_EXIT_CNTP_CVAL - RUN_EXIT_BASE, &x->cntp_cval, 8);
	memcpy(buf + RUN_EXIT_CNTV_CTL - RUN_EXIT_BASE, &x->cntv_ctl, 8);
	memcpy(buf + RUN_EXIT_CNTV_CVAL - RUN_EXIT_BASE, &x->cntv_cval, 8);
}

/* What every REC exit reports of the REC's GIC CPU interface and timers [S:A4.3.6, A4.3.7]:
 * the List Registers as the realm left them, ICH_HCR_EL2 without the RMM's own En, and the
 * EL1 timers with ISTATUS. */
static void exit_gic_timers(const struct cpu_context *c, unsigned nlrs, struct rec_exit *x)
{
	x->gicv3_hcr = c->ich_hcr & ~(uint64_t)ICH_HCR_EN;
	for (unsigned i = 0; i < nlrs; i++) {
		x->gicv3_lrs[i] = c->ich_lr[i];
	}
	x->gicv3_vmcr = c->ich_vmcr;
	x->cntp_ctl = c->cntp_ctl;
	x->cntp_cval = c->cntp_cval;
	x->cntv_ctl = c->cntv_ctl;
	x->cntv_cval = c->cntv_cval;
}

/* What the host gives a REC on entry [S:A4.2.1, A6.1]: its List Registers and ICH_HCR_EL2
 * bits (checked by Gicv3ConfigIsValid), the RMM enabling the interface, and the WFI/WFE
 * traps it asks for. */
static void enter_gic_traps(struct cpu_context *c, unsigned nlrs, const struct rmm_run_enter *e)
{
	c->ich_hcr = (e->gicv3_hcr & GICV3_HCR_HOST) | ICH_HCR_EN;
	for (unsigned i = 0; i < nlrs; i++) {
		c->ich_lr[i] = e->gicv3_lrs[i];
	}
	c->hcr_el2 = rec_hcr_el2() | ((e->flags & REC_ENTER_FLAG_TRAP_WFI) ? HCR_TWI : 0) |
		     ((e->flags & REC_ENTER_FLAG_TRAP_WFE) ? HCR_TWE : 0);
}

void trace_realm_call(struct rmm *r, const struct rec *rec, enum rmm_interface iface,
		      const struct realm_call *c)
{
	bool psci = iface == RMM_IFACE_PSCI;
	struct trace_event *ev = trace_begin(r->t, psci ? TE_psci : TE_rsi);
	if (!ev) {
		return;
	}
	const char *call = abi_name(ABI_FID, c->fid);
	trace_int(ev, "rec", (int64_t)rec->index);
	if (call) {
		trace_name(ev, "call", call);
	} else {
		trace_hex(ev, "call", c->fid);
	}
	trace_hexlist(ev, "args", c->args, c->nargs);
	if (c->has_result) {
		const char *name = abi_name(psci ? ABI_PSCI_RET : ABI_RSI_RET, c->result);
		if (name) {
			trace_name(ev, "result", name);
		} else {
			trace_hex(ev, "result", c->result);
		}
	}
	if (c->cond) {
		trace_name(ev, "condition", c->cond);
	}
	if (c->cmd) {
		/* RSI_INCOMPLETE is no failure: the part of the token handed over is its output. */
		rmm_trace_outputs(ev, c->cmd, rec->ctx.x,
				  c->result == RSI_SUCCESS || c->result == RSI_INCOMPLETE);
	}
	trace_realm(r->t, ev, rec->owner);
	trace_end(r->t, ev);
}

static void trace_rec_enter(struct rmm *r, const struct rec *rec, struct rmi_ret ret)
{
	struct trace_event *ev = trace_begin(r->t, TE_rec_enter);
	if (!ev) {
		return;
	}
	trace_int(ev, "rec", (int64_t)rec->index);
	trace_name(ev, "status", abi_name(ABI_RMI_STATUS, cond_status(CT_RMI_REC_ENTER, ret.cond)));
	trace_realm(r->t, ev, rec->owner);
	trace_end(r->t, ev);
}

static void trace_rec_exit(struct rmm *r, const struct rec *rec, const struct rec_exit *x)
{
	struct trace_event *ev = trace_begin(r->t, TE_rec_exit);
	if (!ev) {
		return;
	}
	trace_int(ev, "rec", (int64_t)rec->index);
	trace_name(ev, "reason", abi_name(ABI_EXIT_REASON, x->reason));
	trace_hexlist(ev, "gprs", x->gprs, 7);
	trace_hex(ev, "esr", x->esr);
	trace_hex(ev, "far", x->far);
	trace_hex(ev, "hpfar", x->hpfar);
	if (x->reason == RMI_EXIT_HOST_CALL) {
		trace_hex(ev, "imm", x->imm);
	}
	/* Where the REC stopped: it resumes there (after a call, the instruction after its SMC). */
	trace_code_address(r->t, ev, rec->owner, rec->ctx.pc);
	/* The timers, once the realm has used one (every exit reports them to the host). */
	if (x->cntv_ctl || x->cntp_ctl) {
		trace_hex(ev, "cntv_ctl", x->cntv_ctl);
		trace_hex(ev, "cntv_cval", x->cntv_cval);
		trace_hex(ev, "cntp_ctl", x->cntp_ctl);
		trace_hex(ev, "cntp_cval", x->cntp_cval);
	}
	trace_realm(r->t, ev, rec->owner);
	trace_end(r->t, ev);
}

/* Runs the REC until it needs the host; fills `exit`. */
static void rec_run(struct rmm *r, uint64_t rec_pa, struct rec *rec, struct fault_chain *fc,
		    struct rec_exit *exit)
{
	uint64_t budget = r->cfg.run_budget;

	for (;;) {
		struct cpu_trap t;
		memset(&t, 0, sizeof(t));
		if (r->plat.run_rec(r->plat.ctx, &rec->ctx, budget, &t) != 0) {
			t.kind = CPU_TRAP_ERROR;
		}
		/* Entries and exceptions spend the budget too (cpu_trap_cost). */
		if (r->cfg.run_budget) {
			uint64_t cost = cpu_trap_cost(&t);
			budget -= cost < budget ? cost : budget;
			if (budget == 0 && t.kind != CPU_TRAP_ERROR) {
				t.kind = CPU_TRAP_BUDGET;
			}
		}
		if (t.insns > 0) {
			fc->n = 0;
		}
		if (handle_trap(r, rec_pa, rec, fc, &t, exit) == SMC_EXIT) {
			return;
		}
	}
}

struct rmi_ret smc_rec_enter(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rec_pa = a[1], run_pa = a[2];
	struct rmm_run_enter e;
	struct rec rec;
	struct rd rd;
	struct rec_exit exit;
	uint8_t buf[0x800];
	bool loaded = false;

	memset(&e, 0, sizeof(e));
	struct rmi_ret ret = rec_enter_ladder(r, rec_pa, run_pa, &rec, &rd, &e, &loaded);
	if (loaded) {
		trace_rec_enter(r, &rec, ret);
	}
	if (ret.cond != COND_NONE) {
		return ret;
	}

	r->last_run = RMM_RUN_OK;
	memset(&exit, 0, sizeof(exit));
	struct fault_chain fc = {0};
	enter_gic_traps(&rec.ctx, r->cfg.features.gic_lrs, &e);
	if (rec_apply_entry(r, &rec, &e, &fc, &exit)) {
		rec.state = REC_RUNNING;
		rec_store(r, rec_pa, &rec);
		rec_run(r, rec_pa, &rec, &fc, &exit);
		rec.state = REC_READY;
	}
	rec_store(r, rec_pa, &rec);

	exit_gic_timers(&rec.ctx, r->cfg.features.gic_lrs, &exit);
	exit_serialise(&exit, buf);
	trace_rec_exit(r, &rec, &exit);
	/* A GPF on writing `exit` makes the command fail [S:A4.3.3] (the REC has run). */
	if (r->plat.ns_write(r->plat.ctx, run_pa + RUN_EXIT_BASE, buf, sizeof(buf)) != 0) {
		return rmi_fail(COND_run_pas);
	}
	return rmi_ok();
}
