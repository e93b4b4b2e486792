/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The diagram model shared by the SVG, Mermaid and PlantUML writers: lifelines and a list of
 * rows (messages between lifelines, notes, folds) built once from the kept events, so the
 * three formats always show the same story in the same order.
 */
#ifndef CCA_TRACE_VIEW_MODEL_H
#define CCA_TRACE_VIEW_MODEL_H

#include "trace/trace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Fixed lifelines; RECs follow from VM_LINE_REC0 on. */
enum { VM_LINE_HOST, VM_LINE_EL3, VM_LINE_RMM, VM_LINE_REC0 };

/* More RECs than this and the rest share one lifeline, so 256 vCPUs stay readable. */
#define VM_MAX_REC_LINES 6

enum vm_kind {
	VM_CALL,  /* solid arrow */
	VM_REPLY, /* dashed arrow */
	VM_NOTE,  /* note over one lifeline */
	VM_FOLD,  /* note across every lifeline: a folded group of calls */
};

#define VM_TEXT 320 /* a row's text; a reason (--explain) is the longest */

struct vm_item {
	enum vm_kind kind;
	int from, to;       /* lifelines; a note uses `from` */
	bool bad;           /* a failure: drawn in red */
	bool keep;          /* a host decision: shown even where its call is folded into set-up */
	bool hot;           /* compact style: on the DENIED path, highlighted */
	unsigned char side; /* a diff (view_diff.c): 0 both runs, 1 the first only, 2 the second */
	uint64_t seq, seq_end; /* the events it stands for (a fold: many), for the report */
	char text[VM_TEXT];
};

struct vm_line {
	char name[48];
	char sub[16]; /* the exception level */
};

struct vm_model {
	struct vm_line *lines;
	int nlines;
	struct vm_item *items;
	size_t nitems;
	const char *side_label[3]; /* a diff: what runs 1 and 2 were ("RMM 1.0-eac2, ...") */
};

/* Returns 0, or -1 when out of memory. */
int vm_build(const struct trace *t, const struct trace_view *v, struct vm_model *m);
void vm_free(struct vm_model *m);

/* ---- model internals, shared by view_model.c (rows) and view_fold.c (folding) ---------- */

struct vm_rec; /* a REC seen in the events (view_model.c) */

/* The rows of one host RMI call, from its SMC up to the next one. */
struct vm_block {
	size_t first, n; /* rows in the raw list */
	const char *cmd;
	bool ok, housekeeping, enter;
	unsigned gpt, allow, deny;
	uint64_t rec_min, rec_max;
	bool has_rec;
	const char *realm_state;
};

struct vm_builder {
	const struct trace_view *v;
	struct vm_model *m;
	struct vm_rec *recs;
	size_t nrecs;
	struct vm_item *raw;
	size_t nraw, capraw;
	struct vm_block *blocks;
	size_t nblocks, capblocks;
	bool oom, open_call;
	uint64_t seq; /* of the event being turned into rows */
};

/* Replaces the model's items by the folded rows of b's blocks; sets b->oom on failure. */
void vm_fold(struct vm_builder *b);

/* Appends s to the string in dst (of size len), truncating. */
void view_append(char *dst, size_t len, const char *s);
/* A command that builds or takes down a realm (every RMI command but RMI_REC_ENTER and
 * RMI_PSCI_COMPLETE): what the diagrams and the narration fold into set-up and teardown. */
bool view_housekeeping(const char *cmd);
/* "hotplug_deny (RMM 1.0-rel0, profile spec)": the title and the label of a view. */
void view_title(const struct trace_view *v, char *buf, size_t len);

/* What the realm received from a psci or rsi event, as a reader wants it: AFFINITY_INFO's
 * results by the states they are (ON, OFF, ON_PENDING), the others by their names. */
const char *view_result(const struct trace_event *ev);
/* A host event's decision in words ("cannot_deny" -> "cannot deny: ..."); the word itself
 * when it has no wording here. The event stream keeps the words. */
const char *view_decision(const char *word);
/* Event field helpers shared by the views. */
/* What follows a host decision's name in every view: " vCPU 1 (asked by REC 0)" for a PSCI
 * answer, " INTID 40 for REC 0" for an interrupt put in a List Register; a diagram names
 * RECs as its lifelines do ("rec0"). */
void view_host_detail(const struct trace_event *ev, bool diagram, char *buf, size_t len);
/* What a REC does on its own, in every view: "takes virtual IRQ 41" (interrupt), "UART: ..."
 * (console), "writes 0 to the exit device" (guest_exit). */
void view_realm_note(const struct trace_event *ev, char *buf, size_t len);
/* The narration of one event alone, as a line (several joined by " / "), heap-allocated; NULL
 * for an event the narration does not show (or out of memory: *oom set). */
char *view_event_text(const struct trace_event *ev, const struct trace_view *v, bool *oom);
/* A physical address as the scenario names it ("rec1"), else "0x...". */
void view_addr(const struct trace_view *v, uint64_t pa, char *buf, size_t len);

/* The SVG element alone (no XML declaration), for embedding in the HTML report. */
int view_svg_element(const struct trace *t, const struct trace_view *v, FILE *out);

/* The writers of a built model (a run's, or a diff's merged one), `zoom` the SVG's scale and
 * `compact` the style; rows of one side only (vm_item.side) are framed as alternatives. */
int view_svg_model(const struct vm_model *m, const char *title, double zoom, FILE *out);
int view_mermaid_model(const struct vm_model *m, const char *title, FILE *out);
int view_plantuml_model(const struct vm_model *m, const char *title, bool compact, FILE *out);

#endif
