/*
 * http.c: the HTTP endpoint. GET (or HEAD) /healthz, /readyz, /metrics and
 * /assignment; any other path is 404, any other method 405.
 *
 * http_start and http_stop run on the main thread. libmicrohttpd serves
 * every request on its one internal thread: http_answer takes a status
 * snapshot (which holds each member's mutex only while copying it) and
 * renders from the copy, so a scrape never waits on, nor holds up, a
 * consumer thread, and never touches a member's rd_kafka_t. Connections
 * are bounded in number, per client address and in time (http_guard.c).
 */
#include "autoconf.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBMICROHTTPD
#include <microhttpd.h>
#endif

#include "buf.h"
#include "config.h"
#include "http.h"
#include "http_guard.h"
#include "listen_addr.h"
#include "log.h"
#include "metrics.h"
#include "status.h"
#include "xmalloc.h"

struct http {
	const struct config	*cfg;
	struct status		*st;
#ifdef HAVE_LIBMICROHTTPD
	struct MHD_Daemon	*mhd;
	struct http_guard	*guard;		/* connection limits, deadline */
	struct MHD_OptionItem	 opts[8];	/* for MHD_OPTION_ARRAY */
#endif
};

/* Fill a reply with a code, a type and body, which the reply takes over
   (freed with it). */
static void
http_reply_set(struct http_reply *r, int code, const char *type,
    char *body)
{
	r->code = code;
	r->content_type = type;
	r->body = body;
}

/* Answer one request from a fresh snapshot (the HTTP thread, or a test). */
void
http_answer(struct status *st, const struct config *cfg, const char *method,
    const char *url, struct http_reply *r)
{
	struct status_snapshot s;
	struct buf b, why;
	bool good;

	if (strcmp(url, "/healthz") != 0 && strcmp(url, "/readyz") != 0 &&
	    strcmp(url, "/metrics") != 0 && strcmp(url, "/assignment") != 0) {
		http_reply_set(r, 404, "text/plain", xstrdup("not found: try "
		    "/healthz, /readyz, /metrics or /assignment\n"));
		return;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		http_reply_set(r, 405, "text/plain",
		    xstrdup("method not allowed: only GET\n"));
		return;
	}
	buf_init(&b);
	buf_init(&why);
	status_snapshot(st, &s);
	if (strcmp(url, "/metrics") == 0) {
		metrics_render(&s, &b);
		http_reply_set(r, 200, "text/plain; version=0.0.4; "
		    "charset=utf-8", NULL);
	} else if (strcmp(url, "/assignment") == 0) {
		metrics_assignment(&s, &b);
		http_reply_set(r, 200, "application/json", NULL);
	} else {
		if (strcmp(url, "/healthz") == 0)
			good = status_healthy(&s, cfg->max_poll_interval_ms / 2,
			    &why);
		else
			good = status_ready(&s, &why);
		buf_printf(&b, "%s%s%s\n", good ? "ok" : url[1] == 'h' ?
		    "unhealthy" : "not ready", why.len > 0 ? ": " : "",
		    buf_str(&why));
		http_reply_set(r, good ? 200 : 503, "text/plain", NULL);
	}
	buf_adds(&b, "");
	r->body = buf_steal(&b);
	buf_free(&why);
	status_snapshot_free(&s);
}

#ifdef HAVE_LIBMICROHTTPD
/* libmicrohttpd's request handler (its thread). */
static enum MHD_Result
http_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http *h = cls;
	struct MHD_Response *resp;
	struct http_reply r;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	if (*upload_data_size != 0) {
		*upload_data_size = 0;	/* a body is never read */
		return MHD_YES;
	}
	http_answer(h->st, h->cfg, method, url, &r);
	resp = MHD_create_response_from_buffer(strlen(r.body), r.body,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    r.content_type);
	if (r.code == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    "GET, HEAD");
	ret = MHD_queue_response(c, (unsigned int)r.code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* libmicrohttpd's error messages, into our log. */
static void __attribute__((format(printf, 2, 0)))
http_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';
	log_warnx("http: %s", msg);
}

/* Start libmicrohttpd on host (NULL: every address) and port. The
   logger comes first: libmicrohttpd (0.9.75 and later) warns, through
   its default logger on standard error, when it is set after any other
   option, and reports earlier options' errors there. */
static struct MHD_Daemon *
http_listen(struct http *h, const char *host, int port)
{
	struct addrinfo hints, *ai = NULL;
	struct MHD_Daemon *mhd;
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	char service[16];
	int rc;

	if (host == NULL) {
		mhd = MHD_start_daemon(flags | MHD_USE_DUAL_STACK,
		    (uint16_t)port, NULL, NULL, http_handler, h,
		    MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
		    MHD_OPTION_ARRAY, h->opts, MHD_OPTION_END);
		if (mhd != NULL)
			return mhd;
		return MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
		    http_handler, h, MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
		    MHD_OPTION_ARRAY, h->opts, MHD_OPTION_END);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof service, "%d", port);
	if ((rc = getaddrinfo(host, service, &hints, &ai)) != 0) {
		log_errorx("http: cannot resolve %s: %s", host,
		    gai_strerror(rc));
		return NULL;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
	    http_handler, h, MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_ARRAY, h->opts, MHD_OPTION_END);
	freeaddrinfo(ai);
	return mhd;
}
#endif

/* Start serving cfg->http.listen (main thread, after the signal mask is
   set, so libmicrohttpd's thread inherits it). */
struct http *
http_start(const struct config *cfg, struct status *st, bool *failed)
{
	struct http *h;
	char *host, *err;
	int port;
	struct logrec *r;
	bool listening = false;

	*failed = false;
	if (cfg->http.listen == NULL)
		return NULL;
	if (!listen_addr_parse(cfg->http.listen, &host, &port, &err)) {
		log_errorx("http.listen %s", err);
		free(err);
		*failed = true;
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	h->cfg = cfg;
	h->st = st;
#ifdef HAVE_LIBMICROHTTPD
	h->guard = http_guard_new();
	http_guard_options(h->guard, h->opts,
	    sizeof h->opts / sizeof *h->opts);
	if ((h->mhd = http_listen(h, host, port)) != NULL) {
		port = MHD_get_daemon_info(h->mhd,
		    MHD_DAEMON_INFO_BIND_PORT)->port;
		listening = true;
	}
#endif
	if (!listening) {
		log_errorx("http: cannot listen on %s; fix http.listen (is the "
		    "port in use?)", cfg->http.listen);
		free(host);
#ifdef HAVE_LIBMICROHTTPD
		http_guard_free(h->guard);
#endif
		free(h);
		*failed = true;
		return NULL;
	}
	r = logrec_new(LOG_LEVEL_INFO, "http_listen");
	logrec_str(r, "address", host != NULL ? host : "*");
	logrec_int(r, "port", port);
	logrec_emit(r);
	free(host);
	return h;
}

/* Stop serving (main thread); in-flight requests finish first. */
void
http_stop(struct http *h)
{
	if (h == NULL)
		return;
#ifdef HAVE_LIBMICROHTTPD
	MHD_stop_daemon(h->mhd);
	http_guard_free(h->guard);
#endif
	free(h);
}
