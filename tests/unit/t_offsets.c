/*
 * t_offsets.c: pending, stored and committed offsets of one member
 * (at-least-once bookkeeping), against an offline consumer handle with a
 * manual assignment.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "offsets.h"
#include "tap.h"

/* An offline consumer handle (no broker is ever reached). */
static rd_kafka_t *
offline_consumer(void)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[256];

	rd_kafka_conf_set(conf, "group.id", "t_offsets", NULL, 0);
	rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", NULL, 0);
	rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", NULL, 0);
	rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
	rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
	return rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
}

/* A list of partitions of topic t. */
static rd_kafka_topic_partition_list_t *
parts(int n, const int32_t *p)
{
	rd_kafka_topic_partition_list_t *l =
	    rd_kafka_topic_partition_list_new(n);
	int i;

	for (i = 0; i < n; i++)
		rd_kafka_topic_partition_list_add(l, "t", p[i]);
	return l;
}

/* The offset of topic t, partition p in list l, or -99 when absent. */
static int64_t
offset_in(const rd_kafka_topic_partition_list_t *l, int32_t p)
{
	const rd_kafka_topic_partition_t *e =
	    rd_kafka_topic_partition_list_find(l, "t", p);

	return e != NULL ? e->offset : -99;
}

int
main(void)
{
	static const int32_t p01[] = { 0, 1 }, p0[] = { 0 }, p2[] = { 2 };
	rd_kafka_topic_partition_list_t *assigned, *l, *c;
	struct offsets o;
	rd_kafka_t *rk = offline_consumer();

	ok(rk != NULL, "an offline consumer handle is created");
	assigned = parts(2, p01);
	ok(rd_kafka_assign(rk, assigned) == RD_KAFKA_RESP_ERR_NO_ERROR,
	    "partitions 0 and 1 are assigned by hand");

	offsets_init(&o);
	offsets_note(&o, "t", 0, 4);
	offsets_note(&o, "t", 0, 7);
	offsets_note(&o, "t", 0, 5);
	offsets_note(&o, "t", 1, 0);
	is_int(offsets_pending(&o), 2, "two partitions have pending offsets");
	l = offsets_stored_list(&o, assigned);
	is_int(l->cnt, 0, "nothing is stored before offsets_store");
	rd_kafka_topic_partition_list_destroy(l);

	is_int(offsets_store(&o, rk), 2, "both partitions are stored");
	is_int(offsets_pending(&o), 0, "nothing is pending after storing");
	l = offsets_stored_list(&o, assigned);
	is_int(offset_in(l, 0), 8, "partition 0 stores the highest noted "
	    "offset + 1, not the last one noted");
	is_int(offset_in(l, 1), 1, "partition 1 stores offset 0 + 1");

	offsets_mark_committed(&o, l);
	rd_kafka_topic_partition_list_destroy(l);
	l = offsets_stored_list(&o, assigned);
	is_int(l->cnt, 0, "what was committed is not committed again");
	rd_kafka_topic_partition_list_destroy(l);
	is_int(offsets_committed(&o, "t", 0), 8, "the committed offset is "
	    "remembered");

	offsets_note(&o, "t", 2, 3);
	is_int(offsets_store(&o, rk), 0, "an offset for a partition not "
	    "assigned is refused (__STATE) without failing");
	is_int(offsets_pending(&o), 0, "the refused offset is no longer "
	    "pending: its record will be redelivered");
	l = parts(1, p2);
	c = offsets_stored_list(&o, l);
	is_int(c->cnt, 0, "the refused offset is never committed");
	rd_kafka_topic_partition_list_destroy(c);
	rd_kafka_topic_partition_list_destroy(l);

	offsets_note(&o, "t", 0, 8);
	offsets_drop_pending(&o);
	is_int(offsets_pending(&o), 0, "a lost assignment drops what is "
	    "pending");

	offsets_note(&o, "t", 0, 9);
	offsets_store(&o, rk);
	l = parts(1, p0);
	offsets_forget(&o, l, false);
	c = offsets_stored_list(&o, l);
	is_int(c->cnt, 0, "a revoked partition's stored offset is forgotten, "
	    "so a stale one is never committed after it comes back");
	rd_kafka_topic_partition_list_destroy(c);
	rd_kafka_topic_partition_list_destroy(l);
	c = offsets_committed_list(&o);
	is_int(offset_in(c, 0), 8, "the last committed offset outlives the "
	    "revoke (for the stop event)");
	is_int(offset_in(c, 1), 1, "partition 1's commit is listed too");
	is_int(offset_in(c, 2), -99, "partition 2, never committed, is not "
	    "listed");
	rd_kafka_topic_partition_list_destroy(c);

	/* a loss of partition 1 only (its topic deleted): partition 0
	   keeps what is pending and stores it */
	l = parts(1, (const int32_t[]){ 1 });
	offsets_own(&o, assigned, true);
	ok(offsets_owns_any(&o, l), "an assigned partition is owned");
	offsets_note(&o, "t", 0, 20);
	offsets_note(&o, "t", 1, 30);
	offsets_forget(&o, l, true);
	ok(!offsets_owns_any(&o, l), "a lost partition is no longer owned");
	ok(offsets_all_lost(&o, l), "and is known to be lost");
	c = parts(1, p0);
	ok(offsets_owns_any(&o, c), "the kept partition still is");
	ok(!offsets_all_lost(&o, c), "and is not lost");
	is_int(offsets_pending(&o), 1, "a partial loss leaves the kept "
	    "partition's offset pending");
	is_int(offsets_store(&o, rk), 1, "and it is stored after the loss");
	rd_kafka_topic_partition_list_destroy(c);
	c = offsets_stored_list(&o, assigned);
	is_int(offset_in(c, 0), 21, "the kept partition commits what was "
	    "delivered (20 + 1)");
	is_int(offset_in(c, 1), -99, "the lost partition commits nothing");
	rd_kafka_topic_partition_list_destroy(c);
	rd_kafka_topic_partition_list_destroy(l);

	offsets_free(&o);
	rd_kafka_topic_partition_list_destroy(assigned);
	rd_kafka_assign(rk, NULL);
	rd_kafka_destroy(rk);
	return tap_done();
}
