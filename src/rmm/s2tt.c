/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stage-2 descriptors and walks over RTT granules (encoding: s2tt.h). */
#include "s2tt.h"

#define DESC_VALID     1ULL
#define DESC_PAGE      3ULL /* also TABLE at levels 0-2 */
#define HIPAS_SHIFT    2
#define HIPAS_MASK     (0x7ULL << HIPAS_SHIFT)
#define RIPAS_SHIFT    5
#define RIPAS_MASK     (0x3ULL << RIPAS_SHIFT)
#define HIPAS_UNASS    0ULL
#define HIPAS_ASS      1ULL
#define HIPAS_UNASS_NS 2ULL
#define ATTR_MEMATTR   (0xFULL << 2) /* Normal, outer WB, inner WB */
#define ATTR_S2AP_RW   (0x3ULL << 6)
#define ATTR_SH_INNER  (0x3ULL << 8)
#define ATTR_AF        (1ULL << 10)
#define ATTR_XN        (2ULL << 53)

enum rtte_state s2tte_state(uint64_t e, int level)
{
	if ((e & DESC_VALID) == 0) {
		switch ((e & HIPAS_MASK) >> HIPAS_SHIFT) {
		case HIPAS_ASS:
			return RTTE_ASSIGNED;
		case HIPAS_UNASS_NS:
			return RTTE_UNASSIGNED_NS;
		default:
			return RTTE_UNASSIGNED;
		}
	}
	if (level < RTT_PAGE_LEVEL && (e & DESC_PAGE) == DESC_PAGE) {
		return RTTE_TABLE;
	}
	return (e & S2TTE_NS) ? RTTE_ASSIGNED_NS : RTTE_ASSIGNED;
}

unsigned s2tte_ripas(uint64_t e, int level)
{
	if (e & DESC_VALID) {
		return RIPAS_RAM; /* only ASSIGNED RAM is valid on the Protected side */
	}
	return (unsigned)((e & RIPAS_MASK) >> RIPAS_SHIFT);
}

uint64_t s2tte_addr(uint64_t e)
{
	return e & S2TTE_ADDR_MASK;
}

uint64_t s2tte_unassigned(unsigned ripas)
{
	return (HIPAS_UNASS << HIPAS_SHIFT) | ((uint64_t)ripas << RIPAS_SHIFT);
}

uint64_t s2tte_unassigned_ns(void)
{
	return (HIPAS_UNASS_NS << HIPAS_SHIFT) | S2TTE_NS;
}

uint64_t s2tte_assigned(uint64_t pa, unsigned ripas, int level)
{
	if (ripas != RIPAS_RAM) {
		return pa | (HIPAS_ASS << HIPAS_SHIFT) | ((uint64_t)ripas << RIPAS_SHIFT);
	}
	return pa | ATTR_MEMATTR | ATTR_S2AP_RW | ATTR_SH_INNER | ATTR_AF |
	       (level == RTT_PAGE_LEVEL ? DESC_PAGE : DESC_VALID);
}

uint64_t s2tte_assigned_ns(uint64_t desc, int level)
{
	return (desc & (S2TTE_ADDR_MASK | S2TTE_MEMATTR_NS | S2TTE_S2AP)) | ATTR_SH_INNER |
	       ATTR_AF | ATTR_XN | S2TTE_NS | (level == RTT_PAGE_LEVEL ? DESC_PAGE : DESC_VALID);
}

uint64_t s2tte_table(uint64_t pa)
{
	return pa | DESC_PAGE;
}

uint64_t s2tte_host_desc(uint64_t e, int level)
{
	switch (s2tte_state(e, level)) {
	case RTTE_ASSIGNED:
	case RTTE_TABLE:
		return s2tte_addr(e);
	case RTTE_ASSIGNED_NS:
		return e & (S2TTE_ADDR_MASK | S2TTE_MEMATTR_NS | S2TTE_S2AP);
	default:
		return 0;
	}
}

uint64_t rtte_read(struct rmm *r, uint64_t rtt, unsigned idx)
{
	uint64_t e = 0;
	rmm_read(r, rtt + 8ULL * idx, &e, sizeof(e));
	return e;
}

void rtte_write(struct rmm *r, uint64_t rtt, unsigned idx, uint64_t e)
{
	rmm_write(r, rtt + 8ULL * idx, &e, sizeof(e));
}

void rtt_walk(struct rmm *r, const struct rd *rd, uint64_t ipa, int level, struct rtt_walk *w)
{
	int l = (int)rd->rtt_level_start;
	/* The starting level may be concatenated RTTs: pick the granule first. */
	uint64_t top_idx = ipa >> rtt_level_shift(l);
	uint64_t rtt = rd->rtt_base + (top_idx / S2TTE_ENTRIES) * GRANULE_SIZE;
	unsigned idx = (unsigned)(top_idx % S2TTE_ENTRIES);
	uint64_t e = rtte_read(r, rtt, idx);

	while (l < level && s2tte_state(e, l) == RTTE_TABLE) {
		rtt = s2tte_addr(e);
		l++;
		idx = (unsigned)((ipa >> rtt_level_shift(l)) % S2TTE_ENTRIES);
		e = rtte_read(r, rtt, idx);
	}
	*w = (struct rtt_walk){l, rtt, idx, e};
}

uint64_t rtt_walk_ipa(const struct rtt_walk *w, uint64_t ipa, unsigned idx)
{
	uint64_t span = rtt_level_size(w->level) * S2TTE_ENTRIES;
	return (ipa & ~(span - 1)) + (uint64_t)idx * rtt_level_size(w->level);
}

static bool rtte_is_live(uint64_t e, int level)
{
	enum rtte_state s = s2tte_state(e, level);
	return s == RTTE_ASSIGNED || s == RTTE_ASSIGNED_NS || s == RTTE_TABLE;
}

/* A whole RTT, read once: a scan of its 512 entries is one checked access, not 512. */
static void rtt_read_all(struct rmm *r, uint64_t rtt, uint64_t e[S2TTE_ENTRIES])
{
	rmm_read(r, rtt, e, sizeof(uint64_t) * S2TTE_ENTRIES);
}

uint64_t rtt_skip_non_live(struct rmm *r, const struct rtt_walk *w, uint64_t ipa)
{
	uint64_t e[S2TTE_ENTRIES];
	unsigned first = (unsigned)((ipa >> rtt_level_shift(w->level)) % S2TTE_ENTRIES);
	rtt_read_all(r, w->rtt, e);
	for (unsigned i = first; i < S2TTE_ENTRIES; i++) {
		if (rtte_is_live(e[i], w->level)) {
			return rtt_walk_ipa(w, ipa, i);
		}
	}
	return rtt_walk_ipa(w, ipa, 0) + rtt_level_size(w->level) * S2TTE_ENTRIES;
}

bool rtt_is_live(struct rmm *r, uint64_t rtt, int level)
{
	uint64_t e[S2TTE_ENTRIES];
	rtt_read_all(r, rtt, e);
	for (unsigned i = 0; i < S2TTE_ENTRIES; i++) {
		if (rtte_is_live(e[i], level)) {
			return true;
		}
	}
	return false;
}

bool rtt_ipa_to_pa(struct rmm *r, const struct rd *rd, uint64_t ipa, uint64_t *pa, unsigned *ripas)
{
	struct rtt_walk w;
	rtt_walk(r, rd, ipa, RTT_PAGE_LEVEL, &w);
	*ripas = s2tte_state(w.entry, w.level) == RTTE_TABLE ? RIPAS_EMPTY
							     : s2tte_ripas(w.entry, w.level);
	if (s2tte_state(w.entry, w.level) != RTTE_ASSIGNED || *ripas != RIPAS_RAM) {
		return false;
	}
	*pa = s2tte_addr(w.entry) + (ipa & (rtt_level_size(w.level) - 1));
	return true;
}

bool rtt_config_is_valid(uint64_t s2sz, int64_t level, uint64_t num)
{
	/* A single table at level l resolves 48 - 9l bits; up to 16 tables may be concatenated
	 * below level 0, and the start level must not be one a later level could serve. */
	if (level < 0 || level > 2 || s2sz < RMM_MIN_IPA_BITS || s2sz > RMM_MAX_S2SZ) {
		return false;
	}
	unsigned one = 48U - 9U * (unsigned)level;
	if (s2sz <= one - 9U) {
		return false;
	}
	unsigned extra = s2sz > one ? (unsigned)s2sz - one : 0;
	if (extra > 4 || (level == 0 && extra > 0)) {
		return false;
	}
	return num == (1ULL << extra);
}
