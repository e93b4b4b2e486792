/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTML report: one self-contained page (inline SVG and CSS, no scripts, no external
 * resources) so it can be attached to a CI run or mailed, and opened anywhere.
 */
#include "trace/view_model.h"

#include <stdlib.h>
#include <string.h>

static const char css[] =
    "body { font-family: sans-serif; margin: 2em; color: #1a1a1a; }\n"
    "pre { background: #f6f8fa; padding: 1em; overflow-x: auto; }\n"
    ".diagram { overflow-x: auto; border: 1px solid #d0d7de; }\n"
    "table { border-collapse: collapse; font-family: monospace; font-size: 12px; }\n"
    "td, th { border: 1px solid #d0d7de; padding: 2px 6px; text-align: left; "
    "vertical-align: top; }\n"
    "th { background: #e8eef7; }\n";

/* The narration, as the terminal shows it without colour. */
static int narration(const struct trace *t, const struct trace_view *v, FILE *out)
{
	FILE *tmp = tmpfile();
	char buf[4096];
	size_t n;
	if (!tmp) {
		return -1;
	}
	struct trace_narrator nar = {.out = tmp,
				     .color = false,
				     .namer = v ? v->namer : NULL,
				     .namer_ctx = v ? v->namer_ctx : NULL};
	for (size_t i = 0; i < trace_count(t); i++) {
		trace_narrate_sink(&nar, trace_get(t, i));
	}
	if (nar.open_call) {
		fputc('\n', tmp);
	}
	rewind(tmp);
	fputs("<pre id=\"narration\">", out);
	while ((n = fread(buf, 1, sizeof(buf) - 1, tmp)) > 0) {
		buf[n] = '\0';
		trace_xml_text(out, buf);
	}
	fputs("</pre>\n", out);
	fclose(tmp);
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
		view_num(ev, "rec", &rec);
		view_num(ev, "size", &size);
		if (ntok++ == 0) {
			fputs("<h2>Attestation tokens</h2>\n", out);
		}
		fprintf(out, "<p>Event %llu: REC %llu of ", (unsigned long long)ev->seq,
			(unsigned long long)rec);
		trace_xml_text(out, view_name(ev, "realm") ? view_name(ev, "realm") : "?");
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

struct granule {
	uint64_t pa;
	const char *before, *after;
};

/* Every granule the run transitioned: its GPI before the first and after the last change. */
static int gpt_table(const struct trace *t, const struct trace_view *v, FILE *out)
{
	struct granule *g = NULL;
	size_t n = 0;
	char name[64];
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		uint64_t pa = 0;
		if (ev->kind != TE_gpt || !view_num(ev, "pa", &pa)) {
			continue;
		}
		size_t j = 0;
		while (j < n && g[j].pa != pa) {
			j++;
		}
		if (j == n) {
			struct granule *ng = realloc(g, (n + 1) * sizeof(*g));
			if (!ng) {
				free(g);
				return -1;
			}
			g = ng;
			g[n++] = (struct granule){pa, view_name(ev, "from"), NULL};
		}
		g[j].after = view_name(ev, "to");
	}
	fprintf(out,
		"<p>%zu granule%s changed PAS during the run; every other granule kept its "
		"GPI.</p>\n",
		n, n == 1 ? "" : "s");
	fputs("<table id=\"gpt\">\n<tr><th>granule</th><th>PA</th><th>GPI before</th>"
	      "<th>GPI after</th></tr>\n",
	      out);
	for (size_t j = 0; j < n; j++) {
		view_addr(v, g[j].pa, name, sizeof(name));
		fputs("<tr><td>", out);
		trace_xml_text(out, name);
		fprintf(out, "</td><td>0x%llx</td><td>", (unsigned long long)g[j].pa);
		trace_xml_text(out, g[j].before ? g[j].before : "?");
		fputs("</td><td>", out);
		trace_xml_text(out, g[j].after ? g[j].after : "?");
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	free(g);
	return 0;
}

int trace_write_report(const struct trace *t, const struct trace_view *v, const char *description,
		       FILE *out)
{
	char title[256];
	view_title(v, title, sizeof(title));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
	      out);
	trace_xml_text(out, title);
	fprintf(out, " - cca-sim report</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	trace_xml_text(out, title);
	fputs("</h1>\n", out);
	if (description) {
		fputs("<p>", out);
		trace_xml_text(out, description);
		fputs("</p>\n", out);
	}
	fputs("<h2>Sequence diagram</h2>\n<div class=\"diagram\">\n", out);
	if (view_svg_element(t, v, out) != 0) {
		return -1;
	}
	fputs("</div>\n<h2>Narration</h2>\n", out);
	if (narration(t, v, out) != 0) {
		return -1;
	}
	token_tables(t, out);
	fputs("<h2>GPT state before and after</h2>\n", out);
	if (gpt_table(t, v, out) != 0) {
		return -1;
	}
	fprintf(out, "<h2>Events (%zu)</h2>\n", trace_count(t));
	event_table(t, out);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
