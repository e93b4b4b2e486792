/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the RMM's RMI entry point, and through RMI_REC_ENTER its RSI and PSCI
 * handling, on the fake platform of the RMM's unit tests. The input is a program for a host
 * and a realm: each step is an RMI command with arguments from a pool of interesting values
 * (NS granules, granules it delegated, RDs, RECs, IPAs, levels, statuses, raw numbers), a
 * write into NS memory (valid or mangled realm and REC parameters, run pages), or what the
 * REC does on its next run (an SMC with a PSCI or RSI FID, a stage-2 abort, another trap).
 * The first byte chooses the configuration: spec revision, profile, auxiliary granules and
 * the platform (8-bit VMIDs; TF-RMM's fake-host features on 44-bit PAs; SVE; a few pool
 * granules in a Secure range). Built with CCA_CHECK_INVARIANTS, so a broken invariant
 * (granule states against the GPT, a failed command that changed something) aborts: a
 * finding, like a crash or a sanitizer report. The fake's REC runs out of script at once,
 * so every input is bounded.
 */
#include "../rmm/fake_platform.h"

#include "abi/abi.h"
#include "rmm/rmm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_POOL   48 /* NS granules the host uses, from the first one after the carve-out */
#define MAX_STEPS 256

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t get8(struct input *in)
{
	if (!in->n) {
		return 0;
	}
	in->n--;
	return *in->p++;
}

static uint64_t get64(struct input *in)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++) {
		v |= (uint64_t)get8(in) << (8 * i);
	}
	return v;
}

static uint64_t ns_pa(unsigned k)
{
	return FAKE_PRIV_BASE + FAKE_PRIV_SIZE + (uint64_t)(k % NS_POOL) * GRANULE_SIZE;
}

/* An argument: a pool granule, a value worth trying, or a raw 64-bit number. */
static uint64_t arg(struct input *in)
{
	static const uint64_t special[] = {
	    0,
	    1,
	    2,
	    3,
	    FAKE_RAM_BASE + 8, /* unaligned */
	    FAKE_PRIV_BASE,    /* the RMM's carve-out */
	    FAKE_DEV_PA,
	    FAKE_BEYOND_PA,
	    FAKE_RAM_BASE + FAKE_RAM_SIZE, /* just past RAM */
	    0x1000,
	    0x200000,
	    0x40000000,
	    1ULL << 39, /* the Unprotected half of a 40-bit realm */
	    (1ULL << 39) + 0x200000,
	    1ULL << 40,
	    PSCI_SUCCESS,
	    PSCI_DENIED,
	    (uint64_t)-4, /* ALREADY_ON */
	    (uint64_t)-1,
	    RIPAS_EMPTY,
	    RIPAS_RAM,
	    0x10000, /* an interface version */
	    0x80000000ULL,
	    UINT64_MAX,
	};
	uint8_t sel = get8(in);
	if (sel < 2 * NS_POOL) {
		return ns_pa(sel);
	}
	if (sel < 2 * NS_POOL + 2 * sizeof(special) / sizeof(special[0])) {
		return special[(sel - 2 * NS_POOL) % (sizeof(special) / sizeof(special[0]))];
	}
	return get64(in);
}

/* The RMI commands, from the RMM's own table (their FIDs, arities and output values). */
static unsigned count_cmds(void)
{
	unsigned n = 0;
	while (rmm_rmi_command_at(n)) {
		n++;
	}
	return n;
}

/* FUZZ_RMM_TRACE=1 in the environment prints every call, to replay a finding. */
static bool trace_calls;

static uint64_t rmi(struct rmm *r, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	uint64_t regs[18] = {fid, a1, a2, a3, a4, a5};
	const struct rmm_command *c = rmm_rmi_command(fid);
	rmm_handle_rmi(r, regs);
	if (trace_calls) {
		fprintf(stderr, "rmi %s(0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx) -> 0x%llx\n",
			abi_name(ABI_FID, fid) ? abi_name(ABI_FID, fid) : "?",
			(unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3,
			(unsigned long long)a4, (unsigned long long)a5,
			(unsigned long long)regs[0]);
	}
	for (unsigned i = 1 + (c ? c->nout : 0); i < 18; i++) {
		if (regs[i] != 0) {
			abort(); /* beyond the command's output values: MBZ */
		}
	}
	return regs[0];
}

/* The host writes NS memory only: a granule it delegated is the RMM's (the fake would let
 * the harness write anything, which would corrupt the RMM's state behind its back). */
static void put64(struct fake *f, uint64_t pa, uint64_t v)
{
	if (fake_get_pas(f, pa) == FAKE_PAS_NS) {
		memcpy(fake_ptr(f, pa), &v, 8);
	}
}

static void clear(struct fake *f, uint64_t pa)
{
	if (fake_get_pas(f, pa) == FAKE_PAS_NS) {
		memset(fake_ptr(f, pa), 0, GRANULE_SIZE);
	}
}

/* Realm parameters at NS granule `p` with the starting RTTs at `rtt` (two, for 40 bits). */
static void realm_params(struct fake *f, uint64_t p, uint64_t rtt, uint8_t vmid)
{
	clear(f, p);
	put64(f, p + REALM_PARAMS_S2SZ, 40);
	put64(f, p + REALM_PARAMS_NUM_BPS, 1);
	put64(f, p + REALM_PARAMS_NUM_WPS, 1);
	put64(f, p + REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_256);
	put64(f, p + REALM_PARAMS_VMID, vmid);
	put64(f, p + REALM_PARAMS_RTT_BASE, rtt);
	put64(f, p + REALM_PARAMS_RTT_LEVEL_START, 1);
	put64(f, p + REALM_PARAMS_RTT_NUM_START, 2);
}

static void rec_params(struct fake *f, uint64_t p, uint64_t mpidr, bool runnable)
{
	clear(f, p);
	put64(f, p + REC_PARAMS_FLAGS, runnable ? REC_PARAMS_FLAG_RUNNABLE : 0);
	put64(f, p + REC_PARAMS_MPIDR, mpidr);
	put64(f, p + REC_PARAMS_PC, 0x1000);
}

/*
 * A whole realm the ordinary way (from NS granule `k` on), so that the random steps after it
 * reach the states of an active realm: RD, starting RTTs, level 2 and 3 RTTs, one DATA
 * granule at IPA 0x1000, `nrecs` RECs (REC 0 runnable) with run pages, then activated.
 */
static void build_realm(struct rmm *r, struct fake *f, unsigned k, unsigned nrecs, uint8_t vmid)
{
	uint64_t params = ns_pa(k), rd = ns_pa(k + 1), rtt = ns_pa(k + 2) & ~(2 * GRANULE_SIZE - 1);
	uint64_t l2 = ns_pa(k + 4), l3 = ns_pa(k + 5), src = ns_pa(k + 6), data = ns_pa(k + 7);

	rmi(r, RMI_GRANULE_DELEGATE, rd, 0, 0, 0, 0);
	rmi(r, RMI_GRANULE_DELEGATE, rtt, 0, 0, 0, 0);
	rmi(r, RMI_GRANULE_DELEGATE, rtt + GRANULE_SIZE, 0, 0, 0, 0);
	realm_params(f, params, rtt, vmid);
	rmi(r, RMI_REALM_CREATE, rd, params, 0, 0, 0);
	rmi(r, RMI_GRANULE_DELEGATE, l2, 0, 0, 0, 0);
	rmi(r, RMI_RTT_CREATE, rd, l2, 0, 2, 0);
	rmi(r, RMI_GRANULE_DELEGATE, l3, 0, 0, 0, 0);
	rmi(r, RMI_RTT_CREATE, rd, l3, 0, 3, 0);
	put64(f, src, 0xd503201fd503201fULL);
	rmi(r, RMI_GRANULE_DELEGATE, data, 0, 0, 0, 0);
	rmi(r, RMI_DATA_CREATE, rd, data, 0x1000, src, 0);
	for (unsigned i = 0; i < nrecs; i++) {
		uint64_t rec = ns_pa(k + 8 + 2 * i), p = ns_pa(k + 9 + 2 * i);
		rec_params(f, p, i, i == 0);
		rmi(r, RMI_GRANULE_DELEGATE, rec, 0, 0, 0, 0);
		rmi(r, RMI_REC_CREATE, rd, rec, p, 0, 0);
	}
	rmi(r, RMI_REALM_ACTIVATE, rd, 0, 0, 0, 0);
}

/* What the REC does on its next run. */
static void rec_action(struct fake *f, struct input *in)
{
	static const uint64_t fids[] = {
	    PSCI_VERSION,         PSCI_CPU_SUSPEND,
	    PSCI_CPU_OFF,         PSCI_CPU_ON,
	    PSCI_AFFINITY_INFO,   PSCI_SYSTEM_OFF,
	    PSCI_SYSTEM_RESET,    PSCI_FEATURES,
	    RSI_VERSION,          RSI_FEATURES,
	    RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND,
	    RSI_REALM_CONFIG,     RSI_IPA_STATE_SET,
	    RSI_IPA_STATE_GET,    RSI_HOST_CALL,
	    SMCCC_VERSION,        0xC4000003ULL & ~(1ULL << 30), /* CPU_ON, SMC32 */
	};
	uint8_t kind = get8(in);

	if (fake_pending_actions(f) >= FAKE_MAX_ACTIONS - 1) {
		return;
	}
	if (kind % 4 <= 1) {
		uint64_t x[7] = {fids[get8(in) % (sizeof(fids) / sizeof(fids[0]))]};
		for (unsigned i = 1; i < 7; i++) {
			x[i] = arg(in);
		}
		fake_rec_will_smc(f, x, 7);
	} else if (kind % 4 == 2) {
		uint64_t esr =
		    ((uint64_t)(get8(in) & 1 ? ESR_EC_IABT_LOW : ESR_EC_DABT_LOW) << ESR_EC_SHIFT) |
		    ESR_IL | (get8(in) & 1 ? ESR_DABT_ISV | (3ULL << 22) : 0) |
		    (get8(in) & 1 ? ESR_DABT_WNR : 0) | (0x04U + get8(in) % 4);
		fake_rec_will_abort(f,
				    ESR_EC(esr) == ESR_EC_IABT_LOW ? CPU_TRAP_IABT : CPU_TRAP_DABT,
				    arg(in), esr);
	} else {
		static const enum cpu_trap_kind kinds[] = {
		    CPU_TRAP_UNDEF, CPU_TRAP_HVC,  CPU_TRAP_SVC,   CPU_TRAP_GPF,
		    CPU_TRAP_IABT,  CPU_TRAP_DABT, CPU_TRAP_ERROR, CPU_TRAP_BUDGET};
		enum cpu_trap_kind k = kinds[get8(in) % 8];
		if (get8(in) & 1) {
			fake_rec_will_fault(f, k,
					    ESR_IL | ((uint64_t)(get8(in) & 0x3f) << ESR_EC_SHIFT));
		} else {
			struct cpu_trap t = {.kind = k, .from_el = 1, .to_el = 1, .esr = ESR_IL};
			fake_rec_will_trap(f, &t);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	uint8_t mode = get8(&in);
	struct rmm_config cfg = {
	    .spec = (enum rmm_spec)(mode % 4),
	    .profile = (mode >> 2) & 1 ? RMM_PROFILE_TF_RMM : RMM_PROFILE_SPEC,
	    .rec_aux_count = (mode >> 3) & 1 ? 2 : 0,
	};
	if ((mode >> 4) & 1) {
		cfg.features.vmid_bits = 8;
	}
	if ((mode >> 5) & 1) { /* as the tf-rmm-fake-host preset */
		cfg.pa_bits = 44;
		cfg.features.num_bps = cfg.features.num_wps = 2;
		cfg.features.lpa2 = cfg.features.pmu = true;
		cfg.features.pmu_num_ctrs = 31;
	}
	if ((mode >> 6) & 1) {
		cfg.features.sve_vl = 512;
	}
	/* One fake for the process, reset per input: mapping and faulting in 8 MB of RAM each
	 * time was most of the harness's time. */
	static struct fake *f;
	struct rmm *r = NULL;
	if (!f) {
		f = fake_create();
	} else {
		fake_reset(f);
	}
	trace_calls = getenv("FUZZ_RMM_TRACE") != NULL;
	if (rmm_create(&f->plat, &cfg, NULL, &r) != 0) {
		abort();
	}
	if ((mode >> 7) & 1) { /* the pool's last four granules: a Secure range */
		for (unsigned k = NS_POOL - 4; k < NS_POOL; k++) {
			fake_set_pas(f, ns_pa(k), FAKE_PAS_SECURE);
		}
	}

	const unsigned ncmds = count_cmds();
	for (unsigned step = 0; in.n && step < MAX_STEPS; step++) {
		uint8_t op = get8(&in);
		if (op < 3 * ncmds) {
			const struct rmm_command *c = rmm_rmi_command_at(op % ncmds);
			uint64_t a[5] = {0};
			for (unsigned i = 0; i < c->nargs && i < 5; i++) {
				a[i] = arg(&in);
			}
			rmi(r, c->fid, a[0], a[1], a[2], a[3], a[4]);
		} else if (op < 3 * ncmds + 10) {
			uint64_t pa = ns_pa(get8(&in)) + 8 * (get8(&in) % (GRANULE_SIZE / 8));
			if (fake_get_pas(f, pa) == FAKE_PAS_NS) {
				put64(f, pa, arg(&in));
			}
		} else if (op < 3 * ncmds + 14) {
			uint64_t p = ns_pa(get8(&in));
			if (fake_get_pas(f, p) == FAKE_PAS_NS) {
				realm_params(f, p, ns_pa(get8(&in)) & ~(2 * GRANULE_SIZE - 1),
					     get8(&in));
			}
		} else if (op < 3 * ncmds + 18) {
			uint64_t p = ns_pa(get8(&in));
			if (fake_get_pas(f, p) == FAKE_PAS_NS) {
				rec_params(f, p, get8(&in) % 4, get8(&in) & 1);
			}
		} else if (op < 3 * ncmds + 22) {
			uint64_t p = ns_pa(get8(&in));
			if (fake_get_pas(f, p) == FAKE_PAS_NS) {
				put64(f, p + RUN_ENTER_FLAGS, get8(&in) & 0x1f);
			}
		} else if (op < 3 * ncmds + 24) {
			unsigned k = get8(&in) % NS_POOL;
			if (k + 16 <= NS_POOL) {
				build_realm(r, f, k, 1 + get8(&in) % 4, get8(&in));
			}
		} else {
			rec_action(f, &in);
		}
	}
	rmm_destroy(r);
	return 0;
}
