/*
 * member.c: what every part of a member shares: the process-wide state
 * (member_shared), the member's event records and cached member id, its
 * batch flush, and commits bounded by a deadline.
 *
 * member_shared_init runs on the main thread; everything else on the
 * member's own thread.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "exitcodes.h"
#include "log.h"
#include "member.h"
#include "offsets.h"
#include "sink.h"
#include "status.h"
#include "xmalloc.h"

/* Set up the state every member of the process shares (main thread):
   the configuration, the sink, the -n limit (0: none), the status
   (NULL: none) and the rebalance observer (NULL: none). */
void
member_shared_init(struct member_shared *sh, const struct config *cfg,
    struct sink *sink, long long limit, struct status *status,
    rebalance_observer_fn observer, void *observer_arg)
{
	memset(sh, 0, sizeof *sh);
	sh->cfg = cfg;
	sh->sink = sink;
	sh->limit = limit;
	sh->status = status;
	sh->observer = observer;
	sh->observer_arg = observer_arg;
	atomic_init(&sh->written, 0);
	atomic_init(&sh->stop_all, false);
	atomic_init(&sh->active, 0);
}

/* Ask the whole process to stop (fatal error, -n reached, sink gave up). */
void
member_stop_all(struct member *m)
{
	atomic_store(&m->stop, true);
	atomic_store(&m->shared->stop_all, true);
}

/* End a member on a fatal error: finish and emit its event=fatal record
   r (with what happens next and the exit status), mark its status and
   result (MEMBER_FATAL: exit 76, MEMBER_DENIED: 77), stop every member. */
void
member_end_fatal(struct member *m, struct logrec *r, int err,
    enum member_result result)
{
	logrec_printf(r, "next", "this member stops; the others close "
	    "cleanly; exit %d", result == MEMBER_DENIED ? EXIT_NOPERM :
	    EXIT_KAFKA);
	logrec_emit(r);
	status_on_fatal(m->shared->status, m->index, rd_kafka_err2name(err));
	atomic_store(&m->result, result);
	member_stop_all(m);
}

/* After a failed flush: when the sink failed for good, stop every member. */
void
member_on_flush_error(struct member *m)
{
	if (!sink_failed(m->shared->sink))
		return;
	atomic_store(&m->result, MEMBER_FAILED);
	member_stop_all(m);
}

/*
 * Store the offsets the position passed without a record (transaction
 * markers, offsets_skip_unread) and tell status the partitions are there.
 */
static void
member_skip_unread(struct member *m)
{
	rd_kafka_topic_partition_list_t *moved;
	int64_t lo, hi;
	int i;

	if (m->rk == NULL || (moved = offsets_skip_unread(&m->offsets,
	    m->rk)) == NULL)
		return;
	for (i = 0; i < moved->cnt; i++) {
		if (moved->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR)
			continue;
		if (rd_kafka_get_watermark_offsets(m->rk, moved->elems[i].topic,
		    moved->elems[i].partition, &lo, &hi) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			hi = -1;
		status_on_position(m->shared->status, m->index,
		    moved->elems[i].topic, moved->elems[i].partition,
		    moved->elems[i].offset, hi);
	}
	rd_kafka_topic_partition_list_destroy(moved);
}

/* Flush the sink and store the offsets of what it accepted, then those
   the position passed without a record. */
void
member_flush_batch(struct member *m)
{
	m->batch_start_ms = 0;
	if (offsets_pending(&m->offsets) > 0) {
		if (sink_flush(m->shared->sink) != 0) {
			offsets_drop_pending(&m->offsets);
			member_on_flush_error(m);
			return;
		}
		offsets_store(&m->offsets, m->rk);
	}
	member_skip_unread(m);
}

/* The protocol name for the event log: EAGER or COOPERATIVE. */
const char *
member_protocol_name(struct member *m)
{
	return m->cooperative ? "COOPERATIVE" : "EAGER";
}

/*
 * The member id for events. librdkafka is asked only while the member is
 * not closing: inside close, rd_kafka_memberid() (a request to the group
 * thread without a timeout) can block forever. The last non-empty answer
 * is kept, so events during close and the stop event still name the
 * member.
 */
const char *
member_id(struct member *m)
{
	char *id;

	if (!m->closing && m->rk != NULL &&
	    (id = rd_kafka_memberid(m->rk)) != NULL) {
		if (*id != '\0') {
			free(m->member_id);
			m->member_id = xstrdup(id);
		}
		rd_kafka_mem_free(m->rk, id);
	}
	return m->member_id != NULL ? m->member_id : "";
}

/*
 * The group generation the member is in (under the consumer protocol its
 * member epoch, which librdkafka reports in its place), where librdkafka
 * exposes it: rd_kafka_consumer_group_metadata_generation_id(), 2.8.0 and
 * later. Asked only while not closing (rd_kafka_consumer_group_metadata()
 * waits for the group thread without a timeout, like rd_kafka_memberid());
 * the last answer of 0 or more is kept, so a lost or close event names the
 * generation the member was last in. -1: unknown (older librdkafka, or
 * not yet in a generation): events then leave the field out.
 */
int32_t
member_generation(struct member *m)
{
#ifdef HAVE_RD_KAFKA_CONSUMER_GROUP_METADATA_GENERATION_ID
	rd_kafka_consumer_group_metadata_t *md;
	int32_t g;

	if (!m->closing && m->rk != NULL &&
	    (md = rd_kafka_consumer_group_metadata(m->rk)) != NULL) {
		g = rd_kafka_consumer_group_metadata_generation_id(md);
		rd_kafka_consumer_group_metadata_destroy(md);
		if (g >= 0)
			m->generation = g;
	}
#endif
	return m->generation;
}

/*
 * Start a record with the fields every member event carries: consumer,
 * group, member_id, instance_id, protocol (EAGER or COOPERATIVE, what the
 * callback does) and group_protocol (classic or consumer, the group's).
 */
struct logrec *
member_logrec(struct member *m, int level, const char *event)
{
	struct logrec *r = logrec_new((enum log_level)level, event);

	logrec_int(r, "consumer", m->index);
	logrec_str(r, "group", m->shared->cfg->group_id);
	logrec_str(r, "member_id", member_id(m));
	logrec_str(r, "instance_id", m->instance_id);
	logrec_str(r, "protocol", member_protocol_name(m));
	logrec_str(r, "group_protocol", config_word("group.protocol",
	    m->shared->cfg->group_protocol));
	return r;
}

/*
 * Commit list and wait for the result until until_ms at most: a
 * synchronous rd_kafka_commit waits for the coordinator however long it
 * takes (seconds when no broker answers), which shutdown.timeout_ms must
 * bound. Returns the commit's error, or __TIMED_OUT.
 */
rd_kafka_resp_err_t
member_commit_until(struct member *m,
    const rd_kafka_topic_partition_list_t *list, int64_t until_ms)
{
	const rd_kafka_topic_partition_list_t *done;
	rd_kafka_resp_err_t err;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	int64_t left;

	q = rd_kafka_queue_new(m->rk);
	err = rd_kafka_commit_queue(m->rk, list, q, NULL, NULL);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		err = RD_KAFKA_RESP_ERR__TIMED_OUT;
		while ((left = until_ms - clock_mono_ms()) > 0) {
			if ((ev = rd_kafka_queue_poll(q, (int)left)) == NULL)
				continue;
			if (rd_kafka_event_type(ev) ==
			    RD_KAFKA_EVENT_OFFSET_COMMIT) {
				err = rd_kafka_event_error(ev);
				done = rd_kafka_event_topic_partition_list(ev);
				if (err == RD_KAFKA_RESP_ERR_NO_ERROR &&
				    done != NULL)
					offsets_mark_committed(&m->offsets, done);
				rd_kafka_event_destroy(ev);
				break;
			}
			rd_kafka_event_destroy(ev);
		}
	}
	rd_kafka_queue_destroy(q);
	return err;
}
