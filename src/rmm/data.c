/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RMI_DATA_CREATE / _CREATE_UNKNOWN / _DESTROY [S:B4.3.1-3]. */
#include "measurement.h"
#include "s2tt.h"

#define MAX_PA_NO_LPA2 (1ULL << 48)

/* The conditions DATA_CREATE and DATA_CREATE_UNKNOWN share, in the spec table's order. */
static struct rmi_ret data_create_checks(struct rmm *r, uint64_t rd_pa, uint64_t data, uint64_t ipa,
					 bool check_realm_state, struct rd *rd, struct rtt_walk *w)
{
	TRY(check_granule(r, data, GRANULE_DELEGATED, COND_data_align, COND_data_bound,
			  COND_data_state));
	TRY(rd_check_load(r, rd_pa, rd));
	/* A realm without LPA2 maps no PA from 2^48 [S:A3.1.2]; needs the RD, hence after it. */
	if (!rd->feat_lpa2 && data >= MAX_PA_NO_LPA2) {
		return rmi_fail(COND_data_bound2);
	}
	if (!GRANULE_ALIGNED(ipa)) {
		return rmi_fail(COND_ipa_align);
	}
	if (!ipa_is_protected(rd, ipa)) {
		return rmi_fail(COND_ipa_bound);
	}
	if (check_realm_state && rd->state != REALM_NEW) {
		return rmi_fail(COND_realm_state);
	}
	rtt_walk(r, rd, ipa, RTT_PAGE_LEVEL, w);
	if (w->level < RTT_PAGE_LEVEL) {
		return rmi_fail_level(COND_rtt_walk, w->level);
	}
	if (s2tte_state(w->entry, w->level) != RTTE_UNASSIGNED) {
		return rmi_fail_level(COND_rtte_state, w->level);
	}
	return rmi_ok();
}

struct rmi_ret smc_data_create(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], data = a[2], ipa = a[3], src = a[4], flags = a[5];
	struct rd rd;
	struct rtt_walk w;
	uint8_t content[GRANULE_SIZE]; /* the host's granule, in transit */

	TRY(read_host_granule(r, src, content, COND_src_align, COND_src_bound, COND_src_pas));
	/* RmiDataFlags [63:1] SBZ: an invalid encoding [S:B4.2]. */
	if (flags & ~RMI_MEASURE_CONTENT) {
		return rmi_fail(COND_flags_valid);
	}
	TRY(data_create_checks(r, rd_pa, data, ipa, true, &rd, &w));

	rmm_write(r, data, content, GRANULE_SIZE);
	gst_set(r, data, GRANULE_DATA);
	rtte_write(r, w.rtt, w.idx, s2tte_assigned(data, RIPAS_RAM, RTT_PAGE_LEVEL));
	rim_extend_data(&rd, ipa, flags, content);
	rd_store(r, rd_pa, &rd);
	return rmi_ok();
}

struct rmi_ret smc_data_create_unknown(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], data = a[2], ipa = a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(data_create_checks(r, rd_pa, data, ipa, false, &rd, &w));
	rmm_wipe(r, data);
	gst_set(r, data, GRANULE_DATA);
	rtte_write(r, w.rtt, w.idx,
		   s2tte_assigned(data, s2tte_ripas(w.entry, w.level), RTT_PAGE_LEVEL));
	return rmi_ok();
}

struct rmi_ret smc_data_destroy(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	if (!GRANULE_ALIGNED(ipa)) {
		return rmi_fail(COND_ipa_align);
	}
	if (!ipa_is_protected(&rd, ipa)) {
		return rmi_fail(COND_ipa_bound);
	}
	rtt_walk(r, &rd, ipa, RTT_PAGE_LEVEL, &w);
	if (w.level < RTT_PAGE_LEVEL) {
		out[2] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_ASSIGNED) {
		out[2] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	uint64_t data = s2tte_addr(w.entry);
	unsigned ripas = s2tte_ripas(w.entry, w.level);
	rtte_write(r, w.rtt, w.idx, s2tte_unassigned(ripas == RIPAS_RAM ? RIPAS_DESTROYED : ripas));
	if (!rmm_test_fault(RMM_FAULT_NO_SCRUB)) {
		rmm_wipe(r, data);
	}
	gst_set(r, data, GRANULE_DELEGATED);
	out[1] = data;
	out[2] = rtt_skip_non_live(r, &w, ipa);
	return rmi_ok();
}
