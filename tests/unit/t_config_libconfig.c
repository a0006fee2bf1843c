/*
 * t_config_libconfig.c: libconfig files load into the values they say:
 * nested groups, both list syntaxes, kafka names with "_" read as ".",
 * scalars converted for librdkafka, defaults, @include, templating, and
 * the librdkafka configuration built from it all.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "config_schema.h"
#include "../tap.h"

/* librdkafka's value of name in conf (leaked: a test). */
static const char *
conf_get(rd_kafka_conf_t *conf, const char *name)
{
	static char buf[8][256];
	static int n;
	size_t len = sizeof buf[0];
	char *out = buf[n++ % 8];

	if (rd_kafka_conf_get(conf, name, out, &len) != RD_KAFKA_CONF_OK)
		return NULL;
	return out;
}

/* The shipped example loads with the values it spells out. */
static void
test_example(void)
{
	char *path = fixture_srcdir_path("conf/kconsumerd.conf");
	char host[256], want[300], *diags;
	struct config *cfg;

	cfg = fixture_load_path(path, 0, &diags, NULL);
	ok(cfg != NULL, "conf/kconsumerd.conf loads");
	is_str(diags, "", "conf/kconsumerd.conf has no diagnostics");
	if (cfg == NULL)
		return;
	fixture_short_hostname(host, sizeof host);
	snprintf(want, sizeof want, "%s-0", host);
	is_str(cfg->group_id, "kconsumerd-example", "example: group.id");
	is_str(config_kafka_get(cfg, "bootstrap.servers"), "localhost:9092",
	    "example: bootstrap_servers is stored as bootstrap.servers");
	ok(cfg->ntopics == 1 && strcmp(cfg->topics[0], "orders") == 0,
	    "example: topics is [\"orders\"]");
	is_str(cfg->instance_ids[0], want, "example: %%h-%%i resolves to "
	    "the short host name and index 0");
	config_free(cfg);
	free(diags);
	free(path);
}

/* Values, conversions and defaults of a small file. */
static void
test_values(void)
{
	struct config *cfg;
	char *diags;

	cfg = fixture_load("values.conf",
	    "kafka = { bootstrap_servers = \"b1:9092,b2:9092\";\n"
	    "  log_level = 6; enable_partition_eof = true;\n"
	    "  fetch_wait_max_ms = 100; };\n"
	    "group = { id = \"g1\"; assignor = \"range\";\n"
	    "  session_timeout_ms = 30000; };\n"
	    "topics = ( \"a\", \"^b.*\" );\n"
	    "sink = { type = \"file\"; path = \"/tmp/out\"; fsync = \"never\"; };\n"
	    "log = { level = \"debug\"; format = \"json\"; };\n"
	    "shutdown = { leave_group = \"always\"; timeout_ms = 2500; };\n"
	    "experiment = { processing_delay_us = 0x10; };\n", &diags);
	ok(cfg != NULL, "a file using every kind of value loads");
	is_str(diags, "", "it has no diagnostics");
	if (cfg == NULL)
		return;
	is_str(config_kafka_get(cfg, "log_level"), "6", "log_level, a name "
	    "librdkafka knows as written, is kept and 6 passed as \"6\"");
	is_str(config_kafka_get(cfg, "enable.partition.eof"), "true",
	    "a boolean is passed as \"true\"");
	is_str(config_kafka_get(cfg, "fetch.wait.max.ms"), "100", "every "
	    "'_' of a kafka name is read as '.'");
	is_int(cfg->assignor, CONFIG_ASSIGNOR_RANGE, "assignor range is "
	    "stored as its word index");
	is_int(cfg->session_timeout_ms, 30000, "session_timeout_ms is read");
	ok(cfg->ntopics == 2 && strcmp(cfg->topics[1], "^b.*") == 0,
	    "a ( ) list holds a name and a pattern");
	ok(cfg->sink.type == CONFIG_SINK_FILE &&
	    strcmp(cfg->sink.path, "/tmp/out") == 0 &&
	    cfg->sink.fsync == CONFIG_SINK_FSYNC_NEVER, "the sink group is "
	    "read");
	ok(cfg->log.level == 3 && cfg->log.format == 1, "log level debug and "
	    "format json are read");
	ok(cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_ALWAYS &&
	    cfg->shutdown.timeout_ms == 2500, "the shutdown group is read");
	is_int(cfg->experiment.processing_delay_us, 16, "a hex integer is "
	    "read");
	is_int(cfg->heartbeat_interval_ms,
	    config_option_find("group.heartbeat_interval_ms")->default_num,
	    "an option left out has the schema's default");
	ok(cfg->instance_id == NULL && cfg->instance_ids == NULL,
	    "without instance_id the members are dynamic");
	config_free(cfg);
	free(diags);
}

/* @include, templating and the librdkafka configuration. */
static void
test_include_and_kafka_conf(void)
{
	struct config *cfg;
	rd_kafka_conf_t *conf;
	char errstr[256], *diags;

	setenv("KC_T_RACK", "r7", 1);
	fixture_write("kafka.inc", "kafka = { bootstrap_servers = \"h:1\";"
	    " client_id = \"c\"; };\n");
	cfg = fixture_load("incl.conf", "@include \"kafka.inc\"\n"
	    "group = { id = \"g\"; instance_id = \"${KC_T_RACK}-%i\";\n"
	    "  assignor = \"roundrobin\"; heartbeat_interval_ms = 1000; };\n"
	    "topics = [ \"t\" ];\nconsumers = 3;\n", &diags);
	ok(cfg != NULL, "a file with @include loads (%s)", diags);
	if (cfg == NULL)
		return;
	is_str(config_kafka_get(cfg, "client.id"), "c", "an included file's "
	    "settings are read");
	ok(cfg->consumers == 3 && strcmp(cfg->instance_ids[2], "r7-2") == 0,
	    "instance ids are resolved for every consumer");
	conf = config_kafka_conf(cfg, 1, errstr, sizeof errstr);
	ok(conf != NULL, "config_kafka_conf builds consumer 1's "
	    "configuration (%s)", conf != NULL ? "ok" : errstr);
	if (conf != NULL) {
		is_str(conf_get(conf, "group.instance.id"), "r7-1",
		    "consumer 1 gets its own group.instance.id");
		is_str(conf_get(conf, "group.id"), "g", "group.id is set");
		is_str(conf_get(conf, "partition.assignment.strategy"),
		    "roundrobin", "the assignor is the strategy");
		is_str(conf_get(conf, "heartbeat.interval.ms"), "1000",
		    "heartbeat.interval.ms comes from the group option");
		is_str(conf_get(conf, "session.timeout.ms"), "45000",
		    "session.timeout.ms is the default");
		is_str(conf_get(conf, "client.id"), "c", "kafka properties are "
		    "passed through");
		rd_kafka_conf_destroy(conf);
	}
	config_kafka_set(cfg, "client.id", "d");
	config_kafka_set(cfg, "bootstrap.servers", "mock:1");
	ok(strcmp(config_kafka_get(cfg, "client.id"), "d") == 0 &&
	    cfg->nkafka == 2, "config_kafka_set replaces a property in place");
	config_free(cfg);
	free(diags);
}

/* The demo may leave bootstrap.servers out. */
static void
test_no_bootstrap(void)
{
	const char *path;
	struct config *cfg;
	char *diags;

	path = fixture_write("nob.conf", "group = { id = \"g\"; };\n"
	    "topics = [ \"t\" ];\n");
	cfg = fixture_load_path(path, CONFIG_LOAD_NO_BOOTSTRAP, &diags, NULL);
	ok(cfg != NULL, "CONFIG_LOAD_NO_BOOTSTRAP loads a file without "
	    "bootstrap_servers");
	config_free(cfg);
	free(diags);
	cfg = fixture_load_path(path, 0, &diags, NULL);
	ok(cfg == NULL, "without the flag the same file is invalid");
	config_free(cfg);
	free(diags);
}

int
main(void)
{
	fixture_init();
	test_example();
	test_values();
	test_include_and_kafka_conf();
	test_no_bootstrap();
	fixture_cleanup();
	return tap_done();
}
