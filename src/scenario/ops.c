/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm programs: lists of ops (docs/scenarios.md, "Ops"). Each op is described by a table
 * row (its arguments, their value kinds and defaults, what its x0 returns) so that adding an op
 * is one row, and every op gets the same checks and messages.
 */
#include "abi/abi.h"
#include "scenario/scenario_private.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct argdef {
	const char *key;
	size_t off; /* of a struct scenario_value in struct scenario_op */
	const struct vspec *spec;
	bool required;
	bool zero_default; /* the contract's default 0 */
};

enum op_args {
	OPA_TABLE,  /* the arguments in `args` */
	OPA_REGS7,  /* smc: x0 ... x6 */
	OPA_REGS31, /* check_regs: x0 ... x30 */
};

struct opdef {
	const char *name;
	enum realm_op_kind kind;
	enum op_args form;
	const struct argdef *args;
	const struct vspec *x0; /* what x0 returns, for `expect:` */
	const struct vspec *x1;
};

#define ARG(k, field, spec, req, zero)                                                             \
	{                                                                                          \
		k, offsetof(struct scenario_op, field), &(spec), req, zero                         \
	}
#define END_ARGS                                                                                   \
	{                                                                                          \
		NULL, 0, NULL, false, false                                                        \
	}

static const struct argdef no_args[] = {END_ARGS};
static const struct argdef features_args[] = {ARG("fid", fid, V_PSCI_FID, true, false), END_ARGS};
/* `target` is parsed by parse_target: a REC index or {mpidr: N} */
static const struct argdef cpu_on_args[] = {
    ARG("target", target, V_INT, true, false),
    ARG("entry", entry, V_ENTRY, true, false),
    ARG("context_id", context_id, V_VAL, false, true),
    END_ARGS,
};
static const struct argdef affinity_args[] = {
    ARG("target", target, V_INT, true, false),
    ARG("level", level, V_INT, false, true),
    END_ARGS,
};
static const struct argdef suspend_args[] = {
    ARG("power_state", power_state, V_VAL, false, true),
    ARG("entry", entry, V_ENTRY, false, false),
    ARG("context_id", context_id, V_VAL, false, true),
    END_ARGS,
};
static const struct argdef rsi_version_args[] = {ARG("requested", requested, V_VAL, false, false),
						 END_ARGS};
static const struct argdef host_call_args[] = {
    ARG("imm", imm, V_VAL, true, false),
    ARG("gprs", gprs, V_VALLIST, false, false),
    END_ARGS,
};
static const struct argdef ipa_args[] = {ARG("ipa", ipa, V_VAL, true, false), END_ARGS};
static const struct argdef ipa_set_args[] = {
    ARG("base", base, V_VAL, true, false),
    ARG("top", top, V_VAL, true, false),
    ARG("ripas", ripas, V_RIPAS, true, false),
    ARG("flags", flags, V_VAL, false, true),
    END_ARGS,
};
static const struct argdef token_init_args[] = {
    ARG("challenge", challenge, V_VALLIST, false, false),
    END_ARGS,
};
static const struct argdef token_continue_args[] = {
    ARG("addr", addr, V_VAL, false, false),
    ARG("offset", offset, V_VAL, false, true),
    ARG("size", size, V_VAL, true, false),
    END_ARGS,
};
static const struct argdef store_args[] = {
    ARG("ipa", ipa, V_VAL, true, false),
    ARG("value", value, V_VAL, true, false),
    END_ARGS,
};

/* Each op's column of REALM_OPS: its arguments' form and table, what x0 and x1 return. */
#define OP_SPEC_PSCI_VERSION                   OPA_TABLE, no_args, &V_VAL, NULL
#define OP_SPEC_PSCI_FEATURES                  OPA_TABLE, features_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_CPU_ON                    OPA_TABLE, cpu_on_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_CPU_OFF                   OPA_TABLE, no_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_AFFINITY_INFO             OPA_TABLE, affinity_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_CPU_SUSPEND               OPA_TABLE, suspend_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_SYSTEM_OFF                OPA_TABLE, no_args, &V_PSCI_RET, NULL
#define OP_SPEC_PSCI_SYSTEM_RESET              OPA_TABLE, no_args, &V_PSCI_RET, NULL
#define OP_SPEC_RSI_VERSION                    OPA_TABLE, rsi_version_args, &V_RSI_RET, NULL
#define OP_SPEC_RSI_REALM_CONFIG               OPA_TABLE, no_args, &V_RSI_RET, NULL
#define OP_SPEC_RSI_HOST_CALL                  OPA_TABLE, host_call_args, &V_RSI_RET, NULL
#define OP_SPEC_RSI_IPA_STATE_GET              OPA_TABLE, ipa_args, &V_RSI_RET, &V_RIPAS
#define OP_SPEC_RSI_IPA_STATE_SET              OPA_TABLE, ipa_set_args, &V_RSI_RET, NULL
#define OP_SPEC_RSI_ATTESTATION_TOKEN_INIT     OPA_TABLE, token_init_args, &V_RSI_RET, NULL
#define OP_SPEC_RSI_ATTESTATION_TOKEN_CONTINUE OPA_TABLE, token_continue_args, &V_RSI_RET, NULL
#define OP_SPEC_SMC                            OPA_REGS7, NULL, &V_VAL, NULL
#define OP_SPEC_LOAD                           OPA_TABLE, ipa_args, &V_VAL, NULL
#define OP_SPEC_STORE                          OPA_TABLE, store_args, &V_VAL, NULL
#define OP_SPEC_CHECK_REGS                     OPA_REGS31, NULL, &V_VAL, NULL

#define OP_ROW(name, NAME, fid) {#name, REALM_OP_##NAME, OP_SPEC_##NAME},
static const struct opdef ops[] = {REALM_OPS(OP_ROW)};

static const char *const reg_keys[] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", NULL,
};
static const char *const smc_keys[] = {"x0", "x1", "x2", "x3", "x4", "x5", "x6", NULL};

/* x0 ... xN of a map into regs; x0 and x1 may have their own value kinds. */
/* Register i of `regs`, to be parsed: the first allocates the set, with registers up to
 * `highest` (every later one must be at most that). */
static struct scenario_value *reg_slot(struct ctx *c, struct scenario_regs *regs, unsigned i,
				       unsigned highest)
{
	if (!regs->x) {
		regs->x = arena_array(c->arena, highest + 1, sizeof(*regs->x));
		if (!regs->x) {
			fail_oom(c);
			return NULL;
		}
	}
	regs->mask |= 1u << i;
	return &regs->x[i];
}

static bool parse_regs(struct ctx *c, const struct ynode *n, const char *what,
		       const char *const keys[], const struct vspec *x0, const struct vspec *x1,
		       struct scenario_regs *regs)
{
	struct kv kv[SCENARIO_NREGS + 1];
	unsigned highest = 0;

	if (!map_fields(c, n, what, keys, kv)) {
		return false;
	}
	for (unsigned i = 0; keys[i]; i++) {
		highest = kv[i].val ? i : highest;
	}
	for (unsigned i = 0; keys[i]; i++) {
		const struct vspec *spec = i == 0 ? x0 : (i == 1 && x1) ? x1 : &V_VAL;
		if (!kv[i].val) {
			continue;
		}
		struct scenario_value *x = reg_slot(c, regs, i, highest);
		if (!x || !parse_value(c, kv[i].val, keys[i], spec, x)) {
			return false;
		}
	}
	return true;
}

static bool parse_target(struct ctx *c, const struct ynode *n, struct scenario_op *op)
{
	static const char *const keys[] = {"mpidr", NULL};
	struct kv kv[1];

	if (n->kind != YN_MAP) {
		/* `recN` is accepted as another spelling of the index N */
		if (!parse_value(c, n, "target", &V_ENTRY, &op->target)) {
			return false;
		}
		if (op->target.kind == SCENARIO_VAL_SYMBOL) {
			if (op->target.offset) {
				return fail(c, n, "`target` is a REC index or recN, found `%s`",
					    n->text);
			}
			set_number(&op->target, op->target.index, op->target.pos);
		}
		return true;
	}
	if (!map_fields(c, n, "`target`", keys, kv) ||
	    !need_key(c, n, &kv[0], "mpidr", "`target`")) {
		return false;
	}
	op->target_is_mpidr = true;
	return parse_value(c, kv[0].val, "mpidr", &V_VAL, &op->target);
}

static bool parse_args(struct ctx *c, const struct ynode *n, const struct opdef *d,
		       struct scenario_op *op)
{
	char what[64];
	struct kv kv[8];
	size_t i;

	snprintf(what, sizeof(what), "op %s", d->name);
	if (d->form == OPA_REGS7) {
		if (!parse_regs(c, n, what, smc_keys, &V_VAL, NULL, &op->regs)) {
			return false;
		}
		return (op->regs.mask & 1) ? true
					   : fail(c, n, "missing required key `x0` in %s", what);
	}
	if (d->form == OPA_REGS31) {
		if (!parse_regs(c, n, what, reg_keys, &V_VAL, NULL, &op->regs)) {
			return false;
		}
		return op->regs.mask ? true
				     : fail(c, n,
					    "check_regs needs at least one register, e.g. "
					    "{x0: 0x1234}");
	}
	const char *keys[8];
	for (i = 0; d->args[i].key; i++) {
		keys[i] = d->args[i].key;
	}
	keys[i] = NULL;
	if (!map_fields(c, n, what, keys, kv)) {
		return false;
	}
	for (i = 0; d->args[i].key; i++) {
		const struct argdef *a = &d->args[i];
		struct scenario_value *v = (struct scenario_value *)((char *)op + a->off);
		if (!kv[i].val) {
			if (a->required) {
				return need_key(c, n, &kv[i], a->key, what);
			}
			if (a->zero_default) {
				set_number(v, 0, pos_of(c, n));
			}
			continue;
		}
		bool ok = !strcmp(a->key, "target") ? parse_target(c, kv[i].val, op)
						    : parse_value(c, kv[i].val, a->key, a->spec, v);
		if (!ok) {
			return false;
		}
	}
	if (op->gprs.count > SCENARIO_NREGS - 1) {
		struct ynode at = {.line = op->gprs.pos.line, .col = op->gprs.pos.col};
		return fail(c, &at, "`gprs` lists %zu registers, more than %d", op->gprs.count,
			    SCENARIO_NREGS - 1);
	}
	return true;
}

bool parse_reg_expect(struct ctx *c, const struct ynode *n, const char *what,
		      struct scenario_regs *regs)
{
	if (n->kind != YN_MAP) {
		return fail(c, n, "%s must be a map such as {x0: ..., x1: ...}, found %s", what,
			    node_kind_name(n));
	}
	return parse_regs(c, n, what, reg_keys, &V_VAL, &V_VAL, regs);
}

static bool parse_op_expect(struct ctx *c, const struct ynode *n, const struct opdef *d,
			    struct scenario_op *op)
{
	char what[64];

	snprintf(what, sizeof(what), "`expect` of op %s", d->name);
	if (d->kind == REALM_OP_CHECK_REGS) {
		return fail(c, n, "check_regs takes its registers as arguments, not `expect`");
	}
	op->has_expect = true;
	if (n->kind == YN_SCALAR) {
		struct scenario_value *x0 = reg_slot(c, &op->expect, 0, 0);
		return x0 && parse_value(c, n, "expect", d->x0, x0);
	}
	if (n->kind != YN_MAP) {
		return fail(c, n,
			    "%s must be a value or a map such as {x0: ..., x1: ...}, found %s",
			    what, node_kind_name(n));
	}
	return parse_regs(c, n, what, reg_keys, d->x0, d->x1, &op->expect);
}

/* `- op: {args}` with an optional sibling `expect:`; a bare `- op` is an op without arguments */
static bool parse_op(struct ctx *c, const struct ynode *item, struct scenario_op *op)
{
	static const struct list_kind op_list = {NAME_TABLE_INIT(ops), "op", "psci_cpu_off: {}"};
	struct list_item li;
	const struct opdef *d = parse_list_item(c, item, &op_list, &li);
	const struct ynode *key = li.key, *args = li.args, *expect = li.expect;
	if (!d) {
		return false;
	}
	op->kind = d->kind;
	op->name = d->name;
	op->pos = pos_of(c, key);
	if (!args) {
		/* `- psci_cpu_off` or `- psci_cpu_off:`: no arguments, errors point at the op */
		struct ynode none = {
		    .kind = YN_SCALAR, .text = "", .line = key->line, .col = key->col};
		return parse_args(c, &none, d, op) &&
		       (!expect || parse_op_expect(c, expect, d, op));
	}
	if (!parse_args(c, args, d, op)) {
		return false;
	}
	/* The challenge is 64 bytes: X1..X8 [S:B5.3.2.1.1]. */
	if (op->kind == REALM_OP_RSI_ATTESTATION_TOKEN_INIT &&
	    op->challenge.kind == SCENARIO_VAL_LIST && op->challenge.count > 8) {
		fail(c, args, "challenge: at most 8 doublewords (64 bytes), %zu given",
		     op->challenge.count);
		return false;
	}
	return !expect || parse_op_expect(c, expect, d, op);
}

bool parse_program(struct ctx *c, const struct ynode *n, struct scenario_program *prog)
{
	size_t i = 0;

	prog->pos = pos_of(c, n);
	if (!need_kind(c, n, YN_SEQ, "a program")) {
		return false;
	}
	prog->nops = n->kind == YN_SEQ ? n->n : 0;
	prog->ops = arena_array(c->arena, prog->nops, sizeof(*prog->ops));
	if (prog->nops && !prog->ops) {
		return fail_oom(c);
	}
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e; e = e->next, i++) {
		if (!parse_op(c, e, &prog->ops[i])) {
			return false;
		}
	}
	return true;
}
