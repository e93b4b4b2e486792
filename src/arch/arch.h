/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The architecture's numbers, in one place: system register fields, exception syndromes,
 * PSTATE, the GICv3 List Registers, the translation granule (Arm ARM, by register). Every
 * layer names these constants from here; what a layer composes from them for its own
 * purpose (the SCR_EL3 it programs, the HCR_EL2 a realm runs with) stays with that layer,
 * built from these names, never from a raw number.
 */
#ifndef CCA_ARCH_ARCH_H
#define CCA_ARCH_ARCH_H

#include <stdint.h>

/* A field of a register: the mask of bits [hi:lo], and extracting/inserting a value. */
#define ARCH_MASK(hi, lo)          ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))
#define ARCH_GET(reg, hi, lo)      (((uint64_t)(reg)&ARCH_MASK(hi, lo)) >> (lo))
#define ARCH_PREP(val, hi, lo)     (((uint64_t)(val) << (lo)) & ARCH_MASK(hi, lo))
#define ARCH_BIT(n)                (1ULL << (n))
#define ARCH_SET(reg, hi, lo, val) (((uint64_t)(reg) & ~ARCH_MASK(hi, lo)) | ARCH_PREP(val, hi, lo))

/* The translation granule: 4 KB, also the unit of the GPT and of every RMM object. */
#define GRANULE_SHIFT 12
#define GRANULE_SIZE  (1ULL << GRANULE_SHIFT)

/* PSTATE and SPSR_ELx: M[3:0] is the EL and the stack pointer it uses. */
#define PSTATE_M_MASK   ARCH_MASK(3, 0)
#define PSTATE_M_SPX    ARCH_BIT(0) /* M[0]: the EL's own stack pointer */
#define PSTATE_M_EL(el) ARCH_PREP(el, 3, 2)
#define PSTATE_M_EL1T   0x4ULL
#define PSTATE_M_EL1H   0x5ULL
#define PSTATE_M_EL2H   0x9ULL
#define PSTATE_M_EL3H   0xdULL
#define PSTATE_F        ARCH_BIT(6)
#define PSTATE_I        ARCH_BIT(7)
#define PSTATE_A        ARCH_BIT(8)
#define PSTATE_D        ARCH_BIT(9)
#define PSTATE_DAIF     (PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F)
/* EL1 using SP_EL1 with every exception masked: how a PE and a REC start (0x3c5). */
#define PSTATE_EL1H (PSTATE_DAIF | PSTATE_M_EL1H)
#define PSTATE_EL2H (PSTATE_DAIF | PSTATE_M_EL2H)
#define PSTATE_EL3H (PSTATE_DAIF | PSTATE_M_EL3H)

/* SCR_EL3 [ARM:D24.2.169]. RES1 are bits [5:4]. */
#define SCR_NS   ARCH_BIT(0)
#define SCR_RES1 ARCH_MASK(5, 4)
#define SCR_SMD  ARCH_BIT(7)
#define SCR_HCE  ARCH_BIT(8)
#define SCR_SIF  ARCH_BIT(9)
#define SCR_RW   ARCH_BIT(10)
#define SCR_GPF  ARCH_BIT(48)
#define SCR_NSE  ARCH_BIT(62)

/* HCR_EL2. */
#define HCR_VM     ARCH_BIT(0)
#define HCR_SWIO   ARCH_BIT(1)
#define HCR_PTW    ARCH_BIT(2)
#define HCR_FMO    ARCH_BIT(3)
#define HCR_IMO    ARCH_BIT(4)
#define HCR_AMO    ARCH_BIT(5)
#define HCR_BSU_IS ARCH_PREP(1, 11, 10)
#define HCR_TWI    ARCH_BIT(13)
#define HCR_TWE    ARCH_BIT(14)
#define HCR_TID3   ARCH_BIT(18)
#define HCR_TSC    ARCH_BIT(19)
#define HCR_TGE    ARCH_BIT(27)
#define HCR_RW     ARCH_BIT(31)
#define HCR_APK    ARCH_BIT(40)
#define HCR_API    ARCH_BIT(41)
#define HCR_GPF    ARCH_BIT(48)

/* SCTLR_ELx: M enables stage 1; SCTLR_EL1's RES1 bits with the MMU and the
 * caches off (its value out of reset in the RMM's REC), and EE, the endianness of EL1. */
#define SCTLR_M        ARCH_BIT(0)
#define SCTLR_EL1_EE   ARCH_BIT(25)
#define SCTLR_EL1_RES1 (ARCH_MASK(29, 28) | ARCH_MASK(23, 22) | ARCH_BIT(20) | ARCH_BIT(11))

/* VTCR_EL2: T0SZ, SL0 and PS are computed by the RMM; these are fixed. */
#define VTCR_IRGN0_WBRAWA ARCH_PREP(1, 9, 8)
#define VTCR_ORGN0_WBRAWA ARCH_PREP(1, 11, 10)
#define VTCR_SH0_INNER    ARCH_PREP(3, 13, 12)
#define VTCR_TG0_4K       ARCH_PREP(0, 15, 14)
#define VTCR_VS           ARCH_BIT(19)
#define VTCR_RES1         ARCH_BIT(31)

/* ESR_ELx [ARM:D24.2.47]: exception class, instruction length, syndrome. */
#define ESR_EC_SHIFT    26
#define ESR_EC_UNKNOWN  0x00U
#define ESR_EC_WFX      0x01U
#define ESR_WFX_TI      ARCH_BIT(0) /* ISS.TI of a WFx trap: WFE (1) or WFI (0) */
#define ESR_EC_SVC64    0x15U
#define ESR_EC_HVC64    0x16U
#define ESR_EC_SMC64    0x17U
#define ESR_EC_SYSREG   0x18U
#define ESR_EC_GPC      0x1EU
#define ESR_EC_IABT_LOW 0x20U
#define ESR_EC_IABT_CUR 0x21U
#define ESR_EC_DABT_LOW 0x24U
#define ESR_EC_DABT_CUR 0x25U
#define ESR_EC_BRK64    0x3CU
#define ESR_EC_MASK     ARCH_MASK(31, ESR_EC_SHIFT)
#define ESR_IL          ARCH_BIT(25)
#define ESR_EC(esr)     ((unsigned)ARCH_GET(esr, 31, ESR_EC_SHIFT))
#define ESR_ISS(esr)    ARCH_GET(esr, 24, 0)
/* Data abort ISS: the syndrome an emulated access is decoded from. */
#define ESR_DABT_ISV      ARCH_BIT(24)
#define ESR_DABT_SAS_MASK ARCH_MASK(23, 22)
#define ESR_DABT_SSE      ARCH_BIT(21)
#define ESR_DABT_SRT_MASK ARCH_MASK(20, 16)
#define ESR_DABT_SRT(esr) ((unsigned)ARCH_GET(esr, 20, 16))
#define ESR_DABT_SF       ARCH_BIT(15)
#define ESR_DABT_AR       ARCH_BIT(14)
#define ESR_DABT_S1PTW    ARCH_BIT(7)
#define ESR_DABT_WNR      ARCH_BIT(6)
/* Fault status codes (DFSC/IFSC, ISS[5:0]). */
#define ESR_FSC_MASK           ARCH_MASK(5, 0)
#define ESR_FSC_ADDR_SIZE(lvl) (0x00U + (lvl))
#define ESR_FSC_TRANS(lvl)     (0x04U + (lvl))
#define ESR_FSC_PERM(lvl)      (0x0CU + (lvl))
#define ESR_FSC_SEA            0x10U /* synchronous external abort, not on a walk */
#define ESR_FSC_ALIGN          0x21U
#define ESR_FSC_GPF            0x28U /* granule protection fault, not on a walk */

/* ISS of a trapped MSR/MRS (EC 0x18): the register's encoding, Rt, and Direction (1 = read,
 * an MRS). */
#define ESR_SYSREG_OP0(esr) ((unsigned)ARCH_GET(esr, 21, 20))
#define ESR_SYSREG_OP2(esr) ((unsigned)ARCH_GET(esr, 19, 17))
#define ESR_SYSREG_OP1(esr) ((unsigned)ARCH_GET(esr, 16, 14))
#define ESR_SYSREG_CRN(esr) ((unsigned)ARCH_GET(esr, 13, 10))
#define ESR_SYSREG_RT(esr)  ((unsigned)ARCH_GET(esr, 9, 5))
#define ESR_SYSREG_CRM(esr) ((unsigned)ARCH_GET(esr, 4, 1))
#define ESR_SYSREG_READ     ARCH_BIT(0)

/*
 * The feature ID register space (op0 3, op1 0, CRn 0, CRm 0 to 7, op2 0 to 7), HCR_EL2.TID3
 * trapping CRm 1 to 7 [ARM:D24.2]: a register by its index CRm * 8 + op2, and the fields
 * cca-sim's RMM and platform set, as masks for arch_field_get/arch_field_set.
 */
#define ID_REG_INDEX(crm, op2) ((unsigned)(crm)*8U + (unsigned)(op2))
#define ID_REG_COUNT           64U
#define ID_AA64PFR0_EL1        ID_REG_INDEX(4, 0)
#define ID_AA64PFR1_EL1        ID_REG_INDEX(4, 1)
#define ID_AA64ZFR0_EL1        ID_REG_INDEX(4, 4)
#define ID_AA64SMFR0_EL1       ID_REG_INDEX(4, 5)
#define ID_AA64DFR0_EL1        ID_REG_INDEX(5, 0)
#define ID_AA64DFR1_EL1        ID_REG_INDEX(5, 1)
#define ID_AA64AFR0_EL1        ID_REG_INDEX(5, 4)
#define ID_AA64AFR1_EL1        ID_REG_INDEX(5, 5)
#define ID_AA64ISAR0_EL1       ID_REG_INDEX(6, 0)
#define ID_AA64ISAR1_EL1       ID_REG_INDEX(6, 1)
#define ID_AA64MMFR0_EL1       ID_REG_INDEX(7, 0)
#define ID_AA64MMFR1_EL1       ID_REG_INDEX(7, 1)
#define ID_AA64MMFR2_EL1       ID_REG_INDEX(7, 2)
#define ID_PFR0_GIC            ARCH_MASK(27, 24)
#define ID_PFR0_SVE            ARCH_MASK(35, 32)
#define ID_PFR0_AMU            ARCH_MASK(47, 44)
#define ID_PFR1_MTE            ARCH_MASK(11, 8)
#define ID_PFR1_SME            ARCH_MASK(27, 24)
#define ID_DFR0_TRACEVER       ARCH_MASK(7, 4)
#define ID_DFR0_PMUVER         ARCH_MASK(11, 8)
#define ID_DFR0_BRPS           ARCH_MASK(15, 12)
#define ID_DFR0_PMSS           ARCH_MASK(19, 16)
#define ID_DFR0_WRPS           ARCH_MASK(23, 20)
#define ID_DFR0_SEBEP          ARCH_MASK(27, 24)
#define ID_DFR0_CTX_CMPS       ARCH_MASK(31, 28)
#define ID_DFR0_PMSVER         ARCH_MASK(35, 32)
#define ID_DFR0_TRACEFILT      ARCH_MASK(43, 40)
#define ID_DFR0_TRACEBUFFER    ARCH_MASK(47, 44)
#define ID_DFR0_BRBE           ARCH_MASK(55, 52)
#define ID_DFR0_EXTTRCBUFF     ARCH_MASK(59, 56)
#define ID_DFR1_ICNTR          ARCH_MASK(39, 36)
#define ID_DFR1_EBEP           ARCH_MASK(51, 48)
#define ID_MMFR0_PARANGE       ARCH_MASK(3, 0)
#define ID_MMFR1_VMIDBITS      ARCH_MASK(7, 4)

/* The PA size encoding of ID_AA64MMFR0_EL1.PARange and VTCR_EL2.PS: the smallest architectural
 * size (32, 36, 40, 42, 44, 48, 52 bits) that holds pa_bits-bit addresses. */
static inline unsigned arch_pa_range(unsigned pa_bits)
{
	static const unsigned sizes[] = {32, 36, 40, 42, 44, 48};
	unsigned i = 0;
	while (i < sizeof(sizes) / sizeof(sizes[0]) && pa_bits > sizes[i]) {
		i++;
	}
	return i;
}

/* The field `mask` of `reg`, and `reg` with that field set to `val`. */
static inline uint64_t arch_field_get(uint64_t reg, uint64_t mask)
{
	return (reg & mask) >> __builtin_ctzll(mask);
}

static inline uint64_t arch_field_set(uint64_t reg, uint64_t mask, uint64_t val)
{
	return (reg & ~mask) | ((val << __builtin_ctzll(mask)) & mask);
}

/* ICH_LR<n>_EL2 (GICv3 architecture). */
#define ICH_LR_STATE_SHIFT    62
#define ICH_LR_HW             ARCH_BIT(61)
#define ICH_LR_EOI            ARCH_BIT(41)
#define ICH_LR_PINTID         ARCH_MASK(44, 32)
#define ICH_LR_PRIORITY(lr)   ARCH_GET(lr, 55, 48)
#define ICH_LR_VINTID(lr)     ARCH_GET(lr, 31, 0)
#define ICH_LR_GROUP          ARCH_BIT(60)
#define ICH_LR_STATE_MASK     ARCH_MASK(63, 62)
#define ICH_LR_STATE_PENDING  1U
#define ICH_LR_STATE_ACTIVE   2U
#define ICH_LR_PRIORITY_SHIFT 48

/* GICv3 INTID ranges: SGIs and PPIs below 32, SPIs up to 1019, LPIs from 8192. */
#define GIC_MAX_SPI 1019U
#define GIC_MIN_LPI 8192U

/* ICH_HCR_EL2.En and ICH_VMCR_EL2.VENG1 (virtual Group 1 enabled). */
#define ICH_HCR_EN     ARCH_BIT(0)
#define ICH_VMCR_VENG1 ARCH_BIT(1)

/* CNTx_CTL_EL0 of the generic timer. */
#define CNT_CTL_ENABLE  ARCH_BIT(0)
#define CNT_CTL_IMASK   ARCH_BIT(1)
#define CNT_CTL_ISTATUS ARCH_BIT(2)

/* The INTIDs of the EL1 timers' interrupts (PPIs, as the Server Base System Architecture
 * assigns them): the virtual timer 27, the physical timer 30. */
#define INTID_VTIMER 27U
#define INTID_PTIMER 30U

/* Offsets of the exception vectors from VBAR_EL1: synchronous and IRQ, taken from the current
 * EL with SP_EL0 or SP_ELx, or from a lower EL in AArch64. */
#define VECTOR_CUR_SP0       0x000U
#define VECTOR_CUR_SPX       0x200U
#define VECTOR_LOWER_A64     0x400U
#define VECTOR_IRQ_CUR_SP0   0x080U
#define VECTOR_IRQ_CUR_SPX   0x280U
#define VECTOR_IRQ_LOWER_A64 0x480U

#endif
