/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot and the host's memory: the machine comes up as firmware would bring it up (PEs and
 * RAM, the GPT, EL3, then the RMM), the host PE starts at NS-EL2 in its stub, and the VMM
 * hands out Non-secure granules from the RAM below the firmware carve-outs.
 */
#include "host_private.h"

#include "abi/abi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stub: real NS-EL2 code. smc #0 / str x1,[x0] / ldr x1,[x0], each followed by hvc #0. */
static const uint32_t stub_code[] = {
    0xD4000003, 0xD4000002, /* STUB_SMC */
    0xF9000001, 0xD4000002, /* STUB_STORE */
    0xF9400001, 0xD4000002, /* STUB_LOAD */
};

enum host_result host_fail(struct host *h, enum host_result r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->errbuf, sizeof(h->errbuf), fmt, ap);
	va_end(ap);
	h->error = h->errbuf;
	return r;
}

const char *host_error(const struct host *h)
{
	return h->error ? h->error : "no error";
}

static const char *realm_namer(void *ctx, uint64_t rd)
{
	struct host *h = ctx;
	int i = host_realm_of_rd(h, rd);
	return i < 0 ? NULL : h->realms[i].desc.name;
}

/* Bytes of [lo, hi) the first n ranges cover, counting overlaps between them once. */
static uint64_t covered(const struct monitor_range *r, unsigned n, uint64_t lo, uint64_t hi)
{
	struct monitor_range c[MONITOR_MAX_RANGES];
	unsigned m = 0;

	/* clipped to [lo, hi), sorted by base */
	for (unsigned i = 0; i < n && i < MONITOR_MAX_RANGES; i++) {
		uint64_t b = r[i].base > lo ? r[i].base : lo;
		uint64_t e = r[i].base + r[i].size < hi ? r[i].base + r[i].size : hi;
		if (b >= e) {
			continue;
		}
		unsigned k = m++;
		for (; k > 0 && c[k - 1].base > b; k--) {
			c[k] = c[k - 1];
		}
		c[k] = (struct monitor_range){b, e - b};
	}
	uint64_t total = 0, reached = lo;
	for (unsigned i = 0; i < m; i++) {
		uint64_t b = c[i].base > reached ? c[i].base : reached, e = c[i].base + c[i].size;
		if (e > b) {
			total += e - b;
			reached = e;
		}
	}
	return total;
}

/* The Secure ranges must leave the host its stub (RAM's first granule) and HOST_MIN_RAM of
 * the RAM below the firmware carve-outs (host_alloc_ns skips them). */
static enum host_config_fault check_host_ram(const struct monitor_config *mc, uint64_t ram,
					     uint64_t firmware, unsigned *range, char *why,
					     size_t len)
{
	for (unsigned i = 0; i < mc->nsecure; i++) {
		*range = i;
		if (monitor_range_contains(&mc->secure[i], 1, ram)) {
			snprintf(why, len,
				 "Secure range 0x%llx+0x%llx covers RAM's first granule, where the "
				 "host's stub runs",
				 (unsigned long long)mc->secure[i].base,
				 (unsigned long long)mc->secure[i].size);
			return HOST_CONFIG_SECURE;
		}
		if (firmware - ram - covered(mc->secure, i + 1, ram, firmware) < HOST_MIN_RAM) {
			snprintf(
			    why, len,
			    "Secure range 0x%llx+0x%llx leaves the host less than 0x%llx bytes "
			    "of the RAM below the firmware carve-outs",
			    (unsigned long long)mc->secure[i].base,
			    (unsigned long long)mc->secure[i].size,
			    (unsigned long long)HOST_MIN_RAM);
			return HOST_CONFIG_SECURE;
		}
	}
	return HOST_CONFIG_OK;
}

enum host_config_fault host_config_check(const struct host_config *cfg, unsigned *range, char *why,
					 size_t len)
{
	static const enum host_config_fault of_gpt[] = {
	    [GPT_CONFIG_OK] = HOST_CONFIG_OK,
	    [GPT_CONFIG_RAM] = HOST_CONFIG_RAM,
	    [GPT_CONFIG_PPS] = HOST_CONFIG_GPT_PPS,
	    [GPT_CONFIG_L0GPTSZ] = HOST_CONFIG_GPT_L0GPTSZ,
	    [GPT_CONFIG_ROOT_SIZE] = HOST_CONFIG_GPT_ROOT_SIZE,
	};
	struct cpu_config c = cfg->cpu;
	uint64_t root;

	cpu_config_resolve(&c);
	if (c.pa_bits > RMM_MAX_PA_BITS) {
		snprintf(why, len, "the RMM supports physical addresses of up to %u bits, not %u",
			 RMM_MAX_PA_BITS, c.pa_bits);
		return HOST_CONFIG_PA_BITS;
	}
	if (cpu_config_check(&c, why, len)) {
		return c.pa_bits < 32 ? HOST_CONFIG_PA_BITS : HOST_CONFIG_RAM;
	}
	uint64_t root_size = cfg->gpt.root_size ? cfg->gpt.root_size : GPT_DEFAULT_ROOT_SIZE;
	uint64_t need = root_size + MONITOR_RMM_CARVEOUT_SIZE + HOST_MIN_RAM;
	if (root_size <= c.ram_size && c.ram_size < need) {
		snprintf(why, len,
			 "RAM of 0x%llx bytes is too small: the GPT's Root carve-out (0x%llx), the "
			 "RMM's (0x%llx) and the host (0x%llx) need 0x%llx",
			 (unsigned long long)c.ram_size, (unsigned long long)root_size,
			 (unsigned long long)MONITOR_RMM_CARVEOUT_SIZE,
			 (unsigned long long)HOST_MIN_RAM, (unsigned long long)need);
		return HOST_CONFIG_RAM;
	}
	if (root_size > c.ram_size && !cfg->gpt.root_size) {
		snprintf(why, len,
			 "RAM of 0x%llx bytes is too small: the GPT's Root carve-out alone takes "
			 "0x%llx, and the RMM's (0x%llx) and the host (0x%llx) need more",
			 (unsigned long long)c.ram_size, (unsigned long long)root_size,
			 (unsigned long long)MONITOR_RMM_CARVEOUT_SIZE,
			 (unsigned long long)HOST_MIN_RAM);
		return HOST_CONFIG_RAM;
	}
	enum gpt_config_fault g =
	    gpt_config_check(c.ram_base, c.ram_size, c.pa_bits, &cfg->gpt, &root, why, len);
	if (g != GPT_CONFIG_OK) {
		return of_gpt[g];
	}
	if (root - c.ram_base < MONITOR_RMM_CARVEOUT_SIZE + HOST_MIN_RAM) {
		snprintf(
		    why, len,
		    "RAM of 0x%llx bytes leaves 0x%llx below the GPT's Root carve-out, where the "
		    "RMM's carve-out and the host need 0x%llx",
		    (unsigned long long)c.ram_size, (unsigned long long)(root - c.ram_base),
		    (unsigned long long)(MONITOR_RMM_CARVEOUT_SIZE + HOST_MIN_RAM));
		return HOST_CONFIG_RAM;
	}
	*range = 0;
	switch (monitor_config_check(&cfg->monitor, c.ram_base, c.ram_size, c.pa_bits, root, range,
				     why, len)) {
	case MONITOR_CONFIG_OK:
		break;
	case MONITOR_CONFIG_SECURE:
		return HOST_CONFIG_SECURE;
	case MONITOR_CONFIG_DEVICE:
		return HOST_CONFIG_DEVICE;
	}
	return check_host_ram(&cfg->monitor, c.ram_base, root - MONITOR_RMM_CARVEOUT_SIZE, range,
			      why, len);
}

void host_ipa_bits_range(const struct host_config *cfg, unsigned *min, unsigned *max)
{
	/* what the RMM booted with this configuration will report */
	struct rmm_features f = cfg->rmm.features;

	rmm_features_resolve(&f, cfg->rmm.pa_bits);
	*min = RMM_MIN_IPA_BITS;
	*max = f.max_ipa_bits;
}

int host_create(const struct host_config *cfg, struct trace *t, struct host **out)
{
	return host_create_on(cfg, t, NULL, out);
}

int host_create_on(const struct host_config *cfg, struct trace *t, struct cpu_machine *m,
		   struct host **out)
{
	struct host *h = calloc(1, sizeof(*h));
	if (!h) {
		cpu_machine_destroy(m);
		return -1;
	}
	h->cfg = *cfg;
	h->t = t;
	if (m && cpu_machine_reset(m, &cfg->cpu) != 0) {
		cpu_machine_destroy(m); /* of another shape */
		m = NULL;
	}
	h->m = m;
	if ((!h->m && cpu_machine_create(&cfg->cpu, &h->m) != 0) ||
	    gpt_create(h->m, &cfg->gpt, t, &h->g) != 0 ||
	    monitor_create(h->m, h->g, t, &cfg->monitor, &h->mon) != 0 ||
	    monitor_boot_rmm(h->mon, &cfg->rmm) != 0) {
		host_destroy(h);
		return -1;
	}
	monitor_set_insn_budget(h->mon, cfg->max_insns);
	if (t) {
		trace_set_realm_namer(t, realm_namer, h);
	}
	h->ns = cpu_pe(h->m, CPU_WORLD_NS);
	struct rmm_features f = cfg->rmm.features;
	rmm_features_resolve(&f, cfg->rmm.pa_bits);
	h->gic_lrs = f.gic_lrs;
	h->stub = cpu_ram_base(h->m);
	h->next_free = h->stub + GRANULE_SIZE;
	h->limit = monitor_rmm_platform(h->mon)->private_base;
	if (host_ns_write(h, h->stub, stub_code, sizeof(stub_code)) != 0 ||
	    cpu_pe_enter_el(h->ns, 2, h->stub) != 0) {
		host_destroy(h);
		return -1;
	}
	cpu_machine_mark(h->m); /* the booted machine: what host_state_hash starts from */
	*out = h;
	return 0;
}

void host_destroy(struct host *h)
{
	cpu_machine_destroy(host_release(h));
}

struct cpu_machine *host_release(struct host *h)
{
	if (!h) {
		return NULL;
	}
	for (unsigned i = 0; i < h->nrealms; i++) {
		for (unsigned j = 0; h->realms[i].recs && j < h->realms[i].desc.nrecs; j++) {
			free(h->realms[i].recs[j].console);
		}
		free(h->realms[i].plugged);
		free(h->realms[i].recs);
	}
	if (h->t) {
		trace_set_realm_namer(h->t, NULL, NULL);
	}
	monitor_destroy(h->mon);
	gpt_destroy(h->g);
	struct cpu_machine *m = h->m;
	free(h);
	return m;
}

struct cpu_machine *host_machine(struct host *h)
{
	return h->m;
}

unsigned host_realm_count(const struct host *h)
{
	return h->nrealms;
}

const char *host_realm_name(const struct host *h, unsigned realm)
{
	return realm < h->nrealms ? h->realms[realm].desc.name : NULL;
}

unsigned host_realm_recs(const struct host *h, unsigned realm)
{
	return realm < h->nrealms ? h->realms[realm].desc.nrecs : 0;
}

uint64_t host_rec_granule(const struct host *h, unsigned realm, unsigned rec)
{
	if (realm >= h->nrealms || rec >= h->realms[realm].desc.nrecs) {
		return 0;
	}
	return h->realms[realm].recs[rec].rec;
}

uint64_t host_realm_vmid(unsigned realm)
{
	return realm + 1; /* as create_realm asks for it */
}

int host_realm_of_vmid(const struct host *h, uint64_t vmid)
{
	for (unsigned i = 0; i < h->nrealms; i++) {
		if (host_realm_vmid(i) == vmid) {
			return (int)i;
		}
	}
	return -1;
}

struct rmm *host_rmm(struct host *h)
{
	return monitor_rmm(h->mon);
}

struct trace *host_trace(struct host *h)
{
	return h->t;
}

void host_halt(struct host *h)
{
	monitor_halt(h->mon);
}

uint64_t host_alloc_ns(struct host *h)
{
	const struct monitor_config *mc = &h->cfg.monitor;
	/* Secure memory is no host's: skip each range the allocator reaches (one may end where
	 * another begins, hence until none contains it). */
	bool moved = true;
	while (moved) {
		moved = false;
		for (unsigned i = 0; i < mc->nsecure; i++) {
			const struct monitor_range *s = &mc->secure[i];
			if (h->next_free >= s->base && h->next_free - s->base < s->size) {
				h->next_free = s->base + s->size;
				moved = true;
			}
		}
	}
	if (h->next_free >= h->limit) {
		return 0;
	}
	uint64_t pa = h->next_free;
	h->next_free += GRANULE_SIZE;
	return pa;
}

int host_ns_write(struct host *h, uint64_t pa, const void *buf, size_t len)
{
	return gpt_write(h->g, GPT_PAS_NS, pa, buf, len, NULL);
}

int host_ns_read(struct host *h, uint64_t pa, void *buf, size_t len)
{
	return gpt_read(h->g, GPT_PAS_NS, pa, buf, len, NULL);
}

static void event(struct host *h, const char *decision, unsigned realm, int rec, int target,
		  int64_t intid)
{
	struct trace_event *ev = trace_begin(h->t, TE_host);
	trace_name(ev, "decision", decision);
	if (rec >= 0) {
		trace_int(ev, "rec", rec);
	}
	if (target >= 0) {
		trace_int(ev, "target", target);
	}
	if (intid >= 0) {
		trace_int(ev, "intid", intid);
	}
	if (realm < h->nrealms && h->realms[realm].built) {
		trace_realm(h->t, ev, h->realms[realm].rd);
	}
	trace_end(h->t, ev);
}

void host_event(struct host *h, const char *decision, unsigned realm, int rec, int target)
{
	event(h, decision, realm, rec, target, -1);
}

void host_event_irq(struct host *h, const char *decision, unsigned realm, unsigned rec,
		    uint32_t intid)
{
	event(h, decision, realm, (int)rec, -1, intid);
}

int host_add_realm(struct host *h, const struct host_realm_desc *desc)
{
	if (h->nrealms == HOST_MAX_REALMS || desc->nrecs == 0 || desc->nrecs > HOST_MAX_RECS ||
	    desc->ninjects > HOST_MAX_INJECTS) {
		return -1;
	}
	for (unsigned k = 0; k < desc->ninjects; k++) {
		if (desc->injects[k].rec >= desc->nrecs || desc->injects[k].intid > GIC_MAX_SPI) {
			return -1;
		}
	}
	struct host_realm *r = &h->realms[h->nrealms];
	memset(r, 0, sizeof(*r));
	r->desc = *desc;
	r->ipa_bits = desc->ipa_bits ? desc->ipa_bits : 33;
	r->plugged = calloc(desc->nrecs, sizeof(bool));
	r->recs = calloc(desc->nrecs, sizeof(struct host_rec));
	host_devices_init(r);
	if (!r->plugged || !r->recs) {
		free(r->plugged);
		free(r->recs);
		return -1;
	}
	for (unsigned i = 0; i < desc->nrecs; i++) {
		r->plugged[i] = desc->plugged ? desc->plugged[i] : true;
	}
	return (int)h->nrealms++;
}

int host_realm_of_rd(const struct host *h, uint64_t rd)
{
	/* From the moment the VMM has chosen the RD granule: RMI_REALM_CREATE's own events
	 * (realm_state NEW, the rmi event) name the realm it creates. */
	for (unsigned i = 0; i < h->nrealms; i++) {
		if (rd != 0 && h->realms[i].rd == rd) {
			return (int)i;
		}
	}
	return -1;
}

void host_plug(struct host *h, unsigned realm, unsigned rec, bool plugged)
{
	if (realm < h->nrealms && rec < h->realms[realm].desc.nrecs) {
		h->realms[realm].plugged[rec] = plugged;
		host_event(h, plugged ? "plug" : "unplug", realm, -1, (int)rec);
	}
}
