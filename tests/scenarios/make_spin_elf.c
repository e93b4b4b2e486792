/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes an AArch64 ET_EXEC image of one instruction at IPA 0x10000, named by a symbol, written
 * with libelf as a user's toolchain would. `make_spin_elf OUT` writes `spin`: `b .`, the runaway
 * guest of the budget test; `make_spin_elf OUT fault` writes `fault`: `udf #0`, a realm with no
 * vector table (VBAR_EL1 = 0) that takes an exception.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BASE 0x10000ULL

static const unsigned char spin[4] = {0x00, 0x00, 0x00, 0x14};  /* b . */
static const unsigned char fault[4] = {0x00, 0x00, 0x00, 0x00}; /* udf #0 */
static char strtab[8];
static const char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab\0";

static Elf_Scn *section(Elf *e, unsigned name, unsigned type, const void *data, size_t size,
			uint64_t flags, uint64_t addr)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = elf_newdata(scn);
	d->d_buf = (void *)data;
	d->d_size = size;
	d->d_align = type == SHT_SYMTAB ? 8 : 4;
	d->d_type = type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
	GElf_Shdr sh;
	gelf_getshdr(scn, &sh);
	sh.sh_name = name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	gelf_update_shdr(scn, &sh);
	return scn;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "fault") != 0) ||
	    elf_version(EV_CURRENT) == EV_NONE) {
		return 2;
	}
	const unsigned char *code = argc == 3 ? fault : spin;
	/* "\0name\0": the name is the symbol at index 1 */
	snprintf(strtab + 1, sizeof(strtab) - 1, "%s", argc == 3 ? "fault" : "spin");
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	Elf *e = fd < 0 ? NULL : elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e) {
		return 1;
	}
	Elf64_Ehdr *eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = BASE;
	Elf64_Phdr *ph = elf64_newphdr(e, 1);

	Elf_Scn *text =
	    section(e, 1, SHT_PROGBITS, code, sizeof(spin), SHF_ALLOC | SHF_EXECINSTR, BASE);
	static Elf64_Sym syms[2];
	syms[1].st_name = 1;
	syms[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	syms[1].st_shndx = (Elf64_Half)elf_ndxscn(text);
	syms[1].st_value = BASE;
	Elf_Scn *sym = section(e, 7, SHT_SYMTAB, syms, sizeof(syms), 0, 0);
	Elf_Scn *str = section(e, 15, SHT_STRTAB, strtab, sizeof(strtab), 0, 0);
	Elf_Scn *shstr = section(e, 23, SHT_STRTAB, shstrtab, sizeof(shstrtab), 0, 0);
	GElf_Shdr sh;
	gelf_getshdr(sym, &sh);
	sh.sh_link = (Elf64_Word)elf_ndxscn(str);
	sh.sh_info = 1; /* first global symbol */
	sh.sh_entsize = sizeof(Elf64_Sym);
	gelf_update_shdr(sym, &sh);
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(shstr);

	if (elf_update(e, ELF_C_NULL) < 0) {
		return 1;
	}
	gelf_getshdr(text, &sh);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X;
	ph->p_offset = sh.sh_offset;
	ph->p_vaddr = ph->p_paddr = BASE;
	ph->p_filesz = ph->p_memsz = sizeof(spin);
	ph->p_align = 4;
	elf_flagphdr(e, ELF_C_SET, ELF_F_DIRTY);
	if (elf_update(e, ELF_C_WRITE) < 0) {
		fprintf(stderr, "make_spin_elf: %s\n", elf_errmsg(-1));
		return 1;
	}
	elf_end(e);
	close(fd);
	return 0;
}
