/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The invariant checks of debug builds (src/rmm/invariants.c) catch what they are for, and
 * only that: a granule state the GPT does not match, a failed command that changed memory.
 * Built and run only where the checks are compiled in (Debug, or CCA_CHECK_INVARIANTS).
 */
#include "rmm_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static char seen[400];
static unsigned nseen;

static void record(const char *msg)
{
	snprintf(seen, sizeof(seen), "%s", msg);
	nseen++;
}

static int setup(void **state)
{
	(void)state;
	seen[0] = '\0';
	nseen = 0;
	rmm_set_invariant_handler(record);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmm_set_invariant_handler(NULL);
	return 0;
}

/* EL3 says it delegated a granule but left it NS: the RMM's state and the GPT disagree. */
static void state_and_gpt_disagree(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t pa = ns_granule(e);
	e->f->gtsi_force = true;
	e->f->gtsi_ret = E_RMM_OK;
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), RMI_SUCCESS);
	assert_int_equal(nseen, 1);
	assert_non_null(strstr(seen, "after RMI_GRANULE_DELEGATE, granule"));
	assert_non_null(strstr(seen, "delegated to the RMM (state 1) but NS in the GPT"));
	e->f->gtsi_force = false;
	fake_set_pas(e->f, pa, FAKE_PAS_REALM); /* agree again before the final sweep */
	env_free(e);
	assert_int_equal(nseen, 1);
}

/* A Secure granule (a platform's Secure range): DELEGATE fails `gran_gpt` and changes nothing;
 * had EL3 claimed to delegate it, the RMM would record a granule that is not Realm. */
static void secure_granule(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t pa = ns_granule(e);
	fake_set_pas(e->f, pa, FAKE_PAS_SECURE);
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), RMI_ERROR_INPUT);
	assert_rmi_condition(e, "gran_gpt");
	assert_int_equal(nseen, 0);
	e->f->gtsi_force = true;
	e->f->gtsi_ret = E_RMM_OK;
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa), RMI_SUCCESS);
	assert_int_equal(nseen, 1);
	assert_non_null(strstr(seen, "delegated to the RMM (state 1) but neither NS nor Realm"));
	e->f->gtsi_force = false;
	fake_set_pas(e->f, pa, FAKE_PAS_REALM); /* agree again before the final sweep */
	env_free(e);
	assert_int_equal(nseen, 1);
}

/* UNDELEGATE scrubs the granule before EL3's transition; when EL3 then fails, the command
 * fails having changed the granule's contents, which the check reports. */
static void failed_command_changed_memory(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	uint64_t d = delegated(e);
	memset(fake_ptr(e->f, d), 0x5a, 64);
	e->f->gtsi_force = true;
	e->f->gtsi_ret = E_RMM_BAD_ADDR;
	assert_int_equal(RMI1(e, RMI_GRANULE_UNDELEGATE, d), RMI_ERROR_INPUT);
	assert_int_equal(nseen, 1);
	assert_non_null(strstr(seen, "RMI_GRANULE_UNDELEGATE failed (status 1) but changed 4096 "
				     "bytes of Realm memory"));
	e->f->gtsi_force = false;
	env_free(e);
}

/* What is allowed: a successful command changes things; REC_ENTER may fail after the REC ran
 * (writing `exit` to a run page that is no longer NS); a failure that changes nothing. */
static void no_false_alarms(void **state)
{
	struct env *e = env_new(RMM_SPEC_1_0_REL0, RMM_PROFILE_SPEC);
	struct realm rl;
	realm_build(e, &rl, 2, 1, true);
	realm_smc(e, 1, PSCI_VERSION);
	e->f->fail_ns_write = true;
	assert_int_equal(enter(e, &rl, 0), RMI_ERROR_INPUT);
	e->f->fail_ns_write = false;
	assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, rl.rd), RMI_ERROR_INPUT);
	assert_int_equal(RMI3(e, RMI_PSCI_COMPLETE, rl.recs[0], rl.recs[1], PSCI_SUCCESS),
			 RMI_ERROR_INPUT);
	env_free(e);
	assert_int_equal(nseen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(state_and_gpt_disagree, setup, teardown),
	    cmocka_unit_test_setup_teardown(failed_command_changed_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(secure_granule, setup, teardown),
	    cmocka_unit_test_setup_teardown(no_false_alarms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
