/*
 * src/monitor: EL3, the Root world. It owns the world switch between the Non-secure PE (host
 * at NS-EL2) and the Realm world (the RMM at R-EL2 and its RECs at R-EL1), routes every SMC
 * by its function ID and the world it came from (RMI from NS -> RMM and the result back; GTSI
 * only from Realm), routes granule protection faults per SCR_EL3.GPF, and provides the RMM's
 * platform interface on the real machine (src/cpu + src/gpt).
 */
#ifndef CCA_MONITOR_H
#define CCA_MONITOR_H

#include "cpu/cpu.h"
#include "gpt/gpt.h"
#include "rmm/rmm.h"
#include "trace/trace.h"

#include <stdbool.h>
#include <stdint.h>

/* SMCCC 1.2 passes X0-X17; the RMI uses at most X0-X10 in either direction. */
#define MONITOR_SMC_REGS 18

/* The RMM's carve-out (Realm GPI from boot, never delegable), right below the GPT's Root one. */
#define MONITOR_RMM_CARVEOUT_SIZE (1ULL << 20)

struct monitor_config {
	bool scr_gpf; /* SCR_EL3.GPF: 1 = every GPF is a GPC exception to EL3 (default 0) */
};

/* What the RMM does with an RMI call routed to it: regs[0..17] in (X0 = FID), out. */
typedef void (*monitor_rmi_fn)(void *ctx, uint64_t regs[MONITOR_SMC_REGS]);

struct monitor;

int monitor_create(struct cpu_machine *m, struct gpt *g, struct trace *t,
		   const struct monitor_config *cfg, struct monitor **out);
void monitor_destroy(struct monitor *mon);

/* Boots the RMM (rmm_create on this machine's platform) and installs it as the RMI handler;
 * the monitor owns it from then on. Returns 0 or -1. */
int monitor_boot_rmm(struct monitor *mon, const struct rmm_config *cfg);
struct rmm *monitor_rmm(struct monitor *mon);

/*
 * Instruction budget of the whole run, counted over both PEs (0 = none): every instruction
 * retired, and every entry into a PE and exception taken from it (cpu_trap_cost), so that a
 * realm looping on exceptions without retiring anything spends it too. Once it is spent,
 * every run ends with CPU_TRAP_BUDGET: a runaway realm stops inside RMI_REC_ENTER and the
 * host's next run stops at once. monitor_insns and monitor_exceptions count instructions
 * retired and exceptions taken so far.
 */
void monitor_set_insn_budget(struct monitor *mon, uint64_t insns);
uint64_t monitor_insns(const struct monitor *mon);
uint64_t monitor_exceptions(const struct monitor *mon);
bool monitor_budget_exhausted(const struct monitor *mon);

/* Installs the RMM's RMI entry point (called in the Realm world, after the world switch). */
void monitor_set_rmm(struct monitor *mon, monitor_rmi_fn fn, void *ctx);

/* The RMM's platform interface on this machine (Realm/NS accessors, GTSI SMCs, Realm PE). */
const struct rmm_platform *monitor_rmm_platform(struct monitor *mon);

/*
 * Runs the NS PE (the host, at NS-EL2) from `pc`. EL3 handles every SMC it executes and
 * resumes it after the SMC; the run ends with the first trap EL3 does not take: HVC, SVC,
 * UNDEF, an abort (a GPF is one, per SCR_EL3.GPF, after a "gpf" event), or the budget.
 * Returns 0 or -1 on an emulator error.
 */
int monitor_run_ns(struct monitor *mon, uint64_t pc, uint64_t budget, struct cpu_trap *trap);

/* EL3's SMC handler for a call from `world` (exposed for tests and the Realm's GTSI calls). */
void monitor_smc(struct monitor *mon, enum gpt_pas world, uint64_t regs[MONITOR_SMC_REGS]);

/* SCR_EL3 as EL3 last programmed it for the world now running ({NSE, NS}, RW, HCE, SMD...). */
uint64_t monitor_scr_el3(const struct monitor *mon);
enum gpt_pas monitor_current_world(const struct monitor *mon);

#endif
