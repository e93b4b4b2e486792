/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EL3 on the real machine: SMCs executed at NS-EL2 reach the monitor, RMI calls cross to the
 * Realm world and back, GTSI is refused from NS and honoured from Realm, and granule
 * protection faults are routed per SCR_EL3.GPF with the architectural codes.
 */
#include "abi/abi.h"
#include "attest/attest.h"
#include "monitor/monitor.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* A64 encodings used by the host programs below (Arm ARM C6). */
#define MOVZ(rd, imm, hw) (0xD2800000U | ((hw) << 21) | ((uint32_t)(imm) << 5) | (rd))
#define MOVK(rd, imm, hw) (0xF2800000U | ((hw) << 21) | ((uint32_t)(imm) << 5) | (rd))
#define STR(rt, rn)       (0xF9000000U | ((rn) << 5) | (rt))
#define LDR(rt, rn)       (0xF9400000U | ((rn) << 5) | (rt))
#define SMC0              0xD4000003U
#define HVC0              0xD4000002U

struct fixture {
	struct cpu_machine *m;
	struct gpt *g;
	struct trace *t;
	struct monitor *mon;
	uint64_t code; /* host code granule */
	uint64_t data; /* a free NS granule */
	uint64_t rmm_calls;
	uint64_t rmm_seen[MONITOR_SMC_REGS];
	enum gpt_pas rmm_world;
};

static void fake_rmm(void *ctx, uint64_t regs[MONITOR_SMC_REGS])
{
	struct fixture *f = ctx;
	f->rmm_calls++;
	f->rmm_world = monitor_current_world(f->mon);
	memcpy(f->rmm_seen, regs, sizeof(f->rmm_seen));
	regs[0] = RMI_SUCCESS;
	regs[1] = regs[1] + 1;
}

static int boot(struct fixture *f, bool scr_gpf)
{
	struct cpu_config cc = {0};
	struct gpt_config gc = {0};
	struct monitor_config mc = {.scr_gpf = scr_gpf};

	memset(f, 0, sizeof(*f));
	assert_int_equal(cpu_machine_create(&cc, &f->m), 0);
	f->t = trace_create();
	trace_keep(f->t, true);
	assert_int_equal(gpt_create(f->m, &gc, f->t, &f->g), 0);
	assert_int_equal(monitor_create(f->m, f->g, f->t, &mc, &f->mon), 0);
	monitor_set_rmm(f->mon, fake_rmm, f);
	f->code = cpu_ram_base(f->m);
	f->data = f->code + 16 * GRANULE_SIZE;
	assert_int_equal(cpu_pe_enter_el(cpu_pe(f->m, CPU_WORLD_NS), 2, f->code), 0);
	return 0;
}

static int setup(void **state)
{
	static struct fixture f;
	boot(&f, false);
	*state = &f;
	return 0;
}

static int setup_scr_gpf(void **state)
{
	static struct fixture f;
	boot(&f, true);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	monitor_destroy(f->mon);
	gpt_destroy(f->g);
	trace_destroy(f->t);
	cpu_machine_destroy(f->m);
	return 0;
}

static void load_code(struct fixture *f, const uint32_t *code, size_t n)
{
	memcpy(cpu_phys(f->m, f->code, n * 4), code, n * 4);
}

/* X0 = fid (a 32-bit value), X1 = arg, SMC, then HVC to hand control back to the test. */
static void smc_program(struct fixture *f, uint64_t fid, uint64_t arg)
{
	uint32_t code[] = {
	    MOVZ(0, fid & 0xffff, 0),
	    MOVK(0, (fid >> 16) & 0xffff, 1),
	    MOVZ(1, arg & 0xffff, 0),
	    MOVK(1, (arg >> 16) & 0xffff, 1),
	    MOVK(1, (arg >> 32) & 0xffff, 2),
	    SMC0,
	    HVC0,
	};
	load_code(f, code, sizeof(code) / sizeof(code[0]));
}

static const struct trace_event *find_event(struct fixture *f, const char *type, size_t from)
{
	for (size_t i = from; i < trace_count(f->t); i++) {
		if (strcmp(trace_get(f->t, i)->type, type) == 0) {
			return trace_get(f->t, i);
		}
	}
	return NULL;
}

static void rmi_from_ns_crosses_to_realm_and_back(void **state)
{
	struct fixture *f = *state;
	struct cpu_trap trap;

	smc_program(f, RMI_VERSION, 0x10000);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_HVC); /* resumed after the SMC, reached the HVC */
	assert_int_equal(f->rmm_calls, 1);
	assert_int_equal(f->rmm_seen[0], RMI_VERSION);
	assert_int_equal(f->rmm_seen[1], 0x10000);
	assert_int_equal(f->rmm_world, GPT_PAS_REALM); /* the RMM ran in the Realm world */
	assert_int_equal(monitor_current_world(f->mon), GPT_PAS_NS);
	assert_int_equal(monitor_scr_el3(f->mon) & ((1ULL << 62) | 1), 1); /* {NSE,NS} = 01 */
	struct cpu_pe *ns = cpu_pe(f->m, CPU_WORLD_NS);
	assert_int_equal(cpu_pe_get_x(ns, 0), RMI_SUCCESS);
	assert_int_equal(cpu_pe_get_x(ns, 1), 0x10001);

	const struct trace_event *smc = find_event(f, "smc", 0);
	assert_non_null(smc);
	assert_string_equal(trace_field(smc, "world")->str, "NS");
	assert_int_equal(trace_field(smc, "fid")->num, RMI_VERSION);
	const struct trace_event *there = find_event(f, "world_switch", 0);
	assert_non_null(there);
	assert_string_equal(trace_field(there, "to")->str, "REALM");
	const struct trace_event *back = find_event(f, "world_switch", there->seq);
	assert_non_null(back);
	assert_string_equal(trace_field(back, "from")->str, "REALM");
	assert_string_equal(trace_field(back, "to")->str, "NS");
}

static void gtsi_refused_from_ns(void **state)
{
	struct fixture *f = *state;
	struct cpu_trap trap;
	uint64_t calls = f->rmm_calls;

	smc_program(f, RMM_GTSI_DELEGATE, f->data);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_HVC);
	assert_int_equal(cpu_pe_get_x(cpu_pe(f->m, CPU_WORLD_NS), 0), E_RMM_UNK);
	assert_int_equal(f->rmm_calls, calls); /* never reached the RMM */
	assert_int_equal(gpt_check(f->g, f->data, GPT_PAS_NS).fault, GPT_OK);
	assert_int_equal(gpt_check(f->g, f->data, GPT_PAS_REALM).fault, GPT_FAULT_GPF);
}

static void gtsi_from_realm_then_host_write_faults(void **state)
{
	struct fixture *f = *state;
	const struct rmm_platform *p = monitor_rmm_platform(f->mon);
	struct cpu_trap trap;
	uint64_t *word = cpu_phys(f->m, f->data, 8);

	*word = 0x1111;
	/* The platform's GTSI call is an SMC from whatever world runs: NS now, so refused. */
	assert_int_equal(p->gtsi_delegate(p->ctx, f->data), E_RMM_UNK);
	/* The RMM's GTSI call is an SMC from the Realm world. */
	uint64_t regs[MONITOR_SMC_REGS] = {RMM_GTSI_DELEGATE, f->data};
	monitor_smc(f->mon, GPT_PAS_REALM, regs);
	assert_int_equal(regs[0], E_RMM_OK);
	assert_int_equal(gpt_check(f->g, f->data, GPT_PAS_NS).fault, GPT_FAULT_GPF);

	/* The host now writes the delegated granule: blocked, unchanged, reported. */
	uint32_t code[] = {MOVZ(0, 0x2222, 0), MOVZ(1, f->data & 0xffff, 0),
			   MOVK(1, (f->data >> 16) & 0xffff, 1), STR(0, 1), HVC0};
	load_code(f, code, 5);
	size_t before = trace_count(f->t);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_GPF);
	assert_int_equal(trap.pa, f->data);
	assert_int_equal(trap.to_el, 2);
	assert_int_equal(ESR_EC(trap.esr), ESR_EC_DABT_CUR);
	assert_int_equal(trap.esr & 0x3f, ESR_FSC_GPF);
	assert_true(trap.esr & ESR_DABT_WNR);
	assert_int_equal(*word, 0x1111);
	const struct trace_event *gpf = find_event(f, "gpf", before);
	assert_non_null(gpf);
	assert_int_equal(trace_field(gpf, "pa")->num, f->data);
	assert_string_equal(trace_field(gpf, "access")->str, "write");

	/* Undelegate from Realm: the same write now lands. */
	uint64_t undo[MONITOR_SMC_REGS] = {RMM_GTSI_UNDELEGATE, f->data};
	monitor_smc(f->mon, GPT_PAS_REALM, undo);
	assert_int_equal(undo[0], E_RMM_OK);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_HVC);
	assert_int_equal(*word, 0x2222);
}

static void gpf_is_gpc_exception_with_scr_gpf(void **state)
{
	struct fixture *f = *state;
	struct cpu_trap trap;
	uint64_t regs[MONITOR_SMC_REGS] = {RMM_GTSI_DELEGATE, f->data};

	monitor_smc(f->mon, GPT_PAS_REALM, regs);
	assert_int_equal(regs[0], E_RMM_OK);
	uint32_t code[] = {MOVZ(1, f->data & 0xffff, 0), MOVK(1, (f->data >> 16) & 0xffff, 1),
			   LDR(0, 1), HVC0};
	load_code(f, code, 4);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_GPF);
	assert_int_equal(trap.to_el, 3);
	assert_int_equal(ESR_EC(trap.esr), ESR_EC_GPC);
	assert_int_equal((trap.esr >> 14) & 0x3f, 0x0D); /* GPCSC: GPF at level 1 */
	assert_false(trap.esr & ESR_DABT_WNR);
}

static void unknown_smc_and_no_rmm(void **state)
{
	struct fixture *f = *state;
	struct cpu_trap trap;

	smc_program(f, PSCI_VERSION, 0); /* EL3 offers the host no PSCI here */
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(cpu_pe_get_x(cpu_pe(f->m, CPU_WORLD_NS), 0), SMCCC_NOT_SUPPORTED);
	monitor_set_rmm(f->mon, NULL, NULL);
	smc_program(f, RMI_VERSION, 0x10000);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 1000, &trap), 0);
	assert_int_equal(cpu_pe_get_x(cpu_pe(f->m, CPU_WORLD_NS), 0), SMCCC_NOT_SUPPORTED);
	monitor_set_rmm(f->mon, fake_rmm, f);
}

static void platform_accessors_are_gpt_checked(void **state)
{
	struct fixture *f = *state;
	const struct rmm_platform *p = monitor_rmm_platform(f->mon);
	uint64_t v = 0x5555, out = 0;

	/* The RMM cannot touch an NS granule through its Realm accessor, nor a Realm one
	 * through the NS accessor; its own carve-out is Realm and not delegable. */
	assert_int_equal(p->realm_write(p->ctx, f->data, &v, 8), -1);
	assert_int_equal(p->ns_write(p->ctx, f->data, &v, 8), 0);
	assert_int_equal(p->realm_write(p->ctx, p->private_base, &v, 8), 0);
	assert_int_equal(p->realm_read(p->ctx, p->private_base, &out, 8), 0);
	assert_int_equal(out, 0x5555);
	assert_int_equal(p->ns_read(p->ctx, p->private_base, &out, 8), -1);
	assert_false(p->pa_delegable(p->ctx, p->private_base));
	assert_true(p->pa_delegable(p->ctx, f->data));
	assert_false(p->pa_delegable(p->ctx, cpu_ram_base(f->m) + cpu_ram_size(f->m)));
}

/* The Realm PE's ID registers as the platform shows them to the RMM: the emulated PE's, with
 * the fields of the configured platform set (GIC interface, SVE, debug and PMU resources, PA
 * size, VMID width). */
static void platform_id_registers(void **state)
{
	struct fixture *f = *state;
	const struct rmm_platform *p = monitor_rmm_platform(f->mon);
	struct cpu_pe *pe = cpu_pe(f->m, CPU_WORLD_REALM);
	uint64_t pfr0 = p->id_reg(p->ctx, ID_AA64PFR0_EL1);
	uint64_t dfr0 = p->id_reg(p->ctx, ID_AA64DFR0_EL1);

	/* Today's default platform: 6 breakpoints, 4 watchpoints, no PMU, no SVE, 40-bit PAs. */
	assert_int_equal(arch_field_get(pfr0, ID_PFR0_GIC), 1);
	assert_int_equal(arch_field_get(pfr0, ID_PFR0_SVE), 0);
	assert_int_equal(arch_field_get(dfr0, ID_DFR0_BRPS), 5);
	assert_int_equal(arch_field_get(dfr0, ID_DFR0_WRPS), 3);
	assert_int_equal(arch_field_get(dfr0, ID_DFR0_PMUVER), 0);
	assert_int_equal(p->id_reg(p->ctx, ID_AA64ZFR0_EL1), 0);
	assert_int_equal(arch_field_get(p->id_reg(p->ctx, ID_AA64MMFR0_EL1), ID_MMFR0_PARANGE), 2);
	assert_int_equal(arch_field_get(p->id_reg(p->ctx, ID_AA64MMFR1_EL1), ID_MMFR1_VMIDBITS), 2);
	/* The other fields, and the other registers, are the emulated PE's. */
	assert_int_equal(pfr0 & ~(ID_PFR0_GIC | ID_PFR0_SVE),
			 cpu_pe_get_sysreg(pe, CPU_SYSREG(3, 0, 0, 4, 0)) &
			     ~(ID_PFR0_GIC | ID_PFR0_SVE));
	assert_int_equal(p->id_reg(p->ctx, ID_AA64ISAR0_EL1),
			 cpu_pe_get_sysreg(pe, CPU_SYSREG(3, 0, 0, 6, 0)));

	/* A platform with SVE, a PMU, 16 breakpoints and 8-bit VMIDs. */
	struct rmm_config cfg = {.spec = RMM_SPEC_1_0_REL0,
				 .features = {.vmid_bits = 8,
					      .num_bps = 16,
					      .num_wps = 2,
					      .pmu = true,
					      .pmu_num_ctrs = 4,
					      .sve_vl = 256}};
	assert_int_equal(monitor_boot_rmm(f->mon, &cfg), 0);
	pfr0 = p->id_reg(p->ctx, ID_AA64PFR0_EL1);
	dfr0 = p->id_reg(p->ctx, ID_AA64DFR0_EL1);
	assert_int_equal(arch_field_get(pfr0, ID_PFR0_SVE), 1);
	assert_int_equal(arch_field_get(dfr0, ID_DFR0_BRPS), 15);
	assert_int_equal(arch_field_get(dfr0, ID_DFR0_WRPS), 1);
	assert_int_equal(
	    arch_field_get(dfr0, ID_DFR0_PMUVER),
	    arch_field_get(cpu_pe_get_sysreg(pe, CPU_SYSREG(3, 0, 0, 5, 0)), ID_DFR0_PMUVER));
	assert_int_not_equal(arch_field_get(dfr0, ID_DFR0_PMUVER), 0);
	assert_int_equal(arch_field_get(p->id_reg(p->ctx, ID_AA64MMFR1_EL1), ID_MMFR1_VMIDBITS), 0);
}

/* The platform's memory map: a Secure range is GPI SECURE from boot, still DRAM to the RMM
 * (delegating it fails on its GPT entry: scenarios/platform_memory_map.yaml); a device range
 * is never delegable. A range in the wrong place is refused at boot. */
static void platform_ranges(void **state)
{
	(void)state;
	struct cpu_config cc = {0};
	struct gpt_config gc = {0};
	struct cpu_machine *m;
	struct gpt *g;
	struct monitor *mon = NULL;
	uint64_t ram = CPU_DEFAULT_RAM_BASE;
	struct monitor_config mc = {.secure = {{ram + 0x100000, 0x2000}},
				    .nsecure = 1,
				    .device = {{0x1C090000, 0x10000}},
				    .ndevice = 1};

	assert_int_equal(cpu_machine_create(&cc, &m), 0);
	assert_int_equal(gpt_create(m, &gc, NULL, &g), 0);
	assert_int_equal(monitor_create(m, g, NULL, &mc, &mon), 0);
	const struct rmm_platform *p = monitor_rmm_platform(mon);
	assert_int_equal(gpt_check(g, ram + 0x101000, GPT_PAS_NS).gpi, GPI_SECURE);
	assert_int_equal(gpt_check(g, ram + 0x102000, GPT_PAS_NS).gpi, GPI_NS);
	assert_true(p->pa_delegable(p->ctx, ram + 0x100000));
	assert_false(p->pa_delegable(p->ctx, 0x1C090000));
	monitor_destroy(mon);

	/* the Secure range over the RMM's carve-out; a device range inside RAM */
	mc.secure[0] = (struct monitor_range){gpt_root_base(g) - 0x1000, 0x1000};
	assert_int_equal(monitor_create(m, g, NULL, &mc, &mon), -1);
	mc.secure[0] = (struct monitor_range){ram, 0x1000};
	mc.device[0] = (struct monitor_range){ram + 0x200000, 0x1000};
	assert_int_equal(monitor_create(m, g, NULL, &mc, &mon), -1);
	gpt_destroy(g);
	cpu_machine_destroy(m);
}

static void budget_counts_across_smcs(void **state)
{
	struct fixture *f = *state;
	struct cpu_trap trap;
	/* SMC in a loop: the budget covers the whole run, not each stretch between SMCs. */
	uint32_t code[] = {MOVZ(0, RMI_VERSION & 0xffff, 0), MOVK(0, RMI_VERSION >> 16, 1), SMC0,
			   0x17FFFFFDU /* b -12 */};
	load_code(f, code, 4);
	assert_int_equal(monitor_run_ns(f->mon, f->code, 100, &trap), 0);
	assert_int_equal(trap.kind, CPU_TRAP_BUDGET);
	assert_int_equal(trap.insns, 100);
}

/* A token whose platform part EL3 signed for the RAK it handed over, verified with the CPAK
 * of `seed`: EL3's half of RSI_ATTESTATION_TOKEN_CONTINUE. */
static enum attest_status token_with(const struct rmm_platform *p, const char *seed)
{
	struct attest_realm_claims c = {.hash_algo = ATTEST_HASH_SHA256,
					.pubkey_hash_algo = ATTEST_HASH_SHA256};
	uint8_t d[ATTEST_PRIVKEY_SIZE], hash[ATTEST_HASH_MAX], plat[ATTEST_TOKEN_MAX_SIZE];
	uint8_t tok[ATTEST_TOKEN_MAX_SIZE];
	size_t hash_len = 0, plat_len = 0, tok_len = 0;
	struct attest_key rak, cpak;
	struct attest_token t;
	struct attest_verdict v;

	assert_int_equal(p->attest_realm_key(p->ctx, 7, d), 0);
	assert_int_equal(attest_key_from_private(d, &rak), ATTEST_OK);
	/* The realm's RAK is the one the seed gives VMID 7. */
	struct attest_key want;
	assert_int_equal(attest_rak_derive(seed, strlen(seed), 7, &want), ATTEST_OK);
	assert_memory_equal(rak.d, want.d, ATTEST_PRIVKEY_SIZE);
	assert_int_equal(attest_rak_hash(&rak.pub, ATTEST_HASH_SHA256, hash, &hash_len), ATTEST_OK);
	assert_int_equal(
	    p->attest_platform_token(p->ctx, hash, hash_len, plat, sizeof(plat), &plat_len), 0);
	assert_int_equal(
	    attest_token_assemble(plat, plat_len, &c, &rak, tok, sizeof(tok), &tok_len), ATTEST_OK);
	assert_int_equal(
	    attest_cpak_derive(ATTEST_DEFAULT_SEED, strlen(ATTEST_DEFAULT_SEED), &cpak), ATTEST_OK);
	return attest_token_verify(tok, tok_len, &cpak.pub, &t, &v);
}

static void platform_attestation(void **state)
{
	struct fixture *f = *state;

	/* The default seed: the chain verifies with the default CPAK. */
	assert_int_equal(token_with(monitor_rmm_platform(f->mon), ATTEST_DEFAULT_SEED), ATTEST_OK);

	/* Another seed in the machine's configuration: other keys, which the default CPAK does
	 * not verify. */
	struct cpu_config cc = {0};
	struct gpt_config gc = {0};
	struct monitor_config mc = {.attest_seed = "lab bench 3"};
	struct cpu_machine *m;
	struct gpt *g;
	struct monitor *mon;
	assert_int_equal(cpu_machine_create(&cc, &m), 0);
	assert_int_equal(gpt_create(m, &gc, NULL, &g), 0);
	assert_int_equal(monitor_create(m, g, NULL, &mc, &mon), 0);
	assert_int_equal(token_with(monitor_rmm_platform(mon), "lab bench 3"),
			 ATTEST_ERR_SIGNATURE);
	monitor_destroy(mon);
	gpt_destroy(g);
	cpu_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(rmi_from_ns_crosses_to_realm_and_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(gtsi_refused_from_ns, setup, teardown),
	    cmocka_unit_test_setup_teardown(gtsi_from_realm_then_host_write_faults, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(gpf_is_gpc_exception_with_scr_gpf, setup_scr_gpf,
					    teardown),
	    cmocka_unit_test_setup_teardown(unknown_smc_and_no_rmm, setup, teardown),
	    cmocka_unit_test_setup_teardown(platform_accessors_are_gpt_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(platform_id_registers, setup, teardown),
	    cmocka_unit_test(platform_ranges),
	    cmocka_unit_test_setup_teardown(platform_attestation, setup, teardown),
	    cmocka_unit_test_setup_teardown(budget_counts_across_smcs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
