/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Teardown, in the order the RMM's liveness rules require: data first (DATA_DESTROY), shared
 * mappings, RTTs from the leaves up, RECs, the realm, and finally every granule the host
 * delegated goes back to the Non-secure world.
 */
#include "host_private.h"

#include "abi/abi.h"

static enum host_result call_ok(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
				const char *what)
{
	uint64_t x0;
	enum host_result r = host_call(h, fid, a1, a2, a3, 0, 0, &x0);
	/* After an adversary's tampering some objects are gone already: carry on. */
	if (r == HOST_OK && x0 != RMI_SUCCESS && !h->chooser) {
		return host_fail(h, HOST_UNEXPECTED, "%s failed during teardown: X0 = 0x%llx", what,
				 (unsigned long long)x0);
	}
	return r;
}

static enum host_result undelegate(struct host *h, uint64_t pa)
{
	return pa ? call_ok(h, RMI_GRANULE_UNDELEGATE, pa, 0, 0, "RMI_GRANULE_UNDELEGATE")
		  : HOST_OK;
}

static enum host_result destroy_rtts(struct host *h, struct host_realm *r)
{
	enum host_result res;
	for (int level = 3; level >= 1; level--) {
		for (unsigned i = 0; i < r->nrtts; i++) {
			struct host_rtt *t = &r->rtts[i];
			if (t->level != level) {
				continue;
			}
			res = call_ok(h, RMI_RTT_DESTROY, r->rd, t->ipa, (uint64_t)level,
				      "RMI_RTT_DESTROY");
			if (res != HOST_OK || (res = undelegate(h, t->pa)) != HOST_OK) {
				return res;
			}
		}
	}
	return HOST_OK;
}

static enum host_result destroy_realm(struct host *h, struct host_realm *r)
{
	enum host_result res;
	for (unsigned i = 0; i < r->ndata; i++) {
		res = call_ok(h, RMI_DATA_DESTROY, r->rd, r->data_ipa[i], 0, "RMI_DATA_DESTROY");
		if (res != HOST_OK || (res = undelegate(h, r->data[i])) != HOST_OK) {
			return res;
		}
	}
	for (unsigned i = 0; i < r->nns_maps; i++) {
		res = call_ok(h, RMI_RTT_UNMAP_UNPROTECTED, r->rd, r->ns_map_ipa[i], 3,
			      "RMI_RTT_UNMAP_UNPROTECTED");
		if (res != HOST_OK) {
			return res;
		}
	}
	if ((res = destroy_rtts(h, r)) != HOST_OK) {
		return res;
	}
	for (unsigned i = 0; i < r->desc.nrecs; i++) {
		struct host_rec *rec = &r->recs[i];
		if (!rec->rec) {
			continue;
		}
		res = call_ok(h, RMI_REC_DESTROY, rec->rec, 0, 0, "RMI_REC_DESTROY");
		if (res != HOST_OK || (res = undelegate(h, rec->rec)) != HOST_OK) {
			return res;
		}
		for (unsigned a = 0; a < rec->naux; a++) {
			if ((res = undelegate(h, rec->aux[a])) != HOST_OK) {
				return res;
			}
		}
	}
	res = call_ok(h, RMI_REALM_DESTROY, r->rd, 0, 0, "RMI_REALM_DESTROY");
	if (res != HOST_OK || (res = undelegate(h, r->rtt_root)) != HOST_OK ||
	    (res = undelegate(h, r->rd)) != HOST_OK ||
	    (res = undelegate(h, r->spare_delegated)) != HOST_OK) {
		return res;
	}
	r->destroyed = true;
	return HOST_OK;
}

enum host_result host_teardown(struct host *h)
{
	host_console_flush_all(h);
	for (unsigned i = 0; i < h->nrealms; i++) {
		struct host_realm *r = &h->realms[i];
		if (r->built && !r->destroyed) {
			enum host_result res = destroy_realm(h, r);
			if (res != HOST_OK) {
				return res;
			}
		}
	}
	return HOST_OK;
}
