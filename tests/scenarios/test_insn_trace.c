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

/* Memory lines: VA:PA with the PAS, the data most significant byte first, 64-bit data split
 * in 32-bit halves; between the instruction line and its register lines, as in Tarmac. */
static void memory_lines_follow_the_instruction(void **state)
{
	struct cpu_insn in = {.world = CPU_WORLD_REALM,
			      .el = 1,
			      .pc = 0x4b4,
			      .opcode = 0xa9be7bfd,
			      .nchanged = 1,
			      .nmem = 2};
	char buf[1024];

	(void)state;
	in.changed[0].reg = 31;
	in.changed[0].value = 0x9fe0;
	in.mem[0] = (struct cpu_insn_mem){.write = true,
					  .size = 8,
					  .va = 0x9fe0,
					  .pa = 0x80010fe0,
					  .pas = CPU_WORLD_REALM,
					  .data = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}};
	in.mem[1] = (struct cpu_insn_mem){.write = false,
					  .size = 2,
					  .va = 0x10,
					  .pa = 0x10,
					  .pas = CPU_WORLD_NS,
					  .data = {0xcd, 0xab}};
	insn_trace_format(buf, sizeof(buf), 7, 1, 3, &in, false, "stp x29, x30, [sp, #-0x20]!", "");
	assert_string_equal(
	    buf, "       7 clk cpu1 IT (3) 00000000000004b4 a9be7bfd O EL1h_r : "
		 "stp x29, x30, [sp, #-0x20]!\n"
		 "       7 clk cpu1 MW8 0000000000009fe0:000080010fe0_RL 88776655_44332211\n"
		 "       7 clk cpu1 MR2 0000000000000010:000000000010_NS abcd\n"
		 "       7 clk cpu1 R SP 0000000000009FE0\n");
}

/* An exception entry: the vector's name and offset, ESR and ELR of the EL taken to; an
 * interrupt has no syndrome. A resumption after EL2/EL3: an ERET line and the registers. */
static void exception_and_resume_lines(void **state)
{
	struct cpu_insn smc = {.kind = CPU_INSN_EXCEPTION,
			       .world = CPU_WORLD_REALM,
			       .el = 1,
			       .pc = 0x14,
			       .trap = CPU_TRAP_SMC_TRAPPED,
			       .to_el = 2,
			       .esr = 0x5e000000,
			       .return_pc = 0x14};
	struct cpu_insn irq = {.kind = CPU_INSN_EXCEPTION,
			       .world = CPU_WORLD_REALM,
			       .el = 1,
			       .pc = 0x434,
			       .trap = CPU_TRAP_VIRQ,
			       .to_el = 1,
			       .return_pc = 0x434};
	struct cpu_insn back = {
	    .kind = CPU_INSN_RESUME, .world = CPU_WORLD_REALM, .el = 1, .pc = 0x18, .nchanged = 1};
	char buf[512];

	(void)state;
	insn_trace_format(buf, sizeof(buf), 39, 1, 6, &smc, false, "", "rec0.op1+0x14");
	assert_string_equal(buf, "      39 clk cpu1 E 0000000000000014 00000400 "
				 "CoreEvent_LOWER_AARCH64_SYNC  <rec0.op1+0x14>\n"
				 "      39 clk cpu1 R ESR_EL2 000000005E000000\n"
				 "      39 clk cpu1 R ELR_EL2 0000000000000014\n");
	insn_trace_format(buf, sizeof(buf), 40, 1, 6, &irq, false, "", "");
	assert_string_equal(
	    buf, "      40 clk cpu1 E 0000000000000434 00000280 CoreEvent_CURRENT_SPx_IRQ\n"
		 "      40 clk cpu1 R ELR_EL1 0000000000000434\n");
	back.changed[0].reg = 0;
	back.changed[0].value = (uint64_t)-3;
	insn_trace_format(buf, sizeof(buf), 43, 1, 6, &back, false, "", "");
	assert_string_equal(buf, "      43 clk cpu1 E 0000000000000018 00000000 CoreEvent_ERET\n"
				 "      43 clk cpu1 R X0 FFFFFFFFFFFFFFFD\n");
	/* The vectoring of an exception taken at EL1: the registers only. */
	insn_trace_format(buf, sizeof(buf), 43, 1, 6, &back, true, "", "");
	assert_string_equal(buf, "      43 clk cpu1 R X0 FFFFFFFFFFFFFFFD\n");
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
	    cmocka_unit_test(memory_lines_follow_the_instruction),
	    cmocka_unit_test(exception_and_resume_lines),
	    cmocka_unit_test(rec_cpu_and_symbol),
	    cmocka_unit_test(bcond_conditions),
	    cmocka_unit_test(truncation_reports_the_length_wanted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
