/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RTT and DATA commands: intent tables per command, descriptors and success effects. */
#include "rmm_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define INPUT   RMI_ERROR_INPUT
#define RTT(l)  RMI_RET(RMI_ERROR_RTT, l)
#define MB2     0x200000ULL
#define GB1     0x40000000ULL
#define NS_ATTR ((3ULL << 6) | (5ULL << 2)) /* S2AP RW, MemAttr[2:0] = 5 */

struct fx {
	struct realm rl;
	uint64_t extra; /* a granule the setup prepared */
};

#define PREP(name, stmt)                                                                           \
	static void name(struct env *e, void *fxp, uint64_t *args)                                 \
	{                                                                                          \
		struct fx *x = fxp;                                                                \
		(void)x;                                                                           \
		stmt;                                                                              \
	}

#define RUN(table, fid, setup)                                                                     \
	run_intents(table, sizeof(table) / sizeof((table)[0]), fid, setup, sizeof(struct fx),      \
		    RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC)

static uint64_t rtte(struct env *e, uint64_t rtt, unsigned idx)
{
	uint64_t v;
	memcpy(&v, (uint8_t *)fake_ptr(e->f, rtt) + 8 * idx, 8);
	return v;
}

PREP(p_rd_unaligned, args[1] += 8)
PREP(p_rd_dev, args[1] = FAKE_DEV_PA)
PREP(p_rd_data, args[1] = x->rl.data)
PREP(p_activate, assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, x->rl.rd), RMI_SUCCESS))

#define RD_ROWS                                                                                    \
	{"rd unaligned", "rd_align", INPUT, p_rd_unaligned},                                       \
	    {"rd device", "rd_bound", INPUT, p_rd_dev},                                            \
	{                                                                                          \
		"rd is DATA", "rd_state", INPUT, p_rd_data                                         \
	}

/* --- RTT_CREATE --- */

static void create_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, false);
	args[1] = x->rl.rd;
	args[2] = delegated(e);
	args[3] = MB2;
	args[4] = 3;
}

PREP(p_level_start, args[4] = 1; args[3] = 0)
PREP(p_level_4, args[4] = 4)
PREP(p_ipa_unaligned, args[3] += 0x1000)
PREP(p_ipa_beyond, args[3] = 1ULL << TEST_S2SZ; args[4] = 2)
PREP(p_rtt_unaligned, args[2] += 0x10)
PREP(p_rtt_dev, args[2] = FAKE_DEV_PA)
PREP(p_rtt_undelegated, args[2] = ns_granule(e))
PREP(p_no_parent, args[3] = GB1)
PREP(p_exists, args[3] = 0)

static const struct intent create_rows[] = {
    RD_ROWS,
    {"starting level", "level_bound", INPUT, p_level_start},
    {"level 4", "level_bound", INPUT, p_level_4},
    {"ipa not 2MB aligned", "ipa_align", INPUT, p_ipa_unaligned},
    {"ipa beyond 2^s2sz", "ipa_bound", INPUT, p_ipa_beyond},
    {"rtt unaligned", "rtt_align", INPUT, p_rtt_unaligned},
    {"rtt device", "rtt_bound", INPUT, p_rtt_dev},
    {"rtt undelegated", "rtt_state", INPUT, p_rtt_undelegated},
    {"no level 2 RTT", "rtt_walk", RTT(1), p_no_parent},
    {"RTT exists", "rtte_state", RTT(2), p_exists},
};

static void rtt_create_intents(void **state)
{
	RUN(create_rows, RMI_RTT_CREATE, create_setup);
}

/* --- RTT_DESTROY --- */

/* RTT_DESTROY and RTT_FOLD name a child RTT the same way, (rd, ipa, level): a level-3 RTT
 * at 2 MB (empty) beside the image's at 0 (holding DATA). */
static void child_rtt_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, false);
	x->extra = delegated(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, x->rl.rd, x->extra, MB2, 3), RMI_SUCCESS);
	args[1] = x->rl.rd;
	args[2] = MB2;
	args[3] = 3;
}

PREP(p_child_level_start, args[3] = 1; args[2] = 0)
PREP(p_child_ipa_unaligned, args[2] += 0x1000)
PREP(p_child_ipa_beyond, args[2] = 1ULL << TEST_S2SZ; args[3] = 2)
PREP(p_child_no_parent, args[2] = GB1)
PREP(p_child_no_table, args[2] = 2 * MB2)
PREP(p_child_with_data, args[2] = 0)

static const struct intent destroy_rows[] = {
    RD_ROWS,
    {"starting level", "level_bound", INPUT, p_child_level_start},
    {"ipa unaligned", "ipa_align", INPUT, p_child_ipa_unaligned},
    {"ipa beyond", "ipa_bound", INPUT, p_child_ipa_beyond},
    {"no level 2 RTT", "rtt_walk", RTT(1), p_child_no_parent},
    {"no RTT there", "rtte_state", RTT(2), p_child_no_table},
    {"RTT holds DATA", "rtt_live", RTT(3), p_child_with_data},
};

static void rtt_destroy_intents(void **state)
{
	RUN(destroy_rows, RMI_RTT_DESTROY, child_rtt_setup);
}

static void rtt_create_destroy_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 0, 0, false);
	/* The parent L2 entry is a table descriptor the PE's walker follows. */
	assert_int_equal(rtte(e, rl.rtt_l2, 0), rl.rtt_l3 | 3);
	/* ASSIGNED + RAM: a valid page, Normal WB, RW, inner shareable, AF. */
	assert_int_equal(rtte(e, rl.rtt_l3, 1), rl.data | 0x7FF);
	/* UNASSIGNED EMPTY: invalid, zero. */
	assert_int_equal(rtte(e, rl.rtt_l3, 2), 0);
	/* Unprotected half of the starting level: UNASSIGNED_NS, invalid with NS set. */
	assert_int_equal(rtte(e, rl.rtt + GRANULE_SIZE, 0), (1ULL << 55) | (2ULL << 2));

	uint64_t rtt = delegated(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl.rd, rtt, MB2, 3), RMI_SUCCESS);
	assert_int_equal(RMI3(e, RMI_RTT_DESTROY, rl.rd, MB2, 3), RMI_SUCCESS);
	assert_int_equal(e->out[1], rtt);
	assert_int_equal(e->out[2], GB1); /* no live entry after it in this L2 */
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, MB2, 2), RMI_SUCCESS);
	assert_int_equal(e->out[2], RTT_STATE_UNASSIGNED);
	assert_int_equal(e->out[4], RIPAS_DESTROYED);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rtt), RMI_SUCCESS);
	/* Failing with a walk error reports `top`. */
	assert_int_equal(RMI3(e, RMI_RTT_DESTROY, rl.rd, 2 * MB2, 3), RTT(2));
	assert_int_equal(e->out[2], GB1);
	env_free(e);
}

/* --- RTT_READ_ENTRY --- */

static void read_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, false);
	args[1] = x->rl.rd;
	args[2] = TEST_CODE_IPA;
	args[3] = 3;
}

PREP(p_r_level0, args[3] = 0; args[2] = 0)
PREP(p_r_level4, args[3] = 4)
PREP(p_r_unaligned, args[2] += 0x800)
PREP(p_r_beyond, args[2] = 1ULL << TEST_S2SZ; args[3] = 1)

static const struct intent read_rows[] = {
    RD_ROWS,
    {"level above start", "level_bound", INPUT, p_r_level0},
    {"level 4", "level_bound", INPUT, p_r_level4},
    {"ipa unaligned", "ipa_align", INPUT, p_r_unaligned},
    {"ipa beyond", "ipa_bound", INPUT, p_r_beyond},
};

static void rtt_read_entry_intents(void **state)
{
	RUN(read_rows, RMI_RTT_READ_ENTRY, read_setup);
}

static void rtt_read_entry_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 0, 0, false);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, TEST_CODE_IPA, 3), RMI_SUCCESS);
	assert_int_equal(e->out[1], 3);
	assert_int_equal(e->out[2], RTT_STATE_ASSIGNED);
	assert_int_equal(e->out[3], rl.data);
	assert_int_equal(e->out[4], RIPAS_RAM);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, 0, 2), RMI_SUCCESS);
	assert_int_equal(e->out[2], RTT_STATE_TABLE);
	assert_int_equal(e->out[3], rl.rtt_l3);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, GB1, 3), RMI_SUCCESS);
	assert_int_equal(e->out[1], 1); /* the walk stopped at level 1 */
	assert_int_equal(e->out[2], RTT_STATE_UNASSIGNED);
	assert_int_equal(e->out[4], RIPAS_EMPTY);
	env_free(e);
}

/* --- DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY --- */

static void data_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, false);
	args[1] = x->rl.rd;
	args[2] = delegated(e);
	args[3] = 0x2000;
	args[4] = ns_granule(e);
	ns_write64(e, args[4], 0xfeedULL);
	args[5] = RMI_MEASURE_CONTENT;
}

PREP(p_src_unaligned, args[4] += 8)
PREP(p_src_dev, args[4] = FAKE_DEV_PA)
PREP(p_src_realm, args[4] = delegated(e))
PREP(p_flags, args[5] = 2)
PREP(p_data_unaligned, args[2] += 8)
PREP(p_data_dev, args[2] = FAKE_BEYOND_PA)
PREP(p_data_undelegated, args[2] = ns_granule(e))
PREP(p_data_is_rtt, args[2] = x->rl.rtt_l3)
PREP(p_dipa_unaligned, args[3] += 0x10)
PREP(p_dipa_unprot, args[3] = TEST_UNPROT)
PREP(p_no_l3, args[3] = MB2)
PREP(p_assigned, args[3] = TEST_CODE_IPA)

static const struct intent data_create_rows[] = {
    {"src unaligned", "src_align", INPUT, p_src_unaligned},
    {"src device", "src_bound", INPUT, p_src_dev},
    {"src delegated", "src_pas", INPUT, p_src_realm},
    {"flags SBZ", "flags_valid", INPUT, p_flags},
    {"data unaligned", "data_align", INPUT, p_data_unaligned},
    {"data beyond PA", "data_bound", INPUT, p_data_dev},
    {"data undelegated", "data_state", INPUT, p_data_undelegated},
    {"data is an RTT", "data_state", INPUT, p_data_is_rtt},
    RD_ROWS,
    {"ipa unaligned", "ipa_align", INPUT, p_dipa_unaligned},
    {"ipa Unprotected", "ipa_bound", INPUT, p_dipa_unprot},
    {"realm active", "realm_state", RMI_ERROR_REALM, p_activate},
    {"no level 3 RTT", "rtt_walk", RTT(2), p_no_l3},
    {"already ASSIGNED", "rtte_state", RTT(3), p_assigned},
};

static void data_create_intents(void **state)
{
	RUN(data_create_rows, RMI_DATA_CREATE, data_setup);
}

static void data_unknown_setup(struct env *e, void *fxp, uint64_t *args)
{
	data_setup(e, fxp, args);
	args[4] = args[5] = 0;
}

static const struct intent data_unknown_rows[] = {
    {"data unaligned", "data_align", INPUT, p_data_unaligned},
    {"data beyond PA", "data_bound", INPUT, p_data_dev},
    {"data undelegated", "data_state", INPUT, p_data_undelegated},
    RD_ROWS,
    {"ipa unaligned", "ipa_align", INPUT, p_dipa_unaligned},
    {"ipa Unprotected", "ipa_bound", INPUT, p_dipa_unprot},
    {"no level 3 RTT", "rtt_walk", RTT(2), p_no_l3},
    {"already ASSIGNED", "rtte_state", RTT(3), p_assigned},
};

static void data_create_unknown_intents(void **state)
{
	RUN(data_unknown_rows, RMI_DATA_CREATE_UNKNOWN, data_unknown_setup);
}

static void data_destroy_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, true);
	args[1] = x->rl.rd;
	args[2] = TEST_CODE_IPA;
}

PREP(p_dd_unaligned, args[2] += 0x10)
PREP(p_dd_unprot, args[2] = TEST_UNPROT)
PREP(p_dd_no_l3, args[2] = MB2)
PREP(p_dd_unassigned, args[2] = 0x3000)

static const struct intent data_destroy_rows[] = {
    RD_ROWS,
    {"ipa unaligned", "ipa_align", INPUT, p_dd_unaligned},
    {"ipa Unprotected", "ipa_bound", INPUT, p_dd_unprot},
    {"no level 3 RTT", "rtt_walk", RTT(2), p_dd_no_l3},
    {"UNASSIGNED", "rtte_state", RTT(3), p_dd_unassigned},
};

static void data_destroy_intents(void **state)
{
	RUN(data_destroy_rows, RMI_DATA_DESTROY, data_destroy_setup);
}

static void data_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 0, 0, false);
	/* DATA_CREATE copied the NS source into the DATA granule. */
	uint64_t v;
	memcpy(&v, fake_ptr(e->f, rl.data), 8);
	assert_int_equal(v, 0xd503201fd503201fULL);
	assert_int_equal(fake_get_pas(e->f, rl.data), FAKE_PAS_REALM);
	/* DATA_CREATE_UNKNOWN keeps the RIPAS (EMPTY here) and works in ACTIVE. */
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_SUCCESS);
	uint64_t d2 = delegated(e);
	assert_int_equal(RMI3(e, RMI_DATA_CREATE_UNKNOWN, rl.rd, d2, 0x5000), RMI_SUCCESS);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, 0x5000, 3), RMI_SUCCESS);
	assert_int_equal(e->out[2], RTT_STATE_ASSIGNED);
	assert_int_equal(e->out[4], RIPAS_EMPTY);
	assert_int_equal(rtte(e, rl.rtt_l3, 5), d2 | (1ULL << 2)); /* invalid: EMPTY */
	/* DATA_DESTROY: RAM -> DESTROYED, EMPTY stays EMPTY; X1 data, X2 next live. */
	assert_int_equal(RMI2(e, RMI_DATA_DESTROY, rl.rd, TEST_CODE_IPA), RMI_SUCCESS);
	assert_int_equal(e->out[1], rl.data);
	assert_int_equal(e->out[2], 0x5000);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, TEST_CODE_IPA, 3), RMI_SUCCESS);
	assert_int_equal(e->out[4], RIPAS_DESTROYED);
	assert_int_equal(RMI2(e, RMI_DATA_DESTROY, rl.rd, 0x5000), RMI_SUCCESS);
	assert_int_equal(e->out[2], MB2);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, 0x5000, 3), RMI_SUCCESS);
	assert_int_equal(e->out[4], RIPAS_EMPTY);
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, rl.data), RMI_SUCCESS);
	assert_int_equal(ns_read64(e, rl.data), 0); /* scrubbed */
	env_free(e);
}

/* --- RTT_INIT_RIPAS --- */

static void init_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	realm_build(e, &x->rl, 0, 0, false);
	args[1] = x->rl.rd;
	args[2] = 0x2000;
	args[3] = 0x4000;
}

PREP(p_i_size, args[3] = args[2])
PREP(p_i_top_unprot, args[3] = TEST_UNPROT + 0x1000)
PREP(p_i_base_unaligned, args[2] = MB2 + 0x1000; args[3] = MB2 + 0x2000)
PREP(p_i_assigned, args[2] = TEST_CODE_IPA)
PREP(p_i_top_unaligned, args[3] = 0x4010)
PREP(p_i_no_progress, args[2] = MB2; args[3] = MB2 + 0x100000)

static const struct intent init_rows[] = {
    RD_ROWS,
    {"top <= base", "size_valid", INPUT, p_i_size},
    {"top Unprotected", "top_bound", INPUT, p_i_top_unprot},
    {"realm active", "realm_state", RMI_ERROR_REALM, p_activate},
    {"base inside a level 2 entry", "base_align", RTT(2), p_i_base_unaligned},
    {"base ASSIGNED", "rtte_state", RTT(3), p_i_assigned},
    {"top unaligned", "top_gran_align", INPUT, p_i_top_unaligned},
    {"top inside the first block", "no_progress", RTT(2), p_i_no_progress},
};

static void rtt_init_ripas_intents(void **state)
{
	RUN(init_rows, RMI_RTT_INIT_RIPAS, init_setup);
}

static void rtt_init_ripas_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 0, 0, false);
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl.rd, 0x2000, 0x4000), RMI_SUCCESS);
	assert_int_equal(e->out[1], 0x4000);
	assert_int_equal(rtte(e, rl.rtt_l3, 2), 1ULL << 5); /* UNASSIGNED RAM */
	assert_int_equal(rtte(e, rl.rtt_l3, 4), 0);
	/* Stops at the ASSIGNED entry... */
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl.rd, 0, 0x4000), RMI_SUCCESS);
	assert_int_equal(e->out[1], 0x1000);
	/* ...and at the end of the RTT. */
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl.rd, 0x4000, GB1), RMI_SUCCESS);
	assert_int_equal(e->out[1], MB2);
	/* A whole level-2 block. */
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl.rd, MB2, 3 * MB2), RMI_SUCCESS);
	assert_int_equal(e->out[1], 3 * MB2);
	assert_int_equal(rtte(e, rl.rtt_l2, 1), 1ULL << 5);
	env_free(e);
}

/* --- RTT_MAP_UNPROTECTED / RTT_UNMAP_UNPROTECTED --- */

static void unprot_realm(struct env *e, struct fx *x)
{
	realm_build(e, &x->rl, 0, 0, true);
	uint64_t l2 = delegated(e), l3 = delegated(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, x->rl.rd, l2, TEST_UNPROT, 2), RMI_SUCCESS);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, x->rl.rd, l3, TEST_UNPROT, 3), RMI_SUCCESS);
	x->extra = l3;
}

static void map_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	unprot_realm(e, x);
	args[1] = x->rl.rd;
	args[2] = TEST_UNPROT;
	args[3] = 3;
	args[4] = ns_granule(e) | NS_ATTR;
}

PREP(p_m_attr, args[4] |= 1)
PREP(p_m_level0, args[3] = 0)
PREP(p_m_addr_unaligned, args[3] = 2)
PREP(p_m_ipa_unaligned, args[2] += 0x800)
PREP(p_m_ipa_prot, args[2] = 0x5000)
PREP(p_m_no_l3, args[2] = TEST_UNPROT + GB1)
PREP(p_m_mapped,
     assert_int_equal(RMI4(e, RMI_RTT_MAP_UNPROTECTED, args[1], args[2], 3, args[4]), RMI_SUCCESS))

static const struct intent map_rows[] = {
    {"desc bit 0", "attr_valid", INPUT, p_m_attr},
    RD_ROWS,
    {"level 0", "level_bound", INPUT, p_m_level0},
    {"addr not 2MB aligned", "addr_align", INPUT, p_m_addr_unaligned},
    {"ipa unaligned", "ipa_align", INPUT, p_m_ipa_unaligned},
    {"ipa Protected", "ipa_bound", INPUT, p_m_ipa_prot},
    {"no level 3 RTT", "rtt_walk", RTT(1), p_m_no_l3},
    {"already mapped", "rtte_state", RTT(3), p_m_mapped},
};

static void rtt_map_unprotected_intents(void **state)
{
	RUN(map_rows, RMI_RTT_MAP_UNPROTECTED, map_setup);
}

static void unmap_setup(struct env *e, void *fxp, uint64_t *args)
{
	struct fx *x = fxp;
	unprot_realm(e, x);
	assert_int_equal(
	    RMI4(e, RMI_RTT_MAP_UNPROTECTED, x->rl.rd, TEST_UNPROT, 3, ns_granule(e) | NS_ATTR),
	    RMI_SUCCESS);
	args[1] = x->rl.rd;
	args[2] = TEST_UNPROT;
	args[3] = 3;
}

PREP(p_u_level0, args[3] = 0)
PREP(p_u_ipa_unaligned, args[2] += 0x800)
PREP(p_u_ipa_prot, args[2] = 0x1000)
PREP(p_u_no_l3, args[2] = TEST_UNPROT + GB1)
PREP(p_u_unmapped, args[2] = TEST_UNPROT + 0x1000)

static const struct intent unmap_rows[] = {
    RD_ROWS,
    {"level 0", "level_bound", INPUT, p_u_level0},
    {"ipa unaligned", "ipa_align", INPUT, p_u_ipa_unaligned},
    {"ipa Protected", "ipa_bound", INPUT, p_u_ipa_prot},
    {"no level 3 RTT", "rtt_walk", RTT(1), p_u_no_l3},
    {"not mapped", "rtte_state", RTT(3), p_u_unmapped},
};

static void rtt_unmap_unprotected_intents(void **state)
{
	RUN(unmap_rows, RMI_RTT_UNMAP_UNPROTECTED, unmap_setup);
}

static void unprotected_effects(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct fx x;
	unprot_realm(e, &x);
	uint64_t ns = ns_granule(e);
	assert_int_equal(
	    RMI4(e, RMI_RTT_MAP_UNPROTECTED, x.rl.rd, TEST_UNPROT + 0x3000, 3, ns | NS_ATTR),
	    RMI_SUCCESS);
	/* Valid page, host attributes, SH inner, AF, XN, NS (bit 55). */
	assert_int_equal(rtte(e, x.extra, 3), ns | NS_ATTR | (3ULL << 8) | (1ULL << 10) |
						  (2ULL << 53) | (1ULL << 55) | 3);
	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, x.rl.rd, TEST_UNPROT + 0x3000, 3),
			 RMI_SUCCESS);
	assert_int_equal(e->out[2], RTT_STATE_ASSIGNED);
	assert_int_equal(e->out[3], ns | NS_ATTR);
	assert_int_equal(e->out[4], RIPAS_EMPTY);
	assert_int_equal(RMI3(e, RMI_RTT_UNMAP_UNPROTECTED, x.rl.rd, TEST_UNPROT, 3), RTT(3));
	assert_int_equal(e->out[1], TEST_UNPROT + 0x3000); /* top: the next live entry */
	assert_int_equal(RMI3(e, RMI_RTT_UNMAP_UNPROTECTED, x.rl.rd, TEST_UNPROT + 0x3000, 3),
			 RMI_SUCCESS);
	assert_int_equal(e->out[1], TEST_UNPROT + MB2);
	assert_int_equal(rtte(e, x.extra, 3), (1ULL << 55) | (2ULL << 2));
	env_free(e);
}

/* --- RTT_FOLD --- */

static const struct intent fold_rows[] = {
    RD_ROWS,
    {"starting level", "level_bound", INPUT, p_child_level_start},
    {"ipa unaligned", "ipa_align", INPUT, p_child_ipa_unaligned},
    {"ipa beyond", "ipa_bound", INPUT, p_child_ipa_beyond},
    {"no level 2 RTT", "rtt_walk", RTT(1), p_child_no_parent},
    {"no RTT there", "rtte_state", RTT(2), p_child_no_table},
    {"mixed entries", "rtt_homo", RTT(3), p_child_with_data},
};

static void rtt_fold_intents(void **state)
{
	RUN(fold_rows, RMI_RTT_FOLD, child_rtt_setup);
}

static void rtt_fold_unfold_ram(void **state)
{
	/* An ASSIGNED RAM block unfolds into pages and folds back. */
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 0, 0, false);
	uint64_t l3 = delegated(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl.rd, l3, MB2, 3), RMI_SUCCESS);
	assert_int_equal(RMI3(e, RMI_RTT_INIT_RIPAS, rl.rd, MB2, 2 * MB2), RMI_SUCCESS);
	assert_int_equal(RMI3(e, RMI_RTT_FOLD, rl.rd, MB2, 3), RMI_SUCCESS);
	assert_int_equal(e->out[1], l3);
	assert_int_equal(rtte(e, rl.rtt_l2, 1), 1ULL << 5); /* UNASSIGNED RAM */
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, l3), RMI_SUCCESS);
	env_free(e);
}

/* Each rmi event carries its command's output values by name, as the table in dispatch.c
 * describes them, marked as outputs: all of them on success, the on_failure ones otherwise. */
static void rmi_events_carry_outputs(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 1, 1, true);

	assert_int_equal(RMI3(e, RMI_RTT_READ_ENTRY, rl.rd, TEST_CODE_IPA, 3), RMI_SUCCESS);
	const struct trace_event *ev = last_event(e, "rmi");
	assert_int_equal(trace_field(ev, "walk_level")->num, 3);
	assert_true(trace_field(ev, "walk_level")->output);
	assert_string_equal(trace_field(ev, "state")->str, "ASSIGNED");
	assert_int_equal(trace_field(ev, "state")->num, RTT_STATE_ASSIGNED);
	assert_int_equal(trace_field(ev, "desc")->num, rl.data);
	assert_string_equal(trace_field(ev, "ripas")->str, "RAM");
	assert_int_equal(trace_field(ev, "desc")->kind, TV_HEX);

	/* DATA_DESTROY failing with RMI_ERROR_RTT: `top` is defined, `data` is not */
	assert_int_equal(RMI2(e, RMI_DATA_DESTROY, rl.rd, TEST_CODE_IPA + 0x1000), RTT(3));
	ev = last_event(e, "rmi");
	assert_non_null(trace_field(ev, "top"));
	assert_true(trace_field(ev, "top")->output);
	assert_null(trace_field(ev, "data"));
	/* ...and failing otherwise, top is 0 ("RTT walk was not performed", B4.3.3) */
	assert_int_equal(RMI2(e, RMI_DATA_DESTROY, rl.rd + 8, TEST_CODE_IPA), INPUT);
	assert_int_equal(trace_field(last_event(e, "rmi"), "top")->num, 0);

	/* RMI_VERSION's lower and higher are defined in every outcome (B2) */
	assert_int_equal(RMI1(e, RMI_VERSION, 0x30000), INPUT);
	ev = last_event(e, "rmi");
	assert_int_equal(trace_field(ev, "lower")->num, 0x10000);
	assert_int_equal(trace_field(ev, "higher")->num, 0x10000);
	/* A command without outputs has no output field. */
	assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl.rd), RMI_ERROR_REALM);
	ev = last_event(e, "rmi");
	for (unsigned i = 0; i < ev->nfields; i++) {
		assert_false(ev->fields[i].output);
	}
	env_free(e);

	/* 1.0-eac2's RMI_VERSION returns the version in X0 and defines no output value */
	e = env_new(RMM_SPEC_1_0_EAC2, RMM_PROFILE_SPEC);
	RMI0(e, RMI_VERSION);
	assert_null(trace_field(last_event(e, "rmi"), "lower"));
	env_free(e);
}

/* The table the RMM dispatches from is the one it publishes (rmm.h). */
static void command_table(void **state)
{
	const struct rmm_command *c = rmm_rmi_command(RMI_RTT_READ_ENTRY);
	assert_non_null(c);
	assert_string_equal(c->name, "RMI_RTT_READ_ENTRY");
	assert_int_equal(c->nargs, 3);
	assert_int_equal(c->nout, 4);
	assert_string_equal(c->out[1].name, "state");
	assert_int_equal(rmm_value_field(&c->out[1], 0xff01), 1); /* X2[7:0] */
	assert_ptr_equal(rmm_command_output(c, "ripas"), &c->out[3]);
	assert_null(rmm_command_output(c, "top"));
	assert_null(rmm_rmi_command(0xC4000156)); /* unused FID */
	size_t n = 0;
	while (rmm_rmi_command_at(n)) {
		n++;
	}
	assert_int_equal(n, 23);
	assert_int_equal(rmm_rsi_command(RSI_IPA_STATE_SET)->nout, 2);
	assert_int_equal(rmm_rsi_command(RSI_ATTESTATION_TOKEN_INIT)->nargs, 8);
	assert_int_equal(rmm_rsi_command(RSI_ATTESTATION_TOKEN_CONTINUE)->nout, 1);
	assert_null(rmm_rsi_command(0xC400019FULL)); /* in the RSI range, no command */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rmi_events_carry_outputs),
	    cmocka_unit_test(command_table),
	    cmocka_unit_test(rtt_create_intents),
	    cmocka_unit_test(rtt_destroy_intents),
	    cmocka_unit_test(rtt_create_destroy_effects),
	    cmocka_unit_test(rtt_read_entry_intents),
	    cmocka_unit_test(rtt_read_entry_effects),
	    cmocka_unit_test(data_create_intents),
	    cmocka_unit_test(data_create_unknown_intents),
	    cmocka_unit_test(data_destroy_intents),
	    cmocka_unit_test(data_effects),
	    cmocka_unit_test(rtt_init_ripas_intents),
	    cmocka_unit_test(rtt_init_ripas_effects),
	    cmocka_unit_test(rtt_map_unprotected_intents),
	    cmocka_unit_test(rtt_unmap_unprotected_intents),
	    cmocka_unit_test(unprotected_effects),
	    cmocka_unit_test(rtt_fold_intents),
	    cmocka_unit_test(rtt_fold_unfold_ram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
