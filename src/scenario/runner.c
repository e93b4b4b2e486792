/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a scenario: boot the machine through the host layer, load each realm's image, set
 * probes where op results are checked, let the host act (automatic VMM or explicit steps),
 * then check the event stream. The machine is reached only the way the scenario says: host
 * actions run the NS-EL2 stub, realms run their own code; probes only read registers.
 */
#include "runner.h"

#include "scenario/scenario_private.h"

#include "abi/abi.h"
#include "scenario/insn_trace.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_INSNS 20000000ULL

static const char *ret_name(const struct scenario_value *want, uint64_t v)
{
	const char *n = want->name;
	if (n && strncmp(n, "PSCI_", 5) == 0) {
		return abi_name(ABI_PSCI_RET, v);
	}
	if (n && strncmp(n, "RSI_", 4) == 0) {
		return abi_name(ABI_RSI_RET, v);
	}
	if (n && strncmp(n, "RMI_", 4) == 0) {
		return abi_name(ABI_RMI_STATUS, v);
	}
	return NULL;
}

/* Compares the live registers x with `want`; `place` says where ("op 2 psci_cpu_on",
 * "at main"). A `check` event reports it, with `op` (0 for a check at a symbol). */
static void check_regs(struct runner *r, const struct runner_probe *p, unsigned running,
		       const char *place, const struct scenario_regs *want, const uint64_t *x)
{
	const struct scenario_realm *sr = &r->s->realms[p->realm];
	char what[400], exp[96];
	bool ok = true;
	size_t at;

	snprintf(what, sizeof(what), "%s.rec%u %s:", sr->name, p->rec, place);
	for (unsigned i = 0; i < SCENARIO_NREGS; i++) {
		uint64_t v;
		if (!(want->mask & (1U << i)) || !runner_value_num(r, &want->x[i], &v)) {
			continue;
		}
		const char *got = ret_name(&want->x[i], x[i]);
		runner_format_value(&want->x[i], exp, sizeof(exp));
		at = strlen(what);
		if (v == x[i]) {
			snprintf(what + at, sizeof(what) - at, " x%u = %s", i, exp);
		} else if (got) { /* what the register held, then what was expected */
			snprintf(what + at, sizeof(what) - at, " x%u = %s, expected %s", i, got,
				 exp);
		} else {
			snprintf(what + at, sizeof(what) - at, " x%u = 0x%llx, expected %s", i,
				 (unsigned long long)x[i], exp);
		}
		r->res->nchecks++;
		if (v != x[i]) {
			ok = false;
			runner_fail(r, &want->x[i].pos,
				    "%s (REC %u) x%u is 0x%llx%s%s%s, expected %s", sr->name,
				    running, i, (unsigned long long)x[i], got ? " (" : "",
				    got ? got : "", got ? ")" : "", exp);
		}
	}
	struct trace_event *ev = trace_begin(r->t, TE_check);
	trace_int(ev, "rec", running);
	trace_int(ev, "op", p->at_symbol ? 0 : p->op + 1);
	trace_str(ev, "what", what);
	trace_bool(ev, "ok", ok);
	trace_end(r->t, ev);
}

/* The first of realm `realm`'s probes at an IPA >= ipa (r->probes is sorted). */
static size_t first_probe_at(const struct runner *r, unsigned realm, uint64_t ipa)
{
	size_t lo = r->realm_probes[realm], hi = r->realm_probes[realm + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->probes[mid].ipa < ipa) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static void on_probe(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct runner *r = ctx;
	uint64_t tag = cpu_pe_thread_tag(pe);
	unsigned running = (unsigned)mpidr_to_rec_index(cpu_thread_mpidr(tag));
	int known = host_realm_of_vmid(r->h, cpu_thread_vmid(tag));
	uint64_t x[SCENARIO_NREGS];

	if (known < 0 || (unsigned)known >= r->s->nrealms) {
		return;
	}
	unsigned realm = (unsigned)known;
	cpu_pe_get_xs(pe, x, SCENARIO_NREGS);
	for (size_t i = first_probe_at(r, realm, va);
	     i < r->realm_probes[realm + 1] && r->probes[i].ipa == va; i++) {
		struct runner_probe *p = &r->probes[i];
		const struct scenario_realm *sr = &r->s->realms[p->realm];
		char place[96];
		if (p->at_symbol) {
			/* Only the REC it is written for: its image may be every REC's. */
			if (running == p->rec) {
				const struct scenario_check_at *ck =
				    &sr->recs[p->rec].checks[p->op];
				p->hits++;
				snprintf(place, sizeof(place), "at %s", ck->at);
				check_regs(r, p, running, place, &ck->expect, x);
			}
			continue;
		}
		p->hits++;
		if (p->kind == REALM_PROBE_END) {
			runner_fail(r, &sr->recs[p->rec].pos,
				    "REC %u's closing PSCI_CPU_OFF returned 0x%llx", running,
				    (unsigned long long)x[0]);
			continue;
		}
		const struct scenario_op *op = &sr->recs[p->rec].program->ops[p->op];
		snprintf(place, sizeof(place), "op %u %s", p->op + 1, op->name);
		if (p->kind == REALM_PROBE_CHECK) {
			check_regs(r, p, running, place, &op->regs, x);
		} else if (op->has_expect) {
			check_regs(r, p, running, place, &op->expect, x);
		}
	}
}

/*
 * Where the code at `pc` of realm `realm` comes from: the op whose code holds it, found from
 * the probe points (each op's is right after its code, check_regs' is its NOP: realm.h), or
 * else REC `rec`'s `program`/`image` (the closing code, an ELF image).
 */
static const struct scenario_pos *code_origin(const struct runner *r, unsigned realm, unsigned rec,
					      uint64_t pc)
{
	const struct scenario_realm *sr = &r->s->realms[realm];
	const struct realm_image *img = &r->img[realm];
	for (size_t i = first_probe_at(r, realm, pc); i < r->realm_probes[realm + 1]; i++) {
		const struct runner_probe *p = &r->probes[i];
		if (p->ipa == pc && p->kind != REALM_PROBE_CHECK) {
			continue; /* the next op's first instruction */
		}
		if (p->kind != REALM_PROBE_END && p->rec < img->nrecs && img->entry[p->rec] <= pc) {
			return &sr->recs[p->rec].program->ops[p->op].pos;
		}
		break;
	}
	return rec < sr->nrecs ? &sr->recs[rec].pos : &sr->pos;
}

/* A REC stuck in a fault loop: the host's description, at the op that started it. */
static void report_fault_loop(struct runner *r)
{
	struct rmm_fault_loop fl;
	unsigned realm;
	const struct scenario_pos *at = NULL;

	char where[128] = "";
	if (host_fault_loop(r->h, &fl, &realm) && realm < r->s->nrealms) {
		uint64_t off = 0;
		const char *sym = realm_image_symbol(&r->img[realm], fl.first_pc, &off);
		at = code_origin(r, realm, (unsigned)fl.rec, fl.first_pc);
		if (sym) {
			snprintf(where, sizeof(where),
				 off ? " (PC 0x%llx is %s+0x%llx)" : " (PC 0x%llx is %s)",
				 (unsigned long long)fl.first_pc, sym, (unsigned long long)off);
		}
	}
	if (at && at->file) {
		snprintf(r->res->error, sizeof(r->res->error), "%s:%u:%u: error: %s%s", at->file,
			 at->line, at->col, host_error(r->h), where);
	} else {
		snprintf(r->res->error, sizeof(r->res->error), "%s: error: %s%s", r->s->file,
			 host_error(r->h), where);
	}
}

/* Ops whose results were to be checked but that never completed, and symbols a check was
 * waiting for that the REC never reached. */
static void check_unreached(struct runner *r)
{
	for (size_t i = 0; i < r->nprobes; i++) {
		const struct runner_probe *p = &r->probes[i];
		if (p->at_symbol && !p->hits) {
			const struct scenario_check_at *ck =
			    &r->s->realms[p->realm].recs[p->rec].checks[p->op];
			r->res->nchecks++;
			runner_fail(r, &ck->pos,
				    "REC %u never reached `%s`, so the check was not made", p->rec,
				    ck->at);
			continue;
		}
		if (p->at_symbol || p->kind == REALM_PROBE_END || p->hits) {
			continue;
		}
		const struct scenario_op *op =
		    &r->s->realms[p->realm].recs[p->rec].program->ops[p->op];
		if (p->kind == REALM_PROBE_CHECK || op->has_expect) {
			r->res->nchecks++;
			runner_fail(r, &op->pos,
				    "%s never completed, so its expectation was not met", op->name);
		}
	}
}

static int by_realm_ipa(const void *a, const void *b)
{
	const struct runner_probe *x = a, *y = b;
	if (x->realm != y->realm) {
		return x->realm < y->realm ? -1 : 1;
	}
	if (x->ipa != y->ipa) {
		return x->ipa < y->ipa ? -1 : 1;
	}
	return (x->order > y->order) - (x->order < y->order);
}

/* Sorts the probes for lookups by address and sets one CPU probe per distinct IPA. */
/*
 * `--trace insn`'s cpu number and symbol (insn_trace_where_fn): a REC is known by its realm's
 * VMID and its MPIDR (the thread tag); its PC is looked up in its realm image's symbols, as an
 * IPA (the SDK's realms run with VA = IPA).
 */
static unsigned insn_where(void *ctx, const struct cpu_insn *insn, char *sym, size_t len)
{
	const struct runner *r = ctx;
	uint64_t off = 0;
	unsigned cpu = 1;

	sym[0] = '\0';
	if (insn->world != CPU_WORLD_REALM) {
		return 0;
	}
	int realm = host_realm_of_vmid(r->h, cpu_thread_vmid(insn->thread_tag));
	if (realm < 0 || (unsigned)realm >= r->s->nrealms) {
		return 1;
	}
	for (int i = 0; i < realm; i++) {
		cpu += (unsigned)r->s->realms[i].nrecs;
	}
	cpu += (unsigned)mpidr_to_rec_index(cpu_thread_mpidr(insn->thread_tag));
	const char *name = realm_image_symbol(&r->img[realm], insn->pc, &off);
	if (name) {
		snprintf(sym, len, off ? "%s+0x%llx" : "%s", name, (unsigned long long)off);
	}
	return cpu;
}

/* The trace's symbolizer: a REC's code address named from its realm's ELF symbols (the
 * generated programs' ops are named by the narration's checks already). */
static bool realm_code_symbol(void *ctx, uint64_t rd, uint64_t pc, char *buf, size_t len)
{
	const struct runner *r = ctx;
	int realm = host_realm_of_rd(r->h, rd);
	uint64_t off = 0;

	if (realm < 0 || (unsigned)realm >= r->s->nrealms) {
		return false;
	}
	const struct realm_image *img = &r->img[realm];
	if (img->code_size && pc >= img->code_ipa && pc - img->code_ipa < img->code_size) {
		return false;
	}
	const char *name = realm_image_symbol(img, pc, &off);
	if (!name) {
		return false;
	}
	snprintf(buf, len, off ? "%s+0x%llx" : "%s", name, (unsigned long long)off);
	return true;
}

/* rmm_config.on_token: --token-out FILE gets the run's first token, FILE.2 the second, ... */
static void write_token(void *ctx, uint64_t rd, uint64_t rec, const uint8_t *token, size_t len)
{
	struct runner *r = ctx;
	char path[4096];
	FILE *f;

	(void)rd;
	(void)rec;
	r->ntokens++;
	if (r->ntokens == 1) {
		snprintf(path, sizeof(path), "%s", r->opt->token_out);
	} else {
		snprintf(path, sizeof(path), "%s.%u", r->opt->token_out, r->ntokens);
	}
	f = fopen(path, "wb");
	if (!f || fwrite(token, 1, len, f) != len) {
		r->token_write_failed = true;
		snprintf(r->res->error, sizeof(r->res->error), "cannot write the token to %.400s",
			 path);
	}
	if (f && fclose(f) != 0) {
		r->token_write_failed = true;
	}
}

static int add_probes(struct runner *r)
{
	struct cpu_machine *m = host_machine(r->h);
	qsort(r->probes, r->nprobes, sizeof(*r->probes), by_realm_ipa);
	for (size_t i = 0, realm = 0; realm <= r->s->nrealms; realm++) {
		while (i < r->nprobes && r->probes[i].realm < realm) {
			i++;
		}
		r->realm_probes[realm] = i;
	}
	for (size_t i = 0; i < r->nprobes; i++) {
		if ((i == 0 || r->probes[i - 1].ipa != r->probes[i].ipa) &&
		    cpu_machine_add_probe(m, CPU_WORLD_REALM, r->probes[i].ipa, on_probe, r) != 0) {
			return -1;
		}
	}
	return 0;
}

static const char *name_addr(void *ctx, uint64_t pa, char *buf, size_t len)
{
	const struct runner *r = ctx;
	return r->h ? host_name_of(r->h, pa, buf, len) : NULL;
}

static void keep_name(void *ctx, uint64_t pa, const char *name)
{
	struct scenario_result *res = ctx;
	struct scenario_name *n = realloc(res->names, (res->nnames + 1) * sizeof(*res->names));
	if (!n) {
		return;
	}
	res->names = n;
	n[res->nnames].pa = pa;
	snprintf(n[res->nnames++].name, sizeof(n->name), "%s", name);
}

const char *scenario_result_name(const struct scenario_result *res, uint64_t pa)
{
	for (size_t i = 0; i < res->nnames; i++) {
		if (res->names[i].pa == pa) {
			return res->names[i].name;
		}
	}
	return NULL;
}

static enum host_result execute(struct runner *r)
{
	enum host_result res;
	if (r->s->host.has_steps) {
		res = runner_steps(r);
	} else {
		res = host_run(r->h);
		if (res == HOST_OK && r->s->host.teardown) {
			r->res->teardown_from = trace_count(r->t) + 1;
			res = host_teardown(r->h);
		}
	}
	host_console_flush_all(r->h);
	return res;
}

int scenario_run(const struct scenario *s, const struct scenario_run_options *o,
		 struct scenario_result *res)
{
	struct runner r = {.s = s, .opt = o, .res = res};
	struct host_config hc = {0};
	struct insn_trace *it = NULL;
	int rc = 0;
	bool debugged = false;

	memset(res, 0, sizeof(*res));
	r.t = res->trace = trace_create();
	trace_keep(r.t, true);
	if (o->json) {
		trace_add_sink(r.t, trace_json_sink, o->json);
	}
	if (o->narrator) {
		o->narrator->namer = name_addr;
		o->narrator->namer_ctx = &r;
		trace_add_sink(r.t, trace_narrate_sink, o->narrator);
	}
	scenario_machine_config(&s->machine, &hc);
	/* The per-instruction hook exists only when the trace is asked for: zero cost otherwise. */
	hc.cpu.insn_hook = o->insn_trace != NULL;
	hc.rmm.spec = o->spec >= 0 ? (enum rmm_spec)o->spec : s->spec;
	hc.rmm.profile = o->profile >= 0 ? (enum rmm_profile)o->profile : s->profile;
	hc.max_insns = o->max_insns ? o->max_insns : DEFAULT_MAX_INSNS;
	if (o->token_out) {
		hc.rmm.on_token = write_token;
		hc.rmm.on_token_ctx = &r;
	}
	struct cpu_machine *reuse = o->keep ? *o->keep : NULL;
	if (o->keep) {
		*o->keep = NULL; /* the host's now, whatever happens */
	}
	if (host_create_on(&hc, r.t, reuse, &r.h) != 0) {
		snprintf(res->error, sizeof(res->error), "%s: the machine could not boot", s->file);
		res->exit_code = CCA_EXIT_SYSTEM;
		return 0;
	}
	trace_set_symbolizer(r.t, realm_code_symbol, &r);
	if (o->chooser) {
		host_set_chooser(r.h, o->chooser, o->chooser_ctx);
	}
	if (o->insn_trace) {
		it = insn_trace_create(o->insn_trace, host_machine(r.h));
		if (!it) {
			snprintf(res->error, sizeof(res->error), "out of memory");
			res->exit_code = CCA_EXIT_SYSTEM;
			goto out;
		}
		cpu_machine_set_insn_hook(host_machine(r.h), insn_trace_hook, it);
		insn_trace_set_where(it, insn_where, &r);
	}
	if (runner_compile(&r) != 0) {
		/* The scenario is valid YAML but cannot be built (e.g. a bad ELF image). */
		snprintf(res->error, sizeof(res->error), "%s",
			 res->nfailures ? res->failures[res->nfailures - 1]
					: "cannot build realms");
		res->exit_code = CCA_EXIT_INPUT;
		rc = -1;
		goto out;
	}
	if (add_probes(&r) != 0) {
		snprintf(res->error, sizeof(res->error), "cannot set probes");
		res->exit_code = CCA_EXIT_SYSTEM;
		goto out;
	}
	if (o->on_machine) {
		o->on_machine(o->debug_ctx, r.h);
		debugged = true;
	}
	enum host_result hr = execute(&r);
	res->insns = host_insns(r.h);
	host_each_name(r.h, keep_name, res);
	if (hr == HOST_FAULT_LOOP) {
		report_fault_loop(&r);
		res->exit_code = CCA_EXIT_SYSTEM;
		goto out;
	}
	if (hr != HOST_OK) {
		res->runaway = hr == HOST_BUDGET;
		/* At the explicit step that was running, if any. */
		int n = r.step && r.step->file
			    ? snprintf(res->error, sizeof(res->error),
				       "%s:%u:%u: error: ", r.step->file, r.step->line, r.step->col)
			    : snprintf(res->error, sizeof(res->error), "%s: ", s->file);
		if (n >= 0 && (size_t)n < sizeof(res->error)) {
			snprintf(res->error + n, sizeof(res->error) - (size_t)n, "%s: %s",
				 hr == HOST_BUDGET ? "runaway guest" : "the emulated system failed",
				 host_error(r.h));
		}
		res->exit_code = CCA_EXIT_SYSTEM;
		goto out;
	}
	check_unreached(&r);
	runner_check_events(&r);
	res->exit_code = res->nfailures ? CCA_EXIT_EXPECT : CCA_EXIT_OK;
	if (r.token_write_failed) {
		res->exit_code = CCA_EXIT_INPUT; /* an output that cannot be written */
	}
out:
	if (o->narrator) {
		trace_narrate_finish(o->narrator); /* a folded teardown is still held */
		o->narrator->namer = NULL;
	}
	if (debugged && o->on_end) {
		o->on_end(o->debug_ctx, res->exit_code);
	}
	trace_set_symbolizer(r.t, NULL, NULL);
	if (o->keep) {
		*o->keep = host_release(r.h);
	} else {
		host_destroy(r.h);
	}
	insn_trace_destroy(it);
	runner_free(&r);
	return rc;
}

void scenario_result_free(struct scenario_result *res)
{
	for (size_t i = 0; i < res->nfailures; i++) {
		free(res->failures[i]);
	}
	free(res->failures);
	free(res->names);
	trace_destroy(res->trace);
	memset(res, 0, sizeof(*res));
}
