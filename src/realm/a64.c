/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A64 instruction encodings (Arm ARM DDI 0487, C4 "A64 Instruction Set Encoding" and the C6
 * instruction pages). Each function returns one 32-bit instruction; fields are masked to their
 * width, and callers check ranges beforehand (a64_*_in_range) where an offset can overflow.
 */
#include "realm/a64.h"

#define REG(r) ((uint32_t)(r)&31U)

/* Move wide immediate, sf = 1: sf opc 100101 hw imm16 Rd (C4.1.92.4). */
static uint32_t move_wide(uint32_t opc, unsigned rd, uint16_t imm16, unsigned hw)
{
	return 0x80000000U | (opc << 29) | 0x12800000U | ((uint32_t)(hw & 3) << 21) |
	       ((uint32_t)imm16 << 5) | REG(rd);
}

uint32_t a64_movn(unsigned rd, uint16_t imm16, unsigned hw)
{
	return move_wide(0, rd, imm16, hw);
}

uint32_t a64_movz(unsigned rd, uint16_t imm16, unsigned hw)
{
	return move_wide(2, rd, imm16, hw);
}

uint32_t a64_movk(unsigned rd, uint16_t imm16, unsigned hw)
{
	return move_wide(3, rd, imm16, hw);
}

static uint16_t halfword(uint64_t v, unsigned hw)
{
	return (uint16_t)(v >> (16 * hw));
}

unsigned a64_mov_imm64(unsigned rd, uint64_t value, uint32_t out[4])
{
	unsigned zeros = 0, ones = 0;
	for (unsigned hw = 0; hw < 4; hw++) {
		zeros += halfword(value, hw) == 0;
		ones += halfword(value, hw) == 0xffff;
	}
	/* MOVN starts from all ones, MOVZ from all zeros: pick the background that leaves fewer
	 * halfwords to patch with MOVK. */
	bool inverted = ones > zeros;
	uint16_t background = inverted ? 0xffff : 0;
	unsigned n = 0;
	for (unsigned hw = 0; hw < 4; hw++) {
		uint16_t h = halfword(value, hw);
		if (h == background) {
			continue;
		}
		if (n == 0) {
			out[n++] = inverted ? a64_movn(rd, (uint16_t)~h, hw) : a64_movz(rd, h, hw);
		} else {
			out[n++] = a64_movk(rd, h, hw);
		}
	}
	if (n == 0) { /* every halfword equals the background: 0 or ~0 */
		out[n++] = inverted ? a64_movn(rd, 0, 0) : a64_movz(rd, 0, 0);
	}
	return n;
}

/* Add/subtract (immediate), sf = 1: sf op S 100010 sh imm12 Rn Rd (C4.1.92.2). */
static uint32_t addsub_imm(uint32_t op, uint32_t s, unsigned rd, unsigned rn, uint32_t imm12,
			   bool lsl12)
{
	return 0x91000000U | (op << 30) | (s << 29) | ((uint32_t)lsl12 << 22) |
	       ((imm12 & 0xfffU) << 10) | (REG(rn) << 5) | REG(rd);
}

uint32_t a64_add_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12)
{
	return addsub_imm(0, 0, rd, rn, imm12, lsl12);
}

uint32_t a64_sub_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12)
{
	return addsub_imm(1, 0, rd, rn, imm12, lsl12);
}

uint32_t a64_subs_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12)
{
	return addsub_imm(1, 1, rd, rn, imm12, lsl12);
}

uint32_t a64_cmp_imm(unsigned rn, uint32_t imm12, bool lsl12)
{
	return a64_subs_imm(A64_XZR, rn, imm12, lsl12);
}

/* Add/subtract (shifted register), SUBS, sf = 1, LSL #0 (C4.1.95.6). */
uint32_t a64_subs_reg(unsigned rd, unsigned rn, unsigned rm)
{
	return 0xEB000000U | (REG(rm) << 16) | (REG(rn) << 5) | REG(rd);
}

uint32_t a64_cmp_reg(unsigned rn, unsigned rm)
{
	return a64_subs_reg(A64_XZR, rn, rm);
}

/* MOV (register) is ORR Xd, XZR, Xm (logical shifted register, sf = 1). */
uint32_t a64_mov_reg(unsigned rd, unsigned rm)
{
	return 0xAA0003E0U | (REG(rm) << 16) | REG(rd);
}

/* PC-rel. addressing: op immlo 10000 immhi Rd (C4.1.92.1). */
static uint32_t pcrel(uint32_t op, unsigned rd, int64_t imm21)
{
	uint32_t imm = (uint32_t)imm21 & 0x1fffffU;
	return (op << 31) | ((imm & 3U) << 29) | 0x10000000U | ((imm >> 2) << 5) | REG(rd);
}

uint32_t a64_adr(unsigned rd, int64_t offset)
{
	return pcrel(0, rd, offset);
}

uint32_t a64_adrp(unsigned rd, int64_t offset)
{
	return pcrel(1, rd, offset / 4096);
}

bool a64_adr_in_range(int64_t offset)
{
	return offset >= -(1LL << 20) && offset < (1LL << 20);
}

/* Load/store register (unsigned immediate), size = 11: imm12 is the offset / 8 (C4.1.94). */
uint32_t a64_ldr_imm(unsigned rt, unsigned rn, uint32_t offset)
{
	return 0xF9400000U | (((offset / 8) & 0xfffU) << 10) | (REG(rn) << 5) | REG(rt);
}

uint32_t a64_str_imm(unsigned rt, unsigned rn, uint32_t offset)
{
	return 0xF9000000U | (((offset / 8) & 0xfffU) << 10) | (REG(rn) << 5) | REG(rt);
}

/* Load/store register (register offset), option = 011 (LSL), S = 0. */
uint32_t a64_ldr_reg(unsigned rt, unsigned rn, unsigned rm)
{
	return 0xF8606800U | (REG(rm) << 16) | (REG(rn) << 5) | REG(rt);
}

uint32_t a64_str_reg(unsigned rt, unsigned rn, unsigned rm)
{
	return 0xF8206800U | (REG(rm) << 16) | (REG(rn) << 5) | REG(rt);
}

/* Load/store register pair, opc = 10 (64-bit): imm7 is the offset / 8. */
static uint32_t pair(uint32_t base, unsigned rt, unsigned rt2, unsigned rn, int32_t offset)
{
	uint32_t imm7 = (uint32_t)(offset / 8) & 0x7fU;
	return base | (imm7 << 15) | (REG(rt2) << 10) | (REG(rn) << 5) | REG(rt);
}

uint32_t a64_ldp(unsigned rt, unsigned rt2, unsigned rn, int32_t offset)
{
	return pair(0xA9400000U, rt, rt2, rn, offset);
}

uint32_t a64_stp(unsigned rt, unsigned rt2, unsigned rn, int32_t offset)
{
	return pair(0xA9000000U, rt, rt2, rn, offset);
}

uint32_t a64_stp_pre(unsigned rt, unsigned rt2, unsigned rn, int32_t offset)
{
	return pair(0xA9800000U, rt, rt2, rn, offset);
}

uint32_t a64_ldp_post(unsigned rt, unsigned rt2, unsigned rn, int32_t offset)
{
	return pair(0xA8C00000U, rt, rt2, rn, offset);
}

/* Branches (C4.1.93): imm26 / imm19 are the offset in words. */
uint32_t a64_b(int64_t offset)
{
	return 0x14000000U | ((uint32_t)(offset / 4) & 0x3ffffffU);
}

uint32_t a64_bl(int64_t offset)
{
	return 0x94000000U | ((uint32_t)(offset / 4) & 0x3ffffffU);
}

static uint32_t imm19(int64_t offset)
{
	return ((uint32_t)(offset / 4) & 0x7ffffU) << 5;
}

uint32_t a64_b_cond(enum a64_cond cond, int64_t offset)
{
	return 0x54000000U | imm19(offset) | ((uint32_t)cond & 0xfU);
}

uint32_t a64_cbz(unsigned rt, int64_t offset)
{
	return 0xB4000000U | imm19(offset) | REG(rt);
}

uint32_t a64_cbnz(unsigned rt, int64_t offset)
{
	return 0xB5000000U | imm19(offset) | REG(rt);
}

bool a64_b_in_range(int64_t offset)
{
	return offset % 4 == 0 && offset >= -(1LL << 27) && offset < (1LL << 27);
}

bool a64_b19_in_range(int64_t offset)
{
	return offset % 4 == 0 && offset >= -(1LL << 20) && offset < (1LL << 20);
}

/* Unconditional branch (register): opc selects BR (0), BLR (1), RET (2). */
uint32_t a64_br(unsigned rn)
{
	return 0xD61F0000U | (REG(rn) << 5);
}

uint32_t a64_blr(unsigned rn)
{
	return 0xD63F0000U | (REG(rn) << 5);
}

uint32_t a64_ret(unsigned rn)
{
	return 0xD65F0000U | (REG(rn) << 5);
}

/* Exception generation (C4.1.93.6): 11010100 opc imm16 op2 LL. */
uint32_t a64_svc(uint16_t imm16)
{
	return 0xD4000001U | ((uint32_t)imm16 << 5);
}

uint32_t a64_hvc(uint16_t imm16)
{
	return 0xD4000002U | ((uint32_t)imm16 << 5);
}

uint32_t a64_smc(uint16_t imm16)
{
	return 0xD4000003U | ((uint32_t)imm16 << 5);
}

uint32_t a64_brk(uint16_t imm16)
{
	return 0xD4200000U | ((uint32_t)imm16 << 5);
}

/* Hints and barriers (C4.1.93.8-9). */
uint32_t a64_nop(void)
{
	return 0xD503201FU;
}

uint32_t a64_wfi(void)
{
	return 0xD503207FU;
}

uint32_t a64_isb(void)
{
	return 0xD50330DFU | (A64_BARRIER_SY << 8);
}

uint32_t a64_dsb(unsigned option)
{
	return 0xD503309FU | ((uint32_t)(option & 0xf) << 8);
}

/* System register move (C4.1.93.13): L = 1 reads (MRS), L = 0 writes (MSR). */
uint32_t a64_mrs(unsigned rt, uint32_t sysreg)
{
	return 0xD5200000U | ((sysreg & 0xffffU) << 5) | REG(rt);
}

uint32_t a64_msr(uint32_t sysreg, unsigned rt)
{
	return 0xD5000000U | ((sysreg & 0xffffU) << 5) | REG(rt);
}
