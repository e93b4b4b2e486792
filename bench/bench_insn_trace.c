/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cost of `--trace insn`: wall time of `cca-sim run --quiet FILE` against
 * `cca-sim run --quiet --trace insn FILE`, both with their output to /dev/null, median of RUNS
 * runs each (the two alternate, so that drift on a shared machine hits both alike), as a
 * ratio and as the extra time per traced instruction.
 * Usage: bench_insn_trace CCA-SIM RUNS FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Runs argv with stdout and stderr on /dev/null; milliseconds, or -1 if it did not exit 0. */
static double timed_run(char *const argv[])
{
	struct timespec a, b;
	int status = 0;

	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
			_exit(127);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) * 1e-6;
}

/* How many instruction lines the trace of `file` has (its Tarmac IT/IS lines). */
static long traced_insns(const char *bin, const char *file)
{
	char cmd[2048], line[512];
	long n = 0;

	snprintf(cmd, sizeof(cmd), "'%s' run --quiet --trace insn '%s'", bin, file);
	FILE *p = popen(cmd, "r");
	if (!p) {
		return -1;
	}
	while (fgets(line, sizeof(line), p)) {
		n += strstr(line, " IT (") || strstr(line, " IS (");
	}
	return pclose(p) == 0 ? n : -1;
}

static int by_value(const void *x, const void *y)
{
	double d = *(const double *)x - *(const double *)y;
	return (d > 0) - (d < 0);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench_file(char *bin, int runs, char *file)
{
	char run[] = "run", quiet[] = "--quiet", trace[] = "--trace", insn[] = "insn";
	char *off[] = {bin, run, quiet, file, NULL};
	char *on[] = {bin, run, quiet, trace, insn, file, NULL};
	double *t_off = calloc((size_t)runs, sizeof(double));
	double *t_on = calloc((size_t)runs, sizeof(double));
	long insns = traced_insns(bin, file);
	int rc = -1;

	if (!t_off || !t_on || insns < 0) {
		goto out;
	}
	for (int i = 0; i < runs; i++) {
		t_off[i] = timed_run(off);
		t_on[i] = timed_run(on);
		if (t_off[i] < 0 || t_on[i] < 0) {
			goto out;
		}
	}
	double m_off = median(t_off, runs), m_on = median(t_on, runs);
	const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	printf("%-28s %8ld %10.2f %10.2f %7.2f %12.2f\n", name, insns, m_off, m_on, m_on / m_off,
	       insns ? (m_on - m_off) * 1e3 / (double)insns : 0.0);
	rc = 0;
out:
	free(t_off);
	free(t_on);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 4 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: bench_insn_trace CCA-SIM RUNS FILE...\n");
		return 2;
	}
	int runs = atoi(argv[2]);
	printf("median of %d runs each, output to /dev/null\n", runs);
	printf("%-28s %8s %10s %10s %7s %12s\n", "scenario", "insns", "off (ms)", "on (ms)",
	       "on/off", "us/insn");
	for (int i = 3; i < argc; i++) {
		if (bench_file(argv[1], runs, argv[i]) != 0) {
			fprintf(stderr, "bench_insn_trace: %s failed\n", argv[i]);
			return 1;
		}
	}
	return 0;
}
