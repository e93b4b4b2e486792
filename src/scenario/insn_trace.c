/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `--trace insn`: every executed instruction in the text format of Arm's Tarmac traces (the
 * Fast Models / FVP TarmacTrace plug-in), so that people who read those read this at once:
 *
 *       33 clk cpu0 IT (33) 0000000080000000 d4000003 O EL2h_n : smc #0
 *       35 clk cpu1 IT (2) 0000000000000004 f2b88000 O EL1h_r : movk x0, #0xc400, lsl #16
 *       35 clk cpu1 R X0 00000000C4000003
 *       39 clk cpu1 IT (6) 0000000000000014 d4000003 O EL1h_r : smc #0
 *
 * Instruction line, as Tarmac's `<time> <scale> <cpu> [IT|IS] (<inst_id>) <addr> <opcode>
 * [A|T|X|O] <mode>_<security> : <disasm>`:
 *  - time: the running number of the instruction over both PEs, from 1, with scale `clk`
 *    (Tarmac's unit for "a count, not real time"); a count keeps two runs byte-identical;
 *  - cpu: `cpu0` is the host stub (NS-EL2), `cpu1` + n the run's n-th REC (R-EL1), counted
 *    over the realms in order, as a multi-core FVP numbers its cores; Tarmac tools expect
 *    `cpuN`, and the security suffix already names the world;
 *  - IT (executed) or IS (failed its condition code): in A64 only B.cond has one, so IS marks
 *    a B.cond not taken, judged from NZCV (which B.cond does not change);
 *  - inst_id: that cpu's own instruction count, from 1, as Tarmac counts per processor;
 *  - addr: the virtual address, 16 hex digits; opcode: 8 hex digits; `O`: AArch64 state;
 *  - mode_security: `EL2h_n` for NS-EL2, `EL1h_r` for R-EL1. Tarmac writes the security
 *    state as its lower-case initial (`_s`, `_n`); Realm follows that rule as `_r`;
 *  - disasm: capstone's, in its own (lower-case) spelling; then, where the PC has one, its
 *    symbol as `  <main+0x4>` (an ELF image's function or object, a generated program's op
 *    `rec0.op1`), which Tarmac does not have: tools that take the rest of the line as the
 *    disassembly see it there.
 * Then one register line per register the instruction changed, Tarmac's `<time> <scale> R
 * <register> <value>` with the cpu added as multi-PE FVP traces do: X0..X30 and SP in 16 hex
 * digits, NZCV in 8.
 *
 * Deviations from Tarmac, and why:
 *  - no physical address after the VA (`<vaddr>:<paddr>`): struct cpu_insn does not carry it,
 *    and a realm's IPA-to-PA walk per instruction would cost more than the rest together;
 *  - the mode is always `ELxh`: cca-sim enters every EL with SP_ELx selected, and the host
 *    stub and the built realm programs never change SPSel; for the same reason a changed
 *    stack pointer is written `SP`, not the banked `SP_ELx`;
 *  - flags are reported as `NZCV` alone, not the whole CPSR/PSTATE, which cpu_insn does not
 *    observe; no memory-access (M), event (E) or system-register lines for the same reason;
 *  - EL3 (the monitor) and R-EL2 (the RMM) are C code, not instructions: they appear in the
 *    narration, between the instruction lines of the SMC that entered them and the next
 *    instruction, in execution order (both go to the same stream).
 * As in Tarmac, a record is written for every instruction started: a realm's `smc #0`, which
 * HCR_EL2.TSC traps to R-EL2 before it completes, is listed (it is the point of the trace), but
 * the run's own count ("N instructions" in the verdict line) leaves such trapped instructions
 * out, so the last time number exceeds it by the number of realm SMCs.
 * Narration lines start with a step number right-aligned in 4 columns and a world name; the
 * instruction lines are right-aligned in 8 columns and carry ` clk `, so the two interleave
 * readably and `grep ' clk '` extracts a pure Tarmac trace.
 */
#include "scenario/insn_trace.h"

#include <stdlib.h>
#include <string.h>

/* Capstone is opened for each cpu_disasm call, the largest cost of the trace, so the text is
 * kept per address: direct-mapped, checked against pc and opcode. The index folds in the high
 * bits of pc so that the host stub (0x80000000, run for every host action) does not share the
 * slots of realm code at IPA 0 (run at every REC's first entry); the opcode stays out of it,
 * or the stub's adjacent SMC and HVC would evict each other. */
#define DISASM_CACHE 4096U

struct disasm_entry {
	uint64_t pc;
	uint32_t opcode;
	bool valid;
	char text[64];
};

#define TRACE_CPUS 256 /* cpus counted apart; the ones beyond share the last count */

struct insn_trace {
	FILE *out;
	struct cpu_machine *m;
	uint64_t time;
	uint64_t count[TRACE_CPUS];
	insn_trace_where_fn where;
	void *where_ctx;
	struct disasm_entry cache[DISASM_CACHE];
};

struct insn_trace *insn_trace_create(FILE *out, struct cpu_machine *m)
{
	struct insn_trace *t = calloc(1, sizeof(*t));

	if (t) {
		t->out = out;
		t->m = m;
	}
	return t;
}

void insn_trace_set_where(struct insn_trace *t, insn_trace_where_fn fn, void *ctx)
{
	t->where = fn;
	t->where_ctx = ctx;
}

void insn_trace_destroy(struct insn_trace *t)
{
	if (t) {
		fflush(t->out);
		free(t);
	}
}

bool insn_trace_cond_fails(uint32_t opcode, uint64_t nzcv)
{
	bool n = (nzcv >> 31) & 1, z = (nzcv >> 30) & 1, c = (nzcv >> 29) & 1, v = (nzcv >> 28) & 1;
	bool pass;

	/* B.cond: 0101 0100 imm19 0 cond (BC.cond, bit 4 set, is left as executed). */
	if ((opcode & 0xff000010U) != 0x54000000U) {
		return false;
	}
	switch ((opcode >> 1) & 7) {
	case 0: /* EQ / NE */
		pass = z;
		break;
	case 1: /* CS / CC */
		pass = c;
		break;
	case 2: /* MI / PL */
		pass = n;
		break;
	case 3: /* VS / VC */
		pass = v;
		break;
	case 4: /* HI / LS */
		pass = c && !z;
		break;
	case 5: /* GE / LT */
		pass = n == v;
		break;
	case 6: /* GT / LE */
		pass = !z && n == v;
		break;
	default: /* AL and NV both always pass */
		return false;
	}
	/* An odd condition is the inverse of the even one before it. */
	if (opcode & 1) {
		pass = !pass;
	}
	return !pass;
}

static const char *reg_name(unsigned reg, char *buf, size_t len)
{
	if (reg == 31) {
		return "SP";
	}
	if (reg == 32) {
		return "NZCV";
	}
	snprintf(buf, len, "X%u", reg);
	return buf;
}

int insn_trace_format(char *buf, size_t len, uint64_t time, unsigned cpu, uint64_t inst_id,
		      const struct cpu_insn *insn, bool skipped, const char *disasm,
		      const char *sym)
{
	char sec = insn->world == CPU_WORLD_REALM ? 'r' : 'n';
	int total =
	    snprintf(buf, len, "%8llu clk cpu%u %s (%llu) %016llx %08x O EL%uh_%c : %s%s%s%s\n",
		     (unsigned long long)time, cpu, skipped ? "IS" : "IT",
		     (unsigned long long)inst_id, (unsigned long long)insn->pc, insn->opcode,
		     insn->el, sec, disasm, *sym ? "  <" : "", sym, *sym ? ">" : "");

	for (unsigned i = 0; i < insn->nchanged && total >= 0; i++) {
		size_t at = (size_t)total < len ? (size_t)total : len;
		char name[8];
		unsigned reg = insn->changed[i].reg;
		int n = snprintf(buf + at, len - at, "%8llu clk cpu%u R %s %0*llX\n",
				 (unsigned long long)time, cpu, reg_name(reg, name, sizeof(name)),
				 reg == 32 ? 8 : 16, (unsigned long long)insn->changed[i].value);

		total = n < 0 ? n : total + n;
	}
	return total;
}

static const char *disasm_of(struct insn_trace *t, uint64_t pc, uint32_t opcode)
{
	uint64_t h = (pc >> 2) ^ (pc >> 14) ^ (pc >> 26) ^ (pc >> 38);
	struct disasm_entry *e = &t->cache[h % DISASM_CACHE];

	if (!e->valid || e->pc != pc || e->opcode != opcode) {
		cpu_disasm(opcode, pc, e->text, sizeof(e->text));
		e->pc = pc;
		e->opcode = opcode;
		e->valid = true;
	}
	return e->text;
}

/* NZCV as the instruction saw it: read only for a B.cond, which does not change it. */
static bool skipped(struct insn_trace *t, const struct cpu_insn *insn)
{
	struct cpu_context ctx;

	if ((insn->opcode & 0xff000010U) != 0x54000000U || !t->m) {
		return false;
	}
	cpu_pe_save(cpu_pe(t->m, insn->world), &ctx);
	return insn_trace_cond_fails(insn->opcode, ctx.pstate);
}

void insn_trace_hook(void *ctx, const struct cpu_insn *insn)
{
	struct insn_trace *t = ctx;
	char buf[1024], sym[96] = "";
	unsigned cpu =
	    t->where ? t->where(t->where_ctx, insn, sym, sizeof(sym)) : (unsigned)insn->world;
	unsigned slot = cpu < TRACE_CPUS ? cpu : TRACE_CPUS - 1;
	int n;

	t->time++;
	t->count[slot]++;
	n = insn_trace_format(buf, sizeof(buf), t->time, cpu, t->count[slot], insn,
			      skipped(t, insn), disasm_of(t, insn->pc, insn->opcode), sym);
	if (n > 0) {
		fwrite(buf, 1, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, t->out);
	}
}
