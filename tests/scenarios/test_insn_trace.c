/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --trace insn line format on known instructions: the Tarmac fields, the register lines,
 * the IT/IS marker of B.cond, and capstone's text for the SMC the host and realms execute. */
#include "cpu/cpu.h"
#include "scenario/insn_trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define NZCV(n, z, c, v)                                                                           \
	(((uint64_t)(n) << 31) | ((uint64_t)(z) << 30) | ((uint64_t)(c) << 29) |                   \
	 ((uint64_t)(v) << 28))

static void smc_at_ns_el2(void **state)
{
	struct cpu_insn in = {
	    .world = CPU_WORLD_NS, .el = 2, .pc = 0x80000000, .opcode = 0xd4000003};
	char buf[512], dis[64];

	(void)state;
	assert_string_equal(cpu_disasm(in.opcode, in.pc, dis, sizeof(dis)), "smc #0");
	int n = insn_trace_format(buf, sizeof(buf), 57, 0, 57, &in, false, dis, "");
	assert_string_equal(
	    buf, "      57 clk cpu0 IT (57) 0000000080000000 d4000003 O EL2h_n : smc #0\n");
	assert_int_equal(n, (int)strlen(buf));
}

static void movk_at_realm_el1_with_registers(void **state)
{
	struct cpu_insn in = {
	    .world = CPU_WORLD_REALM, .el = 1, .pc = 0x4, .opcode = 0xf2b88000, .nchanged = 3};
	char buf[512], dis[64];

	(void)state;
	in.changed[0].reg = 0;
	in.changed[0].value = 0xc4000003;
	in.changed[1].reg = 31;
	in.changed[1].value = 0x7ff0;
	in.changed[2].reg = 32;
	in.changed[2].value = NZCV(0, 1, 1, 0);
	assert_string_equal(cpu_disasm(in.opcode, in.pc, dis, sizeof(dis)),
			    "movk x0, #0xc400, lsl #16");
	insn_trace_format(buf, sizeof(buf), 123456, 1, 2, &in, false, dis, "");
	assert_string_equal(buf, "  123456 clk cpu1 IT (2) 0000000000000004 f2b88000 O EL1h_r : "
				 "movk x0, #0xc400, lsl #16\n"
				 "  123456 clk cpu1 R X0 00000000C4000003\n"
				 "  123456 clk cpu1 R SP 0000000000007FF0\n"
				 "  123456 clk cpu1 R NZCV 60000000\n");
}

static void skipped_is_marked_is(void **state)
{
	struct cpu_insn in = {.world = CPU_WORLD_REALM, .el = 1, .pc = 0x10, .opcode = 0x54000040};
	char buf[256];

	(void)state;
	insn_trace_format(buf, sizeof(buf), 3, 1, 1, &in, true, "b.eq #0x18", "");
	assert_string_equal(
	    buf, "       3 clk cpu1 IS (1) 0000000000000010 54000040 O EL1h_r : b.eq #0x18\n");
}

/* The n-th REC of the run is cpu(1 + n); the PC's symbol follows the disassembly. */
static void rec_cpu_and_symbol(void **state)
{
	struct cpu_insn in = {
	    .world = CPU_WORLD_REALM, .el = 1, .pc = 0x1894, .opcode = 0x910003fd};
	char buf[256];

	(void)state;
	insn_trace_format(buf, sizeof(buf), 9, 3, 4, &in, false, "mov x29, sp", "main+0x4");
	assert_string_equal(buf, "       9 clk cpu3 IT (4) 0000000000001894 910003fd O EL1h_r : "
				 "mov x29, sp  <main+0x4>\n");
}

static void bcond_conditions(void **state)
{
	(void)state;
	/* b.eq (cond 0) / b.ne (cond 1) */
	assert_true(insn_trace_cond_fails(0x54000040, NZCV(0, 0, 0, 0)));
	assert_false(insn_trace_cond_fails(0x54000040, NZCV(0, 1, 0, 0)));
	assert_false(insn_trace_cond_fails(0x54000041, NZCV(0, 0, 0, 0)));
	/* b.hi (8): C and not Z; b.ls (9) the inverse */
	assert_false(insn_trace_cond_fails(0x54000048, NZCV(0, 0, 1, 0)));
	assert_true(insn_trace_cond_fails(0x54000048, NZCV(0, 1, 1, 0)));
	assert_true(insn_trace_cond_fails(0x54000049, NZCV(0, 0, 1, 0)));
	/* b.ge (10): N == V; b.lt (11); b.gt (12): not Z and N == V; b.le (13) */
	assert_false(insn_trace_cond_fails(0x5400004a, NZCV(1, 0, 0, 1)));
	assert_true(insn_trace_cond_fails(0x5400004a, NZCV(1, 0, 0, 0)));
	assert_false(insn_trace_cond_fails(0x5400004b, NZCV(1, 0, 0, 0)));
	assert_true(insn_trace_cond_fails(0x5400004c, NZCV(0, 1, 0, 0)));
	assert_false(insn_trace_cond_fails(0x5400004d, NZCV(0, 1, 0, 0)));
	/* b.al (14) and b.nv (15) always pass; other instructions have no condition here */
	assert_false(insn_trace_cond_fails(0x5400004e, NZCV(0, 0, 0, 0)));
	assert_false(insn_trace_cond_fails(0x5400004f, NZCV(1, 1, 1, 1)));
	assert_false(insn_trace_cond_fails(0xd4000003, NZCV(0, 0, 0, 0)));
	assert_false(insn_trace_cond_fails(0x9a800020, NZCV(0, 0, 0, 0))); /* csel */
}

static void truncation_reports_the_length_wanted(void **state)
{
	struct cpu_insn in = {
	    .world = CPU_WORLD_NS, .el = 2, .pc = 0x80000000, .opcode = 0xd4000003, .nchanged = 1};
	char small[20], big[256];

	(void)state;
	in.changed[0].reg = 5;
	in.changed[0].value = 1;
	int want = insn_trace_format(big, sizeof(big), 1, 1, 1, &in, false, "smc #0", "main+0x4");
	int got =
	    insn_trace_format(small, sizeof(small), 1, 1, 1, &in, false, "smc #0", "main+0x4");
	assert_int_equal(want, (int)strlen(big));
	assert_int_equal(got, want);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(smc_at_ns_el2),
	    cmocka_unit_test(movk_at_realm_el1_with_registers),
	    cmocka_unit_test(skipped_is_marked_is),
	    cmocka_unit_test(rec_cpu_and_symbol),
	    cmocka_unit_test(bcond_conditions),
	    cmocka_unit_test(truncation_reports_the_length_wanted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
