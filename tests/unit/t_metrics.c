/*
 * t_metrics.c: the Prometheus page and the /assignment JSON rendered from
 * a status snapshot.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "buf.h"
#include "json.h"
#include "metrics.h"
#include "status_fixture.h"
#include "../tap.h"

int
main(void)
{
	static const int parts[] = { 1, 0 };
	static const char *const declared[] = {
		"messages_total counter", "bytes_total counter",
		"rebalance_events_total counter",
		"rdkafka_rebalances_total counter", "partitions_owned gauge",
		"rebalances_total counter", "commits_refused_total counter",
		"last_pause_seconds gauge", "seconds_since_last_poll gauge",
		"commit_failures_total counter", "consumer_lag gauge",
		"sink_errors_total counter", NULL,
	};
	struct status_partition lag = { "orders", 1, 10, 8, 5 };
	const struct json *m;
	struct status_snapshot s;
	struct config cfg;
	struct status *st;
	struct json *doc;
	struct buf out, line;
	size_t i;

	fixture_status_config(&cfg);
	st = status_new(&cfg, NULL);
	fixture_rebalance(st, 0, REBALANCE_ASSIGN, "orders", parts, 2, 1500);
	status_on_message(st, 0, "orders", 11);
	status_on_commit_failed(st, 1, "ILLEGAL_GENERATION");
	status_on_stats(st, 0, &lag, 1, 2);
	status_snapshot(st, &s);

	buf_init(&out);
	metrics_render(&s, &out);
	buf_init(&line);
	for (i = 0; declared[i] != NULL; i++) {
		buf_reset(&line);
		buf_printf(&line, "# TYPE kconsumerd_%s\n", declared[i]);
		like(buf_str(&out), buf_str(&line), "TYPE of %s", declared[i]);
		buf_reset(&line);
		buf_printf(&line, "# HELP kconsumerd_%.*s ", (int)(strchr(
		    declared[i], ' ') - declared[i]), declared[i]);
		like(buf_str(&out), buf_str(&line), "and its HELP");
	}
	like(buf_str(&out), "\nkconsumerd_messages_total{consumer=\"0\","
	    "topic=\"orders\"} 1\n", "messages per member and topic");
	like(buf_str(&out), "\nkconsumerd_bytes_total{consumer=\"0\","
	    "topic=\"orders\"} 11\n", "bytes per member and topic");
	like(buf_str(&out), "\nkconsumerd_rebalance_events_total{consumer=\"0\","
	    "kind=\"assign\",protocol=\"COOPERATIVE\"} 1\n",
	    "rebalance events by kind and protocol");
	like(buf_str(&out), "kind=\"lost\",protocol=\"EAGER\"} 0\n",
	    "every kind and protocol has a sample, zero or not");
	like(buf_str(&out), "\nkconsumerd_partitions_owned{consumer=\"0\"} 2\n",
	    "partitions owned per member");
	like(buf_str(&out), "\nkconsumerd_last_pause_seconds{consumer=\"0\"} "
	    "1.500\n", "the last pause in seconds");
	like(buf_str(&out), "\nkconsumerd_commit_failures_total{consumer=\"1\","
	    "error=\"ILLEGAL_GENERATION\"} 1\n", "commit failures by error");
	like(buf_str(&out), "\nkconsumerd_consumer_lag{consumer=\"0\","
	    "topic=\"orders\",partition=\"1\"} 5\n", "lag per partition");
	ok(strstr(buf_str(&out), "partition=\"0\"} -1") == NULL,
	    "a partition without statistics has no lag sample");
	like(buf_str(&out), "\nkconsumerd_rdkafka_rebalances_total{consumer="
	    "\"0\"} 2\n", "librdkafka's rebalance count");
	like(buf_str(&out), "\nkconsumerd_rebalances_total{consumer=\"1\"} "
	    "0\n", "group rebalances per member, zero included");
	like(buf_str(&out), "\nkconsumerd_commits_refused_total{consumer="
	    "\"1\"} 0\n", "refused commits per member");
	like(buf_str(&out), "kind=\"close\",protocol=\"COOPERATIVE\"} 0\n",
	    "a close's revokes have their own kind");

	buf_reset(&out);
	metrics_assignment(&s, &out);
	doc = json_parse(buf_str(&out), out.len, NULL, 0);
	ok(doc != NULL, "/assignment is JSON");
	m = json_get(doc, "members");
	ok(m != NULL && m->len == 2, "with both members");
	if (m != NULL && m->len == 2) {
		is_str(json_get_str(m->items[0], "member_id"), "rdkafka-aaa",
		    "member 0's id");
		ok(json_get(m->items[0], "instance_id")->type == JSON_NULL,
		    "a dynamic member's instance id is null");
		is_str(json_get_str(m->items[0], "protocol"), "COOPERATIVE",
		    "its protocol");
		is_int(json_get(m->items[0], "partitions")->len, 2,
		    "its two partitions");
		is_str(json_get_str(m->items[1], "state"), "joining",
		    "member 1 is still joining");
	}
	json_free(doc);
	buf_free(&line);
	buf_free(&out);
	status_snapshot_free(&s);
	status_free(st);
	return tap_done();
}
