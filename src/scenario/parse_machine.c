/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The platform keys of `machine` beyond RAM, PA size and the GPT: what the RMM reports in
 * RMI_FEATURES and enforces (VMID width, breakpoints, watchpoints, LPA2, PMU counters, SVE
 * vector length), the REC auxiliary granule count, the memory map beyond DRAM (Secure-PAS and
 * device ranges) and the named presets that set them all at once.
 */
#include "host/host.h"
#include "rmm/rmm.h"
#include "scenario/scenario_private.h"

#include <stdio.h>
#include <string.h>

enum platform_key {
	PK_PRESET,
	PK_VMID_BITS,
	PK_BREAKPOINTS,
	PK_WATCHPOINTS,
	PK_LPA2,
	PK_PMU_COUNTERS,
	PK_SVE_VL,
	PK_REC_AUX_COUNT,
	PK_GIC_LRS,
	PK_SECURE,
	PK_DEVICE,
	PK_COUNT
};
_Static_assert(PK_COUNT == MACHINE_PLATFORM_NKEYS, "MACHINE_PLATFORM_KEYS lists every key");

/*
 * The presets. Each value's source is in docs/scenarios.md ("Presets"); a field left 0 keeps
 * cca-sim's default. RAM starts at CPU_DEFAULT_RAM_BASE (0x80000000) on both.
 */
struct preset {
	const char *name;
	struct scenario_machine m;
};

static const struct preset presets[] = {
    /* TF-RMM's fake host at rmm-spec-v1.0-rel0 (plat/host), as its RMI_FEATURES reports it:
     * 1 GiB of granules, PARange 48 bits, FEAT_LPA2, 2 breakpoints and 2 watchpoints, PMUv3
     * with 31 counters, no SVE, 8-bit VMIDs (ID_AA64MMFR1_EL1 reads 0), 16 aux granules. */
    {"tf-rmm-fake-host",
     {.ram = 1ULL << 30,
      .pa_bits = 44, /* 48 on the fake host; this RMM stops at 44 */
      .vmid_bits = 8,
      .breakpoints = 2,
      .watchpoints = 2,
      .lpa2 = true,
      .pmu = true,
      .pmu_counters = 31,
      .rec_aux_count = 16}},
    /* Arm's FVP_Base_RevC-2xAEMvA as TF-A sets it up with ENABLE_RME=1: DRAM1 (2 GiB at
     * 0x80000000) with its Secure TZC region, L0GPTSZ 30 and 4 MiB of Root memory at its top
     * (fvp_pas_def.h), PA_SIZE 48 (TF-A's RME run command), 16-bit VMIDs, and as device
     * memory the motherboard UARTs and the GIC distributor and redistributors. */
    {"fvp-base-revc",
     {.ram = 2ULL << 30,
      .pa_bits = 44, /* 48 on the model; this RMM stops at 44 */
      .gpt_l0gptsz = 30,
      .gpt_root_size = 4ULL << 20,
      .vmid_bits = 16,
      .secure = {{.base = 0xFC000000ULL, .size = 28ULL << 20}},
      .nsecure = 1,
      .device = {{.base = 0x1C090000ULL, .size = 0x40000ULL},
		 {.base = 0x2F000000ULL, .size = 0x10000ULL},
		 {.base = 0x2F100000ULL, .size = 0x100000ULL}},
      .ndevice = 3}},
};

static bool parse_preset(struct ctx *c, const struct ynode *n, struct scenario_machine *m)
{
	if (!need_kind(c, n, YN_SCALAR, "`preset`")) {
		return false;
	}
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		const struct scenario_machine *p = &presets[i].m;
		if (strcmp(presets[i].name, n->text) != 0) {
			continue;
		}
		/* the platform's fields only: the rest of *m (e.g. positions) is the parser's */
		m->preset = presets[i].name;
		m->ram = p->ram;
		m->pa_bits = p->pa_bits;
		m->gpt_l0gptsz = p->gpt_l0gptsz;
		m->gpt_root_size = p->gpt_root_size;
		m->vmid_bits = p->vmid_bits;
		m->breakpoints = p->breakpoints;
		m->watchpoints = p->watchpoints;
		m->lpa2 = p->lpa2;
		m->pmu = p->pmu;
		m->pmu_counters = p->pmu_counters;
		m->sve_vl = p->sve_vl;
		m->rec_aux_count = p->rec_aux_count;
		m->gic_lrs = p->gic_lrs;
		memcpy(m->secure, p->secure, sizeof(m->secure));
		m->nsecure = p->nsecure;
		memcpy(m->device, p->device, sizeof(m->device));
		m->ndevice = p->ndevice;
		return true;
	}
	return fail(c, n, "unknown preset `%s` (expected tf-rmm-fake-host or fvp-base-revc)",
		    n->text);
}

/* A number, or `none` (then *present is false). */
static bool parse_count_or_none(struct ctx *c, const struct ynode *n, const char *what,
				uint64_t max, bool *present, uint64_t *out)
{
	if (n->kind == YN_SCALAR && !strcmp(n->text, "none")) {
		*present = false;
		*out = 0;
		return true;
	}
	*present = true;
	return parse_uint(c, n, what, 0, max, out);
}

static bool parse_ranges(struct ctx *c, const struct ynode *n, const char *what,
			 struct scenario_range *out, size_t *count)
{
	static const char *const keys[] = {"base", "size", NULL};
	struct kv kv[2];
	size_t i = 0;

	if (!need_kind(c, n, YN_SEQ, what)) {
		return false;
	}
	if (n->n > SCENARIO_MAX_RANGES) {
		return fail(c, n, "%s lists %zu ranges, more than %d", what, n->n,
			    SCENARIO_MAX_RANGES);
	}
	for (const struct ynode *e = n->child; e; e = e->next, i++) {
		struct scenario_range *r = &out[i];
		if (!map_fields(c, e, "a range", keys, kv) ||
		    !need_key(c, e, &kv[0], "base", what) ||
		    !need_key(c, e, &kv[1], "size", what) ||
		    !parse_uint(c, kv[0].val, "`base`", 0, ~0ULL, &r->base) ||
		    !parse_size(c, kv[1].val, "`size`", &r->size)) {
			return false;
		}
		if (r->base & 0xfff) {
			return fail(c, kv[0].val, "`base` must be 4K-aligned");
		}
		r->pos = pos_of(c, e);
		if (!r->size || (r->size & 0xfff) || r->base + r->size < r->base) {
			return fail(c, kv[1].val, "`size` must be a non-zero multiple of 4K");
		}
	}
	*count = i;
	return true;
}

static void machine_features(const struct scenario_machine *m, struct rmm_features *f);

bool parse_platform(struct ctx *c, const struct kv kv[MACHINE_PLATFORM_NKEYS],
		    struct scenario_machine *m)
{
	uint64_t v;
	bool present;

	if (kv[PK_PRESET].val) {
		if (!parse_preset(c, kv[PK_PRESET].val, m)) {
			return false;
		}
		m->preset_pos = pos_of(c, kv[PK_PRESET].val);
	}
	if (kv[PK_VMID_BITS].val) {
		if (!parse_uint(c, kv[PK_VMID_BITS].val, "`vmid_bits`", 8, 16, &v)) {
			return false;
		}
		m->vmid_bits = (unsigned)v;
	}
	if (kv[PK_BREAKPOINTS].val) {
		if (!parse_uint(c, kv[PK_BREAKPOINTS].val, "`breakpoints`", 0, 1024, &v)) {
			return false;
		}
		m->breakpoints = (unsigned)v;
	}
	if (kv[PK_WATCHPOINTS].val) {
		if (!parse_uint(c, kv[PK_WATCHPOINTS].val, "`watchpoints`", 0, 1024, &v)) {
			return false;
		}
		m->watchpoints = (unsigned)v;
	}
	if (kv[PK_LPA2].val && !parse_bool(c, kv[PK_LPA2].val, "`lpa2`", &m->lpa2)) {
		return false;
	}
	if (kv[PK_PMU_COUNTERS].val) {
		if (!parse_count_or_none(c, kv[PK_PMU_COUNTERS].val, "`pmu_counters`", 1024,
					 &present, &v)) {
			return false;
		}
		m->pmu = present;
		m->pmu_counters = (unsigned)v;
	}
	if (kv[PK_SVE_VL].val) {
		if (!parse_count_or_none(c, kv[PK_SVE_VL].val, "`sve_vl`", 1U << 16, &present,
					 &v)) {
			return false;
		}
		m->sve_vl = present ? (unsigned)v : 0;
		if (present && !v) {
			return fail(c, kv[PK_SVE_VL].val, "`sve_vl` is 128 to 2048 bits, or none");
		}
	}
	if (kv[PK_REC_AUX_COUNT].val) {
		if (!parse_uint(c, kv[PK_REC_AUX_COUNT].val, "`rec_aux_count`", 0, RMM_MAX_REC_AUX,
				&v)) {
			return false;
		}
		m->rec_aux_count = (unsigned)v;
	}
	if (kv[PK_GIC_LRS].val) {
		if (!parse_uint(c, kv[PK_GIC_LRS].val, "`gic_lrs`", 1, RMM_MAX_GIC_LRS, &v)) {
			return false;
		}
		m->gic_lrs = (unsigned)v;
	}
	if ((kv[PK_SECURE].val &&
	     !parse_ranges(c, kv[PK_SECURE].val, "`secure`", m->secure, &m->nsecure)) ||
	    (kv[PK_DEVICE].val &&
	     !parse_ranges(c, kv[PK_DEVICE].val, "`device`", m->device, &m->ndevice))) {
		return false;
	}
	/* The RMM states which platforms it supports (rmm_features_check): its answer, at the
	 * key it is about (or at the preset that set it). */
	struct rmm_features f;
	machine_features(m, &f);
	const char *field = NULL, *why = rmm_features_check(&f, &field);
	if (why) {
		static const struct {
			const char *field;
			enum platform_key key;
		} at[] = {{"vmid_bits", PK_VMID_BITS},
			  {"num_bps", PK_BREAKPOINTS},
			  {"num_wps", PK_WATCHPOINTS},
			  {"pmu_num_ctrs", PK_PMU_COUNTERS},
			  {"sve_vl", PK_SVE_VL}};
		const struct ynode *where = kv[PK_PRESET].val;
		for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			if (field && !strcmp(at[i].field, field) && kv[at[i].key].val) {
				where = kv[at[i].key].val;
			}
		}
		return fail(c, where, "this RMM does not support that platform: %s", why);
	}
	return true;
}

static void machine_features(const struct scenario_machine *m, struct rmm_features *f)
{
	memset(f, 0, sizeof(*f));
	f->vmid_bits = m->vmid_bits;
	f->num_bps = m->breakpoints;
	f->num_wps = m->watchpoints;
	f->lpa2 = m->lpa2;
	f->pmu = m->pmu;
	f->pmu_num_ctrs = m->pmu_counters;
	f->sve_vl = m->sve_vl;
	f->gic_lrs = m->gic_lrs;
}

void scenario_machine_config(const struct scenario_machine *m, struct host_config *hc)
{
	hc->cpu.ram_size = m->ram;
	hc->cpu.pa_bits = m->pa_bits;
	hc->gpt.pps_bits = m->gpt_pps_bits;
	hc->gpt.l0gptsz = m->gpt_l0gptsz;
	hc->gpt.root_size = m->gpt_root_size;
	hc->rmm.pa_bits = m->pa_bits;
	machine_features(m, &hc->rmm.features);
	hc->rmm.rec_aux_count = m->rec_aux_count;
	_Static_assert(sizeof(hc->monitor.attest_seed) > SCENARIO_SEED_MAX, "the seed fits EL3's");
	hc->monitor.no_attestation = m->no_attestation;
	if (m->attestation_seed) {
		snprintf(hc->monitor.attest_seed, sizeof(hc->monitor.attest_seed), "%s",
			 m->attestation_seed);
	}
	for (size_t i = 0; i < m->nsecure && i < MONITOR_MAX_RANGES; i++) {
		hc->monitor.secure[i] =
		    (struct monitor_range){m->secure[i].base, m->secure[i].size};
	}
	hc->monitor.nsecure = (unsigned)m->nsecure;
	for (size_t i = 0; i < m->ndevice && i < MONITOR_MAX_RANGES; i++) {
		hc->monitor.device[i] =
		    (struct monitor_range){m->device[i].base, m->device[i].size};
	}
	hc->monitor.ndevice = (unsigned)m->ndevice;
}
