/*
 * describe.h: "kconsumerctl describe", a consumer group as the cluster
 * sees it: per partition the committed offset, log-end offset, lag and
 * owning member, and the group's state, assignor and members. With
 * --watch it describes again every N seconds and marks what changed.
 *
 * Main thread only (kconsumerctl). A struct describe_snap owns everything
 * in it; a struct describe_client owns its librdkafka handle.
 *
 * Sections: describe_kafka.c asks the cluster (admin API, metadata,
 * watermarks), describe_lag.c reads the first unprocessed record of each
 * lagging partition for the lag in time, describe_print.c writes a snapshot as a table or JSON and
 * compares it with the previous one, describe_cmd.c is the command.
 */
#ifndef KCONSUMERD_DESCRIBE_H
#define KCONSUMERD_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <librdkafka/rdkafka.h>

/* Default --timeout: how long each request to the cluster may take. */
#define DESCRIBE_TIMEOUT_MS	10000

/* Change marks of a partition since the previous print (--watch). */
#define DESCRIBE_CH_NEW		0x01	/* not in the previous print */
#define DESCRIBE_CH_OWNER	0x02	/* another member owns it */
#define DESCRIBE_CH_COMMITTED	0x04	/* committed offset moved */
#define DESCRIBE_CH_LAG_UP	0x08	/* lag grew */
#define DESCRIBE_CH_LAG_DOWN	0x10	/* lag shrank */
#define DESCRIBE_CH_END		0x20	/* log-end offset moved */

/* One member of the group, from DescribeConsumerGroups. */
struct describe_member {
	char		*member_id;
	char		*instance_id;	/* NULL when dynamic */
	char		*client_id;
	char		*host;
	size_t		 nparts;	/* partitions assigned to it */
	char		*assignment;	/* "topic[p],..." as described */
	char		*target;	/* consumer protocol: the broker's
					   target assignment; NULL: none */
};

/* One partition of a topic the group reads. */
struct describe_part {
	char		*topic;
	int32_t		 partition;
	int64_t		 committed;	/* -1: no committed offset */
	int64_t		 low;		/* log start, -1 unknown */
	int64_t		 high;		/* log end, -1 unknown */
	int64_t		 lag;		/* -1 unknown */
	int64_t		 lag_ms;	/* in time (describe_lag.c); -1
					   unknown */
	int		 owner;		/* index in members, -1 none */
	char		*error;		/* why offsets are missing, or NULL */
	int		 changes;	/* DESCRIBE_CH_* */
	int64_t		 d_committed;	/* differences since the last print */
	int64_t		 d_lag;
	char		*prev_owner;	/* label of the previous owner */
};

/* What one round of requests found. */
struct describe_snap {
	int64_t			 ts;		/* ms since the epoch */
	char			*group;
	char			*bootstrap;
	char			*unreachable;	/* the cluster did not answer */

	bool			 described;	/* state and members known */
	bool			 unsupported;	/* no DescribeGroups there */
	char			*describe_error;
	char			*state;
	char			*type;		/* classic, consumer; NULL:
						   this librdkafka cannot say */
	char			*assignor;
	int			 coordinator_id;	/* -1 unknown */
	char			*coordinator;	/* host:port */
	struct describe_member	*members;
	size_t			 nmembers;

	char			*offsets_error;	/* committed offsets failed */
	struct describe_part	*parts;
	size_t			 nparts;

	/* Totals over the partitions, and group-level changes. */
	int64_t			 committed_total;
	int64_t			 end_total;
	int64_t			 lag_total;
	int64_t			 lag_ms_max;	/* the largest lag_ms; -1: none
						   known */
	size_t			 no_commit;	/* partitions without one */
	char			**notes;	/* "member X joined", ... */
	size_t			 nnotes;
};

/* A connection to the cluster and what to describe. */
struct describe_client {
	rd_kafka_t		*rk;
	rd_kafka_queue_t	*queue;
	rd_kafka_t		*grk;		/* DescribeConsumerGroups only */
	rd_kafka_queue_t	*gqueue;
	rd_kafka_t		*lrk;		/* reads records for lag in
						   time (describe_lag.c) */
	char			*group;
	char			*bootstrap;
	char			**topics;	/* configured: names, ^regex */
	size_t			 ntopics;
	int			 timeout_ms;
	char			*unsupported;	/* why groups cannot be described */
	bool			 checked_mock;	/* the cluster id was looked at */
};

/* describe_kafka.c */
int describe_client_open(struct describe_client *c, rd_kafka_conf_t *conf,
    char *errstr, size_t errlen);
void describe_client_close(struct describe_client *c);
void describe_snap_take(struct describe_client *c, struct describe_snap *s);
void describe_snap_free(struct describe_snap *s);
const char *describe_member_label(const struct describe_snap *s, int m);

/* describe_lag.c */
rd_kafka_t *describe_lag_open(const rd_kafka_conf_t *conf, const char *group,
    char *errstr, size_t errlen);
void describe_lag_seconds(rd_kafka_t *rk, struct describe_snap *s,
    int timeout_ms);

/* describe_print.c */
void describe_snap_compare(struct describe_snap *s,
    const struct describe_snap *prev);
void describe_print_text(const struct describe_snap *s, bool watch,
    bool say_unsupported, FILE *fp);
void describe_print_json(const struct describe_snap *s, FILE *fp);

/* describe_cmd.c */
int describe_main(int argc, char **argv);
void describe_usage(FILE *fp);

#endif
