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

static void list_one(const char *dir, const char *file, FILE *out)
{
	size_t len = strlen(dir) + strlen(file) + 2;
	char *path = malloc(len);
	struct scenario *s;
	struct scenario_error err;

	if (!path) {
		return;
	}
	snprintf(path, len, "%s/%s", dir, file);
	if (scenario_load(path, &s, &err) == 0) {
		const char *d = s->description;
		if (d && *d) {
			fprintf(out, "%-32s %.*s\n", s->name, (int)strcspn(d, "\n"), d);
		} else {
			fprintf(out, "%s\n", s->name);
		}
		scenario_free(s);
	} else {
		char msg[1200];
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(out, "%-32s (invalid) %s\n", file, msg);
	}
	free(path);
}

int scenario_list(const char *dir, FILE *out)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int rc = 0;

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
				rc = -1;
				break;
			}
			names = grown;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0 && n > 0) { /* names is NULL when there is none */
		qsort(names, n, sizeof(*names), by_name);
		for (size_t i = 0; i < n; i++) {
			list_one(dir, names[i], out);
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
	}
	free(names);
	return rc;
}
