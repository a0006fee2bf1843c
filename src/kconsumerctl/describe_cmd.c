/*
 * describe_cmd.c: "kconsumerctl describe": options, the connection from
 * -c FILE or -b/-g, then one description, or one every N seconds with
 * --watch until SIGINT/SIGTERM or --count prints.
 *
 * Main thread only; the signal handler only sets describe_stop.
 */
#include "autoconf.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "describe.h"
#include "exitcodes.h"
#include "opt.h"
#include "xmalloc.h"

enum {
	DESCRIBE_OPT_WATCH = 256,
	DESCRIBE_OPT_COUNT,
	DESCRIBE_OPT_JSON,
	DESCRIBE_OPT_TIMEOUT,
};

static const struct option describe_options[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "bootstrap",	required_argument,	NULL, 'b' },
	{ "group",	required_argument,	NULL, 'g' },
	{ "watch",	required_argument,	NULL, DESCRIBE_OPT_WATCH },
	{ "count",	required_argument,	NULL, DESCRIBE_OPT_COUNT },
	{ "json",	no_argument,		NULL, DESCRIBE_OPT_JSON },
	{ "timeout",	required_argument,	NULL, DESCRIBE_OPT_TIMEOUT },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 },
};

/* What the command line asked for. */
struct describe_args {
	const char	*config;
	const char	*bootstrap;
	const char	*group;
	char		**props;	/* -X name=value */
	size_t		 nprops;
	long		 watch;		/* seconds, 0: describe once */
	long		 count;		/* prints, 0: no limit */
	long		 timeout_ms;
	bool		 json;
};

static volatile sig_atomic_t describe_stop;

/* Print the describe command's help. */
void
describe_usage(FILE *fp)
{
	fprintf(fp,
"usage: kconsumerctl describe (-c FILE | -b BOOTSTRAP -g GROUP)\n"
"           [-X NAME=VALUE]... [--watch SECONDS [--count K]] [--json]\n"
"           [--timeout MS]\n"
"\n"
"Describe a consumer group as the cluster sees it, like\n"
"kafka-consumer-groups --describe: for each partition of the group's topics\n"
"the committed offset, log-end offset, lag and owning member (member id,\n"
"instance id, host, client id); the group's state, assignor and members.\n"
"Topics come from the group's committed offsets and member assignments,\n"
"and with -c also from the configured topics (^regex matched against the\n"
"cluster's topics). A cluster without DescribeGroups (the mock cluster)\n"
"gets one line saying so; offsets and lag are still shown.\n"
"\n"
"  -c, --config FILE     bootstrap servers, every kafka property (security\n"
"                        settings included), group id and topics from a\n"
"                        kconsumerd configuration\n"
"  -b, --bootstrap LIST  bootstrap servers (overrides -c)\n"
"  -g, --group GROUP     the group (overrides -c)\n"
"  -X NAME=VALUE         a librdkafka property, e.g. security.protocol=SSL\n"
"      --watch SECONDS   describe again every SECONDS, with a timestamp, and\n"
"                        mark what changed since the last print (*: owner\n"
"                        changed or lag grew); stop on SIGINT or SIGTERM\n"
"      --count K         with --watch: stop after K prints\n"
"      --json            one JSON object per print, for scripts\n"
"      --timeout MS      wait at most MS for each answer (default %d)\n"
"  -h, --help            print this help\n"
"\n"
"Exit status: 0 ok, 64 usage, 69 the cluster cannot be reached, 74 stdout\n"
"cannot be written, 78 bad -c configuration. See kconsumerctl(1).\n",
	    DESCRIBE_TIMEOUT_MS);
}

/* Note SIGINT or SIGTERM: the watch loop stops after this print. */
static void
describe_on_signal(int sig)
{
	describe_stop = 1;
}

/* Parse the options into a; the exit status when the command must end. */
static int
describe_parse(int argc, char **argv, struct describe_args *a)
{
	int64_t v;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:b:g:X:h", describe_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			a->config = optarg;
			break;
		case 'b':
			a->bootstrap = optarg;
			break;
		case 'g':
			a->group = optarg;
			break;
		case 'X':
			if (strchr(optarg, '=') == NULL) {
				fprintf(stderr, "kconsumerctl: -X wants "
				    "NAME=VALUE, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			a->props = xreallocarray(a->props, a->nprops + 1,
			    sizeof *a->props);
			a->props[a->nprops++] = optarg;
			break;
		case DESCRIBE_OPT_WATCH:
		case DESCRIBE_OPT_COUNT:
			if (opt_parse_int(optarg, 1, 86400 * 365, &v) != 0) {
				fprintf(stderr, "kconsumerctl: %s wants a whole "
				    "number >= 1, not '%s'\n", argv[optind - 1],
				    optarg);
				return EXIT_USAGE;
			}
			*(ch == DESCRIBE_OPT_WATCH ? &a->watch : &a->count) =
			    (long)v;
			break;
		case DESCRIBE_OPT_TIMEOUT:
			if (opt_parse_int(optarg, 1, 3600000, &v) != 0) {
				fprintf(stderr, "kconsumerctl: --timeout wants "
				    "milliseconds >= 1, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			a->timeout_ms = (long)v;
			break;
		case DESCRIBE_OPT_JSON:
			a->json = true;
			break;
		case 'h':
			describe_usage(stdout);
			return EXIT_CLEAN;
		default:
			return opt_error(stderr, "kconsumerctl", ch,
			    argv, "kconsumerctl describe --help");
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kconsumerctl: describe takes no argument "
		    "'%s' (try kconsumerctl describe --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (a->config == NULL && (a->bootstrap == NULL || a->group == NULL)) {
		fprintf(stderr, "kconsumerctl: describe wants -c FILE, or -b "
		    "BOOTSTRAP and -g GROUP\n");
		return EXIT_USAGE;
	}
	if (a->count > 0 && a->watch == 0) {
		fprintf(stderr, "kconsumerctl: --count goes with --watch\n");
		return EXIT_USAGE;
	}
	return -1;
}

/* Set one property; false (and a message) when librdkafka refuses it. */
static bool
describe_conf_set(rd_kafka_conf_t *conf, const char *name,
    const char *value)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) ==
	    RD_KAFKA_CONF_OK)
		return true;
	fprintf(stderr, "kconsumerctl: %s: %s\n", name, errstr);
	return false;
}

/* Take the connection settings from -c; the exit status on failure. */
static int
describe_from_config(const struct describe_args *a, rd_kafka_conf_t *conf,
    struct describe_client *c, struct config **cfgp)
{
	struct config *cfg;
	struct diag d;
	const char *bs;
	size_t i;

	diag_init(&d);
	cfg = config_load(a->config, a->bootstrap != NULL ?
	    CONFIG_LOAD_NO_BOOTSTRAP : 0, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (cfg == NULL)
		return EXIT_CONFIG;
	*cfgp = cfg;
	for (i = 0; i < cfg->nkafka; i++)
		if (!describe_conf_set(conf, cfg->kafka[i].name,
		    cfg->kafka[i].value))
			return EXIT_CONFIG;
	if ((bs = config_kafka_get(cfg, "bootstrap.servers")) == NULL)
		bs = config_kafka_get(cfg, "metadata.broker.list");
	c->bootstrap = xstrdup(bs != NULL ? bs : "");
	c->group = xstrdup(cfg->group_id);
	c->topics = cfg->topics;
	c->ntopics = cfg->ntopics;
	return -1;
}

/* Build the client's configuration; the exit status on failure. */
static int
describe_setup(const struct describe_args *a, struct describe_client *c,
    struct config **cfgp)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512], *name;
	size_t i;
	int rc;

	c->timeout_ms = a->timeout_ms;
	/* librdkafka's log lines would repeat what describe says; -X
	   log_level=7 -X debug=admin brings them back */
	describe_conf_set(conf, "log_level", "0");
	if (a->config != NULL &&
	    (rc = describe_from_config(a, conf, c, cfgp)) >= 0)
		goto fail;
	for (i = 0; i < a->nprops; i++) {
		name = xstrndup(a->props[i], strcspn(a->props[i], "="));
		rc = describe_conf_set(conf, name, a->props[i] +
		    strlen(name) + 1) ? -1 : EXIT_USAGE;
		free(name);
		if (rc >= 0)
			goto fail;
	}
	if (a->bootstrap != NULL) {
		free(c->bootstrap);
		c->bootstrap = xstrdup(a->bootstrap);
		if (!describe_conf_set(conf, "bootstrap.servers",
		    a->bootstrap)) {
			rc = EXIT_USAGE;
			goto fail;
		}
	}
	if (a->group != NULL) {
		free(c->group);
		c->group = xstrdup(a->group);
	}
	if (describe_client_open(c, conf, errstr, sizeof errstr) != 0) {
		fprintf(stderr, "kconsumerctl: cannot make a Kafka client: "
		    "%s\n", errstr);
		return a->config != NULL ? EXIT_CONFIG : EXIT_USAGE;
	}
	return -1;
fail:
	rd_kafka_conf_destroy(conf);
	return rc;
}

/* Sleep until the monotonic time until, or until a signal asks to stop. */
static void
describe_sleep_until(int64_t until)
{
	struct timespec ts = { 0, 100 * 1000000L };
	int64_t left;

	while (!describe_stop && (left = until - clock_mono_ms()) > 0) {
		ts.tv_nsec = (left < 100 ? left : 100) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/* Describe once, or every --watch seconds; the exit status. */
static int
describe_loop(const struct describe_args *a, struct describe_client *c)
{
	struct describe_snap prev, cur;
	bool have_prev = false, said = false;
	int64_t next = clock_mono_ms();
	long prints = 0;
	int rc = EXIT_CLEAN;

	for (;;) {
		describe_snap_take(c, &cur);
		if (prints == 0 && cur.unreachable != NULL) {
			fprintf(stderr, "kconsumerctl: cannot reach the cluster: "
			    "%s\n", cur.unreachable);
			describe_snap_free(&cur);
			return EXIT_UNAVAILABLE;
		}
		describe_snap_compare(&cur, have_prev ? &prev : NULL);
		if (a->json)
			describe_print_json(&cur, stdout);
		else {
			if (prints > 0)
				fputc('\n', stdout);
			describe_print_text(&cur, a->watch > 0,
			    cur.unsupported && !said, stdout);
		}
		said = said || cur.unsupported;
		prints++;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			rc = EXIT_IOERR;
			describe_snap_free(&cur);
			break;
		}
		if (have_prev)
			describe_snap_free(&prev);
		prev = cur;
		have_prev = true;
		if (a->watch == 0 || (a->count > 0 && prints >= a->count))
			break;
		next += a->watch * 1000;
		describe_sleep_until(next);
		if (describe_stop)
			break;
	}
	if (have_prev)
		describe_snap_free(&prev);
	return rc;
}

/* kconsumerctl describe: argv[0] is "describe". */
int
describe_main(int argc, char **argv)
{
	struct describe_args a = { .timeout_ms = DESCRIBE_TIMEOUT_MS };
	struct describe_client c = { 0 };
	struct config *cfg = NULL;
	struct sigaction sa;
	int rc;

	if ((rc = describe_parse(argc, argv, &a)) >= 0)
		goto out;
	if ((rc = describe_setup(&a, &c, &cfg)) >= 0)
		goto out;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = describe_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = describe_loop(&a, &c);
out:
	describe_client_close(&c);
	free(c.group);
	free(c.bootstrap);
	free(a.props);
	if (cfg != NULL)
		config_free(cfg);
	return rc;
}
