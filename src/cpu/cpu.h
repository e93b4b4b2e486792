/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/cpu: the processing element (PE) and physical memory. The only layer that knows Unicorn;
 * no Unicorn type appears here.
 *
 * Model: one physical address space (RAM in a host buffer, sparse until touched) and one PE per
 * world that executes code: the Non-secure PE (the host, at NS-EL2) and the Realm PE (RECs, at
 * R-EL1 with stage 2 on). Root (EL3, the monitor) and R-EL2 (the RMM) are C code in the layers
 * above. Each PE sees physical memory through its world's access view, which src/gpt derives
 * from the GPT: an access the view denies never happens (no byte written, nothing read) and is
 * reported as a CPU_TRAP_GPF.
 *
 * PEs do not vector exceptions (docs/unicorn.md): every exception ends cpu_pe_run() with a
 * struct cpu_trap carrying the syndrome the architecture would have produced, and the layer
 * above (monitor, RMM) handles it.
 */
#ifndef CCA_CPU_H
#define CCA_CPU_H

#include "arch/arch.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpu_world {
	CPU_WORLD_NS = 0,
	CPU_WORLD_REALM = 1,
};
#define CPU_NUM_WORLDS 2

/* Access kinds, also used as permission masks of a view. */
#define CPU_ACCESS_READ  1U
#define CPU_ACCESS_WRITE 2U
#define CPU_ACCESS_FETCH 4U
#define CPU_ACCESS_ALL   7U

#define CPU_DEFAULT_RAM_BASE 0x80000000ULL

struct cpu_config {
	uint64_t ram_base; /* 0 = CPU_DEFAULT_RAM_BASE */
	uint64_t ram_size; /* 0 = default 64 MiB; a multiple of 4 KB */
	unsigned pa_bits;  /* 0 = default 40 */
	bool insn_hook;    /* install the per-instruction hook (tracing); off costs nothing */
	/* Virtual time (docs/realm-sdk.md, "Time"): the system counter ticks at cnt_hz and every
	 * instruction a PE retires takes 1/insn_hz seconds, so time follows execution, never the
	 * host's clock. 0 = defaults: 100 MHz (as Arm's FVP) and 1 GHz. */
	uint64_t cnt_hz, insn_hz;
};

struct cpu_machine;
struct cpu_pe;

/* RAM this layer models at most: its views and code maps take 4 bytes of host memory per
 * granule (64 MiB at this size), besides the sparse RAM itself. */
#define CPU_RAM_MAX (64ULL << 30)

/*
 * Whether cpu_machine_create can build `cfg` (defaults applied): RAM granule-aligned, at most
 * CPU_RAM_MAX, below the PA size minus the granule of the EL3 trampoline; PAs of 32 to 48
 * bits. Returns NULL, or why not (in `why`). Nothing is allocated.
 */
const char *cpu_config_check(const struct cpu_config *cfg, char *why, size_t len);
/* Replaces the zero (default) fields of ram_base, ram_size and pa_bits by their values. */
void cpu_config_resolve(struct cpu_config *cfg);

/* Returns 0, or -1 with a message on stderr. */
int cpu_machine_create(const struct cpu_config *cfg, struct cpu_machine **out);
void cpu_machine_destroy(struct cpu_machine *m);
/*
 * Returns machine m to the state cpu_machine_create(cfg) gives, without a new engine: RAM
 * zero again (only the granules written since, which it tracks), the views open, registers,
 * clock, probes, watchpoints and hooks as created. What the engines translated stays cached
 * where the code has not changed. Returns 0, or -1 (m unchanged) when cfg asks for another
 * shape (RAM, PA size, the instruction hook): then only a new machine will do. A run that
 * explores many host decisions (src/explore) pays for its engines once.
 */
int cpu_machine_reset(struct cpu_machine *m, const struct cpu_config *cfg);
/*
 * A hash of what the run since cpu_machine_mark (or the reset) has changed in the machine:
 * every granule of RAM written since, address and contents, and the clock. Two points of runs
 * from the same mark with equal hashes hold (up to collisions) the same memory and time: the
 * explorer's test for a state it has seen. Registers are not in it: the PEs' are reloaded
 * from contexts in memory at every entry.
 */
void cpu_machine_mark(struct cpu_machine *m);
uint64_t cpu_machine_state_hash(const struct cpu_machine *m);
uint64_t cpu_ram_base(const struct cpu_machine *m);
uint64_t cpu_ram_size(const struct cpu_machine *m);
unsigned cpu_pa_bits(const struct cpu_machine *m);

/*
 * Host pointer to physical [pa, pa + len), or NULL when that range is not all RAM. Unchecked:
 * only src/gpt uses it (GPT walks, and the PAS-tagged accessors every other C access goes
 * through).
 */
void *cpu_phys(struct cpu_machine *m, uint64_t pa, size_t len);
/* The same for reading only: what a read cannot change (translated code, the TLBs, what a
 * reset must zero) is left alone, so GPT walks and checked reads cost no TLB flush. */
const void *cpu_phys_read(struct cpu_machine *m, uint64_t pa, size_t len);
/* Whether [pa, pa + len) is RAM that nothing has written since the machine was created or
 * reset: all zero, so that writing zeros there would change nothing. */
bool cpu_phys_never_written(const struct cpu_machine *m, uint64_t pa, size_t len);

/* Sets what world `w`'s PE may do to the granules in [pa, pa + size) (CPU_ACCESS_* mask). */
void cpu_view_set(struct cpu_machine *m, enum cpu_world w, uint64_t pa, uint64_t size,
		  unsigned access);
unsigned cpu_view_get(const struct cpu_machine *m, enum cpu_world w, uint64_t pa);

/*
 * Architectural state of one execution context: what a REC saves and restores (it must fit in
 * a REC granule together with the RMM's REC attributes), and what the host PE holds.
 */
#define CPU_GIC_LRS 16 /* List Registers the modelled GICv3 CPU interface can have (ICH_LR<n>) */

struct cpu_context {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t sp_elx; /* SP_EL1 for an EL1 context, SP_EL2 for an EL2 context */
	uint64_t pc;
	uint64_t pstate; /* SPSR layout: M[3:0] = EL and SP selection, DAIF [9:6], NZCV [31:28] */
	/* EL1 system registers */
	uint64_t sctlr_el1, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, amair_el1, vbar_el1;
	uint64_t elr_el1, spsr_el1, esr_el1, far_el1, par_el1, contextidr_el1, cpacr_el1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, cntkctl_el1, afsr0_el1, afsr1_el1;
	/* EL2 controls under which an EL1 context runs (stage 2, traps, virtual MPIDR) */
	uint64_t hcr_el2, vtcr_el2, vttbr_el2, vmpidr_el2;
	/* The EL1 timers (CNTV_*, CNTP_* CTL and CVAL; CNTVOFF is 0) and the GICv3 virtual CPU
	 * interface an EL1 context sees: ICH_HCR_EL2, ICH_VMCR_EL2 and the List Registers,
	 * ICH_LR<n>_EL2 (cpu/timer_gic.c). */
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint64_t ich_hcr, ich_vmcr;
	uint64_t ich_lr[CPU_GIC_LRS];
};

enum cpu_trap_kind {
	CPU_TRAP_NONE = 0,
	CPU_TRAP_SMC,         /* SMC taken to EL3 (from EL2, or EL1 without HCR_EL2.TSC) */
	CPU_TRAP_SMC_TRAPPED, /* SMC at EL1 trapped to EL2 by HCR_EL2.TSC */
	CPU_TRAP_HVC,
	CPU_TRAP_SVC,
	CPU_TRAP_UNDEF,
	CPU_TRAP_IABT,   /* instruction abort (stage 1 or stage 2) */
	CPU_TRAP_DABT,   /* data abort (stage 1 or stage 2) */
	CPU_TRAP_GPF,    /* access denied by the world's view: granule protection fault */
	CPU_TRAP_BUDGET, /* the run's instruction budget ran out */
	CPU_TRAP_ERROR,  /* the emulator failed in a way not modelled above */
	CPU_TRAP_IRQ,    /* a physical interrupt to EL2: an EL1 timer's, or the host's */
	CPU_TRAP_VIRQ,   /* a virtual IRQ is pending and unmasked: to be taken at EL1 now */
	CPU_TRAP_WFX,    /* WFI/WFE at EL1 trapped to EL2 (HCR_EL2.TWI/TWE); return_pc after it */
	CPU_TRAP_IDLE,   /* WFI with nothing that can ever wake the PE; return_pc after it */
};

struct cpu_trap {
	enum cpu_trap_kind kind;
	unsigned from_el;   /* EL the PE was executing at */
	unsigned to_el;     /* EL the exception is architecturally taken to */
	uint64_t esr;       /* syndrome as ESR_ELx(to_el) would hold it */
	uint64_t far;       /* faulting virtual address (aborts, GPF) */
	uint64_t hpfar;     /* stage-2 faults: IPA[51:12] in bits [43:4] */
	uint64_t pc;        /* address of the instruction that trapped */
	uint64_t return_pc; /* preferred return address (ELR): next insn for SMC/HVC/SVC */
	uint64_t pa;        /* GPF: physical address of the denied access */
	unsigned access;    /* aborts and GPF: CPU_ACCESS_* of the access */
	bool s2;            /* abort raised by stage 2 translation */
	unsigned s1_level;  /* stage-2 aborts: the level of the stage-1 descriptor that gave the
			     * IPA, 0 when stage 1 is off (what the RMM needs for a stage-1
			     * Address Size Fault, which a real RMM would walk stage 1 for) */
	uint64_t insns;     /* instructions executed (retired) by this run */
};

/*
 * What one run costs against an instruction budget: the instructions it retired, plus one for
 * entering the PE (the ERET into it) and one for the exception that ended it. A run that
 * retires nothing (an exception on the first instruction, an abort at a vector) still costs,
 * so a budget bounds every loop of entries and exceptions, not only loops of instructions.
 */
#define CPU_RUN_ENTRY_COST 2U
static inline uint64_t cpu_trap_cost(const struct cpu_trap *t)
{
	return t->insns + CPU_RUN_ENTRY_COST;
}

struct cpu_pe *cpu_pe(struct cpu_machine *m, enum cpu_world w);
enum cpu_world cpu_pe_world(const struct cpu_pe *pe);

/* Enters exception level `el` (1 or 2, SP_ELx) at `pc` the way hardware does, by an ERET from
 * EL3, never by a PSTATE write. Returns 0 or -1. */
int cpu_pe_enter_el(struct cpu_pe *pe, unsigned el, uint64_t pc);
unsigned cpu_pe_current_el(struct cpu_pe *pe);

/* Whole-context switch: loads or saves everything in struct cpu_context. Loading a context whose
 * pstate names another EL enters that EL as cpu_pe_enter_el does. */
int cpu_pe_load(struct cpu_pe *pe, const struct cpu_context *ctx);
void cpu_pe_save(struct cpu_pe *pe, struct cpu_context *ctx);

/* Cheap access to X0-X30 (n = 0..30) for passing SMC arguments and results. */
uint64_t cpu_pe_get_x(struct cpu_pe *pe, unsigned n);
void cpu_pe_set_x(struct cpu_pe *pe, unsigned n, uint64_t v);
void cpu_pe_get_xs(struct cpu_pe *pe, uint64_t *x, unsigned n);       /* X0..X(n-1) */
void cpu_pe_set_xs(struct cpu_pe *pe, const uint64_t *x, unsigned n); /* X0..X(n-1) */

/* System registers by their MRS/MSR encoding (op0, op1, CRn, CRm, op2). */
#define CPU_SYSREG(op0, op1, crn, crm, op2)                                                        \
	(((uint32_t)(op0) << 16) | ((uint32_t)(op1) << 12) | ((uint32_t)(crn) << 8) |              \
	 ((uint32_t)(crm) << 4) | (uint32_t)(op2))
#define CPU_SCTLR_EL2  CPU_SYSREG(3, 4, 1, 0, 0)
#define CPU_HCR_EL2    CPU_SYSREG(3, 4, 1, 1, 0)
#define CPU_VMPIDR_EL2 CPU_SYSREG(3, 4, 0, 0, 5)
#define CPU_VTCR_EL2   CPU_SYSREG(3, 4, 2, 1, 2)
#define CPU_VTTBR_EL2  CPU_SYSREG(3, 4, 2, 1, 0)
#define CPU_VBAR_EL2   CPU_SYSREG(3, 4, 12, 0, 0)
#define CPU_SCR_EL3    CPU_SYSREG(3, 6, 1, 1, 0)
uint64_t cpu_pe_get_sysreg(struct cpu_pe *pe, uint32_t sysreg);
void cpu_pe_set_sysreg(struct cpu_pe *pe, uint32_t sysreg, uint64_t v);

/*
 * Runs the PE from `pc` until it traps or `budget` instructions have executed (0 = no limit).
 * Returns 0 with *trap filled in; the PE's registers are left as the trap found them (PC at
 * the trapping instruction for aborts/UNDEF/trapped SMC, after it for SMC/HVC/SVC); resume by
 * running again from the address the handler chooses.
 */
int cpu_pe_run(struct cpu_pe *pe, uint64_t pc, uint64_t budget, struct cpu_trap *trap);
/* Whether the PE's last run checked each load and store against the view as it happened
 * (false: a Realm PE whose stage 2 proved every access allowed, src/cpu/mem_checks.c). */
bool cpu_pe_mem_checked(const struct cpu_pe *pe);

/* Virtual time: the system counter now, and letting time pass until it reads `count` (a
 * host that blocks a vCPU in WFI until its timer is due); nothing when it already does. */
uint64_t cpu_machine_counter(const struct cpu_machine *m);
void cpu_machine_wait_until(struct cpu_machine *m, uint64_t count);
/* A physical interrupt of the host's (a device's, for an interrupt it will inject) is raised
 * when the counter reaches `count`, UINT64_MAX for none: a realm running then, or waiting in
 * WFI, traps to EL2 (CPU_TRAP_IRQ), as the interrupt would make it on hardware. It stays
 * raised until the host sets another time. */
void cpu_machine_set_host_irq(struct cpu_machine *m, uint64_t count);

/*
 * Per-instruction observation (only when cpu_config.insn_hook), of three kinds:
 *  - CPU_INSN_EXEC: an instruction, delivered after it executed, with the general-purpose
 *    registers it changed and the memory accesses it made (in program order; a denied access
 *    is not one: the instruction did not complete);
 *  - CPU_INSN_EXCEPTION: the exception that ended a run (pc = the instruction it concerns,
 *    return_pc = the preferred return address, esr, to_el, trap kind), after the instruction;
 *  - CPU_INSN_RESUME: a thread starts running again at pc, with the registers its context
 *    brings that differ from those it had when it last stopped (for a first run: from zero),
 *    which are what the EL2/EL3 C code wrote into it, the X0 result of a call for instance.
 */
enum cpu_insn_kind { CPU_INSN_EXEC, CPU_INSN_EXCEPTION, CPU_INSN_RESUME };

#define CPU_INSN_MAX_MEM 8 /* accesses reported per instruction (an LDP of two is 2) */

struct cpu_insn_mem {
	bool write;
	unsigned size;      /* bytes, 1..16 */
	uint64_t va, pa;    /* the PA is what the PE's own translation gave */
	enum cpu_world pas; /* the physical address space of pa */
	uint8_t data[16];   /* as in memory (little-endian): read or written */
};

struct cpu_insn {
	enum cpu_insn_kind kind;
	enum cpu_world world;
	uint64_t thread_tag; /* which thread ran it (cpu_pe_thread_tag) */
	unsigned el;
	uint64_t pc;
	uint32_t opcode;
	unsigned nchanged;
	struct {
		unsigned reg; /* 0..30 = Xn, 31 = SP, 32 = NZCV */
		uint64_t value;
	} changed[33];
	unsigned nmem;
	struct cpu_insn_mem mem[CPU_INSN_MAX_MEM];
	/* CPU_INSN_EXCEPTION only */
	enum cpu_trap_kind trap;
	unsigned to_el;
	uint64_t esr, return_pc;
};
typedef void (*cpu_insn_fn)(void *ctx, const struct cpu_insn *insn);
void cpu_machine_set_insn_hook(struct cpu_machine *m, cpu_insn_fn fn, void *ctx);

/*
 * Probes: call `fn` with the live context each time world `w`'s PE is about to execute the
 * instruction at virtual address `va`, without stopping it or changing anything (not when the
 * instruction is not executed: the budget ran out, its fetch is denied). The scenario layer
 * uses them to check an op's results and `check_regs`. They are looked up by address before
 * each instruction, at the same cost whatever their number, and may be added at any time.
 * Adding the same (va, fn, ctx) twice adds it once. Returns 0 or -1 (out of memory).
 */
typedef void (*cpu_probe_fn)(void *ctx, struct cpu_pe *pe, uint64_t va);
int cpu_machine_add_probe(struct cpu_machine *m, enum cpu_world w, uint64_t va, cpu_probe_fn fn,
			  void *ctx);

/* Removes a probe added with (va, fn, ctx); nothing when there is none. */
void cpu_machine_remove_probe(struct cpu_machine *m, enum cpu_world w, uint64_t va, cpu_probe_fn fn,
			      void *ctx);

/*
 * Debugging (src/debug drives it): a debugger stops a PE by being called from a probe (a
 * breakpoint) or a step, before an instruction executes, and the PE goes on when it returns;
 * meanwhile it may read and write registers (but the PC) and memory. A thread is what runs on
 * a PE: the host on the NS PE (tag 0), a REC on the Realm PE, tagged by its realm's VMID and
 * its MPIDR (cpu_thread_tag) from the context loaded.
 *
 * cpu_machine_step calls fn once, before the next instruction of thread (w, tag) but one when
 * `current` (the thread is stopped in a probe or step now: the instruction it is at executes
 * first), else before its next instruction. cpu_machine_step_cancel drops a pending step.
 */
uint64_t cpu_thread_tag(uint64_t vttbr_el2, uint64_t vmpidr_el2);
/* The VMID and the MPIDR (Aff3..Aff0, in MPIDR_EL1's layout) a thread tag was made from. */
uint64_t cpu_thread_vmid(uint64_t tag);
uint64_t cpu_thread_mpidr(uint64_t tag);
uint64_t cpu_pe_thread_tag(const struct cpu_pe *pe);
void cpu_machine_step(struct cpu_machine *m, enum cpu_world w, uint64_t tag, bool current,
		      cpu_probe_fn fn, void *ctx);
void cpu_machine_step_cancel(struct cpu_machine *m);
/*
 * Watchpoints: an access of `access` (CPU_ACCESS_READ, _WRITE or both) by any PE to bytes in
 * [va, va + len) stops the PE before the access completes: the instruction is undone, `fn` is
 * called with the PC at it and the accessed address, and the instruction then executes again
 * (a debugger removes the watchpoint first, as gdb does). At most CPU_MAX_WATCHES; add returns
 * 0 or -1.
 */
#define CPU_MAX_WATCHES 16
typedef void (*cpu_watch_fn)(void *ctx, struct cpu_pe *pe, uint64_t data_va, unsigned access);
void cpu_machine_set_watch_fn(struct cpu_machine *m, cpu_watch_fn fn, void *ctx);
int cpu_machine_add_watch(struct cpu_machine *m, uint64_t va, uint64_t len, unsigned access);
void cpu_machine_remove_watch(struct cpu_machine *m, uint64_t va, uint64_t len, unsigned access);
/* Ends pe's current run before its next instruction, as if its budget ran out. */
void cpu_pe_end_run(struct cpu_pe *pe);
/*
 * Reads or writes len bytes at virtual address va as thread `ctx` of world w would (its saved
 * context; NULL: the one on w's PE now), through its stage 1, stage 2 and the world's view,
 * without raising anything: returns how many bytes from va were accessible, 0..len. A write
 * drops the translated code it overwrites.
 */
size_t cpu_debug_read(struct cpu_machine *m, enum cpu_world w, const struct cpu_context *ctx,
		      uint64_t va, void *buf, size_t len);
size_t cpu_debug_write(struct cpu_machine *m, enum cpu_world w, const struct cpu_context *ctx,
		       uint64_t va, const void *buf, size_t len);

/* What a syndrome's exception class is, in words ("a data abort"), for reports. */
const char *cpu_esr_class_name(uint64_t esr);

/* Disassembles one instruction with capstone into buf ("mov x0, #1"); returns buf. */
const char *cpu_disasm(uint32_t opcode, uint64_t pc, char *buf, size_t len);

#endif
