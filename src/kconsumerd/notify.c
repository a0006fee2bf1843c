/*
 * notify.c: tell systemd how the service is doing (sd_notify).
 *
 * Main thread only: daemon.c calls notify_tick on every turn of its wait
 * loop (a few times a second) and notify_stopping when it begins a stop.
 * Member state comes from status snapshots; nothing here touches a
 * member. Without libsystemd every call is a no-op.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "notify.h"
#include "status.h"
#include "xmalloc.h"

#define NOTIFY_STATUS_MS	1000	/* how often STATUS= is refreshed */
#define NOTIFY_EXTEND_MS	1000	/* how often the stop is extended */
#define NOTIFY_EXTEND_MARGIN_MS	5000	/* beyond shutdown.timeout_ms */

struct notify {
	const struct config	*cfg;
	struct status		*st;
	bool			 enabled;	/* NOTIFY_SOCKET and libsystemd */
	int64_t			 watchdog_ms;	/* WatchdogSec; 0: none */
	int64_t			 start_ms;
	bool			 ready;
	bool			 stopping;
	bool			 withheld;	/* watchdog withheld, logged */
	bool			 force_status;	/* send STATUS= on the next tick */
	int64_t			 deadline_ms;
	int64_t			 last_watchdog_ms;
	int64_t			 last_status_ms;
	int64_t			 last_extend_ms;
	uint64_t		 last_messages;
	double			 rate;		/* messages per second */
	char			*last_status;
};

/* Send one notification (newline-separated assignments). */
static void __attribute__((format(printf, 2, 3)))
notify_send(struct notify *n, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	if (!n->enabled)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatalx("vasprintf failed");
	va_end(ap);
#ifdef HAVE_LIBSYSTEMD
	if (sd_notify(0, msg) < 0)
		log_debug("sd_notify failed: %s", msg);
#endif
	free(msg);
}

/* Start notifying for cfg's members (main thread, before they start). */
struct notify *
notify_new(const struct config *cfg, struct status *st)
{
	struct notify *n = xcalloc(1, sizeof *n);
#ifdef HAVE_LIBSYSTEMD
	uint64_t usec = 0;
#endif

	n->cfg = cfg;
	n->st = st;
	n->start_ms = clock_mono_ms();
	n->last_status_ms = n->start_ms;
#ifdef HAVE_LIBSYSTEMD
	n->enabled = getenv("NOTIFY_SOCKET") != NULL;
	if (n->enabled && sd_watchdog_enabled(0, &usec) > 0)
		n->watchdog_ms = (int64_t)(usec / 1000);
#endif
	if (n->enabled && n->watchdog_ms > 0)
		log_info("systemd: WATCHDOG=1 every %lld ms while every member "
		    "polls (WatchdogSec %lld ms); READY=1 once every member "
		    "is in", (long long)(n->watchdog_ms / 4),
		    (long long)n->watchdog_ms);
	else if (n->enabled)
		log_info("systemd: no watchdog; READY=1 once every member is "
		    "in");
	return n;
}

/* Free the notifier. */
void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	free(n->last_status);
	free(n);
}

/* Compose the STATUS= line from a snapshot. */
static void
notify_status_line(struct notify *n, const struct status_snapshot *s,
    struct buf *b)
{
	const struct status_member_snap *m, *last = NULL;
	size_t i, j, in = 0, parts = 0;
	int64_t lag = 0;
	bool lag_known = false;

	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->state != STATUS_JOINING && m->fatal == NULL)
			in++;
		parts += m->nparts;
		for (j = 0; j < m->nparts; j++)
			if (m->parts[j].lag >= 0) {
				lag += m->parts[j].lag;
				lag_known = true;
			}
		if (m->last_rebalance_ms > 0 && (last == NULL ||
		    m->last_rebalance_ms > last->last_rebalance_ms))
			last = m;
	}
	if (s->stopping)
		buf_adds(b, "stopping; ");
	buf_printf(b, "members in group %zu/%zu, partitions %zu, %.1f msg/s, ",
	    in, s->nmembers, parts, n->rate);
	if (lag_known)
		buf_printf(b, "lag %lld, ", (long long)lag);
	else
		buf_adds(b, "lag unknown, ");
	if (last != NULL)
		buf_printf(b, "last rebalance: %s by consumer %d %lld s ago",
		    status_kind_name(last->last_rebalance_kind), last->index,
		    (long long)((s->now_ms - last->last_rebalance_ms) / 1000));
	else
		buf_adds(b, "no rebalance yet");
}

/* Refresh the message rate and send STATUS= when it changed. */
static void
notify_status(struct notify *n, const struct status_snapshot *s)
{
	struct buf b;
	uint64_t total = 0;
	size_t i;

	if (s->now_ms - n->last_status_ms >= NOTIFY_STATUS_MS) {
		for (i = 0; i < s->nmembers; i++)
			total += s->members[i].messages;
		n->rate = (double)(total - n->last_messages) * 1000.0 /
		    (double)(s->now_ms - n->last_status_ms);
		n->last_messages = total;
		n->last_status_ms = s->now_ms;
	} else if (!n->force_status)
		return;
	n->force_status = false;
	buf_init(&b);
	notify_status_line(n, s, &b);
	if (n->last_status == NULL || strcmp(n->last_status, buf_str(&b))) {
		notify_send(n, "STATUS=%s", buf_str(&b));
		free(n->last_status);
		n->last_status = buf_steal(&b);
	}
	buf_free(&b);
}

/* Send READY=1 once every member is in, or after the ready timeout. */
static void
notify_ready(struct notify *n, const struct status_snapshot *s)
{
	struct buf why;

	buf_init(&why);
	if (status_joined(s, &why)) {
		notify_send(n, "READY=1");
		log_info("ready: every member has its first assignment; "
		    "READY=1 sent");
	} else if (s->now_ms - n->start_ms >=
	    n->cfg->service.ready_timeout_ms) {
		notify_send(n, "READY=1");
		log_warnx("ready: service.ready_timeout_ms (%lld ms) passed "
		    "while %s; READY=1 sent anyway",
		    (long long)n->cfg->service.ready_timeout_ms, buf_str(&why));
	} else {
		buf_free(&why);
		return;
	}
	buf_free(&why);
	n->ready = true;
	n->force_status = true;
}

/* Send WATCHDOG=1 while every member polled within half of WatchdogSec. */
static void
notify_watchdog(struct notify *n, const struct status_snapshot *s)
{
	struct buf why;

	if (n->watchdog_ms == 0 ||
	    s->now_ms - n->last_watchdog_ms < n->watchdog_ms / 4)
		return;
	buf_init(&why);
	if (n->stopping || status_healthy(s, n->watchdog_ms / 2, &why)) {
		notify_send(n, "WATCHDOG=1");
		n->last_watchdog_ms = s->now_ms;
		if (n->withheld)
			log_info("watchdog: every member polls again");
		n->withheld = false;
	} else if (!n->withheld) {
		log_warnx("watchdog: withholding WATCHDOG=1 (%s); systemd "
		    "restarts the service if this lasts WatchdogSec",
		    buf_str(&why));
		n->withheld = true;
	}
	buf_free(&why);
}

/* One turn of the daemon's loop (main thread). */
void
notify_tick(struct notify *n)
{
	struct status_snapshot s;

	if (n == NULL || !n->enabled)
		return;
	status_snapshot(n->st, &s);
	if (!n->ready && !n->stopping)
		notify_ready(n, &s);
	notify_watchdog(n, &s);
	if (n->stopping && s.now_ms < n->deadline_ms &&
	    s.now_ms - n->last_extend_ms >= NOTIFY_EXTEND_MS) {
		notify_send(n, "EXTEND_TIMEOUT_USEC=%lld",
		    (long long)(n->deadline_ms - s.now_ms +
		    NOTIFY_EXTEND_MARGIN_MS) * 1000);
		n->last_extend_ms = s.now_ms;
	}
	notify_status(n, &s);
	status_snapshot_free(&s);
}

/* The daemon began a clean stop that must end by deadline_ms. */
void
notify_stopping(struct notify *n, int64_t deadline_ms)
{
	if (n == NULL || n->stopping)
		return;
	n->stopping = true;
	n->deadline_ms = deadline_ms;
	notify_send(n, "STOPPING=1\nSTATUS=stopping: final revoke and commit");
	n->last_extend_ms = 0;
}
