/*
 * status_fixture.h: a status of two members fed the way the member
 * threads feed it, for t_status, t_metrics and t_http.
 */
#ifndef KCONSUMERD_STATUS_FIXTURE_H
#define KCONSUMERD_STATUS_FIXTURE_H

#include <string.h>

#include "config.h"
#include "member_run.h"
#include "status.h"

/* A configuration with what status.c reads: two dynamic members. */
static inline void
fixture_status_config(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->consumers = 2;
	cfg->assignor = CONFIG_ASSIGNOR_COOPERATIVE_STICKY;
	cfg->max_poll_interval_ms = 10000;
	cfg->heartbeat_interval_ms = 1000;
}

/* Tell the status about a rebalance event of member consumer at ts_ms. */
static inline void
fixture_rebalance_at(struct status *st, int consumer,
    enum rebalance_kind kind, const char *topic, const int *parts,
    int nparts, int64_t paused, int64_t ts_ms)
{
	rd_kafka_topic_partition_list_t *l;
	struct rebalance_event ev;
	int i;

	l = rd_kafka_topic_partition_list_new(nparts > 0 ? nparts : 1);
	for (i = 0; i < nparts; i++)
		rd_kafka_topic_partition_list_add(l, topic, parts[i]);
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.consumer = consumer;
	ev.member_id = consumer == 0 ? "rdkafka-aaa" : "rdkafka-bbb";
	ev.protocol = "COOPERATIVE";
	ev.partitions = l;
	ev.ts_ms = ts_ms;
	ev.paused_ms = paused;
	ev.generation = -1;
	status_observe(&ev, st);
	rd_kafka_topic_partition_list_destroy(l);
}

/* A rebalance event of member consumer with its origin, at ts 1000. */
static inline void
fixture_rebalance_origin(struct status *st, int consumer,
    enum rebalance_kind kind, enum rebalance_origin origin,
    const char *topic, const int *parts, int nparts)
{
	rd_kafka_topic_partition_list_t *l;
	struct rebalance_event ev;
	int i;

	l = rd_kafka_topic_partition_list_new(nparts > 0 ? nparts : 1);
	for (i = 0; i < nparts; i++)
		rd_kafka_topic_partition_list_add(l, topic, parts[i]);
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.origin = origin;
	ev.consumer = consumer;
	ev.member_id = consumer == 0 ? "rdkafka-aaa" : "rdkafka-bbb";
	ev.protocol = "COOPERATIVE";
	ev.partitions = l;
	ev.ts_ms = 1000;
	ev.paused_ms = -1;
	ev.generation = -1;
	status_observe(&ev, st);
	rd_kafka_topic_partition_list_destroy(l);
}

/* The same, long ago (ts_ms 1000 on the monotonic clock). */
static inline void
fixture_rebalance(struct status *st, int consumer, enum rebalance_kind kind,
    const char *topic, const int *parts, int nparts, int64_t paused)
{
	fixture_rebalance_at(st, consumer, kind, topic, parts, nparts, paused,
	    1000);
}

#endif
