/*
 * src/rmm: the Realm Management Monitor (Arm DEN0137), running "at R-EL2" in C.
 *
 * The RMM depends only on the narrow platform interface below (ARCHITECTURE.md rule 4), as
 * TF-RMM's fake-host harness does: the machine (src/monitor) implements it with the real GPT
 * and Realm PE; unit tests implement it with a fake. Its state lives in the granules the spec
 * says hold it (RD, REC, RTT, DATA), read and written through the Realm-PAS accessors.
 */
#ifndef CCA_RMM_H
#define CCA_RMM_H

#include "cpu/cpu.h"
#include "trace/trace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the RMM needs from the platform. Every function gets `ctx` back. */
struct rmm_platform {
	void *ctx;
	/* The RMM's own memory (Realm PAS, never delegable), for its global state such as the
	 * granule state table, as TF-RMM keeps it in its carve-out. */
	uint64_t private_base, private_size;
	/* Realm-PAS access (the RMM's own state, RTTs, DATA): 0, or -1 on a GPF (nothing done). */
	int (*realm_read)(void *ctx, uint64_t pa, void *buf, size_t len);
	int (*realm_write)(void *ctx, uint64_t pa, const void *buf, size_t len);
	/* NS-PAS access (host-supplied params, run pages): 0, or -1 on a GPF (nothing done). */
	int (*ns_read)(void *ctx, uint64_t pa, void *buf, size_t len);
	int (*ns_write)(void *ctx, uint64_t pa, const void *buf, size_t len);
	/* PaIsDelegable: pa is in delegable DRAM (the `bound` conditions). */
	bool (*pa_delegable)(void *ctx, uint64_t pa);
	/* SMC RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE to EL3: E_RMM_OK, _BAD_ADDR, _BAD_PAS. */
	uint64_t (*gtsi_delegate)(void *ctx, uint64_t pa);
	uint64_t (*gtsi_undelegate)(void *ctx, uint64_t pa);
	/* Load `rec` on the Realm PE, run it until it traps or `budget` instructions (0 = none)
	 * have run, and save its state back into `rec`. Returns 0, or -1 on an emulator error. */
	int (*run_rec)(void *ctx, struct cpu_context *rec, uint64_t budget, struct cpu_trap *trap);
};

#endif
