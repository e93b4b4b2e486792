/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Narration: what a student reads. Each event that changes what the reader should believe
 * about the system becomes one numbered line, with who acted (world and exception level) and
 * what it means in the spec's terms: command names, failure condition IDs, exit reasons.
 */
#include "trace/trace.h"
#include "view_model.h"

#include "abi/abi.h"

#include <stdlib.h>
#include <string.h>

#define C_DIM   "\033[2m"
#define C_BOLD  "\033[1m"
#define C_RED   "\033[31m"
#define C_GREEN "\033[32m"
#define C_CYAN  "\033[36m"
#define C_OFF   "\033[0m"

/* Values at or above this are negative PSCI return codes worth naming. */
#define PSCI_NAMED_MIN PSCI_INVALID_ADDRESS

static const char *col(const struct trace_narrator *n, const char *code)
{
	return n->color ? code : "";
}

static void addr(const struct trace_narrator *n, uint64_t v, char *buf, size_t len)
{
	const char *name = n->namer ? n->namer(n->namer_ctx, v, buf, len) : NULL;
	if (!name) {
		snprintf(buf, len, "0x%llx", (unsigned long long)v);
	} else if (name != buf) {
		snprintf(buf, len, "%s", name);
	}
}

/* An argument as a reader wants it: a granule's scenario name, a PSCI status by name. */
static void arg(const struct trace_narrator *n, uint64_t v, char *buf, size_t len)
{
	const char *psci = v >= PSCI_NAMED_MIN ? abi_name(ABI_PSCI_RET, v) : NULL;
	if (psci) {
		snprintf(buf, len, "%s", psci);
	} else {
		addr(n, v, buf, len);
	}
}

static void args(const struct trace_narrator *n, const struct trace_event *ev, FILE *f)
{
	const struct trace_field *a = trace_field(ev, "args");
	unsigned len = a && a->kind == TV_HEXLIST ? a->len : 0;
	const char *cmd = trace_field_name(ev, "cmd");
	/* RMI_PSCI_COMPLETE's last argument is the PSCI status (when the revision has one; a
	 * REC's address is never a PSCI code), so PSCI_SUCCESS reads better than 0x0. */
	bool status_last = cmd && strcmp(cmd, "RMI_PSCI_COMPLETE") == 0;
	char buf[64];

	fputc('(', f);
	for (unsigned i = 0; i < len; i++) {
		const char *status = status_last && i + 1 == len && i > 0
					 ? abi_name(ABI_PSCI_RET, a->list[i])
					 : NULL;
		if (status) {
			fprintf(f, "%s%s", i ? ", " : "", status);
			continue;
		}
		arg(n, a->list[i], buf, sizeof(buf));
		fprintf(f, "%s%s", i ? ", " : "", buf);
	}
	fputc(')', f);
}

/* Ends a call line left open for its result when something else is printed first. */
static void close_line(struct trace_narrator *n)
{
	if (n->open_call) {
		fputc('\n', n->out);
		n->open_call = false;
	}
}

/* Lines are numbered by the event's seq, so they can be found in the --json stream. */
static void who(struct trace_narrator *n, const struct trace_event *ev, const char *actor,
		const char *el)
{
	close_line(n);
	fprintf(n->out, "%s%4llu%s  %-7s %-7s ", col(n, C_DIM), (unsigned long long)ev->seq,
		col(n, C_OFF), actor, el);
}

static void realm_rec(const struct trace_event *ev, char *buf, size_t len)
{
	uint64_t rec = 0;
	trace_field_num(ev, "rec", &rec);
	const char *realm = trace_field_name(ev, "realm");
	if (realm && strcmp(realm, "realm") != 0) {
		snprintf(buf, len, "%s.REC %llu", realm, (unsigned long long)rec);
	} else {
		snprintf(buf, len, "REC %llu", (unsigned long long)rec);
	}
}

/* The call's output values, as the event marks them: "; walk_level = 3, state = ASSIGNED". */
static void outputs_text(struct trace_narrator *n, const struct trace_event *ev)
{
	unsigned shown = 0;
	char buf[64];

	for (unsigned i = 0; i < ev->nfields; i++) {
		const struct trace_field *f = &ev->fields[i];
		if (!f->output) {
			continue;
		}
		fprintf(n->out, "%s%s = ", shown++ ? ", " : "; ", f->key);
		if (f->kind == TV_NAME || f->kind == TV_STR) {
			fputs(f->str, n->out);
		} else if (f->kind == TV_INT) {
			fprintf(n->out, "%lld", (long long)f->num);
		} else {
			addr(n, f->num, buf, sizeof(buf));
			fputs(buf, n->out);
		}
	}
}

/* --explain: the reason of a condition or decision, under the line, in the text column. */
static void why_line(struct trace_narrator *n, const struct trace_event *ev)
{
	char buf[512];
	const char *why = n->explain ? n->explain(n->explain_ctx, ev, buf, sizeof(buf)) : NULL;
	if (why) {
		fprintf(n->out, "%22s%swhy:%s %s\n", "", col(n, C_DIM), col(n, C_OFF), why);
	}
}

static void status_text(struct trace_narrator *n, const struct trace_event *ev)
{
	const char *status = trace_field_name(ev, "status"),
		   *cond = trace_field_name(ev, "condition");
	bool ok = status && strcmp(status, "RMI_SUCCESS") == 0;
	uint64_t index = 0;

	fprintf(n->out, " -> %s%s%s", col(n, ok ? C_GREEN : C_RED), status ? status : "?",
		col(n, C_OFF));
	if (trace_field_num(ev, "index", &index) && index) {
		fprintf(n->out, " (index %llu)", (unsigned long long)index);
	}
	if (cond) {
		fprintf(n->out, ": failure condition %s'%s'%s", col(n, C_RED), cond, col(n, C_OFF));
	}
	outputs_text(n, ev);
	fputc('\n', n->out);
	why_line(n, ev);
}

/* The host's SMC opens the line; the RMM's result closes it (or gets a line of its own when
 * the call had visible effects in between, as RMI_REC_ENTER does). */
static void narrate_smc(struct trace_narrator *n, const struct trace_event *ev)
{
	uint64_t fid = 0;
	const char *world = trace_field_name(ev, "world");
	trace_field_num(ev, "fid", &fid);
	const char *name = abi_name(ABI_FID, fid);
	if (!world || strcmp(world, "NS") != 0 || !name || strncmp(name, "RMI_", 4) != 0) {
		if (n->verbose) { /* EL3's own services: GTSI from the RMM, refused calls */
			bool rmm = world && strcmp(world, "REALM") == 0;
			uint64_t result = 0;
			trace_field_num(ev, "result", &result);
			who(n, ev, rmm ? "RMM" : "host", rmm ? "R-EL2" : "NS-EL2");
			/* An SMC event carries X1-X6 whatever the call's arity: trailing zero
			 * registers are not arguments worth showing. */
			const struct trace_field *a = trace_field(ev, "args");
			unsigned len = a && a->kind == TV_HEXLIST ? a->len : 0;
			char buf[64];
			while (len && a->list[len - 1] == 0) {
				len--;
			}
			fprintf(n->out, "SMC %s(", name ? name : "(unknown FID)");
			for (unsigned i = 0; i < len; i++) {
				arg(n, a->list[i], buf, sizeof(buf));
				fprintf(n->out, "%s%s", i ? ", " : "", buf);
			}
			fputc(')', n->out);
			fprintf(n->out, " to EL3 -> %s\n",
				result == 0              ? "E_RMM_OK"
				: result == (uint64_t)-1 ? "SMC_UNK"
							 : "error");
		}
		return;
	}
	who(n, ev, "host", "NS-EL2");
	fprintf(n->out, "calls %s%s%s", col(n, C_BOLD), name, col(n, C_OFF));
	n->call_args = true;
	n->open_call = true;
	snprintf(n->call, sizeof(n->call), "%s", name);
}

static void narrate_rmi(struct trace_narrator *n, const struct trace_event *ev)
{
	const char *cmd = trace_field_name(ev, "cmd");
	if (n->open_call && cmd && strcmp(cmd, n->call) == 0) {
		args(n, ev, n->out);
		n->open_call = false;
		status_text(n, ev);
		return;
	}
	who(n, ev, "RMM", "R-EL2");
	fprintf(n->out, "%s%s%s", col(n, C_BOLD), cmd ? cmd : "?", col(n, C_OFF));
	args(n, ev, n->out);
	status_text(n, ev);
}

static void narrate_rec_exit(struct trace_narrator *n, const struct trace_event *ev)
{
	char rec[48];
	const struct trace_field *g = trace_field(ev, "gprs");
	const char *reason = trace_field_name(ev, "reason");

	realm_rec(ev, rec, sizeof(rec));
	who(n, ev, rec, "R-EL1");
	fprintf(n->out, "exits to the host: %s%s%s", col(n, C_CYAN), reason ? reason : "?",
		col(n, C_OFF));
	if (reason && strcmp(reason, "PSCI") == 0 && g && g->len >= 2) {
		fprintf(n->out, " (X0 = 0x%llx, X1 = 0x%llx)", (unsigned long long)g->list[0],
			(unsigned long long)g->list[1]);
	}
	/* Where it stopped, when its image's symbols name the place. */
	const char *sym = trace_field_name(ev, "symbol");
	uint64_t pc;
	if (sym && trace_field_num(ev, "pc", &pc)) {
		fprintf(n->out, " at 0x%llx <%s>", (unsigned long long)pc, sym);
	}
	fputc('\n', n->out);
}

static void narrate_call(struct trace_narrator *n, const struct trace_event *ev)
{
	char rec[48];
	const char *result = view_result(ev);
	uint64_t raw;

	realm_rec(ev, rec, sizeof(rec));
	who(n, ev, rec, "R-EL1");
	fprintf(n->out, "%s", trace_field_text(ev, "call", "?"));
	args(n, ev, n->out);
	if (result) {
		fprintf(n->out, " returns %s%s%s", col(n, C_BOLD), result, col(n, C_OFF));
	} else if (trace_field_num(ev, "result", &raw)) {
		fprintf(n->out, " returns 0x%llx", (unsigned long long)raw);
	}
	const char *cond = trace_field_name(ev, "condition");
	if (cond) {
		fprintf(n->out, ": failure condition %s'%s'%s", col(n, C_RED), cond, col(n, C_OFF));
	}
	outputs_text(n, ev);
	fputc('\n', n->out);
	why_line(n, ev);
}

static void narrate_host(struct trace_narrator *n, const struct trace_event *ev)
{
	char detail[128];
	const char *d = trace_field_name(ev, "decision");

	who(n, ev, "host", "NS-EL2");
	view_host_detail(ev, false, detail, sizeof(detail));
	fprintf(n->out, "VMM decides: %s%s%s%s\n", col(n, C_BOLD), view_decision(d), col(n, C_OFF),
		detail);
}

static void narrate_state(struct trace_narrator *n, const struct trace_event *ev)
{
	char rec[48];
	const struct trace_field *runnable = trace_field(ev, "runnable");
	const struct trace_field *pending = trace_field(ev, "pending");

	realm_rec(ev, rec, sizeof(rec));
	who(n, ev, rec, "");
	fprintf(n->out, "is now %s%s\n", runnable && runnable->num ? "RUNNABLE" : "NOT_RUNNABLE",
		pending && pending->num ? ", PSCI request pending" : "");
}

/* The claims a reader compares: the RIM in full, the rest by their first bytes (`cca-sim
 * token` and the `token` event in --json have them whole). */
static void narrate_token(struct trace_narrator *n, const struct trace_event *ev)
{
	char rec[48];
	uint64_t size = 0;
	const struct trace_field *ch = trace_field(ev, "challenge");
	const char *rim = trace_field_name(ev, "rim"), *error = trace_field_name(ev, "error");

	realm_rec(ev, rec, sizeof(rec));
	trace_field_num(ev, "size", &size);
	who(n, ev, rec, "R-EL1");
	fprintf(n->out, "holds its attestation token, %llu bytes", (unsigned long long)size);
	if (error || !rim) {
		fprintf(n->out, ": %sundecodable%s (%s)\n", col(n, C_RED), col(n, C_OFF),
			error ? error : "no claims");
		return;
	}
	fprintf(n->out, ": RIM %s%s%s (%s)", col(n, C_BOLD), rim, col(n, C_OFF),
		trace_field_text(ev, "hash_algo", "?"));
	static const char *const rems[] = {"rem0", "rem1", "rem2", "rem3"};
	for (unsigned i = 0; i < 4; i++) {
		const char *rem = trace_field_name(ev, rems[i]);
		fprintf(n->out, ", REM%u %.8s...", i, rem ? rem : "?");
	}
	if (ch && ch->kind == TV_HEXLIST && ch->len) {
		fprintf(n->out, ", challenge 0x%llx...", (unsigned long long)ch->list[0]);
	}
	fputc('\n', n->out);
}

static void narrate_other(struct trace_narrator *n, const struct trace_event *ev)
{
	enum trace_type type = ev->kind;
	uint64_t v = 0;
	char buf[64];

	if (type == TE_realm_state) {
		who(n, ev, "realm", "");
		fprintf(n->out, "%s is now %s\n", trace_field_text(ev, "realm", "realm"),
			trace_field_text(ev, "state", "?"));
	} else if (type == TE_gpf) {
		trace_field_num(ev, "pa", &v);
		addr(n, v, buf, sizeof(buf));
		who(n, ev, trace_field_text(ev, "world", "?"), "");
		fprintf(n->out, "%sgranule protection fault%s: %s of %s denied by the GPT (%s)\n",
			col(n, C_RED), col(n, C_OFF), trace_field_name(ev, "access"), buf,
			trace_field_text(ev, "gpi", "?"));
	} else if (type == TE_access) {
		trace_field_num(ev, "pa", &v);
		addr(n, v, buf, sizeof(buf));
		who(n, ev, "host", "NS-EL2");
		fprintf(n->out, "%s of %s completed\n",
			trace_field_name(ev, "access") &&
				strcmp(trace_field_name(ev, "access"), "write") == 0
			    ? "store"
			    : "load",
			buf);
	} else if (type == TE_rec_enter) {
		char rec[48];
		realm_rec(ev, rec, sizeof(rec));
		who(n, ev, "RMM", "R-EL2");
		fprintf(n->out, "enters %s\n", rec);
	} else if (type == TE_console) {
		char rec[48];
		realm_rec(ev, rec, sizeof(rec));
		who(n, ev, rec, "UART");
		fprintf(n->out, "console: %s%s%s\n", col(n, C_BOLD),
			trace_field_text(ev, "text", ""), col(n, C_OFF));
	} else if (type == TE_interrupt) {
		char rec[48];
		uint64_t intid = 0;
		realm_rec(ev, rec, sizeof(rec));
		trace_field_num(ev, "intid", &intid);
		trace_field_num(ev, "vector", &v);
		who(n, ev, rec, "R-EL1");
		fprintf(n->out, "takes virtual IRQ %llu at its vector 0x%llx\n",
			(unsigned long long)intid, (unsigned long long)v);
	} else if (type == TE_guest_exit) {
		char rec[48];
		realm_rec(ev, rec, sizeof(rec));
		trace_field_num(ev, "status", &v);
		who(n, ev, rec, "R-EL1");
		fprintf(n->out, "writes %llu to the exit device: the VMM ends the realm\n",
			(unsigned long long)v);
	} else if (type == TE_token) {
		narrate_token(n, ev);
	} else if (type == TE_check) {
		const struct trace_field *ok = trace_field(ev, "ok");
		who(n, ev, "check", "");
		fprintf(n->out, "%s%s%s %s\n", col(n, ok && ok->num ? C_GREEN : C_RED),
			ok && ok->num ? "ok" : "FAILED", col(n, C_OFF),
			trace_field_text(ev, "what", ""));
	} else if (n->verbose && type == TE_world_switch) {
		who(n, ev, "EL3", "EL3");
		fprintf(n->out, "world switch %s -> %s\n", trace_field_name(ev, "from"),
			trace_field_name(ev, "to"));
	} else if (type == TE_gpt) {
		trace_field_num(ev, "pa", &v);
		addr(n, v, buf, sizeof(buf));
		who(n, ev, "EL3", "EL3");
		fprintf(n->out, "GPT: %s %s -> %s\n", buf, trace_field_name(ev, "from"),
			trace_field_name(ev, "to"));
	}
}

/* ---- folding set-up and teardown (trace_narrator.fold) ---------------------------------- */

#define FOLD_MIN 3 /* fewer successful calls in a row are shown as they are */

/* A host RMI call that builds or takes down a realm, as opposed to running it. */
static bool housekeeping_fid(const struct trace_event *ev, const char **cmd)
{
	uint64_t fid = 0;
	const char *world = trace_field_name(ev, "world");
	trace_field_num(ev, "fid", &fid);
	const char *name = abi_name(ABI_FID, fid);
	*cmd = name;
	return world && strcmp(world, "NS") == 0 && name && strncmp(name, "RMI_", 4) == 0 &&
	       view_housekeeping(name);
}

static void fold_count(struct narrate_fold *f, const char *cmd)
{
	unsigned j = 0;
	while (j < f->nnames && strcmp(f->names[j], cmd) != 0) {
		j++;
	}
	if (j == f->nnames && f->nnames < 16) {
		f->names[f->nnames] = cmd;
		f->counts[f->nnames++] = 0;
	}
	if (j < f->nnames) {
		f->counts[j]++;
	}
	if (strstr(cmd, "_DESTROY") || strcmp(cmd, "RMI_GRANULE_UNDELEGATE") == 0) {
		f->teardown = true;
	} else if (strstr(cmd, "_CREATE") || strcmp(cmd, "RMI_GRANULE_DELEGATE") == 0 ||
		   strcmp(cmd, "RMI_REALM_ACTIVATE") == 0) {
		f->setup = true;
	}
}

/* "set-up: 12 RMI calls, all RMI_SUCCESS (GRANULE_DELEGATE x7, ...), 9 GPT transitions, realm
 * ACTIVE", numbered by its first event, with the range it stands for. */
static void fold_line(struct trace_narrator *n, uint64_t last)
{
	struct narrate_fold *f = &n->fold_state;
	const char *phase = f->setup && !f->teardown   ? "set-up"
			    : f->teardown && !f->setup ? "teardown"
						       : "RMI calls";
	fprintf(f->out, "%s%4llu%s  %-7s %-7s %s%s%s: %u RMI calls, all RMI_SUCCESS (",
		col(n, C_DIM), (unsigned long long)f->first_seq, col(n, C_OFF), "host", "NS-EL2",
		col(n, C_BOLD), phase, col(n, C_OFF), f->calls);
	for (unsigned j = 0; j < f->nnames; j++) {
		const char *c = f->names[j] + 4; /* without RMI_ */
		fprintf(f->out, f->counts[j] > 1 ? "%s%s x%u" : "%s%s", j ? ", " : "", c,
			f->counts[j]);
	}
	fputc(')', f->out);
	if (f->gpt) {
		fprintf(f->out, ", %u GPT transition%s", f->gpt, f->gpt == 1 ? "" : "s");
	}
	if (f->realm_state) {
		fprintf(f->out, ", realm %s", f->realm_state);
	}
	fprintf(f->out, " %s[events %llu-%llu; --no-fold shows them]%s\n", col(n, C_DIM),
		(unsigned long long)f->first_seq, (unsigned long long)last, col(n, C_OFF));
}

/* Gives back what is held: folded into one line when it holds enough whole calls, the rest
 * (a call not finished yet) as it is. Then the narration writes straight out again. */
static void fold_flush(struct trace_narrator *n, bool keep_open_call)
{
	struct narrate_fold *f = &n->fold_state;
	if (!f->held) {
		return;
	}
	fflush(f->held);
	size_t whole = keep_open_call ? f->call_start : f->len;
	if (f->calls >= FOLD_MIN) {
		fold_line(n, keep_open_call ? f->seq_before_call : f->last_seq);
		fwrite(f->buf + whole, 1, f->len - whole, f->out);
	} else {
		fwrite(f->buf, 1, f->len, f->out);
	}
	fclose(f->held);
	free(f->buf);
	n->out = f->out;
	memset(f, 0, sizeof(*f));
}

/* Whether `ev` joins the held lines (opening them at a housekeeping call); false: flushed. */
static bool fold_take(struct trace_narrator *n, const struct trace_event *ev)
{
	struct narrate_fold *f = &n->fold_state;
	const char *cmd = NULL;
	switch (ev->kind) {
	case TE_smc:
		if (housekeeping_fid(ev, &cmd)) {
			if (!f->held) {
				f->out = n->out;
				f->held = open_memstream(&f->buf, &f->len);
				if (!f->held) {
					return false;
				}
				n->out = f->held;
				f->first_seq = ev->seq;
			}
			fflush(f->held);
			f->call_start = f->len;
			f->seq_before_call = f->last_seq;
			break;
		}
		/* EL3's own services inside a call (shown with --verbose only) stay with it */
		return f->held && !(trace_field_name(ev, "world") &&
				    strcmp(trace_field_name(ev, "world"), "NS") == 0);
	case TE_rmi: {
		const char *status = trace_field_name(ev, "status");
		if (!f->held || !status || strcmp(status, "RMI_SUCCESS") != 0) {
			fold_flush(n, f->held != NULL && n->open_call);
			return false;
		}
		cmd = trace_field_name(ev, "cmd");
		if (!view_housekeeping(cmd)) {
			return false;
		}
		f->calls++;
		fold_count(f, cmd);
		break;
	}
	case TE_gpt:
	case TE_realm_state:
	case TE_rec_state:
	case TE_world_switch:
		if (!f->held) {
			return false;
		}
		f->gpt += ev->kind == TE_gpt;
		if (ev->kind == TE_realm_state) {
			f->realm_state = trace_field_name(ev, "state");
		}
		break;
	default:
		return false;
	}
	f->last_seq = ev->seq;
	return true;
}

void trace_narrate_finish(struct trace_narrator *n)
{
	fold_flush(n, false);
	close_line(n);
}

void trace_narrate_sink(void *narrator, const struct trace_event *ev)
{
	struct trace_narrator *n = narrator;
	if (n->fold && !fold_take(n, ev)) {
		fold_flush(n, false);
	}
	if (ev->kind == TE_smc) {
		narrate_smc(n, ev);
	} else if (ev->kind == TE_rmi) {
		narrate_rmi(n, ev);
	} else if (ev->kind == TE_rec_exit) {
		narrate_rec_exit(n, ev);
	} else if (ev->kind == TE_psci || ev->kind == TE_rsi) {
		narrate_call(n, ev);
	} else if (ev->kind == TE_host) {
		narrate_host(n, ev);
	} else if (ev->kind == TE_rec_state) {
		narrate_state(n, ev);
	} else {
		narrate_other(n, ev);
	}
}
