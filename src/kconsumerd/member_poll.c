/*
 * member_poll.c: a member's poll loop: at-least-once delivery of the
 * messages to the sink a batch at a time (simulated processing, the -n
 * limit), batches flushed and their offsets stored, error messages
 * explained.
 *
 * A sink that gives a verdict per record (exec under sink.per_record)
 * takes a batch's records one at a time instead, each settled (taken,
 * or dead-lettered as sink.on_error says: an event) before the next;
 * the first that is not stops the member, with the offsets of those
 * before it noted.
 *
 * A poll batch is what rd_kafka_consumer_poll returns without waiting
 * once the first message came (up to MEMBER_POLL_BATCH): its records are
 * formatted into one buffer (not at all for the none sink), written with
 * one sink call (one lock, one write), then their offsets are noted and
 * counted once. Nothing of a batch outlives the call that delivers it, so
 * a revoke served by a poll finds every noted offset already written.
 * The batch's ends of partition (enable.partition.eof) are told to the
 * status after its records, for the lag (status_caught_up).
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
#include "renew.h"
#include "sink.h"
#include "status.h"
#include "xmalloc.h"

#define MEMBER_POLL_BATCH	1000	/* messages taken per poll batch */
#define MEMBER_BATCH_RECORDS	1000	/* flush and store after this many */
#define MEMBER_BATCH_MS		200	/* ... or after this long */

/* One poll batch: the messages, and their records formatted. */
struct member_poll_batch {
	rd_kafka_message_t	*msgs[MEMBER_POLL_BATCH];
	size_t			 ends[MEMBER_POLL_BATCH]; /* of each record */
	struct buf		 out;
	size_t			 nout;	/* records in out */
	rd_kafka_message_t	*eofs[MEMBER_POLL_BATCH]; /* ends of partition,
						   told after the write */
	size_t			 neofs;
};

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

/* Handle a message that carries an error instead of data. */
static void
member_poll_error(struct member *m, const rd_kafka_message_t *msg)
{
	struct logrec *r;

	switch (msg->err) {
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

/*
 * Take up to max messages: the first waits up to MEMBER_POLL_MS, the
 * others are those already queued (zero timeout). Each poll also serves
 * rebalances, logs and statistics, as a poll per message does.
 * (librdkafka 2.0.2's rd_kafka_consume_batch_queue can hand out messages
 * of a partition revoked during the call; this cannot.)
 */
static size_t
member_poll_take(struct member *m, struct member_poll_batch *b, size_t max)
{
	size_t n;

	if ((b->msgs[0] = rd_kafka_consumer_poll(m->rk, MEMBER_POLL_MS)) ==
	    NULL)
		return 0;
	for (n = 1; n < max && !atomic_load(&m->stop); n++)
		if ((b->msgs[n] = rd_kafka_consumer_poll(m->rk, 0)) == NULL)
			break;
	return n;
}

/*
 * How many of the n records in hand this member may write under -n: the
 * slots are claimed for the whole batch at once, so the members of the
 * process never write more than the limit between them. *last is set
 * when the batch takes the last slot.
 */
static size_t
member_poll_claim(struct member *m, size_t n, bool *last)
{
	struct member_shared *sh = m->shared;
	long long first;

	*last = false;
	if (sh->limit <= 0)
		return n;
	first = atomic_fetch_add(&sh->written, (long long)n);
	if (first >= sh->limit)
		return 0;
	if (first + (long long)n >= sh->limit) {
		*last = true;
		return (size_t)(sh->limit - first);
	}
	return n;
}

/* Format the first n messages of the batch into its buffer (the none
   sink reads nothing: only their count). */
static void
member_poll_format(struct member *m, struct member_poll_batch *b, size_t n)
{
	struct sink_header *hv;
	struct sink_record rec;
	bool formats = sink_formats(m->shared->sink);
	size_t i;

	buf_reset(&b->out);
	for (i = 0; i < n; i++) {
		if (formats) {
			member_poll_record(b->msgs[i], &rec, &hv);
			format_record(&b->out, m->shared->cfg, &rec);
			free(hv);
		}
		b->ends[i] = b->out.len;
	}
	b->nout = n;
}

/* True when message i of the batch ends a run of one partition's. */
static bool
member_poll_run_end(const struct member_poll_batch *b, size_t i)
{
	return i + 1 == b->nout || b->msgs[i + 1]->rkt != b->msgs[i]->rkt ||
	    b->msgs[i + 1]->partition != b->msgs[i]->partition;
}

/* Tell the status, per partition run, what waits (before) or what was
   delivered (after the write), for the lag in time. */
static void
member_poll_progress(struct member *m, struct member_poll_batch *b,
    bool delivered)
{
	rd_kafka_message_t *msg;
	int64_t lo, hi, first_ts = -1;
	size_t i;
	bool first = true;

	for (i = 0; i < b->nout; i++) {
		msg = b->msgs[i];
		if (first)
			first_ts = rd_kafka_message_timestamp(msg, NULL);
		first = false;
		if (!member_poll_run_end(b, i))
			continue;
		first = true;
		if (!delivered) {
			status_on_waiting(m->shared->status, m->index,
			    rd_kafka_topic_name(msg->rkt), msg->partition,
			    first_ts, msg->offset);
			continue;
		}
		if (rd_kafka_get_watermark_offsets(m->rk,
		    rd_kafka_topic_name(msg->rkt), msg->partition, &lo, &hi) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			hi = -1;
		status_on_delivered(m->shared->status, m->index,
		    rd_kafka_topic_name(msg->rkt), msg->partition, msg->offset,
		    rd_kafka_message_timestamp(msg, NULL), hi);
	}
}

/* The event of a record the sink rejected: dead-lettered (and going
   on), or not settled (stopping). */
static void
member_poll_verdict_event(struct member *m, const struct sink_record *rec,
    const struct sink_outcome *out, int rc)
{
	struct logrec *r;

	r = member_logrec(m, rc == 0 ? LOG_LEVEL_WARN : LOG_LEVEL_ERROR,
	    rc == 0 ? "dead_letter" : "record_rejected");
	logrec_str(r, "topic", rec->topic);
	logrec_int(r, "partition", rec->partition);
	logrec_int(r, "offset", rec->offset);
	logrec_str(r, "error", out->error[0] != '\0' ? out->error :
	    out->failure);
	logrec_int(r, "attempts", out->attempts);
	if (rc == 0)
		logrec_str(r, "destination", out->destination);
	else if (out->failure[0] != '\0')
		logrec_str(r, "dead_letter_error", out->failure);
	logrec_str(r, "next", rc == 0 ? "its offset is stored; consumption "
	    "goes on" : "stopping without storing its offset (it is "
	    "redelivered)");
	logrec_emit(r);
}

/*
 * Write the records one at a time to a sink that gives verdicts; *taken:
 * how many were settled (taken or dead-lettered), all of them unless one
 * was not (false).
 */
static bool
member_poll_write_each(struct member *m, struct member_poll_batch *b,
    size_t *taken)
{
	struct sink_outcome out;
	struct sink_header *hv;
	struct sink_record rec;
	size_t i, start = 0;
	int rc = 0;

	for (i = 0; i < b->nout && rc == 0; start = b->ends[i++]) {
		member_poll_record(b->msgs[i], &rec, &hv);
		rc = sink_write_record(m->shared->sink, &rec,
		    b->out.data + start, b->ends[i] - start, &out);
		if (out.dead_lettered || (rc != 0 && (out.error[0] != '\0' ||
		    out.failure[0] != '\0')))
			member_poll_verdict_event(m, &rec, &out, rc);
		free(hv);
		if (rc != 0)
			*taken = i;
	}
	return rc == 0;
}

/*
 * Write the formatted records to the sink in one call (one at a time to
 * a sink that gives verdicts), then note their offsets and count them
 * (per topic, once). False when the sink gave up: only the records
 * settled before that are noted, so nothing after is stored.
 */
static bool
member_poll_write(struct member *m, struct member_poll_batch *b)
{
	struct member_shared *sh = m->shared;
	const char *topic = NULL, *t;
	uint64_t count = 0, bytes = 0;
	rd_kafka_message_t *msg;
	size_t i, taken = b->nout;
	bool ok;

	member_poll_progress(m, b, false);
	if (sink_verdicts(sh->sink))
		ok = member_poll_write_each(m, b, &taken);
	else if (!(ok = sink_write_batch(sh->sink, b->out.data, b->out.len,
	    b->ends, b->nout) == 0))
		taken = 0;
	if (!ok) {
		msg = b->msgs[taken];
		log_errorx("consumer %d: the sink did not take %zu records "
		    "from %s[%d]@%lld on; stopping without storing their "
		    "offsets (they will be redelivered)", m->index,
		    b->nout - taken, rd_kafka_topic_name(msg->rkt),
		    (int)msg->partition, (long long)msg->offset);
		atomic_store(&m->result, MEMBER_FAILED);
		member_stop_all(m);
		if ((b->nout = taken) == 0)
			return false;
	}
	for (i = 0; i < b->nout; i++) {
		msg = b->msgs[i];
		t = rd_kafka_topic_name(msg->rkt);
		/* a partition's messages come in runs: note the last of each
		   run (offsets only grow within a partition) */
		if (member_poll_run_end(b, i))
			offsets_note(&m->offsets, t, msg->partition,
			    msg->offset);
		if (topic != NULL && t != topic && strcmp(t, topic) != 0) {
			status_on_messages(sh->status, m->index, topic, count,
			    bytes);
			count = bytes = 0;
		}
		topic = t;
		count++;
		bytes += msg->key_len + msg->len;
	}
	if (count > 0)
		status_on_messages(sh->status, m->index, topic, count, bytes);
	member_poll_progress(m, b, true);
	atomic_fetch_add(&m->records, (long long)b->nout);
	if (sh->limit <= 0)	/* under -n, member_poll_claim counted them */
		atomic_fetch_add(&sh->written, (long long)b->nout);
	return ok;
}

/*
 * Tell the status where librdkafka read a partition to its end (the
 * batch's PARTITION_EOF messages, after its records were written, when
 * tell), then destroy them. What lay between the last record and that end
 * held none: transaction markers (see status_caught_up).
 */
static void
member_poll_eofs(struct member *m, struct member_poll_batch *b, bool tell)
{
	rd_kafka_message_t *msg;
	size_t i;

	for (i = 0; i < b->neofs; i++) {
		msg = b->eofs[i];
		if (tell && msg->rkt != NULL)
			status_on_eof(m->shared->status, m->index,
			    rd_kafka_topic_name(msg->rkt), msg->partition,
			    msg->offset);
		rd_kafka_message_destroy(msg);
	}
	b->neofs = 0;
}

/*
 * Deliver a poll batch of n messages: error messages are handled in
 * order, then the -n slots of its records are claimed at once, the
 * records formatted and written, their offsets noted; every message is
 * destroyed. False when the member must stop.
 */
static bool
member_poll_deliver(struct member *m, struct member_poll_batch *b, size_t n)
{
	size_t i, k = 0, allowed = 0;
	bool last = false, go_on = true;

	b->neofs = 0;
	for (i = 0; i < n; i++) {
		if (b->msgs[i]->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			offsets_polled(&m->offsets,
			    rd_kafka_topic_name(b->msgs[i]->rkt),
			    b->msgs[i]->partition, b->msgs[i]->offset);
			b->msgs[k++] = b->msgs[i];
			continue;
		}
		if (b->msgs[i]->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			b->eofs[b->neofs++] = b->msgs[i];
			continue;
		}
		member_poll_error(m, b->msgs[i]);
		rd_kafka_message_destroy(b->msgs[i]);
	}
	if (k == 0) {
		member_poll_eofs(m, b, true);
		return true;
	}
	if (!member_poll_delay(m,
	    m->shared->cfg->experiment.processing_delay_us))
		go_on = false;
	else if ((allowed = member_poll_claim(m, k, &last)) > 0) {
		member_poll_format(m, b, allowed);
		go_on = member_poll_write(m, b);
	}
	for (i = 0; i < k; i++)
		rd_kafka_message_destroy(b->msgs[i]);
	member_poll_eofs(m, b, go_on && allowed == k);
	if (!go_on)
		return false;
	if (allowed < k || last) {
		/* -n is reached: by this batch (flush and store it, then
		   stop everyone) or by another member */
		if (allowed > 0)
			member_flush_batch(m);
		member_stop_all(m);
		return false;
	}
	if (m->batch_start_ms == 0)
		m->batch_start_ms = clock_mono_ms();
	return true;
}

/*
 * Poll and deliver, a batch at a time, until asked to stop or to join
 * again with a new client (m->rejoin). With a simulated processing time
 * or a sink that runs a command per record (sink_verdicts) a batch is
 * one message, so that the time between two polls stays the time of one
 * message and each record's offset is stored as soon as it is settled.
 */
void
member_poll_loop(struct member *m)
{
	struct member_poll_batch *b = xcalloc(1, sizeof *b);
	size_t n, max = m->shared->cfg->experiment.processing_delay_us > 0 ||
	    sink_verdicts(m->shared->sink) ? 1 : MEMBER_POLL_BATCH;
	int64_t now;

	buf_init(&b->out);
	while (!atomic_load(&m->stop) && !m->rejoin) {
		if (atomic_exchange(&m->want_state, false))
			rebalance_log_state(m);
		renew_apply(m->shared->renew, m->rk, &m->renew_seen, m->index);
		n = member_poll_take(m, b, max);
		now = clock_mono_ms();
		status_on_poll(m->shared->status, m->index, now);
		if (n == 0) {
			/* idle: a flush lets the sink notice an exec command
			   that exited and give what it left unread to the
			   next one */
			if (offsets_pending(&m->offsets) == 0 &&
			    sink_flush(m->shared->sink) != 0)
				member_on_flush_error(m);
			member_flush_batch(m);
			continue;
		}
		if (!member_poll_deliver(m, b, n))
			break;
		if (offsets_pending(&m->offsets) >= MEMBER_BATCH_RECORDS ||
		    now - m->batch_start_ms >= MEMBER_BATCH_MS)
			member_flush_batch(m);
	}
	member_flush_batch(m);
	buf_free(&b->out);
	free(b);
}
