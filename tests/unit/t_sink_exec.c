/*
 * t_sink_exec.c: the exec sink hands every record to its command, whole
 * and unmixed across threads; restarts a command that exits and writes
 * again what it had not read, so no record is lost; and gives up a write
 * stuck in restart backoff promptly once sink_cancel is called; flush
 * succeeds only once the command read everything, a command that never
 * reads leaves its records abandoned, and a command the shell cannot find
 * fails the sink at once.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "sink_util.h"
#include "tap.h"

#define THREAD_RECORDS	1000
#define VALUE_DIGITS	5000	/* longer than PIPE_BUF: writes can split */
#define RESTART_RECORDS	13	/* 3 per child: 5 children */

static char dir[] = "/tmp/t_sink_exec.XXXXXX";
static char out[256];

/* cat receives every record of two threads, each line whole. */
static void
test_cat(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);
	struct sink_util_lines r;
	struct sink_stats st;
	struct sink *s;
	char cmd[300];

	snprintf(out, sizeof out, "%s/cat.out", dir);
	snprintf(cmd, sizeof cmd, "cat >> '%s'", out);
	cfg.sink.command = cmd;
	cfg.sink.format = CONFIG_SINK_FORMAT_TEXT;
	cfg.sink.template = (char *)"%k %o %s";
	s = sink_open(&cfg);
	ok(s != NULL, "cat: the sink starts the command");
	is_int(sink_util_two_writers(s, THREAD_RECORDS, VALUE_DIGITS), 0,
	    "cat: every write returned 0");
	is_int(sink_flush(s), 0, "cat: flush returns 0");
	sink_stats(s, &st);
	is_int(st.restarts, 0, "cat: the command was never restarted");
	sink_close(s);

	r = sink_util_check_writers(out, THREAD_RECORDS, VALUE_DIGITS);
	is_int(r.lines, 2 * THREAD_RECORDS, "cat: the command received "
	    "exactly 2000 lines");
	is_int(r.bad, 0, "cat: every line is one whole record, none mixed "
	    "with another");
	ok(r.complete, "cat: each writer's records are all there, once, in "
	    "its order");
}

struct progress {
	struct sink	*s;
	int		 want;
};

/* Flush (which restarts a dead child) and see whether OUT has it all. */
static int
all_delivered(void *arg)
{
	struct progress *p = arg;
	char *got;
	size_t n;

	sink_flush(p->s);
	got = sink_util_slurp(out);
	n = sink_util_lines(got);
	free(got);
	return n >= (size_t)p->want;
}

/* A command that exits after 3 lines is restarted; nothing is lost. */
static void
test_restart(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);
	struct progress p;
	struct sink_record rec;
	struct sink_stats st;
	char cmd[400], v[32], needle[32], *got, *log;
	int i, missing = 0, doubled = 0, rc = 0;
	size_t c;

	snprintf(out, sizeof out, "%s/restart.out", dir);
	snprintf(cmd, sizeof cmd, "n=0; while IFS= read -r l; do "
	    "printf '%%s\\n' \"$l\" >> '%s'; n=$((n+1)); "
	    "[ $n -ge 3 ] && exit 3; done", out);
	cfg.sink.command = cmd;
	cfg.sink.format = CONFIG_SINK_FORMAT_TEXT;
	cfg.sink.template = (char *)"rec %o";
	free(sink_util_log_take());
	p.s = sink_open(&cfg);
	p.want = RESTART_RECORDS;
	for (i = 0; i < RESTART_RECORDS; i++) {
		snprintf(v, sizeof v, "%d", i);
		rec = sink_util_record(i, v);
		rc |= sink_write(p.s, &rec);
	}
	is_int(rc, 0, "restart: every write returned 0");
	ok(sink_util_wait(all_delivered, &p, 20000), "restart: the records "
	    "reach the file through restarted commands");
	sink_stats(p.s, &st);
	sink_close(p.s);

	got = sink_util_slurp(out);
	for (i = 0; i < RESTART_RECORDS; i++) {
		snprintf(needle, sizeof needle, "rec %d\n", i);
		c = sink_util_count(got, needle);
		missing += c == 0;
		doubled += c > 1;
	}
	is_int(missing, 0, "restart: no record is missing");
	is_int(doubled, 0, "restart: no record came twice (each child read "
	    "whole lines)");
	is_int(sink_util_lines(got), RESTART_RECORDS, "restart: the file has "
	    "one line per record");
	is_int(st.restarts, 4, "restart: stats count 4 restarts for 5 "
	    "children");
	log = sink_util_log_take();
	like(log, "exited with status 3", "restart: the log says how the "
	    "command exited");
	like(log, "restarting it in 200 ms", "restart: the backoff doubles");
	free(got);
	free(log);
}

struct stuck {
	struct sink	*s;
	int		 rc;
	int		 done;
};

/* Write records until one fails. */
static void *
stuck_run(void *arg)
{
	struct stuck *st = arg;
	struct sink_record rec = sink_util_record(0, "x");

	while ((st->rc = sink_write(st->s, &rec)) == 0)
		;
	__atomic_store_n(&st->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* The writer (or flusher) has returned. */
static int
stuck_done(void *arg)
{
	return __atomic_load_n(&((struct stuck *)arg)->done,
	    __ATOMIC_SEQ_CST);
}

/* The sink has just logged a restart backoff of 3200 ms. */
static int
long_backoff(void *arg)
{
	static struct buf seen;
	char *log = sink_util_log_take();

	buf_adds(&seen, log);
	free(log);
	return strstr(buf_str(&seen), "restarting it in 3200 ms") != NULL;
}

/* sink_cancel ends a write sleeping in restart backoff. */
static void
test_cancel(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);
	struct stuck st = { NULL, 0, 0 };
	struct sink_stats ss;
	pthread_t t;
	int64_t start, took;

	cfg.sink.command = (char *)"exit 1";
	free(sink_util_log_take());
	st.s = sink_open(&cfg);
	pthread_create(&t, NULL, stuck_run, &st);
	ok(sink_util_wait(long_backoff, NULL, 20000), "cancel: a command that "
	    "exits at once is restarted with growing backoff");
	ok(!stuck_done(&st), "cancel: the writer is still retrying");
	start = clock_mono_ms();
	sink_cancel(st.s);
	ok(sink_util_wait(stuck_done, &st, 10000), "cancel: the writer "
	    "returns after sink_cancel");
	took = clock_mono_ms() - start;
	ok(took < 2000, "cancel: it returns well within the 3200 ms backoff "
	    "it was sleeping (took %lld ms)", (long long)took);
	pthread_join(t, NULL);
	is_int(st.rc, -1, "cancel: the interrupted write returns -1");
	sink_stats(st.s, &ss);
	ok(ss.restarts >= 5, "cancel: stats count the restarts (%llu)",
	    (unsigned long long)ss.restarts);
	sink_close(st.s);
}

/* Flush and report its return. */
static void *
flusher_run(void *arg)
{
	struct stuck *f = arg;

	f->rc = sink_flush(f->s);
	__atomic_store_n(&f->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * A command that never reads: the records sit in the pipe, so flush does
 * not succeed (their offsets must not be stored); closing abandons them.
 */
static void
test_never_reads(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);
	struct stuck f = { NULL, 0, 0 };
	struct sink_record rec = sink_util_record(0, "unread");
	pthread_t t;
	char *log;

	cfg.sink.command = (char *)"exec sleep 1000";
	cfg.shutdown.timeout_ms = 200;
	f.s = sink_open(&cfg);
	is_int(sink_write(f.s, &rec), 0, "never reads: the record goes into "
	    "the pipe");
	pthread_create(&t, NULL, flusher_run, &f);
	ok(!sink_util_wait(stuck_done, &f, 500), "never reads: flush "
	    "waits while the command has not read the record");
	sink_cancel(f.s);
	ok(sink_util_wait(stuck_done, &f, 5000), "never reads: "
	    "sink_cancel ends the wait");
	pthread_join(t, NULL);
	is_int(f.rc, -1, "never reads: the flush fails, so no offset is "
	    "stored");
	free(sink_util_log_take());
	is_int(sink_close(f.s), -1, "never reads: closing reports the "
	    "abandoned record");
	log = sink_util_log_take();
	like(log, "those records are abandoned", "never reads: the log says "
	    "the records were abandoned");
	free(log);
}

/* A command the shell cannot find (exit 127) fails the sink at once. */
static void
test_missing(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_EXEC);
	struct stuck f = { NULL, 0, 0 };
	struct sink_record rec = sink_util_record(0, "nobody");
	pthread_t t;
	bool done;
	char *log;

	cfg.sink.command = (char *)"/nonexistent/t_sink_exec-program";
	cfg.shutdown.timeout_ms = 200;
	free(sink_util_log_take());
	f.s = sink_open(&cfg);
	sink_write(f.s, &rec);
	pthread_create(&t, NULL, flusher_run, &f);
	done = sink_util_wait(stuck_done, &f, 5000);
	if (!done)
		sink_cancel(f.s);
	pthread_join(t, NULL);
	ok(done, "missing: flush returns by itself within 5 s");
	is_int(f.rc, -1, "missing: and fails: the record was not taken");
	ok(sink_failed(f.s), "missing: the sink has failed for good");
	log = sink_util_log_take();
	like(log, "exited with status 127", "missing: the log gives the "
	    "shell's status");
	like(log, "check sink.command", "missing: and says what to change");
	free(log);
	is_int(sink_close(f.s), -1, "missing: closing reports the failure");
}

int
main(void)
{
	if (!sink_util_begin(dir))
		return 1;
	test_cat();
	test_restart();
	test_cancel();
	test_never_reads();
	test_missing();
	sink_util_end(dir);
	return tap_done();
}
