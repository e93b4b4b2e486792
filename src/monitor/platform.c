/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RMM's platform interface on the emulated machine: the RMM's memory accesses go through
 * the GPT-checked PAS accessors (Realm for its own state, NS for what the host supplies), its
 * GTSI calls are SMCs to EL3 from the Realm world, and a REC runs on the Realm PE.
 */
#include "monitor_private.h"

#include "abi/abi.h"

#include <string.h>

static int realm_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	struct monitor *mon = ctx;
	return gpt_read(mon->g, GPT_PAS_REALM, pa, buf, len, NULL);
}

static int realm_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	struct monitor *mon = ctx;
	return gpt_write(mon->g, GPT_PAS_REALM, pa, buf, len, NULL);
}

static int ns_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	struct monitor *mon = ctx;
	return gpt_read(mon->g, GPT_PAS_NS, pa, buf, len, NULL);
}

static int ns_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	struct monitor *mon = ctx;
	return gpt_write(mon->g, GPT_PAS_NS, pa, buf, len, NULL);
}

/* Delegable DRAM is all RAM below the RMM and Root carve-outs, Secure ranges included (their
 * GPT entry decides: gran_gpt, *_pas); device memory never is. */
static bool pa_delegable(void *ctx, uint64_t pa)
{
	struct monitor *mon = ctx;
	if (monitor_range_contains(mon->cfg.device, mon->cfg.ndevice, pa)) {
		return false;
	}
	return pa >= cpu_ram_base(mon->m) && pa < mon->rmm_base;
}

static uint64_t gtsi_call(struct monitor *mon, uint64_t fid, uint64_t pa)
{
	uint64_t regs[MONITOR_SMC_REGS] = {fid, pa};
	monitor_smc(mon, mon->world, regs);
	return regs[0];
}

static uint64_t gtsi_delegate(void *ctx, uint64_t pa)
{
	return gtsi_call(ctx, RMM_GTSI_DELEGATE, pa);
}

static uint64_t gtsi_undelegate(void *ctx, uint64_t pa)
{
	return gtsi_call(ctx, RMM_GTSI_UNDELEGATE, pa);
}

static int run_rec(void *ctx, struct cpu_context *rec, uint64_t budget, struct cpu_trap *trap)
{
	struct monitor *mon = ctx;
	struct cpu_pe *pe = cpu_pe(mon->m, CPU_WORLD_REALM);

	if (monitor_budget_exhausted(mon)) {
		memset(trap, 0, sizeof(*trap));
		trap->kind = CPU_TRAP_BUDGET;
		return 0;
	}
	if (cpu_pe_load(pe, rec) != 0 ||
	    cpu_pe_run(pe, rec->pc, monitor_run_budget(mon, budget), trap) != 0) {
		return -1;
	}
	monitor_charge(mon, trap);
	cpu_pe_save(pe, rec);
	if (trap->kind == CPU_TRAP_GPF) {
		monitor_route_gpf(mon, GPT_PAS_REALM, trap);
	}
	return 0;
}

/*
 * The Realm PE's feature ID registers. Unicorn's PE (QEMU's "max" CPU) has fixed values, so the
 * fields that describe the configured platform are set from it, as a PE built to that
 * configuration would report them: the GICv3 system register interface cca-sim models, SVE
 * (and ID_AA64ZFR0_EL1) only with an SVE vector length, the breakpoints, watchpoints and PMU of
 * RMI_FEATURES, the PA size and the VMID width.
 */
static uint64_t id_reg(void *ctx, unsigned index)
{
	struct monitor *mon = ctx;
	const struct rmm_features *f = &mon->features;
	uint64_t v = cpu_pe_get_sysreg(cpu_pe(mon->m, CPU_WORLD_REALM),
				       CPU_SYSREG(3, 0, 0, index / 8, index % 8));

	switch (index) {
	case ID_AA64PFR0_EL1:
		v = arch_field_set(v, ID_PFR0_GIC, 1);
		return arch_field_set(v, ID_PFR0_SVE, f->sve_vl ? 1 : 0);
	case ID_AA64ZFR0_EL1:
		return f->sve_vl ? v : 0;
	case ID_AA64DFR0_EL1:
		v = arch_field_set(v, ID_DFR0_BRPS, f->num_bps - 1);
		v = arch_field_set(v, ID_DFR0_WRPS, f->num_wps - 1);
		return f->pmu ? v : arch_field_set(v, ID_DFR0_PMUVER, 0);
	case ID_AA64MMFR0_EL1:
		return arch_field_set(v, ID_MMFR0_PARANGE, arch_pa_range(cpu_pa_bits(mon->m)));
	case ID_AA64MMFR1_EL1:
		return arch_field_set(v, ID_MMFR1_VMIDBITS, f->vmid_bits == 16 ? 2 : 0);
	default:
		return v;
	}
}

/* For the RMM's invariant checks (debug builds): what the GPT gives the granule. */
static int pas_of(void *ctx, uint64_t pa)
{
	struct monitor *mon = ctx;
	if (gpt_check(mon->g, pa, GPT_PAS_NS).fault == GPT_OK) {
		return 0;
	}
	return gpt_check(mon->g, pa, GPT_PAS_REALM).fault == GPT_OK ? 1 : 2;
}

static const char *attest_seed(const struct monitor *mon)
{
	return mon->cfg.attest_seed[0] ? mon->cfg.attest_seed : ATTEST_DEFAULT_SEED;
}

/* RMM_ATTEST_GET_REALM_KEY: the realm's RAK, derived per realm (docs/spec-decisions.md,
 * "Attestation"), handed over as its private scalar. */
static int attest_realm_key(void *ctx, uint64_t vmid, uint8_t d[ATTEST_PRIVKEY_SIZE])
{
	struct monitor *mon = ctx;
	const char *seed = attest_seed(mon);
	struct attest_key k;

	if (attest_rak_derive(seed, strlen(seed), vmid, &k) != ATTEST_OK) {
		return -1;
	}
	memcpy(d, k.d, ATTEST_PRIVKEY_SIZE);
	memset(&k, 0, sizeof(k));
	return 0;
}

/* RMM_ATTEST_GET_PLAT_TOKEN: the platform token for the RAK hash the RMM hands over, signed
 * with the CPAK, the claims those of the simulated platform. */
static int attest_platform_token(void *ctx, const uint8_t *hash, size_t hash_len, uint8_t *out,
				 size_t cap, size_t *len)
{
	static const char config[] = "cca-sim simulated platform";
	struct monitor *mon = ctx;
	struct attest_platform_claims c;
	const char *seed = attest_seed(mon);

	if (!mon->have_cpak) {
		if (attest_cpak_derive(seed, strlen(seed), &mon->cpak) != ATTEST_OK) {
			return -1;
		}
		mon->have_cpak = true;
	}
	if (hash_len > sizeof(c.challenge) ||
	    attest_platform_sim_claims(&mon->cpak.pub, (const uint8_t *)config, sizeof(config) - 1,
				       &c) != ATTEST_OK) {
		return -1;
	}
	memcpy(c.challenge, hash, hash_len);
	c.challenge_len = hash_len;
	return attest_platform_token_sign(&c, &mon->cpak, out, cap, len) == ATTEST_OK ? 0 : -1;
}

void monitor_platform_init(struct monitor *mon)
{
	mon->plat = (struct rmm_platform){
	    .ctx = mon,
	    .private_base = mon->rmm_base,
	    .private_size = mon->rmm_size,
	    .realm_read = realm_read,
	    .realm_write = realm_write,
	    .ns_read = ns_read,
	    .ns_write = ns_write,
	    .pa_delegable = pa_delegable,
	    .gtsi_delegate = gtsi_delegate,
	    .gtsi_undelegate = gtsi_undelegate,
	    .run_rec = run_rec,
	    .id_reg = id_reg,
	    .attest_realm_key = mon->cfg.no_attestation ? NULL : attest_realm_key,
	    .attest_platform_token = mon->cfg.no_attestation ? NULL : attest_platform_token,
	    .pas_of = pas_of,
	};
}

const struct rmm_platform *monitor_rmm_platform(struct monitor *mon)
{
	return &mon->plat;
}
