/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTML report: one self-contained page (inline SVG, CSS and script, no external resources)
 * so it can be attached to a CI run or mailed, and opened anywhere. At the top the verdict and
 * every failed expectation; then a player (report.js, embedded) that steps through the
 * run's narrated events with the keyboard, a slider or buttons and shows, at each step, the
 * current row of the sequence diagram, each REC's state, the realms', the RMM's granule
 * states and the GPT, and the reason of each condition and decision; then the token claims
 * and every event. The events the player replays are written into the page as JSON.
 */
#include "trace/view_model.h"

#include "report_js.h"

#include <stdlib.h>
#include <string.h>

/* Granules one event can name: a GPT transition's, or those an RMI command changed. */
#define NAMES_PER_EVENT 40

static const char css[] =
    "body { font-family: sans-serif; margin: 1.5em; color: #1a1a1a; }\n"
    "pre { background: #f6f8fa; padding: 1em; overflow-x: auto; }\n"
    "table { border-collapse: collapse; font-family: monospace; font-size: 12px; }\n"
    "td, th { border: 1px solid #d0d7de; padding: 2px 6px; text-align: left; "
    "vertical-align: top; }\n"
    "th { background: #e8eef7; }\n"
    "#verdict { font-size: 1.3em; font-weight: bold; padding: 0.4em 0.8em; display: "
    "inline-block; border-radius: 4px; }\n"
    "#verdict.pass { background: #dcfce7; color: #166534; }\n"
    "#verdict.fail, #verdict.error { background: #fde2df; color: #991b1b; }\n"
    "#failures li { font-family: monospace; color: #991b1b; }\n"
    ".player { position: sticky; top: 0; background: #ffffff; padding: 0.5em 0; "
    "border-bottom: 1px solid #d0d7de; z-index: 1; }\n"
    ".controls { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; }\n"
    "#slider { flex: 1 1 200px; }\n"
    "#current { font-family: monospace; white-space: pre-wrap; margin-top: 0.4em; }\n"
    "#current-why { color: #1d4ed8; }\n"
    ".keys { color: #555555; font-size: 0.85em; }\n"
    ".grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(300px, 2fr); "
    "gap: 1em; margin-top: 1em; }\n"
    "@media (max-width: 1000px) { .grid { grid-template-columns: minmax(0, 1fr); } }\n"
    ".diagram { overflow: auto; max-height: 75vh; border: 1px solid #d0d7de; }\n"
    ".panels section { margin-bottom: 1em; overflow-x: auto; }\n"
    ".panels h2 { font-size: 1em; margin: 0.2em 0; }\n"
    "td.state.runnable, td.state.active, td.state.realm { color: #166534; font-weight: bold; }\n"
    "td.state.not_runnable, td.state.system_off { color: #991b1b; }\n"
    "g.row.current line { stroke: #2563eb; stroke-width: 3; }\n"
    "g.row.current rect { stroke: #2563eb; stroke-width: 2; }\n"
    "g.row.current text { fill: #1d4ed8; font-weight: bold; }\n"
    "#timeline { font-family: monospace; font-size: 12px; max-height: 40vh; overflow: auto; "
    "padding-left: 4em; }\n"
    "#timeline li { cursor: pointer; white-space: pre-wrap; }\n"
    "#timeline li.current { background: #dbeafe; }\n"
    "#timeline .why { color: #1d4ed8; }\n";

/* JSON text for a document inside <script>: '<' as \u003c, so that no "</script>" ends it. */
static void write_script_safe(FILE *out, const char *buf, size_t len)
{
	for (size_t i = 0; buf && i < len; i++) {
		if (buf[i] == '<') {
			fputs("\\u003c", out);
		} else {
			fputc(buf[i], out);
		}
	}
}

/* A string, or (s NULL, ev set) an event, as JSON for the script. */
static void script_json(FILE *out, const char *s, const struct trace_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		fputs(ev ? "{}" : "\"\"", out);
		return;
	}
	if (ev) {
		trace_write_json(f, ev);
	} else {
		trace_json_string(f, s ? s : "");
	}
	fclose(f);
	write_script_safe(out, buf, len);
	free(buf);
}

/* The scenario names of the granules the GPT and the RMM changed, for the panels. */
static void names_json(const struct trace *t, const struct trace_view *v, FILE *out)
{
	char name[64], key[32];
	bool first = true;
	fputs("{", out);
	for (size_t i = 0; v && v->namer && i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		const struct trace_field *pa = ev->kind == TE_gpt ? trace_field(ev, "pa") : NULL;
		const char *granules = ev->kind == TE_rmi ? trace_field_name(ev, "granules") : NULL;
		uint64_t pas[NAMES_PER_EVENT];
		size_t n = 0;
		if (pa && pa->kind == TV_HEX) {
			pas[n++] = pa->num;
		}
		for (const char *c = granules; c && *c && n < NAMES_PER_EVENT;) {
			char *end;
			pas[n++] = strtoull(c, &end, 16);
			c = strchr(end, ' ');
			c = c ? c + 1 : NULL;
		}
		for (size_t k = 0; k < n; k++) {
			const char *nm = v->namer(v->namer_ctx, pas[k], name, sizeof(name));
			if (!nm) {
				continue;
			}
			snprintf(key, sizeof(key), "0x%llx", (unsigned long long)pas[k]);
			fputs(first ? "" : ",", out);
			script_json(out, key, NULL);
			fputc(':', out);
			script_json(out, nm, NULL);
			first = false;
		}
	}
	fputs("}", out);
}

/* What a reader sees of one event: its narration line (NULL if none) and its reason. */
struct event_words {
	char *text;
	const char *why;
	char buf[512];
};

static int event_words(const struct trace_view *v, const struct trace_event *ev,
		       struct event_words *w)
{
	bool oom = false;
	w->text = view_event_text(ev, v, &oom);
	w->why = v && v->explain ? v->explain(v->explain_ctx, ev, w->buf, sizeof(w->buf)) : NULL;
	return oom ? -1 : 0;
}

/* The run as the player's data: each event, its narration line and its reason. */
static int run_data(const struct trace *t, const struct trace_view *v, FILE *out)
{
	fputs("<script id=\"run-data\" type=\"application/json\">{\"names\":", out);
	names_json(t, v, out);
	fputs(",\"events\":[\n", out);
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		struct event_words w;
		if (event_words(v, ev, &w) != 0) {
			return -1;
		}
		fputs(i ? ",\n{\"e\":" : "{\"e\":", out);
		script_json(out, NULL, ev);
		fputs(",\"text\":", out);
		script_json(out, w.text ? w.text : "", NULL);
		fputs(",\"why\":", out);
		script_json(out, w.why ? w.why : "", NULL);
		fputc('}', out);
		free(w.text);
	}
	fputs("\n]}</script>\n", out);
	return 0;
}

/* The narrated events as a list the player marks and jumps to; the reasons under them. */
static int timeline(const struct trace *t, const struct trace_view *v, FILE *out)
{
	unsigned step = 0;
	fputs("<ol id=\"timeline\">\n", out);
	for (size_t i = 0; i < trace_count(t); i++) {
		struct event_words w;
		if (event_words(v, trace_get(t, i), &w) != 0) {
			return -1;
		}
		if (!w.text) {
			continue;
		}
		fprintf(out, "<li data-step=\"%u\">", step++);
		trace_xml_text(out, w.text);
		if (w.why) {
			fputs("<br><span class=\"why\">why: ", out);
			trace_xml_text(out, w.why);
			fputs("</span>", out);
		}
		fputs("</li>\n", out);
		free(w.text);
	}
	fputs("</ol>\n", out);
	return 0;
}

static void field_value(FILE *out, const struct trace_field *f)
{
	switch (f->kind) {
	case TV_INT:
		fprintf(out, "%lld", (long long)f->num);
		break;
	case TV_HEX:
		fprintf(out, "0x%llx", (unsigned long long)f->num);
		break;
	case TV_BOOL:
		fputs(f->num ? "true" : "false", out);
		break;
	case TV_HEXLIST:
		fputc('[', out);
		for (unsigned i = 0; i < f->len; i++) {
			fprintf(out, "%s0x%llx", i ? ", " : "", (unsigned long long)f->list[i]);
		}
		fputc(']', out);
		break;
	case TV_NAME:
	case TV_STR:
		trace_xml_text(out, f->str);
		break;
	}
}

static void event_table(const struct trace *t, FILE *out)
{
	fputs("<table id=\"events\">\n<tr><th>seq</th><th>type</th><th>fields</th></tr>\n", out);
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		fprintf(out, "<tr><td>%llu</td><td>", (unsigned long long)ev->seq);
		trace_xml_text(out, ev->type);
		fputs("</td><td>", out);
		for (unsigned k = 0; k < ev->nfields; k++) {
			fputs(k ? " " : "", out);
			trace_xml_text(out, ev->fields[k].key);
			fputc('=', out);
			field_value(out, &ev->fields[k]);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* Each attestation token a realm received, its claims one per row (docs/attestation.md). */
static void token_tables(const struct trace *t, FILE *out)
{
	unsigned ntok = 0;
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		if (ev->kind != TE_token) {
			continue;
		}
		uint64_t rec = 0, size = 0;
		trace_field_num(ev, "rec", &rec);
		trace_field_num(ev, "size", &size);
		if (ntok++ == 0) {
			fputs("<h2>Attestation tokens</h2>\n", out);
		}
		fprintf(out, "<p>Event %llu: REC %llu of ", (unsigned long long)ev->seq,
			(unsigned long long)rec);
		trace_xml_text(out, trace_field_text(ev, "realm", "?"));
		fprintf(out, " holds its token, %llu bytes.</p>\n", (unsigned long long)size);
		fputs("<table class=\"token\">\n<tr><th>claim</th><th>value</th></tr>\n", out);
		for (unsigned k = 0; k < ev->nfields; k++) {
			const struct trace_field *f = &ev->fields[k];
			if (!strcmp(f->key, "rec") || !strcmp(f->key, "size") ||
			    !strcmp(f->key, "realm")) {
				continue;
			}
			fputs("<tr><td>", out);
			trace_xml_text(out, f->key);
			fputs("</td><td>", out);
			field_value(out, f);
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
}

/* Every granule the run moved between PASes, with each GPI it had and the event that gave it
 * ("NS, REALM at 3, NS at 190"): the whole story, where a before/after pair would show
 * NS -> NS for every granule a teardown gave back. */
static int gpt_table(const struct trace *t, const struct trace_view *v, FILE *out)
{
	uint64_t *pas = NULL;
	size_t n = 0;
	char name[64];
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		uint64_t pa = 0;
		if (ev->kind != TE_gpt || !trace_field_num(ev, "pa", &pa)) {
			continue;
		}
		size_t j = 0;
		while (j < n && pas[j] != pa) {
			j++;
		}
		if (j == n) {
			uint64_t *grown = realloc(pas, (n + 1) * sizeof(*pas));
			if (!grown) {
				free(pas);
				return -1;
			}
			pas = grown;
			pas[n++] = pa;
		}
	}
	fprintf(out,
		"<p>%zu granule%s changed PAS during the run; every other granule kept its "
		"GPI. The player's GPT panel shows them at each step.</p>\n",
		n, n == 1 ? "" : "s");
	fputs("<table id=\"gpt\">\n<tr><th>granule</th><th>PA</th><th>GPI, and each change "
	      "with its event</th></tr>\n",
	      out);
	for (size_t j = 0; j < n; j++) {
		view_addr(v, pas[j], name, sizeof(name));
		fputs("<tr><td>", out);
		trace_xml_text(out, name);
		fprintf(out, "</td><td>0x%llx</td><td>", (unsigned long long)pas[j]);
		bool first = true;
		for (size_t i = 0; i < trace_count(t); i++) {
			const struct trace_event *ev = trace_get(t, i);
			uint64_t pa = 0;
			if (ev->kind != TE_gpt || !trace_field_num(ev, "pa", &pa) || pa != pas[j]) {
				continue;
			}
			if (first) {
				trace_xml_text(out, trace_field_text(ev, "from", "?"));
				first = false;
			}
			fputs(", ", out);
			trace_xml_text(out, trace_field_text(ev, "to", "?"));
			fprintf(out, " at %llu", (unsigned long long)ev->seq);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	free(pas);
	return 0;
}

/* The outcome first: PASS, or FAIL / ERROR with every failed expectation. */
static void verdict(const struct trace_report *r, FILE *out)
{
	if (!r || !r->verdict) {
		return;
	}
	const char *cls = strcmp(r->verdict, "PASS") == 0   ? "pass"
			  : strcmp(r->verdict, "FAIL") == 0 ? "fail"
							    : "error";
	fprintf(out, "<div id=\"verdict\" class=\"%s\">", cls);
	trace_xml_text(out, r->verdict);
	fprintf(out, ": %zu expectation%s checked", r->nchecks, r->nchecks == 1 ? "" : "s");
	if (r->nfailures) {
		fprintf(out, ", %zu failed", r->nfailures);
	}
	fputs("</div>\n", out);
	if (r->nfailures) {
		fputs("<ul id=\"failures\">\n", out);
		for (size_t i = 0; i < r->nfailures; i++) {
			fputs("<li>", out);
			trace_xml_text(out, r->failures[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
}

static const char player[] =
    "<div class=\"player\">\n<div class=\"controls\">"
    "<button id=\"first\" title=\"first step (Home)\">|&lt;</button>"
    "<button id=\"prev\" title=\"previous step (left arrow)\">&lt;</button>"
    "<input type=\"range\" id=\"slider\" min=\"0\" max=\"0\" value=\"0\" "
    "aria-label=\"step\">"
    "<button id=\"next\" title=\"next step (right arrow)\">&gt;</button>"
    "<button id=\"last\" title=\"last step (End)\">&gt;|</button>"
    "<span id=\"position\"></span>"
    "<span class=\"keys\">keys: left/right a step, up/down a host call, PageUp/PageDown ten, "
    "Home/End</span></div>\n"
    "<div id=\"current\"><span id=\"current-text\"></span>\n<span "
    "id=\"current-why\"></span></div>\n</div>\n";

static const char panels[] =
    "<div class=\"panels\">\n"
    "<section id=\"panel-recs\"><h2>RECs</h2><table id=\"panel-recs-table\"></table>"
    "</section>\n"
    "<section id=\"panel-realms\"><h2>Realms</h2><table id=\"panel-realms-table\"></table>"
    "</section>\n"
    "<section id=\"panel-granules\"><h2>Granule states (RMM)</h2>"
    "<table id=\"panel-granules-table\"></table></section>\n"
    "<section id=\"panel-gpt\"><h2>GPT: granules out of the NS PAS</h2>"
    "<table id=\"panel-gpt-table\"></table></section>\n"
    "</div>\n";

int trace_write_report(const struct trace *t, const struct trace_view *v,
		       const struct trace_report *r, FILE *out)
{
	char title[256];
	view_title(v, title, sizeof(title));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      out);
	trace_xml_text(out, title);
	fprintf(out, " - cca-sim report</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	trace_xml_text(out, title);
	fputs("</h1>\n", out);
	if (r && r->description) {
		fputs("<p>", out);
		trace_xml_text(out, r->description);
		fputs("</p>\n", out);
	}
	verdict(r, out);
	fputs(player, out);
	fputs("<div class=\"grid\">\n<div class=\"diagram\" id=\"diagram\">\n", out);
	/* the reasons are the player's and the timeline's: no notes widening the diagram */
	struct trace_view plain = v ? *v : (struct trace_view){0};
	plain.explain = NULL;
	if (view_svg_element(t, &plain, out) != 0) {
		return -1;
	}
	fputs("</div>\n", out);
	fputs(panels, out);
	fputs("</div>\n<h2>Timeline</h2>\n", out);
	if (timeline(t, v, out) != 0) {
		return -1;
	}
	token_tables(t, out);
	fputs("<h2>GPT over the run</h2>\n", out);
	if (gpt_table(t, v, out) != 0) {
		return -1;
	}
	fprintf(out, "<details>\n<summary>Events (%zu)</summary>\n", trace_count(t));
	event_table(t, out);
	fputs("</details>\n", out);
	if (run_data(t, v, out) != 0) {
		return -1;
	}
	fprintf(out, "<script>\n%s</script>\n</body>\n</html>\n", report_js);
	return ferror(out) ? -1 : 0;
}
