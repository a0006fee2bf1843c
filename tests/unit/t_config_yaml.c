/*
 * t_config_yaml.c: YAML files load into the values they say: nested and
 * flow maps, block and flow lists, plain scalars resolved as integers,
 * booleans and null, quoted scalars kept as strings, kafka properties
 * under their dotted names.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "config_schema.h"
#include "../tap.h"

/* The shipped example loads with the values it spells out. */
static void
test_example(void)
{
	char *path = fixture_srcdir_path("conf/kconsumerd.yaml");
	char host[256], want[300], *diags;
	struct config *cfg;

	cfg = fixture_load_path(path, 0, &diags, NULL);
	ok(cfg != NULL, "conf/kconsumerd.yaml loads");
	is_str(diags, "", "conf/kconsumerd.yaml has no diagnostics");
	if (cfg == NULL)
		return;
	fixture_short_hostname(host, sizeof host);
	snprintf(want, sizeof want, "%s-0", host);
	is_str(cfg->group_id, "kconsumerd-example", "example: group.id");
	is_str(config_kafka_get(cfg, "bootstrap.servers"), "localhost:9092",
	    "example: bootstrap.servers");
	ok(cfg->ntopics == 1 && strcmp(cfg->topics[0], "orders") == 0,
	    "example: topics is [orders]");
	is_str(cfg->instance_ids[0], want, "example: %%h-%%i resolves");
	config_free(cfg);
	free(diags);
	free(path);
}

/* Values, scalar resolution and defaults. */
static void
test_values(void)
{
	struct config *cfg;
	char *diags;

	cfg = fixture_load("values.yaml",
	    "kafka: {bootstrap.servers: \"b1:9092\", log_level: 6,\n"
	    "  enable.partition.eof: true, client.id: '42'}\n"
	    "group:\n  id: g1\n  assignor: range\n"
	    "  session_timeout_ms: 30000\n"
	    "topics: [a, \"^b.*\"]\n"
	    "sink:\n  type: file\n  path: /tmp/out\n  fsync: never\n"
	    "log: {level: debug, format: json, file: ~}\n"
	    "shutdown:\n  leave_group: always\n  timeout_ms: 2500\n"
	    "experiment:\n  processing_delay_us: 0x10\n", &diags);
	ok(cfg != NULL, "a file using every kind of value loads");
	is_str(diags, "", "it has no diagnostics");
	if (cfg == NULL)
		return;
	is_str(config_kafka_get(cfg, "log_level"), "6", "a plain integer is "
	    "passed to librdkafka as digits");
	is_str(config_kafka_get(cfg, "enable.partition.eof"), "true",
	    "a plain true is a boolean passed as \"true\"");
	is_str(config_kafka_get(cfg, "client.id"), "42", "a quoted '42' is "
	    "the string 42");
	is_int(cfg->assignor, CONFIG_ASSIGNOR_RANGE, "assignor range is "
	    "stored as its word index");
	is_int(cfg->session_timeout_ms, 30000, "a plain 30000 is an integer");
	ok(cfg->ntopics == 2 && strcmp(cfg->topics[1], "^b.*") == 0,
	    "a flow list holds a name and a pattern");
	ok(cfg->sink.type == CONFIG_SINK_FILE &&
	    strcmp(cfg->sink.path, "/tmp/out") == 0 &&
	    cfg->sink.fsync == CONFIG_SINK_FSYNC_NEVER, "the sink map is read");
	ok(cfg->log.level == 3 && cfg->log.format == 1 &&
	    cfg->log.file == NULL, "a flow map is read; ~ leaves log.file "
	    "unset");
	ok(cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_ALWAYS &&
	    cfg->shutdown.timeout_ms == 2500, "the shutdown map is read");
	is_int(cfg->experiment.processing_delay_us, 16, "a plain hex integer "
	    "is read");
	is_int(cfg->max_poll_interval_ms,
	    config_option_find("group.max_poll_interval_ms")->default_num,
	    "an option left out has the schema's default");
	config_free(cfg);
	free(diags);
}

/* Documents with comments, an explicit start and dotted top-level keys. */
static void
test_shapes(void)
{
	struct config *cfg;
	char *diags;

	cfg = fixture_load("shapes.yaml", "%YAML 1.1\n---\n# comment\n"
	    "kafka:\n  bootstrap.servers: h:1\n"
	    "group.id: g\n"
	    "topics:\n  - t1\n  - t2\n...\n", &diags);
	ok(cfg != NULL, "a document with a directive, --- and ... loads (%s)",
	    diags);
	ok(cfg != NULL && strcmp(cfg->group_id, "g") == 0,
	    "a dotted top-level key sets the nested option");
	ok(cfg != NULL && cfg->ntopics == 2, "a block list is read");
	config_free(cfg);
	free(diags);

	cfg = fixture_load("empty.yaml", "", &diags);
	ok(cfg == NULL, "an empty file is invalid");
	like(diags, "group.id is not set", "an empty file lacks group.id");
	free(diags);
}

int
main(void)
{
	fixture_init();
	test_example();
	test_values();
	test_shapes();
	fixture_cleanup();
	return tap_done();
}
