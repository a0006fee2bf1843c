/*
 * t_config_errors.c: every configuration error and warning, in both
 * syntaxes, is reported at the right file:line with a message that says
 * what is wrong. The expected line is the one marked "#<" in the fixture;
 * a case without a marker expects a diagnostic naming only the file.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "../tap.h"

#define C_KAFKA	"kafka = { bootstrap_servers = \"h:9092\"; };\n"
#define C_GROUP	"group = { id = \"g\"; };\n"
#define C_TOPIC	"topics = [ \"t\" ];\n"
#define Y_KAFKA	"kafka:\n  bootstrap.servers: h:9092\n"
#define Y_GROUP	"group:\n  id: g\n"
#define Y_TOPIC	"topics: [t]\n"

struct ecase {
	const char	*what;
	const char	*severity;	/* "error" or "warning" */
	const char	*needle;	/* part of the message */
	const char	*conf;		/* NULL: not in this syntax */
	const char	*yaml;
};

static const struct ecase cases[] = {
	{ "unknown key", "error", "unknown option 'grop' (did you mean "
	  "'group'?)",
	  C_KAFKA C_TOPIC "grop = { id = \"x\"; }; #<\n",
	  Y_KAFKA Y_TOPIC "grop: #<\n  id: x\n" },
	{ "misspelled nested key", "error", "did you mean "
	  "'group.session_timeout_ms'?",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n sesion_timeout_ms = 9000; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  sesion_timeout_ms: 9000 #<\n" },
	{ "string where an integer is expected", "error",
	  "group.session_timeout_ms wants an integer, not a string",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n session_timeout_ms = \"30000\"; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  session_timeout_ms: \"30000\" #<\n" },
	{ "integer where a string is expected", "error",
	  "group.id wants a string, not an integer",
	  C_KAFKA C_TOPIC "group = { id = 5; }; #<\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: 5 #<\n" },
	{ "boolean where an integer is expected", "error",
	  "consumers wants an integer, not a boolean",
	  C_KAFKA C_GROUP C_TOPIC "consumers = true; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "consumers: true #<\n" },
	{ "number where an integer is expected", "error",
	  "consumers wants an integer, not a number",
	  C_KAFKA C_GROUP C_TOPIC "consumers = 1.5; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "consumers: 1.5 #<\n" },
	{ "integer below its minimum", "error",
	  "consumers must be between 1 and 256, not 0",
	  C_KAFKA C_GROUP C_TOPIC "consumers = 0; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "consumers: 0 #<\n" },
	{ "integer above its maximum", "error",
	  "consumers must be between 1 and 256, not 257",
	  C_KAFKA C_GROUP C_TOPIC "consumers = 257; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "consumers: 257 #<\n" },
	{ "unknown word", "error", "unknown sink.type 'kafka' (use 'stdout', "
	  "'file', 'exec' or 'none')",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"kafka\"; }; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: kafka #<\n" },
	{ "group where a scalar is expected", "error",
	  "sink.path wants a string, not a group",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n path = { a = 1; }; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  path: #<\n    a: 1\n" },
	{ "scalar where a group is expected", "error",
	  "'log' is a group of options, not an integer",
	  C_KAFKA C_GROUP C_TOPIC "log = 5; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "log: 5 #<\n" },
	{ "list where a scalar is expected", "error",
	  "group.id wants a string, not a list",
	  C_KAFKA C_TOPIC "group = { id = [ \"a\" ]; }; #<\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: [a] #<\n" },
	{ "empty topics list", "error", "topics is empty",
	  C_KAFKA C_GROUP "topics = [ ]; #<\n",
	  Y_KAFKA Y_GROUP "topics: [] #<\n" },
	{ "empty topic name", "error", "empty topic name",
	  C_KAFKA C_GROUP "topics = ( \"t\",\n \"\" ); #<\n",
	  Y_KAFKA Y_GROUP "topics:\n  - t\n  - \"\" #<\n" },
	{ "topic regex that does not compile", "error",
	  "topic pattern '^(' is not a valid regex",
	  C_KAFKA C_GROUP "topics = [ \"^(\" ]; #<\n",
	  Y_KAFKA Y_GROUP "topics: [\"^(\"] #<\n" },
	{ "topic name Kafka refuses", "error", "topic name 'a b' is not one "
	  "Kafka allows",
	  C_KAFKA C_GROUP "topics = [ \"a b\" ]; #<\n",
	  Y_KAFKA Y_GROUP "topics: [a b] #<\n" },
	{ "topics given as one string", "error",
	  "topics wants a list of strings, not a string",
	  C_KAFKA C_GROUP "topics = \"t\"; #<\n",
	  Y_KAFKA Y_GROUP "topics: t #<\n" },
	{ "topics holding a list", "error", "topics wants a list of strings",
	  C_KAFKA C_GROUP "topics = ( ( \"t\" ) ); #<\n",
	  Y_KAFKA Y_GROUP "topics: [[t]] #<\n" },
	{ "unknown kafka property", "error", "No such configuration property",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n no_such_prop = 1; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  no.such.prop: 1 #<\n" },
	{ "kafka property librdkafka refuses", "error",
	  "Invalid value for configuration property \"fetch.wait.max.ms\"",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n fetch_wait_max_ms = \"abc\"; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  fetch.wait.max.ms: abc #<\n" },
	{ "kafka property given as a group", "error",
	  "kafka property 'ssl' wants a string, number or boolean, not a "
	  "group",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n ssl = { a = 1; }; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  ssl: #<\n    a: 1\n" },
	{ "kafka session.timeout.ms", "error", "'session.timeout.ms' is set "
	  "by the option group.session_timeout_ms",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n session_timeout_ms = 9000; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  session.timeout.ms: 9000 #<\n" },
	{ "kafka heartbeat.interval.ms", "error", "set by the option "
	  "group.heartbeat_interval_ms",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n heartbeat_interval_ms = 900; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  heartbeat.interval.ms: 900 #<\n" },
	{ "kafka max.poll.interval.ms", "error", "set by the option "
	  "group.max_poll_interval_ms",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n max_poll_interval_ms = 90000; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  max.poll.interval.ms: 90000 #<\n" },
	{ "kafka partition.assignment.strategy", "error", "set by the option "
	  "group.assignor",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n partition_assignment_strategy = \"range\"; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  partition.assignment.strategy: range #<\n" },
	{ "kafka group.id", "error", "'group.id' is set by the option "
	  "group.id",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n group_id = \"x\"; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  group.id: x #<\n" },
	{ "kafka group.instance.id", "error", "set by the option "
	  "group.instance_id",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n group_instance_id = \"x\"; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  group.instance.id: x #<\n" },
	{ "kafka enable.auto.offset.store", "error", "stores offsets itself, "
	  "only after the sink accepted a message (at-least-once)",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n enable_auto_offset_store = true; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  enable.auto.offset.store: true #<\n" },
	{ "kafka log.queue", "error", "'log.queue' cannot be set: "
	  "kconsumerd sets it to true because librdkafka's logs are served "
	  "by each member's own thread",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n log_queue = false; #<\n};\n",
	  Y_GROUP Y_TOPIC Y_KAFKA "  log.queue: false #<\n" },
	{ "heartbeat above a third of the session", "warning",
	  "group.heartbeat_interval_ms (20000) is above a third of "
	  "group.session_timeout_ms (45000)",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n heartbeat_interval_ms = 20000; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  heartbeat_interval_ms: 20000 #<\n" },
	{ "max poll interval below the session", "error",
	  "group.max_poll_interval_ms (10000) is below "
	  "group.session_timeout_ms (45000)",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n max_poll_interval_ms = 10000; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  max_poll_interval_ms: 10000 #<\n" },
	{ "session below the brokers' minimum", "warning",
	  "group.min.session.timeout.ms",
	  C_KAFKA C_TOPIC "group = { id = \"g\"; heartbeat_interval_ms = 1000;\n session_timeout_ms = 5000; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  heartbeat_interval_ms: 1000\n  session_timeout_ms: 5000 #<\n" },
	{ "session above the brokers' maximum", "warning",
	  "group.max.session.timeout.ms",
	  C_KAFKA C_TOPIC "group = { id = \"g\"; max_poll_interval_ms = 2000000;\n session_timeout_ms = 1900000; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  max_poll_interval_ms: 2000000\n  session_timeout_ms: 1900000 #<\n" },
	{ "several consumers sharing one instance id", "error",
	  "group.instance_id has no %i but consumers is 2",
	  C_KAFKA C_TOPIC "consumers = 2;\ngroup = { id = \"g\";\n instance_id = \"%h\"; #<\n};\n",
	  Y_KAFKA Y_TOPIC "consumers: 2\ngroup:\n  id: g\n  instance_id: \"%h\" #<\n" },
	{ "unknown template conversion", "error", "unknown conversion '%x'",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n instance_id = \"%h-%x\"; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  instance_id: \"%h-%x\" #<\n" },
	{ "unset environment variable", "error",
	  "environment variable KC_T_UNSET is not set",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n instance_id = \"${KC_T_UNSET}-%i\"; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  instance_id: ${KC_T_UNSET}-%i #<\n" },
	{ "instance id Kafka refuses", "error", "resolves to 'a b-0', which "
	  "Kafka refuses",
	  C_KAFKA C_TOPIC "group = { id = \"g\";\n instance_id = \"a b-%i\"; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  instance_id: a b-%i #<\n" },
	{ "missing group.id", "error", "group.id is not set but required",
	  C_KAFKA C_TOPIC, Y_KAFKA Y_TOPIC },
	{ "missing topics", "error", "topics is not set but required",
	  C_KAFKA C_GROUP, Y_KAFKA Y_GROUP },
	{ "missing bootstrap.servers", "error", "bootstrap.servers is "
	  "required", C_GROUP C_TOPIC, Y_GROUP Y_TOPIC },
	{ "file sink without a path", "error", "sink.type is file but "
	  "sink.path is not set",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n type = \"file\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: file #<\n" },
	{ "exec sink without a command", "error", "sink.type is exec but "
	  "sink.command is not set",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n type = \"exec\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: exec #<\n" },
	{ "on_error retry without a per-record sink", "error",
	  "sink.on_error is retry but no sink rejects a single record: only "
	  "an exec sink with sink.per_record: true does",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n on_error = \"retry\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  on_error: retry #<\n" },
	{ "per_record without an exec sink", "error", "sink.per_record is "
	  "true but sink.type is file: only the exec sink runs a command per "
	  "record",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"file\"; path = \"/tmp/x\";\n"
	  " per_record = true; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: file\n  path: /tmp/x\n"
	  "  per_record: true #<\n" },
	{ "dead_letter without a destination", "error", "sink.on_error is "
	  "dead_letter but it has no destination: set one of "
	  "sink.dead_letter.topic (a Kafka topic) and sink.dead_letter.path",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"exec\"; command = \"true\";\n"
	  " per_record = true;\n on_error = \"dead_letter\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: exec\n  command: \"true\"\n"
	  "  per_record: true\n  on_error: dead_letter #<\n" },
	{ "dead_letter with both destinations", "error", "sink.on_error is "
	  "dead_letter but both destinations are set",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"exec\"; command = \"true\";\n"
	  " per_record = true;\n dead_letter = { topic = \"dlq\";\n"
	  " path = \"/tmp/dlq\"; };\n on_error = \"dead_letter\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: exec\n  command: \"true\"\n"
	  "  per_record: true\n  dead_letter:\n    topic: dlq\n"
	  "    path: /tmp/dlq\n  on_error: dead_letter #<\n" },
	{ "dead-letter destination without dead_letter", "error",
	  "sink.dead_letter.topic is set but sink.on_error is stop: nothing "
	  "is dead-lettered",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n dead_letter = { topic = \"dlq\"; };\n"
	  " on_error = \"stop\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  dead_letter:\n    topic: dlq\n"
	  "  on_error: stop #<\n" },
	{ "dead-letter topic among the topics read", "error",
	  "sink.dead_letter.topic 't' is also in topics",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"exec\"; command = \"true\";\n"
	  " per_record = true;\n dead_letter = {\n topic = \"t\"; }; #<\n"
	  " on_error = \"dead_letter\";\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: exec\n  command: \"true\"\n"
	  "  per_record: true\n  dead_letter:\n    topic: t #<\n"
	  "  on_error: dead_letter\n" },
	{ "dead-letter topic Kafka refuses", "error",
	  "sink.dead_letter.topic 'a b' is not a topic name Kafka takes",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n dead_letter = { topic = \"a b\"; }; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  dead_letter:\n    topic: a b #<\n" },
	{ "retries longer than max.poll.interval.ms", "error",
	  "sink.retry_max retries wait 7000 ms in all, not below "
	  "group.max_poll_interval_ms (5000)",
	  C_KAFKA C_TOPIC "group = { id = \"g\"; max_poll_interval_ms = 5000;\n"
	  " session_timeout_ms = 4000; heartbeat_interval_ms = 1000; };\n"
	  "sink = { type = \"exec\"; command = \"true\"; per_record = true;\n"
	  " on_error = \"retry\";\n retry_max = 3; #<\n};\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: g\n  max_poll_interval_ms: 5000\n"
	  "  session_timeout_ms: 4000\n  heartbeat_interval_ms: 1000\n"
	  "sink:\n  type: exec\n  command: \"true\"\n  per_record: true\n"
	  "  on_error: retry\n  retry_max: 3 #<\n" },
	{ "unknown sink.on_error word", "error", "unknown sink.on_error "
	  "'skip'",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n on_error = \"skip\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  on_error: skip #<\n" },
	{ "unknown sink template conversion", "error",
	  "sink.template: unknown conversion '%z'",
	  C_KAFKA C_GROUP C_TOPIC "sink = {\n template = \"%t %z\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  template: \"%t %z\" #<\n" },
	{ "syntax error", "error", "syntax error",
	  C_KAFKA C_GROUP "consumers = ; #<\n" C_TOPIC, NULL },
	{ "syntax error", "error", "did not find expected key",
	  NULL, Y_KAFKA "group:\n  id: g\n id2: x #<\n" Y_TOPIC },
	{ "duplicate key", "error", "duplicate setting name",
	  C_KAFKA C_TOPIC "group = { id = \"a\";\n id = \"b\"; }; #<\n", NULL },
	{ "duplicate key", "error", "duplicate key 'id' (first at line 5)",
	  NULL, Y_KAFKA Y_TOPIC "group:\n  id: a\n  id: b #<\n" },
	{ "option set twice through a dotted key", "error",
	  "group.id is set twice (first at",
	  NULL, Y_KAFKA Y_TOPIC Y_GROUP "group.id: b #<\n" },
	{ "anchor", "error", "anchors (&x) are not supported",
	  NULL, Y_KAFKA Y_TOPIC "group:\n  id: &x g #<\n" },
	{ "alias", "error", "aliases (*x) are not supported",
	  NULL, Y_KAFKA Y_TOPIC "group:\n  id: &x g\nsink:\n  path: *x #<\n" },
	{ "second document", "error", "a second document",
	  NULL, Y_KAFKA Y_GROUP Y_TOPIC "--- #<\nconsumers: 2\n" },
	{ "null for a required option", "error",
	  "group.id is required: it cannot be null",
	  NULL, Y_KAFKA Y_TOPIC "group:\n  id: ~ #<\n" },
	{ "top level that is not a mapping", "error",
	  "the top level must be a mapping",
	  NULL, "- a #<\n- b\n" },
	{ "kafka names with underscores in YAML", "error",
	  "No such configuration property",
	  NULL, Y_GROUP Y_TOPIC Y_KAFKA "  client_id: x #<\n" },
	{ "integer too large for 64 bits", "error",
	  "consumers must be between 1 and 256, not 99999999999999999999999 "
	  "(too large for an integer)",
	  NULL,
	  Y_KAFKA Y_GROUP Y_TOPIC "consumers: 99999999999999999999999 #<\n" },
	{ "integer too large for 64 bits (libconfig would wrap it)", "error",
	  "the integer 99999999999999999999999 is too large: the largest is "
	  "9223372036854775807",
	  C_KAFKA C_GROUP C_TOPIC "# 99999999999999999999999 in a comment\n"
	  "consumers = 99999999999999999999999; #<\n", NULL },
	{ "empty group.id", "error", "group.id is empty",
	  C_KAFKA C_TOPIC "group = { id = \"\"; }; #<\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: \"\" #<\n" },
	{ "overlong group.id", "error",
	  "group.id is 300 bytes long; the most kconsumerd accepts is 255",
	  C_KAFKA C_TOPIC "group = { id = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; }; #<\n",
	  Y_KAFKA Y_TOPIC "group:\n  id: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx #<\n" },
	{ "overlong client.id", "error",
	  "kafka property client.id is 300 bytes long",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"h:1\";\n client_id = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; #<\n};\n",
	  Y_GROUP Y_TOPIC "kafka:\n  bootstrap.servers: h:1\n  client.id: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx #<\n" },
	{ "empty bootstrap.servers", "error",
	  "kafka property bootstrap.servers is empty",
	  C_GROUP C_TOPIC "kafka = { bootstrap_servers = \"\"; }; #<\n",
	  Y_GROUP Y_TOPIC "kafka:\n  bootstrap.servers: \"\" #<\n" },
	{ "empty sink.path", "error", "sink.path is empty",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"file\";\n path = \"\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: file\n  path: \"\" #<\n" },
	{ "sink.path a directory", "error", "sink.path '/' is a directory",
	  C_KAFKA C_GROUP C_TOPIC "sink = { type = \"file\";\n path = \"/\"; #<\n};\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "sink:\n  type: file\n  path: / #<\n" },
	{ "http.listen with an empty host", "error",
	  "http.listen '[]:0': the host is empty",
	  C_KAFKA C_GROUP C_TOPIC "http = { listen = \"[]:0\"; }; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "http:\n  listen: \"[]:0\" #<\n" },
	{ "http.listen with a name in brackets", "error",
	  "http.listen '[localhost]:80': cannot resolve 'localhost'",
	  C_KAFKA C_GROUP C_TOPIC "http = { listen = \"[localhost]:80\"; }; #<\n",
	  Y_KAFKA Y_GROUP Y_TOPIC "http:\n  listen: \"[localhost]:80\" #<\n" },
};

/* True when one line of diags starts with prefix and contains needle. */
static bool
has_diag(const char *diags, const char *prefix, const char *needle)
{
	const char *line, *end;
	char *one;
	bool found = false;

	for (line = diags; !found && *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			break;
		one = xstrndup(line, end - line);
		found = strncmp(one, prefix, strlen(prefix)) == 0 &&
		    strstr(one, needle) != NULL;
		free(one);
	}
	return found;
}

/* Run one case in one syntax. */
static void
run(const struct ecase *c, size_t i, const char *ext, const char *text)
{
	struct config *cfg;
	char name[32], *prefix, *diags;
	const char *path;
	int line = fixture_marker_line(text);
	bool invalid = strcmp(c->severity, "error") == 0;

	snprintf(name, sizeof name, "case%zu.%s", i, ext);
	path = fixture_write(name, text);
	cfg = fixture_load_path(path, 0, &diags, NULL);
	if (line > 0)
		xasprintf(&prefix, "%s:%d: %s: ", path, line, c->severity);
	else
		xasprintf(&prefix, "%s: %s: ", path, c->severity);
	if (!ok(has_diag(diags, prefix, c->needle) && invalid == (cfg == NULL),
	    "%s: %s is %s %s at %s:%d", ext, c->what,
	    invalid ? "an error" : "a warning",
	    invalid ? "(file refused)" : "(file accepted)", name, line))
		printf("#   want: %s...%s\n#   got:\n%s", prefix, c->needle,
		    diags);
	config_free(cfg);
	free(prefix);
	free(diags);
}

/* Every error in a file is reported, not just the first. */
static void
test_collects_all(const char *ext, const char *text)
{
	struct config *cfg;
	char name[32], *diags;
	int nerrors;

	snprintf(name, sizeof name, "all.%s", ext);
	cfg = fixture_load_path(fixture_write(name, text), 0, &diags,
	    &nerrors);
	is_int(nerrors, 4, "%s: four independent errors in one file are all "
	    "reported", ext);
	config_free(cfg);
	free(diags);
}

/* A secret never appears in diagnostics about it. */
static void
test_secret_not_echoed(const char *ext, const char *prop, const char *text)
{
	struct config *cfg;
	char name[32], *diags;

	snprintf(name, sizeof name, "secret.%s", ext);
	cfg = fixture_load_path(fixture_write(name, text), 0, &diags, NULL);
	ok(cfg == NULL && strstr(diags, prop) != NULL &&
	    strstr(diags, "hunter2") == NULL, "%s: an error about a secret "
	    "names the property but not its value", ext);
	config_free(cfg);
	free(diags);
}

int
main(void)
{
	size_t i;

	unsetenv("KC_T_UNSET");
	fixture_init();
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (cases[i].conf != NULL)
			run(&cases[i], i, "conf", cases[i].conf);
		if (cases[i].yaml != NULL)
			run(&cases[i], i, "yaml", cases[i].yaml);
	}
	test_collects_all("conf", C_KAFKA "group = { id = 1; };\n"
	    "topics = [ ];\nconsumers = 0;\nlog = { level = \"loud\"; };\n");
	test_collects_all("yaml", Y_KAFKA "group: {id: 1}\ntopics: []\n"
	    "consumers: 0\nlog: {level: loud}\n");
	test_secret_not_echoed("conf", "sasl_password", C_GROUP C_TOPIC
	    "kafka = { bootstrap_servers = \"h:1\";\n"
	    " sasl_password = [ \"hunter2\" ]; };\n");
	test_secret_not_echoed("yaml", "sasl.password", Y_GROUP Y_TOPIC
	    Y_KAFKA "  sasl.password: hunter2\n  sasl.password: hunter2\n");
	fixture_cleanup();
	return tap_done();
}
