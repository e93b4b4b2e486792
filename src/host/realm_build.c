/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building a realm the way a VMM does (Linux KVM's realm creation order): delegate granules,
 * RMI_REALM_CREATE with an RTT root, RMI_RTT_CREATE down to level 3 where the image lives,
 * RMI_DATA_CREATE for each image granule (measured), RMI_REC_CREATE for each vCPU in MPIDR
 * order, RMI_REALM_ACTIVATE. Every step is an RMI call executed by the stub.
 */
#include "host_private.h"

#include "abi/abi.h"

#include <string.h>

static const uint8_t zero_granule[GRANULE_SIZE];

enum host_result host_alloc_delegated(struct host *h, uint64_t *pa)
{
	uint64_t x0;
	*pa = host_alloc_ns(h);
	if (!*pa) {
		return host_fail(h, HOST_ERROR, "out of host memory");
	}
	enum host_result r = host_call(h, RMI_GRANULE_DELEGATE, *pa, 0, 0, 0, 0, &x0);
	if (r == HOST_OK && x0 != RMI_SUCCESS) {
		return host_fail(h, HOST_UNEXPECTED, "RMI_GRANULE_DELEGATE(0x%llx) failed: 0x%llx",
				 (unsigned long long)*pa, (unsigned long long)x0);
	}
	return r;
}

static enum host_result check(struct host *h, enum host_result r, uint64_t x0, const char *what)
{
	if (r == HOST_OK && x0 != RMI_SUCCESS) {
		return host_fail(h, HOST_UNEXPECTED, "%s failed: X0 = 0x%llx", what,
				 (unsigned long long)x0);
	}
	return r;
}

/* Entry size of an RTT entry at `level` (4 KB granules). */
static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)(3 - level);
}

static int start_level(const struct host_realm *r)
{
	return r->ipa_bits <= 39 ? 1 : 0;
}

static bool have_rtt(const struct host_realm *r, uint64_t ipa, int level)
{
	for (unsigned i = 0; i < r->nrtts; i++) {
		if (r->rtts[i].level == level && r->rtts[i].ipa == ipa) {
			return true;
		}
	}
	return false;
}

/* Creates the missing RTTs from the starting level down to level 3 for `ipa`. */

enum host_result host_ensure_rtts(struct host *h, struct host_realm *r, uint64_t ipa)
{
	for (int level = start_level(r) + 1; level <= 3; level++) {
		uint64_t base = ipa & ~((1ULL << level_shift(level - 1)) - 1);
		if (have_rtt(r, base, level)) {
			continue;
		}
		if (r->nrtts == HOST_MAX_RTTS) {
			return host_fail(h, HOST_ERROR, "too many RTTs");
		}
		uint64_t rtt, x0;
		enum host_result res = host_alloc_delegated(h, &r->rtts[r->nrtts].pa);
		if (res != HOST_OK) {
			return res;
		}
		rtt = r->rtts[r->nrtts].pa;
		res = host_call(h, RMI_RTT_CREATE, r->rd, rtt, base, (uint64_t)level, 0, &x0);
		if ((res = check(h, res, x0, "RMI_RTT_CREATE")) != HOST_OK) {
			return res;
		}
		r->rtts[r->nrtts++] = (struct host_rtt){.pa = rtt, .ipa = base, .level = level};
	}
	return HOST_OK;
}

static enum host_result create_realm(struct host *h, struct host_realm *r, unsigned idx)
{
	uint64_t params = r->realm_params = host_alloc_ns(h), x0;
	enum host_result res;

	if ((res = host_alloc_delegated(h, &r->rd)) != HOST_OK ||
	    (res = host_alloc_delegated(h, &r->rtt_root)) != HOST_OK) {
		return res;
	}
	uint64_t s2sz = r->ipa_bits, vmid = host_realm_vmid(idx), level = (uint64_t)start_level(r),
		 num = 1;
	/* Breakpoint and watchpoint counts are encoded minus one, and 0 is reserved: ask for
	 * two of each, the architectural minimum. */
	uint64_t bps = 1, wps = 1;
	if (!params || host_ns_write(h, params, zero_granule, GRANULE_SIZE) ||
	    host_ns_write(h, params + REALM_PARAMS_S2SZ, &s2sz, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_NUM_BPS, &bps, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_NUM_WPS, &wps, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_VMID, &vmid, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_RTT_BASE, &r->rtt_root, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_RTT_LEVEL_START, &level, 8) ||
	    host_ns_write(h, params + REALM_PARAMS_RTT_NUM_START, &num, 8)) {
		return host_fail(h, HOST_ERROR, "cannot write realm parameters");
	}
	res = host_call(h, RMI_REALM_CREATE, r->rd, params, 0, 0, 0, &x0);
	if ((res = check(h, res, x0, "RMI_REALM_CREATE")) != HOST_OK) {
		return res;
	}
	r->built = true;
	return HOST_OK;
}

static enum host_result load_region(struct host *h, struct host_realm *r,
				    const struct host_image_region *reg, uint64_t src)
{
	uint64_t x0;
	enum host_result res;

	for (uint64_t off = 0; off < reg->size; off += GRANULE_SIZE) {
		uint64_t ipa = reg->ipa + off, data;
		if (r->ndata == HOST_MAX_DATA) {
			return host_fail(h, HOST_ERROR, "realm image too large");
		}
		if ((res = host_ensure_rtts(h, r, ipa)) != HOST_OK ||
		    (res = host_alloc_delegated(h, &r->data[r->ndata])) != HOST_OK) {
			return res;
		}
		data = r->data[r->ndata];
		if (host_ns_write(h, src, reg->bytes + off, GRANULE_SIZE) != 0) {
			return host_fail(h, HOST_ERROR, "cannot stage the realm image");
		}
		res =
		    host_call(h, RMI_DATA_CREATE, r->rd, data, ipa, src, RMI_MEASURE_CONTENT, &x0);
		if ((res = check(h, res, x0, "RMI_DATA_CREATE")) != HOST_OK) {
			return res;
		}
		r->data_ipa[r->ndata++] = ipa;
	}
	return HOST_OK;
}

static enum host_result load_image(struct host *h, struct host_realm *r)
{
	uint64_t src = r->data_src = host_alloc_ns(h);

	if (!src) {
		return host_fail(h, HOST_ERROR, "out of host memory");
	}
	for (unsigned g = 0; g < r->desc.nregions; g++) {
		enum host_result res = load_region(h, r, &r->desc.regions[g], src);
		if (res != HOST_OK) {
			return res;
		}
	}
	return HOST_OK;
}

static enum host_result create_rec(struct host *h, struct host_realm *r, unsigned i,
				   uint64_t params, unsigned naux)
{
	struct host_rec *rec = &r->recs[i];
	uint64_t x0, flags = r->desc.recs[i].runnable ? REC_PARAMS_FLAG_RUNNABLE : 0;
	uint64_t mpidr = rec_index_to_mpidr(i), n = naux;
	enum host_result res;

	if ((res = host_alloc_delegated(h, &rec->rec)) != HOST_OK) {
		return res;
	}
	for (unsigned a = 0; a < naux; a++) {
		if ((res = host_alloc_delegated(h, &rec->aux[a])) != HOST_OK) {
			return res;
		}
	}
	rec->naux = naux;
	rec->run = host_alloc_ns(h);
	if (!rec->run || host_ns_write(h, params, zero_granule, GRANULE_SIZE) ||
	    host_ns_write(h, params + REC_PARAMS_FLAGS, &flags, 8) ||
	    host_ns_write(h, params + REC_PARAMS_MPIDR, &mpidr, 8) ||
	    host_ns_write(h, params + REC_PARAMS_PC, &r->desc.recs[i].pc, 8) ||
	    host_ns_write(h, params + REC_PARAMS_NUM_AUX, &n, 8) ||
	    host_ns_write(h, params + REC_PARAMS_AUX, rec->aux, (size_t)8 * naux)) {
		return host_fail(h, HOST_ERROR, "cannot write REC parameters");
	}
	res = host_call(h, RMI_REC_CREATE, r->rd, rec->rec, params, 0, 0, &x0);
	if ((res = check(h, res, x0, "RMI_REC_CREATE")) != HOST_OK) {
		return res;
	}
	rec->believed_runnable = r->desc.recs[i].runnable;
	return HOST_OK;
}

enum host_result host_setup(struct host *h, unsigned realm, bool activate)
{
	if (realm >= h->nrealms) {
		return host_fail(h, HOST_ERROR, "no realm %u", realm);
	}
	struct host_realm *r = &h->realms[realm];
	uint64_t regs[MONITOR_SMC_REGS], x0, params;
	enum host_result res;

	if (r->built) {
		return HOST_OK;
	}
	if ((res = create_realm(h, r, realm)) != HOST_OK || (res = load_image(h, r)) != HOST_OK) {
		return res;
	}
	memset(regs, 0, sizeof(regs));
	regs[0] = RMI_REC_AUX_COUNT;
	regs[1] = r->rd;
	if ((res = host_rmi(h, regs)) != HOST_OK ||
	    (res = check(h, res, regs[0], "RMI_REC_AUX_COUNT")) != HOST_OK) {
		return res;
	}
	if (regs[1] > 16 || !(params = r->rec_params = host_alloc_ns(h))) {
		return host_fail(h, HOST_ERROR, "cannot create RECs (aux count %llu)",
				 (unsigned long long)regs[1]);
	}
	for (unsigned i = 0; i < r->desc.nrecs; i++) {
		if ((res = create_rec(h, r, i, params, (unsigned)regs[1])) != HOST_OK) {
			return res;
		}
	}
	/* Scenario symbols: a spare delegated granule and a never-delegated NS one. */
	if ((res = host_alloc_delegated(h, &r->spare_delegated)) != HOST_OK) {
		return res;
	}
	r->never_delegated = host_alloc_ns(h);
	if (!activate) {
		return HOST_OK;
	}
	res = host_call(h, RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, &x0);
	return check(h, res, x0, "RMI_REALM_ACTIVATE");
}
