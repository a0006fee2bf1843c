/*
 * b_bareloop.c: the baseline kconsumerd is measured against: the plainest
 * librdkafka high-level consumer, one rd_kafka_consumer_poll per message,
 * offsets stored automatically (enable.auto.offset.store=true) and
 * committed by the auto-commit timer, nothing else.
 *
 *   b_bareloop BOOTSTRAP GROUP TOPIC N [PROP=VALUE ...]
 *
 * Joins GROUP with kconsumerd's defaults (cooperative-sticky, session
 * 45 s, heartbeat 3 s, earliest; librdkafka's own queue settings), reads
 * N messages, closes, and prints "bareloop messages=N" to stderr.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

/* Set one property or die. */
static void
set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) !=
	    RD_KAFKA_CONF_OK) {
		fprintf(stderr, "b_bareloop: %s=%s: %s\n", name, value, errstr);
		exit(64);
	}
}

int
main(int argc, char **argv)
{
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_message_t *msg;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	char errstr[512], *eq;
	long long n, want;
	int i;

	if (argc < 5) {
		fprintf(stderr, "usage: b_bareloop BOOTSTRAP GROUP TOPIC N "
		    "[PROP=VALUE ...]\n");
		return 64;
	}
	want = atoll(argv[4]);
	conf = rd_kafka_conf_new();
	set(conf, "bootstrap.servers", argv[1]);
	set(conf, "group.id", argv[2]);
	set(conf, "enable.auto.offset.store", "true");
	set(conf, "auto.offset.reset", "earliest");
	set(conf, "partition.assignment.strategy", "cooperative-sticky");
	set(conf, "session.timeout.ms", "45000");
	set(conf, "heartbeat.interval.ms", "3000");
	for (i = 5; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL)
			continue;
		*eq = '\0';
		set(conf, argv[i], eq + 1);
	}
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof errstr)) == NULL) {
		fprintf(stderr, "b_bareloop: %s\n", errstr);
		return 70;
	}
	rd_kafka_poll_set_consumer(rk);
	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, argv[3],
	    RD_KAFKA_PARTITION_UA);
	rd_kafka_subscribe(rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	for (n = 0; n < want;) {
		if ((msg = rd_kafka_consumer_poll(rk, 100)) == NULL)
			continue;
		if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			n++;
		rd_kafka_message_destroy(msg);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	fprintf(stderr, "bareloop messages=%lld\n", n);
	return 0;
}
