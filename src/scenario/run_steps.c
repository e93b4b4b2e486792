/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Explicit host steps (docs/scenarios.md, "Host", `steps`): each step is one action of the
 * VMM, its arguments resolved to addresses now that the host knows them, and its result
 * compared with the step's `expect`.
 */
#include "runner.h"

#include "abi/abi.h"
#include "rmm/rmm.h"

#include <string.h>

/* Which realm and REC a step's `rec` names: an index, or `recN`/`NAME.recN`. */
static bool rec_ref(struct runner *r, const struct scenario_value *v, unsigned *realm,
		    unsigned *rec)
{
	*realm = 0;
	if (v->kind == SCENARIO_VAL_SYMBOL && v->sym == SCENARIO_SYM_REC) {
		*realm = v->realm_index > 0 ? (unsigned)v->realm_index : 0;
		*rec = v->index;
		return true;
	}
	uint64_t n;
	if (runner_value_num(r, v, &n)) {
		*rec = (unsigned)n;
		return true;
	}
	return false;
}

static void check_status(struct runner *r, const struct scenario_step *st, uint64_t x0)
{
	const struct scenario_step_expect *e = &st->expect;
	uint64_t want, idx = 0;
	char buf[96];

	if (!e->present || e->status.kind == SCENARIO_VAL_NONE ||
	    !runner_value_num(r, &e->status, &want)) {
		return;
	}
	if (e->index.kind != SCENARIO_VAL_NONE) {
		runner_value_num(r, &e->index, &idx);
	}
	want = RMI_RET(want, idx);
	r->res->nchecks++;
	if (x0 != want) {
		const char *got = abi_name(ABI_RMI_STATUS, RMI_RET_STATUS(x0));
		runner_format_value(&e->status, buf, sizeof(buf));
		runner_fail(r, &e->pos,
			    "step `%s` returned X0 = 0x%llx (%s, index %u), expected %s%s",
			    st->name, (unsigned long long)x0, got ? got : "?", RMI_RET_INDEX(x0),
			    buf, idx ? " with that index" : "");
	}
}

static void check_exit(struct runner *r, const struct scenario_step *st, const struct host_exit *e)
{
	const struct scenario_pattern *p = &st->expect.exit;
	r->res->nchecks++;
	if (e->status != RMI_SUCCESS) {
		runner_fail(r, &st->expect.pos, "rec_enter returned 0x%llx: the REC did not run",
			    (unsigned long long)e->status);
		return;
	}
	for (size_t i = 0; i < p->nfields; i++) {
		const struct scenario_field *f = &p->fields[i];
		const struct scenario_value *v = &f->value;
		uint64_t want;
		if (strcmp(f->name, "reason") == 0 || strcmp(f->name, "exit") == 0) {
			const char *got = abi_name(ABI_EXIT_REASON, e->reason);
			if (!got || !v->name || strcmp(v->name, got) != 0) {
				runner_fail(r, &f->value.pos, "REC exit reason is %s, expected %s",
					    got ? got : "?", v->name ? v->name : "?");
			}
		} else if (strcmp(f->name, "gprs") == 0 && v->kind == SCENARIO_VAL_LIST) {
			for (size_t k = 0; k < v->count && k < 31; k++) {
				if (runner_value_num(r, &v->items[k], &want) &&
				    want != e->gprs[k]) {
					runner_fail(r, &v->items[k].pos,
						    "exit.gprs[%zu] is 0x%llx, expected 0x%llx", k,
						    (unsigned long long)e->gprs[k],
						    (unsigned long long)want);
				}
			}
		} else if (runner_value_num(r, v, &want)) {
			uint64_t got = strcmp(f->name, "esr") == 0     ? e->esr
				       : strcmp(f->name, "far") == 0   ? e->far
				       : strcmp(f->name, "hpfar") == 0 ? e->hpfar
								       : e->imm;
			if (got != want) {
				runner_fail(r, &v->pos, "exit.%s is 0x%llx, expected 0x%llx",
					    f->name, (unsigned long long)got,
					    (unsigned long long)want);
			}
		}
	}
}

/* The output values an rmi step expects, read from the registers X0.. the stub got back. */
static void check_outputs(struct runner *r, const struct scenario_step *st, uint64_t fid,
			  const uint64_t *x)
{
	const struct scenario_pattern *p = &st->expect.outputs;
	const struct rmm_command *cmd = rmm_rmi_command(fid);
	char want_text[96];

	for (size_t i = 0; i < p->nfields; i++) {
		const struct scenario_field *f = &p->fields[i];
		const struct rmm_value_desc *d = rmm_command_output(cmd, f->name);
		uint64_t want;
		r->res->nchecks++;
		if (!d || !runner_value_num(r, &f->value, &want)) {
			runner_fail(r, &f->value.pos,
				    "cannot resolve this value (is the realm set up?)");
			continue;
		}
		if (RMI_RET_STATUS(x[0]) != RMI_SUCCESS && !d->on_failure) {
			runner_fail(r, &f->value.pos,
				    "%s failed (X0 = 0x%llx): its output `%s` is undefined",
				    cmd->name, (unsigned long long)x[0], f->name);
			continue;
		}
		uint64_t got = rmm_value_field(d, x[1 + (d - cmd->out)]);
		if (got != want) {
			const char *label =
			    d->kind == RMM_VALUE_ENUM ? abi_name(d->names, got) : NULL;
			runner_format_value(&f->value, want_text, sizeof(want_text));
			runner_fail(r, &f->value.pos, "%s returned %s = 0x%llx%s%s%s, expected %s",
				    cmd->name, f->name, (unsigned long long)got, label ? " (" : "",
				    label ? label : "", label ? ")" : "", want_text);
		}
	}
}

static enum host_result step_rmi(struct runner *r, const struct scenario_step *st)
{
	uint64_t regs[MONITOR_SMC_REGS] = {0};
	if (!runner_value_num(r, &st->cmd, &regs[0])) {
		runner_fail(r, &st->cmd.pos, "cannot resolve the command");
		return HOST_OK;
	}
	for (size_t i = 0; st->args.kind == SCENARIO_VAL_LIST && i < st->args.count && i < 17;
	     i++) {
		if (!runner_value_num(r, &st->args.items[i], &regs[i + 1])) {
			runner_fail(r, &st->args.items[i].pos,
				    "cannot resolve this argument (is the realm set up?)");
			return HOST_OK;
		}
	}
	uint64_t fid = regs[0];
	enum host_result res = host_rmi(r->h, regs);
	if (res == HOST_OK) {
		check_status(r, st, regs[0]);
		if (st->expect.outputs.nfields) {
			check_outputs(r, st, fid, regs);
		}
	}
	return res;
}

static enum host_result step_granule(struct runner *r, const struct scenario_step *st)
{
	uint64_t pa, x0 = 0;
	if (!runner_value_num(r, &st->pa, &pa)) {
		runner_fail(r, &st->pa.pos, "cannot resolve the address (is the realm set up?)");
		return HOST_OK;
	}
	uint64_t fid =
	    st->kind == SCENARIO_STEP_DELEGATE ? RMI_GRANULE_DELEGATE : RMI_GRANULE_UNDELEGATE;
	uint64_t regs[MONITOR_SMC_REGS] = {fid, pa};
	enum host_result res = host_rmi(r->h, regs);
	x0 = regs[0];
	if (res == HOST_OK) {
		check_status(r, st, x0);
	}
	return res;
}

static enum host_result step_memory(struct runner *r, const struct scenario_step *st)
{
	uint64_t pa, value = 0, want;
	if (!runner_value_num(r, &st->pa, &pa)) {
		runner_fail(r, &st->pa.pos, "cannot resolve the address (is the realm set up?)");
		return HOST_OK;
	}
	if (st->kind == SCENARIO_STEP_WRITE) {
		runner_value_num(r, &st->value, &value);
		return host_write(r->h, pa, value);
	}
	enum host_result res = host_read(r->h, pa, &value);
	if (res == HOST_OK && st->value.kind != SCENARIO_VAL_NONE &&
	    runner_value_num(r, &st->value, &want)) {
		r->res->nchecks++;
		if (value != want) {
			runner_fail(r, &st->value.pos, "read 0x%llx, expected 0x%llx",
				    (unsigned long long)value, (unsigned long long)want);
		}
	}
	return res;
}

/* `calling` and `target` are addresses like any RMI argument: recN, NAME.recN, any other
 * symbol, `+ N`, a plain number. */
static enum host_result step_psci_complete(struct runner *r, const struct scenario_step *st)
{
	uint64_t calling = 0, target = 0, status = PSCI_SUCCESS, x0 = 0;

	if (!runner_value_num(r, &st->calling, &calling)) {
		runner_fail(r, &st->calling.pos, "cannot resolve `calling` (is the realm set up?)");
		return HOST_OK;
	}
	if (st->target.kind != SCENARIO_VAL_NONE && !runner_value_num(r, &st->target, &target)) {
		runner_fail(r, &st->target.pos, "cannot resolve `target` (is the realm set up?)");
		return HOST_OK;
	}
	if (st->status.kind != SCENARIO_VAL_NONE) {
		runner_value_num(r, &st->status, &status);
	}
	enum host_result res = host_psci_complete(r->h, calling, target, status, &x0);
	if (res == HOST_OK) {
		check_status(r, st, x0);
	}
	return res;
}

static enum host_result step(struct runner *r, const struct scenario_step *st)
{
	unsigned realm = 0, rec = 0;
	struct host_exit e;
	enum host_result res = HOST_OK;

	switch (st->kind) {
	case SCENARIO_STEP_SETUP:
		for (unsigned i = 0; i < r->s->nrealms && res == HOST_OK; i++) {
			res = host_setup(r->h, i,
					 st->activate.kind == SCENARIO_VAL_NONE ||
					     st->activate.num != 0);
		}
		return res;
	case SCENARIO_STEP_RMI:
		return step_rmi(r, st);
	case SCENARIO_STEP_REC_ENTER:
		if (!rec_ref(r, &st->rec, &realm, &rec)) {
			runner_fail(r, &st->rec.pos, "cannot resolve the REC");
			return HOST_OK;
		}
		if (st->inject_sea.kind != SCENARIO_VAL_NONE && st->inject_sea.num) {
			host_rec_inject_sea(r->h, realm, rec);
		}
		res = host_rec_enter(r->h, realm, rec, &e);
		if (res == HOST_OK && st->expect.present) {
			if (st->expect.exit.nfields) {
				check_exit(r, st, &e);
			} else {
				check_status(r, st, e.status);
			}
		}
		return res;
	case SCENARIO_STEP_PSCI_COMPLETE:
		return step_psci_complete(r, st);
	case SCENARIO_STEP_DELEGATE:
	case SCENARIO_STEP_UNDELEGATE:
		return step_granule(r, st);
	case SCENARIO_STEP_WRITE:
	case SCENARIO_STEP_READ:
		return step_memory(r, st);
	case SCENARIO_STEP_PLUG:
	case SCENARIO_STEP_UNPLUG:
		if (rec_ref(r, &st->rec, &realm, &rec)) {
			host_plug(r->h, realm, rec, st->kind == SCENARIO_STEP_PLUG);
		}
		return HOST_OK;
	case SCENARIO_STEP_RUN:
		return host_run(r->h);
	case SCENARIO_STEP_TEARDOWN:
		return host_teardown(r->h);
	}
	return HOST_OK;
}

enum host_result runner_steps(struct runner *r)
{
	for (size_t i = 0; i < r->s->host.nsteps; i++) {
		r->step = &r->s->host.steps[i].pos;
		enum host_result res = step(r, &r->s->host.steps[i]);
		if (res != HOST_OK) {
			return res;
		}
	}
	r->step = NULL;
	return HOST_OK;
}
