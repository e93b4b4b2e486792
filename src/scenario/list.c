/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `cca-sim list [DIR]`: the scenarios of a folder, one line each. */
#include "scenario/scenario_private.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml(const char *name)
{
	size_t len = strlen(name);
	return len > 5 && !strcmp(name + len - 5, ".yaml");
}

#define NAME_COLUMN 33 /* where descriptions start */

/* `text[0..len)` from column NAME_COLUMN on, wrapped at spaces to `width` columns (0: one line),
 * each further line indented to that column, so no line runs into the names. */
static void description(FILE *out, const char *text, size_t len, unsigned width)
{
	size_t room = width > NAME_COLUMN + 20 ? width - NAME_COLUMN : 0;
	while (len > 0) {
		size_t n = len;
		if (room && n > room) {
			n = room;
			while (n > 0 && text[n] != ' ') {
				n--;
			}
			n = n ? n : room; /* a word longer than the room: cut it */
		}
		fprintf(out, "%.*s\n", (int)n, text);
		text += n;
		len -= n;
		while (len > 0 && *text == ' ') {
			text++, len--;
		}
		if (len) {
			fprintf(out, "%*s", NAME_COLUMN, "");
		}
	}
}

static void list_one(const char *path, FILE *out, unsigned width)
{
	struct scenario *s;
	struct scenario_error err;
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (scenario_load(path, &s, &err) == 0) {
		const char *d = s->description;
		if (d && *d) {
			fprintf(out, "%-32s ", s->name);
			description(out, d, strcspn(d, "\n"), width);
		} else {
			fprintf(out, "%s\n", s->name);
		}
		scenario_free(s);
	} else {
		char msg[1200];
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(out, "%-32s (invalid) %s\n", file, msg);
	}
}

void scenario_dir_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(paths[i]);
	}
	free(paths);
}

int scenario_dir(const char *dir, char ***paths, size_t *count)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	*paths = NULL;
	*count = 0;
	if (!d) {
		return -1;
	}
	while ((e = readdir(d))) {
		if (!is_yaml(e->d_name)) {
			continue;
		}
		if (n == cap) {
			char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));
			if (!grown) {
				break;
			}
			names = grown;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(len))) {
			break;
		}
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	bool complete = e == NULL;
	closedir(d);
	if (!complete) {
		scenario_dir_free(names, n);
		return -1;
	}
	if (n > 0) { /* names is NULL when there is none */
		qsort(names, n, sizeof(*names), by_name);
	}
	*paths = names;
	*count = n;
	return 0;
}

int scenario_list(const char *dir, FILE *out, unsigned width)
{
	char **paths;
	size_t n;
	if (scenario_dir(dir, &paths, &n) != 0) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		list_one(paths[i], out, width);
	}
	scenario_dir_free(paths, n);
	return 0;
}
