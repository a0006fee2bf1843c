/*
 * timeline_cmd.c: "kconsumerctl timeline": options, opening the LOGs,
 * then the table (or JSON with --json) on stdout and the chart with --svg.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "opt.h"
#include "timeline.h"
#include "xmalloc.h"

enum {
	TIMELINE_OPT_SINCE = 256,
	TIMELINE_OPT_GAP,
	TIMELINE_OPT_SVG,
	TIMELINE_OPT_JSON,
	TIMELINE_OPT_BROKER_LOG,
	TIMELINE_OPT_SINK,
};

static const struct option timeline_options[] = {
	{ "since",	required_argument,	NULL, TIMELINE_OPT_SINCE },
	{ "gap",	required_argument,	NULL, TIMELINE_OPT_GAP },
	{ "svg",	required_argument,	NULL, TIMELINE_OPT_SVG },
	{ "json",	no_argument,		NULL, TIMELINE_OPT_JSON },
	{ "broker-log",	required_argument,	NULL, TIMELINE_OPT_BROKER_LOG },
	{ "sink",	required_argument,	NULL, TIMELINE_OPT_SINK },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 },
};

/* Print the timeline command's help. */
void
timeline_usage(FILE *fp)
{
	fprintf(fp,
"usage: kconsumerctl timeline [--since TS] [--gap MS] [--svg FILE] [--json]\n"
"                             [--broker-log FILE]... [--sink FILE]... LOG...\n"
"\n"
"Rebuild who owned which partition when from kconsumerd's JSON event logs\n"
"(log.format = json), one or more LOG files or - for stdin, merged by time.\n"
"Print one block per rebalance episode: start, what triggered it, each\n"
"partition that changed hands (orders[3]: A -> B) and how long it had no\n"
"owner, then a summary and the owners at the end of the logs. An episode\n"
"is a group rebalance only when a revoke or assign in it has origin\n"
"rebalance: members' own starts, closes (SIGTERM) and joins are not.\n"
"\n"
"      --since TS   leave out episodes before TS (RFC 3339, e.g.\n"
"                   2026-11-21T08:48:00Z); earlier events still tell who\n"
"                   owned what at TS\n"
"      --gap MS     an event within MS milliseconds of an episode's last\n"
"                   event belongs to that episode (default %d: above the\n"
"                   coordinator's rebalance delay for session.timeout.ms\n"
"                   up to 11 s; raise it for longer session timeouts)\n"
"      --svg FILE   also draw the ownership chart as SVG into FILE\n"
"      --json       print one JSON object instead of the table: members,\n"
"                   partitions, intervals, episodes with their moves\n"
"      --broker-log FILE\n"
"                   Kafka's server.log (repeatable): each episode also shows\n"
"                   the coordinator's reason (member joined, left with\n"
"                   LeaveGroup, removed on session timeout, max.poll\n"
"                   eviction, static member replaced, metadata change) and\n"
"                   who caused it; its times are read as local time\n"
"      --sink FILE  a member's sink file in the JSON format (repeatable):\n"
"                   each handover also counts the records the new owner\n"
"                   read again (found twice across the files)\n"
"  -h, --help       print this help\n"
"\n"
"Lines that are not kconsumerd events are skipped and counted on stderr.\n"
"Exit status: 0 ok, 64 usage, 66 a LOG cannot be opened, 73 the SVG\n"
"cannot be written. See kconsumerctl(1).\n", TIMELINE_GAP_MS);
}

/* Open every LOG ("-" is stdin); on failure say which and why. */
static FILE **
timeline_open_all(int n, char **names)
{
	FILE **fps = xcalloc((size_t)n + 1, sizeof *fps);
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "-") == 0)
			fps[i] = stdin;
		else if ((fps[i] = fopen(names[i], "r")) == NULL) {
			fprintf(stderr, "kconsumerctl: cannot open %s: %s\n",
			    names[i], strerror(errno));
			while (i-- > 0)
				if (fps[i] != stdin)
					fclose(fps[i]);
			free(fps);
			return NULL;
		}
	}
	return fps;
}

/* Write the chart to path; the exit status. */
static int
timeline_write_svg(const struct timeline *tl, const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "kconsumerctl: cannot create %s: %s\n", path,
		    strerror(errno));
		return EXIT_CANTCREAT;
	}
	if (timeline_svg_write(tl, fp) != 0 || fflush(fp) != 0 ||
	    ferror(fp)) {
		fprintf(stderr, "kconsumerctl: cannot write %s: %s\n", path,
		    strerror(errno));
		fclose(fp);
		return EXIT_CANTCREAT;
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "kconsumerctl: cannot write %s: %s\n", path,
		    strerror(errno));
		return EXIT_CANTCREAT;
	}
	return EXIT_CLEAN;
}

/* The files besides the LOGs: broker logs and sinks. */
struct timeline_extra {
	char	**brokers;
	int	  nbrokers;
	char	**sinks;
	int	  nsinks;
};

/* Add path to a list of n. */
static char **
timeline_extra_add(char **list, int *n, char *path)
{
	list = xreallocarray(list, (size_t)*n + 1, sizeof *list);
	list[(*n)++] = path;
	return list;
}

/* Free the lists (not the paths: they are argv's). */
static void
timeline_extra_free(struct timeline_extra *x)
{
	free(x->brokers);
	free(x->sinks);
}

/* Read each of the n files at paths with read (broker logs, sinks); the
   exit status. */
static int
timeline_read_files(struct timeline *tl, int n, char **paths,
    int (*read)(struct timeline *, FILE *))
{
	FILE *fp;
	int i, rc = EXIT_CLEAN;

	for (i = 0; i < n; i++) {
		if ((fp = fopen(paths[i], "r")) == NULL) {
			fprintf(stderr, "kconsumerctl: cannot open %s: %s\n",
			    paths[i], strerror(errno));
			return EXIT_NOINPUT;
		}
		if (read(tl, fp) != 0) {
			fprintf(stderr, "kconsumerctl: cannot read %s: %s\n",
			    paths[i], strerror(errno));
			rc = EXIT_NOINPUT;
		}
		fclose(fp);
	}
	return rc;
}

/* Read the LOGs (and broker logs), print the table, write the chart;
   the exit status. */
static int
timeline_run(int64_t gap, int64_t since, const char *svg, bool json, int n,
    char **names, const struct timeline_extra *x)
{
	struct timeline tl;
	FILE **fps;
	int i, rc = EXIT_CLEAN;

	if ((fps = timeline_open_all(n, names)) == NULL)
		return EXIT_NOINPUT;
	timeline_init(&tl, gap, since);
	for (i = 0; i < n; i++) {
		timeline_name_stream(&tl, i, names[i]);
		if (timeline_read(&tl, fps[i]) != 0) {
			fprintf(stderr, "kconsumerctl: cannot read %s: %s\n",
			    names[i], strerror(errno));
			rc = EXIT_NOINPUT;
		}
		if (fps[i] != stdin)
			fclose(fps[i]);
	}
	free(fps);
	tl.broker_logs = x->nbrokers > 0;
	if (rc == EXIT_CLEAN)
		rc = timeline_read_files(&tl, x->nbrokers, x->brokers,
		    timeline_broker_read);
	if (rc == EXIT_CLEAN)
		rc = timeline_read_files(&tl, x->nsinks, x->sinks,
		    timeline_sinks_read);
	if (rc != EXIT_CLEAN) {
		timeline_free(&tl);
		return rc;
	}
	timeline_build(&tl);
	timeline_broker_match(&tl);
	timeline_sinks_count(&tl);
	timeline_print_skipped(&tl, stderr);
	if (json)
		timeline_json_write(&tl, stdout);
	else
		timeline_print(&tl, stdout);
	if (fflush(stdout) != 0)
		rc = EXIT_IOERR;
	if (svg != NULL && rc == EXIT_CLEAN)
		rc = timeline_write_svg(&tl, svg);
	timeline_free(&tl);
	return rc;
}

/* kconsumerctl timeline: argv[0] is "timeline". */
int
timeline_main(int argc, char **argv)
{
	int64_t gap = TIMELINE_GAP_MS, since = TIMELINE_NO_SINCE;
	const char *svg = NULL;
	struct timeline_extra x = { NULL, 0, NULL, 0 };
	bool json = false;
	int ch, rc;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", timeline_options,
	    NULL)) != -1) {
		switch (ch) {
		case TIMELINE_OPT_SINCE:
			if (!timeline_parse_time(optarg, &since)) {
				fprintf(stderr, "kconsumerctl: --since wants an "
				    "RFC 3339 time such as "
				    "2026-11-21T08:48:00Z, not '%s'\n", optarg);
				timeline_extra_free(&x);
				return EXIT_USAGE;
			}
			break;
		case TIMELINE_OPT_GAP:
			if (opt_parse_int(optarg, 0, INT64_MAX, &gap) != 0) {
				fprintf(stderr, "kconsumerctl: --gap wants "
				    "milliseconds >= 0, not '%s'\n", optarg);
				timeline_extra_free(&x);
				return EXIT_USAGE;
			}
			break;
		case TIMELINE_OPT_SVG:
			svg = optarg;
			break;
		case TIMELINE_OPT_JSON:
			json = true;
			break;
		case TIMELINE_OPT_BROKER_LOG:
			x.brokers = timeline_extra_add(x.brokers, &x.nbrokers,
			    optarg);
			break;
		case TIMELINE_OPT_SINK:
			x.sinks = timeline_extra_add(x.sinks, &x.nsinks,
			    optarg);
			break;
		case 'h':
			timeline_usage(stdout);
			timeline_extra_free(&x);
			return EXIT_CLEAN;
		default:
			timeline_extra_free(&x);
			return opt_error(stderr, "kconsumerctl", ch,
			    argv, "kconsumerctl timeline --help");
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "kconsumerctl: timeline wants at least one "
		    "LOG, a file or - for stdin (try kconsumerctl timeline "
		    "--help)\n");
		timeline_extra_free(&x);
		return EXIT_USAGE;
	}
	rc = timeline_run(gap, since, svg, json, argc - optind, argv + optind,
	    &x);
	timeline_extra_free(&x);
	return rc;
}
