/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Events -> diagram rows. Each host RMI call (its SMC up to the next one) is a block of rows;
 * view_fold.c then folds what a reader does not need to see row by row:
 *  1. a run of 3 or more successful housekeeping calls (DELEGATE, CREATE, DESTROY, ...)
 *     becomes one fold row ("set-up: 23 RMI calls, all RMI_SUCCESS"), so the part of the
 *     flow that matters stands out; a failed call is never folded;
 *  2. a pattern of 1..8 blocks repeated 3 or more times in a row (256 vCPUs switched on one
 *     after the other) is shown once and followed by a fold row counting the repetitions.
 * Blocks compare equal when their rows match with every number replaced by '#'.
 * World switches are drawn as the hop through the EL3 monitor of every call, not as rows.
 */
#include "trace/view_model.h"

#include "abi/abi.h"

#include <stdlib.h>
#include <string.h>

struct vm_rec {
	const char *realm; /* points into the events */
	uint64_t rec;
	unsigned order;     /* first appearance of the realm */
	int runnable;       /* last known, -1 unknown */
	char exit_call[40]; /* the PSCI call of its last exit, answered later by the RMM */
};

/* ---- lifelines ---------------------------------------------------------------------------- */

static bool same_realm(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* An event without a realm (a check) names the REC of that index in the first realm. */
static struct vm_rec *find_rec(struct vm_builder *b, const char *realm, uint64_t rec)
{
	for (size_t i = 0; i < b->nrecs; i++) {
		if (b->recs[i].rec == rec && (!realm || same_realm(b->recs[i].realm, realm))) {
			return &b->recs[i];
		}
	}
	return NULL;
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct vm_rec *a = pa, *b = pb;
	if (a->order != b->order) {
		return a->order < b->order ? -1 : 1;
	}
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static void rec_label(const char *realm, uint64_t rec, char *buf, size_t len)
{
	if (realm && strcmp(realm, "realm") != 0) {
		snprintf(buf, len, "%s.rec%llu", realm, (unsigned long long)rec);
	} else {
		snprintf(buf, len, "rec%llu", (unsigned long long)rec);
	}
}

static int collect_recs(const struct trace *t, struct vm_builder *b)
{
	unsigned realms = 0;
	size_t n = trace_count(t);
	for (size_t i = 0; i < n; i++) {
		const struct trace_event *ev = trace_get(t, i);
		uint64_t rec;
		const char *realm = trace_field_name(ev, "realm");
		/* host decisions and checks name a REC without its realm: not a lifeline source */
		if (!trace_field_num(ev, "rec", &rec) || !realm || ev->kind == TE_host) {
			continue;
		}
		if (find_rec(b, realm, rec)) {
			continue;
		}
		unsigned order = realms;
		for (size_t j = 0; j < b->nrecs; j++) {
			if (same_realm(b->recs[j].realm, realm)) {
				order = b->recs[j].order;
				break;
			}
		}
		realms += order == realms;
		struct vm_rec *r = realloc(b->recs, (b->nrecs + 1) * sizeof(*r));
		if (!r) {
			return -1;
		}
		b->recs = r;
		b->recs[b->nrecs++] =
		    (struct vm_rec){.realm = realm, .rec = rec, .order = order, .runnable = -1};
	}
	if (b->nrecs) {
		qsort(b->recs, b->nrecs, sizeof(*b->recs), cmp_rec);
	}
	return 0;
}

static int make_lines(struct vm_builder *b)
{
	size_t shown = b->nrecs > VM_MAX_REC_LINES ? VM_MAX_REC_LINES - 1 : b->nrecs;
	int n = VM_LINE_REC0 + (int)shown + (b->nrecs > shown);
	struct vm_line *l = calloc((size_t)n, sizeof(*l));
	if (!l) {
		return -1;
	}
	snprintf(l[VM_LINE_HOST].name, sizeof(l->name), "host");
	snprintf(l[VM_LINE_HOST].sub, sizeof(l->sub), "NS-EL2");
	snprintf(l[VM_LINE_EL3].name, sizeof(l->name), "EL3 monitor");
	snprintf(l[VM_LINE_EL3].sub, sizeof(l->sub), "EL3");
	snprintf(l[VM_LINE_RMM].name, sizeof(l->name), "RMM");
	snprintf(l[VM_LINE_RMM].sub, sizeof(l->sub), "R-EL2");
	for (size_t i = 0; i < shown; i++) {
		rec_label(b->recs[i].realm, b->recs[i].rec, l[VM_LINE_REC0 + i].name,
			  sizeof(l->name));
		snprintf(l[VM_LINE_REC0 + i].sub, sizeof(l->sub), "R-EL1");
	}
	if (b->nrecs > shown) {
		char first[40], last[40];
		rec_label(b->recs[shown].realm, b->recs[shown].rec, first, sizeof(first));
		rec_label(b->recs[b->nrecs - 1].realm, b->recs[b->nrecs - 1].rec, last,
			  sizeof(last));
		snprintf(l[n - 1].name, sizeof(l->name), "%s", first);
		view_append(l[n - 1].name, sizeof(l->name), " .. ");
		view_append(l[n - 1].name, sizeof(l->name), last);
		snprintf(l[n - 1].sub, sizeof(l->sub), "R-EL1");
	}
	b->m->lines = l;
	b->m->nlines = n;
	return 0;
}

/* The lifeline of an event's REC, and the prefix its rows need on a shared lifeline. */
static int rec_line(struct vm_builder *b, const struct trace_event *ev, char *who, size_t len)
{
	uint64_t rec = 0;
	trace_field_num(ev, "rec", &rec);
	const char *realm = trace_field_name(ev, "realm");
	struct vm_rec *k = find_rec(b, realm, rec);
	size_t idx = k ? (size_t)(k - b->recs) : 0;
	who[0] = '\0';
	size_t shown = b->nrecs > VM_MAX_REC_LINES ? VM_MAX_REC_LINES - 1 : b->nrecs;
	if (idx < shown) {
		return VM_LINE_REC0 + (int)idx;
	}
	rec_label(realm, rec, who, len);
	strncat(who, ": ", len - strlen(who) - 1);
	return b->m->nlines - 1;
}

/* ---- rows ------------------------------------------------------------------------------- */

static struct vm_item *row(struct vm_builder *b, enum vm_kind kind, int from, int to)
{
	if (b->nraw == b->capraw) {
		size_t cap = b->capraw ? b->capraw * 2 : 256;
		struct vm_item *r = realloc(b->raw, cap * sizeof(*r));
		if (!r) {
			b->oom = true;
			return NULL;
		}
		b->raw = r;
		b->capraw = cap;
	}
	struct vm_item *it = &b->raw[b->nraw++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->from = from;
	it->to = to;
	it->seq = it->seq_end = b->seq;
	return it;
}

static struct vm_block *new_block(struct vm_builder *b)
{
	if (b->nblocks == b->capblocks) {
		size_t cap = b->capblocks ? b->capblocks * 2 : 64;
		struct vm_block *r = realloc(b->blocks, cap * sizeof(*r));
		if (!r) {
			b->oom = true;
			return NULL;
		}
		b->blocks = r;
		b->capblocks = cap;
	}
	struct vm_block *blk = &b->blocks[b->nblocks++];
	memset(blk, 0, sizeof(*blk));
	blk->first = b->nraw;
	blk->ok = true;
	return blk;
}

static struct vm_block *cur(struct vm_builder *b)
{
	return b->nblocks ? &b->blocks[b->nblocks - 1] : new_block(b);
}

static void note_rec(struct vm_builder *b, uint64_t rec)
{
	struct vm_block *blk = cur(b);
	if (!blk) {
		return;
	}
	if (!blk->has_rec || rec < blk->rec_min) {
		blk->rec_min = rec;
	}
	if (!blk->has_rec || rec > blk->rec_max) {
		blk->rec_max = rec;
	}
	blk->has_rec = true;
}

/* An argument as a reader wants it: a granule's name, a PSCI status by name. */
static void arg_text(const struct vm_builder *b, uint64_t v, char *buf, size_t len)
{
	const char *psci = v >= PSCI_INVALID_ADDRESS ? abi_name(ABI_PSCI_RET, v) : NULL;
	if (psci) {
		snprintf(buf, len, "%s", psci);
	} else {
		view_addr(b->v, v, buf, len);
	}
}

static void call_text(const struct vm_builder *b, const char *cmd, const struct trace_field *a,
		      char *buf, size_t len)
{
	char one[64];
	/* RMI_PSCI_COMPLETE's last argument is a PSCI status, PSCI_SUCCESS (0) included. */
	bool complete = strcmp(cmd, "RMI_PSCI_COMPLETE") == 0;
	snprintf(buf, len, "%s(", cmd);
	for (unsigned i = 0; a && a->kind == TV_HEXLIST && i < a->len; i++) {
		const char *st = complete && i == a->len - 1 && i > 0
				     ? abi_name(ABI_PSCI_RET, a->list[i])
				     : NULL;
		if (st) {
			snprintf(one, sizeof(one), "%s", st);
		} else {
			arg_text(b, a->list[i], one, sizeof(one));
		}
		view_append(buf, len, i ? ", " : "");
		view_append(buf, len, one);
	}
	view_append(buf, len, ")");
}

/* The next rmi event after i: the RMM's answer to the host's SMC at i. */
static const struct trace_event *answer_of(const struct trace *t, size_t i)
{
	for (size_t j = i + 1; j < trace_count(t); j++) {
		const struct trace_event *ev = trace_get(t, j);
		if (ev->kind == TE_rmi) {
			return ev;
		}
		if (ev->kind == TE_smc && same_realm(trace_field_name(ev, "world"), "NS")) {
			break;
		}
	}
	return NULL;
}

bool view_housekeeping(const char *cmd)
{
	return cmd && strcmp(cmd, "RMI_REC_ENTER") != 0 && strcmp(cmd, "RMI_PSCI_COMPLETE") != 0;
}

static void on_host_smc(struct vm_builder *b, const struct trace *t, size_t i)
{
	const struct trace_event *ev = trace_get(t, i), *ans = answer_of(t, i);
	uint64_t fid = 0;
	trace_field_num(ev, "fid", &fid);
	const char *name = abi_name(ABI_FID, fid);
	if (!name || strncmp(name, "RMI_", 4) != 0) {
		return;
	}
	bool compact = b->v && b->v->compact; /* straight to the RMM, without EL3's hop */
	struct vm_block *blk = new_block(b);
	struct vm_item *it = row(b, VM_CALL, VM_LINE_HOST, compact ? VM_LINE_RMM : VM_LINE_EL3);
	if (!blk || !it) {
		return;
	}
	blk->cmd = name;
	blk->housekeeping = view_housekeeping(name);
	blk->enter = strcmp(name, "RMI_REC_ENTER") == 0;
	call_text(b, name, ans ? trace_field(ans, "args") : NULL, it->text, sizeof(it->text));
	it = compact ? NULL : row(b, VM_CALL, VM_LINE_EL3, VM_LINE_RMM);
	if (it) {
		snprintf(it->text, sizeof(it->text), "SMC forwarded: NS → Realm");
	}
	b->open_call = true;
}

static void exit_text(const struct trace_event *ev, char *buf, size_t len)
{
	const struct trace_field *g = trace_field(ev, "gprs");
	const char *reason = trace_field_name(ev, "reason");
	uint64_t v = 0;
	snprintf(buf, len, "exit %s", reason ? reason : "?");
	if (reason && strcmp(reason, "PSCI") == 0 && g && g->kind == TV_HEXLIST && g->len) {
		const char *fid = abi_name(ABI_FID, g->list[0]);
		unsigned n = g->len;
		char one[32];
		while (n > 1 && g->list[n - 1] == 0) {
			n--;
		}
		view_append(buf, len, ": ");
		if (fid) {
			view_append(buf, len, fid);
		} else {
			snprintf(one, sizeof(one), "0x%llx", (unsigned long long)g->list[0]);
			view_append(buf, len, one);
		}
		view_append(buf, len, "(");
		for (unsigned i = 1; i < n; i++) {
			snprintf(one, sizeof(one), "%s0x%llx", i > 1 ? ", " : "",
				 (unsigned long long)g->list[i]);
			view_append(buf, len, one);
		}
		view_append(buf, len, ")");
	} else if (trace_field_num(ev, "imm", &v)) {
		char one[32];
		snprintf(one, sizeof(one), " imm %llu", (unsigned long long)v);
		view_append(buf, len, one);
	} else if (trace_field_num(ev, "esr", &v) && v) {
		char one[32];
		snprintf(one, sizeof(one), " ESR 0x%llx", (unsigned long long)v);
		view_append(buf, len, one);
	}
}

static void on_note(struct vm_builder *b, int line, bool bad, const char *text);

/* With the view's explainer: why the RMM answered so, a note on its lifeline. */
static void explain_note(struct vm_builder *b, const struct trace_event *ev)
{
	char why[VM_TEXT - 8], text[VM_TEXT];
	if (b->v && b->v->explain && b->v->explain(b->v->explain_ctx, ev, why, sizeof(why))) {
		snprintf(text, sizeof(text), "why: %s", why);
		on_note(b, VM_LINE_RMM, false, text);
	}
}

static void on_rmi(struct vm_builder *b, const struct trace_event *ev, const char *last_exit)
{
	const char *cmd = trace_field_name(ev, "cmd"), *status = trace_field_name(ev, "status");
	const char *cond = trace_field_name(ev, "condition");
	bool ok = status && strcmp(status, "RMI_SUCCESS") == 0;
	uint64_t index = 0;
	char text[VM_TEXT];

	if (!b->open_call) { /* an RMI call seen without the host's SMC: draw it whole */
		struct vm_block *blk = new_block(b);
		struct vm_item *it = row(b, VM_CALL, VM_LINE_HOST, VM_LINE_RMM);
		if (!blk || !it) {
			return;
		}
		blk->cmd = cmd;
		blk->housekeeping = view_housekeeping(cmd);
		call_text(b, cmd ? cmd : "?", trace_field(ev, "args"), it->text, sizeof(it->text));
	}
	b->open_call = false;
	snprintf(text, sizeof(text), "%s", status ? status : "?");
	if (trace_field_num(ev, "index", &index) && index) {
		char one[32];
		snprintf(one, sizeof(one), " (index %llu)", (unsigned long long)index);
		view_append(text, sizeof(text), one);
	}
	if (cond) {
		view_append(text, sizeof(text), ": failure condition '");
		view_append(text, sizeof(text), cond);
		view_append(text, sizeof(text), "'");
	}
	bool show_exit = ok && last_exit && cmd && strcmp(cmd, "RMI_REC_ENTER") == 0;
	struct vm_block *blk = cur(b);
	if (blk && !ok) {
		blk->ok = false;
	}
	bool compact = b->v && b->v->compact;
	for (int hop = compact ? 1 : 0; hop < 2; hop++) {
		struct vm_item *it = row(b, VM_REPLY, hop && !compact ? VM_LINE_EL3 : VM_LINE_RMM,
					 hop ? VM_LINE_HOST : VM_LINE_EL3);
		if (it) {
			it->bad = !ok;
			snprintf(it->text, sizeof(it->text), "%s", text);
			/* the host learns the exit from the run page, after the RMM returns */
			if (hop && show_exit) {
				view_append(it->text, sizeof(it->text), ", ");
				view_append(it->text, sizeof(it->text), last_exit);
			}
		}
	}
	explain_note(b, ev);
}

static void on_note(struct vm_builder *b, int line, bool bad, const char *text)
{
	struct vm_item *it = row(b, VM_NOTE, line, line);
	if (it) {
		it->bad = bad;
		snprintf(it->text, sizeof(it->text), "%s", text);
	}
	struct vm_block *blk = cur(b);
	if (blk && bad) {
		blk->ok = false;
	}
}

static void on_realm_call(struct vm_builder *b, const struct trace_event *ev)
{
	char who[48], args[VM_TEXT], text[VM_TEXT];
	int line = rec_line(b, ev, who, sizeof(who));
	const char *call = trace_field_name(ev, "call"), *result = view_result(ev);
	const char *cond = trace_field_name(ev, "condition");
	uint64_t rec = 0, raw = 0;
	trace_field_num(ev, "rec", &rec);
	struct vm_rec *k = find_rec(b, trace_field_name(ev, "realm"), rec);
	note_rec(b, rec);

	/* A call the REC already showed in its exit to the host only gets its answer. */
	if (!(k && call && strcmp(k->exit_call, call) == 0)) {
		call_text(b, call ? call : "?", trace_field(ev, "args"), args, sizeof(args));
		struct vm_item *it = row(b, VM_CALL, line, VM_LINE_RMM);
		if (it) {
			snprintf(it->text, sizeof(it->text), "%s", who);
			view_append(it->text, sizeof(it->text), args);
		}
	}
	if (k) {
		k->exit_call[0] = '\0';
	}
	if (!result && !trace_field_num(ev, "result", &raw)) {
		return;
	}
	if (result) {
		snprintf(text, sizeof(text), "%s%s → %s", who, call ? call : "?", result);
	} else {
		snprintf(text, sizeof(text), "%s%s → 0x%llx", who, call ? call : "?",
			 (unsigned long long)raw);
	}
	if (cond) {
		view_append(text, sizeof(text), ": failure condition '");
		view_append(text, sizeof(text), cond);
		view_append(text, sizeof(text), "'");
	}
	struct vm_item *it = row(b, VM_REPLY, VM_LINE_RMM, line);
	if (it) {
		snprintf(it->text, sizeof(it->text), "%s", text);
	}
	explain_note(b, ev);
}

static void on_rec_exit(struct vm_builder *b, const struct trace_event *ev, char *last_exit,
			size_t len)
{
	char who[48];
	int line = rec_line(b, ev, who, sizeof(who));
	uint64_t rec = 0;
	const struct trace_field *g = trace_field(ev, "gprs");
	const char *reason = trace_field_name(ev, "reason");

	trace_field_num(ev, "rec", &rec);
	note_rec(b, rec);
	exit_text(ev, last_exit, len);
	struct vm_rec *k = find_rec(b, trace_field_name(ev, "realm"), rec);
	if (k) {
		const char *fid = reason && strcmp(reason, "PSCI") == 0 && g && g->len
				      ? abi_name(ABI_FID, g->list[0])
				      : NULL;
		snprintf(k->exit_call, sizeof(k->exit_call), "%s", fid ? fid : "");
	}
	struct vm_item *it = row(b, VM_CALL, line, VM_LINE_RMM);
	if (it) {
		/* The exit's text is cut to what fits the row after `who`. */
		int room = (int)(sizeof(it->text) - 1 - strlen(who));
		snprintf(it->text, sizeof(it->text), "%s%.*s", who, room, last_exit);
	}
}

static void on_rec_state(struct vm_builder *b, const struct trace_event *ev)
{
	char who[48], text[VM_TEXT];
	int line = rec_line(b, ev, who, sizeof(who));
	uint64_t rec = 0, runnable = 0;
	trace_field_num(ev, "rec", &rec);
	trace_field_num(ev, "runnable", &runnable);
	struct vm_rec *k = find_rec(b, trace_field_name(ev, "realm"), rec);
	if (!k || k->runnable == (int)runnable) {
		return;
	}
	k->runnable = (int)runnable;
	note_rec(b, rec);
	snprintf(text, sizeof(text), "%s%s", who, runnable ? "RUNNABLE" : "NOT_RUNNABLE");
	on_note(b, line, false, text);
}

static void realm_text(const struct vm_builder *b, const struct trace_event *ev, char *buf,
		       size_t len)
{
	const char *realm = trace_field_name(ev, "realm");
	char name[48];
	/* Before REALM_CREATE returns, the realm is known only by its RD's address. */
	if (realm && strncmp(realm, "0x", 2) == 0) {
		view_addr(b->v, strtoull(realm, NULL, 16), name, sizeof(name));
	} else {
		snprintf(name, sizeof(name), "%s", realm ? realm : "realm");
	}
	if (strcmp(name, "realm") == 0) {
		snprintf(buf, len, "realm: %s", trace_field_name(ev, "state"));
	} else {
		snprintf(buf, len, "realm %s: %s", name, trace_field_name(ev, "state"));
	}
}

/* What the realm does on its own lifeline: takes a virtual interrupt, writes a console line,
 * ends itself through the exit device. */
static void on_realm_note(struct vm_builder *b, const struct trace_event *ev)
{
	char text[VM_TEXT], what[VM_TEXT];
	int line = rec_line(b, ev, text, sizeof(text));
	view_realm_note(ev, what, sizeof(what));
	view_append(text, sizeof(text), what);
	on_note(b, line, false, text);
}

static void on_other(struct vm_builder *b, const struct trace_event *ev)
{
	char text[VM_TEXT], pa_name[64], who[48];
	uint64_t v = 0, el = 0;
	struct vm_block *blk;

	if (ev->kind == TE_host) {
		const char *d = trace_field_name(ev, "decision");
		snprintf(text, sizeof(text), "VMM decides: %s", view_decision(d));
		view_host_detail(ev, true, pa_name, sizeof(pa_name));
		view_append(text, sizeof(text), pa_name);
		on_note(b, VM_LINE_HOST, false, text);
		if (b->nraw) {
			b->raw[b->nraw - 1].keep = true;
		}
		blk = cur(b);
		if (blk && d) {
			blk->allow += strcmp(d, "allow") == 0;
			blk->deny += strcmp(d, "deny") == 0;
		}
	} else if (ev->kind == TE_realm_state) {
		realm_text(b, ev, text, sizeof(text));
		on_note(b, VM_LINE_RMM, false, text);
		blk = cur(b);
		if (blk) {
			blk->realm_state = trace_field_name(ev, "state");
		}
	} else if (ev->kind == TE_gpt) {
		trace_field_num(ev, "pa", &v);
		view_addr(b->v, v, pa_name, sizeof(pa_name));
		snprintf(text, sizeof(text), "GPT: %s %s → %s", pa_name,
			 trace_field_name(ev, "from"), trace_field_name(ev, "to"));
		on_note(b, VM_LINE_EL3, false, text);
		blk = cur(b);
		if (blk) {
			blk->gpt++;
		}
	} else if (ev->kind == TE_gpf) {
		const char *world = trace_field_name(ev, "world");
		trace_field_num(ev, "pa", &v);
		trace_field_num(ev, "el", &el);
		view_addr(b->v, v, pa_name, sizeof(pa_name));
		snprintf(text, sizeof(text), "granule protection fault: %s of %s denied",
			 trace_field_text(ev, "access", "access"), pa_name);
		int line = !world || strcmp(world, "NS") == 0 ? VM_LINE_HOST
			   : strcmp(world, "ROOT") == 0       ? VM_LINE_EL3
							      : VM_LINE_RMM;
		on_note(b, line, true, text);
	} else if (ev->kind == TE_rec_enter) {
		const char *status = trace_field_name(ev, "status");
		int line = rec_line(b, ev, who, sizeof(who));
		trace_field_num(ev, "rec", &v);
		note_rec(b, v);
		struct vm_item *it = row(b, VM_CALL, VM_LINE_RMM, line);
		if (it) {
			snprintf(it->text, sizeof(it->text), "%senter REC", who);
			if (status && strcmp(status, "RMI_SUCCESS") != 0) {
				view_append(it->text, sizeof(it->text), ": ");
				view_append(it->text, sizeof(it->text), status);
				it->bad = true;
			}
		}
	} else if (ev->kind == TE_interrupt || ev->kind == TE_console ||
		   ev->kind == TE_guest_exit || ev->kind == TE_token) {
		on_realm_note(b, ev);
	} else if (ev->kind == TE_check) {
		const struct trace_field *ok = trace_field(ev, "ok");
		if (ok && !ok->num) {
			int line = trace_field(ev, "rec") ? rec_line(b, ev, who, sizeof(who))
							  : VM_LINE_HOST;
			snprintf(text, sizeof(text), "check FAILED: %s",
				 trace_field_text(ev, "what", ""));
			on_note(b, line, true, text);
		}
	}
}

static void build_rows(const struct trace *t, struct vm_builder *b)
{
	char last_exit[VM_TEXT] = "";
	new_block(b); /* rows before the first host call */
	for (size_t i = 0; i < trace_count(t) && !b->oom; i++) {
		const struct trace_event *ev = trace_get(t, i);
		b->seq = ev->seq;
		enum trace_type type = ev->kind;
		if (type == TE_smc) {
			if (same_realm(trace_field_name(ev, "world"), "NS")) {
				last_exit[0] = '\0';
				on_host_smc(b, t, i);
			}
		} else if (type == TE_rmi) {
			on_rmi(b, ev, last_exit[0] ? last_exit : NULL);
		} else if (type == TE_rec_exit) {
			on_rec_exit(b, ev, last_exit, sizeof(last_exit));
		} else if (type == TE_psci || type == TE_rsi) {
			on_realm_call(b, ev);
		} else if (type == TE_rec_state) {
			on_rec_state(b, ev);
		} else {
			on_other(b, ev);
		}
	}
	for (size_t i = 0; i < b->nblocks; i++) {
		b->blocks[i].n =
		    (i + 1 < b->nblocks ? b->blocks[i + 1].first : b->nraw) - b->blocks[i].first;
	}
}

/* Compact style: without its forwarding hops EL3's lifeline is usually empty; then it goes. */
static void drop_unused_el3(struct vm_model *m)
{
	for (size_t k = 0; k < m->nitems; k++) {
		const struct vm_item *it = &m->items[k];
		if (it->kind != VM_FOLD && (it->from == VM_LINE_EL3 || it->to == VM_LINE_EL3)) {
			return;
		}
	}
	memmove(&m->lines[VM_LINE_EL3], &m->lines[VM_LINE_EL3 + 1],
		(size_t)(m->nlines - VM_LINE_EL3 - 1) * sizeof(*m->lines));
	m->nlines--;
	for (size_t k = 0; k < m->nitems; k++) {
		struct vm_item *it = &m->items[k];
		it->from -= it->from > VM_LINE_EL3;
		it->to -= it->to > VM_LINE_EL3;
	}
}

int vm_build(const struct trace *t, const struct trace_view *v, struct vm_model *m)
{
	struct vm_builder b = {.v = v, .m = m};
	memset(m, 0, sizeof(*m));
	if (collect_recs(t, &b) != 0 || make_lines(&b) != 0) {
		free(b.recs);
		vm_free(m);
		return -1;
	}
	build_rows(t, &b);
	if (!b.oom) {
		vm_fold(&b);
	}
	if (!b.oom && v && v->compact) {
		drop_unused_el3(m);
	}
	for (size_t k = 0; !b.oom && v && v->compact && k < m->nitems; k++) {
		/* the path of a denied PSCI_CPU_ON: the VMM's decision, the completion, the result
		 */
		const char *text = m->items[k].text;
		m->items[k].hot = strstr(text, "DENIED") || strstr(text, "decides: deny");
	}
	free(b.recs);
	free(b.raw);
	free(b.blocks);
	if (b.oom) {
		vm_free(m);
		return -1;
	}
	return 0;
}

void vm_free(struct vm_model *m)
{
	free(m->lines);
	free(m->items);
	memset(m, 0, sizeof(*m));
}
