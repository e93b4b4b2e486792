/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu private state shared by its .c files (machine, pe, el, run, trap, walk). The only header
 * of the project that includes Unicorn (capstone stays inside machine.c).
 */
#ifndef CCA_CPU_CPU_PRIVATE_H
#define CCA_CPU_CPU_PRIVATE_H

#include "cpu/cpu.h"

#include <unicorn/unicorn.h>

/* Small per-PE translation cache for view checks (VA page -> PA page), valid for one run. */
#define XLAT_CACHE_SIZE 16

/* Denied stores of one instruction we roll back (an STP makes two, a page-crossing one four). */
#define UNDO_MAX 8

/* Written granules a reset finds in a list, before it scans the whole map (cpu_machine_reset). */
#define DIRTY_LIST_MAX 1024

/* Granules with rewritten code remembered one by one before falling back to all. */
#define STALE_MAX 16

/* Stage-2 trees a Realm PE remembers having proved safe to run without the memory hook (one
 * per realm it alternates between, up to this many). */
#define S2_PROOFS 4

/*
 * Probes of one PE, looked up by address from the code hook that runs before every
 * instruction anyway (it counts them and checks fetches): an open-addressing table, so the
 * cost per instruction is one hash and one compare whatever the number of probes. (A Unicorn
 * code hook per probe would make Unicorn walk every probe's hook before every instruction.)
 */
struct probe {
	uint64_t va;
	cpu_probe_fn fn; /* NULL: an empty slot */
	void *ctx;
};

struct probe_table {
	struct probe *slot;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

static inline size_t probe_hash(uint64_t va, size_t cap)
{
	return (size_t)(((va >> 2) * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

/* Translation regime registers, read once per run (or after an MSR/SYS) for our own walks. */
struct regime {
	bool valid;
	unsigned el;
	uint64_t sctlr, tcr, ttbr0, ttbr1; /* of the EL1&0 or EL2 regime the PE is in */
	uint64_t hcr, vtcr, vttbr;
};

/* No stage 1 and no stage 2: VA = PA (the host at EL2 with its MMU off). */
static inline bool regime_is_flat(const struct regime *rg)
{
	return !(rg->sctlr & 1) && (rg->el == 2 || !(rg->hcr & 1));
}

/* GPRs and SIMD registers taken at the first denied access, restored when the run stops. */
struct snapshot {
	uint64_t x[31];
	uint64_t sp, nzcv;
	uint8_t q[32][16];
};

struct cpu_pe {
	struct cpu_machine *m;
	enum cpu_world world;
	uc_engine *uc;
	uc_context *reset_ctx; /* reset state (EL1), used to leave EL0 when entering an EL */
	bool in_tramp;         /* running the EL3 ERET trampoline: hooks stay out of the way */
	bool tlb_clean;        /* Unicorn's TLB flushed since C last wrote memory or a register */
	bool tramp_restore;    /* the trampoline's MRS hook still has to restore these: */
	uint64_t tramp_sctlr1, tramp_sctlr2, tramp_hcr;

	/* Per-run state, written by the hooks. */
	uint64_t budget; /* 0 = none */
	uint64_t count;  /* instructions started in this run */
	uint64_t cur_pc; /* PC of the instruction being executed */
	bool budget_hit;
	bool intr;
	uint32_t intno;
	uint64_t intr_pc;

	/* Last data access of the current instruction (memory hooks run before the access). */
	bool mem_valid;
	uint64_t mem_va;
	unsigned mem_access;

	/* Granule protection fault found by a hook; `gpf_external`: the PA is no memory at all,
	 * which the GPT does not deny, so it is a synchronous external abort instead. */
	bool gpf, gpf_external;
	bool watch_hit; /* a watchpoint stopped the run: undo the access, report, re-execute */
	bool watch_again, watch_skip; /* the re-executed instruction's accesses are not watched */
	uint64_t watch_va;
	unsigned watch_access;
	uint64_t gpf_pa, gpf_va;
	unsigned gpf_access;
	bool have_snap;
	struct snapshot snap;
	unsigned nundo;
	struct {
		uint64_t pa;
		unsigned len;
		uint8_t old[16];
	} undo[UNDO_MAX];

	/* Fetch check cache: the page of the last checked PC, for this run. */
	bool fetch_valid;
	uint64_t fetch_va_page, fetch_pa_page;

	/* The code hook's fast path (pe_refresh_fast): nothing to watch or to stop for, so that
	 * an instruction costs a count unless it reaches `fast_until` (the budget, or the next
	 * timer's clock) or leaves the checked fetch page. Every place that asks a run to stop
	 * clears `fast`. */
	bool fast;
	uint64_t fast_until;
	/* The memory hook's: the data page checked last, what its view allows, and whether it
	 * is marked written, valid while dcache_gen is xlat_gen. */
	uint64_t dcache_gen, dcache_va_page, dcache_pa_page;
	unsigned dcache_allow;
	bool dcache_touched;

	struct regime rg;
	uint64_t xlat_gen;
	struct {
		uint64_t gen, va_page, pa_page;
		bool ns;
	} xlat[XLAT_CACHE_SIZE];

	/* Instruction observation (cpu_config.insn_hook). */
	bool obs_pending;
	struct cpu_insn obs;
	uint64_t obs_regs[33]; /* X0-X30, SP, NZCV before obs.pc executed */

	/* C wrote (through cpu_phys) into granules this PE has code from: their translated
	 * blocks may be stale and are dropped before it runs again. */
	unsigned nstale;
	bool stale_all;            /* more than STALE_MAX: drop the blocks of every code granule */
	uint64_t stale[STALE_MAX]; /* granule PAs */

	struct probe_table probes;
	uint64_t thread_tag; /* cpu_pe_thread_tag: of the context loaded last */

	/* The EL1 timers and GICv3 virtual CPU interface of the loaded context (timer_gic.c),
	 * and what they make happen: the machine clock (instructions) at which a timer's
	 * condition first holds (UINT64_MAX: never), and whether a virtual IRQ is deliverable. */
	struct cpu_context tg;
	uint64_t fire_at;
	bool virq;
	bool timer_hit, virq_hit; /* the code hook stopped the run for one of them */
	uc_hook h_code, h_mem, h_intr, h_msr, h_sys, h_mrs;

	/*
	 * The memory hook is in Unicorn's hook list (mem_checks.c). A Realm PE runs without it
	 * where its stage 2 proves every access allowed; code Unicorn translated meanwhile has
	 * unhooked loads and stores, and is remembered here to be dropped before the hook is
	 * back (the granule PAs of its fetch pages; more than STALE_MAX: all the PE's code).
	 */
	bool mem_hooked;
	bool replay_hooked; /* in for the replay of a faulting instruction only (cpu_pe_run) */
	bool replaying;     /* the next instruction is that replay: its probes have fired */
	bool rechoose; /* a callback needs the hook in before the next instruction (cpu_pe_run) */
	unsigned nunhooked;
	bool unhooked_all;
	uint64_t unhooked[STALE_MAX];
	/* The last stage-2 trees found to allow every access, with the granules they map
	 * writable: a run without the hook marks them written, as the hook would on a store. */
	struct s2_proof {
		bool valid, ok;
		uint64_t vttbr, vtcr, gen;
		uint32_t *writable; /* granule numbers from the start of RAM */
		size_t nwritable, capwritable;
	} proof[S2_PROOFS];
	unsigned next_proof;
};

struct cpu_machine {
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	unsigned pa_bits;
	uint8_t *view[CPU_NUM_WORLDS]; /* CPU_ACCESS_* per granule */
	uint8_t *code[CPU_NUM_WORLDS]; /* 1: the world's PE has translated code from the granule */
	/* 1: the granule was a stage-2 table when a PE last proved its tree (mem_checks.c); C
	 * writing one, or a view changing, moves s2_gen on, and with it every proof. */
	uint8_t *s2_table;
	uint64_t s2_gen;
	/* Granules written since the machine was created or last reset (cpu_machine_reset): a
	 * byte map, and the first DIRTY_LIST_MAX of them in a list, so that a reset after a
	 * small run zeroes them without scanning the map. */
	uint8_t *dirty;
	uint32_t dirty_list[DIRTY_LIST_MAX];
	size_t ndirty; /* may exceed DIRTY_LIST_MAX: then the map is scanned */
	/* The same since cpu_machine_mark: what cpu_machine_state_hash covers. */
	uint8_t *written;
	uint32_t written_list[DIRTY_LIST_MAX];
	size_t nwritten;
	uint8_t *tramp; /* host page holding the EL3 ERET trampoline */
	uint64_t tramp_pa;
	bool insn_hook;
	uint64_t cnt_hz, insn_hz;
	uint64_t clock_insns; /* instructions retired by every PE, plus the time PEs waited */
	struct {
		bool active, armed; /* armed: the stepped instruction has started */
		enum cpu_world world;
		uint64_t tag;
		cpu_probe_fn fn;
		void *ctx;
	} step; /* cpu_machine_step */
	struct {
		uint64_t va, len;
		unsigned access;
	} watch[CPU_MAX_WATCHES];
	unsigned nwatch;
	cpu_watch_fn watch_fn;
	void *watch_ctx;
	uint64_t host_irq_at; /* counter value of the host's next interrupt (UINT64_MAX: none) */
	cpu_insn_fn insn_fn;
	void *insn_ctx;
	/* Observation: each thread's registers when it last stopped (CPU_INSN_RESUME). */
	struct thread_regs {
		enum cpu_world world;
		uint64_t tag;
		uint64_t regs[33];
	} * stopped;
	unsigned nstopped, capstopped;
	struct cpu_pe pe[CPU_NUM_WORLDS];
};

/* The encodings of WFI and WFE. */
#define A64_WFI 0xd503207fU
#define A64_WFE 0xd503205fU

/* Unicorn's intno values for AArch64 (QEMU EXCP_*). */
enum {
	INTNO_UDEF = 1,
	INTNO_SWI = 2,
	INTNO_PREFETCH_ABORT = 3,
	INTNO_DATA_ABORT = 4,
	INTNO_BKPT = 7,
	INTNO_HVC = 11,
	INTNO_HYP_TRAP = 12,
	INTNO_SMC = 13,
};

/* timer_gic.c: the EL1 timers and the GICv3 virtual CPU interface of a guest at EL1 */
bool tg_guest(struct cpu_pe *pe);
bool tg_is_timer(uint32_t enc); /* a generic timer register (op0 3, op1 3, CRn 14) */
bool tg_sysreg_read(struct cpu_pe *pe, uint32_t enc, uint64_t *v);
bool tg_sysreg_write(struct cpu_pe *pe, uint32_t enc, uint64_t v);
void tg_load(struct cpu_pe *pe, const struct cpu_context *ctx);
void tg_save(const struct cpu_pe *pe, struct cpu_context *ctx);
void tg_update(struct cpu_pe *pe); /* fire_at and virq, after a change */
/* The MRS or MSR at `pc` that Unicorn found undefined, when it is one of ours: performed. */
bool tg_emulate(struct cpu_pe *pe, uint64_t pc);
uint64_t tg_clock(const struct cpu_pe *pe); /* the machine clock now, in instructions */
bool tg_irq_masked(struct cpu_pe *pe);      /* PSTATE.I */

/* machine.c */
unsigned view_of(const struct cpu_machine *m, enum cpu_world w, uint64_t pa);
/* Calls the probes at `va` (the code hook, before the instruction there executes). */
void probes_fire(struct cpu_pe *pe, uint64_t va);
void probes_free(struct cpu_pe *pe);
/* The pending step (cpu_machine_step), from the code hook. */
void step_fire(struct cpu_pe *pe, uint64_t va);
/* Host pointer to RAM for src/cpu's own reads (walks, opcodes): no stale-code marking. */
void *ram_at(struct cpu_machine *m, uint64_t pa, size_t len);
/* Records that the granule of `pa` (in RAM) may have been written: a reset zeroes it. */
static inline void ram_touch(struct cpu_machine *m, uint64_t pa)
{
	uint64_t g = (pa - m->ram_base) >> GRANULE_SHIFT;
	if (pa < m->ram_base || g >= (m->ram_size >> GRANULE_SHIFT)) {
		return;
	}
	if (!m->dirty[g]) {
		m->dirty[g] = 1;
		if (m->ndirty < DIRTY_LIST_MAX) {
			m->dirty_list[m->ndirty] = (uint32_t)g;
		}
		m->ndirty++;
	}
	if (!m->written[g]) {
		m->written[g] = 1;
		if (m->nwritten < DIRTY_LIST_MAX) {
			m->written_list[m->nwritten] = (uint32_t)g;
		}
		m->nwritten++;
	}
}
/* Whether the next instructions may take the code hook's fast path, and up to which count. */
static inline void pe_refresh_fast(struct cpu_pe *pe)
{
	const struct cpu_machine *m = pe->m;
	pe->fast = !pe->in_tramp && !pe->gpf && !pe->intr && !pe->budget_hit && !pe->timer_hit &&
		   !pe->virq_hit && !pe->watch_hit && !pe->virq && !m->insn_hook &&
		   !m->step.active && !pe->probes.n && !m->nwatch && !pe->watch_again &&
		   !pe->watch_skip;
	uint64_t until = pe->budget ? pe->budget : UINT64_MAX;
	if (pe->fire_at != UINT64_MAX) {
		uint64_t due = pe->fire_at > m->clock_insns ? pe->fire_at - m->clock_insns : 0;
		until = due < until ? due : until;
	}
	pe->fast_until = until;
}

/* Records that the PE executes code from the granule of `pa` (see cpu_phys). */
void code_seen(struct cpu_pe *pe, uint64_t pa);
/* Drops the PE's translated code that C may have rewritten; the PE's translation regime
 * must be the identity (SCTLR_ELx.M = 0, HCR_EL2.VM = 0) when it is called. */
void pe_drop_stale_code(struct cpu_pe *pe);
/* The code translated while the memory hook was out becomes stale: dropped before the next
 * run, which has the hook. */
void pe_unhooked_code_stale(struct cpu_pe *pe);
static inline bool pe_has_stale_code(const struct cpu_pe *pe)
{
	return pe->nstale || pe->stale_all;
}

/* pe.c */
int pe_open(struct cpu_machine *m, struct cpu_pe *pe, enum cpu_world w);
/* Back to the state pe_open left it in (cpu_machine_reset). */
void pe_reset(struct cpu_pe *pe);
void pe_close(struct cpu_pe *pe);
uc_arm64_cp_reg pe_cp_of(uint32_t sysreg);
uint64_t pe_sysreg(struct cpu_pe *pe, uint32_t enc);
uint64_t pe_reg_get(struct cpu_pe *pe, int id);
void pe_reg_set(struct cpu_pe *pe, int id, uint64_t v);
extern const int pe_sp_ids[4]; /* UC_ARM64_REG_SP_ELn by n */
void pe_read_gprs(struct cpu_pe *pe, uint64_t *x31_sp_nzcv);
/* Writes the system registers of struct cpu_context. */
int pe_write_ctx_sysregs(struct cpu_pe *pe, const struct cpu_context *ctx);

/* el.c */
/*
 * ERET from EL3 to the mode in `spsr` (SPSR layout) at `pc`; sp0/spx, when non-NULL, become
 * SP_EL0 and the target's SP_ELx. Returns 0, or -1 when the PE did not reach that EL.
 */
int pe_eret_to(struct cpu_pe *pe, uint64_t spsr, uint64_t pc, const uint64_t *sp0,
	       const uint64_t *spx);
/* Drops every cached translation of the PE (QEMU's TLB); see el.c. */
void pe_flush_tlb(struct cpu_pe *pe);
/* pe_drop_stale_code under a temporary identity regime. */
void pe_drop_stale_code_now(struct cpu_pe *pe);
void pe_write_translation_controls(struct cpu_pe *pe, uint64_t sctlr1, uint64_t sctlr2,
				   uint64_t hcr);

/* pe_run.c */
int run_install_hooks(struct cpu_pe *pe);
/* Puts the memory hook into Unicorn's list or takes it out (mem_checks.c says when). */
int run_set_mem_hook(struct cpu_pe *pe, bool on);
void pe_regime_load(struct cpu_pe *pe);
/* Runs the EL3 ERET trampoline: the PE leaves EL3 for the mode in SPSR_EL3 at `pc`. */
int run_trampoline(struct cpu_pe *pe);

/* walk.c: translation of a VA of the PE's current regime. */
enum walk_fault {
	WALK_OK = 0,
	WALK_TRANSLATION,
	WALK_ACCESS_FLAG,
	WALK_PERMISSION,
	WALK_ADDR_SIZE,
	WALK_EXTERNAL, /* a table outside RAM */
	WALK_UNSUPPORTED,
};
struct walk {
	enum walk_fault fault;
	unsigned level;
	bool s2;           /* the fault is a stage-2 fault */
	bool s1ptw;        /* ... on a stage-1 table walk */
	uint64_t ipa;      /* stage-2 faults: the faulting IPA */
	unsigned s1_level; /* stage-2 faults: the stage-1 level that gave the IPA (0: no stage 1) */
	uint64_t pa;       /* WALK_OK: the output address */
	bool ns;           /* WALK_OK: a realm stage-2 mapping with NS (bit 55) set: NS PAS */
};
void walk_va(struct cpu_pe *pe, uint64_t va, unsigned access, struct walk *w);
/*
 * VA -> PA for view checks, cached for the run; false when the walk faults. *view_world is
 * the world whose view governs the access: the PE's own, or NS for a realm access through an
 * Unprotected (NS = 1) stage-2 mapping, which architecturally targets the NS PAS.
 */
bool walk_va_to_pa(struct cpu_pe *pe, uint64_t va, uint64_t *pa, enum cpu_world *view_world);
/* Every table granule and every valid leaf (block or page: output PA, size, descriptor) of the
 * stage-2 tree of the PE's VTTBR_EL2/VTCR_EL2, as walk_s2 reads them. */
struct s2_visitor {
	bool (*table)(void *ctx, uint64_t pa);
	bool (*leaf)(void *ctx, uint64_t pa, uint64_t size, uint64_t desc);
	void *ctx;
};
/* False when a visitor returns false, a table is outside RAM, the tree has more than
 * `max_descs` descriptors (a tree whose tables share subtrees can be vast), or VTCR_EL2 is
 * not one walk_s2 supports. */
bool walk_s2_tree(struct cpu_pe *pe, uint64_t max_descs, const struct s2_visitor *v);

/* mem_checks.c: runs of a Realm PE without the memory hook */
/* Installs or removes the memory hook for the run about to start, as its regime requires. */
int pe_choose_mem_checks(struct cpu_pe *pe);
/* A run without it ended in a data abort: the hook goes in to watch the faulting instruction
 * again (see mem_checks.c), and out again by pe_replay_done. */
int pe_replay_with_mem_checks(struct cpu_pe *pe);
void pe_replay_done(struct cpu_pe *pe);
void pe_mem_checks_free(struct cpu_pe *pe);

/* trap.c */
void trap_fill(struct cpu_pe *pe, struct cpu_trap *t);
uint32_t pe_fetch_opcode(struct cpu_pe *pe, uint64_t pc, bool *ok);

#endif
