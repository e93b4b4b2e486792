/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The structure-aware random scenario generator (docs/fuzzing.md). Each scenario, made from a
 * seed and its number, is one of:
 *  - explicit steps: a realm of 1-4 RECs with random programs, then `setup` (usually; now and
 *    then `{activate: false}`) and random steps: RMI commands with random arguments (symbols,
 *    offsets, numbers) and expected output values, REC entries, completions,
 *    (un)delegations, host reads and writes, plugs, `run`, teardown;
 *  - the automatic VMM: one or two realms whose RECs run random ops with random values
 *    (PSCI calls at random targets and entries, RSI calls, loads and stores at random IPAs,
 *    raw SMCs), a random `plugged` policy and forced answers;
 *  - a shipped scenario with one to three mutations (a number, a name or a symbol replaced,
 *    a line dropped, doubled or moved).
 * The first two run on a random platform now and then (`machine`'s platform keys: VMID
 * width, breakpoints, watchpoints, LPA2, PMU, SVE, auxiliary granules, Secure and device
 * ranges, once in a while a value the RMM or EL3 refuses), whose symbols (`auxN`, `secure`,
 * `device`) the steps then use; patterns name output values of RMI and RSI commands.
 * Each is parsed and run in this process, twice, and must end with an exit code from 0 to 3,
 * give byte-identical JSON Lines both times, and within a time limit (no hang). Built with
 * CCA_CHECK_INVARIANTS (Debug), a run also aborts on any broken invariant: granule states
 * against the GPT, a failed RMI command that changed something, a host access the GPT denies
 * that did not fault. The scenario being run is kept in KEEP/current.yaml, so a crash or hang
 * leaves its reproducer; a failed check saves it as KEEP/fail-SEED-N.yaml.
 *
 * Usage: gen_scenarios [--seed S] [--count N] [--shipped DIR] [--keep DIR] [--max-insns N]
 *                      [--timeout SECONDS] [--print N] [--show CODE]
 * (--print N: the first N scenarios on standard output; --show CODE: the message of every run
 * that ends with exit code CODE, 2 or 3, to review what the system reports.)
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; this keeps it visible everywhere */
#include "abi/abi.h"
#include "rmm/rmm.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a small deterministic PRNG (splitmix64) ---- */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return n ? (unsigned)(rnd() % n) : 0;
}

static bool chance(unsigned percent)
{
	return pick(100) < percent;
}

#define ONE_OF(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

/* ---- a growing text buffer ---- */
struct text {
	char *s;
	size_t len, cap;
};

static void emit(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			return;
		}
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap ? 2 * t->cap : 4096) + (size_t)n;
		char *s = realloc(t->s, cap);
		if (!s) {
			abort();
		}
		t->s = s;
		t->cap = cap;
	}
}

/* ---- values ---- */
static const char *const psci_status[] = {"PSCI_SUCCESS",       "PSCI_DENIED",
					  "PSCI_ALREADY_ON",    "PSCI_INVALID_PARAMETERS",
					  "PSCI_NOT_SUPPORTED", "0x1"};
/* The platform of the scenario being generated: what its symbols may name. */
static struct {
	unsigned aux; /* rec_aux_count */
	bool secure, device;
} platform;

/* A command of the RMM's RMI or RSI table (rmm_rmi_command_at, rmm_rsi_command_at). */
static const struct rmm_command *any_command(const struct rmm_command *(*at)(size_t))
{
	size_t n = 0;
	while (at(n)) {
		n++;
	}
	return at(pick((unsigned)n));
}

static void number(struct text *t)
{
	static const char *const special[] = {
	    "0",
	    "1",
	    "2",
	    "3",
	    "0x1000",
	    "0x200000",
	    "0x40000000",
	    "0x80000000",
	    "0x100000000",
	    "0xffffffffffffffff",
	    "0x8000000000",
	    "0x7000",
	    "0x10000",
	    "0x4000",
	    "-1",
	    "0x10001",
	};
	if (chance(70)) {
		emit(t, "%s", ONE_OF(special));
	} else {
		emit(t, "0x%llx", (unsigned long long)(rnd() >> pick(64)));
	}
}

/* A host symbol of realm `q` (a qualifier such as "vm1." or ""). */
static void symbol(struct text *t, const char *q, unsigned nrecs)
{
	switch (pick(platform.aux || platform.secure || platform.device ? 10 : 9)) {
	case 9:
		/* the platform's own symbols */
		if (platform.aux && chance(50)) {
			emit(t, "%saux%u", q, pick(platform.aux * nrecs));
		} else if (platform.secure && (!platform.device || chance(50))) {
			emit(t, "secure");
		} else if (platform.device) {
			emit(t, "device");
		} else {
			emit(t, "%srd", q);
		}
		break;
	case 0:
		emit(t, "%srd", q);
		break;
	case 1:
		emit(t, "%srec%u", q, pick(nrecs));
		break;
	case 2:
		emit(t, "%srun%u", q, pick(nrecs));
		break;
	case 3:
		emit(t, "%sdata0", q);
		break;
	case 4:
		emit(t, "%srtt", q);
		break;
	case 5:
		emit(t, "delegated");
		break;
	case 6:
		emit(t, "undelegated");
		break;
	case 7:
		emit(t, "outside");
		break;
	default:
		emit(t, "%srec%u", q, pick(nrecs));
		break;
	}
	if (chance(15)) {
		emit(t, " %s %u", chance(50) ? "+" : "-",
		     ONE_OF(((const unsigned[]){8, 4096, 1, 16})));
	}
}

static void value(struct text *t, const char *q, unsigned nrecs)
{
	if (chance(55)) {
		symbol(t, q, nrecs);
	} else if (chance(30)) {
		emit(t, "%s", ONE_OF(psci_status));
	} else {
		number(t);
	}
}

/* ---- realm programs ---- */
static void op(struct text *t, unsigned nrecs, unsigned indent)
{
	const char *pad = indent == 8 ? "        " : "          ";
	switch (pick(16)) {
	case 0:
		emit(t, "%s- psci_version\n", pad);
		break;
	case 1:
		/* now and then a target or entry past the RECs: an input error */
		emit(t, "%s- psci_cpu_on: {target: %u, entry: %s%u, context_id: 0x%x}\n", pad,
		     chance(95) ? pick(nrecs) : nrecs, chance(80) ? "rec" : "0x100",
		     chance(95) ? pick(nrecs) : nrecs, pick(0x10000));
		if (chance(40)) {
			emit(t, "%s  expect: %s\n", pad, ONE_OF(psci_status));
		}
		break;
	case 2:
		emit(t, "%s- psci_affinity_info: {target: %u}\n", pad, pick(nrecs));
		break;
	case 3:
		emit(t, "%s- psci_cpu_off\n", pad);
		break;
	case 4:
		emit(t, "%s- psci_system_off\n", pad);
		break;
	case 5:
		emit(t, "%s- psci_features: {fid: %s}\n", pad,
		     chance(50) ? "PSCI_CPU_ON" : "0x84000000");
		break;
	case 6:
		emit(t, "%s- rsi_version\n", pad);
		break;
	case 7:
		emit(t, "%s- rsi_realm_config\n", pad);
		break;
	case 8:
		emit(t, "%s- rsi_host_call: {imm: %u, gprs: [1, 2]}\n", pad, pick(4));
		break;
	case 9:
		emit(t, "%s- rsi_ipa_state_get: {ipa: 0x%x}\n", pad, pick(16) * 0x1000);
		break;
	case 10:
		emit(t, "%s- rsi_ipa_state_set: {base: 0x%x, top: 0x%x, ripas: %s}\n", pad,
		     pick(8) * 0x1000, pick(16) * 0x1000, chance(50) ? "RAM" : "EMPTY");
		break;
	case 11:
		emit(t, "%s- load: {ipa: 0x%llx}\n", pad,
		     (unsigned long long)(chance(50) ? pick(16) * 0x1000
						     : (1ULL << 32) + pick(4) * 0x1000));
		break;
	case 12:
		emit(t, "%s- store: {ipa: 0x%llx, value: 0x%x}\n", pad,
		     (unsigned long long)(chance(50) ? pick(16) * 0x1000
						     : (1ULL << 32) + pick(4) * 0x1000),
		     pick(1000));
		break;
	case 13:
		emit(t, "%s- smc: {x0: %s, x1: %u}\n", pad,
		     chance(50) ? "0xc4000190" : "0x84000009", pick(4));
		break;
	case 14:
		emit(t, "%s- check_regs: {x0: 0x%x}\n", pad, pick(4));
		break;
	default:
		emit(t, "%s- psci_cpu_suspend\n", pad);
		break;
	}
}

static void recs(struct text *t, unsigned nrecs, const char *indent)
{
	emit(t, "%srecs:\n", indent);
	for (unsigned r = 0; r < nrecs; r++) {
		emit(t, "%s  - runnable: %s\n", indent, r == 0 || chance(20) ? "true" : "false");
		unsigned nops = pick(6);
		if (!nops) {
			emit(t, "%s    program: []\n", indent);
			continue;
		}
		emit(t, "%s    program:\n", indent);
		for (unsigned i = 0; i < nops; i++) {
			op(t, nrecs, strlen(indent) == 2 ? 8 : 10);
		}
	}
}

/* An output value of `c` as an expectation or a pattern field: ", name: value". */
static void output(struct text *t, const struct rmm_command *c, const char *q, unsigned nrecs)
{
	if (!c->nout) {
		return;
	}
	const struct rmm_value_desc *d = &c->out[pick(c->nout)];
	const char *label =
	    d->kind == RMM_VALUE_ENUM ? abi_name((enum abi_kind)d->names, pick(4)) : NULL;
	emit(t, ", %s: ", d->name);
	if (label) {
		emit(t, "%s", label);
	} else if (d->kind == RMM_VALUE_ADDR && chance(50)) {
		symbol(t, q, nrecs);
	} else {
		emit(t, "%u", chance(50) ? pick(4) : pick(0x10000) * 0x1000);
	}
}

/* The platform keys of `machine` (docs/scenarios.md), each now and then. 8M of RAM: the
 * firmware carve-outs are its top 2M, the host's stub its first granule. */
static void platform_keys(struct text *t)
{
	if (chance(25)) {
		emit(t, ", vmid_bits: %s", chance(95) ? "8" : "12");
	}
	if (chance(20)) {
		emit(t, ", breakpoints: %u, watchpoints: %u", 2 + pick(chance(95) ? 63 : 70),
		     2 + pick(63));
	}
	if (chance(20)) {
		emit(t, ", lpa2: %s", chance(50) ? "true" : "false");
	}
	if (chance(20)) {
		emit(t, ", pmu_counters: %s", chance(30) ? "none" : chance(95) ? "31" : "32");
	}
	if (chance(20)) {
		emit(t, ", sve_vl: %s", chance(30) ? "none" : chance(95) ? "512" : "200");
	}
	if (chance(30)) {
		platform.aux = 1 + pick(chance(95) ? 16 : 17);
		emit(t, ", rec_aux_count: %u", platform.aux);
	}
	if (chance(25)) {
		/* now and then over the carve-outs, or over the host's stub: refused */
		static const char *const bases[] = {"0x80100000", "0x80400000", "0x80200000",
						    "0x80700000", "0x80000000"};
		platform.secure = true;
		emit(t, ", secure: [{base: %s, size: 64K}]", bases[pick(chance(90) ? 3 : 5)]);
	}
	if (chance(25)) {
		platform.device = true;
		emit(t, ", device: [{base: %s, size: 64K}]",
		     chance(95) ? "0x1c090000" : "0x80010000" /* in RAM: refused */);
	}
}

static void header(struct text *t, const char *kind, uint64_t n)
{
	static const char *const specs[] = {"1.0-eac2", "1.0-eac3", "1.0-rel0", "\"2.0\""};
	emit(t, "name: gen_%s_%llu\n", kind, (unsigned long long)n);
	if (chance(30)) {
		emit(t, "spec: %s\n", ONE_OF(specs));
	}
	if (chance(30)) {
		emit(t, "profile: tf-rmm\n");
	}
	/* Mostly a small machine: booting one (the GPT's views over all of RAM) is most of a
	 * short run's time, and 8M holds what these scenarios build. Half of those on a platform
	 * of their own. */
	memset(&platform, 0, sizeof(platform));
	if (chance(75)) {
		emit(t, "machine: {ram: 8M");
		if (chance(50)) {
			platform_keys(t);
		}
		emit(t, "}\n");
	}
}

static void gen_steps(struct text *t, uint64_t n)
{
	unsigned nrecs = 1 + pick(4);
	header(t, "steps", n);
	emit(t, "realm:\n");
	recs(t, nrecs, "  ");
	emit(t, "host:\n  steps:\n");
	if (chance(85)) {
		emit(t, "    - setup%s\n", chance(10) ? ": {activate: false}" : "");
	}
	for (unsigned i = 0, k = 3 + pick(13); i < k; i++) {
		switch (pick(12)) {
		case 0:
		case 1:
		case 2: {
			const struct rmm_command *c = any_command(rmm_rmi_command_at);
			/* now and then a FID the RMM does not implement (no output values) */
			bool raw = chance(4);
			emit(t, "    - rmi: {cmd: %s, args: [", raw ? "0xc4000160" : c->name);
			for (unsigned a = 0, na = pick(6); a < na; a++) {
				emit(t, a ? ", " : "");
				value(t, "", nrecs);
			}
			emit(t, "]}\n");
			if (!raw && chance(15)) {
				/* with one of its output values */
				emit(t, "      expect: {status: %s",
				     chance(50) ? "RMI_SUCCESS" : "RMI_ERROR_INPUT");
				output(t, c, "", nrecs);
				emit(t, "}\n");
			} else if (chance(20)) {
				emit(t, "      expect: %s\n",
				     chance(50) ? "RMI_SUCCESS" : "RMI_ERROR_INPUT");
			}
			break;
		}
		case 3:
		case 4:
			emit(t, "    - rec_enter: %u\n", pick(nrecs));
			break;
		case 5:
			/* any address forms, as in every RMI argument */
			emit(t, "    - psci_complete: {calling: ");
			if (chance(80)) {
				emit(t, "rec%u", pick(nrecs));
			} else {
				value(t, "", nrecs);
			}
			emit(t, ", target: ");
			if (chance(80)) {
				emit(t, "rec%u", pick(nrecs));
			} else {
				value(t, "", nrecs);
			}
			emit(t, ", status: %s}\n", ONE_OF(psci_status));
			break;
		case 6:
			emit(t, "    - %s: ", chance(50) ? "delegate" : "undelegate");
			symbol(t, "", nrecs);
			emit(t, "\n");
			break;
		case 7:
		case 8:
			emit(t, "    - %s: {pa: ", chance(50) ? "write" : "read");
			symbol(t, "", nrecs);
			emit(t, ", value: 0x%x}\n", pick(0x10000));
			break;
		case 9:
			emit(t, "    - %s: %u\n", chance(50) ? "plug" : "unplug", pick(nrecs));
			break;
		case 10:
			emit(t, "    - run\n");
			break;
		default:
			emit(t, "    - teardown\n");
			break;
		}
	}
	if (chance(40)) {
		emit(t, "expect:\n  - rmi: {cmd: RMI_REC_ENTER, status: RMI_SUCCESS}\n");
		if (chance(30)) {
			const struct rmm_command *c = any_command(rmm_rmi_command_at);
			emit(t, "  - rmi: {cmd: %s", c->name);
			output(t, c, "", nrecs);
			emit(t, "}\n");
		}
	}
}

static void gen_auto(struct text *t, uint64_t n)
{
	unsigned nrealms = chance(25) ? 2 : 1;
	header(t, "auto", n);
	if (nrealms == 1) {
		unsigned nrecs = 1 + pick(4);
		emit(t, "realm:\n");
		recs(t, nrecs, "  ");
		emit(t, "host:\n  plugged: [0");
		for (unsigned r = 1; r < nrecs; r++) {
			if (chance(50)) {
				emit(t, ", %u", r);
			}
		}
		emit(t, "]\n");
		if (chance(30)) {
			emit(t, "  answers:\n    - {call: PSCI_CPU_ON, target: %u, status: %s}\n",
			     pick(nrecs), ONE_OF(psci_status));
		}
		if (chance(30)) {
			emit(t, "  on_host_call:\n    - {imm: 1, do: {plug: %u}}\n", pick(nrecs));
		}
		if (chance(30)) {
			emit(t, "  teardown: false\n");
		}
	} else {
		emit(t, "realms:\n");
		for (unsigned r = 0; r < nrealms; r++) {
			emit(t, "  - name: vm%u\n", r + 1);
			recs(t, 1 + pick(3), "    ");
		}
	}
	bool absent = chance(50);
	if (absent) {
		emit(t, "absent:\n  - rec_enter: {rec: 0, status: RMI_ERROR_REC}\n");
	}
	if (chance(20)) {
		/* an RSI call's output value, from the RMM's RSI table */
		const struct rmm_command *c = any_command(rmm_rsi_command_at);
		emit(t, "%s  - rsi: {call: %s", absent ? "" : "expect:\n", c->name);
		output(t, c, nrealms == 1 ? "" : "vm1.", 1);
		emit(t, "}\n");
	}
}

/* ---- mutations of the shipped scenarios ---- */
static struct text shipped[64];
static unsigned nshipped;

static void load_shipped(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && nshipped < 64) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0) {
			continue;
		}
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f) {
			continue;
		}
		struct text *t = &shipped[nshipped++];
		char buf[4096];
		size_t got;
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
			emit(t, "%.*s", (int)got, buf);
		}
		fclose(f);
	}
	if (d) {
		closedir(d);
	}
}

/* The lines of `src` as [start, end) offsets. */
static size_t split_lines(const struct text *src, size_t *start, size_t *end, size_t max)
{
	size_t n = 0, at = 0;
	while (at < src->len && n < max) {
		const char *nl = memchr(src->s + at, '\n', src->len - at);
		size_t e = nl ? (size_t)(nl - src->s) + 1 : src->len;
		start[n] = at;
		end[n++] = e;
		at = e;
	}
	return n;
}

static void mutate_line(struct text *t, const char *line, size_t len)
{
	static const char *const words[] = {
	    "rec1",
	    "rec0 + 8",
	    "rd",
	    "outside",
	    "undelegated",
	    "PSCI_DENIED",
	    "PSCI_SUCCESS",
	    "RMI_ERROR_INPUT",
	    "0",
	    "0xffffffffffffffff",
	    "3",
	    "data0",
	    "RMI_REC_ENTER",
	    "true",
	    "false",
	    "[]",
	    "{}",
	    "run1",
	    "vm2.rec0",
	    "RMI_SUCCESS",
	    "aux1",
	    "secure",
	    "device + 0x1000",
	    "{activate: false}",
	    "ASSIGNED",
	    "RAM",
	    "tf-rmm-fake-host",
	    "[{base: 0x80100000, size: 4K}]",
	};
	/* Replace a token after ": " or "[" with another value. */
	const char *colon = memchr(line, ':', len);
	if (!colon || chance(20)) {
		emit(t, "%.*s", (int)len, line);
		return;
	}
	size_t head = (size_t)(colon - line) + 1;
	emit(t, "%.*s ", (int)head, line);
	if (chance(50)) {
		emit(t, "%s", ONE_OF(words));
	} else {
		number(t);
	}
	const char *tail = line + head;
	const char *close = memchr(tail, '}', len - head);
	if (close) {
		emit(t, "%.*s", (int)(len - (size_t)(close - line)), close);
	} else {
		emit(t, "\n");
	}
}

static void gen_mutant(struct text *t)
{
	static size_t start[4096], end[4096];
	const struct text *src = &shipped[pick(nshipped)];
	size_t n = split_lines(src, start, end, 4096);
	unsigned m = 1 + pick(3);
	size_t target[3] = {pick((unsigned)n), pick((unsigned)n), pick((unsigned)n)};
	unsigned kind[3] = {pick(5), pick(5), pick(5)};
	for (size_t i = 0; i < n; i++) {
		const char *line = src->s + start[i];
		size_t len = end[i] - start[i];
		bool done = false;
		for (unsigned k = 0; k < m && !done; k++) {
			if (target[k] != i) {
				continue;
			}
			done = true;
			switch (kind[k]) {
			case 0: /* dropped */
				break;
			case 1: /* doubled */
				emit(t, "%.*s%.*s", (int)len, line, (int)len, line);
				break;
			case 2: /* moved: written again later */
				target[k] = i + 1 + pick(5);
				kind[k] = 1;
				done = false;
				break;
			default:
				mutate_line(t, line, len);
				break;
			}
		}
		if (!done) {
			emit(t, "%.*s", (int)len, line);
		}
	}
}

/* ---- running and checking ---- */
static const char *keep = ".";
static char current[4200];

static void on_alarm(int sig)
{
	static const char msg[] = "gen_scenarios: a run did not end in time (a hang): see ";
	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0 ||
	    write(STDERR_FILENO, current, strlen(current)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0) {
		_exit(98);
	}
	_exit(99);
}

struct outcome {
	int code;
	char *json;
	size_t len;
};

static int show = -1;

static void run_once(const struct scenario *s, uint64_t max_insns, bool report, struct outcome *o)
{
	struct scenario_run_options ro = {.spec = -1, .profile = -1, .max_insns = max_insns};
	struct scenario_result res;
	FILE *json = open_memstream(&o->json, &o->len);
	ro.json = json;
	scenario_run(s, &ro, &res);
	o->code = res.exit_code;
	if (report && o->code == show) {
		printf("%d: %s\n", o->code, res.error);
	}
	scenario_result_free(&res);
	if (json) {
		fclose(json);
	}
}

/* 0 when the scenario passed every check, else 1 (reported). */
static int check(const char *text, size_t len, const char *label, uint64_t max_insns,
		 unsigned *by_code)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	char msg[1200];

	if (scenario_load_string(label, text, len, &s, &err) != 0) {
		by_code[2]++;
		int n = scenario_format_error(&err, msg, sizeof(msg));
		if (show == 2) {
			printf("2: %s\n", msg);
		}
		if (n <= 0 || !strstr(msg, "error: ")) {
			fprintf(stderr, "%s: an invalid scenario without a located error\n", label);
			return 1;
		}
		return 0;
	}
	struct outcome a = {0}, b = {0};
	run_once(s, max_insns, true, &a);
	run_once(s, max_insns, false, &b);
	scenario_free(s);
	int bad = 0;
	if (a.code < 0 || a.code > 3) {
		fprintf(stderr, "%s: exit code %d, not 0 to 3\n", label, a.code);
		bad = 1;
	} else {
		by_code[a.code]++;
	}
	if (a.code != b.code || a.len != b.len || (a.len && memcmp(a.json, b.json, a.len) != 0)) {
		fprintf(stderr, "%s: two runs differ (exit %d and %d, %zu and %zu bytes of JSON)\n",
			label, a.code, b.code, a.len, b.len);
		bad = 1;
	}
	free(a.json);
	free(b.json);
	return bad;
}

static void save(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = 100, max_insns = 200000, print = 0;
	unsigned timeout = 60, by_code[4] = {0}, by_kind[3] = {0}, failures = 0;
	const char *dir = "scenarios";

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seed") == 0) {
			seed = strtoull(argv[i + 1], NULL, 0);
		} else if (strcmp(argv[i], "--count") == 0) {
			count = strtoull(argv[i + 1], NULL, 0);
		} else if (strcmp(argv[i], "--shipped") == 0) {
			dir = argv[i + 1];
		} else if (strcmp(argv[i], "--keep") == 0) {
			keep = argv[i + 1];
		} else if (strcmp(argv[i], "--max-insns") == 0) {
			max_insns = strtoull(argv[i + 1], NULL, 0);
		} else if (strcmp(argv[i], "--timeout") == 0) {
			timeout = (unsigned)strtoul(argv[i + 1], NULL, 0);
		} else if (strcmp(argv[i], "--print") == 0) {
			print = strtoull(argv[i + 1], NULL, 0);
		} else if (strcmp(argv[i], "--show") == 0) {
			show = atoi(argv[i + 1]);
		} else {
			fprintf(stderr, "gen_scenarios: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	load_shipped(dir);
	snprintf(current, sizeof(current), "%s/current.yaml", keep);
	signal(SIGALRM, on_alarm);
	for (uint64_t n = 0; n < count; n++) {
		struct text t = {0};
		char label[64];
		rng_state = seed * 0x100000001B3ULL + n;
		unsigned kind = pick(10) < 4 ? 0 : pick(10) < 5 || !nshipped ? 1 : 2;
		if (kind == 0) {
			gen_steps(&t, n);
		} else if (kind == 1) {
			gen_auto(&t, n);
		} else {
			gen_mutant(&t);
		}
		by_kind[kind]++;
		if (n < print) {
			printf("--- %llu\n%.*s", (unsigned long long)n, (int)t.len, t.s);
		}
		snprintf(label, sizeof(label), "gen-%llu-%llu.yaml", (unsigned long long)seed,
			 (unsigned long long)n);
		save(current, t.s ? t.s : "", t.len);
		alarm(timeout);
		if (check(t.s ? t.s : "", t.len, label, max_insns, by_code)) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/fail-%s", keep, label);
			save(path, t.s ? t.s : "", t.len);
			fprintf(stderr, "gen_scenarios: kept as %s\n", path);
			failures++;
		}
		alarm(0);
		free(t.s);
	}
	unlink(current);
	printf("gen_scenarios: seed %llu, %llu scenarios (%u steps, %u automatic, %u mutants): "
	       "exit 0: %u, 1: %u, 2: %u, 3: %u; %u failed a check\n",
	       (unsigned long long)seed, (unsigned long long)count, by_kind[0], by_kind[1],
	       by_kind[2], by_code[0], by_code[1], by_code[2], by_code[3], failures);
	return failures ? 1 : 0;
}
