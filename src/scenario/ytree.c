/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libyaml events -> a tree of nodes that keep their positions. The event API (not the document
 * API) lets us stop at a nesting limit, refuse aliases (whose expansion could be exponential)
 * and refuse a second document, before building anything large.
 */
#include "scenario/scenario_private.h"

#include <string.h>
#include <yaml.h>

static void offset_to_pos(const char *text, size_t len, size_t offset, unsigned *line,
			  unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++; /* count characters, not UTF-8 continuation bytes */
		}
	}
}

/*
 * What libyaml's usual problems mean to someone writing a scenario, said first; libyaml's own
 * words follow in parentheses (they name the construct it was in and where it began).
 */
static const char *plain_words(const yaml_parser_t *p, const char *text, size_t len)
{
	static const struct {
		const char *problem, *context, *words;
	} known[] = {
	    {"did not find expected key", "while parsing a block mapping",
	     "this line is not indented like the keys of the map it belongs to, or a key lacks "
	     "its ':'"},
	    {"did not find expected '-' indicator", "while parsing a block collection",
	     "this line is not indented like the items of the list it belongs to (each item "
	     "starts with '- ' in the same column)"},
	    {"mapping values are not allowed in this context", NULL,
	     "a 'key: value' where a plain value was expected: check this line's indentation, or "
	     "quote a value that holds ': '"},
	    {"block sequence entries are not allowed in this context", NULL,
	     "a list item where a value on the same line was expected: start the list on the "
	     "next line, indented"},
	    {"did not find expected node content", NULL,
	     "a value is missing here: an empty list item, or a '[' or '{' that is not closed"},
	    {"found unexpected end of stream", NULL,
	     "the file ends inside an unfinished value: a quote or bracket is not closed"},
	    {"could not find expected ':'", NULL, "a key without its ':'"},
	};
	size_t off = p->problem_mark.index;
	if (p->problem && strcmp(p->problem, "found character that cannot start any token") == 0) {
		return off < len && text[off] == '\t'
			   ? "a tab: YAML indents with spaces only"
			   : "a character that cannot start a value here "
			     "(quote the value)";
	}
	for (size_t i = 0; p->problem && i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(p->problem, known[i].problem) == 0 &&
		    (!known[i].context || (p->context && !strcmp(p->context, known[i].context)))) {
			return known[i].words;
		}
	}
	return NULL;
}

static bool syntax_error(struct ctx *c, const yaml_parser_t *p, const char *text, size_t len)
{
	struct ynode at = {.line = (unsigned)p->problem_mark.line + 1,
			   .col = (unsigned)p->problem_mark.column + 1};
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->error == YAML_READER_ERROR) {
		offset_to_pos(text, len, p->problem_offset, &at.line, &at.col);
		if (p->problem_value < 0) {
			return fail(c, &at, "YAML syntax error: %s", problem);
		}
		return fail(c, &at, "YAML syntax error: %s (#%x)", problem,
			    (unsigned)p->problem_value);
	}
	if (p->error == YAML_MEMORY_ERROR) {
		return fail_oom(c);
	}
	const char *words = plain_words(p, text, len);
	if (p->context) {
		return fail(c, &at, "YAML syntax error: %s%s%s %s at line %u, column %u%s",
			    words ? words : "", words ? " (YAML: " : "", problem, p->context,
			    (unsigned)p->context_mark.line + 1,
			    (unsigned)p->context_mark.column + 1, words ? ")" : "");
	}
	return fail(c, &at, "YAML syntax error: %s%s%s%s", words ? words : "",
		    words ? " (YAML: " : "", problem, words ? ")" : "");
}

struct builder {
	struct ctx *c;
	struct scenario_arena *tree;
	struct ynode *stack[SCN_MAX_DEPTH];
	unsigned depth;
	struct ynode *root;
};

static bool attach(struct builder *b, const yaml_event_t *ev, enum ynode_kind kind,
		   struct ynode **out)
{
	struct ynode *n = arena_alloc(b->tree, sizeof(*n));

	if (!n) {
		fail_oom(b->c);
		return false; /* as fail_oom does: *out is set only on success */
	}
	n->kind = kind;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	if (b->depth == 0) {
		b->root = n;
	} else {
		struct ynode *parent = b->stack[b->depth - 1];
		if (parent->last) {
			parent->last->next = n;
		} else {
			parent->child = n;
		}
		parent->last = n;
		parent->n++;
	}
	*out = n;
	return true;
}

#define YAML_CORE_TAG "tag:yaml.org,2002:"

/*
 * Explicit tags: a scenario is plain YAML, so a tag that would change what a node means to
 * another YAML reader (`!custom 1`, `!!int x`) is an error rather than silently ignored. Only
 * the core tags that say what the node already is are accepted: !!str on a scalar (it is
 * then a string, as if quoted), !!map on a map, !!seq on a list.
 */
static bool check_tag(struct builder *b, const yaml_event_t *ev, const unsigned char *utag,
		      const char *allowed)
{
	const char *tag = (const char *)utag;
	size_t core = strlen(YAML_CORE_TAG);

	if (!tag || (strncmp(tag, YAML_CORE_TAG, core) == 0 && strcmp(tag + core, allowed) == 0)) {
		return true;
	}
	struct ynode at = {.line = (unsigned)ev->start_mark.line + 1,
			   .col = (unsigned)ev->start_mark.column + 1};
	bool is_core = strncmp(tag, YAML_CORE_TAG, core) == 0;
	return fail(b->c, &at,
		    "YAML tag `%s%s` is not supported in scenario files (write the value plainly; "
		    "only !!%s is accepted here)",
		    is_core ? "!!" : "", is_core ? tag + core : tag, allowed);
}

static bool on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n = NULL;

	if (!check_tag(b, ev, ev->data.scalar.tag, "str") || !attach(b, ev, YN_SCALAR, &n)) {
		return false;
	}
	n->text =
	    arena_strndup(b->tree, (const char *)ev->data.scalar.value, ev->data.scalar.length);
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag;
	return n->text ? true : fail_oom(b->c);
}

static bool on_start(struct builder *b, const yaml_event_t *ev, enum ynode_kind kind)
{
	struct ynode *n = NULL;

	if (b->depth == SCN_MAX_DEPTH) {
		struct ynode at = {.line = (unsigned)ev->start_mark.line + 1,
				   .col = (unsigned)ev->start_mark.column + 1};
		return fail(b->c, &at, "nesting deeper than %d levels", SCN_MAX_DEPTH);
	}
	if (!attach(b, ev, kind, &n)) {
		return false;
	}
	b->stack[b->depth++] = n;
	return true;
}

static bool on_event(struct builder *b, const yaml_event_t *ev, unsigned *ndocs, bool *done)
{
	struct ynode at = {.line = (unsigned)ev->start_mark.line + 1,
			   .col = (unsigned)ev->start_mark.column + 1};

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		*done = true;
		return true;
	case YAML_DOCUMENT_START_EVENT:
		if ((*ndocs)++) {
			return fail(b->c, &at,
				    "a scenario file holds one YAML document, found a "
				    "second one");
		}
		return true;
	case YAML_ALIAS_EVENT:
		return fail(b->c, &at, "YAML aliases (*%s) are not supported in scenario files",
			    (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return check_tag(b, ev, ev->data.sequence_start.tag, "seq") &&
		       on_start(b, ev, YN_SEQ);
	case YAML_MAPPING_START_EVENT:
		return check_tag(b, ev, ev->data.mapping_start.tag, "map") &&
		       on_start(b, ev, YN_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth) {
			b->depth--;
		}
		return true;
	default:
		return true;
	}
}

bool ytree_load(struct ctx *c, struct scenario_arena *tree, const char *text, size_t len,
		struct ynode **root)
{
	struct builder b = {.c = c, .tree = tree};
	yaml_parser_t p;
	unsigned ndocs = 0;
	bool ok = true, done = false;

	*root = NULL;
	if (!yaml_parser_initialize(&p)) {
		return fail_oom(c);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			ok = syntax_error(c, &p, text, len);
			break;
		}
		ok = on_event(&b, &ev, &ndocs, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	*root = b.root;
	return ok && !c->failed;
}
