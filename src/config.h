/*
 * config.h: kconsumerd's configuration model.
 *
 * One schema table (config_schema.c) defines every option once: name, type,
 * default, bounds, allowed words, help text. The two front-ends
 * (config_libconfig.c, config_yaml.c) only walk their syntax tree and hand
 * (path, value, file, line) to config_set(); validation, defaults,
 * templating, --print-config and the man page check all come from the table.
 * A second table (config_kafka_own.c) holds the librdkafka properties
 * kconsumerd sets by itself, each forced or a default.
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

enum config_leave_group {
	CONFIG_LEAVE_GROUP_AUTO,
	CONFIG_LEAVE_GROUP_ALWAYS,
	CONFIG_LEAVE_GROUP_NEVER,
};

/* A librdkafka property passed through from the kafka group. */
struct config_kafka_prop {
	char	*name;		/* librdkafka's (dotted) name */
	char	*value;
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
	int64_t			 heartbeat_interval_ms;
	int64_t			 session_timeout_ms;
	int64_t			 max_poll_interval_ms;

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
		char		*listen;	/* NULL: no HTTP endpoint */
	} http;

	struct {
		int64_t		 ready_timeout_ms;
	} service;
};

/* Value kinds a front-end hands over. */
enum config_value_kind {
	CONFIG_VALUE_STRING,	/* a quoted or plain string */
	CONFIG_VALUE_INT,
	CONFIG_VALUE_FLOAT,
	CONFIG_VALUE_BOOL,
	CONFIG_VALUE_LIST,	/* items in list/nlist */
	CONFIG_VALUE_GROUP,	/* a group/map where a scalar was expected */
	CONFIG_VALUE_NULL,	/* YAML null (~, null, empty): unset */
};

/* One value from a front-end, with where it was written. */
struct config_value {
	enum config_value_kind	 kind;
	const char		*str;	/* STRING; also the literal text of
					   INT/FLOAT/BOOL scalars when the
					   front-end has it (else NULL) */
	int64_t			 num;	/* INT */
	double			 dbl;	/* FLOAT */
	bool			 boolean; /* BOOL */
	struct config_value	*list;	/* LIST items */
	size_t			 nlist;
	const char		*file;
	int			 line;
};

/* Flags a front-end passes with a key. */
#define CONFIG_KEY_UNDERSCORE_DOTS 0x1	/* kafka names: retry "_" as "." */

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
	void			(*validate)(const struct config_option *,
				    const struct config_value *,
				    struct diag *);
	const char		*text;		/* help, one sentence */
};

extern const struct config_option config_options[];
extern const size_t config_noptions;

/* Load flags. */
#define CONFIG_LOAD_NO_BOOTSTRAP 0x1	/* bootstrap.servers not required
					   (the embedded demo supplies it) */
#define CONFIG_LOAD_WRITABLE	0x2	/* the sink file and log.file must be
					   writable here (-t, the daemon) */

/* A configuration being loaded (front-ends see it opaquely). */
struct config_loader;

struct config *config_load(const char *path, int flags, struct diag *d);
struct config *config_load_yaml_text(const char *name, const char *text,
    int flags, struct diag *d);
void config_free(struct config *cfg);
void config_print(const struct config *cfg, FILE *fp);
bool config_is_secret(const char *kafka_name);
/* Kafka's rule for topic names and group instance ids. */
#define CONFIG_KAFKA_NAME_MAX 249
bool config_kafka_name_valid(const char *s);
const char *config_word(const char *option_name, int index);
const struct config_option *config_option_find(const char *name);
const char *config_kafka_get(const struct config *cfg, const char *name);

/* config_check.c */
void config_check_id(const char *name, const char *value, const char *file,
    int line, struct diag *d);
void config_check_sink_path(const char *name, const char *value,
    const char *file, int line, struct diag *d);
void config_check_listen_host(const char *name, const char *listen,
    const char *host, const char *file, int line, struct diag *d);
void config_check_kafka_values(const struct config *cfg, struct diag *d);
void config_check_writable(const char *name, const char *path,
    const char *file, int line, struct diag *d);
void config_kafka_set(struct config *cfg, const char *name,
    const char *value);
rd_kafka_conf_t *config_kafka_conf(const struct config *cfg, int consumer,
    char *errstr, size_t errlen);

/* A librdkafka property kconsumerd sets by itself (config_kafka_own.c):
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
char *config_instance_id(const struct config *cfg, int consumer);

/* Front-end interface: called for every leaf, with its dotted path. */
void config_set(struct config_loader *ld, const char *path, int key_flags,
    const struct config_value *value);
/* Front-ends descend into a group/map only when this says it is one
   ("" is the top level); otherwise they hand it over as a GROUP value. */
bool config_is_group(const char *path);

/* Shared by config.c and config_kafka.c. */
void *config_field(const struct config *cfg, const struct config_option *o);
const char *config_value_kind_name(enum config_value_kind kind);
void config_kafka_put(struct config *cfg, rd_kafka_conf_t *scratch,
    struct diag *d, const char *name, int key_flags,
    const struct config_value *v);

/* Front-ends: parse path, call config_set for every leaf; false on a
   syntax error (already recorded in d). */
bool config_libconfig_parse(struct config_loader *ld, const char *path,
    struct diag *d);
bool config_yaml_parse(struct config_loader *ld, const char *path,
    struct diag *d);
bool config_yaml_parse_text(struct config_loader *ld, const char *name,
    const char *text, struct diag *d);

/* Instance id templates: %h short host name, %i consumer index, %% a
   percent sign, ${VAR} an environment variable. NULL and *err set (to be
   freed) on error. */
void config_short_hostname(char *host, size_t len);
char *template_expand(const char *tmpl, const char *host, int index,
    char **err);
bool template_has_index(const char *tmpl);
/* Syntax only (no environment lookups): false and *err set on error. */
bool template_check(const char *tmpl, char **err);

#endif
