/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * realm_build: loads the ELF images named by RECs, compiles the other RECs' programs, and
 * assembles both into one image of disjoint granule runs.
 */
#include "abi/abi.h"
#include "realm/realm_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_IPA_BITS 33U /* docs/scenarios.md: realm.ipa_bits default */

int realm_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void realm_image_free(struct realm_image *img)
{
	for (size_t i = 0; i < img->nregions; i++) {
		free(img->regions[i].bytes);
	}
	free(img->regions);
	free(img->entry);
	free(img->probes);
	for (size_t i = 0; i < img->nsyms; i++) {
		free(img->syms[i].name);
	}
	free(img->syms);
	memset(img, 0, sizeof(*img));
}

int realm_image_add_symbol(struct realm_image *img, uint64_t ipa, uint64_t size, const char *name)
{
	struct realm_symbol *grown = realloc(img->syms, (img->nsyms + 1) * sizeof(*grown));
	if (!grown) {
		return -1;
	}
	img->syms = grown;
	struct realm_symbol *sym = &img->syms[img->nsyms];
	sym->name = strdup(name);
	if (!sym->name) {
		return -1;
	}
	sym->ipa = ipa;
	sym->size = size;
	img->nsyms++;
	return 0;
}

/*
 * The generated programs' ops as symbols, "rec0.op1" (ops numbered from 1, as `check` events
 * do) and "rec0.end" (its CPU_OFF and wait): an op's code runs from the end of the one before
 * (the REC's entry for the first) to its probe point, after its effect (a check_regs: its NOP).
 */
static int program_symbols(const struct realm_params *p, struct realm_image *img)
{
	for (size_t r = 0; r < p->nrecs; r++) {
		if (p->recs[r].elf_path) {
			continue;
		}
		uint64_t start = img->entry[r];
		for (size_t k = 0; k < img->nprobes; k++) {
			const struct realm_probe *pr = &img->probes[k];
			if (pr->rec != r) {
				continue;
			}
			char name[48];
			uint64_t end = pr->ipa + (pr->kind == REALM_PROBE_CHECK ? 4U
						  : pr->kind == REALM_PROBE_END ? 8U
										: 0U);
			if (pr->kind == REALM_PROBE_END) {
				snprintf(name, sizeof(name), "rec%zu.end", r);
			} else {
				snprintf(name, sizeof(name), "rec%zu.op%u", r, pr->op + 1);
			}
			if (end > start &&
			    realm_image_add_symbol(img, start, end - start, name) != 0) {
				return -1;
			}
			start = end > start ? end : start;
		}
	}
	return 0;
}

const char *realm_image_symbol(const struct realm_image *img, uint64_t ipa, uint64_t *off)
{
	size_t lo = 0, hi = img->nsyms; /* the last symbol at or below ipa: syms[lo - 1] */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (img->syms[mid].ipa <= ipa) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo == 0) {
		return NULL;
	}
	const struct realm_symbol *s = &img->syms[lo - 1];
	if (s->size && ipa - s->ipa >= s->size) {
		return NULL;
	}
	*off = ipa - s->ipa;
	return s->name;
}

/* By address; at one address the sized symbol (a function) before a label, then by name, so
 * the order does not depend on the files'. */
static int symbol_order(const void *pa, const void *pb)
{
	const struct realm_symbol *a = pa, *b = pb;
	if (a->ipa != b->ipa) {
		return a->ipa < b->ipa ? -1 : 1;
	}
	if ((a->size != 0) != (b->size != 0)) {
		return a->size ? 1 : -1; /* the sized one last: the lookup takes the last */
	}
	return strcmp(a->name, b->name);
}

const uint8_t *realm_image_at(const struct realm_image *img, uint64_t ipa, size_t len)
{
	for (size_t i = 0; i < img->nregions; i++) {
		const struct realm_region *r = &img->regions[i];
		if (ipa >= r->ipa && ipa - r->ipa <= r->size && len <= r->size - (ipa - r->ipa)) {
			return r->bytes + (ipa - r->ipa);
		}
	}
	return NULL;
}

size_t realm_image_granules(const struct realm_image *img)
{
	size_t n = 0;
	for (size_t i = 0; i < img->nregions; i++) {
		n += (size_t)(img->regions[i].size / GRANULE_SIZE);
	}
	return n;
}

/* Loads each distinct ELF file once, with the entry symbols of every REC that names it. */
static int load_elves(const struct realm_params *p, uint64_t prot_top, struct realm_image *img,
		      struct realm_pages *pages, char *err, size_t errlen)
{
	uint64_t *entry = img->entry;
	const char **syms = calloc(p->nrecs, sizeof(*syms));
	size_t *recs = calloc(p->nrecs, sizeof(*recs));
	uint64_t *found = calloc(p->nrecs, sizeof(*found));
	if (!syms || !recs || !found) {
		free(syms);
		free(recs);
		free(found);
		return realm_err(err, errlen, "realm: out of memory");
	}
	int rc = 0;
	for (size_t r = 0; rc == 0 && r < p->nrecs; r++) {
		const char *path = p->recs[r].elf_path;
		bool seen = false;
		for (size_t k = 0; path && k < r; k++) {
			seen |= p->recs[k].elf_path && strcmp(p->recs[k].elf_path, path) == 0;
		}
		if (!path || seen) {
			continue;
		}
		size_t n = 0;
		for (size_t k = r; k < p->nrecs; k++) {
			if (p->recs[k].elf_path && strcmp(p->recs[k].elf_path, path) == 0) {
				if (!p->recs[k].elf_entry) {
					rc = realm_err(err, errlen,
						       "rec%zu: image %s needs an entry", k, path);
					break;
				}
				syms[n] = p->recs[k].elf_entry;
				recs[n++] = k;
			}
		}
		if (rc == 0) {
			rc =
			    realm_elf_load(path, syms, n, found, prot_top, pages, img, err, errlen);
		}
		for (size_t k = 0; rc == 0 && k < n; k++) {
			entry[recs[k]] = found[k];
		}
	}
	free(syms);
	free(recs);
	free(found);
	return rc;
}

static bool has_programs(const struct realm_params *p)
{
	for (size_t r = 0; r < p->nrecs; r++) {
		if (!p->recs[r].elf_path) {
			return true;
		}
	}
	return false;
}

static bool overlaps_pages(const struct realm_pages *pages, uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < pages->n; i++) {
		if (pages->ipa[i] >= base && pages->ipa[i] - base < size) {
			return true;
		}
	}
	return false;
}

/* Compiles the programs at p->base_ipa, or above every ELF page if they would overlap one. */
static int place_code(const struct realm_params *p, uint64_t prot_top,
		      const struct realm_pages *pages, uint64_t *entry, struct realm_code *code,
		      uint64_t *base, char *err, size_t errlen)
{
	*base = p->base_ipa;
	if (realm_code_build(p, *base, entry, code, err, errlen) < 0) {
		return -1;
	}
	if (pages->n && overlaps_pages(pages, *base, code->size)) {
		/* Code size does not depend on its base (every internal address is PC-relative). */
		realm_code_free(code);
		*base = pages->ipa[pages->n - 1] + GRANULE_SIZE;
		if (realm_code_build(p, *base, entry, code, err, errlen) < 0) {
			return -1;
		}
	}
	if (*base >= prot_top || code->size > prot_top - *base) {
		uint64_t end = *base + code->size;
		realm_code_free(code);
		return realm_err(err, errlen,
				 "realm programs [0x%llx, 0x%llx) do not fit in the Protected IPA "
				 "range [0, 0x%llx)",
				 (unsigned long long)*base, (unsigned long long)end,
				 (unsigned long long)prot_top);
	}
	return 0;
}

static int add_region(struct realm_image *img, uint64_t ipa, uint64_t size, uint8_t *bytes)
{
	struct realm_region *r = realloc(img->regions, (img->nregions + 1) * sizeof(*r));
	if (!r) {
		return -1;
	}
	img->regions = r;
	size_t at = img->nregions;
	while (at > 0 && img->regions[at - 1].ipa > ipa) {
		img->regions[at] = img->regions[at - 1];
		at--;
	}
	img->regions[at] = (struct realm_region){ipa, size, bytes};
	img->nregions++;
	return 0;
}

/* Turns runs of consecutive ELF pages into regions. */
static int add_page_runs(struct realm_image *img, const struct realm_pages *pages)
{
	for (size_t i = 0; i < pages->n;) {
		size_t k = i + 1;
		while (k < pages->n && pages->ipa[k] == pages->ipa[k - 1] + GRANULE_SIZE) {
			k++;
		}
		uint8_t *bytes = malloc((k - i) * GRANULE_SIZE);
		if (!bytes) {
			return -1;
		}
		for (size_t j = i; j < k; j++) {
			memcpy(bytes + (j - i) * GRANULE_SIZE, pages->bytes[j], GRANULE_SIZE);
		}
		if (add_region(img, pages->ipa[i], (k - i) * GRANULE_SIZE, bytes) < 0) {
			free(bytes);
			return -1;
		}
		i = k;
	}
	return 0;
}

static int check_params(const struct realm_params *p, unsigned ipa_bits, char *err, size_t errlen)
{
	if (!p->recs || p->nrecs == 0) {
		return realm_err(err, errlen, "realm: no RECs");
	}
	if (ipa_bits < 13 || ipa_bits > 52) {
		return realm_err(err, errlen, "realm: ipa_bits %u outside [13, 52]", ipa_bits);
	}
	if (p->base_ipa & GRANULE_MASK) {
		return realm_err(err, errlen, "realm: base IPA 0x%llx is not 4 KB aligned",
				 (unsigned long long)p->base_ipa);
	}
	for (size_t r = 0; r < p->nrecs; r++) {
		if (!p->recs[r].elf_path && p->recs[r].nops && !p->recs[r].ops) {
			return realm_err(err, errlen, "rec%zu: %zu ops but no op list", r,
					 p->recs[r].nops);
		}
	}
	return 0;
}

static int build(const struct realm_params *p, struct realm_image *img, struct realm_pages *pages,
		 struct realm_code *code, char *err, size_t errlen)
{
	unsigned ipa_bits = p->ipa_bits ? p->ipa_bits : DEFAULT_IPA_BITS;
	if (check_params(p, ipa_bits, err, errlen) < 0) {
		return -1;
	}
	uint64_t prot_top = 1ULL << (ipa_bits - 1);
	img->nrecs = p->nrecs;
	img->entry = calloc(p->nrecs, sizeof(*img->entry));
	if (!img->entry) {
		return realm_err(err, errlen, "realm: out of memory");
	}
	if (load_elves(p, prot_top, img, pages, err, errlen) < 0) {
		return -1;
	}
	if (has_programs(p)) {
		uint64_t base;
		if (place_code(p, prot_top, pages, img->entry, code, &base, err, errlen) < 0) {
			return -1;
		}
		if (add_region(img, base, code->size, code->bytes) < 0) {
			return realm_err(err, errlen, "realm: out of memory");
		}
		code->bytes = NULL; /* now the image's */
		img->code_ipa = base;
		img->code_size = code->size;
		img->probes = code->probes;
		img->nprobes = code->nprobes;
		code->probes = NULL;
		if (program_symbols(p, img) != 0) {
			return realm_err(err, errlen, "realm: out of memory");
		}
	}
	if (add_page_runs(img, pages) < 0) {
		return realm_err(err, errlen, "realm: out of memory");
	}
	if (img->nsyms) {
		qsort(img->syms, img->nsyms, sizeof(*img->syms), symbol_order);
	}
	return 0;
}

int realm_build(const struct realm_params *p, struct realm_image *img, char *err, size_t errlen)
{
	struct realm_pages pages = {0};
	struct realm_code code = {0};
	memset(img, 0, sizeof(*img));
	int rc = build(p, img, &pages, &code, err, errlen);
	realm_pages_free(&pages);
	realm_code_free(&code);
	if (rc < 0) {
		realm_image_free(img);
	}
	return rc;
}
