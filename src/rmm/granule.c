/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The granule state table and RMI_GRANULE_DELEGATE / RMI_GRANULE_UNDELEGATE [S:B4.3.5-6].
 *
 * The table lives in the RMM's carve-out (Realm PAS) as an open-addressing hash from granule
 * PA to state: 8-byte slots holding PA | USED | state, 0 = empty. A granule never recorded is
 * UNDELEGATED; slots are never freed (an undelegated granule keeps its slot, holding
 * UNDELEGATED), so probing needs no tombstones and the table never holds more slots than
 * there are delegable granules that were ever delegated.
 */
#include "rmm_private.h"

#define GST_USED       (1ULL << 11)
#define GST_STATE_MASK 0xFULL

static uint64_t gst_hash(const struct rmm *r, uint64_t pa)
{
	return ((pa >> GRANULE_SHIFT) * 0x9E3779B97F4A7C15ULL) & (r->gst_slots - 1);
}

/* Slot index holding pa, or the empty slot where it would go; -1 when the table is full. */
static int64_t gst_find(struct rmm *r, uint64_t pa, uint64_t *slot_val)
{
	uint64_t i = gst_hash(r, pa);
	for (uint64_t n = 0; n < r->gst_slots; n++, i = (i + 1) & (r->gst_slots - 1)) {
		uint64_t v = 0;
		rmm_read(r, r->gst_base + 8 * i, &v, sizeof(v));
		if (v == 0 || (v & ~GRANULE_MASK) == pa) {
			*slot_val = v;
			return (int64_t)i;
		}
	}
	return -1;
}

enum granule_state gst_get(struct rmm *r, uint64_t pa)
{
	uint64_t v;
	if (gst_find(r, pa & ~GRANULE_MASK, &v) < 0 || v == 0) {
		return GRANULE_UNDELEGATED;
	}
	return (enum granule_state)(v & GST_STATE_MASK);
}

const char *granule_state_name(enum granule_state s)
{
	static const char *const names[] = {"UNDELEGATED", "DELEGATED", "RD", "REC",
					    "REC_AUX",     "DATA",      "RTT"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void gst_set(struct rmm *r, uint64_t pa, enum granule_state s)
{
	uint64_t v;
	int64_t i = gst_find(r, pa, &v);
	if (i < 0) {
		rmm_internal_error("granule state table has no slot for the granule", pa);
	}
	v = pa | GST_USED | (uint64_t)s;
	rmm_write(r, r->gst_base + 8 * (uint64_t)i, &v, sizeof(v));
	if (r->t) { /* for the command's event */
		if (r->nchanged < RMM_GRANULE_CHANGES_SHOWN) {
			r->changed[r->nchanged].pa = pa;
			r->changed[r->nchanged].state = s;
		}
		r->nchanged++;
	}
}

/* True when a new granule can be recorded (only DELEGATE adds slots). */
static bool gst_has_room(struct rmm *r, uint64_t pa)
{
	uint64_t v;
	return gst_find(r, pa, &v) >= 0;
}

struct rmi_ret check_granule(struct rmm *r, uint64_t pa, enum granule_state want,
			     enum cond_id align, enum cond_id bound, enum cond_id state)
{
	if (!GRANULE_ALIGNED(pa)) {
		return rmi_fail(align);
	}
	if (!rmm_pa_delegable(r, pa)) {
		return rmi_fail(bound);
	}
	if (gst_get(r, pa) != want) {
		return rmi_fail(state);
	}
	return rmi_ok();
}

struct rmi_ret rd_check_load(struct rmm *r, uint64_t rd_pa, struct rd *rd)
{
	TRY(check_granule(r, rd_pa, GRANULE_RD, COND_rd_align, COND_rd_bound, COND_rd_state));
	rd_load(r, rd_pa, rd);
	return rmi_ok();
}

struct rmi_ret read_host_granule(struct rmm *r, uint64_t pa, uint8_t buf[GRANULE_SIZE],
				 enum cond_id align, enum cond_id bound, enum cond_id pas)
{
	if (!GRANULE_ALIGNED(pa)) {
		return rmi_fail(align);
	}
	if (!rmm_pa_delegable(r, pa)) {
		return rmi_fail(bound);
	}
	if (r->plat.ns_read(r->plat.ctx, pa, buf, GRANULE_SIZE) != 0) {
		return rmi_fail(pas);
	}
	return rmi_ok();
}

int vmid_test(struct rmm *r, uint64_t vmid)
{
	uint8_t b = 0;
	rmm_read(r, r->vmid_map + vmid / 8, &b, 1);
	return (b >> (vmid % 8)) & 1;
}

void vmid_set(struct rmm *r, uint64_t vmid, bool used)
{
	uint8_t b = 0;
	rmm_read(r, r->vmid_map + vmid / 8, &b, 1);
	b = used ? (uint8_t)(b | (1U << (vmid % 8))) : (uint8_t)(b & ~(1U << (vmid % 8)));
	rmm_write(r, r->vmid_map + vmid / 8, &b, 1);
}

struct rmi_ret smc_granule_delegate(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t addr = a[1];

	TRY(check_granule(r, addr, GRANULE_UNDELEGATED, COND_gran_align, COND_gran_bound,
			  COND_gran_state));
	/* A full state table means this RMM cannot track the granule: not delegable to it. */
	if (!gst_has_room(r, addr)) {
		return rmi_fail(COND_gran_bound);
	}
	uint64_t ret = r->plat.gtsi_delegate(r->plat.ctx, addr);
	if (ret == E_RMM_BAD_PAS) {
		return rmi_fail(COND_gran_gpt);
	}
	if (ret != E_RMM_OK) {
		return rmi_fail(COND_gran_bound);
	}
	gst_set(r, addr, GRANULE_DELEGATED);
	return rmi_ok();
}

struct rmi_ret smc_granule_undelegate(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t addr = a[1];

	TRY(check_granule(r, addr, GRANULE_DELEGATED, COND_gran_align, COND_gran_bound,
			  COND_gran_state));
	/* Scrub in the Realm PAS before the host can see the granule again. */
	if (!rmm_test_fault(RMM_FAULT_NO_SCRUB)) {
		rmm_wipe(r, addr);
	}
	if (r->plat.gtsi_undelegate(r->plat.ctx, addr) != E_RMM_OK) {
		return rmi_fail(COND_gran_state);
	}
	gst_set(r, addr, GRANULE_UNDELEGATED);
	return rmi_ok();
}
