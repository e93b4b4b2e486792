/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RMM core: the RMI register discipline, VERSION/FEATURES, granules, realms and RECs. */
#include "rmm_test.h"

#include "rmm/rmm_private.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define INPUT  RMI_ERROR_INPUT
#define SPEC   RMM_PROFILE_SPEC
#define TF_RMM RMM_PROFILE_TF_RMM
#define REALM  RMI_ERROR_REALM
#define REC    RMI_ERROR_REC

static void unknown_fid_not_supported(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t regs[18];
	for (int i = 0; i < 18; i++) {
		regs[i] = 0x1111ULL * (uint64_t)i;
	}
	regs[0] = 0xC4000156ULL; /* unused slot */
	rmm_handle_rmi(e->r, regs);
	assert_int_equal(regs[0], SMCCC_NOT_SUPPORTED);
	for (int i = 1; i < 18; i++) {
		assert_int_equal(regs[i], 0);
	}
	regs[0] = 0xC4000163ULL;
	rmm_handle_rmi(e->r, regs);
	assert_int_equal(regs[0], SMCCC_NOT_SUPPORTED);
	env_free(e);
}

static void version_and_features(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t regs[18] = {RMI_VERSION, 0x10000, 7, 7, 7, 7, 7, 7};
	rmm_handle_rmi(e->r, regs);
	assert_int_equal(regs[0], RMI_SUCCESS);
	assert_int_equal(regs[1], 0x10000);
	assert_int_equal(regs[2], 0x10000);
	for (int i = 3; i < 18; i++) {
		assert_int_equal(regs[i], 0); /* MBZ */
	}
	assert_int_equal(RMI1(e, RMI_VERSION, 0x20000), INPUT);
	assert_rmi_condition(e, "version");
	assert_int_equal(e->out[1], 0x10000);
	assert_int_equal(RMI1(e, RMI_FEATURES, 0), RMI_SUCCESS);
	uint64_t f0 = e->out[1];
	assert_int_equal(f0 & 0xff, 40); /* S2SZ: the PA size (40 bits by default) */
	assert_true(f0 & (1ULL << 32));
	assert_int_equal((f0 >> 38) & 0xf, 9); /* MAX_RECS_ORDER: 511 RECs, enough for 256 */
	assert_int_equal(RMI1(e, RMI_FEATURES, 1), RMI_SUCCESS);
	assert_int_equal(e->out[1], 0);
	env_free(e);

	/* On a machine with 44-bit PAs, 44-bit IPAs; never beyond 48 (no LPA2). */
	e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct rmm_config cfg44 = {.spec = RMM_SPEC_1_0_REL0, .pa_bits = 44};
	rmm_destroy(e->r);
	assert_int_equal(rmm_create(&e->f->plat, &cfg44, e->t, &e->r), 0);
	assert_int_equal(RMI1(e, RMI_FEATURES, 0), RMI_SUCCESS);
	assert_int_equal(e->out[1] & 0xff, 44);
	struct rmm_features f = {0};
	rmm_features_resolve(&f, 0);
	assert_int_equal(f.max_ipa_bits, 40);
	f = (struct rmm_features){0};
	rmm_features_resolve(&f, 52);
	assert_int_equal(f.max_ipa_bits, 48);
	env_free(e);

	e = env_new(RMM_SPEC_1_0_EAC2, RMM_PROFILE_SPEC);
	assert_int_equal(RMI0(e, RMI_VERSION), 0x10000); /* eac2: X0 is the version */
	env_free(e);
	e = env_new(RMM_SPEC_2_0, RMM_PROFILE_SPEC);
	assert_int_equal(RMI1(e, RMI_VERSION, 0x20000), RMI_SUCCESS);
	env_free(e);
}

static void rmi_event_fields(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, 0x80000001ULL), INPUT);
	const struct trace_event *ev = last_event(e, "rmi");
	assert_non_null(ev);
	assert_string_equal(trace_field(ev, "cmd")->str, "RMI_GRANULE_DELEGATE");
	assert_int_equal(trace_field(ev, "fid")->num, RMI_GRANULE_DELEGATE);
	assert_int_equal(trace_field(ev, "args")->len, 1);
	assert_int_equal(trace_field(ev, "args")->list[0], 0x80000001ULL);
	assert_string_equal(trace_field(ev, "status")->str, "RMI_ERROR_INPUT");
	assert_int_equal(trace_field(ev, "index")->num, 0);
	assert_string_equal(trace_field(ev, "condition")->str, "gran_align");
	assert_int_equal(count_events(e, "rmi"), 1);
	env_free(e);
}

static void config_names(void **state)
{
	enum rmm_spec s;
	enum rmm_profile p;
	assert_true(rmm_spec_parse("1.0-eac2", &s) && s == RMM_SPEC_1_0_EAC2);
	assert_true(rmm_spec_parse("2.0", &s) && s == RMM_SPEC_2_0);
	assert_false(rmm_spec_parse("1.1", &s));
	assert_string_equal(rmm_spec_name(RMM_SPEC_1_0_REL0), "1.0-rel0");
	assert_true(rmm_profile_parse("tf-rmm", &p) && p == RMM_PROFILE_TF_RMM);
	assert_string_equal(rmm_profile_name(RMM_PROFILE_SPEC), "spec");
}

/* --- GRANULE_DELEGATE / UNDELEGATE --- */

struct gran_fx {
	uint64_t pa;
};

static void gran_setup(struct env *e, void *fx, uint64_t *args)
{
	struct gran_fx *g = fx;
	g->pa = ns_granule(e);
	args[1] = g->pa;
}

static void p_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[1] += 0x10;
}

static void p_dev(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_DEV_PA;
}

static void p_beyond(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_BEYOND_PA;
}

static void p_carveout(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_PRIV_BASE;
}

static void p_delegated(struct env *e, void *fx, uint64_t *args)
{
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, args[1]), RMI_SUCCESS);
}

static void p_gpt_realm(struct env *e, void *fx, uint64_t *args)
{
	fake_set_pas(e->f, args[1], FAKE_PAS_REALM); /* e.g. another agent's granule */
}

static void p_rd(struct env *e, void *fx, uint64_t *args)
{
	struct realm rl;
	realm_create_only(e, &rl);
	args[1] = rl.rd;
}

static void p_undelegated(struct env *e, void *fx, uint64_t *args)
{
	args[1] = ns_granule(e);
}

static const struct intent delegate_intents[] = {
    {"unaligned", "gran_align", INPUT, p_unaligned},
    {"device memory", "gran_bound", INPUT, p_dev},
    {"beyond PA range", "gran_bound", INPUT, p_beyond},
    {"RMM carve-out", "gran_bound", INPUT, p_carveout},
    {"already delegated", "gran_state", INPUT, p_delegated},
    {"GPT not NS", "gran_gpt", INPUT, p_gpt_realm},
};

static void granule_delegate_intents(void **state)
{
	run_intents(delegate_intents, 6, RMI_GRANULE_DELEGATE, gran_setup, sizeof(struct gran_fx),
		    RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
}

static void undeleg_setup(struct env *e, void *fx, uint64_t *args)
{
	args[1] = delegated(e);
}

static const struct intent undelegate_intents[] = {
    {"unaligned", "gran_align", INPUT, p_unaligned},
    {"device memory", "gran_bound", INPUT, p_dev},
    {"undelegated", "gran_state", INPUT, p_undelegated},
    {"RD", "gran_state", INPUT, p_rd},
};

static void granule_undelegate_intents(void **state)
{
	run_intents(undelegate_intents, 4, RMI_GRANULE_UNDELEGATE, undeleg_setup, 0,
		    RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
}

static void granule_delegate_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t pa = ns_granule(e);
	ns_write64(e, pa, 0x1234);
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), RMI_SUCCESS);
	assert_int_equal(fake_get_pas(e->f, pa), FAKE_PAS_REALM);
	/* The RMM writes it (as any delegated granule's new owner would)... */
	uint64_t v = 0xdead;
	assert_int_equal(e->f->plat.realm_write(e->f, pa, &v, 8), 0);
	/* ...and undelegation scrubs it before the host gets it back. */
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, pa), RMI_SUCCESS);
	assert_int_equal(fake_get_pas(e->f, pa), FAKE_PAS_NS);
	assert_int_equal(ns_read64(e, pa), 0);
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), RMI_SUCCESS);
	env_free(e);
}

/* --- REALM_CREATE --- */

struct rc_fx {
	uint64_t rd, params, rtt;
};

static void rc_setup(struct env *e, void *fx, uint64_t *args)
{
	struct rc_fx *x = fx;
	x->params = realm_params(e);
	x->rd = delegated(e);
	x->rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
	ns_write64(e, x->params + REALM_PARAMS_RTT_BASE, x->rtt);
	args[1] = x->rd;
	args[2] = x->params;
}

#define PARAM_PREP(fn, off, val)                                                                   \
	static void fn(struct env *e, void *fx, uint64_t *args)                                    \
	{                                                                                          \
		ns_write64(e, ((struct rc_fx *)fx)->params + (off), (val));                        \
	}

PARAM_PREP(p_hash_reserved, REALM_PARAMS_HASH_ALGO, 2)
PARAM_PREP(p_flags_sbz, REALM_PARAMS_FLAGS, 1ULL << 3)
PARAM_PREP(p_bps_zero, REALM_PARAMS_NUM_BPS, 0)
PARAM_PREP(p_lpa2, REALM_PARAMS_FLAGS, 1)
PARAM_PREP(p_sve, REALM_PARAMS_FLAGS, 2)
PARAM_PREP(p_s2sz_big, REALM_PARAMS_S2SZ, 52)
PARAM_PREP(p_s2sz_over_pa, REALM_PARAMS_S2SZ, 41) /* the fake machine's PAs: 40 bits */
PARAM_PREP(p_s2sz_small, REALM_PARAMS_S2SZ, 31)
PARAM_PREP(p_wps_many, REALM_PARAMS_NUM_WPS, 9)
PARAM_PREP(p_level_wrong, REALM_PARAMS_RTT_LEVEL_START, 2)
PARAM_PREP(p_num_wrong, REALM_PARAMS_RTT_NUM_START, 1)
PARAM_PREP(p_vmid_big, REALM_PARAMS_VMID, 0x10000)
PARAM_PREP(p_hash_wide, REALM_PARAMS_HASH_ALGO, 0x100)
PARAM_PREP(p_s2sz_wide, REALM_PARAMS_S2SZ, 0x100000000ULL | TEST_S2SZ)
PARAM_PREP(p_num_start_wide, REALM_PARAMS_RTT_NUM_START, 0x100000002ULL)
PARAM_PREP(p_padding, REALM_PARAMS_HASH_ALGO + 8, 1)
PARAM_PREP(p_rpv_end, REALM_PARAMS_RPV + 64, 1)

static void p_params_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[2] += 8;
}

static void p_params_dev(struct env *e, void *fx, uint64_t *args)
{
	args[2] = FAKE_DEV_PA;
}

static void p_params_realm(struct env *e, void *fx, uint64_t *args)
{
	fake_set_pas(e->f, args[2], FAKE_PAS_REALM);
}

static void p_rd_is_rtt(struct env *e, void *fx, uint64_t *args)
{
	args[1] = ((struct rc_fx *)fx)->rtt + GRANULE_SIZE;
}

static void p_rd_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[1] += 0x100;
}

static void p_rd_dev(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_DEV_PA;
}

static void p_rd_undelegated(struct env *e, void *fx, uint64_t *args)
{
	args[1] = ns_granule(e);
}

static void p_rtt_misaligned(struct env *e, void *fx, uint64_t *args)
{
	struct rc_fx *x = fx;
	uint64_t rtt = delegated_n(e, 3, 2 * GRANULE_SIZE) + GRANULE_SIZE;
	ns_write64(e, x->params + REALM_PARAMS_RTT_BASE, rtt);
}

static void p_rtt_undelegated(struct env *e, void *fx, uint64_t *args)
{
	struct rc_fx *x = fx;
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, x->rtt + GRANULE_SIZE), RMI_SUCCESS);
}

static void p_vmid_used(struct env *e, void *fx, uint64_t *args)
{
	struct realm other;
	realm_create_only(e, &other);
	ns_write64(e, ((struct rc_fx *)fx)->params + REALM_PARAMS_VMID,
		   ns_read64(e, other.params + REALM_PARAMS_VMID));
}

static const struct intent realm_create_intents[] = {
    {"params unaligned", "params_align", INPUT, p_params_unaligned},
    {"params device", "params_bound", INPUT, p_params_dev},
    {"params not NS", "params_pas", INPUT, p_params_realm},
    {"hash reserved", "params_valid", INPUT, p_hash_reserved},
    {"flags SBZ", "params_valid", INPUT, p_flags_sbz},
    {"num_bps zero", "params_valid", INPUT, p_bps_zero},
    {"lpa2", "params_supp", INPUT, p_lpa2},
    {"sve", "params_supp", INPUT, p_sve},
    {"s2sz 52", "params_supp", INPUT, p_s2sz_big},
    {"s2sz above the PA size", "params_supp", INPUT, p_s2sz_over_pa},
    {"s2sz below 32", "params_supp", INPUT, p_s2sz_small},
    {"num_wps > features", "params_supp", INPUT, p_wps_many},
    {"rd is a starting RTT", "alias", INPUT, p_rd_is_rtt},
    {"rd unaligned", "rd_align", INPUT, p_rd_unaligned},
    {"rd device", "rd_bound", INPUT, p_rd_dev},
    {"rd undelegated", "rd_state", INPUT, p_rd_undelegated},
    {"rtt_base misaligned", "rtt_align", INPUT, p_rtt_misaligned},
    {"level 2 with 40 bits", "rtt_num_level", INPUT, p_level_wrong},
    {"one table for 40 bits", "rtt_num_level", INPUT, p_num_wrong},
    {"second RTT undelegated", "rtt_state", INPUT, p_rtt_undelegated},
    {"vmid bits above its 16", "params_valid", INPUT, p_vmid_big},
    {"hash_algo bits above its 8", "params_valid", INPUT, p_hash_wide},
    {"s2sz bits above its 8", "params_valid", INPUT, p_s2sz_wide},
    {"rtt_num_start bits above its 32", "params_valid", INPUT, p_num_start_wide},
    {"unused word after hash_algo", "params_valid", INPUT, p_padding},
    {"unused word after the RPV", "params_valid", INPUT, p_rpv_end},
    {"vmid in use", "vmid_valid", INPUT, p_vmid_used},
};

static void realm_create_intents_all(void **state)
{
	run_intents(
	    realm_create_intents, sizeof(realm_create_intents) / sizeof(realm_create_intents[0]),
	    RMI_REALM_CREATE, rc_setup, sizeof(struct rc_fx), RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
}

static void realm_lifecycle(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_create_only(e, &rl);
	assert_string_equal(trace_field(last_event(e, "realm_state"), "state")->str, "NEW");
	assert_int_equal(RMI1(e, RMI_REC_AUX_COUNT, rl.rd), RMI_SUCCESS);
	assert_int_equal(e->out[1], 0);
	assert_int_equal(RMI1(e, RMI_REC_AUX_COUNT, rl.rtt), INPUT);
	assert_rmi_condition(e, "rd_state");
	assert_int_equal(RMI1(e, RMI_REC_AUX_COUNT, rl.rd + 8), INPUT);
	assert_rmi_condition(e, "rd_align");
	assert_int_equal(RMI1(e, RMI_REC_AUX_COUNT, FAKE_RAM_BASE + FAKE_RAM_SIZE), INPUT);
	assert_rmi_condition(e, "rd_bound");
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rtt), INPUT);
	assert_rmi_condition(e, "rd_state");
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, FAKE_RAM_BASE + FAKE_RAM_SIZE), INPUT);
	assert_rmi_condition(e, "rd_bound");
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_SUCCESS);
	assert_string_equal(trace_field(last_event(e, "realm_state"), "state")->str, "ACTIVE");
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_ERROR_REALM);
	assert_rmi_condition(e, "realm_state");
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd + 1), INPUT);
	assert_rmi_condition(e, "rd_align");
	/* The RD and RTTs are Realm granules: the host cannot undelegate them while live. */
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rl.rtt), INPUT);
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rl.rtt), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rl.rd), RMI_SUCCESS);
	/* The VMID is free again. */
	struct realm again;
	realm_create_only(e, &again);
	env_free(e);
}

static void realm_destroy_live(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, false);
	void *snap = fake_snapshot(e->f);
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd), REALM);
	assert_rmi_condition(e, "realm_live");
	assert_true(fake_same(e->f, snap));
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[0]), RMI_SUCCESS);
	/* Still live: the starting RTT has a TABLE entry. */
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd), REALM);
	assert_rmi_condition(e, "realm_live");
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd + 0x10), INPUT);
	assert_rmi_condition(e, "rd_align");
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, FAKE_DEV_PA), INPUT);
	assert_rmi_condition(e, "rd_bound");
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.data), INPUT);
	assert_rmi_condition(e, "rd_state");
	free(snap);
	env_free(e);
}

/* --- REC_CREATE --- */

struct recc_fx {
	struct realm rl;
	uint64_t rec, params;
};

static void recc_setup(struct env *e, void *fx, uint64_t *args)
{
	struct recc_fx *x = fx;
	realm_create_only(e, &x->rl);
	x->rec = delegated(e);
	x->params = rec_params(e, 0, true, 0x1000);
	args[1] = x->rl.rd;
	args[2] = x->rec;
	args[3] = x->params;
}

static void p_rc_params_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[3] += 0x800;
}

static void p_rc_params_dev(struct env *e, void *fx, uint64_t *args)
{
	args[3] = FAKE_BEYOND_PA;
}

static void p_rc_params_realm(struct env *e, void *fx, uint64_t *args)
{
	args[3] = delegated(e);
}

static void p_rc_flags_sbz(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_FLAGS, 2);
}

static void p_rc_rec_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[2] += 4;
}

static void p_rc_rec_dev(struct env *e, void *fx, uint64_t *args)
{
	args[2] = FAKE_DEV_PA;
}

static void p_rc_rec_undelegated(struct env *e, void *fx, uint64_t *args)
{
	args[2] = ns_granule(e);
}

static void p_rc_rec_is_rd(struct env *e, void *fx, uint64_t *args)
{
	args[2] = args[1];
}

static void p_rc_rd_unaligned(struct env *e, void *fx, uint64_t *args)
{
	args[1] += 8;
}

static void p_rc_rd_dev(struct env *e, void *fx, uint64_t *args)
{
	args[1] = FAKE_DEV_PA;
}

static void p_rc_rd_delegated(struct env *e, void *fx, uint64_t *args)
{
	args[1] = delegated(e);
}

static void p_rc_active(struct env *e, void *fx, uint64_t *args)
{
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, args[1]), RMI_SUCCESS);
}

static void p_rc_mpidr(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_MPIDR, 1);
}

static void p_rc_mpidr_sbz(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_MPIDR, 0x10); /* Aff0[7:4] */
}

static void p_rc_num_aux(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_NUM_AUX, 1);
}

static const struct intent rec_create_intents[] = {
    {"params unaligned", "params_align", INPUT, p_rc_params_unaligned},
    {"params beyond PA", "params_bound", INPUT, p_rc_params_dev},
    {"params delegated", "params_pas", INPUT, p_rc_params_realm},
    {"flags SBZ", "params_valid", INPUT, p_rc_flags_sbz},
    {"mpidr SBZ", "params_valid", INPUT, p_rc_mpidr_sbz},
    {"rec unaligned", "rec_align", INPUT, p_rc_rec_unaligned},
    {"rec device", "rec_bound", INPUT, p_rc_rec_dev},
    {"rec undelegated", "rec_state", INPUT, p_rc_rec_undelegated},
    {"rec is the RD", "rec_state", INPUT, p_rc_rec_is_rd},
    {"rd unaligned", "rd_align", INPUT, p_rc_rd_unaligned},
    {"rd device", "rd_bound", INPUT, p_rc_rd_dev},
    {"rd delegated", "rd_state", INPUT, p_rc_rd_delegated},
    {"realm active", "realm_state", REALM, p_rc_active},
    {"mpidr of index 1 first", "mpidr_index", INPUT, p_rc_mpidr},
    {"num_aux wrong", "num_aux", INPUT, p_rc_num_aux},
};

static void rec_create_intents_all(void **state)
{
	run_intents(rec_create_intents, sizeof(rec_create_intents) / sizeof(rec_create_intents[0]),
		    RMI_REC_CREATE, recc_setup, sizeof(struct recc_fx), RMM_SPEC_1_0_REL0,
		    RMM_PROFILE_SPEC);
}

static void rec_create_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, false);
	struct rec_view v;
	rec_view(e, rl.recs[1], &v);
	assert_false(v.runnable);
	assert_false(v.pending);
	assert_int_equal(v.pc, TEST_CODE_IPA);
	assert_int_equal(v.pstate, 0x3c5);
	/* EL2 controls: VM|SWIO|PTW|FMO|IMO|AMO|BSU_IS|TID3|TSC|RW|APK|API. */
	assert_int_equal(v.hcr_el2, 0x300800C043FULL);
	assert_true(v.hcr_el2 & (1ULL << 19)); /* TSC: realm SMCs trap */
	assert_true(v.hcr_el2 & (1ULL << 18)); /* TID3: ID register reads trap */
	/* T0SZ 24, SL0 1 (start level 1), IRGN/ORGN WB, SH inner, TG0 4K, PS 40 bits, VS. */
	assert_int_equal(v.vtcr_el2, 0x800A3558ULL);
	assert_int_equal(v.vttbr_el2, rl.rtt | (1ULL << 48));
	assert_int_equal(v.vmpidr_el2, 0x80000001ULL);
	const struct trace_event *ev = last_event(e, "rec_state");
	assert_int_equal(trace_field(ev, "rec")->num, 1);
	assert_false(trace_field(ev, "runnable")->num);
	assert_non_null(trace_field(ev, "realm"));
	/* Second REC with the same index is refused. */
	uint64_t p = rec_params(e, 1, false, 0);
	uint64_t rec = delegated(e);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rec, p), INPUT);
	assert_rmi_condition(e, "mpidr_index");
	env_free(e);
}

static void rec_destroy_conditions(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[0] + 8), INPUT);
	assert_rmi_condition(e, "rec_align");
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, FAKE_DEV_PA), INPUT);
	assert_rmi_condition(e, "rec_bound");
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.rd), INPUT);
	assert_rmi_condition(e, "rec_gran_state");
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[1]), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[1]), INPUT);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rl.recs[1]), RMI_SUCCESS);
	env_free(e);
}

/* rec_state: REC_DESTROY of a REC that is running (issued while the PE runs it). */
struct nested {
	struct env *e;
	uint64_t rec;
	uint64_t x0;
	const char *cond;
};

static void nested_destroy(void *arg)
{
	struct nested *n = arg;
	n->x0 = RMI1(n->e, RMI_REC_DESTROY, n->rec);
	n->cond = last_rmi_condition(n->e);
}

static void rec_destroy_running(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);
	struct nested n = {e, rl.recs[0], 0, NULL};
	fake_rec_will_call(e->f, nested_destroy, &n);
	realm_smc(e, 1, PSCI_CPU_OFF);
	assert_int_equal(enter(e, &rl, 0), RMI_SUCCESS);
	assert_int_equal(n.x0, REC);
	assert_string_equal(n.cond, "rec_state");
	condition_log("RMI_REC_DESTROY", n.cond);
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rl.recs[0]), RMI_SUCCESS);
	env_free(e);
}

static void recreate(struct env *e, const struct rmm_config *cfg)
{
	rmm_destroy(e->r);
	assert_int_equal(rmm_create(&e->f->plat, cfg, e->t, &e->r), 0);
}

/*
 * Where TF-RMM 1.0-rel0 is more lenient than the spec at RMI_REALM_CREATE (measured on its
 * fake host): it reads each member at its C width (TR16), ignores reserved flags (TR17) and
 * does not check rtt_align (TR18). Each row: spec fails with `cond`, tf-rmm succeeds.
 */
static void realm_create_tf_rmm_leniency(void **state)
{
	static const struct {
		size_t off;
		uint64_t value;
		const char *cond;
	} rows[] = {
	    {REALM_PARAMS_HASH_ALGO, 0x100, "params_valid"},          /* SHA-256 for TF-RMM */
	    {REALM_PARAMS_VMID, 0x10002, "params_valid"},             /* VMID 2 for TF-RMM */
	    {REALM_PARAMS_S2SZ, 0x100000000ULL | 40, "params_valid"}, /* 40 for TF-RMM */
	    {REALM_PARAMS_NUM_BPS, 0x100000001ULL, "params_valid"},
	    {REALM_PARAMS_RTT_NUM_START, 0x100000002ULL, "params_valid"},
	    {REALM_PARAMS_HASH_ALGO + 8, 1, "params_valid"},    /* padding */
	    {0xFF8, ~0ULL, "params_valid"},                     /* padding */
	    {REALM_PARAMS_FLAGS, 1ULL << 3, "params_valid"},    /* TR17 */
	    {REALM_PARAMS_FLAGS, 1ULL << 63, "params_valid"},   /* TR17 */
	    {REALM_PARAMS_RTT_BASE, GRANULE_SIZE, "rtt_align"}, /* TR18: an odd base */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (int p = 0; p < 2; p++) {
			struct env *e = env_new(RMM_SPEC_1_0_REL0, p ? TF_RMM : SPEC);
			uint64_t params = realm_params(e), rd = delegated(e);
			uint64_t rtt = delegated_n(e, 3, 2 * GRANULE_SIZE);
			ns_write64(e, params + REALM_PARAMS_RTT_BASE, rtt);
			uint64_t v = rows[i].off == REALM_PARAMS_RTT_BASE ? rtt + rows[i].value
									  : rows[i].value;
			ns_write64(e, params + rows[i].off, v);
			uint64_t x0 = RMI2(e, RMI_REALM_CREATE, rd, params);
			if (x0 != (p ? RMI_SUCCESS : INPUT)) {
				fail_msg("row %zu (%s): X0 %#llx", i, p ? "tf-rmm" : "spec",
					 (unsigned long long)x0);
			}
			if (!p) {
				assert_rmi_condition(e, rows[i].cond);
			}
			env_free(e);
		}
	}
	/* What TF-RMM read: vmid 0x10002 is VMID 2, so VMID 2 is now in use. */
	struct env *e = env_new(RMM_SPEC_1_0_REL0, TF_RMM);
	uint64_t params = realm_params(e), rd = delegated(e);
	uint64_t rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
	ns_write64(e, params + REALM_PARAMS_RTT_BASE, rtt);
	ns_write64(e, params + REALM_PARAMS_VMID, 0x10002);
	assert_int_equal(RMI2(e, RMI_REALM_CREATE, rd, params), RMI_SUCCESS);
	params = realm_params(e), rd = delegated(e), rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
	ns_write64(e, params + REALM_PARAMS_RTT_BASE, rtt);
	ns_write64(e, params + REALM_PARAMS_VMID, 2);
	assert_int_equal(RMI2(e, RMI_REALM_CREATE, rd, params), INPUT);
	assert_rmi_condition(e, "vmid_valid");
	env_free(e);
}

/* REC_CREATE's flags: reserved bits are params_valid, except under TR17. */
static void rec_create_reserved_flags(void **state)
{
	for (int p = 0; p < 2; p++) {
		struct env *e = env_new(RMM_SPEC_1_0_REL0, p ? TF_RMM : SPEC);
		struct realm rl;
		realm_create_only(e, &rl);
		uint64_t params = rec_params(e, 0, true, TEST_CODE_IPA);
		ns_write64(e, params + REC_PARAMS_FLAGS, REC_PARAMS_FLAG_RUNNABLE | 1ULL << 5);
		uint64_t x0 = RMI3(e, RMI_REC_CREATE, rl.rd, delegated(e), params);
		assert_int_equal(x0, p ? RMI_SUCCESS : INPUT);
		if (!p) {
			assert_rmi_condition(e, "params_valid");
		}
		env_free(e);
	}
}

/* The platform's features: what RMI_FEATURES reports and REALM_CREATE enforces. */
static void platform_features(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	/* Today's default: S2SZ 40 (the default PA size), 6 breakpoints, 4 watchpoints,
	 * SHA-256/512, one LR, MAX_RECS_ORDER 9. */
	assert_int_equal(RMI1(e, RMI_FEATURES, 0), RMI_SUCCESS);
	assert_int_equal(e->out[1], 40 | 5ULL << 14 | 3ULL << 20 | 3ULL << 32 | 9ULL << 38);
	/* A platform of its own, on 44-bit PAs: S2SZ follows the PA size with the features. */
	struct rmm_config cfg = {.spec = RMM_SPEC_1_0_REL0,
				 .pa_bits = 44,
				 .features = {.vmid_bits = 8,
					      .num_bps = 2,
					      .num_wps = 16,
					      .lpa2 = true,
					      .pmu = true,
					      .pmu_num_ctrs = 31,
					      .sve_vl = 512,
					      .gic_lrs = 4}};
	recreate(e, &cfg);
	assert_int_equal(RMI1(e, RMI_FEATURES, 0), RMI_SUCCESS);
	assert_int_equal(e->out[1], 44 | 1ULL << 8 | 1ULL << 9 | 3ULL << 10 | 1ULL << 14 |
					15ULL << 20 | 1ULL << 26 | 31ULL << 27 | 3ULL << 32 |
					3ULL << 34 | 9ULL << 38);
	static const struct {
		size_t off;
		uint64_t value;
		uint64_t flags;
		bool ok;
	} rows[] = {
	    {REALM_PARAMS_FLAGS, 1, 0, true},         /* lpa2 */
	    {REALM_PARAMS_SVE_VL, 3, 2, true},        /* 512 bits */
	    {REALM_PARAMS_SVE_VL, 4, 2, false},       /* 640 bits */
	    {REALM_PARAMS_SVE_VL, 15, 0, true},       /* SVE off */
	    {REALM_PARAMS_PMU_NUM_CTRS, 31, 4, true}, /* all */
	    {REALM_PARAMS_PMU_NUM_CTRS, 0, 4, true},  /* none */
	    {REALM_PARAMS_NUM_BPS, 2, 0, false},      /* 3 of 2 */
	    {REALM_PARAMS_NUM_WPS, 15, 0, true},      /* 16 of 16 */
	    {REALM_PARAMS_VMID, 0xff, 0, true},       /* 8 bits */
	    {REALM_PARAMS_VMID, 0x100, 0, false},     /* vmid_valid */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t params = realm_params(e), rd = delegated(e);
		uint64_t rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
		ns_write64(e, params + REALM_PARAMS_RTT_BASE, rtt);
		ns_write64(e, params + REALM_PARAMS_VMID, 0x10 + i);
		ns_write64(e, params + REALM_PARAMS_FLAGS, rows[i].flags);
		ns_write64(e, params + rows[i].off, rows[i].value);
		uint64_t x0 = RMI2(e, RMI_REALM_CREATE, rd, params);
		if (x0 != (rows[i].ok ? RMI_SUCCESS : INPUT)) {
			fail_msg("row %zu: X0 %#llx (%s)", i, (unsigned long long)x0,
				 last_rmi_condition(e) ? last_rmi_condition(e) : "-");
		}
		if (!rows[i].ok) {
			assert_rmi_condition(e, rows[i].off == REALM_PARAMS_VMID ? "vmid_valid"
										 : "params_supp");
		}
	}
	/* No such platform: rmm_create refuses it. */
	struct rmm *r = NULL;
	cfg.features.vmid_bits = 12;
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &r), -1);
	cfg.features.vmid_bits = 16, cfg.features.sve_vl = 200;
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &r), -1);
	cfg.features.sve_vl = 0, cfg.features.pmu = false;
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &r), -1); /* counters, no PMU */
	cfg.features.pmu = true, cfg.features.gic_lrs = 17;
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &r), -1);
	const char *field = NULL;
	assert_non_null(rmm_features_check(&cfg.features, &field));
	assert_string_equal(field, "gic_lrs");
	env_free(e);
}

static void granule_table_full_and_el3_errors(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct rmm_config cfg = {.spec = RMM_SPEC_1_0_REL0};
	e->f->plat.private_size = 8192 + 4096; /* VMID map + 512 table slots */
	recreate(e, &cfg);
	for (unsigned i = 0; i < 512; i++) {
		assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, ns_granule(e)), RMI_SUCCESS);
	}
	uint64_t pa = ns_granule(e);
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), INPUT);
	assert_rmi_condition(e, "gran_bound");
	env_free(e);

	e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	pa = ns_granule(e);
	uint64_t d = delegated(e);
	e->f->gtsi_force = true;
	e->f->gtsi_ret = E_RMM_BAD_ADDR;
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), INPUT);
	assert_rmi_condition(e, "gran_bound");
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, d), INPUT);
	assert_rmi_condition(e, "gran_state");
	e->f->gtsi_force = false;
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, d), RMI_SUCCESS);
	env_free(e);
}

static void realm_destroy_with_recs_only(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_create_only(e, &rl);
	uint64_t rec = delegated(e);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, rec, rec_params(e, 0, false, 0)),
			 RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd), REALM);
	assert_rmi_condition(e, "realm_live");
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, rec), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_REALM_DESTROY, rl.rd), RMI_SUCCESS);
	env_free(e);
}

static void rec_create_num_recs(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_create_only(e, &rl);
	uint64_t p = ns_granule(e);
	ns_write64(e, p + REC_PARAMS_NUM_AUX, 0);
	for (unsigned i = 0; i < 511; i++) {
		ns_write64(e, p + REC_PARAMS_MPIDR, rec_index_to_mpidr(i));
		assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, delegated(e), p), RMI_SUCCESS);
	}
	ns_write64(e, p + REC_PARAMS_MPIDR, rec_index_to_mpidr(511));
	assert_int_equal(RMI3(e, RMI_REC_CREATE, rl.rd, delegated(e), p), REALM);
	assert_rmi_condition(e, "num_recs");
	env_free(e);
}

/* REC_CREATE's aux conditions, with a configuration that needs 2 auxiliary granules. */
struct aux_fx {
	struct realm rl;
};

static void aux_setup(struct env *e, void *fx, uint64_t *args)
{
	struct aux_fx *x = fx;
	struct rmm_config cfg = {.spec = RMM_SPEC_1_0_REL0, .rec_aux_count = 2};
	recreate(e, &cfg);
	realm_create_only(e, &x->rl);
	args[1] = x->rl.rd;
	args[2] = delegated(e);
	args[3] = rec_params(e, 0, true, 0);
	ns_write64(e, args[3] + REC_PARAMS_NUM_AUX, 2);
	ns_write64(e, args[3] + REC_PARAMS_AUX, delegated(e));
	ns_write64(e, args[3] + REC_PARAMS_AUX + 8, delegated(e));
}

static void p_aux_num(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_NUM_AUX, 1);
}

static void p_aux_align(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_AUX + 8, ns_read64(e, args[3] + REC_PARAMS_AUX + 8) + 8);
}

static void p_aux_same(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_AUX + 8, ns_read64(e, args[3] + REC_PARAMS_AUX));
}

static void p_aux_rec(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_AUX, args[2]);
}

static void p_aux_undelegated(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_AUX + 8, ns_granule(e));
}

static void p_aux_dev(struct env *e, void *fx, uint64_t *args)
{
	ns_write64(e, args[3] + REC_PARAMS_AUX, FAKE_DEV_PA);
}

static const struct intent aux_intents[] = {
    {"num_aux 1 of 2", "num_aux", INPUT, p_aux_num},
    {"aux unaligned", "aux_align", INPUT, p_aux_align},
    {"aux twice", "aux_alias", INPUT, p_aux_same},
    {"aux is the rec", "aux_alias", INPUT, p_aux_rec},
    {"aux undelegated", "aux_state", INPUT, p_aux_undelegated},
    {"aux device", "aux_state", INPUT, p_aux_dev},
};

static void rec_create_aux_intents(void **state)
{
	run_intents(aux_intents, sizeof(aux_intents) / sizeof(aux_intents[0]), RMI_REC_CREATE,
		    aux_setup, sizeof(struct aux_fx), RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
}

static void rec_aux_lifecycle(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct aux_fx x;
	uint64_t args[6];
	aux_setup(e, &x, args);
	assert_int_equal(RMI1(e, RMI_REC_AUX_COUNT, x.rl.rd), RMI_SUCCESS);
	assert_int_equal(e->out[1], 2);
	assert_int_equal(RMI3(e, RMI_REC_CREATE, args[1], args[2], args[3]), RMI_SUCCESS);
	uint64_t aux0 = ns_read64(e, args[3] + REC_PARAMS_AUX);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, aux0), INPUT); /* REC_AUX */
	assert_int_equal(RMI1(e, RMI_REC_DESTROY, args[2]), RMI_SUCCESS);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, aux0), RMI_SUCCESS);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unknown_fid_not_supported),
	    cmocka_unit_test(version_and_features),
	    cmocka_unit_test(rmi_event_fields),
	    cmocka_unit_test(config_names),
	    cmocka_unit_test(granule_delegate_intents),
	    cmocka_unit_test(granule_undelegate_intents),
	    cmocka_unit_test(granule_delegate_effects),
	    cmocka_unit_test(realm_create_intents_all),
	    cmocka_unit_test(realm_lifecycle),
	    cmocka_unit_test(realm_destroy_live),
	    cmocka_unit_test(rec_create_intents_all),
	    cmocka_unit_test(rec_create_effects),
	    cmocka_unit_test(rec_destroy_conditions),
	    cmocka_unit_test(rec_destroy_running),
	    cmocka_unit_test(realm_create_tf_rmm_leniency),
	    cmocka_unit_test(rec_create_reserved_flags),
	    cmocka_unit_test(platform_features),
	    cmocka_unit_test(granule_table_full_and_el3_errors),
	    cmocka_unit_test(realm_destroy_with_recs_only),
	    cmocka_unit_test(rec_create_num_recs),
	    cmocka_unit_test(rec_create_aux_intents),
	    cmocka_unit_test(rec_aux_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
