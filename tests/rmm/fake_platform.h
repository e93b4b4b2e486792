/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake machine for the RMM's unit tests (docs/architecture.md rule 4): RAM in a malloc'd buffer
 * with a PAS per granule (NS, Realm or Secure) that the accessors enforce, GTSI calls that flip it
 * with EL3's rules, and a scripted Realm PE: the test queues what the REC does next (an SMC
 * with given registers, an abort, an HVC, running out of budget) and run_rec plays it.
 */
#ifndef CCA_TEST_FAKE_PLATFORM_H
#define CCA_TEST_FAKE_PLATFORM_H

#include "rmm/rmm.h"

#include <stdbool.h>
#include <stdint.h>

/* The seed of the fake EL3's attestation keys. */
#define FAKE_ATTEST_SEED "rmm test"

#define FAKE_RAM_BASE    0x80000000ULL
#define FAKE_RAM_SIZE    (8ULL << 20)
#define FAKE_PRIV_BASE   FAKE_RAM_BASE /* first 512 KB: the RMM's carve-out */
#define FAKE_PRIV_SIZE   (512ULL << 10)
#define FAKE_DEV_PA      0x1C0A0000ULL     /* device memory: never delegable */
#define FAKE_BEYOND_PA   0x100000000000ULL /* beyond the delegable range */
#define FAKE_GRANULES    (FAKE_RAM_SIZE / 4096)
#define FAKE_MAX_ACTIONS 64
#define FAKE_MAX_ENTRIES 64

enum fake_pas {
	FAKE_PAS_NS = 0,
	FAKE_PAS_REALM = 1,
	FAKE_PAS_SECURE = 2, /* a platform's Secure range: neither world's, EL3 transitions none */
};

enum fake_action_kind {
	FAKE_SMC,
	FAKE_TRAP,
	FAKE_CALL,
	FAKE_SYSREGS,
};

struct fake_action {
	enum fake_action_kind kind;
	uint64_t x[11];
	unsigned nx;
	struct cpu_trap trap;
	void (*fn)(void *arg);
	void *arg;
	uint64_t pstate, sctlr_el1;
	bool in_place; /* the trap retires no instruction (otherwise one, at least) */
};

struct fake {
	uint8_t *ram;
	uint8_t pas[FAKE_GRANULES];
	uint8_t dirty[FAKE_GRANULES]; /* granules written since creation or the last reset */
	struct rmm_platform plat;
	struct fake_action q[FAKE_MAX_ACTIONS];
	unsigned qhead, qtail;
	unsigned runs;            /* run_rec calls */
	unsigned unscripted_runs; /* run_rec calls with nothing queued (returned BUDGET) */
	struct cpu_context entered[FAKE_MAX_ENTRIES]; /* the REC context at each run_rec */
	uint64_t id_regs[ID_REG_COUNT]; /* the Realm PE's ID registers (platform id_reg) */
	bool attest_fails;              /* EL3's attestation services fail (RSI_ERROR_UNKNOWN) */
	unsigned plat_tokens;           /* platform tokens EL3 has signed */
	uint64_t budgets[FAKE_MAX_ENTRIES];
	bool fail_ns_write;
	bool run_error;
	bool gtsi_force; /* EL3 answers every GTSI call with gtsi_ret */
	uint64_t gtsi_ret;
};

struct fake *fake_create(void);
void fake_destroy(struct fake *f);
/* Back to the state fake_create gives, cheaply: only written granules are cleared (for the
 * fuzz harness, which runs a fresh machine per input). */
void fake_reset(struct fake *f);
void fake_set_pas(struct fake *f, uint64_t pa, enum fake_pas pas);
enum fake_pas fake_get_pas(const struct fake *f, uint64_t pa);
void *fake_ptr(struct fake *f, uint64_t pa);

/* What the REC does next, in order. */
void fake_rec_will_smc(struct fake *f, const uint64_t *x, unsigned n);
void fake_rec_will_abort(struct fake *f, enum cpu_trap_kind kind, uint64_t ipa, uint64_t esr);
void fake_rec_will_trap(struct fake *f, const struct cpu_trap *t);
/* An exception at EL1 taken by the instruction at the REC's PC, which retires nothing (an
 * undefined instruction, a stage-1 abort, an abort at a vector...). */
void fake_rec_will_fault(struct fake *f, enum cpu_trap_kind kind, uint64_t esr);
void fake_rec_will_call(struct fake *f, void (*fn)(void *arg), void *arg);
/* The REC changes its PSTATE and SCTLR_EL1 (then goes on with the next action). */
void fake_rec_will_set_sysregs(struct fake *f, uint64_t pstate, uint64_t sctlr_el1);
unsigned fake_pending_actions(const struct fake *f);
/* The REC context seen by the last run_rec call. */
const struct cpu_context *fake_last_entry(const struct fake *f);

/* A copy of the whole machine state (RAM and PAS) and a comparison with it. */
void *fake_snapshot(const struct fake *f);
bool fake_same(const struct fake *f, const void *snap);

#endif
