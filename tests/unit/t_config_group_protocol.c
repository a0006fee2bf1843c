/*
 * t_config_group_protocol.c: group.protocol and group.remote_assignor.
 * Under consumer the classic-only options are refused at their file:line
 * with the broker setting that replaces them, in both syntaxes; consumer
 * itself is refused, naming the linked librdkafka, where that library is
 * older than 2.12.0 (on Debian 12's 2.0.2 that refusal is what runs; on
 * 2.12.0 and later the accepted configuration is handed to rd_kafka_new,
 * which refuses any classic-only property it is given).
 */
#include "autoconf.h"

#include <stdlib.h>

#include "config_fixture.h"
#include "../tap.h"

#define Y_HEAD	"kafka:\n  bootstrap.servers: 127.0.0.1:9\ngroup:\n  id: g\n"
#define C_HEAD	"kafka = { bootstrap_servers = \"127.0.0.1:9\"; };\n"

/* True when one line of diags starts with prefix and contains needle. */
static bool
has_diag(const char *diags, const char *prefix, const char *needle)
{
	const char *line = diags, *end;
	bool found = false;
	char *one;

	for (; !found && (end = strchr(line, '\n')) != NULL; line = end + 1) {
		one = xstrndup(line, end - line);
		found = strncmp(one, prefix, strlen(prefix)) == 0 &&
		    strstr(one, needle) != NULL;
		free(one);
	}
	return found;
}

/* Load text as name; true when it was refused with an error at line
   containing needle. */
static bool
refused_at(const char *name, const char *text, int line, const char *needle)
{
	struct config *cfg;
	char *diags, *prefix;
	const char *path = fixture_write(name, text);
	bool found;

	cfg = fixture_load_path(path, 0, &diags, NULL);
	xasprintf(&prefix, "%s:%d: error: ", path, line);
	found = cfg == NULL && has_diag(diags, prefix, needle);
	if (!found)
		printf("#   want %s...%s\n#   got:\n%s", prefix, needle, diags);
	config_free(cfg);
	free(prefix);
	free(diags);
	return found;
}

/* The version gate, on the numbers rd_kafka_version() gives. */
static void
test_versions(void)
{
	ok(!config_consumer_protocol_supported(0x020002ff),
	    "2.0.2 (Debian 12) cannot run the consumer protocol");
	ok(!config_consumer_protocol_supported(0x020800ff),
	    "2.8.0 (Debian 13, Early Access) is refused");
	ok(!config_consumer_protocol_supported(0x020b01ff),
	    "2.11.1 (Preview) is refused");
	ok(config_consumer_protocol_supported(0x020c0000),
	    "2.12.0 (generally available) is accepted");
	ok(config_consumer_protocol_supported(0x020e02ff),
	    "2.14.2 (Debian 14) is accepted");
}

/* The classic-only options under consumer, each at its own line. */
static void
test_classic_only(void)
{
	const char *y = Y_HEAD "  protocol: consumer\n"
	    "  session_timeout_ms: 10000\n"		/* line 6 */
	    "  heartbeat_interval_ms: 1000\n"		/* line 7 */
	    "  assignor: range\n"			/* line 8 */
	    "topics: [t]\n";
	const char *c = C_HEAD "group = { id = \"g\"; protocol = \"consumer\";\n"
	    "  session_timeout_ms = 10000;\n"		/* line 3 */
	    "  heartbeat_interval_ms = 1000;\n"		/* line 4 */
	    "  assignor = \"cooperative-sticky\"; };\n"	/* line 5 */
	    "topics = [ \"t\" ];\n";
	struct config *cfg;
	char *diags;

	ok(refused_at("co1.yaml", y, 6, "group.session_timeout_ms cannot be "
	    "set under group.protocol consumer: the broker sets it "
	    "(group.consumer.session.timeout.ms"),
	    "yaml: session_timeout_ms is refused at its line, naming "
	    "group.consumer.session.timeout.ms");
	ok(refused_at("co1.yaml", y, 7, "group.heartbeat_interval_ms cannot "
	    "be set under group.protocol consumer: the broker sets it "
	    "(group.consumer.heartbeat.interval.ms"),
	    "yaml: heartbeat_interval_ms is refused at its line, naming "
	    "group.consumer.heartbeat.interval.ms");
	ok(refused_at("co1.yaml", y, 8, "group.assignor cannot be set under "
	    "group.protocol consumer: the broker assigns"),
	    "yaml: assignor is refused at its line");
	ok(refused_at("co1.conf", c, 3, "group.session_timeout_ms cannot be "
	    "set under group.protocol consumer"),
	    "conf: session_timeout_ms is refused at its line");
	ok(refused_at("co1.conf", c, 4, "group.heartbeat_interval_ms cannot "
	    "be set under group.protocol consumer"),
	    "conf: heartbeat_interval_ms is refused at its line");
	ok(refused_at("co1.conf", c, 5, "group.assignor cannot be set under "
	    "group.protocol consumer"),
	    "conf: assignor is refused at its line, even set to its default");
	cfg = fixture_load("co2.yaml", Y_HEAD "  protocol: classic\n"
	    "  session_timeout_ms: 10000\n  heartbeat_interval_ms: 1000\n"
	    "  assignor: range\ntopics: [t]\n", &diags);
	ok(cfg != NULL, "under classic the same options load (%s)", diags);
	config_free(cfg);
	free(diags);
}

/* The properties the options own cannot come through kafka. */
static void
test_passthrough(void)
{
	ok(refused_at("pt.yaml", "kafka:\n  bootstrap.servers: h:9\n"
	    "  group.protocol: consumer\ngroup:\n  id: g\ntopics: [t]\n", 3,
	    "kafka property 'group.protocol' is set by the option "
	    "group.protocol"),
	    "yaml: kafka group.protocol names the option to use");
	ok(refused_at("pt.conf", "kafka = { bootstrap_servers = \"h:9\";\n"
	    "  group_protocol = \"consumer\"; };\ngroup = { id = \"g\"; };\n"
	    "topics = [ \"t\" ];\n", 2,
	    "kafka property 'group.protocol' is set by the option "
	    "group.protocol"),
	    "conf: kafka group_protocol names the option, whatever the "
	    "librdkafka");
	ok(refused_at("pt2.yaml", "kafka:\n  bootstrap.servers: h:9\n"
	    "  group.remote.assignor: range\ngroup:\n  id: g\ntopics: [t]\n",
	    3, "set by the option group.remote_assignor"),
	    "yaml: kafka group.remote.assignor names the option to use");
}

/* group.remote_assignor: its words, and only with consumer. */
static void
test_remote_assignor(void)
{
	ok(refused_at("ra1.yaml", Y_HEAD "  remote_assignor: uniform\n"
	    "topics: [t]\n", 5, "group.remote_assignor is set but "
	    "group.protocol is classic"),
	    "a remote assignor under classic is refused at its line");
	ok(refused_at("ra2.conf", C_HEAD "group = { id = \"g\";\n"
	    "  protocol = \"consumer\"; remote_assignor = \"sticky\"; };\n"
	    "topics = [ \"t\" ];\n", 3, "unknown group.remote_assignor "
	    "'sticky' (use 'uniform', 'range', or '' for the broker's "
	    "default)"),
	    "an unknown remote assignor is refused with the names to use");
	ok(refused_at("gp.yaml", Y_HEAD "  protocol: kip848\ntopics: [t]\n",
	    5, "unknown group.protocol 'kip848' (use 'classic' or "
	    "'consumer')"),
	    "an unknown group protocol is refused with the words to use");
}

/* A classic configuration still makes a client with any librdkafka. */
static void
test_classic_client(void)
{
	struct config *cfg;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk = NULL;
	char *diags, errstr[512] = "";

	cfg = fixture_load("cl.yaml", Y_HEAD "topics: [t]\n", &diags);
	conf = cfg != NULL ? config_kafka_conf(cfg, 0, errstr,
	    sizeof errstr) : NULL;
	if (conf != NULL)
		rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
		    sizeof errstr);
	ok(rk != NULL, "classic (the default) makes a consumer with "
	    "librdkafka %s%s%s", rd_kafka_version_str(), rk ? "" : ": ",
	    rk ? "" : errstr);
	if (rk != NULL)
		rd_kafka_destroy(rk);
	else if (conf != NULL)
		rd_kafka_conf_destroy(conf);
	config_free(cfg);
	free(diags);
}

/* Consumer alone: refused naming the library, or a client librdkafka
   accepts (it refuses session.timeout.ms & co. in rd_kafka_new). */
static void
test_consumer_linked(void)
{
	const char *y = Y_HEAD "  protocol: consumer\n"	/* line 5 */
	    "  remote_assignor: range\ntopics: [t]\n";
	struct config *cfg;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk = NULL;
	char *diags, *out, errstr[512] = "", value[64];
	size_t len = sizeof value;

	if (!config_consumer_protocol_supported(rd_kafka_version())) {
		xasprintf(&out, "needs librdkafka 2.12.0 or later, where "
		    "Kafka's consumer group protocol (KIP-848) is generally "
		    "available; this kconsumerd runs with librdkafka %s",
		    rd_kafka_version_str());
		ok(refused_at("cs.yaml", y, 5, out), "librdkafka %s: "
		    "group.protocol consumer is refused at its line, naming "
		    "the linked version", rd_kafka_version_str());
		free(out);
		tap_diag("skipping 4 checks of the accepted configuration: "
		    "they need librdkafka 2.12.0 or later");
		return;
	}
	cfg = fixture_load("cs.yaml", y, &diags);
	ok(cfg != NULL, "librdkafka %s: group.protocol consumer loads (%s)",
	    rd_kafka_version_str(), diags);
	out = cfg != NULL ? fixture_print(cfg) : xstrdup("");
	ok(strstr(out, "group.session_timeout_ms = null\n") != NULL &&
	    strstr(out, "group.heartbeat_interval_ms = null\n") != NULL &&
	    strstr(out, "group.assignor = null\n") != NULL &&
	    strstr(out, "group.protocol = \"consumer\"\n") != NULL &&
	    strstr(out, "group.remote_assignor = \"range\"\n") != NULL,
	    "-p shows the protocol, the remote assignor, and null for the "
	    "broker's settings");
	conf = cfg != NULL ? config_kafka_conf(cfg, 0, errstr,
	    sizeof errstr) : NULL;
	ok(conf != NULL && rd_kafka_conf_get(conf, "group.remote.assignor",
	    value, &len) == RD_KAFKA_CONF_OK && strcmp(value, "range") == 0,
	    "the remote assignor reaches librdkafka");
	if (conf != NULL)
		rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
		    sizeof errstr);
	ok(rk != NULL, "rd_kafka_new accepts it: no classic-only property "
	    "was set%s%s", rk ? "" : ": ", rk ? "" : errstr);
	if (rk != NULL)
		rd_kafka_destroy(rk);
	else if (conf != NULL)
		rd_kafka_conf_destroy(conf);
	config_free(cfg);
	free(out);
	free(diags);
}

int
main(void)
{
	fixture_init();
	test_versions();
	test_classic_only();
	test_passthrough();
	test_remote_assignor();
	test_classic_client();
	test_consumer_linked();
	fixture_cleanup();
	return tap_done();
}
