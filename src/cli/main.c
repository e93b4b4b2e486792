/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cca-sim: the command line (docs/scenarios.md, "Command line"). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: cca-sim run FILE... [--json OUT] [--diagram OUT.svg|.mmd|.puml]\n"
    "                           [--perfetto OUT.json] [--report OUT.html] [--rmm-log OUT]\n"
    "                           [--trace insn] [--junit OUT.xml] [--console OUT]\n"
    "                           [--quiet|--verbose] [--explain] [--no-fold] [--no-color]\n"
    "                           [--diagram-style full|compact] [--check-invariants]\n"
    "                           [--spec REV]\n"
    "                           [--profile NAME]\n"
    "                           [--max-insns N] [--gdb [HOST:]PORT]\n"
    "                           [--token-out FILE]\n"
    "       cca-sim list [DIR]\n"
    "       cca-sim keys [--seed S] [--realm VMID]\n"
    "       cca-sim token FILE [--seed S | --cpak PEM]\n"
    "       cca-sim conditions [--spec REV] [COMMAND]\n"
    "       cca-sim coverage [DIR]\n"
    "       cca-sim diff FILE [FILE2] [--spec A [--spec B]] [--profile P [--profile Q]]\n"
    "                    [--diagram OUT.svg|.mmd|.puml] [--width N]\n"
    "       cca-sim explore FILE [--depth N] [--max-runs N] [--max-insns N] [--tamper N]\n"
    "                    [--shard I/N] [--out DIR] [--no-merge] [--spec REV] [--profile NAME]\n"
    "                    [--json]\n"
    "       cca-sim --help | --version\n"
    "\n"
    "A full-system emulator of an Arm RME-capable core plus a Realm Management Monitor\n"
    "(Arm DEN0137). `run` executes scenario files; `list` shows the scenarios in DIR\n"
    "(default: scenarios). `keys` prints the platform's attestation key (CPAK) as PEM,\n"
    "or with --realm the Realm Attestation Key of the realm with that VMID; `token`\n"
    "decodes a CCA attestation token, prints its claims and verifies its signatures and\n"
    "the binding from CPAK to RAK. Keys derive from the seed S (default \"cca-sim\");\n"
    "--cpak takes the platform key from a PEM file instead. `conditions` prints the\n"
    "failure conditions of an RMI, RSI or PSCI command (e.g. data_create, RSI_HOST_CALL,\n"
    "PSCI_CPU_ON) in the spec's order, with what each means, or lists the commands;\n"
    "--spec REV keeps the conditions of that revision. `coverage` runs every scenario\n"
    "of DIR (default: scenarios) and prints which conditions and decisions of every\n"
    "command they reach, and which none does (exit code 1 if one that can hold is not).\n"
    "`diff` runs one scenario under two revisions or profiles, or two scenarios, and\n"
    "shows where their flows part, side by side, and with --diagram as one diagram with\n"
    "the two runs' steps as alternatives (exit code 1 when they differ). `explore` makes\n"
    "the host an adversary: it runs the scenario with every schedule, every way to complete\n"
    "each PSCI request and up to --tamper N (default 1) tampering actions, merges states\n"
    "seen, checks the spec's guarantees on every run, prints what the realm can receive,\n"
    "and with --out DIR writes each violation as a shortened scenario of host steps (exit\n"
    "code 1 when a guarantee breaks); --shard I/N runs part I of N of the search.\n"
    "\n"
    "  --json OUT        write the event stream as JSON Lines (`-` for standard output)\n"
    "  --diagram OUT     write a sequence diagram of each run: SVG, Mermaid or PlantUML\n"
    "                    by the extension (.svg, .mmd, .puml)\n"
    "  --perfetto OUT    write Chrome trace-event JSON of each run (ui.perfetto.dev)\n"
    "  --report OUT      write a self-contained HTML page: diagram, narration, events, GPT\n"
    "  --rmm-log OUT     write TF-RMM-style log lines, one per RMI call (`-`: standard output)\n"
    "  --console OUT     write what the realms wrote to their emulated UART (`-`: standard\n"
    "                    output)\n"
    "                    With several FILEs, --json and each view go to\n"
    "                    OUT-<scenario name>.ext (`--json -`: one stream, each scenario's\n"
    "                    events numbered from 1); scenario names must differ.\n"
    "                    An output that cannot be written is an error (exit code 2).\n"
    "  --token-out FILE  write each attestation token a realm fetched whole, as raw CBOR:\n"
    "                    the first to FILE, the n-th to FILE.n (`cca-sim token FILE`)\n"
    "  --gdb [HOST:]PORT serve gdb (127.0.0.1 unless HOST is given; port 0: a free one,\n"
    "                    printed) and wait for it before the first instruction\n"
    "  --trace insn      print every executed instruction (Tarmac-like, with the\n"
    "                    registers it changed) among the narration\n"
    "  --junit OUT.xml   write a JUnit report, one test case per scenario\n"
    "  --quiet           no narration, only the verdict of each scenario\n"
    "  --explain         under each failure condition and RMM decision, why (its meaning\n"
    "                    and spec section); in the diagrams too, as notes\n"
    "  --verbose         narrate every world switch and every SMC EL3 serves itself\n"
    "                    (and every line of set-up and teardown)\n"
    "  --no-fold         narrate every line of set-up and teardown, which are otherwise\n"
    "                    one line each, as in the diagrams\n"
    "  --check-invariants\n"
    "                    also check the guarantees `explore` checks (docs/explore.md);\n"
    "                    one that breaks is a failed expectation (exit code 1)\n"
    "  --diagram-style compact\n"
    "                    diagrams for slides: no EL3 forwarding hops, drawn larger, the\n"
    "                    DENIED path highlighted (default: full)\n"
    "  --no-color        no colour (also: NO_COLOR set, or output not a terminal)\n"
    "  --spec REV        1.0-eac2, 1.0-eac3, 1.0-rel0 or 2.0, instead of the scenario's\n"
    "  --profile NAME    spec or tf-rmm, instead of the scenario's\n"
    "  --max-insns N     instruction budget of each run (default 20000000); entering a\n"
    "                    PE and taking an exception count as one instruction each\n"
    "\n"
    "Exit codes: 0 every expectation held; 1 an expectation failed; 2 invalid command line\n"
    "or scenario, or an output that cannot be written; 3 the emulated system failed\n"
    "unexpectedly (e.g. a runaway guest, a realm stuck in a fault loop).\n"
    "`token`: 0 verified; 1 a signature or the binding does not hold; 2 invalid command\n"
    "line, or the file is not a well-formed CCA attestation token.\n";

int cli_usage(FILE *out, int code)
{
	fputs(usage, out);
	return code;
}

/* `list`, `keys`, `token` and `conditions` print their result: one that did not reach standard
 * output (a full disk, /dev/full) is an output that cannot be written, exit code 2, as for `run`.
 */
static int printed(int rc)
{
	return cli_stdout_check() != 0 && rc != CCA_EXIT_SYSTEM ? CCA_EXIT_INPUT : rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		return cli_usage(stdout, 0);
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("cca-sim %s (RMM 1.0-rel0; profiles 1.0-eac2, 1.0-eac3, 1.0-rel0, 2.0)\n",
		       CCA_SIM_VERSION);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "run") == 0) {
		return cli_run(argc - 2, argv + 2);
	}
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		return printed(cli_list(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "keys") == 0) {
		return printed(cli_keys(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "token") == 0) {
		return printed(cli_token(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "conditions") == 0) {
		return printed(cli_conditions(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "coverage") == 0) {
		return printed(cli_coverage(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "diff") == 0) {
		return printed(cli_diff(argc - 2, argv + 2));
	}
	if (argc >= 2 && strcmp(argv[1], "explore") == 0) {
		return printed(cli_explore(argc - 2, argv + 2));
	}
	if (argc >= 2) {
		fprintf(stderr, "cca-sim: error: unknown command '%s'\n", argv[1]);
	}
	return cli_usage(stderr, CCA_EXIT_INPUT);
}
