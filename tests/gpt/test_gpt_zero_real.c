/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zeros written over RAM nothing has written are left out (src/gpt/access.c): the memory
 * stays never written, the GPT still decides whether the access may be made, and memory that
 * was written is zeroed for real. On the real src/cpu, which knows what was written.
 */
#include "abi/abi.h"
#include "gpt/gpt.h"
#include "test_machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define PA_FREE      (TEST_RAM_BASE + 0x800000)
#define PA_DELEGATED (TEST_RAM_BASE + 0x801000)

static void zeros_over_zeros(void **state)
{
	struct gpt_fixture *f = *state;
	static const uint8_t zero[4096];
	uint64_t v = 0x1122334455667788ULL;

	assert_true(cpu_phys_never_written(f->m, PA_FREE, sizeof(zero)));
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_FREE, zero, sizeof(zero), NULL), 0);
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, PA_FREE, sizeof(zero), NULL), 0);
	assert_true(cpu_phys_never_written(f->m, PA_FREE, sizeof(zero)));

	/* Written: zeros are written for real, whichever call makes them. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_FREE + 8, &v, 8, NULL), 0);
	assert_false(cpu_phys_never_written(f->m, PA_FREE, sizeof(zero)));
	assert_int_equal(test_peek64(f->m, PA_FREE + 8), v);
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_FREE, zero, sizeof(zero), NULL), 0);
	assert_int_equal(test_peek64(f->m, PA_FREE + 8), 0);
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_FREE + 8, &v, 8, NULL), 0);
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, PA_FREE, sizeof(zero), NULL), 0);
	assert_int_equal(test_peek64(f->m, PA_FREE + 8), 0);
}

static void zeros_still_checked(void **state)
{
	struct gpt_fixture *f = *state;
	static const uint8_t zero[64];
	struct gpt_result r;

	assert_int_equal(gpt_delegate(f->g, PA_DELEGATED), E_RMM_OK);
	assert_true(cpu_phys_never_written(f->m, PA_DELEGATED, sizeof(zero)));
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_DELEGATED, zero, sizeof(zero), &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, PA_DELEGATED, sizeof(zero), &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(gpt_zero(f->g, GPT_PAS_REALM, PA_DELEGATED, sizeof(zero), &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(zeros_over_zeros, gpt_fixture_setup,
					    gpt_fixture_teardown),
	    cmocka_unit_test_setup_teardown(zeros_still_checked, gpt_fixture_setup,
					    gpt_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
