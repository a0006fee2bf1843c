/*
 * offsets.c: pending, stored and committed offsets of one member.
 *
 * Runs on the owning member's thread only (poll loop and rebalance
 * callback); nothing here is shared.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "offsets.h"
#include "xmalloc.h"

/* Start an empty table. */
void
offsets_init(struct offsets *o)
{
	memset(o, 0, sizeof *o);
}

/* Free the table. */
void
offsets_free(struct offsets *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].topic);
	free(o->v);
	offsets_init(o);
}

/* Find the entry for topic/partition, or NULL. */
static struct offsets_entry *
offsets_find(const struct offsets *o, const char *topic, int32_t partition)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->v[i].partition == partition &&
		    strcmp(o->v[i].topic, topic) == 0)
			return &o->v[i];
	return NULL;
}

/* Find or add the entry for topic/partition, using the last hit first. */
static struct offsets_entry *
offsets_get(struct offsets *o, const char *topic, int32_t partition)
{
	struct offsets_entry *e;

	if (o->last < o->n && o->v[o->last].partition == partition &&
	    strcmp(o->v[o->last].topic, topic) == 0)
		return &o->v[o->last];
	if ((e = offsets_find(o, topic, partition)) == NULL) {
		o->v = xreallocarray(o->v, o->n + 1, sizeof *o->v);
		e = &o->v[o->n++];
		e->topic = xstrdup(topic);
		e->partition = partition;
		e->pending = e->stored = e->committed = e->polled = -1;
		e->owned = e->lost = false;
	}
	o->last = (size_t)(e - o->v);
	return e;
}

/* Note that the record at offset reached the sink: offset+1 is pending. */
void
offsets_note(struct offsets *o, const char *topic, int32_t partition,
    int64_t offset)
{
	struct offsets_entry *e = offsets_get(o, topic, partition);

	if (e->pending < 0)
		o->npending++;
	if (offset + 1 > e->pending)
		e->pending = offset + 1;
}

/* A record at offset was polled (handed to the member by librdkafka),
   whether or not it will be written. */
void
offsets_polled(struct offsets *o, const char *topic, int32_t partition,
    int64_t offset)
{
	struct offsets_entry *e = offsets_get(o, topic, partition);

	if (offset + 1 > e->polled)
		e->polled = offset + 1;
}

/*
 * Store the offsets the position passed without a record. A transaction's
 * commit or abort marker occupies an offset but is never delivered (nor,
 * under read_committed, are aborted records), so after the last record of
 * a transaction librdkafka's position is past the marker while the stored
 * offset stays on it: Kafka's lag would show 1 and the lag in time would
 * grow forever. For each owned partition where every record polled since
 * the assign was stored (stored == polled: nothing in hand, nothing given
 * up on, nothing held back by -n) and the position is further, store the
 * position. Returns those partitions with their new offsets (to destroy),
 * or NULL. Not for a partition with nothing polled since its assign: its
 * position can only be compared with a committed offset, and an offset
 * reset could have moved it too.
 */
rd_kafka_topic_partition_list_t *
offsets_skip_unread(struct offsets *o, rd_kafka_t *rk)
{
	rd_kafka_topic_partition_list_t *pos, *moved = NULL;
	rd_kafka_topic_partition_t *p;
	struct offsets_entry *e;
	size_t j;
	int i;

	if (o->npending > 0)
		return NULL;
	pos = rd_kafka_topic_partition_list_new(4);
	for (j = 0; j < o->n; j++)
		if (o->v[j].owned && o->v[j].polled >= 0 &&
		    o->v[j].stored == o->v[j].polled)
			rd_kafka_topic_partition_list_add(pos, o->v[j].topic,
			    o->v[j].partition);
	if (pos->cnt > 0 && rd_kafka_position(rk, pos) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		for (i = 0; i < pos->cnt; i++) {
			p = &pos->elems[i];
			e = offsets_find(o, p->topic, p->partition);
			if (p->err != RD_KAFKA_RESP_ERR_NO_ERROR ||
			    p->offset <= e->polled)
				continue;
			if (moved == NULL)
				moved = rd_kafka_topic_partition_list_new(
				    pos->cnt);
			rd_kafka_topic_partition_list_add(moved, p->topic,
			    p->partition)->offset = p->offset;
		}
	}
	rd_kafka_topic_partition_list_destroy(pos);
	if (moved == NULL)
		return NULL;
	rd_kafka_offsets_store(rk, moved);
	for (i = 0; i < moved->cnt; i++) {
		p = &moved->elems[i];
		if (p->err != RD_KAFKA_RESP_ERR_NO_ERROR)
			continue;
		e = offsets_find(o, p->topic, p->partition);
		e->stored = e->polled = p->offset;
	}
	return moved;
}

/* How many partitions have offsets waiting to be stored. */
size_t
offsets_pending(const struct offsets *o)
{
	return o->npending;
}

/* Forget every pending offset (their records will be redelivered). */
void
offsets_drop_pending(struct offsets *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		o->v[i].pending = -1;
	o->npending = 0;
}

/*
 * Store every pending offset with librdkafka (the sink has flushed them).
 * A partition no longer assigned is refused with __STATE: its records will
 * be redelivered to the new owner, which is what at-least-once allows.
 * Returns how many partitions were stored.
 */
int
offsets_store(struct offsets *o, rd_kafka_t *rk)
{
	rd_kafka_topic_partition_list_t *list;
	rd_kafka_topic_partition_t *p;
	struct offsets_entry *e;
	int i, stored = 0;
	size_t j;

	if (o->npending == 0)
		return 0;
	list = rd_kafka_topic_partition_list_new((int)o->npending);
	for (j = 0; j < o->n; j++) {
		if (o->v[j].pending < 0)
			continue;
		p = rd_kafka_topic_partition_list_add(list, o->v[j].topic,
		    o->v[j].partition);
		p->offset = o->v[j].pending;
	}
	rd_kafka_offsets_store(rk, list);
	for (i = 0; i < list->cnt; i++) {
		p = &list->elems[i];
		e = offsets_find(o, p->topic, p->partition);
		if (p->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			e->stored = p->offset;
			stored++;
		} else if (p->err != RD_KAFKA_RESP_ERR__STATE)
			log_warnx("storing offset %s[%d]@%lld failed: %s; "
			    "its records will be redelivered", p->topic,
			    (int)p->partition, (long long)p->offset,
			    rd_kafka_err2name(p->err));
		e->pending = -1;
	}
	o->npending = 0;
	rd_kafka_topic_partition_list_destroy(list);
	return stored;
}

/* Add e's stored offset to list when it has one not yet committed. */
static void
offsets_stored_add(rd_kafka_topic_partition_list_t *list,
    const struct offsets_entry *e)
{
	if (e != NULL && e->stored >= 0 && e->stored != e->committed)
		rd_kafka_topic_partition_list_add(list, e->topic,
		    e->partition)->offset = e->stored;
}

/* The stored, uncommitted offsets of those of parts that have one (of
   every partition the member still owns when parts is NULL), as a new
   list. */
rd_kafka_topic_partition_list_t *
offsets_stored_list(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_topic_partition_list_t *list;
	int i;

	list = rd_kafka_topic_partition_list_new(parts == NULL ? 1 :
	    parts->cnt > 0 ? parts->cnt : 1);
	for (i = 0; parts == NULL && i < (int)o->n; i++)
		offsets_stored_add(list, &o->v[i]);
	for (i = 0; parts != NULL && i < parts->cnt; i++)
		offsets_stored_add(list, offsets_find(o, parts->elems[i].topic,
		    parts->elems[i].partition));
	return list;
}

/* Remember the offsets of a successful commit (per-partition errors kept
   out). */
void
offsets_mark_committed(struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts)
{
	struct offsets_entry *e;
	int i;

	for (i = 0; i < parts->cnt; i++) {
		if (parts->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR ||
		    parts->elems[i].offset < 0)
			continue;
		e = offsets_get(o, parts->elems[i].topic,
		    parts->elems[i].partition);
		e->committed = parts->elems[i].offset;
	}
}

/*
 * Forget what is pending and stored for partitions this member no longer
 * owns (a stale stored offset must never be committed after the partition
 * comes back), noting whether a loss took them; the last committed offset
 * is kept for the stop event.
 */
void
offsets_forget(struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts, bool lost)
{
	struct offsets_entry *e;
	int i;

	for (i = 0; i < parts->cnt; i++) {
		e = offsets_find(o, parts->elems[i].topic,
		    parts->elems[i].partition);
		if (e == NULL)
			continue;
		if (e->pending >= 0)
			o->npending--;
		e->pending = -1;
		e->stored = -1;
		e->polled = -1;
		e->owned = false;
		e->lost = lost;
	}
}

/* Note that parts are now owned (assign) or not. */
void
offsets_own(struct offsets *o, const rd_kafka_topic_partition_list_t *parts,
    bool owned)
{
	struct offsets_entry *e;
	int i;

	for (i = 0; i < parts->cnt; i++) {
		e = offsets_get(o, parts->elems[i].topic,
		    parts->elems[i].partition);
		e->owned = owned;
		e->lost = false;
		if (owned)
			e->polled = -1;
	}
}

/* True when every one of parts (at least one) was let go by a loss. */
bool
offsets_all_lost(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts)
{
	const struct offsets_entry *e;
	int i;

	for (i = 0; i < parts->cnt; i++)
		if ((e = offsets_find(o, parts->elems[i].topic,
		    parts->elems[i].partition)) == NULL || !e->lost)
			return false;
	return parts->cnt > 0;
}

/* True when the member owns at least one of parts. */
bool
offsets_owns_any(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts)
{
	const struct offsets_entry *e;
	int i;

	for (i = 0; i < parts->cnt; i++)
		if ((e = offsets_find(o, parts->elems[i].topic,
		    parts->elems[i].partition)) != NULL && e->owned)
			return true;
	return false;
}

/* Every partition with a known committed offset, as a new list. */
rd_kafka_topic_partition_list_t *
offsets_committed_list(const struct offsets *o)
{
	rd_kafka_topic_partition_list_t *list;
	size_t i;

	list = rd_kafka_topic_partition_list_new(o->n > 0 ? (int)o->n : 1);
	for (i = 0; i < o->n; i++)
		if (o->v[i].committed >= 0)
			rd_kafka_topic_partition_list_add(list, o->v[i].topic,
			    o->v[i].partition)->offset = o->v[i].committed;
	return list;
}

/* The last committed offset known for a partition, or -1. */
int64_t
offsets_committed(const struct offsets *o, const char *topic,
    int32_t partition)
{
	const struct offsets_entry *e = offsets_find(o, topic, partition);

	return e != NULL ? e->committed : -1;
}
