/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the RMM tests (rmm_test.h). */
#include "rmm_test.h"

#include "rmm/rmm_private.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct env *env_new(enum rmm_spec spec, enum rmm_profile profile)
{
	const struct rmm_features none = {0};
	return env_new_features(spec, profile, &none);
}

struct env *env_new_features(enum rmm_spec spec, enum rmm_profile profile,
			     const struct rmm_features *features)
{
	struct env *e = calloc(1, sizeof(*e));
	struct rmm_config cfg = {
	    .spec = spec, .profile = profile, .run_budget = 0, .features = *features};
	e->f = fake_create();
	e->t = trace_create();
	trace_keep(e->t, true);
	e->spec = spec;
	e->profile = profile;
	e->next_ns = FAKE_RAM_BASE + FAKE_PRIV_SIZE;
	e->next_vmid = 1;
	assert_int_equal(rmm_create(&e->f->plat, &cfg, e->t, &e->r), 0);
	return e;
}

void env_free(struct env *e)
{
	rmm_destroy(e->r);
	trace_destroy(e->t);
	fake_destroy(e->f);
	free(e);
}

uint64_t rmi(struct env *e, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	     uint64_t a5)
{
	uint64_t regs[18] = {fid, a1, a2, a3, a4, a5};
	rmm_handle_rmi(e->r, regs);
	memcpy(e->out, regs, sizeof(regs));
	return regs[0];
}

uint64_t ns_granules(struct env *e, unsigned n, uint64_t align)
{
	uint64_t pa = (e->next_ns + align - 1) & ~(align - 1);
	e->next_ns = pa + n * GRANULE_SIZE;
	assert_true(e->next_ns <= FAKE_RAM_BASE + FAKE_RAM_SIZE);
	return pa;
}

uint64_t ns_granule(struct env *e)
{
	return ns_granules(e, 1, GRANULE_SIZE);
}

uint64_t delegated_n(struct env *e, unsigned n, uint64_t align)
{
	uint64_t pa = ns_granules(e, n, align);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(RMI1(e, RMI_GRANULE_DELEGATE, pa + i * GRANULE_SIZE), RMI_SUCCESS);
	}
	return pa;
}

uint64_t delegated(struct env *e)
{
	return delegated_n(e, 1, GRANULE_SIZE);
}

void ns_write64(struct env *e, uint64_t pa, uint64_t v)
{
	memcpy(fake_ptr(e->f, pa), &v, sizeof(v));
}

uint64_t ns_read64(struct env *e, uint64_t pa)
{
	uint64_t v;
	memcpy(&v, fake_ptr(e->f, pa), sizeof(v));
	return v;
}

uint64_t realm_params(struct env *e)
{
	uint64_t p = ns_granule(e);
	ns_write64(e, p + REALM_PARAMS_S2SZ, TEST_S2SZ);
	ns_write64(e, p + REALM_PARAMS_NUM_BPS, 1);
	ns_write64(e, p + REALM_PARAMS_NUM_WPS, 1);
	ns_write64(e, p + REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_256);
	ns_write64(e, p + REALM_PARAMS_VMID, e->next_vmid++);
	ns_write64(e, p + REALM_PARAMS_RTT_LEVEL_START, 1);
	ns_write64(e, p + REALM_PARAMS_RTT_NUM_START, 2);
	return p;
}

void realm_create_only(struct env *e, struct realm *rl)
{
	realm_create_with(e, rl, realm_params(e));
}

void realm_create_with(struct env *e, struct realm *rl, uint64_t params)
{
	memset(rl, 0, sizeof(*rl));
	rl->params = params;
	rl->rd = delegated(e);
	rl->rtt = delegated_n(e, 2, 2 * GRANULE_SIZE);
	ns_write64(e, rl->params + REALM_PARAMS_RTT_BASE, rl->rtt);
	assert_int_equal(RMI2(e, RMI_REALM_CREATE, rl->rd, rl->params), RMI_SUCCESS);
}

uint64_t rec_params(struct env *e, uint64_t mpidr, bool runnable, uint64_t pc)
{
	uint64_t p = ns_granule(e);
	ns_write64(e, p + REC_PARAMS_FLAGS, runnable ? REC_PARAMS_FLAG_RUNNABLE : 0);
	ns_write64(e, p + REC_PARAMS_MPIDR, mpidr);
	ns_write64(e, p + REC_PARAMS_PC, pc);
	ns_write64(e, p + REC_PARAMS_NUM_AUX, 0);
	return p;
}

void realm_build(struct env *e, struct realm *rl, unsigned nrecs, unsigned runnable_mask,
		 bool activate)
{
	realm_build_with(e, rl, realm_params(e), nrecs, runnable_mask, activate);
}

void realm_build_with(struct env *e, struct realm *rl, uint64_t params, unsigned nrecs,
		      unsigned runnable_mask, bool activate)
{
	realm_create_with(e, rl, params);
	rl->rtt_l2 = delegated(e);
	rl->rtt_l3 = delegated(e);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl->rd, rl->rtt_l2, 0, 2), RMI_SUCCESS);
	assert_int_equal(RMI4(e, RMI_RTT_CREATE, rl->rd, rl->rtt_l3, 0, 3), RMI_SUCCESS);
	uint64_t src = ns_granule(e);
	ns_write64(e, src, 0xd503201fd503201fULL); /* two NOPs */
	rl->data = delegated(e);
	assert_int_equal(RMI5(e, RMI_DATA_CREATE, rl->rd, rl->data, TEST_CODE_IPA, src, 0),
			 RMI_SUCCESS);
	for (unsigned i = 0; i < nrecs; i++) {
		uint64_t p =
		    rec_params(e, rec_index_to_mpidr(i), runnable_mask & (1U << i), TEST_CODE_IPA);
		rl->recs[i] = delegated(e);
		rl->runs[i] = ns_granule(e);
		assert_int_equal(RMI3(e, RMI_REC_CREATE, rl->rd, rl->recs[i], p), RMI_SUCCESS);
	}
	rl->nrecs = nrecs;
	if (activate) {
		assert_int_equal(RMI1(e, RMI_REALM_ACTIVATE, rl->rd), RMI_SUCCESS);
	}
}

uint64_t enter(struct env *e, const struct realm *rl, unsigned i)
{
	return RMI2(e, RMI_REC_ENTER, rl->recs[i], rl->runs[i]);
}

uint64_t exit_reason(struct env *e, const struct realm *rl, unsigned i)
{
	return ns_read64(e, rl->runs[i] + RUN_EXIT_REASON);
}

uint64_t exit_gpr(struct env *e, const struct realm *rl, unsigned i, unsigned n)
{
	return ns_read64(e, rl->runs[i] + RUN_EXIT_GPRS + 8 * n);
}

void realm_smc_regs(struct env *e, const uint64_t *x, unsigned n)
{
	fake_rec_will_smc(e->f, x, n);
}

const struct trace_event *last_event(struct env *e, const char *type)
{
	for (size_t i = trace_count(e->t); i-- > 0;) {
		const struct trace_event *ev = trace_get(e->t, i);
		if (strcmp(ev->type, type) == 0) {
			return ev;
		}
	}
	return NULL;
}

size_t count_events(struct env *e, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < trace_count(e->t); i++) {
		n += strcmp(trace_get(e->t, i)->type, type) == 0;
	}
	return n;
}

const char *last_rmi_condition(struct env *e)
{
	const struct trace_field *f = trace_field(last_event(e, "rmi"), "condition");
	return f ? f->str : NULL;
}

size_t event_conditions(struct env *e, const char *type, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < trace_count(e->t) && n < max; i++) {
		const struct trace_event *ev = trace_get(e->t, i);
		const struct trace_field *f = trace_field(ev, "condition");
		if (strcmp(ev->type, type) == 0 && f) {
			out[n++] = f->str;
		}
	}
	return n;
}

void condition_log(const char *command, const char *id)
{
	static bool started;
	const char *path = getenv("CCA_CONDITION_LOG");
	if (!path || !command || !id) {
		return;
	}
	FILE *f = fopen(path, started ? "a" : "w");
	assert_non_null(f);
	started = true;
	fprintf(f, "%s %s\n", command, id);
	assert_int_equal(fclose(f), 0);
}

void condition_log_events(struct env *e, const char *type)
{
	for (size_t i = 0; i < trace_count(e->t); i++) {
		const struct trace_event *ev = trace_get(e->t, i);
		const struct trace_field *cond = trace_field(ev, "condition");
		const struct trace_field *call = trace_field(ev, "call");
		if (strcmp(ev->type, type) == 0 && cond && call && call->str) {
			condition_log(call->str, cond->str);
		}
	}
}

void condition_log_last_rmi(struct env *e)
{
	const struct trace_event *ev = last_event(e, "rmi");
	const struct trace_field *cmd = trace_field(ev, "cmd");
	condition_log(cmd ? cmd->str : NULL, last_rmi_condition(e));
}

const char *last_rmi_decision(struct env *e)
{
	const struct trace_field *f = trace_field(last_event(e, "rmi"), "decision");
	return f ? f->str : NULL;
}

const char *last_rmi_status(struct env *e)
{
	const struct trace_field *f = trace_field(last_event(e, "rmi"), "status");
	return f ? f->str : NULL;
}

void rec_view(struct env *e, uint64_t rec_pa, struct rec_view *v)
{
	struct rec rec;
	memcpy(&rec, fake_ptr(e->f, rec_pa), sizeof(rec));
	v->runnable = rec.runnable;
	v->pending = rec.psci_pending;
	v->pc = rec.ctx.pc;
	memcpy(v->x, rec.ctx.x, sizeof(v->x));
	v->pstate = rec.ctx.pstate;
	v->sctlr_el1 = rec.ctx.sctlr_el1;
	v->hcr_el2 = rec.ctx.hcr_el2;
	v->vtcr_el2 = rec.ctx.vtcr_el2;
	v->vttbr_el2 = rec.ctx.vttbr_el2;
	v->vmpidr_el2 = rec.ctx.vmpidr_el2;
}

void run_intents(const struct intent *in, size_t n, uint64_t fid,
		 void (*setup)(struct env *e, void *fx, uint64_t *args), size_t fx_size,
		 enum rmm_spec spec, enum rmm_profile profile)
{
	for (size_t i = 0; i <= n; i++) {
		struct env *e = env_new(spec, profile);
		void *fx = calloc(1, fx_size ? fx_size : 1);
		uint64_t args[6] = {0};
		setup(e, fx, args);
		if (i < n && in[i].prep) {
			in[i].prep(e, fx, args);
		}
		void *snap = fake_snapshot(e->f);
		uint64_t x0 = rmi(e, fid, args[1], args[2], args[3], args[4], args[5]);
		if (i == n) {
			if (x0 != RMI_SUCCESS) {
				fail_msg("positive call: X0 %#llx (%s)", (unsigned long long)x0,
					 last_rmi_condition(e));
			}
		} else {
			const char *cond = last_rmi_condition(e);
			if (x0 != in[i].expect) {
				fail_msg("intent %s: X0 %#llx, expected %#llx (condition %s)",
					 in[i].name, (unsigned long long)x0,
					 (unsigned long long)in[i].expect, cond ? cond : "-");
			}
			if (!cond || strcmp(cond, in[i].cond) != 0) {
				fail_msg("intent %s: condition %s, expected %s", in[i].name,
					 cond ? cond : "-", in[i].cond);
			}
			if (!fake_same(e->f, snap)) {
				fail_msg("intent %s: the failed command changed the machine",
					 in[i].name);
			}
			condition_log(rmm_rmi_command(fid)->name, in[i].cond);
		}
		free(snap);
		free(fx);
		env_free(e);
	}
}
