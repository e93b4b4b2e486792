/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RSI calls, RTT_SET_RIPAS, the run loop's other exits and injections, and measurements. */
#include "attest/attest.h"
#include "rmm_test.h"

#include "rmm/rmm_private.h"

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define INPUT    RMI_ERROR_INPUT
#define RTT(l)   RMI_RET(RMI_ERROR_RTT, l)
#define MB2      0x200000ULL
#define DABT_LOW ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT)
#define DABT_CUR ((uint64_t)ESR_EC_DABT_CUR << ESR_EC_SHIFT)

static uint64_t realm_x(struct env *e, unsigned n)
{
	return fake_last_entry(e->f)->x[n];
}

static void rd_view(struct env *e, uint64_t rd_pa, struct rd *rd)
{
	memcpy(rd, fake_ptr(e->f, rd_pa), sizeof(*rd));
}

/* A realm with RIPAS RAM at [0x2000, 0x4000) (unassigned), DATA at 0x1000, 2 RECs. */
static void ripas_realm(struct env *e, struct realm *rl)
{
	realm_build(e, rl, 2, 1, false);
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl->rd, 0x2000, 0x4000), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl->rd), RMI_SUCCESS);
}

static void rsi_version_features(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	realm_smc(e, 2, RSI_VERSION, 0x10000);
	realm_smc(e, 2, RSI_VERSION, 0x30000);
	realm_smc(e, 2, RSI_FEATURES, 0);
	realm_smc(e, 1, 0xC400019FULL); /* in the RSI range, no command */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[1].x[0], RSI_SUCCESS);
	assert_int_equal(e->f->entered[1].x[1], 0x10000);
	assert_int_equal(e->f->entered[1].x[2], 0x10000);
	assert_int_equal(e->f->entered[2].x[0], RSI_ERROR_INPUT);
	assert_int_equal(e->f->entered[3].x[0], RSI_SUCCESS);
	assert_int_equal(e->f->entered[3].x[1], 0);
	assert_int_equal(e->f->entered[4].x[0], SMCCC_NOT_SUPPORTED);
	assert_conditions(e, "rsi", "version"); /* outcome (b): no compatible revision */
	const struct trace_event *ev = last_event(e, "rsi");
	assert_string_equal(trace_field(ev, "call")->str, "RSI_FEATURES");
	assert_string_equal(trace_field(ev, "result")->str, "RSI_SUCCESS");
	env_free(e);
}

static void rsi_realm_config(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	ripas_realm(e, &rl);
	realm_smc(e, 2, RSI_REALM_CONFIG, TEST_CODE_IPA);
	realm_smc(e, 2, RSI_REALM_CONFIG, TEST_CODE_IPA + 8); /* addr_align */
	realm_smc(e, 2, RSI_REALM_CONFIG, TEST_UNPROT);       /* addr_bound */
	realm_smc(e, 2, RSI_REALM_CONFIG, 0x5000);            /* EMPTY */
	realm_smc(e, 2, RSI_REALM_CONFIG, 0x2000);            /* RAM, not mapped */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[1].x[0], RSI_SUCCESS);
	assert_int_equal(e->f->entered[2].x[0], RSI_ERROR_INPUT);
	assert_int_equal(e->f->entered[3].x[0], RSI_ERROR_INPUT);
	assert_int_equal(e->f->entered[4].x[0], RSI_ERROR_INPUT);
	assert_conditions(e, "rsi", "addr_align", "addr_bound"); /* EMPTY is not a condition */
	uint64_t v;
	memcpy(&v, fake_ptr(e->f, rl.data + REALM_CONFIG_IPA_WIDTH), 8);
	assert_int_equal(v, TEST_S2SZ);
	/* The unmapped buffer: a stage-2 data abort exit; the SMC is retried afterwards. */
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_HPFAR), (0x2000ULL >> 12) << 4);
	assert_int_equal(ESR_EC(ns_read64(e, rl.runs[0] + RUN_EXIT_ESR)), ESR_EC_DABT_LOW);
	uint64_t d = delegated(e);
	assert_int_equal(RMI3(e, RMI_DATA_CREATE_UNKNOWN, rl.rd, d, 0x2000), RMI_SUCCESS);
	unsigned r = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[r].pc, TEST_CODE_IPA + 16); /* the SMC again */
	env_free(e);
}

static void rsi_ipa_state_get(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	ripas_realm(e, &rl);
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0, 0x8000);
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x1000, 0x8000);
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x4000, 0x400000);
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x1000, 0x1000);               /* size_valid */
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x1010, 0x2000);               /* base_align */
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x1000, TEST_UNPROT + 0x1000); /* rgn_bound */
	realm_smc(e, 3, RSI_IPA_STATE_GET, 0x1000, 0x2010);               /* end_align */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[1].x[1], 0x1000);
	assert_int_equal(e->f->entered[1].x[2], RIPAS_EMPTY);
	assert_int_equal(e->f->entered[2].x[1], 0x4000);
	assert_int_equal(e->f->entered[2].x[2], RIPAS_RAM);
	assert_int_equal(e->f->entered[3].x[1], 0x400000); /* crosses into the level-2 entries */
	assert_int_equal(e->f->entered[3].x[2], RIPAS_EMPTY);
	for (unsigned i = 4; i <= 7; i++) {
		assert_int_equal(e->f->entered[i].x[0], RSI_ERROR_INPUT);
	}
	/* A failed call's event has no output values (undefined, B1.6). */
	assert_null(trace_field(last_event(e, "rsi"), "out_top"));
	/* B5.3.5.2 names the misaligned top `end_align` (RSI_IPA_STATE_SET's is `top_align`) */
	assert_conditions(e, "rsi", "size_valid", "base_align", "rgn_bound", "end_align");
	env_free(e);
}

/* --- RSI_IPA_STATE_SET and RMI_RTT_SET_RIPAS --- */

struct sr_fx {
	struct realm rl;
};

static void ripas_request(struct env *e, struct realm *rl, uint64_t base, uint64_t top,
			  uint64_t ripas)
{
	realm_smc(e, 5, RSI_IPA_STATE_SET, base, top, ripas, 0);
	assert_int_equal(enter(e, rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, rl, 0), RMI_EXIT_RIPAS_CHANGE);
}

static void sr_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct sr_fx *x = fxp;
	realm_build(e, &x->rl, 1, 1, true);
	ripas_request(e, &x->rl, 0x2000, 0x4000, RIPAS_RAM);
	args[1] = x->rl.rd;
	args[2] = x->rl.recs[0];
	args[3] = 0x2000;
	args[4] = 0x4000;
}

#define PREP(name, stmt)                                                                           \
	static void name(struct env *e, void *fxp, uint64_t *args)                                 \
	{                                                                                          \
		struct sr_fx *x = fxp;                                                             \
		(void)x;                                                                           \
		stmt;                                                                              \
	}

PREP(p_rd_unaligned, args[1] += 8)
PREP(p_rd_dev, args[1] = FAKE_DEV_PA)
PREP(p_rd_rec, args[1] = x->rl.recs[0])
PREP(p_rec_unaligned, args[2] += 8)
PREP(p_rec_dev, args[2] = FAKE_DEV_PA)
PREP(p_rec_rd, args[2] = x->rl.rd)
PREP(p_other_realm, struct realm o; realm_build(e, &o, 0, 0, true); args[1] = o.rd)
PREP(p_size, args[4] = args[3])
PREP(p_base_bound, args[3] = 0x3000)
PREP(p_top_bound, args[4] = 0x5000)
PREP(p_base_align, ripas_request(e, &x->rl, MB2 + 0x1000, MB2 + 0x2000, RIPAS_RAM);
     args[3] = MB2 + 0x1000; args[4] = MB2 + 0x2000)
PREP(p_top_unaligned, args[4] = 0x3010)
PREP(p_no_progress, ripas_request(e, &x->rl, MB2, MB2 + 0x1000, RIPAS_RAM); args[3] = MB2;
     args[4] = MB2 + 0x1000)

static const struct intent set_ripas_rows[] = {
    {"rd unaligned", "rd_align", INPUT, p_rd_unaligned},
    {"rd device", "rd_bound", INPUT, p_rd_dev},
    {"rd is a REC", "rd_state", INPUT, p_rd_rec},
    {"rec unaligned", "rec_align", INPUT, p_rec_unaligned},
    {"rec device", "rec_bound", INPUT, p_rec_dev},
    {"rec is the RD", "rec_gran_state", INPUT, p_rec_rd},
    {"rec of another realm", "rec_owner", RMI_ERROR_REC, p_other_realm},
    {"top <= base", "size_valid", INPUT, p_size},
    {"base not the request's", "base_bound", INPUT, p_base_bound},
    {"top beyond the request", "top_bound", INPUT, p_top_bound},
    {"base inside a block", "base_align", RTT(2), p_base_align},
    {"top unaligned", "top_gran_align", INPUT, p_top_unaligned},
    {"block beyond top", "no_progress", RTT(2), p_no_progress},
};

static void rtt_set_ripas_intents(void **state)
{
	run_intents(set_ripas_rows, sizeof(set_ripas_rows) / sizeof(set_ripas_rows[0]),
		    RMI_RTT_SET_RIPAS, sr_setup, sizeof(struct sr_fx), RMM_SPEC_1_0_REL0,
		    RMM_PROFILE_SPEC);
}

struct nested_sr {
	struct env *e;
	struct realm *rl;
	uint64_t x0;
	const char *cond;
};

static void nested_set_ripas(void *arg)
{
	struct nested_sr *n = arg;
	n->x0 = RMI4(n->e, RMI_RTT_SET_RIPAS, n->rl->rd, n->rl->recs[0], 0x2000, 0x4000);
	n->cond = last_rmi_condition(n->e);
}

/* rec_state: the REC is running (the call is made while the PE runs it). */
static void rtt_set_ripas_running_rec(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	ripas_request(e, &rl, 0x2000, 0x4000, RIPAS_RAM);
	struct nested_sr n = {e, &rl, 0, NULL};
	fake_rec_will_call(e->f, nested_set_ripas, &n);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(n.x0, RMI_ERROR_REC);
	assert_string_equal(n.cond, "rec_state");
	condition_log("RMI_RTT_SET_RIPAS", n.cond);
	env_free(e);
}

static void ripas_change_flow(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	realm_smc(e, 5, RSI_IPA_STATE_SET, 0x2000, 0x6000, RIPAS_EMPTY + 3, 0); /* ripas_valid */
	realm_smc(e, 5, RSI_IPA_STATE_SET, 0x2000, 0x6010, RIPAS_RAM, 0);       /* top_align */
	realm_smc(e, 5, RSI_IPA_STATE_SET, 0x2010, 0x6000, RIPAS_RAM, 0);       /* base_align */
	realm_smc(e, 5, RSI_IPA_STATE_SET, 0x6000, 0x2000, RIPAS_RAM, 0);       /* size_valid */
	realm_smc(e, 5, RSI_IPA_STATE_SET, 0x2000, TEST_UNPROT + 0x1000, RIPAS_RAM, 0); /* rgn */
	ripas_request(e, &rl, 0x2000, 0x6000, RIPAS_RAM);
	for (unsigned i = 1; i <= 5; i++) {
		assert_int_equal(e->f->entered[i].x[0], RSI_ERROR_INPUT);
	}
	assert_conditions(e, "rsi", "ripas_valid", "top_align", "base_align", "size_valid",
			  "rgn_bound");
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_RIPAS_BASE), 0x2000);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_RIPAS_TOP), 0x6000);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_RIPAS_VALUE), RIPAS_RAM);
	/* The host accepts part of it. */
	assert_int_equal(RMI4(e, RMI_RTT_SET_RIPAS, rl.rd, rl.recs[0], 0x2000, 0x4000),
			 RMI_SUCCESS);
	assert_int_equal(e->out[1], 0x4000);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, 0x3000, 3), RMI_SUCCESS);
	assert_int_equal(e->out[4], RIPAS_RAM);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), RSI_SUCCESS);
	assert_int_equal(realm_x(e, 1), 0x4000);
	assert_int_equal(realm_x(e, 2), RSI_ACCEPT);
	/* Its "rsi" event, reported now: the call's own arguments and its output values */
	const struct trace_event *ev = last_event(e, "rsi");
	assert_string_equal(trace_field(ev, "call")->str, "RSI_IPA_STATE_SET");
	assert_int_equal(trace_field(ev, "args")->list[0], 0x2000);
	assert_int_equal(trace_field(ev, "args")->list[1], 0x6000);
	assert_int_equal(trace_field(ev, "args")->list[2], RIPAS_RAM);
	assert_int_equal(trace_field(ev, "new_base")->num, 0x4000);
	assert_string_equal(trace_field(ev, "response")->str, "ACCEPT");
	assert_true(trace_field(ev, "response")->output);
	/* Then rejects the next request. */
	ripas_request(e, &rl, 0x4000, 0x6000, RIPAS_RAM);
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_RIPAS_RESPONSE);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 1), 0x4000);
	assert_int_equal(realm_x(e, 2), RSI_REJECT);
	/* An ASSIGNED RAM page set to EMPTY becomes an invalid descriptor. */
	ripas_request(e, &rl, TEST_CODE_IPA, 0x2000, RIPAS_EMPTY);
	assert_int_equal(RMI4(e, RMI_RTT_SET_RIPAS, rl.rd, rl.recs[0], TEST_CODE_IPA, 0x2000),
			 RMI_SUCCESS);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, TEST_CODE_IPA, 3), RMI_SUCCESS);
	assert_int_equal(e->out[2], RTT_STATE_ASSIGNED);
	assert_int_equal(e->out[4], RIPAS_EMPTY);
	env_free(e);
}

/* --- RSI_HOST_CALL --- */

static void rsi_host_call(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	uint8_t *buf = (uint8_t *)fake_ptr(e->f, rl.data) + 0x100;
	uint16_t imm = 0x42;
	uint64_t g7 = 0x77;
	memcpy(buf + HOST_CALL_IMM, &imm, 2);
	memcpy(buf + HOST_CALL_GPRS + 7 * 8, &g7, 8);
	realm_smc(e, 2, RSI_HOST_CALL, TEST_CODE_IPA + 0x180); /* addr_align */
	realm_smc(e, 2, RSI_HOST_CALL, TEST_UNPROT);           /* addr_bound */
	realm_smc(e, 2, RSI_HOST_CALL, TEST_CODE_IPA + 0x100);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[1].x[0], RSI_ERROR_INPUT);
	assert_int_equal(e->f->entered[2].x[0], RSI_ERROR_INPUT);
	assert_conditions(e, "rsi", "addr_align", "addr_bound");
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_HOST_CALL);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_IMM), 0x42);
	assert_int_equal(exit_gpr(e, &rl, 0, 7), 0x77);
	assert_int_equal(trace_field(last_event(e, "rec_exit"), "imm")->num, 0x42);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS + 8 * 3, 0x333);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), RSI_SUCCESS);
	uint64_t g3;
	memcpy(&g3, buf + HOST_CALL_GPRS + 3 * 8, 8);
	assert_int_equal(g3, 0x333);
	assert_string_equal(trace_field(last_event(e, "rsi"), "call")->str, "RSI_HOST_CALL");
	/* The host unmaps the buffer before answering: the entry ends in a data abort exit at
	 * it, without running the REC, until the host maps it again. */
	realm_smc(e, 2, RSI_HOST_CALL, TEST_CODE_IPA + 0x100);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(RMI2(e, RMI_DATA_DESTROY, rl.rd, TEST_CODE_IPA), RMI_SUCCESS);
	unsigned runs = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->runs, runs);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_HPFAR), (TEST_CODE_IPA >> 12) << 4);
	env_free(e);
}

/* --- Aborts, HVC, emulated MMIO --- */

static void stage2_aborts(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	ripas_realm(e, &rl);
	/* RAM, UNASSIGNED: REC exit, syndrome filtered (no FAR). */
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, 0x2008, DABT_LOW | ESR_IL | ESR_DABT_WNR | 0x07);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_ESR), DABT_LOW | ESR_IL | 0x07);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_FAR), 0);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_HPFAR), 0x20);
	/* EMPTY: SEA injected into the realm, no exit. */
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, 0x5000, DABT_LOW | ESR_IL | 0x07);
	unsigned r = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ);
	const struct cpu_context *c = &e->f->entered[r + 1];
	assert_int_equal(c->pc, 0x200);
	assert_int_equal(c->pstate, 0x3c5);
	assert_int_equal(ESR_EC(c->esr_el1), ESR_EC_DABT_CUR);
	assert_int_equal(c->esr_el1 & 0x3f, 0x10);
	assert_int_equal(c->elr_el1, TEST_CODE_IPA);
	env_free(e);
}

/* Beyond the IPA space: a stage-1 Address Size Fault taken to the realm [S:A5.2.8], at the
 * stage-1 level that gave the IPA (level 0 with stage 1 off), never a REC exit. */
static void beyond_ipa_space(void **state)
{
	for (unsigned level = 0; level <= 3; level += 3) {
		struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
		struct realm rl;
		ripas_realm(e, &rl);
		struct cpu_trap t = {.kind = CPU_TRAP_DABT,
				     .from_el = 1,
				     .to_el = 2,
				     .esr = DABT_LOW | ESR_IL | ESR_DABT_WNR | ESR_FSC_TRANS(0),
				     .far = 0xffff000012345678ULL,
				     .hpfar = ((1ULL << TEST_S2SZ) >> GRANULE_SHIFT) << 4,
				     .s2 = true,
				     .s1_level = level};
		fake_rec_will_trap(e->f, &t);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ); /* ran out of script */
		const struct cpu_context *c = &e->f->entered[1];
		assert_int_equal(c->pc, 0x200);
		assert_int_equal(ESR_EC(c->esr_el1), ESR_EC_DABT_CUR);
		assert_int_equal(c->esr_el1 & 0x3f, ESR_FSC_ADDR_SIZE(level));
		assert_true(c->esr_el1 & ESR_DABT_WNR);
		assert_int_equal(c->far_el1, 0xffff000012345678ULL);
		env_free(e);
	}
}

/*
 * The ID registers a realm reads [S:A2.1.2.3, A3.1], one case per register: the Realm PE's
 * value (the fake's, every 4-bit field non-zero) with what no realm has hidden, what the host
 * chose at REALM_CREATE shown, and 0 for every register the RMM does not name.
 */
struct id_case {
	const char *name;
	unsigned index;
	uint64_t hidden;     /* fields that read 0 */
	uint64_t brps, wrps; /* ~0: the platform's value */
	bool pmuver;         /* PMUVer is the platform's */
};

static uint64_t id_pattern(unsigned index)
{
	return 0x1111111111111111ULL * ((index % 15) + 1);
}

/* Runs one trapped MRS of each ID register (Rt = index % 31) in one REC_ENTER and returns the
 * value each read into its register. */
static void read_id_regs(struct env *e, const struct realm *rl, uint64_t *got)
{
	for (unsigned i = 0; i < ID_REG_COUNT; i++) {
		e->f->id_regs[i] = id_pattern(i);
	}
	for (unsigned i = 8; i < ID_REG_COUNT; i++) { /* CRm 1 to 7: what TID3 traps */
		unsigned rt = i % 31;
		struct cpu_trap t = {.kind = CPU_TRAP_UNDEF,
				     .from_el = 1,
				     .to_el = 2,
				     .esr = ((uint64_t)ESR_EC_SYSREG << ESR_EC_SHIFT) | ESR_IL |
					    (3ULL << 20) | ((uint64_t)(i % 8) << 17) |
					    ((uint64_t)rt << 5) | ((uint64_t)(i / 8) << 1) |
					    ESR_SYSREG_READ,
				     .pc = TEST_CODE_IPA,
				     .return_pc = TEST_CODE_IPA};
		fake_rec_will_trap(e->f, &t);
	}
	assert_int_equal(enter(e, rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->runs, ID_REG_COUNT - 8 + 1);
	for (unsigned i = 8; i < ID_REG_COUNT; i++) {
		const struct cpu_context *c = &e->f->entered[i - 8 + 1];
		got[i] = c->x[i % 31];
		assert_int_equal(c->pc, c[-1].pc + 4); /* the MRS completed */
	}
}

#define DFR0_HIDDEN_ALL                                                                            \
	(ID_DFR0_TRACEVER | ID_DFR0_PMSS | ID_DFR0_SEBEP | ID_DFR0_CTX_CMPS | ID_DFR0_PMSVER |     \
	 ID_DFR0_TRACEFILT | ID_DFR0_TRACEBUFFER | ID_DFR0_BRBE | ID_DFR0_EXTTRCBUFF)

/* What a realm without SVE or PMU, with 2 breakpoints and 2 watchpoints, reads under the spec
 * profile: every register the RMM names (all others read 0). */
static const struct id_case id_plain[] = {
    {"ID_AA64PFR0_EL1", ID_AA64PFR0_EL1, ID_PFR0_AMU | ID_PFR0_SVE, ~0ULL, 0, true},
    {"ID_AA64PFR1_EL1", ID_AA64PFR1_EL1, ID_PFR1_MTE | ID_PFR1_SME, ~0ULL, 0, true},
    {"ID_AA64ZFR0_EL1", ID_AA64ZFR0_EL1, ~0ULL, ~0ULL, 0, true},
    {"ID_AA64SMFR0_EL1", ID_AA64SMFR0_EL1, ~0ULL, ~0ULL, 0, true},
    {"ID_AA64DFR0_EL1", ID_AA64DFR0_EL1, DFR0_HIDDEN_ALL, 1, 1, false},
    {"ID_AA64DFR1_EL1", ID_AA64DFR1_EL1, ID_DFR1_EBEP | ID_DFR1_ICNTR, ~0ULL, 0, true},
    {"ID_AA64AFR0_EL1", ID_AA64AFR0_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64AFR1_EL1", ID_AA64AFR1_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64ISAR0_EL1", ID_AA64ISAR0_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64ISAR1_EL1", ID_AA64ISAR1_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64MMFR0_EL1", ID_AA64MMFR0_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64MMFR1_EL1", ID_AA64MMFR1_EL1, 0, ~0ULL, 0, true},
    {"ID_AA64MMFR2_EL1", ID_AA64MMFR2_EL1, 0, ~0ULL, 0, true},
};

/* The value expected of register i: its case in `over` if any, else in id_plain, else 0. */
static uint64_t id_expected(unsigned i, const struct id_case *over, size_t n, const char **name)
{
	const struct id_case *c = NULL;
	for (size_t k = 0; k < sizeof(id_plain) / sizeof(id_plain[0]); k++) {
		c = id_plain[k].index == i ? &id_plain[k] : c;
	}
	for (size_t k = 0; k < n; k++) {
		c = over[k].index == i ? &over[k] : c;
	}
	if (!c) {
		*name = "a register the RMM does not name";
		return 0;
	}
	*name = c->name;
	uint64_t want = id_pattern(i) & ~c->hidden;
	if (c->brps != ~0ULL) {
		want = arch_field_set(want, ID_DFR0_BRPS, c->brps);
		want = arch_field_set(want, ID_DFR0_WRPS, c->wrps);
	}
	if (i == ID_AA64DFR0_EL1 && !c->pmuver) {
		want = arch_field_set(want, ID_DFR0_PMUVER, 0);
	}
	return want;
}

static void check_id_regs(const uint64_t *got, const struct id_case *over, size_t n)
{
	for (unsigned i = 8; i < ID_REG_COUNT; i++) {
		const char *name;
		uint64_t want = id_expected(i, over, n, &name);
		if (got[i] != want) {
			fail_msg("%s (CRm %u, op2 %u): 0x%llx, expected 0x%llx", name, i / 8, i % 8,
				 (unsigned long long)got[i], (unsigned long long)want);
		}
	}
}

static void id_regs_plain_realm(void **state)
{
	uint64_t got[ID_REG_COUNT];
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	read_id_regs(e, &rl, got);
	check_id_regs(got, NULL, 0);
	env_free(e);
}

/* A realm the host gave SVE, a PMU, 4 breakpoints and 3 watchpoints: it sees them all. */
static void id_regs_sve_pmu_realm(void **state)
{
	static const struct id_case over[] = {
	    {"ID_AA64PFR0_EL1", ID_AA64PFR0_EL1, ID_PFR0_AMU, ~0ULL, 0, true},
	    {"ID_AA64ZFR0_EL1", ID_AA64ZFR0_EL1, 0, ~0ULL, 0, true},
	    {"ID_AA64DFR0_EL1", ID_AA64DFR0_EL1, DFR0_HIDDEN_ALL, 3, 2, true},
	};
	const struct rmm_features f = {.pmu = true, .pmu_num_ctrs = 8, .sve_vl = 512};
	uint64_t got[ID_REG_COUNT];
	struct env *e = env_new_features(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC, &f);
	uint64_t p = realm_params(e);
	ns_write64(e, p + REALM_PARAMS_FLAGS, REALM_FLAG_SVE | REALM_FLAG_PMU);
	ns_write64(e, p + REALM_PARAMS_SVE_VL, 1);
	ns_write64(e, p + REALM_PARAMS_PMU_NUM_CTRS, 4);
	ns_write64(e, p + REALM_PARAMS_NUM_BPS, 3);
	ns_write64(e, p + REALM_PARAMS_NUM_WPS, 2);
	struct realm rl;
	realm_build_with(e, &rl, p, 1, 1, true);
	read_id_regs(e, &rl, got);
	check_id_regs(got, over, sizeof(over) / sizeof(over[0]));
	env_free(e);
}

/* TR20: under tf-rmm, ID_AA64DFR0_EL1 keeps the platform's BRPs, WRPs and PMUVer. */
static void id_regs_tf_rmm_debug_fields(void **state)
{
	static const struct id_case over[] = {
	    {"ID_AA64DFR0_EL1", ID_AA64DFR0_EL1, DFR0_HIDDEN_ALL, ~0ULL, 0, true},
	};
	uint64_t got[ID_REG_COUNT];
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_TF_RMM);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	read_id_regs(e, &rl, got);
	check_id_regs(got, over, sizeof(over) / sizeof(over[0]));
	env_free(e);
}

/* A read into XZR discards the value; a trapped write of the ID space is not emulated: the
 * realm takes it as its own exception. */
static void id_regs_xzr_and_writes(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	const uint64_t pfr0 =
	    ((uint64_t)ESR_EC_SYSREG << ESR_EC_SHIFT) | ESR_IL | (3ULL << 20) | (4ULL << 1);
	struct cpu_trap xzr = {.kind = CPU_TRAP_UNDEF,
			       .from_el = 1,
			       .to_el = 2,
			       .esr = pfr0 | (31ULL << 5) | ESR_SYSREG_READ,
			       .pc = TEST_CODE_IPA};
	struct cpu_trap wr = xzr;
	wr.esr = pfr0 | (2ULL << 5);
	e->f->id_regs[ID_AA64PFR0_EL1] = 0x1111;
	fake_rec_will_trap(e->f, &xzr);
	fake_rec_will_trap(e->f, &wr);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *c = &e->f->entered[1];
	for (unsigned i = 0; i < 31; i++) {
		assert_int_equal(c->x[i], e->f->entered[0].x[i]);
	}
	assert_int_equal(c->pc, TEST_CODE_IPA + 4);
	c = &e->f->entered[2];
	assert_int_equal(c->x[2], e->f->entered[0].x[2]);
	assert_int_equal(c->esr_el1, wr.esr); /* its own exception, at its vector */
	assert_int_equal(c->elr_el1, TEST_CODE_IPA + 4);
	assert_int_equal(c->pc, VECTOR_CUR_SPX);
	env_free(e);
}

/* A trapped WFI: a SYNC exit with EC and TI only, the REC resumed after it. A physical
 * interrupt (its timer): an IRQ exit. Every exit reports the timers and the List Registers;
 * the entry loads the host's List Register and the WFx traps it asks for. */
/* The platform's gic_lrs List Registers are loaded on entry and reported on exit, the others
 * neither (RMI_FEATURES GICV3_NUM_LRS). */
static void gic_list_register_count(void **state)
{
	for (unsigned n = 1; n <= 3; n += 2) {
		const struct rmm_features f = {.gic_lrs = n};
		struct env *e = env_new_features(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC, &f);
		struct realm rl;
		realm_build(e, &rl, 1, 1, true);
		for (unsigned i = 0; i < 3; i++) {
			uint64_t lr = (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | (40 + i);
			ns_write64(e, rl.runs[0] + RUN_ENTER_GICV3_LRS + 8 * i, lr);
		}
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		const struct cpu_context *c = &e->f->entered[0];
		for (unsigned i = 0; i < 3; i++) {
			uint64_t want =
			    i < n ? ((1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | (40 + i)) : 0;
			assert_int_equal(c->ich_lr[i], want);
			assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_GICV3_LRS + 8 * i),
					 want);
		}
		env_free(e);
	}
}

static void wfx_irq_and_gic_state(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	uint64_t lr = (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | INTID_VTIMER;
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_TRAP_WFI);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GICV3_LRS, lr);
	struct cpu_trap t = {.kind = CPU_TRAP_WFX,
			     .from_el = 1,
			     .to_el = 2,
			     .esr = ((uint64_t)ESR_EC_WFX << ESR_EC_SHIFT) | ESR_IL | 0x1234,
			     .pc = TEST_CODE_IPA,
			     .return_pc = TEST_CODE_IPA + 4};
	fake_rec_will_trap(e->f, &t);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *c = &e->f->entered[0];
	assert_true(c->hcr_el2 & HCR_TWI);
	assert_false(c->hcr_el2 & HCR_TWE);
	assert_int_equal(c->ich_lr[0], lr);
	assert_true(c->ich_hcr & ICH_HCR_EN);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_ESR),
			 ((uint64_t)ESR_EC_WFX << ESR_EC_SHIFT) | ESR_IL);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_GICV3_LRS), lr);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_GICV3_HCR), 0); /* En is the RMM's */
	/* The timer fires: an IRQ exit with its state, the REC resumed where it was. */
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, 0);
	struct cpu_trap irq = {.kind = CPU_TRAP_IRQ,
			       .from_el = 1,
			       .to_el = 2,
			       .pc = TEST_CODE_IPA + 4,
			       .return_pc = TEST_CODE_IPA + 4};
	fake_rec_will_trap(e->f, &irq);
	unsigned r = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[r].pc, TEST_CODE_IPA + 4);
	assert_false(e->f->entered[r].hcr_el2 & HCR_TWI);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ);
	assert_int_equal(rmm_last_run_status(e->r), RMM_RUN_OK);
	env_free(e);
}

/* A virtual IRQ the Realm PE signals is taken at the IRQ vector for the REC's EL and stack,
 * ELR the interrupted instruction, every mask set; an `interrupt` event names the INTID. A
 * WFI with nothing to wake it is an IRQ exit the host can tell (RMM_RUN_IDLE). */
static void virq_and_idle(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GICV3_LRS,
		   (1ULL << 62) | ICH_LR_GROUP | (0xa0ULL << 48) | INTID_VTIMER);
	struct cpu_trap v = {.kind = CPU_TRAP_VIRQ,
			     .from_el = 1,
			     .to_el = 1,
			     .pc = TEST_CODE_IPA,
			     .return_pc = TEST_CODE_IPA};
	struct cpu_trap idle = {
	    .kind = CPU_TRAP_IDLE, .from_el = 1, .to_el = 2, .pc = 0x280, .return_pc = 0x284};
	fake_rec_will_trap(e->f, &v);
	fake_rec_will_trap(e->f, &idle);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *c = &e->f->entered[1];
	assert_int_equal(c->pc, 0x280); /* VBAR_EL1 0 + current EL, SP_EL1 */
	assert_int_equal(c->elr_el1, TEST_CODE_IPA);
	assert_int_equal(c->pstate, PSTATE_EL1H);
	assert_int_equal(trace_field(last_event(e, "interrupt"), "intid")->num, INTID_VTIMER);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ);
	assert_int_equal(rmm_last_run_status(e->r), RMM_RUN_IDLE);
	env_free(e);
}

static void hvc_injects_undefined(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	struct cpu_trap t = {.kind = CPU_TRAP_HVC, .from_el = 1, .to_el = 2};
	fake_rec_will_trap(e->f, &t);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *c = &e->f->entered[1];
	assert_int_equal(c->pc, 0x200);
	assert_int_equal(c->esr_el1, ESR_IL); /* EC 0: Unknown */
	assert_int_equal(c->elr_el1, TEST_CODE_IPA);
	assert_int_equal(c->spsr_el1, 0x3c5);
	env_free(e);
}

static void emulated_mmio(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	uint64_t mmio = TEST_UNPROT + 0x9000 + 0x24;
	/* Write of X5 (ISV, SAS word, SRT 5, WnR). */
	uint64_t esr_w =
	    DABT_LOW | ESR_IL | ESR_DABT_ISV | (2ULL << 22) | (5ULL << 16) | ESR_DABT_WNR | 0x07;
	realm_smc(e, 6, 0xC2000000ULL, 0, 0, 0, 0, 0x100005555ULL); /* sets X5 via the script */
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, mmio, esr_w);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_ESR), esr_w);
	assert_int_equal(ns_read64(e, rl.runs[0] + RUN_EXIT_FAR), 0x24);
	assert_int_equal(exit_gpr(e, &rl, 0, 0), 0x5555); /* a word: SAS = 2 */
	uint64_t pc = fake_last_entry(e->f)->pc;
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_EMUL_MMIO);
	/* Read of a doubleword into X3. */
	uint64_t esr_r =
	    DABT_LOW | ESR_IL | ESR_DABT_ISV | (3ULL << 22) | (3ULL << 16) | (1ULL << 15) | 0x07;
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, mmio, esr_r);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(fake_last_entry(e->f)->pc, pc + 4);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS, 0xabc);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 3), 0xabc);
	assert_int_equal(fake_last_entry(e->f)->pc, pc + 8);
	/* Sign-extended byte load into W4 (SAS 0, SSE, SF 0). */
	uint64_t esr_b = DABT_LOW | ESR_IL | ESR_DABT_ISV | (1ULL << 21) | (4ULL << 16) | 0x07;
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, mmio, esr_b);
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, 0); /* the last exit was an IRQ */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_EMUL_MMIO);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS, 0x1280);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 4), 0xffffff80ULL);
	/* Not after an emulatable abort: rec_mmio. */
	assert_int_equal(enter(e, &rl, 0), RMI_ERROR_REC);
	assert_rmi_condition(e, "rec_mmio");
	env_free(e);
}

static void exit_write_fails_and_run_error(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	e->f->fail_ns_write = true;
	assert_int_equal(enter(e, &rl, 0), INPUT);
	assert_rmi_condition(e, "run_pas");
	e->f->fail_ns_write = false;
	e->f->run_error = true;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(rmm_last_run_status(e->r), RMM_RUN_ERROR);
	assert_false(rmm_last_run_budget_exhausted(e->r));
	env_free(e);
}

/* An RMM whose RMI_REC_ENTER runs the REC for at most `budget` (cpu_trap_cost units). */
static struct env *env_with_run_budget(uint64_t budget)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct rmm_config cfg = {.spec = RMM_SPEC_1_0_REL0, .run_budget = budget};
	rmm_destroy(e->r);
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &e->r), 0);
	return e;
}

static void run_budget(void **state)
{
	struct env *e = env_with_run_budget(100);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	realm_smc(e, 1, PSCI_VERSION);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->budgets[0], 100);
	/* What is left after the first run: its instruction, its entry and its exception. */
	assert_int_equal(e->f->budgets[1], 97);
	assert_true(rmm_last_run_budget_exhausted(e->r));
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ);
	env_free(e);
}

/* A realm that faults without retiring anything still spends the budget: it runs out. */
static void run_budget_counts_exceptions(void **state)
{
	struct env *e = env_with_run_budget(4);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL);
	fake_rec_will_fault(e->f, CPU_TRAP_DABT, DABT_CUR | ESR_IL | 0x07);
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->budgets[e->f->runs - 1], 2);
	assert_true(rmm_last_run_budget_exhausted(e->r));
	assert_int_equal(fake_pending_actions(e->f), 1); /* the third fault never ran */
	env_free(e);
}

/* --- Fault loops: the same exception at the same PC with nothing retired in between --- */

/* An undefined instruction with VBAR_EL1 = 0: delivered to 0x200, which is undefined too. */
static void fault_loop_detected(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	struct rmm_fault_loop fl;
	realm_build(e, &rl, 1, 1, true);
	assert_false(rmm_last_fault_loop(e->r, &fl));
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL); /* at TEST_CODE_IPA */
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL); /* at the vector */
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL); /* at the vector again: the loop */
	realm_smc(e, 1, PSCI_VERSION);                     /* never reached */
	unsigned runs = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->runs - runs, 3);
	assert_int_equal(fake_pending_actions(e->f), 1);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ);
	assert_int_equal(rmm_last_run_status(e->r), RMM_RUN_FAULT_LOOP);
	assert_true(rmm_last_fault_loop(e->r, &fl));
	assert_int_equal(fl.rd, rl.rd);
	assert_int_equal(fl.rec, 0);
	assert_int_equal(fl.first_pc, TEST_CODE_IPA);
	assert_int_equal(fl.first_esr, ESR_IL);
	assert_int_equal(fl.pc, 0x200);
	assert_int_equal(fl.vector, 0x200);
	assert_int_equal(fl.vbar, 0);
	assert_int_equal(fl.esr, ESR_IL);
	assert_int_equal(fl.n, 2);
	/* The next entry starts afresh: the SMC runs, then the script runs out. */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(fake_pending_actions(e->f), 0);
	assert_true(rmm_last_run_budget_exhausted(e->r));
	assert_false(rmm_last_fault_loop(e->r, &fl));
	env_free(e);
}

/* An instruction retired between two deliveries, or another syndrome: no loop. */
static void fault_chain_broken(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	struct rmm_fault_loop fl;
	struct cpu_trap retired = {.kind = CPU_TRAP_UNDEF, .from_el = 1, .to_el = 1, .esr = ESR_IL};
	realm_build(e, &rl, 1, 1, true);
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL);
	fake_rec_will_trap(e->f, &retired); /* at the vector, after one instruction there */
	fake_rec_will_trap(e->f, &retired);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_true(rmm_last_run_budget_exhausted(e->r)); /* the script ran out, not a loop */
	assert_false(rmm_last_fault_loop(e->r, &fl));

	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL);
	fake_rec_will_fault(e->f, CPU_TRAP_DABT, DABT_CUR | ESR_IL | 0x07);
	fake_rec_will_fault(e->f, CPU_TRAP_UNDEF, ESR_IL);
	fake_rec_will_fault(e->f, CPU_TRAP_DABT, DABT_CUR | ESR_IL | 0x07);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_true(rmm_last_run_budget_exhausted(e->r));
	assert_int_equal(fake_pending_actions(e->f), 0);
	env_free(e);
}

/* The host injects an SEA (REC_ENTER flag) after an emulatable abort, and the realm's vector
 * cannot even be fetched: the loop starts with the host's injection. */
static void fault_loop_after_injected_sea(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	struct rmm_fault_loop fl;
	uint64_t esr = DABT_LOW | ESR_IL | ESR_DABT_ISV | (3ULL << 22) | (3ULL << 16) | 0x07;
	uint64_t iabt = ((uint64_t)ESR_EC_IABT_CUR << ESR_EC_SHIFT) | ESR_IL | 0x07;
	realm_build(e, &rl, 1, 1, true);
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, TEST_UNPROT + 0x9000, esr);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_INJECT_SEA);
	fake_rec_will_fault(e->f, CPU_TRAP_IABT, iabt);
	fake_rec_will_fault(e->f, CPU_TRAP_IABT, iabt);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_true(rmm_last_fault_loop(e->r, &fl));
	assert_int_equal(fl.first_pc, TEST_CODE_IPA);
	assert_int_equal(ESR_EC(fl.first_esr), ESR_EC_DABT_CUR);
	assert_int_equal(fl.first_esr & 0x3f, 0x10); /* SEA */
	assert_int_equal(fl.pc, 0x200);
	assert_int_equal(fl.esr, iabt);
	assert_int_equal(fl.n, 2);
	env_free(e);
}

/* inject_sea answers any data abort at an Unprotected IPA, emulatable or not (ISV = 0: an
 * access the host cannot emulate), and only such an abort: the realm takes an SEA at the
 * access, a store's WnR kept [S:A4.2, A5.2.7]. */
static void injected_sea_after_unprotected_abort(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	uint64_t no_isv = DABT_LOW | ESR_IL | ESR_DABT_WNR | ESR_FSC_TRANS(3);
	fake_rec_will_abort(e->f, CPU_TRAP_DABT, TEST_UNPROT + 0x9000, no_isv);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_SYNC);
	ns_write64(e, rl.runs[0] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_INJECT_SEA);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *c = &e->f->entered[1];
	assert_int_equal(ESR_EC(c->esr_el1), ESR_EC_DABT_CUR);
	assert_int_equal(c->esr_el1 & ESR_FSC_MASK, ESR_FSC_SEA);
	assert_true(c->esr_el1 & ESR_DABT_WNR);
	assert_int_equal(c->elr_el1, TEST_CODE_IPA);
	assert_int_equal(c->pc, VECTOR_CUR_SPX);
	/* With no Unprotected abort before it, the flag does nothing. */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[2].pc, c->pc);
	assert_int_equal(e->f->entered[2].elr_el1, TEST_CODE_IPA); /* no second exception */
	env_free(e);
}

/* --- Measurements --- */

static void rim_and_rem(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	struct rd rd;
	realm_create_only(e, &rl);
	uint8_t img[4096] = {0}, want[64] = {0};
	const size_t offs[] = {REALM_PARAMS_FLAGS,    REALM_PARAMS_S2SZ,
			       REALM_PARAMS_SVE_VL,   REALM_PARAMS_NUM_BPS,
			       REALM_PARAMS_NUM_WPS,  REALM_PARAMS_PMU_NUM_CTRS,
			       REALM_PARAMS_HASH_ALGO};
	for (size_t i = 0; i < 7; i++) {
		memcpy(img + offs[i], (uint8_t *)fake_ptr(e->f, rl.params) + offs[i], 8);
	}
	mbedtls_sha256_ret(img, sizeof(img), want, 0);
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(rd.measurements[0], want, 64);

	/* DATA_CREATE with RMI_MEASURE_CONTENT extends the RIM with the descriptor. */
	uint64_t l2 = delegated(e), l3 = delegated(e), d = delegated(e), src = ns_granule(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl.rd, l2, 0, 2), RMI_SUCCESS);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl.rd, l3, 0, 3), RMI_SUCCESS);
	ns_write64(e, src, 0x1234);
	assert_int_equal(RMI5(e, RMI_DATA_CREATE, rl.rd, d, 0x3000, src, 1), RMI_SUCCESS);
	uint8_t desc[256] = {0};
	uint64_t v = 0x100, ipa = 0x3000, flags = 1;
	memcpy(desc + 8, &v, 8);
	memcpy(desc + 0x10, want, 64);
	memcpy(desc + 0x50, &ipa, 8);
	memcpy(desc + 0x58, &flags, 8);
	mbedtls_sha256_ret(fake_ptr(e->f, src), 4096, desc + 0x60, 0);
	memset(want, 0, sizeof(want));
	mbedtls_sha256_ret(desc, sizeof(desc), want, 0);
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(rd.measurements[0], want, 64);

	/* Non-runnable RECs are not measured; runnable ones are. */
	uint64_t rec0 = delegated(e), rec1 = delegated(e);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rec0, rec_params(e, 0, false, 0)),
			 RMI_SUCCESS);
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(rd.measurements[0], want, 64);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rec1, rec_params(e, 1, true, 0x3000)),
			 RMI_SUCCESS);
	rd_view(e, rl.rd, &rd);
	assert_memory_not_equal(rd.measurements[0], want, 64);
	memcpy(want, rd.measurements[0], 64);
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_SUCCESS);

	/* REM: extend then read back. */
	struct realm r2 = rl;
	r2.recs[0] = rec1;
	r2.runs[0] = ns_granule(e);
	realm_smc(e, 5, RSI_MEASUREMENT_EXTEND, 1, 4, 0xdeadbeefULL, 0);
	realm_smc(e, 3, RSI_MEASUREMENT_EXTEND, 0, 4);  /* index_bound */
	realm_smc(e, 3, RSI_MEASUREMENT_EXTEND, 1, 65); /* size_bound */
	realm_smc(e, 2, RSI_MEASUREMENT_READ, 1);
	realm_smc(e, 2, RSI_MEASUREMENT_READ, 0);
	realm_smc(e, 2, RSI_MEASUREMENT_READ, 5); /* index_bound */
	assert_int_equal(enter(e, &r2, 0), RMI_SUCCESS);
	uint8_t buf[36] = {0}, rem[64] = {0};
	uint32_t val = 0xdeadbeef;
	memcpy(buf + 32, &val, 4);
	mbedtls_sha256_ret(buf, 36, rem, 0);
	assert_int_equal(e->f->entered[1].x[0], RSI_SUCCESS);
	assert_int_equal(e->f->entered[2].x[0], RSI_ERROR_INPUT);
	assert_int_equal(e->f->entered[3].x[0], RSI_ERROR_INPUT);
	assert_memory_equal(&e->f->entered[4].x[1], rem, 64);
	assert_memory_equal(&e->f->entered[5].x[1], want, 64);
	assert_int_equal(e->f->entered[6].x[0], RSI_ERROR_INPUT);
	assert_conditions(e, "rsi", "index_bound", "size_bound", "index_bound");
	env_free(e);
}

static void rim_sha512(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	memset(&rl, 0, sizeof(rl));
	rl.params = realm_params(e);
	ns_write64(e, rl.params + REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_512);
	rl.rd = delegated(e);
	rl.rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
	ns_write64(e, rl.params + REALM_PARAMS_RTT_BASE, rl.rtt);
	assert_int_equal(RMI2(e, RMI_REALM_CREATE, rl.rd, rl.params), RMI_SUCCESS);
	uint8_t img[4096] = {0}, want[64];
	uint64_t v = TEST_S2SZ;
	memcpy(img + REALM_PARAMS_S2SZ, &v, 8);
	v = 1;
	memcpy(img + REALM_PARAMS_NUM_BPS, &v, 8);
	memcpy(img + REALM_PARAMS_NUM_WPS, &v, 8);
	memcpy(img + REALM_PARAMS_HASH_ALGO, &v, 8);
	mbedtls_sha512_ret(img, sizeof(img), want, 0);
	struct rd rd;
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(rd.measurements[0], want, 64);
	/* REM extension with a 64-byte digest. */
	uint64_t rec = delegated(e), run = ns_granule(e);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rec, rec_params(e, 0, true, 0x1000)),
			 RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_SUCCESS);
	realm_smc(e, 11, RSI_MEASUREMENT_EXTEND, 2, 64, 1, 2, 3, 4, 5, 6, 7, 8);
	assert_int_equal(RMI2(e, RMI_REC_ENTER, rec, run), RMI_SUCCESS);
	uint8_t buf[128] = {0}, rem[64];
	for (uint64_t i = 0; i < 8; i++) {
		uint64_t x = i + 1;
		memcpy(buf + 64 + 8 * i, &x, 8);
	}
	mbedtls_sha512_ret(buf, sizeof(buf), rem, 0);
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(rd.measurements[2], rem, 64);
	env_free(e);
}

/*
 * RSI_ATTESTATION_TOKEN_INIT/CONTINUE [S:B5.3.1, B5.3.2]: CONTINUE before INIT fails `state`;
 * INIT keeps the challenge; each CONTINUE condition in the spec's order; the token comes in
 * chunks (RSI_INCOMPLETE, then RSI_SUCCESS with the rest), and verifies: EL3's platform
 * signature with the CPAK, the binding, the Realm signature, the challenge and the RIM.
 */
static void attestation_token(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	const uint64_t chunk = 512;

	(void)state;
	ripas_realm(e, &rl);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 0, chunk); /* state */
	realm_smc(e, 9, RSI_ATTESTATION_TOKEN_INIT, 1, 2, 3, 4, 5, 6, 7, 8);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA + 8, 0, chunk);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_UNPROT, 0, chunk);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, GRANULE_SIZE, 1);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 8, ~0ULL);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 8, GRANULE_SIZE - 7);
	for (uint64_t k = 0; k < 6; k++) {
		realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, k * chunk, chunk);
	}
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct cpu_context *x = e->f->entered;
	assert_int_equal(x[1].x[0], RSI_ERROR_STATE);
	assert_int_equal(x[2].x[0], RSI_SUCCESS);
	assert_int_equal(x[2].x[1], ATTEST_TOKEN_MAX_SIZE);
	for (unsigned i = 3; i <= 7; i++) {
		assert_int_equal(x[i].x[0], RSI_ERROR_INPUT);
	}
	/* The chunks: full ones RSI_INCOMPLETE, the last RSI_SUCCESS with the rest; a CONTINUE
	 * after it fails `state` again. */
	size_t total = 0;
	unsigned i = 8;
	for (; x[i].x[0] == RSI_INCOMPLETE; i++) {
		assert_int_equal(x[i].x[1], chunk);
		total += chunk;
	}
	assert_true(i > 8 && i < 14);
	assert_int_equal(x[i].x[0], RSI_SUCCESS);
	assert_true(x[i].x[1] > 0 && x[i].x[1] <= chunk);
	total += x[i].x[1];
	/* The conditions in the spec's order, then `state` for each CONTINUE after the last. */
	static const char *const want[] = {"state",        "addr_align",    "addr_bound",
					   "offset_bound", "size_overflow", "size_bound"};
	const char *got[16] = {0};
	size_t n = event_conditions(e, "rsi", got, 16);
	assert_int_equal(n, 6 + (13 - i));
	for (size_t j = 0; j < n; j++) {
		assert_string_equal(got[j], j < 6 ? want[j] : "state");
	}
	for (unsigned j = i + 1; j <= 13; j++) {
		assert_int_equal(x[j].x[0], RSI_ERROR_STATE);
	}
	condition_log_events(e, "rsi");

	struct attest_key cpak;
	struct attest_token tok;
	struct attest_verdict v;
	struct rd rd;
	uint8_t challenge[64];
	assert_int_equal(attest_cpak_derive(FAKE_ATTEST_SEED, strlen(FAKE_ATTEST_SEED), &cpak),
			 ATTEST_OK);
	assert_int_equal(attest_token_verify(fake_ptr(e->f, rl.data), total, &cpak.pub, &tok, &v),
			 ATTEST_OK);
	for (uint64_t d = 0; d < 8; d++) {
		uint64_t w = d + 1;
		memcpy(challenge + 8 * d, &w, 8);
	}
	assert_memory_equal(tok.realm.challenge, challenge, 64);
	rd_view(e, rl.rd, &rd);
	assert_memory_equal(tok.realm.rim, rd.measurements[0], 32);

	/* One `token` event, right after the rsi event of the CONTINUE that finished: the claims
	 * of the bytes the realm holds. */
	assert_int_equal(count_events(e, "token"), 1);
	size_t at = 0;
	while (trace_get(e->t, at)->kind != TE_token) {
		at++;
	}
	const struct trace_event *prev = trace_get(e->t, at - 1), *ev = trace_get(e->t, at);
	assert_string_equal(prev->type, "rsi");
	assert_string_equal(trace_field(prev, "result")->str, "RSI_SUCCESS");
	assert_int_equal(trace_field(ev, "size")->num, total);
	assert_int_equal(trace_field(ev, "challenge")->list[7], 8);
	char rim[65];
	for (unsigned b = 0; b < 32; b++) {
		snprintf(rim + 2 * b, 3, "%02x", rd.measurements[0][b]);
	}
	assert_string_equal(trace_field(ev, "rim")->str, rim);
	assert_string_equal(trace_field(ev, "hash_algo")->str, "sha-256");
	env_free(e);
}

/* INIT again restarts the token from its first byte; without EL3's services CONTINUE fails
 * `unknown` (RSI_ERROR_UNKNOWN). */
static void attestation_restart_and_unknown(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;

	(void)state;
	ripas_realm(e, &rl);
	realm_smc(e, 9, RSI_ATTESTATION_TOKEN_INIT, 9, 9, 9, 9, 9, 9, 9, 9);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 0, 64);
	realm_smc(e, 9, RSI_ATTESTATION_TOKEN_INIT, 9, 9, 9, 9, 9, 9, 9, 9);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 64, 64);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[2].x[0], RSI_INCOMPLETE);
	assert_int_equal(e->f->entered[4].x[0], RSI_INCOMPLETE);
	const uint8_t *buf = fake_ptr(e->f, rl.data);
	assert_memory_equal(buf, buf + 64, 64);
	assert_int_equal(buf[0], 0xd9); /* tag 399: the token's first byte */

	e->f->attest_fails = true;
	realm_smc(e, 9, RSI_ATTESTATION_TOKEN_INIT, 1, 1, 1, 1, 1, 1, 1, 1);
	realm_smc(e, 4, RSI_ATTESTATION_TOKEN_CONTINUE, TEST_CODE_IPA, 0, 64);
	unsigned r = e->f->runs;
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[r + 2].x[0], RSI_ERROR_UNKNOWN);
	assert_conditions(e, "rsi", "unknown");
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rsi_version_features),
	    cmocka_unit_test(attestation_token),
	    cmocka_unit_test(attestation_restart_and_unknown),
	    cmocka_unit_test(rsi_realm_config),
	    cmocka_unit_test(rsi_ipa_state_get),
	    cmocka_unit_test(rtt_set_ripas_intents),
	    cmocka_unit_test(ripas_change_flow),
	    cmocka_unit_test(rtt_set_ripas_running_rec),
	    cmocka_unit_test(rsi_host_call),
	    cmocka_unit_test(stage2_aborts),
	    cmocka_unit_test(beyond_ipa_space),
	    cmocka_unit_test(wfx_irq_and_gic_state),
	    cmocka_unit_test(gic_list_register_count),
	    cmocka_unit_test(injected_sea_after_unprotected_abort),
	    cmocka_unit_test(id_regs_plain_realm),
	    cmocka_unit_test(id_regs_sve_pmu_realm),
	    cmocka_unit_test(id_regs_tf_rmm_debug_fields),
	    cmocka_unit_test(id_regs_xzr_and_writes),
	    cmocka_unit_test(virq_and_idle),
	    cmocka_unit_test(hvc_injects_undefined),
	    cmocka_unit_test(emulated_mmio),
	    cmocka_unit_test(exit_write_fails_and_run_error),
	    cmocka_unit_test(run_budget),
	    cmocka_unit_test(run_budget_counts_exceptions),
	    cmocka_unit_test(fault_loop_detected),
	    cmocka_unit_test(fault_chain_broken),
	    cmocka_unit_test(fault_loop_after_injected_sea),
	    cmocka_unit_test(rim_and_rem),
	    cmocka_unit_test(rim_sha512),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
