/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The automatic VMM (docs/scenarios.md, "Host"): round-robin scheduling, one exit per turn,
 * and the answers a VMM gives to REC exits: PSCI requests by policy (`answers`, then
 * `plugged`), host calls by `on_host_call`, RIPAS changes accepted, data aborts on the
 * Unprotected half answered with a shared NS page.
 */
#include "host_private.h"

#include "abi/abi.h"

#include <stdio.h>
#include <string.h>

static bool is_fid(uint64_t fid, uint64_t smc64, uint64_t smc32)
{
	return fid == smc64 || fid == smc32;
}

void host_set_chooser(struct host *h, host_chooser_fn fn, void *ctx)
{
	h->chooser = fn;
	h->chooser_ctx = ctx;
}

unsigned host_choose(struct host *h, struct host_choice c)
{
	if (!h->chooser || h->stopped) {
		return HOST_CHOOSE_POLICY;
	}
	unsigned k = h->chooser(h->chooser_ctx, h, &c);
	if (k == HOST_CHOOSE_STOP) {
		h->stopped = true;
		return HOST_CHOOSE_POLICY;
	}
	return k < c.n ? k : HOST_CHOOSE_POLICY;
}

/* Every PsciReturnCode [S:B3.27] a host may complete with, those the spec permits first. */
static const struct host_psci_alternative psci_alternatives[] = {
    {PSCI_SUCCESS, false, false, "PSCI_SUCCESS"},
    {PSCI_DENIED, false, false, "PSCI_DENIED"},
    {PSCI_ALREADY_ON, false, false, "PSCI_ALREADY_ON"},
    {PSCI_INVALID_PARAMETERS, false, false, "PSCI_INVALID_PARAMETERS"},
    {PSCI_INVALID_ADDRESS, false, false, "PSCI_INVALID_ADDRESS"},
    {PSCI_NOT_SUPPORTED, false, false, "PSCI_NOT_SUPPORTED"},
    {PSCI_ON_PENDING, false, false, "PSCI_ON_PENDING"},
    {PSCI_INTERNAL_FAILURE, false, false, "PSCI_INTERNAL_FAILURE"},
    {PSCI_NOT_PRESENT, false, false, "PSCI_NOT_PRESENT"},
    {PSCI_DISABLED, false, false, "PSCI_DISABLED"},
    {PSCI_SUCCESS, true, false, "wrong_target"},
    {PSCI_SUCCESS, false, true, "late"},
};

/* 1.0-eac2's RMI_PSCI_COMPLETE has no status: one way to complete, and the two others. */
static const struct host_psci_alternative eac2_alternatives[] = {
    {PSCI_SUCCESS, false, false, "complete"},
    {PSCI_SUCCESS, true, false, "wrong_target"},
    {PSCI_SUCCESS, false, true, "late"},
};

const struct host_psci_alternative *host_psci_alternatives(enum rmm_spec spec, unsigned *n)
{
	if (spec == RMM_SPEC_1_0_EAC2) {
		*n = sizeof(eac2_alternatives) / sizeof(eac2_alternatives[0]);
		return eac2_alternatives;
	}
	*n = sizeof(psci_alternatives) / sizeof(psci_alternatives[0]);
	return psci_alternatives;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

uint64_t host_state_hash(const struct host *h)
{
	uint64_t x = mix(cpu_machine_state_hash(h->m), h->next_free);
	x = mix(x, h->stopped);
	for (unsigned i = 0; i < h->nrealms; i++) {
		const struct host_realm *r = &h->realms[i];
		x = mix(x, (uint64_t)r->built | (uint64_t)r->ended << 1 |
			       (uint64_t)r->started << 2 | (uint64_t)r->exited << 3 |
			       (uint64_t)r->last << 8);
		x = mix(x, (uint64_t)r->nns_maps << 32 | r->nrtts);
		for (unsigned k = 0; k < r->desc.ninjects; k++) {
			x = mix(x, r->injected[k]);
		}
		for (unsigned k = 0; k < r->desc.nanswers; k++) {
			x = mix(x, r->desc.answers[k].used);
		}
		for (unsigned k = 0; k < r->desc.nrecs; k++) {
			const struct host_rec *rec = &r->recs[k];
			x = mix(x, (uint64_t)rec->believed_runnable |
				       (uint64_t)rec->host_call_reply << 1 |
				       (uint64_t)rec->mmio_reply << 2 |
				       (uint64_t)rec->inject_sea << 3 | (uint64_t)rec->idle << 4 |
				       (uint64_t)r->plugged[k] << 5);
			x = mix(x, rec->mmio_value);
			x = mix(x, rec->console_len);
			for (unsigned l = 0; l < h->gic_lrs; l++) {
				x = mix(x, rec->lrs[l]);
			}
			for (unsigned l = 0; rec->host_call_reply && l < 31; l++) {
				x = mix(x, rec->reply_gprs[l]);
			}
		}
	}
	return x;
}

const char *host_tamper_name(enum host_tamper t)
{
	static const char *const names[HOST_TAMPERINGS] = {
	    "none",          "undelegate_rd", "undelegate_rec", "undelegate_data", "destroy_rec",
	    "destroy_realm", "destroy_data",  "delegate_run",   "write_data",      "read_rec",
	};
	return (unsigned)t < HOST_TAMPERINGS ? names[t] : "?";
}

static enum host_result read_exit(struct host *h, struct host_rec *rec, struct host_exit *e)
{
	uint64_t reason = 0, imm = 0, value = 0;
	if (host_ns_read(h, rec->run + RUN_EXIT_REASON, &reason, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_ESR, &e->esr, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_FAR, &e->far, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_HPFAR, &e->hpfar, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_GPRS, e->gprs, sizeof(e->gprs)) ||
	    host_ns_read(h, rec->run + RUN_EXIT_RIPAS_BASE, &e->ripas_base, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_RIPAS_TOP, &e->ripas_top, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_RIPAS_VALUE, &value, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_IMM, &imm, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_CNTV_CTL, &e->cntv_ctl, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_CNTP_CTL, &e->cntp_ctl, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_GICV3_LRS, e->lrs, sizeof(uint64_t) * h->gic_lrs) ||
	    host_ns_read(h, rec->run + RUN_EXIT_CNTV_CVAL, &e->cntv_cval, 8) ||
	    host_ns_read(h, rec->run + RUN_EXIT_CNTP_CVAL, &e->cntp_cval, 8)) {
		return host_fail(h, HOST_UNEXPECTED, "cannot read the run page");
	}
	e->reason = (unsigned)(reason & 0xff);
	e->ripas_value = value & 0xff;
	e->imm = (uint16_t)imm;
	return HOST_OK;
}

static bool timer_asserted(uint64_t ctl)
{
	return (ctl & CNT_CTL_ENABLE) && (ctl & CNT_CTL_ISTATUS) && !(ctl & CNT_CTL_IMASK);
}

static bool lr_live(uint64_t lr)
{
	return (lr >> ICH_LR_STATE_SHIFT) != 0; /* pending, active, or both */
}

bool host_rec_has_irq(const struct host *h, const struct host_rec *rec)
{
	for (unsigned i = 0; i < h->gic_lrs; i++) {
		if (lr_live(rec->lrs[i])) {
			return true;
		}
	}
	return false;
}

/* Puts `intid`, pending and Group 1, in a free List Register of `rec`; false when none is
 * free or one already holds that INTID (an interrupt is in at most one LR). */
static bool put_irq(const struct host *h, struct host_rec *rec, uint32_t intid, uint64_t priority)
{
	int slot = -1;
	for (unsigned i = 0; i < h->gic_lrs; i++) {
		if (!lr_live(rec->lrs[i])) {
			slot = slot < 0 ? (int)i : slot;
		} else if (ICH_LR_VINTID(rec->lrs[i]) == intid) {
			return false;
		}
	}
	if (slot < 0) {
		return false;
	}
	rec->lrs[slot] = ((uint64_t)ICH_LR_STATE_PENDING << ICH_LR_STATE_SHIFT) | ICH_LR_GROUP |
			 (priority << ICH_LR_PRIORITY_SHIFT) | intid;
	return true;
}

/*
 * The List Registers the next entry gives the REC, in every host mode, as KVM keeps a vCPU's:
 * those the REC left holding an interrupt (pending or active); and, when the exit shows a
 * timer's interrupt asserted [S:A4.3.7], that interrupt in a free one (the virtual timer's
 * first).
 */
static void forward_timer(struct host *h, unsigned realm, unsigned idx, const struct host_exit *e)
{
	struct host_rec *rec = &h->realms[realm].recs[idx];
	if (e->status != RMI_SUCCESS) {
		return;
	}
	for (unsigned i = 0; i < h->gic_lrs; i++) {
		rec->lrs[i] = lr_live(e->lrs[i]) ? e->lrs[i] : 0;
	}
	if (timer_asserted(e->cntv_ctl) || timer_asserted(e->cntp_ctl)) {
		uint32_t intid = timer_asserted(e->cntv_ctl) ? INTID_VTIMER : INTID_PTIMER;
		if (put_irq(h, rec, intid, HOST_IRQ_PRIORITY)) {
			host_event_irq(h, "inject_timer", realm, idx, intid);
		}
	}
}

/*
 * The interrupts of `inject` that are due by now go into their REC's List Registers (one that
 * has none free, or holds the same INTID, gets it at a later entry); a REC that was idle in
 * WFI is scheduled again. The host's interrupt is then raised at the next one's time, so that
 * a running realm exits then, as a device's interrupt makes it on hardware.
 */
void host_deliver_injections(struct host *h)
{
	uint64_t now = cpu_machine_counter(h->m), next = UINT64_MAX;
	for (unsigned ri = 0; ri < h->nrealms; ri++) {
		struct host_realm *r = &h->realms[ri];
		if (!r->built || r->ended) {
			continue;
		}
		for (unsigned k = 0; k < r->desc.ninjects; k++) {
			const struct host_inject *in = &r->desc.injects[k];
			struct host_rec *rec = &r->recs[in->rec];
			if (r->injected[k]) {
				continue;
			}
			if (in->at > now) {
				next = in->at < next ? in->at : next;
			} else if (put_irq(h, rec, in->intid, in->priority)) {
				r->injected[k] = true;
				host_event_irq(h, "inject", ri, in->rec, in->intid);
				if (rec->idle) {
					rec->idle = false;
					rec->believed_runnable = true;
				}
			}
		}
	}
	cpu_machine_set_host_irq(h->m, next);
}

/* The time of the earliest interrupt still to inject into an idle REC of realm `r`. */
static uint64_t next_injection_for_idle(const struct host_realm *r)
{
	uint64_t at = UINT64_MAX;
	for (unsigned k = 0; k < r->desc.ninjects; k++) {
		const struct host_inject *in = &r->desc.injects[k];
		if (!r->injected[k] && r->recs[in->rec].idle && in->at < at) {
			at = in->at;
		}
	}
	return at;
}

enum host_result host_rec_enter(struct host *h, unsigned realm, unsigned idx,
				struct host_exit *exit)
{
	if (realm >= h->nrealms || idx >= h->realms[realm].desc.nrecs) {
		return host_fail(h, HOST_ERROR, "no REC %u in realm %u", idx, realm);
	}
	struct host_realm *r = &h->realms[realm];
	struct host_rec *rec = &r->recs[idx];
	uint64_t enter_gprs[31] = {0};
	uint64_t flags = (r->desc.trap_wfi ? REC_ENTER_FLAG_TRAP_WFI : 0) |
			 (r->desc.trap_wfe ? REC_ENTER_FLAG_TRAP_WFE : 0);
	enum host_result res;

	memset(exit, 0, sizeof(*exit));
	/* A host call's results go back through enter.gprs, as KVM copies them. */
	if (rec->host_call_reply) {
		memcpy(enter_gprs, rec->reply_gprs, sizeof(enter_gprs));
	}
	if (rec->mmio_reply) {
		flags |= REC_ENTER_FLAG_EMUL_MMIO;
		enter_gprs[0] = rec->mmio_value;
	}
	if (rec->inject_sea) {
		flags |= REC_ENTER_FLAG_INJECT_SEA;
	}
	host_deliver_injections(h);
	if (host_ns_write(h, rec->run + RUN_ENTER_FLAGS, &flags, 8) ||
	    host_ns_write(h, rec->run + RUN_ENTER_GPRS, enter_gprs, sizeof(enter_gprs)) ||
	    host_ns_write(h, rec->run + RUN_ENTER_GICV3_LRS, rec->lrs,
			  sizeof(uint64_t) * h->gic_lrs)) {
		return host_fail(h, HOST_UNEXPECTED, "cannot write the run page");
	}
	res = host_call(h, RMI_REC_ENTER, rec->rec, rec->run, 0, 0, 0, &exit->status);
	if (res == HOST_BUDGET || (res == HOST_OK && monitor_budget_exhausted(h->mon))) {
		/* The REC was running when the budget ran out: it is the runaway. */
		return host_fail(
		    h, HOST_BUDGET,
		    "REC %u of realm %s still running when the budget of %llu ran out "
		    "(%llu instructions retired, %llu exceptions taken; see --max-insns)",
		    idx, r->desc.name, (unsigned long long)h->cfg.max_insns,
		    (unsigned long long)host_insns(h),
		    (unsigned long long)monitor_exceptions(h->mon));
	}
	if (res != HOST_OK) {
		return res;
	}
	if (exit->status != RMI_SUCCESS) {
		return HOST_OK;
	}
	rec->host_call_reply = false;
	rec->mmio_reply = false;
	rec->inject_sea = false;
	if ((res = read_exit(h, rec, exit)) != HOST_OK) {
		return res;
	}
	exit->emulated = host_device_access(h, realm, idx, exit);
	exit->idle = rmm_last_run_status(monitor_rmm(h->mon)) == RMM_RUN_IDLE;
	forward_timer(h, realm, idx, exit);
	return HOST_OK;
}

enum host_result host_psci_complete(struct host *h, uint64_t calling, uint64_t target,
				    uint64_t status, uint64_t *x0)
{
	switch (h->cfg.rmm.spec) {
	case RMM_SPEC_1_0_EAC2:
		return host_call(h, RMI_PSCI_COMPLETE, calling, target, 0, 0, 0, x0);
	case RMM_SPEC_2_0:
		return host_call(h, RMI_PSCI_COMPLETE, calling, status, 0, 0, 0, x0);
	case RMM_SPEC_1_0_EAC3:
	case RMM_SPEC_1_0_REL0:
		break;
	}
	return host_call(h, RMI_PSCI_COMPLETE, calling, target, status, 0, 0, x0);
}

static struct host_answer *forced_answer(struct host_realm *r, uint64_t fid, unsigned target)
{
	for (unsigned i = 0; i < r->desc.nanswers; i++) {
		struct host_answer *a = &r->desc.answers[i];
		if (!a->used && is_fid(fid, a->call, a->call & ~(1ULL << 30)) &&
		    (a->target == target || a->target == HOST_ANY_TARGET)) {
			return a;
		}
	}
	return NULL;
}

/* What the VMM's policy completes a request with: PSCI_SUCCESS for a plugged target (and for
 * AFFINITY_INFO, whose answer the RMM computes), PSCI_DENIED otherwise, except under 1.0-eac2. */
static uint64_t policy_status(const struct host *h, const struct host_realm *r, bool cpu_on,
			      unsigned target)
{
	bool eac2 = h->cfg.rmm.spec == RMM_SPEC_1_0_EAC2;
	return !cpu_on || target >= r->desc.nrecs || r->plugged[target] || eac2 ? PSCI_SUCCESS
										: PSCI_DENIED;
}

/* The adversary's `late`: the caller is entered again before its request is completed (the
 * RMM must refuse: rec_psci). Should the RMM let it run, its exit is left unhandled. */
static enum host_result enter_before_completing(struct host *h, unsigned realm, unsigned idx,
						unsigned target)
{
	struct host_exit e;
	host_event(h, "complete_late", realm, (int)idx, (int)target);
	return host_rec_enter(h, realm, idx, &e);
}

/* The adversary's `wrong_target`: completes naming another REC of the realm (the caller when it
 * has one REC). True in *done when the RMM accepted it, which ends the request. */
static enum host_result complete_wrong_target(struct host *h, unsigned realm, unsigned idx,
					      unsigned target, uint64_t status, bool *done)
{
	struct host_realm *r = &h->realms[realm];
	unsigned other = target < r->desc.nrecs ? (target + 1) % r->desc.nrecs : 0;
	uint64_t x0 = 0;
	host_event(h, "wrong_target", realm, (int)idx, (int)other);
	enum host_result res =
	    host_psci_complete(h, r->recs[idx].rec, r->recs[other].rec, status, &x0);
	*done = res == HOST_OK && x0 == RMI_SUCCESS;
	return res;
}

/* CPU_ON and AFFINITY_INFO wait for RMI_PSCI_COMPLETE; the policy (or an adversary) decides. */
static enum host_result complete_request(struct host *h, unsigned realm, unsigned idx, uint64_t fid,
					 unsigned target)
{
	struct host_realm *r = &h->realms[realm];
	bool cpu_on = is_fid(fid, PSCI_CPU_ON, PSCI_CPU_ON_SMC32);
	bool eac2 = h->cfg.rmm.spec == RMM_SPEC_1_0_EAC2;
	uint64_t status = PSCI_SUCCESS, x0 = 0;
	unsigned nalts;
	const struct host_psci_alternative *alts = host_psci_alternatives(h->cfg.rmm.spec, &nalts);
	unsigned k = host_choose(
	    h, (struct host_choice){HOST_CHOICE_PSCI, realm, idx, target, fid, nalts, {0}});
	const struct host_psci_alternative *alt = k == HOST_CHOOSE_POLICY ? NULL : &alts[k];
	bool chosen = alt && !alt->wrong_target && !alt->late && !eac2;
	struct host_answer *forced = cpu_on && !alt ? forced_answer(r, fid, target) : NULL;
	enum host_result res;

	if (chosen) {
		status = alt->status;
		host_event(h, "answer", realm, (int)idx, (int)target);
	} else if (cpu_on && target < r->desc.nrecs) {
		bool allow = r->plugged[target];
		if (forced) {
			forced->used = true;
			status = forced->status;
			host_event(h, "answer", realm, (int)idx, (int)target);
		} else if (!allow && eac2) {
			/* 1.0-eac2 has no status argument: the host cannot deny. */
			host_event(h, "cannot_deny", realm, (int)idx, (int)target);
		} else {
			status = allow ? PSCI_SUCCESS : PSCI_DENIED;
			host_event(h, allow ? "allow" : "deny", realm, (int)idx, (int)target);
		}
	}
	if (alt && alt->late && (res = enter_before_completing(h, realm, idx, target)) != HOST_OK) {
		return res;
	}
	if (alt && alt->wrong_target) {
		bool done = false;
		res = complete_wrong_target(h, realm, idx, target, status, &done);
		if (res != HOST_OK || done) {
			return res;
		}
	}
	uint64_t calling_pa = r->recs[idx].rec;
	uint64_t target_pa = target < r->desc.nrecs ? r->recs[target].rec : 0;
	res = host_psci_complete(h, calling_pa, target_pa, status, &x0);
	if (res != HOST_OK) {
		return res;
	}
	if (x0 != RMI_SUCCESS && (forced || chosen)) {
		/* The answer was refused: answer again by policy, as a VMM would. */
		status = policy_status(h, r, cpu_on, target);
		host_event(h,
			   !cpu_on                  ? "complete"
			   : status == PSCI_SUCCESS ? "allow"
						    : "deny",
			   realm, (int)idx, (int)target);
		if ((res = host_psci_complete(h, calling_pa, target_pa, status, &x0)) != HOST_OK) {
			return res;
		}
	}
	if (cpu_on && x0 == RMI_SUCCESS && status == PSCI_SUCCESS && target < r->desc.nrecs) {
		r->recs[target].believed_runnable = true;
	}
	return HOST_OK;
}

static enum host_result handle_psci(struct host *h, unsigned realm, unsigned idx,
				    const struct host_exit *e)
{
	struct host_realm *r = &h->realms[realm];
	uint64_t fid = e->gprs[0];
	unsigned target = (unsigned)mpidr_to_rec_index(e->gprs[1]);

	if (is_fid(fid, PSCI_CPU_ON, PSCI_CPU_ON_SMC32) ||
	    is_fid(fid, PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_SMC32)) {
		return complete_request(h, realm, idx, fid, target);
	}
	if (fid == PSCI_CPU_OFF) {
		r->recs[idx].believed_runnable = false;
	} else if (fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET) {
		r->ended = true;
	}
	return HOST_OK;
}

static void handle_host_call(struct host *h, unsigned realm, unsigned idx,
			     const struct host_exit *e)
{
	struct host_realm *r = &h->realms[realm];
	for (unsigned i = 0; i < r->desc.n_on_host_call; i++) {
		const struct host_call_action *a = &r->desc.on_host_call[i];
		if (a->imm == e->imm) {
			host_plug(h, realm, a->rec, a->what == HOST_PLUG);
		}
	}
	r->recs[idx].host_call_reply = true;
	memcpy(r->recs[idx].reply_gprs, e->gprs, sizeof(e->gprs));
}

static enum host_result accept_ripas(struct host *h, unsigned realm, unsigned idx,
				     const struct host_exit *e)
{
	struct host_realm *r = &h->realms[realm];
	uint64_t base = e->ripas_base;

	while (base < e->ripas_top) {
		uint64_t regs[MONITOR_SMC_REGS] = {RMI_RTT_SET_RIPAS, r->rd, r->recs[idx].rec, base,
						   e->ripas_top};
		enum host_result res = host_rmi(h, regs);
		if (res != HOST_OK) {
			return res;
		}
		if (RMI_RET_STATUS(regs[0]) == RMI_ERROR_RTT) {
			if ((res = host_ensure_rtts(h, r, base)) != HOST_OK) {
				return res;
			}
			continue;
		}
		if (regs[0] != RMI_SUCCESS || regs[1] <= base) {
			return host_fail(h, HOST_UNEXPECTED, "RMI_RTT_SET_RIPAS failed: 0x%llx",
					 (unsigned long long)regs[0]);
		}
		base = regs[1];
	}
	return HOST_OK;
}

void host_rec_inject_sea(struct host *h, unsigned realm, unsigned idx)
{
	if (realm < h->nrealms && idx < h->realms[realm].desc.nrecs) {
		h->realms[realm].recs[idx].inject_sea = true;
	}
}

/* A data abort on the Unprotected half: give the realm a shared NS page there. */
static enum host_result map_shared(struct host *h, unsigned realm, unsigned idx,
				   const struct host_exit *e)
{
	struct host_realm *r = &h->realms[realm];
	uint64_t ipa = (e->hpfar >> 4) << 12, pa, x0;
	/* The host controls MemAttr[2:0] (bits [4:2]) and S2AP (bits [7:6]) of the descriptor
	 * [S:B4.3.19 attr_valid]: Normal write-back (0b110, as KVM asks), read/write. */
	const uint64_t attrs = (6ULL << 2) | (3ULL << 6);
	enum host_result res;

	if (!(ipa >> (r->ipa_bits - 1))) {
		return host_fail(h, HOST_UNEXPECTED,
				 "REC %u took a data abort at protected IPA 0x%llx (ESR 0x%llx)",
				 idx, (unsigned long long)ipa, (unsigned long long)e->esr);
	}
	if (r->desc.unprotected_sea) {
		/* Nothing is there: the realm's own mistake, an abort it takes [S:A5.2.7]. */
		host_rec_inject_sea(h, realm, idx);
		host_event(h, "inject_sea", realm, (int)idx, -1);
		return HOST_OK;
	}
	if (r->nns_maps == HOST_MAX_NS_MAPS) {
		return host_fail(h, HOST_UNEXPECTED,
				 "REC %u: no more shared pages to map at IPA 0x%llx (at most %d)",
				 idx, (unsigned long long)ipa, HOST_MAX_NS_MAPS);
	}
	if ((res = host_ensure_rtts(h, r, ipa)) != HOST_OK) {
		return res;
	}
	if (!(pa = host_alloc_ns(h))) {
		return host_fail(h, HOST_ERROR, "out of host memory");
	}
	res = host_call(h, RMI_RTT_MAP_UNPROTECTED, r->rd, ipa, 3, pa | attrs, 0, &x0);
	if (res == HOST_OK && x0 != RMI_SUCCESS) {
		return host_fail(h, HOST_UNEXPECTED, "RMI_RTT_MAP_UNPROTECTED failed: 0x%llx",
				 (unsigned long long)x0);
	}
	r->ns_map_ipa[r->nns_maps] = ipa;
	r->ns_map_pa[r->nns_maps++] = pa;
	host_event(h, "map_shared", realm, (int)idx, -1);
	return res;
}

/*
 * A trapped WFI or WFE (trap_wfi, trap_wfe): as KVM blocks a vCPU, time passes until the REC's
 * earliest enabled, unmasked timer is due, so that it fires as soon as the REC is entered
 * again; a REC with no such timer and no interrupt to take waits for nothing and is not
 * scheduled any more.
 */
static void wfx_wait(struct host *h, unsigned realm, unsigned idx, const struct host_exit *e)
{
	struct host_rec *rec = &h->realms[realm].recs[idx];
	uint64_t due = UINT64_MAX;
	if ((e->cntv_ctl & CNT_CTL_ENABLE) && !(e->cntv_ctl & CNT_CTL_IMASK)) {
		due = e->cntv_cval;
	}
	if ((e->cntp_ctl & CNT_CTL_ENABLE) && !(e->cntp_ctl & CNT_CTL_IMASK) &&
	    e->cntp_cval < due) {
		due = e->cntp_cval;
	}
	if (due != UINT64_MAX) {
		cpu_machine_wait_until(h->m, due);
		host_event(h, "wait_timer", realm, (int)idx, -1);
	} else if (!host_rec_has_irq(h, rec) && (e->esr & ESR_WFX_TI) == 0) {
		rec->believed_runnable = false;
		rec->idle = true;
		host_event(h, "rec_idle", realm, (int)idx, -1);
	}
}

static enum host_result handle_exit(struct host *h, unsigned realm, unsigned idx,
				    const struct host_exit *e)
{
	switch (e->reason) {
	case RMI_EXIT_PSCI:
		return handle_psci(h, realm, idx, e);
	case RMI_EXIT_HOST_CALL:
		handle_host_call(h, realm, idx, e);
		return HOST_OK;
	case RMI_EXIT_RIPAS_CHANGE:
		return accept_ripas(h, realm, idx, e);
	case RMI_EXIT_SYNC:
		if (ESR_EC(e->esr) == ESR_EC_WFX) {
			wfx_wait(h, realm, idx, e);
			return HOST_OK;
		}
		return e->emulated ? HOST_OK : map_shared(h, realm, idx, e);
	default:
		return HOST_OK; /* IRQ, FIQ, SERROR: nothing to do but run again */
	}
}

/* The next REC after `after`, wrapping around, that the host believes can run. */
static int next_rec(const struct host_realm *r, unsigned after)
{
	for (unsigned k = 1; k <= r->desc.nrecs; k++) {
		unsigned i = (after + k) % r->desc.nrecs;
		if (r->recs[i].believed_runnable) {
			return (int)i;
		}
	}
	return -1;
}

/* The REC to enter: the policy's pick `idx`, or the one the adversary takes among those the
 * VMM believes runnable, counted in round-robin order from idx. */
static int schedule(struct host *h, unsigned realm, int idx)
{
	const struct host_realm *r = &h->realms[realm];
	struct host_choice c = {HOST_CHOICE_SCHEDULE, realm, (unsigned)idx, 0, 0, 0, {0}};
	if (idx < 0 || !h->chooser) {
		return idx;
	}
	for (unsigned k = 0; k < r->desc.nrecs && c.n < HOST_CHOICE_MAX; k++) {
		unsigned i = ((unsigned)idx + k) % r->desc.nrecs;
		if (r->recs[i].believed_runnable) {
			c.options[c.n++] = i;
		}
	}
	if (c.n < 2) {
		return idx;
	}
	unsigned pick = host_choose(h, c);
	return pick == HOST_CHOOSE_POLICY ? idx : (int)c.options[pick];
}

static enum host_result tamper_call(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2)
{
	uint64_t x0;
	return a1 ? host_call(h, fid, a1, a2, 0, 0, 0, &x0) : HOST_OK;
}

/* Performs tampering action t (host.h) after an exit of REC idx; what the RMM answers is in
 * the trace, for the explorer's guarantees to judge. */
static enum host_result tamper(struct host *h, unsigned realm, unsigned idx, enum host_tamper t)
{
	struct host_realm *r = &h->realms[realm];
	struct host_rec *rec = &r->recs[idx];
	uint64_t data = r->ndata ? r->data[0] : 0, v = 0;
	char what[40];
	snprintf(what, sizeof(what), "tamper_%s", host_tamper_name(t));
	host_event(h, what, realm, (int)idx, -1);
	switch (t) {
	case HOST_TAMPER_UNDELEGATE_RD:
		return tamper_call(h, RMI_GRANULE_UNDELEGATE, r->rd, 0);
	case HOST_TAMPER_UNDELEGATE_REC:
		return tamper_call(h, RMI_GRANULE_UNDELEGATE, rec->rec, 0);
	case HOST_TAMPER_UNDELEGATE_DATA:
		return tamper_call(h, RMI_GRANULE_UNDELEGATE, data, 0);
	case HOST_TAMPER_DESTROY_REC:
		return tamper_call(h, RMI_REC_DESTROY, r->recs[(idx + 1) % r->desc.nrecs].rec, 0);
	case HOST_TAMPER_DESTROY_REALM:
		return tamper_call(h, RMI_REALM_DESTROY, r->rd, 0);
	case HOST_TAMPER_DESTROY_DATA:
		return r->ndata ? tamper_call(h, RMI_DATA_DESTROY, r->rd, r->data_ipa[0]) : HOST_OK;
	case HOST_TAMPER_DELEGATE_RUN:
		return tamper_call(h, RMI_GRANULE_DELEGATE, rec->run, 0);
	case HOST_TAMPER_WRITE_DATA:
		return data ? host_write(h, data, HOST_TAMPER_VALUE) : HOST_OK;
	case HOST_TAMPER_READ_REC:
		return host_read(h, rec->rec, &v);
	case HOST_TAMPER_NONE:
	case HOST_TAMPERINGS:
		break;
	}
	return HOST_OK;
}

/* With an adversary, what the VMM cannot handle ends the realm instead of the run. */
static enum host_result give_up(struct host *h, unsigned realm, int idx, enum host_result res)
{
	if (res != HOST_UNEXPECTED || !h->chooser) {
		return res;
	}
	h->realms[realm].ended = true;
	host_event(h, "give_up", realm, idx, -1);
	return HOST_OK;
}

static enum host_result run_turn(struct host *h, unsigned realm)
{
	struct host_realm *r = &h->realms[realm];
	int idx = r->started ? next_rec(r, r->last) : (r->recs[0].believed_runnable ? 0 : -1);
	struct host_exit e = {0};
	enum host_result res;

	if (h->stopped) {
		r->ended = true;
		return HOST_OK;
	}
	idx = schedule(h, realm, idx);
	if (idx < 0) {
		/* Every REC waits: for an interrupt still to come, time passes until it does. */
		uint64_t at = next_injection_for_idle(r);
		if (at != UINT64_MAX) {
			cpu_machine_wait_until(h->m, at);
			host_event(h, "wait_irq", realm, -1, -1);
			host_deliver_injections(h);
			return HOST_OK;
		}
		r->ended = true;
		host_event(h, "realm_idle", realm, -1, -1);
		return HOST_OK;
	}
	r->started = true;
	r->last = (unsigned)idx;
	if ((res = host_rec_enter(h, realm, (unsigned)idx, &e)) != HOST_OK) {
		return give_up(h, realm, idx, res);
	}
	if (e.status == RMI_SUCCESS && e.idle && !host_rec_has_irq(h, &r->recs[idx])) {
		/* Waiting for an interrupt the VMM has none to give: like a halted vCPU, it is
		 * scheduled no more, until one comes (`inject`). */
		r->recs[idx].believed_runnable = false;
		r->recs[idx].idle = true;
		host_event(h, "rec_idle", realm, idx, -1);
		return HOST_OK;
	}
	if (e.status != RMI_SUCCESS) {
		/* The RMM refused: the realm is off, or the REC is not what the host believed
		 * (e.g. a refused completion left its request pending). Stop scheduling it. */
		if (RMI_RET_STATUS(e.status) == RMI_ERROR_REALM) {
			r->ended = true;
		}
		r->recs[idx].believed_runnable = false;
		return HOST_OK;
	}
	if ((res = give_up(h, realm, idx, handle_exit(h, realm, (unsigned)idx, &e))) != HOST_OK ||
	    r->ended) {
		return res;
	}
	unsigned t = host_choose(
	    h, (struct host_choice){
		   HOST_CHOICE_TAMPER, realm, (unsigned)idx, 0, 0, HOST_TAMPERINGS, {0}});
	if (t != HOST_CHOOSE_POLICY && t != HOST_TAMPER_NONE) {
		res = give_up(h, realm, idx, tamper(h, realm, (unsigned)idx, (enum host_tamper)t));
	}
	return res;
}

enum host_result host_run(struct host *h)
{
	enum host_result res;
	for (unsigned i = 0; i < h->nrealms; i++) {
		if ((res = host_setup(h, i, true)) != HOST_OK) {
			return res;
		}
	}
	for (bool any = true; any;) {
		any = false;
		for (unsigned i = 0; i < h->nrealms; i++) {
			if (h->realms[i].ended) {
				continue;
			}
			any = true;
			if ((res = run_turn(h, i)) != HOST_OK) {
				return res;
			}
		}
	}
	host_console_flush_all(h);
	return HOST_OK;
}
