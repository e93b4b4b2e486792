/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output files. A regular file (or one that does not exist yet) is written to a temporary
 * file in the same folder and renamed into place only once every write and the close have
 * succeeded, so that a full disk or a failed write never leaves a partial file looking
 * complete: it leaves no file, or the previous one. Standard output (`-`) and files that are
 * not regular (a pipe, /dev/null, /dev/full) are written in place. Every failure is reported
 * as `cca-sim: error: cannot write PATH: REASON`.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report(const char *path, int err)
{
	fprintf(stderr, "cca-sim: error: cannot write %s: %s\n", path, strerror(err ? err : EIO));
	return -1;
}

int cli_out_open(struct cli_out *o, const char *path)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->std = true;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->f = fopen(path, "w");
		return o->f ? 0 : report(path, errno);
	}
	size_t len = strlen(path) + sizeof(".tmp-XXXXXX");
	o->tmp = malloc(len);
	if (!o->tmp) {
		return report(path, ENOMEM);
	}
	snprintf(o->tmp, len, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return report(path, err);
	}
	/* mkstemp makes it 0600; the file takes the mode any other new file would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	return 0;
}

int cli_out_close(struct cli_out *o)
{
	int rc = 0, err = 0;

	if (!o->f) {
		return 0;
	}
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f)) {
		err = errno ? errno : EIO;
		rc = -1;
	}
	if (!o->std && fclose(o->f) != 0 && rc == 0) {
		err = errno;
		rc = -1;
	}
	o->f = NULL;
	if (o->tmp) {
		if (rc == 0 && rename(o->tmp, o->path) != 0) {
			err = errno;
			rc = -1;
		}
		if (rc != 0) {
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
	}
	return rc == 0 ? 0 : report(o->std ? "standard output" : o->path, err);
}

int cli_stdout_check(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		return report("standard output", errno);
	}
	return 0;
}

void cli_out_discard(struct cli_out *o)
{
	if (o->f && !o->std) {
		fclose(o->f);
	}
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}
