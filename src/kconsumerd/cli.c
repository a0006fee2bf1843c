/*
 * cli.c: parsing kconsumerd's command line.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "cli.h"
#include "exitcodes.h"
#include "opt.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

static const char cli_default_path[] = SYSCONFDIR "/kconsumerd/kconsumerd.conf";

static const struct option cli_long_options[] = {
	{ "config",		required_argument,	NULL, 'c' },
	{ "test-config",	no_argument,		NULL, 't' },
	{ "print-config",	no_argument,		NULL, 'p' },
	{ "count",		required_argument,	NULL, 'n' },
	{ "demo",		no_argument,		NULL, 'D' },
	{ "bootstrap",		required_argument,	NULL, 'B' },
	{ "compare",		no_argument,		NULL, 'C' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 },
};

/* The configuration file used when -c is not given. */
const char *
cli_default_config(void)
{
	return cli_default_path;
}

/* Print usage; it fits on one screen. */
void
cli_usage(FILE *fp)
{
	fprintf(fp,
"usage: kconsumerd [-tp] [-c FILE] [-n N]\n"
"       kconsumerd --demo [-c FILE | --compare] [--bootstrap LIST]\n"
"\n"
"Run Kafka consumer-group members from a configuration file and log every\n"
"rebalance (assign, revoke, lost) they go through.\n"
"\n"
"  -c, --config FILE    configuration file; .yaml/.yml is read as YAML,\n"
"                       anything else as libconfig\n"
"                       (default %s)\n"
"  -t, --test-config    check the configuration and exit (0 valid, 78 not)\n"
"  -p, --print-config   print the effective configuration and exit\n"
"  -n, --count N        stop cleanly after N messages reached the sink\n"
"      --demo           run on an embedded mock cluster (3 brokers, topic\n"
"                       \"demo\"), showing members join, leave and rejoin\n"
"      --bootstrap LIST with --demo: play it on this real cluster instead\n"
"                       (topic kconsumerd-demo), with static members and a\n"
"                       restart within session.timeout.ms\n"
"      --compare        with --demo: play it once per protocol (eager,\n"
"                       cooperative, consumer where librdkafka and the\n"
"                       cluster can) and end with one table of their costs\n"
"  -V, --version        print kconsumerd's and librdkafka's versions\n"
"  -h, --help           print this help\n"
"\n"
"Signals: TERM/INT stop cleanly (commit, close), a second one exits at once;\n"
"HUP reopens the sink and log files; USR1 logs each member's state.\n"
"Exit status: 0 clean stop, 64 usage, 70 internal error, 76 fatal Kafka\n"
"error (e.g. fenced instance id), 77 credentials refused or TLS failed,\n"
"78 invalid configuration.\n"
"See kconsumerd(8) and kconsumerd.conf(5).\n",
	    cli_default_path);
}

/* Parse argv into c; see cli.h for the return value. */
int
cli_parse(int argc, char **argv, struct cli *c, FILE *out, FILE *err)
{
	int ch;

	memset(c, 0, sizeof *c);
	c->config_path = cli_default_path;
	optind = 0;	/* glibc: start over, forgetting any earlier bundle */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:tpn:Vh", cli_long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			c->config_path = optarg;
			c->config_given = true;
			break;
		case 't':
			c->test_config = true;
			break;
		case 'p':
			c->print_config = true;
			break;
		case 'n':
			if (opt_parse_int(optarg, 1, INT64_MAX, &c->count) != 0) {
				fprintf(err, "kconsumerd: -n wants a whole "
				    "number of messages >= 1, not '%s'\n",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'D':
			c->demo = true;
			break;
		case 'B':
			c->demo_bootstrap = optarg;
			break;
		case 'C':
			c->demo_compare = true;
			break;
		case 'V':
			fprintf(out, "kconsumerd %s (librdkafka %s)\n",
			    PACKAGE_VERSION, rd_kafka_version_str());
			return EXIT_CLEAN;
		case 'h':
			cli_usage(out);
			return EXIT_CLEAN;
		default:
			return opt_error(err, "kconsumerd", ch, argv,
			    "--help");
		}
	}
	if (optind < argc) {
		fprintf(err, "kconsumerd: unexpected argument '%s' "
		    "(try --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (c->test_config && c->print_config) {
		fprintf(err, "kconsumerd: -t and -p exclude each other\n");
		return EXIT_USAGE;
	}
	if (c->demo_bootstrap != NULL && !c->demo) {
		fprintf(err, "kconsumerd: --bootstrap goes with --demo (a "
		    "daemon takes kafka.bootstrap.servers from its "
		    "configuration)\n");
		return EXIT_USAGE;
	}
	if (c->demo_compare && (!c->demo || c->config_given)) {
		fprintf(err, "kconsumerd: --compare goes with --demo and its "
		    "built-in configurations, not with -c\n");
		return EXIT_USAGE;
	}
	if (c->demo && (c->test_config || c->print_config)) {
		fprintf(err, "kconsumerd: --demo runs a demo; it does not "
		    "go with -t or -p\n");
		return EXIT_USAGE;
	}
	return -1;
}
