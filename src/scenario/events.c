/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event patterns for `expect` and `absent` (docs/scenarios.md, "Events"). A pattern is kept
 * generically (type, then field -> value) because the matcher compares it with the generic
 * events of src/trace; the table here only decides which types and fields exist and what
 * each field's values may be, so that a typo is an error instead of a pattern that never
 * matches (or, in `absent`, always holds).
 */
#include "abi/abi.h"
#include "rmm/rmm.h"
#include "scenario/scenario_private.h"

#include <stdio.h>
#include <string.h>

#define MAX_EVENT_FIELDS 16 /* fixed fields of a type */
#define MAX_PATTERN_KEYS 40 /* with the output values of every command (rmi, rsi) */

struct fielddef {
	const char *name;
	const struct vspec *spec;
};

struct eventdef {
	const char *type;
	struct fielddef fields[MAX_EVENT_FIELDS]; /* ends at a NULL name */
};

/* `seq` is on every event; `realm` on every event about a REC or a realm */
#define SEQ                                                                                        \
	{                                                                                          \
		"seq", &V_INT                                                                      \
	}
#define REALM                                                                                      \
	{                                                                                          \
		"realm", &V_REALM_NAME                                                             \
	}
#define REC                                                                                        \
	{                                                                                          \
		"rec", &V_REC_INDEX                                                                \
	}

/* One row per trace.h event type, at its TE_ index. */
#define EVENT(name, ...) [TE_##name] = {#name, __VA_ARGS__}
static const struct eventdef events[] = {
    EVENT(world_switch, {{"from", &V_WORLD}, {"to", &V_WORLD}, SEQ}),
    EVENT(smc, {{"world", &V_WORLD}, {"el", &V_INT}, {"fid", &V_FID}, {"args", &V_HOSTLIST}, SEQ}),
    EVENT(rmi, {{"cmd", &V_RMI_FID},
		{"fid", &V_FID},
		{"args", &V_HOSTLIST},
		{"status", &V_RMI_STATUS},
		{"index", &V_INT},
		{"condition", &V_WORD},
		{"decision", &V_WORD},
		{"granules", &V_TEXT},
		REALM,
		SEQ}),
    EVENT(rec_enter, {REC, {"status", &V_RMI_STATUS}, REALM, SEQ}),
    EVENT(rec_exit, {REC,
		     {"reason", &V_EXIT},
		     {"gprs", &V_HOSTLIST},
		     {"esr", &V_VAL},
		     {"far", &V_HOSTVAL},
		     {"hpfar", &V_HOSTVAL},
		     {"imm", &V_VAL},
		     {"cntv_ctl", &V_VAL},
		     {"cntv_cval", &V_VAL},
		     {"cntp_ctl", &V_VAL},
		     {"cntp_cval", &V_VAL},
		     {"pc", &V_VAL},
		     {"symbol", &V_TEXT},
		     REALM,
		     SEQ}),
    /* extension: `condition`, the spec ID of the failure condition the RMM answered with */
    EVENT(psci, {REC,
		 {"call", &V_PSCI_FID},
		 {"args", &V_HOSTLIST},
		 {"result", &V_PSCI_RET},
		 {"condition", &V_WORD},
		 REALM,
		 SEQ}),
    EVENT(rsi, {REC,
		{"call", &V_RSI_FID},
		{"args", &V_HOSTLIST},
		{"result", &V_RSI_RET},
		{"condition", &V_WORD},
		REALM,
		SEQ}),
    EVENT(rec_state, {REC, {"runnable", &V_BOOL}, {"pending", &V_PENDING}, REALM, SEQ}),
    EVENT(realm_state, {REALM, {"state", &V_REALM_STATE}, SEQ}),
    /* extension: `scrubbed`, on a transition to NS, whether the granule is all zero then */
    EVENT(gpt, {{"pa", &V_HOSTVAL}, {"from", &V_GPI}, {"to", &V_GPI}, {"scrubbed", &V_BOOL}, SEQ}),
    EVENT(gpf, {{"world", &V_WORLD},
		{"el", &V_INT},
		{"pa", &V_HOSTVAL},
		{"access", &V_ACCESS},
		{"pas", &V_GPI},
		{"gpi", &V_GPI}, /* extension: the GPI found, and the GPT level that holds it */
		{"level", &V_INT},
		SEQ}),
    /* extension: a load or store of the host's (NS-EL2) that completed: nothing the GPT
     * gives another PAS may be one (src/explore checks it) */
    EVENT(access, {{"world", &V_WORLD}, {"pa", &V_HOSTVAL}, {"access", &V_ACCESS}, SEQ}),
    EVENT(host,
	  {{"decision", &V_WORD}, REC, {"target", &V_REC_INDEX}, {"intid", &V_INT}, REALM, SEQ}),
    /* extension: a line the realm wrote to an emulated UART, and its write to the exit device */
    EVENT(console, {REC, {"text", &V_TEXT}, REALM, SEQ}),
    EVENT(guest_exit, {REC, {"status", &V_VAL}, REALM, SEQ}),
    /* extension: the realm takes a virtual IRQ (its INTID), at its IRQ vector */
    EVENT(interrupt, {REC, {"intid", &V_INT}, {"vector", &V_VAL}, REALM, SEQ}),
    /* extension: the outcome of an op's `expect` or a check_regs, as the runner reports it */
    EVENT(check, {REC, {"op", &V_INT}, {"what", &V_TEXT}, {"ok", &V_BOOL}, REALM, SEQ}),
    /* extension: a REC has received its whole attestation token; its claims, decoded */
    EVENT(token, {REC,
		  {"size", &V_INT},
		  {"challenge", &V_VALLIST},
		  {"hash_algo", &V_WORD},
		  {"rim", &V_DIGEST},
		  {"rem0", &V_DIGEST},
		  {"rem1", &V_DIGEST},
		  {"rem2", &V_DIGEST},
		  {"rem3", &V_DIGEST},
		  {"rpv", &V_DIGEST},
		  {"rak_hash", &V_DIGEST},
		  {"error", &V_TEXT},
		  REALM,
		  SEQ}),
};
_Static_assert(sizeof(events) / sizeof(events[0]) == TE_COUNT, "a row per event type");

/* The command table whose output values an event type carries (rmi, rsi), or NULL. */
static const struct rmm_command *(*outputs_of(const char *type))(size_t)
{
	if (!strcmp(type, "rmi")) {
		return rmm_rmi_command_at;
	}
	return !strcmp(type, "rsi") ? rmm_rsi_command_at : NULL;
}

const struct vspec *output_vspec(const struct rmm_value_desc *d)
{
	switch (d->kind) {
	case RMM_VALUE_UINT:
		return &V_INT;
	case RMM_VALUE_ENUM:
		return d->names == ABI_RTT_STATE      ? &V_RTT_STATE
		       : d->names == ABI_RSI_RESPONSE ? &V_RSI_RESPONSE
						      : &V_RIPAS;
	case RMM_VALUE_ADDR:
	case RMM_VALUE_BITS:
		break;
	}
	return &V_HOSTVAL;
}

/* Adds to keys/specs every output value name of the table `at` once; returns the count. */
static size_t add_output_keys(const struct rmm_command *(*at)(size_t), const char **keys,
			      const struct vspec **specs, size_t nkeys)
{
	const struct rmm_command *cmd;
	for (size_t i = 0; at && (cmd = at(i)) != NULL; i++) {
		for (unsigned o = 0; o < cmd->nout; o++) {
			size_t k = 0;
			while (k < nkeys && strcmp(keys[k], cmd->out[o].name) != 0) {
				k++;
			}
			if (k == nkeys && nkeys < MAX_PATTERN_KEYS) {
				keys[nkeys] = cmd->out[o].name;
				specs[nkeys++] = output_vspec(&cmd->out[o]);
			}
		}
	}
	return nkeys;
}

/* An output value named in a pattern that also names the command must be one of its. */
static bool check_outputs_of_cmd(struct ctx *c, const struct scenario_pattern *p, size_t nfixed,
				 const char *const *keys)
{
	const char *cmd_key = !strcmp(p->type, "rmi") ? "cmd" : "call";
	const struct scenario_value *cmd = NULL;
	for (size_t i = 0; i < p->nfields; i++) {
		cmd = !strcmp(p->fields[i].name, cmd_key) ? &p->fields[i].value : cmd;
	}
	if (!cmd || !cmd->has_num) {
		return true;
	}
	const struct rmm_command *d =
	    !strcmp(p->type, "rmi") ? rmm_rmi_command(cmd->num) : rmm_rsi_command(cmd->num);
	for (size_t i = 0; i < p->nfields; i++) {
		const char *name = p->fields[i].name;
		bool fixed = false;
		for (size_t k = 0; k < nfixed; k++) {
			fixed = fixed || !strcmp(keys[k], name);
		}
		if (!fixed && !rmm_command_output(d, name)) {
			struct ynode at = {.line = p->fields[i].value.pos.line,
					   .col = p->fields[i].value.pos.col};
			return fail(c, &at, "`%s` is not an output value of %s", name,
				    cmd->name ? cmd->name : "that command");
		}
	}
	return true;
}

static bool parse_pattern_fields(struct ctx *c, const struct ynode *n, const char *type,
				 struct scenario_pattern *p, const char *what)
{
	const struct eventdef *d = table_find(NAME_TABLE(events), type);
	const char *keys[MAX_PATTERN_KEYS + 1] = {0};
	const struct vspec *specs[MAX_PATTERN_KEYS] = {0};
	struct kv kv[MAX_PATTERN_KEYS];
	size_t nkeys = 0, nfixed;

	for (; nkeys < MAX_EVENT_FIELDS && d->fields[nkeys].name; nkeys++) {
		keys[nkeys] = d->fields[nkeys].name;
		specs[nkeys] = d->fields[nkeys].spec;
	}
	nfixed = nkeys;
	/* rmi and rsi events carry their command's output values by name (the RMM's tables) */
	nkeys = add_output_keys(outputs_of(type), keys, specs, nkeys);
	keys[nkeys] = NULL;
	p->type = d->type;
	if (!map_fields(c, n, what, keys, kv)) {
		return false;
	}
	p->fields = arena_array(c->arena, nkeys, sizeof(*p->fields));
	if (!p->fields) {
		return fail_oom(c);
	}
	/* fields in the order they are written, as a reader of the file expects them */
	for (const struct ynode *k = n->kind == YN_MAP ? n->child : NULL; k && k->next;
	     k = k->next->next) {
		size_t i = 0;
		while (i < nkeys && kv[i].key != k) {
			i++;
		}
		if (i == nkeys) { /* cannot happen: map_fields knew every key */
			continue;
		}
		struct scenario_field *f = &p->fields[p->nfields++];
		f->name = keys[i];
		if (!parse_value(c, k->next, f->name, specs[i], &f->value)) {
			return false;
		}
	}
	return nkeys == nfixed || check_outputs_of_cmd(c, p, nfixed, keys);
}

static bool parse_pattern(struct ctx *c, const struct ynode *item, struct scenario_pattern *p)
{
	const struct ynode *key = item;
	char what[64];

	p->pos = pos_of(c, item);
	if (item->kind == YN_SEQ || node_is_null(item) || (item->kind == YN_MAP && item->n != 2)) {
		return fail(c, item,
			    "an event pattern must be a one-key map such as `rmi: {status: "
			    "RMI_SUCCESS}`, found %s",
			    item->kind != YN_MAP ? node_kind_name(item)
			    : item->n            ? "a map with several keys"
						 : "an empty map");
	}
	if (item->kind == YN_MAP) {
		key = item->child;
		if (key->kind != YN_SCALAR) {
			return fail(c, key, "an event type must be a name, found %s",
				    node_kind_name(key));
		}
	}
	if (!table_find(NAME_TABLE(events), key->text)) {
		return table_unknown(c, key, "event type", NAME_TABLE(events));
	}
	snprintf(what, sizeof(what), "event `%s`", key->text);
	struct ynode none = {.kind = YN_SCALAR, .text = "", .line = key->line, .col = key->col};
	return parse_pattern_fields(c, item->kind == YN_MAP ? key->next : &none, key->text, p,
				    what);
}

bool parse_patterns(struct ctx *c, const struct ynode *n, const char *what,
		    struct scenario_pattern **out, size_t *count)
{
	size_t i = 0;

	if (!need_kind(c, n, YN_SEQ, what)) {
		return false;
	}
	*count = n->kind == YN_SEQ ? n->n : 0;
	*out = arena_array(c->arena, *count, sizeof(**out));
	if (*count && !*out) {
		return fail_oom(c);
	}
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e; e = e->next, i++) {
		if (!parse_pattern(c, e, &(*out)[i])) {
			return false;
		}
	}
	return true;
}
