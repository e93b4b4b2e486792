/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RMM's private types. Nothing here is global: every piece of RMM state is either in the
 * granules the spec says hold it (RD, REC, RTT, DATA: read and written through the Realm-PAS
 * accessors, docs/architecture.md rule 2) or in the RMM's private carve-out (the granule state
 * table and the VMID map). struct rmm holds the configuration and what the last run left for
 * the caller to ask about (rmm_last_run_status), never state a call passes to its handlers.
 */
#ifndef CCA_RMM_PRIVATE_H
#define CCA_RMM_PRIVATE_H

#include "abi/abi.h"
#include "attest/attest.h"
#include "rmm/conditions.h"
#include "rmm/rmm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GRANULE_ALIGNED(pa) (((pa)&GRANULE_MASK) == 0)

/* Granule states [S:A2.2.3], with TF-RMM's numbering. */
enum granule_state {
	GRANULE_UNDELEGATED = 0,
	GRANULE_DELEGATED = 1,
	GRANULE_RD = 2,
	GRANULE_REC = 3,
	GRANULE_REC_AUX = 4,
	GRANULE_DATA = 5,
	GRANULE_RTT = 6,
};

enum realm_state {
	REALM_NEW = 0,
	REALM_ACTIVE = 1,
	REALM_SYSTEM_OFF = 2,
};

/* What this RMM supports whatever the platform (RmiFeatureRegister0, [S:B4.4.6]); the
 * platform's own features are cfg.features (resolved: rmm_features_resolve). */
#define RMM_MAX_S2SZ         48U /* without LPA2; features.max_ipa_bits is this machine's */
#define RMM_DEFAULT_BPS      6U
#define RMM_DEFAULT_WPS      4U
#define RMM_MAX_BPS          64U /* NUM_BPS/NUM_WPS are 6-bit fields, minus one */
#define RMM_MAX_PMU_CTRS     31U /* PMU_NUM_CTRS is a 5-bit field */
#define RMM_MAX_SVE_VL       2048U
#define RMM_MAX_RECS_ORDER   9U
#define RMM_MAX_RECS         ((1U << RMM_MAX_RECS_ORDER) - 1U)
#define RMM_MAX_AUX          RMM_MAX_REC_AUX
#define RMM_VMID_COUNT       65536U /* the VMID map covers 16-bit VMIDs */
#define MEASUREMENT_SLOTS    5U     /* RIM + REM[1..4] */
#define MEASUREMENT_MAX_SIZE 64U    /* 512 bits */

/* The realm descriptor, stored in the RD granule. */
struct rd {
	uint64_t state; /* enum realm_state */
	uint64_t ipa_width;
	uint64_t hash_algo;
	uint64_t rtt_base;
	int64_t rtt_level_start;
	uint64_t rtt_num_start;
	uint64_t vmid;
	uint64_t rec_index; /* index of the next REC to create (RECs ever created) */
	uint64_t num_recs;  /* live RECs */
	uint64_t rec_aux_count;
	uint64_t feat_lpa2; /* RmiRealmFlags.lpa2 at creation */
	/* The features the host chose at creation (RmiRealmParams, as accepted): what the realm
	 * reads in its ID registers (id_regs.c). Counts as encoded, minus one for bps/wps. */
	uint64_t flags, sve_vl, num_bps, num_wps, pmu_num_ctrs;
	uint8_t rpv[64];
	uint8_t measurements[MEASUREMENT_SLOTS][MEASUREMENT_MAX_SIZE];
	/* REC granule number (PA >> 12) by index, 0 once destroyed: lets the 2.0 profile find a
	 * PSCI target from its MPIDR, and answers MpidrIsUsed. Granule numbers rather than PAs so
	 * that 2^9 - 1 RECs fit the RD granule (PAs below 2^44, checked at REC_CREATE). */
	uint32_t rec_granule[RMM_MAX_RECS + 1];
};

static inline uint64_t rd_rec_pa(const struct rd *rd, uint64_t idx)
{
	return (uint64_t)rd->rec_granule[idx] << GRANULE_SHIFT;
}

static inline void rd_set_rec_pa(struct rd *rd, uint64_t idx, uint64_t pa)
{
	rd->rec_granule[idx] = (uint32_t)(pa >> GRANULE_SHIFT);
}
_Static_assert(sizeof(struct rd) <= GRANULE_SIZE, "RD fits its granule");

enum rec_run_state {
	REC_READY = 0,
	REC_RUNNING = 1,
};

/* The REC, stored in the REC granule [S:A2.3.2]. gprs and pc are ctx.x[] and ctx.pc. */
struct rec {
	uint64_t owner; /* RD PA */
	uint64_t index;
	uint64_t mpidr; /* RmiRecMpidr */
	uint8_t runnable;
	uint8_t psci_pending;
	uint8_t state; /* enum rec_run_state */
	uint8_t host_call_pending;
	uint8_t ripas_pending; /* last exit was RIPAS_CHANGE: answer RSI_IPA_STATE_SET on entry */
	uint8_t ripas_value;
	uint8_t ripas_destroyed;     /* RsiChangeDestroyed: CHANGE_DESTROYED = 1 */
	uint64_t ripas_call_args[4]; /* the pending RSI_IPA_STATE_SET's X1..X4, for its event */
	uint8_t emulatable_abort;
	uint8_t unprotected_abort; /* last exit: a data abort at an Unprotected IPA, any ISV */
	/* A completed PSCI request whose result the realm receives on its next entry (the
	 * "psci" event is reported then, when it is true) */
	uint8_t psci_report;
	uint8_t psci_report_nargs;
	uint64_t psci_report_fid;
	uint64_t psci_report_args[3];
	uint64_t ripas_addr, ripas_top;
	uint64_t host_call_ipa;
	uint64_t abort_esr; /* ESR of the last Unprotected data abort (SRT, SAS, SSE, SF, WnR) */
	uint64_t num_aux;
	uint64_t aux[RMM_MAX_AUX];
	/* Attestation [S:B5.3.1, B5.3.2]: rec.attest_state, rec.attest_challenge, and how much
	 * of the token has been copied to the realm. The token itself is not kept: it is made
	 * again, byte for byte the same (deterministic signatures), for each CONTINUE. */
	uint8_t attest_in_progress; /* ATTEST_IN_PROGRESS, else NO_ATTEST_IN_PROGRESS */
	uint8_t attest_challenge[64];
	uint64_t attest_copied;
	struct cpu_context ctx;
};
_Static_assert(sizeof(struct rec) <= GRANULE_SIZE, "REC fits its granule");

/*
 * The outcome of a command: COND_NONE (success) or the failure condition the handler found,
 * with the RTT level for a condition whose index is a level (RMM_INDEX_WALK, _LEVEL). The
 * dispatcher takes the status and index from the command's row in conditions.h.
 */
struct rmi_ret {
	enum cond_id cond;
	int level; /* -1: none */
};

static inline struct rmi_ret rmi_ok(void)
{
	return (struct rmi_ret){COND_NONE, -1};
}

static inline struct rmi_ret rmi_fail(enum cond_id cond)
{
	return (struct rmi_ret){cond, -1};
}

static inline struct rmi_ret rmi_fail_level(enum cond_id cond, long level)
{
	return (struct rmi_ret){cond, (int)level};
}

/* Propagates a failed check: TRY(check_granule(...)). */
#define TRY(expr)                                                                                  \
	do {                                                                                       \
		struct rmi_ret try_ret_ = (expr);                                                  \
		if (try_ret_.cond != COND_NONE)                                                    \
			return try_ret_;                                                           \
	} while (0)

#define RMM_GRANULE_CHANGES_SHOWN 32

struct rmm {
	struct rmm_platform plat;
	struct rmm_config cfg;
	struct trace *t;
	uint64_t vmid_map;  /* PA of the VMID bitmap in the carve-out */
	uint64_t gst_base;  /* PA of the granule state table (open addressing, PA -> state) */
	uint64_t gst_slots; /* power of two */
	enum rmm_run_status last_run;
	struct rmm_fault_loop fault_loop; /* when last_run is RMM_RUN_FAULT_LOOP */
	struct rmm_invariants *inv;       /* CCA_CHECK_INVARIANTS builds: what a command did */
	/* Not RMM state but an observation: the token the last RSI_ATTESTATION_TOKEN_CONTINUE
	 * finished handing over, kept until its `rsi` event is out so that the `token` event
	 * follows it (rsi.c). handed_token_len is 0 between calls. */
	uint8_t handed_token[ATTEST_TOKEN_MAX_SIZE];
	size_t handed_token_len;
	/* Also an observation: what the RMI command being served decided (psci_complete.c), for
	 * its rmi event; DECISION_NONE between calls. */
	enum psci_decision decision;
	/* And the granule states the command changed, in order, for its rmi event's `granules`
	 * (the report's granule panel follows them); n counts past the array too. */
	struct {
		uint64_t pa;
		enum granule_state state;
	} changed[RMM_GRANULE_CHANGES_SHOWN];
	unsigned nchanged;
};

/* invariants.c (CCA_CHECK_INVARIANTS builds; the calls compile to nothing otherwise) */
#ifdef CCA_CHECK_INVARIANTS
int rmm_invariants_attach(struct rmm *r); /* wraps r->plat */
void rmm_invariants_detach(struct rmm *r);
void rmm_invariants_begin(struct rmm *r);
void rmm_invariants_end(struct rmm *r, const char *cmd, unsigned status);
void rmm_invariants_check_all(struct rmm *r);
/* The command will fail having changed state on purpose: a named TF-RMM divergence (`tr`). */
void rmm_invariants_failure_changes(struct rmm *r, const char *tr);
#else
static inline void rmm_invariants_failure_changes(struct rmm *r, const char *tr)
{
	(void)r;
	(void)tr;
}
static inline int rmm_invariants_attach(struct rmm *r)
{
	(void)r;
	return 0;
}
static inline void rmm_invariants_detach(struct rmm *r)
{
	(void)r;
}
static inline void rmm_invariants_begin(struct rmm *r)
{
	(void)r;
}
static inline void rmm_invariants_end(struct rmm *r, const char *cmd, unsigned status)
{
	(void)r;
	(void)cmd;
	(void)status;
}
#endif

/*
 * rmm.c: the RMM's accesses to Realm-PAS memory. They cannot fail, as TF-RMM's mapping of a
 * granule cannot: the RMM touches only granules whose state it has already checked (an RD,
 * REC, RTT or DATA granule, its own carve-out, a realm page its RTT maps to DATA), so a failed
 * access is a bug in the RMM or the platform model, never a host or realm error. It is
 * reported (the accessor and the PA) and the process aborts, so that no RD, REC or granule
 * state table is left half written. Host memory (NS PAS: the parameter and run granules) is
 * read through the platform's ns_read/ns_write, which can fail, and every caller maps that to
 * the command's failure condition.
 */
/*
 * Faults a test build plants on purpose (CCA_TEST_FAULTS; the environment variable
 * CCA_SIM_TEST_FAULT names one), so that the suite sees the explorer catch a broken
 * guarantee (tests/scenarios/explore.sh). Never in a Release build.
 */
enum rmm_test_fault {
	RMM_FAULT_DENY_RUNNABLE, /* RMI_PSCI_COMPLETE lets the host deny a RUNNABLE target */
	RMM_FAULT_NO_SCRUB,      /* RMI_DATA_DESTROY and RMI_GRANULE_UNDELEGATE scrub nothing */
};
#ifdef CCA_TEST_FAULTS
bool rmm_test_fault(enum rmm_test_fault f);
#else
static inline bool rmm_test_fault(enum rmm_test_fault f)
{
	(void)f;
	return false;
}
#endif
void rmm_read(struct rmm *r, uint64_t pa, void *buf, size_t len);
void rmm_write(struct rmm *r, uint64_t pa, const void *buf, size_t len);
void rmm_wipe(struct rmm *r, uint64_t pa);
/* Reports an RMM-internal failure (what failed, at which PA) and aborts. */
_Noreturn void rmm_internal_error(const char *what, uint64_t pa);
bool rmm_pa_delegable(struct rmm *r, uint64_t pa);

/* granule.c: the granule state table */
enum granule_state gst_get(struct rmm *r, uint64_t pa);
/* Cannot fail: a granule gets a slot when it is delegated, so every granule whose state
 * changes has one (a missing slot is an internal error, see rmm_read). */
void gst_set(struct rmm *r, uint64_t pa, enum granule_state s);
/* "DELEGATED", "RD", ... as the spec names granule states [S:A2.2]. */
const char *granule_state_name(enum granule_state s);
/* align / bound / state ladder rungs for one granule argument, in that order. */
struct rmi_ret check_granule(struct rmm *r, uint64_t pa, enum granule_state want,
			     enum cond_id align, enum cond_id bound, enum cond_id state);
/* rd_align / rd_bound / rd_state, then loads the RD. */
struct rmi_ret rd_check_load(struct rmm *r, uint64_t rd_pa, struct rd *rd);
/* align / bound / pas ladder rungs of a host (NS) granule argument, in that order, copying it
 * into `buf`: REALM_CREATE's and REC_CREATE's params, DATA_CREATE's src. */
struct rmi_ret read_host_granule(struct rmm *r, uint64_t pa, uint8_t buf[GRANULE_SIZE],
				 enum cond_id align, enum cond_id bound, enum cond_id pas);
int vmid_test(struct rmm *r, uint64_t vmid);
void vmid_set(struct rmm *r, uint64_t vmid, bool used);

/* Loading and storing granule objects (the memcpy in/out of docs/architecture.md rule 2). */
void rd_load(struct rmm *r, uint64_t pa, struct rd *rd);
void rd_store(struct rmm *r, uint64_t pa, const struct rd *rd);
void rec_load(struct rmm *r, uint64_t pa, struct rec *rec);
void rec_store(struct rmm *r, uint64_t pa, const struct rec *rec);

/* Protected IPA = IPA < 2^(ipa_width - 1) [S:B3.4]. */
static inline bool ipa_is_protected(const struct rd *rd, uint64_t ipa)
{
	return ipa < (1ULL << (rd->ipa_width - 1));
}

static inline bool addr_range_is_protected(const struct rd *rd, uint64_t base, uint64_t top)
{
	return base < top && top <= (1ULL << (rd->ipa_width - 1));
}

/* The command with that FID in the table `at` enumerates, or NULL (dispatch.c). */
const struct rmm_command *rmm_command_find(const struct rmm_command *(*at)(size_t), uint64_t fid);

/* RmiFeatureRegister0 of this RMM on its platform (dispatch.c). */
uint64_t rmm_feature_register0(const struct rmm *r);

/* Events (dispatch.c). rmm_trace_outputs adds the output values X1.. of `c` that are
 * defined for the outcome (all on success, the on_failure ones otherwise). */
void rmm_trace_outputs(struct trace_event *ev, const struct rmm_command *c, const uint64_t *x,
		       bool success);
void trace_rec_state(struct rmm *r, uint64_t rd_pa, const struct rec *rec);
void trace_realm_state(struct rmm *r, uint64_t rd_pa, uint64_t state);

/*
 * Building the command tables (dispatch.c, rsi.c): output values by the type the spec gives
 * them [S:B4.3.*.1.3, B5.3.*.1.3]; the *_ALWAYS ones are defined on failure too (the `top` of
 * B4.3.3/16/22's tables; the VERSION commands' by B2's outcomes b and c).
 */
/* clang-format off */
#define ADDR(n)              {n, RMM_VALUE_ADDR, 0, 0, false}
#define ADDR_ALWAYS(n)       {n, RMM_VALUE_ADDR, 0, 0, true}
#define BITS(n)              {n, RMM_VALUE_BITS, 0, 0, false}
#define BITS_ALWAYS(n)       {n, RMM_VALUE_BITS, 0, 0, true}
#define UINT(n)              {n, RMM_VALUE_UINT, 0, 0, false}
#define ENUM(n, kind, width) {n, RMM_VALUE_ENUM, kind, width, false}
#define NOUT(...) (sizeof((struct rmm_value_desc[]){__VA_ARGS__}) / sizeof(struct rmm_value_desc))
/* A command with output values, and one without (X0 only); each entry ends in its
 * condition table. */
#define CMD(fid, nargs, fn, ...) {{fid, #fid, nargs, NOUT(__VA_ARGS__), {__VA_ARGS__}}, fn, CT_##fid}
#define CMD0(fid, nargs, fn)     {{fid, #fid, nargs, 0, {{0}}}, fn, CT_##fid}
/* clang-format on */

/* Command handlers: args in a[1..], outputs in out[1..]. */
typedef struct rmi_ret (*rmi_handler_fn)(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_granule_delegate(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_granule_undelegate(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_realm_create(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_realm_activate(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_realm_destroy(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rec_aux_count(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rec_create(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rec_destroy(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rec_enter(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_psci_complete(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_create(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_destroy(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_read_entry(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_init_ripas(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_set_ripas(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_map_unprotected(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_unmap_unprotected(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_rtt_fold(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_data_create(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_data_create_unknown(struct rmm *r, const uint64_t *a, uint64_t *out);
struct rmi_ret smc_data_destroy(struct rmm *r, const uint64_t *a, uint64_t *out);

#endif
