/*
 * status.c: per-member state and counters for the service side.
 *
 * The status_on_* hooks and status_observe run on the member's own thread
 * (from the poll loop, the rebalance observer and the statistics callback)
 * and take only that member's mutex; status_on_poll is a lone atomic store
 * so the poll loop never waits. status_snapshot runs on any thread (main
 * for notify, the HTTP thread) and holds each member's mutex only while
 * copying it. Nothing here touches an rd_kafka_t.
 */
#include "autoconf.h"

#include <sys/types.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "rebalance_event.h"
#include "status.h"
#include "xmalloc.h"

/* One member: everything but last_poll_ms is under mtx. */
struct status_member {
	pthread_mutex_t		 mtx;
	atomic_llong		 last_poll_ms;
	struct status_member_snap s;	/* the live copy */
	int			 last_topic;	/* cache for status_on_message */
};

/* A partition this process gave up (revoke or lost), and when. */
struct status_gone {
	char		*topic;
	int32_t		 partition;
	int64_t		 since_ms;	/* monotonic */
};

struct status {
	struct sink		*sink;
	int64_t			 settle_ms;	/* see status_snapshot */
	int64_t			 stall_ms;	/* health.stall_ms, 0: off */
	bool			 stall_ready;	/* health.stall_ready */
	const char		*group;
	atomic_bool		 stopping;
	struct status_member	*members;
	size_t			 nmembers;
	pthread_mutex_t		 gone_mtx;	/* guards gone */
	struct status_gone	*gone;
	size_t			 ngone;
};

/* Upper bounds of the histograms' buckets, in seconds. */
const double status_hist_bounds[STATUS_HIST_BUCKETS] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
};

static const char *const status_kind_names[STATUS_KINDS] = {
	"assign", "revoke", "lost", "close"
};
static const char *const status_protocol_names[STATUS_PROTOCOLS] = {
	"EAGER", "COOPERATIVE"
};
static const char *const status_state_names[] = {
	"joining", "assigned", "rebalancing"
};

/* Kafka's default group.consumer.heartbeat.interval.ms. */
#define STATUS_BROKER_HEARTBEAT_MS	5000

/* Make the status of cfg->consumers members (main thread, before they
   start). */
struct status *
status_new(const struct config *cfg, struct sink *sink)
{
	struct status *st = xcalloc(1, sizeof *st);
	struct status_member *sm;
	int64_t now = clock_mono_ms();
	size_t i;

	st->sink = sink;
	/* a cooperative newcomer's first assignment is empty; its
	   partitions come a round later, within a heartbeat or two (the
	   broker's under the consumer protocol: Kafka's default
	   group.consumer.heartbeat.interval.ms) */
	st->settle_ms = 2 * (cfg->group_protocol ==
	    CONFIG_GROUP_PROTOCOL_CONSUMER ? STATUS_BROKER_HEARTBEAT_MS :
	    cfg->heartbeat_interval_ms);
	st->stall_ms = cfg->health.stall_ms;
	st->stall_ready = cfg->health.stall_ready != 0;
	st->group = cfg->group_id;
	pthread_mutex_init(&st->gone_mtx, NULL);
	atomic_init(&st->stopping, false);
	st->nmembers = (size_t)cfg->consumers;
	st->members = xcalloc(st->nmembers, sizeof *st->members);
	for (i = 0; i < st->nmembers; i++) {
		sm = &st->members[i];
		pthread_mutex_init(&sm->mtx, NULL);
		atomic_init(&sm->last_poll_ms, 0);
		sm->s.index = (int)i;
		sm->s.member_id = xstrdup("");
		if (cfg->instance_ids != NULL)
			sm->s.instance_id = xstrdup(cfg->instance_ids[i]);
		sm->s.protocol = cfg->assignor ==
		    CONFIG_ASSIGNOR_COOPERATIVE_STICKY || cfg->group_protocol ==
		    CONFIG_GROUP_PROTOCOL_CONSUMER ? "COOPERATIVE" : "EAGER";
		sm->s.state = STATUS_JOINING;
		sm->s.started_ms = now;
		sm->s.last_pause_ms = -1;
		sm->s.rdkafka_rebalances = -1;
		sm->last_topic = -1;
	}
	return st;
}

/* Free one member copy's allocations. */
static void
status_member_free(struct status_member_snap *s)
{
	size_t i;

	free(s->member_id);
	free(s->instance_id);
	free(s->fatal);
	for (i = 0; i < s->nparts; i++)
		free(s->parts[i].topic);
	free(s->parts);
	for (i = 0; i < s->ntopics; i++)
		free(s->topics[i].topic);
	free(s->topics);
	for (i = 0; i < s->ncommit_failures; i++)
		free(s->commit_failures[i].name);
	free(s->commit_failures);
}

/* Free the status (main thread, after the members and readers ended). */
void
status_free(struct status *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nmembers; i++) {
		status_member_free(&st->members[i].s);
		pthread_mutex_destroy(&st->members[i].mtx);
	}
	free(st->members);
	for (i = 0; i < st->ngone; i++)
		free(st->gone[i].topic);
	free(st->gone);
	pthread_mutex_destroy(&st->gone_mtx);
	free(st);
}

/* Note that the daemon is stopping (any thread). */
void
status_set_stopping(struct status *st)
{
	if (st != NULL)
		atomic_store(&st->stopping, true);
}

/* The member at index, or NULL. */
static struct status_member *
status_member(struct status *st, int index)
{
	if (st == NULL || index < 0 || (size_t)index >= st->nmembers)
		return NULL;
	return &st->members[index];
}

/* The member polled (member thread; no lock). */
void
status_on_poll(struct status *st, int index, int64_t now_ms)
{
	struct status_member *sm = status_member(st, index);

	if (sm != NULL)
		atomic_store(&sm->last_poll_ms, now_ms);
}

/* A message of topic reached the sink (member thread). */
void
status_on_message(struct status *st, int index, const char *topic,
    size_t bytes)
{
	status_on_messages(st, index, topic, 1, bytes);
}

/* n messages of topic, bytes of key and value in all, reached the sink
   (member thread; one lock for a batch). */
void
status_on_messages(struct status *st, int index, const char *topic,
    uint64_t n, uint64_t bytes)
{
	struct status_member *sm = status_member(st, index);
	struct status_topic *t = NULL;
	size_t i;

	if (sm == NULL)
		return;
	pthread_mutex_lock(&sm->mtx);
	if (sm->last_topic >= 0 &&
	    strcmp(sm->s.topics[sm->last_topic].topic, topic) == 0)
		t = &sm->s.topics[sm->last_topic];
	for (i = 0; t == NULL && i < sm->s.ntopics; i++)
		if (strcmp(sm->s.topics[i].topic, topic) == 0)
			t = &sm->s.topics[i];
	if (t == NULL) {
		sm->s.topics = xreallocarray(sm->s.topics, sm->s.ntopics + 1,
		    sizeof *sm->s.topics);
		t = &sm->s.topics[sm->s.ntopics++];
		t->topic = xstrdup(topic);
		t->messages = t->bytes = 0;
	}
	sm->last_topic = (int)(t - sm->s.topics);
	t->messages += n;
	t->bytes += bytes;
	sm->s.messages += n;
	pthread_mutex_unlock(&sm->mtx);
}

/* A commit failed with the Kafka error named error (member thread). */
void
status_on_commit_failed(struct status *st, int index, const char *error)
{
	struct status_member *sm = status_member(st, index);
	struct status_count *c = NULL;
	size_t i;

	if (sm == NULL)
		return;
	pthread_mutex_lock(&sm->mtx);
	for (i = 0; c == NULL && i < sm->s.ncommit_failures; i++)
		if (strcmp(sm->s.commit_failures[i].name, error) == 0)
			c = &sm->s.commit_failures[i];
	if (c == NULL) {
		sm->s.commit_failures = xreallocarray(sm->s.commit_failures,
		    sm->s.ncommit_failures + 1, sizeof *sm->s.commit_failures);
		c = &sm->s.commit_failures[sm->s.ncommit_failures++];
		c->name = xstrdup(error);
		c->count = 0;
	}
	c->count++;
	pthread_mutex_unlock(&sm->mtx);
}

/* A commit was refused for partitions lost or revoked (member thread). */
void
status_on_commit_refused(struct status *st, int index)
{
	struct status_member *sm = status_member(st, index);

	if (sm == NULL)
		return;
	pthread_mutex_lock(&sm->mtx);
	sm->s.commits_refused++;
	pthread_mutex_unlock(&sm->mtx);
}

/* The member hit a fatal error (member thread). */
void
status_on_fatal(struct status *st, int index, const char *reason)
{
	struct status_member *sm = status_member(st, index);

	if (sm == NULL)
		return;
	pthread_mutex_lock(&sm->mtx);
	if (sm->s.fatal == NULL)
		sm->s.fatal = xstrdup(reason);
	pthread_mutex_unlock(&sm->mtx);
}

/* The index of topic/partition in the member's partitions, or -1. */
static ssize_t
status_find_part(const struct status_member_snap *s, const char *topic,
    int32_t partition)
{
	size_t i;

	for (i = 0; i < s->nparts; i++)
		if (s->parts[i].partition == partition &&
		    strcmp(s->parts[i].topic, topic) == 0)
			return (ssize_t)i;
	return -1;
}

/* Add or remove the partitions of a rebalance event (lock held). */
static void
status_apply_parts(struct status_member_snap *s,
    const rd_kafka_topic_partition_list_t *l, bool add)
{
	struct status_partition *p;
	ssize_t at;
	int i;

	for (i = 0; l != NULL && i < l->cnt; i++) {
		at = status_find_part(s, l->elems[i].topic,
		    l->elems[i].partition);
		if (add && at < 0) {
			s->parts = xreallocarray(s->parts, s->nparts + 1,
			    sizeof *s->parts);
			p = &s->parts[s->nparts++];
			p->topic = xstrdup(l->elems[i].topic);
			p->partition = l->elems[i].partition;
			p->position = p->committed = p->lag = -1;
			p->next = p->hwm = p->waiting_ts = p->last_ts = -1;
			p->lag_ms = -1;
			p->moved_ms = clock_mono_ms();
			p->stalled = false;
		} else if (!add && at >= 0) {
			free(s->parts[at].topic);
			s->parts[at] = s->parts[--s->nparts];
		}
	}
}

/* Add a duration of ms milliseconds to h. */
void
status_hist_observe(struct status_hist *h, int64_t ms)
{
	double sec = ms > 0 ? (double)ms / 1000 : 0;
	size_t i;

	for (i = 0; i < STATUS_HIST_BUCKETS && sec > status_hist_bounds[i];
	    i++)
		;
	h->bucket[i]++;
	h->count++;
	h->sum += sec;
}

/*
 * The partitions of l left the process at now (gone) or came back to it
 * (!gone): a partition coming back that the process had given up adds
 * the time it spent without an owner here to pause (member's lock held;
 * the gone list has its own, taken inside it).
 */
static void
status_gone_update(struct status *st, const rd_kafka_topic_partition_list_t *l,
    bool gone, int64_t now, struct status_hist *pause)
{
	struct status_gone *g;
	size_t j;
	int i;

	pthread_mutex_lock(&st->gone_mtx);
	for (i = 0; l != NULL && i < l->cnt; i++) {
		g = NULL;
		for (j = 0; j < st->ngone && g == NULL; j++)
			if (st->gone[j].partition == l->elems[i].partition &&
			    strcmp(st->gone[j].topic, l->elems[i].topic) == 0)
				g = &st->gone[j];
		if (gone) {
			if (g == NULL) {
				st->gone = xreallocarray(st->gone,
				    st->ngone + 1, sizeof *st->gone);
				g = &st->gone[st->ngone++];
				g->topic = xstrdup(l->elems[i].topic);
				g->partition = l->elems[i].partition;
			}
			g->since_ms = now;
		} else if (g != NULL) {
			status_hist_observe(pause, now - g->since_ms);
			free(g->topic);
			*g = st->gone[--st->ngone];
		}
	}
	pthread_mutex_unlock(&st->gone_mtx);
}

/*
 * Rebalance observer: state, partitions and counters (member thread). The
 * member's own close is not a rebalance: it is counted apart ("close")
 * and leaves the state and the last rebalance as they were; a group
 * rebalance is an assign other than the member's join.
 */
void
status_observe(const struct rebalance_event *ev, void *arg)
{
	struct status_member *sm = status_member(arg, ev->consumer);
	struct status_member_snap *s;
	int kind = ev->kind, proto;

	if (sm == NULL || kind < 0 || kind >= STATUS_KINDS)
		return;
	if (kind == REBALANCE_REVOKE && ev->origin == REBALANCE_ORIGIN_CLOSE)
		kind = STATUS_KIND_CLOSE;
	proto = strcmp(ev->protocol, "COOPERATIVE") == 0 ? 1 : 0;
	pthread_mutex_lock(&sm->mtx);
	s = &sm->s;
	s->protocol = status_protocol_names[proto];
	if (ev->member_id != NULL && strcmp(ev->member_id, s->member_id)) {
		free(s->member_id);
		s->member_id = xstrdup(ev->member_id);
	}
	status_apply_parts(s, ev->partitions, kind == REBALANCE_ASSIGN);
	if (kind != STATUS_KIND_CLOSE)
		status_gone_update(arg, ev->partitions,
		    kind != REBALANCE_ASSIGN, ev->ts_ms, &s->pause);
	if (kind == REBALANCE_ASSIGN && s->revoked_ms > 0) {
		status_hist_observe(&s->rebalance, ev->ts_ms - s->revoked_ms);
		s->revoked_ms = 0;
	} else if ((kind == REBALANCE_REVOKE || kind == REBALANCE_LOST) &&
	    s->revoked_ms == 0)
		s->revoked_ms = ev->ts_ms;
	s->rebalances[kind][proto]++;
	if (kind == REBALANCE_ASSIGN &&
	    ev->origin == REBALANCE_ORIGIN_REBALANCE)
		s->group_rebalances++;
	if (kind == STATUS_KIND_CLOSE) {
		pthread_mutex_unlock(&sm->mtx);
		return;
	}
	s->state = kind == REBALANCE_ASSIGN ? STATUS_ASSIGNED :
	    STATUS_REBALANCING;
	s->last_rebalance_ms = ev->ts_ms;
	s->last_rebalance_kind = kind;
	if (kind == REBALANCE_ASSIGN && ev->paused_ms >= 0)
		s->last_pause_ms = ev->paused_ms;
	pthread_mutex_unlock(&sm->mtx);
}

/* The member's partition topic/partition, locked, or NULL (not owned). */
static struct status_partition *
status_part_lock(struct status *st, int index, const char *topic,
    int32_t partition, struct status_member **smp)
{
	struct status_member *sm = status_member(st, index);
	ssize_t at;

	if (sm == NULL)
		return NULL;
	pthread_mutex_lock(&sm->mtx);
	if ((at = status_find_part(&sm->s, topic, partition)) < 0) {
		pthread_mutex_unlock(&sm->mtx);
		return NULL;
	}
	*smp = sm;
	return &sm->s.parts[at];
}

/* Records from a first one of timestamp ts up to offset last are in
   hand, not yet written (member thread). */
void
status_on_waiting(struct status *st, int index, const char *topic,
    int32_t partition, int64_t ts, int64_t last)
{
	struct status_member *sm;
	struct status_partition *p;

	if ((p = status_part_lock(st, index, topic, partition, &sm)) == NULL)
		return;
	if (p->hwm < last + 1)
		p->hwm = last + 1;
	p->waiting_ts = ts >= 0 ? ts : -1;
	pthread_mutex_unlock(&sm->mtx);
}

/* The position moved to next without a record (transaction markers):
   nothing before next is waiting; hwm as for status_on_delivered
   (member thread). */
void
status_on_position(struct status *st, int index, const char *topic,
    int32_t partition, int64_t next, int64_t hwm)
{
	struct status_member *sm;
	struct status_partition *p;

	if ((p = status_part_lock(st, index, topic, partition, &sm)) == NULL)
		return;
	if (next > p->next) {
		p->next = next;
		p->moved_ms = clock_mono_ms();
	}
	if (hwm > p->hwm)
		p->hwm = hwm;
	pthread_mutex_unlock(&sm->mtx);
}

/* Records up to offset last, the last of timestamp ts, reached the
   sink; hwm is librdkafka's cached high watermark (member thread). */
void
status_on_delivered(struct status *st, int index, const char *topic,
    int32_t partition, int64_t last, int64_t ts, int64_t hwm)
{
	struct status_member *sm;
	struct status_partition *p;

	if ((p = status_part_lock(st, index, topic, partition, &sm)) == NULL)
		return;
	if (p->next != last + 1)
		p->moved_ms = clock_mono_ms();
	p->next = last + 1;
	p->last_ts = ts >= 0 ? ts : -1;
	p->waiting_ts = -1;	/* the successor is not known yet */
	if (hwm > p->hwm)
		p->hwm = hwm;
	pthread_mutex_unlock(&sm->mtx);
}

/*
 * The lag in time, at wall time now_ms: 0 when the position is at the
 * high watermark last seen; else now minus the timestamp of the first
 * record not yet delivered when it is in hand, else now minus that of the
 * last record delivered (an upper bound: its successor is not older);
 * -1 when nothing tells (no record seen since the assign). Never
 * negative (a producer's clock ahead of ours).
 */
int64_t
status_lag_ms(const struct status_partition *p, int64_t now_ms)
{
	int64_t ts;

	if (p->next >= 0 && p->hwm >= 0 && p->next >= p->hwm)
		return 0;
	if (p->waiting_ts >= 0)
		ts = p->waiting_ts;
	else if (p->last_ts >= 0 && p->hwm > p->next)
		ts = p->last_ts;
	else
		return -1;
	return now_ms > ts ? now_ms - ts : 0;
}

/* The lag in time of a member's partition, -1 if unknown (any thread). */
int64_t
status_part_lag_ms(struct status *st, int index, const char *topic,
    int32_t partition, int64_t now_ms)
{
	struct status_member *sm;
	struct status_partition *p;
	int64_t lag;

	if ((p = status_part_lock(st, index, topic, partition, &sm)) == NULL)
		return -1;
	lag = status_lag_ms(p, now_ms);
	pthread_mutex_unlock(&sm->mtx);
	return lag;
}

/* True when p has records waiting (a high watermark past its position,
   or records in hand before the first delivery) and its position has
   not moved for stall_ms at now_ms (monotonic). A partition at its high
   watermark, or that never saw a record, is idle: never stalled. */
static bool
status_is_stalled(const struct status_partition *p, int64_t stall_ms,
    int64_t now_ms)
{
	bool waiting = p->hwm >= 0 && (p->next < 0 || p->hwm > p->next);

	return stall_ms > 0 && waiting && now_ms - p->moved_ms >= stall_ms;
}

/* A stall change to log (see status_check_stalls). */
struct status_stall {
	int		 consumer;
	char		*member_id;
	char		*topic;
	int32_t		 partition;
	int64_t		 position;	/* -1: nothing delivered yet */
	int64_t		 still_ms;	/* how long it did not move (so
					   far, or until it moved) */
	bool		 stalled;
};

/* Log the stall changes found, outside the members' locks. */
static void
status_log_stalls(const struct status *st, struct status_stall *v, size_t n)
{
	struct logrec *r;
	size_t i;

	for (i = 0; i < n; i++) {
		r = logrec_new(v[i].stalled ? LOG_LEVEL_WARN : LOG_LEVEL_INFO,
		    v[i].stalled ? "stalled" : "resumed");
		logrec_int(r, "consumer", v[i].consumer);
		logrec_str(r, "group", st->group);
		logrec_str(r, "member_id", v[i].member_id);
		logrec_str(r, "topic", v[i].topic);
		logrec_int(r, "partition", v[i].partition);
		logrec_int(r, "position", v[i].position);
		logrec_int(r, v[i].stalled ? "still_ms" : "stalled_ms",
		    v[i].still_ms);
		if (v[i].stalled)
			logrec_int(r, "stall_ms", st->stall_ms);
		logrec_emit(r);
		free(v[i].member_id);
		free(v[i].topic);
	}
}

/* Find and log the partitions that stalled or resumed (main thread). */
void
status_check_stalls(struct status *st)
{
	struct status_stall *v = NULL;
	struct status_partition *p;
	struct status_member *sm;
	size_t i, j, n = 0;
	int64_t now = clock_mono_ms();
	bool stalled;

	if (st == NULL || st->stall_ms <= 0)
		return;
	for (i = 0; i < st->nmembers; i++) {
		sm = &st->members[i];
		pthread_mutex_lock(&sm->mtx);
		for (j = 0; j < sm->s.nparts; j++) {
			p = &sm->s.parts[j];
			stalled = status_is_stalled(p, st->stall_ms, now);
			if (stalled == p->stalled)
				continue;
			p->stalled = stalled;
			if (stalled)
				p->stalled_from_ms = p->moved_ms;
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n].consumer = sm->s.index;
			v[n].member_id = xstrdup(sm->s.member_id);
			v[n].topic = xstrdup(p->topic);
			v[n].partition = p->partition;
			v[n].position = p->next;
			v[n].still_ms = (stalled ? now : p->moved_ms) -
			    p->stalled_from_ms;
			v[n].stalled = stalled;
			n++;
		}
		pthread_mutex_unlock(&sm->mtx);
	}
	status_log_stalls(st, v, n);
	free(v);
}

/* librdkafka's statistics for the member's partitions (member thread):
   positions, committed offsets, lag, and its rebalance count. */
void
status_on_stats(struct status *st, int index,
    const struct status_partition *parts, size_t nparts,
    int64_t rdkafka_rebalances)
{
	struct status_member *sm = status_member(st, index);
	struct status_partition *p;
	ssize_t at;
	size_t i;

	if (sm == NULL)
		return;
	pthread_mutex_lock(&sm->mtx);
	for (i = 0; i < nparts; i++) {
		if ((at = status_find_part(&sm->s, parts[i].topic,
		    parts[i].partition)) < 0)
			continue;
		p = &sm->s.parts[at];
		p->position = parts[i].position;
		p->committed = parts[i].committed;
		p->lag = parts[i].lag;
	}
	if (rdkafka_rebalances >= 0)
		sm->s.rdkafka_rebalances = rdkafka_rebalances;
	pthread_mutex_unlock(&sm->mtx);
}

/* Copy one member (lock held): deep copies of every array. */
static void
status_copy_member(struct status_member_snap *to,
    const struct status_member_snap *from)
{
	size_t i;

	*to = *from;
	to->member_id = xstrdup(from->member_id);
	to->instance_id = from->instance_id != NULL ?
	    xstrdup(from->instance_id) : NULL;
	to->fatal = from->fatal != NULL ? xstrdup(from->fatal) : NULL;
	to->parts = xcalloc(from->nparts + 1, sizeof *to->parts);
	for (i = 0; i < from->nparts; i++) {
		to->parts[i] = from->parts[i];
		to->parts[i].topic = xstrdup(from->parts[i].topic);
	}
	to->topics = xcalloc(from->ntopics + 1, sizeof *to->topics);
	for (i = 0; i < from->ntopics; i++) {
		to->topics[i] = from->topics[i];
		to->topics[i].topic = xstrdup(from->topics[i].topic);
	}
	to->commit_failures = xcalloc(from->ncommit_failures + 1,
	    sizeof *to->commit_failures);
	for (i = 0; i < from->ncommit_failures; i++) {
		to->commit_failures[i] = from->commit_failures[i];
		to->commit_failures[i].name =
		    xstrdup(from->commit_failures[i].name);
	}
}

/* Compare partitions by topic, then number (for stable output). */
static int
status_part_cmp(const void *a, const void *b)
{
	const struct status_partition *pa = a, *pb = b;
	int c = strcmp(pa->topic, pb->topic);

	return c != 0 ? c : (pa->partition > pb->partition) -
	    (pa->partition < pb->partition);
}

/* Take a snapshot of every member (any thread). */
void
status_snapshot(struct status *st, struct status_snapshot *out)
{
	struct status_member *sm;
	int64_t wall = clock_wall_ms();
	size_t i, j;

	memset(out, 0, sizeof *out);
	out->now_ms = clock_mono_ms();
	if (st == NULL)
		return;
	out->stopping = atomic_load(&st->stopping);
	out->stall_ready = st->stall_ready;
	out->settle_ms = st->settle_ms;
	if (st->sink != NULL)
		sink_stats(st->sink, &out->sink);
	out->nmembers = st->nmembers;
	out->members = xcalloc(st->nmembers + 1, sizeof *out->members);
	for (i = 0; i < st->nmembers; i++) {
		sm = &st->members[i];
		pthread_mutex_lock(&sm->mtx);
		status_copy_member(&out->members[i], &sm->s);
		pthread_mutex_unlock(&sm->mtx);
		for (j = 0; j < out->members[i].nparts; j++)
			out->members[i].parts[j].lag_ms = status_lag_ms(
			    &out->members[i].parts[j], wall);
		out->members[i].last_poll_ms = atomic_load(&sm->last_poll_ms);
		qsort(out->members[i].parts, out->members[i].nparts,
		    sizeof *out->members[i].parts, status_part_cmp);
	}
}

/* Free a snapshot's copies. */
void
status_snapshot_free(struct status_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nmembers; i++)
		status_member_free(&s->members[i]);
	free(s->members);
	memset(s, 0, sizeof *s);
}

/* The name of a rebalance kind index. */
const char *
status_kind_name(int kind)
{
	return kind >= 0 && kind < STATUS_KINDS ? status_kind_names[kind] :
	    "unknown";
}

/* The name of a protocol index. */
const char *
status_protocol_name(int protocol)
{
	return protocol >= 0 && protocol < STATUS_PROTOCOLS ?
	    status_protocol_names[protocol] : "unknown";
}

/* The name of a member state. */
const char *
status_state_name(enum status_state state)
{
	return state <= STATUS_REBALANCING ? status_state_names[state] :
	    "unknown";
}

/* Add "consumer N what" to a reason list. */
static void
status_why(struct buf *why, const struct status_member_snap *m,
    const char *what)
{
	if (why == NULL)
		return;
	if (why->len > 0)
		buf_adds(why, "; ");
	buf_printf(why, "consumer %d %s", m->index, what);
}

/* True when every member had its first assignment. */
bool
status_joined(const struct status_snapshot *s, struct buf *why)
{
	bool joined = true;
	size_t i;

	for (i = 0; i < s->nmembers; i++) {
		if (s->members[i].last_rebalance_ms == 0) {
			status_why(why, &s->members[i], "has no assignment yet");
			joined = false;
		}
	}
	return joined;
}

/* True when one of m's partitions is stalled; named in why. */
static bool
status_any_stalled(const struct status_member_snap *m, struct buf *why)
{
	char what[160];
	size_t i;

	for (i = 0; i < m->nparts; i++) {
		if (!m->parts[i].stalled)
			continue;
		snprintf(what, sizeof what, "is stalled on %s[%d]",
		    m->parts[i].topic, (int)m->parts[i].partition);
		status_why(why, m, what);
		return true;
	}
	return false;
}

/* True when every member is assigned and not inside a rebalance; an
   empty assignment counts only once settle_ms passed without another. */
bool
status_ready(const struct status_snapshot *s, struct buf *why)
{
	const struct status_member_snap *m;
	bool ready = true;
	size_t i;

	if (s->stopping) {
		if (why != NULL)
			buf_adds(why, "stopping");
		return false;
	}
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->fatal != NULL) {
			status_why(why, m, "failed");
			ready = false;
		} else if (m->state == STATUS_JOINING) {
			status_why(why, m, "is joining its group");
			ready = false;
		} else if (m->state == STATUS_REBALANCING) {
			status_why(why, m, "is inside a rebalance");
			ready = false;
		} else if (s->stall_ready && status_any_stalled(m, why)) {
			ready = false;
		} else if (m->nparts == 0 &&
		    s->now_ms - m->last_rebalance_ms < s->settle_ms) {
			status_why(why, m, "owns nothing yet (a cooperative "
			    "rebalance gives a newcomer its partitions in a "
			    "second round)");
			ready = false;
		}
	}
	return ready;
}

/* True when no member failed and each polled within max_age_ms. */
bool
status_healthy(const struct status_snapshot *s, int64_t max_age_ms,
    struct buf *why)
{
	const struct status_member_snap *m;
	bool healthy = true;
	int64_t since;
	char what[160];
	size_t i;

	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->fatal != NULL) {
			snprintf(what, sizeof what, "failed: %s", m->fatal);
			status_why(why, m, what);
			healthy = false;
			continue;
		}
		if (s->stopping)
			continue;
		since = m->last_poll_ms > 0 ? m->last_poll_ms : m->started_ms;
		if (s->now_ms - since > max_age_ms) {
			snprintf(what, sizeof what, "has not polled for %lld ms "
			    "(limit %lld ms)", (long long)(s->now_ms - since),
			    (long long)max_age_ms);
			status_why(why, m, what);
			healthy = false;
		}
	}
	return healthy;
}
