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
 * After it, Tarmac's memory lines for each access the instruction made, in program order:
 * `<time> clk <cpu> M<R|W><size> <vaddr>:<paddr>_<pas> <data>`, the PA from the PE's own
 * translation (stage 1, then stage 2 for a REC), `_NS` or `_RL` for its physical address
 * space, the data as the access moved it, most significant byte first, 64-bit data with an
 * underscore between its halves as Tarmac writes it. Then one register line per register the
 * instruction changed, Tarmac's `<time> <scale> R <register> <value>` with the cpu added as
 * multi-PE FVP traces do: X0..X30 and SP in 16 hex digits, NZCV in 8.
 *
 * Exceptions: when a PE takes one (an SMC, HVC, trapped instruction, abort, GPF, interrupt,
 * trapped WFx), Tarmac's event line `<time> clk <cpu> E <pc> <number> CoreEvent_<vector>`,
 * with the vector's name (CURRENT_SPx_SYNC, CURRENT_SPx_IRQ, LOWER_AARCH64_SYNC,
 * LOWER_AARCH64_IRQ) and, as <number>, its offset from VBAR, then the registers the entry
 * writes: ESR_ELn (not for an interrupt) and ELR_ELn of the EL it is taken to. A thread that
 * runs again after EL2 or EL3 (the RMM, the monitor: C code) handled it gets `E <pc> 00000000
 * CoreEvent_ERET` and register lines for what its context now holds that it did not when it
 * stopped: the X0 result of a call, the arguments of a first entry. An exception a REC takes
 * at EL1 is vectored by the RMM as hardware would (its ELR_EL1/SPSR_EL1/ESR_EL1 and the PC at
 * the vector), so its resumption is no ERET: only its register lines are written.
 *
 * Deviations from Tarmac, and why:
 *  - no physical address after the instruction's VA (`<vaddr>:<paddr>`): a realm's
 *    IPA-to-PA walk per instruction would cost more than the rest together (memory lines do
 *    have it, from the walk the access's view check makes anyway);
 *  - the mode is always `ELxh`: cca-sim enters every EL with SP_ELx selected, and the host
 *    stub and the built realm programs never change SPSel; for the same reason a changed
 *    stack pointer is written `SP`, not the banked `SP_ELx`;
 *  - flags are reported as `NZCV` alone, not the whole CPSR/PSTATE, which cpu_insn does not
 *    observe; no system-register lines but the ESR/ELR an exception entry writes (an MSR's
 *    effect, SPSR_ELn and FAR_ELn are not shown);
 *  - the CoreEvent_ERET line is cca-sim's own: in Tarmac the ERET would be an instruction of
 *    the EL2/EL3 code, which here is C; Tarmac's undocumented <number> of an E line is the
 *    vector offset here;
 *  - a `_RL` PAS suffix, which FVP's RME traces may spell otherwise;
 *  - an access that the GPT or a watchpoint stops is not listed (the instruction did not
 *    complete); an access made on a REC's behalf by the RMM (emulated MMIO) is not either;
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

#include <stdarg.h>
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
	bool vectoring[TRACE_CPUS]; /* the cpu's last stop was an exception it takes at EL1 */
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

/* Appends to buf[at..len) like snprintf; returns the new total length (or a negative error). */
static int add(char *buf, size_t len, int total, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int add(char *buf, size_t len, int total, const char *fmt, ...)
{
	va_list ap;
	size_t at;
	int n;

	if (total < 0) {
		return total;
	}
	at = (size_t)total < len ? (size_t)total : len;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? n : total + n;
}

/* A memory line's data: the bytes as the access moved them, most significant first, with an
 * underscore between 32-bit halves as Tarmac writes 64-bit data. */
static void mem_data(const struct cpu_insn_mem *a, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	for (unsigned i = a->size; i-- > 0 && at + 3 < len;) {
		at += (size_t)snprintf(out + at, len - at, "%02x", a->data[i]);
		if (i > 0 && i % 4 == 0 && at + 1 < len) {
			out[at++] = '_';
			out[at] = '\0';
		}
	}
}

/* Tarmac's name of the vector an exception goes to, and that vector's offset. */
static const char *vector_name(const struct cpu_insn *insn, unsigned *offset)
{
	bool irq = insn->trap == CPU_TRAP_IRQ || insn->trap == CPU_TRAP_VIRQ;
	bool lower = insn->to_el > insn->el;

	*offset = (lower ? 0x400U : 0x200U) + (irq ? 0x80U : 0U);
	if (lower) {
		return irq ? "CoreEvent_LOWER_AARCH64_IRQ" : "CoreEvent_LOWER_AARCH64_SYNC";
	}
	return irq ? "CoreEvent_CURRENT_SPx_IRQ" : "CoreEvent_CURRENT_SPx_SYNC";
}

int insn_trace_format(char *buf, size_t len, uint64_t time, unsigned cpu, uint64_t inst_id,
		      const struct cpu_insn *insn, bool skipped, const char *disasm,
		      const char *sym)
{
	unsigned long long tm = (unsigned long long)time;
	const char *s0 = *sym ? "  <" : "", *s1 = *sym ? ">" : "";
	int total = 0;

	if (len > 0) {
		buf[0] = '\0';
	}
	switch (insn->kind) {
	case CPU_INSN_EXCEPTION: {
		unsigned offset;
		const char *name = vector_name(insn, &offset);
		bool irq = insn->trap == CPU_TRAP_IRQ || insn->trap == CPU_TRAP_VIRQ;

		total = add(buf, len, 0, "%8llu clk cpu%u E %016llx %08x %s%s%s%s\n", tm, cpu,
			    (unsigned long long)insn->pc, offset, name, s0, sym, s1);
		/* An interrupt does not write the syndrome register. */
		if (!irq) {
			total = add(buf, len, total, "%8llu clk cpu%u R ESR_EL%u %016llX\n", tm,
				    cpu, insn->to_el, (unsigned long long)insn->esr);
		}
		return add(buf, len, total, "%8llu clk cpu%u R ELR_EL%u %016llX\n", tm, cpu,
			   insn->to_el, (unsigned long long)insn->return_pc);
	}
	case CPU_INSN_RESUME:
		if (skipped) { /* the vectoring of an exception taken at EL1 (see insn_trace_hook)
				*/
			break;
		}
		total = add(buf, len, 0, "%8llu clk cpu%u E %016llx %08x CoreEvent_ERET%s%s%s\n",
			    tm, cpu, (unsigned long long)insn->pc, 0U, s0, sym, s1);
		break;
	case CPU_INSN_EXEC:
	default: {
		char sec = insn->world == CPU_WORLD_REALM ? 'r' : 'n';

		total = add(
		    buf, len, 0, "%8llu clk cpu%u %s (%llu) %016llx %08x O EL%uh_%c : %s%s%s%s\n",
		    tm, cpu, skipped ? "IS" : "IT", (unsigned long long)inst_id,
		    (unsigned long long)insn->pc, insn->opcode, insn->el, sec, disasm, s0, sym, s1);
		for (unsigned i = 0; i < insn->nmem; i++) {
			const struct cpu_insn_mem *a = &insn->mem[i];
			char data[48];

			mem_data(a, data, sizeof(data));
			total =
			    add(buf, len, total, "%8llu clk cpu%u M%c%u %016llx:%012llx_%s %s\n",
				tm, cpu, a->write ? 'W' : 'R', a->size, (unsigned long long)a->va,
				(unsigned long long)a->pa, a->pas == CPU_WORLD_REALM ? "RL" : "NS",
				data);
		}
		break;
	}
	}
	for (unsigned i = 0; i < insn->nchanged; i++) {
		char name[8];
		unsigned reg = insn->changed[i].reg;

		total = add(buf, len, total, "%8llu clk cpu%u R %s %0*llX\n", tm, cpu,
			    reg_name(reg, name, sizeof(name)), reg == 32 ? 8 : 16,
			    (unsigned long long)insn->changed[i].value);
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
	char buf[4096], sym[96] = "";
	unsigned cpu =
	    t->where ? t->where(t->where_ctx, insn, sym, sizeof(sym)) : (unsigned)insn->world;
	unsigned slot = cpu < TRACE_CPUS ? cpu : TRACE_CPUS - 1;
	int n;

	bool exec = insn->kind == CPU_INSN_EXEC;

	if (exec) {
		t->time++;
		t->count[slot]++;
	}
	/* An exception a REC takes at EL1 stops its run, and the RMM vectors it, as hardware
	 * would, before the REC goes on: that resumption is the exception entry's own, not an
	 * ERET, so only the registers it wrote are listed. */
	bool vectored = insn->kind == CPU_INSN_RESUME && t->vectoring[slot];
	t->vectoring[slot] = insn->kind == CPU_INSN_EXCEPTION && insn->to_el < 2;
	n = insn_trace_format(buf, sizeof(buf), t->time, cpu, t->count[slot], insn,
			      exec ? skipped(t, insn) : vectored,
			      exec ? disasm_of(t, insn->pc, insn->opcode) : "", sym);
	if (n > 0) {
		fwrite(buf, 1, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, t->out);
	}
}
