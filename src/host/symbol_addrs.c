/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical addresses behind the scenario symbols (docs/scenarios.md, "Host": symbols). */
#include "host_private.h"

#include "abi/abi.h"

#include <stdio.h>
#include <string.h>

bool host_symbol(const struct host *h, unsigned realm, const char *sym, unsigned n, uint64_t *pa)
{
	if (strcmp(sym, "outside") == 0) {
		/* The first granule past the end of RAM: not DRAM, never delegable. */
		*pa = cpu_ram_base(h->m) + cpu_ram_size(h->m);
		return true;
	}
	/* The first granule of the platform's first Secure-PAS / device range. */
	const struct monitor_config *mc = &h->cfg.monitor;
	if (strcmp(sym, "secure") == 0) {
		*pa = mc->nsecure ? mc->secure[0].base : 0;
		return mc->nsecure != 0;
	}
	if (strcmp(sym, "device") == 0) {
		*pa = mc->ndevice ? mc->device[0].base : 0;
		return mc->ndevice != 0;
	}
	if (realm >= h->nrealms || !h->realms[realm].built) {
		return false;
	}
	const struct host_realm *r = &h->realms[realm];
	if (strcmp(sym, "rd") == 0) {
		*pa = r->rd;
	} else if (strcmp(sym, "rec") == 0 && n < r->desc.nrecs) {
		*pa = r->recs[n].rec;
	} else if (strcmp(sym, "run") == 0 && n < r->desc.nrecs) {
		*pa = r->recs[n].run;
	} else if (strcmp(sym, "data") == 0 && n < r->ndata) {
		*pa = r->data[n];
	} else if (strcmp(sym, "rtt") == 0 && r->nrtts > 0) {
		*pa = r->rtts[0].pa;
	} else if (strcmp(sym, "aux") == 0) {
		/* the realm's auxiliary granules, REC 0's first: auxN is aux[N % count] of REC
		 * N / count */
		unsigned naux = r->recs[0].naux;
		if (!naux || n / naux >= r->desc.nrecs) {
			return false;
		}
		*pa = r->recs[n / naux].aux[n % naux];
	} else if (strcmp(sym, "delegated") == 0) {
		*pa = r->spare_delegated;
	} else if (strcmp(sym, "undelegated") == 0) {
		*pa = r->never_delegated;
	} else {
		return false;
	}
	return *pa != 0;
}

static const char *named(const struct host *h, const struct host_realm *r, const char *what, int n,
			 char *buf, size_t len)
{
	const char *prefix = h->nrealms > 1 ? r->desc.name : NULL;
	char idx[16] = "";
	if (n >= 0) {
		snprintf(idx, sizeof(idx), "%d", n);
	}
	snprintf(buf, len, "%s%s%s%s", prefix ? prefix : "", prefix ? "." : "", what, idx);
	return buf;
}

/* Every named granule of realm r, in a fixed order; stops when fn returns true. */
static const char *visit(const struct host *h, const struct host_realm *r,
			 bool (*fn)(void *ctx, uint64_t pa, const char *name), void *ctx, char *buf,
			 size_t len)
{
	struct {
		uint64_t pa;
		const char *what;
	} fixed[] = {{r->rd, "rd"},
		     {r->rtt_root, "rtt_root"},
		     {r->spare_delegated, "delegated"},
		     {r->never_delegated, "undelegated"},
		     {r->realm_params, "realm_params"},
		     {r->rec_params, "rec_params"},
		     {r->data_src, "data_src"}};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].pa && fn(ctx, fixed[i].pa, named(h, r, fixed[i].what, -1, buf, len))) {
			return buf;
		}
	}
	for (unsigned k = 0; k < r->desc.nrecs; k++) {
		if ((r->recs[k].rec &&
		     fn(ctx, r->recs[k].rec, named(h, r, "rec", (int)k, buf, len))) ||
		    (r->recs[k].run &&
		     fn(ctx, r->recs[k].run, named(h, r, "run", (int)k, buf, len)))) {
			return buf;
		}
		for (unsigned a = 0; a < r->recs[k].naux; a++) {
			int n = (int)(k * r->recs[k].naux + a);
			if (fn(ctx, r->recs[k].aux[a], named(h, r, "aux", n, buf, len))) {
				return buf;
			}
		}
	}
	for (unsigned k = 0; k < r->nrtts + (r->nrtts < HOST_MAX_RTTS) && r->rtts[k].pa; k++) {
		if (fn(ctx, r->rtts[k].pa, named(h, r, "rtt", k ? (int)k : -1, buf, len))) {
			return buf;
		}
	}
	for (unsigned k = 0; k < r->ndata + (r->ndata < HOST_MAX_DATA) && r->data[k]; k++) {
		if (fn(ctx, r->data[k], named(h, r, "data", (int)k, buf, len))) {
			return buf;
		}
	}
	return NULL;
}

static bool is_pa(void *ctx, uint64_t pa, const char *name)
{
	return *(const uint64_t *)ctx == pa;
}

const char *host_name_of(const struct host *h, uint64_t pa, char *buf, size_t len)
{
	for (unsigned i = 0; i < h->nrealms; i++) {
		if (visit(h, &h->realms[i], is_pa, &pa, buf, len)) {
			return buf;
		}
	}
	if (pa == cpu_ram_base(h->m) + cpu_ram_size(h->m)) {
		snprintf(buf, len, "outside");
		return buf;
	}
	const struct monitor_config *mc = &h->cfg.monitor;
	if (mc->nsecure && pa == mc->secure[0].base) {
		snprintf(buf, len, "secure");
		return buf;
	}
	if (mc->ndevice && pa == mc->device[0].base) {
		snprintf(buf, len, "device");
		return buf;
	}
	return NULL;
}

struct each {
	void (*fn)(void *ctx, uint64_t pa, const char *name);
	void *ctx;
};

static bool call_each(void *ctx, uint64_t pa, const char *name)
{
	struct each *e = ctx;
	e->fn(e->ctx, pa, name);
	return false;
}

void host_each_name(const struct host *h, void (*fn)(void *ctx, uint64_t pa, const char *name),
		    void *ctx)
{
	struct each e = {fn, ctx};
	char buf[64];
	for (unsigned i = 0; i < h->nrealms; i++) {
		visit(h, &h->realms[i], call_each, &e, buf, sizeof(buf));
	}
}

uint64_t host_insns(const struct host *h)
{
	return monitor_insns(h->mon);
}

bool host_fault_loop(const struct host *h, struct rmm_fault_loop *loop, unsigned *realm)
{
	int i;

	if (!rmm_last_fault_loop(monitor_rmm(h->mon), loop) ||
	    (i = host_realm_of_rd(h, loop->rd)) < 0) {
		return false;
	}
	*realm = (unsigned)i;
	return true;
}
