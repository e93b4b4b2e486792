/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The architectural constants against values written out by hand from the Arm ARM: each
 * expected number here is independent of arch.h, so a wrong shift or mask there fails.
 */
#include "arch/arch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void field_helpers(void **state)
{
	(void)state;
	assert_int_equal(ARCH_MASK(0, 0), 0x1);
	assert_int_equal(ARCH_MASK(63, 0), 0xFFFFFFFFFFFFFFFFULL);
	assert_int_equal(ARCH_MASK(63, 62), 0xC000000000000000ULL);
	assert_int_equal(ARCH_MASK(31, 26), 0xFC000000ULL);
	assert_int_equal(ARCH_GET(0x96000045ULL, 31, 26), 0x25);
	assert_int_equal(ARCH_GET(0xABCD0000ULL, 23, 16), 0xCD);
	assert_int_equal(ARCH_PREP(0x25, 31, 26), 0x94000000ULL);
	/* a value wider than its field is cut to the field */
	assert_int_equal(ARCH_PREP(0xFF, 11, 10), 0xC00ULL);
}

static void pstate_and_system_registers(void **state)
{
	(void)state;
	assert_int_equal(PSTATE_EL1H, 0x3c5);
	assert_int_equal(PSTATE_EL2H, 0x3c9);
	assert_int_equal(PSTATE_EL3H, 0x3cd);
	assert_int_equal(PSTATE_EL1H & PSTATE_M_MASK, 0x5);
	assert_int_equal(PSTATE_DAIF | PSTATE_M_EL(2) | PSTATE_M_SPX, PSTATE_EL2H);
	assert_int_equal(SCTLR_EL1_RES1, 0x30D00800ULL);
	assert_int_equal(SCTLR_EL1_EE, 0x2000000ULL);
	assert_int_equal(SCR_RES1 | SCR_NS | SCR_HCE | SCR_RW, 0x531);
	assert_int_equal(SCR_RES1 | SCR_HCE | SCR_SIF | SCR_RW, 0x730);
	assert_int_equal(SCR_NSE, 0x4000000000000000ULL);
	assert_int_equal(SCR_GPF, 0x1000000000000ULL);
	assert_int_equal(HCR_BSU_IS, 0x400);
	assert_int_equal(HCR_TGE | HCR_TID3 | HCR_TSC, 0x80C0000ULL);
	assert_int_equal(VTCR_RES1 | VTCR_SH0_INNER | VTCR_ORGN0_WBRAWA | VTCR_IRGN0_WBRAWA |
			     VTCR_TG0_4K,
			 0x80003500ULL);
	assert_int_equal(GRANULE_SIZE, 4096);
}

static void syndromes(void **state)
{
	(void)state;
	/* A data abort from a lower EL, 32-bit instruction, ISV, 8-byte store of x3. */
	uint64_t esr = 0x93C30046ULL | ESR_DABT_WNR;
	assert_int_equal(ESR_EC(esr), ESR_EC_DABT_LOW);
	assert_true(esr & ESR_IL);
	assert_true(esr & ESR_DABT_ISV);
	assert_int_equal((esr & ESR_DABT_SAS_MASK) >> 22, 3);
	assert_int_equal(ESR_DABT_SRT(esr), 3);
	assert_int_equal(esr & ESR_FSC_MASK, ESR_FSC_TRANS(2));
	assert_int_equal(ESR_ISS(esr), 0x1C30046ULL);
	assert_int_equal(ESR_EC_MASK, 0xFC000000ULL);
	assert_int_equal((uint64_t)ESR_EC_SMC64 << ESR_EC_SHIFT, 0x5C000000ULL);
	assert_int_equal(ESR_DABT_SSE | ESR_DABT_SF | ESR_DABT_AR, 0x20C000ULL);
	assert_int_equal(ESR_FSC_PERM(3), 0x0F);
}

static void gic_list_registers(void **state)
{
	(void)state;
	uint64_t lr = (1ULL << 62) | (0xA0ULL << 48) | 27; /* pending, priority 0xA0, vINTID 27 */
	assert_int_equal(lr >> ICH_LR_STATE_SHIFT, 1);
	assert_int_equal(ICH_LR_PRIORITY(lr), 0xA0);
	assert_int_equal(ICH_LR_VINTID(lr), 27);
	assert_int_equal(ICH_LR_HW, 0x2000000000000000ULL);
	assert_int_equal(ICH_LR_PINTID, 0x1FFF00000000ULL);
}

static void id_registers(void **state)
{
	(void)state;
	/* MRS x5, ID_AA64DFR0_EL1 trapped: Op0 3, Op2 0, Op1 0, CRn 0, Rt 5, CRm 5, read. */
	uint64_t esr = 0x623000ABULL;
	assert_int_equal(ESR_EC(esr), ESR_EC_SYSREG);
	assert_int_equal(ESR_SYSREG_OP0(esr), 3);
	assert_int_equal(ESR_SYSREG_OP1(esr) | ESR_SYSREG_CRN(esr) | ESR_SYSREG_OP2(esr), 0);
	assert_int_equal(ESR_SYSREG_RT(esr), 5);
	assert_int_equal(ESR_SYSREG_CRM(esr), 5);
	assert_true(esr & ESR_SYSREG_READ);
	assert_int_equal(ID_REG_INDEX(ESR_SYSREG_CRM(esr), ESR_SYSREG_OP2(esr)), ID_AA64DFR0_EL1);
	/* MRS x0, ID_AA64MMFR2_EL1 (S3_0_C0_C7_2) */
	assert_int_equal(ESR_SYSREG_OP2(0x62340001ULL | (2ULL << 17)), 2);
	assert_int_equal(ID_AA64MMFR2_EL1, 58);
	assert_int_equal(ID_AA64PFR0_EL1, 32);
	assert_int_equal(ID_PFR0_SVE, 0xF00000000ULL);
	assert_int_equal(ID_PFR0_AMU, 0xF00000000000ULL);
	assert_int_equal(ID_PFR0_GIC, 0xF000000ULL);
	assert_int_equal(ID_PFR1_MTE | ID_PFR1_SME, 0xF000F00ULL);
	assert_int_equal(ID_DFR0_BRPS | ID_DFR0_WRPS | ID_DFR0_PMUVER, 0xF0FF00ULL);
	assert_int_equal(ID_DFR0_PMSVER | ID_DFR0_TRACEBUFFER, 0xF00F00000000ULL);
	assert_int_equal(ID_DFR1_EBEP | ID_DFR1_ICNTR, 0xF00F000000000ULL);
	/* QEMU's max CPU's ID_AA64DFR0_EL1: 6 breakpoints, 4 watchpoints, PMUv3 for Armv8.4. */
	assert_int_equal(arch_field_get(0x10305506ULL, ID_DFR0_BRPS), 5);
	assert_int_equal(arch_field_get(0x10305506ULL, ID_DFR0_WRPS), 3);
	assert_int_equal(arch_field_set(0x10305506ULL, ID_DFR0_BRPS, 1), 0x10301506ULL);
	assert_int_equal(arch_field_set(0x10305506ULL, ID_DFR0_PMUVER, 0x1F), 0x10305F06ULL);
	assert_int_equal(arch_pa_range(32), 0);
	assert_int_equal(arch_pa_range(40), 2);
	assert_int_equal(arch_pa_range(41), 3);
	assert_int_equal(arch_pa_range(44), 4);
	assert_int_equal(arch_pa_range(48), 5);
	assert_int_equal(arch_pa_range(52), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(field_helpers), cmocka_unit_test(pstate_and_system_registers),
	    cmocka_unit_test(syndromes),     cmocka_unit_test(gic_list_registers),
	    cmocka_unit_test(id_registers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
