/*
 * status.h: what the service side (notify.c, http.c, metrics.c) knows of
 * the members: per-member state, counters and partitions, published by the
 * member threads and read as snapshots.
 *
 * The status_on_* hooks run on a member's own thread and take only that
 * member's mutex, for a few instructions (status_on_poll takes none). Any
 * thread may take a snapshot: it locks each member in turn just long enough
 * to copy it, so a reader never holds up a consumer for longer than that
 * and never touches a member's rd_kafka_t. Every hook accepts a NULL
 * status (the demo runs without one).
 */
#ifndef KCONSUMERD_STATUS_H
#define KCONSUMERD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

struct buf;
struct config;
struct rebalance_event;

/* A member's place in its group, as the rebalance events tell it. */
enum status_state {
	STATUS_JOINING,		/* started, no assignment yet */
	STATUS_ASSIGNED,	/* owns its assignment (possibly empty) */
	STATUS_REBALANCING,	/* revoked or lost, waiting for an assign */
};

/* Rebalance event kinds and protocols, as counted: a revoke of the
   member's own close is counted as "close", not as "revoke". */
#define STATUS_KINDS		4	/* assign, revoke, lost, close */
#define STATUS_KIND_CLOSE	3
#define STATUS_PROTOCOLS	2	/* EAGER, COOPERATIVE */

/* One owned partition; -1 where the statistics have not told yet. */
struct status_partition {
	char		*topic;
	int32_t		 partition;
	int64_t		 position;	/* next offset to read */
	int64_t		 committed;
	int64_t		 lag;
	/* from the poll loop (see status_on_waiting, status_on_delivered) */
	int64_t		 next;		/* after the last delivered, or -1 */
	int64_t		 hwm;		/* high watermark last seen, or -1 */
	int64_t		 waiting_ts;	/* first undelivered record's
					   timestamp (epoch ms), or -1 */
	int64_t		 last_ts;	/* last delivered record's, or -1 */
	int64_t		 lag_ms;	/* in a snapshot: lag in time, -1:
					   unknown (see status_lag_ms) */
	int64_t		 moved_ms;	/* when next last changed (or the
					   assign), monotonic */
	bool		 stalled;	/* see status_check_stalls */
	int64_t		 stalled_from_ms; /* moved_ms when it stalled */
};

/* Messages and bytes (key + value) written, for one topic. */
struct status_topic {
	char		*topic;
	uint64_t	 messages;
	uint64_t	 bytes;
};

/* A histogram of durations in seconds: counts per bucket (not
   cumulative; the last is above every bound), their sum and count. */
#define STATUS_HIST_BUCKETS	12
extern const double status_hist_bounds[STATUS_HIST_BUCKETS];
struct status_hist {
	uint64_t	 bucket[STATUS_HIST_BUCKETS + 1];
	uint64_t	 count;
	double		 sum;
};

/* A count by name (commit failures by Kafka error name). */
struct status_count {
	char		*name;
	uint64_t	 count;
};

/* A copy of one member. */
struct status_member_snap {
	int			 index;
	char			*member_id;	/* "" before the first join */
	char			*instance_id;	/* NULL: dynamic */
	const char		*protocol;	/* EAGER, COOPERATIVE */
	enum status_state	 state;
	char			*fatal;		/* NULL, or why it failed */
	int64_t			 started_ms;
	int64_t			 last_poll_ms;	/* 0: not yet */
	int64_t			 last_rebalance_ms; /* 0: never */
	int			 last_rebalance_kind; /* STATUS_KINDS index */
	int64_t			 last_pause_ms;	/* -1: none */
	int64_t			 rdkafka_rebalances; /* -1: unknown */
	uint64_t		 messages;	/* all topics */
	uint64_t		 rebalances[STATUS_KINDS][STATUS_PROTOCOLS];
	uint64_t		 group_rebalances; /* assigns other than
						   the member's join */
	uint64_t		 commits_refused; /* commit_refused events */
	int64_t			 revoked_ms;	/* a revoke or lost waiting for
						   its assign, 0: none */
	struct status_hist	 pause;		/* partitions' time without
						   an owner in the process */
	struct status_hist	 rebalance;	/* revoke (or lost) to assign */
	struct status_partition	*parts;
	size_t			 nparts;
	struct status_topic	*topics;
	size_t			 ntopics;
	struct status_count	*commit_failures;
	size_t			 ncommit_failures;
};

/* A copy of everything, taken at now_ms. */
struct status_snapshot {
	int64_t			  now_ms;
	int64_t			  settle_ms;	/* an empty assignment is
						   final after this long */
	bool			  stopping;
	bool			  stall_ready;	/* a stall makes /readyz 503 */
	struct sink_stats	  sink;
	struct status_member_snap *members;
	size_t			  nmembers;
};

struct status;

struct status *status_new(const struct config *cfg, struct sink *sink);
void status_free(struct status *st);
void status_set_stopping(struct status *st);

/* Member-thread hooks. */
void status_on_poll(struct status *st, int index, int64_t now_ms);
void status_on_message(struct status *st, int index, const char *topic,
    size_t bytes);
void status_on_messages(struct status *st, int index, const char *topic,
    uint64_t n, uint64_t bytes);
void status_on_commit_failed(struct status *st, int index,
    const char *error);
void status_on_commit_refused(struct status *st, int index);
void status_on_fatal(struct status *st, int index, const char *reason);
void status_on_stats(struct status *st, int index,
    const struct status_partition *parts, size_t nparts,
    int64_t rdkafka_rebalances);
/* Records of topic/partition from offset first (timestamp ts, epoch ms,
   -1 if none) up to last are in hand, not yet written. */
void status_on_waiting(struct status *st, int index, const char *topic,
    int32_t partition, int64_t ts, int64_t last);
/* The position of topic/partition moved to next without a record
   (transaction markers); hwm as below. */
void status_on_position(struct status *st, int index, const char *topic,
    int32_t partition, int64_t next, int64_t hwm);
/* Records of topic/partition up to offset last (timestamp ts) reached
   the sink; hwm is the partition's high watermark as librdkafka last
   saw it (-1: unknown). */
void status_on_delivered(struct status *st, int index, const char *topic,
    int32_t partition, int64_t last, int64_t ts, int64_t hwm);
/* The lag in time of topic/partition of member index at wall time
   now_ms, -1 if unknown or not owned (any thread). */
int64_t status_part_lag_ms(struct status *st, int index, const char *topic,
    int32_t partition, int64_t now_ms);
/* A rebalance_observer_fn; arg is the struct status. */
void status_observe(const struct rebalance_event *ev, void *arg);

/* Find the partitions that stalled or resumed since the last call
   (health.stall_ms) and log a stalled or resumed event for each (main
   thread, once a tick). */
void status_check_stalls(struct status *st);
/* Add a duration of ms milliseconds to h. */
void status_hist_observe(struct status_hist *h, int64_t ms);

/* Readers (any thread). */
void status_snapshot(struct status *st, struct status_snapshot *out);
void status_snapshot_free(struct status_snapshot *s);
const char *status_kind_name(int kind);
const char *status_protocol_name(int protocol);
const char *status_state_name(enum status_state state);
/* True when every member has had its first assignment; else the members
   still out are listed in why. */
bool status_joined(const struct status_snapshot *s, struct buf *why);
/* True when every member is in its group with an assignment and not inside
   a rebalance; else why says which is not. */
bool status_ready(const struct status_snapshot *s, struct buf *why);
/* The lag in time of p at wall time now_ms (see kconsumerd(8)). */
int64_t status_lag_ms(const struct status_partition *p, int64_t now_ms);
/* True when no member failed and every member polled within max_age_ms
   (not checked while stopping); else why says which did not. */
bool status_healthy(const struct status_snapshot *s, int64_t max_age_ms,
    struct buf *why);

#endif
