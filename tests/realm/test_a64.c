/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The A64 encoder: each encoding against capstone's disassembly and, where the Arm ARM gives a
 * well-known word, against that constant; the 64-bit immediate loader by interpreting the
 * MOVZ/MOVN/MOVK sequence it emits; the assembler buffer's labels and fixups.
 */
#include "realm/a64.h"

#include <capstone/capstone.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* "mnemonic op_str" of one instruction at `pc`, or "" if capstone cannot decode it. */
static const char *dis(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
	csh h;
	cs_insn *ci;
	uint8_t bytes[4] = {(uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16),
			    (uint8_t)(insn >> 24)};
	buf[0] = '\0';
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK) {
		return buf;
	}
	if (cs_disasm(h, bytes, 4, pc, 1, &ci) == 1) {
		if (ci->op_str[0]) {
			/* Bounded so that the text always fits buf (96 bytes): no A64 operand
			 * string comes near 60 characters. */
			snprintf(buf, len, "%.31s %.60s", ci->mnemonic, ci->op_str);
		} else {
			snprintf(buf, len, "%s", ci->mnemonic);
		}
		cs_free(ci, 1);
	}
	cs_close(&h);
	return buf;
}

struct enc_case {
	uint32_t insn;
	uint32_t word; /* 0: no constant to compare with */
	uint64_t pc;
	const char *text;
	const char *alias; /* capstone 5 prints MOVZ/MOVN as their MOV alias */
};

static void check_cases(const struct enc_case *c, size_t n)
{
	char buf[96];
	for (size_t i = 0; i < n; i++) {
		dis(c[i].insn, c[i].pc, buf, sizeof(buf));
		if (strcmp(buf, c[i].text) != 0 && !(c[i].alias && strcmp(buf, c[i].alias) == 0)) {
			fail_msg("case %zu: 0x%08x disassembles to '%s', expected '%s'", i,
				 c[i].insn, buf, c[i].text);
		}
		if (c[i].word && c[i].word != c[i].insn) {
			fail_msg("case %zu (%s): 0x%08x, expected 0x%08x", i, c[i].text, c[i].insn,
				 c[i].word);
		}
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void known_constants(void **state)
{
	const struct enc_case c[] = {
	    {a64_smc(0), 0xD4000003, 0, "smc #0", NULL},
	    {a64_nop(), 0xD503201F, 0, "nop", NULL},
	    {a64_ret(A64_LR), 0xD65F03C0, 0, "ret", NULL},
	    {a64_movz(0, 1, 0), 0xD2800020, 0, "movz x0, #0x1", "mov x0, #1"},
	    {a64_wfi(), 0xD503207F, 0, "wfi", NULL},
	    {a64_isb(), 0xD5033FDF, 0, "isb", NULL},
	    {a64_dsb(A64_BARRIER_SY), 0xD5033F9F, 0, "dsb sy", NULL},
	    {a64_hvc(0), 0xD4000002, 0, "hvc #0", NULL},
	    {a64_svc(0), 0xD4000001, 0, "svc #0", NULL},
	    {a64_brk(0), 0xD4200000, 0, "brk #0", NULL},
	    {a64_mrs(0, A64_MPIDR_EL1), 0xD53800A0, 0, "mrs x0, mpidr_el1", NULL},
	    {a64_mrs(1, A64_CURRENTEL), 0xD5384241, 0, "mrs x1, currentel", NULL},
	};
	check_cases(c, N(c));
}

static void moves_and_arith(void **state)
{
	const struct enc_case c[] = {
	    {a64_movz(3, 0x1234, 0), 0xD2824683, 0, "movz x3, #0x1234", "mov x3, #0x1234"},
	    {a64_movz(1, 0xc400, 1), 0, 0, "movz x1, #0xc400, lsl #16", "mov x1, #0xc4000000"},
	    {a64_movk(0, 0xc400, 1), 0xF2B88000, 0, "movk x0, #0xc400, lsl #16", NULL},
	    {a64_movk(30, 0xbeef, 3), 0, 0, "movk x30, #0xbeef, lsl #48", NULL},
	    {a64_movn(0, 2, 0), 0x92800040, 0, "movn x0, #0x2", "mov x0, #-3"},
	    {a64_add_imm(1, 2, 16, false), 0x91004041, 0, "add x1, x2, #0x10", NULL},
	    {a64_add_imm(A64_SP, A64_SP, 1, true), 0, 0, "add sp, sp, #1, lsl #12", NULL},
	    {a64_sub_imm(4, 5, 0xfff, false), 0, 0, "sub x4, x5, #0xfff", NULL},
	    {a64_subs_imm(6, 7, 1, false), 0, 0, "subs x6, x7, #1", NULL},
	    {a64_cmp_imm(0, 3, false), 0xF1000C1F, 0, "cmp x0, #3", NULL},
	    {a64_cmp_reg(1, 2), 0xEB02003F, 0, "cmp x1, x2", NULL},
	    {a64_mov_reg(5, 6), 0xAA0603E5, 0, "mov x5, x6", NULL},
	};
	check_cases(c, N(c));
}

static void loads_stores(void **state)
{
	const struct enc_case c[] = {
	    {a64_ldr_imm(0, 16, 0), 0xF9400200, 0, "ldr x0, [x16]", NULL},
	    {a64_str_imm(17, 16, 0), 0xF9000211, 0, "str x17, [x16]", NULL},
	    {a64_ldr_imm(2, 3, 0x7ff8), 0, 0, "ldr x2, [x3, #0x7ff8]", NULL},
	    {a64_str_imm(4, A64_SP, 8), 0, 0, "str x4, [sp, #8]", NULL},
	    {a64_ldr_reg(0, 1, 2), 0xF8626820, 0, "ldr x0, [x1, x2]", NULL},
	    {a64_str_reg(3, 4, 5), 0, 0, "str x3, [x4, x5]", NULL},
	    {a64_ldp(0, 1, 2, 16), 0, 0, "ldp x0, x1, [x2, #0x10]", NULL},
	    {a64_stp(0, 1, 2, -512), 0, 0, "stp x0, x1, [x2, #-0x200]", NULL},
	    {a64_stp_pre(29, 30, A64_SP, -16), 0xA9BF7BFD, 0, "stp x29, x30, [sp, #-0x10]!", NULL},
	    {a64_ldp_post(29, 30, A64_SP, 16), 0xA8C17BFD, 0, "ldp x29, x30, [sp], #0x10", NULL},
	};
	check_cases(c, N(c));
}

static void branches_and_pcrel(void **state)
{
	const struct enc_case c[] = {
	    {a64_b(0), 0x14000000, 0x1000, "b #0x1000", NULL},
	    {a64_b(-4), 0x17FFFFFF, 0x1000, "b #0xffc", NULL},
	    {a64_bl(0x40), 0x94000010, 0x1000, "bl #0x1040", NULL},
	    {a64_b_cond(A64_NE, 8), 0x54000041, 0x1000, "b.ne #0x1008", NULL},
	    {a64_b_cond(A64_EQ, -8), 0, 0x1000, "b.eq #0xff8", NULL},
	    {a64_cbz(1, 12), 0xB4000061, 0x1000, "cbz x1, #0x100c", NULL},
	    {a64_cbnz(2, -0x100), 0, 0x1000, "cbnz x2, #0xf00", NULL},
	    {a64_br(16), 0xD61F0200, 0, "br x16", NULL},
	    {a64_blr(1), 0xD63F0020, 0, "blr x1", NULL},
	    {a64_ret(3), 0, 0, "ret x3", NULL},
	    {a64_adr(2, 0x4c), 0x10000262, 0, "adr x2, #0x4c", NULL},
	    {a64_adr(2, 0x4d), 0, 0x100, "adr x2, #0x14d", NULL},
	    {a64_adr(0, -4), 0, 0x100, "adr x0, #0xfc", NULL},
	    {a64_adrp(1, 0x3000), 0, 0x1234, "adrp x1, #0x4000", NULL},
	    {a64_adrp(1, -0x1000), 0, 0x1234, "adrp x1, #0", NULL},
	    {a64_msr(A64_TPIDR_EL1, 5), 0xD518D085, 0, "msr tpidr_el1, x5", NULL},
	};
	check_cases(c, N(c));
	assert_true(a64_adr_in_range((1 << 20) - 1));
	assert_false(a64_adr_in_range(1 << 20));
	assert_true(a64_b_in_range(-(1 << 27)));
	assert_false(a64_b_in_range(1 << 27));
	assert_false(a64_b_in_range(2));
	assert_false(a64_b19_in_range(1 << 20));
}

/*
 * A tiny interpreter for the three move-wide instructions: returns false on anything else, or
 * on a MOVK that precedes a MOVZ/MOVN (whose result would depend on the register's old value).
 */
static bool interpret_moves(const uint32_t *seq, unsigned n, unsigned rd, uint64_t *out)
{
	uint64_t x = 0;
	bool defined = false;
	for (unsigned i = 0; i < n; i++) {
		uint32_t w = seq[i];
		if ((w & 0x9F800000U) != 0x92800000U || (w & 31U) != rd) {
			return false; /* not a 64-bit move wide to rd */
		}
		unsigned opc = (w >> 29) & 3, shift = 16 * ((w >> 21) & 3);
		uint64_t imm = (uint64_t)((w >> 5) & 0xffff) << shift;
		switch (opc) {
		case 0: /* MOVN */
			x = ~imm;
			defined = true;
			break;
		case 2: /* MOVZ */
			x = imm;
			defined = true;
			break;
		case 3: /* MOVK */
			if (!defined) {
				return false;
			}
			x = (x & ~(0xffffULL << shift)) | imm;
			break;
		default:
			return false;
		}
	}
	*out = x;
	return defined;
}

static void mov_imm64_values(void **state)
{
	const struct {
		uint64_t value;
		unsigned len; /* the shortest MOVZ/MOVN/MOVK sequence */
	} c[] = {
	    {0, 1},
	    {0x1234, 1},
	    {0xFFFFFFFFFFFFFFFDULL, 1}, /* PSCI_DENIED: MOVN #2 */
	    {0xC4000003, 2},
	    {0x123456789ABCDEF0ULL, 4},
	    {0xFFFFFFFFFFFFFFFFULL, 1},
	    {0xFFFF0000FFFF0000ULL, 2},
	    {0x0000FFFF00000000ULL, 1},
	    {0xFFFFFFFF12345678ULL, 2},
	    {0x84000002, 2},
	    {1ULL << 63, 1},
	};
	for (size_t i = 0; i < N(c); i++) {
		uint32_t seq[4] = {0};
		unsigned n = a64_mov_imm64(7, c[i].value, seq);
		uint64_t got = 0;
		if (!interpret_moves(seq, n, 7, &got) || got != c[i].value) {
			fail_msg("value 0x%llx: sequence of %u gives 0x%llx",
				 (unsigned long long)c[i].value, n, (unsigned long long)got);
		}
		if (n != c[i].len) {
			fail_msg("value 0x%llx: %u instructions, expected %u",
				 (unsigned long long)c[i].value, n, c[i].len);
		}
	}
	/* PSCI_DENIED is a single MOVN, as capstone shows it. */
	uint32_t seq[4];
	char buf[64];
	assert_int_equal(a64_mov_imm64(0, 0xFFFFFFFFFFFFFFFDULL, seq), 1);
	dis(seq[0], 0, buf, sizeof(buf));
	assert_true(strcmp(buf, "movn x0, #0x2") == 0 || strcmp(buf, "mov x0, #-3") == 0);
	assert_int_equal(a64_mov_imm64(0, 1, seq), 1);
	assert_int_equal(seq[0], 0xD2800020);
}

/* The interpreter itself must reject what it does not model, or the test above could pass on
 * garbage. */
static void interpreter_rejects(void **state)
{
	uint64_t v;
	uint32_t movk_first[] = {a64_movk(0, 1, 0)};
	uint32_t other_reg[] = {a64_movz(1, 1, 0)};
	uint32_t not_move[] = {a64_nop()};
	assert_false(interpret_moves(movk_first, 1, 0, &v));
	assert_false(interpret_moves(other_reg, 1, 0, &v));
	assert_false(interpret_moves(not_move, 1, 0, &v));
}

static void buffer_labels(void **state)
{
	struct a64_buf b;
	char buf[64];
	a64_buf_init(&b, 0x2000);
	unsigned fwd = a64_label_new(&b), back = a64_label_new(&b), data = a64_label_new(&b);
	a64_label_bind(&b, back);              /* 0x2000 */
	a64_emit_b(&b, fwd);                   /* 0x2000 -> 0x2018 */
	a64_emit_cbz(&b, 3, fwd);              /* 0x2004 */
	a64_emit_b_cond(&b, A64_NE, back);     /* 0x2008 */
	a64_emit_adr(&b, 1, data);             /* 0x200c */
	a64_emit_mov_imm64(&b, 0, 0xC4000003); /* 0x2010, 0x2014 */
	a64_label_bind(&b, fwd);               /* 0x2018 */
	a64_emit_bl(&b, back);
	a64_emit_cbnz(&b, 4, back);
	a64_label_bind_at(&b, data, 0x3000);
	assert_int_equal(a64_buf_finish(&b), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(a64_buf_pc(&b), 0x2020);
	assert_string_equal(dis(b.insn[0], 0x2000, buf, sizeof(buf)), "b #0x2018");
	assert_string_equal(dis(b.insn[1], 0x2004, buf, sizeof(buf)), "cbz x3, #0x2018");
	assert_string_equal(dis(b.insn[2], 0x2008, buf, sizeof(buf)), "b.ne #0x2000");
	assert_string_equal(dis(b.insn[3], 0x200c, buf, sizeof(buf)), "adr x1, #0x3000");
	assert_string_equal(dis(b.insn[6], 0x2018, buf, sizeof(buf)), "bl #0x2000");
	assert_string_equal(dis(b.insn[7], 0x201c, buf, sizeof(buf)), "cbnz x4, #0x2000");
	a64_buf_free(&b);
}

static void buffer_errors(void **state)
{
	struct a64_buf b;
	a64_buf_init(&b, 0);
	unsigned never = a64_label_new(&b);
	a64_emit_b(&b, never);
	assert_int_equal(a64_buf_finish(&b), -1);
	assert_non_null(strstr(b.error, "never bound"));
	a64_buf_free(&b);

	a64_buf_init(&b, 0);
	unsigned far = a64_label_new(&b);
	a64_emit_adr(&b, 0, far);
	a64_label_bind_at(&b, far, 1 << 20); /* one byte past ADR's reach */
	assert_int_equal(a64_buf_finish(&b), -1);
	assert_non_null(strstr(b.error, "out of range"));
	a64_buf_free(&b);

	a64_buf_init(&b, 0);
	unsigned twice = a64_label_new(&b);
	a64_label_bind(&b, twice);
	a64_label_bind(&b, twice);
	assert_int_equal(a64_buf_finish(&b), -1);
	assert_non_null(strstr(b.error, "bound twice"));
	a64_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(known_constants),  cmocka_unit_test(moves_and_arith),
	    cmocka_unit_test(loads_stores),     cmocka_unit_test(branches_and_pcrel),
	    cmocka_unit_test(mov_imm64_values), cmocka_unit_test(interpreter_rejects),
	    cmocka_unit_test(buffer_labels),    cmocka_unit_test(buffer_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
