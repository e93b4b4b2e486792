/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand encoders for the few A64 instructions the cpu tests run (checked by test_encodings). */
#ifndef CCA_TESTS_CPU_A64_H
#define CCA_TESTS_CPU_A64_H

#include <stdint.h>

#define SYSREG_ENC(op0, op1, crn, crm, op2)                                                        \
	(((uint32_t)(op0) << 19) | ((uint32_t)(op1) << 16) | ((uint32_t)(crn) << 12) |             \
	 ((uint32_t)(crm) << 8) | ((uint32_t)(op2) << 5))
#define R_CURRENTEL SYSREG_ENC(3, 0, 4, 2, 2)
#define R_HCR_EL2   SYSREG_ENC(3, 4, 1, 1, 0)
#define R_VTTBR_EL2 SYSREG_ENC(3, 4, 2, 1, 0)

static inline uint32_t a64_movz(unsigned rd, unsigned imm16, unsigned hw)
{
	return 0xd2800000U | (hw << 21) | (imm16 << 5) | rd;
}

static inline uint32_t a64_movk(unsigned rd, unsigned imm16, unsigned hw)
{
	return 0xf2800000U | (hw << 21) | (imm16 << 5) | rd;
}

static inline uint32_t a64_mrs(unsigned rt, uint32_t sysreg)
{
	return 0xd5200000U | sysreg | rt;
}

static inline uint32_t a64_msr(uint32_t sysreg, unsigned rt)
{
	return 0xd5000000U | sysreg | rt;
}

static inline uint32_t a64_svc(unsigned imm)
{
	return 0xd4000001U | (imm << 5);
}

static inline uint32_t a64_hvc(unsigned imm)
{
	return 0xd4000002U | (imm << 5);
}

static inline uint32_t a64_smc(unsigned imm)
{
	return 0xd4000003U | (imm << 5);
}

/* b with a byte offset (multiple of 4, may be negative). */
static inline uint32_t a64_b(int32_t off)
{
	return 0x14000000U | ((uint32_t)(off / 4) & 0x3ffffffU);
}

static inline uint32_t a64_add_imm(unsigned rd, unsigned rn, unsigned imm12)
{
	return 0x91000000U | (imm12 << 10) | (rn << 5) | rd;
}

static inline uint32_t a64_add_reg(unsigned rd, unsigned rn, unsigned rm)
{
	return 0x8b000000U | (rm << 16) | (rn << 5) | rd;
}

/* ldr/str Xt, [Xn, #imm] (unsigned offset, imm a multiple of 8). */
static inline uint32_t a64_ldr(unsigned rt, unsigned rn, unsigned imm)
{
	return 0xf9400000U | ((imm / 8) << 10) | (rn << 5) | rt;
}

static inline uint32_t a64_str(unsigned rt, unsigned rn, unsigned imm)
{
	return 0xf9000000U | ((imm / 8) << 10) | (rn << 5) | rt;
}

/* ldr Wt, [Xn] */
static inline uint32_t a64_ldr_w(unsigned rt, unsigned rn)
{
	return 0xb9400000U | (rn << 5) | rt;
}

static inline uint32_t a64_br(unsigned rn)
{
	return 0xd61f0000U | (rn << 5);
}

/* dc zva, Xt (SYS #3, C7, C4, #1, Xt) */
static inline uint32_t a64_dc_zva(unsigned rt)
{
	return 0xd50b7420U | rt;
}

#define A64_NOP 0xd503201fU
#define A64_UDF 0x00000000U
#define A64_WFI 0xd503207fU

#endif
