/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Values: numbers, sizes, names (full and short where the field fixes them), symbols. */
#include "abi/abi.h"
#include "scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static struct scenario *load_values(void)
{
	char path[512], msg[1200];
	struct scenario *s = NULL;
	struct scenario_error err;

	snprintf(path, sizeof(path), "%s/values.yaml", SCENARIO_TEST_DATA);
	if (scenario_load(path, &s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		print_message("%s\n", msg);
		fail();
	}
	return s;
}

static void assert_num(const struct scenario_value *v, uint64_t num)
{
	assert_int_equal(v->kind, SCENARIO_VAL_NUMBER);
	assert_int_equal(v->num, num);
}

static void assert_named(const struct scenario_value *v, const char *name, uint64_t num)
{
	assert_int_equal(v->kind, SCENARIO_VAL_NAME);
	assert_string_equal(v->name, name);
	assert_int_equal(v->num, num);
}

static void test_numbers_and_sizes(void **state)
{
	struct scenario *s = load_values();
	const struct scenario_op *ops = s->realms[0].recs[0].program->ops;

	assert_int_equal(s->machine.ram, 1ULL << 30);
	assert_int_equal(s->machine.pa_bits, 44);
	assert_int_equal(s->realms[0].ipa_bits, 40);
	assert_true(ops[0].target_is_mpidr);
	assert_num(&ops[0].target, 0x100);
	assert_num(&ops[0].entry, 0x80000000);
	assert_num(&ops[0].context_id, 0);
	assert_int_equal(ops[0].expect.mask, 3);
	assert_num(&ops[0].expect.x[0], 0xFFFFFFFFFFFFFFFDULL); /* -3: sign-extended */
	assert_num(&ops[0].expect.x[1], 0);
	assert_int_equal(ops[6].regs.mask, (1u << 0) | (1u << 3));
	assert_num(&ops[6].regs.x[0], RMI_VERSION);
	assert_num(&ops[6].regs.x[3], UINT64_MAX);
	assert_num(&ops[7].value, 42);
	scenario_free(s);
}

static void test_names(void **state)
{
	struct scenario *s = load_values();
	const struct scenario_op *ops = s->realms[0].recs[0].program->ops;

	/* `target: rec1` is the index 1; a full name is accepted in a generic value */
	assert_false(ops[1].target_is_mpidr);
	assert_num(&ops[1].target, 1);
	assert_named(&ops[1].context_id, "PSCI_CPU_ON", PSCI_CPU_ON);
	/* short names where the field fixes their meaning */
	assert_named(&ops[2].fid, "PSCI_CPU_SUSPEND", PSCI_CPU_SUSPEND);
	assert_named(&ops[2].expect.x[0], "PSCI_NOT_SUPPORTED", PSCI_NOT_SUPPORTED);
	assert_num(&ops[3].power_state, 0);
	assert_int_equal(ops[3].entry.kind, SCENARIO_VAL_NONE);
	assert_named(&ops[4].expect.x[0], "RSI_SUCCESS", RSI_SUCCESS);
	assert_named(&ops[5].expect.x[0], "RSI_SUCCESS", RSI_SUCCESS);
	assert_named(&ops[5].expect.x[1], "EMPTY", RIPAS_EMPTY);
	/* bare op names and empty argument maps */
	assert_int_equal(ops[8].kind, REALM_OP_PSCI_CPU_OFF);
	assert_int_equal(ops[9].kind, REALM_OP_PSCI_SYSTEM_RESET);
	assert_int_equal(s->realms[0].recs[0].program->nops, 10);
	scenario_free(s);
}

static void test_host_symbols(void **state)
{
	struct scenario *s = load_values();
	const struct scenario_step *st = s->host.steps;

	assert_false(s->host.plugged_all);
	assert_int_equal(s->host.nplugged, 0);
	assert_int_equal(s->host.nsteps, 7);
	assert_int_equal(st[0].kind, SCENARIO_STEP_DELEGATE);
	assert_int_equal(st[0].pa.kind, SCENARIO_VAL_SYMBOL);
	assert_int_equal(st[0].pa.sym, SCENARIO_SYM_DELEGATED);
	assert_int_equal(st[1].pa.sym, SCENARIO_SYM_UNDELEGATED);
	assert_int_equal(st[1].pa.offset, 0x1000);
	assert_int_equal(st[2].pa.sym, SCENARIO_SYM_RTT);
	assert_int_equal(st[2].pa.realm_index, 0);
	assert_int_equal(st[2].pa.offset, -0x10);
	assert_int_equal(st[2].value.kind, SCENARIO_VAL_NONE);
	assert_int_equal(st[3].pa.sym, SCENARIO_SYM_RUN);
	assert_int_equal(st[3].pa.index, 1);
	assert_num(&st[3].value, 0);
	assert_int_equal(st[4].kind, SCENARIO_STEP_UNPLUG);
	assert_int_equal(st[4].rec.sym, SCENARIO_SYM_REC);
	assert_int_equal(st[4].rec.index, 1);
	assert_num(&st[5].cmd, RMI_REALM_CREATE);
	assert_int_equal(st[5].args.kind, SCENARIO_VAL_LIST);
	assert_int_equal(st[5].args.count, 0);
	assert_int_equal(st[6].kind, SCENARIO_STEP_TEARDOWN);
	assert_false(st[6].expect.present);
	scenario_free(s);
}

static void test_pattern_values(void **state)
{
	struct scenario *s = load_values();
	const struct scenario_pattern *a = s->absent;

	assert_int_equal(s->nabsent, 11);
	assert_num(&a[0].fields[1].value, 1); /* runnable: true */
	assert_num(&a[0].fields[2].value, 0);
	assert_string_equal(a[1].fields[0].value.name, "allow");
	assert_string_equal(a[2].fields[0].value.name, "pending");
	assert_named(&a[2].fields[1].value, "RMI_ERROR_REALM", RMI_ERROR_REALM);
	assert_string_equal(a[3].fields[1].value.name, "ROOT");
	assert_int_equal(a[4].fields[0].value.sym, SCENARIO_SYM_DELEGATED);
	assert_named(&a[5].fields[0].value, "RSI_HOST_CALL", RSI_HOST_CALL);
	assert_named(&a[5].fields[1].value, "RSI_ERROR_INPUT", RSI_ERROR_INPUT);
	assert_named(&a[6].fields[0].value, "RMI_VERSION", RMI_VERSION);
	assert_string_equal(a[7].type, "realm_state");
	assert_int_equal(a[7].nfields, 0);
	/* extensions: SMCCC codes, the runner's check events, the GPI of a fault */
	assert_named(&a[8].fields[0].value, "SMCCC_NOT_SUPPORTED", SMCCC_NOT_SUPPORTED);
	assert_string_equal(a[9].fields[2].value.name, "2 checks: x0");
	assert_num(&a[9].fields[3].value, 0);
	assert_string_equal(a[10].fields[0].value.name, "NO_ACCESS");
	assert_num(&a[10].fields[1].value, 1);
	scenario_free(s);
}

/* A one-REC scenario whose REC 0 runs `op` (one YAML line, indented for the list). */
static void expect_error(const char *yaml, unsigned line, unsigned col, const char *fragment)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	assert_int_equal(scenario_load_string("v.yaml", yaml, strlen(yaml), &s, &err), -1);
	if (err.line != line || err.col != col || !strstr(err.message, fragment)) {
		print_message("got %u:%u: %s\n", err.line, err.col, err.message);
	}
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_non_null(strstr(err.message, fragment));
}

#define ONE_REC(op) "name: v\nrealm:\n  recs:\n    - program:\n        - " op "\n    - {}\n"

static void test_value_errors(void **state)
{
	/* a short name where the field does not fix its meaning */
	expect_error(ONE_REC("smc: {x0: CPU_ON}"), 5, 21, "unknown name `CPU_ON` for `x0`");
	expect_error(ONE_REC("psci_cpu_on: {target: 1, entry: data0}"), 5, 43,
		     "`entry` expects an IPA or recN, found symbol `data0`");
	expect_error(ONE_REC("psci_cpu_on: {target: 1}"), 5, 24,
		     "missing required key `entry` in op psci_cpu_on");
	expect_error(ONE_REC("psci_cpu_on: {target: rec1 + 8, entry: 0}"), 5, 33,
		     "`target` is a REC index or recN");
	expect_error(ONE_REC("psci_cpu_on:"), 5, 11,
		     "missing required key `target` in op psci_cpu_on");
	expect_error(ONE_REC("check_regs: {}"), 5, 23, "check_regs needs at least one register");
	expect_error(ONE_REC("{psci_cpu_off: {}, psci_cpu_off: {}}"), 5, 30,
		     "duplicate key `psci_cpu_off` in op");
	expect_error(ONE_REC("{expect: 0}"), 5, 11,
		     "missing op in list item (only `expect` given)");
	expect_error(ONE_REC("{}"), 5, 11, "missing op in list item (expected e.g.");
	expect_error(ONE_REC("psci_cpu_off: {x0: 1}"), 5, 26,
		     "unknown key `x0` in op psci_cpu_off (it takes no keys)");
	expect_error(ONE_REC("psci_cpu_off: [1]"), 5, 25, "op psci_cpu_off must be a map");
	expect_error(ONE_REC("load: {ipa: 99999999999999999999}"), 5, 23, "bad number");
	expect_error(ONE_REC("rsi_ipa_state_set: {base: 0, top: 1, ripas: RIPE}"), 5, 55,
		     "unknown name `RIPE` for `ripas` (expected a RIPAS");
	expect_error("name: v\nmachine: {ram: 64X}\nrealm: {recs: [{}]}\n", 2, 16,
		     "bad size `64X`");
	expect_error("name: v\nmachine: {ram: 1000}\nrealm: {recs: [{}]}\n", 2, 16,
		     "non-zero multiple of 4K");
	expect_error("name: v\nrealm: {recs: [{runnable: yes}]}\n", 2, 27,
		     "`runnable` must be true or false, found `yes`");
	expect_error("name: v\nrealm: {recs: []}\n", 2, 15, "`recs` must list at least one REC");
	expect_error("name: v\nrealm: {ipa_bits: 99, recs: [{}]}\n", 2, 19, "out of range");
	/* What the machine and the RMM can do, once the file is read. */
	expect_error(
	    "name: v\nrealm: {ipa_bits: 41, recs: [{}]}\n", 2, 19,
	    "`ipa_bits` 41 is not an IPA width the RMM supports on this machine: 32 to 40");
	expect_error("name: v\nrealm: {recs: [{}], ipa_bits: 31}\nmachine: {pa_bits: 36}\n", 2, 31,
		     "32 to 36 (at most the machine's `pa_bits`, 36)");
	expect_error("name: v\nmachine: {ram: 2M}\nrealm: {recs: [{}]}\n", 2, 16,
		     "RAM of 0x200000 bytes is too small");
	expect_error("name: v\nmachine: {ram: 128G, gpt: {root_size: 32M}}\nrealm: {recs: [{}]}\n",
		     2, 16, "more than the 64 GiB modelled");
	expect_error("name: v\nmachine: {ram: 4G, gpt: {root_size: 256K}}\nrealm: {recs: [{}]}\n",
		     2, 37, "does not fit in the Root carve-out of 0x40000 bytes");
	expect_error("name: v\nmachine: {pa_bits: 46}\nrealm: {recs: [{}]}\n", 2, 20,
		     "the RMM supports physical addresses of up to 44 bits, not 46");
	/* Tags: only the core ones that say what the node is already. */
	expect_error("name: v\nrealm: {recs: [{runnable: !custom true}]}\n", 2, 27,
		     "YAML tag `!custom` is not supported");
	expect_error(
	    "name: v\nrealm: !!seq {recs: [{}]}\n", 2, 8,
	    "YAML tag `!!seq` is not supported in scenario files (write the value plainly; "
	    "only !!map is accepted here)");
	expect_error("name: v\nrealm: {recs: [{program: [{load: {ipa: !!int 1}}]}]}\n", 2, 40,
		     "YAML tag `!!int`");
}

static void test_host_errors(void **state)
{
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {plugged: [0, 1]}\n", 3, 21,
		     "REC index 1 out of range for `plugged`");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [rmi: {args: [DENIED]}]}\n", 3,
		     21, "missing required key `cmd` in step rmi");
	expect_error(
	    "name: v\nrealm: {recs: [{}]}\nhost: {steps: [rmi: {cmd: 1, args: [DENIED]}]}\n", 3, 37,
	    "unknown name `DENIED` for `args`");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [psci_complete: {calling: 0}]}\n",
		     3, 31, "missing required key `target` in step psci_complete");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [write: {pa: outside + x}]}\n", 3,
		     28, "bad offset `x`");
	expect_error("name: v\nrealms: [{name: a, recs: [{}]}]\nhost: {steps: [read: {pa: "
		     "b.outside}]}\n",
		     3, 27, "unknown realm `b` in symbol `b.outside`");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [rec_enter: {rec: rd}]}\n", 3, 33,
		     "`rec` expects a REC index, recN or NAME.recN, found symbol `rd`");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {teardown: maybe}\n", 3, 18,
		     "must be true or false");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {on_host_call: [{imm: 1, do: {}}]}\n", 3,
		     36, "`do` takes exactly one of");
	expect_error(
	    "name: v\nrealm: {recs: [{}]}\nexpect: [{rmi: {}, psci: {}}]\n", 3, 10,
	    "a one-key map such as `rmi: {status: RMI_SUCCESS}`, found a map with several keys");
	expect_error("name: v\nrealm: {recs: [{}]}\nabsent: [{}]\n", 3, 10, "found an empty map");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect: [realm_state: {realm: vm9}]\n", 3, 31,
		     "unknown name `vm9` for `realm`");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect: [gpf: {access: exec}]\n", 3, 24,
		     "unknown name `exec` for `access` (expected read, write or fetch)");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect: [rec_exit: {gprs: 1}]\n", 3, 27,
		     "`gprs` must be a list");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect: [psci: {rec: rec0}]\n", 3, 22,
		     "unknown name `rec0` for `rec` (expected a REC index)");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [{rec_enter: }]}\n", 3, 17,
		     "missing required key `rec` in step rec_enter");
	expect_error("name: v\nprofile: kvm\nrealm: {recs: [{}]}\n", 2, 10,
		     "unknown profile `kvm`");
	expect_error("name: v\nrealms: [{name: a, recs: [{}]}, {name: a, recs: [{}]}]\n", 2, 33,
		     "duplicate realm name `a`");
}

/* rmi and rsi patterns name output values from the RMM's command tables; rmi steps expect
 * those of their command. */
static void test_output_values(void **state)
{
	const char *ok =
	    "name: v\nrealm: {recs: [{}]}\nhost:\n  steps:\n    - setup\n"
	    "    - rmi: {cmd: RMI_RTT_READ_ENTRY, args: [rd, 0, 3]}\n"
	    "      expect: {status: RMI_SUCCESS, state: ASSIGNED, desc: data0, walk_level: 3}\n"
	    "expect:\n  - rmi: {cmd: RMI_DATA_DESTROY, top: 0x200000, data: data0}\n"
	    "  - rsi: {call: RSI_IPA_STATE_SET, response: REJECT, new_base: 0x1000}\n";
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_load_string("v.yaml", ok, strlen(ok), &s, &err), 0);
	const struct scenario_pattern *o = &s->host.steps[1].expect.outputs;
	assert_int_equal(o->nfields, 3); /* in the command's order of outputs */
	assert_string_equal(o->fields[0].name, "walk_level");
	assert_int_equal(o->fields[0].value.num, 3);
	assert_string_equal(o->fields[1].name, "state");
	assert_int_equal(o->fields[1].value.num, 1); /* ASSIGNED */
	assert_int_equal(o->fields[2].value.kind, SCENARIO_VAL_SYMBOL);
	assert_int_equal(s->expect[1].fields[1].value.num, 1); /* REJECT */
	scenario_free(s);

#define STEPS(x) "name: v\nrealm: {recs: [{}]}\nhost:\n  steps:\n    - " x "\n"
	expect_error(STEPS("rmi: {cmd: RMI_FEATURES, args: [0]}\n      expect: {state: TABLE}"), 6,
		     16, "unknown key `state` in `expect` of step rmi");
	expect_error(STEPS("rmi: {cmd: RMI_RTT_READ_ENTRY}\n      expect: {ripas: UNASSIGNED}"), 6,
		     23, "unknown name `UNASSIGNED` for `ripas` (expected a RIPAS");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect:\n  - rmi: {cmd: RMI_FEATURES, "
		     "state: TABLE}\n",
		     4, 37, "`state` is not an output value of RMI_FEATURES");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect:\n  - rmi: {aux_count: ONE}\n", 4, 22,
		     "unknown name `ONE` for `aux_count`");
	expect_error("name: v\nrealm: {recs: [{}]}\nexpect:\n  - rsi: {rtt: rd}\n", 4, 11,
		     "unknown key `rtt` in event `rsi`");
#undef STEPS
}

/* machine: the platform keys, presets, ranges and the symbols they bring. */
static void test_platform_keys(void **state)
{
	const char *ok = "name: v\nmachine:\n  preset: fvp-base-revc\n  vmid_bits: 8\n"
			 "  pmu_counters: 6\n  sve_vl: 512\n  rec_aux_count: 3\n"
			 "realm: {recs: [{}, {}]}\nhost: {steps: [setup, {delegate: secure}, "
			 "{undelegate: aux5}, {delegate: device + 0x1000}]}\n";
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_load_string("v.yaml", ok, strlen(ok), &s, &err), 0);
	const struct scenario_machine *m = &s->machine;
	assert_string_equal(m->preset, "fvp-base-revc");
	assert_int_equal(m->ram, 2ULL << 30); /* from the preset */
	assert_int_equal(m->vmid_bits, 8);    /* overridden */
	assert_true(m->pmu);
	assert_int_equal(m->pmu_counters, 6);
	assert_int_equal(m->sve_vl, 512);
	assert_int_equal(m->nsecure, 1);
	assert_int_equal(m->secure[0].base, 0xFC000000ULL);
	assert_int_equal(s->host.steps[2].pa.sym, SCENARIO_SYM_AUX);
	assert_int_equal(s->host.steps[2].pa.index, 5);
	assert_int_equal(s->host.steps[3].pa.sym, SCENARIO_SYM_DEVICE);
	scenario_free(s);

#define MACHINE(x) "name: v\nmachine: {" x "}\nrealm: {recs: [{}]}\n"
	expect_error(MACHINE("preset: qemu"), 2, 19, "unknown preset `qemu`");
	expect_error(MACHINE("vmid_bits: 12"), 2, 22,
		     "this RMM does not support that platform: the VMID width is 8 or 16 bits");
	expect_error(MACHINE("breakpoints: 1"), 2, 24, "breakpoints number 2 to 64");
	expect_error(MACHINE("sve_vl: 100"), 2, 19, "a multiple of 128 bits");
	expect_error(MACHINE("pmu_counters: 32"), 2, 25, "PMU counters number 0 to 31");
	expect_error(MACHINE("rec_aux_count: 17"), 2, 26, "out of range (expected 0 to 16)");
	/* where EL3 can map a range, checked when the file is read (exit 2), at the range */
	expect_error(MACHINE("secure: [{base: 0x1000, size: 4K}]"), 2, 20,
		     "Secure range 0x1000+0x1000 is not in RAM");
	expect_error(MACHINE("device: [{base: 0x80001000, size: 4K}]"), 2, 20,
		     "device range 0x80001000+0x1000 must lie outside RAM");
	expect_error(MACHINE("pa_bits: 32, device: [{base: 0x1000, size: 4K}, "
			     "{base: 0xfffff000, size: 8K}]"),
		     2, 59, "device range 0xfffff000+0x2000 must lie outside RAM");
	/* 64M of RAM: the RMM's carve-out and the Root one are its top 2M */
	expect_error(MACHINE("secure: [{base: 0x83f00000, size: 4K}]"), 2, 20,
		     "Secure range 0x83f00000+0x1000 overlaps the RMM's and the GPT's Root "
		     "carve-outs [0x83e00000, 0x84000000)");
	expect_error(MACHINE("secure: [{base: 0x80000000, size: 4K}]"), 2, 20,
		     "covers RAM's first granule, where the host's stub runs");
	expect_error(MACHINE("ram: 4M, secure: [{base: 0x80100000, size: 512K}, "
			     "{base: 0x80040000, size: 1M}]"),
		     2, 61, "Secure range 0x80040000+0x100000 leaves the host less than 0x100000");
	/* a preset's range that the overridden RAM no longer holds: at the preset */
	expect_error(MACHINE("preset: fvp-base-revc, ram: 64M"), 2, 19,
		     "Secure range 0xfc000000+0x1c00000 is not in RAM");
	expect_error(MACHINE("device: [{base: 0x1001, size: 4K}]"), 2, 27, "4K-aligned");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [{delegate: secure}]}\n", 3, 27,
		     "symbol `secure` needs a Secure-PAS range");
	expect_error("name: v\nrealm: {recs: [{}]}\nhost: {steps: [{delegate: device}]}\n", 3, 27,
		     "symbol `device` needs a device range");
	expect_error(MACHINE("rec_aux_count: 2") "host: {steps: [{delegate: aux2}]}\n", 4, 27,
		     "aux index 2 out of range in `aux2` (realm `realm` has 2 auxiliary");
#undef MACHINE
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers_and_sizes), cmocka_unit_test(test_names),
	    cmocka_unit_test(test_host_symbols),      cmocka_unit_test(test_pattern_values),
	    cmocka_unit_test(test_value_errors),      cmocka_unit_test(test_output_values),
	    cmocka_unit_test(test_platform_keys),     cmocka_unit_test(test_host_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
