/*
 * t_sink_verdict.c: the exec sink under sink.per_record gives a verdict
 * per record (the command's exit status), and sink_write_record follows
 * sink.on_error: stop returns the rejection after one try, retry tries
 * 1 + retry_max times, dead_letter to a file settles the record there
 * (in the sink's format) and counts it; a good record is taken, not
 * dead-lettered; a command the shell cannot find fails the sink instead
 * of rejecting every record.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sink_util.h"
#include "tap.h"

static char dir[] = "/tmp/t_sink_verdict.XXXXXX";
static char taken[256], dead[256], cmd[600];

/* A per-record exec sink that takes records whose value is "good"
   (appending them to taken) and rejects the others with status 3. */
static struct config
verdict_config(int on_error, int64_t retry_max)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);

	snprintf(cmd, sizeof cmd, "l=$(cat); case $l in "
	    "*'\"value\":\"good\"'*) printf '%%s\\n' \"$l\" >> '%s';; "
	    "*) exit 3;; esac", taken);
	cfg.sink.command = cmd;
	cfg.sink.per_record = 1;
	cfg.sink.on_error = on_error;
	cfg.sink.retry_max = retry_max;
	cfg.sink.retry_backoff_ms = 10;
	cfg.shutdown.timeout_ms = 2000;
	return cfg;
}

/* Format rec as the sink would and write it with sink_write_record. */
static int
write_one(struct sink *s, const struct config *cfg, int64_t offset,
    const char *v, struct sink_outcome *out)
{
	struct sink_record rec = sink_util_record(offset, v);
	struct buf b;
	int rc;

	buf_init(&b);
	format_record(&b, cfg, &rec);
	rc = sink_write_record(s, &rec, b.data, b.len, out);
	buf_free(&b);
	return rc;
}

/* stop: a good record is taken; a bad one is rejected after one try. */
static void
test_stop(void)
{
	struct config cfg = verdict_config(CONFIG_SINK_ON_ERROR_STOP, 5);
	struct sink_outcome out;
	struct sink_stats st;
	struct sink *s = sink_open(&cfg);

	ok(s != NULL && sink_verdicts(s), "stop: the sink gives verdicts");
	is_int(write_one(s, &cfg, 0, "good", &out), 0, "stop: a good record "
	    "is taken");
	ok(!out.dead_lettered && out.attempts == 1, "stop: at the first "
	    "try, not dead-lettered");
	is_int(write_one(s, &cfg, 1, "bad", &out), SINK_REJECTED,
	    "stop: a bad record is rejected");
	is_int(out.attempts, 1, "stop: it was tried once (retry_max does not "
	    "apply)");
	is_str(out.error, "the command exited with status 3", "stop: the "
	    "error is the command's status");
	sink_stats(s, &st);
	ok(st.records == 1 && st.rejected == 1 && st.dead_letters == 0,
	    "stop: counters: 1 record, 1 rejection, no dead letter");
	is_int(sink_close(s), -1, "stop: close reports the record it did not "
	    "take");
}

/* retry: 1 + retry_max tries, then the rejection. */
static void
test_retry(void)
{
	struct config cfg = verdict_config(CONFIG_SINK_ON_ERROR_RETRY, 2);
	struct sink_outcome out;
	struct sink_stats st;
	struct sink *s = sink_open(&cfg);

	is_int(write_one(s, &cfg, 0, "bad", &out), SINK_REJECTED,
	    "retry: a bad record is rejected in the end");
	is_int(out.attempts, 3, "retry: after 1 + retry_max tries");
	sink_stats(s, &st);
	is_int(st.rejected, 3, "retry: each try is counted");
	sink_close(s);
}

/* dead_letter to a file: the bad record lands there, whole. */
static void
test_dead_letter_file(void)
{
	struct config cfg = verdict_config(CONFIG_SINK_ON_ERROR_DEAD_LETTER, 1);
	struct sink_outcome out;
	struct sink_stats st;
	struct sink *s;
	char want[300], *got;

	cfg.sink.dead_letter_path = dead;
	s = sink_open(&cfg);
	ok(s != NULL, "dead_letter: the sink opens with its file");
	is_int(write_one(s, &cfg, 7, "bad", &out), 0, "dead_letter: a bad "
	    "record is settled");
	ok(out.dead_lettered && out.attempts == 2, "dead_letter: "
	    "dead-lettered after 1 + retry_max tries");
	snprintf(want, sizeof want, "file %s", dead);
	is_str(out.destination, want, "dead_letter: the destination is named");
	is_int(write_one(s, &cfg, 8, "good", &out), 0, "dead_letter: a good "
	    "record is taken");
	ok(!out.dead_lettered, "dead_letter: and not dead-lettered");
	sink_stats(s, &st);
	ok(st.records == 1 && st.dead_letters == 1, "dead_letter: counters: "
	    "1 record, 1 dead letter");
	is_int(sink_close(s), 0, "dead_letter: close is clean: nothing "
	    "abandoned");
	got = sink_util_slurp(dead);
	is_str(got, "{\"topic\":\"t\",\"partition\":0,\"offset\":7,"
	    "\"timestamp\":-1,\"key\":null,\"value\":\"bad\"}\n",
	    "dead_letter: the file holds the record in the sink's format");
	free(got);
}

/* A command the shell cannot find fails the sink: not a rejection. */
static void
test_missing(void)
{
	struct config cfg = verdict_config(CONFIG_SINK_ON_ERROR_DEAD_LETTER, 0);
	struct sink_outcome out;
	struct sink *s;

	cfg.sink.command = (char *)"/nonexistent/kconsumerd-verdict";
	cfg.sink.dead_letter_path = dead;
	s = sink_open(&cfg);
	is_int(write_one(s, &cfg, 9, "good", &out), -1, "missing: the write "
	    "fails");
	ok(sink_failed(s) && !out.dead_lettered, "missing: the sink failed "
	    "for good, the record was not dead-lettered");
	sink_close(s);
}

int
main(void)
{
	if (!sink_util_begin(dir))
		return 1;
	snprintf(taken, sizeof taken, "%s/taken", dir);
	snprintf(dead, sizeof dead, "%s/dead.jsonl", dir);
	test_stop();
	test_retry();
	test_dead_letter_file();
	test_missing();
	sink_util_end(dir);
	return tap_done();
}
