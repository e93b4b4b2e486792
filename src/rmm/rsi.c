/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RSI commands from a realm [S:B5.3]. All are answered by the RMM except
 * RSI_HOST_CALL and RSI_IPA_STATE_SET, which exit to the host.
 */
#include "attest/attest.h"
#include "measurement.h"
#include "rec.h"
#include "s2tt.h"

#include <string.h>

#define HOST_CALL_ALIGN 256ULL
#define REM_FIRST       1U
#define REM_LAST        4U
#define RSI_MAX_ARGS    10U

/*
 * One RSI command: the handler sets the result in X0 and the output values in X1.. (or, for
 * a call that exits to the host, fills `exit`), and names a failure condition in *cond.
 */
typedef enum smc_outcome (*rsi_handler_fn)(struct rmm *r, struct rec *rec, struct rec_exit *exit,
					   enum cond_id *cond);

struct rsi_cmd {
	struct rmm_command desc;
	rsi_handler_fn handler;
	enum cond_table conds;
};

/* A failure condition of the command [S:B5.3]: the dispatcher gives the realm its result
 * from the command's condition table. */
static enum smc_outcome rsi_fail(enum cond_id *cond, enum cond_id id)
{
	*cond = id;
	return SMC_RESUME;
}

static enum smc_outcome rsi_result(struct rec *rec, uint64_t result)
{
	rec->ctx.x[0] = result;
	return SMC_RESUME;
}

/*
 * The realm's buffer IPA is not backed by a DATA granule: report a stage-2 data abort at it
 * (as if the RMM's access had faulted) and retry the SMC once the host has mapped it.
 */
static enum smc_outcome rsi_buffer_fault(struct rec *rec, uint64_t ipa, struct rec_exit *exit)
{
	rec->ctx.pc -= 4;
	exit->reason = RMI_EXIT_SYNC;
	exit->esr = ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_TRANS(3);
	exit->hpfar = (ipa >> GRANULE_SHIFT) << 4;
	return SMC_EXIT;
}

static enum smc_outcome rsi_version(struct rmm *r, struct rec *rec, struct rec_exit *exit,
				    enum cond_id *cond)
{
	uint64_t impl = spec_interface_version(r), req = rec->ctx.x[1];
	bool ok =
	    (req >> 31) == 0 && (req >> 16) == (impl >> 16) && (req & 0xffff) <= (impl & 0xffff);
	rec->ctx.x[1] = impl;
	rec->ctx.x[2] = impl;
	return ok ? rsi_result(rec, RSI_SUCCESS) : rsi_fail(cond, COND_version);
}

static enum smc_outcome rsi_features(struct rmm *r, struct rec *rec, struct rec_exit *exit,
				     enum cond_id *cond)
{
	rec->ctx.x[1] = 0; /* no RSI feature register bit is defined in 1.0 */
	return rsi_result(rec, RSI_SUCCESS);
}

/* The conditions of a granule-sized buffer in Protected IPA space (RSI_PROTECTED_BUFFER in
 * conditions.h), in the spec's order; COND_NONE when none holds. */
static enum cond_id protected_buffer_fails(const struct rd *rd, uint64_t addr)
{
	if (!GRANULE_ALIGNED(addr)) {
		return COND_addr_align;
	}
	return ipa_is_protected(rd, addr) ? COND_NONE : COND_addr_bound;
}

/*
 * The PA of a realm's buffer at Protected IPA `addr`, or false with what the realm gets
 * instead in *out. Not a spec failure condition: a buffer the realm never gave RIPAS RAM
 * cannot be made to appear by the host, so TF-RMM answers ERROR_INPUT rather than exit for a
 * fault the host could not resolve; RAM not mapped is a fault the host resolves.
 */
static bool buffer_pa(struct rmm *r, const struct rd *rd, struct rec *rec, uint64_t addr,
		      struct rec_exit *exit, uint64_t *pa, enum smc_outcome *out)
{
	unsigned ripas;

	if (rtt_ipa_to_pa(r, rd, addr, pa, &ripas)) {
		return true;
	}
	*out = ripas == RIPAS_EMPTY ? rsi_result(rec, RSI_ERROR_INPUT)
				    : rsi_buffer_fault(rec, addr, exit);
	return false;
}

static enum smc_outcome rsi_realm_config(struct rmm *r, struct rec *rec, struct rec_exit *exit,
					 enum cond_id *cond)
{
	uint64_t addr = rec->ctx.x[1], pa;
	struct rd rd;
	enum smc_outcome out;

	rd_load(r, rec->owner, &rd);
	enum cond_id c = protected_buffer_fails(&rd, addr);
	if (c != COND_NONE) {
		return rsi_fail(cond, c);
	}
	if (!buffer_pa(r, &rd, rec, addr, exit, &pa, &out)) {
		return out;
	}
	uint8_t cfg[GRANULE_SIZE] = {0};
	memcpy(cfg + REALM_CONFIG_IPA_WIDTH, &rd.ipa_width, 8);
	memcpy(cfg + REALM_CONFIG_HASH_ALGO, &rd.hash_algo, 1);
	memcpy(cfg + REALM_CONFIG_RPV, rd.rpv, sizeof(rd.rpv));
	rmm_write(r, pa, cfg, sizeof(cfg));
	return rsi_result(rec, RSI_SUCCESS);
}

/* The failure conditions IPA_STATE_GET and _SET share, in the order the spec lists them
 * (B5.3.5.2, B5.3.6.2); COND_NONE when none holds. The two commands name the misaligned-top
 * condition differently: `end_align` (GET) and `top_align` (SET). */
static enum cond_id ipa_range_fails(const struct rd *rd, uint64_t base, uint64_t top,
				    enum cond_id top_align)
{
	if (!GRANULE_ALIGNED(base)) {
		return COND_base_align;
	}
	if (!GRANULE_ALIGNED(top)) {
		return top_align;
	}
	if (top <= base) {
		return COND_size_valid;
	}
	if (!addr_range_is_protected(rd, base, top)) {
		return COND_rgn_bound;
	}
	return COND_NONE;
}

static enum smc_outcome rsi_ipa_state_get(struct rmm *r, struct rec *rec, struct rec_exit *exit,
					  enum cond_id *cond)
{
	uint64_t base = rec->ctx.x[1], top = rec->ctx.x[2], ipa = base;
	struct rd rd;
	struct rtt_walk w;
	unsigned ripas = RIPAS_EMPTY;

	rd_load(r, rec->owner, &rd);
	enum cond_id fails = ipa_range_fails(&rd, base, top, COND_end_align);
	if (fails != COND_NONE) {
		return rsi_fail(cond, fails);
	}
	while (ipa < top) {
		rtt_walk(r, &rd, ipa, RTT_PAGE_LEVEL, &w);
		unsigned here = s2tte_ripas(w.entry, w.level);
		if (ipa == base) {
			ripas = here;
		} else if (here != ripas) {
			break;
		}
		ipa = (ipa & ~(rtt_level_size(w.level) - 1)) + rtt_level_size(w.level);
	}
	rec->ctx.x[1] = ipa < top ? ipa : top;
	rec->ctx.x[2] = ripas;
	return rsi_result(rec, RSI_SUCCESS);
}

/* Exits to the host (RIPAS_CHANGE); the realm gets its result, and the "rsi" event is
 * reported, on the next entry (rec_apply_entry). */
static enum smc_outcome rsi_ipa_state_set(struct rmm *r, struct rec *rec, struct rec_exit *exit,
					  enum cond_id *cond)
{
	uint64_t base = rec->ctx.x[1], top = rec->ctx.x[2], ripas = rec->ctx.x[3];
	uint64_t flags = rec->ctx.x[4];
	struct rd rd;

	rd_load(r, rec->owner, &rd);
	enum cond_id fails = ipa_range_fails(&rd, base, top, COND_top_align);
	if (fails != COND_NONE) {
		return rsi_fail(cond, fails);
	}
	if (ripas != RIPAS_EMPTY && ripas != RIPAS_RAM) {
		return rsi_fail(cond, COND_ripas_valid);
	}
	memcpy(rec->ripas_call_args, &rec->ctx.x[1], sizeof(rec->ripas_call_args));
	rec->ripas_addr = base;
	rec->ripas_top = top;
	rec->ripas_value = (uint8_t)ripas;
	rec->ripas_destroyed = (uint8_t)(flags & 1);
	rec->ripas_pending = 1;
	exit->reason = RMI_EXIT_RIPAS_CHANGE;
	exit->ripas_base = base;
	exit->ripas_top = top;
	exit->ripas_value = ripas;
	return SMC_EXIT;
}

/* Exits to the host (HOST_CALL); result and event on the next entry, as for _SET. */
static enum smc_outcome rsi_host_call(struct rmm *r, struct rec *rec, struct rec_exit *exit,
				      enum cond_id *cond)
{
	uint64_t addr = rec->ctx.x[1], pa;
	unsigned ripas;
	struct rd rd;
	uint8_t buf[HOST_CALL_SIZE];

	rd_load(r, rec->owner, &rd);
	if (addr & (HOST_CALL_ALIGN - 1)) {
		return rsi_fail(cond, COND_addr_align);
	}
	if (!ipa_is_protected(&rd, addr)) {
		return rsi_fail(cond, COND_addr_bound);
	}
	if (!rtt_ipa_to_pa(r, &rd, addr, &pa, &ripas)) {
		return rsi_buffer_fault(rec, addr, exit);
	}
	rmm_read(r, pa, buf, sizeof(buf));
	uint16_t imm;
	memcpy(&imm, buf + HOST_CALL_IMM, sizeof(imm));
	exit->reason = RMI_EXIT_HOST_CALL;
	exit->imm = imm;
	memcpy(exit->gprs, buf + HOST_CALL_GPRS, sizeof(exit->gprs));
	rec->host_call_pending = 1;
	rec->host_call_ipa = addr;
	return SMC_EXIT;
}

static enum smc_outcome rsi_measurement_read(struct rmm *r, struct rec *rec, struct rec_exit *exit,
					     enum cond_id *cond)
{
	uint64_t index = rec->ctx.x[1];
	struct rd rd;

	if (index > REM_LAST) {
		return rsi_fail(cond, COND_index_bound);
	}
	rd_load(r, rec->owner, &rd);
	memcpy(&rec->ctx.x[1], rd.measurements[index], MEASUREMENT_MAX_SIZE);
	return rsi_result(rec, RSI_SUCCESS);
}

static enum smc_outcome rsi_measurement_extend(struct rmm *r, struct rec *rec,
					       struct rec_exit *exit, enum cond_id *cond)
{
	uint64_t index = rec->ctx.x[1], size = rec->ctx.x[2];
	uint8_t value[MEASUREMENT_MAX_SIZE];
	struct rd rd;

	if (index < REM_FIRST || index > REM_LAST) {
		return rsi_fail(cond, COND_index_bound);
	}
	if (size > MEASUREMENT_MAX_SIZE) {
		return rsi_fail(cond, COND_size_bound);
	}
	memcpy(value, &rec->ctx.x[3], sizeof(value));
	rd_load(r, rec->owner, &rd);
	rem_extend(&rd, (unsigned)index, value, (size_t)size);
	rd_store(r, rec->owner, &rd);
	return rsi_result(rec, RSI_SUCCESS);
}

/*
 * RSI_ATTESTATION_TOKEN_INIT [S:B5.3.2]: no failure conditions. The REC keeps the challenge
 * and starts a token from its first byte (INIT again restarts it); X1 is an upper bound of the
 * token's size.
 */
static enum smc_outcome rsi_attestation_token_init(struct rmm *r, struct rec *rec,
						   struct rec_exit *exit, enum cond_id *cond)
{
	(void)r;
	(void)exit;
	(void)cond;
	memcpy(rec->attest_challenge, &rec->ctx.x[1], sizeof(rec->attest_challenge));
	rec->attest_in_progress = 1;
	rec->attest_copied = 0;
	rec->ctx.x[1] = ATTEST_TOKEN_MAX_SIZE;
	return rsi_result(rec, RSI_SUCCESS);
}

/*
 * The REC's token [S:A7.2.3]: the Realm claims from its RD and REC, signed with the realm's
 * RAK, and the platform token EL3 signs for the RAK's hash. Made again for each CONTINUE: the
 * same inputs give the same bytes. False when the platform cannot attest.
 */
static bool realm_token(struct rmm *r, const struct rec *rec, uint8_t *out, size_t cap, size_t *len)
{
	struct attest_realm_claims c;
	struct attest_key rak;
	uint8_t d[ATTEST_PRIVKEY_SIZE], hash[ATTEST_HASH_MAX], plat[ATTEST_TOKEN_MAX_SIZE];
	size_t hash_len = 0, plat_len = 0;
	struct rd rd;

	if (!r->plat.attest_realm_key || !r->plat.attest_platform_token) {
		return false;
	}
	rd_load(r, rec->owner, &rd);
	memset(&c, 0, sizeof(c));
	memcpy(c.challenge, rec->attest_challenge, sizeof(c.challenge));
	memcpy(c.rpv, rd.rpv, sizeof(c.rpv));
	c.hash_algo = rd.hash_algo == RMI_HASH_SHA_512 ? ATTEST_HASH_SHA512 : ATTEST_HASH_SHA256;
	memcpy(c.rim, rd.measurements[0], sizeof(c.rim));
	for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
		memcpy(c.rem[i], rd.measurements[REM_FIRST + i], sizeof(c.rem[i]));
	}
	c.pubkey_hash_algo = ATTEST_HASH_SHA256;
	bool ok = r->plat.attest_realm_key(r->plat.ctx, rd.vmid, d) == 0 &&
		  attest_key_from_private(d, &rak) == ATTEST_OK &&
		  attest_rak_hash(&rak.pub, c.pubkey_hash_algo, hash, &hash_len) == ATTEST_OK &&
		  r->plat.attest_platform_token(r->plat.ctx, hash, hash_len, plat, sizeof(plat),
						&plat_len) == 0 &&
		  attest_token_assemble(plat, plat_len, &c, &rak, out, cap, len) == ATTEST_OK;
	memset(d, 0, sizeof(d));
	memset(&rak, 0, sizeof(rak));
	return ok;
}

/*
 * RSI_ATTESTATION_TOKEN_CONTINUE [S:B5.3.1]: the next part of the token, at most `size` bytes,
 * into the realm's granule at addr + offset. RSI_INCOMPLETE until the last byte is copied;
 * then RSI_SUCCESS and the REC is no longer attesting. X1: the bytes copied.
 */
static enum smc_outcome rsi_attestation_token_continue(struct rmm *r, struct rec *rec,
						       struct rec_exit *exit, enum cond_id *cond)
{
	uint64_t addr = rec->ctx.x[1], offset = rec->ctx.x[2], size = rec->ctx.x[3], pa;
	uint8_t token[ATTEST_TOKEN_MAX_SIZE];
	size_t len = 0;
	struct rd rd;
	enum smc_outcome out;

	rd_load(r, rec->owner, &rd);
	enum cond_id c = protected_buffer_fails(&rd, addr);
	if (c != COND_NONE) {
		return rsi_fail(cond, c);
	}
	if (offset >= GRANULE_SIZE) {
		return rsi_fail(cond, COND_offset_bound);
	}
	if (offset + size < offset) {
		return rsi_fail(cond, COND_size_overflow);
	}
	if (offset + size > GRANULE_SIZE) {
		return rsi_fail(cond, COND_size_bound);
	}
	if (!rec->attest_in_progress) {
		return rsi_fail(cond, COND_state);
	}
	if (!realm_token(r, rec, token, sizeof(token), &len) || rec->attest_copied > len) {
		return rsi_fail(cond, COND_unknown);
	}
	if (!buffer_pa(r, &rd, rec, addr, exit, &pa, &out)) {
		return out;
	}
	uint64_t n = len - rec->attest_copied;
	if (n > size) {
		n = size;
	}
	rmm_write(r, pa + offset, token + rec->attest_copied, (size_t)n);
	rec->attest_copied += n;
	rec->ctx.x[1] = n;
	if (rec->attest_copied < len) {
		return rsi_result(rec, RSI_INCOMPLETE);
	}
	rec->attest_in_progress = 0;
	rec->attest_copied = 0;
	if (r->t || r->cfg.on_token) {
		memcpy(r->handed_token, token, len);
		r->handed_token_len = len;
	}
	return rsi_result(rec, RSI_SUCCESS);
}

/* A digest claim as the `token` event shows it: lower-case hex, no prefix (bytes, not a
 * number). */
static void trace_digest(struct trace_event *ev, const char *key, const uint8_t *d, size_t n)
{
	char hex[2 * ATTEST_HASH_MAX + 1];
	for (size_t i = 0; i < n && i < ATTEST_HASH_MAX; i++) {
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	}
	hex[2 * (n < ATTEST_HASH_MAX ? n : ATTEST_HASH_MAX)] = '\0';
	trace_str(ev, key, hex);
}

/*
 * The whole token is the realm's: a `token` event with its claims, decoded from the bytes
 * handed over (docs/attestation.md), after the call's `rsi` event; then the tools' callback.
 */
static void token_handed_over(struct rmm *r, const struct rec *rec, const uint8_t *token,
			      size_t len)
{
	struct attest_token tok;
	struct attest_verdict verdict;
	struct trace_event *ev = trace_begin(r->t, TE_token);
	if (ev) {
		trace_int(ev, "rec", (int64_t)rec->index);
		trace_int(ev, "size", (int64_t)len);
	}
	if (ev && attest_token_decode(token, len, &tok, &verdict) == ATTEST_OK) {
		const struct attest_realm_claims *c = &tok.realm;
		size_t n = attest_hash_size(c->hash_algo);
		uint64_t challenge[ATTEST_CHALLENGE_SIZE / 8];
		uint8_t rak_hash[ATTEST_HASH_MAX];
		size_t rak_hash_len = 0;
		static const char *const rem_keys[ATTEST_REM_COUNT] = {"rem0", "rem1", "rem2",
								       "rem3"};
		memcpy(challenge, c->challenge, sizeof(challenge));
		trace_hexlist(ev, "challenge", challenge, ATTEST_CHALLENGE_SIZE / 8);
		trace_name(ev, "hash_algo", attest_hash_name(c->hash_algo));
		trace_digest(ev, "rim", c->rim, n);
		for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
			trace_digest(ev, rem_keys[i], c->rem[i], n);
		}
		trace_digest(ev, "rpv", c->rpv, ATTEST_RPV_SIZE);
		if (attest_rak_hash(&c->pubkey, c->pubkey_hash_algo, rak_hash, &rak_hash_len) ==
		    ATTEST_OK) {
			trace_digest(ev, "rak_hash", rak_hash, rak_hash_len);
		}
	} else if (ev) {
		/* The RMM made it, so this is a bug: say so rather than hide the token. */
		trace_str(ev, "error", verdict.message);
	}
	if (ev) {
		trace_realm(r->t, ev, rec->owner);
		trace_end(r->t, ev);
	}
	if (r->cfg.on_token) {
		r->cfg.on_token(r->cfg.on_token_ctx, rec->owner, rec->index, token, len);
	}
}

/* The RSI commands this RMM implements, with the spec's inputs and output values [S:B5.3]. */
static const struct rsi_cmd rsi_cmds[] = {
    CMD(RSI_ATTESTATION_TOKEN_CONTINUE, 3, rsi_attestation_token_continue, BITS("len")),
    CMD(RSI_ATTESTATION_TOKEN_INIT, 8, rsi_attestation_token_init, BITS("size")),
    CMD(RSI_VERSION, 1, rsi_version, BITS_ALWAYS("lower"), BITS_ALWAYS("higher")),
    CMD(RSI_FEATURES, 1, rsi_features, BITS("value")),
    CMD(RSI_MEASUREMENT_READ, 1, rsi_measurement_read, BITS("value_0"), BITS("value_1"),
	BITS("value_2"), BITS("value_3"), BITS("value_4"), BITS("value_5"), BITS("value_6"),
	BITS("value_7")),
    CMD0(RSI_MEASUREMENT_EXTEND, 10, rsi_measurement_extend),
    CMD0(RSI_REALM_CONFIG, 1, rsi_realm_config),
    CMD(RSI_IPA_STATE_SET, 4, rsi_ipa_state_set, ADDR("new_base"),
	ENUM("response", ABI_RSI_RESPONSE, 1)),
    CMD(RSI_IPA_STATE_GET, 2, rsi_ipa_state_get, ADDR("out_top"), ENUM("ripas", ABI_RIPAS, 8)),
    CMD0(RSI_HOST_CALL, 1, rsi_host_call),
};

#define RSI_NCMDS (sizeof(rsi_cmds) / sizeof(rsi_cmds[0]))

const struct rmm_command *rmm_rsi_command_at(size_t i)
{
	return i < RSI_NCMDS ? &rsi_cmds[i].desc : NULL;
}

const struct rmm_command *rmm_rsi_command(uint64_t fid)
{
	return rmm_command_find(rmm_rsi_command_at, fid);
}

void trace_rsi_result(struct rmm *r, const struct rec *rec, const struct rmm_command *c,
		      const uint64_t *args, const char *cond)
{
	struct realm_call call = {.fid = c->fid,
				  .args = args,
				  .nargs = c->nargs,
				  .has_result = true,
				  .result = rec->ctx.x[0],
				  .cond = cond,
				  .cmd = c};
	trace_realm_call(r, rec, RMM_IFACE_RSI, &call);
}

enum smc_outcome handle_realm_rsi(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				  struct rec_exit *exit)
{
	uint64_t fid = rec->ctx.x[0] & ~SMCCC_SVE_HINT, args[RSI_MAX_ARGS];
	enum cond_id cond = COND_NONE;
	/* desc is the first member: the table entry of the command found */
	const struct rsi_cmd *c = (const struct rsi_cmd *)rmm_rsi_command(fid);
	if (!c) {
		rec->ctx.x[0] = SMCCC_NOT_SUPPORTED;
		return SMC_RESUME;
	}
	if (fid == RSI_VERSION && !spec_version_has_input(r)) {
		/* eac2: no input, X0 is the version and there are no output values */
		rec->ctx.x[0] = spec_interface_version(r);
		struct realm_call call = {.fid = fid, .has_result = true, .result = rec->ctx.x[0]};
		trace_realm_call(r, rec, RMM_IFACE_RSI, &call);
		return SMC_RESUME;
	}
	memcpy(args, &rec->ctx.x[1], sizeof(args));
	enum smc_outcome out = c->handler(r, rec, exit, &cond);
	if (cond != COND_NONE) {
		rec->ctx.x[0] = cond_require(c->conds, cond, r->cfg.spec)->status;
	}
	/* A call that exits is reported when the realm gets its result; a retried one never. */
	if (out == SMC_RESUME) {
		trace_rsi_result(r, rec, &c->desc, args, cond_name(cond));
	}
	if (r->handed_token_len) {
		token_handed_over(r, rec, r->handed_token, r->handed_token_len);
		r->handed_token_len = 0;
	}
	return out;
}
