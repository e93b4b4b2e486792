/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs of a Realm PE without the memory hook.
 *
 * The memory hook checks every load and store against the world's view, and its mere presence
 * costs more than its checks: with any memory hook, Unicorn 2.0.1 sends every access to its slow
 * helper instead of the inline TLB lookup (tcg/i386 tcg_out_qemu_ld/st), about a quarter of
 * realm code speed (bench/RESULTS.md). But a realm's accesses all go through its stage 2: they
 * can reach only the PAs its stage-2 leaves map. When every granule of every leaf is RAM that
 * the view allows for reads and writes, no check of the hook could fail, and the run goes
 * without it. That proof holds for the whole run if the tree cannot change meanwhile: no leaf
 * maps a stage-2 table writable (of this tree or another proved one: the realm would rewrite a
 * stage 2), and no NS view may write a table of the tree (the host's PE). Everything else that
 * writes memory is C, through cpu_phys, which moves s2_gen on when it writes a table, as a view
 * change does: a proof is only reused while s2_gen is what it was.
 *
 * What the hook does besides checking is done otherwise:
 *  - a store marks its granule written (for the reset and the state hash): every granule a
 *    leaf maps writable is marked when the run starts;
 *  - a data abort is reported with the access's VA (FAR), which only the hook sees: the
 *    faulting instruction is executed again with the hook in (cpu_pe_run), from the same
 *    state since it did not complete, and the hook sees the access before it aborts again.
 * Observation and watchpoints need every access: the hook stays in while either is on. The NS
 * PE keeps it always (its accesses need no stage 2, so nothing bounds them).
 *
 * Unicorn decides whether a load or store calls the hook when it translates it, not when it
 * runs it (its issue #2200): code translated while the hook was out would skip it once it is
 * back. That code is remembered (code_seen, pe->unhooked) and dropped before the first run with
 * the hook. A hook taken out stays in Unicorn's list until its next uc_emu_start ends, so code
 * translated in that run still calls the (empty) list: slower, never wrong.
 */
#include "cpu/cpu_private.h"

#include <stdlib.h>

/* Beyond these a tree is not worth proving (a 1 GB block, tables sharing subtrees): the run
 * keeps the hook. */
#define PROOF_MAX_GRANULES (1U << 16)
#define PROOF_MAX_DESCS    (1U << 20)

struct prover {
	struct cpu_pe *pe;
	struct s2_proof *proof;
	uint64_t granules; /* mapped by the leaves so far */
};

/* First pass: the tree's tables are marked, and must not be writable from the NS world. */
static bool mark_table(void *ctx, uint64_t pa)
{
	struct prover *p = ctx;
	struct cpu_machine *m = p->pe->m;
	uint64_t g = (pa - m->ram_base) >> GRANULE_SHIFT;

	if (view_of(m, CPU_WORLD_NS, pa) & CPU_ACCESS_WRITE) {
		return false;
	}
	if (!m->s2_table[g]) {
		m->s2_table[g] = 1;
		m->s2_gen++; /* every other proof must now look at this table too */
	}
	return true;
}

static bool any_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	(void)pa;
	return true;
}

static bool any_leaf(void *ctx, uint64_t pa, uint64_t size, uint64_t desc)
{
	(void)ctx;
	(void)pa;
	(void)size;
	(void)desc;
	return true;
}

static bool add_writable(struct s2_proof *pr, uint32_t g)
{
	if (pr->nwritable == pr->capwritable) {
		size_t cap = pr->capwritable ? 2 * pr->capwritable : 64;
		uint32_t *w = realloc(pr->writable, cap * sizeof(*w));
		if (!w) {
			return false;
		}
		pr->writable = w;
		pr->capwritable = cap;
	}
	pr->writable[pr->nwritable++] = g;
	return true;
}

/* Second pass: every granule a leaf maps is RAM that the leaf's PAS view allows to read and
 * write, and none a leaf maps writable is a stage-2 table. */
static bool check_leaf(void *ctx, uint64_t pa, uint64_t size, uint64_t desc)
{
	struct prover *p = ctx;
	struct cpu_machine *m = p->pe->m;
	/* NS (bit 55): the Unprotected half, in the NS PAS (walk.c walk_tree) */
	enum cpu_world w = (desc >> 55 & 1) ? CPU_WORLD_NS : CPU_WORLD_REALM;
	bool writable = desc >> 7 & 1; /* S2AP[1] */
	uint64_t n = size >> GRANULE_SHIFT;

	p->granules += n;
	if (p->granules > PROOF_MAX_GRANULES || !ram_at(m, pa, size)) {
		return false;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t g_pa = pa + (i << GRANULE_SHIFT);
		uint64_t g = (g_pa - m->ram_base) >> GRANULE_SHIFT;

		if ((view_of(m, w, g_pa) & (CPU_ACCESS_READ | CPU_ACCESS_WRITE)) !=
		    (CPU_ACCESS_READ | CPU_ACCESS_WRITE)) {
			return false;
		}
		/* (out of memory: no proof, the hook stays) */
		if (writable && (m->s2_table[g] || !add_writable(p->proof, (uint32_t)g))) {
			return false;
		}
	}
	return true;
}

/* Proves pe's current stage-2 tree into pr (see the top of the file). */
static void prove(struct cpu_pe *pe, struct s2_proof *pr)
{
	struct prover p = {pe, pr, 0};
	const struct s2_visitor tables = {mark_table, any_leaf, &p};
	const struct s2_visitor leaves = {any_table, check_leaf, &p};

	pr->valid = true;
	pr->vttbr = pe->rg.vttbr;
	pr->vtcr = pe->rg.vtcr;
	pr->nwritable = 0;
	pr->ok = walk_s2_tree(pe, PROOF_MAX_DESCS, &tables) &&
		 walk_s2_tree(pe, PROOF_MAX_DESCS, &leaves);
	/* Marking the tables may have moved s2_gen: the proof is of the tree as it is now. */
	pr->gen = pe->m->s2_gen;
	if (!pr->ok) {
		pr->nwritable = 0;
	}
}

/* Whether pe's current stage 2 proves every access of the coming run allowed; if it does, the
 * granules it maps writable are marked written, as the stores the hook would see. */
static bool proof_holds(struct cpu_pe *pe)
{
	struct s2_proof *pr = NULL;

	for (unsigned i = 0; i < S2_PROOFS; i++) {
		struct s2_proof *c = &pe->proof[i];
		if (c->valid && c->gen == pe->m->s2_gen && c->vttbr == pe->rg.vttbr &&
		    c->vtcr == pe->rg.vtcr) {
			pr = c;
			break;
		}
	}
	if (!pr) {
		pr = &pe->proof[pe->next_proof];
		pe->next_proof = (pe->next_proof + 1) % S2_PROOFS;
		prove(pe, pr);
	}
	if (!pr->ok) {
		return false;
	}
	for (size_t i = 0; i < pr->nwritable; i++) {
		ram_touch(pe->m, pe->m->ram_base + ((uint64_t)pr->writable[i] << GRANULE_SHIFT));
	}
	return true;
}

/* What only the hook gives: every access of an NS PE, of a regime without stage 2 (EL2, or
 * stage 2 off), and of any PE observed instruction by instruction or with memory watched. */
static bool needs_every_access(const struct cpu_pe *pe)
{
	const struct cpu_machine *m = pe->m;

	return pe->world != CPU_WORLD_REALM || m->insn_hook || m->nwatch || pe->rg.el >= 2 ||
	       !(pe->rg.hcr & HCR_VM) || (pe->rg.hcr & HCR_TGE);
}

int pe_choose_mem_checks(struct cpu_pe *pe)
{
	if (pe->replay_hooked) {
		return 0; /* in for the replay, out at its end (pe_replay_done) */
	}
	if (!pe->rg.valid) {
		pe_regime_load(pe);
	}
	bool hook = needs_every_access(pe) || !proof_holds(pe);

	if (hook == pe->mem_hooked) {
		return 0;
	}
	if (hook) {
		pe_unhooked_code_stale(pe);
	}
	return run_set_mem_hook(pe, hook);
}

bool cpu_pe_mem_checked(const struct cpu_pe *pe)
{
	return pe->mem_hooked;
}

int pe_replay_with_mem_checks(struct cpu_pe *pe)
{
	if (run_set_mem_hook(pe, true)) {
		return -1;
	}
	/* The code translated without the hook stays: the faulting access misses the TLB (it
	 * faulted), so even unhooked code calls the hook's list for it. Every other access of the
	 * replay is one the proof still allows. */
	pe->replay_hooked = true;
	pe->replaying = true;
	return 0;
}

void pe_replay_done(struct cpu_pe *pe)
{
	pe->replaying = false;
	if (pe->replay_hooked) {
		pe->replay_hooked = false;
		(void)run_set_mem_hook(pe, false);
	}
}

void pe_mem_checks_free(struct cpu_pe *pe)
{
	for (unsigned i = 0; i < S2_PROOFS; i++) {
		free(pe->proof[i].writable);
		pe->proof[i].writable = NULL;
		pe->proof[i].nwritable = pe->proof[i].capwritable = 0;
		pe->proof[i].valid = false;
	}
}
