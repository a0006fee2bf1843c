/*
 * http.h: the HTTP endpoint (libmicrohttpd): GET /healthz, /readyz,
 * /metrics and /assignment, answered from status snapshots.
 *
 * http_start and http_stop run on the main thread; requests are served
 * by libmicrohttpd's own thread, which never touches a member.
 */
#ifndef KCONSUMERD_HTTP_H
#define KCONSUMERD_HTTP_H

#include <stdbool.h>

struct config;
struct status;
struct http;

/* An HTTP request's answer, independent of libmicrohttpd (testable). */
struct http_reply {
	int		 code;
	const char	*content_type;
	char		*body;		/* to be freed */
};
void http_answer(struct status *st, const struct config *cfg,
    const char *method, const char *url, struct http_reply *r);

/* NULL when cfg->http.listen is unset or listening failed (logged; then
   *failed is set). */
struct http *http_start(const struct config *cfg, struct status *st,
    bool *failed);
void http_stop(struct http *h);

#endif
