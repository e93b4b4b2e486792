/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The assembler buffer: consecutive instructions, labels, and fixups for uses that precede the
 * label's binding. Every use is recorded as a fixup and patched by a64_buf_finish, so forward
 * and backward references take the same path.
 */
#include "realm/a64.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(struct a64_buf *b, const char *fmt, ...)
{
	if (b->failed) {
		return; /* keep the first error: later ones are usually its consequences */
	}
	b->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->error, sizeof(b->error), fmt, ap);
	va_end(ap);
}

/* Grows *arr (of *cap elements of `size` bytes) to hold at least `need`; false on failure. */
static bool grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap) {
		return true;
	}
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need) {
		n *= 2;
	}
	void *p = realloc(*arr, n * size);
	if (!p) {
		return false;
	}
	*arr = p;
	*cap = n;
	return true;
}

void a64_buf_init(struct a64_buf *b, uint64_t base)
{
	memset(b, 0, sizeof(*b));
	b->base = base;
}

void a64_buf_free(struct a64_buf *b)
{
	free(b->insn);
	free(b->label_addr);
	free(b->label_bound);
	free(b->fix);
	memset(b, 0, sizeof(*b));
}

uint64_t a64_buf_pc(const struct a64_buf *b)
{
	return b->base + 4 * (uint64_t)b->len;
}

void a64_emit(struct a64_buf *b, uint32_t insn)
{
	if (!grow((void **)&b->insn, &b->cap, b->len + 1, sizeof(*b->insn))) {
		fail(b, "out of memory");
		return;
	}
	b->insn[b->len++] = insn;
}

void a64_emit_mov_imm64(struct a64_buf *b, unsigned rd, uint64_t value)
{
	uint32_t seq[4];
	unsigned n = a64_mov_imm64(rd, value, seq);
	for (unsigned i = 0; i < n; i++) {
		a64_emit(b, seq[i]);
	}
}

unsigned a64_label_new(struct a64_buf *b)
{
	size_t cap = b->label_cap;
	if (!grow((void **)&b->label_addr, &cap, b->nlabels + 1, sizeof(*b->label_addr)) ||
	    !grow((void **)&b->label_bound, &b->label_cap, b->nlabels + 1,
		  sizeof(*b->label_bound))) {
		fail(b, "out of memory");
		return 0;
	}
	b->label_addr[b->nlabels] = 0;
	b->label_bound[b->nlabels] = false;
	return (unsigned)b->nlabels++;
}

void a64_label_bind_at(struct a64_buf *b, unsigned label, uint64_t addr)
{
	if (label >= b->nlabels) {
		fail(b, "label %u does not exist", label);
		return;
	}
	if (b->label_bound[label]) {
		fail(b, "label %u bound twice", label);
		return;
	}
	b->label_addr[label] = addr;
	b->label_bound[label] = true;
}

void a64_label_bind(struct a64_buf *b, unsigned label)
{
	a64_label_bind_at(b, label, a64_buf_pc(b));
}

/* Records a use of `label` by the instruction about to be emitted, emitted as a placeholder. */
static void use(struct a64_buf *b, enum a64_fixup_kind kind, unsigned reg, unsigned label)
{
	if (!grow((void **)&b->fix, &b->fix_cap, b->nfix + 1, sizeof(*b->fix))) {
		fail(b, "out of memory");
		return;
	}
	b->fix[b->nfix++] = (struct a64_fixup){b->len, label, kind, reg};
	a64_emit(b, 0);
}

void a64_emit_b(struct a64_buf *b, unsigned label)
{
	use(b, A64_FIX_B, 0, label);
}

void a64_emit_bl(struct a64_buf *b, unsigned label)
{
	use(b, A64_FIX_BL, 0, label);
}

void a64_emit_b_cond(struct a64_buf *b, enum a64_cond cond, unsigned label)
{
	use(b, A64_FIX_B_COND, (unsigned)cond, label);
}

void a64_emit_cbz(struct a64_buf *b, unsigned rt, unsigned label)
{
	use(b, A64_FIX_CBZ, rt, label);
}

void a64_emit_cbnz(struct a64_buf *b, unsigned rt, unsigned label)
{
	use(b, A64_FIX_CBNZ, rt, label);
}

void a64_emit_adr(struct a64_buf *b, unsigned rd, unsigned label)
{
	use(b, A64_FIX_ADR, rd, label);
}

static bool in_range(enum a64_fixup_kind kind, int64_t off)
{
	switch (kind) {
	case A64_FIX_B:
	case A64_FIX_BL:
		return a64_b_in_range(off);
	case A64_FIX_ADR:
		return a64_adr_in_range(off);
	default:
		return a64_b19_in_range(off);
	}
}

static uint32_t encode(const struct a64_fixup *f, int64_t off)
{
	switch (f->kind) {
	case A64_FIX_B:
		return a64_b(off);
	case A64_FIX_BL:
		return a64_bl(off);
	case A64_FIX_B_COND:
		return a64_b_cond((enum a64_cond)f->reg, off);
	case A64_FIX_CBZ:
		return a64_cbz(f->reg, off);
	case A64_FIX_CBNZ:
		return a64_cbnz(f->reg, off);
	case A64_FIX_ADR:
		return a64_adr(f->reg, off);
	}
	return 0;
}

int a64_buf_finish(struct a64_buf *b)
{
	for (size_t i = 0; i < b->nfix && !b->failed; i++) {
		const struct a64_fixup *f = &b->fix[i];
		uint64_t pc = b->base + 4 * (uint64_t)f->at;
		if (f->label >= b->nlabels || !b->label_bound[f->label]) {
			fail(b, "label %u used at 0x%llx is never bound", f->label,
			     (unsigned long long)pc);
			break;
		}
		int64_t off = (int64_t)(b->label_addr[f->label] - pc);
		if (!in_range(f->kind, off)) {
			fail(b, "target 0x%llx out of range of the instruction at 0x%llx",
			     (unsigned long long)b->label_addr[f->label], (unsigned long long)pc);
			break;
		}
		b->insn[f->at] = encode(f, off);
	}
	return b->failed ? -1 : 0;
}
