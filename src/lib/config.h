/*
 * config.h: kconsumerd's configuration as both programs use it: struct
 * config, loading (validated and templated), freeing and printing it,
 * and the kafka group's accessors.
 *
 * How it is loaded: config_load.c picks a syntax front-end
 * (config_libconfig.c or config_yaml.c, behind config_loader.h) that
 * hands every value back through one callback; each is checked against
 * the one schema table (config_schema.h) and stored. The kafka group and
 * the librdkafka properties kconsumerd sets by itself are
 * config_kafka.h's.
 *
 * Main thread only while loading; afterwards a struct config is read-only
 * and may be read from any thread.
 */
#ifndef KCONSUMERD_CONFIG_H
#define KCONSUMERD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <librdkafka/rdkafka.h>

#include "diag.h"

enum config_assignor {
	CONFIG_ASSIGNOR_COOPERATIVE_STICKY,
	CONFIG_ASSIGNOR_RANGE,
	CONFIG_ASSIGNOR_ROUNDROBIN,
};

enum config_group_protocol {
	CONFIG_GROUP_PROTOCOL_CLASSIC,	/* JoinGroup/SyncGroup, client assignor */
	CONFIG_GROUP_PROTOCOL_CONSUMER,	/* KIP-848: the broker assigns */
};

/* The first librdkafka in which group.protocol consumer is generally
   available (CHANGELOG.md v2.12.0; 2.4.0-2.8.0 Early Access, 2.10-2.11
   Preview). */
#define CONFIG_CONSUMER_PROTOCOL_MIN_VERSION	0x020c0000
#define CONFIG_CONSUMER_PROTOCOL_MIN_NAME	"2.12.0"

enum config_sink_type {
	CONFIG_SINK_STDOUT,
	CONFIG_SINK_FILE,
	CONFIG_SINK_EXEC,
	CONFIG_SINK_NONE,
};

enum config_sink_format {
	CONFIG_SINK_FORMAT_JSON,
	CONFIG_SINK_FORMAT_TEXT,
};

enum config_sink_fsync {
	CONFIG_SINK_FSYNC_BATCH,
	CONFIG_SINK_FSYNC_NEVER,
};

enum config_sink_on_error {
	CONFIG_SINK_ON_ERROR_STOP,
	CONFIG_SINK_ON_ERROR_RETRY,
	CONFIG_SINK_ON_ERROR_DEAD_LETTER,
};

/* sink.retry_backoff_ms doubles for each retry up to this. */
#define CONFIG_SINK_RETRY_BACKOFF_MAX_MS	60000

enum config_leave_group {
	CONFIG_LEAVE_GROUP_AUTO,
	CONFIG_LEAVE_GROUP_ALWAYS,
	CONFIG_LEAVE_GROUP_NEVER,
};

/* A librdkafka property passed through from the kafka group. */
struct config_kafka_prop {
	char	*name;		/* librdkafka's (dotted) name */
	char	*value;
	char	*ref;		/* the reference it was read from
				   (@file:..., config_secret.h); NULL:
				   written in clear */
	char	*file;
	int	 line;
};

/*
 * The validated, templated configuration. Word options (assignor, sink
 * type, ...) hold the index of the word in the schema row's list, which
 * matches the enums above. Integers are int64_t throughout.
 */
struct config {
	char			*file;		/* path it was loaded from */

	struct config_kafka_prop *kafka;
	size_t			 nkafka;

	char			*group_id;
	char			*instance_id;	/* template; NULL: dynamic */
	char			**instance_ids;	/* resolved, one per consumer,
						   NULL when dynamic */
	int			 assignor;	/* enum config_assignor */
	int			 group_protocol; /* enum config_group_protocol */
	char			*remote_assignor; /* consumer protocol; NULL
						   or "": the broker's */
	int64_t			 heartbeat_interval_ms;
	int64_t			 session_timeout_ms;
	int64_t			 max_poll_interval_ms;
	int64_t			 unreleased_wait_ms; /* consumer protocol:
						   retry UNRELEASED_INSTANCE_ID
						   that long; 0: exit 76 */

	char			**topics;	/* names or ^regex */
	size_t			 ntopics;
	int64_t			 consumers;

	struct {
		int		 type;		/* enum config_sink_type */
		int		 format;	/* enum config_sink_format */
		char		*template;	/* text format */
		char		*path;		/* file */
		char		*command;	/* exec */
		int		 fsync;		/* enum config_sink_fsync */
		int		 per_record;	/* exec: 1: one command per
						   record, its exit status the
						   verdict */
		int		 on_error;	/* enum config_sink_on_error */
		int64_t		 retry_max;	/* attempts after a rejection */
		int64_t		 retry_backoff_ms; /* before the first, doubled */
		char		*dead_letter_topic;
		char		*dead_letter_path;
	} sink;

	struct {
		int		 level;		/* enum log_level */
		int		 format;	/* enum log_format */
		char		*file;		/* NULL: stderr */
	} log;

	struct {
		int64_t		 timeout_ms;
		int		 leave_group;	/* enum config_leave_group */
	} shutdown;

	struct {
		int64_t		 processing_delay_us;
	} experiment;

	struct {
		int64_t		 stall_ms;	/* 0: no stall detection */
		int		 stall_ready;	/* 1: /readyz 503 while stalled */
	} health;

	struct {
		char		*listen;	/* NULL: no HTTP endpoint */
	} http;

	struct {
		int64_t		 ready_timeout_ms;
	} service;
};

/* Load flags. */
#define CONFIG_LOAD_NO_BOOTSTRAP 0x1	/* bootstrap.servers not required
					   (the embedded demo supplies it) */
#define CONFIG_LOAD_WRITABLE	0x2	/* the sink file and log.file must be
					   writable here (-t, the daemon) */

/* config_load.c: load a file (YAML by its .yaml/.yml name, else
   libconfig) or YAML text (name stands for its file in messages); NULL
   when invalid, every problem in d as file:line. */
struct config *config_load(const char *path, int flags, struct diag *d);
struct config *config_load_yaml_text(const char *name, const char *text,
    int flags, struct diag *d);
void config_free(struct config *cfg);

/* config_print.c: the effective configuration, every option and
   property, one "name = value" per line (-p). */
void config_print(const struct config *cfg, FILE *fp);

/* config_schema.c: the word a WORD option's index stands for. */
const char *config_word(const char *option_name, int index);

/* config_load.c: whether a librdkafka version (rd_kafka_version()'s
   number) can run group.protocol consumer. */
bool config_consumer_protocol_supported(int version);

/* config_kafka.c: the kafka group. A property's value (NULL: unset); set
   or replace one (for code that supplies it itself); one member's
   librdkafka configuration (NULL and errstr set when refused); one
   member's group.instance.id (to be freed; NULL when dynamic). */
const char *config_kafka_get(const struct config *cfg, const char *name);
void config_kafka_set(struct config *cfg, const char *name,
    const char *value);
rd_kafka_conf_t *config_kafka_conf(const struct config *cfg, int consumer,
    char *errstr, size_t errlen);
char *config_instance_id(const struct config *cfg, int consumer);
/* config_kafka.c: a producer's configuration on the same cluster, the
   kafka group's properties over defaults (pairs of name and value);
   NULL and errstr set when refused. */
rd_kafka_conf_t *config_kafka_producer_conf(const struct config *cfg,
    const char *const (*defaults)[2], size_t n, char *errstr,
    size_t errlen);

#endif
