/*
 * t_config_print.c: --print-config prints every option once, sorted,
 * after defaults and templating; a libconfig file and a YAML file that
 * mean the same print byte-identical output; secrets are masked.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "buf.h"
#include "config_fixture.h"
#include "config_kafka.h"
#include "config_schema.h"
#include "../tap.h"

/* Load a file and print it; NULL when it does not load. */
static char *
load_print(const char *path)
{
	struct config *cfg;
	char *diags, *out;

	cfg = fixture_load_path(path, 0, &diags, NULL);
	if (cfg == NULL) {
		printf("# %s did not load:\n%s", path, diags);
		free(diags);
		return NULL;
	}
	out = fixture_print(cfg);
	config_free(cfg);
	free(diags);
	return out;
}

/* True when both strings exist and are equal; else show both. */
static bool
same(const char *a, const char *b)
{
	if (a != NULL && b != NULL && strcmp(a, b) == 0)
		return true;
	printf("# first:\n%s# second:\n%s", a ? a : "(none)\n",
	    b ? b : "(none)\n");
	return false;
}

/* True when the output's lines are in strictly ascending order. */
static bool
lines_sorted(const char *out)
{
	const char *prev = out, *line, *nl;

	if ((nl = strchr(out, '\n')) == NULL)
		return false;
	for (line = nl + 1; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (strncmp(prev, line, nl - line) >= 0)
			return false;
		prev = line;
	}
	return true;
}

/* How many lines of out start with "name = ". */
static int
count_option(const char *out, const char *name)
{
	char *want;
	const char *p;
	int n = 0;

	xasprintf(&want, "%s = ", name);
	for (p = out; (p = strstr(p, want)) != NULL; p++)
		if (p == out || p[-1] == '\n')
			n++;
	free(want);
	return n;
}

/* The line an option's default prints as, from the schema (to free). */
static char *
default_line(const struct config_option *o)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "\n%s = ", o->name);
	if (o->type == CONFIG_TYPE_INT)
		buf_printf(&b, "%lld", (long long)o->default_num);
	else if (o->type == CONFIG_TYPE_WORD)
		buf_json_cstr(&b, o->words[o->default_num]);
	else
		buf_json_cstr(&b, o->default_str);
	buf_addc(&b, '\n');
	return buf_steal(&b);
}

/* The shipped examples print the same. */
static void
test_examples(void)
{
	char *conf = fixture_srcdir_path("conf/kconsumerd.conf");
	char *yaml = fixture_srcdir_path("conf/kconsumerd.yaml");
	char *a = load_print(conf), *b = load_print(yaml);

	ok(same(a, b), "conf/kconsumerd.conf and conf/kconsumerd.yaml print "
	    "byte-identical output");
	ok(a != NULL && lines_sorted(a), "the output is sorted by name");
	free(a);
	free(b);
	free(conf);
	free(yaml);
}

/* A richer pair: conversions, secrets, instance ids, escaping. */
static void
test_pair(void)
{
	const char *conf, *yaml;
	char *a, *b;
	size_t i;
	bool once = true;

	conf = fixture_write("pair.conf",
	    "kafka = { bootstrap_servers = \"b:1\"; sasl_password = \"hunter2\";\n"
	    "  sasl_oauthbearer_config = \"k=v\"; fetch_wait_max_ms = 7;\n"
	    "  enable_partition_eof = true; };\n"
	    "group = { id = \"g\"; instance_id = \"%h-%i\";\n"
	    "  assignor = \"range\"; };\n"
	    "consumers = 2;\ntopics = [ \"a\", \"^b\" ];\n"
	    "sink = { type = \"file\"; path = \"/o\"; format = \"text\";\n"
	    "  template = \"%t \\\"%s\\\"\"; };\n");
	yaml = fixture_write("pair.yaml",
	    "sink:\n  template: '%t \"%s\"'\n  format: text\n  path: /o\n"
	    "  type: file\n"
	    "topics: [a, ^b]\nconsumers: 2\n"
	    "group: {assignor: range, instance_id: \"%h-%i\", id: g}\n"
	    "kafka:\n  enable.partition.eof: true\n  fetch.wait.max.ms: 7\n"
	    "  sasl.oauthbearer.config: k=v\n  sasl.password: hunter2\n"
	    "  bootstrap.servers: b:1\n");
	a = load_print(conf);
	b = load_print(yaml);
	ok(same(a, b), "the same settings in either syntax and any order "
	    "print byte-identical output");
	if (a == NULL)
		return;
	ok(lines_sorted(a), "the output is sorted by name");
	ok(strstr(a, "hunter2") == NULL && strstr(a, "k=v") == NULL,
	    "no secret value is printed");
	like(a, "\nkafka.sasl.password = \"***\"\n", "a password prints as "
	    "\"***\"");
	like(a, "\nkafka.sasl.oauthbearer.config = \"***\"\n",
	    "sasl.oauthbearer.config prints as \"***\"");
	like(a, "\nkafka.fetch.wait.max.ms = \"7\"\n", "an integer kafka property "
	    "prints as a string");
	like(a, "\nkafka.enable.partition.eof = \"true\"\n", "a boolean "
	    "kafka property prints as \"true\"");
	like(a, "\ntopics = [\"a\", \"^b\"]\n", "a list prints as a JSON "
	    "array");
	like(a, "\nsink.template = \"%t \\\"%s\\\"\"\n", "strings are JSON "
	    "quoted");
	like(a, "\ngroup.assignor = \"range\"\n", "a word prints quoted");
	like(a, "\nkafka.client.id = [\"kconsumerd-" FIXTURE_SHORT_HOST "-0\", "
	    "\"kconsumerd-" FIXTURE_SHORT_HOST "-1\"]\n", "with two consumers, "
	    "client.id prints each one's (host " FIXTURE_HOST ")");
	like(a, "\ngroup.instance_id.resolved = [\"" FIXTURE_SHORT_HOST "-0\", "
	    "\"" FIXTURE_SHORT_HOST "-1\"]\n", "the resolved instance ids "
	    "follow the template %%h-%%i");
	for (i = 0; i < config_noptions; i++)
		if (config_options[i].type != CONFIG_TYPE_KAFKA &&
		    count_option(a, config_options[i].name) != 1)
			once = false;
	ok(once, "every schema option prints exactly once");
	free(a);
	free(b);
}

/* The librdkafka properties kconsumerd sets by itself print with their
   effective values (out: a minimal file's output). */
static void
test_kafka_own(const char *out)
{
	char *want, *p;
	size_t i;
	bool all = true;

	for (i = 0; i < config_kafka_nown; i++) {
		p = config_kafka_own_value(&config_kafka_own[i], 0);
		xasprintf(&want, "\nkafka.%s = \"%s\"\n",
		    config_kafka_own[i].name, p);
		if (strstr(out, want) == NULL) {
			printf("# missing: %s", want + 1);
			all = false;
		}
		free(want);
		free(p);
	}
	ok(all, "every property kconsumerd sets by itself prints its value");
	like(out, "\nkafka.auto.offset.reset = \"earliest\"\n",
	    "auto.offset.reset prints its default, earliest");
	like(out, "\nkafka.statistics.interval.ms = \"5000\"\n",
	    "statistics.interval.ms prints its default, 5000, under systemd");
	like(out, "\nkafka.log.queue = \"true\"\n", "the forced log.queue "
	    "prints");
	like(out, "\nkafka.client.id = \"kconsumerd-" FIXTURE_SHORT_HOST
	    "-0\"\n", "client.id prints its default from the short host name");
}

/* A minimal file prints the schema's defaults. */
static void
test_defaults(void)
{
	char *printed, *out, *line;
	size_t i;
	bool all = true;

	/* nothing reads the statistics (no http.listen, no systemd): they
	   stay off */
	unsetenv("NOTIFY_SOCKET");
	printed = load_print(fixture_write("min.yaml", "kafka: "
	    "{bootstrap.servers: b:1}\ngroup: {id: g}\ntopics: [t]\n"));
	if (!ok(printed != NULL, "a minimal file loads"))
		return;
	like(printed, "\nkafka.statistics.interval.ms = \"0\"\n", "with nothing "
	    "to read them, statistics.interval.ms prints its effective 0 "
	    "(off)");
	free(printed);
	/* under systemd the STATUS line reads them */
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	printed = load_print(fixture_write("min.yaml", "kafka: "
	    "{bootstrap.servers: b:1}\ngroup: {id: g}\ntopics: [t]\n"));
	unsetenv("NOTIFY_SOCKET");
	if (!ok(printed != NULL, "a minimal file loads under systemd"))
		return;
	xasprintf(&out, "\n%s", printed);	/* every line follows a \n */
	free(printed);
	for (i = 0; i < config_noptions; i++) {
		if (config_options[i].type == CONFIG_TYPE_KAFKA ||
		    config_options[i].type == CONFIG_TYPE_LIST ||
		    config_options[i].required)
			continue;
		line = default_line(&config_options[i]);
		if (strstr(out, line) == NULL) {
			printf("# missing: %s", line + 1);
			all = false;
		}
		free(line);
	}
	ok(all, "every optional option prints its schema default");
	like(out, "\ngroup.instance_id = null\n", "an unset optional string "
	    "prints as null");
	ok(strstr(out, ".resolved") == NULL, "no resolved ids are printed "
	    "without an instance id");
	test_kafka_own(out);
	free(out);
}

/* A default kconsumerd sets yields to the kafka group's value. */
static void
test_kafka_user_wins(void)
{
	char *printed;

	printed = load_print(fixture_write("wins.yaml", "kafka: "
	    "{bootstrap.servers: b:1, auto.offset.reset: latest, "
	    "statistics.interval.ms: 0}\ngroup: {id: g}\ntopics: [t]\n"));
	if (!ok(printed != NULL, "a file setting two defaults loads"))
		return;
	like(printed, "\nkafka.auto.offset.reset = \"latest\"\n",
	    "the file's auto.offset.reset wins over the default");
	ok(strstr(printed, "\"earliest\"") == NULL, "and the default is not "
	    "printed as well");
	like(printed, "\nkafka.statistics.interval.ms = \"0\"\n",
	    "the file's statistics.interval.ms wins");
	free(printed);
}

int
main(void)
{
	fixture_init();
	test_examples();
	test_pair();
	test_defaults();
	test_kafka_user_wins();
	fixture_cleanup();
	return tap_done();
}
