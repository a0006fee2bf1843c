/*
 * t_config_schema.c: the option table is sane: sorted, unique, defaults
 * within bounds, words matching the enums, help text on every row.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_schema.h"
#include "log.h"
#include "../tap.h"

/* How many words a word row has. */
static int
nwords(const struct config_option *o)
{
	int n = 0;

	while (o->words[n] != NULL)
		n++;
	return n;
}

/* True when every row passes check; the first failure is printed. */
static bool
all_rows(bool (*check)(const struct config_option *))
{
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		if (!check(&config_options[i])) {
			printf("# fails for row %zu (%s)\n", i,
			    config_options[i].name);
			return false;
		}
	}
	return true;
}

static bool
has_help(const struct config_option *o)
{
	size_t len = strlen(o->text != NULL ? o->text : "");

	return len > 10 && o->text[len - 1] == '.';
}

static bool
int_default_in_bounds(const struct config_option *o)
{
	return o->type != CONFIG_TYPE_INT || (o->minimum <= o->default_num &&
	    o->default_num <= o->maximum && o->minimum < o->maximum);
}

static bool
word_default_valid(const struct config_option *o)
{
	int i, j, n;

	if (o->type != CONFIG_TYPE_WORD)
		return o->words == NULL;
	n = nwords(o);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(o->words[i], o->words[j]) == 0)
				return false;
	return n >= 2 && o->default_num >= 0 && o->default_num < n;
}

static bool
default_passes_validator(const struct config_option *o)
{
	struct config_value v = { .kind = CONFIG_VALUE_STRING,
	    .str = o->default_str, .file = "schema", .line = 1 };
	struct diag d;
	bool ok;

	if (o->default_str == NULL || o->validate == NULL)
		return true;
	diag_init(&d);
	o->validate(o, &v, &d);
	ok = d.nerrors == 0;
	diag_free(&d);
	return ok;
}

static bool
counted_types_have_count(const struct config_option *o)
{
	return (o->type != CONFIG_TYPE_LIST && o->type != CONFIG_TYPE_KAFKA) ||
	    o->count_offset != 0;
}

static bool
findable(const struct config_option *o)
{
	return config_option_find(o->name) == o;
}

/* True when no option's name is a group holding another option. */
static bool
no_option_is_a_group(void)
{
	size_t i, j, len;

	for (i = 0; i < config_noptions; i++) {
		len = strlen(config_options[i].name);
		for (j = 0; j < config_noptions; j++)
			if (strncmp(config_options[j].name,
			    config_options[i].name, len) == 0 &&
			    config_options[j].name[len] == '.')
				return false;
	}
	return true;
}

/* True when no two rows own the same librdkafka property. */
static bool
kafka_names_unique(void)
{
	size_t i, j;

	for (i = 0; i < config_noptions; i++)
		for (j = i + 1; j < config_noptions; j++)
			if (config_options[i].kafka_name != NULL &&
			    config_options[j].kafka_name != NULL &&
			    strcmp(config_options[i].kafka_name,
			    config_options[j].kafka_name) == 0)
				return false;
	return true;
}

/* True when a word option has exactly last + 1 words. */
static bool
words_match_enum(const char *name, int last)
{
	return config_word(name, last) != NULL &&
	    config_word(name, last + 1) == NULL;
}

/*
 * Every property librdkafka 2.0.2 flags sensitive (_RK_SENSITIVE in
 * rdkafka_conf.c), and the families the issue names, are masked; the
 * public parts of a configuration are not.
 */
static void
test_secret_list(void)
{
	static const char *const secret[] = {
		"ssl.key.password", "ssl.key.pem", "ssl_key",
		"ssl.keystore.password", "sasl.password",
		"sasl.oauthbearer.config", "sasl.oauthbearer.client.secret",
		"ssl.key.location", "ssl.keystore.location", "ssl.ca.pem",
		"ssl.certificate.pem", "sasl.oauthbearer.client.id",
		"sasl.oauthbearer.token.endpoint.url", "SSL.KEY.PEM",
	};
	static const char *const open_[] = {
		"bootstrap.servers", "client.id", "group.id", "sasl.username",
		"sasl.mechanisms", "security.protocol", "ssl.ca.location",
		"ssl.certificate.location", "statistics.interval.ms",
		"enable.ssl.certificate.verification", "debug",
	};
	size_t i;

	for (i = 0; i < sizeof secret / sizeof *secret; i++)
		ok(config_is_secret(secret[i]), "%s is a secret", secret[i]);
	for (i = 0; i < sizeof open_ / sizeof *open_; i++)
		ok(!config_is_secret(open_[i]), "%s is not a secret", open_[i]);
}

int
main(void)
{
	size_t i;
	bool sorted = true;
	int level;

	for (i = 1; i < config_noptions; i++)
		if (strcmp(config_options[i - 1].name,
		    config_options[i].name) >= 0)
			sorted = false;
	ok(sorted, "option names are sorted and unique");
	ok(config_noptions >= 21, "the table has every option of the issue "
	    "(%zu rows)", config_noptions);
	ok(all_rows(has_help), "every row has a one-sentence help text");
	ok(all_rows(int_default_in_bounds), "every integer default lies "
	    "within its bounds");
	ok(all_rows(word_default_valid), "every word option has distinct "
	    "words and a default among them");
	ok(all_rows(default_passes_validator), "every string default passes "
	    "its own validator");
	ok(all_rows(counted_types_have_count), "list and kafka rows say where "
	    "their count lives");
	ok(all_rows(findable), "config_option_find finds every row");
	ok(config_option_find("group") == NULL &&
	    config_option_find("group.idd") == NULL,
	    "config_option_find finds no group and no unknown name");
	ok(no_option_is_a_group(), "no option name is also a group of "
	    "options");
	ok(kafka_names_unique(), "no two options own the same librdkafka "
	    "property");

	for (level = LOG_LEVEL_ERROR; level <= LOG_LEVEL_DEBUG; level++)
		is_str(config_word("log.level", level), log_level_name(level),
		    "log.level word %d is log.h's level name", level);
	ok(words_match_enum("group.assignor", CONFIG_ASSIGNOR_ROUNDROBIN),
	    "group.assignor words match enum config_assignor");
	ok(words_match_enum("sink.type", CONFIG_SINK_NONE),
	    "sink.type words match enum config_sink_type");
	ok(words_match_enum("sink.format", CONFIG_SINK_FORMAT_TEXT),
	    "sink.format words match enum config_sink_format");
	ok(words_match_enum("sink.fsync", CONFIG_SINK_FSYNC_NEVER),
	    "sink.fsync words match enum config_sink_fsync");
	ok(words_match_enum("sink.on_error", CONFIG_SINK_ON_ERROR_DEAD_LETTER),
	    "sink.on_error words match enum config_sink_on_error");
	ok(words_match_enum("shutdown.leave_group",
	    CONFIG_LEAVE_GROUP_NEVER),
	    "shutdown.leave_group words match enum config_leave_group");
	ok(words_match_enum("log.format", LOG_FORMAT_JSON),
	    "log.format words match enum log_format");
	ok(config_word("group.id", 0) == NULL &&
	    config_word("log.level", -1) == NULL,
	    "config_word answers NULL for non-word options and bad indexes");

	ok(config_is_secret("sasl.password") &&
	    config_is_secret("ssl.key.password") &&
	    config_is_secret("sasl.oauthbearer.client.secret") &&
	    config_is_secret("sasl.oauthbearer.config"),
	    "passwords, secrets and sasl.oauthbearer.config are secrets");
	ok(!config_is_secret("sasl.username") &&
	    !config_is_secret("bootstrap.servers"),
	    "user names and brokers are not secrets");
	test_secret_list();
	ok(config_is_group("") && config_is_group("group") &&
	    config_is_group("kafka") && config_is_group("sink"),
	    "the top level, group, kafka and sink are groups");
	ok(!config_is_group("group.id") && !config_is_group("kafka.client") &&
	    !config_is_group("grou"),
	    "options, kafka properties and name prefixes are not groups");
	ok(config_kafka_name_valid("orders.v1_x-2") &&
	    !config_kafka_name_valid("") && !config_kafka_name_valid("a b"),
	    "Kafka names allow letters, digits, '.', '_', '-' only");
	return tap_done();
}
