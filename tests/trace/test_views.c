/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The views of a run (diagrams, Perfetto, RMM log, report) on synthetic event streams. */
#include "abi/abi.h"
#include "trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef int (*writer_fn)(const struct trace *t, const struct trace_view *v, FILE *out);

static const char *namer(void *ctx, uint64_t pa, char *buf, size_t len)
{
	(void)ctx;
	if (pa == 0x1000) {
		return "rec0";
	}
	if (pa == 0x2000) {
		snprintf(buf, len, "rec1");
		return buf;
	}
	return NULL;
}

static const struct trace_view view = {
    .title = "t<&>\"'", .spec = "1.0-rel0", .profile = "tf-rmm", .namer = namer};

/*
 * The view's text, heap-allocated. The stream's buffer pointer lives in a heap cell rather
 * than on this function's stack: open_memstream keeps its address, and gcc 12 at -O3 then
 * takes the returned text for a pointer into this (dead) frame (-Wdangling-pointer).
 */
static char *render(const struct trace *t, writer_fn fn)
{
	char **cell = calloc(1, sizeof(*cell));
	size_t len = 0;
	assert_non_null(cell);
	FILE *f = open_memstream(cell, &len);
	assert_non_null(f);
	assert_int_equal(fn(t, &view, f), 0);
	fclose(f);
	char *text = *cell;
	free(cell);
	return text;
}

static int report(const struct trace *t, const struct trace_view *v, FILE *out)
{
	static const char *const failures[] = {"x.yaml:3:5: expected <this> & that"};
	const struct trace_report r = {.description = "a <description> & more",
				       .verdict = "FAIL",
				       .nchecks = 4,
				       .failures = failures,
				       .nfailures = 1};
	return trace_write_report(t, v, &r, out);
}

/* One host RMI call as the run reports it: SMC, switch, RMM's answer, switch back. */
static void host_call(struct trace *t, uint64_t fid, const char *cmd, const uint64_t *args,
		      unsigned n, const char *status, const char *cond)
{
	struct trace_event *ev = trace_begin(t, TE_smc);
	trace_name(ev, "world", "NS");
	trace_int(ev, "el", 2);
	trace_hex(ev, "fid", fid);
	trace_hexlist(ev, "args", args, n);
	trace_end(t, ev);
	ev = trace_begin(t, TE_world_switch);
	trace_name(ev, "from", "NS");
	trace_name(ev, "to", "REALM");
	trace_end(t, ev);
	ev = trace_begin(t, TE_rmi);
	trace_name(ev, "cmd", cmd);
	trace_hex(ev, "fid", fid);
	trace_hexlist(ev, "args", args, n);
	trace_name(ev, "status", status);
	trace_int(ev, "index", 0);
	if (cond) {
		trace_name(ev, "condition", cond);
	}
	trace_end(t, ev);
	ev = trace_begin(t, TE_world_switch);
	trace_name(ev, "from", "REALM");
	trace_name(ev, "to", "NS");
	trace_end(t, ev);
}

static void delegate(struct trace *t, uint64_t pa)
{
	struct trace_event *ev;
	host_call(t, RMI_GRANULE_DELEGATE, "RMI_GRANULE_DELEGATE", &pa, 1, "RMI_SUCCESS", NULL);
	ev = trace_begin(t, TE_gpt);
	trace_hex(ev, "pa", pa);
	trace_name(ev, "from", "NS");
	trace_name(ev, "to", "REALM");
	trace_end(t, ev);
}

static struct trace *flow(void)
{
	struct trace *t = trace_create();
	uint64_t enter[2] = {0x1000, 0x1100};
	uint64_t complete[3] = {0x1000, 0x2000, (uint64_t)-3};
	uint64_t gprs[3] = {0xc4000003, 1, 0};
	trace_keep(t, true);
	for (uint64_t pa = 0x80000000; pa < 0x80005000; pa += 0x1000) {
		delegate(t, pa);
	}
	host_call(t, RMI_REC_ENTER, "RMI_REC_ENTER", enter, 2, "RMI_SUCCESS", NULL);
	struct trace_event *ev = trace_begin(t, TE_rec_exit);
	trace_int(ev, "rec", 0);
	trace_name(ev, "reason", "PSCI");
	trace_hexlist(ev, "gprs", gprs, 3);
	trace_str(ev, "realm", "vm<1>");
	trace_end(t, ev);
	ev = trace_begin(t, TE_host);
	trace_str(ev, "decision", "say \"no\"\\");
	trace_int(ev, "rec", 0);
	trace_int(ev, "target", 1);
	trace_end(t, ev);
	host_call(t, RMI_PSCI_COMPLETE, "RMI_PSCI_COMPLETE", complete, 3, "RMI_SUCCESS", NULL);
	host_call(t, RMI_PSCI_COMPLETE, "RMI_PSCI_COMPLETE", complete, 3, "RMI_ERROR_INPUT",
		  "pending");
	return t;
}

static void mermaid_order_and_folding(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = render(t, trace_write_mermaid);
	const char *fold = strstr(s, "set-up: 5 RMI calls, all RMI_SUCCESS (GRANULE_DELEGATE x5)");
	const char *exit = strstr(s, "exit PSCI: PSCI_CPU_ON(0x1)");
	const char *deny = strstr(s, "RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED)");
	const char *fail = strstr(s, "RMI_ERROR_INPUT: failure condition 'pending'");
	assert_non_null(fold);
	assert_non_null(exit);
	assert_non_null(deny);
	assert_non_null(fail);
	assert_true(fold < exit && exit < deny && deny < fail);
	assert_null(strstr(s, "RMI_GRANULE_DELEGATE(")); /* folded away */
	assert_non_null(strstr(s, "participant p3 as vm<1>.rec0 (R-EL1)"));
	assert_non_null(strstr(s, "    title t<&>\"' (RMM 1.0-rel0, profile tf-rmm)\n"));
	free(s);
	trace_destroy(t);
}

static void failed_setup_call_is_not_folded(void **state)
{
	(void)state;
	struct trace *t = trace_create();
	uint64_t pa = 0x90000000;
	trace_keep(t, true);
	delegate(t, 0x80000000);
	host_call(t, RMI_GRANULE_DELEGATE, "RMI_GRANULE_DELEGATE", &pa, 1, "RMI_ERROR_INPUT",
		  "gran_pas");
	delegate(t, 0x80001000);
	delegate(t, 0x80002000);
	char *s = render(t, trace_write_plantuml);
	assert_non_null(strstr(s, "@startuml\ntitle t<&>\"' (RMM 1.0-rel0, profile tf-rmm)\n"));
	assert_non_null(strstr(s, "RMI_GRANULE_DELEGATE(0x90000000)"));
	assert_non_null(strstr(s, "-[#red]-> p0 : RMI_ERROR_INPUT: failure condition 'gran_pas'"));
	assert_null(strstr(s, "set-up")); /* no run of 3 successful calls */
	assert_non_null(strstr(s, "@enduml\n"));
	free(s);
	trace_destroy(t);
}

static void repetition_is_folded(void **state)
{
	(void)state;
	struct trace *t = trace_create();
	uint64_t complete[3] = {0x1000, 0x2000, 0};
	trace_keep(t, true);
	for (int i = 0; i < 10; i++) {
		host_call(t, RMI_PSCI_COMPLETE, "RMI_PSCI_COMPLETE", complete, 3, "RMI_SUCCESS",
			  NULL);
	}
	char *s = render(t, trace_write_mermaid);
	assert_non_null(strstr(s, "folded: the 1 RMI call above repeats x9 more"));
	/* shown once, then the fold */
	assert_null(strstr(strstr(s, "RMI_PSCI_COMPLETE(") + 1, "RMI_PSCI_COMPLETE("));
	free(s);
	trace_destroy(t);
}

static void svg_is_escaped(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = render(t, trace_write_svg);
	assert_true(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	assert_non_null(
	    strstr(s, "<title>t&lt;&amp;&gt;&quot;&#39; (RMM 1.0-rel0, profile tf-rmm)</title>"));
	assert_non_null(strstr(s, "vm&lt;1&gt;.rec0"));
	assert_non_null(strstr(s, "say &quot;no&quot;\\"));
	assert_null(strstr(s, "vm<1>"));
	assert_non_null(strstr(s, "</svg>\n"));
	free(s);
	trace_destroy(t);
}

static void perfetto_is_escaped_json(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = render(t, trace_write_perfetto);
	/* what the run was, in the format's metadata, then the events */
	const char *head = "{\"metadata\":{\"cca-sim scenario\":\"t<&>\\\"' (RMM 1.0-rel0, profile "
			   "tf-rmm)\",\"spec\":\"1.0-rel0\",\"profile\":\"tf-rmm\",";
	assert_true(strncmp(s, head, strlen(head)) == 0);
	assert_non_null(strstr(s, "},\"displayTimeUnit\":\"ns\",\"traceEvents\":["));
	assert_non_null(strstr(s, "VMM decides: say \\\"no\\\"\\\\ vCPU 1"));
	assert_non_null(strstr(s, "\"name\":\"vm<1>.rec0 (R-EL1)\""));
	assert_non_null(strstr(s, "\n]}\n"));
	free(s);
	trace_destroy(t);
}

/* The narration of a kept trace, folded or not, as text. */
static char *narrate(const struct trace *t, bool fold)
{
	char **cell = calloc(1, sizeof(*cell));
	size_t len = 0;
	assert_non_null(cell);
	FILE *f = open_memstream(cell, &len);
	assert_non_null(f);
	struct trace_narrator n = {.out = f, .fold = fold};
	for (size_t i = 0; i < trace_count(t); i++) {
		trace_narrate_sink(&n, trace_get(t, i));
	}
	trace_narrate_finish(&n);
	fclose(f);
	char *text = *cell;
	free(cell);
	return text;
}

static void narration_folds_setup(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = narrate(t, true);
	/* five delegations become one line numbered by their first event, with their range */
	assert_non_null(strstr(s, "   1  host    NS-EL2  set-up: 5 RMI calls, all RMI_SUCCESS "
				  "(GRANULE_DELEGATE x5), 5 GPT transitions [events 1-25; "
				  "--no-fold shows them]\n"));
	assert_null(strstr(s, "RMI_GRANULE_DELEGATE("));
	assert_null(strstr(s, "GPT: "));
	/* the flow that matters is as it was, failure included */
	assert_non_null(strstr(s, "calls RMI_REC_ENTER"));
	assert_non_null(strstr(s, "failure condition 'pending'"));
	free(s);
	s = narrate(t, false);
	assert_null(strstr(s, "set-up:"));
	assert_non_null(strstr(s, "RMI_GRANULE_DELEGATE(0x80004000) -> RMI_SUCCESS"));
	free(s);
	trace_destroy(t);
}

static void narration_fold_stops_at_a_failure(void **state)
{
	(void)state;
	struct trace *t = trace_create();
	uint64_t pa = 0x90000000;
	trace_keep(t, true);
	delegate(t, 0x80000000);
	delegate(t, 0x80001000);
	delegate(t, 0x80002000);
	host_call(t, RMI_GRANULE_DELEGATE, "RMI_GRANULE_DELEGATE", &pa, 1, "RMI_ERROR_INPUT",
		  "gran_pas");
	delegate(t, 0x80003000);
	delegate(t, 0x80004000); /* two only after the failure: not folded */
	char *s = narrate(t, true);
	const char *fold = strstr(s, "set-up: 3 RMI calls, all RMI_SUCCESS (GRANULE_DELEGATE x3)");
	const char *failed = strstr(s, "calls RMI_GRANULE_DELEGATE(0x90000000) -> RMI_ERROR_INPUT: "
				       "failure condition 'gran_pas'\n");
	const char *after = strstr(s, "RMI_GRANULE_DELEGATE(0x80004000) -> RMI_SUCCESS");
	assert_non_null(fold);
	assert_non_null(strstr(fold, "[events 1-15; --no-fold shows them]\n"));
	assert_non_null(failed);
	assert_non_null(after);
	assert_true(fold < failed && failed < after);
	assert_null(strstr(s, "RMI_GRANULE_DELEGATE(0x80000000)"));
	free(s);
	trace_destroy(t);
}

/* As render(), with another view; the buffer pointer in a heap cell for the same reason. */
static char *render_with(const struct trace *t, writer_fn fn, const struct trace_view *v)
{
	char **cell = calloc(1, sizeof(*cell));
	size_t len = 0;
	assert_non_null(cell);
	FILE *f = open_memstream(cell, &len);
	assert_non_null(f);
	assert_int_equal(fn(t, v, f), 0);
	fclose(f);
	char *text = *cell;
	free(cell);
	return text;
}

/* --diagram-style compact: no EL3 hops (nor its empty lifeline), the DENIED path boxed. */
static void compact_style(void **state)
{
	(void)state;
	struct trace *t = flow();
	struct trace_view v = view;
	v.compact = true;
	char *s = render_with(t, trace_write_mermaid, &v);
	assert_null(strstr(s, "SMC forwarded"));
	assert_null(strstr(s, "EL3 monitor"));
	assert_non_null(strstr(s, "    participant p1 as RMM (R-EL2)\n"));
	assert_non_null(strstr(s, "set-up: 5 RMI calls, all RMI_SUCCESS, 5 GPT transitions"));
	const char *box = strstr(s, "    rect rgb(253, 233, 217)\n");
	assert_non_null(box);
	const char *deny = strstr(box, "p0->>p1: RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED)\n");
	assert_non_null(deny);
	assert_non_null(strstr(deny, "    end\n"));
	free(s);
	s = render_with(t, trace_write_svg, &v);
	assert_non_null(strstr(s, "class=\"call hot\""));
	assert_non_null(strstr(s, "marker-end=\"url(#arrow-hot)\""));
	free(s);
	s = render_with(t, trace_write_plantuml, &v);
	assert_non_null(strstr(s, "skinparam defaultFontSize 16\n"));
	assert_non_null(
	    strstr(s, "p0 -[#d35400,bold]> p1 : RMI_PSCI_COMPLETE(rec0, rec1, PSCI_DENIED)"));
	free(s);
	/* the full style keeps every hop and marks nothing hot */
	s = render(t, trace_write_svg);
	assert_non_null(strstr(s, "SMC forwarded"));
	assert_null(strstr(s, " hot\""));
	/* a failure's red stroke is for lines and boxes, never text (it blurs the letters) */
	assert_non_null(strstr(s, "line.bad, rect.bad { stroke: #c0392b; }"));
	assert_null(strstr(s, "\n.bad {"));
	free(s);
	trace_destroy(t);
}

static void rmm_log_format(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = render(t, trace_write_rmm_log);
	assert_non_null(strstr(s, "SMC_RMI_GRANULE_DELEGATE      80000000 > RMI_SUCCESS\n"));
	assert_non_null(strstr(s, "SMC_RMI_REC_ENTER             1000 1100 > RMI_SUCCESS\n"));
	assert_non_null(strstr(s, "SMC_RMI_PSCI_COMPLETE         1000 2000 fffffffffffffffd > "
				  "RMI_ERROR_INPUT /* pending */\n"));
	free(s);
	trace_destroy(t);
}

static void report_is_self_contained(void **state)
{
	(void)state;
	struct trace *t = flow();
	char *s = render(t, report);
	assert_true(strncmp(s, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_null(strstr(s, "<?xml"));
	assert_non_null(strstr(s, "a &lt;description&gt; &amp; more"));
	/* the verdict and the failed expectation first */
	assert_non_null(strstr(s, "<div id=\"verdict\" class=\"fail\">FAIL: 4 expectations "
				  "checked, 1 failed</div>"));
	assert_non_null(strstr(s, "<li>x.yaml:3:5: expected &lt;this&gt; &amp; that</li>"));
	/* each granule's PAS with the event that changed it (delegate: events 1-5) */
	assert_non_null(strstr(s, "<td>0x80004000</td><td>NS, REALM at 25</td>"));
	assert_non_null(strstr(s, "calls RMI_PSCI_COMPLETE")); /* the timeline */
	assert_null(strstr(s, "\033["));                       /* without colour */
	/* the player and its data are inline; the data cannot end its script early */
	assert_non_null(strstr(s, "<script id=\"run-data\" type=\"application/json\">"));
	assert_non_null(strstr(s, "\"realm\":\"vm\\u003c1>\""));
	const char *end = strstr(s, "</script>");
	assert_non_null(end);
	assert_non_null(strstr(end + 1, "</script>"));
	assert_null(strstr(strstr(end + 1, "</script>") + 1, "</script>"));
	assert_null(strstr(s, "<link"));
	assert_null(strstr(s, " src="));
	assert_null(strstr(s, "https:"));
	free(s);
	trace_destroy(t);
}

static void views_are_deterministic(void **state)
{
	(void)state;
	const writer_fn fns[] = {trace_write_svg,      trace_write_mermaid, trace_write_plantuml,
				 trace_write_perfetto, trace_write_rmm_log, report};
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct trace *a = flow(), *b = flow();
		char *x = render(a, fns[i]), *y = render(b, fns[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
		trace_destroy(a);
		trace_destroy(b);
	}
}

static void empty_run(void **state)
{
	(void)state;
	struct trace *t = trace_create();
	trace_keep(t, true);
	char *s = render(t, trace_write_svg);
	assert_non_null(strstr(s, "</svg>"));
	free(s);
	s = render(t, trace_write_perfetto);
	assert_non_null(strstr(s, "]}"));
	free(s);
	trace_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mermaid_order_and_folding),
	    cmocka_unit_test(narration_folds_setup),
	    cmocka_unit_test(compact_style),
	    cmocka_unit_test(narration_fold_stops_at_a_failure),
	    cmocka_unit_test(failed_setup_call_is_not_folded),
	    cmocka_unit_test(repetition_is_folded),
	    cmocka_unit_test(svg_is_escaped),
	    cmocka_unit_test(perfetto_is_escaped_json),
	    cmocka_unit_test(rmm_log_format),
	    cmocka_unit_test(report_is_self_contained),
	    cmocka_unit_test(views_are_deterministic),
	    cmocka_unit_test(empty_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
