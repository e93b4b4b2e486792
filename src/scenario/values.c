/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values: numbers, spec names (through abi.h) and the symbols that only the host layer can turn
 * into addresses. Each field says what it accepts with a `struct vspec`, so that a short name
 * such as DENIED is accepted exactly where the field fixes its meaning.
 */
#include "abi/abi.h"
#include "scenario/scenario_private.h"

#include <ctype.h>
#include <string.h>

static const char *const world_words[] = {"NS", "REALM", "ROOT", "SECURE", NULL};
static const char *const gpi_words[] = {"NS", "REALM", "ROOT", "SECURE", "NO_ACCESS", "ANY", NULL};
static const char *const access_words[] = {"read", "write", "fetch", NULL};
static const char *const realm_state_words[] = {"NEW", "ACTIVE", "SYSTEM_OFF", NULL};

#define NO_ABI       (-1)
#define HOSTVAL_WHAT "a number, a symbol (rd, recN, runN, dataN, rtt, delegated, ...) or a name"

const struct vspec V_INT = {VF_NUM, NO_ABI, NULL, NULL, "a number"};
const struct vspec V_VAL = {VF_NUM | VF_FULL, NO_ABI, NULL, NULL, "a number or a spec name"};
const struct vspec V_VALLIST = {VF_LIST | VF_NUM | VF_FULL, NO_ABI, NULL, NULL,
				"a list of numbers or spec names"};
const struct vspec V_HOSTVAL = {VF_NUM | VF_FULL | VF_SYM, NO_ABI, NULL, NULL, HOSTVAL_WHAT};
const struct vspec V_HOSTLIST = {VF_LIST | VF_NUM | VF_FULL | VF_SYM, NO_ABI, NULL, NULL,
				 "a list of values (" HOSTVAL_WHAT ")"};
const struct vspec V_REC = {VF_NUM | VF_RECIDX | VF_RECSYM, NO_ABI, NULL, NULL,
			    "a REC index, recN or NAME.recN"};
const struct vspec V_REC_INDEX = {VF_NUM | VF_RECIDX, NO_ABI, NULL, NULL, "a REC index"};
const struct vspec V_PSCI_RET = {VF_NUM | VF_FULL, ABI_PSCI_RET, "PSCI_", NULL,
				 "a PSCI return code (e.g. PSCI_DENIED or DENIED) or a number"};
const struct vspec V_RSI_RET = {VF_NUM | VF_FULL, ABI_RSI_RET, "RSI_", NULL,
				"an RSI return code (e.g. RSI_SUCCESS) or a number"};
const struct vspec V_RMI_STATUS = {VF_NUM | VF_FULL, ABI_RMI_STATUS, "RMI_", NULL,
				   "an RMI status (e.g. RMI_ERROR_INPUT or ERROR_INPUT)"};
const struct vspec V_PSCI_FID = {VF_NUM | VF_FULL, ABI_FID, "PSCI_", NULL,
				 "a PSCI function (e.g. PSCI_CPU_ON or CPU_ON) or a FID"};
const struct vspec V_RSI_FID = {VF_NUM | VF_FULL, ABI_FID, "RSI_", NULL,
				"an RSI function (e.g. RSI_HOST_CALL) or a FID"};
const struct vspec V_RMI_FID = {VF_NUM | VF_FULL, ABI_FID, "RMI_", NULL,
				"an RMI command (e.g. RMI_PSCI_COMPLETE) or a FID"};
const struct vspec V_FID = {VF_NUM | VF_FULL, ABI_FID, NULL, NULL, "a function name or a FID"};
const struct vspec V_EXIT = {VF_NUM, ABI_EXIT_REASON, NULL, NULL,
			     "an exit reason (SYNC, IRQ, FIQ, PSCI, RIPAS_CHANGE, HOST_CALL, "
			     "SERROR)"};
const struct vspec V_RIPAS = {VF_NUM, ABI_RIPAS, NULL, NULL, "a RIPAS (EMPTY, RAM, DESTROYED)"};
const struct vspec V_RTT_STATE = {VF_NUM, ABI_RTT_STATE, NULL, NULL,
				  "an RTT entry state (UNASSIGNED, ASSIGNED, TABLE)"};
const struct vspec V_RSI_RESPONSE = {VF_NUM, ABI_RSI_RESPONSE, NULL, NULL,
				     "an RSI response (ACCEPT, REJECT)"};
const struct vspec V_ENTRY = {VF_NUM | VF_ENTRY, NO_ABI, NULL, NULL, "an IPA or recN"};
const struct vspec V_BOOL = {VF_BOOL | VF_NUM, NO_ABI, NULL, NULL, "true or false"};
const struct vspec V_WORLD = {0, NO_ABI, NULL, world_words, "a world (NS, REALM, ROOT)"};
const struct vspec V_GPI = {0, NO_ABI, NULL, gpi_words,
			    "a GPI (NS, REALM, ROOT, SECURE, NO_ACCESS)"};
const struct vspec V_ACCESS = {0, NO_ABI, NULL, access_words, "read, write or fetch"};
const struct vspec V_REALM_STATE = {0, NO_ABI, NULL, realm_state_words,
				    "a realm state (NEW, ACTIVE, SYSTEM_OFF)"};
const struct vspec V_WORD = {VF_WORD, NO_ABI, NULL, NULL, "a name"};
const struct vspec V_TEXT = {VF_TEXT, NO_ABI, NULL, NULL, "a text"};
const struct vspec V_DIGEST = {VF_HEX, NO_ABI, NULL, NULL,
			       "a digest in hex, 1 to 64 bytes (e.g. 0x3fa2...)"};
const struct vspec V_REALM_NAME = {VF_REALM, NO_ABI, NULL, NULL, "the name of a realm"};
const struct vspec V_PENDING = {VF_BOOL | VF_NUM | VF_WORD, NO_ABI, NULL, NULL,
				"true, false or a name"};

void set_number(struct scenario_value *v, uint64_t num, struct scenario_pos pos)
{
	v->kind = SCENARIO_VAL_NUMBER;
	v->num = num;
	v->has_num = true;
	v->pos = pos;
}

bool parse_digits(const char *s, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9') {
			d = (unsigned)(*s - '0');
		} else if (base == 16 && *s >= 'a' && *s <= 'f') {
			d = (unsigned)(*s - 'a' + 10);
		} else if (base == 16 && *s >= 'A' && *s <= 'F') {
			d = (unsigned)(*s - 'A' + 10);
		} else {
			return false;
		}
		if (v > (UINT64_MAX - d) / base) {
			return false; /* overflow */
		}
		v = v * base + d;
	}
	*out = v;
	return true;
}

bool parse_number_text(const char *s, uint64_t *out)
{
	bool neg = *s == '-';
	uint64_t v;

	if (*s == '-' || *s == '+') {
		s++;
	}
	bool ok = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? parse_digits(s + 2, 16, &v)
								: parse_digits(s, 10, &v);
	if (!ok || (neg && v > (1ULL << 63))) {
		return false;
	}
	/* PSCI codes are 64-bit sign-extended: -3 is 0xfffffffffffffffd */
	*out = neg ? (uint64_t)0 - v : v;
	return true;
}

static bool looks_numeric(const char *s)
{
	if (*s == '-' || *s == '+') {
		s++;
	}
	return *s >= '0' && *s <= '9';
}

static bool is_word(const char *s)
{
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') {
			return false;
		}
	}
	return true;
}

/* ---- names ---- */

static bool abi_lookup(int kind, const char *t, const char *prefix, struct scenario_value *out)
{
	uint64_t v;

	if (kind < 0 || !abi_value((enum abi_kind)kind, t, prefix, &v)) {
		return false;
	}
	out->kind = SCENARIO_VAL_NAME;
	out->num = v;
	out->has_num = true;
	out->name = abi_name((enum abi_kind)kind, v);
	return true;
}

/* SMCCC return codes have no abi.h name table; an RMI call can end with one (an unknown FID). */
static bool smccc_lookup(const char *t, struct scenario_value *out)
{
	static const struct {
		const char *name;
		uint64_t value;
	} codes[] = {
	    {"SMCCC_SUCCESS", SMCCC_SUCCESS},
	    {"SMCCC_NOT_SUPPORTED", SMCCC_NOT_SUPPORTED},
	    {"SMCCC_NOT_REQUIRED", SMCCC_NOT_REQUIRED},
	    {"SMCCC_INVALID_PARAMETER", SMCCC_INVALID_PARAMETER},
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (!strcmp(codes[i].name, t)) {
			out->kind = SCENARIO_VAL_NAME;
			out->name = codes[i].name;
			out->num = codes[i].value;
			out->has_num = true;
			return true;
		}
	}
	return false;
}

static bool parse_name(struct ctx *c, const struct ynode *n, const struct vspec *spec,
		       struct scenario_value *out)
{
	static const int full_kinds[] = {ABI_FID, ABI_RMI_STATUS, ABI_PSCI_RET, ABI_RSI_RET};
	const char *t = n->text;

	if (abi_lookup(spec->abi_kind, t, spec->prefix, out)) {
		return true;
	}
	/* PSCI_AFFINITY_INFO's results by their names: ON (0), OFF (1), ON_PENDING (2) */
	if (spec->abi_kind == ABI_PSCI_RET && abi_lookup(ABI_AFFINITY, t, NULL, out)) {
		return true;
	}
	for (size_t i = 0; (spec->flags & VF_FULL) && i < 4; i++) {
		if (abi_lookup(full_kinds[i], t, NULL, out)) {
			return true;
		}
	}
	if ((spec->flags & VF_FULL) && smccc_lookup(t, out)) {
		return true;
	}
	for (size_t i = 0; spec->words && spec->words[i]; i++) {
		if (!strcmp(spec->words[i], t)) {
			out->kind = SCENARIO_VAL_NAME;
			out->name = spec->words[i];
			return true;
		}
	}
	if ((spec->flags & VF_REALM) && find_realm(c, t) >= 0) {
		out->kind = SCENARIO_VAL_NAME;
		out->name = c->s->realms[find_realm(c, t)].name;
		return true;
	}
	if ((spec->flags & VF_TEXT) || ((spec->flags & VF_WORD) && is_word(t))) {
		out->kind = SCENARIO_VAL_NAME;
		out->name = arena_strdup(c->arena, t);
		return out->name ? true : fail_oom(c);
	}
	return false;
}

static bool parse_number_value(struct ctx *c, const struct ynode *n, const char *key,
			       const struct vspec *spec, struct scenario_value *out)
{
	uint64_t v;

	if (!(spec->flags & VF_NUM)) {
		return fail(c, n, "`%s` expects %s, found the number `%s`", key, spec->what,
			    n->text);
	}
	if (!parse_number_text(n->text, &v)) {
		return fail(c, n, "bad number `%s` for `%s` (expected decimal, 0x hex or -N)",
			    n->text, key);
	}
	if ((spec->flags & VF_RECIDX) && v >= c->max_recs) {
		return fail(c, n, "REC index %s out of range for `%s` (the scenario has %zu REC%s)",
			    n->text, key, c->max_recs, c->max_recs == 1 ? "" : "s");
	}
	set_number(out, v, out->pos);
	return true;
}

/* A measurement or hash, as the `token` event writes it: lower-case hex without a prefix. */
static bool parse_hex_bytes(struct ctx *c, const struct ynode *n, const char *key,
			    const struct vspec *spec, struct scenario_value *out)
{
	const char *t = n->text;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		t += 2;
	}
	size_t len = strlen(t);
	if (len == 0 || len % 2 || len > (size_t)2 * 64 ||
	    strspn(t, "0123456789abcdefABCDEF") != len) {
		return fail(c, n, "`%s` must be %s, found `%s`", key, spec->what, n->text);
	}
	char *hex = arena_strdup(c->arena, t);
	if (!hex) {
		return fail_oom(c);
	}
	for (char *p = hex; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
	}
	out->kind = SCENARIO_VAL_NAME;
	out->name = hex;
	return true;
}

static bool parse_scalar_value(struct ctx *c, const struct ynode *n, const char *key,
			       const struct vspec *spec, struct scenario_value *out)
{
	const char *t = n->text;

	if (node_is_null(n) || !*t) {
		return fail(c, n, "`%s` needs a value (expected %s)", key, spec->what);
	}
	if (spec->flags & VF_HEX) {
		return parse_hex_bytes(c, n, key, spec, out);
	}
	if (looks_numeric(t) && !(spec->flags & VF_TEXT)) {
		return parse_number_value(c, n, key, spec, out);
	}
	if ((spec->flags & VF_BOOL) && (!strcmp(t, "true") || !strcmp(t, "false"))) {
		set_number(out, t[0] == 't', out->pos);
		return true;
	}
	if (spec->flags & (VF_SYM | VF_RECSYM | VF_ENTRY)) {
		int r = parse_symbol(c, n, key, spec, out);
		if (r) {
			return r > 0;
		}
	}
	if (parse_name(c, n, spec, out)) {
		return true;
	}
	return fail(c, n, "unknown name `%s` for `%s` (expected %s)", t, key, spec->what);
}

bool parse_value(struct ctx *c, const struct ynode *n, const char *key, const struct vspec *spec,
		 struct scenario_value *out)
{
	memset(out, 0, sizeof(*out));
	out->pos = pos_of(c, n);
	if (n->kind == YN_MAP) {
		return fail(c, n, "`%s` must be %s, found a map", key, spec->what);
	}
	if (n->kind == YN_SEQ || (spec->flags & VF_LIST)) {
		struct vspec elem = *spec;
		size_t i = 0;
		if (!(spec->flags & VF_LIST) || n->kind != YN_SEQ) {
			return fail(c, n, "`%s` must be %s, found %s", key, spec->what,
				    node_kind_name(n));
		}
		elem.flags &= ~(unsigned)VF_LIST;
		out->kind = SCENARIO_VAL_LIST;
		out->count = n->n;
		out->items = arena_array(c->arena, n->n, sizeof(*out->items));
		if (n->n && !out->items) {
			return fail_oom(c);
		}
		for (const struct ynode *e = n->child; e; e = e->next, i++) {
			if (!parse_value(c, e, key, &elem, &out->items[i])) {
				return false;
			}
		}
		return true;
	}
	return parse_scalar_value(c, n, key, spec, out);
}

bool parse_uint(struct ctx *c, const struct ynode *n, const char *what, uint64_t min, uint64_t max,
		uint64_t *out)
{
	if (!need_kind(c, n, YN_SCALAR, what)) {
		return false;
	}
	if (!looks_numeric(n->text) || n->text[0] == '-' || !parse_number_text(n->text, out)) {
		return fail(c, n, "bad number `%s` for %s (expected %llu to %llu)", n->text, what,
			    (unsigned long long)min, (unsigned long long)max);
	}
	if (*out < min || *out > max) {
		return fail(c, n, "%s is %s, out of range (expected %llu to %llu)", what, n->text,
			    (unsigned long long)min, (unsigned long long)max);
	}
	return true;
}

bool parse_size(struct ctx *c, const struct ynode *n, const char *what, uint64_t *out)
{
	char num[64];
	size_t len;
	unsigned shift = 0;

	if (!need_kind(c, n, YN_SCALAR, what)) {
		return false;
	}
	len = strlen(n->text);
	if (len && strchr("kKmMgGtT", n->text[len - 1])) {
		shift = (unsigned)(strchr("kKmMgGtT", n->text[len - 1]) - "kKmMgGtT") / 2 * 10 + 10;
		len--;
	}
	trim_copy(num, sizeof(num), n->text, len);
	if (!looks_numeric(num) || num[0] == '-' || !parse_number_text(num, out) ||
	    (*out && *out > (UINT64_MAX >> shift))) {
		return fail(c, n,
			    "bad size `%s` for %s (expected a number with an optional K, M, "
			    "G or T suffix, e.g. 64M)",
			    n->text, what);
	}
	*out <<= shift;
	return true;
}

bool parse_bool(struct ctx *c, const struct ynode *n, const char *what, bool *out)
{
	if (n->kind == YN_SCALAR && (!strcmp(n->text, "true") || !strcmp(n->text, "false"))) {
		*out = n->text[0] == 't';
		return true;
	}
	if (n->kind == YN_SCALAR) {
		return fail(c, n, "%s must be true or false, found `%s`", what, n->text);
	}
	return fail(c, n, "%s must be true or false, found %s", what, node_kind_name(n));
}

bool parse_string(struct ctx *c, const struct ynode *n, const char *what, const char **out)
{
	if (!need_kind(c, n, YN_SCALAR, what)) {
		return false;
	}
	*out = arena_strdup(c->arena, n->text);
	return *out ? true : fail_oom(c);
}
