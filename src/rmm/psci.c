/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PSCI calls from a realm [S:A4.3.7, B6.3]. Calls the RMM can answer return
 * to the realm at once; CPU_ON and AFFINITY_INFO (1.0) name another REC the RMM does not map,
 * so they exit to the host with psci_pending set until RMI_PSCI_COMPLETE.
 */
#include "rec.h"

#include <string.h>

#define PSCI_VERSION_1_1 0x10001ULL
#define SMC64_BIT        (1ULL << 30)

bool psci_fid_is_psci(uint64_t fid)
{
	uint64_t f = fid & ~SMC64_BIT;
	return f >= PSCI_VERSION && f <= (PSCI_VERSION | PSCI_FN_MASK);
}

static bool is_smc32_alias(uint64_t fid)
{
	return fid == PSCI_CPU_SUSPEND_SMC32 || fid == PSCI_CPU_ON_SMC32 ||
	       fid == PSCI_AFFINITY_INFO_SMC32;
}

/* The function a realm's FID stands for: SMC32 aliases only under TR4. */
static uint64_t psci_function(const struct rmm *r, uint64_t fid)
{
	if (is_smc32_alias(fid)) {
		return tr4_smc32_psci_aliases(r) ? (fid | SMC64_BIT) : 0;
	}
	return fid;
}

/* The RMM answers the call itself [S:B6.3]: the realm gets `result` at once. */
/* The "psci" event of a call the RMM answers with `result` (failure condition `cond`). */
static void trace_answered(struct rmm *r, const struct rec *rec, uint64_t fid, unsigned nargs,
			   uint64_t result, const char *cond)
{
	struct realm_call call = {.fid = fid,
				  .args = &rec->ctx.x[1],
				  .nargs = nargs,
				  .has_result = true,
				  .result = result,
				  .cond = cond};
	trace_realm_call(r, rec, RMM_IFACE_PSCI, &call);
}

/* The "psci" event of a call whose answer is the host's (or that has none). */
static void trace_forwarded(struct rmm *r, const struct rec *rec, uint64_t fid)
{
	struct realm_call call = {.fid = fid};
	trace_realm_call(r, rec, RMM_IFACE_PSCI, &call);
}

static enum smc_outcome psci_answer(struct rmm *r, struct rec *rec, uint64_t fid, unsigned nargs,
				    uint64_t result)
{
	trace_answered(r, rec, fid, nargs, result, NULL);
	rec->ctx.x[0] = result;
	return SMC_RESUME;
}

/* The RMM answers with the result of failure condition `id` of the command's table. */
static enum smc_outcome psci_refuse(struct rmm *r, struct rec *rec, uint64_t fid, unsigned nargs,
				    enum cond_table t, enum cond_id id)
{
	uint64_t result = cond_require(t, id, r->cfg.spec)->status;
	trace_answered(r, rec, fid, nargs, result, cond_name(id));
	rec->ctx.x[0] = result;
	return SMC_RESUME;
}

/* exit.gprs of a PSCI exit: FID and `nargs` arguments (TR5: FID and the MPIDR only). */
static enum smc_outcome psci_exit(struct rmm *r, struct rec *rec, uint64_t fid, unsigned nargs,
				  bool has_mpidr, struct rec_exit *exit)
{
	exit->reason = RMI_EXIT_PSCI;
	exit->gprs[0] = fid;
	if (tr5_psci_exit_fid_mpidr_only(r)) {
		nargs = has_mpidr ? 1 : 0;
	}
	for (unsigned i = 1; i <= nargs; i++) {
		exit->gprs[i] = rec->ctx.x[i];
	}
	return SMC_EXIT;
}

static uint64_t psci_features(const struct rmm *r, uint64_t fid)
{
	fid &= 0xffffffffULL; /* psci_func_id is 32 bits */
	switch (fid) {
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	case PSCI_VERSION:
		return tr4_smc32_psci_aliases(r) ? PSCI_NOT_SUPPORTED : PSCI_SUCCESS;
	case PSCI_CPU_SUSPEND_SMC32:
	case PSCI_CPU_ON_SMC32:
	case PSCI_AFFINITY_INFO_SMC32:
	case SMCCC_VERSION:
		return tr4_smc32_psci_aliases(r) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

static void set_pending(struct rmm *r, struct rec *rec)
{
	rec->psci_pending = 1;
	trace_rec_state(r, rec->owner, rec);
}

static enum smc_outcome psci_cpu_on(struct rmm *r, struct rec *rec, uint64_t fid,
				    struct rec_exit *exit)
{
	struct rd rd;
	uint64_t target = rec->ctx.x[1], entry = rec->ctx.x[2];

	rd_load(r, rec->owner, &rd);
	/* B6.3.3.2's table order (the spec orders none of them): entry, mpidr, runnable. */
	if (!ipa_is_protected(&rd, entry)) {
		return psci_refuse(r, rec, fid, 3, CT_PSCI_CPU_ON, COND_entry);
	}
	if (!mpidr_is_used(r, &rd, target)) {
		return psci_refuse(r, rec, fid, 3, CT_PSCI_CPU_ON, COND_mpidr);
	}
	/* `runnable`: the caller is RUNNABLE, so naming itself fails at once in every profile.
	 * The RMM knows no other REC's flags (1.0): those reach the host (RMI_PSCI_COMPLETE), which
	 * could never complete a request about the caller itself (its `alias` condition). */
	if ((uint64_t)rec_index_from_target(target) == rec->index) {
		return psci_refuse(r, rec, fid, 3, CT_PSCI_CPU_ON, COND_runnable);
	}
	set_pending(r, rec);
	return psci_exit(r, rec, fid, 3, true, exit);
}

static enum smc_outcome psci_affinity_info(struct rmm *r, struct rec *rec, uint64_t fid,
					   struct rec_exit *exit)
{
	struct rd rd;
	uint64_t target = rec->ctx.x[1], level = rec->ctx.x[2];

	rd_load(r, rec->owner, &rd);
	if (level != 0) {
		return psci_refuse(r, rec, fid, 2, CT_PSCI_AFFINITY_INFO, COND_target_bound);
	}
	if (!mpidr_is_used(r, &rd, target)) {
		return psci_refuse(r, rec, fid, 2, CT_PSCI_AFFINITY_INFO, COND_target_match);
	}
	int64_t idx = rec_index_from_target(target);
	/* Success condition `runnable`: the caller is RUNNABLE, so it is ON (every profile). */
	if ((uint64_t)idx == rec->index) {
		return psci_answer(r, rec, fid, 2, PSCI_SUCCESS);
	}
	if (spec_affinity_info_in_rmm(r)) {
		/* 2.0 draft: the RMM knows every REC of the realm by index. */
		struct rec other;
		bool on = true;
		if ((uint64_t)idx != rec->index) {
			if (rd_rec_pa(&rd, idx) == 0) {
				on = false;
			} else {
				rec_load(r, rd_rec_pa(&rd, idx), &other);
				on = other.runnable;
			}
		}
		return psci_answer(r, rec, fid, 2, on ? PSCI_SUCCESS : PSCI_OFF);
	}
	set_pending(r, rec);
	return psci_exit(r, rec, fid, 2, true, exit);
}

enum smc_outcome handle_realm_psci(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				   struct rec_exit *exit)
{
	uint64_t fid = rec->ctx.x[0] & ~SMCCC_SVE_HINT;
	struct rd rd;

	switch (psci_function(r, fid)) {
	case PSCI_VERSION:
		return psci_answer(r, rec, fid, 0, PSCI_VERSION_1_1);
	case PSCI_FEATURES:
		return psci_answer(r, rec, fid, 1, psci_features(r, rec->ctx.x[1]));
	case PSCI_CPU_SUSPEND:
		/* Treated as a suspend that returns at once: the host sees it, the realm gets
		 * SUCCESS when it is next entered. */
		trace_answered(r, rec, fid, 3, PSCI_SUCCESS, NULL);
		rec->ctx.x[0] = PSCI_SUCCESS;
		return psci_exit(r, rec, fid, 3, false, exit);
	case PSCI_CPU_OFF:
		rec->runnable = 0;
		trace_rec_state(r, rec->owner, rec);
		if (tr11_cpu_off_sets_x0(r)) {
			rec->ctx.x[0] = PSCI_SUCCESS;
		}
		trace_forwarded(r, rec, fid);
		return psci_exit(r, rec, fid, 0, false, exit);
	case PSCI_CPU_ON:
		return psci_cpu_on(r, rec, fid, exit);
	case PSCI_AFFINITY_INFO:
		return psci_affinity_info(r, rec, fid, exit);
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		rd_load(r, rec->owner, &rd);
		rd.state = REALM_SYSTEM_OFF;
		rd_store(r, rec->owner, &rd);
		trace_realm_state(r, rec->owner, REALM_SYSTEM_OFF);
		trace_forwarded(r, rec, fid);
		return psci_exit(r, rec, fid, 0, false, exit);
	default:
		return psci_answer(r, rec, fid, 0, PSCI_NOT_SUPPORTED);
	}
}
