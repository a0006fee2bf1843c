/*
 * t_http.c: http.listen parsing and the answers of the endpoint (codes,
 * types, reasons), without a socket.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "clock.h"
#include "http.h"
#include "listen_addr.h"
#include "log.h"
#include "status_fixture.h"
#include "xmalloc.h"
#include "../tap.h"

/* Parse listen; "host port" or "error". */
static char *
parse(const char *listen)
{
	char *host, *err, *out;
	int port;

	if (!listen_addr_parse(listen, &host, &port, &err)) {
		free(err);
		return xstrdup("error");
	}
	xasprintf(&out, "%s %d", host != NULL ? host : "*", port);
	free(host);
	return out;
}

/* Check one answer's code; keep its body in *body (to be freed). */
static int
answer(struct status *st, const struct config *cfg, const char *method,
    const char *url, char **body, const char **type)
{
	struct http_reply r;

	http_answer(st, cfg, method, url, &r);
	free(*body);
	*body = r.body;
	*type = r.content_type;
	return r.code;
}

int
main(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "127.0.0.1:9480", "127.0.0.1 9480" },
		{ ":9480", "* 9480" },
		{ "[::1]:80", "::1 80" },
		{ "localhost:0", "localhost 0" },
		{ "9480", "error" },
		{ "::1:80", "error" },
		{ "[::1]80", "error" },
		{ "host:", "error" },
		{ "host:65536", "error" },
		{ "host:80x", "error" },
	};
	static const int parts[] = { 0 };
	struct config cfg;
	struct status *st;
	const char *type;
	char *got, *body = NULL;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		got = parse(cases[i].in);
		is_str(got, cases[i].want, "http.listen '%s'", cases[i].in);
		free(got);
	}

	fixture_status_config(&cfg);
	st = status_new(&cfg, NULL);
	is_int(answer(st, &cfg, "GET", "/", &body, &type), 404, "/ is 404");
	is_int(answer(st, &cfg, "GET", "/metricsx", &body, &type), 404,
	    "a near miss is 404");
	is_int(answer(st, &cfg, "POST", "/metrics", &body, &type), 405,
	    "POST /metrics is 405");
	is_int(answer(st, &cfg, "HEAD", "/metrics", &body, &type), 200,
	    "HEAD /metrics is 200");
	is_int(answer(st, &cfg, "GET", "/metrics", &body, &type), 200,
	    "GET /metrics is 200");
	like(type, "text/plain; version=0.0.4", "in Prometheus text format");
	is_int(answer(st, &cfg, "GET", "/readyz", &body, &type), 503,
	    "/readyz is 503 before the members join");
	like(body, "not ready: consumer 0 is joining", "and says why");
	fixture_rebalance(st, 0, REBALANCE_ASSIGN, "orders", parts, 1, -1);
	fixture_rebalance(st, 1, REBALANCE_ASSIGN, "orders", NULL, 0, -1);
	is_int(answer(st, &cfg, "GET", "/readyz", &body, &type), 200,
	    "/readyz is 200 once both are assigned");
	status_on_poll(st, 0, clock_mono_ms());
	status_on_poll(st, 1, clock_mono_ms() - cfg.max_poll_interval_ms);
	is_int(answer(st, &cfg, "GET", "/healthz", &body, &type), 503,
	    "/healthz is 503 when a member has not polled for half of "
	    "max_poll_interval_ms");
	like(body, "unhealthy: consumer 1 has not polled", "and says which");
	status_on_poll(st, 1, clock_mono_ms());
	is_int(answer(st, &cfg, "GET", "/healthz", &body, &type), 200,
	    "/healthz is 200 when both poll");
	is_int(answer(st, &cfg, "GET", "/assignment", &body, &type), 200,
	    "/assignment is 200");
	is_str(type, "application/json", "as JSON");
	free(body);
	status_free(st);
	return tap_done();
}
