/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ELF images: files written by the test itself with libelf (ELF_C_WRITE), holding code from
 * the encoder, loaded through realm_build; then one file per error rule.
 */
#include "abi/abi.h"
#include "realm/a64.h"
#include "realm/realm.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct seg {
	uint64_t paddr, vaddr;
	const void *bytes;
	size_t filesz;
	uint64_t memsz;
};

struct sym {
	const char *name;
	uint64_t value;
	bool undefined;
};

struct elf_spec {
	unsigned machine;
	unsigned type;
	const struct seg *segs;
	size_t nsegs;
	const struct sym *syms;
	size_t nsyms;
	bool no_symtab;
};

/* Adds a section with `size` bytes of `bytes`; returns its index. */
static size_t add_section(Elf *e, uint32_t name, uint32_t type, uint64_t flags, const void *bytes,
			  size_t size, uint64_t entsize)
{
	Elf_Scn *scn = elf_newscn(e);
	assert_non_null(scn);
	Elf_Data *d = elf_newdata(scn);
	assert_non_null(d);
	d->d_buf = (void *)bytes;
	d->d_size = size;
	d->d_version = EV_CURRENT;
	d->d_align = type == SHT_SYMTAB ? 8 : 4;
	d->d_type = type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
	Elf64_Shdr *sh = elf64_getshdr(scn);
	assert_non_null(sh);
	sh->sh_name = name;
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_entsize = entsize;
	return elf_ndxscn(scn);
}

/* Writes an ELF64 AArch64 file: one section and one PT_LOAD per segment, .symtab, .strtab. */
static void write_elf(const char *path, const struct elf_spec *s)
{
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(e);
	Elf64_Ehdr *eh = elf64_newehdr(e);
	assert_non_null(eh);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_machine = (Elf64_Half)(s->machine ? s->machine : EM_AARCH64);
	eh->e_type = (Elf64_Half)(s->type ? s->type : ET_EXEC);
	eh->e_version = EV_CURRENT;
	Elf64_Phdr *ph = s->nsegs ? elf64_newphdr(e, s->nsegs) : NULL;
	assert_true(ph || !s->nsegs);

	/* String tables: names at fixed offsets so the test needs no string builder. */
	static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab\0.bss";
	char strtab[256] = {0};
	size_t strlen_used = 1;
	Elf64_Sym syms[8];
	memset(syms, 0, sizeof(syms));
	size_t scn_of_seg[8] = {0};
	assert_true(s->nsegs <= N(scn_of_seg));
	for (size_t i = 0; i < s->nsegs; i++) {
		scn_of_seg[i] = add_section(e, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
					    s->segs[i].bytes, s->segs[i].filesz, 0);
	}
	if (!s->no_symtab) {
		assert_true(s->nsyms + 1 <= N(syms));
		for (size_t i = 0; i < s->nsyms; i++) {
			Elf64_Sym *y = &syms[i + 1];
			y->st_name = (Elf64_Word)strlen_used;
			memcpy(strtab + strlen_used, s->syms[i].name, strlen(s->syms[i].name) + 1);
			strlen_used += strlen(s->syms[i].name) + 1;
			y->st_value = s->syms[i].value;
			y->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
			y->st_shndx = s->syms[i].undefined ? SHN_UNDEF
				      : s->nsegs           ? (Elf64_Half)scn_of_seg[0]
							   : SHN_ABS;
		}
		size_t symtab = add_section(e, 7, SHT_SYMTAB, 0, syms,
					    (s->nsyms + 1) * sizeof(Elf64_Sym), sizeof(Elf64_Sym));
		size_t str = add_section(e, 15, SHT_STRTAB, 0, strtab, strlen_used, 0);
		Elf64_Shdr *sh = elf64_getshdr(elf_getscn(e, symtab));
		sh->sh_link = (Elf64_Word)str;
		sh->sh_info = 1; /* first global */
	}
	eh->e_shstrndx = (Elf64_Half)add_section(e, 23, SHT_STRTAB, 0, shstr, sizeof(shstr), 0);

	assert_true(elf_update(e, ELF_C_NULL) >= 0); /* lays out the sections */
	for (size_t i = 0; i < s->nsegs; i++) {
		Elf64_Shdr *sh = elf64_getshdr(elf_getscn(e, scn_of_seg[i]));
		sh->sh_addr = s->segs[i].vaddr;
		ph[i].p_type = PT_LOAD;
		ph[i].p_offset = sh->sh_offset;
		ph[i].p_vaddr = s->segs[i].vaddr;
		ph[i].p_paddr = s->segs[i].paddr;
		ph[i].p_filesz = s->segs[i].filesz;
		ph[i].p_memsz = s->segs[i].memsz ? s->segs[i].memsz : s->segs[i].filesz;
		ph[i].p_flags = PF_R | PF_X;
		ph[i].p_align = 4;
	}
	eh->e_entry = s->nsegs ? s->segs[0].vaddr : 0;
	elf_flagphdr(e, ELF_C_SET, ELF_F_DIRTY);
	assert_true(elf_update(e, ELF_C_WRITE) >= 0);
	elf_end(e);
	close(fd);
}

struct fixture {
	char dir[64];
	char path[16][128];
	size_t npaths;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f) {
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "/tmp/realm-elf-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < f->npaths; i++) {
		unlink(f->path[i]);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static const char *file(struct fixture *f, const char *name)
{
	assert_true(f->npaths < N(f->path));
	char tmp[sizeof(f->path[0])]; /* f->dir and f->path share f: build it apart */
	snprintf(tmp, sizeof(tmp), "%s/%s", f->dir, name);
	memcpy(f->path[f->npaths], tmp, sizeof(tmp));
	return f->path[f->npaths++];
}

/* A few instructions: PSCI_SYSTEM_OFF, then a WFI loop. */
struct code {
	uint32_t w[5];
};

static struct code make_code(void)
{
	struct code c;
	assert_int_equal(a64_mov_imm64(0, PSCI_SYSTEM_OFF, c.w), 2);
	c.w[2] = a64_smc(0);
	c.w[3] = a64_wfi();
	c.w[4] = a64_b(-4);
	return c;
}

static void loads_bytes_and_entries(void **state)
{
	struct fixture *f = *state;
	const struct code cc = make_code();
	const char *path = file(f, "good.elf");
	const uint32_t known[] = {0xD2800100, 0xF2B08000, 0xD4000003, 0xD503207F, 0x17FFFFFF};
	assert_memory_equal(cc.w, known, sizeof(known)); /* as GNU as encodes them */
	const struct seg segs[] = {{0x40000, 0x40000, cc.w, sizeof(cc.w), 0}};
	const struct sym syms[] = {{"_start", 0x40000, false}, {"second", 0x40008, false}};
	write_elf(path, &(struct elf_spec){.segs = segs, .nsegs = 1, .syms = syms, .nsyms = 2});

	const struct realm_op prog[] = {
	    {.kind = REALM_OP_PSCI_CPU_ON, .u.psci_cpu_on = {1, {.is_rec = true, .rec = 1}, 0}}};
	const struct realm_rec_src recs[] = {
	    {NULL, 0, path, "_start"}, {NULL, 0, path, "second"}, {prog, 1, NULL, NULL}};
	struct realm_params p = {.recs = recs, .nrecs = 3};
	struct realm_image img;
	char err[256];
	if (realm_build(&p, &img, err, sizeof(err)) != 0) {
		fail_msg("%s", err);
	}
	assert_int_equal(img.entry[0], 0x40000);
	assert_int_equal(img.entry[1], 0x40008);
	assert_int_equal(img.entry[2], 0); /* generated code at base 0: no overlap */
	assert_int_equal(img.nregions, 2);
	assert_int_equal(img.regions[0].ipa, 0);
	assert_int_equal(img.regions[1].ipa, 0x40000);
	assert_int_equal(img.regions[1].size, GRANULE_SIZE);
	const uint8_t *at = realm_image_at(&img, 0x40000, GRANULE_SIZE);
	assert_non_null(at);
	assert_memory_equal(at, cc.w, sizeof(cc.w));
	for (size_t i = sizeof(cc.w); i < GRANULE_SIZE; i++) {
		assert_int_equal(at[i], 0);
	}
	/* `entry: rec1` naming an ELF REC loads the symbol's IPA 0x40008 into X2. */
	const uint8_t *w = realm_image_at(&img, 12, 8);
	assert_non_null(w);
	assert_int_equal(w[0] | w[1] << 8 | w[2] << 16 | (uint32_t)w[3] << 24, a64_movz(2, 8, 0));
	assert_int_equal(w[4] | w[5] << 8 | w[6] << 16 | (uint32_t)w[7] << 24, a64_movk(2, 4, 1));
	assert_int_equal(realm_image_granules(&img), 2);
	realm_image_free(&img);
}

/* Unaligned segments, zero fill to p_memsz, VMA != LMA, and code moved above the image. */
static void placement_rules(void **state)
{
	struct fixture *f = *state;
	const struct code cc = make_code();
	const char *path = file(f, "place.elf");
	uint8_t data[0x20];
	memset(data, 0xAB, sizeof(data));
	const uint64_t va = 0xFFFF000000000000ULL;
	const struct seg segs[] = {
	    {0x0ff0, va + 0x0ff0, data, sizeof(data), 0x120}, /* two pages, zeros after */
	    {0x3008, va + 0x3008, cc.w, sizeof(cc.w), 0},
	};
	const struct sym syms[] = {{"start", va + 0x3008, false}};
	write_elf(path, &(struct elf_spec){.segs = segs, .nsegs = 2, .syms = syms, .nsyms = 1});
	const struct realm_rec_src recs[] = {{NULL, 0, path, "start"}, {NULL, 0, NULL, NULL}};
	struct realm_params p = {.recs = recs, .nrecs = 2};
	struct realm_image img;
	char err[256];
	if (realm_build(&p, &img, err, sizeof(err)) != 0) {
		fail_msg("%s", err);
	}
	assert_int_equal(img.entry[0], 0x3008); /* the symbol's VMA moved to its LMA */
	/* Pages 0x0, 0x1000 (one run) and 0x3000; generated code above them, at 0x4000. */
	assert_int_equal(img.nregions, 3);
	assert_int_equal(img.regions[0].ipa, 0);
	assert_int_equal(img.regions[0].size, 2 * GRANULE_SIZE);
	assert_int_equal(img.regions[1].ipa, 0x3000);
	assert_int_equal(img.regions[2].ipa, 0x4000);
	assert_int_equal(img.code_ipa, 0x4000);
	assert_int_equal(img.entry[1], 0x4000);
	const uint8_t *a = realm_image_at(&img, 0, 2 * GRANULE_SIZE);
	assert_non_null(a);
	for (size_t i = 0; i < 2 * GRANULE_SIZE; i++) {
		uint8_t want = (i >= 0x0ff0 && i < 0x1010) ? 0xAB : 0;
		if (a[i] != want) {
			fail_msg("byte 0x%zx = 0x%x, expected 0x%x", i, a[i], want);
		}
	}
	assert_memory_equal(realm_image_at(&img, 0x3008, sizeof(cc.w)), cc.w, sizeof(cc.w));
	realm_image_free(&img);
}

/* Builds a one-REC realm from `path` (entry `sym`) and checks the error message. */
static void expect_error(const char *path, const char *sym, const char *want)
{
	const struct realm_rec_src recs[] = {{NULL, 0, path, sym}};
	struct realm_params p = {.recs = recs, .nrecs = 1};
	struct realm_image img;
	char err[256] = "";
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), -1);
	if (strcmp(err, want) != 0) {
		fail_msg("error '%s', expected '%s'", err, want);
	}
	assert_null(img.regions);
}

static void error_messages(void **state)
{
	struct fixture *f = *state;
	const struct code cc = make_code();
	char want[512];
	const struct seg one[] = {{0x1000, 0x1000, cc.w, sizeof(cc.w), 0}};
	const struct sym start[] = {{"_start", 0x1000, false}};

	const char *text = file(f, "text.elf");
	FILE *t = fopen(text, "w");
	assert_non_null(t);
	fputs("this is not an ELF file\n", t);
	fclose(t);
	snprintf(want, sizeof(want), "%s: not an ELF file", text);
	expect_error(text, "_start", want);

	const char *x86 = file(f, "x86.elf");
	write_elf(x86,
		  &(struct elf_spec){
		      .machine = EM_X86_64, .segs = one, .nsegs = 1, .syms = start, .nsyms = 1});
	snprintf(want, sizeof(want), "%s: ELF machine is 62, not AArch64 (EM_AARCH64 = 183)", x86);
	expect_error(x86, "_start", want);

	const char *dyn = file(f, "dyn.elf");
	write_elf(dyn, &(struct elf_spec){
			   .type = ET_DYN, .segs = one, .nsegs = 1, .syms = start, .nsyms = 1});
	snprintf(want, sizeof(want),
		 "%s: ELF type is 3, not an executable (ET_EXEC); link it first", dyn);
	expect_error(dyn, "_start", want);

	const char *good = file(f, "good.elf");
	const struct sym syms[] = {{"_start", 0x1000, false},
				   {"undef", 0, true},
				   {"outside", 0x9000, false},
				   {"odd", 0x1002, false}};
	write_elf(good, &(struct elf_spec){.segs = one, .nsegs = 1, .syms = syms, .nsyms = 4});
	snprintf(want, sizeof(want), "%s: no symbol 'nope' in .symtab", good);
	expect_error(good, "nope", want);
	snprintf(want, sizeof(want), "%s: no symbol 'undef' in .symtab", good);
	expect_error(good, "undef", want);
	snprintf(want, sizeof(want), "%s: symbol 'outside' (0x9000) is in no PT_LOAD segment",
		 good);
	expect_error(good, "outside", want);
	snprintf(want, sizeof(want), "%s: symbol 'odd' (0x1002) is not 4-byte aligned", good);
	expect_error(good, "odd", want);
	snprintf(want, sizeof(want), "rec0: image %s needs an entry", good);
	expect_error(good, NULL, want);

	const char *stripped = file(f, "stripped.elf");
	write_elf(stripped, &(struct elf_spec){.segs = one, .nsegs = 1, .no_symtab = true});
	snprintf(want, sizeof(want), "%s: no .symtab (stripped?): cannot find '_start'", stripped);
	expect_error(stripped, "_start", want);

	const char *overlap = file(f, "overlap.elf");
	const struct seg two[] = {{0x1000, 0x1000, cc.w, sizeof(cc.w), 0},
				  {0x1010, 0x1010, cc.w, sizeof(cc.w), 0}};
	write_elf(overlap, &(struct elf_spec){.segs = two, .nsegs = 2, .syms = start, .nsyms = 1});
	snprintf(want, sizeof(want),
		 "%s: PT_LOAD segments at [0x1000, 0x1014) and [0x1010, 0x1024) overlap", overlap);
	expect_error(overlap, "_start", want);

	/* Default ipa_bits 33: Protected IPAs end at 0x100000000. */
	const char *high = file(f, "high.elf");
	const struct seg hi[] = {{0xFFFFFFF8, 0x1000, cc.w, sizeof(cc.w), 0}};
	write_elf(high, &(struct elf_spec){.segs = hi, .nsegs = 1, .syms = start, .nsyms = 1});
	snprintf(want, sizeof(want),
		 "%s: PT_LOAD segment 0 [0xfffffff8, 0x10000000c) is outside the Protected IPA "
		 "range [0, 0x100000000)",
		 high);
	expect_error(high, "_start", want);

	const char *missing = file(f, "missing.elf");
	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	expect_error(missing, "_start", want);

	const char *empty = file(f, "noload.elf");
	write_elf(empty, &(struct elf_spec){.nsegs = 0, .syms = start, .nsyms = 1});
	snprintf(want, sizeof(want), "%s: no PT_LOAD segment", empty);
	expect_error(empty, "_start", want);
}

/* Two ELF files whose pages collide. */
static void images_overlap(void **state)
{
	struct fixture *f = *state;
	const struct code cc = make_code();
	const char *a = file(f, "a.elf"), *b = file(f, "b.elf");
	const struct seg sa[] = {{0x2000, 0x2000, cc.w, sizeof(cc.w), 0}};
	const struct seg sb[] = {{0x2800, 0x2800, cc.w, sizeof(cc.w), 0}};
	const struct sym ya[] = {{"a", 0x2000, false}};
	const struct sym yb[] = {{"b", 0x2800, false}};
	write_elf(a, &(struct elf_spec){.segs = sa, .nsegs = 1, .syms = ya, .nsyms = 1});
	write_elf(b, &(struct elf_spec){.segs = sb, .nsegs = 1, .syms = yb, .nsyms = 1});
	const struct realm_rec_src recs[] = {{NULL, 0, a, "a"}, {NULL, 0, b, "b"}};
	struct realm_params p = {.recs = recs, .nrecs = 2};
	struct realm_image img;
	char err[256], want[512];
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: the page at IPA 0x2000 overlaps another image", b);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(loads_bytes_and_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(placement_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(error_messages, setup, teardown),
	    cmocka_unit_test_setup_teardown(images_overlap, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
