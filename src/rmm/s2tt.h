/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stage-2 translation table entries (RTTEs) in the VMSAv8-64 4 KB-granule format that the
 * Realm PE's own walker uses, plus the RMM's private encoding of invalid entries.
 *
 * Valid entries (bits [1:0] = 0b01 block at levels 1-2, 0b11 page at level 3, 0b11 table at
 * levels 0-2):
 *   ASSIGNED + RIPAS RAM: OA | MemAttr[5:2] = 0b1111 (Normal, outer and inner Write-Back;
 *     non-FWB encoding, which QEMU 5.0's walker understands: it has no FEAT_S2FWB) | S2AP
 *     [7:6] = 0b11 (RW) | SH [9:8] = 0b11 (inner) | AF [10].
 *   ASSIGNED_NS: host's OA, MemAttr[4:2] and S2AP | SH inner | AF | XN [54] | NS [55].
 * Invalid entries (bits [1:0] = 0b00) carry HIPAS in [4:2] (UNASSIGNED 0, ASSIGNED 1,
 * UNASSIGNED_NS 2), RIPAS in [6:5] (EMPTY 0, RAM 1, DESTROYED 2) and, when ASSIGNED, the DATA
 * granule's PA in [47:12]; Unprotected entries also have NS [55] set.
 */
#ifndef CCA_RMM_S2TT_H
#define CCA_RMM_S2TT_H

#include "rmm_private.h"

#define S2TTE_ENTRIES     512U
#define S2TTE_ADDR_MASK   0x0000FFFFFFFFF000ULL
#define S2TTE_MEMATTR_NS  (0x7ULL << 2) /* host-controlled MemAttr[2:0] */
#define S2TTE_S2AP        (0x3ULL << 6)
#define S2TTE_NS          (1ULL << 55)
#define RTT_PAGE_LEVEL    3
#define RTT_MIN_BLOCK_LVL 1

enum rtte_state {
	RTTE_UNASSIGNED,
	RTTE_ASSIGNED,
	RTTE_UNASSIGNED_NS,
	RTTE_ASSIGNED_NS,
	RTTE_TABLE,
};

struct rtt_walk {
	int level;    /* level of the entry found */
	uint64_t rtt; /* PA of the RTT holding it */
	unsigned idx; /* its index in that RTT */
	uint64_t entry;
};

static inline unsigned rtt_level_shift(int level)
{
	return 12U + 9U * (unsigned)(3 - level);
}

static inline uint64_t rtt_level_size(int level)
{
	return 1ULL << rtt_level_shift(level);
}

static inline bool addr_is_level_aligned(uint64_t a, int level)
{
	return (a & (rtt_level_size(level) - 1)) == 0;
}

enum rtte_state s2tte_state(uint64_t e, int level);
unsigned s2tte_ripas(uint64_t e, int level);
uint64_t s2tte_addr(uint64_t e);
uint64_t s2tte_unassigned(unsigned ripas);
uint64_t s2tte_unassigned_ns(void);
uint64_t s2tte_assigned(uint64_t pa, unsigned ripas, int level);
uint64_t s2tte_assigned_ns(uint64_t desc, int level);
uint64_t s2tte_table(uint64_t pa);
/* The host-visible descriptor of RMI_RTT_READ_ENTRY. */
uint64_t s2tte_host_desc(uint64_t e, int level);

uint64_t rtte_read(struct rmm *r, uint64_t rtt, unsigned idx);
void rtte_write(struct rmm *r, uint64_t rtt, unsigned idx, uint64_t e);

/* RttWalk(rd, ipa, level): descends TABLE entries from the starting RTT. */
void rtt_walk(struct rmm *r, const struct rd *rd, uint64_t ipa, int level, struct rtt_walk *w);
/* IPA of the entry at `idx` of the walked RTT. */
uint64_t rtt_walk_ipa(const struct rtt_walk *w, uint64_t ipa, unsigned idx);
/* RttSkipNonLiveEntries: the first live entry at or after `ipa` in the walked RTT, else the
 * end of that RTT's range. */
uint64_t rtt_skip_non_live(struct rmm *r, const struct rtt_walk *w, uint64_t ipa);
/* True when every entry of the RTT at `rtt` is non-live (no ASSIGNED(_NS) or TABLE entry). */
bool rtt_is_live(struct rmm *r, uint64_t rtt, int level);
/* Translates a Protected IPA to the PA of an ASSIGNED RAM page (RSI buffers). */
bool rtt_ipa_to_pa(struct rmm *r, const struct rd *rd, uint64_t ipa, uint64_t *pa, unsigned *ripas);
/* RttConfigIsValid for 4 KB granules without LPA2. */
bool rtt_config_is_valid(uint64_t s2sz, int64_t level, uint64_t num);

#endif
