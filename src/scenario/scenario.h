/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario files (docs/scenarios.md): the model a scenario file describes, and its parser.
 *
 * scenario_load() reads one YAML file, validates it completely and returns a model made of
 * plain structs; every invalid input is reported as FILE:LINE:COL (1-based) with a message.
 * Host addresses are not known when a scenario is parsed, so values that name them (`rd`,
 * `rec1 + 8`, `vm2.run0`, ...) are kept as symbols for the host layer to resolve; FIDs and
 * return codes are resolved to numbers here.
 *
 * A whole model is owned by its `struct scenario` and freed at once by scenario_free().
 */
#ifndef CCA_SCENARIO_H
#define CCA_SCENARIO_H

#include "host/host.h"
#include "realm/realm.h"
#include "rmm/rmm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A place in a scenario file; line and col are 1-based, as an editor shows them. */
struct scenario_pos {
	const char *file;
	unsigned line;
	unsigned col;
};

/* ---------------------------------------------------------------------------------------- */
/* Values                                                                                     */

enum scenario_value_kind {
	SCENARIO_VAL_NONE = 0, /* not given (optional argument without default) */
	SCENARIO_VAL_NUMBER,   /* num; true/false are 1/0 */
	SCENARIO_VAL_NAME,     /* name; num too when has_num (FIDs, return codes, exit reasons) */
	SCENARIO_VAL_SYMBOL,   /* sym, realm, index, offset: resolved by the host layer */
	SCENARIO_VAL_LIST,     /* items[count] */
};

enum scenario_symbol {
	SCENARIO_SYM_RD,
	SCENARIO_SYM_REC,  /* host: the REC granule; realm ops: the start of REC index's program */
	SCENARIO_SYM_RUN,  /* the run page of REC index */
	SCENARIO_SYM_DATA, /* the index-th data granule of the realm image */
	SCENARIO_SYM_RTT,  /* a non-root RTT granule of the realm */
	SCENARIO_SYM_DELEGATED,
	SCENARIO_SYM_UNDELEGATED,
	SCENARIO_SYM_OUTSIDE,
	SCENARIO_SYM_AUX,    /* the index-th auxiliary granule of the realm's RECs */
	SCENARIO_SYM_SECURE, /* the first granule of the first Secure-PAS range */
	SCENARIO_SYM_DEVICE, /* the first granule of the first device range */
};

struct scenario_value {
	enum scenario_value_kind kind;
	uint64_t num;
	bool has_num;
	/* NAME: the canonical spelling (full spec name, e.g. "PSCI_DENIED" for `DENIED`) */
	const char *name;
	enum scenario_symbol sym;
	/* SYMBOL: the realm qualifier (`vm2` in `vm2.rec1`) or NULL when unqualified */
	const char *realm;
	/* SYMBOL: index into scenario.realms (0 for an unqualified symbol of a single realm);
	 * -1 for an unqualified delegated/undelegated/outside and for `recN` in a realm op,
	 * which means the op's own realm */
	int realm_index;
	unsigned index; /* SYMBOL: N of recN, runN, dataN */
	int64_t offset; /* SYMBOL: the `+ N` (negative for `- N`) */
	struct scenario_value *items;
	size_t count;
	struct scenario_pos pos;
};

/* ---------------------------------------------------------------------------------------- */
/* Realm programs                                                                             */

#define SCENARIO_NREGS 31

/* A set of general-purpose registers: x[i] is meaningful when bit i of mask is set. x has
 * entries up to the highest register given (NULL while mask is 0), so that ops stay small:
 * programs may have 100,000 ops. */
struct scenario_regs {
	uint32_t mask;
	struct scenario_value *x;
};

/*
 * One op. Only the arguments of its kind are set; an optional argument that was not given
 * has kind SCENARIO_VAL_NONE unless the contract gives it a default (context_id, level: 0).
 */
struct scenario_op {
	enum realm_op_kind kind; /* the ops are realm.h's REALM_OPS */
	const char *name;        /* "psci_cpu_on", ... */
	struct scenario_pos pos;
	struct scenario_value fid; /* psci_features */
	/* psci_cpu_on, psci_affinity_info: a NUMBER, the REC index (`recN` is stored as N), or
	 * the MPIDR when target_is_mpidr */
	struct scenario_value target;
	bool target_is_mpidr;                          /* target was written {mpidr: N} */
	struct scenario_value entry;                   /* psci_cpu_on/suspend: IPA or symbol recN */
	struct scenario_value context_id;              /* psci_cpu_on/suspend */
	struct scenario_value level;                   /* psci_affinity_info */
	struct scenario_value power_state;             /* psci_cpu_suspend */
	struct scenario_value requested;               /* rsi_version (NONE: the profile's) */
	struct scenario_value imm;                     /* rsi_host_call */
	struct scenario_value gprs;                    /* rsi_host_call: LIST or NONE */
	struct scenario_value ipa;                     /* rsi_ipa_state_get, load, store */
	struct scenario_value base, top, ripas, flags; /* rsi_ipa_state_set */
	struct scenario_value value;                   /* store */
	struct scenario_value challenge;               /* rsi_attestation_token_init: LIST */
	struct scenario_value addr, offset, size;      /* rsi_attestation_token_continue */
	struct scenario_regs regs; /* smc: x0..x6; check_regs: the registers to compare */
	bool has_expect;
	struct scenario_regs expect; /* the sibling `expect:` (a bare value is x0) */
};

struct scenario_program {
	const char *name; /* NULL for a REC's inline program */
	struct scenario_op *ops;
	size_t nops;
	struct scenario_pos pos;
};

/* ext: a check of the REC's registers when it reaches symbol `at` of its image (`checks`). */
struct scenario_check_at {
	const char *at;
	struct scenario_regs expect;
	struct scenario_pos pos;
};

struct scenario_rec {
	bool runnable;
	struct scenario_check_at *checks;
	size_t nchecks;
	/* the ops: the REC's inline program or an entry of scenario.programs; never NULL */
	const struct scenario_program *program;
	const char *program_ref; /* the name given as `program: NAME`, or NULL */
	const char *image;       /* `image:` as written, or NULL (then `program` runs) */
	const char *image_path;  /* image resolved against the scenario file's folder */
	const char *entry;       /* `entry:` symbol of the image, or NULL (its ELF entry point) */
	struct scenario_program inline_program;
	struct scenario_pos pos;
};

struct scenario_realm {
	const char *name; /* "realm" for a single `realm:` */
	unsigned ipa_bits;
	struct scenario_pos ipa_bits_pos; /* line 0: not written (the default, 33) */
	struct scenario_rec *recs;
	size_t nrecs;
	struct scenario_pos pos;
};

/* ---------------------------------------------------------------------------------------- */
/* Host                                                                                       */

enum scenario_step_kind {
	SCENARIO_STEP_SETUP,
	SCENARIO_STEP_RMI,
	SCENARIO_STEP_REC_ENTER,
	SCENARIO_STEP_PSCI_COMPLETE,
	SCENARIO_STEP_DELEGATE,
	SCENARIO_STEP_UNDELEGATE,
	SCENARIO_STEP_WRITE,
	SCENARIO_STEP_READ,
	SCENARIO_STEP_PLUG,
	SCENARIO_STEP_UNPLUG,
	SCENARIO_STEP_RUN,
	SCENARIO_STEP_TEARDOWN,
};

/*
 * A generic event pattern: `type: {field: value, ...}`, fields in the order written. Field
 * values: `rec`/`target` are NUMBER REC indexes; `realm` a NAME (a realm's name); statuses,
 * calls, results and reasons NAMEs with num (RMI_EXIT_* for reasons) or NUMBERs; states,
 * worlds, GPIs, `access`, `decision`, `condition` NAMEs without num; booleans NUMBER 1/0;
 * addresses and registers NUMBER, NAME (with num) or SYMBOL; `args`/`gprs` LISTs of those.
 *
 * Op arguments and op expectations are NUMBERs or NAMEs with num, except `entry`, which may
 * be the SYMBOL recN.
 */
struct scenario_field {
	const char *name;
	struct scenario_value value;
};

struct scenario_pattern {
	const char *type; /* "rmi", "rec_exit", ... */
	struct scenario_field *fields;
	size_t nfields;
	struct scenario_pos pos;
};

/* A step's `expect:`. */
struct scenario_step_expect {
	bool present;
	struct scenario_value status; /* RMI status (NAME with num) or NONE */
	struct scenario_value index;  /* NONE or NUMBER */
	/* rec_enter: the expected exit as a "rec_exit" pattern (reason, gprs, esr, ...), or
	 * nfields == 0 */
	struct scenario_pattern exit;
	/* rmi: the expected output values by name ("state", "top", ...), or nfields == 0 */
	struct scenario_pattern outputs;
	struct scenario_pos pos;
};

struct scenario_step {
	enum scenario_step_kind kind;
	const char *name;
	struct scenario_pos pos;
	struct scenario_value cmd;  /* rmi: FID (NAME with num, or NUMBER) */
	struct scenario_value args; /* rmi: LIST */
	/* rec_enter, plug, unplug: a NUMBER REC index or a SYMBOL recN / NAME.recN */
	struct scenario_value rec;
	/* psci_complete: addresses (any host value; NONE target under spec 2.0 when not given) */
	struct scenario_value calling;
	struct scenario_value target;
	struct scenario_value status;     /* psci_complete (NONE: the host's policy) */
	struct scenario_value pa;         /* delegate, undelegate, write, read */
	struct scenario_value value;      /* write: the value; read: the value expected, or NONE */
	struct scenario_value activate;   /* setup: NUMBER 0 to leave the realms NEW, or NONE */
	struct scenario_value inject_sea; /* rec_enter: NUMBER 1 to ask for an SEA, or NONE */
	struct scenario_step_expect expect;
};

enum scenario_host_action {
	SCENARIO_HOST_PLUG,
	SCENARIO_HOST_UNPLUG,
};

struct scenario_host_call {
	struct scenario_value imm;
	enum scenario_host_action action;
	struct scenario_value rec;
	struct scenario_pos pos;
};

struct scenario_answer {
	struct scenario_value call;   /* a PSCI FID */
	struct scenario_value target; /* REC index, or NONE: any */
	struct scenario_value status; /* the PSCI status to complete with */
	struct scenario_pos pos;
};

/* A device the VMM emulates for every realm (ext, docs/scenarios.md "Devices"). */
struct scenario_device {
	enum host_device_kind kind;
	struct scenario_value ipa; /* NONE: the kind's default address in each realm */
	struct scenario_pos pos;
};

/* An interrupt the host injects (ext, docs/scenarios.md "Host"): struct host_inject. */
struct scenario_inject {
	struct scenario_value rec; /* a REC index, checked against every realm */
	uint64_t intid, priority, at;
	struct scenario_pos pos;
};

struct scenario_host {
	struct scenario_device *devices;
	size_t ndevices;
	struct scenario_inject *injects;
	size_t ninjects;
	bool trap_wfi, trap_wfe;        /* ext: every REC entry asks for WFI / WFE to exit */
	bool unprotected_sea;           /* ext: on_unprotected: inject_sea */
	bool plugged_all;               /* no `plugged:` given */
	struct scenario_value *plugged; /* REC indexes (NUMBER), applying to every realm */
	size_t nplugged;
	struct scenario_host_call *on_host_call;
	size_t non_host_call;
	struct scenario_answer *answers;
	size_t nanswers;
	bool teardown;
	bool has_steps; /* explicit mode */
	struct scenario_step *steps;
	size_t nsteps;
};

/* ---------------------------------------------------------------------------------------- */
/* The scenario                                                                               */

#define SCENARIO_MAX_RANGES 8

struct scenario_range {
	uint64_t base, size;
	struct scenario_pos pos; /* where it is written (line 0: from the preset) */
};

/*
 * The platform (docs/scenarios.md "Machine"): memory, the GPT, what the RMM reports and
 * enforces, and the memory map beyond DRAM. `preset` names a platform whose values the
 * other keys then override.
 */
#define SCENARIO_SEED_MAX 63 /* characters of machine.attestation_seed */

struct scenario_machine {
	const char *preset; /* NULL, or a preset's name */
	uint64_t ram;       /* bytes, default 64 MiB */
	unsigned pa_bits;   /* default 40 */
	/* The features the RMM reports (0 / false / none: today's defaults) */
	unsigned vmid_bits;                /* 8 or 16 */
	unsigned breakpoints, watchpoints; /* 2..64 */
	bool lpa2;
	bool pmu;              /* pmu_counters given (not `none`) */
	unsigned pmu_counters; /* 0..31 */
	unsigned sve_vl;       /* bits, 0 = no SVE */
	unsigned rec_aux_count;
	unsigned gic_lrs;             /* 1..16, 0 = 1 */
	const char *attestation_seed; /* NULL: the default seed (docs/attestation.md) */
	bool no_attestation;          /* `attestation: false`: EL3 cannot attest */
	struct scenario_range secure[SCENARIO_MAX_RANGES]; /* Secure PAS, inside RAM */
	size_t nsecure;
	struct scenario_range device[SCENARIO_MAX_RANGES]; /* device memory, outside RAM */
	size_t ndevice;
	/* GPT settings, as struct gpt_config: 0 means the GPT layer's default */
	unsigned gpt_pps_bits;
	unsigned gpt_l0gptsz;
	uint64_t gpt_root_size;
	/* where `machine` and its values are written (line 0: not written) */
	struct scenario_pos pos, preset_pos, ram_pos, pa_bits_pos, gpt_pps_pos, gpt_l0gptsz_pos,
	    gpt_root_size_pos;
};

struct scenario {
	const char *file; /* the path given to scenario_load */
	const char *name;
	struct scenario_pos name_pos; /* where `name`'s value is written */
	const char *description;      /* NULL when absent */
	enum rmm_spec spec;
	enum rmm_profile profile;
	struct scenario_machine machine;
	bool multi_realm; /* written with `realms:` (symbols are then qualified) */
	struct scenario_realm *realms;
	size_t nrealms;
	struct scenario_program *programs;
	size_t nprograms;
	struct scenario_host host;
	struct scenario_pattern *expect;
	size_t nexpect;
	struct scenario_pattern *absent;
	size_t nabsent;
	/* Every `dataN` written: how many granules an image has is known only once the realm is
	 * built, which the runner checks against these before it runs anything. */
	struct scenario_data_ref *data_refs;
	struct scenario_arena *arena; /* owns everything above */
};

struct scenario_data_ref {
	struct scenario_data_ref *next;
	unsigned realm, index;
	struct scenario_pos pos;
};

struct scenario_error {
	char file[512];
	unsigned line; /* 1-based; 0 when the error has no place (e.g. unreadable file) */
	unsigned col;
	char message[512];
};

/* Returns 0 and a model in *out, or -1 with *err filled in (and *out NULL). */
int scenario_load(const char *path, struct scenario **out, struct scenario_error *err);
/* Same, from a buffer; `path` only names the text in positions and messages. */
int scenario_load_string(const char *path, const char *text, size_t len, struct scenario **out,
			 struct scenario_error *err);
void scenario_free(struct scenario *s);

/* "FILE:LINE:COL: error: message" (without a newline). Returns what snprintf returns. */
int scenario_format_error(const struct scenario_error *err, char *buf, size_t len);

/*
 * `cca-sim list [DIR]`: one line per *.yaml file of dir, sorted by file name:
 * "NAME  first line of the description", wrapped to `width` columns under the descriptions'
 * column (0: not wrapped). A file that does not parse is listed with its error.
 * Returns 0, or -1 when dir cannot be read.
 */
int scenario_list(const char *dir, FILE *out, unsigned width);
/* The *.yaml files of dir as "dir/file" paths, sorted by file name: 0, or -1 when dir cannot
 * be read (or memory runs out). Free them with scenario_dir_free. */
int scenario_dir(const char *dir, char ***paths, size_t *count);
void scenario_dir_free(char **paths, size_t n);

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

struct trace;
struct trace_narrator;
struct host;

struct scenario_run_options {
	int spec;                        /* -1: the scenario's, else an enum rmm_spec */
	int profile;                     /* -1: the scenario's, else an enum rmm_profile */
	uint64_t max_insns;              /* instruction budget of the run; 0: 20 million */
	FILE *json;                      /* JSON Lines of the events, or NULL */
	struct trace_narrator *narrator; /* narration (its namer is set by the run), or NULL */
	FILE *insn_trace; /* every executed instruction, Tarmac-like, or NULL (no hook at all) */
	/* Each attestation token a realm fetched whole, as raw CBOR: the first to token_out, the
	 * n-th to token_out.n (--token-out), or NULL. */
	const char *token_out;
	/* A debugger (cca-sim run --gdb), or NULLs: on_machine once the machine is built, before
	 * its first instruction; on_end with the run's exit code, before the machine goes. */
	void (*on_machine)(void *ctx, struct host *h);
	void (*on_end)(void *ctx, int exit_code);
	void *debug_ctx;
	/* A machine kept between runs (src/explore runs one scenario thousands of times), or
	 * NULL: the run builds on *keep when there is one (host_create_on resets it) and leaves
	 * its own machine there; the caller destroys the last with cpu_machine_destroy. */
	struct cpu_machine **keep;
	/* An adversary for the automatic VMM (host_set_chooser; src/explore), or NULL. */
	host_chooser_fn chooser;
	void *chooser_ctx;
};

struct scenario_name {
	uint64_t pa;
	char name[40];
};

/* cca-sim's exit codes, the same for every command (docs/scenarios.md, "Command line"). */
enum cca_exit {
	CCA_EXIT_OK = 0,     /* every expectation held (`token`: verified) */
	CCA_EXIT_EXPECT = 1, /* an expectation failed (`token`: a signature or the binding) */
	CCA_EXIT_INPUT = 2,  /* invalid command line or scenario, or an output not written */
	CCA_EXIT_SYSTEM = 3, /* the emulated system failed unexpectedly */
};

struct scenario_result {
	int exit_code;   /* an enum cca_exit */
	char error[600]; /* exit codes 2 and 3: what went wrong */
	char **failures; /* exit code 1: each failed expectation, FILE:LINE:COL: message */
	size_t nfailures;
	size_t nchecks;              /* expectations evaluated */
	uint64_t insns;              /* instructions executed by the PEs */
	struct trace *trace;         /* every event of the run */
	struct scenario_name *names; /* the scenario names of the granules the host used */
	size_t nnames;
	/* The number of the first event of the automatic VMM's teardown, or 0 (none): where a
	 * run's own host actions end (src/explore turns them into steps). */
	uint64_t teardown_from;
	bool runaway; /* exit code 3 because the instruction budget ran out (a runaway guest) */
};

/* Runs a loaded scenario. Returns 0, or -1 when it cannot be built (exit code 2). */
int scenario_run(const struct scenario *s, const struct scenario_run_options *o,
		 struct scenario_result *res);
void scenario_result_free(struct scenario_result *res);
/* The scenario name of `pa` after a run ("rec1"), or NULL. */
const char *scenario_result_name(const struct scenario_result *res, uint64_t pa);

#endif
