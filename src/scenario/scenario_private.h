/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/scenario: the YAML node tree, the parse context and the value parsers. */
#ifndef CCA_SCENARIO_SCENARIO_PRIVATE_H
#define CCA_SCENARIO_SCENARIO_PRIVATE_H

#include "scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper nesting than any scenario needs is refused, so that junk cannot exhaust the stack. */
#define SCN_MAX_DEPTH 64

/* ---- arena: every allocation of one model (or one tree) is freed at once ---- */
struct scenario_arena;
struct scenario_arena *arena_create(void);
void arena_destroy(struct scenario_arena *a);
/* Zeroed memory; NULL when out of memory or when size overflows. */
void *arena_alloc(struct scenario_arena *a, size_t size);
void *arena_array(struct scenario_arena *a, size_t n, size_t size);
char *arena_strndup(struct scenario_arena *a, const char *s, size_t n);
char *arena_strdup(struct scenario_arena *a, const char *s);

/* ---- the YAML document as a tree with positions ---- */
enum ynode_kind {
	YN_SCALAR,
	YN_MAP, /* children alternate key, value */
	YN_SEQ,
};

struct ynode {
	enum ynode_kind kind;
	unsigned line, col; /* 1-based */
	const char *text;   /* scalar, NUL-terminated */
	bool quoted;        /* scalar written with quotes or as a block */
	struct ynode *child, *last, *next;
	size_t n; /* children */
};

/* ---- the context of one load ---- */
struct ctx {
	const char *file;
	struct scenario_error *err;
	bool failed;
	struct scenario_arena *arena; /* the model's */
	struct scenario *s;           /* the model being built */
	size_t max_recs;              /* most RECs of any realm (0 until realms are parsed) */
};

/* Records the first error only; always returns false so callers can `return fail(...)`. */
bool fail(struct ctx *c, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool fail_oom(struct ctx *c);
struct scenario_pos pos_of(const struct ctx *c, const struct ynode *n);
const char *node_kind_name(const struct ynode *n);
bool node_is_null(const struct ynode *n);

/* Builds the tree of `text` in `tree`; *root is NULL for a file without a document. */
bool ytree_load(struct ctx *c, struct scenario_arena *tree, const char *text, size_t len,
		struct ynode **root);

/*
 * Walks the map n. Every key must be a scalar listed in keys (NULL-terminated) and appear once;
 * out[i] receives keys[i]'s key and value nodes (NULLs when absent). `what` names the map in
 * messages ("realm", "op psci_cpu_on").
 */
struct kv {
	const struct ynode *key;
	const struct ynode *val;
};
bool map_fields(struct ctx *c, const struct ynode *n, const char *what, const char *const keys[],
		struct kv out[]);
bool need_kind(struct ctx *c, const struct ynode *n, enum ynode_kind kind, const char *what);
bool need_key(struct ctx *c, const struct ynode *map, const struct kv *kv, const char *key,
	      const char *what);
/* A word: [a-z0-9_-]+ */
bool is_name_word(const char *s);

/*
 * The op, step and event tables are arrays of structs whose first member is the name. These
 * find an entry by name, and report an unknown one with every name the table knows.
 */
struct name_table {
	const void *rows;
	size_t n, stride;
};
/* A table's rows for an initializer, and as a value. */
#define NAME_TABLE_INIT(table)                                                                     \
	{                                                                                          \
		(table), sizeof(table) / sizeof((table)[0]), sizeof((table)[0])                    \
	}
#define NAME_TABLE(table) ((struct name_table)NAME_TABLE_INIT(table))
const void *table_find(struct name_table t, const char *name);
bool table_unknown(struct ctx *c, const struct ynode *k, const char *what, struct name_table t);

/* The kind of a list's items: its table, "op" or "step", an item shown when the shape is
 * wrong. */
struct list_kind {
	struct name_table table;
	const char *what;
	const char *example;
};

/* The parts of one list item: the NAME node, its value (NULL when absent or null) and the
 * `expect` value (or NULL). */
struct list_item {
	const struct ynode *key, *args, *expect;
};

/*
 * One item of an op or step list: `- NAME: {args}` with an optional sibling `expect:`, or a
 * bare `- NAME`; NAME must be in the kind's table. Returns NAME's table entry and fills `out`;
 * returns NULL after reporting an error.
 */
const void *parse_list_item(struct ctx *c, const struct ynode *item, const struct list_kind *kind,
			    struct list_item *out);

/* ---- values ---- */
enum vflag {
	VF_NUM = 1u << 0,    /* numbers */
	VF_FULL = 1u << 1,   /* full FID and return-code names of every kind */
	VF_SYM = 1u << 2,    /* host symbols: rd, recN, ..., NAME.recN, + N */
	VF_LIST = 1u << 3,   /* a list of values of this spec (without VF_LIST) */
	VF_BOOL = 1u << 4,   /* true / false as 1 / 0 */
	VF_WORD = 1u << 5,   /* any word [A-Za-z0-9_-]+ kept as a name */
	VF_RECSYM = 1u << 6, /* recN / NAME.recN only */
	VF_ENTRY = 1u << 7,  /* realm-local recN (+ N): the start of REC N's program */
	VF_RECIDX = 1u << 8, /* a number is a REC index: range-checked */
	VF_REALM = 1u << 9,  /* the name of one of the scenario's realms */
	VF_TEXT = 1u << 10,  /* any text, kept as a name */
	VF_HEX = 1u << 11,   /* bytes written in hex (0x optional), kept as lower-case hex */
};

struct vspec {
	unsigned flags;
	int abi_kind;             /* enum abi_kind whose names (and short names) apply, or -1 */
	const char *prefix;       /* short-name prefix for abi_kind, or NULL */
	const char *const *words; /* other words this field accepts (NULL-terminated) */
	const char *what;         /* "a PSCI return code", for messages */
};

extern const struct vspec V_RTT_STATE, V_RSI_RESPONSE;
extern const struct vspec V_INT, V_VAL, V_VALLIST, V_HOSTVAL, V_HOSTLIST, V_REC, V_REC_INDEX,
    V_PSCI_RET, V_RSI_RET, V_RMI_STATUS, V_PSCI_FID, V_RSI_FID, V_RMI_FID, V_FID, V_EXIT, V_RIPAS,
    V_ENTRY, V_BOOL, V_WORLD, V_GPI, V_ACCESS, V_REALM_STATE, V_WORD, V_TEXT, V_REALM_NAME,
    V_PENDING, V_DIGEST;

/* Parses the value of `key` (named in messages) as `spec` allows. */
bool parse_value(struct ctx *c, const struct ynode *n, const char *key, const struct vspec *spec,
		 struct scenario_value *out);
/* Digits only, in base 10 or 16, without overflow. */
bool parse_digits(const char *s, unsigned base, uint64_t *out);
/* Decimal, 0x hex, or negative decimal (two's complement); false when not a number. */
bool parse_number_text(const char *s, uint64_t *out);
/* 1: a symbol was parsed into out; 0: the text is not written as a symbol; -1: error. */
int parse_symbol(struct ctx *c, const struct ynode *n, const char *key, const struct vspec *spec,
		 struct scenario_value *out);
/* The index of the realm called name, or -1. */
int find_realm(const struct ctx *c, const char *name);
/* Copies s[0..len) without its leading and trailing blanks, truncated to cap - 1. */
void trim_copy(char *dst, size_t cap, const char *s, size_t len);
/* An unsigned number in [min, max], for settings such as ipa_bits. */
bool parse_uint(struct ctx *c, const struct ynode *n, const char *what, uint64_t min, uint64_t max,
		uint64_t *out);
/* A size: a number with an optional K, M, G or T suffix (powers of 1024). */
bool parse_size(struct ctx *c, const struct ynode *n, const char *what, uint64_t *out);
bool parse_bool(struct ctx *c, const struct ynode *n, const char *what, bool *out);
/* {x0: V, ...}: registers to compare (ops.c). */
bool parse_reg_expect(struct ctx *c, const struct ynode *n, const char *what,
		      struct scenario_regs *regs);
bool parse_string(struct ctx *c, const struct ynode *n, const char *what, const char **out);
void set_number(struct scenario_value *v, uint64_t num, struct scenario_pos pos);

/* ---- the platform keys of `machine` (parse_machine.c), in parse_platform's order ---- */
#define MACHINE_PLATFORM_KEYS                                                                      \
	"preset", "vmid_bits", "breakpoints", "watchpoints", "lpa2", "pmu_counters", "sve_vl",     \
	    "rec_aux_count", "gic_lrs", "secure", "device"
#define MACHINE_PLATFORM_NKEYS 11
/* kv: the values of MACHINE_PLATFORM_KEYS; a preset first, then the keys that override it. */
bool parse_platform(struct ctx *c, const struct kv kv[MACHINE_PLATFORM_NKEYS],
		    struct scenario_machine *m);

/* ---- the parts of the model ---- */
bool parse_program(struct ctx *c, const struct ynode *n, struct scenario_program *prog);
bool parse_host(struct ctx *c, const struct ynode *n, struct scenario_host *host);
bool parse_patterns(struct ctx *c, const struct ynode *n, const char *what,
		    struct scenario_pattern **out, size_t *count);
/* The values a pattern or expectation may give an RMI/RSI output value. */
struct rmm_value_desc;
const struct vspec *output_vspec(const struct rmm_value_desc *d);
bool parse_document(struct ctx *c, const struct ynode *root);
/* Checks that cross parts of the model: REC indexes of ops against the realm running them. */
bool validate_scenario(struct ctx *c);
/* The machine a scenario describes, as the host boots it: RAM, PA size and GPT, the RMM's
 * features and aux count, EL3's Secure and device ranges (parse_machine.c). validate.c checks it
 * when the file is read, the runner boots it. */
struct host_config;
void scenario_machine_config(const struct scenario_machine *m, struct host_config *hc);

#endif
