/*
 * t_config_syntax.c: the same configuration written in libconfig and in
 * YAML loads into the same values, one table over both syntaxes. Each
 * row is one configuration in either syntax (a text, or "@FILE" for a
 * file under $top_srcdir) and what it must give: the --print-config
 * lines it prints ("!LINE": a line it must not print), or the error it
 * must be refused with (at the line marked "#<", else naming the file
 * only). Per syntax, every expected line is an assertion; per row, both
 * syntaxes must also print byte-identical output.
 *
 * What only one syntax has is checked in its own file:
 * t_config_libconfig.c (@include), t_config_yaml.c (scalar resolution,
 * document shapes, dotted keys); errors in t_config_errors.c.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "../tap.h"

#define NLINES	20

struct row {
	const char	*what;
	const char	*conf;		/* libconfig text, or @FILE */
	const char	*yaml;		/* YAML text, or @FILE */
	int		 flags;		/* config_load's */
	const char	*host;		/* gethostname's answer, NULL: fails */
	const char	*error;		/* NULL: loads; else part of the error */
	const char	*lines[NLINES];	/* --print-config lines (or !LINE) */
};

static const struct row rows[] = {
	{ "the shipped example", "@conf/kconsumerd.conf",
	  "@conf/kconsumerd.yaml", 0, FIXTURE_HOST, NULL, {
	  "group.id = \"kconsumerd-example\"",
	  "kafka.bootstrap.servers = \"localhost:9092\"",
	  "topics = [\"orders\"]",
	  "group.instance_id = \"%h-%i\"",
	  "group.instance_id.resolved = [\"kc-node7-0\"]",
	  "consumers = 1" } },
	{ "every kind of value",
	  "kafka = { bootstrap_servers = \"b1:9092,b2:9092\";\n"
	  "  log_level = 6; enable_partition_eof = true;\n"
	  "  fetch_wait_max_ms = 100; };\n"
	  "group = { id = \"g1\"; assignor = \"range\";\n"
	  "  session_timeout_ms = 30000; };\n"
	  "topics = ( \"a\", \"^b.*\" );\n"
	  "sink = { type = \"file\"; path = \"/tmp/out\"; fsync = \"never\"; };\n"
	  "log = { level = \"debug\"; format = \"json\"; };\n"
	  "shutdown = { leave_group = \"always\"; timeout_ms = 2500; };\n"
	  "experiment = { processing_delay_us = 0x10; };\n",
	  "kafka: {bootstrap.servers: \"b1:9092,b2:9092\", log_level: 6,\n"
	  "  enable.partition.eof: true, fetch.wait.max.ms: 100}\n"
	  "group:\n  id: g1\n  assignor: range\n"
	  "  session_timeout_ms: 30000\n"
	  "topics: [a, \"^b.*\"]\n"
	  "sink:\n  type: file\n  path: /tmp/out\n  fsync: never\n"
	  "log: {level: debug, format: json}\n"
	  "shutdown:\n  leave_group: always\n  timeout_ms: 2500\n"
	  "experiment:\n  processing_delay_us: 0x10\n", 0, FIXTURE_HOST, NULL, {
	  "kafka.bootstrap.servers = \"b1:9092,b2:9092\"",
	  "kafka.log_level = \"6\"",		/* librdkafka's own name, kept */
	  "kafka.enable.partition.eof = \"true\"",	/* a boolean */
	  "kafka.fetch.wait.max.ms = \"100\"",	/* an integer, as digits */
	  "group.id = \"g1\"",
	  "group.assignor = \"range\"",
	  "group.session_timeout_ms = 30000",
	  "topics = [\"a\", \"^b.*\"]",		/* a name and a pattern */
	  "sink.type = \"file\"",
	  "sink.path = \"/tmp/out\"",
	  "sink.fsync = \"never\"",
	  "log.level = \"debug\"",
	  "log.format = \"json\"",
	  "shutdown.leave_group = \"always\"",
	  "shutdown.timeout_ms = 2500",
	  "experiment.processing_delay_us = 16",	/* hex */
	  "group.heartbeat_interval_ms = 3000",	/* left out: the default */
	  "group.max_poll_interval_ms = 300000",	/* the default */
	  "group.instance_id = null",		/* dynamic members */
	  "!group.instance_id.resolved = " } },
	{ "templates for several consumers",
	  "kafka = { bootstrap_servers = \"h:1\"; client_id = \"c\"; };\n"
	  "group = { id = \"g\"; instance_id = \"${KC_T_RACK}-%i\";\n"
	  "  assignor = \"roundrobin\"; heartbeat_interval_ms = 1000; };\n"
	  "topics = [ \"t\" ];\nconsumers = 3;\n",
	  "kafka: {bootstrap.servers: \"h:1\", client.id: c}\n"
	  "group:\n  id: g\n  instance_id: ${KC_T_RACK}-%i\n"
	  "  assignor: roundrobin\n  heartbeat_interval_ms: 1000\n"
	  "topics:\n  - t\nconsumers: 3\n", 0, FIXTURE_HOST, NULL, {
	  "consumers = 3",
	  "group.instance_id = \"${KC_T_RACK}-%i\"",
	  "group.instance_id.resolved = [\"r7-0\", \"r7-1\", \"r7-2\"]",
	  "group.assignor = \"roundrobin\"",
	  "group.heartbeat_interval_ms = 1000",
	  "kafka.client.id = \"c\"" } },
	{ "%h is the host name up to its first dot",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; instance_id = \"%h-%i\"; };\n"
	  "topics = [ \"t\" ];\nconsumers = 2;\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g, instance_id: \"%h-%i\"}\n"
	  "topics: [t]\nconsumers: 2\n", 0, "db-3.rack-2.example.org", NULL, {
	  "group.instance_id.resolved = [\"db-3-0\", \"db-3-1\"]",
	  "kafka.client.id = [\"kconsumerd-db-3-0\", \"kconsumerd-db-3-1\"]" } },
	{ "%h is a host name without a dot, whole",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; instance_id = \"%h-%i\"; };\n"
	  "topics = [ \"t\" ];\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g, instance_id: \"%h-%i\"}\n"
	  "topics: [t]\n", 0, "plainhost", NULL, {
	  "group.instance_id.resolved = [\"plainhost-0\"]",
	  "kafka.client.id = \"kconsumerd-plainhost-0\"" } },
	{ "%h is localhost when gethostname fails",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; instance_id = \"%h-%i\"; };\n"
	  "topics = [ \"t\" ];\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g, instance_id: \"%h-%i\"}\n"
	  "topics: [t]\n", 0, NULL, NULL, {
	  "group.instance_id.resolved = [\"localhost-0\"]",
	  "kafka.client.id = \"kconsumerd-localhost-0\"" } },
	{ "the demo may leave bootstrap.servers out",
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n",
	  "group: {id: g}\ntopics: [t]\n", CONFIG_LOAD_NO_BOOTSTRAP,
	  FIXTURE_HOST, NULL, {
	  "group.id = \"g\"",
	  "topics = [\"t\"]",
	  "!kafka.bootstrap.servers = " } },
	{ "without CONFIG_LOAD_NO_BOOTSTRAP bootstrap.servers is required",
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n",
	  "group: {id: g}\ntopics: [t]\n", 0, FIXTURE_HOST,
	  "kafka property bootstrap.servers is required", { NULL } },
	{ "an empty file lacks group.id", "", "", 0, FIXTURE_HOST,
	  "group.id is not set but required", { NULL } },
	{ "a value of the wrong type is refused at its line",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\";\n  session_timeout_ms = \"30000\"; #<\n};\n"
	  "topics = [ \"t\" ];\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group:\n  id: g\n  session_timeout_ms: \"30000\" #<\n"
	  "topics: [t]\n", 0, FIXTURE_HOST,
	  "group.session_timeout_ms wants an integer, not a string",
	  { NULL } },
	{ "health options: a boolean is the word true or false",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n"
	  "health = { stall_ms = 30000; stall_ready = true; };\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g}\ntopics: [t]\n"
	  "health: {stall_ms: 30000, stall_ready: true}\n", 0, FIXTURE_HOST,
	  NULL, {
	  "health.stall_ms = 30000",
	  "health.stall_ready = \"true\"" } },
	{ "health options default to off",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g}\ntopics: [t]\n", 0, FIXTURE_HOST, NULL, {
	  "health.stall_ms = 0",
	  "health.stall_ready = \"false\"" } },
	{ "a negative health.stall_ms is refused at its line",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n"
	  "health = {\n  stall_ms = -1; #<\n};\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g}\ntopics: [t]\n"
	  "health:\n  stall_ms: -1 #<\n", 0, FIXTURE_HOST,
	  "health.stall_ms", { NULL } },
	{ "health.stall_ready takes true or false only, at its line",
	  "kafka = { bootstrap_servers = \"h:1\"; };\n"
	  "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n"
	  "health = {\n  stall_ready = \"yes\"; #<\n};\n",
	  "kafka: {bootstrap.servers: \"h:1\"}\n"
	  "group: {id: g}\ntopics: [t]\n"
	  "health:\n  stall_ready: \"yes\" #<\n", 0, FIXTURE_HOST,
	  "unknown health.stall_ready 'yes' (use 'false' or 'true')",
	  { NULL } },
};

/* True when text holds line as a whole line. */
static bool
has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') &&
		    (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

/* True when text has a line that starts with prefix. */
static bool
has_line_prefix(const char *text, const char *prefix)
{
	const char *p;

	for (p = text; (p = strstr(p, prefix)) != NULL; p++)
		if (p == text || p[-1] == '\n')
			return true;
	return false;
}

/* Write row r's text in one syntax (or name its file); the path to load
   (to free). */
static char *
row_path(const struct row *r, size_t i, const char *ext, const char *text)
{
	char name[32];

	if (text[0] == '@')
		return fixture_srcdir_path(text + 1);
	snprintf(name, sizeof name, "row%zu.%s", i, ext);
	return xstrdup(fixture_write(name, text));
}

/* Check one syntax of row r; what it printed (to free), NULL when it did
   not load. */
static char *
run(const struct row *r, size_t i, const char *ext, const char *text)
{
	struct config *cfg;
	char *path, *diags, *out = NULL, *want;
	int line, k;

	path = row_path(r, i, ext, text);
	fixture_host = r->host;	/* until printed: client.id expands then */
	cfg = fixture_load_path(path, r->flags, &diags, NULL);
	if (r->error != NULL) {
		line = fixture_marker_line(text);
		if (line > 0)
			xasprintf(&want, "%s:%d: error: ", path, line);
		else
			xasprintf(&want, "%s: error: ", path);
		if (!ok(cfg == NULL && has_line_prefix(diags, want) &&
		    strstr(diags, r->error) != NULL, "%s: %s: refused with "
		    "'%s' at %s", ext, r->what, r->error,
		    strrchr(want, '/') + 1))
			printf("# want: %s...%s\n# got:\n%s", want, r->error,
			    diags);
		free(want);
		goto out;
	}
	if (!ok(cfg != NULL && diags[0] == '\0', "%s: %s: loads without "
	    "diagnostics", ext, r->what)) {
		printf("# got:\n%s", diags);
		goto out;
	}
	out = fixture_print(cfg);
	for (k = 0; k < NLINES && r->lines[k] != NULL; k++) {
		if (r->lines[k][0] == '!') {
			ok(!has_line_prefix(out, r->lines[k] + 1), "%s: %s: "
			    "no line '%s...'", ext, r->what, r->lines[k] + 1);
			continue;
		}
		if (!ok(has_line(out, r->lines[k]), "%s: %s: %s", ext,
		    r->what, r->lines[k]))
			printf("# printed:\n%s", out);
	}
out:
	fixture_host = FIXTURE_HOST;
	config_free(cfg);
	free(diags);
	free(path);
	return out;
}

int
main(void)
{
	const struct row *r;
	char *conf, *yaml;
	size_t i;

	setenv("KC_T_RACK", "r7", 1);
	unsetenv("NOTIFY_SOCKET");
	fixture_init();
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		r = &rows[i];
		conf = run(r, i, "conf", r->conf);
		yaml = run(r, i, "yaml", r->yaml);
		if (r->error == NULL && !ok(conf != NULL && yaml != NULL &&
		    strcmp(conf, yaml) == 0, "%s: both syntaxes print "
		    "byte-identical output", r->what))
			printf("# conf:\n%s# yaml:\n%s", conf ? conf : "-\n",
			    yaml ? yaml : "-\n");
		free(conf);
		free(yaml);
	}
	fixture_cleanup();
	return tap_done();
}
