/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/monitor: the EL3 state shared by the SMC router, world switch and platform. */
#ifndef CCA_MONITOR_PRIVATE_H
#define CCA_MONITOR_PRIVATE_H

#include "attest/attest.h"
#include "monitor/monitor.h"

/* The SCR_EL3 the RMMD programs for a lower world [ARM:D24.2.169] (0x730 plus the world's
 * {NSE, NS}): HCE, SIF and AArch64, what TF-A sets; the PE's own SCR_EL3 is cpu/el.c's. */
#define SCR_EL3_LOWER_WORLD (SCR_RES1 | SCR_HCE | SCR_SIF | SCR_RW)
#define SCR_FOR(ns)                                                                                \
	((ns) ? (SCR_EL3_LOWER_WORLD | SCR_NS) : (SCR_EL3_LOWER_WORLD | SCR_NSE | SCR_NS))

struct monitor {
	struct cpu_machine *m;
	struct gpt *g;
	struct trace *t;
	struct monitor_config cfg;
	monitor_rmi_fn rmm_fn;
	void *rmm_ctx;
	enum gpt_pas world; /* security state of the PE now: NS, or REALM while the RMM runs */
	uint64_t scr_el3;
	uint64_t rmm_base, rmm_size; /* the RMM carve-out */
	struct rmm_platform plat;
	struct rmm *rmm;              /* booted by monitor_boot_rmm, owned */
	struct rmm_features features; /* the platform's, resolved: what its ID registers show */
	/* The whole run's budget (0 = none) and what has been spent of it (cpu_trap_cost of every
	 * PE run); instructions retired and exceptions taken are also counted for reports. */
	uint64_t insn_budget, spent, insns, exceptions;
	/* The CPAK, derived from the seed when the RMM first asks for a platform token. */
	bool have_cpak;
	struct attest_key cpak;
};

/* Instructions a run may still execute under the whole-run budget, combined with the
 * caller's own `budget` (0 = no limit for both). */
uint64_t monitor_run_budget(const struct monitor *mon, uint64_t budget);
/* Charges a finished PE run to the whole-run budget. */
void monitor_charge(struct monitor *mon, const struct cpu_trap *trap);

void monitor_world_switch(struct monitor *mon, enum gpt_pas to);
void monitor_platform_init(struct monitor *mon);
void monitor_report_gpf(struct monitor *mon, enum gpt_pas world, const struct cpu_trap *trap);
void monitor_route_gpf(struct monitor *mon, enum gpt_pas world, struct cpu_trap *trap);
const char *monitor_world_name(enum gpt_pas world);

#endif
