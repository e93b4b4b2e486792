/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ABI names and MPIDR <-> REC index [S:B4.4.18, A2.3.3]. */
#include "abi/abi.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void names_round_trip(void **state)
{
	uint64_t v = 0;
	assert_string_equal(abi_name(ABI_FID, 0xC4000164), "RMI_PSCI_COMPLETE");
	assert_string_equal(abi_name(ABI_PSCI_RET, 0xFFFFFFFFFFFFFFFDULL), "PSCI_DENIED");
	assert_null(abi_name(ABI_PSCI_RET, 0xFFFFFFFDULL)); /* zero-extended -3 is not DENIED */
	assert_true(abi_value(ABI_PSCI_RET, "DENIED", "PSCI_", &v));
	assert_int_equal(v, PSCI_DENIED);
	assert_true(abi_value(ABI_RMI_STATUS, "RMI_ERROR_REC", NULL, &v));
	assert_int_equal(v, 3);
	assert_false(abi_value(ABI_RMI_STATUS, "ERROR_REC", NULL, &v));
	assert_true(abi_value(ABI_FID, "CPU_ON", "PSCI_", &v));
	assert_int_equal(v, PSCI_CPU_ON);
	assert_false(abi_value(ABI_FID, "CPU_ONN", "PSCI_", &v));
}

static void mpidr_index(void **state)
{
	/* Worked examples of [S:B4.4.18] */
	assert_int_equal(rec_index_to_mpidr(1), 0x1);
	assert_int_equal(rec_index_to_mpidr(16), 0x100);
	assert_int_equal(rec_index_to_mpidr(4096), 0x10000);
	assert_int_equal(rec_index_to_mpidr(1ULL << 20), 0x1000000);
	for (uint64_t i = 0; i < 70000; i += 7) {
		assert_int_equal(mpidr_to_rec_index(rec_index_to_mpidr(i)), i);
	}
	assert_int_equal(RMI_RET(RMI_ERROR_REALM, 1), 0x102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names_round_trip),
	    cmocka_unit_test(mpidr_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
