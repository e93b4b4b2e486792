/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RMI entry point: a table giving each command its FID, name, arity and handler, the
 * SMCCC register discipline (unused outputs MBZ) and the one "rmi" event per call. Also the
 * two commands without state, RMI_VERSION and RMI_FEATURES [S:B4.3.4, B4.3.23].
 */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RMI_NREGS 18

/* An entry of the handler table: the command's description and its handler. */
struct rmi_cmd {
	struct rmm_command desc;
	rmi_handler_fn handler;
	enum cond_table conds;
};

static struct rmi_ret smc_version(struct rmm *r, const uint64_t *a, uint64_t *out);
static struct rmi_ret smc_features(struct rmm *r, const uint64_t *a, uint64_t *out);

/* TF-RMM's handler table, with the spec's output values [S:B4.3]. */
static const struct rmi_cmd rmi_cmds[] = {
    CMD(RMI_VERSION, 1, smc_version, BITS_ALWAYS("lower"), BITS_ALWAYS("higher")),
    CMD0(RMI_GRANULE_DELEGATE, 1, smc_granule_delegate),
    CMD0(RMI_GRANULE_UNDELEGATE, 1, smc_granule_undelegate),
    CMD0(RMI_DATA_CREATE, 5, smc_data_create),
    CMD0(RMI_DATA_CREATE_UNKNOWN, 3, smc_data_create_unknown),
    CMD(RMI_DATA_DESTROY, 2, smc_data_destroy, ADDR("data"), ADDR_ALWAYS("top")),
    CMD0(RMI_REALM_ACTIVATE, 1, smc_realm_activate),
    CMD0(RMI_REALM_CREATE, 2, smc_realm_create),
    CMD0(RMI_REALM_DESTROY, 1, smc_realm_destroy),
    CMD0(RMI_REC_CREATE, 3, smc_rec_create),
    CMD0(RMI_REC_DESTROY, 1, smc_rec_destroy),
    CMD0(RMI_REC_ENTER, 2, smc_rec_enter),
    CMD0(RMI_RTT_CREATE, 4, smc_rtt_create),
    CMD(RMI_RTT_DESTROY, 3, smc_rtt_destroy, ADDR("rtt"), ADDR_ALWAYS("top")),
    CMD0(RMI_RTT_MAP_UNPROTECTED, 4, smc_rtt_map_unprotected),
    CMD(RMI_RTT_READ_ENTRY, 3, smc_rtt_read_entry, UINT("walk_level"),
	ENUM("state", ABI_RTT_STATE, 8), BITS("desc"), ENUM("ripas", ABI_RIPAS, 8)),
    CMD(RMI_RTT_UNMAP_UNPROTECTED, 3, smc_rtt_unmap_unprotected, ADDR_ALWAYS("top")),
    CMD0(RMI_PSCI_COMPLETE, 3, smc_psci_complete),
    CMD(RMI_FEATURES, 1, smc_features, BITS("value")),
    CMD(RMI_RTT_FOLD, 3, smc_rtt_fold, ADDR("rtt")),
    CMD(RMI_REC_AUX_COUNT, 1, smc_rec_aux_count, UINT("aux_count")),
    CMD(RMI_RTT_INIT_RIPAS, 3, smc_rtt_init_ripas, ADDR("out_top")),
    CMD(RMI_RTT_SET_RIPAS, 4, smc_rtt_set_ripas, ADDR("out_top")),
};

#define RMI_NCMDS (sizeof(rmi_cmds) / sizeof(rmi_cmds[0]))

const struct rmm_command *rmm_rmi_command_at(size_t i)
{
	return i < RMI_NCMDS ? &rmi_cmds[i].desc : NULL;
}

const struct rmm_command *rmm_command_find(const struct rmm_command *(*at)(size_t), uint64_t fid)
{
	const struct rmm_command *c;
	for (size_t i = 0; (c = at(i)) != NULL; i++) {
		if (c->fid == fid) {
			return c;
		}
	}
	return NULL;
}

const struct rmm_command *rmm_rmi_command(uint64_t fid)
{
	return rmm_command_find(rmm_rmi_command_at, fid);
}

const struct rmm_value_desc *rmm_command_output(const struct rmm_command *cmd, const char *name)
{
	for (unsigned i = 0; cmd && i < cmd->nout; i++) {
		if (strcmp(cmd->out[i].name, name) == 0) {
			return &cmd->out[i];
		}
	}
	return NULL;
}

uint64_t rmm_value_field(const struct rmm_value_desc *d, uint64_t v)
{
	return d->bits && d->bits < 64 ? v & ((1ULL << d->bits) - 1) : v;
}

void rmm_trace_outputs(struct trace_event *ev, const struct rmm_command *c, const uint64_t *x,
		       bool success)
{
	for (unsigned i = 0; c && i < c->nout; i++) {
		const struct rmm_value_desc *d = &c->out[i];
		uint64_t v = rmm_value_field(d, x[i + 1]);
		if (!success && !d->on_failure) {
			continue;
		}
		const char *label = d->kind == RMM_VALUE_ENUM ? abi_name(d->names, v) : NULL;
		if (label) {
			trace_enum(ev, d->name, label, v);
		} else if (d->kind == RMM_VALUE_UINT) {
			trace_int(ev, d->name, (int64_t)v);
		} else {
			trace_hex(ev, d->name, v); /* an address, bits, or a value with no name */
		}
		trace_mark_output(ev);
	}
}

/* Arity depends on the revision for the two commands whose inputs changed (docs/profiles.md, "Spec
 * revisions"). */
static unsigned cmd_arity(const struct rmm *r, const struct rmi_cmd *c)
{
	if (c->desc.fid == RMI_VERSION && !spec_version_has_input(r)) {
		return 0;
	}
	if (c->desc.fid == RMI_PSCI_COMPLETE) {
		return 1 + (spec_complete_has_target(r) ? 1 : 0) +
		       (spec_complete_has_status(r) ? 1 : 0);
	}
	return c->desc.nargs;
}

/* The table entry of a command: its description is the entry's first member (C11 6.7.2.1). */
static const struct rmi_cmd *cmd_lookup(uint64_t fid)
{
	return (const struct rmi_cmd *)rmm_rmi_command(fid);
}

/* What a command's outcome gives the host: X0's status and index, and the condition's ID. */
struct rmi_status {
	unsigned status;
	unsigned index;
	const char *cond;
};

/* The status and index of the condition a handler found, from its command's table. */
static struct rmi_status rmi_resolve(const struct rmm *r, const struct rmi_cmd *c,
				     struct rmi_ret ret)
{
	if (ret.cond == COND_NONE) {
		return (struct rmi_status){RMI_SUCCESS, 0, NULL};
	}
	const struct rmm_condition *row = cond_require(c->conds, ret.cond, r->cfg.spec);
	bool wants_level = row->index_kind != RMM_INDEX_FIXED;
	if (wants_level != (ret.level >= 0)) {
		fprintf(stderr, "cca-sim: internal error: %s's condition '%s' %s an RTT level\n",
			c->desc.name, row->id, wants_level ? "lacks" : "has");
		abort();
	}
	unsigned index = wants_level ? (unsigned)ret.level : row->index;
	return (struct rmi_status){(unsigned)row->status, index, row->id};
}

/* "0x80002000=RD 0x80003000=RTT": the granule states the command changed, in order. */
static void trace_granules(struct trace_event *ev, const struct rmm *r)
{
	char text[RMM_GRANULE_CHANGES_SHOWN * 32 + 32];
	size_t used = 0;
	unsigned n =
	    r->nchanged < RMM_GRANULE_CHANGES_SHOWN ? r->nchanged : RMM_GRANULE_CHANGES_SHOWN;
	text[0] = '\0';
	for (unsigned i = 0; i < n && used < sizeof(text); i++) {
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s0x%llx=%s",
					 i ? " " : "", (unsigned long long)r->changed[i].pa,
					 granule_state_name(r->changed[i].state));
	}
	if (r->nchanged > n && used < sizeof(text)) {
		snprintf(text + used, sizeof(text) - used, " (+%u more)", r->nchanged - n);
	}
	trace_str(ev, "granules", text);
}

/* The one "rmi" event of a call: what the host passed and, from its registers after the
 * call (`x`), what it got back. */
static void trace_rmi(struct rmm *r, const struct rmi_cmd *c, uint64_t fid, const uint64_t *a,
		      unsigned nargs, struct rmi_status st, const uint64_t *x, bool outputs,
		      uint64_t realm)
{
	struct trace_event *ev = trace_begin(r->t, TE_rmi);
	if (!ev) {
		return;
	}
	trace_name(ev, "cmd", c ? c->desc.name : "UNKNOWN");
	trace_hex(ev, "fid", fid);
	trace_hexlist(ev, "args", a + 1, nargs);
	if (c) {
		trace_name(ev, "status", abi_name(ABI_RMI_STATUS, st.status));
		trace_int(ev, "index", st.index);
		if (st.status != RMI_SUCCESS) {
			trace_name(ev, "condition", st.cond);
		} else if (r->decision != DECISION_NONE) {
			trace_name(ev, "decision", decision_name(r->decision));
		}
		if (r->nchanged) {
			trace_granules(ev, r);
		}
		if (outputs) {
			rmm_trace_outputs(ev, &c->desc, x, st.status == RMI_SUCCESS);
		}
	} else {
		trace_name(ev, "status", "SMCCC_NOT_SUPPORTED");
	}
	if (realm) {
		trace_realm(r->t, ev, realm);
	}
	trace_end(r->t, ev);
}

/*
 * The realm a call concerns, for its event: X1 of every command on a realm's objects is its RD
 * or one of its RECs (the calling REC for RMI_PSCI_COMPLETE). Read from the granule states, so
 * that no handler has to report it; 0 when X1 names neither (a failed rd or rec rung).
 */
static uint64_t call_realm(struct rmm *r, uint64_t fid, uint64_t x1)
{
	uint64_t owner = 0;
	if (fid == RMI_VERSION || fid == RMI_FEATURES || fid == RMI_GRANULE_DELEGATE ||
	    fid == RMI_GRANULE_UNDELEGATE || !GRANULE_ALIGNED(x1) || !rmm_pa_delegable(r, x1)) {
		return 0;
	}
	switch (gst_get(r, x1)) {
	case GRANULE_RD:
		return x1;
	case GRANULE_REC:
		rmm_read(r, x1 + offsetof(struct rec, owner), &owner, sizeof(owner));
		return owner;
	default:
		return 0;
	}
}

void rmm_handle_rmi(void *ctx, uint64_t regs[18])
{
	struct rmm *r = ctx;
	/* The SVE live-state hint is not part of the function number [SMCCC 1.3]. */
	uint64_t fid = regs[0] & ~SMCCC_SVE_HINT;
	const struct rmi_cmd *c = cmd_lookup(fid);
	uint64_t a[RMI_NREGS] = {0}, out[RMI_NREGS] = {0};

	if (!c) {
		memcpy(a, regs, sizeof(a));
		memset(regs, 0, sizeof(uint64_t) * RMI_NREGS);
		regs[0] = SMCCC_NOT_SUPPORTED;
		trace_rmi(r, NULL, fid, a, 0, (struct rmi_status){0}, regs, false, 0);
		return;
	}
	unsigned nargs = cmd_arity(r, c);
	/* Inputs beyond the command's arity are ignored (SBZ), never seen by the handler. */
	memcpy(a + 1, regs + 1, sizeof(uint64_t) * nargs);
	/* Before the call for one that destroys the object, after it for one that creates it. */
	uint64_t realm = call_realm(r, fid, a[1]);
	rmm_invariants_begin(r);
	struct rmi_status st = rmi_resolve(r, c, c->handler(r, a, out));
	rmm_invariants_end(r, c->desc.name, st.status);

	memset(regs, 0, sizeof(uint64_t) * RMI_NREGS);
	regs[0] = RMI_RET(st.status, st.index);
	for (unsigned i = 1; i < RMI_NREGS; i++) {
		regs[i] = out[i];
	}
	/* eac2's RMI_VERSION returns the version in X0 and has no output values. */
	bool eac2_version = fid == RMI_VERSION && !spec_version_has_input(r);
	if (eac2_version) {
		regs[0] = out[1], regs[1] = 0;
	}
	if (!realm) {
		realm = call_realm(r, fid, a[1]);
	}
	trace_rmi(r, c, fid, a, nargs, st, regs, !eac2_version, realm);
	r->decision = DECISION_NONE;
	r->nchanged = 0;
}

static struct rmi_ret smc_version(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	uint64_t impl = spec_interface_version(r);

	out[1] = impl;
	if (!spec_version_has_input(r)) {
		return rmi_ok(); /* eac2: X0 is the version itself */
	}
	out[2] = impl;
	/* Only one revision is implemented: compatible iff same major and minor <= ours. */
	bool compatible =
	    (a[1] >> 31) == 0 && (a[1] >> 16) == (impl >> 16) && (a[1] & 0xffff) <= (impl & 0xffff);
	/* Not a failure condition of the spec (it has none): the outcome (b)/(c) of B4.3.23. */
	if (!compatible) {
		return rmi_fail(COND_version);
	}
	return rmi_ok();
}

static struct rmi_ret smc_features(struct rmm *r, const uint64_t *a, uint64_t *out)
{
	if (a[1] != 0) {
		out[1] = 0;
		return rmi_ok();
	}
	out[1] = rmm_feature_register0(r);
	return rmi_ok();
}

/* RmiFeatureRegister0 [S:B4.4.6]: what this RMM supports on this platform. */
uint64_t rmm_feature_register0(const struct rmm *r)
{
	const struct rmm_features *f = &r->cfg.features;
	uint64_t v = f->max_ipa_bits;
	v |= (uint64_t)f->lpa2 << 8;
	if (f->sve_vl) {
		v |= (1ULL << 9) | ((uint64_t)(f->sve_vl / 128 - 1) << 10);
	}
	v |= (uint64_t)(f->num_bps - 1) << 14 | (uint64_t)(f->num_wps - 1) << 20;
	if (f->pmu) {
		v |= (1ULL << 26) | ((uint64_t)f->pmu_num_ctrs << 27);
	}
	v |= 1ULL << 32 /* SHA-256 */ | 1ULL << 33 /* SHA-512 */;
	v |= (uint64_t)(f->gic_lrs - 1) << 34 | (uint64_t)RMM_MAX_RECS_ORDER << 38;
	return v;
}

static const char *const realm_state_names[] = {"NEW", "ACTIVE", "SYSTEM_OFF"};

void trace_rec_state(struct rmm *r, uint64_t rd_pa, const struct rec *rec)
{
	struct trace_event *ev = trace_begin(r->t, TE_rec_state);
	if (!ev) {
		return;
	}
	trace_int(ev, "rec", (int64_t)rec->index);
	trace_bool(ev, "runnable", rec->runnable);
	trace_bool(ev, "pending", rec->psci_pending);
	trace_realm(r->t, ev, rd_pa);
	trace_end(r->t, ev);
}

void trace_realm_state(struct rmm *r, uint64_t rd_pa, uint64_t state)
{
	struct trace_event *ev = trace_begin(r->t, TE_realm_state);
	if (!ev) {
		return;
	}
	trace_name(ev, "state", realm_state_names[state]);
	trace_realm(r->t, ev, rd_pa);
	trace_end(r->t, ev);
}
