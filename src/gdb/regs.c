/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registers gdb sees: one table gives their names, sizes and features, from which both the
 * target description (qXfer:features:read:target.xml) and the g/G/p/P encodings come.
 */
#include "gdb_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORE(n, t)                                                                                 \
	{                                                                                          \
		n, 64, t, false                                                                    \
	}
#define SYSREG(n)                                                                                  \
	{                                                                                          \
		n, 64, "uint64", true                                                              \
	}

static const struct gdb_reg_desc reg_table[GDB_NUM_REGS] = {
    CORE("x0", "int"),
    CORE("x1", "int"),
    CORE("x2", "int"),
    CORE("x3", "int"),
    CORE("x4", "int"),
    CORE("x5", "int"),
    CORE("x6", "int"),
    CORE("x7", "int"),
    CORE("x8", "int"),
    CORE("x9", "int"),
    CORE("x10", "int"),
    CORE("x11", "int"),
    CORE("x12", "int"),
    CORE("x13", "int"),
    CORE("x14", "int"),
    CORE("x15", "int"),
    CORE("x16", "int"),
    CORE("x17", "int"),
    CORE("x18", "int"),
    CORE("x19", "int"),
    CORE("x20", "int"),
    CORE("x21", "int"),
    CORE("x22", "int"),
    CORE("x23", "int"),
    CORE("x24", "int"),
    CORE("x25", "int"),
    CORE("x26", "int"),
    CORE("x27", "int"),
    CORE("x28", "int"),
    CORE("x29", "int"),
    CORE("x30", "int"),
    [GDB_REG_SP] = CORE("sp", "data_ptr"),
    [GDB_REG_PC] = CORE("pc", "code_ptr"),
    [GDB_REG_CPSR] = {"cpsr", 32, "cpsr_flags", false},
    [GDB_REG_CURRENTEL] = SYSREG("currentel"),
    [GDB_REG_SP_EL0] = SYSREG("sp_el0"),
    [GDB_REG_SP_EL1] = SYSREG("sp_el1"),
    [GDB_REG_SP_EL2] = SYSREG("sp_el2"),
    [GDB_REG_ELR_EL1] = SYSREG("elr_el1"),
    [GDB_REG_SPSR_EL1] = SYSREG("spsr_el1"),
    [GDB_REG_ESR_EL1] = SYSREG("esr_el1"),
    [GDB_REG_FAR_EL1] = SYSREG("far_el1"),
    [GDB_REG_SCTLR_EL1] = SYSREG("sctlr_el1"),
    [GDB_REG_TCR_EL1] = SYSREG("tcr_el1"),
    [GDB_REG_TTBR0_EL1] = SYSREG("ttbr0_el1"),
    [GDB_REG_TTBR1_EL1] = SYSREG("ttbr1_el1"),
    [GDB_REG_MAIR_EL1] = SYSREG("mair_el1"),
    [GDB_REG_AMAIR_EL1] = SYSREG("amair_el1"),
    [GDB_REG_VBAR_EL1] = SYSREG("vbar_el1"),
    [GDB_REG_PAR_EL1] = SYSREG("par_el1"),
    [GDB_REG_CONTEXTIDR_EL1] = SYSREG("contextidr_el1"),
    [GDB_REG_CPACR_EL1] = SYSREG("cpacr_el1"),
    [GDB_REG_TPIDR_EL0] = SYSREG("tpidr_el0"),
    [GDB_REG_TPIDRRO_EL0] = SYSREG("tpidrro_el0"),
    [GDB_REG_TPIDR_EL1] = SYSREG("tpidr_el1"),
    [GDB_REG_CNTKCTL_EL1] = SYSREG("cntkctl_el1"),
    [GDB_REG_AFSR0_EL1] = SYSREG("afsr0_el1"),
    [GDB_REG_AFSR1_EL1] = SYSREG("afsr1_el1"),
    [GDB_REG_HCR_EL2] = SYSREG("hcr_el2"),
    [GDB_REG_VTCR_EL2] = SYSREG("vtcr_el2"),
    [GDB_REG_VTTBR_EL2] = SYSREG("vttbr_el2"),
    [GDB_REG_VMPIDR_EL2] = SYSREG("vmpidr_el2"),
    [GDB_REG_SCTLR_EL2] = SYSREG("sctlr_el2"),
    [GDB_REG_VBAR_EL2] = SYSREG("vbar_el2"),
};

const struct gdb_reg_desc *gdb_reg_desc(unsigned reg)
{
	return reg < GDB_NUM_REGS ? &reg_table[reg] : NULL;
}

const char *gdb_reg_name(unsigned reg)
{
	return reg < GDB_NUM_REGS ? reg_table[reg].name : NULL;
}

/* PSTATE as the SPSR holds it for AArch64 (Arm ARM C5.2.19, SPSR_EL2), so that `p $cpsr`
 * shows the fields by name. */
static const char cpsr_flags[] = "<flags id=\"cpsr_flags\" size=\"4\">\n"
				 "<field name=\"SP\" start=\"0\" end=\"0\"/>\n"
				 "<field name=\"EL\" start=\"2\" end=\"3\" type=\"uint32\"/>\n"
				 "<field name=\"nRW\" start=\"4\" end=\"4\"/>\n"
				 "<field name=\"F\" start=\"6\" end=\"6\"/>\n"
				 "<field name=\"I\" start=\"7\" end=\"7\"/>\n"
				 "<field name=\"A\" start=\"8\" end=\"8\"/>\n"
				 "<field name=\"D\" start=\"9\" end=\"9\"/>\n"
				 "<field name=\"IL\" start=\"20\" end=\"20\"/>\n"
				 "<field name=\"SS\" start=\"21\" end=\"21\"/>\n"
				 "<field name=\"PAN\" start=\"22\" end=\"22\"/>\n"
				 "<field name=\"V\" start=\"28\" end=\"28\"/>\n"
				 "<field name=\"C\" start=\"29\" end=\"29\"/>\n"
				 "<field name=\"Z\" start=\"30\" end=\"30\"/>\n"
				 "<field name=\"N\" start=\"31\" end=\"31\"/>\n"
				 "</flags>\n";

static void xml_feature(FILE *f, const char *name, bool system)
{
	fprintf(f, "<feature name=\"%s\">\n", name);
	if (!system) {
		fputs(cpsr_flags, f);
	}
	for (unsigned r = 0; r < GDB_NUM_REGS; r++) {
		const struct gdb_reg_desc *d = &reg_table[r];

		if (d->system != system) {
			continue;
		}
		fprintf(f, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"%s/>\n",
			d->name, d->bits, d->type, r, system ? " group=\"system\"" : "");
	}
	fputs("</feature>\n", f);
}

char *gdb_target_xml_build(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		return NULL;
	}
	fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	      "<target version=\"1.0\">\n<architecture>aarch64</architecture>\n",
	      f);
	xml_feature(f, "org.gnu.gdb.aarch64.core", false);
	xml_feature(f, "org.cca-sim.aarch64.sysregs", true);
	fputs("</target>\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Registers go on the wire in target byte order (little-endian), bits/8 bytes each; an
 * unavailable one as that many "xx". */
void regs_to_hex(struct gdb_out *o, const struct gdb_regs *r, unsigned first, unsigned count)
{
	for (unsigned i = first; i < first + count && i < GDB_NUM_REGS; i++) {
		unsigned nbytes = reg_table[i].bits / 8;
		unsigned char b[8];

		if (!r->valid[i]) {
			for (unsigned k = 0; k < nbytes; k++) {
				out_str(o, "xx");
			}
			continue;
		}
		for (unsigned k = 0; k < nbytes; k++) {
			b[k] = (unsigned char)(r->value[i] >> (8 * k));
		}
		out_hex(o, b, nbytes);
	}
}

bool regs_from_hex(const char *p, size_t n, struct gdb_regs *r, unsigned first, unsigned count)
{
	size_t want = 0;

	for (unsigned i = first; i < first + count; i++) {
		if (i >= GDB_NUM_REGS) {
			return false;
		}
		want += reg_table[i].bits / 4;
	}
	if (n != want) {
		return false;
	}
	for (unsigned i = first; i < first + count; i++) {
		size_t nbytes = reg_table[i].bits / 8;
		unsigned char b[8];
		uint64_t v = 0;

		if (p[0] == 'x' || p[0] == 'X') {
			r->valid[i] = false; /* "unavailable": leave it */
			for (size_t k = 0; k < 2 * nbytes; k++) {
				if (p[k] != 'x' && p[k] != 'X') {
					return false;
				}
			}
		} else {
			if (!hex_decode(p, 2 * nbytes, b, nbytes)) {
				return false;
			}
			for (size_t k = 0; k < nbytes; k++) {
				v |= (uint64_t)b[k] << (8 * k);
			}
			r->value[i] = v;
			r->valid[i] = true;
		}
		p += 2 * nbytes;
	}
	return true;
}
