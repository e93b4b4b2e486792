/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The granule protection check [ARM:D9.4, table D9-2], in its priority
 * order, reading GPCCR_EL3, GPTBR_EL3 and the descriptors exactly as the PE does: nothing is
 * cached, so a descriptor written in memory takes effect on the next check (the emulator's
 * equivalent of a GPT write followed by TLBI PA*).
 *
 * The GPI reported in a result is the one that decided it; GPI_ANY when the access proceeds
 * without any descriptor having been read (GPC disabled, NS PAS above PPS) and GPI_NO_ACCESS
 * for faults found before a GPI was read.
 */
#include "gpt/gpt_private.h"

#include <string.h>

static void set_result(struct gpt_walk *w, enum gpt_fault fault, int level, unsigned gpi)
{
	w->res.fault = fault;
	w->res.level = level;
	w->res.gpi = gpi;
}

/*
 * Priority 1: a GPCCR_EL3 configuration the architecture calls invalid. L0GPTSZ is read-only
 * (the implementation's value), so an unknown encoding there can only be a test's doing; it is
 * treated as invalid too rather than guessed.
 */
static bool config_valid(const struct gpt_regs *r, struct gpt_walk *w)
{
	uint64_t gpccr = r->gpccr;
	uint64_t sh = GPCCR_FIELD(gpccr, SH);

	w->t = gpt_pps_bits((unsigned)GPCCR_FIELD(gpccr, PPS));
	if (w->t == 0 || w->t > r->pa_bits) {
		return false;
	}
	if (sh == GPCCR_SH_RESERVED) {
		return false;
	}
	/* Non-cacheable table walks must be Outer Shareable. */
	if (GPCCR_FIELD(gpccr, IRGN) == GPCCR_RGN_NC && GPCCR_FIELD(gpccr, ORGN) == GPCCR_RGN_NC &&
	    sh != GPCCR_SH_OUTER) {
		return false;
	}
	w->p = gpt_pgs_bits((unsigned)GPCCR_FIELD(gpccr, PGS));
	if (w->p == 0) {
		return false;
	}
	w->s = gpt_l0gptsz_bits((unsigned)GPCCR_FIELD(gpccr, L0GPTSZ));
	return w->s != 0;
}

/* Priorities 8 and 11 once a valid GPI is known. */
static void decide(struct gpt_walk *w, int level, unsigned gpi, enum gpt_pas pas)
{
	if (!gpt_gpi_valid(gpi)) {
		set_result(w, GPT_FAULT_WALK, level, gpi);
		return;
	}
	w->decided = true;
	if (!gpt_gpi_permits(gpi, pas)) {
		set_result(w, GPT_FAULT_GPF, level, gpi);
	} else {
		set_result(w, GPT_OK, level, gpi);
	}
}

/* Level 1 (priorities 9-11): one 64-bit descriptor per 16 granules. */
static void walk_l1(const struct gpt_regs *r, uint64_t pa, enum gpt_pas pas, uint64_t l1_base,
		    struct gpt_walk *w)
{
	unsigned idx_bits = w->s - w->p - 4;
	uint64_t idx = (pa >> (w->p + 4)) & ((1ULL << idx_bits) - 1);
	uint64_t desc;

	w->l1 = true;
	w->desc_pa = l1_base + idx * 8;
	if (!r->fetch(r->ctx, w->desc_pa, &desc)) {
		set_result(w, GPT_FAULT_EABT, 1, GPI_NO_ACCESS);
		return;
	}
	w->desc = desc;

	/* 0b0001 is never a GPI, so it marks a Contiguous descriptor. */
	if ((desc & GPT_DESC_TYPE_MASK) == GPT_L1_TYPE_CONTIG) {
		unsigned gpi = (unsigned)(desc >> GPT_L1_CONTIG_GPI_SHIFT) & GPT_GPI_MASK;
		unsigned contig = (unsigned)(desc >> GPT_L1_CONTIG_SHIFT) & GPT_L1_CONTIG_MASK;

		w->contiguous = true;
		if ((desc & GPT_L1_CONTIG_RES0) != 0 || gpt_l1_contig_bytes(contig) == 0) {
			set_result(w, GPT_FAULT_WALK, 1, gpi);
			return;
		}
		decide(w, 1, gpi, pas);
		return;
	}
	w->shift = 4 * (unsigned)((pa >> w->p) & 0xf);
	decide(w, 1, (unsigned)(desc >> w->shift) & GPT_GPI_MASK, pas);
}

void gpt_walk(const struct gpt_regs *r, uint64_t pa, enum gpt_pas pas, struct gpt_walk *w)
{
	uint64_t l0_base, idx, desc, l1_base;
	unsigned x;

	memset(w, 0, sizeof(*w));
	set_result(w, GPT_OK, 0, GPI_ANY);
	if ((r->gpccr & GPCCR_GPC) == 0) {
		return; /* checks disabled: every access proceeds */
	}
	if (!config_valid(r, w)) {
		set_result(w, GPT_FAULT_WALK, 0, GPI_NO_ACCESS);
		return;
	}
	/* Priority 3: outside the protected physical space only NS accesses are allowed. */
	if ((pa >> w->t) != 0) {
		if (pas != GPT_PAS_NS) {
			set_result(w, GPT_FAULT_GPF, 0, GPI_NO_ACCESS);
		}
		return;
	}
	/* Priority 4 */
	l0_base = (r->gptbr & GPTBR_BADDR_MASK) << GPTBR_BADDR_SHIFT;
	if ((l0_base >> w->t) != 0) {
		set_result(w, GPT_FAULT_ADDR_SIZE, 0, GPI_NO_ACCESS);
		return;
	}
	/* The L0 table is aligned to its size: BADDR bits below it are treated as zero. */
	x = w->t > w->s ? w->t - w->s + 2 : 11;
	if (x < 11) {
		x = 11;
	}
	l0_base &= ~((2ULL << x) - 1);
	idx = w->t > w->s ? (pa >> w->s) & ((1ULL << (w->t - w->s)) - 1) : 0;

	/* Priorities 5-8 */
	if (!r->fetch(r->ctx, l0_base + idx * 8, &desc)) {
		set_result(w, GPT_FAULT_EABT, 0, GPI_NO_ACCESS);
		return;
	}
	switch (desc & GPT_DESC_TYPE_MASK) {
	case GPT_L0_TYPE_BLOCK:
		if ((desc & GPT_L0_BLOCK_RES0) != 0) {
			set_result(w, GPT_FAULT_WALK, 0, GPI_NO_ACCESS);
			return;
		}
		decide(w, 0, (unsigned)(desc >> GPT_L0_BLOCK_GPI_SHIFT) & GPT_GPI_MASK, pas);
		return;
	case GPT_L0_TYPE_TABLE:
		if ((desc & GPT_L0_TABLE_RES0) != 0) {
			set_result(w, GPT_FAULT_WALK, 0, GPI_NO_ACCESS);
			return;
		}
		l1_base = desc & GPT_L0_TABLE_ADDR_MASK;
		if ((l1_base >> w->t) != 0) {
			set_result(w, GPT_FAULT_ADDR_SIZE, 0, GPI_NO_ACCESS);
			return;
		}
		/* L1 table aligned to its size: address bits [s-p-2:12] are RES0. */
		if ((l1_base & ((1ULL << (w->s - w->p - 1)) - 1)) != 0) {
			set_result(w, GPT_FAULT_WALK, 0, GPI_NO_ACCESS);
			return;
		}
		walk_l1(r, pa, pas, l1_base, w);
		return;
	default:
		set_result(w, GPT_FAULT_WALK, 0, GPI_NO_ACCESS);
		return;
	}
}
