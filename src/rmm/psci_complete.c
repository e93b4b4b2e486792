/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_PSCI_COMPLETE [S:B4.3.7, B3.27, B4.3.7.3; docs/profiles.md]: the host's answer to a
 * realm's PSCI_CPU_ON or PSCI_AFFINITY_INFO.
 *
 * Inputs by revision: 1.0-eac2 (calling, target); 1.0-eac3 and 1.0-rel0 (calling, target,
 * status); 2.0 draft (calling, status), the target being the REC whose MPIDR the realm passed.
 */
#include "rec.h"

#include <string.h>

struct complete_args {
	uint64_t calling_pa, target_pa, status;
	struct rec calling, target;
};

static bool is_cpu_on(uint64_t fid)
{
	return (fid | (1ULL << 30)) == PSCI_CPU_ON;
}

/* PsciReturnCodePermitted [S:B3.27]; eac2 has no status: the completion always succeeds. */
static bool psci_status_permitted(const struct complete_args *c)
{
	if (c->status == PSCI_SUCCESS) {
		return true;
	}
	bool may_deny = !c->target.runnable || rmm_test_fault(RMM_FAULT_DENY_RUNNABLE);
	return is_cpu_on(c->calling.ctx.x[0]) && may_deny && c->status == PSCI_DENIED;
}

static struct rmi_ret load_rec(struct rmm *r, uint64_t pa, struct rec *rec, enum cond_id align,
			       enum cond_id bound, enum cond_id state)
{
	TRY(check_granule(r, pa, GRANULE_REC, align, bound, state));
	rec_load(r, pa, rec);
	return rmi_ok();
}

/*
 * 1.0 ladder. The spec orders none of these conditions (all INPUT). Spec profile: the order of
 * the spec's table (alias, calling, target, pending, owner, target, status). tf-rmm profile
 * (TR13): both alignments, then bound and state of each, then alias.
 */
static struct rmi_ret ladder_1_0(struct rmm *r, struct complete_args *c)
{
	if (tr13_tf_rmm_check_order(r)) {
		if (!GRANULE_ALIGNED(c->calling_pa)) {
			return rmi_fail(COND_calling_align);
		}
		if (!GRANULE_ALIGNED(c->target_pa)) {
			return rmi_fail(COND_target_align);
		}
		TRY(load_rec(r, c->calling_pa, &c->calling, COND_calling_align, COND_calling_bound,
			     COND_calling_state));
		TRY(load_rec(r, c->target_pa, &c->target, COND_target_align, COND_target_bound,
			     COND_target_state));
		if (c->calling_pa == c->target_pa) {
			return rmi_fail(COND_alias);
		}
	} else {
		if (c->calling_pa == c->target_pa) {
			return rmi_fail(COND_alias);
		}
		TRY(load_rec(r, c->calling_pa, &c->calling, COND_calling_align, COND_calling_bound,
			     COND_calling_state));
		TRY(load_rec(r, c->target_pa, &c->target, COND_target_align, COND_target_bound,
			     COND_target_state));
	}
	/* A running calling REC has no pending request either (TR12). */
	if (!c->calling.psci_pending || c->calling.state == REC_RUNNING) {
		return rmi_fail(COND_pending);
	}
	if (c->target.owner != c->calling.owner) {
		return rmi_fail(COND_owner);
	}
	if (rec_index_from_target(c->calling.ctx.x[1]) != (int64_t)c->target.index) {
		return rmi_fail(COND_target);
	}
	return rmi_ok();
}

/* 2.0 draft ladder: no target argument, so no alias/target_* /owner/target conditions; the
 * RMM finds the target from the MPIDR saved at the exit. */
static struct rmi_ret ladder_2_0(struct rmm *r, struct complete_args *c)
{
	struct rd rd;

	TRY(load_rec(r, c->calling_pa, &c->calling, COND_calling_align, COND_calling_bound,
		     COND_calling_state));
	if (!c->calling.psci_pending || c->calling.state == REC_RUNNING) {
		return rmi_fail(COND_pending);
	}
	rd_load(r, c->calling.owner, &rd);
	int64_t idx = rec_index_from_target(c->calling.ctx.x[1]);
	/* The target was destroyed since the request (possible only under TR9). */
	if (idx < 0 || idx > (int64_t)RMM_MAX_RECS || rd_rec_pa(&rd, idx) == 0) {
		return rmi_fail(COND_target);
	}
	c->target_pa = rd_rec_pa(&rd, idx);
	if (c->target_pa == c->calling_pa) {
		c->target = c->calling;
	} else {
		rec_load(r, c->target_pa, &c->target);
	}
	return rmi_ok();
}

/* Caller side of every completion: result in X0, X1..X3 = 0, request no longer pending. */
static void complete_caller(struct rmm *r, struct complete_args *c, uint64_t result)
{
	struct rec *rec = &c->calling;
	uint64_t args[3] = {rec->ctx.x[1], rec->ctx.x[2], rec->ctx.x[3]};
	uint64_t fid = rec->ctx.x[0];
	unsigned nargs = is_cpu_on(fid) ? 3 : 2;

	rec->ctx.x[0] = result;
	rec->ctx.x[1] = rec->ctx.x[2] = rec->ctx.x[3] = 0;
	rec->psci_pending = 0;
	/* The realm receives the result when the host next enters it: reported then. */
	rec->psci_report = 1;
	rec->psci_report_fid = fid;
	rec->psci_report_nargs = (uint8_t)nargs;
	memcpy(rec->psci_report_args, args, sizeof(args));
	rec_store(r, c->calling_pa, rec);
	trace_rec_state(r, rec->owner, rec);
}

/* on_success: the target starts at `entry` with X0 = context_id [S:B4.3.7.3]. */
static void cpu_on_target(struct rmm *r, struct complete_args *c)
{
	struct rec *t = &c->target;
	const struct cpu_context *caller = &c->calling.ctx;

	if (!tr2_on_success_keeps_target_gprs(r)) {
		memset(t->ctx.x, 0, sizeof(t->ctx.x));
	}
	if (!tr14_eac2_no_context_id(r)) {
		t->ctx.x[0] = caller->x[3];
	}
	t->ctx.pc = caller->x[2];
	if (tr6_cpu_on_resets_target(r)) {
		t->ctx.pstate = PSTATE_EL1H;
		t->ctx.sctlr_el1 = SCTLR_EL1_RES1 | (caller->sctlr_el1 & SCTLR_EL1_EE);
	}
	t->runnable = 1;
	rec_store(r, c->target_pa, t);
	trace_rec_state(r, t->owner, t);
}

struct rmi_ret smc_psci_complete(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	struct complete_args c;
	memset(&c, 0, sizeof(c));
	c.calling_pa = a[1];
	if (spec_complete_has_target(r)) {
		c.target_pa = a[2];
		c.status = spec_complete_has_status(r) ? a[3] : PSCI_SUCCESS;
		TRY(ladder_1_0(r, &c));
	} else {
		c.status = a[2];
		TRY(ladder_2_0(r, &c));
	}
	if (spec_complete_has_status(r) && !psci_status_permitted(&c)) {
		/* TR1: TF-RMM computes the completion before it rejects a DENIED whose target
		 * is already on, so the caller is released with ALREADY_ON anyway. */
		if (tr1_failed_deny_completes(r) && is_cpu_on(c.calling.ctx.x[0]) &&
		    c.status == PSCI_DENIED) {
			rmm_invariants_failure_changes(r, "TR1");
			complete_caller(r, &c, PSCI_ALREADY_ON);
		}
		return rmi_fail(COND_status);
	}

	uint64_t result;
	if (is_cpu_on(c.calling.ctx.x[0])) {
		if (c.target.runnable &&
		    !(c.status == PSCI_DENIED && rmm_test_fault(RMM_FAULT_DENY_RUNNABLE))) {
			result = PSCI_ALREADY_ON;
			r->decision = DECISION_on_already;
		} else if (c.status == PSCI_DENIED) {
			result = PSCI_DENIED;
			r->decision = DECISION_on_denied;
		} else {
			cpu_on_target(r, &c);
			result = PSCI_SUCCESS;
			r->decision = DECISION_on_success;
		}
	} else {
		result = c.target.runnable ? PSCI_SUCCESS : PSCI_OFF;
		r->decision = c.target.runnable ? DECISION_affinity_on : DECISION_affinity_off;
	}
	complete_caller(r, &c, result);
	return rmi_ok();
}
