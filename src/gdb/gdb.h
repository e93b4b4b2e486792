/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/gdb: a GDB Remote Serial Protocol server (a "gdb stub") over an abstract target.
 *
 * The layer knows the protocol (packets, checksums, escaping, the AArch64 target description,
 * stop replies) and nothing of the machine: a target (struct gdb_target) lists its threads,
 * reads and writes their registers and memory, and inserts breakpoints and watchpoints. The
 * machine (src/cli with src/scenario, later) implements it; tests implement it with a fake.
 * It depends on libc only.
 *
 * Control flow: the target drives the server, on the machine's own thread. The emulator never
 * runs on a second thread and the server never calls "run" on the target:
 *
 *	gdb_server_create(&cfg, &target, &srv, err, sizeof(err));  listen, e.g. 127.0.0.1:1234
 *	gdb_server_accept(srv, -1);                                 wait for gdb
 *	stop = {GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP, .thread = first thread};
 *	for (;;) {
 *		req = gdb_server_wait(srv, &stop);  answers packets until gdb resumes
 *		if (req.action != GDB_CONTINUE && req.action != GDB_STEP)
 *			break;                      detached (run on without gdb) or killed
 *		run the machine as req says, polling gdb_server_interrupt_pending() now and
 *		then, until a breakpoint, a watchpoint, the end of the step, a fault or ^C:
 *		stop = why;
 *	}
 *	at the end of the run: gdb_server_wait(srv, &(struct gdb_stop){GDB_STOP_EXITED, ...});
 *	gdb_server_destroy(srv);
 *
 * gdb_server_wait is the "resume" half of the target interface: its argument is why the
 * machine stopped (sent to gdb as the stop reply of the c/s/vCont that resumed it, or kept for
 * `?` at the first stop), its result is what gdb asked for next. While it runs, the server
 * calls the target's functions to answer gdb (registers, memory, points, threads). It blocks
 * only waiting for gdb's next packet; every read inside a packet, every write and every
 * acknowledgement is bounded by cfg.io_timeout_ms. A malformed packet is refused (a nack, or
 * an error reply) and the session goes on; gdb closing the connection, or an I/O error,
 * behaves as a detach.
 *
 * The stop semantics gdb expects of an AArch64 target, which the target must keep:
 *  - a breakpoint stops *before* the instruction at its address executes (PC = the address);
 *  - a watchpoint stops *before* the access completes, PC at the accessing instruction, as
 *    Arm's synchronous watchpoints do (gdb then removes it, steps, re-inserts it and compares
 *    the old and new values itself);
 *  - resuming at an address that holds a breakpoint stops at once: gdb removes the breakpoint
 *    and steps over it before it continues.
 */
#ifndef CCA_GDB_H
#define CCA_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Registers, in the numbering of the target description (gdb's remote register numbers).
 * Feature org.gnu.gdb.aarch64.core: x0-x30, sp, pc, cpsr. Feature org.cca-sim.aarch64.sysregs
 * (gdb register group "system": `info registers system`, `p/x $esr_el1`): the rest, named in
 * lower case as gdb names its registers. There is no FP/SIMD feature (the machine keeps no FP
 * state in a context).
 */
enum gdb_reg {
	GDB_REG_X0 = 0, /* Xn is GDB_REG_X0 + n, n = 0..30 */
	GDB_REG_SP = 31,
	GDB_REG_PC = 32,
	GDB_REG_CPSR = 33, /* PSTATE in the SPSR layout; 32 bits on the wire */
	GDB_REG_CURRENTEL, /* CurrentEL: EL in bits [3:2]; read-only */
	GDB_REG_SP_EL0,
	GDB_REG_SP_EL1,
	GDB_REG_SP_EL2,
	GDB_REG_ELR_EL1,
	GDB_REG_SPSR_EL1,
	GDB_REG_ESR_EL1,
	GDB_REG_FAR_EL1,
	GDB_REG_SCTLR_EL1,
	GDB_REG_TCR_EL1,
	GDB_REG_TTBR0_EL1,
	GDB_REG_TTBR1_EL1,
	GDB_REG_MAIR_EL1,
	GDB_REG_AMAIR_EL1,
	GDB_REG_VBAR_EL1,
	GDB_REG_PAR_EL1,
	GDB_REG_CONTEXTIDR_EL1,
	GDB_REG_CPACR_EL1,
	GDB_REG_TPIDR_EL0,
	GDB_REG_TPIDRRO_EL0,
	GDB_REG_TPIDR_EL1,
	GDB_REG_CNTKCTL_EL1,
	GDB_REG_AFSR0_EL1,
	GDB_REG_AFSR1_EL1,
	GDB_REG_HCR_EL2, /* for a REC: the EL2 controls its run is under (stage 2, traps) */
	GDB_REG_VTCR_EL2,
	GDB_REG_VTTBR_EL2,
	GDB_REG_VMPIDR_EL2,
	GDB_REG_SCTLR_EL2,
	GDB_REG_VBAR_EL2,
	GDB_NUM_REGS
};

/* gdb's name of a register ("x0", "cpsr", "esr_el1"), NULL when out of range. */
const char *gdb_reg_name(unsigned reg);

/*
 * All registers of a thread. get_regs sets valid[r] for each register the thread has (the
 * others go to gdb as "unavailable"); set_regs writes exactly the registers marked valid and
 * leaves the others as they are. A G packet sends every register back, so set_regs must take a
 * read-only register (CurrentEL) written with the value it has as no change.
 */
struct gdb_regs {
	uint64_t value[GDB_NUM_REGS];
	bool valid[GDB_NUM_REGS];
};

/* Where a thread executes; shown by `info threads` (qThreadExtraInfo). */
enum gdb_world {
	GDB_WORLD_NS = 0,
	GDB_WORLD_REALM = 1,
};

/* One thread as gdb sees it: the host stub, or one REC. */
#define GDB_THREAD_NAME_MAX 48
#define GDB_MAX_THREADS     64
struct gdb_thread {
	int id;                         /* > 0, unique and stable for the whole run */
	char name[GDB_THREAD_NAME_MAX]; /* "host NS-EL2", "REC 0 R-EL1 (realm)" */
	enum gdb_world world;
	unsigned el;
	int rec;        /* REC index, -1 for the host */
	char state[32]; /* free text after the place, e.g. "not runnable"; "" = none */
};

/* Z/z packet types, numbered as on the wire. */
enum gdb_point {
	GDB_POINT_SW_BREAK = 0,
	GDB_POINT_HW_BREAK = 1,
	GDB_POINT_WATCH_WRITE = 2,
	GDB_POINT_WATCH_READ = 3,
	GDB_POINT_WATCH_ACCESS = 4,
};
#define GDB_POINT_UNSUPPORTED 1 /* insert_point result: gdb is told this type is not offered */
#define GDB_MAX_POINTS        64

/*
 * The target: what the machine provides. Every function gets `ctx` back; `thread` is a
 * gdb_thread.id from the latest list. Any function pointer but threads, get_regs and
 * set_regs may be NULL: the matching packets get an empty ("not supported") reply.
 */
struct gdb_target {
	void *ctx;
	/* Fills up to `max` threads, returns how many there are (the first is the default). */
	size_t (*threads)(void *ctx, struct gdb_thread *out, size_t max);
	/* 0, or -1 (no such thread). */
	int (*get_regs)(void *ctx, int thread, struct gdb_regs *regs);
	/* 0, or -1 when a register marked valid cannot be written (nothing written then). */
	int (*set_regs)(void *ctx, int thread, const struct gdb_regs *regs);
	/* Virtual addresses in the thread's own translation regime (for a REC: stage 1, stage 2,
	 * then the GPT). read_mem returns how many bytes from va on it read, 0..len: fewer where
	 * the access would fault. write_mem returns 0, or -1 with nothing written. Neither may
	 * raise an exception in the machine. */
	size_t (*read_mem)(void *ctx, int thread, uint64_t va, void *buf, size_t len);
	int (*write_mem)(void *ctx, int thread, uint64_t va, const void *buf, size_t len);
	/* Breakpoints (len = gdb's kind, 4) and watchpoints (len = bytes watched) apply to every
	 * thread whose regime maps addr. 0, GDB_POINT_UNSUPPORTED, or -1 (no room). The server
	 * keeps the inserted set: it never inserts a point twice, and removes what gdb left
	 * behind when the session ends. */
	int (*insert_point)(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len);
	int (*remove_point)(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len);
	/* `monitor CMD`: writes its answer to `out`; 0, or -1 for an unknown command (the server
	 * then says so to gdb). */
	int (*monitor)(void *ctx, const char *cmd, FILE *out);
};

/* gdb's signal numbers (target-independent, as the protocol numbers them). */
#define GDB_SIGINT  2
#define GDB_SIGILL  4
#define GDB_SIGTRAP 5
#define GDB_SIGBUS  10
#define GDB_SIGSEGV 11

/* Why the machine stopped: the argument of gdb_server_wait. */
enum gdb_stop_kind {
	GDB_STOP_SIGNAL,       /* `signal` in `thread` (GDB_SIGTRAP: the first stop) */
	GDB_STOP_BREAK_SW,     /* a Z0 breakpoint at `thread`'s PC */
	GDB_STOP_BREAK_HW,     /* a Z1 breakpoint at `thread`'s PC */
	GDB_STOP_WATCH_WRITE,  /* a Z2 watchpoint; `addr` = the data address accessed */
	GDB_STOP_WATCH_READ,   /* Z3 */
	GDB_STOP_WATCH_ACCESS, /* Z4 */
	GDB_STOP_STEP,         /* `thread` executed the one instruction gdb asked for */
	GDB_STOP_FAULT,        /* `thread` took an exception gdb should see (e.g. a realm
				* fault): reported as `signal`, GDB_SIGSEGV when 0 */
	GDB_STOP_INTERRUPT,    /* gdb's ^C seen by gdb_server_interrupt_pending: SIGINT */
	GDB_STOP_EXITED, /* the run is over with `status` (0..255, e.g. cca-sim's exit code) */
};

struct gdb_stop {
	enum gdb_stop_kind kind;
	int thread;
	uint64_t addr;
	int signal;
	int status;
};

/* What gdb asked for: the result of gdb_server_wait. */
enum gdb_action {
	GDB_CONTINUE, /* run until the next stop */
	GDB_STEP,     /* execute one instruction of `thread` */
	GDB_DETACH,   /* gdb detached or went away: finish the run without it */
	GDB_KILL,     /* gdb killed the run: end it now */
};

struct gdb_resume {
	enum gdb_action action;
	int thread;      /* GDB_STEP: the thread to step */
	bool others_run; /* GDB_STEP: other threads may run meanwhile (vCont;s:T;c) */
};

/* How the session ended, for the run's report. */
enum gdb_session {
	GDB_SESSION_WAITING,  /* no gdb connected yet */
	GDB_SESSION_ACTIVE,   /* gdb connected */
	GDB_SESSION_DETACHED, /* gdb sent D */
	GDB_SESSION_KILLED,   /* gdb sent k */
	GDB_SESSION_LOST,     /* gdb closed the connection, or it failed */
	GDB_SESSION_EXITED,   /* the run ended and gdb was told */
};

struct gdb_config {
	const char *listen; /* "[HOST:]PORT", HOST 127.0.0.1 when absent ("[::1]:PORT" for
			     * IPv6); PORT 0 picks a free one (gdb_server_port). NULL = no
			     * socket: gdb_server_adopt then gives the connection. */
	int io_timeout_ms;  /* bound of every read inside a packet, write and ack; 0 = 5000 */
	FILE *log;          /* every packet in and out, when not NULL */
};

struct gdb_server;

/* Returns 0, or -1 with a message in err (bad address, port in use, bad target). */
int gdb_server_create(const struct gdb_config *cfg, const struct gdb_target *target,
		      struct gdb_server **out, char *err, size_t errlen);
void gdb_server_destroy(struct gdb_server *s);

/* The port listened on (the one picked for PORT 0); 0 without a socket. */
unsigned gdb_server_port(const struct gdb_server *s);

/* Waits up to timeout_ms (< 0: no limit) for gdb to connect, then stops listening: one gdb
 * per run. 0, or -1 with a message in err (time out, accept failure). */
int gdb_server_accept(struct gdb_server *s, int timeout_ms, char *err, size_t errlen);
/* Serves an already connected stream socket instead (taken over: closed by the server). */
void gdb_server_adopt(struct gdb_server *s, int fd);

/* Reports `stop` and answers gdb until it resumes, detaches or kills (see the top). Without a
 * connected gdb (never accepted, detached, lost) returns GDB_DETACH at once, or GDB_KILL
 * after a kill. GDB_STOP_EXITED: sends W, waits (bounded) for gdb to close, returns
 * GDB_DETACH. */
struct gdb_resume gdb_server_wait(struct gdb_server *s, const struct gdb_stop *stop);

/* Non-blocking, for the machine to call while it runs: true when gdb sent ^C (0x03), or
 * closed the connection (gdb_server_wait then returns GDB_DETACH). Packet bytes that arrive
 * meanwhile are kept for the next gdb_server_wait. */
bool gdb_server_interrupt_pending(struct gdb_server *s);

enum gdb_session gdb_server_session(const struct gdb_server *s);
const char *gdb_session_name(enum gdb_session session);

#endif
