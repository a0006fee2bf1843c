/*
 * member_poll.c: a member's poll loop: at-least-once delivery of each
 * message to the sink (simulated processing, the -n limit), batches
 * flushed and their offsets stored, error messages explained.
 *
 * The member's own thread.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "member_bridge.h"
#include "member_poll.h"
#include "offsets.h"
#include "rebalance.h"
#include "sink.h"
#include "status.h"
#include "xmalloc.h"

#define MEMBER_BATCH_RECORDS	1000	/* flush and store after this many */
#define MEMBER_BATCH_MS		200	/* ... or after this long */

/* Sleep for the simulated processing time; false when asked to stop. */
static bool
member_poll_delay(struct member *m, int64_t us)
{
	struct timespec ts;
	int64_t slice;

	while (us > 0) {
		if (atomic_load(&m->stop))
			return false;
		slice = us > 100000 ? 100000 : us;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(slice * 1000);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		us -= slice;
	}
	return true;
}

/* Turn a librdkafka message into a sink record (headers into hv). */
static void
member_poll_record(const rd_kafka_message_t *msg,
    struct sink_record *rec, struct sink_header **hv)
{
	rd_kafka_headers_t *hdrs = NULL;
	rd_kafka_timestamp_type_t tstype;
	const void *value;
	const char *name;
	size_t i, n, size;

	memset(rec, 0, sizeof *rec);
	rec->topic = rd_kafka_topic_name(msg->rkt);
	rec->partition = msg->partition;
	rec->offset = msg->offset;
	rec->timestamp = rd_kafka_message_timestamp(msg, &tstype);
	rec->key = msg->key;
	rec->key_len = msg->key_len;
	rec->value = msg->payload;
	rec->value_len = msg->len;
	*hv = NULL;
	if (rd_kafka_message_headers(msg, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    (n = rd_kafka_header_cnt(hdrs)) == 0)
		return;
	*hv = xcalloc(n, sizeof **hv);
	for (i = 0; i < n; i++) {
		if (rd_kafka_header_get_all(hdrs, i, &name, &value, &size) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		(*hv)[i].name = name;
		(*hv)[i].value = value;
		(*hv)[i].len = size;
	}
	rec->headers = *hv;
	rec->nheaders = i;
}

/*
 * Deliver one message: simulated processing, the -n limit, the sink, then
 * note its offset. False when the member must stop.
 */
static bool
member_poll_deliver(struct member *m, const rd_kafka_message_t *msg)
{
	struct member_shared *sh = m->shared;
	struct sink_header *hv;
	struct sink_record rec;
	long long slot;
	int rc;

	if (!member_poll_delay(m,
	    sh->cfg->experiment.processing_delay_us))
		return false;
	slot = atomic_fetch_add(&sh->written, 1) + 1;
	if (sh->limit > 0 && slot > sh->limit) {
		member_stop_all(m);
		return false;
	}
	member_poll_record(msg, &rec, &hv);
	rc = sink_write(sh->sink, &rec);
	free(hv);
	if (rc != 0) {
		log_errorx("consumer %d: the sink did not take %s[%d]@%lld; "
		    "stopping without storing its offset (it will be "
		    "redelivered)", m->index, rec.topic, (int)rec.partition,
		    (long long)rec.offset);
		atomic_store(&m->result, MEMBER_FAILED);
		member_stop_all(m);
		return false;
	}
	offsets_note(&m->offsets, rec.topic, rec.partition, rec.offset);
	atomic_fetch_add(&m->records, 1);
	status_on_message(sh->status, m->index, rec.topic,
	    rec.key_len + rec.value_len);
	if (m->batch_start_ms == 0)
		m->batch_start_ms = clock_mono_ms();
	if (sh->limit > 0 && slot == sh->limit) {
		member_flush_batch(m);
		member_stop_all(m);
		return false;
	}
	return true;
}

/* Handle a message that carries an error instead of data. */
static void
member_poll_error(struct member *m, const rd_kafka_message_t *msg)
{
	struct logrec *r;

	switch (msg->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
		return;
	case RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED:
		r = member_logrec(m, LOG_LEVEL_WARN, "max_poll_exceeded");
		logrec_int(r, "max_poll_interval_ms",
		    m->shared->cfg->max_poll_interval_ms);
		logrec_str(r, "msg", rd_kafka_message_errstr(msg));
		logrec_str(r, "next", "the member left the group; its "
		    "partitions are lost and it rejoins on the next poll");
		logrec_emit(r);
		return;
	case RD_KAFKA_RESP_ERR__FATAL:
		member_bridge_fatal(m);
		return;
	default:
		r = member_logrec(m, LOG_LEVEL_WARN, "error");
		logrec_str(r, "error", rd_kafka_err2name(msg->err));
		logrec_str(r, "msg", rd_kafka_message_errstr(msg));
		if (msg->rkt != NULL) {
			logrec_str(r, "topic", rd_kafka_topic_name(msg->rkt));
			logrec_int(r, "partition", msg->partition);
		}
		logrec_str(r, "next", "consumption goes on");
		logrec_emit(r);
	}
}

/* Poll and deliver until asked to stop. */
void
member_poll_loop(struct member *m)
{
	rd_kafka_message_t *msg;
	bool go_on;
	int64_t now;

	while (!atomic_load(&m->stop)) {
		if (atomic_exchange(&m->want_state, false))
			rebalance_log_state(m);
		msg = rd_kafka_consumer_poll(m->rk, MEMBER_POLL_MS);
		now = clock_mono_ms();
		status_on_poll(m->shared->status, m->index, now);
		if (msg == NULL) {
			/* idle: a flush lets the sink notice an exec command
			   that exited and give what it left unread to the
			   next one */
			if (offsets_pending(&m->offsets) == 0 &&
			    sink_flush(m->shared->sink) != 0)
				member_on_flush_error(m);
			member_flush_batch(m);
			continue;
		}
		if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			member_poll_error(m, msg);
			rd_kafka_message_destroy(msg);
			continue;
		}
		go_on = member_poll_deliver(m, msg);
		rd_kafka_message_destroy(msg);
		if (!go_on)
			break;
		if (offsets_pending(&m->offsets) >= MEMBER_BATCH_RECORDS ||
		    now - m->batch_start_ms >= MEMBER_BATCH_MS)
			member_flush_batch(m);
	}
	member_flush_batch(m);
}
