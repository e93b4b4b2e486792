/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sequence diagram as SVG, laid out by cca-sim itself: lifelines as columns whose gaps
 * fit the longest label between neighbours, one row per message or note, top to bottom in
 * event order. Sizes come from a fixed monospace advance, so the output depends only on the
 * events (no font metrics of the machine that writes it).
 */
#include "trace/view_model.h"

#include <stdlib.h>
#include <string.h>

#define CHAR_W   7.3 /* advance of the 12px monospace font, in px */
#define ROW_H    28
#define HEAD_Y   34
#define HEAD_H   40
#define FIRST_Y  (HEAD_Y + HEAD_H + 30)
#define MIN_GAP  140
#define MARGIN   20
#define FOLD_PAD 40

/* Display width of UTF-8 text: continuation bytes take no room. */
static double text_w(const char *s)
{
	double w = 0;
	for (; *s; s++) {
		w += ((unsigned char)*s & 0xc0) == 0x80 ? 0 : CHAR_W;
	}
	return w;
}

struct layout {
	double *x;
	double width, height;
};

static double head_w(const struct vm_line *l)
{
	double a = text_w(l->name), b = text_w(l->sub);
	return (a > b ? a : b) + 20;
}

static int layout(const struct vm_model *m, const char *title, struct layout *lo)
{
	int n = m->nlines;
	double *gap = calloc((size_t)n, sizeof(double));
	lo->x = calloc((size_t)n, sizeof(double));
	if (!gap || !lo->x) {
		free(gap);
		free(lo->x);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		gap[i] = MIN_GAP;
	}
	for (int i = 0; i + 1 < n; i++) {
		double need = (head_w(&m->lines[i]) + head_w(&m->lines[i + 1])) / 2 + 20;
		gap[i] = need > gap[i] ? need : gap[i];
	}
	double left = head_w(&m->lines[0]) / 2, right = head_w(&m->lines[n - 1]) / 2;
	for (size_t k = 0; k < m->nitems; k++) {
		const struct vm_item *it = &m->items[k];
		double w = text_w(it->text) + 24;
		if (it->kind == VM_NOTE) {
			int i = it->from;
			if (i + 1 < n && w / 2 + 10 > gap[i]) {
				gap[i] = w / 2 + 10;
			}
			if (i > 0 && w / 2 + 10 > gap[i - 1]) {
				gap[i - 1] = w / 2 + 10;
			}
			left = i == 0 && w / 2 > left ? w / 2 : left;
			right = i == n - 1 && w / 2 > right ? w / 2 : right;
		} else if (it->kind != VM_FOLD && abs(it->to - it->from) == 1) {
			int i = it->from < it->to ? it->from : it->to;
			gap[i] = w > gap[i] ? w : gap[i];
		} else if (it->kind != VM_FOLD && it->from == n - 1 && w > right) {
			right = w; /* a label on the last lifeline's arrow to the left */
		}
	}
	lo->x[0] = MARGIN + left;
	for (int i = 1; i < n; i++) {
		lo->x[i] = lo->x[i - 1] + gap[i - 1];
	}
	lo->width = lo->x[n - 1] + right + MARGIN;
	double span = lo->x[n - 1] - lo->x[0] + 2 * FOLD_PAD;
	for (size_t k = 0; k < m->nitems; k++) {
		double w = text_w(m->items[k].text) + 24;
		if (m->items[k].kind == VM_FOLD && w > span) {
			double need = lo->x[0] + (lo->x[n - 1] - lo->x[0]) / 2 + w / 2 + MARGIN;
			lo->width = need > lo->width ? need : lo->width;
		}
	}
	double tw = text_w(title) + 2 * MARGIN;
	lo->width = tw > lo->width ? tw : lo->width;
	lo->height = FIRST_Y + (double)m->nitems * ROW_H + 20;
	free(gap);
	return 0;
}

static void text_at(FILE *f, double x, double y, const char *cls, const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\">", x, y, cls);
	trace_xml_text(f, s);
	fputs("</text>\n", f);
}

static void heads(FILE *f, const struct vm_model *m, const struct layout *lo)
{
	for (int i = 0; i < m->nlines; i++) {
		double w = head_w(&m->lines[i]), x = lo->x[i];
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" class=\"life\"/>\n",
			x, HEAD_Y + HEAD_H, x, lo->height - 10);
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"4\" "
			"class=\"head\"/>\n",
			x - w / 2, HEAD_Y, w, HEAD_H);
		text_at(f, x, HEAD_Y + 17, "hname", m->lines[i].name);
		text_at(f, x, HEAD_Y + 33, "hsub", m->lines[i].sub);
	}
}

static void item(FILE *f, const struct vm_model *m, const struct layout *lo, size_t k)
{
	const struct vm_item *it = &m->items[k];
	double y = FIRST_Y + (double)k * ROW_H;
	const char *bad = it->bad ? " bad" : it->hot ? " hot" : "";
	if (it->side) {
		/* a diff: a row of one run only, on a band of its colour, tagged A or B */
		fprintf(
		    f, "<rect x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" class=\"side%u\"/>\n",
		    y - 18, lo->width, ROW_H, it->side);
		text_at(f, 10, y, "sidetag", it->side == 1 ? "A" : "B");
	}
	if (it->kind == VM_NOTE || it->kind == VM_FOLD) {
		double w = text_w(it->text) + 16, cx = lo->x[it->from];
		if (it->kind == VM_FOLD) {
			double span = lo->x[m->nlines - 1] - lo->x[0] + 2 * FOLD_PAD;
			w = w > span ? w : span;
			cx = (lo->x[0] + lo->x[m->nlines - 1]) / 2;
		}
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" "
			"class=\"%s%s\"/>\n",
			cx - w / 2, y - 14, w, it->kind == VM_FOLD ? "fold" : "note", bad);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ntext%s\">", cx, y, bad);
		trace_xml_text(f, it->text);
		fputs("</text>\n", f);
		return;
	}
	double x1 = lo->x[it->from], x2 = lo->x[it->to];
	fprintf(f,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s%s\" "
		"marker-end=\"url(#%s)\"/>\n",
		x1, y, x2, y, it->kind == VM_REPLY ? "reply" : "call", bad,
		it->bad   ? "arrow-bad"
		: it->hot ? "arrow-hot"
			  : "arrow");
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"mtext%s\">", (x1 + x2) / 2, y - 5, bad);
	trace_xml_text(f, it->text);
	fputs("</text>\n", f);
}

static const char style[] =
    "<style>\n"
    "text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; "
    "text-anchor: middle; fill: #1a1a1a; }\n"
    ".title { font-size: 15px; font-weight: bold; text-anchor: start; }\n"
    ".hname { font-weight: bold; }\n"
    ".hsub { fill: #555555; font-size: 11px; }\n"
    ".head { fill: #e8eef7; stroke: #36567f; }\n"
    ".life { stroke: #9aa5b1; stroke-dasharray: 4 4; }\n"
    ".call { stroke: #1a1a1a; }\n"
    ".reply { stroke: #1a1a1a; stroke-dasharray: 6 3; }\n"
    ".note { fill: #fff8c4; stroke: #b9a93b; }\n"
    ".fold { fill: #eeeeee; stroke: #888888; stroke-dasharray: 3 2; }\n"
    /* lines and boxes only: a stroke on text would outline (blur) its letters */
    "line.bad, rect.bad { stroke: #c0392b; }\n"
    "rect.bad { fill: #fde2df; }\n"
    ".mtext.bad, .ntext.bad { fill: #c0392b; font-weight: bold; }\n"
    "line.hot { stroke: #d35400; stroke-width: 2.5; }\n"
    ".side1 { fill: #fff1d6; fill-opacity: 0.75; }\n"
    ".side2 { fill: #dcecff; fill-opacity: 0.75; }\n"
    ".sidetag { font-weight: bold; text-anchor: start; }\n"
    "rect.hot { stroke: #d35400; fill: #fde9d9; }\n"
    ".mtext.hot, .ntext.hot { fill: #a04000; font-weight: bold; }\n"
    "</style>\n";

int view_svg_model(const struct vm_model *m, const char *title, double zoom, FILE *out)
{
	struct layout lo = {0};
	if (layout(m, title, &lo) != 0) {
		return -1;
	}
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"sequence-diagram\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		lo.width * zoom, lo.height * zoom, lo.width, lo.height);
	fputs("<title>", out);
	trace_xml_text(out, title);
	fputs("</title>\n", out);
	fputs(style, out);
	fputs("<defs>\n"
	      "<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
	      "fill=\"#1a1a1a\"/></marker>\n"
	      "<marker id=\"arrow-bad\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	      "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 "
	      "z\" fill=\"#c0392b\"/></marker>\n"
	      "<marker id=\"arrow-hot\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	      "markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 "
	      "z\" fill=\"#d35400\"/></marker>\n"
	      "</defs>\n"
	      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
	      out);
	text_at(out, MARGIN, 20, "title", title);
	heads(out, m, &lo);
	for (size_t k = 0; k < m->nitems; k++) {
		/* a row and the events it stands for: the report highlights the current one */
		fprintf(out, "<g class=\"row\" data-seq=\"%llu\" data-seq-end=\"%llu\">\n",
			(unsigned long long)m->items[k].seq,
			(unsigned long long)m->items[k].seq_end);
		item(out, m, &lo, k);
		fputs("</g>\n", out);
	}
	fputs("</svg>\n", out);
	free(lo.x);
	return ferror(out) ? -1 : 0;
}

int view_svg_element(const struct trace *t, const struct trace_view *v, FILE *out)
{
	struct vm_model m;
	char title[256];
	view_title(v, title, sizeof(title));
	if (vm_build(t, v, &m) != 0) {
		return -1;
	}
	/* compact: drawn 1.4 times larger (text included) for a projector */
	int rc = view_svg_model(&m, title, v && v->compact ? 1.4 : 1.0, out);
	vm_free(&m);
	return rc;
}

int trace_write_svg(const struct trace *t, const struct trace_view *v, FILE *out)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	return view_svg_element(t, v, out);
}
