/* SPDX-License-Identifier: GPL-2.0-or-later */
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

#define MONITOR_MAX_RANGES 8

struct monitor_range {
	uint64_t base, size; /* granule-aligned */
};

/*
 * The platform EL3 sets up: SCR_EL3.GPF, and the memory map beyond plain DRAM. Secure-PAS
 * ranges lie inside RAM and get GPI SECURE at boot, as TF-A's PAS regions program the GPT
 * (the host cannot touch them, RMI_GRANULE_DELEGATE fails `gran_gpt`, the RMM's NS accesses
 * fail `*_pas`); device (MMIO) ranges lie outside RAM and are never delegable (`*_bound`).
 */
struct monitor_config {
	bool scr_gpf; /* SCR_EL3.GPF: 1 = every GPF is a GPC exception to EL3 (default 0) */
	struct monitor_range secure[MONITOR_MAX_RANGES];
	unsigned nsecure;
	struct monitor_range device[MONITOR_MAX_RANGES];
	unsigned ndevice;
	/* The seed the platform's attestation keys are derived from (docs/attestation.md); ""
	 * gives the default one. */
	char attest_seed[64];
	/* A platform whose EL3 offers the RMM no attestation service: every token fails. */
	bool no_attestation;
};

enum monitor_config_fault {
	MONITOR_CONFIG_OK = 0,
	MONITOR_CONFIG_SECURE, /* a Secure-PAS range */
	MONITOR_CONFIG_DEVICE, /* a device range */
};

/*
 * Whether monitor_create accepts the memory map of `cfg` on RAM [ram_base, ram_base +
 * ram_size) with pa_bits-bit PAs and the GPT's Root carve-out from root_base to the end of
 * RAM (the RMM's carve-out goes right below it): Secure ranges in RAM and clear of both
 * carve-outs, device ranges outside RAM and below 2^pa_bits. Returns the kind of range at
 * fault with its index and why, or MONITOR_CONFIG_OK. Nothing is built.
 */
enum monitor_config_fault monitor_config_check(const struct monitor_config *cfg, uint64_t ram_base,
					       uint64_t ram_size, unsigned pa_bits,
					       uint64_t root_base, unsigned *index, char *why,
					       size_t len);

/* True when pa lies in one of the n ranges. */
bool monitor_range_contains(const struct monitor_range *r, unsigned n, uint64_t pa);

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
/* What remains of the budget is spent: the run ends at its next check (a debugger's kill). */
void monitor_halt(struct monitor *mon);
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
