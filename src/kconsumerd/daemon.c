/*
 * daemon.c: load the configuration, answer -t / -p, run the members,
 * handle signals, decide the exit status. Only this module decides the
 * exit status.
 *
 * Main thread only. Signals are blocked in every thread and taken here
 * with sigtimedwait(); members are told through their atomic flags.
 */
#include "autoconf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "config.h"
#include "daemon.h"
#include "demo.h"
#include "exitcodes.h"
#include "fdlimit.h"
#include "handover.h"
#include "http.h"
#include "log.h"
#include "member_run.h"
#include "notify.h"
#include "proc.h"
#include "renew.h"
#include "sink.h"
#include "status.h"
#include "xmalloc.h"

#define DAEMON_TICK_MS		200	/* how often flags are looked at */
#define DAEMON_CANCEL_GRACE_MS	2000	/* after the deadline, before exit */

struct daemon {
	const struct config	*cfg;
	struct member_shared	 shared;
	struct member		*members;
	int			 nmembers;
	struct status		*status;
	struct notify		*notify;
	struct http		*http;
	struct renew		 renew;		/* SIGHUP's SASL credentials */
	bool			 stopping;
	int64_t			 stop_deadline;
	bool			 cancelled;
};

/* Begin a clean stop of every member. */
static void
daemon_stop(struct daemon *d, const char *why)
{
	int i;

	if (d->stopping)
		return;
	d->stopping = true;
	d->stop_deadline = clock_mono_ms() + d->cfg->shutdown.timeout_ms +
	    DAEMON_CANCEL_GRACE_MS;
	log_info("stopping (%s): final revoke and commit within %lld ms",
	    why, (long long)d->cfg->shutdown.timeout_ms);
	status_set_stopping(d->status);
	notify_stopping(d->notify, d->stop_deadline);
	atomic_store(&d->shared.stop_all, true);
	for (i = 0; i < d->nmembers; i++)
		member_run_stop(&d->members[i]);
}

/* Act on one signal. */
static void
daemon_signal(struct daemon *d, int sig)
{
	int i;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (d->stopping) {
			log_warnx("second %s: exiting at once without the "
			    "final commit", strsignal(sig));
			_exit(128 + sig);
		}
		daemon_stop(d, strsignal(sig));
		break;
	case SIGHUP:
		log_info("SIGHUP: reopening the sink and log files, reading "
		    "the secrets given by reference again");
		sink_reopen(d->shared.sink);
		if (log_reopen() != 0)
			log_warn("cannot reopen the log file");
		renew_reload(&d->renew, d->cfg);
		break;
	case SIGUSR1:
		for (i = 0; i < d->nmembers; i++)
			member_run_request_state(&d->members[i]);
		break;
	}
}

/* True while any member thread still runs. */
static bool
daemon_any_running(const struct daemon *d)
{
	int i;

	for (i = 0; i < d->nmembers; i++)
		if (atomic_load(&d->members[i].running))
			return true;
	return false;
}

/* Wait for signals and member exits until every member has ended. */
static void
daemon_wait(struct daemon *d, const sigset_t *set)
{
	struct timespec tick = { 0, DAEMON_TICK_MS * 1000000L };
	int sig;

	while (daemon_any_running(d)) {
		if ((sig = sigtimedwait(set, NULL, &tick)) > 0)
			daemon_signal(d, sig);
		if (atomic_load(&d->shared.stop_all))
			daemon_stop(d, "a member asked for it");
		notify_tick(d->notify);
		status_check_stalls(d->status);
		if (d->stopping && !d->cancelled &&
		    clock_mono_ms() > d->stop_deadline) {
			log_warnx("members still busy after shutdown.timeout_ms; "
			    "cancelling sink writes (their offsets are not "
			    "stored)");
			sink_cancel(d->shared.sink);
			d->cancelled = true;
			d->stop_deadline = clock_mono_ms() + DAEMON_CANCEL_GRACE_MS;
		} else if (d->cancelled && clock_mono_ms() > d->stop_deadline) {
			log_errorx("members did not stop; exiting");
			_exit(EXIT_INTERNAL);
		}
	}
}

/* The exit status from the members' results. */
static int
daemon_exit_status(struct daemon *d)
{
	int i, r, rc = EXIT_CLEAN;

	for (i = 0; i < d->nmembers; i++) {
		r = member_run_join(&d->members[i]);
		if (r == MEMBER_FATAL)
			rc = EXIT_KAFKA;
		else if (r == MEMBER_DENIED && rc != EXIT_KAFKA)
			rc = EXIT_NOPERM;
		else if (r == MEMBER_FAILED && rc == EXIT_CLEAN)
			rc = EXIT_INTERNAL;
	}
	return rc;
}

/* Stop the service side, in the reverse order (after the members). */
static void
daemon_service_stop(struct daemon *d)
{
	http_stop(d->http);
	d->http = NULL;
	notify_free(d->notify);
	d->notify = NULL;
	status_free(d->status);
	d->status = NULL;
	d->shared.status = NULL;
}

/* Start the service side: member status, systemd notification, the HTTP
   endpoint; false when the endpoint cannot listen. */
static bool
daemon_service_start(struct daemon *d, struct sink *sink)
{
	bool failed;

	d->status = status_new(d->cfg, sink);
	d->notify = notify_new(d->cfg, d->status);
	d->http = http_start(d->cfg, d->status, &failed);
	if (failed) {
		daemon_service_stop(d);
		return false;
	}
	return true;
}

/* Run every member until a signal, -n or a fatal error stops them. */
static int
daemon_run(const struct config *cfg, const struct cli *c)
{
	struct daemon d;
	struct sink *sink;
	sigset_t set;
	int i, rc;

	memset(&d, 0, sizeof d);
	d.cfg = cfg;
	if (!proc_configure_log(cfg) || !fdlimit_check(cfg))
		return EXIT_CONFIG;
	proc_block_signals(&set);
	/* A file sink or a dead-letter destination (a file, a topic that
	   does not exist) that cannot be opened is the configuration's to
	   fix: 78, which the units do not restart (kconsumerd(8)). */
	if ((sink = sink_open(cfg)) == NULL)
		return cfg->sink.type == CONFIG_SINK_FILE ||
		    cfg->sink.on_error == CONFIG_SINK_ON_ERROR_DEAD_LETTER ?
		    EXIT_CONFIG : EXIT_INTERNAL;
	if (!daemon_service_start(&d, sink)) {
		sink_close(sink);
		return EXIT_INTERNAL;
	}
	member_shared_init(&d.shared, cfg, sink, c->count, d.status,
	    status_observe, d.status);
	renew_init(&d.renew);
	d.shared.renew = &d.renew;
	d.nmembers = (int)cfg->consumers;
	d.members = xcalloc((size_t)d.nmembers, sizeof *d.members);
	for (i = 0; i < d.nmembers; i++) {
		member_run_init(&d.members[i], i, &d.shared);
		if (member_run_start(&d.members[i]) != 0) {
			daemon_stop(&d, "a member could not start");
			break;
		}
	}
	daemon_wait(&d, &set);
	rc = daemon_exit_status(&d);
	for (i = 0; i < d.nmembers; i++)
		member_run_free(&d.members[i]);
	free(d.members);
	renew_free(&d.renew);
	daemon_service_stop(&d);
	if (sink_close(d.shared.sink) != 0 && rc != EXIT_KAFKA)
		rc = EXIT_IOERR;
	log_info("exit %d", rc);
	return rc;
}

/* Load, check or print the configuration, then run (or run the demo). */
int
daemon_main(const struct cli *c)
{
	struct config *cfg = NULL;
	struct diag d;
	int rc;

	if (c->demo && c->demo_compare)
		return demo_compare_main(c->demo_bootstrap);
	if (c->demo && !c->config_given)
		return demo_main(NULL, c->demo_bootstrap);
	diag_init(&d);
	cfg = config_load(c->config_path, c->demo ?
	    CONFIG_LOAD_NO_BOOTSTRAP : c->print_config ? 0 :
	    CONFIG_LOAD_WRITABLE, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (cfg == NULL)
		return EXIT_CONFIG;
	if (c->demo)
		rc = demo_main(cfg, c->demo_bootstrap);
	else if (c->test_config) {
		fprintf(stderr, "%s: configuration is valid\n", cfg->file);
		handover_print(cfg, stdout);
		rc = EXIT_CLEAN;
	} else if (c->print_config) {
		config_print(cfg, stdout);
		rc = EXIT_CLEAN;
	} else
		rc = daemon_run(cfg, c);
	config_free(cfg);
	return rc;
}
