/* RMI_REALM_CREATE / _ACTIVATE / _DESTROY and RMI_REC_AUX_COUNT [S:B4.3.8-11]. */
#include "measurement.h"
#include "s2tt.h"

#include <string.h>

#define REALM_FLAG_LPA2  (1ULL << 0)
#define REALM_FLAG_SVE   (1ULL << 1)
#define REALM_FLAG_PMU   (1ULL << 2)
#define REALM_FLAGS_MASK 0x7ULL

static uint64_t param64(const uint8_t *p, size_t off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* Invalid encodings [S:B4.2]: reserved flags, hash algorithm, UInt8 fields, zero bp/wp. */
static bool realm_params_valid(const uint8_t *p)
{
	if (param64(p, REALM_PARAMS_FLAGS) & ~REALM_FLAGS_MASK)
		return false;
	if (param64(p, REALM_PARAMS_HASH_ALGO) > RMI_HASH_SHA_512)
		return false;
	if (param64(p, REALM_PARAMS_S2SZ) > 0xff || param64(p, REALM_PARAMS_SVE_VL) > 0xff ||
	    param64(p, REALM_PARAMS_NUM_BPS) > 0xff || param64(p, REALM_PARAMS_NUM_WPS) > 0xff ||
	    param64(p, REALM_PARAMS_PMU_NUM_CTRS) > 0xff)
		return false;
	return param64(p, REALM_PARAMS_NUM_BPS) != 0 && param64(p, REALM_PARAMS_NUM_WPS) != 0;
}

/* RealmParamsSupported [S:A3.1]: nothing beyond what RMI_FEATURES reports. */
static bool realm_params_supported(const struct rmm *r, const uint8_t *p)
{
	uint64_t flags = param64(p, REALM_PARAMS_FLAGS);
	if (flags & (REALM_FLAG_LPA2 | REALM_FLAG_SVE | REALM_FLAG_PMU))
		return false;
	if (param64(p, REALM_PARAMS_S2SZ) > rmm_max_ipa_bits(r->cfg.pa_bits) ||
	    param64(p, REALM_PARAMS_S2SZ) < RMM_MIN_IPA_BITS)
		return false;
	return param64(p, REALM_PARAMS_NUM_BPS) <= RMM_NUM_BPS &&
	       param64(p, REALM_PARAMS_NUM_WPS) <= RMM_NUM_WPS &&
	       param64(p, REALM_PARAMS_PMU_NUM_CTRS) == 0;
}

struct rmi_ret smc_realm_create(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], params_ptr = a[2];
	uint8_t *p = r->scratch;

	/* Spec table order; the spec orders none of these conditions. */
	if (!GRANULE_ALIGNED(params_ptr))
		return rmi_fail(RMI_ERROR_INPUT, 0, "params_align");
	if (!rmm_pa_delegable(r, params_ptr))
		return rmi_fail(RMI_ERROR_INPUT, 0, "params_bound");
	if (r->plat.ns_read(r->plat.ctx, params_ptr, p, GRANULE_SIZE) != 0)
		return rmi_fail(RMI_ERROR_INPUT, 0, "params_pas");
	if (!realm_params_valid(p))
		return rmi_fail(RMI_ERROR_INPUT, 0, "params_valid");
	if (!realm_params_supported(r, p))
		return rmi_fail(RMI_ERROR_INPUT, 0, "params_supp");

	uint64_t rtt_base = param64(p, REALM_PARAMS_RTT_BASE);
	uint64_t num = param64(p, REALM_PARAMS_RTT_NUM_START);
	int64_t level = (int64_t)param64(p, REALM_PARAMS_RTT_LEVEL_START);
	uint64_t s2sz = param64(p, REALM_PARAMS_S2SZ);
	uint64_t vmid = param64(p, REALM_PARAMS_VMID);

	if (num != 0 && rd_pa >= rtt_base && rd_pa - rtt_base <= (num - 1) * GRANULE_SIZE)
		return rmi_fail(RMI_ERROR_INPUT, 0, "alias");
	TRY(check_granule(r, rd_pa, GRANULE_DELEGATED, "rd_align", "rd_bound", "rd_state"));
	if (num == 0 || num > 16 || (rtt_base & (num * GRANULE_SIZE - 1)) != 0)
		return rmi_fail(RMI_ERROR_INPUT, 0, "rtt_align");
	if (!rtt_config_is_valid(s2sz, level, num))
		return rmi_fail(RMI_ERROR_INPUT, 0, "rtt_num_level");
	for (uint64_t i = 0; i < num; i++) {
		uint64_t rtt = rtt_base + i * GRANULE_SIZE;
		if (!rmm_pa_delegable(r, rtt) || gst_get(r, rtt) != GRANULE_DELEGATED)
			return rmi_fail(RMI_ERROR_INPUT, 0, "rtt_state");
	}
	if (vmid >= RMM_VMID_COUNT || vmid_test(r, vmid))
		return rmi_fail(RMI_ERROR_INPUT, 0, "vmid_valid");

	struct rd rd;
	memset(&rd, 0, sizeof(rd));
	rd.state = REALM_NEW;
	rd.ipa_width = s2sz;
	rd.hash_algo = param64(p, REALM_PARAMS_HASH_ALGO);
	rd.rtt_base = rtt_base;
	rd.rtt_level_start = level;
	rd.rtt_num_start = num;
	rd.vmid = vmid;
	rd.rec_aux_count = r->cfg.rec_aux_count;
	memcpy(rd.rpv, p + REALM_PARAMS_RPV, sizeof(rd.rpv));
	rim_init(&rd, p);

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
	vmid_set(r, vmid, true);
	r->trace_rd = rd_pa;
	trace_realm_state(r, rd_pa, REALM_NEW);
	return rmi_ok();
}

struct rmi_ret smc_realm_activate(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1];
	struct rd rd;

	TRY(check_granule(r, rd_pa, GRANULE_RD, "rd_align", "rd_bound", "rd_state"));
	r->trace_rd = rd_pa;
	rd_load(r, rd_pa, &rd);
	if (rd.state != REALM_NEW)
		return rmi_fail(RMI_ERROR_REALM, 0, "realm_state");
	rd.state = REALM_ACTIVE;
	rd_store(r, rd_pa, &rd);
	trace_realm_state(r, rd_pa, REALM_ACTIVE);
	return rmi_ok();
}

struct rmi_ret smc_realm_destroy(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1];
	struct rd rd;

	TRY(check_granule(r, rd_pa, GRANULE_RD, "rd_align", "rd_bound", "rd_state"));
	r->trace_rd = rd_pa;
	rd_load(r, rd_pa, &rd);
	if (rd.num_recs != 0)
		return rmi_fail(RMI_ERROR_REALM, 0, "realm_live");
	for (uint64_t i = 0; i < rd.rtt_num_start; i++) {
		if (rtt_is_live(r, rd.rtt_base + i * GRANULE_SIZE, (int)rd.rtt_level_start))
			return rmi_fail(RMI_ERROR_REALM, 0, "realm_live");
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
