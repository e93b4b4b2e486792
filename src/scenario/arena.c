/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator: the model is a web of small arrays and strings, and owning it in one arena
 * makes every error path of the parser leak-free and scenario_free() trivial.
 */
#include "scenario/scenario_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct scenario_arena {
	struct arena_block *head;
};

struct scenario_arena *arena_create(void)
{
	return calloc(1, sizeof(struct scenario_arena));
}

void arena_destroy(struct scenario_arena *a)
{
	if (!a) {
		return;
	}
	for (struct arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *arena_alloc(struct scenario_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) / align * align;
	struct arena_block *b = a->head;

	if (size > SIZE_MAX / 2) {
		return NULL;
	}
	if (need == 0) {
		need = align;
	}
	if (!b || b->size - b->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = malloc(sizeof(*b) + cap);
		if (!b) {
			return NULL;
		}
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

void *arena_array(struct scenario_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / 4 / size) {
		return NULL;
	}
	return arena_alloc(a, n * size);
}

char *arena_strndup(struct scenario_arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *arena_strdup(struct scenario_arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
