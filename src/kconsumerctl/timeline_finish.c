/*
 * timeline_finish.c: what happens after the replay: open intervals end at
 * the last timestamp, partitions left without owner get their move, and
 * members, triggers and totals get their names and numbers.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "timeline.h"
#include "xmalloc.h"

/* Order moves by partition, then by when they happened. */
static int
timeline_cmp_move(const void *a, const void *b)
{
	const struct timeline_move *x = a, *y = b;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Close intervals still open and drop those that ended before --since. */
static void
timeline_finish_intervals(struct timeline *tl)
{
	struct timeline_interval *iv;
	struct timeline_part *p;
	size_t i, n = 0;

	for (i = 0; i < tl->nparts; i++) {
		p = &tl->parts[i];
		if (p->owner >= 0) {
			tl->intervals[p->open].to = tl->view_end;
			tl->intervals[p->open].open = true;
		}
	}
	for (i = 0; i < tl->nintervals; i++) {
		iv = &tl->intervals[i];
		if (iv->to < tl->view_start || (iv->from < tl->view_start &&
		    iv->to == tl->view_start && !iv->open))
			continue;
		if (iv->from < tl->view_start)
			iv->from = tl->view_start;
		tl->intervals[n++] = *iv;
	}
	tl->nintervals = n;
}

/* Give partitions that never got a new owner a move to nobody. */
static void
timeline_finish_moves(struct timeline *tl)
{
	struct timeline_episode *ep;
	struct timeline_move *mv;
	struct timeline_part *p;
	size_t i;

	for (i = 0; i < tl->nparts; i++) {
		p = &tl->parts[i];
		if (p->owner >= 0 || p->prev < 0 || p->released_in < 0)
			continue;
		ep = &tl->episodes[p->released_in];
		ep->moves = xreallocarray(ep->moves, ep->nmoves + 1,
		    sizeof *ep->moves);
		mv = &ep->moves[ep->nmoves++];
		mv->part = i;
		mv->from = p->prev;
		mv->to = -1;
		mv->pause = -1;
		mv->order = tl->norder++;
		mv->start = -1;
		mv->redelivered = -1;
	}
	for (i = 0; i < tl->nepisodes; i++) {
		ep = &tl->episodes[i];
		if (ep->nmoves > 1)
			qsort(ep->moves, ep->nmoves, sizeof *ep->moves,
			    timeline_cmp_move);
	}
}

/*
 * Name the log a stream came from, for labels: the file name without its
 * directory and a .log ending ("a" for logs/a.log); stdin is not named.
 */
void
timeline_name_stream(struct timeline *tl, int stream, const char *path)
{
	const char *base;
	size_t len;
	int i;

	if (strcmp(path, "-") == 0)
		return;
	if (tl->stream_names == NULL || stream >= tl->nnames) {
		tl->stream_names = xreallocarray(tl->stream_names,
		    (size_t)stream + 1, sizeof *tl->stream_names);
		for (i = tl->nnames; i <= stream; i++)
			tl->stream_names[i] = NULL;
		tl->nnames = stream + 1;
	}
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".log") == 0)
		len -= 4;
	free(tl->stream_names[stream]);
	tl->stream_names[stream] = xstrndup(base, len);
}

/*
 * Name each member: its instance id; else the log it came from and its
 * consumer index ("b:0"), which a reader recognises, unlike a dynamic
 * member id; else its member id, else its pid.
 */
static void
timeline_finish_labels(struct timeline *tl)
{
	struct timeline_member *m;
	char **base;
	size_t i, j, same;
	int colour = 0;

	base = xcalloc(tl->nmembers + 1, sizeof *base);
	for (i = 0; i < tl->nmembers; i++) {
		m = &tl->members[i];
		if (m->instance_id != NULL)
			base[i] = xstrdup(m->instance_id);
		else if (m->stream < tl->nnames &&
		    tl->stream_names[m->stream] != NULL)
			xasprintf(&base[i], "%s:%lld",
			    tl->stream_names[m->stream], (long long)m->consumer);
		else if (m->member_id != NULL)
			base[i] = xstrdup(m->member_id);
		else if (m->pid >= 0)
			xasprintf(&base[i], "pid %lld consumer %lld",
			    (long long)m->pid, (long long)m->consumer);
		else
			xasprintf(&base[i], "log %d consumer %lld",
			    m->stream + 1, (long long)m->consumer);
		for (j = 0, same = 0; j < i; j++)
			same += strcmp(base[j], base[i]) == 0;
		if (same == 0)
			m->label = xstrdup(base[i]);
		else
			xasprintf(&m->label, "%s#%zu", base[i], same + 1);
		m->colour = -1;
	}
	for (i = 0; i < tl->nintervals; i++) {
		m = &tl->members[tl->intervals[i].member];
		if (m->colour < 0)
			m->colour = colour++;
	}
	for (i = 0; i < tl->nmembers; i++)
		free(base[i]);
	free(base);
}

/* Say what set an episode off, in one sentence. */
static void
timeline_finish_trigger(struct timeline *tl, struct timeline_episode *ep)
{
	static const char *const what[] = {
		[TIMELINE_TRIG_START] = "started",
		[TIMELINE_TRIG_JOIN] = "joined (new member)",
		[TIMELINE_TRIG_STOP] = "stopped",
		[TIMELINE_TRIG_LOST] = "lost its partitions",
		[TIMELINE_TRIG_FATAL] = "had a fatal error",
		[TIMELINE_TRIG_MAXPOLL] = "exceeded max.poll.interval.ms",
		[TIMELINE_TRIG_VANISHED] = "disappeared (no stop event)",
	};
	struct timeline_trigger *t;
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < ep->ntriggers; i++) {
		t = &ep->triggers[i];
		buf_printf(&b, "%smember %s %s", i > 0 ? "; " : "",
		    tl->members[t->member].label, what[t->kind]);
	}
	if (b.len == 0)
		buf_adds(&b, "unknown (no start, stop, lost or disappearance "
		    "in the logs)");
	ep->trigger = buf_steal(&b);
}

/* Finish the timeline once every event is replayed. */
void
timeline_finish(struct timeline *tl)
{
	size_t i;

	timeline_finish_intervals(tl);
	timeline_finish_moves(tl);
	timeline_finish_labels(tl);
	for (i = 0; i < tl->nepisodes; i++)
		timeline_finish_trigger(tl, &tl->episodes[i]);
}

/* Add up episodes with exactly these protocols (-1: all episodes). */
void
timeline_totals(const struct timeline *tl, int protocols,
    struct timeline_totals *t)
{
	const struct timeline_episode *ep;
	const struct timeline_move *mv;
	size_t i, j;

	memset(t, 0, sizeof *t);
	for (i = 0; i < tl->nepisodes; i++) {
		ep = &tl->episodes[i];
		if (protocols >= 0 && ep->protocols != protocols)
			continue;
		t->episodes++;
		if (ep->rebalance)
			t->rebalances++;
		for (j = 0; j < ep->nmoves; j++) {
			mv = &ep->moves[j];
			if (mv->from >= 0 && mv->to >= 0 && mv->from != mv->to)
				t->moved++;
			if (mv->pause < 0)
				continue;
			t->paused++;
			t->pause_total += mv->pause;
			if (t->paused == 1 || mv->pause > t->pause_max) {
				t->pause_max = mv->pause;
				t->pause_max_part = mv->part;
				t->pause_max_episode = i;
			}
		}
	}
}

/* How an episode's protocols are shown. */
const char *
timeline_protocol_name(int protocols)
{
	switch (protocols) {
	case TIMELINE_EAGER:
		return "EAGER";
	case TIMELINE_COOPERATIVE:
		return "COOPERATIVE";
	case TIMELINE_EAGER | TIMELINE_COOPERATIVE:
		return "EAGER+COOPERATIVE";
	default:
		return "none";
	}
}

/* Free everything a timeline holds. */
void
timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->nevents; i++)
		timeline_event_free(&tl->events[i]);
	free(tl->events);
	for (i = 0; i < tl->ncauses; i++)
		timeline_cause_free(&tl->causes[i]);
	free(tl->causes);
	for (i = 0; i < tl->nrecords; i++)
		free(tl->records[i].topic);
	free(tl->records);
	for (i = 0; i < tl->nparts; i++) {
		free(tl->parts[i].group);
		free(tl->parts[i].topic);
		free(tl->parts[i].label);
	}
	free(tl->parts);
	for (i = 0; i < tl->nmembers; i++) {
		free(tl->members[i].instance_id);
		free(tl->members[i].member_id);
		free(tl->members[i].last_member_id);
		free(tl->members[i].label);
	}
	free(tl->members);
	for (i = 0; i < (size_t)tl->nnames; i++)
		free(tl->stream_names[i]);
	free(tl->stream_names);
	free(tl->intervals);
	for (i = 0; i < tl->nepisodes; i++) {
		free(tl->episodes[i].triggers);
		free(tl->episodes[i].trigger);
		free(tl->episodes[i].moves);
	}
	free(tl->episodes);
	free(tl->groups);
	memset(tl, 0, sizeof *tl);
}
