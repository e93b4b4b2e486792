/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The explorer's summaries (explore.h): for people, and as one JSON object for CI. */
#include "explore/explore.h"

#include "abi/abi.h"
#include "trace/trace.h"

#include <string.h>

static const char *psci_name(uint64_t fid)
{
	return fid == PSCI_AFFINITY_INFO || fid == PSCI_AFFINITY_INFO_SMC32 ? "PSCI_AFFINITY_INFO"
									    : "PSCI_CPU_ON";
}

/* A result in the call's own terms: AFFINITY_INFO's 0 is ON. */
static const char *result_name(uint64_t fid, uint64_t v)
{
	if (fid == PSCI_AFFINITY_INFO && (v == 0 || v == PSCI_OFF)) {
		return v ? "OFF" : "ON";
	}
	const char *n = abi_name(ABI_PSCI_RET, v);
	return n ? n : "?";
}

void explore_decision_text(const struct explore_decision *d, int spec, char *buf, size_t len)
{
	switch ((enum host_choice_kind)d->kind) {
	case HOST_CHOICE_SCHEDULE:
		snprintf(buf, len, "enter REC %u (the VMM would enter REC %u)", d->target, d->rec);
		return;
	case HOST_CHOICE_PSCI: {
		unsigned n;
		const struct host_psci_alternative *alts =
		    host_psci_alternatives(spec < 0 ? RMM_SPEC_1_0_REL0 : (enum rmm_spec)spec, &n);
		const char *how = d->chosen < n ? alts[d->chosen].name : "?";
		snprintf(buf, len, "complete REC %u's %s for REC %u %s%s", d->rec,
			 psci_name(d->fid), d->target,
			 d->chosen < n && (alts[d->chosen].wrong_target || alts[d->chosen].late)
			     ? "as "
			     : "with ",
			 how);
		return;
	}
	case HOST_CHOICE_TAMPER:
		snprintf(buf, len, "after REC %u's exit, tamper: %s", d->rec,
			 host_tamper_name((enum host_tamper)d->chosen));
		return;
	}
	snprintf(buf, len, "?");
}

static void decisions_text(FILE *out, const struct explore_violation *v, int spec)
{
	char text[160];
	bool any = false;
	for (unsigned i = 0; i < v->npath; i++) {
		/* alternative 0 of a schedule or tampering point is what the VMM does anyway */
		if (v->path[i].chosen == 0 && v->path[i].kind != HOST_CHOICE_PSCI) {
			continue;
		}
		explore_decision_text(&v->path[i], spec, text, sizeof(text));
		fprintf(out, "    %s\n", text);
		any = true;
	}
	if (!any) {
		fputs("    (none: the VMM's own decisions)\n", out);
	}
}

static const char *plural(unsigned n)
{
	return n == 1 ? "" : "s";
}

void explore_print(const struct scenario *s, const struct explore_options *o,
		   const struct explore_summary *sum, FILE *out)
{
	fprintf(out, "explore %s", s->name);
	if (o->shards > 1) {
		fprintf(out, " (part %u of %u)", o->shard + 1, o->shards);
	}
	fprintf(out, ": %u run%s, %u decision point%s, %u distinct state%s, %u violation%s%s\n",
		sum->runs, plural(sum->runs), sum->decision_points, plural(sum->decision_points),
		sum->distinct_states, plural(sum->distinct_states), sum->nviolations,
		plural(sum->nviolations), sum->truncated ? " (stopped at --max-runs)" : "");
	if (sum->runaways) {
		fprintf(out,
			"%u run%s ended at the instruction budget (a realm that never stops; "
			"--max-insns)\n",
			sum->runaways, plural(sum->runaways));
	}
	fputs("PSCI results the realm can receive, over every host behaviour explored:\n", out);
	for (unsigned i = 0; i < sum->ncalls; i++) {
		const struct explore_call *c = &sum->calls[i];
		bool named = strcmp(c->realm, "realm") != 0; /* several realms: say whose */
		fprintf(out, "  %s%sREC %u, its %s number %u:", named ? c->realm : "",
			named ? "." : "", c->rec, psci_name(c->fid), c->nth);
		for (unsigned k = 0; k < c->nresults; k++) {
			fprintf(out, "%s %s", k ? "," : "", result_name(c->fid, c->results[k]));
		}
		fputc('\n', out);
	}
	if (!sum->nviolations) {
		fputs("every guarantee held in every run\n", out);
		return;
	}
	fprintf(out, "%u run%s broke a guarantee:\n", sum->violation_runs,
		plural(sum->violation_runs));
	for (unsigned i = 0; i < sum->nviolations; i++) {
		const struct explore_violation *v = &sum->violations[i];
		fprintf(out, "VIOLATION %s at event %llu: %s\n  host decisions that lead there:\n",
			explore_invariant_name(v->invariant), (unsigned long long)v->seq, v->what);
		decisions_text(out, v, o->spec);
		if (v->file[0]) {
			fprintf(out,
				"  written as %s (%u host step%s); reproduce with: cca-sim run "
				"--check-invariants %s\n",
				v->file, v->steps, plural(v->steps), v->file);
		}
	}
}

void explore_print_json(const struct scenario *s, const struct explore_options *o,
			const struct explore_summary *sum, FILE *out)
{
	fputs("{\"scenario\":", out);
	trace_json_string(out, s->name);
	fprintf(out,
		",\"shard\":%u,\"shards\":%u,\"runs\":%u,\"decision_points\":%u,"
		"\"distinct_states\":%u,\"merged\":%u,\"runaways\":%u,\"distinct_flows\":%u,"
		"\"truncated\":%s,\"violation_runs\":%u,\"calls\":[",
		o->shards > 1 ? o->shard + 1 : 1, o->shards > 1 ? o->shards : 1, sum->runs,
		sum->decision_points, sum->distinct_states, sum->merged, sum->runaways,
		sum->distinct_flows, sum->truncated ? "true" : "false", sum->violation_runs);
	for (unsigned i = 0; i < sum->ncalls; i++) {
		const struct explore_call *c = &sum->calls[i];
		fputs(i ? ",{\"realm\":" : "{\"realm\":", out);
		trace_json_string(out, c->realm);
		fprintf(out, ",\"rec\":%u,\"call\":\"%s\",\"nth\":%u,\"results\":[", c->rec,
			psci_name(c->fid), c->nth);
		for (unsigned k = 0; k < c->nresults; k++) {
			fprintf(out, "%s\"%s\"", k ? "," : "", result_name(c->fid, c->results[k]));
		}
		fputs("]}", out);
	}
	fputs("],\"violations\":[", out);
	for (unsigned i = 0; i < sum->nviolations; i++) {
		const struct explore_violation *v = &sum->violations[i];
		char text[160];
		fprintf(out, "%s{\"invariant\":\"%s\",\"seq\":%llu,\"what\":", i ? "," : "",
			explore_invariant_name(v->invariant), (unsigned long long)v->seq);
		trace_json_string(out, v->what);
		fputs(",\"decisions\":[", out);
		for (unsigned k = 0; k < v->npath; k++) {
			explore_decision_text(&v->path[k], o->spec, text, sizeof(text));
			fputs(k ? "," : "", out);
			trace_json_string(out, text);
		}
		fputs("],\"file\":", out);
		trace_json_string(out, v->file);
		fputs("}", out);
	}
	fputs("]}\n", out);
}
