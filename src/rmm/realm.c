/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RMI_REALM_CREATE / _ACTIVATE / _DESTROY and RMI_REC_AUX_COUNT [S:B4.3.8-11]. */
#include "measurement.h"
#include "profile.h"
#include "s2tt.h"

#include <string.h>

/*
 * The members of RmiRealmParams [S:B4.4.12] with the width of their type (UInt8, Bits16,
 * ...) and the width TF-RMM's struct reads them with (TR16). Every other bit of the granule
 * is an unused bit, SBZ.
 */
enum realm_param {
	P_FLAGS,
	P_S2SZ,
	P_SVE_VL,
	P_NUM_BPS,
	P_NUM_WPS,
	P_PMU_NUM_CTRS,
	P_HASH_ALGO,
	P_VMID,
	P_RTT_BASE,
	P_RTT_LEVEL_START,
	P_RTT_NUM_START,
	P_COUNT
};

static const struct {
	size_t off;
	unsigned bits, tf_rmm_bits;
} realm_param_layout[P_COUNT] = {
    [P_FLAGS] = {REALM_PARAMS_FLAGS, 64, 64}, /* RmiRealmFlags: reserved bits checked apart */
    [P_S2SZ] = {REALM_PARAMS_S2SZ, 8, 32},
    [P_SVE_VL] = {REALM_PARAMS_SVE_VL, 8, 32},
    [P_NUM_BPS] = {REALM_PARAMS_NUM_BPS, 8, 32},
    [P_NUM_WPS] = {REALM_PARAMS_NUM_WPS, 8, 32},
    [P_PMU_NUM_CTRS] = {REALM_PARAMS_PMU_NUM_CTRS, 8, 32},
    [P_HASH_ALGO] = {REALM_PARAMS_HASH_ALGO, 8, 8},
    [P_VMID] = {REALM_PARAMS_VMID, 16, 16},
    [P_RTT_BASE] = {REALM_PARAMS_RTT_BASE, 64, 64},
    [P_RTT_LEVEL_START] = {REALM_PARAMS_RTT_LEVEL_START, 64, 64},
    [P_RTT_NUM_START] = {REALM_PARAMS_RTT_NUM_START, 32, 32},
};
#define RPV_SIZE 64U

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

static uint64_t param64(const uint8_t *p, size_t off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* The members as the RMM reads them: at their type's width, or at TF-RMM's (TR16). */
static void realm_params_read(const struct rmm *r, const uint8_t *p, uint64_t v[P_COUNT])
{
	for (unsigned i = 0; i < P_COUNT; i++) {
		unsigned bits = tr16_realm_params_c_widths(r) ? realm_param_layout[i].tf_rmm_bits
							      : realm_param_layout[i].bits;
		v[i] = param64(p, realm_param_layout[i].off) & width_mask(bits);
	}
}

/* The bits of the 8-byte word at `off` that belong to a member (all of the RPV's). */
static uint64_t used_bits(size_t off)
{
	if (off >= REALM_PARAMS_RPV && off < REALM_PARAMS_RPV + RPV_SIZE) {
		return ~0ULL;
	}
	for (unsigned i = 0; i < P_COUNT; i++) {
		if (realm_param_layout[i].off == off) {
			return width_mask(realm_param_layout[i].bits);
		}
	}
	return 0;
}

/*
 * RmiRealmParamsIsValid [S:B3.50, B4.2]: a valid encoding of the type. Spec profile: every
 * unused bit of the structure is zero (B4.4.12 "Unused bits ... SBZ", read with B2: an SBZ
 * location is where a later revision may accept new input, so this revision does not accept
 * it; docs/spec-decisions.md), the flags' reserved bits too, the hash algorithm is not a
 * reserved encoding, and num_bps/num_wps are not the reserved 0.
 */
static bool realm_params_valid(const struct rmm *r, const uint8_t *p, const uint64_t *v)
{
	if (!tr16_realm_params_c_widths(r)) {
		for (size_t off = 0; off < GRANULE_SIZE; off += 8) {
			if (param64(p, off) & ~used_bits(off)) {
				return false;
			}
		}
	}
	if (!tr17_reserved_flags_ignored(r) && (v[P_FLAGS] & ~REALM_FLAGS_MASK)) {
		return false;
	}
	if (v[P_HASH_ALGO] > RMI_HASH_SHA_512) {
		return false;
	}
	return v[P_NUM_BPS] != 0 && v[P_NUM_WPS] != 0;
}

/*
 * RealmParamsSupported [S:A3.1]: nothing beyond what RMI_FEATURES reports (the IPA width
 * included: at most the machine's PA size). A count that comes with a feature (SVE vector
 * length, PMU counters) is requested only when its flag enables the feature
 * (docs/spec-decisions.md).
 */
static bool realm_params_supported(const struct rmm *r, const uint64_t *v)
{
	const struct rmm_features *f = &r->cfg.features;
	uint64_t flags = v[P_FLAGS];

	if ((flags & REALM_FLAG_LPA2) && !f->lpa2) {
		return false;
	}
	if ((flags & REALM_FLAG_SVE) && (!f->sve_vl || (v[P_SVE_VL] + 1) * 128 > f->sve_vl)) {
		return false;
	}
	if ((flags & REALM_FLAG_PMU) && (!f->pmu || v[P_PMU_NUM_CTRS] > f->pmu_num_ctrs)) {
		return false;
	}
	if (v[P_S2SZ] > f->max_ipa_bits || v[P_S2SZ] < RMM_MIN_IPA_BITS) {
		return false;
	}
	/* num_bps and num_wps count minus one, as RMI_FEATURES does */
	return v[P_NUM_BPS] + 1 <= f->num_bps && v[P_NUM_WPS] + 1 <= f->num_wps;
}

/* VmidIsValid [S:B3.82]: without FEAT_VMID16, vmid[15:8] != 0 is invalid. */
static bool vmid_is_valid(const struct rmm *r, uint64_t vmid)
{
	return vmid < (1ULL << r->cfg.features.vmid_bits);
}

/* rtt_align: AddrIsAligned(rtt_base, rtt_num_start * granule) (not checked under TR18). */
static bool rtt_base_aligned(const struct rmm *r, uint64_t rtt_base, uint64_t num)
{
	if (tr18_no_rtt_align(r)) {
		return true;
	}
	return num != 0 && rtt_base % (num * GRANULE_SIZE) == 0;
}

struct rmi_ret smc_realm_create(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], params_ptr = a[2], v[P_COUNT];
	uint8_t p[GRANULE_SIZE]; /* RmiRealmParams, copied from the host */

	/* Spec table order; the spec orders none of these conditions. */
	TRY(read_host_granule(r, params_ptr, p, COND_params_align, COND_params_bound,
			      COND_params_pas));
	realm_params_read(r, p, v);
	if (!realm_params_valid(r, p, v)) {
		return rmi_fail(COND_params_valid);
	}
	if (!realm_params_supported(r, v)) {
		return rmi_fail(COND_params_supp);
	}

	uint64_t rtt_base = v[P_RTT_BASE], num = v[P_RTT_NUM_START], s2sz = v[P_S2SZ];
	int64_t level = (int64_t)v[P_RTT_LEVEL_START];

	if (num != 0 && rd_pa >= rtt_base && rd_pa - rtt_base <= (num - 1) * GRANULE_SIZE) {
		return rmi_fail(COND_alias);
	}
	TRY(check_granule(r, rd_pa, GRANULE_DELEGATED, COND_rd_align, COND_rd_bound,
			  COND_rd_state));
	if (!rtt_base_aligned(r, rtt_base, num)) {
		return rmi_fail(COND_rtt_align);
	}
	if (!rtt_config_is_valid(s2sz, level, num)) {
		return rmi_fail(COND_rtt_num_level);
	}
	for (uint64_t i = 0; i < num; i++) {
		uint64_t rtt = rtt_base + i * GRANULE_SIZE;
		if (!rmm_pa_delegable(r, rtt) || gst_get(r, rtt) != GRANULE_DELEGATED) {
			return rmi_fail(COND_rtt_state);
		}
	}
	if (!vmid_is_valid(r, v[P_VMID]) || vmid_test(r, v[P_VMID])) {
		return rmi_fail(COND_vmid_valid);
	}

	struct rd rd;
	memset(&rd, 0, sizeof(rd));
	rd.state = REALM_NEW;
	rd.ipa_width = s2sz;
	rd.hash_algo = v[P_HASH_ALGO];
	rd.rtt_base = rtt_base;
	rd.rtt_level_start = level;
	rd.rtt_num_start = num;
	rd.vmid = v[P_VMID];
	rd.rec_aux_count = r->cfg.rec_aux_count;
	rd.feat_lpa2 = (v[P_FLAGS] & REALM_FLAG_LPA2) != 0;
	rd.flags = v[P_FLAGS];
	rd.sve_vl = v[P_SVE_VL];
	rd.num_bps = v[P_NUM_BPS];
	rd.num_wps = v[P_NUM_WPS];
	rd.pmu_num_ctrs = v[P_PMU_NUM_CTRS];
	memcpy(rd.rpv, p + REALM_PARAMS_RPV, sizeof(rd.rpv));
	/* RimInit measures the attributes as the RMM read them [S:B4.3.9.4]. */
	const unsigned measured[] = {P_FLAGS,   P_S2SZ,         P_SVE_VL,   P_NUM_BPS,
				     P_NUM_WPS, P_PMU_NUM_CTRS, P_HASH_ALGO};
	uint8_t img[GRANULE_SIZE] = {0};
	for (size_t i = 0; i < sizeof(measured) / sizeof(measured[0]); i++) {
		memcpy(img + realm_param_layout[measured[i]].off, &v[measured[i]], 8);
	}
	rim_init(&rd, img);

	/* Starting RTTs: Protected entries UNASSIGNED EMPTY, Unprotected UNASSIGNED_NS. */
	for (uint64_t i = 0; i < num; i++) {
		uint64_t rtt = rtt_base + i * GRANULE_SIZE;
		uint64_t entries[S2TTE_ENTRIES];
		for (unsigned j = 0; j < S2TTE_ENTRIES; j++) {
			uint64_t ipa = (i * S2TTE_ENTRIES + j) << rtt_level_shift((int)level);
			entries[j] = ipa_is_protected(&rd, ipa) ? s2tte_unassigned(RIPAS_EMPTY)
								: s2tte_unassigned_ns();
		}
		rmm_write(r, rtt, entries, sizeof(entries));
		gst_set(r, rtt, GRANULE_RTT);
	}
	rmm_wipe(r, rd_pa);
	rd_store(r, rd_pa, &rd);
	gst_set(r, rd_pa, GRANULE_RD);
	vmid_set(r, rd.vmid, true);
	trace_realm_state(r, rd_pa, REALM_NEW);
	return rmi_ok();
}

struct rmi_ret smc_realm_activate(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1];
	struct rd rd;

	TRY(rd_check_load(r, rd_pa, &rd));
	if (rd.state != REALM_NEW) {
		return rmi_fail(COND_realm_state);
	}
	rd.state = REALM_ACTIVE;
	rd_store(r, rd_pa, &rd);
	trace_realm_state(r, rd_pa, REALM_ACTIVE);
	return rmi_ok();
}

struct rmi_ret smc_realm_destroy(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1];
	struct rd rd;

	TRY(rd_check_load(r, rd_pa, &rd));
	if (rd.num_recs != 0) {
		return rmi_fail(COND_realm_live);
	}
	for (uint64_t i = 0; i < rd.rtt_num_start; i++) {
		if (rtt_is_live(r, rd.rtt_base + i * GRANULE_SIZE, (int)rd.rtt_level_start)) {
			return rmi_fail(COND_realm_live);
		}
	}
	for (uint64_t i = 0; i < rd.rtt_num_start; i++) {
		rmm_wipe(r, rd.rtt_base + i * GRANULE_SIZE);
		gst_set(r, rd.rtt_base + i * GRANULE_SIZE, GRANULE_DELEGATED);
	}
	vmid_set(r, rd.vmid, false);
	rmm_wipe(r, rd_pa);
	gst_set(r, rd_pa, GRANULE_DELEGATED);
	return rmi_ok();
}

struct rmi_ret smc_rec_aux_count(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	struct rd rd;

	TRY(rd_check_load(r, a[1], &rd));
	out[1] = rd.rec_aux_count;
	return rmi_ok();
}
