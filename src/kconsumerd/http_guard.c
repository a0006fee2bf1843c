/*
 * http_guard.c: keeps one client from taking the HTTP endpoint offline.
 * libmicrohttpd gets a total and a per-address connection limit (so most
 * descriptors stay for Kafka and the sinks) and an idle timeout; and,
 * since its timeout restarts with every byte received (a slowloris client
 * sending a header line every few seconds never times out), this module
 * gives every connection an absolute deadline: a thread of its own shuts
 * down the socket of any connection open longer than
 * HTTP_GUARD_DEADLINE_MS, and libmicrohttpd then closes it.
 *
 * The connection callbacks run on libmicrohttpd's thread, the reaper on
 * its own; both touch the connection list only under the guard's mutex.
 * http_guard_new and http_guard_free run on the main thread (free after
 * MHD_stop_daemon).
 */
#include "autoconf.h"

#ifdef HAVE_LIBMICROHTTPD
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "http_guard.h"
#include "log.h"
#include "xmalloc.h"

#define HTTP_GUARD_TICK_MS	250

/* One open connection. */
struct http_guard_conn {
	int			 fd;
	int64_t			 deadline_ms;
	bool			 cut;		/* shut down already */
	struct http_guard_conn	*prev, *next;
};

struct http_guard {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;		/* signalled to stop */
	bool			 stop;
	pthread_t		 thread;
	struct http_guard_conn	*conns;
};

/* libmicrohttpd's connection callback: track a connection, or forget it. */
static void
http_guard_notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_guard *g = cls;
	struct http_guard_conn *e = *ctx;
	const union MHD_ConnectionInfo *ci;

	pthread_mutex_lock(&g->lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		e = xcalloc(1, sizeof *e);
		e->fd = ci != NULL ? ci->connect_fd : -1;
		e->deadline_ms = clock_mono_ms() + HTTP_GUARD_DEADLINE_MS;
		e->next = g->conns;
		if (g->conns != NULL)
			g->conns->prev = e;
		g->conns = e;
		*ctx = e;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && e != NULL) {
		if (e->prev != NULL)
			e->prev->next = e->next;
		else
			g->conns = e->next;
		if (e->next != NULL)
			e->next->prev = e->prev;
		free(e);
		*ctx = NULL;
	}
	pthread_mutex_unlock(&g->lock);
}

/* Shut down every connection past its deadline; how many. */
static int
http_guard_reap(struct http_guard *g)
{
	struct http_guard_conn *e;
	int64_t now = clock_mono_ms();
	int n = 0;

	for (e = g->conns; e != NULL; e = e->next) {
		if (e->cut || e->fd == -1 || now < e->deadline_ms)
			continue;
		/* the fd stays open (libmicrohttpd's) until CLOSED: no reuse */
		shutdown(e->fd, SHUT_RDWR);
		e->cut = true;
		n++;
	}
	return n;
}

/* The reaper thread: every tick, cut connections past their deadline. */
static void *
http_guard_run(void *arg)
{
	struct http_guard *g = arg;
	struct timespec ts;
	int n;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		clock_mono_timespec(clock_mono_ms() + HTTP_GUARD_TICK_MS, &ts);
		pthread_cond_timedwait(&g->cond, &g->lock, &ts);
		if (!g->stop && (n = http_guard_reap(g)) > 0)
			log_warnx("http: closed %d connection%s open longer "
			    "than %d ms", n, n == 1 ? "" : "s",
			    HTTP_GUARD_DEADLINE_MS);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* Start a guard (its thread); NULL when the thread cannot start. */
struct http_guard *
http_guard_new(void)
{
	struct http_guard *g = xcalloc(1, sizeof *g);

	pthread_mutex_init(&g->lock, NULL);
	clock_cond_init(&g->cond);
	if (pthread_create(&g->thread, NULL, http_guard_run, g) != 0) {
		log_warnx("http: cannot start the connection guard");
		pthread_cond_destroy(&g->cond);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return NULL;
	}
	return g;
}

/* Stop the guard's thread and free it (after MHD_stop_daemon). */
void
http_guard_free(struct http_guard *g)
{
	struct http_guard_conn *e, *next;

	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	for (e = g->conns; e != NULL; e = next) {
		next = e->next;
		free(e);
	}
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/*
 * Fill opts (room for n, n >= 5) with the limits and, with a guard, its
 * callback; the number of items, MHD_OPTION_END included.
 */
size_t
http_guard_options(struct http_guard *g, struct MHD_OptionItem *opts,
    size_t n)
{
	size_t i = 0;

	opts[i++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
	    HTTP_GUARD_MAX_CONNECTIONS, NULL };
	opts[i++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    HTTP_GUARD_MAX_PER_IP, NULL };
	opts[i++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
	    HTTP_GUARD_IDLE_S, NULL };
	if (g != NULL)
		opts[i++] = (struct MHD_OptionItem){
		    MHD_OPTION_NOTIFY_CONNECTION,
		    (intptr_t)http_guard_notify, g };
	opts[i++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return i;
}
#endif
