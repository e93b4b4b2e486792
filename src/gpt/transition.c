/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Granule transitions, performed on the L1 nibble in memory the way TF-A's gpt_rme library
 * does for RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE ([ARM:C5.3.19, C5.5.27], as TF-A does it). Cache
 * maintenance (DC CIPAPA) has nothing to do in the emulator; the TLBI RPALOS that follows each
 * descriptor write becomes a re-derivation of the granule's views.
 */
#include "gpt/gpt_private.h"

#include "abi/abi.h"

#include <string.h>

/*
 * A Contiguous descriptor stands for a whole 2 MB/32 MB/512 MB block: to change one granule,
 * every descriptor of the block is rewritten as a Granules descriptor with the same GPI first
 * (what TF-A calls fracturing). The granules' protection does not change, so no view does.
 */
static bool fracture(struct gpt *g, uint64_t pa, const struct gpt_walk *w)
{
	unsigned contig = (unsigned)(w->desc >> GPT_L1_CONTIG_SHIFT) & GPT_L1_CONTIG_MASK;
	unsigned gpi = (unsigned)(w->desc >> GPT_L1_CONTIG_GPI_SHIFT) & GPT_GPI_MASK;
	uint64_t bytes = gpt_l1_contig_bytes(contig);
	uint64_t per_desc = 1ULL << (w->p + 4);

	if (bytes == 0 || (w->desc & GPT_L1_CONTIG_RES0) != 0) {
		return false; /* an invalid descriptor says nothing about its extent */
	}
	uint64_t first = w->desc_pa - ((pa & (bytes - 1)) / per_desc) * 8;
	for (uint64_t i = 0; i < bytes / per_desc; i++) {
		if (!gpt_mem_write64(g->m, first + i * 8, gpt_l1_granules_desc(gpi))) {
			return false;
		}
	}
	return true;
}

/*
 * Finds the Granules descriptor holding pa's GPI. Fails when pa is not in an L1-mapped region
 * (configuration invalid, beyond PPS, L0 block or invalid L0 entry, table not in RAM).
 */
static bool locate(struct gpt *g, uint64_t pa, struct gpt_walk *w)
{
	gpt_walk(&g->regs, pa, GPT_PAS_ROOT, w);
	if (!w->l1 || w->res.fault == GPT_FAULT_EABT) {
		return false;
	}
	if (w->contiguous) {
		if (!fracture(g, pa, w)) {
			return false;
		}
		gpt_walk(&g->regs, pa, GPT_PAS_ROOT, w);
	}
	return w->l1 && !w->contiguous && w->res.fault != GPT_FAULT_EABT;
}

static unsigned nibble(const struct gpt_walk *w)
{
	return (unsigned)(w->desc >> w->shift) & GPT_GPI_MASK;
}

/* Writes the granule's nibble (no view changes yet). */
static bool store_nibble(struct gpt *g, struct gpt_walk *w, unsigned gpi)
{
	uint64_t desc = w->desc & ~((uint64_t)GPT_GPI_MASK << w->shift);

	desc |= (uint64_t)(gpi & GPT_GPI_MASK) << w->shift;
	if (!gpt_mem_write64(g->m, w->desc_pa, desc)) {
		return false;
	}
	w->desc = desc;
	return true;
}

/* Writes the granule's nibble, then "TLBI RPALOS": its views follow the new descriptor. */
static bool write_nibble(struct gpt *g, struct gpt_walk *w, uint64_t pa, unsigned gpi)
{
	if (!store_nibble(g, w, gpi)) {
		return false;
	}
	/* Changing nibble 0 can turn the word into a Contiguous descriptor: refresh all 16. */
	uint64_t span = 1ULL << (w->p + 4);
	gpt_update_views(g, pa & ~(span - 1), span);
	return true;
}

int gpt_set_gpi(struct gpt *g, uint64_t pa, unsigned gpi)
{
	struct gpt_walk w;

	if (gpi > GPT_GPI_MASK || (pa & GRANULE_MASK) != 0 || !locate(g, pa, &w)) {
		return -1;
	}
	return write_nibble(g, &w, pa, gpi) ? 0 : -1;
}

int gpt_set_gpi_range(struct gpt *g, uint64_t pa, uint64_t size, unsigned gpi)
{
	struct gpt_walk w;

	if (gpi > GPT_GPI_MASK || ((pa | size) & GRANULE_MASK) != 0 || pa + size < pa) {
		return -1;
	}
	int rc = 0;
	uint64_t a;
	for (a = pa; a < pa + size && rc == 0; a += GRANULE_SIZE) {
		rc = locate(g, a, &w) && store_nibble(g, &w, gpi) ? 0 : -1;
	}
	/* One "TLBI RPALOS" for the range (and the whole descriptors it ends in), as TF-A's
	 * boot-time set-up makes one invalidation after its table writes. */
	if (a > pa) {
		uint64_t span = 1ULL << (w.p + 4);
		uint64_t first = pa & ~(span - 1), end = (a + span - 1) & ~(span - 1);
		gpt_update_views(g, first, end - first);
	}
	return rc;
}

static void trace_transition(struct gpt *g, uint64_t pa, unsigned from, unsigned to)
{
	struct trace_event *ev = trace_begin(g->t, TE_gpt);

	trace_hex(ev, "pa", pa);
	trace_name(ev, "from", gpt_gpi_name(from));
	trace_name(ev, "to", gpt_gpi_name(to));
	if (to == GPI_NS) {
		/* What the Non-secure world can read from now on: nothing of the realm's, if the
		 * RMM scrubbed it (src/explore checks it). The model looks, no world accesses. */
		const uint8_t *b = cpu_phys_read(g->m, pa, GRANULE_SIZE);
		uint64_t any = 0, w;
		for (size_t i = 0; b && i < GRANULE_SIZE; i += sizeof(w)) {
			memcpy(&w, b + i, sizeof(w));
			any |= w;
		}
		bool zero = b != NULL && any == 0;
		trace_bool(ev, "scrubbed", zero);
	}
	trace_end(g->t, ev);
}

/* The checks of TF-A's gpt_delegate_pas / gpt_undelegate_pas, in their order. */
static uint64_t transition(struct gpt *g, uint64_t pa, unsigned from, unsigned to)
{
	struct gpt_walk w;

	if ((pa & GRANULE_MASK) != 0 || (pa >> g->pps_bits) != 0) {
		return E_RMM_BAD_ADDR;
	}
	if (!locate(g, pa, &w) || (pa & ((1ULL << w.p) - 1)) != 0) {
		return E_RMM_BAD_ADDR;
	}
	if (nibble(&w) != from) {
		return E_RMM_BAD_PAS;
	}
	/*
	 * Undelegate passes through NO_ACCESS so that no PAS can reach the granule while the
	 * Realm PAS cache lines are cleaned and before it becomes NS.
	 */
	if (to == GPI_NS && !write_nibble(g, &w, pa, GPI_NO_ACCESS)) {
		return E_RMM_BAD_ADDR;
	}
	if (!write_nibble(g, &w, pa, to)) {
		return E_RMM_BAD_ADDR;
	}
	trace_transition(g, pa, from, to);
	return E_RMM_OK;
}

uint64_t gpt_delegate(struct gpt *g, uint64_t pa)
{
	return transition(g, pa, GPI_NS, GPI_REALM);
}

uint64_t gpt_undelegate(struct gpt *g, uint64_t pa)
{
	return transition(g, pa, GPI_REALM, GPI_NS);
}
