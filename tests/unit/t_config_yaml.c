/*
 * t_config_yaml.c: what only YAML files have: plain scalars resolved as
 * integers, booleans and null, quoted scalars kept as strings, document
 * markers, block lists, dotted top-level keys, the empty document. What
 * both syntaxes share (nested and flow maps, lists, kafka properties,
 * defaults, templates, the shipped example) is one table over both in
 * t_config_syntax.c.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "config_schema.h"
#include "../tap.h"

/* Scalars: plain ones resolved as integers, booleans and null, quoted
   ones kept as strings. */
static void
test_scalars(void)
{
	struct config *cfg;
	char *diags;

	cfg = fixture_load("scalars.yaml",
	    "kafka: {bootstrap.servers: \"b1:9092\", log_level: 6,\n"
	    "  enable.partition.eof: true, client.id: '42',\n"
	    "  fetch.wait.max.ms: \"100\"}\n"
	    "group: {id: g1, session_timeout_ms: 30000}\n"
	    "topics: [a]\n"
	    "log: {level: debug, file: ~}\n"
	    "experiment: {processing_delay_us: 0x10}\n", &diags);
	ok(cfg != NULL, "a file with plain and quoted scalars loads (%s)",
	    diags);
	if (cfg == NULL) {
		free(diags);
		return;
	}
	is_str(config_kafka_get(cfg, "log_level"), "6", "a plain integer is "
	    "passed to librdkafka as digits");
	is_str(config_kafka_get(cfg, "enable.partition.eof"), "true",
	    "a plain true is a boolean passed as \"true\"");
	is_str(config_kafka_get(cfg, "client.id"), "42", "a quoted '42' is "
	    "the string 42");
	is_str(config_kafka_get(cfg, "fetch.wait.max.ms"), "100", "a quoted "
	    "\"100\" is passed to librdkafka as is");
	is_int(cfg->session_timeout_ms, 30000, "a plain 30000 is an integer");
	is_int(cfg->experiment.processing_delay_us, 16, "a plain hex integer "
	    "is read");
	ok(cfg->log.level == 3 && cfg->log.file == NULL, "a flow map is read; "
	    "~ leaves log.file unset");
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
	test_scalars();
	test_shapes();
	fixture_cleanup();
	return tap_done();
}
