/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiling a scenario for the machine: each REC's ops become realm ops (REC indexes turned
 * into the MPIDRs the spec assigns, `recN` entries into REC N's first instruction) and then
 * one protected image per realm; the host part becomes the VMM's realm descriptions and
 * policy; the image's probe points become CPU probes.
 */
#include "runner.h"

#include "abi/abi.h"

#include <stdlib.h>
#include <string.h>

static uint64_t num_or(const struct runner *r, const struct scenario_value *v, uint64_t dflt)
{
	uint64_t n;
	return v->kind != SCENARIO_VAL_NONE && runner_value_num(r, v, &n) ? n : dflt;
}

/* A PSCI target: a REC index, or `{mpidr: N}` as written. */
static uint64_t target_mpidr(const struct runner *r, const struct scenario_op *op)
{
	uint64_t t = num_or(r, &op->target, 0);
	return op->target_is_mpidr ? t : rec_index_to_mpidr(t);
}

static int entry_of(struct runner *r, const struct scenario_value *v, struct realm_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (v->kind == SCENARIO_VAL_SYMBOL && v->sym == SCENARIO_SYM_REC) {
		if (v->offset != 0) {
			runner_fail(r, &v->pos, "an entry point `recN + offset` is not supported");
			return -1;
		}
		e->is_rec = true;
		e->rec = v->index;
		return 0;
	}
	e->ipa = num_or(r, v, 0);
	return 0;
}

static void copy_regs(const struct runner *r, const struct scenario_regs *regs, uint64_t *x,
		      unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		x[i] = (regs->mask & (1U << i)) ? num_or(r, &regs->x[i], 0) : 0;
	}
}

static int compile_op(struct runner *r, const struct scenario_op *op, struct realm_op *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = op->kind;
	switch (op->kind) {
	case REALM_OP_PSCI_FEATURES:
		out->u.psci_features.fid = num_or(r, &op->fid, 0);
		break;
	case REALM_OP_PSCI_CPU_ON:
		out->u.psci_cpu_on.target = target_mpidr(r, op);
		out->u.psci_cpu_on.context_id = num_or(r, &op->context_id, 0);
		return entry_of(r, &op->entry, &out->u.psci_cpu_on.entry);
	case REALM_OP_PSCI_AFFINITY_INFO:
		out->u.psci_affinity_info.target = target_mpidr(r, op);
		out->u.psci_affinity_info.level = num_or(r, &op->level, 0);
		break;
	case REALM_OP_PSCI_CPU_SUSPEND:
		out->u.psci_cpu_suspend.power_state = num_or(r, &op->power_state, 0);
		out->u.psci_cpu_suspend.context_id = num_or(r, &op->context_id, 0);
		return entry_of(r, &op->entry, &out->u.psci_cpu_suspend.entry);
	case REALM_OP_RSI_VERSION:
		out->u.rsi_version.requested = num_or(r, &op->requested, 0x10000);
		break;
	case REALM_OP_RSI_HOST_CALL:
		out->u.rsi_host_call.imm = (uint16_t)num_or(r, &op->imm, 0);
		if (op->gprs.kind == SCENARIO_VAL_LIST) {
			size_t n = op->gprs.count < REALM_HOST_CALL_GPRS ? op->gprs.count
									 : REALM_HOST_CALL_GPRS;
			for (size_t i = 0; i < n; i++) {
				out->u.rsi_host_call.gprs[i] = num_or(r, &op->gprs.items[i], 0);
			}
			out->u.rsi_host_call.ngprs = (unsigned)n;
		}
		break;
	case REALM_OP_RSI_IPA_STATE_GET:
		out->u.rsi_ipa_state_get.ipa = num_or(r, &op->ipa, 0);
		break;
	case REALM_OP_RSI_ATTESTATION_TOKEN_INIT:
		/* The challenge's doublewords in X1..X8; those not given are 0. */
		if (op->challenge.kind == SCENARIO_VAL_LIST) {
			for (size_t i = 0; i < op->challenge.count && i < 8; i++) {
				out->u.rsi_attestation_token_init.challenge[i] =
				    num_or(r, &op->challenge.items[i], 0);
			}
		}
		break;
	case REALM_OP_RSI_ATTESTATION_TOKEN_CONTINUE:
		out->u.rsi_attestation_token_continue.has_addr = op->addr.kind != SCENARIO_VAL_NONE;
		out->u.rsi_attestation_token_continue.addr = num_or(r, &op->addr, 0);
		out->u.rsi_attestation_token_continue.offset = num_or(r, &op->offset, 0);
		out->u.rsi_attestation_token_continue.size = num_or(r, &op->size, 0);
		break;
	case REALM_OP_RSI_IPA_STATE_SET:
		out->u.rsi_ipa_state_set.base = num_or(r, &op->base, 0);
		out->u.rsi_ipa_state_set.top = num_or(r, &op->top, 0);
		out->u.rsi_ipa_state_set.ripas = num_or(r, &op->ripas, 0);
		out->u.rsi_ipa_state_set.flags = num_or(r, &op->flags, 0);
		break;
	case REALM_OP_SMC:
		copy_regs(r, &op->regs, out->u.smc.x, 7);
		break;
	case REALM_OP_LOAD:
		out->u.load.ipa = num_or(r, &op->ipa, 0);
		break;
	case REALM_OP_STORE:
		out->u.store.ipa = num_or(r, &op->ipa, 0);
		out->u.store.value = num_or(r, &op->value, 0);
		break;
	case REALM_OP_PSCI_VERSION:
	case REALM_OP_PSCI_CPU_OFF:
	case REALM_OP_PSCI_SYSTEM_OFF:
	case REALM_OP_PSCI_SYSTEM_RESET:
	case REALM_OP_RSI_REALM_CONFIG:
	case REALM_OP_CHECK_REGS:
	case REALM_OP_COUNT:
		break; /* no arguments */
	}
	return 0;
}

/* The IPA of symbol `name` of the image, false when it has none of that name. */
static bool symbol_ipa(const struct realm_image *img, const char *name, uint64_t *ipa)
{
	for (size_t i = 0; i < img->nsyms; i++) {
		if (strcmp(img->syms[i].name, name) == 0) {
			*ipa = img->syms[i].ipa;
			return true;
		}
	}
	return false;
}

static int add_probes(struct runner *r, unsigned realm)
{
	const struct realm_image *img = &r->img[realm];
	const struct scenario_realm *sr = &r->s->realms[realm];
	size_t nchecks = 0;
	for (size_t j = 0; j < sr->nrecs; j++) {
		nchecks += sr->recs[j].nchecks;
	}
	struct runner_probe *p =
	    realloc(r->probes, (r->nprobes + img->nprobes + nchecks + 1) * sizeof(*r->probes));
	if (!p) {
		return -1;
	}
	r->probes = p;
	for (size_t j = 0; j < sr->nrecs; j++) {
		for (size_t k = 0; k < sr->recs[j].nchecks; k++, r->nprobes++) {
			const struct scenario_check_at *ck = &sr->recs[j].checks[k];
			uint64_t ipa;
			if (!symbol_ipa(img, ck->at, &ipa)) {
				runner_fail(r, &ck->pos, "no symbol `%s` in the image of %s.rec%zu",
					    ck->at, sr->name, j);
				return -2;
			}
			r->probes[r->nprobes] = (struct runner_probe){.ipa = ipa,
								      .realm = realm,
								      .rec = (unsigned)j,
								      .op = (unsigned)k,
								      .at_symbol = true,
								      .order = r->nprobes};
		}
	}
	for (size_t i = 0; i < img->nprobes; i++, r->nprobes++) {
		r->probes[r->nprobes] = (struct runner_probe){
		    .ipa = img->probes[i].ipa,
		    .realm = realm,
		    .rec = img->probes[i].rec,
		    .op = img->probes[i].op,
		    .kind = img->probes[i].kind,
		    .order = r->nprobes,
		};
	}
	return 0;
}

static int build_image(struct runner *r, unsigned i)
{
	const struct scenario_realm *sr = &r->s->realms[i];
	struct realm_rec_src *src = calloc(sr->nrecs, sizeof(*src));
	size_t total = 0, at = 0;
	char err[256];
	int rc = -1;

	for (size_t j = 0; j < sr->nrecs; j++) {
		total += sr->recs[j].image ? 0 : sr->recs[j].program->nops;
	}
	r->ops[i] = calloc(total + 1, sizeof(struct realm_op));
	if (!src || !r->ops[i]) {
		goto out;
	}
	for (size_t j = 0; j < sr->nrecs; j++) {
		const struct scenario_rec *rec = &sr->recs[j];
		if (rec->image) {
			src[j].elf_path = rec->image_path;
			src[j].elf_entry = rec->entry;
			continue;
		}
		src[j].ops = &r->ops[i][at];
		src[j].nops = rec->program->nops;
		for (size_t k = 0; k < rec->program->nops; k++) {
			if (compile_op(r, &rec->program->ops[k], &r->ops[i][at++]) != 0) {
				goto out;
			}
		}
	}
	struct realm_params params = {
	    .base_ipa = 0, .ipa_bits = sr->ipa_bits, .recs = src, .nrecs = sr->nrecs};
	if (realm_build(&params, &r->img[i], err, sizeof(err)) != 0) {
		runner_fail(r, &sr->pos, "cannot build realm %s: %s", sr->name, err);
		goto out;
	}
	rc = add_probes(r, i);
out:
	free(src);
	return rc;
}

static int describe_realm(struct runner *r, unsigned i, struct host_realm_desc *d)
{
	const struct scenario_realm *sr = &r->s->realms[i];
	const struct scenario_host *sh = &r->s->host;
	const struct realm_image *img = &r->img[i];

	r->recs[i] = calloc(sr->nrecs, sizeof(*r->recs[i]));
	r->regions[i] = calloc(img->nregions + 1, sizeof(*r->regions[i]));
	r->plugged[i] = calloc(sr->nrecs, sizeof(bool));
	r->calls[i] = calloc(sh->non_host_call + 1, sizeof(*r->calls[i]));
	r->answers[i] = calloc(sh->nanswers + 1, sizeof(*r->answers[i]));
	r->devices[i] = calloc(sh->ndevices + 1, sizeof(*r->devices[i]));
	r->injects[i] = calloc(sh->ninjects + 1, sizeof(*r->injects[i]));
	if (!r->recs[i] || !r->regions[i] || !r->plugged[i] || !r->calls[i] || !r->answers[i] ||
	    !r->devices[i] || !r->injects[i]) {
		return -1;
	}
	for (size_t k = 0; k < sh->ninjects; k++) {
		const struct scenario_inject *in = &sh->injects[k];
		r->injects[i][k] = (struct host_inject){.rec = (unsigned)num_or(r, &in->rec, 0),
							.intid = (uint32_t)in->intid,
							.priority = (uint8_t)in->priority,
							.at = in->at};
	}
	for (size_t k = 0; k < sh->ndevices; k++) {
		r->devices[i][k].kind = sh->devices[k].kind;
		r->devices[i][k].ipa = num_or(r, &sh->devices[k].ipa, 0);
	}
	for (size_t j = 0; j < sr->nrecs; j++) {
		r->recs[i][j] = (struct host_rec_desc){sr->recs[j].runnable, img->entry[j]};
		r->plugged[i][j] = sh->plugged_all;
	}
	for (size_t k = 0; k < sh->nplugged; k++) {
		uint64_t n = num_or(r, &sh->plugged[k], UINT64_MAX);
		if (n < sr->nrecs) {
			r->plugged[i][n] = true;
		}
	}
	for (size_t g = 0; g < img->nregions; g++) {
		r->regions[i][g] = (struct host_image_region){
		    img->regions[g].ipa, img->regions[g].size, img->regions[g].bytes};
	}
	for (size_t k = 0; k < sh->non_host_call; k++) {
		const struct scenario_host_call *c = &sh->on_host_call[k];
		r->calls[i][k].imm = (uint16_t)num_or(r, &c->imm, 0);
		r->calls[i][k].what = c->action == SCENARIO_HOST_PLUG ? HOST_PLUG : HOST_UNPLUG;
		r->calls[i][k].rec = (unsigned)num_or(r, &c->rec, 0);
	}
	for (size_t k = 0; k < sh->nanswers; k++) {
		const struct scenario_answer *a = &sh->answers[k];
		r->answers[i][k].call = num_or(r, &a->call, PSCI_CPU_ON);
		r->answers[i][k].target = (unsigned)num_or(r, &a->target, HOST_ANY_TARGET);
		r->answers[i][k].status = num_or(r, &a->status, PSCI_SUCCESS);
	}
	*d = (struct host_realm_desc){
	    .name = sr->name,
	    .ipa_bits = sr->ipa_bits,
	    .nrecs = (unsigned)sr->nrecs,
	    .recs = r->recs[i],
	    .regions = r->regions[i],
	    .nregions = (unsigned)img->nregions,
	    .plugged = r->plugged[i],
	    .on_host_call = r->calls[i],
	    .n_on_host_call = (unsigned)sh->non_host_call,
	    .answers = r->answers[i],
	    .nanswers = (unsigned)sh->nanswers,
	    .devices = r->devices[i],
	    .ndevices = (unsigned)sh->ndevices,
	    .trap_wfi = sh->trap_wfi,
	    .trap_wfe = sh->trap_wfe,
	    .injects = r->injects[i],
	    .ninjects = (unsigned)sh->ninjects,
	    .unprotected_sea = sh->unprotected_sea,
	};
	return 0;
}

int runner_compile(struct runner *r)
{
	if (r->s->nrealms > HOST_MAX_REALMS) {
		runner_fail(r, &r->s->realms[HOST_MAX_REALMS].pos,
			    "at most %d realms are supported", HOST_MAX_REALMS);
		return -1;
	}
	for (unsigned i = 0; i < r->s->nrealms; i++) {
		struct host_realm_desc d;
		if (build_image(r, i) != 0 || describe_realm(r, i, &d) != 0 ||
		    host_add_realm(r->h, &d) != (int)i) {
			return -1;
		}
	}
	/* A `dataN` past the image is an input error like a `recN` past the RECs (exit code 2),
	 * found now that the images are built rather than when a step gets to it. */
	for (const struct scenario_data_ref *d = r->s->data_refs; d; d = d->next) {
		size_t n = d->realm < r->s->nrealms ? realm_image_granules(&r->img[d->realm]) : 0;
		if (d->index >= n) {
			runner_fail(
			    r, &d->pos,
			    "error: data%u is out of range: the image of realm `%s` has %zu "
			    "granule%s (data0 to data%zu)",
			    d->index, r->s->realms[d->realm].name, n, n == 1 ? "" : "s",
			    n ? n - 1 : 0);
			return -1;
		}
	}
	return 0;
}

void runner_free(struct runner *r)
{
	for (unsigned i = 0; i < HOST_MAX_REALMS; i++) {
		realm_image_free(&r->img[i]);
		free(r->ops[i]);
		free(r->recs[i]);
		free(r->regions[i]);
		free(r->plugged[i]);
		free(r->calls[i]);
		free(r->answers[i]);
		free(r->devices[i]);
		free(r->injects[i]);
	}
	free(r->probes);
}
