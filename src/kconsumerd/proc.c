/*
 * proc.c: process-wide set-up shared by the daemon and the demo: the
 * signals (the one place that sets their dispositions and mask) and the
 * log settings.
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

/*
 * Ignore the signals that must be errors instead: a closed pipe (an exec
 * sink's child that exited, a stdout reader that went away) is an EPIPE
 * to retry, not a signal that kills the daemon, and a file past
 * RLIMIT_FSIZE an EFBIG (SIGXFSZ). The exec sink's children get SIGPIPE
 * back.
 */
void
proc_ignore_signals(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

/* Block the signals the daemon and the demo take with sigtimedwait
   (inherited by every thread started afterwards), and ignore those that
   must be errors (proc_ignore_signals). */
void
proc_block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	proc_ignore_signals();
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
