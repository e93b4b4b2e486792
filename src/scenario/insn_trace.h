/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to src/scenario: `--trace insn`, every instruction the PEs execute as Tarmac-like
 * text lines (the format is described at the top of insn_trace.c). The run creates a tracer
 * and installs insn_trace_hook only when the trace is asked for, so a run without it pays
 * nothing.
 */
#ifndef CCA_SCENARIO_INSN_TRACE_H
#define CCA_SCENARIO_INSN_TRACE_H

#include "cpu/cpu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct insn_trace;

/* A tracer writing to `out`; `m` is read (NZCV) to tell a skipped B.cond. NULL when out of
 * memory. */
struct insn_trace *insn_trace_create(FILE *out, struct cpu_machine *m);
/* The cpu_insn_fn to install with cpu_machine_set_insn_hook (ctx: the tracer). */
void insn_trace_hook(void *ctx, const struct cpu_insn *insn);
/* Flushes the output and frees the tracer (NULL is ignored). */
void insn_trace_destroy(struct insn_trace *t);

/*
 * Who executed an instruction, for its lines: the cpu number (0 the host, 1 + n the run's n-th
 * REC, counted over its realms in order) and the symbol of its PC ("main", "main+0x4") in sym,
 * "" when there is none. Without one, the Realm PE is cpu1 and no symbol is shown.
 */
typedef unsigned (*insn_trace_where_fn)(void *ctx, const struct cpu_insn *insn, char *sym,
					size_t len);
void insn_trace_set_where(struct insn_trace *t, insn_trace_where_fn fn, void *ctx);

/*
 * The lines of one instruction, without the PE state: `time` is the running number over both
 * PEs, `cpu` its cpu number, `inst_id` that cpu's own count, `skipped` whether it failed its
 * condition code, `disasm` its disassembly, `sym` its PC's symbol or "" (then not shown).
 * Returns what snprintf would (the length wanted).
 */
int insn_trace_format(char *buf, size_t len, uint64_t time, unsigned cpu, uint64_t inst_id,
		      const struct cpu_insn *insn, bool skipped, const char *disasm,
		      const char *sym);
/* Whether an A64 B.cond `opcode` fails its condition under `nzcv` (NZCV in bits [31:28]);
 * false for every other instruction. */
bool insn_trace_cond_fails(uint32_t opcode, uint64_t nzcv);

#endif
