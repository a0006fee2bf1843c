/*
 * config_schema.c: the master copy of kconsumerd's options. Every option is
 * one row of config_options[], sorted by name; everything else (loading,
 * defaults, validation, --print-config, the man page check) reads this
 * table. A new option is a new row (and a field in struct config).
 *
 * Main thread only while loading; the table itself is constant.
 */
#include "autoconf.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_check.h"
#include "config_schema.h"
#include "diag.h"
#include "listen_addr.h"
#include "log.h"
#include "template.h"
#include "xmalloc.h"

#define CONFIG_OFF(f) offsetof(struct config, f)

/* Kafka's alphabet for topic names and group instance ids. */
#define CONFIG_KAFKA_NAME_CHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* Conversion letters a text sink template may use (kcat's -f subset). */
#define CONFIG_SINK_TEMPLATE_LETTERS "tpoksTSKh%"

static const char *const config_assignor_words[] = {
	"cooperative-sticky", "range", "roundrobin", NULL
};
static const char *const config_group_protocol_words[] = {
	"classic", "consumer", NULL
};
static const char *const config_sink_type_words[] = {
	"stdout", "file", "exec", "none", NULL
};
static const char *const config_sink_format_words[] = {
	"json", "text", NULL
};
static const char *const config_sink_fsync_words[] = {
	"batch", "never", NULL
};
static const char *const config_sink_on_error_words[] = {
	"stop", "retry", "dead_letter", NULL
};
static const char *const config_log_level_words[] = {
	"error", "warn", "info", "debug", NULL
};
static const char *const config_log_format_words[] = {
	"text", "json", NULL
};
static const char *const config_bool_words[] = {
	"false", "true", NULL
};
static const char *const config_leave_group_words[] = {
	"auto", "always", "never", NULL
};

/* Check one topic entry: a Kafka topic name, or ^ and a regex. */
static void
config_validate_topic(const struct config_value *item, struct diag *d)
{
	regex_t re;
	char msg[256];
	int rc;

	if (item->kind != CONFIG_VALUE_STRING) {
		diag_error(d, item->file, item->line, "topics wants a list of "
		    "strings (topic names or ^regex patterns)");
		return;
	}
	if (item->str[0] == '^') {
		if (item->str[1] == '\0') {
			diag_error(d, item->file, item->line, "topic pattern "
			    "'^' is empty: write a regex after the ^");
			return;
		}
		if ((rc = regcomp(&re, item->str, REG_EXTENDED|REG_NOSUB))
		    != 0) {
			regerror(rc, &re, msg, sizeof msg);
			diag_error(d, item->file, item->line, "topic pattern "
			    "'%s' is not a valid regex: %s", item->str, msg);
			return;
		}
		regfree(&re);
		return;
	}
	if (item->str[0] == '\0')
		diag_error(d, item->file, item->line, "empty topic name");
	else if (!config_kafka_name_valid(item->str))
		diag_error(d, item->file, item->line, "topic name '%s' is not "
		    "one Kafka allows (at most %d of letters, digits, '.', "
		    "'_' and '-'); a pattern starts with ^", item->str,
		    CONFIG_KAFKA_NAME_MAX);
}

/* True when Kafka accepts s as a topic name or group instance id. */
bool
config_kafka_name_valid(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= CONFIG_KAFKA_NAME_MAX &&
	    strspn(s, CONFIG_KAFKA_NAME_CHARS) == len;
}

/* Topics: at least one, each a name or a pattern that compiles. */
static void
config_validate_topics(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	size_t i;

	if (v->kind == CONFIG_VALUE_LIST && v->nlist == 0) {
		diag_error(d, v->file, v->line, "%s is empty: list at least "
		    "one topic name or ^regex pattern", o->name);
		return;
	}
	for (i = 0; v->kind == CONFIG_VALUE_LIST && i < v->nlist; i++)
		config_validate_topic(&v->list[i], d);
}

/* The instance id template: only %h, %i, %% and ${VAR}. */
static void
config_validate_template(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	char *err;

	if (v->kind != CONFIG_VALUE_STRING || template_check(v->str, &err))
		return;
	diag_error(d, v->file, v->line, "%s: %s", o->name, err);
	free(err);
}

/* The text sink template: kcat-style %x conversions and \n, \t escapes. */
static void
config_validate_sink_template(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	const char *p;

	if (v->kind != CONFIG_VALUE_STRING)
		return;
	for (p = v->str; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '\0' ||
		    strchr(CONFIG_SINK_TEMPLATE_LETTERS, p[1]) == NULL) {
			diag_error(d, v->file, v->line, "%s: unknown "
			    "conversion '%%%.1s' (use %%t topic, %%p partition, "
			    "%%o offset, %%k key, %%s value, %%K/%%S their "
			    "lengths, %%T timestamp, %%h headers, %%%% a "
			    "percent sign)", o->name, p + 1);
			return;
		}
		p++;
	}
}

/* The broker-side assignor of the consumer protocol: a name Kafka 4
   ships, or empty for the broker's default (the first of its
   group.consumer.assignors). */
static void
config_validate_remote_assignor(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	if (v->kind != CONFIG_VALUE_STRING || strcmp(v->str, "") == 0 ||
	    strcmp(v->str, "uniform") == 0 || strcmp(v->str, "range") == 0)
		return;
	diag_error(d, v->file, v->line, "unknown %s '%s' (use 'uniform', "
	    "'range', or '' for the broker's default)", o->name, v->str);
}

/* The HTTP listen address: [host]:port, and an HTTP-capable build. */
static void
config_validate_listen(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	char *host, *err;
	int port;

	if (v->kind != CONFIG_VALUE_STRING)
		return;
	if (!listen_addr_parse(v->str, &host, &port, &err)) {
		diag_error(d, v->file, v->line, "%s: %s", o->name, err);
		free(err);
		return;
	}
	config_check_listen_host(o->name, v->str, host, v->file, v->line, d);
	free(host);
	if (!listen_addr_http_available())
		diag_error(d, v->file, v->line, "%s: this kconsumerd was built "
		    "without libmicrohttpd (configure --with-libmicrohttpd)",
		    o->name);
}

/* An id the group or the brokers key on: not empty, not overlong. */
static void
config_validate_id(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	if (v->kind == CONFIG_VALUE_STRING)
		config_check_id(o->name, v->str, v->file, v->line, d);
}

/* The sink file (and the dead-letter file): not empty, not a
   directory. */
static void
config_validate_sink_path(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	if (v->kind == CONFIG_VALUE_STRING)
		config_check_sink_path(o->name, v->str, v->file, v->line, d);
}

/* The dead-letter topic: a name Kafka takes. */
static void
config_validate_dead_letter_topic(const struct config_option *o,
    const struct config_value *v, struct diag *d)
{
	if (v->kind == CONFIG_VALUE_STRING && !config_kafka_name_valid(v->str))
		diag_error(d, v->file, v->line, "%s '%s' is not a topic name "
		    "Kafka takes: 1 to %d of letters, digits, '.', '_' and "
		    "'-'", o->name, v->str, CONFIG_KAFKA_NAME_MAX);
}

/*
 * The table, sorted by name (t_config_schema checks it). kafka_name is the
 * librdkafka property an option owns: setting it under kafka is an error.
 */
const struct config_option config_options[] = {
	{ .name = "consumers", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(consumers),
	  .minimum = 1, .maximum = 256, .default_num = 1,
	  .text = "How many group members (threads, each with its own "
	  "librdkafka consumer) this process runs." },
	{ .name = "experiment.processing_delay_us", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(experiment.processing_delay_us),
	  .minimum = 0, .maximum = 600000000, .default_num = 0,
	  .text = "Microseconds to sleep per message before the sink, to "
	  "provoke max.poll.interval.ms and rebalance timing in experiments." },
	{ .name = "group.assignor", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(assignor),
	  .words = config_assignor_words,
	  .default_num = CONFIG_ASSIGNOR_COOPERATIVE_STICKY,
	  .kafka_name = "partition.assignment.strategy",
	  .broker_side = "the broker assigns (group.consumer.assignors; "
	  "pick one with group.remote_assignor)",
	  .text = "The partition assignor, which also picks the rebalance "
	  "protocol (cooperative-sticky is COOPERATIVE, the others EAGER)." },
	{ .name = "group.heartbeat_interval_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(heartbeat_interval_ms),
	  .minimum = 1, .maximum = 3600000, .default_num = 3000,
	  .kafka_name = "heartbeat.interval.ms",
	  .broker_side = "the broker sets it "
	  "(group.consumer.heartbeat.interval.ms, or the group's "
	  "consumer.heartbeat.interval.ms)",
	  .text = "How often each member heartbeats to the group "
	  "coordinator." },
	{ .name = "group.id", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(group_id), .required = true,
	  .kafka_name = "group.id", .validate = config_validate_id,
	  .text = "The consumer group every member joins." },
	{ .name = "group.instance_id", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(instance_id),
	  .kafka_name = "group.instance.id",
	  .validate = config_validate_template,
	  .text = "Static membership: a template (%h host, %i consumer "
	  "index, %% percent, ${VAR} environment) giving each member a "
	  "fixed id; unset for dynamic membership." },
	{ .name = "group.max_poll_interval_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(max_poll_interval_ms),
	  .minimum = 1, .maximum = 86400000, .default_num = 300000,
	  .kafka_name = "max.poll.interval.ms",
	  .text = "Longest time between polls before a member is deemed "
	  "stuck and leaves the group." },
	{ .name = "group.protocol", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(group_protocol),
	  .words = config_group_protocol_words,
	  .default_num = CONFIG_GROUP_PROTOCOL_CLASSIC,
	  .kafka_name = "group.protocol",
	  .text = "The group protocol: classic (JoinGroup/SyncGroup, "
	  "group.assignor picks EAGER or COOPERATIVE) or consumer (KIP-848: "
	  "the broker assigns incrementally; librdkafka 2.12.0 or later, "
	  "Kafka 4.0 or later)." },
	{ .name = "group.remote_assignor", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(remote_assignor),
	  .kafka_name = "group.remote.assignor",
	  .validate = config_validate_remote_assignor,
	  .text = "Under group.protocol consumer, the broker-side assignor "
	  "(uniform or range); unset or empty for the broker's default." },
	{ .name = "group.session_timeout_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(session_timeout_ms),
	  .minimum = 1, .maximum = 3600000, .default_num = 45000,
	  .kafka_name = "session.timeout.ms",
	  .broker_side = "the broker sets it "
	  "(group.consumer.session.timeout.ms, or the group's "
	  "consumer.session.timeout.ms)",
	  .text = "How long the coordinator waits for a heartbeat before it "
	  "removes a member and rebalances." },
	{ .name = "group.unreleased_wait_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(unreleased_wait_ms),
	  .minimum = 0, .maximum = 3600000, .default_num = 60000,
	  .text = "Under group.protocol consumer, how long a static member "
	  "refused with UNRELEASED_INSTANCE_ID before its first assignment "
	  "(its previous run, killed, still holds the instance id until the "
	  "broker's session timeout) keeps retrying before it exits 76; 0 "
	  "exits at once." },
	{ .name = "health.stall_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(health.stall_ms),
	  .minimum = 0, .maximum = 86400000, .default_num = 0,
	  .text = "A partition with records waiting whose position has not "
	  "moved for this long is stalled (an event, a gauge); 0: off." },
	{ .name = "health.stall_ready", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(health.stall_ready),
	  .words = config_bool_words, .default_num = 0,
	  .text = "Whether /readyz answers 503 while a partition is "
	  "stalled (see health.stall_ms)." },
	{ .name = "http.listen", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(http.listen),
	  .validate = config_validate_listen,
	  .text = "Address of the HTTP endpoint (/healthz, /readyz, /metrics, "
	  "/assignment) as host:port or :port; unset for none." },
	{ .name = "kafka", .type = CONFIG_TYPE_KAFKA,
	  .offset = CONFIG_OFF(kafka), .count_offset = CONFIG_OFF(nkafka),
	  .text = "librdkafka properties passed through as they are "
	  "(bootstrap.servers is required)." },
	{ .name = "log.file", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(log.file),
	  .text = "File the event log is appended to; unset for standard "
	  "error." },
	{ .name = "log.format", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(log.format),
	  .words = config_log_format_words, .default_num = LOG_FORMAT_TEXT,
	  .text = "Event log lines as key=value text or as one JSON object "
	  "per line." },
	{ .name = "log.level", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(log.level),
	  .words = config_log_level_words, .default_num = LOG_LEVEL_INFO,
	  .text = "The least severe log level that is written." },
	{ .name = "service.ready_timeout_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(service.ready_timeout_ms),
	  .minimum = 0, .maximum = 3600000, .default_num = 60000,
	  .text = "Longest wait for every member's first assignment before "
	  "systemd is told the service is ready anyway (with a warning)." },
	{ .name = "shutdown.leave_group", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(shutdown.leave_group),
	  .words = config_leave_group_words,
	  .default_num = CONFIG_LEAVE_GROUP_AUTO,
	  .text = "Whether members leave the group on a clean stop (auto: "
	  "dynamic members do, static members do not)." },
	{ .name = "shutdown.timeout_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(shutdown.timeout_ms),
	  .minimum = 100, .maximum = 3600000, .default_num = 10000,
	  .text = "How long a clean stop may take for the final revoke and "
	  "commit before members are destroyed anyway." },
	{ .name = "sink.command", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(sink.command),
	  .text = "Shell command whose standard input receives the records "
	  "(required when sink.type is exec)." },
	{ .name = "sink.dead_letter.path", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(sink.dead_letter_path),
	  .validate = config_validate_sink_path,
	  .text = "Under sink.on_error dead_letter, the file rejected "
	  "records are appended to, in the file sink's format (one of "
	  "sink.dead_letter.path and sink.dead_letter.topic)." },
	{ .name = "sink.dead_letter.topic", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(sink.dead_letter_topic),
	  .validate = config_validate_dead_letter_topic,
	  .text = "Under sink.on_error dead_letter, the Kafka topic rejected "
	  "records are produced to (an existing topic; value, key and "
	  "headers kept, the origin and the error added as headers)." },
	{ .name = "sink.format", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(sink.format),
	  .words = config_sink_format_words,
	  .default_num = CONFIG_SINK_FORMAT_JSON,
	  .text = "Records as one JSON object per line or as text lines "
	  "following sink.template." },
	{ .name = "sink.fsync", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(sink.fsync),
	  .words = config_sink_fsync_words,
	  .default_num = CONFIG_SINK_FSYNC_BATCH,
	  .text = "Whether the file sink is synced before offsets of a batch "
	  "are stored." },
	{ .name = "sink.on_error", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(sink.on_error),
	  .words = config_sink_on_error_words,
	  .default_num = CONFIG_SINK_ON_ERROR_STOP,
	  .text = "What a record the sink rejects (an exec command under "
	  "sink.per_record exiting non-zero) leads to: stop the process "
	  "without storing its offset, retry it sink.retry_max times then "
	  "stop, or retry then send it to the dead-letter destination and "
	  "go on." },
	{ .name = "sink.path", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(sink.path),
	  .validate = config_validate_sink_path,
	  .text = "File records are appended to (required when sink.type is "
	  "file)." },
	{ .name = "sink.per_record", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(sink.per_record),
	  .words = config_bool_words, .default_num = 0,
	  .text = "Exec sink: run sink.command once per record, the record "
	  "(one line) on its standard input; exit status 0 takes the "
	  "record, any other rejects it (see sink.on_error)." },
	{ .name = "sink.retry_backoff_ms", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(sink.retry_backoff_ms),
	  .minimum = 0, .maximum = 600000, .default_num = 1000,
	  .text = "Wait before retrying a rejected record, doubled for each "
	  "further attempt (up to 60 s)." },
	{ .name = "sink.retry_max", .type = CONFIG_TYPE_INT,
	  .offset = CONFIG_OFF(sink.retry_max),
	  .minimum = 0, .maximum = 1000, .default_num = 3,
	  .text = "Under sink.on_error retry or dead_letter, how many more "
	  "times a rejected record is tried before the process stops or "
	  "dead-letters it." },
	{ .name = "sink.template", .type = CONFIG_TYPE_STRING,
	  .offset = CONFIG_OFF(sink.template), .default_str = "%t %p %o %k %s",
	  .validate = config_validate_sink_template,
	  .text = "Line template of the text format, kcat style." },
	{ .name = "sink.type", .type = CONFIG_TYPE_WORD,
	  .offset = CONFIG_OFF(sink.type),
	  .words = config_sink_type_words, .default_num = CONFIG_SINK_STDOUT,
	  .text = "Where records go: standard output, a file, a command's "
	  "standard input, or nowhere." },
	{ .name = "topics", .type = CONFIG_TYPE_LIST,
	  .offset = CONFIG_OFF(topics), .count_offset = CONFIG_OFF(ntopics),
	  .required = true, .validate = config_validate_topics,
	  .text = "Topics to subscribe to: names, or patterns starting with "
	  "^." },
};
const size_t config_noptions = sizeof config_options / sizeof *config_options;

/* The field of cfg a schema row describes. */
void *
config_field(const struct config *cfg, const struct config_option *o)
{
	return (char *)cfg + o->offset;
}

/* False for a classic-only row under group.protocol consumer. */
bool
config_option_applies(const struct config *cfg, const struct config_option *o)
{
	return o->broker_side == NULL ||
	    cfg->group_protocol != CONFIG_GROUP_PROTOCOL_CONSUMER;
}

/* The count field of a LIST or KAFKA row. */
size_t *
config_count(const struct config *cfg, const struct config_option *o)
{
	return (size_t *)((char *)cfg + o->count_offset);
}

/* How a value kind reads in a message ("a string", "a list", ...). */
const char *
config_value_kind_name(enum config_value_kind kind)
{
	static const char *const names[] = {
		"a string", "an integer", "a number", "a boolean", "a list",
		"a group", "null"
	};

	return names[kind];
}

/* Compare a name with a row, for bsearch. */
static int
config_option_cmp(const void *key, const void *row)
{
	return strcmp(key, ((const struct config_option *)row)->name);
}

/* The row of an option by its dotted name, or NULL. */
const struct config_option *
config_option_find(const char *name)
{
	return bsearch(name, config_options, config_noptions,
	    sizeof *config_options, config_option_cmp);
}

/* The word at index of a word option, or NULL. */
const char *
config_word(const char *option_name, int index)
{
	const struct config_option *o;
	int i;

	if ((o = config_option_find(option_name)) == NULL || o->words == NULL ||
	    index < 0)
		return NULL;
	for (i = 0; o->words[i] != NULL; i++)
		if (i == index)
			return o->words[i];
	return NULL;
}

/*
 * What makes a kafka property a secret, matched without regard to case:
 * every property librdkafka 2.0.2 flags sensitive (ssl.key.password,
 * ssl.key.pem, ssl_key, ssl.keystore.password, sasl.password,
 * sasl.oauthbearer.config, sasl.oauthbearer.client.secret) and the
 * families they belong to, so that a property a later librdkafka adds
 * is masked too.
 */
static const struct {
	const char	*text;
	enum { CONFIG_SECRET_CONTAINS, CONFIG_SECRET_PREFIX,
	    CONFIG_SECRET_SUFFIX } where;
} config_secret_patterns[] = {
	{ "password", CONFIG_SECRET_CONTAINS },
	{ "secret", CONFIG_SECRET_CONTAINS },
	{ "credential", CONFIG_SECRET_CONTAINS },
	{ "token", CONFIG_SECRET_CONTAINS },
	{ ".key", CONFIG_SECRET_CONTAINS },	/* ssl.key.*, ssl.keystore.* */
	{ "_key", CONFIG_SECRET_CONTAINS },	/* ssl_key */
	{ ".pem", CONFIG_SECRET_SUFFIX },	/* ssl.key.pem, ssl.ca.pem... */
	{ "sasl.oauthbearer.", CONFIG_SECRET_PREFIX },
};

/* True when a kafka property holds a secret that must never be shown. */
bool
config_is_secret(const char *kafka_name)
{
	size_t i, n = strlen(kafka_name), len;
	const char *t;

	for (i = 0; i < sizeof config_secret_patterns /
	    sizeof *config_secret_patterns; i++) {
		t = config_secret_patterns[i].text;
		len = strlen(t);
		switch (config_secret_patterns[i].where) {
		case CONFIG_SECRET_CONTAINS:
			if (strcasestr(kafka_name, t) != NULL)
				return true;
			break;
		case CONFIG_SECRET_PREFIX:
			if (strncasecmp(kafka_name, t, len) == 0)
				return true;
			break;
		case CONFIG_SECRET_SUFFIX:
			if (n >= len && strcasecmp(kafka_name + n - len, t) == 0)
				return true;
			break;
		}
	}
	return false;
}

/* True when path names a group of options rather than one option. */
bool
config_is_group(const char *path)
{
	const struct config_option *o;
	size_t len = strlen(path);

	if (len == 0)
		return true;
	for (o = config_options; o < config_options + config_noptions; o++) {
		if (o->type == CONFIG_TYPE_KAFKA && strcmp(o->name, path) == 0)
			return true;
		if (strncmp(o->name, path, len) == 0 && o->name[len] == '.')
			return true;
	}
	return false;
}
