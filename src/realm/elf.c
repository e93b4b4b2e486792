/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ELF images (`image: FILE.elf`, `entry: SYMBOL`). Rules, since the realm runs with its stage-1
 * MMU off (VA = IPA):
 *  - only little-endian ELF64 ET_EXEC files for EM_AARCH64;
 *  - each PT_LOAD segment is placed at its p_paddr (its load address) as an IPA, p_filesz bytes
 *    from the file then zeros up to p_memsz, in granule pages (bytes of a page that no segment
 *    covers are zero); segments must not overlap each other, other images, or leave the
 *    Protected IPA range;
 *  - an entry symbol comes from .symtab, must be defined, 4-byte aligned and inside a PT_LOAD
 *    segment; its IPA is its address moved by that segment's p_paddr - p_vaddr (so an image
 *    linked with VMA = LMA starts where its symbol says).
 */
#include "abi/abi.h"
#include "realm/realm_private.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void realm_pages_free(struct realm_pages *pages)
{
	for (size_t i = 0; i < pages->n; i++) {
		free(pages->bytes[i]);
	}
	free(pages->ipa);
	free(pages->bytes);
	memset(pages, 0, sizeof(*pages));
}

/* Index of the first page at or above ipa. */
static size_t pages_find(const struct realm_pages *pages, uint64_t ipa)
{
	size_t lo = 0, hi = pages->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pages->ipa[mid] < ipa) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static bool pages_has(const struct realm_pages *pages, uint64_t ipa)
{
	size_t i = pages_find(pages, ipa);
	return i < pages->n && pages->ipa[i] == ipa;
}

/* Inserts `bytes` (taking ownership) as the page at `ipa`, which must be absent. */
static bool pages_insert(struct realm_pages *pages, uint64_t ipa, uint8_t *bytes)
{
	if (pages->n == pages->cap) {
		size_t cap = pages->cap ? 2 * pages->cap : 16;
		uint64_t *ipas = realloc(pages->ipa, cap * sizeof(*ipas));
		if (!ipas) {
			return false;
		}
		pages->ipa = ipas;
		uint8_t **b = realloc(pages->bytes, cap * sizeof(*b));
		if (!b) {
			return false;
		}
		pages->bytes = b;
		pages->cap = cap;
	}
	size_t i = pages_find(pages, ipa);
	memmove(&pages->ipa[i + 1], &pages->ipa[i], (pages->n - i) * sizeof(*pages->ipa));
	memmove(&pages->bytes[i + 1], &pages->bytes[i], (pages->n - i) * sizeof(*pages->bytes));
	pages->ipa[i] = ipa;
	pages->bytes[i] = bytes;
	pages->n++;
	return true;
}

/* The page at `ipa`, created zero-filled if absent; NULL when out of memory. */
static uint8_t *pages_get(struct realm_pages *pages, uint64_t ipa)
{
	size_t i = pages_find(pages, ipa);
	if (i < pages->n && pages->ipa[i] == ipa) {
		return pages->bytes[i];
	}
	uint8_t *p = calloc(1, GRANULE_SIZE);
	if (!p || !pages_insert(pages, ipa, p)) {
		free(p);
		return NULL;
	}
	return p;
}

struct elf_file {
	const char *path;
	int fd;
	Elf *elf;
	const char *raw; /* the whole file */
	size_t size;
	GElf_Phdr *load; /* PT_LOAD segments with p_memsz > 0 */
	size_t nload;
	char *err;
	size_t errlen;
};

static int check_header(struct elf_file *f)
{
	if (elf_kind(f->elf) != ELF_K_ELF) {
		return realm_err(f->err, f->errlen, "%s: not an ELF file", f->path);
	}
	const char *ident = elf_getident(f->elf, NULL);
	if (!ident || ident[EI_CLASS] != ELFCLASS64 || ident[EI_DATA] != ELFDATA2LSB) {
		return realm_err(f->err, f->errlen, "%s: not a little-endian ELF64 file", f->path);
	}
	GElf_Ehdr eh;
	if (!gelf_getehdr(f->elf, &eh)) {
		return realm_err(f->err, f->errlen, "%s: bad ELF header: %s", f->path,
				 elf_errmsg(-1));
	}
	if (eh.e_machine != EM_AARCH64) {
		return realm_err(f->err, f->errlen,
				 "%s: ELF machine is %u, not AArch64 (EM_AARCH64 = %u)", f->path,
				 (unsigned)eh.e_machine, (unsigned)EM_AARCH64);
	}
	if (eh.e_type != ET_EXEC) {
		return realm_err(f->err, f->errlen,
				 "%s: ELF type is %u, not an executable (ET_EXEC); link it first",
				 f->path, (unsigned)eh.e_type);
	}
	return 0;
}

static int read_segments(struct elf_file *f, uint64_t prot_top)
{
	size_t n;
	if (elf_getphdrnum(f->elf, &n) != 0) {
		return realm_err(f->err, f->errlen, "%s: bad program headers: %s", f->path,
				 elf_errmsg(-1));
	}
	f->load = calloc(n ? n : 1, sizeof(*f->load));
	if (!f->load) {
		return realm_err(f->err, f->errlen, "%s: out of memory", f->path);
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f->elf, (int)i, &ph)) {
			return realm_err(f->err, f->errlen, "%s: bad program header %zu", f->path,
					 i);
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
			continue;
		}
		uint64_t end = ph.p_paddr + ph.p_memsz;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > f->size ||
		    ph.p_filesz > f->size - ph.p_offset) {
			return realm_err(f->err, f->errlen,
					 "%s: PT_LOAD segment %zu: file range outside the file",
					 f->path, i);
		}
		if (end < ph.p_paddr || end > prot_top) {
			return realm_err(f->err, f->errlen,
					 "%s: PT_LOAD segment %zu [0x%llx, 0x%llx) is outside the "
					 "Protected IPA range [0, 0x%llx)",
					 f->path, i, (unsigned long long)ph.p_paddr,
					 (unsigned long long)end, (unsigned long long)prot_top);
		}
		for (size_t k = 0; k < f->nload; k++) {
			const GElf_Phdr *o = &f->load[k];
			uint64_t o_end = o->p_paddr + o->p_memsz;
			if (ph.p_paddr < o_end && o->p_paddr < end) {
				return realm_err(f->err, f->errlen,
						 "%s: PT_LOAD segments at [0x%llx, 0x%llx) and "
						 "[0x%llx, 0x%llx) overlap",
						 f->path, (unsigned long long)o->p_paddr,
						 (unsigned long long)o_end,
						 (unsigned long long)ph.p_paddr,
						 (unsigned long long)end);
			}
		}
		f->load[f->nload++] = ph;
	}
	if (f->nload == 0) {
		return realm_err(f->err, f->errlen, "%s: no PT_LOAD segment", f->path);
	}
	return 0;
}

/* Copies the segments into pages of their own (`mine`), zero-filled around them. */
static int place_segments(struct elf_file *f, struct realm_pages *mine)
{
	for (size_t i = 0; i < f->nload; i++) {
		const GElf_Phdr *ph = &f->load[i];
		uint64_t first = ph->p_paddr & ~GRANULE_MASK;
		uint64_t end = ph->p_paddr + ph->p_memsz;
		for (uint64_t pg = first; pg < end; pg += GRANULE_SIZE) {
			uint8_t *page = pages_get(mine, pg);
			if (!page) {
				return realm_err(f->err, f->errlen, "%s: out of memory", f->path);
			}
			/* This page's share of the file bytes [p_paddr, p_paddr + p_filesz). */
			uint64_t lo = pg > ph->p_paddr ? pg : ph->p_paddr;
			uint64_t hi = ph->p_paddr + ph->p_filesz;
			if (hi > pg + GRANULE_SIZE) {
				hi = pg + GRANULE_SIZE;
			}
			if (lo < hi) {
				memcpy(page + (lo - pg), f->raw + ph->p_offset + (lo - ph->p_paddr),
				       hi - lo);
			}
		}
	}
	return 0;
}

static const GElf_Phdr *segment_of(const struct elf_file *f, uint64_t vaddr)
{
	for (size_t i = 0; i < f->nload; i++) {
		if (vaddr >= f->load[i].p_vaddr &&
		    vaddr - f->load[i].p_vaddr < f->load[i].p_memsz) {
			return &f->load[i];
		}
	}
	return NULL;
}

static int find_symbol(struct elf_file *f, const char *name, uint64_t *ipa)
{
	Elf_Scn *scn = NULL;
	bool have_symtab = false;
	while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) {
			continue;
		}
		have_symtab = true;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = data ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym)) {
				continue;
			}
			const char *s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
			if (!s || strcmp(s, name) != 0 || sym.st_shndx == SHN_UNDEF) {
				continue;
			}
			const GElf_Phdr *ph = segment_of(f, sym.st_value);
			if (!ph) {
				return realm_err(
				    f->err, f->errlen,
				    "%s: symbol '%s' (0x%llx) is in no PT_LOAD segment", f->path,
				    name, (unsigned long long)sym.st_value);
			}
			if (sym.st_value % 4 != 0) {
				return realm_err(f->err, f->errlen,
						 "%s: symbol '%s' (0x%llx) is not 4-byte aligned",
						 f->path, name, (unsigned long long)sym.st_value);
			}
			*ipa = sym.st_value - ph->p_vaddr + ph->p_paddr;
			return 0;
		}
	}
	if (!have_symtab) {
		return realm_err(f->err, f->errlen, "%s: no .symtab (stripped?): cannot find '%s'",
				 f->path, name);
	}
	return realm_err(f->err, f->errlen, "%s: no symbol '%s' in .symtab", f->path, name);
}

/* Moves `mine` into `pages`, refusing pages that another image already holds. */
static int merge(struct elf_file *f, struct realm_pages *mine, struct realm_pages *pages)
{
	for (size_t i = 0; i < mine->n; i++) {
		if (pages_has(pages, mine->ipa[i])) {
			return realm_err(f->err, f->errlen,
					 "%s: the page at IPA 0x%llx overlaps another image",
					 f->path, (unsigned long long)mine->ipa[i]);
		}
	}
	for (size_t i = 0; i < mine->n; i++) {
		if (!pages_insert(pages, mine->ipa[i], mine->bytes[i])) {
			/* Undo: the pages moved so far go back to `mine` for freeing. */
			for (size_t k = 0; k < i; k++) {
				size_t at = pages_find(pages, mine->ipa[k]);
				memmove(&pages->ipa[at], &pages->ipa[at + 1],
					(pages->n - at - 1) * sizeof(*pages->ipa));
				memmove(&pages->bytes[at], &pages->bytes[at + 1],
					(pages->n - at - 1) * sizeof(*pages->bytes));
				pages->n--;
			}
			return realm_err(f->err, f->errlen, "%s: out of memory", f->path);
		}
	}
	mine->n = 0; /* ownership moved */
	return 0;
}

static int load(struct elf_file *f, const char *const *symbols, size_t nsyms, uint64_t *entries,
		uint64_t prot_top, struct realm_pages *pages)
{
	f->fd = open(f->path, O_RDONLY);
	if (f->fd < 0) {
		return realm_err(f->err, f->errlen, "%s: %s", f->path, strerror(errno));
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		return realm_err(f->err, f->errlen, "%s: libelf: %s", f->path, elf_errmsg(-1));
	}
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf) {
		return realm_err(f->err, f->errlen, "%s: libelf: %s", f->path, elf_errmsg(-1));
	}
	f->raw = elf_rawfile(f->elf, &f->size);
	if (!f->raw) {
		return realm_err(f->err, f->errlen, "%s: not an ELF file", f->path);
	}
	if (check_header(f) < 0 || read_segments(f, prot_top) < 0) {
		return -1;
	}
	for (size_t i = 0; i < nsyms; i++) {
		if (find_symbol(f, symbols[i], &entries[i]) < 0) {
			return -1;
		}
	}
	struct realm_pages mine = {0};
	int rc = place_segments(f, &mine);
	if (rc == 0) {
		rc = merge(f, &mine, pages);
	}
	realm_pages_free(&mine);
	return rc;
}

/* The functions and objects (and untyped labels of the assembly files) with a name, not the
 * $x/$d mapping symbols. */
static int collect_symbols(struct elf_file *f, struct realm_image *img)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) {
			continue;
		}
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = data ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE) {
				continue;
			}
			unsigned type = GELF_ST_TYPE(sym.st_info);
			const char *s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
			const GElf_Phdr *ph = segment_of(f, sym.st_value);
			if (!s || !*s || s[0] == '$' || !ph ||
			    (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)) {
				continue;
			}
			if (realm_image_add_symbol(img, sym.st_value - ph->p_vaddr + ph->p_paddr,
						   sym.st_size, s) != 0) {
				return -1;
			}
		}
	}
	return 0;
}

static void elf_close(struct elf_file *f)
{
	if (f->elf) {
		elf_end(f->elf);
	}
	if (f->fd >= 0) {
		close(f->fd);
	}
	free(f->load);
}

int realm_elf_load(const char *path, const char *const *symbols, size_t nsyms, uint64_t *entries,
		   uint64_t prot_top, struct realm_pages *pages, struct realm_image *img, char *err,
		   size_t errlen)
{
	struct elf_file f = {.path = path, .fd = -1, .err = err, .errlen = errlen};
	int rc = load(&f, symbols, nsyms, entries, prot_top, pages);
	if (rc == 0 && collect_symbols(&f, img) != 0) {
		rc = realm_err(err, errlen, "%s: out of memory", path);
	}
	elf_close(&f);
	return rc;
}
