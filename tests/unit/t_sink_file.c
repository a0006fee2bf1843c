/*
 * t_sink_file.c: the file sink appends, flushes, follows logrotate's
 * rename through sink_reopen, never interleaves lines from two threads,
 * refuses to start on a path it cannot open, and retries a failing write
 * until cancelled; a write the disk refuses half-way leaves no part of
 * the record, and a removed file is opened again; the stdout and none
 * sinks write and count, and a closed stdout fails the sink at once.
 */
#include "autoconf.h"

#include <sys/resource.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink_util.h"
#include "tap.h"
#include "xmalloc.h"

#define THREAD_RECORDS	10000
#define VALUE_DIGITS	500

static char dir[] = "/tmp/t_sink_file.XXXXXX";

/* A path in the test's directory (static storage, one at a time). */
static const char *
path_of(const char *name)
{
	static char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* Write the records v0..v(n-1) at offsets first.. to s. */
static int
write_values(struct sink *s, int64_t first, int n)
{
	struct sink_record rec;
	char v[32];
	int i, rc = 0;

	for (i = 0; i < n; i++) {
		snprintf(v, sizeof v, "v%lld", (long long)(first + i));
		rec = sink_util_record(first + i, v);
		rc |= sink_write(s, &rec);
	}
	return rc;
}

/* The JSON line of record offset n with value "vn". */
static const char *
line_of(int n)
{
	static char line[160];

	snprintf(line, sizeof line, "{\"topic\":\"t\",\"partition\":0,"
	    "\"offset\":%d,\"timestamp\":-1,\"key\":null,\"value\":\"v%d\"}\n",
	    n, n);
	return line;
}

/* Records append after what the file held; flush (batch) succeeds. */
static void
test_append(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct sink *s;
	struct buf want;
	char *got;
	FILE *fp;

	cfg.sink.path = (char *)path_of("append.out");
	fp = fopen(cfg.sink.path, "w");
	fputs("existing line\n", fp);
	fclose(fp);

	s = sink_open(&cfg);
	ok(s != NULL, "file: the sink opens an existing file");
	is_int(sink_flush(s), 0, "file: flush with nothing written succeeds");
	is_int(write_values(s, 0, 3), 0, "file: three records are written");
	is_int(sink_flush(s), 0, "file: flush (fsync = batch) succeeds");
	sink_close(s);

	buf_init(&want);
	buf_adds(&want, "existing line\n");
	buf_adds(&want, line_of(0));
	buf_adds(&want, line_of(1));
	buf_adds(&want, line_of(2));
	got = sink_util_slurp(cfg.sink.path);
	is_str(got, buf_str(&want), "file: the records follow the existing "
	    "contents, one line each");
	free(got);
	buf_free(&want);
}

/* After rename and sink_reopen, new records go to a new file. */
static void
test_reopen(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct sink *s;
	struct buf want;
	char rotated[256], *got;

	cfg.sink.path = xstrdup(path_of("rotate.out"));
	snprintf(rotated, sizeof rotated, "%s.1", cfg.sink.path);
	s = sink_open(&cfg);
	write_values(s, 0, 2);
	ok(rename(cfg.sink.path, rotated) == 0, "rotate: the file is renamed "
	    "away as logrotate does");
	write_values(s, 2, 1);
	sink_reopen(s);
	write_values(s, 3, 2);
	is_int(sink_flush(s), 0, "rotate: flush after the reopen succeeds");
	sink_close(s);

	buf_init(&want);
	buf_adds(&want, line_of(0));
	buf_adds(&want, line_of(1));
	buf_adds(&want, line_of(2));
	got = sink_util_slurp(rotated);
	is_str(got, buf_str(&want), "rotate: records written before the "
	    "reopen stayed in the renamed file");
	free(got);
	buf_reset(&want);
	buf_adds(&want, line_of(3));
	buf_adds(&want, line_of(4));
	got = sink_util_slurp(cfg.sink.path);
	is_str(got, buf_str(&want), "rotate: records after the reopen are in "
	    "a new file at the path");
	free(got);
	buf_free(&want);
	free(cfg.sink.path);
}

/* Two threads' lines never interleave; none is lost or doubled. */
static void
test_threads(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct sink_util_lines r;
	struct sink_stats st;
	struct sink *s;

	cfg.sink.format = CONFIG_SINK_FORMAT_TEXT;
	cfg.sink.template = (char *)"%k %o %s";
	cfg.sink.path = (char *)path_of("threads.out");
	s = sink_open(&cfg);
	is_int(sink_util_two_writers(s, THREAD_RECORDS, VALUE_DIGITS), 0,
	    "threads: every write returned 0");
	sink_stats(s, &st);
	is_int(st.records, 2 * THREAD_RECORDS, "threads: the sink counted "
	    "every record");
	sink_close(s);

	r = sink_util_check_writers(cfg.sink.path, THREAD_RECORDS,
	    VALUE_DIGITS);
	is_int(r.lines, 2 * THREAD_RECORDS, "threads: the file has exactly "
	    "20000 lines");
	is_int(r.bad, 0, "threads: every line is one whole record");
	ok(r.complete, "threads: each writer's records are all there, once, "
	    "in its order");
}

/* A path that cannot be opened makes sink_open fail and say why. */
static void
test_unopenable(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	char *log;

	cfg.sink.path = (char *)"/nonexistent-t_sink_file/out";
	free(sink_util_log_take());
	ok(sink_open(&cfg) == NULL, "unopenable: sink_open returns NULL");
	log = sink_util_log_take();
	like(log, "/nonexistent-t_sink_file/out: cannot open: No such file "
	    "or directory", "unopenable: the error names the path and the "
	    "reason");
	like(log, "sink.path", "unopenable: the error says what to change");
	free(log);
}

struct blocked {
	struct sink	*s;
	int		 rc;
	int		 done;
};

/* Write one record and report its return. */
static void *
blocked_run(void *arg)
{
	struct blocked *b = arg;
	struct sink_record rec = sink_util_record(0, "lost?");

	b->rc = sink_write(b->s, &rec);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Three failed attempts have been counted. */
static int
three_errors(void *arg)
{
	struct sink_stats st;

	sink_stats(arg, &st);
	return st.errors >= 3;
}

/* The blocked writer returned. */
static int
writer_done(void *arg)
{
	return __atomic_load_n(&((struct blocked *)arg)->done,
	    __ATOMIC_SEQ_CST);
}

/* A failing write is retried, logged once, and fails only on cancel. */
static void
test_write_error(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct blocked b = { NULL, 0, 0 };
	struct sink_stats st;
	pthread_t t;
	char *log;

	cfg.sink.path = (char *)"/dev/full";
	b.s = sink_open(&cfg);
	free(sink_util_log_take());
	pthread_create(&t, NULL, blocked_run, &b);
	ok(sink_util_wait(three_errors, b.s, 10000), "write error: the sink "
	    "keeps retrying a write that fails (ENOSPC)");
	ok(!writer_done(&b), "write error: sink_write has not returned before "
	    "sink_cancel");
	sink_cancel(b.s);
	ok(sink_util_wait(writer_done, &b, 5000), "write error: sink_cancel "
	    "ends the retries");
	pthread_join(t, NULL);
	is_int(b.rc, -1, "write error: the cancelled write returns -1");
	sink_stats(b.s, &st);
	is_int(st.records, 0, "write error: the record is not counted as "
	    "written");
	log = sink_util_log_take();
	is_int(sink_util_count(log, "retrying in"), 1, "write error: the "
	    "streak is logged once");
	like(log, "write failed: No space left on device; retrying in 100 ms",
	    "write error: the log says what failed, why, and what happens "
	    "next");
	free(log);
	sink_close(b.s);
}

/* Each line of s is a whole record of write_values; how many are not. */
static int
torn_lines(const char *s)
{
	const char *nl;
	int bad = 0;

	for (; s != NULL && *s != '\0'; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			return bad + 1;
		if (strncmp(s, "{\"topic\":\"t\",", 13) != 0 ||
		    nl[-1] != '}' || memchr(s + 1, '{', (size_t)(nl - s - 1)))
			bad++;
	}
	return bad;
}

/*
 * A write the file system refuses half-way (EFBIG past RLIMIT_FSIZE, as
 * ENOSPC would) leaves no part of the record: not in the file, not after
 * a reopen, not when the record is written again later.
 */
static void
test_torn(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct rlimit saved, lim;
	struct sink_record rec;
	struct sink *s;
	char *got, big[300];
	int rc;

	cfg.sink.path = xstrdup(path_of("full.out"));
	s = sink_open(&cfg);
	write_values(s, 0, 2);
	getrlimit(RLIMIT_FSIZE, &saved);
	lim = saved;
	lim.rlim_cur = 200;	/* the two records hold about 150 bytes */
	setrlimit(RLIMIT_FSIZE, &lim);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	rec = sink_util_record(2, big);
	sink_cancel(s);		/* give up after the first failed attempt */
	rc = sink_write(s, &rec);
	setrlimit(RLIMIT_FSIZE, &saved);
	is_int(rc, -1, "full: the write the file system refused fails");
	got = sink_util_slurp(cfg.sink.path);
	is_int(torn_lines(got), 0, "full: no part of the refused record "
	    "stays in the file");
	is_int((int)sink_util_lines(got), 2, "full: the file holds the two "
	    "records written before");
	free(got);
	is_int(sink_close(s), -1, "full: closing reports the record it gave "
	    "up on");

	s = sink_open(&cfg);
	rec = sink_util_record(2, "v2");
	is_int(sink_write(s, &rec), 0, "full: the record is written again "
	    "once there is room");
	is_int(sink_close(s), 0, "full: then the sink closes clean");
	got = sink_util_slurp(cfg.sink.path);
	is_int(torn_lines(got), 0, "full: every line is one whole record "
	    "after the redelivery");
	is_int((int)sink_util_lines(got), 3, "full: three records in all");
	free(got);
	free(cfg.sink.path);
}

/* A file removed while open is opened again: no record goes to it. */
static void
test_removed(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_FILE);
	struct sink *s;
	struct buf want;
	char *got, *log;

	cfg.sink.path = xstrdup(path_of("removed.out"));
	s = sink_open(&cfg);
	write_values(s, 0, 2);
	is_int(sink_flush(s), 0, "removed: the first records are flushed");
	free(sink_util_log_take());
	ok(unlink(cfg.sink.path) == 0, "removed: the file is deleted");
	write_values(s, 2, 3);
	is_int(sink_flush(s), 0, "removed: flush after the deletion succeeds");
	sink_close(s);
	buf_init(&want);
	buf_adds(&want, line_of(2));
	buf_adds(&want, line_of(3));
	buf_adds(&want, line_of(4));
	got = sink_util_slurp(cfg.sink.path);
	is_str(got, buf_str(&want), "removed: the records written after the "
	    "deletion are in a new file at the path");
	free(got);
	buf_free(&want);
	log = sink_util_log_take();
	like(log, "the file was removed while open; opening the path again",
	    "removed: the deletion is logged");
	free(log);
	free(cfg.sink.path);
}

/* Write records to stdout until one fails. */
static void *
epipe_run(void *arg)
{
	struct blocked *e = arg;

	while ((e->rc = write_values(e->s, 0, 1)) == 0)
		;
	__atomic_store_n(&e->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A stdout whose reader went away (EPIPE) fails the sink at once. */
static void
test_stdout_epipe(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_STDOUT);
	struct blocked e = { NULL, 0, 0 };
	int p[2], saved;
	pthread_t t;
	bool done;
	char *log;

	e.s = sink_open(&cfg);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (pipe(p) == -1)
		abort();
	dup2(p[1], STDOUT_FILENO);
	close(p[1]);
	close(p[0]);
	free(sink_util_log_take());
	pthread_create(&t, NULL, epipe_run, &e);
	done = sink_util_wait(writer_done, &e, 3000);
	if (!done)
		sink_cancel(e.s);
	pthread_join(t, NULL);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ok(done, "epipe: the write returns without sink_cancel");
	is_int(e.rc, -1, "epipe: it returns -1");
	ok(sink_failed(e.s), "epipe: the sink has failed for good");
	log = sink_util_log_take();
	like(log, "standard output is closed (Broken pipe)",
	    "epipe: the log says standard output is closed");
	free(log);
	is_int(sink_close(e.s), -1, "epipe: closing reports the failure");
}

/* stdout writes the lines to descriptor 1; none discards and counts. */
static void
test_stdout_none(void)
{
	struct config cfg = sink_util_config(CONFIG_SINK_STDOUT);
	struct sink_stats st;
	struct sink *s;
	struct buf want;
	int saved, fd;
	char *got;

	s = sink_open(&cfg);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path_of("stdout.out"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	write_values(s, 0, 2);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	is_int(sink_flush(s), 0, "stdout: flush has nothing to do and "
	    "returns 0");
	sink_close(s);
	buf_init(&want);
	buf_adds(&want, line_of(0));
	buf_adds(&want, line_of(1));
	got = sink_util_slurp(path_of("stdout.out"));
	is_str(got, buf_str(&want), "stdout: the records went to descriptor "
	    "1");
	free(got);
	buf_free(&want);

	cfg = sink_util_config(CONFIG_SINK_NONE);
	s = sink_open(&cfg);
	is_int(write_values(s, 0, 5), 0, "none: writes succeed");
	is_int(sink_flush(s), 0, "none: flush succeeds");
	sink_stats(s, &st);
	is_int(st.records, 5, "none: the records are counted");
	sink_close(s);
}

int
main(void)
{
	if (!sink_util_begin(dir))
		return 1;
	test_append();
	test_reopen();
	test_threads();
	test_unopenable();
	test_write_error();
	test_torn();
	test_removed();
	test_stdout_none();
	test_stdout_epipe();
	sink_util_end(dir);
	return tap_done();
}
