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

enum host_config_fault host_config_check(const struct host_config *cfg, char *why, size_t len)
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
	return HOST_CONFIG_OK;
}

void host_ipa_bits_range(const struct host_config *cfg, unsigned *min, unsigned *max)
{
	struct cpu_config c = cfg->cpu;

	cpu_config_resolve(&c);
	*min = RMM_MIN_IPA_BITS;
	*max = rmm_max_ipa_bits(c.pa_bits);
}

int host_create(const struct host_config *cfg, struct trace *t, struct host **out)
{
	struct host *h = calloc(1, sizeof(*h));
	if (!h) {
		return -1;
	}
	h->cfg = *cfg;
	h->t = t;
	if (cpu_machine_create(&cfg->cpu, &h->m) != 0 ||
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
	h->stub = cpu_ram_base(h->m);
	h->next_free = h->stub + GRANULE_SIZE;
	h->limit = monitor_rmm_platform(h->mon)->private_base;
	if (host_ns_write(h, h->stub, stub_code, sizeof(stub_code)) != 0 ||
	    cpu_pe_enter_el(h->ns, 2, h->stub) != 0) {
		host_destroy(h);
		return -1;
	}
	*out = h;
	return 0;
}

void host_destroy(struct host *h)
{
	if (!h) {
		return;
	}
	for (unsigned i = 0; i < h->nrealms; i++) {
		free(h->realms[i].plugged);
		free(h->realms[i].recs);
	}
	if (h->t) {
		trace_set_realm_namer(h->t, NULL, NULL);
	}
	monitor_destroy(h->mon);
	gpt_destroy(h->g);
	cpu_machine_destroy(h->m);
	free(h);
}

struct cpu_machine *host_machine(struct host *h)
{
	return h->m;
}

uint64_t host_alloc_ns(struct host *h)
{
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

void host_event(struct host *h, const char *decision, unsigned realm, int rec, int target)
{
	struct trace_event *ev = trace_begin(h->t, "host");
	trace_name(ev, "decision", decision);
	if (rec >= 0) {
		trace_int(ev, "rec", rec);
	}
	if (target >= 0) {
		trace_int(ev, "target", target);
	}
	if (realm < h->nrealms && h->realms[realm].built) {
		trace_realm(h->t, ev, h->realms[realm].rd);
	}
	trace_end(h->t, ev);
}

int host_add_realm(struct host *h, const struct host_realm_desc *desc)
{
	if (h->nrealms == HOST_MAX_REALMS || desc->nrecs == 0 || desc->nrecs > HOST_MAX_RECS) {
		return -1;
	}
	struct host_realm *r = &h->realms[h->nrealms];
	memset(r, 0, sizeof(*r));
	r->desc = *desc;
	r->ipa_bits = desc->ipa_bits ? desc->ipa_bits : 33;
	r->plugged = calloc(desc->nrecs, sizeof(bool));
	r->recs = calloc(desc->nrecs, sizeof(struct host_rec));
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
	for (unsigned i = 0; i < h->nrealms; i++) {
		if (h->realms[i].built && h->realms[i].rd == rd) {
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
