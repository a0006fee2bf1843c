/*
 * config_load.c: loading a configuration file into a struct config. The
 * front-end (config_loader.h) is picked by the file name; it hands every
 * value to config_take, which checks it against the schema
 * (config_schema.h) and stores it. Then come the rules between options
 * and the instance id templates; config_free undoes it all.
 * (--print-config is config_print.c's, librdkafka configurations
 * config_kafka.c's.)
 *
 * Main thread only while loading; a loaded struct config is read-only.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "config_check.h"
#include "config_kafka.h"
#include "config_loader.h"
#include "config_schema.h"
#include "diag.h"
#include "log.h"
#include "template.h"
#include "xmalloc.h"

/* Broker defaults bounding session.timeout.ms. */
#define CONFIG_BROKER_MIN_SESSION_MS	6000
#define CONFIG_BROKER_MAX_SESSION_MS	1800000

/* Where an option was set; file NULL while it holds its default. */
struct config_loc {
	char	*file;
	int	 line;
};

/* A configuration being loaded: the loader callback's argument. */
struct config_loading {
	struct config		*cfg;
	struct diag		*d;
	int			 flags;
	rd_kafka_conf_t		*scratch;	/* asks librdkafka about props */
	struct config_loc	 loc[];		/* one per schema row */
};

/* Set every option to its default. */
static void
config_defaults(struct config *cfg)
{
	const struct config_option *o;

	for (o = config_options; o < config_options + config_noptions; o++) {
		if (o->type == CONFIG_TYPE_INT)
			*(int64_t *)config_field(cfg, o) = o->default_num;
		else if (o->type == CONFIG_TYPE_WORD)
			*(int *)config_field(cfg, o) = o->default_num;
		else if (o->type == CONFIG_TYPE_STRING && o->default_str)
			*(char **)config_field(cfg, o) = xstrdup(o->default_str);
	}
}

/* Free a configuration and everything it holds. */
void
config_free(struct config *cfg)
{
	const struct config_option *o;
	char **v;
	size_t i;

	if (cfg == NULL)
		return;
	for (o = config_options; o < config_options + config_noptions; o++) {
		if (o->type == CONFIG_TYPE_STRING)
			free(*(char **)config_field(cfg, o));
		if (o->type != CONFIG_TYPE_LIST)
			continue;
		v = *(char ***)config_field(cfg, o);
		for (i = 0; i < *config_count(cfg, o); i++)
			free(v[i]);
		free(v);
	}
	for (i = 0; i < cfg->nkafka; i++) {
		free(cfg->kafka[i].name);
		free(cfg->kafka[i].value);
		free(cfg->kafka[i].ref);
		free(cfg->kafka[i].file);
	}
	free(cfg->kafka);
	for (i = 0; cfg->instance_ids != NULL && i < (size_t)cfg->consumers;
	    i++)
		free(cfg->instance_ids[i]);
	free(cfg->instance_ids);
	free(cfg->file);
	free(cfg);
}

/* The schema row index of an option. */
static size_t
config_index(const struct config_option *o)
{
	return o - config_options;
}

/* Store a string option. */
static void
config_store_string(struct config_loading *ld, const struct config_option *o,
    const struct config_value *v)
{
	char **field = config_field(ld->cfg, o);

	if (v->kind != CONFIG_VALUE_STRING && v->kind != CONFIG_VALUE_NULL) {
		diag_error(ld->d, v->file, v->line, "%s wants a string, not "
		    "%s%s", o->name, config_value_kind_name(v->kind),
		    v->kind == CONFIG_VALUE_GROUP || v->kind ==
		    CONFIG_VALUE_LIST ? "" : " (quote it)");
		return;
	}
	if (v->kind == CONFIG_VALUE_NULL && o->required) {
		diag_error(ld->d, v->file, v->line, "%s is required: it "
		    "cannot be null", o->name);
		return;
	}
	free(*field);
	*field = v->kind == CONFIG_VALUE_NULL ? NULL : xstrdup(v->str);
}

/* Whether a scalar's text is an integer literal (that did not fit). */
static bool
config_is_int_literal(const char *s)
{
	if (s == NULL)
		return false;
	if (*s == '-' || *s == '+')
		s++;
	if (strncmp(s, "0x", 2) == 0 && s[2] != '\0')
		return s[2 + strspn(s + 2, "0123456789abcdefABCDEF")] == '\0';
	return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* Store an integer option within its bounds. */
static void
config_store_int(struct config_loading *ld, const struct config_option *o,
    const struct config_value *v)
{
	if (v->kind == CONFIG_VALUE_FLOAT && config_is_int_literal(v->str)) {
		diag_error(ld->d, v->file, v->line, "%s must be between %lld "
		    "and %lld, not %s (too large for an integer)", o->name,
		    (long long)o->minimum, (long long)o->maximum, v->str);
		return;
	}
	if (v->kind != CONFIG_VALUE_INT) {
		diag_error(ld->d, v->file, v->line, "%s wants an integer, not "
		    "%s", o->name, config_value_kind_name(v->kind));
		return;
	}
	if (v->num < o->minimum || v->num > o->maximum) {
		diag_error(ld->d, v->file, v->line, "%s must be between %lld "
		    "and %lld, not %lld", o->name, (long long)o->minimum,
		    (long long)o->maximum, (long long)v->num);
		return;
	}
	*(int64_t *)config_field(ld->cfg, o) = v->num;
}

/* List a word option's words for a message: "a", "b" or "c". */
static char *
config_words_list(const struct config_option *o)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; o->words[i] != NULL; i++) {
		if (i > 0)
			buf_adds(&b, o->words[i + 1] == NULL ? " or " : ", ");
		buf_printf(&b, "'%s'", o->words[i]);
	}
	return buf_steal(&b);
}

/* Store a word option as the index of its word. */
static void
config_store_word(struct config_loading *ld, const struct config_option *o,
    const struct config_value *v)
{
	const char *word = v->kind == CONFIG_VALUE_STRING ? v->str :
	    v->kind == CONFIG_VALUE_BOOL ? (v->boolean ? "true" : "false") :
	    NULL;	/* a boolean is its word, for true/false options */
	char *words;
	int i;

	for (i = 0; word != NULL && o->words[i] != NULL; i++) {
		if (strcmp(o->words[i], word) == 0) {
			*(int *)config_field(ld->cfg, o) = i;
			return;
		}
	}
	words = config_words_list(o);
	if (v->kind == CONFIG_VALUE_STRING)
		diag_error(ld->d, v->file, v->line, "unknown %s '%s' (use %s)",
		    o->name, v->str, words);
	else
		diag_error(ld->d, v->file, v->line, "%s wants one of the words "
		    "%s, not %s", o->name, words, config_value_kind_name(v->kind));
	free(words);
}

/* Store a list of strings. */
static void
config_store_list(struct config_loading *ld, const struct config_option *o,
    const struct config_value *v)
{
	char ***field = config_field(ld->cfg, o);
	size_t i;

	if (v->kind != CONFIG_VALUE_LIST) {
		diag_error(ld->d, v->file, v->line, "%s wants a list of "
		    "strings, not %s", o->name, config_value_kind_name(v->kind));
		return;
	}
	for (i = 0; i < v->nlist; i++) {
		if (v->list[i].kind != CONFIG_VALUE_STRING) {
			diag_error(ld->d, v->list[i].file, v->list[i].line,
			    "%s wants a list of strings, not one holding %s",
			    o->name, config_value_kind_name(v->list[i].kind));
			return;
		}
	}
	*field = xcalloc(v->nlist, sizeof **field);
	for (i = 0; i < v->nlist; i++)
		(*field)[i] = xstrdup(v->list[i].str);
	*config_count(ld->cfg, o) = v->nlist;
}

/* The kafka group itself was given a value instead of properties. */
static void
config_store_kafka(struct config_loading *ld, const struct config_option *o,
    const struct config_value *v)
{
	diag_error(ld->d, v->file, v->line, "%s wants a group of librdkafka "
	    "properties, not %s", o->name, config_value_kind_name(v->kind));
}

/* Storing a value, by schema type. */
static void (*const config_store[])(struct config_loading *,
    const struct config_option *, const struct config_value *) = {
	[CONFIG_TYPE_STRING] = config_store_string,
	[CONFIG_TYPE_INT] = config_store_int,
	[CONFIG_TYPE_WORD] = config_store_word,
	[CONFIG_TYPE_LIST] = config_store_list,
	[CONFIG_TYPE_KAFKA] = config_store_kafka,
};

/* Levenshtein distance between two short names. */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, diag, *row;

	row = xcalloc(lb + 1, sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			diag = prev + (a[i - 1] != b[j - 1]);
			prev = row[j];
			row[j] = row[j] + 1 < row[j - 1] + 1 ?
			    row[j] + 1 : row[j - 1] + 1;
			if (diag < row[j])
				row[j] = diag;
		}
	}
	j = row[lb];
	free(row);
	return j;
}

/* Report an unknown option, suggesting the nearest option or group. */
static void
config_unknown(struct config_loading *ld, const char *path,
    const struct config_value *v)
{
	const struct config_option *o, *best = NULL;
	size_t len, best_len = 0, dist, best_dist = 3;
	char *candidate;

	if (config_is_group(path)) {
		diag_error(ld->d, v->file, v->line, "'%s' is a group of "
		    "options, not %s", path, config_value_kind_name(v->kind));
		return;
	}
	for (o = config_options; o < config_options + config_noptions; o++) {
		for (len = 1; len <= strlen(o->name); len++) {
			if (o->name[len] != '.' && o->name[len] != '\0')
				continue;
			candidate = xstrndup(o->name, len);
			if ((dist = config_distance(path, candidate)) <
			    best_dist) {
				best = o;
				best_len = len;
				best_dist = dist;
			}
			free(candidate);
		}
	}
	if (best != NULL)
		diag_error(ld->d, v->file, v->line, "unknown option '%s' (did "
		    "you mean '%.*s'?)", path, (int)best_len, best->name);
	else
		diag_error(ld->d, v->file, v->line, "unknown option '%s'; see "
		    "kconsumerd.conf(5) for the options", path);
}

/* Set one option from a front-end; problems go to the diagnostics. */
static void
config_set(struct config_loading *ld, const char *path, int key_flags,
    const struct config_value *v)
{
	const struct config_option *o;
	struct config_loc *loc;
	int nerrors = ld->d->nerrors;

	if (strncmp(path, "kafka.", 6) == 0) {
		config_kafka_put(ld->cfg, ld->scratch, ld->d, path + 6,
		    key_flags, v);
		return;
	}
	if ((o = config_option_find(path)) == NULL) {
		config_unknown(ld, path, v);
		return;
	}
	loc = &ld->loc[config_index(o)];
	if (loc->file != NULL) {
		diag_error(ld->d, v->file, v->line, "%s is set twice (first "
		    "at %s:%d)", o->name, loc->file, loc->line);
		return;
	}
	loc->file = xstrdup(v->file);
	loc->line = v->line;
	if (o->validate != NULL)
		o->validate(o, v, ld->d);
	if (ld->d->nerrors == nerrors)
		config_store[o->type](ld, o, v);
}

/*
 * The loader's callback (struct config_loader), every front-end's one way
 * back: a group of options is descended into (true); anything else is
 * set as one option.
 */
static bool
config_take(void *arg, const char *path, int key_flags,
    const struct config_value *v)
{
	if (v->kind == CONFIG_VALUE_GROUP && config_is_group(path))
		return true;
	config_set(arg, path, key_flags, v);
	return false;
}

/* The schema row of a struct config field. */
static const struct config_option *
config_row(size_t offset)
{
	const struct config_option *o;

	for (o = config_options; o < config_options + config_noptions; o++)
		if (o->offset == offset)
			return o;
	fatalx("config: no schema row at offset %zu", offset);
}

/*
 * The row of the option at a struct config offset, and where it was set:
 * its file:line, or the file's name and line 0 when it was not.
 */
static const struct config_option *
config_where(struct config_loading *ld, size_t offset, const char **file,
    int *line)
{
	const struct config_option *o = config_row(offset);

	*file = ld->loc[config_index(o)].file;
	*line = ld->loc[config_index(o)].line;
	if (*file == NULL)
		*file = ld->cfg->file;
	return o;
}

#define CONFIG_WHERE(ld, field, file, line) \
	config_where((ld), offsetof(struct config, field), (file), (line))

/* Required options and bootstrap.servers must be there. */
static void
config_check_required(struct config_loading *ld)
{
	const struct config_option *o;
	const struct config *cfg = ld->cfg;
	bool empty;

	for (o = config_options; o < config_options + config_noptions; o++) {
		if (!o->required || ld->loc[config_index(o)].file != NULL)
			continue;
		if (o->type == CONFIG_TYPE_LIST)
			empty = *config_count(cfg, o) == 0;
		else
			empty = *(char **)config_field(cfg, o) == NULL;
		if (empty)
			diag_error(ld->d, cfg->file, 0, "%s is not set but "
			    "required; see kconsumerd.conf(5)", o->name);
	}
	if ((ld->flags & CONFIG_LOAD_NO_BOOTSTRAP) == 0 &&
	    config_kafka_get(cfg, "bootstrap.servers") == NULL &&
	    config_kafka_get(cfg, "metadata.broker.list") == NULL)
		diag_error(ld->d, cfg->file, 0, "kafka property "
		    "bootstrap.servers is required: the brokers to start from, "
		    "as host:port[,host:port...]");
}

/* The group timings must fit each other and the brokers' bounds. */
static void
config_check_timing(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *hb, *st, *mp;
	const char *hbf, *stf, *mpf;
	int hbl, stl, mpl;

	hb = CONFIG_WHERE(ld, heartbeat_interval_ms, &hbf, &hbl);
	st = CONFIG_WHERE(ld, session_timeout_ms, &stf, &stl);
	mp = CONFIG_WHERE(ld, max_poll_interval_ms, &mpf, &mpl);
	if (cfg->heartbeat_interval_ms * 3 > cfg->session_timeout_ms)
		diag_warn(ld->d, hbf, hbl, "%s (%lld) is above a third of %s "
		    "(%lld): a member may be removed after a few lost "
		    "heartbeats; lower it", hb->name,
		    (long long)cfg->heartbeat_interval_ms, st->name,
		    (long long)cfg->session_timeout_ms);
	if (cfg->max_poll_interval_ms < cfg->session_timeout_ms)
		diag_error(ld->d, mpf, mpl, "%s (%lld) is below %s (%lld): "
		    "raise it to at least that", mp->name,
		    (long long)cfg->max_poll_interval_ms, st->name,
		    (long long)cfg->session_timeout_ms);
	if (cfg->session_timeout_ms < CONFIG_BROKER_MIN_SESSION_MS)
		diag_warn(ld->d, stf, stl, "%s (%lld) is below %d, the "
		    "brokers' default group.min.session.timeout.ms: members "
		    "cannot join unless the brokers allow it", st->name,
		    (long long)cfg->session_timeout_ms,
		    CONFIG_BROKER_MIN_SESSION_MS);
	if (cfg->session_timeout_ms > CONFIG_BROKER_MAX_SESSION_MS)
		diag_warn(ld->d, stf, stl, "%s (%lld) is above %d, the "
		    "brokers' default group.max.session.timeout.ms: members "
		    "cannot join unless the brokers allow it", st->name,
		    (long long)cfg->session_timeout_ms,
		    CONFIG_BROKER_MAX_SESSION_MS);
}

/* Whether a librdkafka version can run group.protocol consumer. */
bool
config_consumer_protocol_supported(int version)
{
	return version >= CONFIG_CONSUMER_PROTOCOL_MIN_VERSION;
}

/*
 * group.protocol consumer: a librdkafka that has it generally available
 * (asked at run time: the library may be newer or older than the
 * headers), and none of the classic-only options, which are the
 * broker's there. group.remote_assignor only goes with consumer.
 */
static void
config_check_group_protocol(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *o, *gp, *ra;
	const char *file;
	int line;

	gp = CONFIG_WHERE(ld, group_protocol, &file, &line);
	if (cfg->group_protocol != CONFIG_GROUP_PROTOCOL_CONSUMER) {
		ra = CONFIG_WHERE(ld, remote_assignor, &file, &line);
		if (cfg->remote_assignor != NULL &&
		    *cfg->remote_assignor != '\0')
			diag_error(ld->d, file, line, "%s is set but %s is "
			    "%s: the broker-side assignor belongs to the "
			    "consumer protocol (the classic one assigns with "
			    "group.assignor); set %s: consumer or remove it",
			    ra->name, gp->name,
			    gp->words[cfg->group_protocol], gp->name);
		return;
	}
	if (!config_consumer_protocol_supported(rd_kafka_version()))
		diag_error(ld->d, file, line, "%s consumer needs librdkafka "
		    "%s or later, where Kafka's consumer group protocol "
		    "(KIP-848) is generally available; this kconsumerd runs "
		    "with librdkafka %s: use %s: classic", gp->name,
		    CONFIG_CONSUMER_PROTOCOL_MIN_NAME, rd_kafka_version_str(),
		    gp->name);
	for (o = config_options; o < config_options + config_noptions; o++) {
		if (o->broker_side == NULL ||
		    ld->loc[config_index(o)].file == NULL)
			continue;
		diag_error(ld->d, ld->loc[config_index(o)].file,
		    ld->loc[config_index(o)].line, "%s cannot be set under "
		    "%s consumer: %s; remove it", o->name, gp->name,
		    o->broker_side);
	}
}

/*
 * A record's retries happen between two polls: their waits together
 * (sink.retry_backoff_ms doubled up to 60 s by clock_backoff_ms, as
 * sink.c waits) must stay below group.max_poll_interval_ms, or the member
 * is evicted while it retries.
 */
static void
config_check_retry_time(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *rm, *mp;
	int64_t i, delay = cfg->sink.retry_backoff_ms, total = 0;
	const char *file;
	int line;

	if (cfg->sink.on_error == CONFIG_SINK_ON_ERROR_STOP)
		return;
	for (i = 0; i < cfg->sink.retry_max && total < INT64_MAX / 4; i++) {
		total += delay;
		delay = clock_backoff_ms(delay,
		    CONFIG_SINK_RETRY_BACKOFF_MAX_MS);
	}
	rm = CONFIG_WHERE(ld, sink.retry_max, &file, &line);
	mp = config_row(offsetof(struct config, max_poll_interval_ms));
	if (total >= cfg->max_poll_interval_ms)
		diag_error(ld->d, file, line, "%s retries wait %lld ms in all, "
		    "not below %s (%lld): the member would leave the group "
		    "while it retries one record; fewer retries or a shorter "
		    "sink.retry_backoff_ms", rm->name, (long long)total,
		    mp->name, (long long)cfg->max_poll_interval_ms);
}

/*
 * sink.on_error other than stop needs a sink that rejects single records
 * (exec under sink.per_record); dead_letter needs one destination, which
 * is not a topic the members read; the destinations belong to it.
 */
static void
config_check_on_error(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *oe, *pr, *dt, *dp, *type;
	const char *file, *pfile;
	int line, pline;
	size_t i;

	oe = CONFIG_WHERE(ld, sink.on_error, &file, &line);
	pr = CONFIG_WHERE(ld, sink.per_record, &pfile, &pline);
	type = config_row(offsetof(struct config, sink.type));
	dt = config_row(offsetof(struct config, sink.dead_letter_topic));
	dp = config_row(offsetof(struct config, sink.dead_letter_path));
	if (cfg->sink.per_record && cfg->sink.type != CONFIG_SINK_EXEC)
		diag_error(ld->d, pfile, pline, "%s is true but %s is %s: only "
		    "the exec sink runs a command per record; set %s: exec or "
		    "remove it", pr->name, type->name,
		    type->words[cfg->sink.type], type->name);
	if (cfg->sink.on_error != CONFIG_SINK_ON_ERROR_STOP &&
	    (cfg->sink.type != CONFIG_SINK_EXEC || !cfg->sink.per_record))
		diag_error(ld->d, file, line, "%s is %s but no sink rejects a "
		    "single record: only an exec sink with %s: true does (its "
		    "exit status is the record's verdict; other sinks retry "
		    "write errors until they succeed)", oe->name,
		    oe->words[cfg->sink.on_error], pr->name);
	config_check_retry_time(ld);
	if (cfg->sink.on_error != CONFIG_SINK_ON_ERROR_DEAD_LETTER) {
		if (cfg->sink.dead_letter_topic != NULL ||
		    cfg->sink.dead_letter_path != NULL)
			diag_error(ld->d, file, line, "%s is set but %s is "
			    "%s: nothing is dead-lettered; set %s: "
			    "dead_letter or remove it",
			    cfg->sink.dead_letter_topic != NULL ? dt->name :
			    dp->name, oe->name,
			    oe->words[cfg->sink.on_error], oe->name);
		return;
	}
	if ((cfg->sink.dead_letter_topic == NULL) ==
	    (cfg->sink.dead_letter_path == NULL))
		diag_error(ld->d, file, line, "%s is dead_letter but %s: set "
		    "one of %s (a Kafka topic) and %s (a file)", oe->name,
		    cfg->sink.dead_letter_topic == NULL ? "it has no "
		    "destination" : "both destinations are set", dt->name,
		    dp->name);
	if (cfg->sink.dead_letter_topic != NULL)
		dt = CONFIG_WHERE(ld, sink.dead_letter_topic, &file, &line);
	for (i = 0; cfg->sink.dead_letter_topic != NULL && i < cfg->ntopics;
	    i++)
		if (strcmp(cfg->topics[i], cfg->sink.dead_letter_topic) == 0)
			diag_error(ld->d, file, line, "%s '%s' is also in "
			    "topics: dead letters would be read again and "
			    "again; use a topic of their own", dt->name,
			    cfg->sink.dead_letter_topic);
}

/* Each sink type must have what it writes to. */
static void
config_check_sink(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *type, *path, *command;
	const char *file;
	int line;

	type = CONFIG_WHERE(ld, sink.type, &file, &line);
	path = config_row(offsetof(struct config, sink.path));
	command = config_row(offsetof(struct config, sink.command));
	if (cfg->sink.type == CONFIG_SINK_FILE && cfg->sink.path == NULL)
		diag_error(ld->d, file, line, "%s is %s but %s is not set: "
		    "set it to the file to append to", type->name,
		    type->words[cfg->sink.type], path->name);
	if (cfg->sink.type == CONFIG_SINK_EXEC && cfg->sink.command == NULL)
		diag_error(ld->d, file, line, "%s is %s but %s is not set: "
		    "set it to the command to run", type->name,
		    type->words[cfg->sink.type], command->name);
	config_check_on_error(ld);
}

/* The sink file and the log file can be written here. */
static void
config_check_files(struct config_loading *ld)
{
	const struct config *cfg = ld->cfg;
	const struct config_option *o;
	const char *file;
	int line;

	if (cfg->sink.type == CONFIG_SINK_FILE && cfg->sink.path != NULL) {
		o = CONFIG_WHERE(ld, sink.path, &file, &line);
		config_check_writable(o->name, cfg->sink.path, file, line,
		    ld->d);
	}
	if (cfg->sink.on_error == CONFIG_SINK_ON_ERROR_DEAD_LETTER &&
	    cfg->sink.dead_letter_path != NULL) {
		o = CONFIG_WHERE(ld, sink.dead_letter_path, &file, &line);
		config_check_writable(o->name, cfg->sink.dead_letter_path,
		    file, line, ld->d);
	}
	if (cfg->log.file != NULL) {
		o = CONFIG_WHERE(ld, log.file, &file, &line);
		config_check_writable(o->name, cfg->log.file, file, line,
		    ld->d);
	}
}

/* Check one resolved instance id against Kafka's rules. */
static bool
config_check_instance_id(struct config_loading *ld, const char *id,
    const struct config_option *o, const char *file, int line)
{
	if (config_kafka_name_valid(id))
		return true;
	diag_error(ld->d, file, line, "%s resolves to '%s', which Kafka "
	    "refuses: 1 to %d of letters, digits, '.', '_' and '-'",
	    o->name, id, CONFIG_KAFKA_NAME_MAX);
	return false;
}

/*
 * Warn when the resolved instance id carries a Deployment's generated pod
 * name (from %h or ${VAR}, not written in the template): every new pod is
 * then a new static member, and the old one's partitions wait for it for
 * the whole session timeout.
 */
static void
config_warn_generated_id(struct config_loading *ld,
    const struct config_option *o, const char *file, int line)
{
	const struct config *cfg = ld->cfg;
	char part[64], unused[64];

	if (!template_generated_suffix(cfg->instance_ids[0], part, sizeof part) ||
	    template_generated_suffix(cfg->instance_id, unused, sizeof unused))
		return;
	diag_warn(ld->d, file, line, "%s resolves to '%s', whose '%s' looks "
	    "like a Kubernetes Deployment's generated pod name: each new pod "
	    "joins as a new static member while the old one's partitions "
	    "wait for it for the session timeout; run it as a "
	    "StatefulSet (stable pod names) or without an instance id",
	    o->name, cfg->instance_ids[0], part);
}

/* Resolve the instance id template once per consumer. */
static void
config_resolve_instance_ids(struct config_loading *ld)
{
	struct config *cfg = ld->cfg;
	const struct config_option *o;
	const char *file;
	char host[256], *err;
	int line;
	int64_t i;

	if (cfg->instance_id == NULL)
		return;
	o = CONFIG_WHERE(ld, instance_id, &file, &line);
	if (cfg->consumers > 1 && !template_has_index(cfg->instance_id)) {
		diag_error(ld->d, file, line, "%s has no %%i but consumers is "
		    "%lld: the members would share one id and fence each "
		    "other; add %%i", o->name, (long long)cfg->consumers);
		return;
	}
	template_short_hostname(host, sizeof host);
	cfg->instance_ids = xcalloc(cfg->consumers, sizeof *cfg->instance_ids);
	for (i = 0; i < cfg->consumers; i++) {
		cfg->instance_ids[i] = template_expand(cfg->instance_id, host,
		    i, &err);
		if (cfg->instance_ids[i] == NULL) {
			diag_error(ld->d, file, line, "%s: %s", o->name, err);
			free(err);
			return;
		}
		if (!config_check_instance_id(ld, cfg->instance_ids[i], o,
		    file, line))
			return;
	}
	config_warn_generated_id(ld, o, file, line);
}

/* The front-end for a file: YAML when its name says so, else libconfig. */
static const struct config_syntax *
config_syntax_of(const char *path)
{
	size_t len = strlen(path);

	if ((len >= 5 && strcmp(path + len - 5, ".yaml") == 0) ||
	    (len >= 4 && strcmp(path + len - 4, ".yml") == 0))
		return &config_yaml_syntax;
	return &config_libconfig_syntax;
}

/* Whether path names a directory. */
static bool
config_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Load, check and template a configuration file, or YAML text when text
   is not NULL (path then names it); NULL when invalid. */
static struct config *
config_load_from(const char *path, const char *text, int flags,
    struct diag *d)
{
	struct config_loading *ld;
	struct config_loader loader = { .value = config_take };
	struct config *cfg;
	int nerrors = d->nerrors;
	bool parsed;
	size_t i;

	ld = xcalloc(1, sizeof *ld + config_noptions * sizeof ld->loc[0]);
	loader.arg = ld;
	ld->cfg = cfg = xcalloc(1, sizeof *cfg);
	ld->d = d;
	ld->flags = flags;
	ld->scratch = rd_kafka_conf_new();
	cfg->file = xstrdup(path);
	config_defaults(cfg);
	if (text != NULL)
		parsed = config_yaml_syntax.parse_text(&loader, path, text, d);
	else if (access(path, R_OK) != 0) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		parsed = false;
	} else if (config_is_dir(path)) {
		diag_error(d, path, 0, "is a directory, not a configuration "
		    "file");
		parsed = false;
	} else
		parsed = config_syntax_of(path)->parse(&loader, path, d);
	if (parsed) {
		config_check_required(ld);
		config_check_kafka_values(cfg, d);
		config_check_group_protocol(ld);
		if (cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CLASSIC)
			config_check_timing(ld);
		config_check_sink(ld);
		if (flags & CONFIG_LOAD_WRITABLE)
			config_check_files(ld);
		config_resolve_instance_ids(ld);
	}
	for (i = 0; i < config_noptions; i++)
		free(ld->loc[i].file);
	rd_kafka_conf_destroy(ld->scratch);
	free(ld);
	if (d->nerrors != nerrors) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* Load, check and template a configuration file; NULL when invalid. */
struct config *
config_load(const char *path, int flags, struct diag *d)
{
	return config_load_from(path, NULL, flags, d);
}

/* Load, check and template a YAML configuration held in memory (name
   stands for its file in messages); NULL when invalid. */
struct config *
config_load_yaml_text(const char *name, const char *text, int flags,
    struct diag *d)
{
	return config_load_from(name, text, flags, d);
}
