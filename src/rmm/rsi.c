/*
 * RSI commands from a realm [S:B5.3; SPEC-NOTES 5.1]. All are answered by the RMM except
 * RSI_HOST_CALL and RSI_IPA_STATE_SET, which exit to the host. Attestation is not modelled
 * (SMCCC_NOT_SUPPORTED).
 */
#include "measurement.h"
#include "rec.h"
#include "s2tt.h"

#include <string.h>

#define HOST_CALL_ALIGN 256ULL
#define REM_FIRST       1U
#define REM_LAST        4U

static enum smc_outcome rsi_answer(struct rmm *r, struct rec *rec, uint64_t fid, unsigned nargs,
				   uint64_t result)
{
	uint64_t args[10];
	memcpy(args, &rec->ctx.x[1], sizeof(uint64_t) * nargs);
	trace_rsi(r, rec, fid, args, nargs, result, NULL);
	rec->ctx.x[0] = result;
	return SMC_RESUME;
}

/* A failure condition of the command [S:B5.3]: RSI_ERROR_INPUT, named by its spec ID. */
static enum smc_outcome rsi_fail(struct rmm *r, struct rec *rec, uint64_t fid, unsigned nargs,
				 const char *cond)
{
	uint64_t args[10];
	memcpy(args, &rec->ctx.x[1], sizeof(uint64_t) * nargs);
	trace_rsi(r, rec, fid, args, nargs, RSI_ERROR_INPUT, cond);
	rec->ctx.x[0] = RSI_ERROR_INPUT;
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

static enum smc_outcome rsi_version(struct rmm *r, struct rec *rec, uint64_t fid)
{
	uint64_t impl = spec_interface_version(r), req = rec->ctx.x[1];
	if (!spec_version_has_input(r)) {
		trace_rsi(r, rec, fid, NULL, 0, impl, NULL);
		rec->ctx.x[0] = impl;
		return SMC_RESUME;
	}
	bool ok =
	    (req >> 31) == 0 && (req >> 16) == (impl >> 16) && (req & 0xffff) <= (impl & 0xffff);
	rsi_answer(r, rec, fid, 1, ok ? RSI_SUCCESS : RSI_ERROR_INPUT);
	rec->ctx.x[1] = impl;
	rec->ctx.x[2] = impl;
	return SMC_RESUME;
}

static enum smc_outcome rsi_realm_config(struct rmm *r, struct rec *rec, uint64_t fid,
					 struct rec_exit *exit)
{
	uint64_t addr = rec->ctx.x[1], pa;
	unsigned ripas;
	struct rd rd;

	rd_load(r, rec->owner, &rd);
	if (!GRANULE_ALIGNED(addr))
		return rsi_fail(r, rec, fid, 1, "addr_align");
	if (!ipa_is_protected(&rd, addr))
		return rsi_fail(r, rec, fid, 1, "addr_bound");
	if (!rtt_ipa_to_pa(r, &rd, addr, &pa, &ripas)) {
		/* Not a spec failure condition: a buffer the realm never gave RIPAS RAM cannot
		 * be made to appear by the host, so TF-RMM answers ERROR_INPUT rather than exit
		 * for a fault the host could not resolve. */
		if (ripas == RIPAS_EMPTY)
			return rsi_answer(r, rec, fid, 1, RSI_ERROR_INPUT);
		return rsi_buffer_fault(rec, addr, exit);
	}
	uint8_t cfg[GRANULE_SIZE] = {0};
	memcpy(cfg + REALM_CONFIG_IPA_WIDTH, &rd.ipa_width, 8);
	memcpy(cfg + REALM_CONFIG_HASH_ALGO, &rd.hash_algo, 1);
	memcpy(cfg + REALM_CONFIG_RPV, rd.rpv, sizeof(rd.rpv));
	rmm_write(r, pa, cfg, sizeof(cfg));
	return rsi_answer(r, rec, fid, 1, RSI_SUCCESS);
}

/* The failure conditions IPA_STATE_GET and _SET share, in the order the spec lists them
 * (B5.3.5.2, B5.3.6.2); NULL when none holds. The two commands name the misaligned-top
 * condition differently: `end_align` (GET) and `top_align` (SET). */
static const char *ipa_range_fails(const struct rd *rd, uint64_t base, uint64_t top,
				   const char *top_align_id)
{
	if (!GRANULE_ALIGNED(base))
		return "base_align";
	if (!GRANULE_ALIGNED(top))
		return top_align_id;
	if (top <= base)
		return "size_valid";
	if (!addr_range_is_protected(rd, base, top))
		return "rgn_bound";
	return NULL;
}

static enum smc_outcome rsi_ipa_state_get(struct rmm *r, struct rec *rec, uint64_t fid)
{
	uint64_t base = rec->ctx.x[1], top = rec->ctx.x[2], ipa = base;
	struct rd rd;
	struct rtt_walk w;
	unsigned ripas = RIPAS_EMPTY;

	rd_load(r, rec->owner, &rd);
	const char *cond = ipa_range_fails(&rd, base, top, "end_align");
	if (cond)
		return rsi_fail(r, rec, fid, 2, cond);
	while (ipa < top) {
		rtt_walk(r, &rd, ipa, RTT_PAGE_LEVEL, &w);
		unsigned here = s2tte_ripas(w.entry, w.level);
		if (ipa == base)
			ripas = here;
		else if (here != ripas)
			break;
		ipa = (ipa & ~(rtt_level_size(w.level) - 1)) + rtt_level_size(w.level);
	}
	rsi_answer(r, rec, fid, 2, RSI_SUCCESS);
	rec->ctx.x[1] = ipa < top ? ipa : top;
	rec->ctx.x[2] = ripas;
	return SMC_RESUME;
}

static enum smc_outcome rsi_ipa_state_set(struct rmm *r, struct rec *rec, uint64_t fid,
					  struct rec_exit *exit)
{
	uint64_t base = rec->ctx.x[1], top = rec->ctx.x[2], ripas = rec->ctx.x[3];
	uint64_t flags = rec->ctx.x[4];
	struct rd rd;

	rd_load(r, rec->owner, &rd);
	const char *cond = ipa_range_fails(&rd, base, top, "top_align");
	if (cond)
		return rsi_fail(r, rec, fid, 4, cond);
	if (ripas != RIPAS_EMPTY && ripas != RIPAS_RAM)
		return rsi_fail(r, rec, fid, 4, "ripas_valid");
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

static enum smc_outcome rsi_host_call(struct rmm *r, struct rec *rec, uint64_t fid,
				      struct rec_exit *exit)
{
	uint64_t addr = rec->ctx.x[1], pa;
	unsigned ripas;
	struct rd rd;
	uint8_t buf[HOST_CALL_SIZE];

	rd_load(r, rec->owner, &rd);
	if (addr & (HOST_CALL_ALIGN - 1))
		return rsi_fail(r, rec, fid, 1, "addr_align");
	if (!ipa_is_protected(&rd, addr))
		return rsi_fail(r, rec, fid, 1, "addr_bound");
	if (!rtt_ipa_to_pa(r, &rd, addr, &pa, &ripas))
		return rsi_buffer_fault(rec, addr, exit);
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

static enum smc_outcome rsi_measurement_read(struct rmm *r, struct rec *rec, uint64_t fid)
{
	uint64_t index = rec->ctx.x[1];
	struct rd rd;

	if (index > REM_LAST)
		return rsi_fail(r, rec, fid, 1, "index_bound");
	rd_load(r, rec->owner, &rd);
	rsi_answer(r, rec, fid, 1, RSI_SUCCESS);
	memcpy(&rec->ctx.x[1], rd.measurements[index], MEASUREMENT_MAX_SIZE);
	return SMC_RESUME;
}

static enum smc_outcome rsi_measurement_extend(struct rmm *r, struct rec *rec, uint64_t fid)
{
	uint64_t index = rec->ctx.x[1], size = rec->ctx.x[2];
	uint8_t value[MEASUREMENT_MAX_SIZE];
	struct rd rd;

	if (index < REM_FIRST || index > REM_LAST)
		return rsi_fail(r, rec, fid, 10, "index_bound");
	if (size > MEASUREMENT_MAX_SIZE)
		return rsi_fail(r, rec, fid, 10, "size_bound");
	memcpy(value, &rec->ctx.x[3], sizeof(value));
	rd_load(r, rec->owner, &rd);
	rem_extend(&rd, (unsigned)index, value, (size_t)size);
	rd_store(r, rec->owner, &rd);
	return rsi_answer(r, rec, fid, 10, RSI_SUCCESS);
}

enum smc_outcome handle_realm_rsi(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				  struct rec_exit *exit)
{
	uint64_t fid = rec->ctx.x[0] & ~SMCCC_SVE_HINT;

	switch (fid) {
	case RSI_VERSION:
		return rsi_version(r, rec, fid);
	case RSI_FEATURES:
		rsi_answer(r, rec, fid, 1, RSI_SUCCESS);
		rec->ctx.x[1] = 0;
		return SMC_RESUME;
	case RSI_REALM_CONFIG:
		return rsi_realm_config(r, rec, fid, exit);
	case RSI_IPA_STATE_GET:
		return rsi_ipa_state_get(r, rec, fid);
	case RSI_IPA_STATE_SET:
		return rsi_ipa_state_set(r, rec, fid, exit);
	case RSI_HOST_CALL:
		return rsi_host_call(r, rec, fid, exit);
	case RSI_MEASUREMENT_READ:
		return rsi_measurement_read(r, rec, fid);
	case RSI_MEASUREMENT_EXTEND:
		return rsi_measurement_extend(r, rec, fid);
	default:
		rec->ctx.x[0] = SMCCC_NOT_SUPPORTED;
		return SMC_RESUME;
	}
}
