/*
 * t_log.c: the logger's text and JSON records carry the same fields.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "partlist.h"
#include "tap.h"

static char log_path[] = "/tmp/t_log.XXXXXX";

/* Read the whole log file and truncate it. */
static char *
slurp(void)
{
	FILE *fp = fopen(log_path, "r");
	char *s = calloc(1, 65536);
	size_t n = fread(s, 1, 65535, fp);

	s[n] = '\0';
	fclose(fp);
	if (truncate(log_path, 0) != 0)
		perror("truncate");
	return s;
}

/* Emit the sample rebalance record used by both formats. */
static void
emit_sample(void)
{
	struct partlist_item parts[] = {
		{ .topic = "orders", .partition = 0, .num = { 5 } },
		{ .topic = "orders", .partition = 3, .num = { -1 } },
	};
	struct logrec *r = logrec_new(LOG_LEVEL_INFO, "assign");

	logrec_int(r, "consumer", 1);
	logrec_str(r, "group", "g one");
	logrec_null(r, "instance_id");
	logrec_str(r, "protocol", "COOPERATIVE");
	logrec_parts(r, "partitions", parts, 2);
	logrec_int(r, "assignment", 2);
	logrec_bool(r, "first", true);
	logrec_emit(r);
}

int
main(void)
{
	char ts[32];
	char *s;
	int fd;

	if ((fd = mkstemp(log_path)) < 0)
		return 1;
	close(fd);

	log_format_time(ts, 1700000000123LL);
	is_str(ts, "2023-11-14T22:13:20.123Z",
	    "timestamps are RFC 3339 UTC with milliseconds");
	log_format_time(ts, 1700000000007LL);
	is_str(ts, "2023-11-14T22:13:20.007Z", "milliseconds are zero-padded");

	ok(log_configure(LOG_LEVEL_INFO, LOG_FORMAT_JSON, log_path) == 0,
	    "the logger opens a file");
	emit_sample();
	s = slurp();
	like(s, "{\"ts\":\"", "a JSON record starts with ts");
	like(s, "\"level\":\"info\",\"event\":\"assign\",\"consumer\":1,"
	    "\"group\":\"g one\",\"instance_id\":null,"
	    "\"protocol\":\"COOPERATIVE\",\"partitions\":["
	    "{\"topic\":\"orders\",\"partition\":0,\"offset\":5},"
	    "{\"topic\":\"orders\",\"partition\":3,\"offset\":-1}],"
	    "\"assignment\":2,\"first\":true}\n",
	    "a JSON record has the envelope and every field in order");
	ok(strchr(s, '\n') == s + strlen(s) - 1, "a JSON record is one line");
	free(s);

	log_configure(LOG_LEVEL_INFO, LOG_FORMAT_TEXT, log_path);
	emit_sample();
	s = slurp();
	like(s, " level=info event=assign consumer=1 group=\"g one\" "
	    "instance_id=- protocol=COOPERATIVE "
	    "partitions=orders[0]@5,orders[3]@-1 assignment=2 first=true\n",
	    "a text record has the same fields as key=value");
	ok(strncmp(s, "ts=", 3) == 0, "a text record starts with ts=");
	free(s);

	log_configure(LOG_LEVEL_WARN, LOG_FORMAT_TEXT, log_path);
	log_info("hidden %d", 1);
	log_warnx("shown %d", 2);
	s = slurp();
	ok(strstr(s, "hidden") == NULL, "records below the level are dropped");
	like(s, "level=warn event=log msg=\"shown 2\"",
	    "free-text messages are log events with a msg field");
	free(s);

	log_configure(LOG_LEVEL_DEBUG, LOG_FORMAT_JSON, log_path);
	log_debug("quote \" and newline \n end");
	s = slurp();
	like(s, "\"msg\":\"quote \\\" and newline \\n end\"}",
	    "JSON messages escape quotes and newlines");
	free(s);

	is_int(log_level_parse("debug"), LOG_LEVEL_DEBUG, "level names parse");
	is_int(log_level_parse("loud"), -1, "unknown level names are refused");

	log_free();
	unlink(log_path);
	return tap_done();
}
