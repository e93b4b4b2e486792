/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A debugger's memory accesses (cpu.h, "Debugging"): through a thread's own translation regime,
 * stage 1 then, for a REC, stage 2 and the world's view of the GPT, as the thread's own access
 * would go, but from C: nothing the debugger does raises an exception in the machine.
 */
#include "cpu/cpu_private.h"

#include <string.h>

/* The regime a saved context runs in (what pe_regime_load reads from the live PE). */
static void regime_of(const struct cpu_context *c, struct regime *rg)
{
	memset(rg, 0, sizeof(*rg));
	rg->valid = true;
	rg->el = (unsigned)((c->pstate >> 2) & 3);
	rg->sctlr = c->sctlr_el1;
	rg->tcr = c->tcr_el1;
	rg->ttbr0 = c->ttbr0_el1;
	rg->ttbr1 = c->ttbr1_el1;
	rg->hcr = c->hcr_el2;
	rg->vtcr = c->vtcr_el2;
	rg->vttbr = c->vttbr_el2;
}

/* The PA of va in the regime now in pe->rg, when `access` by the thread would be allowed. */
static bool debug_pa(struct cpu_pe *pe, uint64_t va, unsigned access, uint64_t *pa)
{
	struct walk w;
	walk_va(pe, va, access, &w);
	if (w.fault != WALK_OK) {
		return false;
	}
	enum cpu_world vw = w.ns ? CPU_WORLD_NS : pe->world;
	*pa = w.pa;
	return (view_of(pe->m, vw, w.pa) & access) == access;
}

/* Reads into `out`, or writes from `in` (out NULL). */
static size_t debug_access(struct cpu_machine *m, enum cpu_world w, const struct cpu_context *ctx,
			   uint64_t va, void *out, const void *in, size_t len)
{
	bool write = out == NULL;
	struct cpu_pe *pe = &m->pe[w];
	struct regime saved = pe->rg;
	size_t done = 0;

	if (ctx) {
		regime_of(ctx, &pe->rg);
	} else if (!pe->rg.valid) {
		pe_regime_load(pe);
	}
	while (done < len) {
		uint64_t a = va + done, pa;
		size_t n = GRANULE_SIZE - (a & (GRANULE_SIZE - 1));
		n = n < len - done ? n : len - done;
		if (!debug_pa(pe, a, write ? CPU_ACCESS_WRITE : CPU_ACCESS_READ, &pa)) {
			break;
		}
		void *p = write ? cpu_phys(m, pa, n) : ram_at(m, pa, n);
		if (!p) {
			break;
		}
		if (write) {
			memcpy(p, (const uint8_t *)in + done, n);
		} else {
			memcpy((uint8_t *)out + done, p, n);
		}
		done += n;
	}
	pe->rg = saved;
	return done;
}

size_t cpu_debug_read(struct cpu_machine *m, enum cpu_world w, const struct cpu_context *ctx,
		      uint64_t va, void *buf, size_t len)
{
	return debug_access(m, w, ctx, va, buf, NULL, len);
}

size_t cpu_debug_write(struct cpu_machine *m, enum cpu_world w, const struct cpu_context *ctx,
		       uint64_t va, const void *buf, size_t len)
{
	return debug_access(m, w, ctx, va, NULL, buf, len);
}
