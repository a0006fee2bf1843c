/*
 * t_metrics.c: the Prometheus page and the /assignment JSON rendered from
 * a status snapshot.
 */
#include "autoconf.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "json.h"
#include "metrics.h"
#include "xmalloc.h"
#include "status_fixture.h"
#include "../tap.h"

/*
 * Check a Prometheus text exposition: every sample line is NAME{LABELS}
 * VALUE with NAME declared by a TYPE line before it (a histogram's
 * _bucket, _sum and _count by the histogram's), each TYPE preceded by
 * its HELP, each histogram's buckets non-decreasing and ending in le
 * "+Inf" equal to its _count. Prints what is wrong.
 */
static bool
exposition_ok(const char *page)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
	char *copy = xstrdup(page), *ln, *save = NULL, *sp;
	char type[128] = "", family[128] = "", help[128] = "", name[128];
	unsigned long long last = 0, inf = 0;
	regex_t re;
	size_t i, len;
	bool good = true, hist;

	if (regcomp(&re, "^[a-z_]+(\\{[a-z_]+=\"[^\"\\\\]*\"(,[a-z_]+="
	    "\"[^\"\\\\]*\")*\\})? -?[0-9][0-9.e+-]*$", REG_EXTENDED) != 0)
		return false;
	for (ln = strtok_r(copy, "\n", &save); ln != NULL;
	    ln = strtok_r(NULL, "\n", &save)) {
		if (sscanf(ln, "# HELP %127s", help) == 1)
			continue;
		if (sscanf(ln, "# TYPE %127s %127s", family, type) == 2) {
			if (strcmp(help, family) != 0) {
				printf("# TYPE without HELP: %s\n", ln);
				good = false;
			}
			last = 0;
			continue;
		}
		if (regexec(&re, ln, 0, NULL, 0) != 0) {
			printf("# malformed: %s\n", ln);
			good = false;
			continue;
		}
		len = strcspn(ln, "{ ");
		snprintf(name, sizeof name, "%.*s", (int)len, ln);
		hist = strcmp(type, "histogram") == 0;
		for (i = 0; hist && i < 3; i++) {
			len = strlen(family);
			if (strncmp(name, family, len) == 0 &&
			    strcmp(name + len, suffixes[i]) == 0)
				break;
		}
		if (hist ? i == 3 : strcmp(name, family) != 0) {
			printf("# undeclared: %s\n", ln);
			good = false;
			continue;
		}
		if (!hist)
			continue;
		sp = strrchr(ln, ' ');
		if (i == 0) {
			if (strtoull(sp + 1, NULL, 10) < last) {
				printf("# bucket went down: %s\n", ln);
				good = false;
			}
			last = strtoull(sp + 1, NULL, 10);
			if (strstr(ln, "le=\"+Inf\"") != NULL) {
				inf = last;
				last = 0;
			}
		} else if (i == 2 && strtoull(sp + 1, NULL, 10) != inf) {
			printf("# count is not the +Inf bucket: %s\n", ln);
			good = false;
		}
	}
	regfree(&re);
	free(copy);
	return good;
}

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
		"sink_errors_total counter", "partition_lag_seconds gauge",
		NULL,
	};
	struct status_partition lag = { .topic = "orders", .partition = 1,
	    .position = 10, .committed = 8, .lag = 5 };
	struct status_partition p;
	int64_t wall = clock_wall_ms();
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
	/* partition 0 caught up; partition 1 delivered up to 41 of 50, the
	   last 3 s old; member 1 owns nothing */
	status_on_delivered(st, 0, "orders", 0, 9, wall - 1000, 10);
	status_on_delivered(st, 0, "orders", 1, 41, wall - 3000, 50);
	status_on_delivered(st, 1, "orders", 1, 41, wall - 3000, 50);
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

	like(buf_str(&out), "\nkconsumerd_partition_lag_seconds{consumer=\"0\","
	    "topic=\"orders\",partition=\"0\"} 0.000\n",
	    "lag seconds 0 at the high watermark");
	like(buf_str(&out), "\nkconsumerd_partition_lag_seconds{consumer=\"0\","
	    "topic=\"orders\",partition=\"1\"} 3.", "lag seconds behind");
	ok(strstr(buf_str(&out), "partition_lag_seconds{consumer=\"1\"") ==
	    NULL, "no lag seconds for a partition the member does not own");
	ok(s.members[0].parts[1].lag_ms >= 3000 &&
	    s.members[0].parts[1].lag_ms < 4000, "lag_ms %lld is 3 s",
	    (long long)s.members[0].parts[1].lag_ms);

	/* status_lag_ms's cases */
	memset(&p, 0, sizeof p);
	p.next = p.hwm = p.waiting_ts = p.last_ts = p.eof = -1;
	is_int(status_lag_ms(&p, wall), -1, "nothing known: unknown");
	p.hwm = 100;
	p.waiting_ts = wall - 2000;
	is_int(status_lag_ms(&p, wall), 2000,
	    "records in hand: now minus the first one's timestamp");
	p.waiting_ts = -1;
	p.next = 90;
	p.last_ts = wall - 5000;
	is_int(status_lag_ms(&p, wall), 5000,
	    "else now minus the last delivered one's");
	p.next = 100;
	is_int(status_lag_ms(&p, wall), 0, "at the high watermark: 0");
	p.next = 90;
	p.last_ts = wall + 5000;
	is_int(status_lag_ms(&p, wall), 0, "a timestamp ahead of us: 0");
	p.last_ts = -1;
	is_int(status_lag_ms(&p, wall), -1, "no timestamp: unknown");

	/* transaction markers: the end librdkafka read to (status_caught_up) */
	p.next = 90;
	p.hwm = 95;	/* an open transaction past the last stable offset */
	p.last_ts = wall - 5000;
	p.committed = 90;
	p.lag = 5;	/* librdkafka's: the high watermark's view */
	p.eof = 91;	/* a commit marker at 90 */
	ok(status_caught_up(&p), "at librdkafka's end past a marker: caught up");
	is_int(status_lag_ms(&p, wall), 0, "lag in time 0 although the high "
	    "watermark is further");
	is_int(status_lag_records(&p), 0, "lag in records 0: the offsets "
	    "left hold no record");
	p.committed = 88;
	is_int(status_lag_records(&p), 2, "caught up, the records delivered "
	    "and not committed still count");
	p.eof = -1;
	ok(!status_caught_up(&p), "without an end of partition: not caught up");
	is_int(status_lag_records(&p), 5, "and librdkafka's lag stands");
	is_int(status_lag_ms(&p, wall), 5000, "and so does the lag in time");
	p.eof = 89;
	ok(!status_caught_up(&p), "an end before the position is stale");
	p.next = p.last_ts = -1;
	p.committed = 90;
	p.lag = 1;	/* committed on a marker by another consumer */
	p.eof = 91;
	ok(status_caught_up(&p), "nothing polled since the assign, at the "
	    "end: caught up");
	is_int(status_lag_records(&p), 0, "its marker is not lag");
	is_int(status_lag_ms(&p, wall), 0, "nor is it behind in time");
	/* the hooks: an end of partition told after delivery, then records */
	status_on_eof(st, 0, "orders", 1, 40);
	ok(!status_part_caught_up(st, 0, "orders", 1), "an end of partition "
	    "before what was delivered is ignored");
	status_on_eof(st, 0, "orders", 1, 43);
	ok(status_part_caught_up(st, 0, "orders", 1), "one past it (a marker "
	    "at 42): caught up");
	is_int(status_part_lag_ms(st, 0, "orders", 1, wall), 0,
	    "its lag in time is 0 (the high watermark 50 is past the last "
	    "stable offset)");
	status_on_waiting(st, 0, "orders", 1, wall - 500, 45);
	ok(!status_part_caught_up(st, 0, "orders", 1), "records in hand: not "
	    "caught up");
	status_on_delivered(st, 0, "orders", 1, 45, wall - 500, 50);
	ok(!status_part_caught_up(st, 0, "orders", 1), "delivered past the "
	    "end: not caught up until the next end");

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
		ok(json_get(json_get(m->items[0], "partitions")->items[0],
		    "lag_ms") != NULL, "each with its lag_ms");
		is_str(json_get_str(m->items[1], "state"), "joining",
		    "member 1 is still joining");
	}
	json_free(doc);
	status_snapshot_free(&s);
	status_free(st);

	/* histograms: member 0 gives partition 1 up at 2000, member 1 takes
	   it at 2300 (a pause of 0.3 s); member 0's next assign comes at
	   2600 (a rebalance of 0.6 s); first assignments observe no pause */
	st = status_new(&cfg, NULL);
	fixture_rebalance_at(st, 0, REBALANCE_ASSIGN, "orders", parts, 2, -1,
	    1000);
	fixture_rebalance_at(st, 0, REBALANCE_REVOKE, "orders", parts, 1, -1,
	    2000);
	fixture_rebalance_at(st, 1, REBALANCE_ASSIGN, "orders", parts, 1, -1,
	    2300);
	fixture_rebalance_at(st, 0, REBALANCE_ASSIGN, "orders", parts, 0, 600,
	    2600);
	status_snapshot(st, &s);
	buf_reset(&out);
	metrics_render(&s, &out);
	like(buf_str(&out), "# TYPE kconsumerd_partition_pause_seconds "
	    "histogram\n", "the pause histogram is declared");
	like(buf_str(&out), "# TYPE kconsumerd_rebalance_duration_seconds "
	    "histogram\n", "the rebalance histogram is declared");
	like(buf_str(&out), "\nkconsumerd_partition_pause_seconds_bucket{"
	    "consumer=\"1\",le=\"0.25\"} 0\nkconsumerd_partition_pause_"
	    "seconds_bucket{consumer=\"1\",le=\"0.5\"} 1\n",
	    "a 0.3 s pause lands in the 0.5 bucket of the member that took it");
	like(buf_str(&out), "\nkconsumerd_partition_pause_seconds_bucket{"
	    "consumer=\"1\",le=\"+Inf\"} 1\nkconsumerd_partition_pause_"
	    "seconds_sum{consumer=\"1\"} 0.300\nkconsumerd_partition_pause_"
	    "seconds_count{consumer=\"1\"} 1\n", "buckets are cumulative, "
	    "with +Inf, sum and count");
	like(buf_str(&out), "\nkconsumerd_partition_pause_seconds_count{"
	    "consumer=\"0\"} 0\n", "a first assignment observes no pause");
	like(buf_str(&out), "\nkconsumerd_rebalance_duration_seconds_bucket{"
	    "consumer=\"0\",le=\"0.5\"} 0\nkconsumerd_rebalance_duration_"
	    "seconds_bucket{consumer=\"0\",le=\"1\"} 1\n",
	    "revoke to assign, 0.6 s, per member");
	like(buf_str(&out), "\nkconsumerd_rebalance_duration_seconds_count{"
	    "consumer=\"1\"} 0\n", "an assign without a revoke is no "
	    "rebalance duration");
	ok(exposition_ok(buf_str(&out)), "the whole page is valid Prometheus "
	    "text exposition (names declared, histogram series complete)");
	buf_free(&line);
	buf_free(&out);
	status_snapshot_free(&s);
	status_free(st);
	return tap_done();
}
