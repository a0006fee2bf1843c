/*
 * consumer.h: a group member: its own rd_kafka_t and thread, subscribed to
 * the configured topics, polling, writing to the sink, storing offsets,
 * closing with a deadline.
 *
 * A member's rd_kafka_t is touched only by its own thread. Other threads
 * talk to a member only through the atomic flags below and read its
 * published counters.
 */
#ifndef KCONSUMERD_CONSUMER_H
#define KCONSUMERD_CONSUMER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "offsets.h"

struct config;
struct sink;
struct member;
struct status;

/* What a rebalance observer is told (the demo and tests listen). */
enum rebalance_kind {
	REBALANCE_ASSIGN,
	REBALANCE_REVOKE,
	REBALANCE_LOST,
};

struct rebalance_event {
	enum rebalance_kind			 kind;
	int					 consumer;
	const char				*member_id;	/* "" before the join */
	const char				*protocol;
	const rd_kafka_topic_partition_list_t	*partitions;
	int					 assignment;
	int64_t					 ts_ms;		/* clock_mono_ms() */
	int64_t					 paused_ms;	/* -1: none */
};

typedef void (*rebalance_observer_fn)(const struct rebalance_event *ev,
    void *arg);

/* State shared by every member of the process (owned by daemon.c). */
struct member_shared {
	const struct config	*cfg;
	struct sink		*sink;
	atomic_llong		 written;	/* records written, all members */
	long long		 limit;		/* -n; 0: none */
	atomic_bool		 stop_all;	/* the whole process stops */
	atomic_int		 active;	/* subscribed, not yet closing */
	rebalance_observer_fn	 observer;
	void			*observer_arg;
	struct status		*status;	/* NULL: none (demo) */
};

/* Why a member ended. */
enum member_result {
	MEMBER_OK,		/* clean stop */
	MEMBER_FATAL,		/* fatal Kafka error (exit 76) */
	MEMBER_FAILED,		/* could not start, or the sink gave up */
};

struct member {
	int			 index;
	struct member_shared	*shared;
	char			*instance_id;	/* NULL: dynamic */
	pthread_t		 thread;
	bool			 started;

	/* Set by other threads, read by the member's thread. */
	atomic_bool		 stop;
	atomic_bool		 want_state;

	/* Published by the member's thread for others to read. */
	atomic_int		 result;	/* enum member_result */
	atomic_bool		 running;
	atomic_int		 assignment;	/* partitions owned */
	atomic_llong		 records;	/* records written */
	atomic_llong		 last_poll_ms;

	/* Member thread only. */
	rd_kafka_t		*rk;
	struct offsets		 offsets;
	int64_t			 last_revoke_ms; /* 0: never revoked */
	int64_t			 batch_start_ms;
	bool			 closing;
	bool			 cooperative;	/* last known protocol */
	char			*member_id;	/* last known member id */
	bool			 fatal_logged;
	bool			 assigned_once;	/* an assign was served */
	int64_t			 close_deadline_ms; /* commits give up then */
};

void consumer_init(struct member *m, int index, struct member_shared *sh);
int consumer_start(struct member *m);
void consumer_stop(struct member *m);
int consumer_join(struct member *m);
void consumer_free(struct member *m);
void consumer_request_state(struct member *m);

/* Member thread only (used by rebalance.c). */
void consumer_flush_batch(struct member *m);
void consumer_log_fatal(struct member *m);
rd_kafka_resp_err_t consumer_commit_until(struct member *m,
    const rd_kafka_topic_partition_list_t *list, int64_t until_ms);

/* rebalance.c */
void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts, void *opaque);
void rebalance_handle(struct member *m, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts);
const char *rebalance_member_id(struct member *m);
struct logrec *rebalance_logrec(struct member *m, int level,
    const char *event);
void rebalance_log_state(struct member *m);

#endif
