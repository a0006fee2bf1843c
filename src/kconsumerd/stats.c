/*
 * stats.c: librdkafka's statistics JSON into the member's status.
 *
 * stats_cb runs on the member's own thread: the statistics event goes to
 * the main queue, which rd_kafka_poll_set_consumer forwarded to the
 * consumer queue, so rd_kafka_consumer_poll serves it. It parses the
 * document with json.c, keeps what the endpoint shows, and hands it to
 * status.c; it never calls back into the handle.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "member.h"
#include "stats.h"
#include "xmalloc.h"

/* An integer member of obj, or -1. */
static int64_t
stats_int(const struct json *obj, const char *key)
{
	int64_t v;

	return json_get_int(obj, key, &v) ? v : -1;
}

/* Add the desired partitions of one topic object. */
static void
stats_topic(const char *topic, const struct json *t, struct stats_result *r)
{
	const struct json *parts = json_get(t, "partitions"), *p, *desired;
	struct status_partition *sp;
	int64_t n;
	size_t i;

	if (parts == NULL || parts->type != JSON_OBJECT)
		return;
	for (i = 0; i < parts->len; i++) {
		p = parts->items[i];
		desired = json_get(p, "desired");
		if (!json_get_int(p, "partition", &n) || n < 0 ||
		    desired == NULL || desired->type != JSON_BOOL ||
		    !desired->boolean)
			continue;
		r->parts = xreallocarray(r->parts, r->nparts + 1,
		    sizeof *r->parts);
		sp = &r->parts[r->nparts++];
		sp->topic = xstrdup(topic);
		sp->partition = (int32_t)n;
		sp->position = stats_int(p, "app_offset");
		sp->committed = stats_int(p, "committed_offset");
		sp->lag = stats_int(p, "consumer_lag");
	}
}

/* Parse a statistics document. */
bool
stats_parse(const char *json, size_t len, struct stats_result *out)
{
	const struct json *topics;
	struct json *doc;
	size_t i;

	memset(out, 0, sizeof *out);
	out->rebalance_cnt = -1;
	if ((doc = json_parse(json, len, NULL, 0)) == NULL)
		return false;
	out->rebalance_cnt = stats_int(json_get(doc, "cgrp"), "rebalance_cnt");
	topics = json_get(doc, "topics");
	for (i = 0; topics != NULL && topics->type == JSON_OBJECT &&
	    i < topics->len; i++)
		stats_topic(topics->keys[i], topics->items[i], out);
	json_free(doc);
	return true;
}

/* Free what stats_parse allocated. */
void
stats_result_free(struct stats_result *r)
{
	size_t i;

	for (i = 0; i < r->nparts; i++)
		free(r->parts[i].topic);
	free(r->parts);
	memset(r, 0, sizeof *r);
}

/* librdkafka's statistics callback (member thread); 0: librdkafka frees
   the document. */
int
stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	struct member *m = opaque;
	struct stats_result r;

	(void)rk;
	if (m == NULL || m->shared->status == NULL ||
	    !stats_parse(json, len, &r))
		return 0;
	status_on_stats(m->shared->status, m->index, r.parts, r.nparts,
	    r.rebalance_cnt);
	stats_result_free(&r);
	return 0;
}
