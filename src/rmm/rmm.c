/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Creation of an RMM instance, its memory accessors and the names of its configurations. */
#include "rmm_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMID_MAP_SIZE (RMM_VMID_COUNT / 8U)

_Noreturn void rmm_internal_error(const char *what, uint64_t pa)
{
	fprintf(stderr, "cca-sim: internal error: the RMM's %s at PA 0x%llx failed\n", what,
		(unsigned long long)pa);
	abort();
}

#ifdef CCA_TEST_FAULTS
bool rmm_test_fault(enum rmm_test_fault f)
{
	static const char *const names[] = {"deny_runnable", "no_scrub"};
	const char *want = getenv("CCA_SIM_TEST_FAULT");
	return want && (unsigned)f < sizeof(names) / sizeof(names[0]) &&
	       strcmp(want, names[f]) == 0;
}
#endif

void rmm_read(struct rmm *r, uint64_t pa, void *buf, size_t len)
{
	if (r->plat.realm_read(r->plat.ctx, pa, buf, len) != 0) {
		rmm_internal_error("read of Realm memory", pa);
	}
}

void rmm_write(struct rmm *r, uint64_t pa, const void *buf, size_t len)
{
	if (r->plat.realm_write(r->plat.ctx, pa, buf, len) != 0) {
		rmm_internal_error("write of Realm memory", pa);
	}
}

void rmm_wipe(struct rmm *r, uint64_t pa)
{
	static const uint8_t zero[GRANULE_SIZE];
	rmm_write(r, pa, zero, sizeof(zero));
}

void rmm_features_resolve(struct rmm_features *f, unsigned pa_bits)
{
	if (pa_bits == 0) {
		pa_bits = 40;
	}
	f->vmid_bits = f->vmid_bits ? f->vmid_bits : 16;
	f->num_bps = f->num_bps ? f->num_bps : RMM_DEFAULT_BPS;
	f->num_wps = f->num_wps ? f->num_wps : RMM_DEFAULT_WPS;
	f->gic_lrs = f->gic_lrs ? f->gic_lrs : 1;
	/* S2SZ is bounded by PARange (TF-RMM derives it from the PA size the same way) */
	f->max_ipa_bits = pa_bits < RMM_MAX_S2SZ ? pa_bits : RMM_MAX_S2SZ;
}

bool rmm_pa_delegable(struct rmm *r, uint64_t pa)
{
	/* The carve-out is never delegable, whatever the platform says. */
	if (pa >= r->plat.private_base && pa - r->plat.private_base < r->plat.private_size) {
		return false;
	}
	return r->plat.pa_delegable(r->plat.ctx, pa);
}

void rd_load(struct rmm *r, uint64_t pa, struct rd *rd)
{
	rmm_read(r, pa, rd, sizeof(*rd));
}

void rd_store(struct rmm *r, uint64_t pa, const struct rd *rd)
{
	rmm_write(r, pa, rd, sizeof(*rd));
}

void rec_load(struct rmm *r, uint64_t pa, struct rec *rec)
{
	rmm_read(r, pa, rec, sizeof(*rec));
}

void rec_store(struct rmm *r, uint64_t pa, const struct rec *rec)
{
	rmm_write(r, pa, rec, sizeof(*rec));
}

int rmm_create(const struct rmm_platform *plat, const struct rmm_config *cfg, struct trace *t,
	       struct rmm **out)
{
	*out = NULL;
	if (!plat || !cfg || !plat->realm_read || !plat->realm_write || !plat->ns_read ||
	    !plat->ns_write || !plat->pa_delegable || !plat->gtsi_delegate ||
	    !plat->gtsi_undelegate || !plat->run_rec) {
		return -1;
	}
	if (!GRANULE_ALIGNED(plat->private_base) || plat->private_size < VMID_MAP_SIZE + 4096) {
		return -1;
	}
	if (cfg->spec > RMM_SPEC_2_0 || cfg->profile > RMM_PROFILE_TF_RMM ||
	    cfg->rec_aux_count > RMM_MAX_AUX) {
		return -1;
	}
	const char *why = rmm_features_check(&cfg->features, NULL);
	if (why) {
		fprintf(stderr, "cca-sim: error: unsupported platform: %s\n", why);
		return -1;
	}
	/* The RD keeps REC granule numbers in 32 bits (struct rd): PAs must stay below 2^44. */
	if (cfg->pa_bits > RMM_MAX_PA_BITS) {
		fprintf(stderr,
			"cca-sim: error: the RMM supports physical addresses up to %u bits\n",
			RMM_MAX_PA_BITS);
		return -1;
	}

	struct rmm *r = calloc(1, sizeof(*r));
	if (!r) {
		return -1;
	}
	r->plat = *plat;
	r->cfg = *cfg;
	if (r->cfg.pa_bits == 0) {
		r->cfg.pa_bits = 40;
	}
	rmm_features_resolve(&r->cfg.features, r->cfg.pa_bits);
	r->t = t;
	r->vmid_map = plat->private_base;
	r->gst_base = plat->private_base + VMID_MAP_SIZE;
	uint64_t slots = (plat->private_size - VMID_MAP_SIZE) / sizeof(uint64_t);
	r->gst_slots = 1;
	while (r->gst_slots * 2 <= slots) {
		r->gst_slots *= 2;
	}

	/* Start from a clean carve-out: empty granule state table, no VMID used. */
	for (uint64_t off = 0; off < plat->private_size; off += GRANULE_SIZE) {
		static const uint8_t zero[GRANULE_SIZE];
		uint64_t n = plat->private_size - off;
		/* the one Realm access that may fail: a platform whose carve-out is not memory */
		if (plat->realm_write(plat->ctx, plat->private_base + off, zero,
				      n < GRANULE_SIZE ? (size_t)n : GRANULE_SIZE) != 0) {
			free(r);
			return -1;
		}
	}
	if (rmm_invariants_attach(r) != 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* The one statement of which platforms this RMM supports (the scenario parser asks it too). */
const char *rmm_features_check(const struct rmm_features *f, const char **field)
{
	const char *bad = NULL, *why = NULL;
	if (f->vmid_bits != 0 && f->vmid_bits != 8 && f->vmid_bits != 16) {
		bad = "vmid_bits", why = "the VMID width is 8 or 16 bits";
	} else if (f->num_bps != 0 && (f->num_bps < 2 || f->num_bps > RMM_MAX_BPS)) {
		bad = "num_bps", why = "breakpoints number 2 to 64";
	} else if (f->num_wps != 0 && (f->num_wps < 2 || f->num_wps > RMM_MAX_BPS)) {
		bad = "num_wps", why = "watchpoints number 2 to 64";
	} else if (f->pmu_num_ctrs > RMM_MAX_PMU_CTRS || (!f->pmu && f->pmu_num_ctrs)) {
		bad = "pmu_num_ctrs", why = "PMU counters number 0 to 31, and only with a PMU";
	} else if (f->sve_vl % 128 != 0 || f->sve_vl > RMM_MAX_SVE_VL) {
		bad = "sve_vl",
		why = "the SVE vector length is a multiple of 128 bits, 128 to 2048";
	} else if (f->gic_lrs > RMM_MAX_GIC_LRS) {
		bad = "gic_lrs", why = "GIC List Registers number 1 to 16";
	}
	if (field) {
		*field = bad;
	}
	return why;
}

void rmm_destroy(struct rmm *r)
{
	if (r) {
		rmm_invariants_detach(r);
	}
	free(r);
}

enum rmm_run_status rmm_last_run_status(const struct rmm *r)
{
	return r->last_run;
}

bool rmm_last_run_budget_exhausted(const struct rmm *r)
{
	return r->last_run == RMM_RUN_BUDGET;
}

bool rmm_last_fault_loop(const struct rmm *r, struct rmm_fault_loop *out)
{
	if (r->last_run != RMM_RUN_FAULT_LOOP) {
		return false;
	}
	*out = r->fault_loop;
	return true;
}

static const char *const spec_names[] = {
    [RMM_SPEC_1_0_EAC2] = "1.0-eac2",
    [RMM_SPEC_1_0_EAC3] = "1.0-eac3",
    [RMM_SPEC_1_0_REL0] = "1.0-rel0",
    [RMM_SPEC_2_0] = "2.0",
};

static const char *const profile_names[] = {
    [RMM_PROFILE_SPEC] = "spec",
    [RMM_PROFILE_TF_RMM] = "tf-rmm",
};

const char *rmm_spec_name(enum rmm_spec spec)
{
	return (unsigned)spec <= RMM_SPEC_2_0 ? spec_names[spec] : NULL;
}

bool rmm_spec_parse(const char *name, enum rmm_spec *out)
{
	for (unsigned i = 0; i <= RMM_SPEC_2_0; i++) {
		if (strcmp(name, spec_names[i]) == 0) {
			*out = (enum rmm_spec)i;
			return true;
		}
	}
	if (strcmp(name, "2.0-draft") == 0) {
		*out = RMM_SPEC_2_0;
		return true;
	}
	return false;
}

const char *rmm_spec_name_list(void)
{
	static char list[64];
	if (!list[0]) {
		size_t used = 0;
		for (unsigned i = 0; i <= RMM_SPEC_2_0 && used < sizeof(list); i++) {
			int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 spec_names[i]);
			used += n > 0 ? (size_t)n : 0;
		}
	}
	return list;
}

const char *rmm_profile_name(enum rmm_profile profile)
{
	return (unsigned)profile <= RMM_PROFILE_TF_RMM ? profile_names[profile] : NULL;
}

bool rmm_profile_parse(const char *name, enum rmm_profile *out)
{
	for (unsigned i = 0; i <= RMM_PROFILE_TF_RMM; i++) {
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum rmm_profile)i;
			return true;
		}
	}
	return false;
}
