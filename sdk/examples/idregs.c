/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's ID register example: the realm reads the feature ID registers a realm uses to
 * discover what it may use, and prints the fields the RMM sets for it (docs/realm-sdk.md,
 * "ID registers"). Each read traps to the RMM (HCR_EL2.TID3), which answers with the Realm
 * PE's value sanitised for this realm: the breakpoints and watchpoints the host asked for at
 * RMI_REALM_CREATE, SVE and the PMU only if the host enabled them, never AMU, SPE or TRBE.
 */
#include "cca_realm.h"

#define FIELD(v, lo) ((unsigned)(((v) >> (lo)) & 0xf))

/* An MRS by the register's generic name (S3_0_C0_Cm_op2), as the assembler may not know the
 * newer ones. */
#define READ_ID(crm, op2)                                                                          \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v_));                    \
		v_;                                                                                \
	})

int main(void)
{
	uint64_t pfr0 = READ_ID(4, 0), zfr0 = READ_ID(4, 4), dfr0 = READ_ID(5, 0);
	uint64_t mmfr0 = READ_ID(7, 0), pfr0_a32 = READ_ID(1, 0), reserved = READ_ID(7, 7);

	cca_printf("ID_AA64PFR0_EL1: EL1 %u, FP %u, GIC %u, SVE %u, AMU %u\n", FIELD(pfr0, 4),
		   FIELD(pfr0, 16), FIELD(pfr0, 24), FIELD(pfr0, 32), FIELD(pfr0, 44));
	cca_printf("ID_AA64ZFR0_EL1: 0x%llx\n", (unsigned long long)zfr0);
	cca_printf("ID_AA64DFR0_EL1: PMUVer %u, breakpoints %u, watchpoints %u, SPE %u, TRBE %u\n",
		   FIELD(dfr0, 8), FIELD(dfr0, 12) + 1, FIELD(dfr0, 20) + 1, FIELD(dfr0, 32),
		   FIELD(dfr0, 44));
	cca_printf("ID_AA64MMFR0_EL1: PARange %u\n", FIELD(mmfr0, 0));
	cca_printf("ID_PFR0_EL1 (AArch32): 0x%llx, reserved S3_0_C0_C7_7: 0x%llx\n",
		   (unsigned long long)pfr0_a32, (unsigned long long)reserved);
	return 0;
}
