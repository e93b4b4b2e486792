/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/realm: the parts realm_build (image.c) assembles. */
#ifndef CCA_REALM_REALM_PRIVATE_H
#define CCA_REALM_REALM_PRIVATE_H

#include "realm/realm.h"

#include <stdarg.h>

/* snprintf into err (may be NULL); always returns -1 so callers can `return realm_err(...)`. */
int realm_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The generated programs, laid out from `base`. */
struct realm_code {
	uint8_t *bytes; /* size bytes, a whole number of granules */
	uint64_t size;
	struct realm_probe *probes;
	size_t nprobes;
};

/*
 * Compiles the programs of p->recs (the RECs without elf_path) at `base`. entry[] has
 * p->nrecs elements: on input it holds the entries of ELF RECs (used by `entry: recN` that
 * names one), on output also those of the program RECs. Returns 0 or -1 with err set.
 */
int realm_code_build(const struct realm_params *p, uint64_t base, uint64_t *entry,
		     struct realm_code *out, char *err, size_t errlen);
void realm_code_free(struct realm_code *c);

/* Pages loaded from ELF files: sorted by IPA, each one granule. */
struct realm_pages {
	uint64_t *ipa;
	uint8_t **bytes;
	size_t n, cap;
};

/*
 * Loads the PT_LOAD segments of the AArch64 ELF executable `path` into *pages and returns the
 * IPA of each of symbols[0..nsyms-1] (from .symtab) in entries[]. `prot_top` is the end of
 * the Protected IPA range. A page that *pages already holds (another file's) is an overlap
 * error. The named functions, objects and labels of its .symtab that lie in its segments are
 * appended to img's symbols (unsorted). Returns 0 or -1 with err set, leaving *pages as it was.
 */
int realm_elf_load(const char *path, const char *const *symbols, size_t nsyms, uint64_t *entries,
		   uint64_t prot_top, struct realm_pages *pages, struct realm_image *img, char *err,
		   size_t errlen);
/* Appends one symbol (name copied) to img. 0, or -1 when out of memory. */
int realm_image_add_symbol(struct realm_image *img, uint64_t ipa, uint64_t size, const char *name);
void realm_pages_free(struct realm_pages *pages);

#endif
