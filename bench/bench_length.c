/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run time against program length: `cca-sim run --quiet` on a one-REC realm whose program has
 * N ops, each with a probe (alternately psci_version with `expect` and check_regs), for each
 * N given. The baseline, measured in the same process, is the same scenario with one op: it
 * is what does not depend on the length (process start, boot, realm set-up). The cost per
 * instruction is the wall time above the baseline's divided by the instructions above the
 * baseline's (the verdict line's count), and each N's cost is printed as a ratio to the
 * first N's: linear run time is a ratio near 1 whatever N.
 * Usage: bench_length CCA-SIM RUNS [N...]   (default N: 1000 10000 100000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Writes the scenario of `n` ops into a temporary file; returns its path (static). */
static const char *write_scenario(long n)
{
	static char path[256];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/cca-bench-length-%ld-%d.yaml", dir ? dir : "/tmp", n,
		 (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f) {
		return NULL;
	}
	fprintf(f, "name: length_%ld\nrealm:\n  recs:\n    - program:\n", n);
	for (long i = 0; i < n; i++) {
		if (i % 2 == 0) {
			fputs("        - psci_version: {}\n          expect: 0x10001\n", f);
		} else {
			fputs("        - check_regs: {x0: 0x10001}\n", f);
		}
	}
	return fclose(f) == 0 ? path : NULL;
}

/* One run: milliseconds (or -1 if it did not pass), and the instructions its verdict says. */
static double timed_run(const char *bin, const char *file, long *insns)
{
	struct timespec a, b;
	int fds[2], status = 0;
	char buf[512];
	ssize_t len = 0, got;

	if (pipe(fds) != 0) {
		return -1;
	}
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		if (!freopen("/dev/null", "w", stderr)) {
			_exit(127);
		}
		execl(bin, bin, "run", "--quiet", "--no-color", file, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (got = read(fds[0], buf + len, sizeof(buf) - 1 - (size_t)len)) > 0) {
		len += got;
	}
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	buf[len] = '\0';
	const char *n = strstr(buf, "checked, ");
	*insns = n ? atol(n + strlen("checked, ")) : 0;
	return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) * 1e-6;
}

static int by_value(const void *x, const void *y)
{
	double d = *(const double *)x - *(const double *)y;
	return (d > 0) - (d < 0);
}

/* Median wall time of `runs` runs of the n-op scenario; -1 on failure. */
static double measure(const char *bin, long n, int runs, long *insns)
{
	const char *file = write_scenario(n);
	double *ms = calloc((size_t)runs, sizeof(*ms)), med = -1;

	if (!file || !ms) {
		free(ms);
		return -1;
	}
	for (int i = 0; i < runs; i++) {
		if ((ms[i] = timed_run(bin, file, insns)) < 0) {
			goto out;
		}
	}
	qsort(ms, (size_t)runs, sizeof(*ms), by_value);
	med = ms[runs / 2];
out:
	unlink(file);
	free(ms);
	return med;
}

int main(int argc, char **argv)
{
	static const long defaults[] = {1000, 10000, 100000};
	long base_insns = 0;
	double first_per = 0;

	if (argc < 3 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: bench_length CCA-SIM RUNS [N...]\n");
		return 2;
	}
	int runs = atoi(argv[2]), nsizes = argc > 3 ? argc - 3 : 3;
	double base = measure(argv[1], 1, runs, &base_insns);
	if (base < 0) {
		fprintf(stderr, "bench_length: cannot run %s\n", argv[1]);
		return 1;
	}
	printf("%9s %12s %12s %14s %10s\n", "ops", "insns", "wall ms", "ns per insn", "vs first");
	printf("%9d %12ld %12.2f %14s %10s   (baseline)\n", 1, base_insns, base, "-", "-");
	for (int i = 0; i < nsizes; i++) {
		long n = argc > 3 ? atol(argv[3 + i]) : defaults[i], insns = 0;
		double ms = measure(argv[1], n, runs, &insns);
		if (ms < 0 || insns <= base_insns) {
			fprintf(stderr, "bench_length: the %ld-op scenario did not pass\n", n);
			return 1;
		}
		double per = (ms - base) * 1e6 / (double)(insns - base_insns);
		if (i == 0) {
			first_per = per;
		}
		/* On a busy machine the first size may not rise above the baseline: no ratio. */
		if (first_per > 0) {
			printf("%9ld %12ld %12.2f %14.0f %10.2f\n", n, insns, ms, per,
			       per / first_per);
		} else {
			printf("%9ld %12ld %12.2f %14.0f %10s\n", n, insns, ms, per, "-");
		}
	}
	return 0;
}
