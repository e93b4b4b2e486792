/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scenario_load: a file -> a validated model, or the first error with its position. */
#include "scenario/scenario_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_SIZE (16u << 20) /* scenario files are a few KB; refuse to slurp anything huge */

int scenario_load_string(const char *path, const char *text, size_t len, struct scenario **out,
			 struct scenario_error *err)
{
	struct ctx c = {.file = path, .err = err};
	struct scenario_arena *tree;
	struct ynode *root = NULL;
	bool ok;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	if (!text) {
		text = "";
		len = 0;
	}
	c.arena = arena_create();
	tree = arena_create();
	c.s = c.arena ? arena_alloc(c.arena, sizeof(*c.s)) : NULL;
	if (!c.s || !tree || !(c.s->file = arena_strdup(c.arena, path))) {
		arena_destroy(tree);
		arena_destroy(c.arena);
		fail_oom(&c);
		return -1;
	}
	c.s->arena = c.arena;
	ok = ytree_load(&c, tree, text, len, &root) && parse_document(&c, root);
	arena_destroy(tree);
	if (!ok) {
		arena_destroy(c.arena);
		return -1;
	}
	*out = c.s;
	return 0;
}

int scenario_load(const char *path, struct scenario **out, struct scenario_error *err)
{
	struct ctx c = {.file = path, .err = err};
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	if (!f) {
		fail(&c, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	buf = malloc(MAX_FILE_SIZE + 1);
	if (!buf) {
		fail_oom(&c);
	} else {
		len = fread(buf, 1, MAX_FILE_SIZE + 1, f);
		if (ferror(f)) {
			fail(&c, NULL, "cannot read: %s", strerror(errno));
		} else if (len > MAX_FILE_SIZE) {
			fail(&c, NULL, "file larger than %u bytes", MAX_FILE_SIZE);
		} else {
			rc = scenario_load_string(path, buf, len, out, err);
		}
	}
	free(buf);
	fclose(f);
	return rc;
}

void scenario_free(struct scenario *s)
{
	if (s) {
		arena_destroy(s->arena); /* s itself lives in its arena */
	}
}
