/*
 * stats.h: librdkafka's statistics (statistics.interval.ms, stats_cb),
 * read minimally: per assigned partition its position, committed offset
 * and consumer lag, and the group's rebalance_cnt.
 *
 * The callback runs on the member's own thread (the statistics event is
 * routed to the consumer queue and served by rd_kafka_consumer_poll).
 */
#ifndef KCONSUMERD_STATS_H
#define KCONSUMERD_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "status.h"

/* What one statistics document says. */
struct stats_result {
	struct status_partition	*parts;		/* the desired partitions */
	size_t			 nparts;
	int64_t			 rebalance_cnt;	/* -1: not there */
};

/* Parse a statistics document; false when it is not JSON. */
bool stats_parse(const char *json, size_t len, struct stats_result *out);
void stats_result_free(struct stats_result *r);
/* librdkafka's statistics callback (statistics.interval.ms comes from
   config_kafka_own.c). */
int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque);

#endif
