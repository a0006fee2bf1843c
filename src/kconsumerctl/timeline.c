/*
 * timeline.c: replaying kconsumerd's rebalance events in time order into
 * who owned which partition when, and grouping them into episodes.
 *
 * Members are told apart by (log, consumer index) from their start event
 * and by member id once they have one; a rejoin after losing everything
 * may change the member id. A partition assigned while another member
 * still owns it was taken from a member that disappeared (killed, no stop
 * event): its ownership ends at that member's last line.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "timeline.h"
#include "xmalloc.h"

/* Replay state that is not part of the result. */
struct timeline_state {
	struct timeline	*tl;
	int		 cur;		/* current episode, -1 before the first */
	int64_t		 last;		/* its latest event */
	int64_t		*stream_pid;	/* pid of each LOG's latest start */
};

/* Grow an array of n elements by one when n is 0 or a power of two. */
static void *
timeline_grow(void *array, size_t n, size_t size)
{
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		return xreallocarray(array, n == 0 ? 8 : n * 2, size);
	return array;
}

/* Start an empty timeline. */
void
timeline_init(struct timeline *tl, int64_t gap_ms, int64_t since_ms)
{
	memset(tl, 0, sizeof *tl);
	tl->gap_ms = gap_ms;
	tl->since_ms = since_ms;
}

/* Order events by time, then by input order. */
static int
timeline_cmp_event(const void *a, const void *b)
{
	const struct timeline_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Order partitions by group, topic, partition number. */
static int
timeline_cmp_part(const void *a, const void *b)
{
	const struct timeline_part *x = a, *y = b;
	int c;

	if ((c = strcmp(x->group, y->group)) != 0 ||
	    (c = strcmp(x->topic, y->topic)) != 0)
		return c;
	return (x->partition > y->partition) - (x->partition < y->partition);
}

/* Collect every partition named in the events, sorted and unique. */
static void
timeline_collect_parts(struct timeline *tl)
{
	struct timeline_part *p;
	struct buf groups;
	size_t i, j, n = 0, ngroups = 0;

	for (i = 0; i < tl->nevents; i++) {
		for (j = 0; j < tl->events[i].nparts; j++) {
			tl->parts = timeline_grow(tl->parts, n, sizeof *p);
			p = &tl->parts[n++];
			memset(p, 0, sizeof *p);
			p->group = tl->events[i].group != NULL ?
			    tl->events[i].group : "";
			p->topic = tl->events[i].parts[j].topic;
			p->partition = tl->events[i].parts[j].partition;
		}
	}
	if (n > 0)
		qsort(tl->parts, n, sizeof *tl->parts, timeline_cmp_part);
	buf_init(&groups);
	buf_add(&groups, "", 0);
	for (i = 0; i < n; i++) {
		if (tl->nparts > 0 &&
		    timeline_cmp_part(&tl->parts[tl->nparts - 1],
		    &tl->parts[i]) == 0)
			continue;
		p = &tl->parts[tl->nparts++];
		*p = tl->parts[i];
		if (tl->nparts == 1 || strcmp(p[-1].group, p->group) != 0)
			buf_printf(&groups, "%s%s", ngroups++ > 0 ? ", " : "",
			    p->group);
	}
	for (i = 0; i < tl->nparts; i++) {
		p = &tl->parts[i];
		p->group = xstrdup(p->group);
		p->topic = xstrdup(p->topic);
		if (ngroups > 1)
			xasprintf(&p->label, "%s/%s[%d]", p->group, p->topic,
			    (int)p->partition);
		else
			xasprintf(&p->label, "%s[%d]", p->topic,
			    (int)p->partition);
		p->owner = p->prev = p->released_in = -1;
	}
	tl->groups = buf_steal(&groups);
}

/* The index of a partition named by an event. */
static size_t
timeline_find_part(struct timeline *tl, const struct timeline_event *ev,
    size_t i)
{
	struct timeline_part key, *p;

	key.group = ev->group != NULL ? ev->group : "";
	key.topic = ev->parts[i].topic;
	key.partition = ev->parts[i].partition;
	p = bsearch(&key, tl->parts, tl->nparts, sizeof *p, timeline_cmp_part);
	return (size_t)(p - tl->parts);
}

/* True when member m owns at least one partition now. */
static bool
timeline_owns_any(struct timeline *tl, int m)
{
	size_t i;

	for (i = 0; i < tl->nparts; i++)
		if (tl->parts[i].owner == m)
			return true;
	return false;
}

/*
 * A start of consumer C under the pid of a process of the same LOG whose
 * consumer C never stopped is a new process under a reused pid (pid 1 in
 * a container restarted after SIGKILL): the old process's members are
 * gone since their own last event, and the lines that follow, the new
 * process's, do not keep them alive.
 */
static void
timeline_member_replace(struct timeline_state *st,
    const struct timeline_event *ev)
{
	struct timeline *tl = st->tl;
	struct timeline_member *m;
	size_t i;
	bool reused = false;

	for (i = 0; i < tl->nmembers && ev->pid >= 0; i++) {
		m = &tl->members[i];
		if (m->stream == ev->stream && m->pid == ev->pid &&
		    m->consumer == ev->consumer && !m->stopped && !m->replaced)
			reused = true;
	}
	for (i = 0; i < tl->nmembers && reused; i++) {
		m = &tl->members[i];
		if (m->stream == ev->stream && m->pid == ev->pid &&
		    !m->stopped && !m->replaced) {
			m->replaced = true;
			m->last_seen = m->last_own;
		}
	}
}

/* Add a member for an event that no known member explains. */
static int
timeline_member_new(struct timeline_state *st, const struct timeline_event *ev)
{
	struct timeline *tl = st->tl;
	struct timeline_member *m;

	if (ev->kind == TIMELINE_START)
		timeline_member_replace(st, ev);
	tl->members = timeline_grow(tl->members, tl->nmembers, sizeof *m);
	m = &tl->members[tl->nmembers];
	memset(m, 0, sizeof *m);
	m->stream = ev->stream;
	m->consumer = ev->consumer;
	m->pid = ev->pid;
	m->started = ev->kind == TIMELINE_START;
	if (ev->instance_id != NULL)
		m->instance_id = xstrdup(ev->instance_id);
	if (ev->member_id != NULL && *ev->member_id != '\0') {
		m->member_id = xstrdup(ev->member_id);
		m->last_member_id = xstrdup(ev->member_id);
	}
	if (ev->kind == TIMELINE_START)
		st->stream_pid[ev->stream] = ev->pid;
	return (int)tl->nmembers++;
}

/* Find (or add) the member an event is about; -1 when there is none. */
static int
timeline_member(struct timeline_state *st, const struct timeline_event *ev)
{
	struct timeline *tl = st->tl;
	const char *id = ev->member_id;
	struct timeline_member *m;
	int i, ctx = -1;

	if (id != NULL && *id == '\0')
		id = NULL;
	if (ev->kind == TIMELINE_START)
		return timeline_member_new(st, ev);
	for (i = 0; id != NULL && i < (int)tl->nmembers; i++) {
		m = &tl->members[i];
		if ((m->member_id != NULL && strcmp(m->member_id, id) == 0) ||
		    (m->last_member_id != NULL &&
		    strcmp(m->last_member_id, id) == 0))
			return i;
	}
	for (i = (int)tl->nmembers - 1; ev->has_consumer && i >= 0; i--) {
		m = &tl->members[i];
		if (m->stream == ev->stream && m->consumer == ev->consumer) {
			ctx = i;
			break;
		}
	}
	if (ctx >= 0) {
		m = &tl->members[ctx];
		if (id == NULL)
			return ctx;
		if (m->member_id == NULL)
			m->member_id = xstrdup(id);
		if (m->last_member_id == NULL || !timeline_owns_any(tl, ctx)) {
			free(m->last_member_id);
			m->last_member_id = xstrdup(id);
			return ctx;
		}
	}
	return ev->has_consumer ? timeline_member_new(st, ev) : -1;
}

/* The episode an event at ts belongs to; NULL before --since. */
static struct timeline_episode *
timeline_episode(struct timeline_state *st, int64_t ts)
{
	struct timeline *tl = st->tl;
	struct timeline_episode *ep;

	if (ts < tl->since_ms)
		return NULL;
	if (st->cur < 0 || ts - st->last > tl->gap_ms) {
		tl->episodes = timeline_grow(tl->episodes, tl->nepisodes,
		    sizeof *ep);
		ep = &tl->episodes[tl->nepisodes];
		memset(ep, 0, sizeof *ep);
		ep->start = ts;
		st->cur = (int)tl->nepisodes++;
	}
	st->last = ts;
	ep = &tl->episodes[st->cur];
	ep->end = ts;
	return ep;
}

/* Note what set an episode off, once per member and kind. */
static void
timeline_trigger(struct timeline_episode *ep, enum timeline_trigger_kind kind,
    int m)
{
	size_t i;

	if (ep == NULL)
		return;
	for (i = 0; i < ep->ntriggers; i++)
		if (ep->triggers[i].kind == kind && ep->triggers[i].member == m)
			return;
	ep->triggers = timeline_grow(ep->triggers, ep->ntriggers,
	    sizeof *ep->triggers);
	ep->triggers[ep->ntriggers].kind = kind;
	ep->triggers[ep->ntriggers++].member = m;
}

/* Record a partition changing hands in an episode. */
static void
timeline_move(struct timeline_state *st, struct timeline_episode *ep,
    size_t part, int from, int to, int64_t pause, int64_t start)
{
	struct timeline_move *mv;

	if (ep == NULL)
		return;
	ep->moves = timeline_grow(ep->moves, ep->nmoves, sizeof *mv);
	mv = &ep->moves[ep->nmoves++];
	mv->part = part;
	mv->from = from;
	mv->to = to;
	mv->pause = pause;
	mv->order = st->tl->norder++;
	mv->start = start;
	mv->redelivered = -1;
}

/* End the current owner's interval of a partition at ts. */
static void
timeline_release(struct timeline_state *st, size_t part, int64_t ts,
    bool vanished)
{
	struct timeline_part *p = &st->tl->parts[part];
	struct timeline_interval *iv = &st->tl->intervals[p->open];

	iv->to = ts;
	iv->vanished = vanished;
	p->prev = p->owner;
	p->owner = -1;
	p->released = ts;
	p->released_in = ts >= st->tl->since_ms ? st->cur : -1;
}

/* Give a partition to member m at ts, ending a pause or a takeover. */
static void
timeline_take(struct timeline_state *st, struct timeline_episode *ep,
    size_t part, int m, int64_t ts, int64_t start)
{
	struct timeline *tl = st->tl;
	struct timeline_part *p = &tl->parts[part];
	struct timeline_member *x;
	struct timeline_interval *iv;
	int64_t end;

	if (p->owner == m)
		return;
	if (p->owner >= 0) {
		x = &tl->members[p->owner];
		end = x->last_seen < ts ? x->last_seen : ts;
		if (end < tl->intervals[p->open].from)
			end = tl->intervals[p->open].from;
		if (!x->stopped) {
			x->vanished = true;
			timeline_trigger(ep, TIMELINE_TRIG_VANISHED, p->owner);
		}
		timeline_release(st, part, end, true);
	}
	timeline_move(st, ep, part, p->prev, m,
	    p->prev >= 0 ? ts - p->released : -1, start);
	tl->intervals = timeline_grow(tl->intervals, tl->nintervals,
	    sizeof *iv);
	iv = &tl->intervals[tl->nintervals];
	memset(iv, 0, sizeof *iv);
	iv->part = part;
	iv->member = m;
	iv->from = ts;
	p->open = tl->nintervals++;
	p->owner = m;
	p->prev = p->released_in = -1;
}

/* True when the event lists partition part. */
static bool
timeline_event_has(struct timeline *tl, const struct timeline_event *ev,
    size_t part)
{
	size_t i;

	for (i = 0; i < ev->nparts; i++)
		if (timeline_find_part(tl, ev, i) == part)
			return true;
	return false;
}

/*
 * True when an assign or revoke of member m is part of a group rebalance:
 * its origin says so; without one (older logs) a revoke is taken to be,
 * and an assign is unless it is the member's first since its start or a
 * loss (its join). A member's own close, its join and a loss are not.
 */
static bool
timeline_is_group_rebalance(struct timeline *tl, const struct timeline_event *ev,
    int m)
{
	switch (ev->origin) {
	case TIMELINE_ORIGIN_REBALANCE:
		return true;
	case TIMELINE_ORIGIN_UNKNOWN:
		return ev->kind == TIMELINE_REVOKE ||
		    (ev->kind == TIMELINE_ASSIGN && tl->members[m].in_group);
	default:
		return false;
	}
}

/* Apply an assign, revoke or lost of member m. */
static void
timeline_rebalance(struct timeline_state *st, struct timeline_episode *ep,
    const struct timeline_event *ev, int m)
{
	struct timeline *tl = st->tl;
	bool eager = ev->protocol == TIMELINE_EAGER;
	size_t i, part;

	if (ep != NULL) {
		ep->protocols |= ev->protocol;
		if (ev->kind != TIMELINE_LOST &&
		    timeline_is_group_rebalance(tl, ev, m))
			ep->rebalance = true;
	}
	if (ev->kind == TIMELINE_ASSIGN)
		tl->members[m].in_group = true;
	else if (ev->kind == TIMELINE_LOST)
		tl->members[m].in_group = false;
	if (!tl->members[m].started && !tl->members[m].rebalanced)
		timeline_trigger(ep, TIMELINE_TRIG_JOIN, m);
	tl->members[m].rebalanced = true;
	if (ev->kind == TIMELINE_LOST)
		timeline_trigger(ep, TIMELINE_TRIG_LOST, m);
	/* Eager lists whole assignments: whatever is not listed is gone. */
	for (i = 0; i < tl->nparts; i++) {
		if (tl->parts[i].owner != m)
			continue;
		if ((ev->kind == TIMELINE_ASSIGN && eager &&
		    !timeline_event_has(tl, ev, i)) ||
		    (ev->kind != TIMELINE_ASSIGN && (eager ||
		    timeline_event_has(tl, ev, i))))
			timeline_release(st, i, ev->ts, false);
	}
	for (i = 0; ev->kind == TIMELINE_ASSIGN && i < ev->nparts; i++) {
		part = timeline_find_part(tl, ev, i);
		timeline_take(st, ep, part, m, ev->ts, ev->parts[i].offset);
	}
}

/* Mark every member of the event's LOG as alive at its time. */
static void
timeline_alive(struct timeline_state *st, const struct timeline_event *ev)
{
	struct timeline_member *m;
	size_t i;

	for (i = 0; i < st->tl->nmembers; i++) {
		m = &st->tl->members[i];
		if (m->stream == ev->stream && !m->stopped && !m->replaced &&
		    (m->pid == -1 || m->pid == st->stream_pid[ev->stream]))
			m->last_seen = ev->ts;
	}
}

/* Replay one event. */
static void
timeline_replay(struct timeline_state *st, const struct timeline_event *ev)
{
	struct timeline *tl = st->tl;
	struct timeline_episode *ep;
	size_t i;
	int m;

	if (ev->kind == TIMELINE_PROCESS) {
		timeline_alive(st, ev);
		return;
	}
	if ((m = timeline_member(st, ev)) < 0)
		return;
	tl->members[m].last_seen = tl->members[m].last_own = ev->ts;
	if (ev->kind == TIMELINE_MEMBER)
		return;
	ep = timeline_episode(st, ev->ts);
	tl->protocols |= ev->protocol;
	switch (ev->kind) {
	case TIMELINE_START:
		timeline_trigger(ep, TIMELINE_TRIG_START, m);
		break;
	case TIMELINE_STOP:
		for (i = 0; i < tl->nparts; i++)
			if (tl->parts[i].owner == m)
				timeline_release(st, i, ev->ts, false);
		tl->members[m].stopped = true;
		timeline_trigger(ep, TIMELINE_TRIG_STOP, m);
		break;
	case TIMELINE_FATAL:
		tl->members[m].fatal = true;
		timeline_trigger(ep, TIMELINE_TRIG_FATAL, m);
		break;
	case TIMELINE_MAXPOLL:
		timeline_trigger(ep, TIMELINE_TRIG_MAXPOLL, m);
		break;
	default:
		timeline_rebalance(st, ep, ev, m);
		break;
	}
}

/* Replay all events and finish intervals, moves, labels and triggers. */
void
timeline_build(struct timeline *tl)
{
	struct timeline_state st = { tl, -1, 0, NULL };
	size_t i;

	if (tl->nevents == 0)
		return;
	qsort(tl->events, tl->nevents, sizeof *tl->events, timeline_cmp_event);
	timeline_collect_parts(tl);
	st.stream_pid = xcalloc((size_t)tl->nstreams + 1, sizeof *st.stream_pid);
	for (i = 0; i < (size_t)tl->nstreams; i++)
		st.stream_pid[i] = -1;
	for (i = 0; i < tl->nevents; i++)
		timeline_replay(&st, &tl->events[i]);
	free(st.stream_pid);
	tl->view_start = tl->events[0].ts;
	if (tl->since_ms != TIMELINE_NO_SINCE && tl->view_start < tl->since_ms)
		tl->view_start = tl->since_ms;
	tl->view_end = tl->events[tl->nevents - 1].ts;
	if (tl->view_end < tl->view_start)
		tl->view_end = tl->view_start;
	timeline_finish(tl);
}
