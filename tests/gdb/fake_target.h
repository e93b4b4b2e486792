/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake machine for the gdb server's tests: two threads (the host, and one REC the host
 * enters), 4 KB of RAM each sees at its own virtual address, and a tiny instruction set that
 * is enough to hit breakpoints, trigger watchpoints, cross from one thread to the other, fault
 * and exit. It implements struct gdb_target and runs as gdb_resume asks, the way the real
 * machine will.
 */
#ifndef CCA_TESTS_GDB_FAKE_TARGET_H
#define CCA_TESTS_GDB_FAKE_TARGET_H

#include "gdb/gdb.h"

#include <stdbool.h>
#include <stdint.h>

#define FAKE_RAM_SIZE 0x1000
#define FAKE_HOST     1 /* thread ids */
#define FAKE_REC      2
#define FAKE_HOST_VA  0x80000000ULL /* where each thread sees RAM */
#define FAKE_REC_VA   0x10000ULL

/* One 32-bit little-endian word per instruction: op in the top byte, imm in the low 16 bits.
 * Data addresses are RAM offsets, seen at the executing thread's VA. */
enum fake_op {
	FAKE_NOP = 0x00,
	FAKE_STORE = 0x01, /* x0 += 1; store x0 (8 bytes) at imm */
	FAKE_LOAD = 0x02,  /* x1 = the 8 bytes at imm */
	FAKE_ENTER = 0x03, /* host: run the REC until it leaves */
	FAKE_LEAVE = 0x04, /* REC: back to the host */
	FAKE_EXIT = 0x05,  /* the run ends with status imm */
	FAKE_FAULT = 0x06, /* a fault gdb sees; then, like LEAVE, back to the host */
	FAKE_SPIN = 0x07,  /* stays here until gdb's ^C (or its going away) is seen, at most
			    * imm * 1024 times: a guest waiting for an event */
};
#define FAKE_INSN(op, imm) (((uint32_t)(op) << 24) | ((uint32_t)(imm)&0xffffU))

/* The default program (RAM offsets). */
#define FAKE_HOST_CODE     0x000 /* nop; nop; store 0x800; enter; store 0x800; load 0x808; exit 3 */
#define FAKE_REC_CODE      0x100 /* nop; store 0x808; leave */
#define FAKE_DATA          0x800
#define FAKE_DATA2         0x808
#define FAKE_EXIT_CODE     3
#define FAKE_OFF_ENTER     0x0c /* offsets of notable instructions */
#define FAKE_OFF_STORE2    0x10
#define FAKE_OFF_LOAD      0x14
#define FAKE_OFF_REC_STORE 0x104

struct fake_thread {
	struct gdb_regs regs; /* valid[] = the registers this thread has */
	uint64_t va_base;
	uint64_t spin;
};

#define FAKE_MAX_POINTS 8
#define FAKE_MAX_EVENTS 16

struct fake_target {
	uint8_t ram[FAKE_RAM_SIZE];
	struct fake_thread th[2]; /* [0] host, [1] REC */
	int running;              /* index of the thread executing */
	bool exited;
	int status;
	uint64_t insns, budget;
	struct {
		enum gdb_point type;
		uint64_t addr, len;
	} points[FAKE_MAX_POINTS];
	unsigned npoints;
	unsigned inserts; /* insert_point calls that succeeded */
	char events[FAKE_MAX_EVENTS][48];
	unsigned nevents;
	bool woken;         /* gdb_server_interrupt_pending said yes once */
	char rec_state[32]; /* the REC's state in the thread list, "runnable" */
};

/* The default program; spin puts a SPIN 0xffff first in the host's code. */
void fake_init(struct fake_target *f, bool spin);
struct gdb_target fake_gdb_target(struct fake_target *f);

/* Runs as `r` asks (GDB_CONTINUE or GDB_STEP; anything else runs to the end with no points),
 * polling `srv` for ^C when not NULL. Returns why it stopped. */
struct gdb_stop fake_run(struct fake_target *f, const struct gdb_resume *r, struct gdb_server *srv);

uint64_t fake_pc(const struct fake_target *f, int thread);
uint32_t fake_insn_at(const struct fake_target *f, uint64_t off);

#endif
