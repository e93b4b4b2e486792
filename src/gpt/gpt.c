/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building the GPT in the Root carve-out the way TF-A's gpt_rme library does at boot
 * [ARM:D9.6, D9.7], the registers that point at it, and the per-world access views that
 * src/cpu enforces, derived from the table in memory.
 */
#include "gpt/gpt_private.h"

#include "abi/abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_L0GPTSZ 30U
#define GPT_P           12U /* the tables are built for 4 KB granules (PGS = 0b00) */

/* Descriptors are little-endian whatever the host is. */
static uint64_t load_le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | b[i];
	}
	return v;
}

static void store_le64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
}

bool gpt_mem_read64(struct cpu_machine *m, uint64_t pa, uint64_t *v)
{
	const uint8_t *b = cpu_phys_read(m, pa, 8);

	if (!b) {
		return false; /* not RAM: the fetch takes an external abort */
	}
	*v = load_le64(b);
	return true;
}

bool gpt_mem_write64(struct cpu_machine *m, uint64_t pa, uint64_t v)
{
	uint8_t *b = cpu_phys(m, pa, 8);

	if (!b) {
		return false;
	}
	store_le64(b, v);
	return true;
}

static bool fetch_root(void *ctx, uint64_t pa, uint64_t *desc)
{
	return gpt_mem_read64(ctx, pa, desc);
}

struct gpt_result gpt_check(const struct gpt *g, uint64_t pa, enum gpt_pas pas)
{
	struct gpt_walk w;

	gpt_walk(&g->regs, pa, pas, &w);
	return w.res;
}

/* What a world's PE may do to a granule: everything its PAS may access, or nothing. */
static unsigned view_access(const struct gpt *g, uint64_t pa, enum gpt_pas pas)
{
	return gpt_check(g, pa, pas).fault == GPT_OK ? CPU_ACCESS_ALL : 0U;
}

/*
 * The Realm PE reaches memory through two PASes: Realm (Protected IPAs, and all code) and
 * Non-secure (Unprotected IPAs, whose stage-2 descriptors have NS = 1 and XN). The view
 * records what either may do: Realm-PAS granules fully, NS-PAS granules for data only. The
 * cpu layer's own walk reads the descriptor's NS bit and checks an access through an
 * Unprotected mapping against the NS view, so such an access to a Realm granule is a GPF.
 * What the union leaves open is the reverse, a Protected mapping of an NS granule, which
 * would be allowed: the RMM never makes one (it maps only DATA granules, all delegated).
 */
static unsigned realm_view_access(unsigned realm_access, unsigned ns_access)
{
	if (ns_access) { /* the NS view's answer for the same granule */
		realm_access |= CPU_ACCESS_READ | CPU_ACCESS_WRITE;
	}
	return realm_access;
}

struct view_run {
	enum cpu_world world;
	uint64_t start;
	unsigned access;
};

static void run_flush(struct gpt *g, const struct view_run *r, uint64_t end)
{
	if (end > r->start) {
		cpu_view_set(g->m, r->world, r->start, end - r->start, r->access);
	}
}

/* Runs of equal access become one cpu_view_set each. */
static void run_add(struct gpt *g, struct view_run *r, uint64_t pa, unsigned access)
{
	if (access != r->access) {
		run_flush(g, r, pa);
		r->start = pa;
		r->access = access;
	}
}

/* Both worlds' answers for one granule, appended to their runs. */
static void add_granule(struct gpt *g, struct view_run *ns, struct view_run *realm, uint64_t pa,
			unsigned ns_access, unsigned realm_access)
{
	run_add(g, ns, pa, ns_access);
	run_add(g, realm, pa, realm_view_access(realm_access, ns_access));
}

static unsigned gpi_access(unsigned gpi, enum gpt_pas pas)
{
	return gpt_gpi_valid(gpi) && gpt_gpi_permits(gpi, pas) ? CPU_ACCESS_ALL : 0U;
}

/*
 * After a walk that ended at a Granules descriptor with one GPI for its 16 granules: the next
 * descriptors of the same level-1 table (the same level-0 region, so the same GPCCR checks and
 * level-0 descriptor a walk would meet) are read in turn while they too hold one valid GPI,
 * each deciding its 64 KB as a walk would. Returns where a walk must take over.
 */
static uint64_t next_uniform(struct gpt *g, const struct gpt_walk *w, uint64_t a, uint64_t end,
			     struct view_run *ns, struct view_run *realm)
{
	uint64_t span = 1ULL << (w->p + 4), region = (1ULL << w->s) - 1;
	uint64_t desc_pa = w->desc_pa, d;
	while (a < end && (a & region) != 0) {
		desc_pa += 8;
		if (!g->regs.fetch(g->regs.ctx, desc_pa, &d)) {
			break;
		}
		unsigned gpi = (unsigned)(d & GPT_GPI_MASK);
		if (!gpt_gpi_valid(gpi) || d != gpt_l1_granules_desc(gpi)) {
			break;
		}
		add_granule(g, ns, realm, a, gpi_access(gpi, GPT_PAS_NS),
			    gpi_access(gpi, GPT_PAS_REALM));
		a = a + span > end ? end : a + span;
	}
	return a;
}

/*
 * The views of the granules from `a` that one walk decides, up to `end`; returns where it
 * stopped. A walk that reaches a GPI decides every granule whose check would read the same
 * descriptor: a level-0 block its whole level-0 region, a level-1 descriptor its 16 granules
 * (a Granules descriptor a nibble each, a Contiguous one one GPI), for both PASes, since the
 * GPI is all that differs between them. Anything else (a walk fault, checks off, an address
 * outside the PPS) is one granule, checked for each PAS. So the views cost a walk per 64 KB
 * of RAM, not two per granule, and stay exactly what gpt_check says granule by granule.
 */
static uint64_t decide_views(struct gpt *g, uint64_t a, uint64_t end, struct view_run *ns,
			     struct view_run *realm)
{
	struct gpt_walk w;
	gpt_walk(&g->regs, a, GPT_PAS_NS, &w);
	if (!w.decided) {
		add_granule(g, ns, realm, a, w.res.fault == GPT_OK ? CPU_ACCESS_ALL : 0U,
			    view_access(g, a, GPT_PAS_REALM));
		return a + GRANULE_SIZE;
	}
	uint64_t span = w.l1 ? 1ULL << (w.p + 4) : 1ULL << w.s;
	uint64_t next = (a & ~(span - 1)) + span;
	if (next > end || next < a) {
		next = end;
	}
	bool uniform = !w.l1 || w.contiguous || w.desc == gpt_l1_granules_desc(w.res.gpi);
	if (uniform) { /* one GPI for all the granules the descriptor decides */
		add_granule(g, ns, realm, a, gpi_access(w.res.gpi, GPT_PAS_NS),
			    gpi_access(w.res.gpi, GPT_PAS_REALM));
		return w.l1 && !w.contiguous ? next_uniform(g, &w, next, end, ns, realm) : next;
	}
	for (uint64_t b = a; b < next; b += GRANULE_SIZE) {
		unsigned gpi = w.res.gpi;
		if (w.l1 && !w.contiguous) {
			gpi = (unsigned)(w.desc >> (4 * ((b >> w.p) & 0xf))) & GPT_GPI_MASK;
		}
		add_granule(g, ns, realm, b, gpi_access(gpi, GPT_PAS_NS),
			    gpi_access(gpi, GPT_PAS_REALM));
	}
	return next;
}

void gpt_update_views(struct gpt *g, uint64_t pa, uint64_t size)
{
	uint64_t ram_end = g->ram_base + g->ram_size;
	uint64_t start = pa & ~GRANULE_MASK;
	uint64_t end = pa + size;

	if (start < g->ram_base) {
		start = g->ram_base;
	}
	if (end > ram_end || end < pa) {
		end = ram_end;
	}
	if (start >= end) {
		return;
	}
	/* runs start empty at `start` with an impossible access, so the first granule opens them */
	struct view_run ns = {CPU_WORLD_NS, start, ~0U}, realm = {CPU_WORLD_REALM, start, ~0U};
	for (uint64_t a = start; a < end;) {
		a = decide_views(g, a, end, &ns, &realm);
	}
	run_flush(g, &ns, end);
	run_flush(g, &realm, end);
}

void gpt_invalidate_all(struct gpt *g)
{
	gpt_update_views(g, g->ram_base, g->ram_size);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Initial GPI of one granule: the carve-out is Root, other RAM the default, the rest ANY. */
static unsigned initial_gpi(const struct gpt *g, uint64_t pa, unsigned default_gpi)
{
	if (pa >= g->root_base && pa - g->root_base < g->root_size) {
		return GPI_ROOT;
	}
	if (pa >= g->ram_base && pa - g->ram_base < g->ram_size) {
		return default_gpi;
	}
	return GPI_ANY;
}

/* Whether [pa, pa + len) lies wholly inside or wholly outside [base, base + size). */
static bool uniform_in(uint64_t pa, uint64_t len, uint64_t base, uint64_t size)
{
	return (pa >= base && pa + len <= base + size) || pa + len <= base || pa >= base + size;
}

/* The first boundary of RAM or of the Root carve-out above pa (UINT64_MAX: none): below it the
 * initial GPI does not change. */
static uint64_t next_boundary(const struct gpt *g, uint64_t pa)
{
	const uint64_t edges[4] = {g->root_base, g->root_base + g->root_size, g->ram_base,
				   g->ram_base + g->ram_size};
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < 4; i++) {
		if (edges[i] > pa && edges[i] < next) {
			next = edges[i];
		}
	}
	return next;
}

static void fill_l1_table(struct gpt *g, uint8_t *table, uint64_t region_pa, uint64_t bytes,
			  unsigned default_gpi)
{
	const uint64_t span = (uint64_t)GPT_GPIS_PER_L1_DESC << GPT_P;
	for (uint64_t off = 0; off < bytes;) {
		uint64_t pa = region_pa + (off / 8) * span;
		uint64_t desc = 0;

		/* Most descriptors lie wholly in RAM or wholly outside it (an L1 table spans its
		 * whole level-0 region): one GPI for all 16 granules, and for every descriptor up
		 * to the next boundary of RAM or the carve-out, written at once. */
		if (uniform_in(pa, span, g->root_base, g->root_size) &&
		    uniform_in(pa, span, g->ram_base, g->ram_size)) {
			uint8_t le[8];
			uint64_t stop = next_boundary(g, pa), n = 1;
			if (stop > pa + span) {
				n = (stop - pa) / span;
			}
			if (n > (bytes - off) / 8) {
				n = (bytes - off) / 8;
			}
			store_le64(le, gpt_l1_granules_desc(initial_gpi(g, pa, default_gpi)));
			for (uint64_t k = 0; k < n; k++, off += 8) {
				memcpy(table + off, le, sizeof(le));
			}
			continue;
		}
		for (unsigned i = 0; i < GPT_GPIS_PER_L1_DESC; i++) {
			uint64_t gpi = initial_gpi(g, pa + ((uint64_t)i << GPT_P), default_gpi);
			desc |= gpi << (4 * i);
		}
		store_le64(table + off, desc);
		off += 8;
	}
}

/* Where the tables go [ARM:D9.6]: t = PPS, s = L0GPTSZ, p = 12. */
struct gpt_layout {
	unsigned pps_bits, l0gptsz;
	int pps_enc, l0gptsz_enc;
	uint64_t root_base, root_size;
	uint64_t n_l0, l0_base, l0_bytes;
	uint64_t l1_base, l1_bytes, first, last; /* L1 tables of L0 entries first..last */
	uint64_t end;                            /* the end of the tables */
};

/* Lays the tables out for RAM [base, base + size): GPT_CONFIG_OK, or what is wrong (why). */
static enum gpt_config_fault layout(uint64_t base, uint64_t size, unsigned pa_bits,
				    const struct gpt_config *cfg, struct gpt_layout *l, char *why,
				    size_t len)
{
	memset(l, 0, sizeof(*l));
	l->pps_bits = cfg->pps_bits ? cfg->pps_bits : pa_bits;
	l->pps_enc = gpt_pps_encode(l->pps_bits);
	if (l->pps_enc < 0 || l->pps_bits > pa_bits) {
		snprintf(why, len,
			 "pps_bits must be 32, 36, 40, 42, 44, 48 or 52 and <= pa_bits (%u)",
			 pa_bits);
		return GPT_CONFIG_PPS;
	}
	l->l0gptsz = cfg->l0gptsz ? cfg->l0gptsz : DEFAULT_L0GPTSZ;
	l->l0gptsz_enc = gpt_l0gptsz_encode(l->l0gptsz);
	if (l->l0gptsz_enc < 0) {
		snprintf(why, len, "l0gptsz must be 30, 34, 36 or 39");
		return GPT_CONFIG_L0GPTSZ;
	}
	l->root_size = cfg->root_size ? cfg->root_size : GPT_DEFAULT_ROOT_SIZE;
	if ((l->root_size & GRANULE_MASK) != 0 || l->root_size > size) {
		snprintf(
		    why, len,
		    "the Root carve-out (root_size 0x%llx) must be a multiple of 4 KB and fit in "
		    "RAM (0x%llx bytes)",
		    (unsigned long long)l->root_size, (unsigned long long)size);
		return cfg->root_size ? GPT_CONFIG_ROOT_SIZE : GPT_CONFIG_RAM;
	}
	uint64_t ram_end = base + size;
	if (size == 0 || ram_end < base ||
	    (l->pps_bits < 64 && ((ram_end - 1) >> l->pps_bits) != 0)) {
		snprintf(why, len, "RAM must lie below 2^pps_bits (2^%u)", l->pps_bits);
		return cfg->pps_bits ? GPT_CONFIG_PPS : GPT_CONFIG_RAM;
	}
	l->root_base = ram_end - l->root_size;

	unsigned tb = l->pps_bits, sz = l->l0gptsz;
	l->n_l0 = tb > sz ? 1ULL << (tb - sz) : 1;
	l->l0_bytes = l->n_l0 * 8;
	l->l1_bytes = 1ULL << (sz - GPT_P - 1);
	l->first = base >> sz;
	l->last = (ram_end - 1) >> sz;
	/* L1 tables first: their alignment (their size) is the larger one. */
	l->l1_base = align_up(l->root_base, l->l1_bytes);
	uint64_t cursor = l->l1_base + (l->last - l->first + 1) * l->l1_bytes;
	l->l0_base = align_up(cursor, l->l0_bytes < 4096 ? 4096 : l->l0_bytes);
	l->end = l->l0_base + l->l0_bytes;
	if (l->end > ram_end || l->end < l->root_base) {
		snprintf(why, len,
			 "the GPT (0x%llx bytes with its alignment) does not fit in the Root "
			 "carve-out of 0x%llx bytes: raise root_size",
			 (unsigned long long)(l->end - l->root_base),
			 (unsigned long long)l->root_size);
		return cfg->root_size ? GPT_CONFIG_ROOT_SIZE : GPT_CONFIG_RAM;
	}
	return GPT_CONFIG_OK;
}

enum gpt_config_fault gpt_config_check(uint64_t ram_base, uint64_t ram_size, unsigned pa_bits,
				       const struct gpt_config *cfg, uint64_t *root_base, char *why,
				       size_t len)
{
	static const struct gpt_config defaults;
	struct gpt_layout l;
	enum gpt_config_fault f =
	    layout(ram_base, ram_size, pa_bits, cfg ? cfg : &defaults, &l, why, len);
	*root_base = l.root_base;
	return f;
}

static int fail(struct gpt *g, const char *msg)
{
	fprintf(stderr, "gpt: %s\n", msg);
	free(g);
	return -1;
}

int gpt_create(struct cpu_machine *m, const struct gpt_config *cfg, struct trace *t,
	       struct gpt **out)
{
	static const struct gpt_config defaults;
	struct gpt_layout l;
	struct gpt *g;
	char why[200];

	*out = NULL;
	if (!cfg) {
		cfg = &defaults;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		return fail(g, "out of memory");
	}
	g->m = m;
	g->t = t;
	g->ram_base = cpu_ram_base(m);
	g->ram_size = cpu_ram_size(m);
	g->regs.pa_bits = cpu_pa_bits(m);
	g->regs.fetch = fetch_root;
	g->regs.ctx = m;

	unsigned default_gpi = cfg->default_gpi ? cfg->default_gpi : GPI_NS;
	if (!gpt_gpi_valid(default_gpi)) {
		return fail(g, "default_gpi is not a valid GPI");
	}
	if (layout(g->ram_base, g->ram_size, g->regs.pa_bits, cfg, &l, why, sizeof(why)) !=
	    GPT_CONFIG_OK) {
		return fail(g, why);
	}
	g->pps_bits = l.pps_bits;
	g->l0gptsz = l.l0gptsz;
	g->root_size = l.root_size;
	g->root_base = l.root_base;
	uint8_t *tables = cpu_phys(m, g->root_base, l.end - g->root_base);
	if (!tables) {
		return fail(g, "the Root carve-out is not RAM");
	}
	/* Every level-1 descriptor is written below: only the rest of the tables is cleared. */
	uint64_t l1_end = l.l1_base + (l.last - l.first + 1) * l.l1_bytes;
	memset(tables, 0, l.l1_base - g->root_base);
	memset(tables + (l1_end - g->root_base), 0, l.end - l1_end);

	uint8_t *l0 = tables + (l.l0_base - g->root_base);
	for (uint64_t i = 0; i < l.n_l0; i++) {
		uint64_t desc = gpt_l0_block_desc(GPI_ANY);

		if (i >= l.first && i <= l.last) {
			uint64_t l1 = l.l1_base + (i - l.first) * l.l1_bytes;

			fill_l1_table(g, tables + (l1 - g->root_base), i << l.l0gptsz, l.l1_bytes,
				      default_gpi);
			desc = gpt_l0_table_desc(l1);
		}
		store_le64(l0 + i * 8, desc);
	}

	g->regs.gpccr = gpt_gpccr_value((unsigned)l.pps_enc, (unsigned)l.l0gptsz_enc);
	g->regs.gptbr = (l.l0_base >> GPTBR_BADDR_SHIFT) & GPTBR_BADDR_MASK;
	gpt_invalidate_all(g);
	*out = g;
	return 0;
}

void gpt_destroy(struct gpt *g)
{
	free(g); /* the tables themselves live in the machine's RAM */
}

uint64_t gpt_gpccr_el3(const struct gpt *g)
{
	return g->regs.gpccr;
}

uint64_t gpt_gptbr_el3(const struct gpt *g)
{
	return g->regs.gptbr;
}

uint64_t gpt_root_base(const struct gpt *g)
{
	return g->root_base;
}

uint64_t gpt_root_size(const struct gpt *g)
{
	return g->root_size;
}

const char *gpt_gpi_name(unsigned gpi)
{
	switch (gpi) {
	case GPI_NO_ACCESS:
		return "NO_ACCESS";
	case GPI_SECURE:
		return "SECURE";
	case GPI_NS:
		return "NS";
	case GPI_ROOT:
		return "ROOT";
	case GPI_REALM:
		return "REALM";
	case GPI_ANY:
		return "ANY";
	default:
		return "RESERVED";
	}
}

const char *gpt_pas_name(enum gpt_pas pas)
{
	switch (pas) {
	case GPT_PAS_SECURE:
		return "SECURE";
	case GPT_PAS_NS:
		return "NS";
	case GPT_PAS_ROOT:
		return "ROOT";
	case GPT_PAS_REALM:
		return "REALM";
	default:
		return "UNKNOWN";
	}
}
