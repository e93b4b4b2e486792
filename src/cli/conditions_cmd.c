/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `cca-sim conditions [--spec REV] [COMMAND]`: the RMM's failure-condition tables. */
#include "cli.h"
#include "rmm/rmm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const iface_prefix[] = {"RMI_", "RSI_", "PSCI_"};

/* The spec revisions a row applies to: "all", or their names. */
static void format_revisions(unsigned bits, char *buf, size_t size)
{
	const char *name;
	unsigned all = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned s = 0; (name = rmm_spec_name((enum rmm_spec)s)) != NULL; s++) {
		all |= RMM_SPEC_BIT(s);
		if ((bits & RMM_SPEC_BIT(s)) && len < size) {
			int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", name);
			len += n > 0 ? (size_t)n : 0;
		}
	}
	if (bits == all) {
		snprintf(buf, size, "all");
	}
}

static const char *index_text(const struct rmm_condition_table *t, const struct rmm_condition *c,
			      char *buf, size_t size)
{
	if (t->iface != RMM_IFACE_RMI) {
		return "-";
	}
	switch (c->index_kind) {
	case RMM_INDEX_WALK:
		return "walk";
	case RMM_INDEX_LEVEL:
		return "level";
	case RMM_INDEX_FIXED:
		break;
	}
	snprintf(buf, size, "%u", c->index);
	return buf;
}

static const char *origin_note(enum rmm_condition_origin o)
{
	switch (o) {
	case RMM_COND_READING:
		return " [cca-sim's reading]";
	case RMM_COND_UNREACHABLE:
		return " [cannot hold on cca-sim's platforms]";
	case RMM_COND_CONCURRENT:
		return " [needs a call from another PE while the REC runs]";
	case RMM_COND_SPEC:
		break;
	}
	return "";
}

static void print_table(const struct rmm_condition_table *t, int spec)
{
	size_t shown = 0;
	for (size_t i = 0; i < t->count; i++) {
		shown += spec < 0 || (t->conds[i].revisions & RMM_SPEC_BIT(spec));
	}
	printf("%s (%s): %zu failure condition%s", t->command, t->section, shown,
	       shown == 1 ? "" : "s");
	if (spec >= 0) {
		printf(" in %s", rmm_spec_name((enum rmm_spec)spec));
	}
	printf(shown ? ", in the spec's order\n" : "\n");
	if (shown) {
		printf("  %-16s %-24s %-6s %-30s %s\n", "ID", "result", "index", "revisions",
		       "meaning");
	}
	for (size_t i = 0; i < t->count; i++) {
		const struct rmm_condition *c = &t->conds[i];
		char rev[96], idx[16];
		if (spec >= 0 && !(c->revisions & RMM_SPEC_BIT(spec))) {
			continue;
		}
		format_revisions(c->revisions, rev, sizeof(rev));
		printf("  %-16s %-24s %-6s %-30s %s%s\n", c->id, c->status_name,
		       index_text(t, c, idx, sizeof(idx)), rev, c->meaning, origin_note(c->origin));
	}
	if (t->order[0]) {
		printf("  ordering: %s\n", t->order);
	} else if (shown > 1) {
		printf("  ordering: the spec gives none\n");
	}
	/* What the RMM decides when the command succeeds (RMI_PSCI_COMPLETE). */
	const struct rmm_decision *d;
	for (size_t i = 0; (d = rmm_decision_at(i)) != NULL; i++) {
		if (strcmp(d->command, t->command) != 0) {
			continue;
		}
		if (i == 0) {
			printf("  on success (%s), the RMM decides:\n", d->section);
		}
		printf("  %-16s %s\n", d->id, d->meaning);
	}
}

static void print_index(int spec)
{
	const struct rmm_condition_table *t;
	printf("%-28s %-8s %s\n", "COMMAND", "SECTION", "CONDITIONS");
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		size_t n = 0;
		for (size_t j = 0; j < t->count; j++) {
			n += spec < 0 || (t->conds[j].revisions & RMM_SPEC_BIT(spec));
		}
		printf("%-28s %-8s %zu\n", t->command, t->section, n);
	}
	printf("\n`cca-sim conditions COMMAND` prints one table.\n");
}

/* The table `name` names: the command's name or its name without the interface prefix, in
 * any case. NULL (after saying why) when it names none or several. */
static const struct rmm_condition_table *find_table(const char *name)
{
	char upper[64];
	size_t len = strlen(name);
	if (len == 0 || len >= sizeof(upper)) {
		fprintf(stderr, "cca-sim: error: no command '%s'\n", name);
		return NULL;
	}
	for (size_t i = 0; i <= len; i++) {
		upper[i] = (char)toupper((unsigned char)name[i]);
	}
	const struct rmm_condition_table *t = rmm_condition_table_find(upper), *found = NULL;
	if (t) {
		return t;
	}
	size_t matches = 0;
	for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
		const char *prefix = iface_prefix[t->iface];
		if (strncmp(t->command, prefix, strlen(prefix)) == 0 &&
		    strcmp(t->command + strlen(prefix), upper) == 0) {
			found = t;
			matches++;
		}
	}
	if (matches == 1) {
		return found;
	}
	if (matches > 1) {
		fprintf(stderr, "cca-sim: error: '%s' is ambiguous:", name);
		for (size_t i = 0; (t = rmm_condition_table_at(i)) != NULL; i++) {
			const char *prefix = iface_prefix[t->iface];
			if (strcmp(t->command + strlen(prefix), upper) == 0) {
				fprintf(stderr, " %s", t->command);
			}
		}
		fprintf(stderr, "\n");
		return NULL;
	}
	fprintf(stderr,
		"cca-sim: error: no command '%s' (`cca-sim conditions` lists the commands)\n",
		name);
	return NULL;
}

int cli_conditions(int argc, char **argv)
{
	const char *command = NULL;
	int spec = -1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return cli_usage(stdout, CCA_EXIT_OK);
		}
		if (strcmp(argv[i], "--spec") == 0) {
			enum rmm_spec s;
			if (i + 1 >= argc || !rmm_spec_parse(argv[i + 1], &s)) {
				fprintf(stderr, "cca-sim: error: --spec needs one of %s\n",
					rmm_spec_name_list());
				return CCA_EXIT_INPUT;
			}
			spec = (int)s;
			i++;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "cca-sim: error: unknown option '%s'\n", argv[i]);
			return CCA_EXIT_INPUT;
		} else if (command) {
			fprintf(stderr, "cca-sim: error: one COMMAND at most\n");
			return CCA_EXIT_INPUT;
		} else {
			command = argv[i];
		}
	}
	if (!command) {
		print_index(spec);
		return CCA_EXIT_OK;
	}
	const struct rmm_condition_table *t = find_table(command);
	if (!t) {
		return CCA_EXIT_INPUT;
	}
	print_table(t, spec);
	return CCA_EXIT_OK;
}
