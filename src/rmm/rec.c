/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RMI_REC_CREATE / RMI_REC_DESTROY [S:B4.3.12-13] and the EL2 controls a REC runs under. */
#include "rec.h"
#include "measurement.h"

#include <string.h>

/* The fixed part of a realm's VTCR_EL2 (0x80003500): 4 KB granule, inner-shareable
 * write-back tables; T0SZ, SL0 and PS depend on the realm and the platform. */
#define VTCR_REALM_FIXED                                                                           \
	(VTCR_RES1 | VTCR_SH0_INNER | VTCR_ORGN0_WBRAWA | VTCR_IRGN0_WBRAWA | VTCR_TG0_4K)
#define MPIDR_SBZ 0xFFFFFFFF000000F0ULL

/*
 * HCR_EL2 while a realm runs (docs/spec-decisions.md, "HCR_EL2 of a running realm"; without the
 * bits the emulated PE cannot honour or that would trap what the RMM does not emulate): stage 2 on
 * (VM), realm SMCs trap (TSC), AArch64 EL1 (RW), interrupts routed to EL2 (FMO/IMO/AMO),
 * inner-shareable barriers (BSU), pointer authentication not trapped (API/APK), SWIO and PTW as
 * TF-RMM, and ID register reads trapped (TID3) to show the realm its own features (id_regs.c).
 * No FWB: the RTT descriptors use the non-FWB MemAttr encoding.
 */
uint64_t rec_hcr_el2(void)
{
	return HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_BSU_IS | HCR_TSC |
	       HCR_TID3 | HCR_RW | HCR_APK | HCR_API;
}

uint64_t rec_vtcr_el2(const struct rmm *r, const struct rd *rd)
{
	/* SL0 for 4 KB granules: start level 2 -> 0, 1 -> 1, 0 -> 2. */
	uint64_t sl0 = (uint64_t)(2 - rd->rtt_level_start);
	return VTCR_REALM_FIXED | (64 - rd->ipa_width) | (sl0 << 6) |
	       ((uint64_t)arch_pa_range(r->cfg.pa_bits) << 16) | VTCR_VS;
}

/* VMPIDR_EL2 in MPIDR_EL1 layout: Aff3 moves from [31:24] to [39:32]; bit 31 is RES1. */
int rmm_debug_rec_context(struct rmm *r, uint64_t rec_pa, struct cpu_context *out)
{
	struct rec rec;
	if (gst_get(r, rec_pa) != GRANULE_REC) {
		return -1;
	}
	rec_load(r, rec_pa, &rec);
	*out = rec.ctx;
	return 0;
}

int rmm_debug_set_rec_context(struct rmm *r, uint64_t rec_pa, const struct cpu_context *in)
{
	struct rec rec;
	if (gst_get(r, rec_pa) != GRANULE_REC) {
		return -1;
	}
	rec_load(r, rec_pa, &rec);
	rec.ctx = *in;
	rec_store(r, rec_pa, &rec);
	return 0;
}

uint64_t rec_vmpidr(uint64_t mpidr)
{
	return (mpidr & 0xFFFFFFULL) | (((mpidr >> 24) & 0xFFULL) << 32) | (1ULL << 31);
}

/* The REC index a realm's PSCI target_cpu (MPIDR_EL1 layout) names, or -1. */
int64_t rec_index_from_target(uint64_t target_cpu)
{
	/* PSCI's target_cpu has Aff3 at [39:32]: [31:24] and [63:40] must be zero, and a REC's
	 * Aff0 has no bits [7:4]; anything else there names no REC (it is not dropped). */
	if ((target_cpu & 0xFF0000F0ULL) || (target_cpu >> 40) != 0) {
		return -1;
	}
	uint64_t m = (target_cpu & 0xFFFFFFULL) | (((target_cpu >> 32) & 0xFFULL) << 24);
	return (int64_t)mpidr_to_rec_index(m);
}

bool mpidr_is_used(const struct rmm *r, const struct rd *rd, uint64_t target_cpu)
{
	int64_t idx = rec_index_from_target(target_cpu);
	if (idx < 0 || (uint64_t)idx >= rd->rec_index) {
		return false;
	}
	return tr9_mpidr_used_counts_destroyed(r) || rd_rec_pa(rd, idx) != 0;
}

struct rmi_ret smc_rec_create(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], rec_pa = a[2], params_ptr = a[3];
	uint8_t p[GRANULE_SIZE]; /* RmiRecParams, copied from the host */
	uint64_t flags, mpidr, num_aux, aux[RMM_MAX_AUX];
	struct rd rd;

	/* Spec table order; only [rd_bound, rd_state] < [realm_state, num_recs] is required. */
	TRY(read_host_granule(r, params_ptr, p, COND_params_align, COND_params_bound,
			      COND_params_pas));
	memcpy(&flags, p + REC_PARAMS_FLAGS, 8);
	memcpy(&mpidr, p + REC_PARAMS_MPIDR, 8);
	memcpy(&num_aux, p + REC_PARAMS_NUM_AUX, 8);
	memcpy(aux, p + REC_PARAMS_AUX, sizeof(aux));
	/* Reserved bits in flags or mpidr are an invalid encoding [S:B4.2] (TF-RMM ignores the
	 * flags', TR17, and refuses the MPIDR's). */
	bool flags_reserved =
	    (flags & ~REC_PARAMS_FLAG_RUNNABLE) && !tr17_reserved_flags_ignored(r);
	if (flags_reserved || (mpidr & MPIDR_SBZ)) {
		return rmi_fail(COND_params_valid);
	}
	TRY(check_granule(r, rec_pa, GRANULE_DELEGATED, COND_rec_align, COND_rec_bound,
			  COND_rec_state));
	TRY(rd_check_load(r, rd_pa, &rd));
	if (rd.state != REALM_NEW) {
		return rmi_fail(COND_realm_state);
	}
	if (rd.num_recs >= RMM_MAX_RECS || rd.rec_index >= RMM_MAX_RECS) {
		return rmi_fail(COND_num_recs);
	}
	if (mpidr_to_rec_index(mpidr) != rd.rec_index) {
		return rmi_fail(COND_mpidr_index);
	}
	if (num_aux != rd.rec_aux_count) {
		return rmi_fail(COND_num_aux);
	}
	for (uint64_t i = 0; i < num_aux; i++) {
		if (!GRANULE_ALIGNED(aux[i])) {
			return rmi_fail(COND_aux_align);
		}
	}
	for (uint64_t i = 0; i < num_aux; i++) {
		if (aux[i] == rec_pa) {
			return rmi_fail(COND_aux_alias);
		}
		for (uint64_t j = 0; j < i; j++) {
			if (aux[i] == aux[j]) {
				return rmi_fail(COND_aux_alias);
			}
		}
	}
	for (uint64_t i = 0; i < num_aux; i++) {
		if (!rmm_pa_delegable(r, aux[i]) || gst_get(r, aux[i]) != GRANULE_DELEGATED) {
			return rmi_fail(COND_aux_state);
		}
	}

	struct rec rec;
	memset(&rec, 0, sizeof(rec));
	rec.owner = rd_pa;
	rec.index = rd.rec_index;
	rec.mpidr = mpidr;
	rec.runnable = (flags & REC_PARAMS_FLAG_RUNNABLE) != 0;
	rec.state = REC_READY;
	rec.num_aux = num_aux;
	memcpy(rec.aux, aux, sizeof(uint64_t) * num_aux);
	memcpy(rec.ctx.x, p + REC_PARAMS_GPRS, 8 * sizeof(uint64_t));
	memcpy(&rec.ctx.pc, p + REC_PARAMS_PC, sizeof(uint64_t));
	rec.ctx.pstate = PSTATE_EL1H;
	rec.ctx.sctlr_el1 = SCTLR_EL1_RES1;
	rec.ctx.hcr_el2 = rec_hcr_el2();
	rec.ctx.vtcr_el2 = rec_vtcr_el2(r, &rd);
	rec.ctx.vttbr_el2 = rd.rtt_base | (rd.vmid << 48);
	rec.ctx.vmpidr_el2 = rec_vmpidr(mpidr);

	if (rec.runnable) {
		rim_extend_rec(&rd, p);
	}
	rd_set_rec_pa(&rd, rd.rec_index, rec_pa);
	rd.rec_index++;
	rd.num_recs++;
	rd_store(r, rd_pa, &rd);
	for (uint64_t i = 0; i < num_aux; i++) {
		rmm_wipe(r, aux[i]);
		gst_set(r, aux[i], GRANULE_REC_AUX);
	}
	rmm_wipe(r, rec_pa);
	rec_store(r, rec_pa, &rec);
	gst_set(r, rec_pa, GRANULE_REC);
	trace_rec_state(r, rd_pa, &rec);
	return rmi_ok();
}

struct rmi_ret smc_rec_destroy(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rec_pa = a[1];
	struct rec rec;
	struct rd rd;

	TRY(check_granule(r, rec_pa, GRANULE_REC, COND_rec_align, COND_rec_bound,
			  COND_rec_gran_state));
	rec_load(r, rec_pa, &rec);
	if (rec.state == REC_RUNNING) {
		return rmi_fail(COND_rec_state);
	}

	rd_load(r, rec.owner, &rd);
	rd.num_recs--;
	rd_set_rec_pa(&rd, rec.index, 0);
	rd_store(r, rec.owner, &rd);
	for (uint64_t i = 0; i < rec.num_aux; i++) {
		rmm_wipe(r, rec.aux[i]);
		gst_set(r, rec.aux[i], GRANULE_DELEGATED);
	}
	rmm_wipe(r, rec_pa);
	gst_set(r, rec_pa, GRANULE_DELEGATED);
	return rmi_ok();
}
