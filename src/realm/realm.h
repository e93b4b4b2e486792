/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/realm: what a realm executes. Builds the realm's protected-memory image from
 *  - programs: lists of ops (docs/scenarios.md, "Ops") compiled to
 *    real AArch64 code by a built-in encoder, one program per REC, and
 *  - user ELF images (`image: FILE.elf`, `entry: SYMBOL`), loaded with libelf.
 * The result is a set of granule-sized pages at IPAs for the host to load with
 * RMI_DATA_CREATE, each REC's entry IPA, and the probe points at which the scenario layer reads
 * an op's results from the live registers (cpu_machine_add_probe).
 *
 * RECs run at R-EL1 with the stage-1 MMU off, so a code address is its IPA.
 *
 * Layout of generated programs (from `base_ipa`, default 0):
 *	REC 0's code, REC 1's code, ... (consecutive, each starting 4-byte aligned)
 *	padding to the next granule
 *	one RsiRealmConfig granule, if any op is rsi_realm_config (shared by all of them)
 *	one token granule, if any rsi_attestation_token_continue op has no addr (shared)
 *	RsiHostCall slots, 256-byte aligned, one per rsi_host_call op in REC then op order
 *	(16 to a granule)
 * When that area would overlap a page of an ELF image, it starts instead at the granule after
 * the highest ELF page. The host should load the granules in IPA order (`dataN` counts them).
 *
 * An op: set X0 (the FID) and then its arguments (X1...), execute its effect (SMC #0, or the
 * LDR/STR of load and store), then continue with the next op. `entry: recN` and the scratch
 * buffers are loaded with ADR (PC-relative: right at any base, since VA = IPA). Its probe point is
 *the address of the instruction right after the effect: when the PE is about to execute it, X0..X3
 *hold the op's results. check_regs executes a NOP and its probe point is that NOP (so it reads the
 *registers as the previous op, or the REC's entry, left them; the previous op's probe point is the
 *same address). After the last op a program calls PSCI_CPU_OFF, then loops on WFI if that returns.
 * Registers used: X0..X8 for SMC arguments; load/store use X16 (address) and X17 (value to
 * store); load writes X0; store and check_regs leave X0..X15 unchanged.
 */
#ifndef CCA_REALM_H
#define CCA_REALM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every op, once: X(name, NAME, fid), the scenario spelling, the enumerator REALM_OP_<NAME>
 * and the FID it passes in X0 (an abi/abi.h name, expanded where it is used; 0 for the ops that
 * execute no SMC of their own). Each layer adds its column by the enumerator's name: the
 * scenario parser's arguments (OP_SPEC_<NAME> in src/scenario/ops.c, a compile error if
 * missing), the compilation to a realm_op (src/scenario/compile.c) and the code
 * (program.c), both switches that -Wswitch keeps complete.
 */
#define REALM_OPS(X)                                                                               \
	X(psci_version, PSCI_VERSION, PSCI_VERSION)                                                \
	X(psci_features, PSCI_FEATURES, PSCI_FEATURES)                                             \
	X(psci_cpu_on, PSCI_CPU_ON, PSCI_CPU_ON)                                                   \
	X(psci_cpu_off, PSCI_CPU_OFF, PSCI_CPU_OFF)                                                \
	X(psci_affinity_info, PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO)                              \
	X(psci_cpu_suspend, PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND)                                    \
	X(psci_system_off, PSCI_SYSTEM_OFF, PSCI_SYSTEM_OFF)                                       \
	X(psci_system_reset, PSCI_SYSTEM_RESET, PSCI_SYSTEM_RESET)                                 \
	X(rsi_version, RSI_VERSION, RSI_VERSION)                                                   \
	X(rsi_realm_config, RSI_REALM_CONFIG, RSI_REALM_CONFIG)                                    \
	X(rsi_host_call, RSI_HOST_CALL, RSI_HOST_CALL)                                             \
	X(rsi_ipa_state_get, RSI_IPA_STATE_GET, RSI_IPA_STATE_GET)                                 \
	X(rsi_ipa_state_set, RSI_IPA_STATE_SET, RSI_IPA_STATE_SET)                                 \
	X(rsi_attestation_token_init, RSI_ATTESTATION_TOKEN_INIT, RSI_ATTESTATION_TOKEN_INIT)      \
	X(rsi_attestation_token_continue, RSI_ATTESTATION_TOKEN_CONTINUE,                          \
	  RSI_ATTESTATION_TOKEN_CONTINUE)                                                          \
	X(smc, SMC, 0)                                                                             \
	X(load, LOAD, 0)                                                                           \
	X(store, STORE, 0)                                                                         \
	X(check_regs, CHECK_REGS, 0)

#define REALM_OP_ENUM_ENTRY(name, NAME, fid) REALM_OP_##NAME,
enum realm_op_kind { REALM_OPS(REALM_OP_ENUM_ENTRY) REALM_OP_COUNT };
#undef REALM_OP_ENUM_ENTRY

/* The scenario spelling of an op ("psci_cpu_on"), or NULL for an unknown kind. */
const char *realm_op_name(enum realm_op_kind kind);

/* A PSCI entry point: the first instruction of REC `rec`'s program (or ELF entry), or an IPA. */
struct realm_entry {
	bool is_rec;
	unsigned rec;
	uint64_t ipa;
};

#define REALM_HOST_CALL_GPRS 31 /* RsiHostCall.gprs[0..30] */

/* One op. Targets are MPIDRs (rec_index_to_mpidr() for a REC index). */
struct realm_op {
	enum realm_op_kind kind;
	union {
		struct {
			uint64_t fid;
		} psci_features;
		struct {
			uint64_t target;
			struct realm_entry entry;
			uint64_t context_id;
		} psci_cpu_on;
		struct {
			uint64_t target;
			uint64_t level;
		} psci_affinity_info;
		struct {
			uint64_t power_state;
			struct realm_entry entry;
			uint64_t context_id;
		} psci_cpu_suspend;
		struct {
			uint64_t requested; /* RSI ABI version, e.g. 0x10000 for 1.0 */
		} rsi_version;
		struct {
			uint16_t imm;
			unsigned ngprs; /* gprs[0..ngprs-1] given, the rest are 0 */
			uint64_t gprs[REALM_HOST_CALL_GPRS];
		} rsi_host_call;
		struct {
			uint64_t ipa; /* X1 = ipa, X2 = ipa + 4 KB */
		} rsi_ipa_state_get;
		struct {
			uint64_t base, top, ripas, flags;
		} rsi_ipa_state_set;
		struct {
			uint64_t challenge[8]; /* X1..X8 */
		} rsi_attestation_token_init;
		struct {
			bool has_addr; /* else X1 is the image's token granule */
			uint64_t addr, offset, size;
		} rsi_attestation_token_continue;
		struct {
			uint64_t x[7];
		} smc;
		struct {
			uint64_t ipa;
		} load;
		struct {
			uint64_t ipa, value;
		} store;
	} u;
};

/* What one REC runs: a program (elf_path NULL) or a symbol of an ELF image. */
struct realm_rec_src {
	const struct realm_op *ops;
	size_t nops;
	const char *elf_path;
	const char *elf_entry;
};

struct realm_params {
	uint64_t base_ipa; /* where generated code starts; a multiple of 4 KB */
	unsigned ipa_bits; /* the realm's IPA width (0: 33); Protected: [0, 2^(ipa_bits - 1)) */
	const struct realm_rec_src *recs;
	size_t nrecs;
};

/* A run of whole granules of the image. */
struct realm_region {
	uint64_t ipa;
	uint64_t size;
	uint8_t *bytes;
};

/*
 * REALM_PROBE_END is the WFI after the closing PSCI_CPU_OFF (op = nops): reached only if
 * CPU_OFF returned, which it must not, and then on every pass around the WFI loop.
 */
enum realm_probe_kind {
	REALM_PROBE_OP,    /* after op `op`'s effect: its results are in X0..X3 */
	REALM_PROBE_CHECK, /* op `op` is check_regs: the NOP it executes */
	REALM_PROBE_END,
};

struct realm_probe {
	uint64_t ipa;
	unsigned rec;
	unsigned op;
	enum realm_probe_kind kind;
};

/* A named function or object of an ELF image, at its IPA (size 0: extends to the next). */
struct realm_symbol {
	uint64_t ipa, size;
	char *name;
};

struct realm_image {
	struct realm_region *regions; /* sorted by IPA, disjoint */
	size_t nregions;
	uint64_t *entry; /* entry[i]: REC i's first instruction */
	size_t nrecs;
	struct realm_probe *probes; /* in REC then op order */
	size_t nprobes;
	uint64_t code_ipa, code_size; /* the generated area (size 0 when there is none) */
	struct realm_symbol *syms;    /* of the ELF images, sorted by IPA */
	size_t nsyms;
};

/*
 * Builds the image. Returns 0, or -1 with a message in err (naming the file for ELF errors,
 * the REC and op for program errors); *img is then empty and need not be freed.
 */
int realm_build(const struct realm_params *p, struct realm_image *img, char *err, size_t errlen);
void realm_image_free(struct realm_image *img);

/* The image bytes at [ipa, ipa + len) when they lie in one region, else NULL. */
const uint8_t *realm_image_at(const struct realm_image *img, uint64_t ipa, size_t len);
/* The symbol holding `ipa` ("main"), with ipa minus its address in *off; NULL when none. */
const char *realm_image_symbol(const struct realm_image *img, uint64_t ipa, uint64_t *off);
/* Number of granules in the image. */
size_t realm_image_granules(const struct realm_image *img);

#endif
