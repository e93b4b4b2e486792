/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Serves the fake machine (fake_target.h) to one gdb, as `cca-sim run --gdb` will serve the
 * real one, for the tests that drive a real client:
 *
 *	fake_target_server [--listen [HOST:]PORT] [--spin] [--log]
 *
 * prints "port N" once it listens (PORT 0, the default, picks a free port), runs the fake
 * program under gdb's control, and prints how it ended:
 *
 *	ended: status 3, session detached, x0 2, mem 0x2
 */
#include "fake_target.h"
#include "gdb/gdb.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *listen = "127.0.0.1:0";
	struct gdb_config cfg = {0};
	struct fake_target f;
	struct gdb_target target;
	struct gdb_server *srv;
	struct gdb_stop stop = {
	    .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP, .thread = FAKE_HOST};
	bool spin = false;
	char err[256];
	int status = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			listen = argv[++i];
		} else if (strcmp(argv[i], "--spin") == 0) {
			spin = true;
		} else if (strcmp(argv[i], "--log") == 0) {
			cfg.log = stderr;
		} else {
			fprintf(stderr, "usage: fake_target_server [--listen [HOST:]PORT] [--spin] "
					"[--log]\n");
			return 2;
		}
	}
	fake_init(&f, spin);
	target = fake_gdb_target(&f);
	cfg.listen = listen;
	if (gdb_server_create(&cfg, &target, &srv, err, sizeof(err)) != 0) {
		fprintf(stderr, "fake_target_server: %s\n", err);
		return 2;
	}
	printf("port %u\n", gdb_server_port(srv));
	fflush(stdout);
	if (gdb_server_accept(srv, 60000, err, sizeof(err)) != 0) {
		fprintf(stderr, "fake_target_server: %s\n", err);
		gdb_server_destroy(srv);
		return 1;
	}
	for (;;) {
		struct gdb_resume req = gdb_server_wait(srv, &stop);

		if (req.action == GDB_KILL) {
			break;
		}
		stop = fake_run(&f, &req, srv);
		if (stop.kind == GDB_STOP_EXITED) {
			status = stop.status;
			gdb_server_wait(srv, &stop);
			break;
		}
	}
	{
		uint64_t mem = 0;

		for (unsigned i = 0; i < 8; i++) {
			mem |= (uint64_t)f.ram[FAKE_DATA + i] << (8 * i);
		}
		printf("ended: status %d, session %s, x0 %llu, mem 0x%llx, points %u\n", status,
		       gdb_session_name(gdb_server_session(srv)),
		       (unsigned long long)f.th[0].regs.value[GDB_REG_X0], (unsigned long long)mem,
		       f.npoints);
	}
	gdb_server_destroy(srv);
	return 0;
}
