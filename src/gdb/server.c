/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The server: listening, the one connection, and the stop/resume cycle the target drives. */
#include "gdb_private.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "[HOST:]PORT", "[V6ADDR]:PORT": host (default 127.0.0.1) and decimal port 0..65535. */
static bool split_address(const char *addr, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(addr, ':');
	const char *h = "127.0.0.1", *pstr = addr;
	size_t hn = strlen(h);
	char *endp;
	long v;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		if (!close || close[1] != ':') {
			return false;
		}
		h = addr + 1;
		hn = (size_t)(close - h);
		pstr = close + 2;
	} else if (colon) {
		if (memchr(addr, ':', (size_t)(colon - addr))) {
			return false; /* an IPv6 address needs brackets */
		}
		if (colon != addr) {
			h = addr;
			hn = (size_t)(colon - addr);
		}
		pstr = colon + 1;
	}
	if (hn == 0 || hn >= hostlen || *pstr < '0' || *pstr > '9' || strlen(pstr) >= portlen) {
		return false;
	}
	errno = 0;
	v = strtol(pstr, &endp, 10);
	if (errno != 0 || *endp != '\0' || v < 0 || v > 65535) {
		return false;
	}
	memcpy(host, h, hn);
	host[hn] = '\0';
	snprintf(port, portlen, "%ld", v);
	return true;
}

static int listen_on(struct gdb_server *s, const char *addr, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *list = NULL;
	char host[256], port[8];
	int rc, last_errno = 0;

	if (!split_address(addr, host, sizeof(host), port, sizeof(port))) {
		return fail(err, errlen, "bad gdb address '%s': expected [HOST:]PORT", addr);
	}
	rc = getaddrinfo(host, port, &hints, &list);
	if (rc != 0) {
		return fail(err, errlen, "gdb address '%s': %s", addr, gai_strerror(rc));
	}
	for (const struct addrinfo *ai = list; ai && s->listen_fd < 0; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		int one = 1;

		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1) != 0) {
			last_errno = errno;
			close(fd);
			continue;
		}
		s->listen_fd = fd;
	}
	freeaddrinfo(list);
	if (s->listen_fd < 0) {
		return fail(err, errlen, "cannot listen for gdb on %s: %s", addr,
			    strerror(last_errno));
	}
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);

		if (getsockname(s->listen_fd, (struct sockaddr *)&ss, &sl) == 0) {
			if (ss.ss_family == AF_INET) {
				s->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
			} else if (ss.ss_family == AF_INET6) {
				s->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
			}
		}
	}
	return 0;
}

int gdb_server_create(const struct gdb_config *cfg, const struct gdb_target *target,
		      struct gdb_server **out, char *err, size_t errlen)
{
	struct gdb_server *s;

	*out = NULL;
	if (!cfg || !target || !target->threads || !target->get_regs || !target->set_regs) {
		return fail(err, errlen, "gdb target lacks threads, get_regs or set_regs");
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		return fail(err, errlen, "out of memory");
	}
	s->target = *target;
	s->io_timeout_ms = cfg->io_timeout_ms > 0 ? cfg->io_timeout_ms : GDB_DEFAULT_IO_TIMEOUT_MS;
	s->log = cfg->log;
	s->listen_fd = -1;
	s->fd = -1;
	s->c_thread = -1;
	s->session = GDB_SESSION_WAITING;
	snprintf(s->stop_reply, sizeof(s->stop_reply), "S%02x", GDB_SIGTRAP);
	s->target_xml = gdb_target_xml_build();
	if (!s->target_xml) {
		free(s);
		return fail(err, errlen, "out of memory");
	}
	s->target_xml_len = strlen(s->target_xml);
	if (cfg->listen && listen_on(s, cfg->listen, err, errlen) != 0) {
		gdb_server_destroy(s);
		return -1;
	}
	*out = s;
	return 0;
}

void gdb_server_destroy(struct gdb_server *s)
{
	if (!s) {
		return;
	}
	link_close(s);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
	}
	free(s->target_xml);
	free(s);
}

unsigned gdb_server_port(const struct gdb_server *s)
{
	return s->port;
}

int gdb_server_accept(struct gdb_server *s, int timeout_ms, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = s->listen_fd, .events = POLLIN};
	int r, fd, one = 1;

	if (s->listen_fd < 0 || s->session != GDB_SESSION_WAITING) {
		return fail(err, errlen, "not listening for gdb");
	}
	do {
		r = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		return fail(err, errlen, "no gdb connected within %d ms", timeout_ms);
	}
	if (r < 0) {
		return fail(err, errlen, "waiting for gdb: %s", strerror(errno));
	}
	fd = accept(s->listen_fd, NULL, NULL);
	if (fd < 0) {
		return fail(err, errlen, "accepting gdb: %s", strerror(errno));
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	close(s->listen_fd); /* one gdb per run */
	s->listen_fd = -1;
	gdb_server_adopt(s, fd);
	return 0;
}

void gdb_server_adopt(struct gdb_server *s, int fd)
{
	link_close(s);
	s->fd = fd;
	s->session = GDB_SESSION_ACTIVE;
	s->no_ack = false;
	s->resumed = false;
}

/* No gdb any more: points it left are removed; the run goes on, or ends after a kill. */
static struct gdb_resume session_over(struct gdb_server *s)
{
	points_remove_all(s);
	link_close(s);
	return (struct gdb_resume){s->session == GDB_SESSION_KILLED ? GDB_KILL : GDB_DETACH, 0,
				   false};
}

static bool send_out(struct gdb_server *s)
{
	if (s->out.overflow) {
		out_reset(&s->out);
		out_str(&s->out, GDB_E_PACKET);
	}
	return link_send_packet(s, s->out.buf, s->out.len);
}

struct gdb_resume gdb_server_wait(struct gdb_server *s, const struct gdb_stop *stop)
{
	if (s->session != GDB_SESSION_ACTIVE) {
		return session_over(s);
	}
	stop_reply_format(s, stop);
	if (stop->kind == GDB_STOP_EXITED) {
		s->session = GDB_SESSION_EXITED;
		if (s->resumed) {
			link_send_packet(s, s->stop_reply, strlen(s->stop_reply));
		}
		s->resumed = false;
		link_drain(s); /* gdb closes the connection on W */
		return session_over(s);
	}
	if (s->resumed) {
		s->resumed = false;
		link_send_packet(s, s->stop_reply, strlen(s->stop_reply));
	}
	for (;;) {
		if (link_recv_packet(s) == GDB_RECV_GONE) {
			return session_over(s);
		}
		switch (packet_dispatch(s)) {
		case GDB_AFTER_REPLY:
			send_out(s);
			break;
		case GDB_AFTER_SENT:
			break;
		case GDB_AFTER_RESUME:
			s->resumed = true;
			return s->resume;
		case GDB_AFTER_DETACH:
			send_out(s);
			s->session = GDB_SESSION_DETACHED;
			return session_over(s);
		case GDB_AFTER_KILL:
			s->session = GDB_SESSION_KILLED;
			return session_over(s);
		}
	}
}

bool gdb_server_interrupt_pending(struct gdb_server *s)
{
	bool interrupted = false;

	if (s->session != GDB_SESSION_ACTIVE) {
		return s->npoints > 0; /* lost meanwhile: come and let wait clean up */
	}
	if (!link_poll_interrupt(s, &interrupted)) {
		return true; /* gone: gdb_server_wait says GDB_DETACH */
	}
	return interrupted;
}

enum gdb_session gdb_server_session(const struct gdb_server *s)
{
	return s->session;
}

const char *gdb_session_name(enum gdb_session session)
{
	switch (session) {
	case GDB_SESSION_WAITING:
		return "waiting";
	case GDB_SESSION_ACTIVE:
		return "active";
	case GDB_SESSION_DETACHED:
		return "detached";
	case GDB_SESSION_KILLED:
		return "killed";
	case GDB_SESSION_LOST:
		return "lost";
	case GDB_SESSION_EXITED:
		return "exited";
	}
	return "?";
}
