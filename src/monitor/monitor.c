/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EL3: SMC routing and the world switch. The PE's security state changes only here, and only
 * on an SMC (NS -> Realm for an RMI call; Realm -> NS when the RMM completes it, the model of
 * RMM_RMI_REQ_COMPLETE). Each world keeps its own EL2 state in its own PE, which is what the
 * RMMD's per-world context save/restore achieves; X0-X7 cross as the RMMD passes them.
 */
#include "monitor_private.h"

#include "abi/abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *monitor_world_name(enum gpt_pas world)
{
	switch (world) {
	case GPT_PAS_NS:
		return "NS";
	case GPT_PAS_REALM:
		return "REALM";
	case GPT_PAS_ROOT:
		return "ROOT";
	case GPT_PAS_SECURE:
		return "SECURE";
	}
	return "UNKNOWN";
}

bool monitor_range_contains(const struct monitor_range *r, unsigned n, uint64_t pa)
{
	for (unsigned i = 0; i < n; i++) {
		if (pa >= r[i].base && pa - r[i].base < r[i].size) {
			return true;
		}
	}
	return false;
}

static bool overlaps(uint64_t base, uint64_t size, uint64_t b2, uint64_t s2)
{
	return base < b2 + s2 && b2 < base + size;
}

enum monitor_config_fault monitor_config_check(const struct monitor_config *cfg, uint64_t ram_base,
					       uint64_t ram_size, unsigned pa_bits,
					       uint64_t root_base, unsigned *index, char *why,
					       size_t len)
{
	uint64_t ram_end = ram_base + ram_size;
	uint64_t firmware = root_base - MONITOR_RMM_CARVEOUT_SIZE;

	for (unsigned i = 0; i < cfg->nsecure && i < MONITOR_MAX_RANGES; i++) {
		const struct monitor_range *r = &cfg->secure[i];
		*index = i;
		if (r->size == 0 || ((r->base | r->size) & GRANULE_MASK) || r->base < ram_base ||
		    r->base > ram_end || r->size > ram_end - r->base) {
			snprintf(why, len,
				 "Secure range 0x%llx+0x%llx is not in RAM [0x%llx, 0x%llx): the "
				 "Secure PAS is carved out of DRAM",
				 (unsigned long long)r->base, (unsigned long long)r->size,
				 (unsigned long long)ram_base, (unsigned long long)ram_end);
			return MONITOR_CONFIG_SECURE;
		}
		if (overlaps(r->base, r->size, firmware, ram_end - firmware)) {
			snprintf(why, len,
				 "Secure range 0x%llx+0x%llx overlaps the RMM's and the GPT's Root "
				 "carve-outs [0x%llx, 0x%llx)",
				 (unsigned long long)r->base, (unsigned long long)r->size,
				 (unsigned long long)firmware, (unsigned long long)ram_end);
			return MONITOR_CONFIG_SECURE;
		}
	}
	for (unsigned i = 0; i < cfg->ndevice && i < MONITOR_MAX_RANGES; i++) {
		const struct monitor_range *r = &cfg->device[i];
		*index = i;
		if (r->size == 0 || ((r->base | r->size) & GRANULE_MASK) ||
		    overlaps(r->base, r->size, ram_base, ram_size) || pa_bits >= 64 ||
		    r->base > (1ULL << pa_bits) || r->size > (1ULL << pa_bits) - r->base) {
			snprintf(why, len,
				 "device range 0x%llx+0x%llx must lie outside RAM [0x%llx, 0x%llx) "
				 "and below 2^%u",
				 (unsigned long long)r->base, (unsigned long long)r->size,
				 (unsigned long long)ram_base, (unsigned long long)ram_end,
				 pa_bits);
			return MONITOR_CONFIG_DEVICE;
		}
	}
	return MONITOR_CONFIG_OK;
}

/* Boot: Secure-PAS ranges (in RAM, clear of the firmware carve-outs) get GPI SECURE; device
 * ranges must lie outside RAM and inside the PA space (monitor_config_check). */
static int map_platform_ranges(struct monitor *mon)
{
	const struct monitor_config *c = &mon->cfg;
	unsigned index;
	char why[200];

	if (c->nsecure > MONITOR_MAX_RANGES || c->ndevice > MONITOR_MAX_RANGES) {
		return -1;
	}
	if (monitor_config_check(c, cpu_ram_base(mon->m), cpu_ram_size(mon->m), cpu_pa_bits(mon->m),
				 gpt_root_base(mon->g), &index, why,
				 sizeof(why)) != MONITOR_CONFIG_OK) {
		fprintf(stderr, "cca-sim: error: %s\n", why);
		return -1;
	}
	for (unsigned i = 0; i < c->nsecure; i++) {
		const struct monitor_range *r = &c->secure[i];
		if (gpt_set_gpi_range(mon->g, r->base, r->size, GPI_SECURE) != 0) {
			return -1;
		}
	}
	return 0;
}

int monitor_create(struct cpu_machine *m, struct gpt *g, struct trace *t,
		   const struct monitor_config *cfg, struct monitor **out)
{
	struct monitor *mon = calloc(1, sizeof(*mon));
	if (!mon) {
		return -1;
	}
	mon->m = m;
	mon->g = g;
	mon->t = t;
	if (cfg) {
		mon->cfg = *cfg;
	}
	mon->world = GPT_PAS_NS;
	rmm_features_resolve(&mon->features, cpu_pa_bits(m)); /* until an RMM boots with its own */
	mon->scr_el3 = SCR_FOR(true) | (mon->cfg.scr_gpf ? SCR_GPF : 0);

	/* Boot: the RMM's carve-out sits just below the GPT's Root carve-out and is Realm PAS
	 * from the start, like the RMM image TF-A loads before the first world switch. */
	mon->rmm_size = MONITOR_RMM_CARVEOUT_SIZE;
	mon->rmm_base = gpt_root_base(g) - mon->rmm_size;
	if (mon->rmm_base < cpu_ram_base(m)) {
		fprintf(stderr, "cca-sim: error: RAM too small for the RMM carve-out\n");
		free(mon);
		return -1;
	}
	if (gpt_set_gpi_range(g, mon->rmm_base, mon->rmm_size, GPI_REALM) != 0) {
		free(mon);
		return -1;
	}
	if (map_platform_ranges(mon) != 0) {
		free(mon);
		return -1;
	}
	/* The host PE runs at NS-EL2 under SCR_EL3.{NSE,NS} = {0,1}. */
	struct cpu_pe *ns = cpu_pe(m, CPU_WORLD_NS);
	cpu_pe_set_sysreg(ns, CPU_SCR_EL3, SCR_FOR(true));
	monitor_platform_init(mon);
	*out = mon;
	return 0;
}

void monitor_destroy(struct monitor *mon)
{
	if (mon) {
		rmm_destroy(mon->rmm);
	}
	free(mon);
}

int monitor_boot_rmm(struct monitor *mon, const struct rmm_config *cfg)
{
	mon->features = cfg->features;
	rmm_features_resolve(&mon->features, cpu_pa_bits(mon->m));
	if (rmm_create(&mon->plat, cfg, mon->t, &mon->rmm) != 0) {
		return -1;
	}
	monitor_set_rmm(mon, rmm_handle_rmi, mon->rmm);
	return 0;
}

struct rmm *monitor_rmm(struct monitor *mon)
{
	return mon->rmm;
}

void monitor_set_insn_budget(struct monitor *mon, uint64_t insns)
{
	mon->insn_budget = insns;
}

uint64_t monitor_insns(const struct monitor *mon)
{
	return mon->insns;
}

uint64_t monitor_exceptions(const struct monitor *mon)
{
	return mon->exceptions;
}

void monitor_halt(struct monitor *mon)
{
	mon->insn_budget = mon->spent ? mon->spent : 1;
}

bool monitor_budget_exhausted(const struct monitor *mon)
{
	return mon->insn_budget && mon->spent >= mon->insn_budget;
}

uint64_t monitor_run_budget(const struct monitor *mon, uint64_t budget)
{
	if (!mon->insn_budget) {
		return budget;
	}
	uint64_t left = mon->spent < mon->insn_budget ? mon->insn_budget - mon->spent : 0;
	return (budget && budget < left) ? budget : left;
}

void monitor_charge(struct monitor *mon, const struct cpu_trap *trap)
{
	mon->insns += trap->insns;
	mon->spent += cpu_trap_cost(trap);
	if (trap->kind != CPU_TRAP_BUDGET) {
		mon->exceptions++;
	}
}

void monitor_set_rmm(struct monitor *mon, monitor_rmi_fn fn, void *ctx)
{
	mon->rmm_fn = fn;
	mon->rmm_ctx = ctx;
}

uint64_t monitor_scr_el3(const struct monitor *mon)
{
	return mon->scr_el3;
}

enum gpt_pas monitor_current_world(const struct monitor *mon)
{
	return mon->world;
}

void monitor_world_switch(struct monitor *mon, enum gpt_pas to)
{
	struct trace_event *ev = trace_begin(mon->t, TE_world_switch);
	trace_name(ev, "from", monitor_world_name(mon->world));
	trace_name(ev, "to", monitor_world_name(to));
	trace_end(mon->t, ev);
	mon->world = to;
	mon->scr_el3 = SCR_FOR(to == GPT_PAS_NS) | (mon->cfg.scr_gpf ? SCR_GPF : 0);
}

static void trace_smc(struct monitor *mon, enum gpt_pas world, unsigned el, const uint64_t *regs,
		      uint64_t result)
{
	struct trace_event *ev = trace_begin(mon->t, TE_smc);
	trace_name(ev, "world", monitor_world_name(world));
	trace_int(ev, "el", el);
	trace_hex(ev, "fid", regs[0]);
	trace_hexlist(ev, "args", regs + 1, 6);
	trace_hex(ev, "result", result);
	trace_end(mon->t, ev);
}

static bool is_rmi(uint64_t fid)
{
	fid &= ~SMCCC_SVE_HINT;
	return fid >= RMI_FID_FIRST && fid <= RMI_FID_LAST;
}

/* An RMI call from the host: switch to the Realm world, let the RMM run, switch back with
 * the RMM's X0.. as the host's X0.. (the RMMD copies the RMM's X1..X8 of its REQ_COMPLETE). */
static void route_rmi(struct monitor *mon, uint64_t regs[MONITOR_SMC_REGS])
{
	if (!mon->rmm_fn) {
		memset(regs, 0, MONITOR_SMC_REGS * sizeof(uint64_t));
		regs[0] = SMCCC_NOT_SUPPORTED;
		return;
	}
	monitor_world_switch(mon, GPT_PAS_REALM);
	mon->rmm_fn(mon->rmm_ctx, regs);
	monitor_world_switch(mon, GPT_PAS_NS);
}

static void gtsi(struct monitor *mon, enum gpt_pas world, uint64_t regs[MONITOR_SMC_REGS])
{
	uint64_t fid = regs[0];
	/* GTSI is the RMM's service: from any other world it does not exist (TF-A's
	 * SMC_FROM_REALM check), so the caller sees SMC_UNK and the GPT is untouched. */
	if (world != GPT_PAS_REALM) {
		regs[0] = E_RMM_UNK;
		return;
	}
	regs[0] = fid == RMM_GTSI_DELEGATE ? gpt_delegate(mon->g, regs[1])
					   : gpt_undelegate(mon->g, regs[1]);
}

void monitor_smc(struct monitor *mon, enum gpt_pas world, uint64_t regs[MONITOR_SMC_REGS])
{
	uint64_t call[MONITOR_SMC_REGS];
	uint64_t fid = regs[0];
	unsigned el = 2;

	memcpy(call, regs, sizeof(call));
	if (world == GPT_PAS_NS && is_rmi(fid)) {
		trace_smc(mon, world, el, call, 0);
		route_rmi(mon, regs);
		return;
	}
	if (fid == RMM_GTSI_DELEGATE || fid == RMM_GTSI_UNDELEGATE) {
		gtsi(mon, world, regs);
	} else {
		/* Nothing else is implemented at EL3 (no PSCI for the host, no attestation). */
		regs[0] = SMCCC_NOT_SUPPORTED;
	}
	trace_smc(mon, world, el, call, regs[0]);
}

void monitor_report_gpf(struct monitor *mon, enum gpt_pas world, const struct cpu_trap *trap)
{
	struct gpt_result r = gpt_check(mon->g, trap->pa, world);
	struct trace_event *ev = trace_begin(mon->t, TE_gpf);
	trace_name(ev, "world", monitor_world_name(world));
	trace_int(ev, "el", trap->from_el);
	trace_hex(ev, "pa", trap->pa);
	trace_name(ev, "access",
		   trap->access == CPU_ACCESS_WRITE   ? "write"
		   : trap->access == CPU_ACCESS_FETCH ? "fetch"
						      : "read");
	trace_name(ev, "pas", monitor_world_name(world));
	trace_name(ev, "gpi", gpt_gpi_name(r.gpi));
	trace_int(ev, "level", r.level);
	trace_end(mon->t, ev);
}
