/*
 * proc.c: process-wide set-up shared by the daemon and the demo: the
 * signal mask and the log settings.
 *
 * Main thread, before any other thread starts.
 */
#include "autoconf.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "proc.h"

/* Block the signals the daemon and the demo take with sigtimedwait
   (inherited by every thread started afterwards); SIGPIPE is ignored (the
   exec sink sees EPIPE). */
void
proc_block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Apply the log settings of the configuration; false when the log file
   cannot be opened. */
bool
proc_configure_log(const struct config *cfg)
{
	if (log_configure((enum log_level)cfg->log.level,
	    (enum log_format)cfg->log.format, cfg->log.file) != 0) {
		fprintf(stderr, "kconsumerd: cannot open log file %s: %s; "
		    "fix log.file or its directory's permissions\n",
		    cfg->log.file, strerror(errno));
		return false;
	}
	return true;
}
