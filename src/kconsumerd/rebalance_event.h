/*
 * rebalance_event.h: what a rebalance observer is told of each assign,
 * revoke or lost event of a member (status.c and the demo listen).
 *
 * Observers run on the member's thread that had the event.
 */
#ifndef KCONSUMERD_REBALANCE_EVENT_H
#define KCONSUMERD_REBALANCE_EVENT_H

#include <stdint.h>

#include <librdkafka/rdkafka.h>

enum rebalance_kind {
	REBALANCE_ASSIGN,
	REBALANCE_REVOKE,
	REBALANCE_LOST,
};

/* Why the assignment changed (the events' "origin" field). */
enum rebalance_origin {
	REBALANCE_ORIGIN_REBALANCE,	/* the group rebalanced */
	REBALANCE_ORIGIN_CLOSE,		/* revoke: the member's own close */
	REBALANCE_ORIGIN_LOST,		/* lost: session, poll or fencing */
	REBALANCE_ORIGIN_JOIN,		/* assign: the member's first after
					   its start or a loss */
};

struct rebalance_event {
	enum rebalance_kind			 kind;
	enum rebalance_origin			 origin;
	int					 consumer;
	const char				*member_id;	/* "" before the join */
	const char				*protocol;	/* EAGER,
							   COOPERATIVE */
	const char				*group_protocol; /* classic,
							   consumer */
	const rd_kafka_topic_partition_list_t	*partitions;
	int					 assignment;
	int64_t					 ts_ms;		/* clock_mono_ms() */
	int64_t					 paused_ms;	/* -1: none */
	int32_t					 generation;	/* -1: unknown */
};

const char *rebalance_origin_name(enum rebalance_origin origin);

typedef void (*rebalance_observer_fn)(const struct rebalance_event *ev,
    void *arg);

#endif
