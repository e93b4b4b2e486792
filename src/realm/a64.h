/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to src/realm (and its tests): a minimal AArch64 (A64) encoder and assembler buffer,
 * so that realm programs are real machine code without a cross toolchain. Encodings follow the
 * Arm ARM (DDI 0487) section C6 "A64 base instruction descriptions"; register numbers are
 * 0..30 for X0..X30 and 31 for XZR or SP as the instruction defines it.
 */
#ifndef CCA_REALM_A64_H
#define CCA_REALM_A64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define A64_XZR 31U
#define A64_SP  31U
#define A64_LR  30U

/* Condition codes for B.cond (Arm ARM C1.2.4). */
enum a64_cond {
	A64_EQ = 0x0,
	A64_NE = 0x1,
	A64_HS = 0x2,
	A64_LO = 0x3,
	A64_MI = 0x4,
	A64_PL = 0x5,
	A64_VS = 0x6,
	A64_VC = 0x7,
	A64_HI = 0x8,
	A64_LS = 0x9,
	A64_GE = 0xa,
	A64_LT = 0xb,
	A64_GT = 0xc,
	A64_LE = 0xd,
	A64_AL = 0xe,
};

/* System registers for MRS/MSR, packed as op0:op1:CRn:CRm:op2 into bits [20:5] of the insn. */
#define A64_SYSREG(op0, op1, crn, crm, op2)                                                        \
	((((uint32_t)(op0)&3) << 14) | (((uint32_t)(op1)&7) << 11) | (((uint32_t)(crn)&15) << 7) | \
	 (((uint32_t)(crm)&15) << 3) | ((uint32_t)(op2)&7))
#define A64_MPIDR_EL1 A64_SYSREG(3, 0, 0, 0, 5)
#define A64_CURRENTEL A64_SYSREG(3, 0, 4, 2, 2)
#define A64_TPIDR_EL1 A64_SYSREG(3, 0, 13, 0, 4)

/* Barrier options (CRm of DSB/DMB/ISB). */
#define A64_BARRIER_SY  0xfU
#define A64_BARRIER_ISH 0xbU

/* Move wide (C6.2.190-192): imm16 shifted left by 16 * hw, hw = 0..3. */
uint32_t a64_movz(unsigned rd, uint16_t imm16, unsigned hw);
uint32_t a64_movn(unsigned rd, uint16_t imm16, unsigned hw);
uint32_t a64_movk(unsigned rd, uint16_t imm16, unsigned hw);

/*
 * The shortest MOVZ/MOVN + MOVK sequence that sets Xd to `value` (1 to 4 instructions): MOVZ
 * based when fewer halfwords are non-zero than are non-0xFFFF, MOVN based otherwise. Writes at
 * most 4 instructions to out[] and returns how many.
 */
unsigned a64_mov_imm64(unsigned rd, uint64_t value, uint32_t out[4]);

/* Add/subtract immediate (64-bit); imm12 optionally shifted left by 12. Rn/Rd 31 = SP. */
uint32_t a64_add_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12);
uint32_t a64_sub_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12);
uint32_t a64_subs_imm(unsigned rd, unsigned rn, uint32_t imm12, bool lsl12);
uint32_t a64_cmp_imm(unsigned rn, uint32_t imm12, bool lsl12); /* SUBS XZR, Xn, #imm */
uint32_t a64_subs_reg(unsigned rd, unsigned rn, unsigned rm);
uint32_t a64_cmp_reg(unsigned rn, unsigned rm); /* SUBS XZR, Xn, Xm */
uint32_t a64_mov_reg(unsigned rd, unsigned rm); /* ORR Xd, XZR, Xm */

/* PC-relative addresses: `offset` is target - pc (ADR, +-1 MB) or, for ADRP, target page -
 * pc page in bytes (+-4 GB, a multiple of 4 KB). */
uint32_t a64_adr(unsigned rd, int64_t offset);
uint32_t a64_adrp(unsigned rd, int64_t offset);

/* 64-bit loads and stores. Unsigned offset: a multiple of 8 below 32 KB. Register offset:
 * address Xn + Xm. LDP/STP offsets: multiples of 8 in [-512, 504]. */
uint32_t a64_ldr_imm(unsigned rt, unsigned rn, uint32_t offset);
uint32_t a64_str_imm(unsigned rt, unsigned rn, uint32_t offset);
uint32_t a64_ldr_reg(unsigned rt, unsigned rn, unsigned rm);
uint32_t a64_str_reg(unsigned rt, unsigned rn, unsigned rm);
uint32_t a64_ldp(unsigned rt, unsigned rt2, unsigned rn, int32_t offset);
uint32_t a64_stp(unsigned rt, unsigned rt2, unsigned rn, int32_t offset);
uint32_t a64_stp_pre(unsigned rt, unsigned rt2, unsigned rn, int32_t offset);  /* [Xn, #o]! */
uint32_t a64_ldp_post(unsigned rt, unsigned rt2, unsigned rn, int32_t offset); /* [Xn], #o */

/* Branches: `offset` is target - pc in bytes, a multiple of 4 (B/BL +-128 MB; B.cond, CBZ,
 * CBNZ +-1 MB). */
uint32_t a64_b(int64_t offset);
uint32_t a64_bl(int64_t offset);
uint32_t a64_b_cond(enum a64_cond cond, int64_t offset);
uint32_t a64_cbz(unsigned rt, int64_t offset);
uint32_t a64_cbnz(unsigned rt, int64_t offset);
uint32_t a64_br(unsigned rn);
uint32_t a64_blr(unsigned rn);
uint32_t a64_ret(unsigned rn); /* a64_ret(A64_LR) is RET */

/* Exception generation and system instructions. */
uint32_t a64_smc(uint16_t imm16);
uint32_t a64_hvc(uint16_t imm16);
uint32_t a64_svc(uint16_t imm16);
uint32_t a64_brk(uint16_t imm16);
uint32_t a64_nop(void);
uint32_t a64_wfi(void);
uint32_t a64_isb(void);
uint32_t a64_dsb(unsigned option);
uint32_t a64_mrs(unsigned rt, uint32_t sysreg);
uint32_t a64_msr(uint32_t sysreg, unsigned rt);

/* Range checks for the PC-relative forms (true when `offset` is encodable). */
bool a64_adr_in_range(int64_t offset);
bool a64_b_in_range(int64_t offset);
bool a64_b19_in_range(int64_t offset); /* B.cond, CBZ, CBNZ */

/*
 * Assembler buffer: instructions appended at consecutive addresses from `base`, with labels
 * that may be bound before or after their uses (forward branches are fixed up by
 * a64_buf_finish). Labels may also be bound to an address outside the code (a data area laid
 * out after it). Allocation failure and range errors are sticky: they are reported once, by
 * a64_buf_finish.
 */
enum a64_fixup_kind {
	A64_FIX_B,
	A64_FIX_BL,
	A64_FIX_B_COND,
	A64_FIX_CBZ,
	A64_FIX_CBNZ,
	A64_FIX_ADR,
};

struct a64_fixup {
	size_t at; /* instruction index */
	unsigned label;
	enum a64_fixup_kind kind;
	unsigned reg; /* Rt/Rd, or the condition of B.cond */
};

struct a64_buf {
	uint64_t base;
	uint32_t *insn;
	size_t len, cap;
	uint64_t *label_addr;
	bool *label_bound;
	size_t nlabels, label_cap;
	struct a64_fixup *fix;
	size_t nfix, fix_cap;
	bool failed;
	char error[160];
};

void a64_buf_init(struct a64_buf *b, uint64_t base);
void a64_buf_free(struct a64_buf *b);
uint64_t a64_buf_pc(const struct a64_buf *b); /* address of the next instruction */
void a64_emit(struct a64_buf *b, uint32_t insn);
void a64_emit_mov_imm64(struct a64_buf *b, unsigned rd, uint64_t value);
unsigned a64_label_new(struct a64_buf *b);
void a64_label_bind(struct a64_buf *b, unsigned label); /* here */
void a64_label_bind_at(struct a64_buf *b, unsigned label, uint64_t addr);
void a64_emit_b(struct a64_buf *b, unsigned label);
void a64_emit_bl(struct a64_buf *b, unsigned label);
void a64_emit_b_cond(struct a64_buf *b, enum a64_cond cond, unsigned label);
void a64_emit_cbz(struct a64_buf *b, unsigned rt, unsigned label);
void a64_emit_cbnz(struct a64_buf *b, unsigned rt, unsigned label);
void a64_emit_adr(struct a64_buf *b, unsigned rd, unsigned label);
/* Resolves every fixup. Returns 0, or -1 with b->error set (unbound label, out of range, no
 * memory). */
int a64_buf_finish(struct a64_buf *b);

#endif
