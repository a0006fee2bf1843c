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
#include "config_kafka.h"
#include "template.h"

/*
 * True when something reads librdkafka's statistics: the HTTP endpoint
 * (lag in /metrics and /assignment) or systemd's STATUS line (total lag,
 * NOTIFY_SOCKET). Otherwise they stay off: librdkafka would build, and
 * stats.c parse, a JSON document of every partition every 5 s for nobody
 * (about 3.4 million instructions a document with 24 partitions).
 */
static bool
config_kafka_stats_read(const struct config *cfg)
{
	return cfg->http.listen != NULL || getenv("NOTIFY_SOCKET") != NULL;
}

/* The table, sorted by name. A value may use %h (short host name) and %i
   (consumer index), as group.instance_id does. */
const struct config_kafka_own config_kafka_own[] = {
	{ "auto.offset.reset", CONFIG_KAFKA_DEFAULT, "earliest",
	  "at-least-once: a partition without a committed offset starts at "
	  "its beginning, not at its end (librdkafka's default)",
	  NULL, NULL },
	{ "client.id", CONFIG_KAFKA_DEFAULT, "kconsumerd-%h-%i",
	  "names each member (host and consumer index) in the brokers' logs "
	  "and in kconsumerctl describe",
	  NULL, NULL },
	{ "enable.auto.offset.store", CONFIG_KAFKA_FORCED, "false",
	  "kconsumerd stores offsets itself, only after the sink accepted a "
	  "message (at-least-once)",
	  NULL, NULL },
	{ "enable.partition.eof", CONFIG_KAFKA_DEFAULT, "true",
	  "librdkafka says when it read a partition to its end, so that lag "
	  "does not count the transaction markers left past the last record "
	  "(the events are not logged)",
	  NULL, NULL },
	{ "log.queue", CONFIG_KAFKA_FORCED, "true",
	  "librdkafka's logs are served by each member's own thread (another "
	  "thread polling the handle would hide a stuck sink from "
	  "max.poll.interval.ms)",
	  NULL, NULL },
	{ "statistics.interval.ms", CONFIG_KAFKA_DEFAULT, "5000",
	  "the statistics feed lag and rebalance counts to /metrics and the "
	  "systemd status; set only when one of them is there to read them "
	  "(http.listen, or NOTIFY_SOCKET under systemd)",
	  config_kafka_stats_read, "0" },
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

/* True when a row is set for cfg (most rows: always). */
bool
config_kafka_own_applies(const struct config_kafka_own *k,
    const struct config *cfg)
{
	return k->applies == NULL || k->applies(cfg);
}

/* The value a row gives consumer index's librdkafka configuration (to be
   freed). */
char *
config_kafka_own_value(const struct config_kafka_own *k, int consumer)
{
	char host[256], *err = NULL, *value;

	template_short_hostname(host, sizeof host);
	if ((value = template_expand(k->value, host, consumer, &err)) == NULL)
		abort();	/* the table's templates have no ${VAR} */
	return value;
}
