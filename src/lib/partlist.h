/*
 * partlist.h: the one writer of partition lists, as a JSON array of
 * objects ({"topic":...,"partition":N, then named integers}) or as text
 * (topic[N]@a/b/c,...), for the event log, the state event, /assignment
 * and the timeline.
 *
 * Any thread; no state.
 */
#ifndef KCONSUMERD_PARTLIST_H
#define KCONSUMERD_PARTLIST_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#define PARTLIST_MAXNUM 4

struct buf;

/* One partition of a list. */
struct partlist_item {
	const char	*label;		/* written first when not NULL */
	const char	*group;		/* written next when not NULL */
	const char	*topic;
	int32_t		 partition;
	int64_t		 num[PARTLIST_MAXNUM]; /* named by the writer's names */
};

void partlist_json(struct buf *b, const struct partlist_item *v, size_t n,
    const char *const *names);
void partlist_text(struct buf *b, const struct partlist_item *v, size_t n,
    size_t nnum);
struct partlist_item *partlist_from_rd(
    const rd_kafka_topic_partition_list_t *l);

#endif
