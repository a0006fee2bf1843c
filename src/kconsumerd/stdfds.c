/*
 * stdfds.c: a descriptor 0, 1 or 2 closed when kconsumerd starts is
 * opened on /dev/null, so that the next file opened (the log file, a
 * sink file, a socket) cannot become standard output and receive what
 * was meant for it; the stdout sink then refuses to start (it asks
 * stdfds_was_closed) instead of writing records into the log.
 *
 * Main thread, first thing in main, before any other thread exists.
 */
#include "autoconf.h"

#include <fcntl.h>
#include <unistd.h>

#include "exitcodes.h"
#include "stdfds.h"

static bool stdfds_closed[3];

/* Open /dev/null on each of descriptors 0-2 that is closed. */
void
stdfds_reserve(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		stdfds_closed[fd] = true;
		/* open returns the lowest free descriptor: this one */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_INTERNAL);
	}
}

/* Whether descriptor fd (0-2) was closed when kconsumerd started. */
bool
stdfds_was_closed(int fd)
{
	return fd >= 0 && fd <= 2 && stdfds_closed[fd];
}
