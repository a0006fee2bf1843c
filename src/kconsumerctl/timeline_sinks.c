/*
 * timeline_sinks.c: "kconsumerctl timeline --sink FILE": how many records
 * each episode had read again, from the members' sink files (the JSON
 * format: one object a line with topic, partition and offset). A record
 * found more than once across the files was delivered twice; the copies
 * of a partition at or after where its new owner started (the offset of
 * its assign) and before where the partition's next owner started are
 * counted to that move: the old owner had written them, the new one
 * wrote them again.
 *
 * Main thread only (kconsumerctl).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "timeline.h"
#include "xmalloc.h"

/* Order records by topic, partition, offset. */
static int
timeline_cmp_record(const void *a, const void *b)
{
	const struct timeline_record *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);

	if (c != 0)
		return c;
	if (x->partition != y->partition)
		return x->partition < y->partition ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Read one sink file; lines that are not records are skipped. -1 on a
   read error. */
int
timeline_sinks_read(struct timeline *tl, FILE *fp)
{
	struct timeline_record *r;
	struct json *obj;
	const char *topic;
	int64_t p, o;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	tl->sinks = true;
	while ((len = getline(&line, &cap, fp)) != -1) {
		obj = json_parse(line, (size_t)len, NULL, 0);
		if (obj != NULL && obj->type == JSON_OBJECT &&
		    (topic = json_get_str(obj, "topic")) != NULL &&
		    json_get_int(obj, "partition", &p) && p >= 0 &&
		    p <= INT32_MAX && json_get_int(obj, "offset", &o) &&
		    o >= 0) {
			tl->records = xreallocarray(tl->records,
			    tl->nrecords + 1, sizeof *tl->records);
			r = &tl->records[tl->nrecords++];
			r->topic = xstrdup(topic);
			r->partition = (int32_t)p;
			r->offset = o;
		}
		json_free(obj);
	}
	free(line);
	return ferror(fp) ? -1 : 0;
}

/* How many copies beyond the first the sinks hold of part's records in
   [from, to). */
static int64_t
timeline_sinks_copies(const struct timeline *tl, const struct timeline_part *p,
    int64_t from, int64_t to)
{
	struct timeline_record key = { p->topic, p->partition, from };
	const struct timeline_record *r;
	size_t lo = 0, hi = tl->nrecords, mid;
	int64_t n = 0;

	while (lo < hi) {		/* the first record >= key */
		mid = lo + (hi - lo) / 2;
		if (timeline_cmp_record(&tl->records[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < tl->nrecords; lo++) {
		r = &tl->records[lo];
		if (strcmp(r->topic, p->topic) != 0 ||
		    r->partition != p->partition || r->offset >= to)
			break;
		if (lo > 0 && timeline_cmp_record(r, &tl->records[lo - 1]) == 0)
			n++;
	}
	return n;
}

/* Where the partition's move after (episode e, move i) starts, or
   INT64_MAX when none does. */
static int64_t
timeline_sinks_next_start(const struct timeline *tl, size_t e, size_t i)
{
	const struct timeline_move *mv = &tl->episodes[e].moves[i], *m2;
	size_t f, j;

	for (f = e; f < tl->nepisodes; f++)
		for (j = f == e ? i + 1 : 0; j < tl->episodes[f].nmoves; j++) {
			m2 = &tl->episodes[f].moves[j];
			if (m2->part == mv->part && m2->to >= 0)
				return m2->start >= 0 ? m2->start : INT64_MAX;
		}
	return INT64_MAX;
}

/* After the build: count each handover's records read again. */
void
timeline_sinks_count(struct timeline *tl)
{
	struct timeline_move *mv;
	size_t e, i;

	if (!tl->sinks)
		return;
	qsort(tl->records, tl->nrecords, sizeof *tl->records,
	    timeline_cmp_record);
	for (e = 0; e < tl->nepisodes; e++)
		for (i = 0; i < tl->episodes[e].nmoves; i++) {
			mv = &tl->episodes[e].moves[i];
			if (mv->from < 0 || mv->to < 0)
				continue;
			mv->redelivered = timeline_sinks_copies(tl,
			    &tl->parts[mv->part], mv->start >= 0 ? mv->start : 0,
			    timeline_sinks_next_start(tl, e, i));
		}
}

/* The records an episode had read again; -1 when not counted. */
int64_t
timeline_episode_redelivered(const struct timeline_episode *ep)
{
	int64_t n = -1;
	size_t i;

	for (i = 0; i < ep->nmoves; i++)
		if (ep->moves[i].redelivered >= 0)
			n = (n < 0 ? 0 : n) + ep->moves[i].redelivered;
	return n;
}

/* The records every episode had read again, added up (0 when none was
   counted). */
int64_t
timeline_redelivered(const struct timeline *tl)
{
	int64_t n = 0, e;
	size_t i;

	for (i = 0; i < tl->nepisodes; i++)
		if ((e = timeline_episode_redelivered(&tl->episodes[i])) > 0)
			n += e;
	return n;
}
