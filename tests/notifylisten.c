/*
 * notifylisten.c: stands in for systemd's notification socket in the
 * tests. Binds a unix datagram socket at PATH and prints every assignment
 * of every datagram it receives as "MS ASSIGNMENT" (MS: milliseconds since
 * the epoch), one a line, flushed at once. Runs until killed.
 *
 *	notifylisten PATH
 */
#include "autoconf.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds since the epoch. */
static int64_t
notifylisten_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	char msg[4096], *line, *save;
	ssize_t n;
	int64_t now;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: notifylisten PATH (shorter than %zu)\n",
		    sizeof sun.sun_path);
		return 64;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		fprintf(stderr, "notifylisten: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	for (;;) {
		if ((n = recv(fd, msg, sizeof msg - 1, 0)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "notifylisten: recv: %s\n",
			    strerror(errno));
			return 1;
		}
		msg[n] = '\0';
		now = notifylisten_now();
		for (line = strtok_r(msg, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			printf("%lld %s\n", (long long)now, line);
		fflush(stdout);
	}
}
