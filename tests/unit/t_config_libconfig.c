/*
 * t_config_libconfig.c: what only libconfig files have: @include, and
 * the librdkafka configuration built from such a file. What both syntaxes
 * share (nested groups, both list syntaxes, kafka names with "_" read as
 * ".", conversions, defaults, templates, the shipped example) is one
 * table over both in t_config_syntax.c.
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

int
main(void)
{
	fixture_init();
	test_include_and_kafka_conf();
	fixture_cleanup();
	return tap_done();
}
