/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim diff`: two runs (one scenario under two revisions or profiles, or two scenarios)
 * aligned, and where they part shown side by side, as narration and as one diagram.
 *
 * Runs are compared as a reader sees them: by the narration of each event (without its
 * number; world switches and the other unnarrated events are left out), and for the diagram
 * by its rows after folding. The alignment is a longest common subsequence of those lines,
 * after the common beginning and end are set aside; stretches of difference closer than
 * MERGE_GAP same lines are one place, so that a place reads as "where the flows part, until
 * they join again" rather than as a dozen fragments around a shared world switch. Everything
 * is deterministic: the same runs give the same bytes.
 */
#include "trace/view_model.h"

#include <stdlib.h>
#include <string.h>

#define MERGE_GAP  4       /* fewer same lines between two differences: one place */
#define LCS_LIMIT  4000000 /* cells of the table; larger middles are one place */
#define MAX_PLACES 64

struct hunk {
	size_t a0, a1, b0, b1; /* [a0, a1) of A against [b0, b1) of B */
};

/* The lines of one run and their keys (what is compared). */
struct side_lines {
	char **text; /* shown */
	const char **key;
	uint64_t *seq;
	size_t n;
};

/*
 * The places where a[] and b[] differ, in order; `match` (size n, optional) receives for each
 * line of a its matching line of b + 1, 0 where none. Returns the number of places, or
 * (size_t)-1 when out of memory.
 */
static size_t align(const char *const *a, size_t n, const char *const *b, size_t m,
		    struct hunk *out, size_t max, size_t *match)
{
	size_t p = 0, s = 0;
	while (p < n && p < m && strcmp(a[p], b[p]) == 0) {
		p++;
	}
	while (s < n - p && s < m - p && strcmp(a[n - 1 - s], b[m - 1 - s]) == 0) {
		s++;
	}
	size_t na = n - p - s, nb = m - p - s;
	size_t *pair = calloc(na + 1, sizeof(*pair)); /* A middle line -> B middle line + 1 */
	if (!pair) {
		return (size_t)-1;
	}
	if (na && nb && (na + 1) * (nb + 1) <= LCS_LIMIT) {
		unsigned *len = calloc((na + 1) * (nb + 1), sizeof(*len));
		if (!len) {
			free(pair);
			return (size_t)-1;
		}
#define L(i, j) len[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;) {
			for (size_t j = nb; j-- > 0;) {
				L(i, j) =
				    strcmp(a[p + i], b[p + j]) == 0
					? L(i + 1, j + 1) + 1
					: (L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
			}
		}
		for (size_t i = 0, j = 0; i < na && j < nb;) {
			if (strcmp(a[p + i], b[p + j]) == 0) {
				pair[i++] = ++j;
			} else if (L(i + 1, j) >= L(i, j + 1)) {
				i++;
			} else {
				j++;
			}
		}
#undef L
		free(len);
	}
	/* Between two matched lines (or the middle's ends), what is unmatched on either side is a
	 * difference; differences fewer than MERGE_GAP same lines apart are one place. */
	size_t nh = 0, pi = 0, pj = 0; /* the first line after the previous match */
	for (size_t k = 0; k <= na; k++) {
		if (k < na && !pair[k]) {
			continue;
		}
		size_t ni = k, nj = k < na ? pair[k] - 1 : nb; /* the next match, or the end */
		if (ni > pi || nj > pj) {
			if (nh && pi - (out[nh - 1].a1 - p) < MERGE_GAP) {
				out[nh - 1].a1 = p + ni, out[nh - 1].b1 = p + nj;
			} else if (nh < max) {
				out[nh++] = (struct hunk){p + pi, p + ni, p + pj, p + nj};
			}
		}
		pi = ni + 1, pj = nj + 1;
	}
	if (match) {
		memset(match, 0, n * sizeof(*match));
		for (size_t k = 0; k < p; k++) {
			match[k] = k + 1;
		}
		for (size_t k = 0; k < s; k++) {
			match[n - 1 - k] = m - k;
		}
		for (size_t k = 0; k < na; k++) {
			match[p + k] = pair[k] ? p + pair[k] : 0;
		}
	}
	free(pair);
	return nh;
}

/* ---- narration lines -------------------------------------------------------------------- */

static void free_lines(struct side_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->text[i]);
	}
	free(l->text);
	free(l->key);
	free(l->seq);
	memset(l, 0, sizeof(*l));
}

/* Each narrated event of a run as one line (several lines joined by " / "); its key is the
 * text after the event number. */
static int narration_lines(const struct trace_diff_run *r, struct side_lines *l)
{
	size_t cap = trace_count(r->t) + 1;
	l->text = calloc(cap, sizeof(*l->text));
	l->key = calloc(cap, sizeof(*l->key));
	l->seq = calloc(cap, sizeof(*l->seq));
	if (!l->text || !l->key || !l->seq) {
		free_lines(l);
		return -1;
	}
	for (size_t i = 0; i < trace_count(r->t); i++) {
		const struct trace_event *ev = trace_get(r->t, i);
		bool oom = false;
		char *text = view_event_text(ev, r->v, &oom);
		if (oom) {
			free_lines(l);
			return -1;
		}
		if (text) {
			l->text[l->n] = text;
			/* "%4llu  " is the event's number */
			l->key[l->n] = strlen(text) > 6 ? text + 6 : text;
			l->seq[l->n++] = ev->seq;
		}
	}
	return 0;
}

/* `s` in exactly w columns: cut with "..." or padded. */
static void column(FILE *out, const char *s, size_t w)
{
	size_t len = strlen(s);
	if (len > w) {
		fprintf(out, "%.*s...", (int)(w > 3 ? w - 3 : 0), s);
	} else {
		fprintf(out, "%s%*s", s, (int)(w - len), "");
	}
}

static void same_line(FILE *out, const struct side_lines *a, const struct side_lines *b, size_t a0,
		      size_t a1, size_t b0, size_t b1)
{
	if (a1 > a0) {
		fprintf(out, "= A %llu-%llu and B %llu-%llu: the same %zu line%s\n",
			(unsigned long long)a->seq[a0], (unsigned long long)a->seq[a1 - 1],
			(unsigned long long)b->seq[b0], (unsigned long long)b->seq[b1 - 1], a1 - a0,
			a1 - a0 == 1 ? "" : "s");
	}
}

/* The step a line narrates without its values: up to the first '(' (actor and command). */
static size_t step_len(const char *key)
{
	const char *paren = strchr(key, '(');
	return paren ? (size_t)(paren - key) : strlen(key);
}

/* A place where both runs take the same steps, with other values (arguments, results). */
static bool same_steps(const struct side_lines *a, const struct side_lines *b, const struct hunk *h)
{
	if (h->a1 - h->a0 != h->b1 - h->b0) {
		return false;
	}
	for (size_t k = 0; k < h->a1 - h->a0; k++) {
		const char *x = a->key[h->a0 + k], *y = b->key[h->b0 + k];
		size_t n = step_len(x);
		if (n != step_len(y) || strncmp(x, y, n) != 0 || !strchr(x, '(')) {
			return false;
		}
	}
	return true;
}

static void row(FILE *out, int mark, const char *left, const char *right, size_t w)
{
	fprintf(out, "%c ", mark);
	column(out, left ? left : "", w);
	fputs(right ? " | " : " |", out);
	if (right) {
		fputs(right, out);
	}
	fputc('\n', out);
}

/* One place, side by side: lines both runs have on one row ("="), then each run's own lines,
 * paired row by row while both have some ("!"), then the longer side's rest ("<", ">"). */
static void place(FILE *out, const struct side_lines *a, const struct side_lines *b,
		  const struct hunk *h, const size_t *match, size_t w, bool values)
{
	fprintf(out, "@@ %s: A %llu-%llu | B %llu-%llu @@\n",
		values ? "the same steps, other values" : "the flows part",
		(unsigned long long)(h->a1 > h->a0 ? a->seq[h->a0] : 0),
		(unsigned long long)(h->a1 > h->a0 ? a->seq[h->a1 - 1] : 0),
		(unsigned long long)(h->b1 > h->b0 ? b->seq[h->b0] : 0),
		(unsigned long long)(h->b1 > h->b0 ? b->seq[h->b1 - 1] : 0));
	size_t i = h->a0, j = h->b0;
	while (i < h->a1 || j < h->b1) {
		if (i < h->a1 && j < h->b1 && match[i] == j + 1) {
			row(out, '=', a->text[i++], b->text[j++], w);
			continue;
		}
		/* A's lines up to its next shared one, B's up to the line that one matches */
		size_t ie = i, je;
		while (ie < h->a1 && !(match[ie] && match[ie] - 1 >= j && match[ie] - 1 < h->b1)) {
			ie++;
		}
		je = ie < h->a1 ? match[ie] - 1 : h->b1;
		while (i < ie || j < je) {
			bool l = i < ie, r = j < je;
			row(out,
			    l && r ? '!'
			    : l    ? '<'
				   : '>',
			    l ? a->text[i] : NULL, r ? b->text[j] : NULL, w);
			i += l;
			j += r;
		}
	}
}

int trace_write_diff(const struct trace_diff_run *a, const struct trace_diff_run *b, unsigned width,
		     FILE *out)
{
	struct side_lines la = {0}, lb = {0};
	struct hunk h[MAX_PLACES];
	if (narration_lines(a, &la) != 0 || narration_lines(b, &lb) != 0) {
		free_lines(&la);
		return -1;
	}
	size_t *match = calloc(la.n + 1, sizeof(*match));
	size_t n = match ? align(la.key, la.n, lb.key, lb.n, h, MAX_PLACES, match) : (size_t)-1;
	if (n == (size_t)-1) {
		free(match);
		free_lines(&la);
		free_lines(&lb);
		return -1;
	}
	size_t w = width > 20 ? (width - 4) / 2 : 8;
	fprintf(out, "A: %s, %zu narrated events\nB: %s, %zu narrated events\n", a->label, la.n,
		b->label, lb.n);
	size_t ai = 0, bi = 0, parts = 0;
	for (size_t k = 0; k < n; k++) {
		bool values = same_steps(&la, &lb, &h[k]);
		same_line(out, &la, &lb, ai, h[k].a0, bi, h[k].b0);
		place(out, &la, &lb, &h[k], match, w, values);
		parts += !values;
		ai = h[k].a1, bi = h[k].b1;
	}
	same_line(out, &la, &lb, ai, la.n, bi, lb.n);
	if (n == 0) {
		fputs("the two runs narrate the same flow\n", out);
	} else {
		fprintf(out,
			"the flows part in %zu place%s; %zu more place%s where the same steps "
			"have other values\n",
			parts, parts == 1 ? "" : "s", n - parts, n - parts == 1 ? "" : "s");
	}
	free(match);
	free_lines(&la);
	free_lines(&lb);
	return ferror(out) ? -1 : (int)n;
}

/* ---- one diagram of both ---------------------------------------------------------------- */

static int line_index(const struct vm_model *m, const struct vm_line *l)
{
	for (int i = 0; i < m->nlines; i++) {
		if (strcmp(m->lines[i].name, l->name) == 0 &&
		    strcmp(m->lines[i].sub, l->sub) == 0) {
			return i;
		}
	}
	return -1;
}

/* A's lifelines, then B's that A lacks; map[] gives B's line i in the merged model. */
static int merge_lines(const struct vm_model *a, const struct vm_model *b, struct vm_model *m,
		       int *map)
{
	m->lines = calloc((size_t)a->nlines + (size_t)b->nlines, sizeof(*m->lines));
	if (!m->lines) {
		return -1;
	}
	memcpy(m->lines, a->lines, (size_t)a->nlines * sizeof(*m->lines));
	m->nlines = a->nlines;
	for (int i = 0; i < b->nlines; i++) {
		int at = line_index(m, &b->lines[i]);
		if (at < 0) {
			m->lines[m->nlines] = b->lines[i];
			at = m->nlines++;
		}
		map[i] = at;
	}
	return 0;
}

static char *row_key(const struct vm_item *it, const struct vm_model *m, int from, int to)
{
	size_t len = strlen(it->text) + 160;
	char *k = malloc(len);
	if (k) {
		snprintf(k, len, "%d %s %s %d %s", it->kind, m->lines[from].name, m->lines[to].name,
			 it->bad, it->text);
	}
	return k;
}

static void put_item(struct vm_model *m, const struct vm_item *it, const int *map, unsigned side)
{
	struct vm_item *o = &m->items[m->nitems++];
	*o = *it;
	o->side = (unsigned char)side;
	if (it->kind == VM_FOLD) {
		o->from = 0, o->to = m->nlines - 1; /* across every lifeline, as before */
	} else if (map) {
		o->from = map[it->from], o->to = map[it->to];
	}
}

static int merged_model(const struct vm_model *a, const struct vm_model *b, struct vm_model *m)
{
	int *map = calloc((size_t)b->nlines + 1, sizeof(*map));
	char **ka = calloc(a->nitems + 1, sizeof(*ka)), **kb = calloc(b->nitems + 1, sizeof(*kb));
	struct hunk h[MAX_PLACES];
	int rc = -1;
	memset(m, 0, sizeof(*m));
	if (!map || !ka || !kb || merge_lines(a, b, m, map) != 0) {
		goto out;
	}
	m->items = calloc(a->nitems + b->nitems + 1, sizeof(*m->items));
	if (!m->items) {
		goto out;
	}
	for (size_t i = 0; i < a->nitems; i++) {
		ka[i] = row_key(&a->items[i], a, a->items[i].from, a->items[i].to);
		if (!ka[i]) {
			goto out;
		}
	}
	for (size_t i = 0; i < b->nitems; i++) {
		kb[i] = row_key(&b->items[i], b, b->items[i].from, b->items[i].to);
		if (!kb[i]) {
			goto out;
		}
	}
	size_t n = align((const char *const *)ka, a->nitems, (const char *const *)kb, b->nitems, h,
			 MAX_PLACES, NULL);
	if (n == (size_t)-1) {
		goto out;
	}
	size_t ai = 0;
	for (size_t k = 0; k < n; k++) {
		for (; ai < h[k].a0; ai++) {
			put_item(m, &a->items[ai], NULL, 0);
		}
		for (size_t i = h[k].a0; i < h[k].a1; i++) {
			put_item(m, &a->items[i], NULL, 1);
		}
		for (size_t j = h[k].b0; j < h[k].b1; j++) {
			put_item(m, &b->items[j], map, 2);
		}
		ai = h[k].a1;
	}
	for (; ai < a->nitems; ai++) {
		put_item(m, &a->items[ai], NULL, 0);
	}
	rc = 0;
out:
	for (size_t i = 0; ka && i < a->nitems; i++) {
		free(ka[i]);
	}
	for (size_t i = 0; kb && i < b->nitems; i++) {
		free(kb[i]);
	}
	free(ka);
	free(kb);
	free(map);
	if (rc != 0) {
		vm_free(m);
	}
	return rc;
}

int trace_write_diff_diagram(const struct trace_diff_run *a, const struct trace_diff_run *b,
			     const char *format, FILE *out)
{
	struct vm_model ma, mb, m;
	if (vm_build(a->t, a->v, &ma) != 0) {
		return -1;
	}
	if (vm_build(b->t, b->v, &mb) != 0) {
		vm_free(&ma);
		return -1;
	}
	int rc = merged_model(&ma, &mb, &m);
	vm_free(&ma);
	vm_free(&mb);
	if (rc != 0) {
		return -1;
	}
	char title[600], la[256], lb[256];
	snprintf(la, sizeof(la), "A: %s", a->label);
	snprintf(lb, sizeof(lb), "B: %s", b->label);
	m.side_label[1] = la;
	m.side_label[2] = lb;
	snprintf(title, sizeof(title), "%s / %s", la, lb);
	if (strcmp(format, "svg") == 0) {
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
		rc = view_svg_model(&m, title, 1.0, out);
	} else if (strcmp(format, "puml") == 0) {
		rc = view_plantuml_model(&m, title, false, out);
	} else {
		rc = view_mermaid_model(&m, title, out);
	}
	vm_free(&m);
	return rc;
}
