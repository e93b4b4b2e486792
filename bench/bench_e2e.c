/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * End-to-end cost of a scenario as a user sees it: process start to exit of
 * `cca-sim run --quiet FILE`, median over many runs, and the peak resident memory, printed
 * against `cca-sim --version` (process start and exit alone) measured in the same run, the
 * two taking turns run by run.
 * Usage: bench_e2e CCA-SIM RUNS FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sample {
	double ms;
	long rss_kb;
	int status;
};

static struct sample run(char *const argv[])
{
	struct sample s = {0};
	struct timespec a, b;
	struct rusage ru;
	fflush(stdout); /* or the child's freopen would write our buffered lines again */
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
			_exit(127);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	wait4(pid, &s.status, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &b);
	s.ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) * 1e-6;
	s.rss_kb = ru.ru_maxrss;
	return s;
}

static int by_ms(const void *x, const void *y)
{
	double d = ((const struct sample *)x)->ms - ((const struct sample *)y)->ms;
	return (d > 0) - (d < 0);
}

/* Median wall time and the largest peak RSS over `n` runs of each command, the commands
 * taking turns run by run, so that a busy machine slows both alike; -1 if a run failed. */
static int measure2(char *const a[], char *const b[], int n, double ms[2], long rss[2])
{
	struct sample *s[2] = {calloc((size_t)n, sizeof(struct sample)),
			       calloc((size_t)n, sizeof(struct sample))};
	int rc = s[0] && s[1] ? 0 : -1;
	rss[0] = rss[1] = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		for (int k = 0; k < 2 && rc == 0; k++) {
			s[k][i] = run(k ? b : a);
			if (!WIFEXITED(s[k][i].status) || WEXITSTATUS(s[k][i].status) != 0) {
				rc = -1;
			}
			rss[k] = s[k][i].rss_kb > rss[k] ? s[k][i].rss_kb : rss[k];
		}
	}
	for (int k = 0; rc == 0 && k < 2; k++) {
		qsort(s[k], (size_t)n, sizeof(struct sample), by_ms);
		ms[k] = s[k][n / 2].ms;
	}
	free(s[0]);
	free(s[1]);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_e2e CCA-SIM RUNS FILE...\n");
		return 2;
	}
	int n = atoi(argv[2]);
	char *version[] = {argv[1], "--version", NULL};
	if (n < 1) {
		fprintf(stderr, "bench_e2e: RUNS must be 1 or more\n");
		return 2;
	}
	for (int f = 3; f < argc; f++) {
		double ms[2];
		long rss[2];
		char *cmd[] = {argv[1], "run", "--quiet", "--no-color", argv[f], NULL};
		if (measure2(version, cmd, n, ms, rss) != 0) {
			fprintf(stderr, "bench_e2e: %s did not pass, or %s cannot run\n", argv[f],
				argv[1]);
			return 1;
		}
		const char *name = strrchr(argv[f], '/');
		printf("%-34s %9.2f ms  %7.1f MiB peak\n", "cca-sim --version (baseline)", ms[0],
		       (double)rss[0] / 1024);
		printf("%-34s %9.2f ms  %7.1f MiB peak  (%.2fx the baseline's time)\n",
		       name ? name + 1 : argv[f], ms[1], (double)rss[1] / 1024, ms[1] / ms[0]);
	}
	return 0;
}
