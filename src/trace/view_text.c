/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sequence diagram as Mermaid and PlantUML text, from the same model as the SVG. Lifelines
 * get short ids (p0, p1, ...) so that names such as "vm.rec0" or "rec3 .. rec255" need no
 * quoting in message lines.
 */
#include "trace/view_model.h"

/* Mermaid reads ';' and '#' as syntax even in labels: write them as entity codes. */
static void mmd_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == ';') {
			fputs("#59;", f);
		} else if (*s == '#') {
			fputs("#35;", f);
		} else if (*s == '\n' || *s == '\r') {
			fputc(' ', f);
		} else {
			fputc(*s, f);
		}
	}
}

/* A diff's alternatives: `alt A` before the first row of run 1, `else B` before the first of
 * run 2, `end` after the last; `kw` names the keywords ("alt"/"else"/"end", either case). */
static void side_frame(FILE *out, const struct vm_model *m, size_t k, const char *indent,
		       const char *const kw[3])
{
	unsigned side = m->items[k].side, prev = k ? m->items[k - 1].side : 0;
	if (side == prev) {
		return;
	}
	if (prev && !(prev == 1 && side == 2)) {
		fprintf(out, "%s%s\n", indent, kw[2]);
	}
	if (side) {
		fprintf(out, "%s%s %s\n", indent, side == 2 && prev == 1 ? kw[1] : kw[0],
			m->side_label[side] ? m->side_label[side]
			: side == 1         ? "A"
					    : "B");
	}
}

int view_mermaid_model(const struct vm_model *m, const char *title, FILE *out)
{
	static const char *const kw[3] = {"alt", "else", "end"};
	fputs("sequenceDiagram\n", out);
	fputs("    title ", out);
	mmd_text(out, title);
	fputc('\n', out);
	for (int i = 0; i < m->nlines; i++) {
		fprintf(out, "    participant p%d as ", i);
		mmd_text(out, m->lines[i].name);
		fputs(" (", out);
		mmd_text(out, m->lines[i].sub);
		fputs(")\n", out);
	}
	for (size_t k = 0; k < m->nitems; k++) {
		const struct vm_item *it = &m->items[k];
		side_frame(out, m, k, "    ", kw);
		/* the DENIED path (compact style) in a highlighted box */
		if (it->hot && (k == 0 || !m->items[k - 1].hot)) {
			fputs("    rect rgb(253, 233, 217)\n", out);
		}
		switch (it->kind) {
		case VM_CALL:
		case VM_REPLY:
			fprintf(out, "    p%d%sp%d: ", it->from,
				it->kind == VM_CALL ? "->>" : "-->>", it->to);
			break;
		case VM_NOTE:
			fprintf(out, "    Note over p%d: ", it->from);
			break;
		case VM_FOLD:
			fprintf(out, "    Note over p%d,p%d: ", it->from, it->to);
			break;
		}
		if (it->bad) {
			fputs("FAILED ", out);
		}
		mmd_text(out, it->text);
		fputc('\n', out);
		if (it->hot && (k + 1 == m->nitems || !m->items[k + 1].hot)) {
			fputs("    end\n", out);
		}
	}
	if (m->nitems && m->items[m->nitems - 1].side) {
		fputs("    end\n", out);
	}
	return ferror(out) ? -1 : 0;
}

int trace_write_mermaid(const struct trace *t, const struct trace_view *v, FILE *out)
{
	struct vm_model m;
	if (vm_build(t, v, &m) != 0) {
		return -1;
	}
	char title[256];
	view_title(v, title, sizeof(title));
	int rc = view_mermaid_model(&m, title, out);
	vm_free(&m);
	return rc;
}

/* PlantUML labels: a backslash starts an escape (\n), so write it doubled. */
static void puml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\') {
			fputs("\\\\", f);
		} else if (*s == '\n' || *s == '\r') {
			fputc(' ', f);
		} else {
			fputc(*s, f);
		}
	}
}

int view_plantuml_model(const struct vm_model *m, const char *title, bool compact, FILE *out)
{
	static const char *const kw[3] = {"alt", "else", "end"};
	fputs("@startuml\n", out);
	fputs("title ", out);
	puml_text(out, title);
	fputc('\n', out);
	fputs("skinparam monochrome false\nskinparam shadowing false\n", out);
	if (compact) {
		fputs("skinparam defaultFontSize 16\n", out);
	}
	for (int i = 0; i < m->nlines; i++) {
		fputs("participant \"", out);
		puml_text(out, m->lines[i].name);
		fputs("\\n", out);
		puml_text(out, m->lines[i].sub);
		fprintf(out, "\" as p%d\n", i);
	}
	for (size_t k = 0; k < m->nitems; k++) {
		const struct vm_item *it = &m->items[k];
		const char *red = it->bad ? "[#red]" : it->hot ? "[#d35400,bold]" : "";
		side_frame(out, m, k, "", kw);
		switch (it->kind) {
		case VM_CALL:
			fprintf(out, "p%d -%s> p%d : ", it->from, red, it->to);
			break;
		case VM_REPLY:
			fprintf(out, "p%d -%s-> p%d : ", it->from, red, it->to);
			break;
		case VM_NOTE:
			fprintf(out, "note over p%d %s: ", it->from,
				it->bad   ? "#pink "
				: it->hot ? "#fde9d9 "
					  : "");
			break;
		case VM_FOLD:
			fprintf(out, "note over p%d, p%d #eeeeee : ", it->from, it->to);
			break;
		}
		puml_text(out, it->text);
		fputc('\n', out);
	}
	if (m->nitems && m->items[m->nitems - 1].side) {
		fputs("end\n", out);
	}
	fputs("@enduml\n", out);
	return ferror(out) ? -1 : 0;
}

int trace_write_plantuml(const struct trace *t, const struct trace_view *v, FILE *out)
{
	struct vm_model m;
	if (vm_build(t, v, &m) != 0) {
		return -1;
	}
	char title[256];
	view_title(v, title, sizeof(title));
	int rc = view_plantuml_model(&m, title, v && v->compact, out);
	vm_free(&m);
	return rc;
}
