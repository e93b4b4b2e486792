/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A PE: one Unicorn engine per world over the shared RAM, context load/save and register
 * access. Changing EL (the ERET trampoline) is el.c.
 */
#include "cpu/cpu_private.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int x_ids[31] = {
    UC_ARM64_REG_X0,  UC_ARM64_REG_X1,  UC_ARM64_REG_X2,  UC_ARM64_REG_X3,  UC_ARM64_REG_X4,
    UC_ARM64_REG_X5,  UC_ARM64_REG_X6,  UC_ARM64_REG_X7,  UC_ARM64_REG_X8,  UC_ARM64_REG_X9,
    UC_ARM64_REG_X10, UC_ARM64_REG_X11, UC_ARM64_REG_X12, UC_ARM64_REG_X13, UC_ARM64_REG_X14,
    UC_ARM64_REG_X15, UC_ARM64_REG_X16, UC_ARM64_REG_X17, UC_ARM64_REG_X18, UC_ARM64_REG_X19,
    UC_ARM64_REG_X20, UC_ARM64_REG_X21, UC_ARM64_REG_X22, UC_ARM64_REG_X23, UC_ARM64_REG_X24,
    UC_ARM64_REG_X25, UC_ARM64_REG_X26, UC_ARM64_REG_X27, UC_ARM64_REG_X28, UC_ARM64_REG_X29,
    UC_ARM64_REG_X30,
};

/* System registers of struct cpu_context, by field offset and MRS encoding. */
static const struct {
	size_t off;
	uint32_t enc;
} ctx_sysregs[] = {
    {offsetof(struct cpu_context, sctlr_el1), CPU_SYSREG(3, 0, 1, 0, 0)},
    {offsetof(struct cpu_context, tcr_el1), CPU_SYSREG(3, 0, 2, 0, 2)},
    {offsetof(struct cpu_context, ttbr0_el1), CPU_SYSREG(3, 0, 2, 0, 0)},
    {offsetof(struct cpu_context, ttbr1_el1), CPU_SYSREG(3, 0, 2, 0, 1)},
    {offsetof(struct cpu_context, mair_el1), CPU_SYSREG(3, 0, 10, 2, 0)},
    {offsetof(struct cpu_context, amair_el1), CPU_SYSREG(3, 0, 10, 3, 0)},
    {offsetof(struct cpu_context, vbar_el1), CPU_SYSREG(3, 0, 12, 0, 0)},
    {offsetof(struct cpu_context, elr_el1), CPU_SYSREG(3, 0, 4, 0, 1)},
    {offsetof(struct cpu_context, spsr_el1), CPU_SYSREG(3, 0, 4, 0, 0)},
    {offsetof(struct cpu_context, esr_el1), CPU_SYSREG(3, 0, 5, 2, 0)},
    {offsetof(struct cpu_context, far_el1), CPU_SYSREG(3, 0, 6, 0, 0)},
    {offsetof(struct cpu_context, par_el1), CPU_SYSREG(3, 0, 7, 4, 0)},
    {offsetof(struct cpu_context, contextidr_el1), CPU_SYSREG(3, 0, 13, 0, 1)},
    {offsetof(struct cpu_context, cpacr_el1), CPU_SYSREG(3, 0, 1, 0, 2)},
    {offsetof(struct cpu_context, tpidr_el0), CPU_SYSREG(3, 3, 13, 0, 2)},
    {offsetof(struct cpu_context, tpidrro_el0), CPU_SYSREG(3, 3, 13, 0, 3)},
    {offsetof(struct cpu_context, tpidr_el1), CPU_SYSREG(3, 0, 13, 0, 4)},
    {offsetof(struct cpu_context, cntkctl_el1), CPU_SYSREG(3, 0, 14, 1, 0)},
    {offsetof(struct cpu_context, afsr0_el1), CPU_SYSREG(3, 0, 5, 1, 0)},
    {offsetof(struct cpu_context, afsr1_el1), CPU_SYSREG(3, 0, 5, 1, 1)},
    {offsetof(struct cpu_context, vtcr_el2), CPU_SYSREG(3, 4, 2, 1, 2)},
    {offsetof(struct cpu_context, vttbr_el2), CPU_SYSREG(3, 4, 2, 1, 0)},
    {offsetof(struct cpu_context, vmpidr_el2), CPU_SYSREG(3, 4, 0, 0, 5)},
    /* Last: the HCR_EL2 write is also what flushes the TLB on load (see cpu_pe_load). */
    {offsetof(struct cpu_context, hcr_el2), CPU_SYSREG(3, 4, 1, 1, 0)},
};
#define N_CTX_SYSREGS (sizeof(ctx_sysregs) / sizeof(ctx_sysregs[0]))

uc_arm64_cp_reg pe_cp_of(uint32_t enc)
{
	uc_arm64_cp_reg r = {
	    .op0 = (enc >> 16) & 3,
	    .op1 = (enc >> 12) & 7,
	    .crn = (enc >> 8) & 15,
	    .crm = (enc >> 4) & 15,
	    .op2 = enc & 7,
	    .val = 0,
	};
	return r;
}

uint64_t pe_sysreg(struct cpu_pe *pe, uint32_t enc)
{
	uc_arm64_cp_reg r = pe_cp_of(enc);

	if (uc_reg_read(pe->uc, UC_ARM64_REG_CP_REG, &r) != UC_ERR_OK) {
		return 0;
	}
	return r.val;
}

uint64_t cpu_pe_get_sysreg(struct cpu_pe *pe, uint32_t sysreg)
{
	return pe_sysreg(pe, sysreg);
}

void cpu_pe_set_sysreg(struct cpu_pe *pe, uint32_t sysreg, uint64_t v)
{
	uc_arm64_cp_reg r = pe_cp_of(sysreg);

	r.val = v;
	if (uc_reg_write(pe->uc, UC_ARM64_REG_CP_REG, &r) != UC_ERR_OK) {
		fprintf(stderr, "cpu: unknown system register S%u_%u_C%u_C%u_%u\n", r.op0, r.op1,
			r.crn, r.crm, r.op2);
	}
	pe->rg.valid = false;
	pe->xlat_gen++;
	pe->tlb_clean = false;
}

uint64_t pe_reg_get(struct cpu_pe *pe, int id)
{
	uint64_t v = 0;

	uc_reg_read(pe->uc, id, &v);
	return v;
}

void pe_reg_set(struct cpu_pe *pe, int id, uint64_t v)
{
	uc_reg_write(pe->uc, id, &v);
}

uint64_t cpu_pe_get_x(struct cpu_pe *pe, unsigned n)
{
	return n < 31 ? pe_reg_get(pe, x_ids[n]) : 0;
}

void cpu_pe_set_x(struct cpu_pe *pe, unsigned n, uint64_t v)
{
	if (n < 31) {
		pe_reg_set(pe, x_ids[n], v);
	}
}

void cpu_pe_get_xs(struct cpu_pe *pe, uint64_t *x, unsigned n)
{
	void *vals[31];

	if (n > 31) {
		n = 31;
	}
	for (unsigned i = 0; i < n; i++) {
		vals[i] = &x[i];
	}
	uc_reg_read_batch(pe->uc, (int *)x_ids, vals, (int)n);
}

void cpu_pe_set_xs(struct cpu_pe *pe, const uint64_t *x, unsigned n)
{
	void *vals[31];

	if (n > 31) {
		n = 31;
	}
	for (unsigned i = 0; i < n; i++) {
		vals[i] = (void *)&x[i];
	}
	uc_reg_write_batch(pe->uc, (int *)x_ids, vals, (int)n);
}

/* X0-X30, SP, NZCV in one batch: the register file the instruction hook diffs. */
void pe_read_gprs(struct cpu_pe *pe, uint64_t *regs)
{
	int ids[33];
	void *vals[33];

	for (int i = 0; i < 31; i++) {
		ids[i] = x_ids[i];
	}
	ids[31] = UC_ARM64_REG_SP;
	ids[32] = UC_ARM64_REG_NZCV;
	for (int i = 0; i < 33; i++) {
		regs[i] = 0;
		vals[i] = &regs[i];
	}
	uc_reg_read_batch(pe->uc, ids, vals, 33);
}

struct cpu_pe *cpu_pe(struct cpu_machine *m, enum cpu_world w)
{
	return (unsigned)w < CPU_NUM_WORLDS ? &m->pe[w] : NULL;
}

enum cpu_world cpu_pe_world(const struct cpu_pe *pe)
{
	return pe->world;
}

unsigned cpu_pe_current_el(struct cpu_pe *pe)
{
	return (unsigned)(pe_reg_get(pe, UC_ARM64_REG_PSTATE) >> 2) & 3;
}

const int pe_sp_ids[4] = {UC_ARM64_REG_SP_EL0, UC_ARM64_REG_SP_EL1, UC_ARM64_REG_SP_EL2,
			  UC_ARM64_REG_SP_EL3};

int pe_write_ctx_sysregs(struct cpu_pe *pe, const struct cpu_context *ctx)
{
	uc_arm64_cp_reg cps[N_CTX_SYSREGS];
	int ids[N_CTX_SYSREGS];
	void *vals[N_CTX_SYSREGS];

	for (size_t i = 0; i < N_CTX_SYSREGS; i++) {
		cps[i] = pe_cp_of(ctx_sysregs[i].enc);
		cps[i].val = *(const uint64_t *)((const char *)ctx + ctx_sysregs[i].off);
		ids[i] = UC_ARM64_REG_CP_REG;
		vals[i] = &cps[i];
	}
	pe->rg.valid = false;
	pe->xlat_gen++;
	return uc_reg_write_batch(pe->uc, ids, vals, (int)N_CTX_SYSREGS) == UC_ERR_OK ? 0 : -1;
}

int cpu_pe_load(struct cpu_pe *pe, const struct cpu_context *ctx)
{
	cpu_pe_set_xs(pe, ctx->x, 31);
	if (pe->world == CPU_WORLD_REALM) {
		tg_load(pe, ctx);
		pe->thread_tag = cpu_thread_tag(ctx->vttbr_el2, ctx->vmpidr_el2);
	}
	if (pe_write_ctx_sysregs(pe, ctx)) {
		return -1;
	}
	/*
	 * Always by ERET, even to the same EL: it also rebuilds the cached translation flags
	 * from the SCTLR/TCR just written, and sets PSTATE (NZCV, DAIF, SPSel) whole. It ends
	 * with a full TLB flush, which a load needs anyway: the RMM rewrites stage-2 tables in
	 * memory between runs, with no TLBI the PE could see.
	 */
	return pe_eret_to(pe, ctx->pstate, ctx->pc, &ctx->sp_el0, &ctx->sp_elx);
}

void cpu_pe_save(struct cpu_pe *pe, struct cpu_context *ctx)
{
	uc_arm64_cp_reg cps[N_CTX_SYSREGS];
	int ids[N_CTX_SYSREGS + 7];
	void *vals[N_CTX_SYSREGS + 7];
	uint64_t sp = 0, spel[3] = {0};
	unsigned n = 0, el;

	cpu_pe_get_xs(pe, ctx->x, 31);
	if (pe->world == CPU_WORLD_REALM) {
		tg_save(pe, ctx);
	}
	for (size_t i = 0; i < N_CTX_SYSREGS; i++, n++) {
		cps[i] = pe_cp_of(ctx_sysregs[i].enc);
		ids[n] = UC_ARM64_REG_CP_REG;
		vals[n] = &cps[i];
	}
	ids[n] = UC_ARM64_REG_PC;
	vals[n++] = &ctx->pc;
	ids[n] = UC_ARM64_REG_PSTATE;
	vals[n++] = &ctx->pstate;
	ids[n] = UC_ARM64_REG_SP;
	vals[n++] = &sp;
	for (int i = 0; i < 3; i++) {
		ids[n] = pe_sp_ids[i];
		vals[n++] = &spel[i];
	}
	ctx->pc = ctx->pstate = 0;
	uc_reg_read_batch(pe->uc, ids, vals, (int)n);
	for (size_t i = 0; i < N_CTX_SYSREGS; i++) {
		*(uint64_t *)((char *)ctx + ctx_sysregs[i].off) = cps[i].val;
	}
	ctx->pstate &= 0xffffffffULL;
	el = (ctx->pstate >> 2) & 3;
	/* The live SP is the one PSTATE.SPSel selects; the other is in its SP_ELx. */
	if (ctx->pstate & 1) {
		ctx->sp_elx = sp;
		ctx->sp_el0 = spel[0];
	} else {
		ctx->sp_el0 = sp;
		ctx->sp_elx = spel[el ? (el > 2 ? 2 : el) : 1];
	}
}

static uint64_t hole_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	(void)uc;
	(void)off;
	(void)size;
	(void)user;
	return 0;
}

static void hole_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
	(void)uc;
	(void)off;
	(void)size;
	(void)v;
	(void)user;
}

/*
 * Unicorn 2.0.1 looks up its memory regions (for "unmapped" and protection checks) by the
 * *virtual* address of an access, not the physical one. A realm whose IPAs lie outside RAM
 * (IPA 0, say) would fail as "unmapped" although stage 2 maps it to RAM. So every address
 * that is not RAM or the trampoline is covered by a do-nothing MMIO region: VAs resolve, and
 * a PA landing there reads 0 and drops writes (the view check reports it as a GPF first).
 */
static int map_holes(struct cpu_pe *pe)
{
	struct cpu_machine *m = pe->m;
	const uint64_t top = 1ULL << 48;
	struct {
		uint64_t start, end;
	} holes[] = {
	    {0, m->ram_base},
	    {m->ram_base + m->ram_size, m->tramp_pa},
	    {m->tramp_pa + GRANULE_SIZE, top},
	    {~(top - 1), ~(GRANULE_SIZE - 1)}, /* TTBR1 VAs */
	};

	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		uint64_t len = holes[i].end - holes[i].start;

		if (holes[i].end <= holes[i].start) {
			continue;
		}
		if (uc_mmio_map(pe->uc, holes[i].start, len, hole_read, NULL, hole_write, NULL) !=
			UC_ERR_OK ||
		    uc_mem_protect(pe->uc, holes[i].start, len, UC_PROT_ALL) != UC_ERR_OK) {
			return -1;
		}
	}
	return 0;
}

int pe_open(struct cpu_machine *m, struct cpu_pe *pe, enum cpu_world w)
{
	uc_err err;

	pe->m = m;
	pe->world = w;
	/* Cache entries start at generation 0: never valid. */
	pe->xlat_gen = 1;
	err = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &pe->uc);
	if (err != UC_ERR_OK) {
		fprintf(stderr, "cpu: uc_open: %s\n", uc_strerror(err));
		pe->uc = NULL;
		return -1;
	}
	if (uc_ctl_set_cpu_model(pe->uc, UC_CPU_ARM64_MAX) != UC_ERR_OK ||
	    uc_mem_map_ptr(pe->uc, m->ram_base, m->ram_size, UC_PROT_ALL, m->ram) != UC_ERR_OK ||
	    uc_mem_map_ptr(pe->uc, m->tramp_pa, GRANULE_SIZE, UC_PROT_READ | UC_PROT_EXEC,
			   m->tramp) != UC_ERR_OK ||
	    map_holes(pe)) {
		fprintf(stderr, "cpu: cannot map the physical address space\n");
		return -1;
	}
	/* "Exits" mode with no exit: uc_emu_start's `until` then means nothing, and Unicorn does
	 * not invalidate a translation block at it after every run. */
	if (uc_ctl_exits_enable(pe->uc) != UC_ERR_OK ||
	    uc_context_alloc(pe->uc, &pe->reset_ctx) != UC_ERR_OK ||
	    uc_context_save(pe->uc, pe->reset_ctx) != UC_ERR_OK) {
		fprintf(stderr, "cpu: cannot set up the engine\n");
		return -1;
	}
	/* Hooks before the first uc_emu_start (Unicorn issue #2200). */
	if (run_install_hooks(pe)) {
		fprintf(stderr, "cpu: cannot install hooks\n");
		return -1;
	}
	return 0;
}

void pe_reset(struct cpu_pe *pe)
{
	uc_context_restore(pe->uc, pe->reset_ctx);
	probes_free(pe);
	memset(&pe->tg, 0, sizeof(pe->tg));
	pe->fire_at = UINT64_MAX;
	pe->virq = false;
	pe->in_tramp = false;
	pe->tramp_restore = false;
	pe->thread_tag = 0;
	pe->fetch_valid = false;
	pe->rg.valid = false;
	pe->fast = false;
	pe->xlat_gen++;
	/* The TLB may hold the last run's translations: flushed before the next run. */
	pe->tlb_clean = false;
}

void pe_close(struct cpu_pe *pe)
{
	probes_free(pe);
	pe_mem_checks_free(pe);
	if (pe->reset_ctx) {
		uc_context_free(pe->reset_ctx);
	}
	pe->reset_ctx = NULL;
	if (pe->uc) {
		uc_close(pe->uc);
	}
	pe->uc = NULL;
}
