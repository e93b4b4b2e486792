/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `host` map: the automatic VMM's policy, or explicit steps (docs/scenarios.md, "Host"). */
#include "rmm/rmm.h"
#include "scenario/scenario_private.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct step_arg {
	const char *key;
	size_t off; /* of a struct scenario_value in struct scenario_step */
	const struct vspec *spec;
	bool required;
};

struct stepdef {
	const char *name;
	enum scenario_step_kind kind;
	const struct step_arg *args; /* args[0] may also be written alone: `plug: 1` */
	bool scalar_form;
};

#define SARG(k, field, spec, req)                                                                  \
	{                                                                                          \
		k, offsetof(struct scenario_step, field), &(spec), req                             \
	}
#define END_SARGS                                                                                  \
	{                                                                                          \
		NULL, 0, NULL, false                                                               \
	}

static const struct step_arg no_args[] = {END_SARGS};
static const struct step_arg setup_args[] = {SARG("activate", activate, V_BOOL, false), END_SARGS};
static const struct step_arg rmi_args[] = {SARG("cmd", cmd, V_RMI_FID, true),
					   SARG("args", args, V_HOSTLIST, false), END_SARGS};
static const struct step_arg rec_args[] = {SARG("rec", rec, V_REC, true), END_SARGS};
static const struct step_arg rec_enter_args[] = {
    SARG("rec", rec, V_REC, true), SARG("inject_sea", inject_sea, V_BOOL, false), END_SARGS};
/* `target` is optional only under spec 2.0; parse_step checks it */
static const struct step_arg complete_args[] = {
    SARG("calling", calling, V_HOSTVAL, true),
    SARG("target", target, V_HOSTVAL, false),
    SARG("status", status, V_PSCI_RET, false),
    END_SARGS,
};
static const struct step_arg pa_args[] = {SARG("pa", pa, V_HOSTVAL, true), END_SARGS};
static const struct step_arg write_args[] = {SARG("pa", pa, V_HOSTVAL, true),
					     SARG("value", value, V_HOSTVAL, true), END_SARGS};
static const struct step_arg read_args[] = {SARG("pa", pa, V_HOSTVAL, true),
					    SARG("value", value, V_HOSTVAL, false), END_SARGS};

static const struct stepdef steps[] = {
    {"setup", SCENARIO_STEP_SETUP, setup_args, false},
    {"rmi", SCENARIO_STEP_RMI, rmi_args, false},
    {"rec_enter", SCENARIO_STEP_REC_ENTER, rec_enter_args, true},
    {"psci_complete", SCENARIO_STEP_PSCI_COMPLETE, complete_args, false},
    {"delegate", SCENARIO_STEP_DELEGATE, pa_args, true},
    {"undelegate", SCENARIO_STEP_UNDELEGATE, pa_args, true},
    {"write", SCENARIO_STEP_WRITE, write_args, false},
    {"read", SCENARIO_STEP_READ, read_args, false},
    {"plug", SCENARIO_STEP_PLUG, rec_args, true},
    {"unplug", SCENARIO_STEP_UNPLUG, rec_args, true},
    {"run", SCENARIO_STEP_RUN, no_args, false},
    {"teardown", SCENARIO_STEP_TEARDOWN, no_args, false},
};

static bool parse_step_args(struct ctx *c, const struct ynode *n, const struct stepdef *d,
			    struct scenario_step *st)
{
	const char *keys[4];
	struct kv kv[4];
	char what[64];
	size_t i;

	snprintf(what, sizeof(what), "step %s", d->name);
	if (d->scalar_form && n->kind == YN_SCALAR && !node_is_null(n)) {
		const struct step_arg *a = &d->args[0];
		return parse_value(c, n, a->key, a->spec,
				   (struct scenario_value *)((char *)st + a->off));
	}
	for (i = 0; d->args[i].key; i++) {
		keys[i] = d->args[i].key;
	}
	keys[i] = NULL;
	if (!map_fields(c, n, what, keys, kv)) {
		return false;
	}
	for (i = 0; d->args[i].key; i++) {
		const struct step_arg *a = &d->args[i];
		if (!kv[i].val) {
			if (a->required) {
				return need_key(c, n, &kv[i], a->key, what);
			}
			continue;
		}
		if (!parse_value(c, kv[i].val, a->key, a->spec,
				 (struct scenario_value *)((char *)st + a->off))) {
			return false;
		}
	}
	if (d->kind == SCENARIO_STEP_PSCI_COMPLETE && c->s->spec != RMM_SPEC_2_0 && !kv[1].val) {
		return fail(c, n,
			    "missing required key `target` in step psci_complete (only spec "
			    "2.0 completes without a target)");
	}
	if (d->kind == SCENARIO_STEP_RMI && !kv[1].val) {
		st->args.kind = SCENARIO_VAL_LIST; /* no arguments */
		st->args.pos = pos_of(c, n);
	}
	return true;
}

/* The REC exit part of a rec_enter expect: a rec_exit pattern whose `reason` is written `exit`. */
static bool parse_exit_expect(struct ctx *c, const struct ynode *n, const struct kv kv[8],
			      struct scenario_pattern *p)
{
	static const char *const names[] = {"reason", "gprs", "esr", "far", "hpfar", "imm"};
	const struct vspec *const specs[] = {&V_EXIT,    &V_HOSTLIST, &V_VAL,
					     &V_HOSTVAL, &V_HOSTVAL,  &V_VAL};

	p->type = "rec_exit";
	p->pos = pos_of(c, n);
	p->fields = arena_array(c->arena, 6, sizeof(*p->fields));
	if (!p->fields) {
		return fail_oom(c);
	}
	for (size_t i = 0; i < 6; i++) {
		const struct kv *e = &kv[2 + i];
		if (!e->val) {
			continue;
		}
		struct scenario_field *f = &p->fields[p->nfields++];
		f->name = names[i];
		if (!parse_value(c, e->val, e->key->text, specs[i], &f->value)) {
			return false;
		}
	}
	return true;
}

/* The `expect` of an rmi step: status, index and the command's output values by name. */
static bool parse_rmi_expect(struct ctx *c, const struct ynode *n, const char *what,
			     struct scenario_step *st)
{
	const struct rmm_command *cmd = st->cmd.has_num ? rmm_rmi_command(st->cmd.num) : NULL;
	const char *keys[RMM_MAX_OUTPUTS + 3] = {"status", "index"};
	struct kv kv[RMM_MAX_OUTPUTS + 2];
	size_t nout = cmd ? cmd->nout : 0;
	struct scenario_pattern *p = &st->expect.outputs;

	for (size_t i = 0; i < nout; i++) {
		keys[2 + i] = cmd->out[i].name;
	}
	keys[2 + nout] = NULL;
	if (!map_fields(c, n, what, keys, kv)) {
		return false;
	}
	if ((kv[0].val &&
	     !parse_value(c, kv[0].val, "status", &V_RMI_STATUS, &st->expect.status)) ||
	    (kv[1].val && !parse_value(c, kv[1].val, "index", &V_INT, &st->expect.index))) {
		return false;
	}
	p->type = "rmi";
	p->pos = pos_of(c, n);
	p->fields = arena_array(c->arena, nout ? nout : 1, sizeof(*p->fields));
	if (!p->fields) {
		return fail_oom(c);
	}
	for (size_t i = 0; i < nout; i++) {
		if (kv[2 + i].val) {
			struct scenario_field *f = &p->fields[p->nfields++];
			f->name = cmd->out[i].name;
			if (!parse_value(c, kv[2 + i].val, f->name, output_vspec(&cmd->out[i]),
					 &f->value)) {
				return false;
			}
		}
	}
	return true;
}

static bool parse_step_expect(struct ctx *c, const struct ynode *n, struct scenario_step *st)
{
	static const char *const keys[] = {"status", "index", NULL};
	static const char *const enter_keys[] = {"status", "index", "exit", "gprs", "esr",
						 "far",    "hpfar", "imm",  NULL};
	struct kv kv[8];
	char what[64];

	snprintf(what, sizeof(what), "`expect` of step %s", st->name);
	st->expect.present = true;
	st->expect.pos = pos_of(c, n);
	if (n->kind == YN_SCALAR) {
		return parse_value(c, n, "expect", &V_RMI_STATUS, &st->expect.status);
	}
	bool enter = st->kind == SCENARIO_STEP_REC_ENTER;
	if (n->kind == YN_MAP && st->kind == SCENARIO_STEP_RMI) {
		return parse_rmi_expect(c, n, what, st);
	}
	if (n->kind != YN_MAP) {
		return fail(c, n,
			    "%s must be an RMI status or a map such as {status: ..., index: N}, "
			    "found %s",
			    what, node_kind_name(n));
	}
	if (!map_fields(c, n, what, enter ? enter_keys : keys, kv)) {
		return false;
	}
	if (kv[0].val && !parse_value(c, kv[0].val, "status", &V_RMI_STATUS, &st->expect.status)) {
		return false;
	}
	if (kv[1].val && !parse_value(c, kv[1].val, "index", &V_INT, &st->expect.index)) {
		return false;
	}
	return !enter || parse_exit_expect(c, n, kv, &st->expect.exit);
}

static bool parse_step(struct ctx *c, const struct ynode *item, struct scenario_step *st)
{
	static const struct list_kind step_list = {NAME_TABLE_INIT(steps), "step", "setup: {}"};
	struct list_item li;
	const struct stepdef *d = parse_list_item(c, item, &step_list, &li);
	const struct ynode *key = li.key, *args = li.args, *expect = li.expect;
	if (!d) {
		return false;
	}
	st->kind = d->kind;
	st->name = d->name;
	st->pos = pos_of(c, key);
	struct ynode none = {.kind = YN_SCALAR, .text = "", .line = key->line, .col = key->col};
	if (!parse_step_args(c, args ? args : &none, d, st)) {
		return false;
	}
	return !expect || parse_step_expect(c, expect, st);
}

static bool parse_steps(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	size_t i = 0;

	if (!need_kind(c, n, YN_SEQ, "`steps`")) {
		return false;
	}
	h->has_steps = true;
	h->nsteps = n->kind == YN_SEQ ? n->n : 0;
	h->steps = arena_array(c->arena, h->nsteps, sizeof(*h->steps));
	if (h->nsteps && !h->steps) {
		return fail_oom(c);
	}
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e; e = e->next, i++) {
		if (!parse_step(c, e, &h->steps[i])) {
			return false;
		}
	}
	return true;
}

static bool parse_host_call(struct ctx *c, const struct ynode *n, struct scenario_host_call *hc)
{
	static const char *const keys[] = {"imm", "do", NULL};
	static const char *const do_keys[] = {"plug", "unplug", NULL};
	struct kv kv[2], dkv[2];

	hc->pos = pos_of(c, n);
	if (!map_fields(c, n, "an `on_host_call` entry", keys, kv) ||
	    !need_key(c, n, &kv[0], "imm", "an `on_host_call` entry") ||
	    !need_key(c, n, &kv[1], "do", "an `on_host_call` entry") ||
	    !parse_value(c, kv[0].val, "imm", &V_VAL, &hc->imm) ||
	    !map_fields(c, kv[1].val, "`do`", do_keys, dkv)) {
		return false;
	}
	if (!dkv[0].val == !dkv[1].val) {
		return fail(c, kv[1].val, "`do` takes exactly one of `plug: N` or `unplug: N`");
	}
	hc->action = dkv[0].val ? SCENARIO_HOST_PLUG : SCENARIO_HOST_UNPLUG;
	const struct kv *which = dkv[0].val ? &dkv[0] : &dkv[1];
	return parse_value(c, which->val, which->key->text, &V_REC_INDEX, &hc->rec);
}

static bool parse_answer(struct ctx *c, const struct ynode *n, struct scenario_answer *a)
{
	static const char *const keys[] = {"call", "target", "status", NULL};
	struct kv kv[3];

	a->pos = pos_of(c, n);
	if (!map_fields(c, n, "an `answers` entry", keys, kv) ||
	    !need_key(c, n, &kv[0], "call", "an `answers` entry") ||
	    !need_key(c, n, &kv[2], "status", "an `answers` entry") ||
	    !parse_value(c, kv[0].val, "call", &V_PSCI_FID, &a->call) ||
	    !parse_value(c, kv[2].val, "status", &V_PSCI_RET, &a->status)) {
		return false;
	}
	return !kv[1].val || parse_value(c, kv[1].val, "target", &V_REC_INDEX, &a->target);
}

/* The entries of the list `n` (`what`; an empty value has none), at most `max`: *out becomes
 * an arena array of *count zeroed elements of `size` bytes, for the caller to fill. */
static bool list_entries(struct ctx *c, const struct ynode *n, const char *what, size_t max,
			 size_t size, void **out, size_t *count)
{
	if (!need_kind(c, n, YN_SEQ, what)) {
		return false;
	}
	*count = n->kind == YN_SEQ ? n->n : 0;
	if (*count > max) {
		fail(c, n, "%s has %zu entries, at most %zu", what, *count, max);
		return false;
	}
	*out = arena_array(c->arena, *count, size);
	if (*count && !*out) {
		fail_oom(c);
		return false;
	}
	return true;
}

static bool parse_host_calls(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	void *a = NULL;
	if (!list_entries(c, n, "`on_host_call`", SIZE_MAX, sizeof(*h->on_host_call), &a,
			  &h->non_host_call)) {
		return false;
	}
	h->on_host_call = a;
	size_t i = 0;
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e && i < h->non_host_call;
	     e = e->next, i++) {
		if (!parse_host_call(c, e, &h->on_host_call[i])) {
			return false;
		}
	}
	return true;
}

static bool parse_answers(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	void *a = NULL;
	if (!list_entries(c, n, "`answers`", SIZE_MAX, sizeof(*h->answers), &a, &h->nanswers)) {
		return false;
	}
	h->answers = a;
	size_t i = 0;
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e && i < h->nanswers;
	     e = e->next, i++) {
		if (!parse_answer(c, e, &h->answers[i])) {
			return false;
		}
	}
	return true;
}

static const struct vspec V_REC_LIST = {VF_LIST | VF_NUM | VF_RECIDX, -1, NULL, NULL,
					"a list of REC indexes"};

/* `- pl011` or `- {kind: pl011, ipa: N}` */
static bool parse_device(struct ctx *c, const struct ynode *n, struct scenario_device *d)
{
	static const char *const kinds[] = {
	    [HOST_DEVICE_PL011] = "pl011", [HOST_DEVICE_EXIT] = "exit"};
	static const char *const keys[] = {"kind", "ipa", NULL};
	struct kv kv[2] = {{0}};
	const struct ynode *kind = n;

	d->pos = pos_of(c, n);
	if (n->kind == YN_MAP) {
		if (!map_fields(c, n, "a device", keys, kv) ||
		    !need_key(c, n, &kv[0], "kind", "a device")) {
			return false;
		}
		kind = kv[0].val;
	}
	if (kind->kind != YN_SCALAR) {
		return fail(c, kind,
			    "a device is `pl011`, `exit` or a map such as `{kind: pl011, "
			    "ipa: 0x109000000}`");
	}
	size_t k = 0;
	while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[k], kind->text) != 0) {
		k++;
	}
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		return fail(c, kind, "unknown device `%s` (expected one of: pl011, exit)",
			    kind->text);
	}
	d->kind = (enum host_device_kind)k;
	if (kv[1].val) {
		if (!parse_value(c, kv[1].val, "ipa", &V_VAL, &d->ipa)) {
			return false;
		}
		if (d->ipa.kind == SCENARIO_VAL_NUMBER && (d->ipa.num & (GRANULE_SIZE - 1))) {
			return fail(c, kv[1].val, "a device's `ipa` must be aligned to 4K");
		}
	}
	return true;
}

static bool parse_devices(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	void *a = NULL;
	if (!list_entries(c, n, "`devices`", HOST_MAX_DEVICES, sizeof(*h->devices), &a,
			  &h->ndevices)) {
		return false;
	}
	h->devices = a;
	size_t i = 0;
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e && i < h->ndevices;
	     e = e->next, i++) {
		if (!parse_device(c, e, &h->devices[i])) {
			return false;
		}
	}
	return true;
}

/* `{rec: 0, intid: 40, at: 100000, priority: 0x80}` */
static bool parse_inject(struct ctx *c, const struct ynode *n, struct scenario_inject *in)
{
	static const char *const keys[] = {"rec", "intid", "at", "priority", NULL};
	struct kv kv[4];

	in->pos = pos_of(c, n);
	in->priority = HOST_IRQ_PRIORITY;
	if (!map_fields(c, n, "an `inject` entry", keys, kv) ||
	    !need_key(c, n, &kv[0], "rec", "an `inject` entry") ||
	    !need_key(c, n, &kv[1], "intid", "an `inject` entry") ||
	    !parse_value(c, kv[0].val, "rec", &V_REC_INDEX, &in->rec) ||
	    !parse_uint(c, kv[1].val, "`intid` (an SGI, PPI or SPI)", 0, GIC_MAX_SPI, &in->intid) ||
	    (kv[2].val &&
	     !parse_uint(c, kv[2].val, "`at` (a counter value)", 0, UINT64_MAX - 1, &in->at)) ||
	    (kv[3].val && !parse_uint(c, kv[3].val, "`priority`", 0, 0xff, &in->priority))) {
		return false;
	}
	if (in->priority & RMM_GIC_PRIORITY_RES0) {
		return fail(
		    c, kv[3].val,
		    "the GIC has 5 priority bits: `priority` is a multiple of 8 (0 to 248)");
	}
	return true;
}

static bool parse_injects(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	void *a = NULL;
	if (!list_entries(c, n, "`inject`", HOST_MAX_INJECTS, sizeof(*h->injects), &a,
			  &h->ninjects)) {
		return false;
	}
	h->injects = a;
	size_t i = 0;
	for (const struct ynode *e = n->kind == YN_SEQ ? n->child : NULL; e && i < h->ninjects;
	     e = e->next, i++) {
		if (!parse_inject(c, e, &h->injects[i])) {
			return false;
		}
	}
	return true;
}

bool parse_host(struct ctx *c, const struct ynode *n, struct scenario_host *h)
{
	static const char *const keys[] = {"plugged", "on_host_call",   "answers",  "teardown",
					   "steps",   "devices",        "trap_wfi", "trap_wfe",
					   "inject",  "on_unprotected", NULL};
	struct kv kv[10];

	h->plugged_all = true;
	h->teardown = true;
	if (!map_fields(c, n, "`host`", keys, kv)) {
		return false;
	}
	if (kv[0].val) {
		struct scenario_value list;
		if (!parse_value(c, kv[0].val, "plugged", &V_REC_LIST, &list)) {
			return false;
		}
		h->plugged_all = false;
		h->plugged = list.items;
		h->nplugged = list.count;
	}
	if ((kv[1].val && !parse_host_calls(c, kv[1].val, h)) ||
	    (kv[2].val && !parse_answers(c, kv[2].val, h)) ||
	    (kv[3].val && !parse_bool(c, kv[3].val, "`teardown`", &h->teardown)) ||
	    (kv[4].val && !parse_steps(c, kv[4].val, h)) ||
	    (kv[5].val && !parse_devices(c, kv[5].val, h)) ||
	    (kv[6].val && !parse_bool(c, kv[6].val, "`trap_wfi`", &h->trap_wfi)) ||
	    (kv[7].val && !parse_bool(c, kv[7].val, "`trap_wfe`", &h->trap_wfe)) ||
	    (kv[8].val && !parse_injects(c, kv[8].val, h))) {
		return false;
	}
	if (kv[9].val) {
		const struct ynode *v = kv[9].val;
		if (v->kind != YN_SCALAR ||
		    (strcmp(v->text, "map_shared") != 0 && strcmp(v->text, "inject_sea") != 0)) {
			return fail(c, v, "`on_unprotected` is map_shared or inject_sea");
		}
		h->unprotected_sea = strcmp(v->text, "inject_sea") == 0;
	}
	return true;
}
