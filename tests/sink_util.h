/*
 * sink_util.h: helpers the sink tests share: a configuration and records
 * built by hand, reading back what a sink wrote, waiting for a condition
 * with a deadline, and catching log lines.
 *
 * Test threads; the log catcher is guarded by its own mutex.
 */
#ifndef KCONSUMERD_SINK_UTIL_H
#define KCONSUMERD_SINK_UTIL_H

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "proc.h"
#include "sink.h"

/* A configuration for sink type with JSON records. */
static inline struct config
sink_util_config(int type)
{
	struct config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.sink.type = type;
	cfg.sink.format = CONFIG_SINK_FORMAT_JSON;
	cfg.sink.fsync = CONFIG_SINK_FSYNC_BATCH;
	return cfg;
}

/* A record on topic t, partition 0, with value v (a C string). */
static inline struct sink_record
sink_util_record(int64_t offset, const char *v)
{
	struct sink_record rec;

	memset(&rec, 0, sizeof rec);
	rec.topic = "t";
	rec.offset = offset;
	rec.timestamp = -1;
	rec.value = v;
	rec.value_len = strlen(v);
	return rec;
}

/* The whole contents of a file as a string; NULL when it cannot be read. */
static inline char *
sink_util_slurp(const char *path)
{
	struct buf b;
	char chunk[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	return buf_steal(&b);
}

/* Number of newline characters in s. */
static inline size_t
sink_util_lines(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Poll cond(arg) every 10 ms until it holds or ms have passed. */
static inline int
sink_util_wait(int (*cond)(void *), void *arg, int64_t ms)
{
	struct timespec slice = { 0, 10 * 1000000 };
	int64_t deadline = clock_mono_ms() + ms;

	while (!cond(arg)) {
		if (clock_mono_ms() > deadline)
			return 0;
		nanosleep(&slice, NULL);
	}
	return 1;
}

/* One of two writer threads: key "A" or "B". */
struct sink_util_writer {
	struct sink	*s;
	const char	*key;
	int		 records;
	int		 digits;
	int		 rc;
};

/* Write records 0..records-1, each valued its offset in digits digits. */
static inline void *
sink_util_writer_run(void *arg)
{
	struct sink_util_writer *w = arg;
	struct sink_record rec;
	char *v;
	int i;

	v = malloc((size_t)w->digits + 32);
	for (i = 0; i < w->records; i++) {
		snprintf(v, (size_t)w->digits + 32, "%0*d", w->digits, i);
		rec = sink_util_record(i, v);
		rec.key = w->key;
		rec.key_len = 1;
		w->rc |= sink_write(w->s, &rec);
	}
	free(v);
	return NULL;
}

/*
 * Run writers A and B on s at once, records each with values of digits
 * digits, through the template "%k %o %s"; 0 when every write returned 0.
 */
static inline int
sink_util_two_writers(struct sink *s, int records, int digits)
{
	struct sink_util_writer w[2];
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++) {
		w[i].s = s;
		w[i].key = i == 0 ? "A" : "B";
		w[i].records = records;
		w[i].digits = digits;
		w[i].rc = 0;
		pthread_create(&t[i], NULL, sink_util_writer_run, &w[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return w[0].rc | w[1].rc;
}

/* What the two writers' output holds. */
struct sink_util_lines {
	size_t	 lines;		/* all lines */
	size_t	 bad;		/* lines that are not one whole record */
	bool	 complete;	/* each writer's records all there, once,
				   in its order */
};

/*
 * Check a line "K OFFSET VALUE" written by the two writers: K is A or B,
 * VALUE is OFFSET zero-padded to width digits. Returns OFFSET and sets
 * *key, or -1 when the line is anything else (cut, mixed, doubled).
 */
static inline long
sink_util_parse_line(const char *line, size_t width, char *key)
{
	const char *p;
	char *end;
	long off;

	if ((line[0] != 'A' && line[0] != 'B') || line[1] != ' ')
		return -1;
	*key = line[0];
	off = strtol(line + 2, &end, 10);
	if (end == line + 2 || *end != ' ')
		return -1;
	p = end + 1;
	if (strspn(p, "0123456789") != width || p[width] != '\0')
		return -1;
	return strtol(p, NULL, 10) == off ? off : -1;
}

/* Read back and check what sink_util_two_writers wrote to path. */
static inline struct sink_util_lines
sink_util_check_writers(const char *path, int records, int digits)
{
	struct sink_util_lines r = { 0, 0, true };
	char *got, *line, *save, key;
	long next[2] = { 0, 0 }, n;
	int k;

	got = sink_util_slurp(path);
	for (line = strtok_r(got, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		r.lines++;
		n = sink_util_parse_line(line, (size_t)digits, &key);
		if (n == -1) {
			r.bad++;
			continue;
		}
		k = key == 'A' ? 0 : 1;
		if (n != next[k]++)
			r.complete = false;
	}
	if (next[0] != records || next[1] != records)
		r.complete = false;
	free(got);
	return r;
}

/* Log lines caught by the hook, newline-separated. */
static pthread_mutex_t sink_util_log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct buf sink_util_log;

/* The log hook: keep every line. */
static inline void
sink_util_log_hook(enum log_level level, const char *event, const char *line,
    void *arg)
{
	pthread_mutex_lock(&sink_util_log_lock);
	buf_adds(&sink_util_log, line);
	buf_addc(&sink_util_log, '\n');
	pthread_mutex_unlock(&sink_util_log_lock);
}

/* A copy of the log caught so far, emptying it. */
static inline char *
sink_util_log_take(void)
{
	char *s;

	pthread_mutex_lock(&sink_util_log_lock);
	s = buf_steal(&sink_util_log);
	pthread_mutex_unlock(&sink_util_log_lock);
	return s;
}

/* Number of times needle occurs in s. */
static inline size_t
sink_util_count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Make the test directory (a mkdtemp template), catch log lines and
   ignore SIGPIPE and SIGXFSZ as kconsumerd does (proc.c); false when the
   directory cannot be made. */
static inline bool
sink_util_begin(char *dir)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return false;
	}
	log_set_hook(sink_util_log_hook, NULL);
	proc_ignore_signals();
	return true;
}

/* Remove the test directory; a failure to do so is a TAP diagnostic. */
static inline void
sink_util_end(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove the test directory %s\n", dir);
}

#endif
