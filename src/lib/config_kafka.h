/*
 * config_kafka.h: the kafka group of a configuration, inside the loader:
 * the properties passed through to librdkafka (config_kafka.c) and those
 * kconsumerd sets by itself (config_kafka_own.c). The accessors both
 * programs use are in config.h.
 *
 * Main thread only while loading; the own table is constant.
 */
#ifndef KCONSUMERD_CONFIG_KAFKA_H
#define KCONSUMERD_CONFIG_KAFKA_H

#include <stdbool.h>
#include <stddef.h>

#include <librdkafka/rdkafka.h>

struct config;
struct config_value;
struct diag;

/* config_kafka.c: take one kafka.NAME value from a front-end (scratch
   asks librdkafka whether it knows the property); problems go to d. */
void config_kafka_put(struct config *cfg, rd_kafka_conf_t *scratch,
    struct diag *d, const char *name, int key_flags,
    const struct config_value *v);

/* config_kafka_own.c: a librdkafka property kconsumerd sets by itself;
   forced ones cannot be set under kafka, defaults yield to it. */
enum config_kafka_own_kind {
	CONFIG_KAFKA_FORCED,
	CONFIG_KAFKA_DEFAULT,
};

struct config_kafka_own {
	const char			*name;
	enum config_kafka_own_kind	 kind;
	const char			*value;	/* %h host, %i consumer */
	const char			*why;
	/* NULL: always set; else only for configurations it accepts */
	bool				(*applies)(const struct config *cfg);
	/* the effective value where it does not apply (librdkafka's own) */
	const char			*otherwise;
};

extern const struct config_kafka_own config_kafka_own[];
extern const size_t config_kafka_nown;
const struct config_kafka_own *config_kafka_own_find(const char *name);
char *config_kafka_own_value(const struct config_kafka_own *k, int consumer);
bool config_kafka_own_applies(const struct config_kafka_own *k,
    const struct config *cfg);

#endif
