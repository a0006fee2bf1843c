/*
 * config_schema.h: the one table of kconsumerd's options (config_schema.c),
 * the master copy of each: name, type, where it lives in struct config,
 * bounds, default, words, validator and help text. The loader
 * (config_load.c), the kafka group (config_kafka.c), --print-config
 * (config_print.c) and the man page check all read it.
 *
 * Any thread; the table is constant.
 */
#ifndef KCONSUMERD_CONFIG_SCHEMA_H
#define KCONSUMERD_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_loader.h"

struct config;
struct diag;

/* Schema option types. */
enum config_type {
	CONFIG_TYPE_STRING,
	CONFIG_TYPE_INT,
	CONFIG_TYPE_WORD,	/* one of .words; stored as its index */
	CONFIG_TYPE_LIST,	/* list of strings */
	CONFIG_TYPE_KAFKA,	/* the kafka passthrough group */
};

/* One row of the schema: the master copy of an option. */
struct config_option {
	const char		*name;		/* dotted path: group.session_timeout_ms */
	enum config_type	 type;
	size_t			 offset;	/* into struct config */
	size_t			 count_offset;	/* LIST: its size_t count */
	int64_t			 minimum;	/* INT */
	int64_t			 maximum;	/* INT */
	int64_t			 default_num;	/* INT, WORD (index) */
	const char		*default_str;	/* STRING; NULL: unset */
	const char *const	*words;		/* WORD: NULL-terminated */
	bool			 required;
	const char		*kafka_name;	/* the librdkafka property this
						   option owns, if any */
	const char		*broker_side;	/* classic protocol only: where
						   the setting lives under
						   group.protocol consumer */
	void			(*validate)(const struct config_option *,
				    const struct config_value *,
				    struct diag *);
	const char		*text;		/* help, one sentence */
};

extern const struct config_option config_options[];
extern const size_t config_noptions;

/* The row of an option by its dotted name, or NULL. */
const struct config_option *config_option_find(const char *name);
/* True when path names a group of options rather than one option ("" is
   the top level). */
bool config_is_group(const char *path);
/* The field of cfg a row describes; a LIST or KAFKA row's count. */
void *config_field(const struct config *cfg, const struct config_option *o);
size_t *config_count(const struct config *cfg, const struct config_option *o);
/* How a value kind reads in a message ("a string", "a list", ...). */
const char *config_value_kind_name(enum config_value_kind kind);
/* False for a classic-only row (broker_side) under group.protocol
   consumer, whose property librdkafka must not be given. */
bool config_option_applies(const struct config *cfg,
    const struct config_option *o);
/* True when a kafka property holds a secret that is never shown. */
bool config_is_secret(const char *kafka_name);
/* Kafka's rule for topic names and group instance ids. */
#define CONFIG_KAFKA_NAME_MAX 249
bool config_kafka_name_valid(const char *s);

#endif
