/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Folding the rows of a run so the part that matters stands out (see view_model.c for the
 * blocks): runs of successful housekeeping calls become one "set-up"/"teardown" row, and a
 * pattern of blocks repeated back to back is shown once followed by a count.
 */
#include "trace/view_model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MIN_FOLD  3 /* fewer repetitions or calls are shown as they are */
#define MAX_CYCLE 8 /* longest repeated pattern looked for, in blocks */

/* Text equality with every number (a run starting with a digit: 42, 0x2a) as one token. */
static bool norm_eq(const char *a, const char *b)
{
	for (;;) {
		bool da = isdigit((unsigned char)*a), db = isdigit((unsigned char)*b);
		if (da != db) {
			return false;
		}
		if (da) {
			while (isxdigit((unsigned char)*a) || *a == 'x') {
				a++;
			}
			while (isxdigit((unsigned char)*b) || *b == 'x') {
				b++;
			}
			continue;
		}
		if (*a != *b) {
			return false;
		}
		if (!*a) {
			return true;
		}
		a++;
		b++;
	}
}

static bool block_eq(const struct vm_builder *b, const struct vm_block *x, const struct vm_block *y)
{
	if (x->n != y->n) {
		return false;
	}
	for (size_t i = 0; i < x->n; i++) {
		const struct vm_item *p = &b->raw[x->first + i], *q = &b->raw[y->first + i];
		if (p->kind != q->kind || p->from != q->from || p->to != q->to ||
		    p->bad != q->bad || !norm_eq(p->text, q->text)) {
			return false;
		}
	}
	return true;
}

static struct vm_item *out_row(struct vm_builder *b, size_t *cap)
{
	struct vm_model *m = b->m;
	if (m->nitems == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct vm_item *r = realloc(m->items, c * sizeof(*r));
		if (!r) {
			b->oom = true;
			return NULL;
		}
		m->items = r;
		*cap = c;
	}
	return &m->items[m->nitems++];
}

static void emit_block(struct vm_builder *b, const struct vm_block *blk, size_t *cap)
{
	for (size_t i = 0; i < blk->n; i++) {
		struct vm_item *it = out_row(b, cap);
		if (!it) {
			return;
		}
		*it = b->raw[blk->first + i];
	}
}

/* A row across every lifeline for blocks [from, to), standing for all their events. */
static void emit_fold(struct vm_builder *b, size_t from, size_t to, const char *text, size_t *cap)
{
	struct vm_item *it = out_row(b, cap);
	if (it) {
		memset(it, 0, sizeof(*it));
		it->kind = VM_FOLD;
		it->from = 0;
		it->to = b->m->nlines - 1;
		snprintf(it->text, sizeof(it->text), "%s", text);
		const struct vm_block *first = &b->blocks[from], *last = &b->blocks[to - 1];
		it->seq = first->n ? b->raw[first->first].seq : 0;
		it->seq_end = last->n ? b->raw[last->first + last->n - 1].seq_end : it->seq;
	}
}

static bool foldable(const struct vm_block *blk)
{
	return blk->cmd && blk->ok && blk->housekeeping;
}

/* "set-up: 23 RMI calls, all RMI_SUCCESS: GRANULE_DELEGATE x9, ... / 9 granules → REALM" */
static void setup_fold(struct vm_builder *b, size_t from, size_t to, size_t *cap)
{
	size_t first_enter = b->nblocks, last_enter = 0;
	const char *names[16] = {NULL};
	unsigned counts[16] = {0}, nnames = 0, gpt = 0;
	const char *state = NULL;
	char text[VM_TEXT], one[64];

	for (size_t i = 0; i < b->nblocks; i++) {
		if (b->blocks[i].enter) {
			first_enter = i < first_enter ? i : first_enter;
			last_enter = i;
		}
	}
	for (size_t i = from; i < to; i++) {
		const struct vm_block *blk = &b->blocks[i];
		unsigned j = 0;
		while (j < nnames && strcmp(names[j], blk->cmd) != 0) {
			j++;
		}
		if (j == nnames && nnames < 16) {
			names[nnames] = blk->cmd;
			counts[nnames++] = 0;
		}
		if (j < nnames) {
			counts[j]++;
		}
		gpt += blk->gpt;
		state = blk->realm_state ? blk->realm_state : state;
	}
	const char *phase = from < first_enter                              ? "set-up"
			    : first_enter < b->nblocks && from > last_enter ? "teardown"
									    : "RMI calls";
	bool compact = b->v && b->v->compact; /* slides: the count, not the list */
	snprintf(text, sizeof(text), "%s: %zu RMI calls, all RMI_SUCCESS%s", phase, to - from,
		 compact ? "" : " (");
	for (unsigned j = 0; !compact && j < nnames; j++) {
		const char *n = strncmp(names[j], "RMI_", 4) == 0 ? names[j] + 4 : names[j];
		if (counts[j] > 1) {
			snprintf(one, sizeof(one), "%s%s x%u", j ? ", " : "", n, counts[j]);
		} else {
			snprintf(one, sizeof(one), "%s%s", j ? ", " : "", n);
		}
		view_append(text, sizeof(text), one);
	}
	view_append(text, sizeof(text), compact ? "" : ")");
	if (gpt) {
		snprintf(one, sizeof(one), ", %u GPT transitions", gpt);
		view_append(text, sizeof(text), one);
	}
	if (state) {
		view_append(text, sizeof(text), ", realm ");
		view_append(text, sizeof(text), state);
	}
	emit_fold(b, from, to, text, cap);
	/* The host's decisions among them (interrupts injected at the first entry) stay. */
	for (size_t i = from; i < to; i++) {
		const struct vm_block *blk = &b->blocks[i];
		for (size_t k = 0; k < blk->n; k++) {
			struct vm_item *it = b->raw[blk->first + k].keep ? out_row(b, cap) : NULL;
			if (it) {
				*it = b->raw[blk->first + k];
			}
		}
	}
}

/* How many times the `p` blocks at i repeat back to back (1: no repetition). */
static size_t repeats(const struct vm_builder *b, size_t i, size_t p)
{
	size_t k = 1;
	while (i + (k + 1) * p <= b->nblocks) {
		for (size_t j = 0; j < p; j++) {
			if (foldable(&b->blocks[i + j]) ||
			    !block_eq(b, &b->blocks[i + j], &b->blocks[i + k * p + j])) {
				return k;
			}
		}
		k++;
	}
	return k;
}

static void repeat_fold(struct vm_builder *b, size_t from, size_t to, size_t p, size_t *cap)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned allow = 0, deny = 0;
	char text[VM_TEXT], one[64];
	for (size_t i = from; i < to; i++) {
		const struct vm_block *blk = &b->blocks[i];
		allow += blk->allow;
		deny += blk->deny;
		if (blk->has_rec) {
			lo = blk->rec_min < lo ? blk->rec_min : lo;
			hi = blk->rec_max > hi ? blk->rec_max : hi;
		}
	}
	snprintf(text, sizeof(text), "folded: the %zu RMI call%s above repeat%s x%zu more", p,
		 p == 1 ? "" : "s", p == 1 ? "s" : "", (to - from) / p);
	if (lo <= hi) {
		snprintf(one, sizeof(one), " (RECs rec%llu .. rec%llu", (unsigned long long)lo,
			 (unsigned long long)hi);
		view_append(text, sizeof(text), one);
		view_append(text, sizeof(text), allow || deny ? "" : ")");
	}
	if (allow || deny) {
		snprintf(one, sizeof(one), "%shost: %u allowed, %u denied)", lo <= hi ? "; " : " (",
			 allow, deny);
		view_append(text, sizeof(text), one);
	}
	emit_fold(b, from, to, text, cap);
}

void vm_fold(struct vm_builder *b)
{
	size_t cap = 0, i = 0;
	while (i < b->nblocks && !b->oom) {
		size_t j = i;
		while (j < b->nblocks && foldable(&b->blocks[j])) {
			j++;
		}
		if (j - i >= MIN_FOLD) {
			setup_fold(b, i, j, &cap);
			i = j;
			continue;
		}
		size_t best_p = 0, best_k = 1;
		for (size_t p = 1; p <= MAX_CYCLE && best_p == 0; p++) {
			size_t k = repeats(b, i, p);
			if (k >= MIN_FOLD) {
				best_p = p;
				best_k = k;
			}
		}
		if (best_p) {
			for (size_t j2 = i; j2 < i + best_p; j2++) {
				emit_block(b, &b->blocks[j2], &cap);
			}
			repeat_fold(b, i + best_p, i + best_k * best_p, best_p, &cap);
			i += best_k * best_p;
			continue;
		}
		emit_block(b, &b->blocks[i], &cap);
		i++;
	}
}
