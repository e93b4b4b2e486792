/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event stream (docs/scenarios.md, "Events"). Every layer reports what happened as typed
 * events made of named fields; sinks (JSON Lines, narration, diagrams, ...) and the expectation
 * engine consume the same stream. A NULL `struct trace *` is valid everywhere and records
 * nothing, so layers can be used without tracing at no cost.
 *
 * Building an event:
 *	struct trace_event *ev = trace_begin(t, TE_rmi);
 *	trace_name(ev, "cmd", "RMI_PSCI_COMPLETE");
 *	trace_hex(ev, "fid", fid);
 *	trace_hexlist(ev, "args", args, 3);
 *	trace_end(t, ev);
 * Field keys and NAME values must be strings with static storage (literals, abi_name());
 * trace_str copies its value.
 */
#ifndef CCA_TRACE_H
#define CCA_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_val {
	TV_INT,     /* JSON integer (seq, rec, index, level) */
	TV_HEX,     /* JSON "0x..." string (addresses, registers, FIDs) */
	TV_NAME,    /* JSON string, a spec name (status, call, state) */
	TV_STR,     /* JSON string, free text (copied) */
	TV_BOOL,    /* JSON true/false */
	TV_HEXLIST, /* JSON array of "0x..." strings */
};

struct trace_field {
	const char *key;
	enum trace_val kind;
	uint64_t num;    /* INT, HEX, BOOL; NAME too when has_num (an enumeration's value) */
	const char *str; /* NAME (static) or STR (owned) */
	uint64_t *list;  /* HEXLIST (owned) */
	unsigned len;
	bool has_num; /* NAME: num is the value the name stands for */
	bool output;  /* one of the call's output values (rmi, rsi): views show these apart */
};

#define TRACE_MAX_FIELDS 16

/*
 * Every event type, once (docs/scenarios.md, "Events", describes their fields): TE_<type> in
 * the emitters and the sinks, the name in the JSON stream and the scenarios' patterns.
 */
#define TRACE_EVENT_TYPES(X)                                                                       \
	X(world_switch)                                                                            \
	X(smc)                                                                                     \
	X(rmi)                                                                                     \
	X(rec_enter)                                                                               \
	X(rec_exit)                                                                                \
	X(psci)                                                                                    \
	X(rsi)                                                                                     \
	X(rec_state)                                                                               \
	X(realm_state)                                                                             \
	X(gpt)                                                                                     \
	X(gpf)                                                                                     \
	X(access)                                                                                  \
	X(host)                                                                                    \
	X(console)                                                                                 \
	X(guest_exit)                                                                              \
	X(interrupt)                                                                               \
	X(check)                                                                                   \
	X(token)

#define TRACE_TYPE_ENTRY(name) TE_##name,
enum trace_type { TRACE_EVENT_TYPES(TRACE_TYPE_ENTRY) TE_COUNT };
#undef TRACE_TYPE_ENTRY

/* The name of an event type ("rmi"), NULL past the end. */
const char *trace_type_name(enum trace_type type);

struct trace_event {
	enum trace_type kind;
	const char *type; /* its name */
	uint64_t seq;
	unsigned nfields;
	struct trace_field fields[TRACE_MAX_FIELDS];
};

struct trace;

typedef void (*trace_sink_fn)(void *ctx, const struct trace_event *ev);
/* Maps an RD's physical address to the realm's scenario name (NULL: unknown). */
typedef const char *(*trace_realm_namer_fn)(void *ctx, uint64_t rd);

struct trace *trace_create(void);
void trace_destroy(struct trace *t);

/* Keep every event in memory (for expectations and reports). Off by default. */
void trace_keep(struct trace *t, bool keep);
void trace_add_sink(struct trace *t, trace_sink_fn fn, void *ctx);
void trace_set_realm_namer(struct trace *t, trace_realm_namer_fn fn, void *ctx);
/* Names the code at `pc` of the realm whose RD is `rd` in buf ("main+0x4"), from the symbols of
 * the realm's ELF images; false when none holds it. */
typedef bool (*trace_symbol_fn)(void *ctx, uint64_t rd, uint64_t pc, char *buf, size_t len);
void trace_set_symbolizer(struct trace *t, trace_symbol_fn fn, void *ctx);

struct trace_event *trace_begin(struct trace *t, enum trace_type type);
void trace_int(struct trace_event *ev, const char *key, int64_t v);
void trace_hex(struct trace_event *ev, const char *key, uint64_t v);
void trace_name(struct trace_event *ev, const char *key, const char *name);
void trace_str(struct trace_event *ev, const char *key, const char *text);
void trace_bool(struct trace_event *ev, const char *key, bool v);
void trace_hexlist(struct trace_event *ev, const char *key, const uint64_t *v, unsigned n);
/* A NAME that stands for `value` (an enumeration's label, e.g. state ASSIGNED = 1). */
void trace_enum(struct trace_event *ev, const char *key, const char *name, uint64_t value);
/* Marks the field added last as an output value of the call the event reports. */
void trace_mark_output(struct trace_event *ev);
/* Adds "realm": the realm's name through the namer, else its RD address as hex. */
void trace_realm(struct trace *t, struct trace_event *ev, uint64_t rd);
/* Adds "pc", a realm's code address, and "symbol" where the symbolizer names it. */
void trace_code_address(struct trace *t, struct trace_event *ev, uint64_t rd, uint64_t pc);
/* Assigns the sequence number, feeds the sinks, keeps or frees the event. */
void trace_end(struct trace *t, struct trace_event *ev);

size_t trace_count(const struct trace *t);
const struct trace_event *trace_get(const struct trace *t, size_t i);
const struct trace_field *trace_field(const struct trace_event *ev, const char *key);
/* The field `key` as text when it is a name or a string, else NULL (absent, or a number). */
const char *trace_field_name(const struct trace_event *ev, const char *key);
/* The same, or `otherwise` when the field is not text. */
const char *trace_field_text(const struct trace_event *ev, const char *key, const char *otherwise);
/* The field `key` as a number (an integer, a hex value, a boolean): false when it is absent,
 * text (a name or a string), or a list. */
bool trace_field_num(const struct trace_event *ev, const char *key, uint64_t *v);

/* `s` as a JSON string literal, quotes included; `s` escaped as XML/HTML text (also safe in
 * attribute values). Every writer of JSON or XML in cca-sim uses these two. */
void trace_json_string(FILE *f, const char *s);
void trace_xml_text(FILE *f, const char *s);

/* One event as a JSON object on one line (no newline), deterministic byte for byte. */
void trace_write_json(FILE *f, const struct trace_event *ev);
/* A sink writing JSON Lines to the FILE * given as ctx. */
void trace_json_sink(void *ctx, const struct trace_event *ev);

/*
 * Narration: the default, human-readable view of the stream, one numbered line per event
 * that matters to a reader, in the spec's words. `namer` (may be NULL) turns a physical
 * address into a scenario symbol such as "rec0" or "run1" for display.
 */
typedef const char *(*trace_addr_namer_fn)(void *ctx, uint64_t pa, char *buf, size_t len);
/* One sentence on why an event came out as it did (the meaning of its failure condition, or
 * of the decision the RMM took, with the spec section), in buf; NULL when there is none to
 * give. rmm_explain_event is the one cca-sim uses. */
typedef const char *(*trace_explain_fn)(void *ctx, const struct trace_event *ev, char *buf,
					size_t len);
struct trace_narrator {
	FILE *out;
	bool color;
	bool verbose; /* also every world switch and every SMC that EL3 serves itself */
	trace_addr_namer_fn namer;
	void *namer_ctx;
	trace_explain_fn explain; /* --explain: a "why:" line under each call it explains */
	void *explain_ctx;
	/* Fold runs of 3 or more successful housekeeping calls (set-up, teardown) into one line,
	 * as the diagrams do; false (--no-fold, --verbose) shows every line. */
	bool fold;
	/* private state */
	bool open_call, call_args;
	char call[40];
	struct narrate_fold {
		FILE *held, *out; /* the held lines, and where they go */
		char *buf;
		size_t len, call_start; /* the held text, and where its unfinished call begins */
		unsigned calls, gpt, nnames, counts[16];
		const char *names[16], *realm_state;
		uint64_t first_seq, last_seq, seq_before_call;
		bool setup, teardown; /* the calls create (delegate) / destroy (undelegate) */
	} fold_state;
};
void trace_narrate_sink(void *narrator, const struct trace_event *ev);
/* Ends the narration of a run: what it still holds (a folded teardown), an open line. */
void trace_narrate_finish(struct trace_narrator *n);

/*
 * Views of a finished run, written from its kept events (src/trace/view_*.c). They are
 * deterministic: the same events give byte-identical output. `namer` turns a physical address
 * into the scenario's name for it ("rec1"), as for the narration.
 */
struct trace_view {
	const char *title; /* the scenario's name */
	/* What the run followed ("1.0-rel0", "spec"), or NULL: every view shows them beside the
	 * title, so that runs of one scenario under two revisions differ at a glance */
	const char *spec, *profile;
	/* --diagram-style compact, for slides: no EL3 forwarding hops, a larger drawing, the
	 * DENIED path highlighted */
	bool compact;
	/* The reasons of conditions and decisions: the report shows them, the diagrams as notes. */
	trace_explain_fn explain;
	void *explain_ctx;
	trace_addr_namer_fn namer;
	void *namer_ctx;
};

/* Sequence diagram with lifelines for each REC, the RMM, the EL3 monitor and the host:
 * self-contained SVG, Mermaid text, PlantUML text. Repetition (e.g. hundreds of RECs) is
 * folded so the diagram stays readable. Return 0, or -1 on a write error. */
int trace_write_svg(const struct trace *t, const struct trace_view *v, FILE *out);
int trace_write_mermaid(const struct trace *t, const struct trace_view *v, FILE *out);
int trace_write_plantuml(const struct trace *t, const struct trace_view *v, FILE *out);
/* Chrome trace-event JSON (ui.perfetto.dev): a track per world and per REC, world switches
 * and calls as properly nested slices. */
int trace_write_perfetto(const struct trace *t, const struct trace_view *v, FILE *out);
/* TF-RMM-style log lines, one per RMI call: "SMC_RMI_<COMMAND> <args> > RMI_<STATUS>". */
int trace_write_rmm_log(const struct trace *t, const struct trace_view *v, FILE *out);
/* The realms' console text, a line per `console` event (prefixed by the realm's name when
 * several realms wrote). */
int trace_write_console(const struct trace *t, const struct trace_view *v, FILE *out);

/*
 * `cca-sim diff` (view_diff.c): two finished runs, `label` saying what each was
 * ("scenarios/x.yaml (RMM 1.0-eac2, profile spec): PASS"). trace_write_diff prints where their
 * narrations part and join again, side by side in `width` columns, and returns the number of
 * places where they differ (0: the same flow), or -1. trace_write_diff_diagram draws one
 * sequence diagram ("svg", "mmd" or "puml"): what both share once, each place where they
 * differ as alternatives, run A's rows then run B's. Both are deterministic.
 */
struct trace_diff_run {
	const struct trace *t;
	const struct trace_view *v;
	const char *label;
};
int trace_write_diff(const struct trace_diff_run *a, const struct trace_diff_run *b, unsigned width,
		     FILE *out);
int trace_write_diff_diagram(const struct trace_diff_run *a, const struct trace_diff_run *b,
			     const char *format, FILE *out);

/* What the report says of the run's outcome; any field may be NULL / 0. */
struct trace_report {
	const char *description;
	const char *verdict;         /* "PASS", "FAIL" or "ERROR" */
	size_t nchecks;              /* expectations evaluated */
	const char *const *failures; /* each failed expectation, or the error */
	size_t nfailures;
};
/* One self-contained HTML page (view_report.c): the verdict and failures, a player that steps
 * through the run (the diagram's current row, RECs, realms, granule states, GPT, reasons), the
 * timeline, token claims, the GPT's changes and every event. */
int trace_write_report(const struct trace *t, const struct trace_view *v,
		       const struct trace_report *r, FILE *out);

#endif
