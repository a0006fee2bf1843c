/*
 * describe_lag.c: the group's lag in time per partition, for "kconsumerctl
 * describe": now minus the timestamp of the first record after the
 * committed offset, the oldest record the group has yet to process (the
 * same definition as kconsumerd's lag_ms, seen from the committed offset
 * instead of a member's position).
 *
 * The records are read with a consumer handle of its own, with
 * rd_kafka_assign() at explicit offsets: it never joins the group and
 * never stores or commits an offset (librdkafka wants a group.id for
 * assign and poll: the described group's, so no other group's access is
 * needed), so describing never moves the group's offsets; read_committed,
 * so transaction markers and
 * aborted records are skipped: a partition whose only offsets after the
 * committed one are markers reaches its end with no record and is not
 * behind (0). Main thread only.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "describe.h"

/* Settings of the reading handle, over the user's (-X, -c). */
static const char *const describe_lag_conf[][2] = {
	{ "enable.auto.commit", "false" },
	{ "enable.auto.offset.store", "false" },
	{ "enable.partition.eof", "true" },
	{ "isolation.level", "read_committed" },
	{ "fetch.wait.max.ms", "100" },
};

/* Make the reading handle for group from a copy of the connection's
   settings; NULL (and errstr) when librdkafka refuses it. */
rd_kafka_t *
describe_lag_open(const rd_kafka_conf_t *conf, const char *group,
    char *errstr, size_t errlen)
{
	rd_kafka_conf_t *lconf = rd_kafka_conf_dup(conf);
	rd_kafka_t *rk;
	size_t i;

	if (rd_kafka_conf_set(lconf, "group.id", group, errstr, errlen) !=
	    RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(lconf);
		return NULL;
	}
	for (i = 0; i < sizeof describe_lag_conf / sizeof *describe_lag_conf;
	    i++)
		if (rd_kafka_conf_set(lconf, describe_lag_conf[i][0],
		    describe_lag_conf[i][1], errstr, errlen) !=
		    RD_KAFKA_CONF_OK) {
			rd_kafka_conf_destroy(lconf);
			return NULL;
		}
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, lconf, errstr, errlen)) ==
	    NULL)
		rd_kafka_conf_destroy(lconf);
	return rk;
}

/* The partition of s a message or EOF is about, or NULL. */
static struct describe_part *
describe_lag_part(struct describe_snap *s, const rd_kafka_message_t *msg)
{
	const char *topic = rd_kafka_topic_name(msg->rkt);
	size_t i;

	for (i = 0; i < s->nparts; i++)
		if (s->parts[i].partition == msg->partition &&
		    strcmp(s->parts[i].topic, topic) == 0)
			return &s->parts[i];
	return NULL;
}

/* Take one message: the lag of its partition when it is the first seen
   there; true when it settled a partition. */
static bool
describe_lag_take(struct describe_snap *s, const rd_kafka_message_t *msg,
    int64_t now)
{
	struct describe_part *p;
	rd_kafka_timestamp_type_t type;
	int64_t ts;

	if (msg->rkt == NULL || (p = describe_lag_part(s, msg)) == NULL ||
	    p->lag_ms != -1)
		return false;
	if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		p->lag_ms = 0;		/* only markers were left */
		return true;
	}
	if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR)
		return false;
	ts = rd_kafka_message_timestamp(msg, &type);
	p->lag_ms = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || ts < 0 ? -2 :
	    now > ts ? now - ts : 0;
	return true;
}

/*
 * Fill lag_ms for every partition of s: 0 where the lag is 0, else read
 * the first record from the committed offset on, for at most timeout_ms
 * in all. -1 stays where it cannot be known (no committed offset, no
 * record within the time, a record without a timestamp); lag_ms_max is
 * the largest known.
 */
void
describe_lag_seconds(rd_kafka_t *rk, struct describe_snap *s, int timeout_ms)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_message_t *msg;
	struct describe_part *p;
	int64_t deadline, now;
	size_t i, left = 0;

	s->lag_ms_max = -1;
	l = rd_kafka_topic_partition_list_new((int)s->nparts + 1);
	for (i = 0; i < s->nparts; i++) {
		p = &s->parts[i];
		p->lag_ms = p->lag == 0 ? 0 : -1;
		if (p->lag > 0 && p->committed >= 0) {
			rd_kafka_topic_partition_list_add(l, p->topic,
			    p->partition)->offset = p->committed;
			left++;
		}
	}
	if (rk != NULL && left > 0 &&
	    rd_kafka_assign(rk, l) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		deadline = clock_mono_ms() + timeout_ms;
		while (left > 0 && (now = clock_mono_ms()) < deadline) {
			msg = rd_kafka_consumer_poll(rk, (int)(deadline - now));
			if (msg == NULL)
				continue;
			if (describe_lag_take(s, msg, clock_wall_ms()))
				left--;
			rd_kafka_message_destroy(msg);
		}
		rd_kafka_assign(rk, NULL);
	}
	rd_kafka_topic_partition_list_destroy(l);
	for (i = 0; i < s->nparts; i++) {
		p = &s->parts[i];
		if (p->lag_ms == -2)
			p->lag_ms = -1;
		if (p->lag_ms > s->lag_ms_max)
			s->lag_ms_max = p->lag_ms;
	}
}
