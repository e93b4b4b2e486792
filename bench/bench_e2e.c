/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * End-to-end cost of a scenario as a user sees it: process start to exit of
 * `cca-sim run --quiet FILE`, median over many runs, and the peak resident memory, printed
 * against `cca-sim --version` (process start and exit alone) measured in the same run.
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

/* Median wall time and the largest peak RSS over `n` runs; -1 if a run failed. */
static int measure(char *const argv[], int n, double *ms, long *rss)
{
	struct sample *s = calloc((size_t)n, sizeof(*s));
	*rss = 0;
	for (int i = 0; i < n; i++) {
		s[i] = run(argv);
		if (!WIFEXITED(s[i].status) || WEXITSTATUS(s[i].status) != 0) {
			free(s);
			return -1;
		}
		*rss = s[i].rss_kb > *rss ? s[i].rss_kb : *rss;
	}
	qsort(s, (size_t)n, sizeof(*s), by_ms);
	*ms = s[n / 2].ms;
	free(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_e2e CCA-SIM RUNS FILE...\n");
		return 2;
	}
	int n = atoi(argv[2]);
	double base_ms;
	long base_rss;
	char *version[] = {argv[1], "--version", NULL};
	if (n < 1 || measure(version, n, &base_ms, &base_rss) != 0) {
		fprintf(stderr, "bench_e2e: cannot run %s\n", argv[1]);
		return 1;
	}
	printf("%-34s %9.2f ms  %7.1f MiB peak\n", "cca-sim --version (baseline)", base_ms,
	       (double)base_rss / 1024);
	for (int f = 3; f < argc; f++) {
		double ms;
		long rss;
		char *cmd[] = {argv[1], "run", "--quiet", "--no-color", argv[f], NULL};
		if (measure(cmd, n, &ms, &rss) != 0) {
			fprintf(stderr, "bench_e2e: %s did not pass\n", argv[f]);
			return 1;
		}
		const char *name = strrchr(argv[f], '/');
		printf("%-34s %9.2f ms  %7.1f MiB peak  (%.1fx the baseline's time)\n",
		       name ? name + 1 : argv[f], ms, (double)rss / 1024, ms / base_ms);
	}
	return 0;
}
