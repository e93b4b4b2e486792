/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the RMM tests: an RMM on the fake machine, RMI calls, realm builders. */
#ifndef CCA_TEST_RMM_TEST_H
#define CCA_TEST_RMM_TEST_H

#include "abi/abi.h"
#include "fake_platform.h"
#include "rmm/rmm.h"
#include "trace/trace.h"

#include <stdbool.h>
#include <stdint.h>

#define TEST_MAX_RECS 8
#define TEST_S2SZ     40
#define TEST_CODE_IPA 0x1000ULL /* first DATA granule: where RECs start */
#define TEST_UNPROT   (1ULL << (TEST_S2SZ - 1))

struct env {
	struct fake *f;
	struct rmm *r;
	struct trace *t;
	enum rmm_spec spec;
	enum rmm_profile profile;
	uint64_t out[18]; /* registers after the last RMI call */
	uint64_t next_ns; /* bump allocator for NS granules */
	uint64_t next_vmid;
};

struct realm {
	uint64_t rd, rtt, params;
	uint64_t rtt_l2, rtt_l3, data;
	unsigned nrecs;
	uint64_t recs[TEST_MAX_RECS];
	uint64_t runs[TEST_MAX_RECS];
};

struct env *env_new(enum rmm_spec spec, enum rmm_profile profile);
/* On a platform with these features (env_new: the default platform). */
struct env *env_new_features(enum rmm_spec spec, enum rmm_profile profile,
			     const struct rmm_features *features);
void env_free(struct env *e);

/* One RMI call through rmm_handle_rmi; returns X0 (outputs in e->out). */
uint64_t rmi(struct env *e, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	     uint64_t a5);
#define RMI0(e, fid)                rmi(e, fid, 0, 0, 0, 0, 0)
#define RMI1(e, fid, a)             rmi(e, fid, a, 0, 0, 0, 0)
#define RMI2(e, fid, a, b)          rmi(e, fid, a, b, 0, 0, 0)
#define RMI3(e, fid, a, b, c)       rmi(e, fid, a, b, c, 0, 0)
#define RMI4(e, fid, a, b, c, d)    rmi(e, fid, a, b, c, d, 0)
#define RMI5(e, fid, a, b, c, d, f) rmi(e, fid, a, b, c, d, f)

/* A fresh zeroed NS granule (aligned to `align` bytes). */
uint64_t ns_granule(struct env *e);
uint64_t ns_granules(struct env *e, unsigned n, uint64_t align);
/* A fresh granule delegated through RMI_GRANULE_DELEGATE. */
uint64_t delegated(struct env *e);
uint64_t delegated_n(struct env *e, unsigned n, uint64_t align);

void ns_write64(struct env *e, uint64_t pa, uint64_t v);
uint64_t ns_read64(struct env *e, uint64_t pa);
uint64_t realm_params(struct env *e); /* valid RmiRealmParams (no rtt_base yet) */

/* A realm with `nrecs` RECs (bit i of runnable_mask: REC i RUNNABLE), one DATA granule at
 * TEST_CODE_IPA, activated if asked. Every step must succeed. */
void realm_build(struct env *e, struct realm *rl, unsigned nrecs, unsigned runnable_mask,
		 bool activate);
/* realm_build with RmiRealmParams of the caller's (made from realm_params). */
void realm_build_with(struct env *e, struct realm *rl, uint64_t params, unsigned nrecs,
		      unsigned runnable_mask, bool activate);
/* Only RD + starting RTTs (realm NEW, no RECs); _with: from the caller's params. */
void realm_create_only(struct env *e, struct realm *rl);
void realm_create_with(struct env *e, struct realm *rl, uint64_t params);
uint64_t rec_params(struct env *e, uint64_t mpidr, bool runnable, uint64_t pc);

/* RMI_REC_ENTER of REC i; returns X0. */
uint64_t enter(struct env *e, const struct realm *rl, unsigned i);
uint64_t exit_reason(struct env *e, const struct realm *rl, unsigned i);
uint64_t exit_gpr(struct env *e, const struct realm *rl, unsigned i, unsigned n);
/* REC i executes SMC with X0..X(n-1) (queued), e.g. realm_smc(e, 4, PSCI_CPU_ON, 1, entry, ctx).
 * The values become uint64_t whatever their type (a variadic function could not convert an
 * int argument: reading it as uint64_t is undefined, and clang leaves the high bits). */
void realm_smc_regs(struct env *e, const uint64_t *x, unsigned n);
#define realm_smc(e, n, ...) realm_smc_regs((e), (const uint64_t[]){__VA_ARGS__}, (n))

/* The last event of `type` and one of its fields. */
const struct trace_event *last_event(struct env *e, const char *type);
const char *last_rmi_condition(struct env *e);
/* The spec condition IDs of the events of `type` that name one, in order; returns how many. */
size_t event_conditions(struct env *e, const char *type, const char **out, size_t max);
/* Asserts that exactly the conditions given, in order, were reported for events of `type`. */
#define assert_conditions(e, type, ...)                                                            \
	do {                                                                                       \
		const char *want_[] = {__VA_ARGS__};                                               \
		const char *got_[16] = {0};                                                        \
		size_t n_ = event_conditions((e), (type), got_, 16);                               \
		assert_int_equal(n_, sizeof(want_) / sizeof(want_[0]));                            \
		for (size_t i_ = 0; i_ < n_ && i_ < sizeof(want_) / sizeof(want_[0]); i_++)        \
			assert_string_equal(got_[i_], want_[i_]);                                  \
		condition_log_events((e), (type));                                                 \
	} while (0)
/* Asserts that the last RMI command failed condition `id`. */
#define assert_rmi_condition(e, id)                                                                \
	do {                                                                                       \
		assert_non_null(last_rmi_condition(e));                                            \
		assert_string_equal(last_rmi_condition(e), (id));                                  \
		condition_log_last_rmi(e);                                                         \
	} while (0)

/*
 * The conditions the tests assert, for test_rmm_conditions (every row of every condition table
 * provoked): with CCA_CONDITION_LOG set, each asserted (command, condition) is appended to that
 * file as a line "COMMAND ID" (the file is emptied by the program's first entry).
 */
void condition_log(const char *command, const char *id);
void condition_log_events(struct env *e, const char *type);
void condition_log_last_rmi(struct env *e);
const char *last_rmi_status(struct env *e);
/* The `decision` of the last rmi event (RMI_PSCI_COMPLETE's outcome), or NULL. */
const char *last_rmi_decision(struct env *e);
size_t count_events(struct env *e, const char *type);

/* The RMM's view of a REC, read from its granule (test-only: matches struct rec's layout
 * through the RMM's private header). */
struct rec_view {
	bool runnable, pending;
	uint64_t pc;
	uint64_t x[31];
	uint64_t pstate, sctlr_el1;
	uint64_t hcr_el2, vtcr_el2, vttbr_el2, vmpidr_el2;
};
void rec_view(struct env *e, uint64_t rec, struct rec_view *v);

/* An intent table row (ACS style): provoke one failure condition of one command. */
struct intent {
	const char *name;
	const char *cond;
	uint64_t expect;
	void (*prep)(struct env *e, void *fx, uint64_t *args);
};
/* For each intent: fresh env, setup (valid args in args[1..5]), prep, snapshot, call; checks X0,
 * the trace's condition and that the machine state is unchanged. Then the unmodified call
 * must succeed. */
void run_intents(const struct intent *in, size_t n, uint64_t fid,
		 void (*setup)(struct env *e, void *fx, uint64_t *args), size_t fx_size,
		 enum rmm_spec spec, enum rmm_profile profile);

#endif
