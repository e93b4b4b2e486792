/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/rmm: the Realm Management Monitor (Arm DEN0137), running "at R-EL2" in C.
 *
 * The RMM depends only on the narrow platform interface below (docs/architecture.md rule 4), as
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
	/* The Realm PE's feature ID register `index` (ID_REG_INDEX in arch/arch.h), as an MRS at
	 * R-EL2 reads it: what the RMM sanitises for a realm (id_regs.c). NULL: all read 0. */
	uint64_t (*id_reg)(void *ctx, unsigned index);
	/* Attestation, EL3's services [S:A7.2]. RMM_ATTEST_GET_REALM_KEY: the private scalar of
	 * the RAK of the realm with VMID `vmid` (big-endian, 48 bytes). RMM_ATTEST_GET_PLAT_TOKEN:
	 * the CCA platform token (a tagged COSE_Sign1) whose challenge is `hash`, the RAK's hash,
	 * into out[cap], its size in *len. Each returns 0, or -1 (no service, or it failed: the
	 * RMM answers the realm RSI_ERROR_UNKNOWN). NULL: the platform has no attestation. */
	int (*attest_realm_key)(void *ctx, uint64_t vmid, uint8_t d[48]);
	int (*attest_platform_token)(void *ctx, const uint8_t *hash, size_t hash_len, uint8_t *out,
				     size_t cap, size_t *len);
	/* Optional, for the invariant checks of debug builds only (never for the RMM's
	 * decisions): the PAS the GPT gives granule `pa`, 0 NS, 1 Realm, 2 another; -1 unknown. */
	int (*pas_of)(void *ctx, uint64_t pa);
};

/*
 * Builds with CCA_CHECK_INVARIANTS (Debug) check after every RMI command that the granule
 * states and the GPT agree and that a failed command changed nothing (invariants.c); a broken
 * invariant calls `fn` with a description (default, and fn NULL: print it and abort). Other
 * builds check nothing and ignore this.
 */
void rmm_set_invariant_handler(void (*fn)(const char *msg));

/* Spec revision the RMM implements (docs/profiles.md, "Spec revisions"). Note that a zeroed
 * rmm_config selects 1.0-eac2: set .spec explicitly (the project's default revision is
 * RMM_SPEC_1_0_REL0). */
enum rmm_spec {
	RMM_SPEC_1_0_EAC2,
	RMM_SPEC_1_0_EAC3,
	RMM_SPEC_1_0_REL0, /* the project's default */
	RMM_SPEC_2_0,      /* the 2.0 draft's two-argument RMI_PSCI_COMPLETE */
};

/* Behaviour profile, orthogonal to the revision (docs/profiles.md, "Behaviour profiles"). */
enum rmm_profile {
	RMM_PROFILE_SPEC,   /* the spec text (default) */
	RMM_PROFILE_TF_RMM, /* TF-RMM's known divergences TR1..TR13 */
};

/*
 * What this RMM supports of the machine it runs on. Realm IPA widths (RmiRealmParams.s2sz,
 * RmiFeatureRegister0.S2SZ [S:B4.4.4]) run from RMM_MIN_IPA_BITS to the platform's
 * max_ipa_bits (struct rmm_features): stage 2 cannot take an IPA wider than the PE's physical
 * address size (PARange), so, as TF-RMM does, the widest is the machine's PA size, and 48 at
 * most (no 52-bit IPAs). Physical addresses must stay below 2^RMM_MAX_PA_BITS: the RD keeps
 * REC granule numbers in 32 bits.
 */
#define RMM_MIN_IPA_BITS 32U
#define RMM_MAX_PA_BITS  44U

/*
 * The platform's features, as the RMM reports them in RmiFeatureRegister0 [S:B4.4.6] and
 * enforces them at RMI_REALM_CREATE (RealmParamsSupported, VmidIsValid [S:A3.1, B3.82]). A
 * zeroed struct is today's default platform: 16-bit VMIDs, 6 breakpoints, 4 watchpoints, no
 * LPA2, no PMU, no SVE, one GIC List Register.
 */
struct rmm_features {
	unsigned vmid_bits;    /* 8 or 16 (FEAT_VMID16); 0 = 16 */
	unsigned num_bps;      /* breakpoints (not minus one), 2..64; 0 = 6 */
	unsigned num_wps;      /* watchpoints, 2..64; 0 = 4 */
	bool lpa2;             /* FEAT_LPA2 at stage 1 and 2 */
	bool pmu;              /* FEAT_PMUv3 offered to realms */
	unsigned pmu_num_ctrs; /* PMU event counters, 0..31 (with pmu) */
	unsigned sve_vl;       /* maximum SVE vector length in bits, 128..2048 in steps of 128;
				* 0 = no SVE */
	unsigned gic_lrs;      /* GICv3 List Registers the host fills, 1..RMM_MAX_GIC_LRS; 0 = 1 */
	unsigned max_ipa_bits; /* the widest realm IPA (S2SZ): not configuration, derived from
				* the PA size by rmm_features_resolve */
};

/* `f` as the RMM sees it on a machine with pa_bits-bit physical addresses (0 = 40): every
 * default filled in, and max_ipa_bits set. The one derivation of what RMI_FEATURES reports,
 * RMI_REALM_CREATE accepts and the scenario parser checks a realm's `ipa_bits` against. */
void rmm_features_resolve(struct rmm_features *f, unsigned pa_bits);

#define RMM_MAX_REC_AUX 16          /* RmiRecParams has 16 aux addresses [S:B4.4.19] */
#define RMM_MAX_GIC_LRS CPU_GIC_LRS /* RmiRecEnter has 16 gicv3_lrs [S:B4.4.17] */
/* The modelled GIC implements 5 priority bits: the low 3 of a List Register's are RES0. */
#define RMM_GIC_PRIORITY_RES0 0x7U

struct rmm_config {
	enum rmm_spec spec;
	enum rmm_profile profile;
	uint64_t run_budget;    /* instructions per RMI_REC_ENTER, 0 = none */
	unsigned pa_bits;       /* physical address size for VTCR_EL2.PS, 0 = 40 */
	unsigned rec_aux_count; /* RMI_REC_AUX_COUNT of every realm (0..RMM_MAX_REC_AUX) */
	struct rmm_features features;
	/* Optional, for tools (`--token-out`), never for the RMM's decisions: called with a
	 * realm's whole attestation token once RSI_ATTESTATION_TOKEN_CONTINUE has handed over
	 * its last byte (realm: its RD; rec: the REC's index). */
	void (*on_token)(void *ctx, uint64_t rd, uint64_t rec, const uint8_t *token, size_t len);
	void *on_token_ctx;
};

/* What is wrong with `f` (static text), or NULL when the RMM supports that platform; *field
 * (if not NULL) then names the member at fault ("vmid_bits", "num_bps", ...). */
const char *rmm_features_check(const struct rmm_features *f, const char **field);

/* How the last RMI_REC_ENTER's run ended, beyond what the REC exit says. */
enum rmm_run_status {
	RMM_RUN_OK = 0,     /* the REC exited for an architectural reason */
	RMM_RUN_BUDGET = 1, /* run_budget ran out: reported to the host as an IRQ exit */
	RMM_RUN_ERROR = 2,  /* run_rec failed or the REC trapped in an unmodelled way (IRQ exit) */
	RMM_RUN_FAULT_LOOP = 3, /* the REC is stuck taking one exception forever (IRQ exit) */
	RMM_RUN_IDLE = 4, /* the REC waits in WFI with nothing that could wake it (IRQ exit) */
};

/*
 * A fault loop (docs/architecture.md, "Time, budgets and translated code"): the RMM delivered
 * an exception to the realm, and the realm took the same exception (same ESR) at the same PC
 * again without retiring an instruction in between. Delivery changes only ELR, SPSR, ESR and
 * FAR_EL1, PSTATE and the PC, so the realm is then back in the state of the previous delivery
 * and would take it forever; hardware would spin until the host's timer fires. The RMM stops
 * the run instead (an IRQ exit) and keeps what it saw.
 */
struct rmm_fault_loop {
	uint64_t rd;  /* the REC's realm */
	uint64_t rec; /* its index */
	unsigned n;   /* exceptions delivered since the realm last retired an instruction */
	uint64_t first_pc, first_esr, first_far; /* the first of them: what started the loop */
	uint64_t pc, esr, far;                   /* the one taken again and again */
	uint64_t vector;                         /* where its delivery sends the realm */
	uint64_t vbar;                           /* VBAR_EL1 */
};

struct rmm;

/* Returns 0, or -1 (bad platform/config, out of memory). Zeroes the private carve-out. */
int rmm_create(const struct rmm_platform *plat, const struct rmm_config *cfg, struct trace *t,
	       struct rmm **out);
void rmm_destroy(struct rmm *r);

/*
 * The RMI entry point, with the monitor's callback signature (monitor_rmi_fn): regs[0] = FID,
 * regs[1..] = arguments; on return regs[0] = RmiCommandReturnCode (or the value of a command
 * without status, e.g. the eac2 RMI_VERSION), regs[1..] = outputs, every other register 0.
 */
void rmm_handle_rmi(void *rmm, uint64_t regs[18]);

/*
 * The RMI and RSI commands: for each, its FID, name, inputs and output values, in the tables
 * the RMM dispatches from (one description, read by the RMM, the event stream and the
 * scenario parser). Outputs are X1.. in order [S:B4.3.*.1, B5.3.*.1].
 */
enum rmm_value_kind {
	RMM_VALUE_ADDR, /* an Address: hex in events, a granule's name where one applies */
	RMM_VALUE_BITS, /* a bit pattern (a feature register, a descriptor): hex */
	RMM_VALUE_UINT, /* a count or a level: an integer */
	RMM_VALUE_ENUM, /* an enumeration: its spec name (enum abi_kind `names`) */
};

struct rmm_value_desc {
	const char *name; /* the spec's name, e.g. "walk_level" */
	enum rmm_value_kind kind;
	int names;       /* RMM_VALUE_ENUM: the enum abi_kind of its labels */
	unsigned bits;   /* the field's width in its register: [bits-1:0] (0 = 64) */
	bool on_failure; /* defined when the command fails too ("unless stated", B1.6) */
};

#define RMM_MAX_OUTPUTS 8

struct rmm_command {
	uint64_t fid;
	const char *name;
	unsigned nargs; /* input values X1..X<nargs> (1.0-rel0 arity) */
	unsigned nout;  /* output values X1..X<nout> */
	struct rmm_value_desc out[RMM_MAX_OUTPUTS];
};

/* The command with that FID, or NULL; the i-th of the table, or NULL past its end. */
const struct rmm_command *rmm_rmi_command(uint64_t fid);
const struct rmm_command *rmm_rmi_command_at(size_t i);
const struct rmm_command *rmm_rsi_command(uint64_t fid);
const struct rmm_command *rmm_rsi_command_at(size_t i);
/* The output of `cmd` called `name` (NULL if none, or if cmd is NULL). */
const struct rmm_value_desc *rmm_command_output(const struct rmm_command *cmd, const char *name);
/* The output value `v` of `d` as the field shows it: v[bits-1:0]. */
uint64_t rmm_value_field(const struct rmm_value_desc *d, uint64_t v);

/*
 * The failure conditions of every RMI, RSI and PSCI command the RMM implements, in the spec's
 * order (conditions.h holds them; `cca-sim conditions` prints them). A handler names the
 * condition it found; its status and index come from here.
 */
enum rmm_interface { RMM_IFACE_RMI, RMM_IFACE_RSI, RMM_IFACE_PSCI };

/* Where a condition's RMI index comes from. */
enum rmm_condition_index {
	RMM_INDEX_FIXED, /* `index` below (RMI), or none (RSI, PSCI: index 0) */
	RMM_INDEX_WALK,  /* the level at which the RTT walk stopped */
	RMM_INDEX_LEVEL, /* the RTT level the host named */
};

/* The spec revisions that have a condition: a bit per enum rmm_spec. */
#define RMM_SPEC_BIT(s) (1U << (s))

enum rmm_condition_origin {
	RMM_COND_SPEC,        /* the spec lists it */
	RMM_COND_READING,     /* cca-sim's reading: the spec's general rules make the call fail
			       * (docs/spec-decisions.md) */
	RMM_COND_UNREACHABLE, /* the spec lists it, but it cannot hold on cca-sim's platforms
			       * (physical addresses stop below 2^RMM_MAX_PA_BITS) */
	RMM_COND_CONCURRENT,  /* the spec lists it; only a call made while the REC runs on
			       * another PE meets it: the RMM's tests do, a scenario's host
			       * (one PE, one call at a time) cannot */
};

struct rmm_condition {
	const char *id;  /* the spec's ID, e.g. "rd_state" */
	uint64_t status; /* RmiStatusCode, RsiCommandReturnCode or PSCI return code */
	const char *status_name;
	enum rmm_condition_index index_kind;
	unsigned index;     /* RMM_INDEX_FIXED */
	unsigned revisions; /* RMM_SPEC_BIT()s */
	enum rmm_condition_origin origin;
	const char *meaning; /* one sentence */
};

struct rmm_condition_table {
	const char *command; /* "RMI_DATA_CREATE" */
	enum rmm_interface iface;
	const char *section; /* "B4.3.1" */
	const char *order;   /* the spec's ordering of its conditions, "" where it gives none */
	size_t count;
	const struct rmm_condition *conds;
};

/* The i-th table (NULL past the end), the table of a command (exact name, NULL if none), and
 * the row of `id` in `t` (NULL if it has none). */
const struct rmm_condition_table *rmm_condition_table_at(size_t i);
const struct rmm_condition_table *rmm_condition_table_find(const char *command);
const struct rmm_condition *rmm_condition_find(const struct rmm_condition_table *t, const char *id);

/* What the RMM decided when a command succeeded (RMI_PSCI_COMPLETE: which PSCI result the realm
 * receives, and why), the `decision` of the command's rmi event. */
struct rmm_decision {
	const char *id;      /* "on_denied" */
	const char *command; /* "RMI_PSCI_COMPLETE" */
	const char *section; /* "B4.3.7.3" */
	const char *meaning; /* one sentence */
};
/* The i-th decision (NULL past the end); the one called `id` (NULL if none). */
const struct rmm_decision *rmm_decision_at(size_t i);
const struct rmm_decision *rmm_decision_find(const char *id);

/* A trace_explain_fn (ctx unused): for an rmi, rsi or psci event with a `condition` or a
 * `decision`, its meaning from the tables above, "MEANING (SECTION, failure condition ID)". */
const char *rmm_explain_event(void *ctx, const struct trace_event *ev, char *buf, size_t len);

enum rmm_run_status rmm_last_run_status(const struct rmm *r);

/* For a debugger (src/debug), never for the model: the saved context of the REC whose granule
 * is rec_pa (what its next entry loads), read or replaced. -1 when rec_pa holds no REC. */
int rmm_debug_rec_context(struct rmm *r, uint64_t rec_pa, struct cpu_context *out);
int rmm_debug_set_rec_context(struct rmm *r, uint64_t rec_pa, const struct cpu_context *in);
bool rmm_last_run_budget_exhausted(const struct rmm *r);
/* After a run that ended in RMM_RUN_FAULT_LOOP: what the loop is. False otherwise. */
bool rmm_last_fault_loop(const struct rmm *r, struct rmm_fault_loop *out);

/* "1.0-eac2", "1.0-eac3", "1.0-rel0", "2.0" and "spec", "tf-rmm"; parse returns false on an
 * unknown name. */
const char *rmm_spec_name(enum rmm_spec spec);
bool rmm_spec_parse(const char *name, enum rmm_spec *out);
/* Every revision's name, "1.0-eac2, 1.0-eac3, ...", for messages. */
const char *rmm_spec_name_list(void);
const char *rmm_profile_name(enum rmm_profile profile);
bool rmm_profile_parse(const char *name, enum rmm_profile *out);

#endif
