/*
 * http_guard.h: bounds on the HTTP endpoint's connections (http_guard.c):
 * how many in all and per client address, and an absolute deadline per
 * connection that a client trickling bytes cannot push back.
 */
#ifndef KCONSUMERD_HTTP_GUARD_H
#define KCONSUMERD_HTTP_GUARD_H

#define HTTP_GUARD_MAX_CONNECTIONS	64	/* in all: fds stay for Kafka */
#define HTTP_GUARD_MAX_PER_IP		8
#define HTTP_GUARD_IDLE_S		5	/* libmicrohttpd's idle timeout */
#define HTTP_GUARD_DEADLINE_MS		10000	/* a connection's whole life */

#ifdef HAVE_LIBMICROHTTPD
#include <microhttpd.h>

struct http_guard;

struct http_guard *http_guard_new(void);
void http_guard_free(struct http_guard *g);
size_t http_guard_options(struct http_guard *g, struct MHD_OptionItem *opts,
    size_t n);
#endif

#endif
