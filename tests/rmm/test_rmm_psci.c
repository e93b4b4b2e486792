/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_REC_ENTER, the realm's PSCI calls and RMI_PSCI_COMPLETE in every revision and profile:
 * the D1.4.1 flow (allow, deny, E1-E6), ACS cmd_psci_complete's 21 intents and TFTF
 * psci_denied (D1.4.1).
 */
#include "rmm_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define INPUT  RMI_ERROR_INPUT
#define ENTRY  0x2000ULL
#define CTX_ID 0x5555ULL
#define REL0   RMM_SPEC_1_0_REL0
#define SPEC   RMM_PROFILE_SPEC
#define TF_RMM RMM_PROFILE_TF_RMM

/* X<n> as the realm saw it when the REC was last resumed. */
static uint64_t realm_x(struct env *e, unsigned n)
{
	return fake_last_entry(e->f)->x[n];
}

/* The result of the last "psci" event: what the realm last received. */
static const char *psci_result(struct env *e)
{
	const struct trace_event *ev = last_event(e, "psci");
	const struct trace_field *f = ev ? trace_field(ev, "result") : NULL;
	return f && f->kind == TV_NAME ? f->str : NULL;
}

/* REC0 calls CPU_ON(target) and exits to the host. */
static void cpu_on_exit(struct env *e, struct realm *rl, unsigned target)
{
	realm_smc(e, 4, PSCI_CPU_ON, (uint64_t)target, ENTRY, CTX_ID);
	assert_int_equal(enter(e, rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, rl, 0), RMI_EXIT_PSCI);
	assert_int_equal(exit_gpr(e, rl, 0, 0), PSCI_CPU_ON);
	assert_int_equal(exit_gpr(e, rl, 0, 1), target);
}

/* --- RMI_REC_ENTER intents --- */

struct enter_fx {
	struct realm rl;
};

static void enter_setup(struct env *e, void *fx, uint64_t *args)
{
	struct enter_fx *x = fx;
	realm_build(e, &x->rl, 2, 1, true);
	args[1] = x->rl.recs[0];
	args[2] = x->rl.runs[0];
}

static void p_run_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[2] += 0x800;
}

static void p_run_dev(struct env *e, void *fx, uint64_t *args)
{
	args[2] = FAKE_DEV_PA;
}

static void p_run_realm(struct env *e, void *fx, uint64_t *args)
{
	args[2] = delegated(e);
}

static void p_rec_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[1] += 0x40;
}

static void p_rec_beyond(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_BEYOND_PA;
}

static void p_rec_is_rd(struct env *e, void *fx, uint64_t *args)
{
	args[1] = ((struct enter_fx *)fx)->rl.rd;
}

static void p_realm_new(struct env *e, void *fx, uint64_t *args)
{
	struct realm other;
	realm_build(e, &other, 1, 1, false);
	args[1] = other.recs[0];
}

static void p_system_off(struct env *e, void *fx, uint64_t *args)
{
	struct enter_fx *x = fx;
	realm_smc(e, 1, PSCI_SYSTEM_OFF);
	assert_int_equal(enter(e, &x->rl, 0), RMI_SUCCESS);
}

static void p_not_runnable(struct env *e, void *fx, uint64_t *args)
{
	struct enter_fx *x = fx;
	args[1] = x->rl.recs[1];
	args[2] = x->rl.runs[1];
}

static void p_psci_pending(struct env *e, void *fx, uint64_t *args)
{
	cpu_on_exit(e, &((struct enter_fx *)fx)->rl, 1);
}

static void p_gicv3(struct env *e, void *fx, uint64_t *args)
{
	/* a pending virtual interrupt linked to a physical one: HW == 1 (A6.1) */
	ns_write64(e, args[2] + RUN_ENTER_GICV3_LRS, (1ULL << 62) | (1ULL << 61) | 40);
}

static void p_mmio(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[2] + RUN_ENTER_FLAGS, REC_ENTER_FLAG_EMUL_MMIO);
}

static const struct intent enter_intents[] = {
    {"run unaligned", "run_align", INPUT, p_run_unaligned},
    {"run device", "run_bound", INPUT, p_run_dev},
    {"run delegated", "run_pas", INPUT, p_run_realm},
    {"rec unaligned", "rec_align", INPUT, p_rec_unaligned},
    {"rec beyond PA", "rec_bound", INPUT, p_rec_beyond},
    {"rec is an RD", "rec_gran_state", INPUT, p_rec_is_rd},
    {"realm NEW", "realm_new", RMI_RET(RMI_ERROR_REALM, 0), p_realm_new},
    {"realm SYSTEM_OFF", "system_off", RMI_RET(RMI_ERROR_REALM, 1), p_system_off},
    {"REC not runnable", "rec_runnable", RMI_ERROR_REC, p_not_runnable},
    {"PSCI pending", "rec_psci", RMI_ERROR_REC, p_psci_pending},
    {"GIC LR with HW = 1", "rec_gicv3", RMI_ERROR_REC, p_gicv3},
    {"emul_mmio without abort", "rec_mmio", RMI_ERROR_REC, p_mmio},
};

static void rec_enter_intents_spec(void **state)
{
	run_intents(enter_intents, sizeof(enter_intents) / sizeof(enter_intents[0]), RMI_REC_ENTER,
		    enter_setup, sizeof(struct enter_fx), REL0, SPEC);
}

static void rec_enter_intents_tf_rmm(void **state)
{
	run_intents(enter_intents, sizeof(enter_intents) / sizeof(enter_intents[0]), RMI_REC_ENTER,
		    enter_setup, sizeof(struct enter_fx), REL0, TF_RMM);
}

/*
 * Gicv3ConfigIsValid [S:A6.1]: which gicv3_hcr and gicv3_lrs values RMI_REC_ENTER accepts,
 * under the spec and under TF-RMM's checks (TR19). The tf-rmm column is what TF-RMM's fake
 * host answered (tag rmm-spec-v1.0-rel0), for a GIC with one List Register.
 */
static void gicv3_config(void **state)
{
#define PENDING (1ULL << 62)
	static const struct {
		const char *what;
		uint64_t hcr;
		unsigned lr;
		uint64_t value;
		bool spec_ok, tf_rmm_ok;
	} rows[] = {
	    {"nothing", 0, 0, 0, true, true},
	    {"hcr.En", 1, 0, 0, false, false},
	    {"hcr: every host bit", 0x40FE, 0, 0, true, true},
	    {"hcr.TDIR", 1ULL << 14, 0, 0, true, true},
	    {"hcr.vSGIEOICount", 1ULL << 8, 0, 0, false, false},
	    {"hcr.TC", 1ULL << 10, 0, 0, false, false},
	    {"hcr.EOIcount", 1ULL << 27, 0, 0, false, false},
	    {"pending vINTID 40", 0, 0, PENDING | 40, true, true},
	    {"pending, EOI", 0, 0, PENDING | (1ULL << 41) | 40, true, true},
	    {"pending, HW", 0, 0, PENDING | (1ULL << 61) | 40, false, false},
	    {"Invalid state, HW", 0, 0, (1ULL << 61) | 40, false, true},
	    {"LR 5 pending, HW", 0, 5, PENDING | (1ULL << 61) | 40, false, true},
	    {"pending, pINTID bit", 0, 0, PENDING | (1ULL << 33) | 40, false, false},
	    {"pending, RES0 bit 58", 0, 0, PENDING | (1ULL << 58) | 40, false, true},
	    {"pending, RES0 bit 46", 0, 0, PENDING | (1ULL << 46) | 40, false, true},
	    {"pending, priority bit 48", 0, 0, PENDING | (1ULL << 48) | 40, false, false},
	    {"pending, priority 0x80", 0, 0, PENDING | (0x80ULL << 48) | 40, true, true},
	    {"pending vINTID 1020", 0, 0, PENDING | 1020, true, false},
	    {"pending vINTID 8192 (LPI)", 0, 0, PENDING | 8192, true, true},
	    {"pending vINTID 0x10000", 0, 0, PENDING | 0x10000, false, false},
	    {"Invalid state, vINTID 0x10000", 0, 0, 0x10000, false, true},
	};
#undef PENDING
	for (int p = 0; p < 2; p++) {
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
			struct realm rl;
			realm_build(e, &rl, 1, 1, true);
			ns_write64(e, rl.runs[0] + RUN_ENTER_GICV3_HCR, rows[i].hcr);
			ns_write64(e, rl.runs[0] + RUN_ENTER_GICV3_LRS + 8 * rows[i].lr,
				   rows[i].value);
			bool ok = p ? rows[i].tf_rmm_ok : rows[i].spec_ok;
			uint64_t x0 = enter(e, &rl, 0);
			if (x0 != (ok ? RMI_SUCCESS : RMI_ERROR_REC)) {
				fail_msg("%s (%s): X0 = %#llx", rows[i].what, p ? "tf-rmm" : "spec",
					 (unsigned long long)x0);
			}
			if (!ok) {
				assert_rmi_condition(e, "rec_gicv3");
			}
			env_free(e);
		}
	}
}

/* Where the spec leaves the order open, the two profiles differ (TR13). */
static void rec_enter_order(void **state)
{
	struct env *e = env_new(REL0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	assert_int_equal(RMI2(e, RMI_REC_ENTER, rl.recs[0] + 1, rl.runs[0] + 1), INPUT);
	assert_rmi_condition(e, "rec_align");
	assert_int_equal(RMI2(e, RMI_REC_ENTER, rl.recs[0] + 1, delegated(e)), INPUT);
	assert_rmi_condition(e, "rec_align");
	env_free(e);
	e = env_new(REL0, TF_RMM);
	realm_build(e, &rl, 1, 1, true);
	assert_int_equal(RMI2(e, RMI_REC_ENTER, rl.recs[0] + 1, rl.runs[0] + 1), INPUT);
	assert_rmi_condition(e, "run_align");
	/* A delegated run page: TF-RMM looks at the granule before the REC. */
	uint64_t d = delegated(e);
	assert_int_equal(RMI2(e, RMI_REC_ENTER, rl.recs[0] + 1, d), INPUT);
	assert_rmi_condition(e, "run_pas");
	/* A run page whose GPT entry is not NS (the RMM's state says UNDELEGATED). */
	fake_set_pas(e->f, rl.runs[0], FAKE_PAS_REALM);
	assert_int_equal(enter(e, &rl, 0), INPUT);
	assert_rmi_condition(e, "run_pas");
	env_free(e);
}

static void rec_enter_events(void **state)
{
	struct env *e = env_new(REL0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	realm_smc(e, 4, PSCI_CPU_ON, 1, ENTRY, CTX_ID);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	const struct trace_event *ev = last_event(e, "rec_enter");
	assert_int_equal(trace_field(ev, "rec")->num, 0);
	assert_string_equal(trace_field(ev, "status")->str, "RMI_SUCCESS");
	assert_non_null(trace_field(ev, "realm"));
	ev = last_event(e, "rec_exit");
	assert_string_equal(trace_field(ev, "reason")->str, "PSCI");
	assert_int_equal(trace_field(ev, "gprs")->list[0], PSCI_CPU_ON);
	assert_int_equal(trace_field(ev, "gprs")->list[2], ENTRY);
	ev = last_event(e, "rec_state");
	assert_true(trace_field(ev, "pending")->num);
	assert_int_equal(enter(e, &rl, 1), RMI_ERROR_REC);
	assert_string_equal(trace_field(last_event(e, "rec_enter"), "status")->str,
			    "RMI_ERROR_REC");
	/* The rmi event comes last, once the command has returned. */
	assert_string_equal(trace_get(e->t, trace_count(e->t) - 1)->type, "rmi");
	env_free(e);
}

/* --- PSCI calls the RMM answers --- */

/* A target_cpu with a bit set that no REC's MPIDR has names no REC: not REC 0 with the bit
 * dropped. Bits [31:24] (between Aff2 and Aff3), [7:4] (above a REC's Aff0), [63:40]. */
static void target_cpu_reserved_bits(void **state)
{
	(void)state;
	static const uint64_t bad[] = {1ULL << 24, 1ULL << 31, 0x10, 1ULL << 40};
	struct env *e = env_new(REL0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	for (unsigned i = 0; i < 4; i++) {
		realm_smc(e, 4, PSCI_CPU_ON, bad[i], ENTRY, 0);
		realm_smc(e, 3, PSCI_AFFINITY_INFO, bad[i], 0);
	}
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	for (unsigned i = 0; i < 8; i++) {
		if (e->f->entered[i + 1].x[0] != PSCI_INVALID_PARAMETERS) {
			fail_msg("call %u: X0 %#llx", i,
				 (unsigned long long)e->f->entered[i + 1].x[0]);
		}
	}
	env_free(e);
}

static void psci_answered_in_rmm(void **state)
{
	struct env *e = env_new(REL0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 3, 1, true);
	realm_smc(e, 1, PSCI_VERSION);
	realm_smc(e, 2, PSCI_FEATURES, PSCI_CPU_ON);
	realm_smc(e, 2, PSCI_FEATURES, 0x8400000CULL);
	realm_smc(e, 4, PSCI_CPU_ON, 2, TEST_UNPROT, 0);      /* entry Unprotected */
	realm_smc(e, 4, PSCI_CPU_ON, 3, ENTRY, 0);            /* MPIDR not used */
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 1, 1);            /* level != 0 */
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 3, 0);            /* MPIDR not used */
	realm_smc(e, 1, 0x84000005ULL);                       /* unlisted PSCI function */
	realm_smc(e, 4, PSCI_CPU_ON_SMC32, 1, ENTRY, CTX_ID); /* SMC32 form: not in the spec */
	realm_smc(e, 1, SMCCC_VERSION);
	realm_smc(e, 1, 0xC2000000ULL); /* neither PSCI nor RSI */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_IRQ); /* ran out of script */
	assert_true(rmm_last_run_budget_exhausted(e->r));
	const uint64_t want[] = {0x10001,
				 PSCI_SUCCESS,
				 PSCI_NOT_SUPPORTED,
				 PSCI_INVALID_ADDRESS,
				 PSCI_INVALID_PARAMETERS,
				 PSCI_INVALID_PARAMETERS,
				 PSCI_INVALID_PARAMETERS,
				 PSCI_NOT_SUPPORTED,
				 PSCI_NOT_SUPPORTED,
				 SMCCC_NOT_SUPPORTED,
				 SMCCC_NOT_SUPPORTED};
	for (unsigned i = 0; i < 11; i++) {
		if (e->f->entered[i + 1].x[0] != want[i]) {
			fail_msg("call %u: X0 %#llx", i,
				 (unsigned long long)e->f->entered[i + 1].x[0]);
		}
		assert_int_equal(e->f->entered[i + 1].pc, TEST_CODE_IPA + 4 * (i + 1));
	}
	assert_int_equal(count_events(e, "rec_exit"), 1);
	assert_conditions(e, "psci", "entry", "mpidr", "target_bound", "target_match");
	env_free(e);
}

static void psci_tf_rmm_answers(void **state)
{
	struct env *e = env_new(REL0, TF_RMM);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	realm_smc(e, 2, PSCI_FEATURES, PSCI_VERSION);         /* TR4 */
	realm_smc(e, 2, PSCI_FEATURES, PSCI_CPU_ON_SMC32);    /* TR4 */
	realm_smc(e, 4, PSCI_CPU_ON, 0, ENTRY, CTX_ID);       /* self (TR8 = spec) */
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 0, 0);            /* self (TR8 = spec) */
	realm_smc(e, 1, SMCCC_VERSION);                       /* TR10 */
	realm_smc(e, 4, PSCI_CPU_ON_SMC32, 1, ENTRY, CTX_ID); /* TR4: exits */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_PSCI);
	assert_int_equal(e->f->entered[1].x[0], PSCI_NOT_SUPPORTED);
	assert_int_equal(e->f->entered[2].x[0], PSCI_SUCCESS);
	assert_int_equal(e->f->entered[3].x[0], PSCI_ALREADY_ON);
	assert_conditions(e, "psci", "runnable"); /* the self-target CPU_ON */
	assert_int_equal(e->f->entered[4].x[0], PSCI_SUCCESS);
	assert_int_equal(e->f->entered[5].x[0], 0x10002);
	/* TR5: only FID and MPIDR reach the host. */
	assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_CPU_ON_SMC32);
	assert_int_equal(exit_gpr(e, &rl, 0, 1), 1);
	assert_int_equal(exit_gpr(e, &rl, 0, 2), 0);
	assert_int_equal(exit_gpr(e, &rl, 0, 3), 0);
	/* The completion matches the SMC32 FID. */
	assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
			 RMI_SUCCESS);
	struct rec_view v;
	rec_view(e, rl.recs[1], &v);
	assert_true(v.runnable);
	env_free(e);
}

/*
 * CPU_ON and AFFINITY_INFO naming the caller itself are answered by the RMM in every revision
 * and profile (B6.3.3 `runnable`, B6.3.1 success `runnable`: the caller is RUNNABLE). Were
 * they forwarded, the host could never complete them: RMI_PSCI_COMPLETE(rec0, rec0) fails
 * `alias`, and the REC would stay pending forever.
 */
static void psci_self_target_answered(void **state)
{
	for (int s = RMM_SPEC_1_0_EAC2; s <= RMM_SPEC_2_0; s++) {
		for (int p = 0; p < 2; p++) {
			struct env *e = env_new((enum rmm_spec)s, p ? TF_RMM : SPEC);
			struct realm rl;
			realm_build(e, &rl, 2, 1, true);
			realm_smc(e, 4, PSCI_CPU_ON, 0, ENTRY, CTX_ID);
			realm_smc(e, 3, PSCI_AFFINITY_INFO, 0, 0);
			realm_smc(e, 4, PSCI_CPU_ON, 1, ENTRY, CTX_ID);
			assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
			/* The first exit is the CPU_ON for REC 1: the two calls before it were
			 * answered without one. */
			assert_int_equal(count_events(e, "rec_exit"), 1);
			assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_CPU_ON);
			assert_int_equal(exit_gpr(e, &rl, 0, 1), 1);
			assert_int_equal(e->f->entered[1].x[0], PSCI_ALREADY_ON);
			assert_int_equal(e->f->entered[2].x[0], PSCI_SUCCESS);
			assert_conditions(e, "psci", "runnable");
			env_free(e);
		}
	}
}

static void psci_suspend_off_reset(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 3, true);
		realm_smc(e, 4, PSCI_CPU_SUSPEND, 7, 8, 9);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_PSCI);
		assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_CPU_SUSPEND);
		assert_int_equal(exit_gpr(e, &rl, 0, 1), p ? 0 : 7); /* TR5 */
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(realm_x(e, 0), PSCI_SUCCESS);

		realm_smc(e, 1, PSCI_CPU_OFF);
		assert_int_equal(enter(e, &rl, 1), RMI_SUCCESS);
		assert_int_equal(exit_gpr(e, &rl, 1, 0), PSCI_CPU_OFF);
		struct rec_view v;
		rec_view(e, rl.recs[1], &v);
		assert_false(v.runnable);
		assert_int_equal(v.x[0], p ? PSCI_SUCCESS : PSCI_CPU_OFF); /* TR11 */
		assert_int_equal(enter(e, &rl, 1), RMI_ERROR_REC);
		assert_rmi_condition(e, "rec_runnable");

		realm_smc(e, 1, PSCI_SYSTEM_RESET);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(trace_field(last_event(e, "realm_state"), "state")->str,
				    "SYSTEM_OFF");
		assert_int_equal(enter(e, &rl, 0), RMI_RET(RMI_ERROR_REALM, 1));
		env_free(e);
	}
}

/* --- D1.4.1: allow path --- */

static void cpu_on_allow(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_create_only(e, &rl);
		/* REC1 created with X1 = 0x77 to see what on_success does to it (TR2). */
		uint64_t p0 = rec_params(e, 0, true, 0x1000), p1 = rec_params(e, 1, false, 0x1000);
		ns_write64(e, p1 + REC_PARAMS_GPRS + 8, 0x77);
		rl.recs[0] = delegated(e), rl.recs[1] = delegated(e);
		rl.runs[0] = ns_granule(e), rl.runs[1] = ns_granule(e);
		assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rl.recs[0], p0), RMI_SUCCESS);
		assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rl.recs[1], p1), RMI_SUCCESS);
		assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_SUCCESS);

		cpu_on_exit(e, &rl, 1);
		assert_int_equal(exit_gpr(e, &rl, 0, 2), p ? 0 : ENTRY); /* TR5 */
		assert_int_equal(exit_gpr(e, &rl, 0, 3), p ? 0 : CTX_ID);
		/* E1: entering the caller before the completion. */
		assert_int_equal(enter(e, &rl, 0), RMI_ERROR_REC);
		assert_rmi_condition(e, "rec_psci");

		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
				 RMI_SUCCESS);
		assert_string_equal(last_rmi_decision(e), "on_success");
		/* The realm has not received the result yet: reported on its next entry. */
		assert_null(psci_result(e));
		struct rec_view v;
		rec_view(e, rl.recs[1], &v);
		assert_true(v.runnable);
		assert_int_equal(v.pc, ENTRY);
		assert_int_equal(v.x[0], CTX_ID);
		assert_int_equal(v.x[1], p ? 0x77 : 0); /* TR2 */

		/* The caller resumes after its SMC with X0 = SUCCESS, X1..X3 = 0, whatever the
		 * host put in enter.gprs. */
		for (unsigned i = 0; i < 31; i++) {
			ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS + 8 * i, 0xbad);
		}
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(psci_result(e), "PSCI_SUCCESS");
		assert_int_equal(realm_x(e, 0), PSCI_SUCCESS);
		assert_int_equal(realm_x(e, 1), 0);
		assert_int_equal(realm_x(e, 3), 0);
		assert_int_equal(fake_last_entry(e->f)->pc, TEST_CODE_IPA + 4);

		assert_int_equal(enter(e, &rl, 1), RMI_SUCCESS);
		assert_int_equal(fake_last_entry(e->f)->pc, ENTRY);
		assert_int_equal(realm_x(e, 0), CTX_ID);
		env_free(e);
	}
}

/* --- D1.4.1: deny path, and a deny the spec refuses (E2, TR1) --- */

static void cpu_on_deny(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 1, true);
		cpu_on_exit(e, &rl, 1);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_DENIED),
				 RMI_SUCCESS);
		assert_string_equal(last_rmi_decision(e), "on_denied");
		assert_null(psci_result(e));
		assert_int_equal(enter(e, &rl, 1), RMI_ERROR_REC);
		assert_rmi_condition(e, "rec_runnable");
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(psci_result(e), "PSCI_DENIED");
		assert_int_equal(realm_x(e, 0), PSCI_DENIED);
		/* A zero-extended 32-bit -3 is not DENIED. */
		cpu_on_exit(e, &rl, 1);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], 0xFFFFFFFDULL),
				 INPUT);
		assert_rmi_condition(e, "status");
		assert_null(last_rmi_decision(e)); /* a failed command decides nothing */
		env_free(e);
	}
}

static void cpu_on_deny_runnable_target(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 3, true);
		cpu_on_exit(e, &rl, 1);
		void *snap = fake_snapshot(e->f);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_DENIED),
				 INPUT);
		assert_rmi_condition(e, "status");
		if (p == 0) {
			/* Spec: nothing changed, the caller is still pending. */
			assert_true(fake_same(e->f, snap));
			assert_int_equal(enter(e, &rl, 0), RMI_ERROR_REC);
			assert_rmi_condition(e, "rec_psci");
			assert_int_equal(
			    RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
			    RMI_SUCCESS);
			assert_string_equal(last_rmi_decision(e), "on_already");
		} else {
			/* TR1: failed, and yet completed with ALREADY_ON. */
			assert_false(fake_same(e->f, snap));
		}
		assert_null(psci_result(e));
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(psci_result(e), "PSCI_ALREADY_ON");
		assert_int_equal(realm_x(e, 0), PSCI_ALREADY_ON);
		free(snap);
		env_free(e);
	}
}

static void affinity_info_on_off(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 3, 5, true);
		realm_smc(e, 3, PSCI_AFFINITY_INFO, 1, 0);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_AFFINITY_INFO);
		assert_int_equal(exit_gpr(e, &rl, 0, 1), 1);
		/* Only SUCCESS is a permitted status for AFFINITY_INFO. */
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_DENIED),
				 INPUT);
		assert_rmi_condition(e, "status");
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
				 RMI_SUCCESS);
		assert_string_equal(last_rmi_decision(e), "affinity_off");
		realm_smc(e, 3, PSCI_AFFINITY_INFO, 2, 0);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(psci_result(e), "PSCI_OFF");
		assert_int_equal(realm_x(e, 0), PSCI_OFF);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[2], PSCI_SUCCESS),
				 RMI_SUCCESS);
		assert_string_equal(last_rmi_decision(e), "affinity_on");
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_string_equal(psci_result(e), "PSCI_SUCCESS");
		assert_int_equal(realm_x(e, 0), PSCI_SUCCESS);
		env_free(e);
	}
}

/* --- Revisions: eac2 (no status) and the 2.0 draft (no target) --- */

static void eac2_cannot_deny(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_EAC2, SPEC);
	struct realm rl;
	realm_build(e, &rl, 3, 5, true);
	cpu_on_exit(e, &rl, 1);
	/* X3 is not an argument: a DENIED there is ignored, the call completes. */
	assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_DENIED),
			 RMI_SUCCESS);
	assert_int_equal(trace_field(last_event(e, "rmi"), "args")->len, 2);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_string_equal(psci_result(e), "PSCI_SUCCESS");
	assert_int_equal(realm_x(e, 0), PSCI_SUCCESS);
	/* A runnable target: ALREADY_ON, decided by the RMM. */
	cpu_on_exit(e, &rl, 2);
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[2]), RMI_SUCCESS);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_string_equal(psci_result(e), "PSCI_ALREADY_ON");
	env_free(e);
}

static void v2_two_argument_complete(void **state)
{
	struct env *e = env_new(RMM_SPEC_2_0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 3, 1, true);
	/* AFFINITY_INFO answered without an exit. */
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 1, 0);
	cpu_on_exit(e, &rl, 1);
	assert_int_equal(e->f->entered[1].x[0], PSCI_OFF);
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], PSCI_SUCCESS), RMI_SUCCESS);
	assert_int_equal(trace_field(last_event(e, "rmi"), "args")->len, 2);
	struct rec_view v;
	rec_view(e, rl.recs[1], &v);
	assert_true(v.runnable);
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 1, 0);
	cpu_on_exit(e, &rl, 2);
	assert_int_equal(e->f->entered[3].x[0], PSCI_SUCCESS); /* REC1 now ON */
	assert_int_equal(realm_x(e, 0), PSCI_SUCCESS);         /* the CPU_ON(1) result */
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], PSCI_NOT_SUPPORTED), INPUT);
	assert_rmi_condition(e, "status");
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[1], PSCI_SUCCESS), INPUT);
	assert_rmi_condition(e, "pending");
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0] + 8, PSCI_SUCCESS), INPUT);
	assert_rmi_condition(e, "calling_align");
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], PSCI_DENIED), RMI_SUCCESS);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), PSCI_DENIED);
	env_free(e);
}

/* --- ACS cmd_psci_complete: 21 intents (RMM ACS 1.0-rel0) --- */

struct acs_row {
	const char *name, *cond;
	unsigned calling, target; /* enum acs_gran */
	uint64_t status;
};

enum acs_gran {
	V_REC0,
	V_REC1,
	V_REC2,
	W_REC0,
	W_REC1,
	UNALIGNED,
	DEV_MEM,
	BEYOND_PA,
	G_UNDELEGATED,
	G_DELEGATED,
	G_RD,
	G_RTT,
	G_DATA,
};

static const struct acs_row acs_rows[] = {
    {"ALIAS", "alias", V_REC1, V_REC1, PSCI_SUCCESS},
    {"CALLING_UNALIGNED", "calling_align", UNALIGNED, V_REC1, PSCI_SUCCESS},
    {"CALLING_DEV_MEM", "calling_bound", DEV_MEM, V_REC1, PSCI_SUCCESS},
    {"CALLING_OUT_OF_PERMITTED_PA", "calling_bound", BEYOND_PA, V_REC1, PSCI_SUCCESS},
    {"CALLING_GRAN_STATE_UNDELEGATED", "calling_state", G_UNDELEGATED, V_REC1, PSCI_SUCCESS},
    {"CALLING_GRAN_STATE_DELEGATED", "calling_state", G_DELEGATED, V_REC1, PSCI_SUCCESS},
    {"CALLING_GRAN_STATE_RD", "calling_state", G_RD, V_REC1, PSCI_SUCCESS},
    {"CALLING_GRAN_STATE_RTT", "calling_state", G_RTT, V_REC1, PSCI_SUCCESS},
    {"CALLING_GRAN_STATE_DATA", "calling_state", G_DATA, V_REC1, PSCI_SUCCESS},
    {"TARGET_UNALIGNED", "target_align", V_REC0, UNALIGNED, PSCI_SUCCESS},
    {"TARGET_DEV_MEM", "target_bound", V_REC0, DEV_MEM, PSCI_SUCCESS},
    {"TARGET_OUT_OF_PERMITTED_PA", "target_bound", V_REC0, BEYOND_PA, PSCI_SUCCESS},
    {"TARGET_GRAN_STATE_UNDELEGATED", "target_state", V_REC0, G_UNDELEGATED, PSCI_SUCCESS},
    {"TARGET_GRAN_STATE_DELEGATED", "target_state", V_REC0, G_DELEGATED, PSCI_SUCCESS},
    {"TARGET_GRAN_STATE_RD", "target_state", V_REC0, G_RD, PSCI_SUCCESS},
    {"TARGET_GRAN_STATE_RTT", "target_state", V_REC0, G_RTT, PSCI_SUCCESS},
    {"TARGET_GRAN_STATE_DATA", "target_state", V_REC0, G_DATA, PSCI_SUCCESS},
    {"NO_PSCI_REQUEST", "pending", W_REC0, W_REC1, PSCI_SUCCESS},
    {"TARGET_OTHER_OWNER", "owner", V_REC0, W_REC1, PSCI_SUCCESS},
    {"TARGET_OTHER_MPIDR", "target", V_REC0, V_REC2, PSCI_SUCCESS},
    {"STATUS_NOT_PERMITTED", "status", V_REC0, V_REC1, PSCI_NOT_SUPPORTED},
};

static uint64_t acs_pa(const uint64_t *g, unsigned which)
{
	return g[which];
}

/* Which rows apply to a revision (RMM ACS 1.0-rel0). */
static bool acs_row_applies(enum rmm_spec spec, const struct acs_row *row)
{
	if (spec == RMM_SPEC_1_0_EAC2) {
		return strcmp(row->cond, "status") != 0;
	}
	if (spec == RMM_SPEC_2_0) {
		return row->target == V_REC1 && strcmp(row->cond, "alias") != 0;
	}
	return true;
}

static void acs_psci_complete(enum rmm_spec spec, enum rmm_profile profile)
{
	struct env *e = env_new(spec, profile);
	struct realm v, w;
	realm_build(e, &v, 3, 1, true);
	realm_build(e, &w, 2, 1, true);
	uint64_t g[13];
	g[V_REC0] = v.recs[0], g[V_REC1] = v.recs[1], g[V_REC2] = v.recs[2];
	g[W_REC0] = w.recs[0], g[W_REC1] = w.recs[1];
	g[UNALIGNED] = v.recs[0] + 0x10;
	g[DEV_MEM] = FAKE_DEV_PA;
	g[BEYOND_PA] = FAKE_BEYOND_PA;
	g[G_UNDELEGATED] = ns_granule(e);
	g[G_DELEGATED] = delegated(e);
	g[G_RD] = v.rd, g[G_RTT] = v.rtt, g[G_DATA] = v.data;
	cpu_on_exit(e, &v, 1);

	for (size_t i = 0; i < sizeof(acs_rows) / sizeof(acs_rows[0]); i++) {
		const struct acs_row *row = &acs_rows[i];
		if (!acs_row_applies(spec, row)) {
			continue;
		}
		void *snap = fake_snapshot(e->f);
		uint64_t x0;
		if (spec == RMM_SPEC_2_0) {
			x0 = RMI2(e, RMI_PSCI_COMPLETE, acs_pa(g, row->calling), row->status);
		} else {
			x0 = RMI3(e, RMI_PSCI_COMPLETE, acs_pa(g, row->calling),
				  acs_pa(g, row->target), row->status);
		}
		const char *cond = last_rmi_condition(e);
		if (x0 != INPUT || !cond || strcmp(cond, row->cond) != 0) {
			fail_msg("%s/%s %s: X0 %#llx condition %s, expected %s",
				 rmm_spec_name(spec), rmm_profile_name(profile), row->name,
				 (unsigned long long)x0, cond ? cond : "-", row->cond);
		}
		if (!fake_same(e->f, snap)) {
			fail_msg("%s changed the machine", row->name);
		}
		condition_log("RMI_PSCI_COMPLETE", row->cond);
		free(snap);
	}
	/* Positive check: the 21 failures changed nothing. */
	if (spec == RMM_SPEC_2_0) {
		assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, v.recs[0], PSCI_SUCCESS), RMI_SUCCESS);
	} else {
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, v.recs[0], v.recs[1], PSCI_SUCCESS),
				 RMI_SUCCESS);
	}
	env_free(e);
}

static void acs_psci_complete_all(void **state)
{
	for (int s = RMM_SPEC_1_0_EAC2; s <= RMM_SPEC_2_0; s++) {
		acs_psci_complete((enum rmm_spec)s, SPEC);
		acs_psci_complete((enum rmm_spec)s, TF_RMM);
	}
}

/* --- TFTF host_realm_multi_rec_psci_denied (TF-A tests) --- */

static void tftf_psci_denied(enum rmm_spec spec, enum rmm_profile profile, bool expect_pass)
{
	struct env *e = env_new(spec, profile);
	struct realm rl;
	bool v2 = spec == RMM_SPEC_2_0;
	realm_build(e, &rl, 3, 5, true);
#define COMPLETE(target, status)                                                                   \
	(v2 ? RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], status)                                       \
	    : RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[target], status))

	/* 1-2: CPU_ON(1) denied. */
	realm_smc(e, 4, PSCI_CPU_ON, 1, ENTRY, 0x100);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_CPU_ON);
	assert_int_equal(exit_gpr(e, &rl, 0, 1), 1);
	assert_int_equal(COMPLETE(1, PSCI_DENIED), RMI_SUCCESS);
	/* 3 */
	assert_int_equal(enter(e, &rl, 1), RMI_ERROR_REC);
	/* 4: DENIED seen; AFFINITY_INFO(1) = OFF (2.0: answered by the RMM, so the realm goes
	 * straight on to step 5 in the same run). */
	unsigned r0 = e->f->runs;
	realm_smc(e, 3, PSCI_AFFINITY_INFO, 1, 0);
	if (v2) {
		realm_smc(e, 4, PSCI_CPU_ON, 2, ENTRY, 0x102);
	}
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[r0].x[0], PSCI_DENIED);
	if (!v2) {
		assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_AFFINITY_INFO);
		assert_int_equal(COMPLETE(1, PSCI_SUCCESS), RMI_SUCCESS);
		/* 5: CPU_ON(2) on a runnable REC. */
		realm_smc(e, 4, PSCI_CPU_ON, 2, ENTRY, 0x102);
		r0 = e->f->runs;
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(e->f->entered[r0].x[0], PSCI_OFF);
	} else {
		assert_int_equal(e->f->entered[r0 + 1].x[0], PSCI_OFF);
	}
	/* 5: the deny must fail. */
	assert_int_equal(exit_gpr(e, &rl, 0, 0), PSCI_CPU_ON);
	assert_int_equal(COMPLETE(2, PSCI_DENIED), INPUT);
	/* 6: re-enter without another completion. */
	uint64_t x0 = enter(e, &rl, 0);
	if (expect_pass) {
		assert_int_equal(x0, RMI_SUCCESS);
		assert_int_equal(realm_x(e, 0), PSCI_ALREADY_ON);
	} else {
		assert_int_equal(x0, RMI_ERROR_REC);
		assert_rmi_condition(e, "rec_psci");
	}
#undef COMPLETE
	env_free(e);
}

static void tftf_psci_denied_all(void **state)
{
	tftf_psci_denied(REL0, SPEC, false);
	tftf_psci_denied(REL0, TF_RMM, true);
	tftf_psci_denied(RMM_SPEC_1_0_EAC3, SPEC, false);
	tftf_psci_denied(RMM_SPEC_2_0, SPEC, false);
	tftf_psci_denied(RMM_SPEC_2_0, TF_RMM, true);
}

/* --- ACS exception_rec_exit_psci step 3: enter.gprs never leak into PSCI results --- */

static void psci_results_ignore_enter_gprs(void **state)
{
	struct env *e = env_new(REL0, SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	realm_smc(e, 7, PSCI_AFFINITY_INFO, 1, 0, 0, 0x44, 0x55, 0x66);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS + 8 * 5, 0);
	ns_write64(e, rl.runs[0] + RUN_ENTER_GPRS + 8 * 0, 0x1234);
	assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
			 RMI_SUCCESS);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), PSCI_OFF);
	assert_int_equal(realm_x(e, 4), 0x44);
	assert_int_equal(realm_x(e, 5), 0x55);
	assert_int_equal(realm_x(e, 6), 0x66);
	env_free(e);
}

/* Orders the spec leaves open (TR13 in the tf-rmm profile). */
static void psci_complete_orders(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 1, true);
		cpu_on_exit(e, &rl, 1);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0] + 8, rl.recs[1] + 8, 0),
				 INPUT);
		assert_rmi_condition(e, "calling_align");
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.rd, rl.recs[1] + 8, 0), INPUT);
		assert_rmi_condition(e, p ? "target_align" : "calling_state");
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.rd, rl.rd, 0), INPUT);
		assert_rmi_condition(e, p ? "calling_state" : "alias");
		env_free(e);
	}
}

/* 2.0 draft: the target named by the saved MPIDR was destroyed (reachable under TR9). */
static void v2_destroyed_target(void **state)
{
	struct env *e = env_new(RMM_SPEC_2_0, TF_RMM);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[1]), RMI_SUCCESS);
	cpu_on_exit(e, &rl, 1);
	assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], PSCI_SUCCESS), INPUT);
	assert_rmi_condition(e, "target");
	env_free(e);
	/* Spec profile: a destroyed REC's MPIDR is not used, so the RMM answers at once. */
	e = env_new(RMM_SPEC_2_0, SPEC);
	realm_build(e, &rl, 2, 1, true);
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[1]), RMI_SUCCESS);
	realm_smc(e, 4, PSCI_CPU_ON, 1, ENTRY, CTX_ID);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), PSCI_INVALID_PARAMETERS);
	assert_conditions(e, "psci", "mpidr"); /* a destroyed REC's MPIDR is not used */
	env_free(e);
}

/* TR6: a re-onlined REC starts from reset PSTATE/SCTLR_EL1 in TF-RMM; the spec sets only
 * its PC and registers. */
static void cpu_on_target_reset(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 3, true);
		fake_rec_will_set_sysregs(e->f, 0x5, 0x30D00801ULL);
		realm_smc(e, 1, PSCI_CPU_OFF);
		assert_int_equal(enter(e, &rl, 1), RMI_SUCCESS);
		cpu_on_exit(e, &rl, 1);
		assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
				 RMI_SUCCESS);
		struct rec_view v;
		rec_view(e, rl.recs[1], &v);
		assert_int_equal(v.pstate, p ? 0x3c5 : 0x5);
		assert_int_equal(v.sctlr_el1, p ? 0x30D00800ULL : 0x30D00801ULL);
		assert_int_equal(v.pc, ENTRY);
		env_free(e);
	}
}

struct nested_enter {
	struct env *e;
	uint64_t rec, run;
	uint64_t x0;
	const char *cond;
};

static void nested_enter_fn(void *arg)
{
	struct nested_enter *n = arg;
	n->x0 = RMI2(n->e, RMI_REC_ENTER, n->rec, n->run);
	n->cond = last_rmi_condition(n->e);
}

/* rec_state: entering a REC that is running; where the spec leaves the order open, TF-RMM
 * checks it before reading the run page (TR13). */
static void rec_enter_running(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 1, 1, true);
		uint64_t bad_run = ns_granule(e);
		fake_set_pas(e->f, bad_run, FAKE_PAS_REALM);
		struct nested_enter a = {e, rl.recs[0], rl.runs[0], 0, NULL};
		struct nested_enter b = {e, rl.recs[0], bad_run, 0, NULL};
		fake_rec_will_call(e->f, nested_enter_fn, &a);
		fake_rec_will_call(e->f, nested_enter_fn, &b);
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(a.x0, RMI_ERROR_REC);
		assert_string_equal(a.cond, "rec_state");
		assert_int_equal(b.x0, p ? RMI_ERROR_REC : INPUT);
		assert_string_equal(b.cond, p ? "rec_state" : "run_pas");
		condition_log("RMI_REC_ENTER", a.cond);
		condition_log("RMI_REC_ENTER", b.cond);
		env_free(e);
	}
}

/* ACS cmd_cpu_on (RMM ACS 1.0-rel0): realm with 3 RECs, REC0 RUNNABLE. */
static void acs_cmd_cpu_on(enum rmm_spec spec, enum rmm_profile profile)
{
	struct env *e = env_new(spec, profile);
	struct realm rl;
	bool v2 = spec == RMM_SPEC_2_0;
	realm_build(e, &rl, 3, 1, true);
#define COMPLETE(target)                                                                           \
	(v2 ? RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], PSCI_SUCCESS)                                 \
	    : RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[target], PSCI_SUCCESS))
	unsigned r0 = e->f->runs;
	realm_smc(e, 4, PSCI_CPU_ON, 2, 1ULL << 39, CTX_ID); /* ENTRY_ADDR_UNPROTECTED */
	realm_smc(e, 4, PSCI_CPU_ON, 3, ENTRY, CTX_ID);      /* MPIDR_NOT_USED */
	realm_smc(e, 4, PSCI_CPU_ON, 1, ENTRY, CTX_ID);      /* REC_RUNNABLE prep */
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(e->f->entered[r0 + 1].x[0], PSCI_INVALID_ADDRESS);
	assert_int_equal(e->f->entered[r0 + 2].x[0], PSCI_INVALID_PARAMETERS);
	assert_int_equal(COMPLETE(1), RMI_SUCCESS);
	const uint64_t targets[3] = {1, 2, 2};
	const uint64_t want[4] = {PSCI_SUCCESS, PSCI_ALREADY_ON, PSCI_SUCCESS, PSCI_ALREADY_ON};
	for (unsigned i = 0; i < 3; i++) {
		realm_smc(e, 4, PSCI_CPU_ON, targets[i], ENTRY, CTX_ID);
		r0 = e->f->runs;
		assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
		assert_int_equal(e->f->entered[r0].x[0], want[i]);
		assert_int_equal(exit_reason(e, &rl, 0), RMI_EXIT_PSCI);
		assert_int_equal(COMPLETE(targets[i]), RMI_SUCCESS);
	}
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(realm_x(e, 0), want[3]);
#undef COMPLETE
	env_free(e);
}

static void acs_cmd_cpu_on_all(void **state)
{
	acs_cmd_cpu_on(REL0, SPEC);
	acs_cmd_cpu_on(REL0, TF_RMM);
	acs_cmd_cpu_on(RMM_SPEC_2_0, SPEC);
}

/* TR14: eac2-era TF-RMM leaves the target's X0 alone on CPU_ON success. */
static void eac2_tf_rmm_context_id(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(RMM_SPEC_1_0_EAC2, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_build(e, &rl, 2, 1, true);
		cpu_on_exit(e, &rl, 1);
		assert_int_equal(RMI2(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1]), RMI_SUCCESS);
		struct rec_view v;
		rec_view(e, rl.recs[1], &v);
		assert_int_equal(v.x[0], p ? 0 : CTX_ID);
		env_free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rec_enter_intents_spec),
	    cmocka_unit_test(gicv3_config),
	    cmocka_unit_test(rec_enter_intents_tf_rmm),
	    cmocka_unit_test(rec_enter_order),
	    cmocka_unit_test(rec_enter_events),
	    cmocka_unit_test(psci_answered_in_rmm),
	    cmocka_unit_test(target_cpu_reserved_bits),
	    cmocka_unit_test(psci_tf_rmm_answers),
	    cmocka_unit_test(psci_self_target_answered),
	    cmocka_unit_test(psci_suspend_off_reset),
	    cmocka_unit_test(cpu_on_allow),
	    cmocka_unit_test(cpu_on_deny),
	    cmocka_unit_test(cpu_on_deny_runnable_target),
	    cmocka_unit_test(affinity_info_on_off),
	    cmocka_unit_test(eac2_cannot_deny),
	    cmocka_unit_test(v2_two_argument_complete),
	    cmocka_unit_test(acs_psci_complete_all),
	    cmocka_unit_test(tftf_psci_denied_all),
	    cmocka_unit_test(psci_results_ignore_enter_gprs),
	    cmocka_unit_test(psci_complete_orders),
	    cmocka_unit_test(v2_destroyed_target),
	    cmocka_unit_test(cpu_on_target_reset),
	    cmocka_unit_test(rec_enter_running),
	    cmocka_unit_test(acs_cmd_cpu_on_all),
	    cmocka_unit_test(eac2_tf_rmm_context_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
