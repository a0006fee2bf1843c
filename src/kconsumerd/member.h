/*
 * member.h: a group member's state, and what its parts share: the
 * process-wide state every member sees (member_shared), event records
 * carrying the member's identity, the batch flush, and commits bounded by
 * a deadline. A member is driven by member_run.c; librdkafka's callbacks
 * (member_bridge.c), the poll loop (member_poll.c), rebalances
 * (rebalance.c) and close (member_close.c) work on it.
 *
 * A member's rd_kafka_t is touched only by its own thread. Other threads
 * talk to a member only through the atomic flags below and read its
 * published counters.
 */
#ifndef KCONSUMERD_MEMBER_H
#define KCONSUMERD_MEMBER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "offsets.h"
#include "rebalance_event.h"

#define MEMBER_POLL_MS	100	/* poll timeout: how often flags are seen */
#define MEMBER_REJOIN_MIN_MS	1000	/* first back-off after
					   UNRELEASED_INSTANCE_ID, doubled */
#define MEMBER_REJOIN_MAX_MS	5000	/* longest back-off */

struct config;
struct renew;
struct sink;
struct status;

/* State shared by every member of the process (set up by
   member_shared_init, owned by whoever runs the members). */
struct member_shared {
	const struct config	*cfg;
	struct sink		*sink;
	atomic_llong		 written;	/* records written (under -n: slots
						   claimed), all members */
	long long		 limit;		/* -n; 0: none */
	atomic_bool		 stop_all;	/* the whole process stops */
	atomic_int		 active;	/* subscribed, not yet closing */
	rebalance_observer_fn	 observer;
	void			*observer_arg;
	struct status		*status;	/* NULL: none (demo) */
	struct renew		*renew;		/* SIGHUP's credentials; NULL:
						   none (demo) */
};

/* Why a member ended. */
enum member_result {
	MEMBER_OK,		/* clean stop */
	MEMBER_FATAL,		/* fatal Kafka error (exit 76) */
	MEMBER_FAILED,		/* could not start, or the sink gave up */
	MEMBER_DENIED,		/* the cluster refused our credentials or
				   TLS failed (exit 77) */
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

	/* Published by the member's thread for others to read (reset by
	   member_run_start before the thread runs). */
	atomic_int		 result;	/* enum member_result */
	atomic_bool		 running;
	atomic_int		 assignment;	/* partitions owned */
	atomic_llong		 records;	/* records written */

	/* Set by librdkafka's broker threads (member_denied.c): why the
	   broker's certificate failed verification last (X509_V_ERR_*;
	   0: never) and at which depth of its chain. */
	atomic_int		 cert_error;
	atomic_int		 cert_depth;

	/* Member thread only. */
	rd_kafka_t		*rk;
	unsigned		 renew_seen;	/* renew.h generation applied */
	struct offsets		 offsets;
	int64_t			 last_revoke_ms; /* 0: never revoked */
	int64_t			 batch_start_ms;
	bool			 closing;
	bool			 cooperative;	/* last known protocol */
	char			*member_id;	/* last known member id */
	int32_t			 generation;	/* last known generation (or
						   member epoch); -1: none */
	bool			 fatal_logged;
	bool			 assigned_once;	/* an assign was served */
	bool			 in_group;	/* assigned since its start or
						   its last loss */
	int64_t			 close_deadline_ms; /* commits give up then */
	/* Refused with UNRELEASED_INSTANCE_ID before any assignment: the
	   client is closed and a new one joins at rejoin_at_ms (see
	   group.unreleased_wait_ms). */
	bool			 rejoin;
	int64_t			 rejoin_at_ms;
	int64_t			 unreleased_since_ms; /* first refusal; 0:
							 none */
	int			 rejoin_attempts;
};

struct logrec;

void member_shared_init(struct member_shared *sh, const struct config *cfg,
    struct sink *sink, long long limit, struct status *status,
    rebalance_observer_fn observer, void *observer_arg);

/* Member thread only. */
void member_stop_all(struct member *m);
void member_end_fatal(struct member *m, struct logrec *r, int err,
    enum member_result result);
void member_on_flush_error(struct member *m);
void member_flush_batch(struct member *m);
const char *member_protocol_name(struct member *m);
const char *member_id(struct member *m);
int32_t member_generation(struct member *m);
struct logrec *member_logrec(struct member *m, int level, const char *event);
rd_kafka_resp_err_t member_commit_until(struct member *m,
    const rd_kafka_topic_partition_list_t *list, int64_t until_ms);

#endif
