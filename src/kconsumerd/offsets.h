/*
 * offsets.h: a member's offsets for at-least-once delivery. Offsets of
 * records the sink accepted are noted as pending; after the sink flushed,
 * they are stored with rd_kafka_offsets_store() and remembered, so revoke
 * can commit exactly what was delivered. Offsets the position passed
 * without a record (transaction markers) are stored once every record
 * polled before them is (offsets_skip_unread).
 *
 * Owned by one member's thread; never shared.
 */
#ifndef KCONSUMERD_OFFSETS_H
#define KCONSUMERD_OFFSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

struct offsets_entry {
	char	*topic;
	int32_t	 partition;
	int64_t	 pending;	/* next offset to store; -1: none */
	int64_t	 stored;	/* last stored next offset; -1: none */
	int64_t	 committed;	/* last known committed offset; -1 */
	int64_t	 polled;	/* offset after the last record polled
				   since the assign; -1: none */
	bool	 owned;		/* assigned to the member now */
	bool	 lost;		/* last let go by a loss */
};

struct offsets {
	struct offsets_entry	*v;
	size_t			 n;
	size_t			 last;	/* index of the last hit */
	size_t			 npending;
};

void offsets_init(struct offsets *o);
void offsets_free(struct offsets *o);
void offsets_note(struct offsets *o, const char *topic, int32_t partition,
    int64_t offset);
void offsets_polled(struct offsets *o, const char *topic, int32_t partition,
    int64_t offset);
rd_kafka_topic_partition_list_t *offsets_skip_unread(struct offsets *o,
    rd_kafka_t *rk);
size_t offsets_pending(const struct offsets *o);
int offsets_store(struct offsets *o, rd_kafka_t *rk);
void offsets_drop_pending(struct offsets *o);
rd_kafka_topic_partition_list_t *offsets_stored_list(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts);
void offsets_mark_committed(struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts);
void offsets_forget(struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts, bool lost);
void offsets_own(struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts, bool owned);
bool offsets_owns_any(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts);
bool offsets_all_lost(const struct offsets *o,
    const rd_kafka_topic_partition_list_t *parts);
rd_kafka_topic_partition_list_t *offsets_committed_list(
    const struct offsets *o);
int64_t offsets_committed(const struct offsets *o, const char *topic,
    int32_t partition);

#endif
