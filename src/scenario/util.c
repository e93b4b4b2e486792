/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Errors with positions, and the checks every part of the parser shares. */
#include "scenario/scenario_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool fail(struct ctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (c->failed) {
		return false; /* the first error is the one that explains the others */
	}
	c->failed = true;
	snprintf(c->err->file, sizeof(c->err->file), "%s", c->file);
	c->err->line = n ? n->line : 0;
	c->err->col = n ? n->col : 0;
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return false;
}

bool fail_oom(struct ctx *c)
{
	return fail(c, NULL, "out of memory");
}

struct scenario_pos pos_of(const struct ctx *c, const struct ynode *n)
{
	struct scenario_pos p = {.file = c->s ? c->s->file : c->file};

	if (n) {
		p.line = n->line;
		p.col = n->col;
	}
	return p;
}

bool node_is_null(const struct ynode *n)
{
	if (!n || n->kind != YN_SCALAR || n->quoted) {
		return false;
	}
	return !strcmp(n->text, "") || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
	       !strcmp(n->text, "Null") || !strcmp(n->text, "NULL");
}

const char *node_kind_name(const struct ynode *n)
{
	if (node_is_null(n)) {
		return "nothing";
	}
	switch (n->kind) {
	case YN_MAP:
		return "a map";
	case YN_SEQ:
		return "a list";
	case YN_SCALAR:
		break;
	}
	return "a scalar";
}

static const char *kind_name(enum ynode_kind kind)
{
	return kind == YN_MAP ? "a map" : kind == YN_SEQ ? "a list" : "a scalar";
}

/* An empty value (`key:` or `~`) stands for an empty map or list, as in `psci_cpu_off:`. */
bool need_kind(struct ctx *c, const struct ynode *n, enum ynode_kind kind, const char *what)
{
	if (n->kind == kind || (kind != YN_SCALAR && node_is_null(n))) {
		return true;
	}
	return fail(c, n, "%s must be %s, found %s", what, kind_name(kind), node_kind_name(n));
}

bool need_key(struct ctx *c, const struct ynode *map, const struct kv *kv, const char *key,
	      const char *what)
{
	if (kv->val) {
		return true;
	}
	return fail(c, map, "missing required key `%s` in %s", key, what);
}

static bool unknown_key(struct ctx *c, const struct ynode *k, const char *what,
			const char *const keys[])
{
	char list[300] = "";
	size_t used = 0;

	for (size_t i = 0; keys[i] && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", keys[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	if (!keys[0]) {
		return fail(c, k, "unknown key `%s` in %s (it takes no keys)", k->text, what);
	}
	return fail(c, k, "unknown key `%s` in %s (expected %s%s)", k->text, what,
		    keys[1] ? "one of: " : "", list);
}

bool map_fields(struct ctx *c, const struct ynode *n, const char *what, const char *const keys[],
		struct kv out[])
{
	size_t nkeys = 0;

	while (keys[nkeys]) {
		out[nkeys].key = NULL;
		out[nkeys].val = NULL;
		nkeys++;
	}
	if (!need_kind(c, n, YN_MAP, what)) {
		return false;
	}
	for (const struct ynode *k = n->child; k && k->next; k = k->next->next) {
		size_t i;
		if (k->kind != YN_SCALAR) {
			return fail(c, k, "a key in %s must be a name, found %s", what,
				    node_kind_name(k));
		}
		for (i = 0; i < nkeys && strcmp(keys[i], k->text) != 0; i++) {
		}
		if (i == nkeys) {
			return unknown_key(c, k, what, keys);
		}
		if (out[i].key) {
			return fail(c, k, "duplicate key `%s` in %s (first at line %u, column %u)",
				    k->text, what, out[i].key->line, out[i].key->col);
		}
		out[i].key = k;
		out[i].val = k->next;
	}
	return true;
}

bool is_name_word(const char *s)
{
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-')) {
			return false;
		}
	}
	return true;
}

int scenario_format_error(const struct scenario_error *err, char *buf, size_t len)
{
	if (err->line) {
		return snprintf(buf, len, "%s:%u:%u: error: %s", err->file, err->line, err->col,
				err->message);
	}
	return snprintf(buf, len, "%s: error: %s", err->file, err->message);
}

static const char *table_name(const void *table, size_t i, size_t stride)
{
	const char *const *name = (const void *)((const char *)table + i * stride);
	return *name;
}

const void *table_find(struct name_table t, const char *name)
{
	for (size_t i = 0; i < t.n; i++) {
		if (strcmp(table_name(t.rows, i, t.stride), name) == 0) {
			return (const char *)t.rows + i * t.stride;
		}
	}
	return NULL;
}

bool table_unknown(struct ctx *c, const struct ynode *k, const char *what, struct name_table t)
{
	char list[400] = "";
	size_t used = 0;

	for (size_t i = 0; i < t.n && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
				 table_name(t.rows, i, t.stride));
		used += w > 0 ? (size_t)w : 0;
	}
	return fail(c, k, "unknown %s `%s` (expected one of: %s)", what, k->text, list);
}

/* An error was reported (`reported` is fail()'s false): the item has no entry. */
static const void *none(bool reported)
{
	(void)reported;
	return NULL;
}

const void *parse_list_item(struct ctx *c, const struct ynode *item, const struct list_kind *kind,
			    struct list_item *out)
{
	const struct ynode *expect_key = NULL;
	const struct ynode **key = &out->key, **args = &out->args, **expect = &out->expect;
	const char *what = kind->what, *example = kind->example;
	const void *def = NULL;
	const char *a = strchr("aeiou", what[0]) ? "an" : "a"; /* "an op", "a step" */

	*key = *args = *expect = NULL;
	if (item->kind == YN_SCALAR && !node_is_null(item)) {
		*key = item; /* `- psci_cpu_off`, `- run` */
		def = table_find(kind->table, item->text);
		return def ? def : none(table_unknown(c, item, what, kind->table));
	}
	if (item->kind != YN_MAP) {
		return none(fail(c, item, "%s %s must be a map such as `%s`, found %s", a, what,
				 example, node_kind_name(item)));
	}
	for (const struct ynode *k = item->child; k && k->next; k = k->next->next) {
		if (k->kind != YN_SCALAR) {
			return none(fail(c, k, "a key of %s %s must be a name, found %s", a, what,
					 node_kind_name(k)));
		}
		if (strcmp(k->text, "expect") == 0) {
			if (expect_key) {
				return none(fail(
				    c, k,
				    "duplicate key `expect` in %s (first at line %u, column %u)",
				    what, expect_key->line, expect_key->col));
			}
			expect_key = k;
			*expect = k->next;
			continue;
		}
		const void *entry = table_find(kind->table, k->text);
		if (!entry) {
			return none(table_unknown(c, k, what, kind->table));
		}
		if (*key && strcmp((*key)->text, k->text) == 0) {
			return none(fail(c, k,
					 "duplicate key `%s` in %s (first at line %u, column %u)",
					 k->text, what, (*key)->line, (*key)->col));
		}
		if (*key) {
			return none(fail(
			    c, k, "two %ss `%s` and `%s` in one list item (write one %s per item)",
			    what, (*key)->text, k->text, what));
		}
		*key = k;
		*args = node_is_null(k->next) ? NULL : k->next;
		def = entry;
	}
	if (!*key) {
		return none(fail(c, item, "missing %s in list item (%s%s%s)", what,
				 *expect ? "only `expect` given" : "expected e.g. `",
				 *expect ? "" : example, *expect ? "" : "`"));
	}
	return def;
}
