/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our own VMSAv8-64 walk (4 KB granule, stage 1 of the EL1&0 or EL2 regime, stage 2 from
 * VTCR_EL2/VTTBR_EL2). Unicorn translates accesses itself; we walk to learn what it cannot
 * tell us: the PA of an access (to check it against the world's view) and, after an abort,
 * which stage and level faulted and the IPA (for ESR and HPFAR).
 */
#include "cpu/cpu_private.h"

#include <string.h>

#define OA_MASK 0x0000fffffffff000ULL
#define DESC_AF (1ULL << 10)
#define TG0_4K  0U
#define TG1_4K  2U

static unsigned level_shift(int level)
{
	return 12U + 9U * (unsigned)(3 - level);
}

/* A descriptor at `level` that points to the next level's table. */
static bool desc_is_table(uint64_t d, int level)
{
	return (d & 3) == 3 && level < 3;
}

/* A block or page descriptor (valid, and not a table): 0b01 is a block at levels 1-2 only. */
static bool desc_is_leaf(uint64_t d, int level)
{
	return !desc_is_table(d, level) && (d & 1) && !((d & 3) == 1 && (level == 0 || level == 3));
}

/* One translation table tree, as its regime's registers describe it. */
struct table_tree {
	uint64_t root;    /* TTBRn_ELx / VTTBR_EL2 */
	int start;        /* the start level */
	unsigned ia_bits; /* input address size */
	bool stage2;      /* stage-2 descriptors (permission format) */
	bool nested;      /* the tables are at IPAs that stage 2 translates (a stage-1 walk of
			   * an EL1 regime with HCR_EL2.VM = 1) */
};

/* Walks `tree` for `addr`. */
static void walk_tree(struct cpu_pe *pe, const struct table_tree *tree, uint64_t addr,
		      unsigned access, struct walk *w);

static void walk_s2(struct cpu_pe *pe, uint64_t ipa, unsigned access, struct walk *w)
{
	uint64_t vtcr = pe->rg.vtcr;
	unsigned ia_bits = 64U - (unsigned)(vtcr & 63), sl0 = (vtcr >> 6) & 3;

	memset(w, 0, sizeof(*w));
	w->s2 = true;
	w->ipa = ipa;
	if (((vtcr >> 14) & 3) != TG0_4K || sl0 == 3 || ia_bits > 48 || ia_bits < 16) {
		w->fault = WALK_UNSUPPORTED;
		return;
	}
	if (ipa >> ia_bits) {
		w->fault = WALK_TRANSLATION;
		return;
	}
	struct table_tree tree = {pe->rg.vttbr, 2 - (int)sl0, ia_bits, true, false};
	walk_tree(pe, &tree, ipa, access, w);
	w->s2 = w->fault != WALK_OK;
	w->ipa = ipa;
}

static bool leaf_permits(const struct cpu_pe *pe, uint64_t d, unsigned access, bool stage2)
{
	if (stage2) {
		unsigned s2ap = (d >> 6) & 3;

		if ((access & CPU_ACCESS_READ) && !(s2ap & 1)) {
			return false;
		}
		if ((access & CPU_ACCESS_WRITE) && !(s2ap & 2)) {
			return false;
		}
		if ((access & CPU_ACCESS_FETCH) && (d >> 54 & 1)) {
			return false;
		}
		/* A realm never executes NS memory: fetching through NS = 1 is a permission
		 * fault [ARM:D9.1], whatever XN says. Unicorn ignores bit 55. */
		if ((access & CPU_ACCESS_FETCH) && pe->world == CPU_WORLD_REALM && (d >> 55 & 1)) {
			return false;
		}
		return true;
	}
	if ((access & CPU_ACCESS_WRITE) && (d >> 7 & 1)) { /* AP[2]: read-only */
		return false;
	}
	/* Execute-never for the privileged EL: XN (bit 54) at EL2, PXN (bit 53) at EL1. */
	if ((access & CPU_ACCESS_FETCH) && (d >> (pe->rg.el == 2 ? 54 : 53) & 1)) {
		return false;
	}
	return true;
}

static void walk_tree(struct cpu_pe *pe, const struct table_tree *tree, uint64_t addr,
		      unsigned access, struct walk *w)
{
	int start = tree->start, level = start;
	unsigned top_bits = tree->ia_bits - level_shift(start);
	/* The start-level table is aligned to its size (smaller or larger than 4 KB). */
	uint64_t table = tree->root & 0x0000fffffffffffeULL & ~((8ULL << top_bits) - 1);

	for (;;) {
		unsigned shift = level_shift(level);
		unsigned bits = level == start ? top_bits : 9;
		uint64_t dpa = table + ((addr >> shift) & ((1ULL << bits) - 1)) * 8;
		uint64_t d;
		void *p;

		w->level = (unsigned)level;
		if (tree->nested) {
			struct walk s2;

			walk_s2(pe, dpa, CPU_ACCESS_READ, &s2);
			if (s2.fault != WALK_OK) {
				*w = s2;
				w->s1ptw = true;
				return;
			}
			dpa = s2.pa;
		}
		p = ram_at(pe->m, dpa, 8);
		if (!p) {
			w->fault = WALK_EXTERNAL;
			return;
		}
		memcpy(&d, p, 8);
		if (desc_is_table(d, level)) {
			table = d & OA_MASK;
			level++;
			continue;
		}
		if (!desc_is_leaf(d, level)) {
			w->fault = WALK_TRANSLATION;
			return;
		}
		if (!(d & DESC_AF)) {
			w->fault = WALK_ACCESS_FLAG;
			return;
		}
		if (!leaf_permits(pe, d, access, tree->stage2)) {
			w->fault = WALK_PERMISSION;
			return;
		}
		w->fault = WALK_OK;
		w->ns = tree->stage2 && pe->world == CPU_WORLD_REALM && (d >> 55 & 1);
		w->pa = (d & OA_MASK & ~((1ULL << shift) - 1)) | (addr & ((1ULL << shift) - 1));
		return;
	}
}

/* Stage 1 of the current regime: VA -> IPA (or PA when stage 2 is off). */
static void walk_s1(struct cpu_pe *pe, uint64_t va, unsigned access, bool nested, struct walk *w)
{
	const struct regime *rg = &pe->rg;
	bool upper = rg->el < 2 && (va >> 55 & 1);
	unsigned tsz, tg, ia_bits, levels;
	bool tbi, epd;
	uint64_t ttbr, top;

	if (rg->el == 2) {
		tsz = rg->tcr & 63;
		tg = (rg->tcr >> 14) & 3;
		tbi = rg->tcr >> 20 & 1;
		epd = false;
		ttbr = rg->ttbr0;
	} else if (upper) {
		tsz = (rg->tcr >> 16) & 63;
		tg = ((rg->tcr >> 30) & 3) == TG1_4K ? TG0_4K : 1;
		tbi = rg->tcr >> 38 & 1;
		epd = rg->tcr >> 23 & 1;
		ttbr = rg->ttbr1;
	} else {
		tsz = rg->tcr & 63;
		tg = (rg->tcr >> 14) & 3;
		tbi = rg->tcr >> 37 & 1;
		epd = rg->tcr >> 7 & 1;
		ttbr = rg->ttbr0;
	}
	ia_bits = 64U - tsz;
	if (tg != TG0_4K || ia_bits > 48 || ia_bits < 16) {
		w->fault = WALK_UNSUPPORTED;
		return;
	}
	/* The bits above the input range must all equal bit 55 (or 63 without TBI). */
	top = tbi ? (va << 8) >> (ia_bits + 8) : va >> ia_bits;
	if (upper ? top != (tbi ? (~0ULL >> (ia_bits + 8)) : (~0ULL >> ia_bits)) : top != 0) {
		w->fault = WALK_TRANSLATION;
		w->level = 0;
		return;
	}
	if (epd) {
		w->fault = WALK_TRANSLATION;
		w->level = 0;
		return;
	}
	levels = (ia_bits - 12 + 8) / 9;
	struct table_tree tree = {ttbr, 4 - (int)levels, ia_bits, false, nested};
	walk_tree(pe, &tree, va, access, w);
}

void walk_va(struct cpu_pe *pe, uint64_t va, unsigned access, struct walk *w)
{
	bool s2;
	uint64_t ipa;
	unsigned s1_level = 0;

	if (!pe->rg.valid) {
		pe_regime_load(pe);
	}
	memset(w, 0, sizeof(*w));
	s2 = pe->rg.el < 2 && (pe->rg.hcr & HCR_VM) && !(pe->rg.hcr & HCR_TGE);
	if (pe->rg.sctlr & SCTLR_M) {
		walk_s1(pe, va, access, s2, w);
		if (w->fault != WALK_OK) {
			return;
		}
		ipa = w->pa;
		s1_level = w->level;
	} else {
		ipa = va;
	}
	if (!s2) {
		w->pa = ipa;
		return;
	}
	walk_s2(pe, ipa, access, w);
	w->s1_level = s1_level;
}

bool walk_va_to_pa(struct cpu_pe *pe, uint64_t va, uint64_t *pa, enum cpu_world *view_world)
{
	uint64_t page = va >> GRANULE_SHIFT;
	unsigned i = (unsigned)(page % XLAT_CACHE_SIZE);
	struct walk w;

	if (!pe->rg.valid) {
		pe_regime_load(pe);
	}
	/* Flat regime (the host at EL2 with its MMU off): PA = VA, nothing to walk. */
	*view_world = pe->world;
	if (!(pe->rg.sctlr & SCTLR_M) && (pe->rg.el == 2 || !(pe->rg.hcr & HCR_VM))) {
		*pa = va;
		return true;
	}
	if (pe->xlat[i].gen == pe->xlat_gen && pe->xlat[i].va_page == page) {
		*pa = pe->xlat[i].pa_page | (va & (GRANULE_SIZE - 1));
		if (pe->xlat[i].ns) {
			*view_world = CPU_WORLD_NS;
		}
		return true;
	}
	walk_va(pe, va, 0, &w);
	if (w.fault != WALK_OK) {
		return false;
	}
	pe->xlat[i].gen = pe->xlat_gen;
	pe->xlat[i].va_page = page;
	pe->xlat[i].pa_page = w.pa & ~(GRANULE_SIZE - 1);
	pe->xlat[i].ns = w.ns;
	*pa = w.pa;
	if (w.ns) {
		*view_world = CPU_WORLD_NS;
	}
	return true;
}

/* The recursion of walk_s2_tree: the table at `table` of `level`, with 2^bits entries. */
static bool visit_s2_table(struct cpu_pe *pe, uint64_t table, int level, unsigned bits,
			   const struct s2_visitor *v, uint64_t *descs_left)
{
	uint64_t n = 1ULL << bits;
	const uint8_t *p = ram_at(pe->m, table, n * 8);

	if (!p || n > *descs_left) {
		return false;
	}
	*descs_left -= n;
	for (uint64_t t = table & ~(GRANULE_SIZE - 1); t < table + n * 8; t += GRANULE_SIZE) {
		if (!v->table(v->ctx, t)) {
			return false;
		}
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t d;
		memcpy(&d, p + i * 8, 8);
		if (desc_is_table(d, level)) {
			if (!visit_s2_table(pe, d & OA_MASK, level + 1, 9, v, descs_left)) {
				return false;
			}
		} else if (desc_is_leaf(d, level)) {
			uint64_t size = 1ULL << level_shift(level);
			if (!v->leaf(v->ctx, d & OA_MASK & ~(size - 1), size, d)) {
				return false;
			}
		}
	}
	return true;
}

bool walk_s2_tree(struct cpu_pe *pe, uint64_t max_descs, const struct s2_visitor *v)
{
	uint64_t vtcr = pe->rg.vtcr;
	unsigned ia_bits = 64U - (unsigned)(vtcr & 63), sl0 = (vtcr >> 6) & 3;

	/* What walk_s2 supports, and a start level whose table is at most 16 concatenated ones */
	if (((vtcr >> 14) & 3) != TG0_4K || sl0 == 3 || ia_bits > 48 || ia_bits < 16) {
		return false;
	}
	int start = 2 - (int)sl0;
	if (ia_bits <= level_shift(start) || ia_bits - level_shift(start) > 13) {
		return false;
	}
	unsigned top_bits = ia_bits - level_shift(start);
	uint64_t table = pe->rg.vttbr & 0x0000fffffffffffeULL & ~((8ULL << top_bits) - 1);
	return visit_s2_table(pe, table, start, top_bits, v, &max_descs);
}
