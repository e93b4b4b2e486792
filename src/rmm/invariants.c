/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Invariant checks of debug builds (CCA_CHECK_INVARIANTS; docs/architecture.md). After every
 * RMI command:
 *  - the RMM's granule states and the GPT agree on every granule the command touched: a
 *    granule whose state the RMM wrote, or that EL3 transitioned for it, is UNDELEGATED and
 *    NS, or in another state and Realm. A platform's Secure granules (machine.secure) are
 *    neither: EL3 transitions none of them, so the RMM must never record one;
 *  - a command that failed left memory and the GPT as they were: no byte it wrote differs
 *    from what was there before, and no GTSI call succeeded. The exceptions: RMI_REC_ENTER
 *    once the REC has run (the spec lets it fail writing `exit` after the REC ran
 *    [S:A4.3.3]), and the tf-rmm profile's divergences that do so on purpose, each named
 *    where it happens (rmm_invariants_failure_changes: TR1).
 * When the RMM is destroyed, every granule whose state was ever written is checked again.
 * The RMM sees memory only through its platform, so wrapping the platform's write and GTSI
 * functions sees everything a command does. A broken invariant is a bug: it is reported and
 * the process aborts (fuzzers and the sanitizer build stop on it), unless a test installed a
 * handler.
 */
#include "rmm_private.h"

#ifdef CCA_CHECK_INVARIANTS

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inv_write {
	uint64_t pa;
	size_t len;
	bool ns;
	uint8_t *old; /* what was there before the write */
};

struct rmm_invariants {
	struct rmm_platform plat; /* the platform's own functions and context */
	struct rmm *r;
	bool in_cmd, ran;
	const char *divergence; /* a failure that changes state on purpose (tf-rmm profile) */
	struct inv_write *w;
	size_t nw, wcap;
	uint64_t *gtsi; /* granules EL3 transitioned during the command */
	size_t ngtsi, gcap;
	uint64_t *states; /* every granule whose state any command wrote, for the final sweep */
	size_t nstates, scap;
};

static void default_handler(const char *msg)
{
	fprintf(stderr, "cca-sim: invariant broken: %s\n", msg);
	abort();
}

static void (*handler)(const char *msg) = default_handler;

void rmm_set_invariant_handler(void (*fn)(const char *msg))
{
	handler = fn ? fn : default_handler;
}

static void broken(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void broken(const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	handler(msg);
}

static void log_write(struct rmm_invariants *inv, uint64_t pa, size_t len, bool ns)
{
	if (!inv->in_cmd) {
		return;
	}
	uint8_t *old = malloc(len);
	if (!old || (ns ? inv->plat.ns_read : inv->plat.realm_read)(inv->plat.ctx, pa, old, len)) {
		free(old); /* the write will fail the same way: nothing to undo */
		return;
	}
	if (inv->nw == inv->wcap) {
		size_t cap = inv->wcap ? 2 * inv->wcap : 16;
		struct inv_write *w = realloc(inv->w, cap * sizeof(*w));
		if (!w) {
			free(old);
			return;
		}
		inv->w = w;
		inv->wcap = cap;
	}
	struct inv_write *w = &inv->w[inv->nw++];
	w->pa = pa;
	w->len = len;
	w->ns = ns;
	w->old = old;
}

static void append(uint64_t **a, size_t *n, size_t *cap, uint64_t v)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		uint64_t *b = realloc(*a, c * sizeof(*b));
		if (!b) {
			return;
		}
		*a = b;
		*cap = c;
	}
	(*a)[(*n)++] = v;
}

static void log_gtsi(struct rmm_invariants *inv, uint64_t pa)
{
	if (inv->in_cmd) {
		append(&inv->gtsi, &inv->ngtsi, &inv->gcap, pa);
	}
}

static int realm_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	struct rmm_invariants *inv = ctx;
	log_write(inv, pa, len, false);
	return inv->plat.realm_write(inv->plat.ctx, pa, buf, len);
}

static int ns_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	struct rmm_invariants *inv = ctx;
	log_write(inv, pa, len, true);
	return inv->plat.ns_write(inv->plat.ctx, pa, buf, len);
}

static int realm_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.realm_read(inv->plat.ctx, pa, buf, len);
}

static int ns_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.ns_read(inv->plat.ctx, pa, buf, len);
}

static bool pa_delegable(void *ctx, uint64_t pa)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.pa_delegable(inv->plat.ctx, pa);
}

static uint64_t gtsi_delegate(void *ctx, uint64_t pa)
{
	struct rmm_invariants *inv = ctx;
	uint64_t ret = inv->plat.gtsi_delegate(inv->plat.ctx, pa);
	if (ret == E_RMM_OK) {
		log_gtsi(inv, pa);
	}
	return ret;
}

static uint64_t gtsi_undelegate(void *ctx, uint64_t pa)
{
	struct rmm_invariants *inv = ctx;
	uint64_t ret = inv->plat.gtsi_undelegate(inv->plat.ctx, pa);
	if (ret == E_RMM_OK) {
		log_gtsi(inv, pa);
	}
	return ret;
}

static int run_rec(void *ctx, struct cpu_context *rec, uint64_t budget, struct cpu_trap *trap)
{
	struct rmm_invariants *inv = ctx;
	inv->ran = true;
	return inv->plat.run_rec(inv->plat.ctx, rec, budget, trap);
}

static int pas_of(void *ctx, uint64_t pa)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.pas_of ? inv->plat.pas_of(inv->plat.ctx, pa) : -1;
}

static uint64_t id_reg(void *ctx, unsigned index)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.id_reg(inv->plat.ctx, index);
}

static int attest_realm_key(void *ctx, uint64_t vmid, uint8_t d[48])
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.attest_realm_key(inv->plat.ctx, vmid, d);
}

static int attest_platform_token(void *ctx, const uint8_t *hash, size_t hash_len, uint8_t *out,
				 size_t cap, size_t *len)
{
	struct rmm_invariants *inv = ctx;
	return inv->plat.attest_platform_token(inv->plat.ctx, hash, hash_len, out, cap, len);
}

int rmm_invariants_attach(struct rmm *r)
{
	struct rmm_invariants *inv = calloc(1, sizeof(*inv));
	if (!inv) {
		return -1;
	}
	inv->plat = r->plat;
	inv->r = r;
	r->inv = inv;
	r->plat.ctx = inv;
	r->plat.realm_read = realm_read;
	r->plat.realm_write = realm_write;
	r->plat.ns_read = ns_read;
	r->plat.ns_write = ns_write;
	r->plat.pa_delegable = pa_delegable;
	r->plat.gtsi_delegate = gtsi_delegate;
	r->plat.gtsi_undelegate = gtsi_undelegate;
	r->plat.run_rec = run_rec;
	r->plat.pas_of = inv->plat.pas_of ? pas_of : NULL;
	r->plat.id_reg = inv->plat.id_reg ? id_reg : NULL;
	r->plat.attest_realm_key = inv->plat.attest_realm_key ? attest_realm_key : NULL;
	r->plat.attest_platform_token =
	    inv->plat.attest_platform_token ? attest_platform_token : NULL;
	return 0;
}

static void forget(struct rmm_invariants *inv)
{
	for (size_t i = 0; i < inv->nw; i++) {
		free(inv->w[i].old);
	}
	inv->nw = inv->ngtsi = 0;
	inv->ran = inv->in_cmd = false;
	inv->divergence = NULL;
}

void rmm_invariants_detach(struct rmm *r)
{
	struct rmm_invariants *inv = r->inv;
	if (!inv) {
		return;
	}
	rmm_invariants_check_all(r);
	forget(inv);
	free(inv->w);
	free(inv->gtsi);
	free(inv->states);
	free(inv);
	r->inv = NULL;
}

void rmm_invariants_begin(struct rmm *r)
{
	if (!r->inv) {
		return;
	}
	forget(r->inv);
	r->inv->in_cmd = true;
}

/* Whether the granule state and the GPT agree on granule `pa` (when the platform can tell):
 * UNDELEGATED and NS, or delegated (any other state) and Realm. Reports it when they do not. */
static bool check_agree(struct rmm *r, const char *cmd, uint64_t pa)
{
	static const char *const pas_names[] = {"NS", "Realm", "neither NS nor Realm"};
	int pas = pas_of(r->inv, pa);
	enum granule_state s = gst_get(r, pa);
	if (pas < 0 || pas == (s == GRANULE_UNDELEGATED ? 0 : 1)) {
		return true;
	}
	broken("after %s, granule 0x%llx is %s to the RMM (state %d) but %s in the GPT", cmd,
	       (unsigned long long)pa, s == GRANULE_UNDELEGATED ? "undelegated" : "delegated",
	       (int)s, pas_names[pas > 2 ? 2 : pas]);
	return false;
}

void rmm_invariants_end(struct rmm *r, const char *cmd, unsigned status)
{
	struct rmm_invariants *inv = r->inv;
	if (!inv) {
		return;
	}
	inv->in_cmd = false;
	bool ok = true; /* one report per command */
	for (size_t i = 0; ok && i < inv->ngtsi; i++) {
		ok = check_agree(r, cmd, inv->gtsi[i]);
	}
	uint64_t table_end = r->gst_base + 8 * r->gst_slots;
	for (size_t i = 0; ok && i < inv->nw; i++) {
		const struct inv_write *w = &inv->w[i];
		for (uint64_t at = w->pa & ~7ULL; ok && !w->ns && at < w->pa + w->len; at += 8) {
			uint64_t slot = 0;
			if (at < r->gst_base || at >= table_end ||
			    inv->plat.realm_read(inv->plat.ctx, at, &slot, 8) != 0 || slot == 0) {
				continue;
			}
			ok = check_agree(r, cmd, slot & ~GRANULE_MASK);
			append(&inv->states, &inv->nstates, &inv->scap, slot & ~GRANULE_MASK);
		}
	}
	if (!ok) {
		forget(inv);
		return;
	}
	if (status == RMI_SUCCESS || inv->ran || inv->divergence) {
		forget(inv);
		return;
	}
	if (inv->ngtsi) {
		broken("%s failed (status %u) but EL3 transitioned granule 0x%llx for it", cmd,
		       status, (unsigned long long)inv->gtsi[0]);
		forget(inv);
		return;
	}
	for (size_t i = 0; ok && i < inv->nw; i++) {
		const struct inv_write *w = &inv->w[i];
		uint8_t *now = malloc(w->len);
		if (now &&
		    (w->ns ? inv->plat.ns_read : inv->plat.realm_read)(inv->plat.ctx, w->pa, now,
								       w->len) == 0 &&
		    memcmp(now, w->old, w->len) != 0) {
			broken("%s failed (status %u) but changed %zu bytes of %s memory at 0x%llx",
			       cmd, status, w->len, w->ns ? "NS" : "Realm",
			       (unsigned long long)w->pa);
			ok = false;
		}
		free(now);
	}
	forget(inv);
}

void rmm_invariants_failure_changes(struct rmm *r, const char *tr)
{
	if (r->inv) {
		r->inv->divergence = tr;
	}
}

void rmm_invariants_check_all(struct rmm *r)
{
	bool ok = true;
	for (size_t i = 0; ok && r->inv && i < r->inv->nstates; i++) {
		ok = check_agree(r, "the last command", r->inv->states[i]);
	}
}

#else

void rmm_set_invariant_handler(void (*fn)(const char *msg))
{
	(void)fn;
}

#endif
