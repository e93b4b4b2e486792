/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running the host PE under EL3, and routing granule protection faults (Arm ARM D1.4.5.3):
 * with SCR_EL3.GPF = 0 a GPF is reported to the EL of the access as an
 * abort with the GPF fault status code; with SCR_EL3.GPF = 1, and always for GPT walk,
 * address-size and external-abort faults, it is a GPC exception taken to EL3.
 */
#include "monitor_private.h"

#include "abi/abi.h"

#include <string.h>

/* ESR_EL3.ISS.GPCSC [19:14] for a GPC exception */
static uint64_t gpcsc(const struct gpt_result *r)
{
	unsigned lvl = r->level ? 1 : 0;
	switch (r->fault) {
	case GPT_FAULT_ADDR_SIZE:
		return 0x00;
	case GPT_FAULT_WALK:
		return 0x04 | lvl;
	case GPT_FAULT_EABT:
		return 0x14 | lvl;
	case GPT_FAULT_GPF:
	case GPT_OK:
		break;
	}
	return 0x0C | lvl;
}

static void route_gpf(struct monitor *mon, enum gpt_pas world, struct cpu_trap *trap)
{
	struct gpt_result r = gpt_check(mon->g, trap->pa, world);
	bool fetch = trap->access == CPU_ACCESS_FETCH;
	bool write = trap->access == CPU_ACCESS_WRITE;

	if (mon->cfg.scr_gpf || r.fault != GPT_FAULT_GPF) {
		trap->to_el = 3;
		trap->esr = ((uint64_t)ESR_EC_GPC << ESR_EC_SHIFT) | ESR_IL | (gpcsc(&r) << 14) |
			    (fetch ? (1ULL << 20) : 0) | (write ? ESR_DABT_WNR : 0) | ESR_FSC_GPF;
		return;
	}
	/* HCR_EL2.GPF is 0 in both worlds, so the abort goes to the EL of the access. */
	unsigned el = trap->from_el ? trap->from_el : 1;
	unsigned ec = fetch ? ESR_EC_IABT_CUR : ESR_EC_DABT_CUR;
	trap->to_el = el;
	trap->esr =
	    ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | (write ? ESR_DABT_WNR : 0) | ESR_FSC_GPF;
}

void monitor_route_gpf(struct monitor *mon, enum gpt_pas world, struct cpu_trap *trap)
{
	route_gpf(mon, world, trap);
	monitor_report_gpf(mon, world, trap);
}

int monitor_run_ns(struct monitor *mon, uint64_t pc, uint64_t budget, struct cpu_trap *trap)
{
	struct cpu_pe *ns = cpu_pe(mon->m, CPU_WORLD_NS);
	uint64_t used = 0;

	for (;;) {
		uint64_t left = monitor_run_budget(mon, budget ? budget - used : 0);
		if (monitor_budget_exhausted(mon)) {
			memset(trap, 0, sizeof(*trap));
			trap->kind = CPU_TRAP_BUDGET;
			trap->insns = used;
			return 0;
		}
		if (cpu_pe_run(ns, pc, left, trap) != 0) {
			return -1;
		}
		used += trap->insns;
		monitor_charge(mon, trap);
		trap->insns = used;
		if (trap->kind == CPU_TRAP_GPF) {
			monitor_route_gpf(mon, GPT_PAS_NS, trap);
			return 0;
		}
		if (trap->kind != CPU_TRAP_SMC) {
			return 0;
		}
		uint64_t regs[MONITOR_SMC_REGS];
		cpu_pe_get_xs(ns, regs, MONITOR_SMC_REGS);
		monitor_smc(mon, GPT_PAS_NS, regs);
		cpu_pe_set_xs(ns, regs, 8); /* the RMMD returns X0-X7 */
		pc = trap->return_pc;
		if (budget && used >= budget) {
			trap->kind = CPU_TRAP_BUDGET;
			return 0;
		}
	}
}
