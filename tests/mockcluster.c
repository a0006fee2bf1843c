/*
 * mockcluster.c: hosts librdkafka's mock cluster for the scenario tests,
 * and takes fault commands (broker down, injected errors...) while it runs.
 * With --create-on it starts no mock and creates topics on a real cluster.
 *
 * The main thread parses arguments, starts the cluster, then reads command
 * lines from a FIFO and/or stdin until "quit", SIGTERM or SIGINT. The mock
 * brokers and librdkafka's other threads call mock_log_cb, which touches
 * nothing but the log descriptor: each line is one write(2) with O_APPEND,
 * so lines from different threads never interleave.
 */
#include "autoconf.h"

#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "exitcodes.h"
#include "xmalloc.h"

#define MOCK_MAX_TOPICS	64
#define MOCK_MAX_ARGS	8
#define MOCK_LINE_MAX	1024

/* A topic to create: name and partition count. */
struct mock_topic {
	char	*name;
	int	 partitions;
};

/* One source of command lines (the FIFO or stdin) and its partial line. */
struct mock_input {
	const char	*name;
	int		 fd;
	char		 buf[MOCK_LINE_MAX];
	size_t		 len;
	int		 overlong;	/* discarding the rest of a long line */
};

/* A Kafka API that fault commands may name. */
struct mock_api {
	const char	*name;
	int16_t		 key;
};

/* A fault command: its first word, argument count bounds, handler. */
struct mock_cmd {
	const char	*name;
	int		 min_args;
	int		 max_args;
	const char	*usage;
	int		(*fn)(int, char **, char *, size_t);
};

static const struct mock_api mock_apis[] = {
	{ .name = "Produce",		.key = 0 },
	{ .name = "Fetch",		.key = 1 },
	{ .name = "ListOffsets",	.key = 2 },
	{ .name = "Metadata",		.key = 3 },
	{ .name = "OffsetCommit",	.key = 8 },
	{ .name = "OffsetFetch",	.key = 9 },
	{ .name = "FindCoordinator",	.key = 10 },
	{ .name = "JoinGroup",		.key = 11 },
	{ .name = "Heartbeat",		.key = 12 },
	{ .name = "LeaveGroup",		.key = 13 },
	{ .name = "SyncGroup",		.key = 14 },
	{ .name = "DescribeGroups",	.key = 15 },
	{ .name = "ListGroups",		.key = 16 },
	{ .name = "ApiVersions",	.key = 18 },
	{ .name = "InitProducerId",	.key = 22 },
	{ .name = "OffsetForLeaderEpoch", .key = 23 },
	{ .name = "AddPartitionsToTxn",	.key = 24 },
	{ .name = "AddOffsetsToTxn",	.key = 25 },
	{ .name = "EndTxn",		.key = 26 },
	{ .name = "TxnOffsetCommit",	.key = 28 },
};

static rd_kafka_mock_cluster_t	*mock_cluster;
static int			 mock_log_fd = STDERR_FILENO;
static int			 mock_brokers = 3;
static volatile sig_atomic_t	 mock_quit;

static int	mock_cmd_broker(int, char **, char *, size_t);
static int	mock_cmd_leader(int, char **, char *, size_t);
static int	mock_cmd_coordinator(int, char **, char *, size_t);
static int	mock_cmd_rtt(int, char **, char *, size_t);
static int	mock_cmd_error(int, char **, char *, size_t);
static int	mock_cmd_clear(int, char **, char *, size_t);
static int	mock_cmd_topic(int, char **, char *, size_t);
static int	mock_cmd_quit(int, char **, char *, size_t);

static const struct mock_cmd mock_cmds[] = {
	{ .name = "broker", .min_args = 2, .max_args = 2,
	  .usage = "broker down|up ID", .fn = mock_cmd_broker },
	{ .name = "leader", .min_args = 3, .max_args = 3,
	  .usage = "leader TOPIC PARTITION BROKER", .fn = mock_cmd_leader },
	{ .name = "coordinator", .min_args = 3, .max_args = 3,
	  .usage = "coordinator group|transaction KEY BROKER",
	  .fn = mock_cmd_coordinator },
	{ .name = "rtt", .min_args = 2, .max_args = 2,
	  .usage = "rtt BROKER MS", .fn = mock_cmd_rtt },
	{ .name = "error", .min_args = 2, .max_args = 3,
	  .usage = "error APINAME ERRNAME [COUNT]", .fn = mock_cmd_error },
	{ .name = "clear", .min_args = 1, .max_args = 1,
	  .usage = "clear APINAME", .fn = mock_cmd_clear },
	{ .name = "topic", .min_args = 2, .max_args = 2,
	  .usage = "topic TOPIC PARTITIONS", .fn = mock_cmd_topic },
	{ .name = "quit", .min_args = 0, .max_args = 0,
	  .usage = "quit", .fn = mock_cmd_quit },
};

static const char mock_usage[] =
"usage: mockcluster [-i] [-b BROKERS] [-c FIFO] [-d DEBUG] [-f FILE]\n"
"                   [-l LOGFILE] -t TOPIC:PARTITIONS ...\n"
"       mockcluster --create-on BOOTSTRAP [-r REPLICAS] [-X PROP=VALUE ...]\n"
"                   -t TOPIC:PARTITIONS ...\n"
"\n"
"Starts librdkafka's mock cluster for the scenario tests.\n"
"  -b BROKERS        number of brokers, ids 1..BROKERS (default 3)\n"
"  -t TOPIC:PARTS    create a topic (repeatable); replication min(3, BROKERS)\n"
"  -f FILE           write the bootstrap list to FILE (tmp + rename) when\n"
"                    ready; removed again on exit\n"
"  -l LOGFILE        append librdkafka's log and command results to LOGFILE,\n"
"                    one timestamped line each (default: stderr)\n"
"  -d DEBUG          librdkafka debug contexts (default: mock)\n"
"  -c FIFO           read commands from FIFO (created when missing)\n"
"  -i                read commands from stdin too (EOF ends the cluster\n"
"                    when there is no FIFO)\n"
"\n"
"Commands, one per line; each logs \"cmd ok: LINE\" or\n"
"\"cmd error: LINE: REASON\":\n"
"  broker down ID | broker up ID       (ID -1: every broker)\n"
"  leader TOPIC PARTITION BROKER\n"
"  coordinator group GROUP BROKER      (or: coordinator transaction ID B)\n"
"  rtt BROKER MS\n"
"  error APINAME ERRNAME [COUNT]       e.g. error Heartbeat\n"
"                                      REBALANCE_IN_PROGRESS 3\n"
"  clear APINAME                       drop pending injected errors\n"
"  topic TOPIC PARTITIONS\n"
"  quit\n"
"APINAME: Produce Fetch ListOffsets Metadata OffsetCommit OffsetFetch\n"
"FindCoordinator JoinGroup Heartbeat LeaveGroup SyncGroup ... or a number.\n"
"ERRNAME: any rd_kafka_err2name() name (FENCED_INSTANCE_ID, _TRANSPORT...)\n"
"or a number.\n"
"\n"
"--create-on BOOTSTRAP: start no mock; create the -t topics on a real\n"
"cluster with the admin API (replication -r, default: the broker's), -X\n"
"passes client properties. Exits 0 when every topic was created or exists.\n"
"\n"
"Exit status: 0 clean stop, 64 bad arguments, 1 failure.\n";

/* Append one timestamped line to the log with a single write. */
static void __attribute__((format(printf, 1, 2)))
mock_logf(const char *fmt, ...)
{
	char		 line[2048];
	struct timespec	 ts;
	struct tm	 tm;
	va_list		 ap;
	size_t		 n;
	int		 r;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(line + n, sizeof line - n, ".%03ldZ ",
	    ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	n += (size_t)r;
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(mock_log_fd, line, n) < 0)
		return;
}

/* librdkafka's log callback: any librdkafka thread, writes one line. */
static void
mock_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	mock_logf("rdkafka %d %s %s", level, fac, buf);
}

/* Print a message and the usage hint to stderr, then exit 64. */
static void __attribute__((format(printf, 1, 2), noreturn))
mock_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mockcluster: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mockcluster --help'.\n");
	exit(EXIT_USAGE);
}

/* Parse a whole decimal integer within [min, max]; -1 when it is not one. */
static int
mock_parse_int(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parse TOPIC:PARTITIONS into t; -1 when malformed. */
static int
mock_parse_topic(const char *arg, struct mock_topic *t)
{
	const char	*colon = strrchr(arg, ':');
	long		 parts;

	if (colon == NULL || colon == arg ||
	    mock_parse_int(colon + 1, 1, 100000, &parts) != 0)
		return -1;
	t->name = xstrndup(arg, (size_t)(colon - arg));
	t->partitions = (int)parts;
	return 0;
}

/* Free the names mock_parse_topic made. */
static void
mock_topics_free(struct mock_topic *topics, int ntopics)
{
	int i;

	for (i = 0; i < ntopics; i++)
		free(topics[i].name);
}

/* Find an API key by name (case-insensitive) or number; -1 if unknown. */
static int
mock_api_lookup(const char *name, int16_t *key)
{
	long	v;
	size_t	i;

	for (i = 0; i < sizeof mock_apis / sizeof mock_apis[0]; i++) {
		if (strcasecmp(mock_apis[i].name, name) == 0 ||
		    (strncasecmp(name, mock_apis[i].name,
		    strlen(mock_apis[i].name)) == 0 &&
		    strcasecmp(name + strlen(mock_apis[i].name),
		    "Request") == 0)) {
			*key = mock_apis[i].key;
			return 0;
		}
	}
	if (mock_parse_int(name, 0, INT16_MAX, &v) == 0) {
		*key = (int16_t)v;
		return 0;
	}
	return -1;
}

/* Find an error code by rd_kafka_err2name() name or number; -1 if none. */
static int
mock_err_lookup(const char *name, rd_kafka_resp_err_t *err)
{
	const struct rd_kafka_err_desc	*descs;
	size_t				 n, i;
	long				 v;

	if (strncasecmp(name, "RD_KAFKA_RESP_ERR_", 18) == 0)
		name += 18;
	rd_kafka_get_err_descs(&descs, &n);
	for (i = 0; i < n; i++) {
		if (descs[i].name != NULL &&
		    strcasecmp(descs[i].name, name) == 0) {
			*err = descs[i].code;
			return 0;
		}
	}
	if (mock_parse_int(name, -200, 1000, &v) == 0) {
		*err = (rd_kafka_resp_err_t)v;
		return 0;
	}
	return -1;
}

/* Turn a mock API result into a command result with its error name. */
static int
mock_result(rd_kafka_resp_err_t err, char *why, size_t len)
{
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	snprintf(why, len, "%s: %s", rd_kafka_err2name(err),
	    rd_kafka_err2str(err));
	return -1;
}

/* Parse a broker id: 1..N, or -1 (all) when allow_all is set. */
static int
mock_parse_broker(const char *s, int allow_all, int32_t *id, char *why,
    size_t len)
{
	long v;

	if (mock_parse_int(s, allow_all ? -1 : 1, mock_brokers, &v) != 0 ||
	    v == 0) {
		snprintf(why, len, "bad broker id '%s' (1..%d%s)", s,
		    mock_brokers, allow_all ? " or -1" : "");
		return -1;
	}
	*id = (int32_t)v;
	return 0;
}

/* "broker down|up ID": disconnect a broker or let it accept again. */
static int
mock_cmd_broker(int argc, char **argv, char *why, size_t len)
{
	int32_t id;

	if (mock_parse_broker(argv[2], 1, &id, why, len) != 0)
		return -1;
	if (strcmp(argv[1], "down") == 0)
		return mock_result(rd_kafka_mock_broker_set_down(mock_cluster,
		    id), why, len);
	if (strcmp(argv[1], "up") == 0)
		return mock_result(rd_kafka_mock_broker_set_up(mock_cluster,
		    id), why, len);
	snprintf(why, len, "expected 'down' or 'up', not '%s'", argv[1]);
	return -1;
}

/* "leader TOPIC PARTITION BROKER": move a partition's leadership. */
static int
mock_cmd_leader(int argc, char **argv, char *why, size_t len)
{
	long	part, id;

	if (mock_parse_int(argv[2], 0, INT32_MAX, &part) != 0) {
		snprintf(why, len, "bad partition '%s'", argv[2]);
		return -1;
	}
	if (mock_parse_int(argv[3], -1, mock_brokers, &id) != 0 || id == 0) {
		snprintf(why, len, "bad broker id '%s' (1..%d, or -1 for no "
		    "leader)", argv[3], mock_brokers);
		return -1;
	}
	return mock_result(rd_kafka_mock_partition_set_leader(mock_cluster,
	    argv[1], (int32_t)part, (int32_t)id), why, len);
}

/* "coordinator group|transaction KEY BROKER": pin a coordinator. */
static int
mock_cmd_coordinator(int argc, char **argv, char *why, size_t len)
{
	int32_t id;

	if (strcmp(argv[1], "group") != 0 &&
	    strcmp(argv[1], "transaction") != 0) {
		snprintf(why, len, "expected 'group' or 'transaction', not '%s'",
		    argv[1]);
		return -1;
	}
	if (mock_parse_broker(argv[3], 0, &id, why, len) != 0)
		return -1;
	return mock_result(rd_kafka_mock_coordinator_set(mock_cluster,
	    argv[1], argv[2], id), why, len);
}

/* "rtt BROKER MS": delay a broker's responses. */
static int
mock_cmd_rtt(int argc, char **argv, char *why, size_t len)
{
	int32_t	id;
	long	ms;

	if (mock_parse_broker(argv[1], 1, &id, why, len) != 0)
		return -1;
	if (mock_parse_int(argv[2], 0, 3600000, &ms) != 0) {
		snprintf(why, len, "bad milliseconds '%s'", argv[2]);
		return -1;
	}
	return mock_result(rd_kafka_mock_broker_set_rtt(mock_cluster, id,
	    (int)ms), why, len);
}

/* "error APINAME ERRNAME [COUNT]": fail the next COUNT such requests. */
static int
mock_cmd_error(int argc, char **argv, char *why, size_t len)
{
	rd_kafka_resp_err_t	*errs;
	rd_kafka_resp_err_t	 err;
	int16_t			 key;
	long			 cnt = 1, i;

	if (mock_api_lookup(argv[1], &key) != 0) {
		snprintf(why, len, "unknown API '%s'", argv[1]);
		return -1;
	}
	if (mock_err_lookup(argv[2], &err) != 0) {
		snprintf(why, len, "unknown error name '%s'", argv[2]);
		return -1;
	}
	if (argc > 3 && mock_parse_int(argv[3], 1, 100000, &cnt) != 0) {
		snprintf(why, len, "bad count '%s'", argv[3]);
		return -1;
	}
	errs = xcalloc((size_t)cnt, sizeof *errs);
	for (i = 0; i < cnt; i++)
		errs[i] = err;
	rd_kafka_mock_push_request_errors_array(mock_cluster, key,
	    (size_t)cnt, errs);
	free(errs);
	return 0;
}

/* "clear APINAME": drop the errors still queued for an API. */
static int
mock_cmd_clear(int argc, char **argv, char *why, size_t len)
{
	int16_t key;

	if (mock_api_lookup(argv[1], &key) != 0) {
		snprintf(why, len, "unknown API '%s'", argv[1]);
		return -1;
	}
	rd_kafka_mock_clear_request_errors(mock_cluster, key);
	return 0;
}

/* Create one topic with replication min(3, brokers). */
static rd_kafka_resp_err_t
mock_topic_create(const char *name, int partitions)
{
	return rd_kafka_mock_topic_create(mock_cluster, name, partitions,
	    mock_brokers < 3 ? mock_brokers : 3);
}

/* "topic TOPIC PARTITIONS": create another topic. */
static int
mock_cmd_topic(int argc, char **argv, char *why, size_t len)
{
	long parts;

	if (mock_parse_int(argv[2], 1, 100000, &parts) != 0) {
		snprintf(why, len, "bad partition count '%s'", argv[2]);
		return -1;
	}
	return mock_result(mock_topic_create(argv[1], (int)parts), why, len);
}

/* "quit": stop the cluster and exit cleanly. */
static int
mock_cmd_quit(int argc, char **argv, char *why, size_t len)
{
	mock_quit = 1;
	return 0;
}

/* Run one command line and log its result; blank and # lines are skipped. */
static void
mock_run_line(char *line)
{
	char		 copy[MOCK_LINE_MAX], why[512];
	char		*argv[MOCK_MAX_ARGS + 1], *p, *save = NULL;
	int		 argc = 0;
	size_t		 i;

	while (isspace((unsigned char)*line))
		line++;
	p = line + strlen(line);
	while (p > line && isspace((unsigned char)p[-1]))
		*--p = '\0';
	if (*line == '\0' || *line == '#')
		return;
	snprintf(copy, sizeof copy, "%s", line);
	for (p = strtok_r(copy, " \t", &save); p != NULL;
	    p = strtok_r(NULL, " \t", &save)) {
		if (argc == MOCK_MAX_ARGS) {
			mock_logf("cmd error: %s: too many words", line);
			return;
		}
		argv[argc++] = p;
	}
	argv[argc] = NULL;

	for (i = 0; i < sizeof mock_cmds / sizeof mock_cmds[0]; i++) {
		const struct mock_cmd *c = &mock_cmds[i];

		if (strcmp(argv[0], c->name) != 0)
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
			mock_logf("cmd error: %s: usage: %s", line, c->usage);
			return;
		}
		why[0] = '\0';
		if (c->fn(argc, argv, why, sizeof why) == 0)
			mock_logf("cmd ok: %s", line);
		else
			mock_logf("cmd error: %s: %s", line, why);
		return;
	}
	mock_logf("cmd error: %s: unknown command", line);
}

/* Read what is available on an input and run each complete line. */
static int
mock_input_read(struct mock_input *in)
{
	ssize_t	 n;
	char	*nl, *start;

	n = read(in->fd, in->buf + in->len, sizeof in->buf - in->len - 1);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	in->len += (size_t)n;
	in->buf[in->len] = '\0';
	start = in->buf;
	while ((nl = strchr(start, '\n')) != NULL) {
		*nl = '\0';
		if (!in->overlong)
			mock_run_line(start);
		in->overlong = 0;
		start = nl + 1;
	}
	in->len -= (size_t)(start - in->buf);
	memmove(in->buf, start, in->len);
	if (in->len == sizeof in->buf - 1) {
		if (!in->overlong)
			mock_logf("cmd error: line on %s longer than %zu bytes",
			    in->name, sizeof in->buf - 2);
		in->overlong = 1;
		in->len = 0;
	}
	return 0;
}

/* Signal handler for SIGTERM and SIGINT: ask the main loop to stop. */
static void
mock_on_signal(int sig)
{
	mock_quit = 1;
}

/* Open (creating if missing) the command FIFO; exits on failure. */
static int
mock_fifo_open(const char *path)
{
	struct stat	st;
	int		fd;

	if (mkfifo(path, 0600) != 0 && errno != EEXIST) {
		fprintf(stderr, "mockcluster: mkfifo %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	/* O_RDWR keeps a writer open, so writers coming and going is no EOF. */
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		fprintf(stderr, "mockcluster: %s: %s\n", path,
		    fd < 0 ? strerror(errno) : "not a FIFO");
		exit(1);
	}
	return fd;
}

/* Write the bootstrap list to path via a temporary file and rename. */
static void
mock_write_bootstraps(const char *path, const char *bootstraps)
{
	char	*tmp;
	FILE	*f;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL ||
	    fprintf(f, "%s\n", bootstraps) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "mockcluster: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		exit(1);
	}
	free(tmp);
}

/* Wait for commands on the inputs until quit, a signal or no input left. */
static void
mock_serve(struct mock_input *ins, int nin)
{
	struct pollfd	pfd[2];
	sigset_t	empty;
	int		i, live;

	sigemptyset(&empty);
	while (!mock_quit) {
		live = 0;
		for (i = 0; i < nin; i++) {
			pfd[i].fd = ins[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (ins[i].fd >= 0)
				live++;
		}
		if (nin > 0 && live == 0)
			break;
		if (ppoll(pfd, (nfds_t)nin, NULL, &empty) < 0) {
			if (errno == EINTR)
				continue;
			mock_logf("mockcluster: poll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < nin && !mock_quit; i++) {
			if (pfd[i].revents == 0 || ins[i].fd < 0)
				continue;
			if (mock_input_read(&ins[i]) != 0) {
				mock_logf("mockcluster: end of commands on %s",
				    ins[i].name);
				ins[i].fd = -1;
			}
		}
	}
}

/* Start the cluster, create topics, publish bootstraps, serve commands. */
static int
mock_run(struct mock_topic *topics, int ntopics, const char *debug,
    const char *bootfile, const char *fifo, int use_stdin)
{
	struct mock_input	 ins[2];
	rd_kafka_conf_t		*conf;
	rd_kafka_t		*rk;
	rd_kafka_resp_err_t	 err;
	char			 errstr[512];
	int			 i, nin = 0;

	memset(ins, 0, sizeof ins);
	if (fifo != NULL) {
		ins[nin].name = fifo;
		ins[nin++].fd = mock_fifo_open(fifo);
	}
	if (use_stdin) {
		ins[nin].name = "stdin";
		ins[nin++].fd = STDIN_FILENO;
	}

	conf = rd_kafka_conf_new();
	rd_kafka_conf_set_log_cb(conf, mock_log_cb);
	if (rd_kafka_conf_set(conf, "debug", debug, errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK)
		mock_usage_error("-d %s: %s", debug, errstr);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (rk == NULL) {
		fprintf(stderr, "mockcluster: rd_kafka_new: %s\n", errstr);
		return 1;
	}
	mock_cluster = rd_kafka_mock_cluster_new(rk, mock_brokers);
	if (mock_cluster == NULL) {
		fprintf(stderr, "mockcluster: cannot start the mock cluster\n");
		rd_kafka_destroy(rk);
		return 1;
	}
	for (i = 0; i < ntopics; i++) {
		err = mock_topic_create(topics[i].name, topics[i].partitions);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "mockcluster: topic %s: %s\n",
			    topics[i].name, rd_kafka_err2str(err));
			rd_kafka_mock_cluster_destroy(mock_cluster);
			rd_kafka_destroy(rk);
			return 1;
		}
		mock_logf("mockcluster: topic %s partitions=%d", topics[i].name,
		    topics[i].partitions);
	}
	mock_logf("mockcluster: ready brokers=%d bootstraps=%s", mock_brokers,
	    rd_kafka_mock_cluster_bootstraps(mock_cluster));
	if (bootfile != NULL)
		mock_write_bootstraps(bootfile,
		    rd_kafka_mock_cluster_bootstraps(mock_cluster));
	else
		printf("%s\n", rd_kafka_mock_cluster_bootstraps(mock_cluster));
	fflush(stdout);

	mock_serve(ins, nin);

	mock_logf("mockcluster: stopping");
	if (bootfile != NULL)
		unlink(bootfile);
	rd_kafka_mock_cluster_destroy(mock_cluster);
	rd_kafka_destroy(rk);
	mock_logf("mockcluster: stopped");
	return 0;
}

/* Create topics on a real cluster; 0 when each was created or exists. */
static int
mock_create_on(const char *bootstrap, struct mock_topic *topics, int ntopics,
    int replicas, char **props, int nprops)
{
	rd_kafka_NewTopic_t		**nt;
	rd_kafka_conf_t			 *conf;
	rd_kafka_t			 *rk;
	rd_kafka_queue_t		 *q;
	rd_kafka_AdminOptions_t		 *opts;
	rd_kafka_event_t		 *ev;
	const rd_kafka_topic_result_t	**res;
	char				  errstr[512], *eq;
	size_t				  nres, j;
	int				  i, failed = 0;

	conf = rd_kafka_conf_new();
	for (i = 0; i < nprops; i++) {
		if ((eq = strchr(props[i], '=')) == NULL)
			mock_usage_error("-X %s: expected PROP=VALUE", props[i]);
		*eq = '\0';
		if (rd_kafka_conf_set(conf, props[i], eq + 1, errstr,
		    sizeof errstr) != RD_KAFKA_CONF_OK)
			mock_usage_error("-X %s: %s", props[i], errstr);
	}
	if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK)
		mock_usage_error("--create-on %s: %s", bootstrap, errstr);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr,
	    sizeof errstr)) == NULL) {
		fprintf(stderr, "mockcluster: rd_kafka_new: %s\n", errstr);
		return 1;
	}
	nt = xcalloc((size_t)ntopics, sizeof *nt);
	for (i = 0; i < ntopics; i++) {
		nt[i] = rd_kafka_NewTopic_new(topics[i].name,
		    topics[i].partitions, replicas, errstr, sizeof errstr);
		if (nt[i] == NULL)
			mock_usage_error("topic %s: %s", topics[i].name, errstr);
	}
	q = rd_kafka_queue_new(rk);
	opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_AdminOptions_set_operation_timeout(opts, 30000, errstr,
	    sizeof errstr);
	rd_kafka_AdminOptions_set_request_timeout(opts, 30000, errstr,
	    sizeof errstr);
	rd_kafka_CreateTopics(rk, nt, (size_t)ntopics, opts, q);

	ev = rd_kafka_queue_poll(q, 60000);
	if (ev == NULL || rd_kafka_event_error(ev) != 0) {
		fprintf(stderr, "mockcluster: CreateTopics on %s: %s\n",
		    bootstrap, ev == NULL ? "timed out" :
		    rd_kafka_event_error_string(ev));
		failed = 1;
	} else {
		res = rd_kafka_CreateTopics_result_topics(
		    rd_kafka_event_CreateTopics_result(ev), &nres);
		for (j = 0; j < nres; j++) {
			rd_kafka_resp_err_t e = rd_kafka_topic_result_error(
			    res[j]);

			if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
				printf("created %s\n",
				    rd_kafka_topic_result_name(res[j]));
			else if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
				printf("exists %s\n",
				    rd_kafka_topic_result_name(res[j]));
			else {
				fprintf(stderr, "mockcluster: topic %s: %s\n",
				    rd_kafka_topic_result_name(res[j]),
				    rd_kafka_topic_result_error_string(res[j]));
				failed = 1;
			}
		}
	}
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(opts);
	rd_kafka_NewTopic_destroy_array(nt, (size_t)ntopics);
	free(nt);
	rd_kafka_queue_destroy(q);
	rd_kafka_destroy(rk);
	return failed;
}

/* Parse arguments and run the mock, or create topics with --create-on. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "create-on",	required_argument,	NULL, 'C' },
		{ NULL,		0,			NULL, 0 },
	};
	struct mock_topic	 topics[MOCK_MAX_TOPICS];
	struct sigaction	 sa;
	sigset_t		 block;
	char			*props[MOCK_MAX_TOPICS];
	const char		*debug = "mock", *bootfile = NULL, *fifo = NULL;
	const char		*logfile = NULL, *create_on = NULL;
	long			 v, replicas = -1;
	int			 ch, ntopics = 0, nprops = 0, use_stdin = 0, rc;

	while ((ch = getopt_long(argc, argv, "b:c:d:f:hil:r:t:X:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (mock_parse_int(optarg, 1, 64, &v) != 0)
				mock_usage_error("-b %s: expected 1..64 brokers",
				    optarg);
			mock_brokers = (int)v;
			break;
		case 'c':
			fifo = optarg;
			break;
		case 'C':
			create_on = optarg;
			break;
		case 'd':
			debug = optarg;
			break;
		case 'f':
			bootfile = optarg;
			break;
		case 'h':
			fputs(mock_usage, stdout);
			return 0;
		case 'i':
			use_stdin = 1;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'r':
			if (mock_parse_int(optarg, -1, 32, &replicas) != 0 ||
			    replicas == 0)
				mock_usage_error("-r %s: expected 1..32 or -1",
				    optarg);
			break;
		case 't':
			if (ntopics == MOCK_MAX_TOPICS)
				mock_usage_error("too many topics (max %d)",
				    MOCK_MAX_TOPICS);
			if (mock_parse_topic(optarg, &topics[ntopics]) != 0)
				mock_usage_error("-t %s: expected "
				    "TOPIC:PARTITIONS", optarg);
			ntopics++;
			break;
		case 'X':
			if (nprops == MOCK_MAX_TOPICS)
				mock_usage_error("too many -X");
			props[nprops++] = optarg;
			break;
		default:
			mock_usage_error("bad option");
		}
	}
	if (optind < argc)
		mock_usage_error("unexpected argument '%s'", argv[optind]);

	if (create_on != NULL) {
		if (ntopics == 0)
			mock_usage_error("--create-on needs at least one -t");
		rc = mock_create_on(create_on, topics, ntopics, (int)replicas,
		    props, nprops);
		mock_topics_free(topics, ntopics);
		return rc;
	}
	if (nprops > 0 || replicas != -1)
		mock_usage_error("-X and -r only go with --create-on");

	if (logfile != NULL) {
		mock_log_fd = open(logfile,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (mock_log_fd < 0) {
			fprintf(stderr, "mockcluster: %s: %s\n", logfile,
			    strerror(errno));
			return 1;
		}
	}

	/* Signals are blocked but while waiting in ppoll(): no lost wakeup. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = mock_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
#ifdef PR_SET_PDEATHSIG
	/* A test script killed outright must not leave its cluster behind. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		mock_quit = 1;
#endif

	rc = mock_run(topics, ntopics, debug, bootfile, fifo, use_stdin);
	mock_topics_free(topics, ntopics);
	return rc;
}
