/* Attack: talk to a service outside the sandbox that hands out a secret.
 * The driver starts `connect_out TOKEN serve PORTFILE NAME` on the host: it
 * listens on 127.0.0.1 (a free port, written to PORTFILE) and on the
 * abstract unix socket "\0NAME", and writes the secret to whoever connects.
 * The attack (`connect_out TOKEN connect PORT NAME`) connects to
 * 127.0.0.1:PORT, to ::ffff:127.0.0.1:PORT and to "\0NAME", and reads.
 *
 * Stops it: with `--net none` (the default) the sandbox has its own network
 * namespace: its loopback is not the host's (ECONNREFUSED), and abstract
 * unix sockets are scoped to the network namespace too (ECONNREFUSED), so
 * neither listener is reachable. With `--net host` both are: that is what
 * --net host means, and the driver only notes it.
 * Natively: both connects read the secret (ESCAPED at the first).
 *
 * Usage: connect_out TOKEN serve PORTFILE NAME   (the host's listener)
 *        connect_out TOKEN connect PORT NAME     (the attack; PORT "-": the
 *                                                 abstract socket only)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "escape.h"

static socklen_t abstract_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	size_t len = strlen(name);
	if (len + 1 > sizeof(sun->sun_path))
		setup_failed("abstract name too long");
	memcpy(sun->sun_path + 1, name, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static int serve(const char *portfile, const char *name)
{
	int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = 0};
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(in);
	if (tcp < 0 || bind(tcp, (struct sockaddr *)&in, sizeof(in)) < 0 || listen(tcp, 16) < 0 ||
	    getsockname(tcp, (struct sockaddr *)&in, &len) < 0)
		setup_failed("tcp listener: %s", strerror(errno));
	struct sockaddr_un sun;
	socklen_t sun_len = abstract_addr(&sun, name);
	int ux = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ux < 0 || bind(ux, (struct sockaddr *)&sun, sun_len) < 0 || listen(ux, 16) < 0)
		setup_failed("abstract listener @%s: %s", name, strerror(errno));
	char port[16];
	snprintf(port, sizeof(port), "%u\n", (unsigned)ntohs(in.sin_port));
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	int pf = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (pf < 0 || write(pf, port, strlen(port)) != (ssize_t)strlen(port) || close(pf) < 0)
		setup_failed("writing %s: %s", tmp, strerror(errno));
	if (rename(tmp, portfile) < 0)
		setup_failed("rename %s: %s", portfile, strerror(errno));
	char msg[512];
	int mlen = snprintf(msg, sizeof(msg), "%s from the host's listener\n", escape_token);
	/* At most 10 minutes or 1000 connections; the driver kills it sooner. */
	time_t end = time(NULL) + 600;
	for (int served = 0; served < 1000 && time(NULL) < end;) {
		struct pollfd p[2] = {{tcp, POLLIN, 0}, {ux, POLLIN, 0}};
		if (poll(p, 2, 1000) <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			int c = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			if (write(c, msg, (size_t)mlen) < 0) {
				/* the client went away */
			}
			close(c);
			served++;
		}
	}
	return 0;
}

static void read_from(const char *what, int s)
{
	char shown[256];
	if (fd_has_token(s, shown, sizeof(shown)))
		escaped("%s: read \"%s\"", what, shown);
	escape_note("%s: connected, no secret", what);
}

static void try_connect(const char *what, int domain, const struct sockaddr *sa, socklen_t len)
{
	int s = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		escape_note("%s: socket: %s", what, strerror(errno));
		return;
	}
	if (connect(s, sa, len) < 0)
		escape_note("%s: %s", what, strerror(errno));
	else
		read_from(what, s);
	close(s);
}

int main(int argc, char **argv)
{
	escape_init(argc, argv, "connect-out", 3, "serve PORTFILE NAME | connect PORT NAME");
	if (strcmp(argv[2], "serve") == 0)
		return serve(argv[3], argv[4]);
	if (strcmp(argv[2], "connect") != 0)
		setup_failed("unknown mode %s", argv[2]);
	if (strcmp(argv[3], "-") != 0) {
		int port = atoi(argv[3]);
		if (port <= 0 || port > 65535)
			setup_failed("bad port %s", argv[3]);
		struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		try_connect("tcp 127.0.0.1", AF_INET, (struct sockaddr *)&in, sizeof(in));
		struct sockaddr_in6 in6 = {.sin6_family = AF_INET6,
		                           .sin6_port = htons((uint16_t)port)};
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
		try_connect("tcp ::ffff:127.0.0.1", AF_INET6, (struct sockaddr *)&in6, sizeof(in6));
	}
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun, argv[4]);
	char what[160];
	snprintf(what, sizeof(what), "abstract @%s", argv[4]);
	try_connect(what, AF_UNIX, (struct sockaddr *)&sun, len);
	contained();
}
