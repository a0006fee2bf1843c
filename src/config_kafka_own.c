/*
 * config_kafka_own.c: the one table of the librdkafka properties
 * kconsumerd sets by itself, without an option standing for them. A
 * forced property is refused under kafka (by -t, with file:line and the
 * reason); a default yields to the kafka group's value. config_kafka_conf
 * applies the table, and --print-config shows it.
 *
 * Any thread; the table is constant.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"

/* The table, sorted by name. A value may use %h (short host name) and %i
   (consumer index), as group.instance_id does. */
const struct config_kafka_own config_kafka_own[] = {
	{ "auto.offset.reset", CONFIG_KAFKA_DEFAULT, "earliest",
	  "at-least-once: a partition without a committed offset starts at "
	  "its beginning, not at its end (librdkafka's default)" },
	{ "client.id", CONFIG_KAFKA_DEFAULT, "kconsumerd-%h-%i",
	  "names each member (host and consumer index) in the brokers' logs "
	  "and in kconsumerctl describe" },
	{ "enable.auto.offset.store", CONFIG_KAFKA_FORCED, "false",
	  "kconsumerd stores offsets itself, only after the sink accepted a "
	  "message (at-least-once)" },
	{ "log.queue", CONFIG_KAFKA_FORCED, "true",
	  "librdkafka's logs are served by each member's own thread (another "
	  "thread polling the handle would hide a stuck sink from "
	  "max.poll.interval.ms)" },
	{ "statistics.interval.ms", CONFIG_KAFKA_DEFAULT, "5000",
	  "the statistics feed lag and rebalance counts to /metrics and the "
	  "systemd status" },
};
const size_t config_kafka_nown = sizeof config_kafka_own /
    sizeof *config_kafka_own;

/* The row for a librdkafka property, or NULL when kconsumerd leaves it
   alone. */
const struct config_kafka_own *
config_kafka_own_find(const char *name)
{
	size_t i;

	for (i = 0; i < config_kafka_nown; i++)
		if (strcmp(config_kafka_own[i].name, name) == 0)
			return &config_kafka_own[i];
	return NULL;
}

/* The value a row gives consumer index's librdkafka configuration (to be
   freed). */
char *
config_kafka_own_value(const struct config_kafka_own *k, int consumer)
{
	char host[256], *err = NULL, *value;

	config_short_hostname(host, sizeof host);
	if ((value = template_expand(k->value, host, consumer, &err)) == NULL)
		abort();	/* the table's templates have no ${VAR} */
	return value;
}
