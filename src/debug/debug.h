/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/debug: a gdb session over the machine (`cca-sim run --gdb`). It is the target of the
 * GDB Remote Serial Protocol server (src/gdb): its threads are the host stub (NS-EL2) and each
 * REC (R-EL1); breakpoints are probes and steps are the cpu layer's (cpu.h, "Debugging"), so
 * the machine stops for gdb before an instruction, from inside the run that executes it, and
 * carries on as if nothing happened when gdb resumes. Registers of a REC that is not running
 * come from its REC granule (rmm_debug_rec_context), memory through each thread's own
 * translation regime. The RMM itself is C code: debug cca-sim for that.
 */
#ifndef CCA_DEBUG_H
#define CCA_DEBUG_H

#include "host/host.h"

#include <stdio.h>

struct debug_session;

/* Listens on "[HOST:]PORT" (127.0.0.1 when no host is given) and waits for gdb to connect,
 * up to wait_ms (< 0: no limit). Returns 0, or -1 with a message in err. */
int debug_session_create(const char *listen, int wait_ms, FILE *log, struct debug_session **out,
			 char *err, size_t errlen);
/* The machine is built: gdb gets its first stop (the host, before its first instruction) and
 * from then on every breakpoint and step. */
void debug_session_attach(struct debug_session *s, struct host *h);
/* The run is over with `exit_code`: gdb is told (W) and the session ends. */
void debug_session_finish(struct debug_session *s, int exit_code);
/* Whether gdb ended the run (kill). */
bool debug_session_killed(const struct debug_session *s);
void debug_session_destroy(struct debug_session *s);

#endif
