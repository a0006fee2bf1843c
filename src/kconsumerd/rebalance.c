/*
 * rebalance.c: the rebalance callback for both protocols, commit on
 * revoke, and the rebalance events (assign, revoke, lost) of the event log.
 *
 * Runs on the member's own thread: librdkafka serves the callback from
 * rd_kafka_consumer_poll(), and close feeds its final revoke through
 * rebalance_handle(). Touches only that member's handle and offsets.
 *
 * The librdkafka rules followed here (librdkafka-notes.md):
 * - EAGER: rd_kafka_assign(parts) / rd_kafka_assign(NULL);
 *   COOPERATIVE: rd_kafka_incremental_assign / _unassign, whose
 *   rd_kafka_error_t is checked and destroyed. The wrong call for the
 *   protocol would be refused with __STATE and leave the member owning
 *   nothing.
 * - REVOKE (not lost): flush the sink, store, commit synchronously, then
 *   unassign. A lost assignment is not committed.
 * - Any other error code: rd_kafka_assign(NULL).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "offsets.h"
#include "partlist.h"
#include "rebalance.h"
#include "status.h"
#include "xmalloc.h"

#define REBALANCE_COMMITTED_TIMEOUT_MS 2000

/* The name of an origin, as the events' "origin" field gives it. */
const char *
rebalance_origin_name(enum rebalance_origin origin)
{
	switch (origin) {
	case REBALANCE_ORIGIN_REBALANCE:
		return "rebalance";
	case REBALANCE_ORIGIN_CLOSE:
		return "close";
	case REBALANCE_ORIGIN_LOST:
		return "lost";
	case REBALANCE_ORIGIN_JOIN:
		return "join";
	}
	return "unknown";
}

/*
 * True when the member's group uses the incremental protocol. librdkafka
 * answers "EAGER", "COOPERATIVE" or "NONE", and NULL once close has begun
 * (its group queue is gone): then, and for NONE, the last answer stands,
 * seeded from the configured assignor. Guessing EAGER for a cooperative
 * member would make its final unassign fail with __STATE. While closing
 * it is not asked at all: like rd_kafka_memberid(), it waits for the
 * group thread without a timeout.
 */
static bool
rebalance_is_cooperative(struct member *m)
{
	const char *p = m->rk != NULL && !m->closing ?
	    rd_kafka_rebalance_protocol(m->rk) : NULL;

	if (p != NULL && strcmp(p, "NONE") != 0)
		m->cooperative = strcmp(p, "COOPERATIVE") == 0;
	return m->cooperative;
}

/* Add a partition list with the offsets it carries (-1 when unknown). */
static void
rebalance_log_parts(struct logrec *r, const rd_kafka_topic_partition_list_t *l)
{
	struct partlist_item *parts = partlist_from_rd(l);

	logrec_parts(r, "partitions", parts, (size_t)l->cnt);
	free(parts);
}

/* Add the generation where it is known (see member_generation): under
   the consumer protocol, the member epoch, as member_epoch. */
static void
rebalance_log_generation(const struct member *m, struct logrec *r,
    int32_t generation)
{
	if (generation >= 0)
		logrec_int(r, m->shared->cfg->group_protocol ==
		    CONFIG_GROUP_PROTOCOL_CONSUMER ? "member_epoch" :
		    "generation", generation);
}

/* Log an assignment call that librdkafka refused, and what follows. */
static void
rebalance_log_call_error(struct member *m, const char *call,
    rd_kafka_resp_err_t err, const char *detail)
{
	struct logrec *r = member_logrec(m, LOG_LEVEL_ERROR, "error");

	logrec_str(r, "call", call);
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "msg", detail);
	logrec_str(r, "next", "the group will rebalance again");
	logrec_emit(r);
}

/*
 * Apply an assignment change with the call that fits the protocol, and
 * keep the member's count of owned partitions from the calls that
 * succeeded (asking librdkafka with rd_kafka_assignment() is a request to
 * the group thread that close cannot always answer).
 */
static void
rebalance_apply(struct member *m, bool cooperative, bool add,
    rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_error_t *error;
	rd_kafka_resp_err_t err;
	const char *call;
	int owned = atomic_load(&m->assignment);

	if (cooperative) {
		call = add ? "rd_kafka_incremental_assign" :
		    "rd_kafka_incremental_unassign";
		error = add ? rd_kafka_incremental_assign(m->rk, parts) :
		    rd_kafka_incremental_unassign(m->rk, parts);
		if (error != NULL) {
			rebalance_log_call_error(m, call,
			    rd_kafka_error_code(error),
			    rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
			return;
		}
		owned += add ? parts->cnt : -parts->cnt;
	} else {
		err = rd_kafka_assign(m->rk, add ? parts : NULL);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			rebalance_log_call_error(m, "rd_kafka_assign", err,
			    rd_kafka_err2str(err));
			return;
		}
		owned = add ? parts->cnt : 0;
	}
	atomic_store(&m->assignment, owned > 0 ? owned : 0);
}

/* Tell the observer (status, demo) about an event; the member id is the
   cached one, librdkafka is not asked (the event may be close's final
   revoke). */
static void
rebalance_observe(struct member *m, enum rebalance_kind kind,
    enum rebalance_origin origin,
    const rd_kafka_topic_partition_list_t *parts, int assignment,
    int64_t now, int64_t paused, int32_t generation)
{
	struct rebalance_event ev;

	if (m->shared->observer == NULL)
		return;
	ev.kind = kind;
	ev.origin = origin;
	ev.consumer = m->index;
	ev.member_id = member_id(m);
	ev.protocol = member_protocol_name(m);
	ev.group_protocol = config_word("group.protocol",
	    m->shared->cfg->group_protocol);
	ev.partitions = parts;
	ev.assignment = assignment;
	ev.ts_ms = now;
	ev.paused_ms = paused;
	ev.generation = generation;
	m->shared->observer(&ev, m->shared->observer_arg);
}

/* Partitions were assigned (all of them for EAGER, the added ones for
   COOPERATIVE): the member's join (its first assign since it started or
   lost its assignment) or a group rebalance. */
static void
rebalance_on_assign(struct member *m, rd_kafka_topic_partition_list_t *parts,
    bool cooperative)
{
	rd_kafka_topic_partition_list_t *committed;
	int64_t now, paused = -1;
	enum rebalance_origin origin = m->in_group ?
	    REBALANCE_ORIGIN_REBALANCE : REBALANCE_ORIGIN_JOIN;
	struct logrec *r;
	int32_t generation;
	int assignment;

	rebalance_apply(m, cooperative, true, parts);
	m->assigned_once = true;
	m->in_group = true;
	offsets_own(&m->offsets, parts, true);
	committed = rd_kafka_topic_partition_list_copy(parts);
	/* a request to the brokers: not while closing */
	if (!m->closing && committed->cnt > 0 && rd_kafka_committed(m->rk, committed,
	    REBALANCE_COMMITTED_TIMEOUT_MS) == RD_KAFKA_RESP_ERR_NO_ERROR)
		offsets_mark_committed(&m->offsets, committed);
	now = clock_mono_ms();
	assignment = atomic_load(&m->assignment);
	generation = member_generation(m);

	r = member_logrec(m, LOG_LEVEL_INFO, "assign");
	rebalance_log_parts(r, committed);
	logrec_int(r, "assignment", assignment);
	if (m->last_revoke_ms > 0) {
		paused = now - m->last_revoke_ms;
		logrec_int(r, "paused_ms", paused);
	}
	logrec_str(r, "origin", rebalance_origin_name(origin));
	rebalance_log_generation(m, r, generation);
	logrec_emit(r);
	rebalance_observe(m, REBALANCE_ASSIGN, origin, parts, assignment, now,
	    paused, generation);
	rd_kafka_topic_partition_list_destroy(committed);
}

/* Explain a failed commit and what follows from it. */
static void
rebalance_log_commit_failed(struct member *m, rd_kafka_resp_err_t err,
    const char *when, bool cooperative)
{
	struct logrec *r = member_logrec(m, LOG_LEVEL_WARN, "commit_failed");
	const char *next;

	switch ((int)err) {	/* KIP-848's codes may be unknown to the enum */
	case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
	case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
	case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
	case REBALANCE_ERR_STALE_MEMBER_EPOCH:	/* consumer protocol */
	case REBALANCE_ERR_FENCED_MEMBER_EPOCH:
		next = "redelivery: the next owner starts from the last "
		    "committed offset";
		break;
	case RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID:
		next = "fatal: another member uses this group.instance.id";
		break;
	default:
		next = "redelivery of the uncommitted records follows";
		break;
	}
	logrec_str(r, "error", rebalance_error_name(err));
	logrec_str(r, "when", when);
	logrec_str(r, "next", next);
	if (cooperative && err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION &&
	    rd_kafka_version() < 0x020a0000)
		logrec_str(r, "note", "librdkafka < 2.10 may mark the whole "
		    "assignment lost after this (librdkafka #4059)");
	logrec_emit(r);
}

/* The Kafka name of err: librdkafka's, and for KIP-848's commit errors
   ours where the linked librdkafka (before 2.4.0) has none for them. */
const char *
rebalance_error_name(rd_kafka_resp_err_t err)
{
	if (rd_kafka_version() < 0x020400ff) {
		if (err == REBALANCE_ERR_STALE_MEMBER_EPOCH)
			return "STALE_MEMBER_EPOCH";
		if (err == REBALANCE_ERR_FENCED_MEMBER_EPOCH)
			return "FENCED_MEMBER_EPOCH";
	}
	return rd_kafka_err2name(err);
}

/* True for the errors a coordinator answers a commit with when the
   member is no longer in the generation (classic) or at the member epoch
   (consumer protocol) that owned the partitions, or the partitions are
   gone. */
bool
rebalance_refusal_error(rd_kafka_resp_err_t err)
{
	switch ((int)err) {	/* KIP-848's codes may be unknown to the enum */
	case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
	case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
	case REBALANCE_ERR_STALE_MEMBER_EPOCH:
	case REBALANCE_ERR_FENCED_MEMBER_EPOCH:
	case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
	case RD_KAFKA_RESP_ERR__WAIT_COORD:
	case RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST:
		return true;
	default:
		return false;
	}
}

/*
 * A commit failed with err: when that is the coordinator refusing it
 * because the member no longer owns any of the partitions it failed for
 * (lost or revoked since), or lost its assignment (librdkafka knows, the
 * lost event is still to be served), log commit_refused (info: it is
 * expected, and nothing is retried for those partitions) and return true.
 * Otherwise return false: a genuine failure (commit_failed), also for a
 * kept partition after a partial loss.
 */
bool
rebalance_commit_refused(struct member *m, rd_kafka_resp_err_t err,
    const rd_kafka_topic_partition_list_t *parts, const char *when)
{
	bool lost = m->rk != NULL && rd_kafka_assignment_lost(m->rk);
	rd_kafka_topic_partition_list_t *failed = NULL;
	struct logrec *r;
	int i;

	if (!rebalance_refusal_error(err))
		return false;
	/* the partitions the refusal is about: those with an error of their
	   own, else all of them */
	for (i = 0; parts != NULL && i < parts->cnt; i++) {
		if (parts->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
			continue;
		if (failed == NULL)
			failed = rd_kafka_topic_partition_list_new(parts->cnt);
		rd_kafka_topic_partition_list_add(failed, parts->elems[i].topic,
		    parts->elems[i].partition)->offset =
		    parts->elems[i].offset;
	}
	if (failed != NULL)
		parts = failed;
	if (!lost && (parts == NULL || parts->cnt == 0 ||
	    offsets_owns_any(&m->offsets, parts))) {
		if (failed != NULL)
			rd_kafka_topic_partition_list_destroy(failed);
		return false;
	}
	r = member_logrec(m, LOG_LEVEL_INFO, "commit_refused");
	logrec_str(r, "error", rebalance_error_name(err));
	logrec_str(r, "when", when);
	logrec_str(r, "reason", lost || offsets_all_lost(&m->offsets, parts) ?
	    "lost" : "revoked");
	if (parts != NULL)
		rebalance_log_parts(r, parts);
	logrec_str(r, "next", "nothing to retry: the member no longer owns "
	    "these partitions; their next owner starts from the last "
	    "committed offset");
	logrec_emit(r);
	status_on_commit_refused(m->shared->status, m->index);
	if (failed != NULL)
		rd_kafka_topic_partition_list_destroy(failed);
	return true;
}

/*
 * Commit the stored offsets of parts synchronously. Returns the list that
 * was committed (offsets filled in), to be destroyed by the caller.
 */
static rd_kafka_topic_partition_list_t *
rebalance_commit(struct member *m, const rd_kafka_topic_partition_list_t *parts,
    const char *when, bool cooperative)
{
	rd_kafka_topic_partition_list_t *list;
	rd_kafka_resp_err_t err;

	list = offsets_stored_list(&m->offsets, parts);
	if (list->cnt == 0)
		return list;
	/* while closing, shutdown.timeout_ms bounds the wait */
	err = m->closing ? member_commit_until(m, list, m->close_deadline_ms) :
	    rd_kafka_commit(m->rk, list, 0);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		offsets_mark_committed(&m->offsets, list);
	} else if (err != RD_KAFKA_RESP_ERR__NO_OFFSET &&
	    !rebalance_commit_refused(m, err, list, when)) {
		rebalance_log_commit_failed(m, err, when, cooperative);
		status_on_commit_failed(m->shared->status, m->index,
		    rebalance_error_name(err));
	}
	return list;
}

/* Fill parts' offsets with what is known: committed, else the position. */
static void
rebalance_known_offsets(struct member *m, rd_kafka_topic_partition_list_t *l)
{
	int64_t c;
	int i;

	rd_kafka_position(m->rk, l);
	for (i = 0; i < l->cnt; i++) {
		c = offsets_committed(&m->offsets, l->elems[i].topic,
		    l->elems[i].partition);
		if (c >= 0) {
			l->elems[i].offset = c;
			l->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
		}
	}
}

/*
 * Partitions are taken away: deliver, commit, then let go. The origin is
 * a group rebalance, the member's own close (it is closing: SIGTERM, -n,
 * leave_group always) or a loss. A loss commits nothing and forgets the
 * pending offsets of the lost partitions only: when a loss takes only
 * some partitions (a regex-matched topic deleted), the others keep
 * theirs and commit them.
 */
static void
rebalance_on_revoke(struct member *m, rd_kafka_topic_partition_list_t *parts,
    bool cooperative, bool lost)
{
	rd_kafka_topic_partition_list_t *known, *committed = NULL;
	enum rebalance_origin origin = lost ? REBALANCE_ORIGIN_LOST :
	    m->closing ? REBALANCE_ORIGIN_CLOSE : REBALANCE_ORIGIN_REBALANCE;
	struct logrec *r;
	int32_t generation;
	int64_t now;
	int assignment;

	generation = member_generation(m);	/* the one they were owned in */
	if (lost)
		m->in_group = false;
	else {
		member_flush_batch(m);
		committed = rebalance_commit(m, parts, "revoke", cooperative);
	}
	known = rd_kafka_topic_partition_list_copy(parts);
	rebalance_known_offsets(m, known);
	rebalance_apply(m, cooperative, false, parts);
	offsets_forget(&m->offsets, parts, lost); /* pending of lost ones too */
	now = clock_mono_ms();
	m->last_revoke_ms = now;
	assignment = atomic_load(&m->assignment);

	r = member_logrec(m, lost ? LOG_LEVEL_WARN : LOG_LEVEL_INFO,
	    lost ? "lost" : "revoke");
	rebalance_log_parts(r, known);
	logrec_int(r, "assignment", assignment);
	logrec_str(r, "origin", rebalance_origin_name(origin));
	rebalance_log_generation(m, r, generation);
	if (lost)
		logrec_str(r, "next", "no commit (the assignment is lost); "
		    "uncommitted records will be redelivered");
	logrec_emit(r);
	rebalance_observe(m, lost ? REBALANCE_LOST : REBALANCE_REVOKE, origin,
	    parts, assignment, now, -1, generation);
	rd_kafka_topic_partition_list_destroy(known);
	if (committed != NULL)
		rd_kafka_topic_partition_list_destroy(committed);
}

/* Handle one rebalance, from the callback or from the close queue. */
void
rebalance_handle(struct member *m, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts)
{
	bool cooperative = rebalance_is_cooperative(m);
	struct logrec *r;

	switch (err) {
	case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
		rebalance_on_assign(m, parts, cooperative);
		break;
	case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
		rebalance_on_revoke(m, parts, cooperative,
		    rd_kafka_assignment_lost(m->rk) != 0);
		break;
	default:
		r = member_logrec(m, LOG_LEVEL_ERROR, "error");
		logrec_str(r, "error", rd_kafka_err2name(err));
		logrec_str(r, "msg", rd_kafka_err2str(err));
		logrec_str(r, "next", "dropping the assignment; the group will "
		    "rebalance again");
		logrec_emit(r);
		rd_kafka_assign(m->rk, NULL);
		atomic_store(&m->assignment, 0);
		break;
	}
}

/* librdkafka's rebalance callback (served inside consumer_poll). */
void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	(void)rk;
	rebalance_handle(opaque, err, parts);
}

/*
 * Log a state event (SIGUSR1): each owned partition with its position,
 * committed offset and lag (from the cached high watermark; 0 once the
 * partition is caught up: what is left holds no record).
 */
void
rebalance_log_state(struct member *m)
{
	static const char *const names[] = { "position", "committed", "lag",
	    "lag_ms", NULL };
	rd_kafka_topic_partition_list_t *a = NULL, *c;
	int64_t wall = clock_wall_ms();
	struct partlist_item *v;
	struct buf json, text;
	int64_t lo, hi, pos;
	struct logrec *r;
	int i;

	if (rd_kafka_assignment(m->rk, &a) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	c = rd_kafka_topic_partition_list_copy(a);
	rd_kafka_position(m->rk, a);
	if (c->cnt > 0)
		rd_kafka_committed(m->rk, c, REBALANCE_COMMITTED_TIMEOUT_MS);
	v = partlist_from_rd(a);
	for (i = 0; i < a->cnt; i++) {
		pos = a->elems[i].offset >= 0 ? a->elems[i].offset : -1;
		v[i].num[0] = pos;
		v[i].num[1] = c->elems[i].offset >= 0 ? c->elems[i].offset : -1;
		v[i].num[2] = -1;
		if (rd_kafka_get_watermark_offsets(m->rk, a->elems[i].topic,
		    a->elems[i].partition, &lo, &hi) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR && hi >= 0 && pos >= 0)
			v[i].num[2] = hi - pos;
		if (status_part_caught_up(m->shared->status, m->index,
		    a->elems[i].topic, a->elems[i].partition))
			v[i].num[2] = 0;	/* only markers left */
		v[i].num[3] = status_part_lag_ms(m->shared->status, m->index,
		    a->elems[i].topic, a->elems[i].partition, wall);
	}
	buf_init(&json);
	buf_init(&text);
	partlist_json(&json, v, (size_t)a->cnt, names);
	partlist_text(&text, v, (size_t)a->cnt, 3);
	r = member_logrec(m, LOG_LEVEL_INFO, "state");
	logrec_raw(r, "partitions", buf_str(&json), buf_str(&text));
	logrec_int(r, "assignment", a->cnt);
	logrec_int(r, "messages", atomic_load(&m->records));
	logrec_emit(r);
	buf_free(&json);
	buf_free(&text);
	free(v);
	rd_kafka_topic_partition_list_destroy(a);
	rd_kafka_topic_partition_list_destroy(c);
}
