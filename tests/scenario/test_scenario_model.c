/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The scenario parser builds the model the contract's examples describe. */
#include "abi/abi.h"
#include "scenario/scenario.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *data_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", SCENARIO_TEST_DATA, name);
	return path;
}

static struct scenario *load_ok(const char *name)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	char msg[1200];

	if (scenario_load(data_path(name), &s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		print_message("%s\n", msg);
		fail();
	}
	assert_non_null(s);
	return s;
}

static const struct scenario_field *field(const struct scenario_pattern *p, const char *name)
{
	for (size_t i = 0; i < p->nfields; i++) {
		if (!strcmp(p->fields[i].name, name)) {
			return &p->fields[i];
		}
	}
	return NULL;
}

static void assert_name(const struct scenario_value *v, const char *name, uint64_t num)
{
	assert_int_equal(v->kind, SCENARIO_VAL_NAME);
	assert_string_equal(v->name, name);
	assert_true(v->has_num);
	assert_int_equal(v->num, num);
}

static void assert_number(const struct scenario_value *v, uint64_t num)
{
	assert_int_equal(v->kind, SCENARIO_VAL_NUMBER);
	assert_int_equal(v->num, num);
}

static void assert_symbol(const struct scenario_value *v, enum scenario_symbol sym,
			  const char *realm, unsigned index, int64_t offset)
{
	assert_int_equal(v->kind, SCENARIO_VAL_SYMBOL);
	assert_int_equal(v->sym, sym);
	if (realm) {
		assert_non_null(v->realm);
		assert_string_equal(v->realm, realm);
	} else {
		assert_null(v->realm);
	}
	assert_int_equal(v->index, index);
	assert_int_equal(v->offset, offset);
}

static void test_hotplug_deny_top_and_recs(void **state)
{
	struct scenario *s = load_ok("hotplug_deny.yaml");

	assert_string_equal(s->name, "hotplug_deny");
	assert_non_null(strstr(s->description, "The realm's boot vCPU asks"));
	assert_int_equal(s->spec, RMM_SPEC_1_0_REL0);
	assert_int_equal(s->profile, RMM_PROFILE_SPEC);
	assert_int_equal(s->machine.ram, 64ULL << 20);
	assert_int_equal(s->machine.pa_bits, 40);
	assert_false(s->multi_realm);
	assert_int_equal(s->nrealms, 1);
	assert_string_equal(s->realms[0].name, "realm");
	assert_int_equal(s->realms[0].ipa_bits, 33);
	assert_int_equal(s->realms[0].nrecs, 2);
	assert_true(s->realms[0].recs[0].runnable);
	assert_false(s->realms[0].recs[1].runnable);
	assert_int_equal(s->realms[0].recs[0].program->nops, 3);
	assert_int_equal(s->realms[0].recs[1].program->nops, 1);
	assert_int_equal(s->realms[0].recs[1].program->ops[0].kind, REALM_OP_PSCI_CPU_OFF);
	assert_null(s->realms[0].recs[0].program_ref);
	assert_null(s->realms[0].recs[0].image);
	scenario_free(s);
}

static void test_hotplug_deny_ops(void **state)
{
	struct scenario *s = load_ok("hotplug_deny.yaml");
	const struct scenario_op *on = &s->realms[0].recs[0].program->ops[0];
	const struct scenario_op *aff = &s->realms[0].recs[0].program->ops[1];
	const struct scenario_op *off = &s->realms[0].recs[0].program->ops[2];

	assert_int_equal(on->kind, REALM_OP_PSCI_CPU_ON);
	assert_string_equal(on->name, "psci_cpu_on");
	assert_int_equal(on->pos.line, 10);
	assert_int_equal(on->pos.col, 11);
	assert_false(on->target_is_mpidr);
	assert_number(&on->target, 1);
	assert_symbol(&on->entry, SCENARIO_SYM_REC, NULL, 1, 0);
	assert_number(&on->context_id, 0x1234);
	assert_true(on->has_expect);
	assert_int_equal(on->expect.mask, 1);
	assert_name(&on->expect.x[0], "PSCI_DENIED", 0xFFFFFFFFFFFFFFFDULL);
	assert_int_equal(on->expect.x[0].pos.line, 11);
	assert_int_equal(on->expect.x[0].pos.col, 19);

	assert_int_equal(aff->kind, REALM_OP_PSCI_AFFINITY_INFO);
	assert_number(&aff->target, 1);
	assert_number(&aff->level, 0); /* the contract's default */
	assert_name(&aff->expect.x[0], "PSCI_OFF", PSCI_OFF);

	assert_int_equal(off->kind, REALM_OP_PSCI_SYSTEM_OFF);
	assert_false(off->has_expect);
	scenario_free(s);
}

static void test_hotplug_deny_host_and_patterns(void **state)
{
	struct scenario *s = load_ok("hotplug_deny.yaml");
	const struct scenario_field *f;

	assert_false(s->host.plugged_all);
	assert_int_equal(s->host.nplugged, 1);
	assert_number(&s->host.plugged[0], 0);
	assert_true(s->host.teardown);
	assert_false(s->host.has_steps);

	assert_int_equal(s->nexpect, 4);
	assert_string_equal(s->expect[0].type, "rec_exit");
	assert_int_equal(s->expect[0].nfields, 3);
	assert_number(&field(&s->expect[0], "rec")->value, 0);
	assert_name(&field(&s->expect[0], "reason")->value, "PSCI", RMI_EXIT_PSCI);
	f = field(&s->expect[0], "gprs");
	assert_int_equal(f->value.kind, SCENARIO_VAL_LIST);
	assert_int_equal(f->value.count, 2);
	assert_name(&f->value.items[0], "PSCI_CPU_ON", PSCI_CPU_ON);
	assert_number(&f->value.items[1], 1);

	assert_string_equal(s->expect[1].type, "rmi");
	assert_name(&field(&s->expect[1], "cmd")->value, "RMI_PSCI_COMPLETE", RMI_PSCI_COMPLETE);
	f = field(&s->expect[1], "args");
	assert_int_equal(f->value.count, 3);
	assert_symbol(&f->value.items[0], SCENARIO_SYM_REC, NULL, 0, 0);
	assert_int_equal(f->value.items[0].realm_index, 0);
	assert_symbol(&f->value.items[1], SCENARIO_SYM_REC, NULL, 1, 0);
	assert_name(&f->value.items[2], "PSCI_DENIED", PSCI_DENIED);
	assert_name(&field(&s->expect[1], "status")->value, "RMI_SUCCESS", RMI_SUCCESS);

	assert_string_equal(s->expect[2].type, "psci");
	assert_number(&field(&s->expect[2], "rec")->value, 0);
	assert_name(&field(&s->expect[2], "call")->value, "PSCI_CPU_ON", PSCI_CPU_ON);
	assert_name(&field(&s->expect[2], "result")->value, "PSCI_DENIED", PSCI_DENIED);

	assert_string_equal(s->expect[3].type, "realm_state");
	assert_int_equal(s->expect[3].nfields, 1);
	f = field(&s->expect[3], "state");
	assert_int_equal(f->value.kind, SCENARIO_VAL_NAME);
	assert_string_equal(f->value.name, "SYSTEM_OFF");

	assert_int_equal(s->nabsent, 1);
	assert_string_equal(s->absent[0].type, "rec_enter");
	assert_int_equal(s->absent[0].pos.line, 26);
	assert_int_equal(s->absent[0].pos.col, 5);
	assert_number(&field(&s->absent[0], "rec")->value, 1);
	assert_name(&field(&s->absent[0], "status")->value, "RMI_SUCCESS", RMI_SUCCESS);
	assert_null(field(&s->absent[0], "reason"));
	scenario_free(s);
}

static void test_multi_realm_top(void **state)
{
	struct scenario *s = load_ok("multi_realm.yaml");

	assert_int_equal(s->spec, RMM_SPEC_2_0);
	assert_int_equal(s->profile, RMM_PROFILE_TF_RMM);
	assert_int_equal(s->machine.ram, 128ULL << 20);
	assert_int_equal(s->machine.pa_bits, 44);
	assert_int_equal(s->machine.gpt_pps_bits, 40);
	assert_int_equal(s->machine.gpt_l0gptsz, 30);
	assert_int_equal(s->machine.gpt_root_size, 1ULL << 20);
	assert_true(s->multi_realm);
	assert_int_equal(s->nrealms, 2);
	assert_string_equal(s->realms[0].name, "vm1");
	assert_string_equal(s->realms[1].name, "vm2");
	assert_int_equal(s->realms[1].ipa_bits, 40);
	assert_int_equal(s->nprograms, 1);
	/* both realms' REC 0 run the same named program */
	assert_ptr_equal(s->realms[0].recs[0].program, &s->programs[0]);
	assert_ptr_equal(s->realms[1].recs[0].program, &s->programs[0]);
	assert_string_equal(s->realms[1].recs[0].program_ref, "boot");
	assert_false(s->realms[0].recs[1].runnable);
	assert_int_equal(s->realms[0].recs[1].program->nops, 0);
	assert_true(s->realms[1].recs[1].runnable);

	const struct scenario_op *on = &s->programs[0].ops[0];
	assert_symbol(&on->entry, SCENARIO_SYM_REC, NULL, 1, 8);
	assert_name(&on->expect.x[0], "PSCI_DENIED", PSCI_DENIED);
	const struct scenario_op *smc = &s->programs[0].ops[1];
	assert_int_equal(smc->regs.mask, 1);
	assert_name(&smc->regs.x[0], "PSCI_VERSION", PSCI_VERSION);
	assert_number(&smc->expect.x[0], 0x10001);

	const struct scenario_program *p = s->realms[1].recs[1].program;
	assert_int_equal(p->ops[0].kind, REALM_OP_CHECK_REGS);
	assert_int_equal(p->ops[0].regs.mask, 3);
	assert_number(&p->ops[0].regs.x[1], UINT64_MAX);
	assert_name(&p->ops[1].ripas, "RAM", RIPAS_RAM);
	assert_number(&p->ops[1].flags, 0);
	assert_int_equal(p->ops[2].gprs.count, 2);
	scenario_free(s);
}

static void test_multi_realm_host(void **state)
{
	struct scenario *s = load_ok("multi_realm.yaml");
	const struct scenario_host *h = &s->host;

	assert_true(h->plugged_all);
	assert_false(h->teardown);
	assert_int_equal(h->non_host_call, 1);
	assert_number(&h->on_host_call[0].imm, 7);
	assert_int_equal(h->on_host_call[0].action, SCENARIO_HOST_PLUG);
	assert_number(&h->on_host_call[0].rec, 1);
	assert_int_equal(h->nanswers, 1);
	assert_name(&h->answers[0].call, "PSCI_CPU_ON", PSCI_CPU_ON);
	assert_name(&h->answers[0].status, "PSCI_ALREADY_ON", PSCI_ALREADY_ON);

	assert_true(h->has_steps);
	assert_int_equal(h->nsteps, 7);
	assert_int_equal(h->steps[0].kind, SCENARIO_STEP_SETUP);
	assert_int_equal(h->steps[1].kind, SCENARIO_STEP_REC_ENTER);
	assert_symbol(&h->steps[1].rec, SCENARIO_SYM_REC, "vm2", 0, 0);
	assert_int_equal(h->steps[1].rec.realm_index, 1);
	assert_true(h->steps[1].expect.present);
	assert_string_equal(h->steps[1].expect.exit.type, "rec_exit");
	assert_int_equal(h->steps[1].expect.exit.nfields, 2);
	assert_string_equal(h->steps[1].expect.exit.fields[0].name, "reason");
	assert_name(&h->steps[1].expect.exit.fields[0].value, "PSCI", RMI_EXIT_PSCI);

	/* spec 2.0: psci_complete without a target */
	assert_int_equal(h->steps[2].target.kind, SCENARIO_VAL_NONE);
	assert_name(&h->steps[2].status, "PSCI_DENIED", PSCI_DENIED);
	assert_name(&h->steps[2].expect.status, "RMI_SUCCESS", RMI_SUCCESS);

	const struct scenario_step *rmi = &h->steps[3];
	assert_name(&rmi->cmd, "RMI_DATA_DESTROY", RMI_DATA_DESTROY);
	assert_int_equal(rmi->args.count, 4);
	assert_symbol(&rmi->args.items[0], SCENARIO_SYM_RD, "vm2", 0, 0);
	assert_symbol(&rmi->args.items[1], SCENARIO_SYM_REC, "vm2", 1, 8);
	assert_int_equal(rmi->args.items[1].realm_index, 1);
	assert_symbol(&rmi->args.items[2], SCENARIO_SYM_OUTSIDE, NULL, 0, 0);
	assert_int_equal(rmi->args.items[2].realm_index, -1);
	assert_symbol(&rmi->args.items[3], SCENARIO_SYM_DELEGATED, "vm1", 0, 0);
	assert_int_equal(rmi->args.items[3].realm_index, 0);
	assert_name(&rmi->expect.status, "RMI_ERROR_INPUT", RMI_ERROR_INPUT);
	assert_number(&rmi->expect.index, 2);

	assert_symbol(&h->steps[4].pa, SCENARIO_SYM_DATA, "vm1", 0, 0x10);
	assert_int_equal(h->steps[5].kind, SCENARIO_STEP_PLUG);
	assert_number(&h->steps[5].rec, 1);
	assert_int_equal(h->steps[6].kind, SCENARIO_STEP_RUN);

	assert_int_equal(s->nexpect, 3);
	assert_symbol(&s->expect[0].fields[1].value.items[0], SCENARIO_SYM_REC, "vm2", 1, 8);
	assert_string_equal(s->expect[0].fields[2].value.name, "vm2");
	assert_string_equal(s->expect[2].type, "gpf");
	scenario_free(s);
}

static void test_list(void **state)
{
	char buf[4096] = "";
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(scenario_list(data_path("list"), f, 0), 0);
	rewind(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	/* sorted by file name; a file that does not parse is listed with its error */
	const char *a = strstr(buf, "alpha"), *b = strstr(buf, "beta"), *g = strstr(buf, "gamma");
	const char *d = strstr(buf, "d_bad.yaml");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(g);
	assert_non_null(d);
	assert_true(a < b && b < g && g < d);
	assert_non_null(strstr(buf, "alpha                            First scenario.\n"));
	assert_non_null(strstr(buf, "beta                             Second scenario.\n"));
	assert_null(strstr(buf, "More text"));
	assert_non_null(strstr(buf, "\ngamma\n"));
	assert_non_null(strstr(d, "d_bad.yaml:3:1: error: unknown key `bogus`"));
	assert_null(strstr(buf, "not listed"));
	assert_int_equal(scenario_list(data_path("no-such-dir"), stdout, 0), -1);
}

/* At a terminal's width a long description wraps under its column, never into the names. */
static void test_list_wraps(void **state)
{
	(void)state;
	char buf[8192] = "";
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(scenario_list(data_path("list"), f, 60), 0);
	rewind(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	const char *e = strstr(buf, "epsilon                          A description long");
	assert_non_null(e);
	/* its second line: indented to the column, with the words that follow */
	assert_non_null(strstr(e, "\n                                 "));
	unsigned lines = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(line, "d_bad.yaml") || strstr(line, "error")) {
			continue; /* an error is printed whole */
		}
		lines++;
		if (strlen(line) > 60) {
			fail_msg("line longer than 60 columns: %s", line);
		}
	}
	assert_true(lines >= 8); /* epsilon's description takes several */
}

static void test_spec_names(void **state)
{
	enum rmm_spec spec;
	enum rmm_profile profile;

	assert_true(rmm_spec_parse("1.0-eac2", &spec));
	assert_int_equal(spec, RMM_SPEC_1_0_EAC2);
	assert_string_equal(rmm_spec_name(RMM_SPEC_2_0), "2.0");
	assert_false(rmm_spec_parse("1.0", &spec));
	assert_true(rmm_profile_parse("tf-rmm", &profile));
	assert_int_equal(profile, RMM_PROFILE_TF_RMM);
	assert_false(rmm_profile_parse("linux", &profile));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hotplug_deny_top_and_recs),
	    cmocka_unit_test(test_hotplug_deny_ops),
	    cmocka_unit_test(test_hotplug_deny_host_and_patterns),
	    cmocka_unit_test(test_multi_realm_top),
	    cmocka_unit_test(test_multi_realm_host),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_list_wraps),
	    cmocka_unit_test(test_spec_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
