/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTT commands [S:B4.3.15-22]: create/destroy/fold tables, read an entry, RIPAS
 * initialisation and change, and the host's Unprotected mappings. Descriptor encoding in
 * s2tt.h. Each ladder follows the order of the spec's condition table, which satisfies every
 * ordering constraint the spec gives ([rd_*] and [level_bound, ipa_bound] before walk results).
 */
#include "measurement.h"
#include "s2tt.h"

#include <string.h>

#define MAX_PA_NO_LPA2 (1ULL << 48)

/* level_bound / ipa_align / ipa_bound of the commands acting on the RTT at `level`, whose
 * parent entry is at level - 1 (CREATE, DESTROY, FOLD). */
static struct rmi_ret check_rtt_level_ipa(const struct rd *rd, uint64_t ipa, int64_t level)
{
	if (level <= rd->rtt_level_start || level > RTT_PAGE_LEVEL) {
		return rmi_fail(COND_level_bound);
	}
	if (!addr_is_level_aligned(ipa, (int)level - 1)) {
		return rmi_fail(COND_ipa_align);
	}
	if (ipa >= (1ULL << rd->ipa_width)) {
		return rmi_fail(COND_ipa_bound);
	}
	return rmi_ok();
}

static bool ipa_is_protected_entry(const struct rd *rd, uint64_t ipa)
{
	return ipa_is_protected(rd, ipa);
}

struct rmi_ret smc_rtt_create(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rtt = a[2], ipa = a[3];
	int64_t level = (int64_t)a[4];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	TRY(check_rtt_level_ipa(&rd, ipa, level));
	TRY(check_granule(r, rtt, GRANULE_DELEGATED, COND_rtt_align, COND_rtt_bound,
			  COND_rtt_state));
	if (!rd.feat_lpa2 && rtt >= MAX_PA_NO_LPA2) {
		return rmi_fail(COND_rtt_bound2);
	}
	rtt_walk(r, &rd, ipa, (int)level - 1, &w);
	if (w.level < level - 1) {
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	enum rtte_state st = s2tte_state(w.entry, w.level);
	if (st == RTTE_TABLE) {
		return rmi_fail_level(COND_rtte_state, w.level);
	}

	/* Unfold [S:A5.5.7]: the children inherit the parent entry. */
	uint64_t child[S2TTE_ENTRIES], size = rtt_level_size((int)level);
	unsigned ripas = s2tte_ripas(w.entry, w.level);
	uint64_t attrs = w.entry & (S2TTE_MEMATTR_NS | S2TTE_S2AP);
	for (unsigned i = 0; i < S2TTE_ENTRIES; i++) {
		uint64_t oa = s2tte_addr(w.entry) + i * size;
		switch (st) {
		case RTTE_ASSIGNED:
			child[i] = s2tte_assigned(oa, ripas, (int)level);
			break;
		case RTTE_ASSIGNED_NS:
			child[i] = s2tte_assigned_ns(oa | attrs, (int)level);
			break;
		case RTTE_UNASSIGNED_NS:
			child[i] = s2tte_unassigned_ns();
			break;
		default:
			child[i] = s2tte_unassigned(ripas);
			break;
		}
	}
	rmm_write(r, rtt, child, sizeof(child));
	gst_set(r, rtt, GRANULE_RTT);
	rtte_write(r, w.rtt, w.idx, s2tte_table(rtt));
	return rmi_ok();
}

struct rmi_ret smc_rtt_destroy(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2];
	int64_t level = (int64_t)a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	TRY(check_rtt_level_ipa(&rd, ipa, level));
	rtt_walk(r, &rd, ipa, (int)level - 1, &w);
	if (w.level < level - 1) {
		out[2] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_TABLE) {
		out[2] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	uint64_t child = s2tte_addr(w.entry);
	if (rtt_is_live(r, child, (int)level)) {
		out[2] = ipa;
		return rmi_fail_level(COND_rtt_live, level);
	}
	rtte_write(r, w.rtt, w.idx,
		   ipa_is_protected_entry(&rd, ipa) ? s2tte_unassigned(RIPAS_DESTROYED)
						    : s2tte_unassigned_ns());
	w.entry = rtte_read(r, w.rtt, w.idx);
	rmm_wipe(r, child);
	gst_set(r, child, GRANULE_DELEGATED);
	out[1] = child;
	out[2] = rtt_skip_non_live(r, &w, ipa);
	return rmi_ok();
}

/* RmiRttEntryState of an entry [S:B3.61]. */
static uint64_t rmi_rtt_entry_state(enum rtte_state s)
{
	switch (s) {
	case RTTE_ASSIGNED:
	case RTTE_ASSIGNED_NS:
		return RTT_STATE_ASSIGNED;
	case RTTE_TABLE:
		return RTT_STATE_TABLE;
	default:
		return RTT_STATE_UNASSIGNED;
	}
}

struct rmi_ret smc_rtt_read_entry(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2];
	int64_t level = (int64_t)a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	if (level < rd.rtt_level_start || level > RTT_PAGE_LEVEL) {
		return rmi_fail(COND_level_bound);
	}
	if (!addr_is_level_aligned(ipa, (int)level)) {
		return rmi_fail(COND_ipa_align);
	}
	if (ipa >= (1ULL << rd.ipa_width)) {
		return rmi_fail(COND_ipa_bound);
	}
	rtt_walk(r, &rd, ipa, (int)level, &w);
	enum rtte_state st = s2tte_state(w.entry, w.level);
	out[1] = (uint64_t)w.level;
	out[2] = rmi_rtt_entry_state(st);
	out[3] = s2tte_host_desc(w.entry, w.level);
	out[4] = (st == RTTE_UNASSIGNED || st == RTTE_ASSIGNED) ? s2tte_ripas(w.entry, w.level)
								: RIPAS_EMPTY;
	return rmi_ok();
}

/* End of the walked RTT's range, capped at `top` and aligned down to the entry size. */
static uint64_t walk_range_end(const struct rtt_walk *w, uint64_t base, uint64_t top)
{
	uint64_t end = rtt_walk_ipa(w, base, 0) + rtt_level_size(w->level) * S2TTE_ENTRIES;
	if (top < end) {
		end = top & ~(rtt_level_size(w->level) - 1);
	}
	return end;
}

struct rmi_ret smc_rtt_init_ripas(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t base = a[2], top = a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	if (top <= base) {
		return rmi_fail(COND_size_valid);
	}
	if (!ipa_is_protected(&rd, top - GRANULE_SIZE)) {
		return rmi_fail(COND_top_bound);
	}
	if (rd.state != REALM_NEW) {
		return rmi_fail(COND_realm_state);
	}
	rtt_walk(r, &rd, base, RTT_PAGE_LEVEL, &w);
	if (!addr_is_level_aligned(base, w.level)) {
		return rmi_fail_level(COND_base_align, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_UNASSIGNED) {
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	if (!GRANULE_ALIGNED(top)) {
		return rmi_fail(COND_top_gran_align);
	}

	/* RttSkipEntriesWithRipas(..., FALSE), stopping (as TF-RMM) at anything that is not
	 * UNASSIGNED, so that no ASSIGNED entry changes RIPAS behind the host's back. */
	uint64_t end = walk_range_end(&w, base, top), size = rtt_level_size(w.level), ipa;
	unsigned i = w.idx;
	for (ipa = base; ipa < end; ipa += size, i++) {
		if (s2tte_state(rtte_read(r, w.rtt, i), w.level) != RTTE_UNASSIGNED) {
			break;
		}
	}
	if (ipa == base) {
		return rmi_fail_level(COND_no_progress, w.level);
	}
	for (uint64_t e = base, j = w.idx; e < ipa; e += size, j++) {
		rtte_write(r, w.rtt, (unsigned)j, s2tte_unassigned(RIPAS_RAM));
		rim_extend_ripas(&rd, e, e + size < top ? e + size : top);
	}
	rd_store(r, a[1], &rd);
	out[1] = ipa;
	return rmi_ok();
}

struct rmi_ret smc_rtt_set_ripas(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t rd_pa = a[1], rec_pa = a[2], base = a[3], top = a[4];
	struct rd rd;
	struct rec rec;
	struct rtt_walk w;

	TRY(rd_check_load(r, rd_pa, &rd));
	TRY(check_granule(r, rec_pa, GRANULE_REC, COND_rec_align, COND_rec_bound,
			  COND_rec_gran_state));
	rec_load(r, rec_pa, &rec);
	if (rec.state == REC_RUNNING) {
		return rmi_fail(COND_rec_state);
	}
	if (rec.owner != rd_pa) {
		return rmi_fail(COND_rec_owner);
	}
	if (top <= base) {
		return rmi_fail(COND_size_valid);
	}
	if (base != rec.ripas_addr) {
		return rmi_fail(COND_base_bound);
	}
	if (top > rec.ripas_top) {
		return rmi_fail(COND_top_bound);
	}
	rtt_walk(r, &rd, base, RTT_PAGE_LEVEL, &w);
	bool at_value = s2tte_ripas(w.entry, w.level) == rec.ripas_value;
	if (!addr_is_level_aligned(base, w.level) && !at_value) {
		return rmi_fail_level(COND_base_align, w.level);
	}
	if (!GRANULE_ALIGNED(top)) {
		return rmi_fail(COND_top_gran_align);
	}

	/* RttSkipEntriesWithRipas(..., stop_at_destroyed unless CHANGE_DESTROYED): entries
	 * already at the value are skipped, the others must lie wholly inside [base, top). */
	uint64_t size = rtt_level_size(w.level), ipa = base;
	for (unsigned i = w.idx; i < S2TTE_ENTRIES && ipa < top; i++) {
		uint64_t e = rtte_read(r, w.rtt, i), start = rtt_walk_ipa(&w, base, i);
		unsigned cur = s2tte_ripas(e, w.level);
		if (s2tte_state(e, w.level) == RTTE_TABLE) {
			break;
		}
		if (cur != rec.ripas_value) {
			if (start < base || start + size > top) {
				break;
			}
			if (cur == RIPAS_DESTROYED && !rec.ripas_destroyed) {
				break;
			}
		}
		ipa = start + size;
	}
	uint64_t walk_top = ipa < top ? ipa : top;
	if (walk_top == base) {
		return rmi_fail_level(COND_no_progress, w.level);
	}
	for (unsigned i = w.idx; i < S2TTE_ENTRIES && rtt_walk_ipa(&w, base, i) < walk_top; i++) {
		uint64_t e = rtte_read(r, w.rtt, i);
		if (s2tte_ripas(e, w.level) == rec.ripas_value) {
			continue;
		}
		e = s2tte_state(e, w.level) == RTTE_ASSIGNED
			? s2tte_assigned(s2tte_addr(e), rec.ripas_value, w.level)
			: s2tte_unassigned(rec.ripas_value);
		rtte_write(r, w.rtt, i, e);
	}
	rec.ripas_addr = walk_top;
	rec_store(r, rec_pa, &rec);
	out[1] = walk_top;
	return rmi_ok();
}

struct rmi_ret smc_rtt_map_unprotected(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2], desc = a[4];
	int64_t level = (int64_t)a[3];
	struct rd rd;
	struct rtt_walk w;

	if (desc & ~(S2TTE_ADDR_MASK | S2TTE_MEMATTR_NS | S2TTE_S2AP)) {
		return rmi_fail(COND_attr_valid);
	}
	TRY(rd_check_load(r, a[1], &rd));
	if (level < RTT_MIN_BLOCK_LVL || level < rd.rtt_level_start || level > RTT_PAGE_LEVEL) {
		return rmi_fail(COND_level_bound);
	}
	if (!addr_is_level_aligned(s2tte_addr(desc), (int)level)) {
		return rmi_fail(COND_addr_align);
	}
	/* addr_bound (address >= 2^48 without LPA2) cannot hold here: desc bits [51:48] are
	 * outside the host-controlled fields, so attr_valid has already refused them. */
	if (!addr_is_level_aligned(ipa, (int)level)) {
		return rmi_fail(COND_ipa_align);
	}
	if (ipa >= (1ULL << rd.ipa_width) || ipa_is_protected(&rd, ipa)) {
		return rmi_fail(COND_ipa_bound);
	}
	rtt_walk(r, &rd, ipa, (int)level, &w);
	if (w.level < level) {
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_UNASSIGNED_NS) {
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	rtte_write(r, w.rtt, w.idx, s2tte_assigned_ns(desc, (int)level));
	return rmi_ok();
}

struct rmi_ret smc_rtt_unmap_unprotected(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2];
	int64_t level = (int64_t)a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	if (level < RTT_MIN_BLOCK_LVL || level < rd.rtt_level_start || level > RTT_PAGE_LEVEL) {
		return rmi_fail(COND_level_bound);
	}
	if (!addr_is_level_aligned(ipa, (int)level)) {
		return rmi_fail(COND_ipa_align);
	}
	if (ipa >= (1ULL << rd.ipa_width) || ipa_is_protected(&rd, ipa)) {
		return rmi_fail(COND_ipa_bound);
	}
	rtt_walk(r, &rd, ipa, (int)level, &w);
	if (w.level < level) {
		out[1] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_ASSIGNED_NS) {
		out[1] = rtt_skip_non_live(r, &w, ipa);
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	rtte_write(r, w.rtt, w.idx, s2tte_unassigned_ns());
	out[1] = rtt_skip_non_live(r, &w, ipa);
	return rmi_ok();
}

/* The entry a homogeneous RTT folds into [S:A5.5.6], or false. */
static bool rtt_fold_entry(struct rmm *r, uint64_t rtt, int level, uint64_t *folded)
{
	uint64_t e0 = rtte_read(r, rtt, 0), size = rtt_level_size(level);
	enum rtte_state st = s2tte_state(e0, level);
	unsigned ripas = s2tte_ripas(e0, level);
	uint64_t attrs = e0 & ~S2TTE_ADDR_MASK;

	if (st == RTTE_TABLE) {
		return false;
	}
	if ((st == RTTE_ASSIGNED || st == RTTE_ASSIGNED_NS) &&
	    (level < 2 || !addr_is_level_aligned(s2tte_addr(e0), level - 1))) {
		return false;
	}
	for (unsigned i = 1; i < S2TTE_ENTRIES; i++) {
		uint64_t e = rtte_read(r, rtt, i);
		if (s2tte_state(e, level) != st) {
			return false;
		}
		if ((st == RTTE_UNASSIGNED || st == RTTE_ASSIGNED) &&
		    s2tte_ripas(e, level) != ripas) {
			return false;
		}
		if ((st == RTTE_ASSIGNED || st == RTTE_ASSIGNED_NS) &&
		    (s2tte_addr(e) != s2tte_addr(e0) + i * size ||
		     (e & ~S2TTE_ADDR_MASK) != attrs)) {
			return false;
		}
	}
	switch (st) {
	case RTTE_UNASSIGNED:
		*folded = s2tte_unassigned(ripas);
		break;
	case RTTE_UNASSIGNED_NS:
		*folded = s2tte_unassigned_ns();
		break;
	case RTTE_ASSIGNED:
		*folded = s2tte_assigned(s2tte_addr(e0), ripas, level - 1);
		break;
	default:
		*folded = s2tte_assigned_ns(s2tte_host_desc(e0, level), level - 1);
		break;
	}
	return true;
}

struct rmi_ret smc_rtt_fold(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t ipa = a[2], folded = 0;
	int64_t level = (int64_t)a[3];
	struct rd rd;
	struct rtt_walk w;

	TRY(rd_check_load(r, a[1], &rd));
	TRY(check_rtt_level_ipa(&rd, ipa, level));
	rtt_walk(r, &rd, ipa, (int)level - 1, &w);
	if (w.level < level - 1) {
		return rmi_fail_level(COND_rtt_walk, w.level);
	}
	if (s2tte_state(w.entry, w.level) != RTTE_TABLE) {
		return rmi_fail_level(COND_rtte_state, w.level);
	}
	uint64_t child = s2tte_addr(w.entry);
	if (!rtt_fold_entry(r, child, (int)level, &folded)) {
		return rmi_fail_level(COND_rtt_homo, level);
	}
	rtte_write(r, w.rtt, w.idx, folded);
	rmm_wipe(r, child);
	gst_set(r, child, GRANULE_DELEGATED);
	out[1] = child;
	return rmi_ok();
}
