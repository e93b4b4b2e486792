/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a PE: the hooks that count instructions, enforce the world's view on every fetch,
 * load and store, catch exceptions, and observe instructions; and cpu_pe_run itself.
 *
 * Views are enforced here rather than with uc_mem_protect because Unicorn 2.0.1 checks region
 * permissions by the *virtual* address of an access (cputlb.c load_helper/store_helper look up
 * memory_mapping(addr) with the VA), so protecting a physical granule does not protect it from
 * a realm whose stage 2 maps another IPA onto it. Instead the read/write hooks, which run
 * before every access (and force Unicorn's slow path), translate the VA with our own walk and
 * check the PA against the view. A Realm PE whose stage 2 proves every access allowed runs
 * without the memory hook (mem_checks.c).
 */
#include "cpu/cpu_private.h"

#include <stdlib.h>
#include <string.h>

static void deny(struct cpu_pe *pe, uint64_t pa, uint64_t va, unsigned access);

/* Observation: deliver the previous instruction with the registers it changed. */
static void obs_deliver(struct cpu_pe *pe, const uint64_t *now)
{
	struct cpu_machine *m = pe->m;

	pe->obs.nchanged = 0;
	for (unsigned r = 0; r < 33; r++) {
		if (now[r] == pe->obs_regs[r]) {
			continue;
		}
		pe->obs.changed[pe->obs.nchanged].reg = r;
		pe->obs.changed[pe->obs.nchanged].value = now[r];
		pe->obs.nchanged++;
	}
	pe->obs_pending = false;
	if (m->insn_fn) {
		m->insn_fn(m->insn_ctx, &pe->obs);
	}
}

static void obs_start(struct cpu_pe *pe, uint64_t pc)
{
	uint64_t regs[33];
	bool ok;

	pe_read_gprs(pe, regs);
	if (pe->obs_pending) {
		obs_deliver(pe, regs);
	}
	pe->obs.kind = CPU_INSN_EXEC;
	pe->obs.nmem = 0;
	pe->obs.world = pe->world;
	pe->obs.thread_tag = pe->thread_tag;
	pe->obs.el = pe->rg.valid ? pe->rg.el : cpu_pe_current_el(pe);
	pe->obs.pc = pc;
	pe->obs.opcode = pe_fetch_opcode(pe, pc, &ok);
	memcpy(pe->obs_regs, regs, sizeof(regs));
	pe->obs_pending = true;
}

/* noinline: the fast path in code_hook then costs no saved registers */
__attribute__((noinline)) static void code_hook_slow(uc_engine *uc, uint64_t addr,
						     struct cpu_pe *pe)
{
	enum cpu_world vw;
	uint64_t pa;

	pe->fast = false; /* set again only by pe_refresh_fast */
	if (pe->in_tramp) {
		/* The ERET has landed on its target: stop before executing anything there. */
		if ((addr & ~(GRANULE_SIZE - 1)) != pe->m->tramp_pa) {
			uc_emu_stop(uc);
		}
		return;
	}
	/* A block translated without the memory hook, perhaps just now: remembered even if the
	 * run stops before the fetch check below records it (mem_checks.c). */
	if (!pe->mem_hooked &&
	    !(pe->fetch_valid && (addr & ~(GRANULE_SIZE - 1)) == pe->fetch_va_page) &&
	    walk_va_to_pa(pe, addr, &pa, &vw)) {
		code_seen(pe, pa);
	}
	/* A hook already asked to stop; Unicorn checks for it only after this hook. */
	if (pe->gpf || pe->intr || pe->budget_hit || pe->timer_hit || pe->virq_hit ||
	    pe->watch_hit) {
		return;
	}
	if (pe->budget && pe->count >= pe->budget) {
		pe->budget_hit = true;
		pe->cur_pc = addr;
		uc_emu_stop(uc);
		return;
	}
	/* The guest's timer fires (a physical interrupt to EL2), or it can take a virtual IRQ:
	 * before the instruction at addr. */
	if (tg_clock(pe) >= pe->fire_at || (pe->virq && !tg_irq_masked(pe))) {
		pe->timer_hit = tg_clock(pe) >= pe->fire_at;
		pe->virq_hit = !pe->timer_hit;
		pe->cur_pc = addr;
		uc_emu_stop(uc);
		return;
	}
	/*
	 * Instruction fetch: Unicorn has read the opcode when it translated the block, possibly
	 * long ago; what the view forbids is executing it, checked here before each instruction.
	 * The decision is cached per page until the view, a system register or the run changes.
	 */
	if (!pe->fetch_valid || (addr & ~(GRANULE_SIZE - 1)) != pe->fetch_va_page) {
		if (walk_va_to_pa(pe, addr, &pa, &vw)) {
			if (vw != pe->world) {
				/* Realm fetch through an NS mapping: a stage-2 permission fault
				 * that Unicorn, ignoring bit 55, would not raise. */
				pe->intr = true;
				pe->intno = INTNO_PREFETCH_ABORT;
				pe->intr_pc = addr;
				pe->cur_pc = addr;
				uc_emu_stop(uc);
				return;
			}
			if (!(view_of(pe->m, vw, pa) & CPU_ACCESS_FETCH)) {
				pe->cur_pc = addr;
				deny(pe, pa, addr, CPU_ACCESS_FETCH);
				return;
			}
			code_seen(pe, pa);
			pe->fetch_valid = true;
			pe->fetch_va_page = addr & ~(GRANULE_SIZE - 1);
			pe->fetch_pa_page = pa & ~(GRANULE_SIZE - 1);
		}
	}
	pe->cur_pc = addr;
	pe->mem_valid = false;
	pe->count++;
	pe->watch_skip = pe->watch_again;
	pe->watch_again = false;
	if (pe->m->insn_hook) {
		obs_start(pe, addr);
	}
	/* An instruction executed again to see its faulting access: its probes have fired. */
	if (pe->replaying) {
		pe->replaying = false;
		return;
	}
	if (pe->m->step.active) {
		step_fire(pe, addr);
	}
	if (pe->probes.n) {
		probes_fire(pe, addr);
	}
	/* A callback set a watchpoint, which needs the memory hook: the run goes round again
	 * from this instruction, with it (cpu_pe_run). */
	if (!pe->mem_hooked && pe->m->nwatch) {
		pe->rechoose = true;
		uc_emu_stop(uc);
	}
}

/*
 * Before every instruction. The common case is one test: nothing to watch or stop for
 * (pe_refresh_fast), the budget and the next timer not reached, the fetch page checked; then
 * only the count and the PC move. Anything else takes the whole path, code_hook_slow. A slow
 * instruction refreshes the fast state only where code_hook_slow found nothing to stop for.
 */
static void code_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu_pe *pe = user;
	(void)size;
	if (pe->fast && pe->count < pe->fast_until && pe->fetch_valid &&
	    (addr & ~(GRANULE_SIZE - 1)) == pe->fetch_va_page) {
		pe->cur_pc = addr;
		pe->mem_valid = false;
		pe->count++;
		return;
	}
	bool was_fast = pe->fast;
	code_hook_slow(uc, addr, pe);
	if (was_fast) {
		pe_refresh_fast(pe); /* a new fetch page, say: fast again unless it stopped */
	}
}

static void take_snapshot(struct cpu_pe *pe)
{
	int ids[33 + 32];
	void *vals[33 + 32];
	uint64_t regs[33];

	pe_read_gprs(pe, regs);
	memcpy(pe->snap.x, regs, sizeof(pe->snap.x));
	pe->snap.sp = regs[31];
	pe->snap.nzcv = regs[32];
	for (int i = 0; i < 32; i++) {
		ids[i] = UC_ARM64_REG_Q0 + i;
		vals[i] = pe->snap.q[i];
	}
	uc_reg_read_batch(pe->uc, ids, vals, 32);
	pe->have_snap = true;
}

static void restore_snapshot(struct cpu_pe *pe)
{
	int ids[32];
	void *vals[32];

	cpu_pe_set_xs(pe, pe->snap.x, 31);
	uc_reg_write(pe->uc, UC_ARM64_REG_SP, &pe->snap.sp);
	uc_reg_write(pe->uc, UC_ARM64_REG_NZCV, &pe->snap.nzcv);
	for (int i = 0; i < 32; i++) {
		ids[i] = UC_ARM64_REG_Q0 + i;
		vals[i] = pe->snap.q[i];
	}
	uc_reg_write_batch(pe->uc, ids, vals, 32);
}

/*
 * Record a granule protection fault (or, for a PA with no memory, an external abort) and stop
 * before the next instruction. A hook cannot veto
 * an access in Unicorn 2.0.1, so a denied access of the current instruction still reaches the
 * host buffer: a load's result and any register writeback are undone from a snapshot taken
 * here, before the access, and a store's bytes are put back from the undo log, all before
 * cpu_pe_run returns. Nothing else runs in between, so no code and no C caller ever sees the
 * denied access's effect.
 */
static void deny(struct cpu_pe *pe, uint64_t pa, uint64_t va, unsigned access)
{
	pe->fast = false;
	pe->dcache_gen = 0; /* no access goes unchecked once one is denied */
	if (!pe->gpf) {
		pe->gpf = true;
		pe->gpf_external = !ram_at(pe->m, pa, 1);
		pe->gpf_pa = pa;
		pe->gpf_va = va;
		pe->gpf_access = access;
		if (access != CPU_ACCESS_FETCH) {
			take_snapshot(pe);
		}
	}
	uc_emu_stop(pe->uc);
}

static void log_store(struct cpu_pe *pe, uint64_t pa, unsigned len)
{
	void *p = ram_at(pe->m, pa, len);

	if (!p || pe->nundo >= UNDO_MAX || len > sizeof(pe->undo[0].old)) {
		return;
	}
	pe->undo[pe->nundo].pa = pa;
	pe->undo[pe->nundo].len = len;
	memcpy(pe->undo[pe->nundo].old, p, len);
	pe->nundo++;
}

/* A watchpoint the access [addr, last] of `access` hits: stop before it completes, as the
 * GPF path does (snapshot, store logged), and report it once the run is stopped. */
static bool watch_hit(struct cpu_pe *pe, uint64_t addr, uint64_t last, unsigned access)
{
	const struct cpu_machine *m = pe->m;
	for (unsigned i = 0; i < m->nwatch; i++) {
		uint64_t lo = m->watch[i].va, hi = lo + m->watch[i].len - 1;
		if ((m->watch[i].access & access) && addr <= hi && last >= lo) {
			pe->fast = false;
			pe->watch_hit = true;
			pe->watch_va = addr > lo ? addr : lo;
			pe->watch_access = access;
			take_snapshot(pe);
			return true;
		}
	}
	return false;
}

/* Observation of an access of the instruction being observed: its PA, and its data as it is
 * in memory (a load's before the access, which is what it reads; a store's from its value). */
static void obs_mem(struct cpu_pe *pe, bool write, uint64_t va, uint64_t pa, enum cpu_world pas,
		    int size, int64_t value)
{
	struct cpu_insn_mem *a;
	unsigned n = size > 0 ? (unsigned)size : 0;

	if (!pe->obs_pending || pe->obs.nmem >= CPU_INSN_MAX_MEM || n > sizeof(a->data)) {
		return;
	}
	a = &pe->obs.mem[pe->obs.nmem++];
	a->write = write;
	a->size = n;
	a->va = va;
	a->pa = pa;
	a->pas = pas;
	memset(a->data, 0, sizeof(a->data));
	if (write && n <= sizeof(value)) {
		for (unsigned i = 0; i < n; i++) {
			a->data[i] = (uint8_t)((uint64_t)value >> (8 * i));
		}
	} else {
		const void *p = ram_at(pe->m, pa, n);
		if (p) {
			memcpy(a->data, p, n);
		}
	}
}

/* The memory hook's checks, past its fast path. */
__attribute__((noinline)) static void mem_hook_slow(struct cpu_pe *pe, unsigned access,
						    uint64_t addr, uint64_t last, int size,
						    int64_t value)
{
	uint64_t pa, pa_last;
	enum cpu_world vw, vw_last;
	bool ok_first, ok_last;

	/* A translation fault is Unicorn's to raise (the hook runs before the TLB fill). */
	if (!walk_va_to_pa(pe, addr, &pa, &vw)) {
		return;
	}
	if (pe->obs_pending) {
		obs_mem(pe, access == CPU_ACCESS_WRITE, addr, pa, vw, size, value);
	}
	ok_first = view_of(pe->m, vw, pa) & access;
	pa_last = pa + (last - addr);
	vw_last = vw;
	if ((last ^ addr) & ~(GRANULE_SIZE - 1)) {
		if (!walk_va_to_pa(pe, last, &pa_last, &vw_last)) {
			pa_last = pa + (last - addr);
		}
	}
	ok_last = view_of(pe->m, vw_last, pa_last) & access;
	if (access == CPU_ACCESS_WRITE) {
		ram_touch(pe->m, pa);
		ram_touch(pe->m, pa_last);
	}
	bool watched = ok_first && ok_last && !pe->gpf && pe->m->nwatch && !pe->watch_hit &&
		       !pe->watch_skip && watch_hit(pe, addr, last, access);
	if (ok_first && ok_last && !pe->gpf && !watched) {
		/* not while an instruction is observed or memory watched: those need every
		 * access (a fault, an observation or a watchpoint empties the cache) */
		if (!((last ^ addr) & ~(GRANULE_SIZE - 1)) && !pe->m->insn_hook && !pe->m->nwatch) {
			/* remembered for the next access to this page */
			pe->dcache_gen = pe->xlat_gen;
			pe->dcache_va_page = addr & ~(GRANULE_SIZE - 1);
			pe->dcache_pa_page = pa & ~(GRANULE_SIZE - 1);
			pe->dcache_allow = view_of(pe->m, vw, pa);
			pe->dcache_touched = access == CPU_ACCESS_WRITE;
		}
		return;
	}
	if (access == CPU_ACCESS_WRITE) {
		if ((last ^ addr) & ~(GRANULE_SIZE - 1)) {
			unsigned first_len = (unsigned)(GRANULE_SIZE - (addr & (GRANULE_SIZE - 1)));

			log_store(pe, pa, first_len);
			log_store(pe, pa_last - (last - addr - first_len),
				  (unsigned)size - first_len);
		} else {
			log_store(pe, pa, (unsigned)size);
		}
	}
	if (watched) {
		uc_emu_stop(pe->uc);
		return;
	}
	/* The fault is at the first byte denied: the access's first, or else the first of the
	 * granule it crosses into. */
	if (!pe->gpf) {
		deny(pe, ok_first ? pa_last & ~(GRANULE_SIZE - 1) : pa,
		     ok_first ? last & ~(GRANULE_SIZE - 1) : addr, access);
	}
}

static void mem_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
		     void *user)
{
	struct cpu_pe *pe = user;
	unsigned access = type == UC_MEM_WRITE ? CPU_ACCESS_WRITE : CPU_ACCESS_READ;
	uint64_t last = addr + (uint64_t)(size > 0 ? size - 1 : 0);

	(void)uc;
	if (pe->in_tramp) {
		return;
	}
	pe->mem_valid = true;
	pe->mem_va = addr;
	pe->mem_access = access;
	/* The common case: the page checked last, allowed, nothing observed or watched. */
	uint64_t page = addr & ~(GRANULE_SIZE - 1);
	if (pe->dcache_gen == pe->xlat_gen && page == pe->dcache_va_page &&
	    (last & ~(GRANULE_SIZE - 1)) == page && (pe->dcache_allow & access)) {
		if (access == CPU_ACCESS_WRITE && !pe->dcache_touched) {
			ram_touch(pe->m, pe->dcache_pa_page);
			pe->dcache_touched = true;
		}
		return;
	}
	mem_hook_slow(pe, access, addr, last, size, value);
}

static void intr_hook(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu_pe *pe = user;

	pe->fast = false;
	if (!pe->intr && !pe->gpf) {
		pe->intr = true;
		pe->intno = intno;
		uc_reg_read(uc, UC_ARM64_REG_PC, &pe->intr_pc);
	}
	uc_emu_stop(uc);
}

/*
 * The trampoline's MRS is where the context's translation controls come back (el.c);
 * returning 1 makes Unicorn skip the instruction itself. Guest MRSs pass untouched.
 */
static uint32_t mrs_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	struct cpu_pe *pe = user;

	if (!pe->in_tramp) {
		/* The generic timer's registers: Unicorn has them (on the host's clock) and lets
		 * this hook give the value and skip its own. */
		uint32_t enc = CPU_SYSREG(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
		uint64_t v;
		if (tg_is_timer(enc) && tg_guest(pe) && tg_sysreg_read(pe, enc, &v)) {
			uc_reg_write(uc, (int)reg, &v);
			return 1;
		}
		return 0;
	}
	if (pe->tramp_restore) {
		pe->tramp_restore = false;
		pe_write_translation_controls(pe, pe->tramp_sctlr1, pe->tramp_sctlr2,
					      pe->tramp_hcr);
	}
	return 1;
}

/*
 * DC ZVA zeroes memory through a host pointer from the TLB (helper_dc_zva), not through the
 * load/store helpers, so the memory hook never sees it. Its SYS hook runs before it and can
 * skip it: that is where its view check goes. Returns true when the view denies the block.
 */
static bool dc_zva_denied(struct cpu_pe *pe, uc_arm64_reg reg)
{
	uint64_t xt = 0, va, pa;
	unsigned bs = (unsigned)(pe_sysreg(pe, CPU_SYSREG(3, 3, 0, 0, 7)) & 15); /* DCZID_EL0 */
	enum cpu_world vw;

	uc_reg_read(pe->uc, (int)reg, &xt);
	/* Also what an abort of the DC ZVA reports (FAR = Xt, a write). */
	pe->mem_valid = true;
	pe->mem_va = xt;
	pe->mem_access = CPU_ACCESS_WRITE;
	va = xt & ~((4ULL << bs) - 1); /* blocks are at most 2 KB: one granule */
	if (!walk_va_to_pa(pe, va, &pa, &vw)) {
		return false;
	}
	if (view_of(pe->m, vw, pa) & CPU_ACCESS_WRITE) {
		ram_touch(pe->m, pa);
		return false;
	}
	deny(pe, pa, xt, CPU_ACCESS_WRITE);
	return true;
}

/* An MSR or SYS (TLBI, AT) may change the translation regime: drop what we cached of it. */
static uint32_t sys_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	struct cpu_pe *pe = user;

	pe->rg.valid = false;
	pe->xlat_gen++;
	pe->fetch_valid = false;
	uint32_t enc = CPU_SYSREG(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
	if (!pe->in_tramp && tg_is_timer(enc) && tg_guest(pe)) {
		uint64_t v = 0;
		uc_reg_read(uc, (int)reg, &v);
		return tg_sysreg_write(pe, enc, v) ? 1 : 0;
	}
	if (!pe->in_tramp && cp->op0 == 1 && cp->op1 == 3 && cp->crn == 7 && cp->crm == 4 &&
	    cp->op2 == 1) {
		return dc_zva_denied(pe, reg) ? 1 : 0;
	}
	return 0;
}

int run_set_mem_hook(struct cpu_pe *pe, bool on)
{
	if (on == pe->mem_hooked) {
		return 0;
	}
	if (on ? uc_hook_add(pe->uc, &pe->h_mem, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
			     (void *)mem_hook, pe, 1, 0)
	       : uc_hook_del(pe->uc, pe->h_mem)) {
		return -1;
	}
	pe->mem_hooked = on;
	return 0;
}

/* A Realm PE starts without the memory hook: its first run decides (mem_checks.c). */
int run_install_hooks(struct cpu_pe *pe)
{
	if (uc_hook_add(pe->uc, &pe->h_code, UC_HOOK_CODE, (void *)code_hook, pe, 1, 0) ||
	    (pe->world != CPU_WORLD_REALM && run_set_mem_hook(pe, true)) ||
	    uc_hook_add(pe->uc, &pe->h_intr, UC_HOOK_INTR, (void *)intr_hook, pe, 1, 0) ||
	    uc_hook_add(pe->uc, &pe->h_msr, UC_HOOK_INSN, (void *)sys_hook, pe, 1, 0,
			UC_ARM64_INS_MSR) ||
	    uc_hook_add(pe->uc, &pe->h_sys, UC_HOOK_INSN, (void *)sys_hook, pe, 1, 0,
			UC_ARM64_INS_SYS) ||
	    uc_hook_add(pe->uc, &pe->h_mrs, UC_HOOK_INSN, (void *)mrs_hook, pe, 1, 0,
			UC_ARM64_INS_MRS)) {
		return -1;
	}
	return 0;
}

int run_trampoline(struct cpu_pe *pe)
{
	uc_err err;

	pe->in_tramp = true;
	pe->fast = false;
	pe->intr = false;
	err = uc_emu_start(pe->uc, pe->m->tramp_pa, 0, 0, 0);
	pe->in_tramp = false;
	pe->rg.valid = false;
	pe->xlat_gen++;
	pe->fetch_valid = false;
	/* An abort on the target's first fetch is for the next run to report: the ERET itself
	 * completed. The caller checks the EL it reached. */
	pe->intr = false;
	return err == UC_ERR_OK ? 0 : -1;
}

/* The thread's registers when it last stopped: NULL for a first run, or out of memory. */
static struct thread_regs *stopped_regs(struct cpu_pe *pe, bool add)
{
	struct cpu_machine *m = pe->m;

	for (unsigned i = 0; i < m->nstopped; i++) {
		if (m->stopped[i].world == pe->world && m->stopped[i].tag == pe->thread_tag) {
			return &m->stopped[i];
		}
	}
	if (!add) {
		return NULL;
	}
	if (m->nstopped == m->capstopped) {
		unsigned cap = m->capstopped ? 2 * m->capstopped : 8;
		struct thread_regs *p = realloc(m->stopped, cap * sizeof(*p));
		if (!p) {
			return NULL;
		}
		m->stopped = p;
		m->capstopped = cap;
	}
	struct thread_regs *t = &m->stopped[m->nstopped++];
	t->world = pe->world;
	t->tag = pe->thread_tag;
	return t;
}

/* CPU_INSN_RESUME: what the thread's context brings that it did not have when it stopped. */
static void obs_resume(struct cpu_pe *pe, uint64_t pc)
{
	static const uint64_t zero[33];
	const struct thread_regs *was = stopped_regs(pe, false);
	uint64_t regs[33];

	pe_read_gprs(pe, regs);
	memcpy(pe->obs_regs, was ? was->regs : zero, sizeof(pe->obs_regs));
	pe->obs.kind = CPU_INSN_RESUME;
	pe->obs.world = pe->world;
	pe->obs.thread_tag = pe->thread_tag;
	pe->obs.el = cpu_pe_current_el(pe);
	pe->obs.pc = pc;
	pe->obs.opcode = 0;
	pe->obs.nmem = 0;
	obs_deliver(pe, regs);
}

/* CPU_INSN_EXCEPTION for the trap that ended the run, when it is an exception, and the
 * thread's registers kept for its next CPU_INSN_RESUME. */
static void obs_stop(struct cpu_pe *pe, const struct cpu_trap *trap)
{
	struct thread_regs *t = stopped_regs(pe, true);

	if (t) {
		pe_read_gprs(pe, t->regs);
	}
	switch (trap->kind) {
	case CPU_TRAP_NONE:
	case CPU_TRAP_BUDGET:
	case CPU_TRAP_ERROR:
	case CPU_TRAP_IDLE:
		return;
	default:
		break;
	}
	pe->obs.kind = CPU_INSN_EXCEPTION;
	pe->obs.world = pe->world;
	pe->obs.thread_tag = pe->thread_tag;
	pe->obs.el = trap->from_el;
	pe->obs.pc = trap->pc;
	pe->obs.opcode = 0;
	pe->obs.nchanged = 0;
	pe->obs.nmem = 0;
	pe->obs.trap = trap->kind;
	pe->obs.to_el = trap->to_el;
	pe->obs.esr = trap->esr;
	pe->obs.return_pc = trap->return_pc;
	pe->m->insn_fn(pe->m->insn_ctx, &pe->obs);
}

static void undo_denied(struct cpu_pe *pe)
{
	/* cpu_phys, not ram_at: putting bytes back into a code page must drop its blocks. */
	while (pe->nundo > 0) {
		pe->nundo--;
		memcpy(cpu_phys(pe->m, pe->undo[pe->nundo].pa, pe->undo[pe->nundo].len),
		       pe->undo[pe->nundo].old, pe->undo[pe->nundo].len);
	}
	if (pe->have_snap) {
		restore_snapshot(pe);
	}
}

/* Unicorn ended the run at a WFE or WFI of a guest that must not wait there (see cpu_pe_run). */
static bool wfx_goes_on(struct cpu_pe *pe)
{
	bool ok;
	if (pe->gpf || pe->intr || pe->budget_hit || pe->timer_hit || pe->virq_hit ||
	    !tg_guest(pe)) {
		return false;
	}
	uint32_t op = pe_fetch_opcode(pe, pe->cur_pc, &ok);
	return ok && (op == A64_WFE || (op == A64_WFI && pe->virq));
}

int cpu_pe_run(struct cpu_pe *pe, uint64_t pc, uint64_t budget, struct cpu_trap *trap)
{
	uc_err err;

	memset(trap, 0, sizeof(*trap));
	pe->budget = budget;
	pe->count = 0;
	pe->budget_hit = pe->intr = pe->gpf = pe->have_snap = false;
	pe->timer_hit = pe->virq_hit = false;
	pe->watch_hit = pe->watch_again = pe->watch_skip = false;
	pe->nundo = 0;
	pe->mem_valid = false;
	pe->rechoose = false;
	pe->fetch_valid = false;
	pe->obs_pending = false;
	pe->cur_pc = pc;
	/*
	 * Tables may have changed since the last run (the RMM edits RTTs between runs). Our view
	 * checks walk the tables as they are now; Unicorn's TLB must not disagree, or a check
	 * would be made on another PA than the one accessed. So it is flushed unless nothing
	 * was written from C since the last flush, or there are no tables (flat regime).
	 */
	pe->xlat_gen++;
	pe_regime_load(pe);
	if (!pe->tlb_clean && !regime_is_flat(&pe->rg)) {
		pe_flush_tlb(pe);
	}
	trap->from_el = cpu_pe_current_el(pe);
	if (pe->m->insn_fn && pe->m->insn_hook) {
		obs_resume(pe, pc);
	}
	for (;;) {
		/* The memory hook in or out, then the stale code dropped (going back to the hook
		 * makes code stale): before the first start, and again after a callback, which may
		 * have set a watchpoint or written code. */
		if (pe_choose_mem_checks(pe)) {
			err = UC_ERR_NOMEM;
			break;
		}
		if (pe_has_stale_code(pe)) {
			pe_drop_stale_code_now(pe);
		}
		pe_refresh_fast(pe);
		err = uc_emu_start(pe->uc, pc, 0, 0, 0);
		/* Stopped before the instruction at cur_pc (counted, not executed) to take the
		 * memory hook in: it starts again, its probes not fired twice. */
		if (err == UC_ERR_OK && pe->rechoose) {
			pe->rechoose = false;
			pe->count--;
			pe->replaying = true;
			pc = pe->cur_pc;
			continue;
		}
		/* A WFE (no event to wait for is modelled), or a WFI while an interrupt is pending
		 * but masked: the PE does not wait, the run goes on after it. */
		/* A guest's access to a GIC CPU interface register: Unicorn has no GIC and raises
		 * an Undefined Instruction (after its MRS hook), so it is performed here and the
		 * run goes on after the instruction. */
		if (err == UC_ERR_OK && pe->intr && pe->intno == INTNO_UDEF && tg_guest(pe) &&
		    tg_emulate(pe, pe->intr_pc)) {
			pe->intr = false;
			pc = pe->intr_pc + 4;
			continue;
		}
		/* A data abort without the memory hook: the faulting access, which only the hook
		 * sees, is learnt by executing the instruction again with it (mem_checks.c). It did
		 * not complete, so it starts from the same state and aborts again the same way. */
		if (err == UC_ERR_OK && pe->intr && pe->intno == INTNO_DATA_ABORT &&
		    !pe->mem_hooked && !pe->mem_valid && pe_replay_with_mem_checks(pe) == 0) {
			pe->intr = false;
			pe->count--;
			pc = pe->intr_pc;
			continue;
		}
		/* A watchpoint: the access is undone and reported with the PC at the instruction,
		 * which then executes again (not counted twice). */
		if (err == UC_ERR_OK && pe->watch_hit && !pe->gpf) {
			undo_denied(pe);
			pe->nundo = 0;
			pe->have_snap = false;
			pe->watch_hit = false;
			pe->count--;
			pe->fetch_valid = false;
			uc_reg_write(pe->uc, UC_ARM64_REG_PC, &pe->cur_pc);
			if (pe->m->watch_fn) {
				pe->m->watch_fn(pe->m->watch_ctx, pe, pe->watch_va,
						pe->watch_access);
			}
			/* Its accesses then complete, even if the debugger left the watchpoint. */
			pe->watch_again = true;
			pc = pe->cur_pc;
			continue;
		}
		if (err != UC_ERR_OK || !wfx_goes_on(pe)) {
			break;
		}
		pc = pe->cur_pc + 4;
	}
	pe_replay_done(pe);
	if (pe->gpf) {
		undo_denied(pe);
	}
	if (pe->obs_pending && !pe->gpf) {
		uint64_t regs[33];

		pe_read_gprs(pe, regs);
		obs_deliver(pe, regs);
	}
	pe->obs_pending = false;
	if (err != UC_ERR_OK && !pe->gpf && !pe->intr && !pe->budget_hit) {
		trap->kind = CPU_TRAP_ERROR;
		trap->pc = trap->return_pc = pe->cur_pc;
		trap->insns = pe->count;
		return 0;
	}
	trap_fill(pe, trap);
	if (pe->m->insn_fn && pe->m->insn_hook) {
		obs_stop(pe, trap);
	}
	pe->m->clock_insns += trap->insns;
	return 0;
}

void pe_regime_load(struct cpu_pe *pe)
{
	struct regime *rg = &pe->rg;

	rg->el = cpu_pe_current_el(pe);
	if (rg->el == 2) {
		rg->sctlr = pe_sysreg(pe, CPU_SCTLR_EL2);
		rg->tcr = pe_sysreg(pe, CPU_SYSREG(3, 4, 2, 0, 2));   /* TCR_EL2 */
		rg->ttbr0 = pe_sysreg(pe, CPU_SYSREG(3, 4, 2, 0, 0)); /* TTBR0_EL2 */
		rg->ttbr1 = 0;
	} else {
		rg->sctlr = pe_sysreg(pe, CPU_SYSREG(3, 0, 1, 0, 0));
		rg->tcr = pe_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 2));
		rg->ttbr0 = pe_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 0));
		rg->ttbr1 = pe_sysreg(pe, CPU_SYSREG(3, 0, 2, 0, 1));
	}
	rg->hcr = pe_sysreg(pe, CPU_HCR_EL2);
	rg->vtcr = pe_sysreg(pe, CPU_VTCR_EL2);
	rg->vttbr = pe_sysreg(pe, CPU_VTTBR_EL2);
	rg->valid = true;
}
