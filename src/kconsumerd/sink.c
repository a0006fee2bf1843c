/*
 * sink.c: the sink's front: open (the backend for sink.type, from one
 * table) and close, one lock around every write and flush, the
 * retry-with-backoff loop the backends share, the stdout and none
 * backends (which keep no state), the counters, and sink.on_error for a
 * record a per-record backend rejected (retried, then dead-lettered
 * through sink_dead_letter.c, or left for the caller to stop on).
 *
 * sink_write and sink_flush run on consumer threads and take the sink's
 * lock; sink_reopen, sink_cancel and sink_stats run on any thread and touch
 * only atomics (and the sleep condition variable). sink_open and
 * sink_close run on the main thread while no consumer writes.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "sink.h"
#include "sink_impl.h"
#include "stdfds.h"
#include "xmalloc.h"

#define SINK_POLL_MS 100	/* slice for waiting on a full pipe */

/* Sleep ms unless cancelled first; -1 when the sink was cancelled. */
int
sink_sleep(struct sink *s, int64_t ms)
{
	struct timespec ts;
	int cancelled;

	clock_mono_timespec(clock_mono_ms() + ms, &ts);
	pthread_mutex_lock(&s->sleep_lock);
	while (!atomic_load(&s->cancelled)) {
		if (pthread_cond_timedwait(&s->sleep_cond, &s->sleep_lock,
		    &ts) == ETIMEDOUT)
			break;
	}
	cancelled = atomic_load(&s->cancelled);
	pthread_mutex_unlock(&s->sleep_lock);
	return cancelled ? -1 : 0;
}

/*
 * Fail the sink for good: log why (once), then end every retry and
 * backoff as sink_cancel does; writes and flushes return -1 from now on.
 */
void
sink_fail(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	char *why;

	if (atomic_exchange(&s->failed, true))
		return;
	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) == -1)
		why = NULL;
	va_end(ap);
	log_errorx("sink %s: %s; stopping: records from here on are not "
	    "written and their offsets are not stored", s->desc,
	    why != NULL ? why : fmt);
	free(why);
	sink_cancel(s);
}

/* Whether the sink failed for good (sink_fail). */
bool
sink_failed(struct sink *s)
{
	return atomic_load(&s->failed);
}

/*
 * Call fn until it succeeds, sleeping with backoff between attempts and
 * logging once per streak of failures; -1 only once the sink is cancelled.
 * fn sets s->op to name what failed and leaves errno set.
 */
int
sink_retry(struct sink *s, const char *what, int (*fn)(struct sink *, void *),
    void *arg)
{
	int64_t delay = SINK_BACKOFF_MIN_MS;
	unsigned int failures = 0;

	for (;;) {
		s->op = what;
		if (fn(s, arg) == 0)
			break;
		atomic_fetch_add(&s->errors, 1);
		atomic_store(&s->abandoned, true);
		if (atomic_load(&s->failed))
			return -1;
		if (atomic_load(&s->cancelled)) {
			log_warnx("sink %s: %s failed: %s; giving up, the sink "
			    "is shutting down", s->desc, s->op, strerror(errno));
			return -1;
		}
		if (failures++ == 0) {
			log_warnx("sink %s: %s failed: %s; retrying in %lld ms, "
			    "backing off up to %d ms", s->desc, s->op,
			    strerror(errno), (long long)delay,
			    SINK_BACKOFF_MAX_MS);
		}
		if (sink_sleep(s, delay) == -1) {
			log_warnx("sink %s: %s still failing after %u attempts; "
			    "giving up, the sink is shutting down", s->desc,
			    what, failures);
			return -1;
		}
		delay = clock_backoff_ms(delay, SINK_BACKOFF_MAX_MS);
	}
	if (failures > 0)
		atomic_store(&s->abandoned, false);
	if (failures > 0) {
		log_info("sink %s: %s succeeded after %u failed attempts",
		    s->desc, what, failures);
	}
	return 0;
}

/*
 * Write data[*off..len) to fd, advancing *off over short writes and EINTR
 * and waiting (in slices, watching for cancel) while a non-blocking fd is
 * full; -1 with errno set on error, ECANCELED when cancelled.
 */
int
sink_fd_write(struct sink *s, int fd, const char *data, size_t len,
    size_t *off)
{
	struct pollfd pfd;
	ssize_t n;

	while (*off < len) {
		n = write(fd, data + *off, len - *off);
		if (n > 0) {
			*off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (atomic_load(&s->cancelled)) {
				errno = ECANCELED;
				return -1;
			}
			pfd.fd = fd;
			pfd.events = POLLOUT;
			poll(&pfd, 1, SINK_POLL_MS);
			continue;
		}
		if (n == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/*
 * One attempt at writing the rest of a record to standard output. A
 * closed reader (EPIPE) or a closed descriptor (EBADF) is for good.
 */
static int
sink_stdout_try(struct sink *s, void *arg)
{
	struct sink_chunk *c = arg;

	if (sink_fd_write(s, STDOUT_FILENO, c->data, c->len, &c->off) == 0)
		return 0;
	if (errno == EPIPE || errno == EBADF)
		sink_fail(s, "standard output is closed (%s)%s", strerror(errno),
		    c->off > 0 ? "; the last record was cut short" : "");
	return -1;
}

/* Refuse a standard output that was closed when kconsumerd started (a
   write would go to whatever opened descriptor 1 next). */
static int
sink_stdout_open(struct sink *s)
{
	if (!stdfds_was_closed(STDOUT_FILENO))
		return 0;
	log_errorx("sink stdout: standard output was closed when "
	    "kconsumerd started; give it one (or use sink.type "
	    "file)");
	return -1;
}

/* Write a record to standard output, retrying until it went out. */
static int
sink_stdout_write(struct sink *s, const char *data, size_t len)
{
	struct sink_chunk c = { data, len, 0 };

	return sink_retry(s, "write", sink_stdout_try, &c);
}

/* Discard a record. */
static int
sink_none_write(struct sink *s, const char *data, size_t len)
{
	return 0;
}

static const struct sink_ops sink_stdout_ops = {
	.type = CONFIG_SINK_STDOUT,
	.name = "stdout",
	.formats = true,
	.whole_batches = true,
	.open = sink_stdout_open,
	.write = sink_stdout_write,
};

static const struct sink_ops sink_none_ops = {
	.type = CONFIG_SINK_NONE,
	.name = "none",
	.formats = false,
	.whole_batches = true,
	.write = sink_none_write,
};

/* Every backend, one per sink.type (and per-record verdicts or not). */
static const struct sink_ops *const sink_backends[] = {
	&sink_stdout_ops, &sink_file_ops, &sink_exec_ops,
	&sink_exec_record_ops, &sink_none_ops,
};

/* The backend for a sink.type (with verdicts under sink.per_record), or
   NULL. */
static const struct sink_ops *
sink_backend(int type, bool verdicts)
{
	size_t i;

	for (i = 0; i < sizeof sink_backends / sizeof *sink_backends; i++)
		if (sink_backends[i]->type == type &&
		    sink_backends[i]->verdicts == verdicts)
			return sink_backends[i];
	return NULL;
}

/* Release a sink's memory and locks. */
static void
sink_free(struct sink *s)
{
	pthread_cond_destroy(&s->sleep_cond);
	pthread_mutex_destroy(&s->sleep_lock);
	pthread_mutex_destroy(&s->lock);
	free(s->desc);
	free(s);
}

/* Open the configured sink; NULL after logging why it cannot start. */
struct sink *
sink_open(const struct config *cfg)
{
	const struct sink_ops *ops;
	struct sink *s;

	if ((ops = sink_backend(cfg->sink.type, cfg->sink.per_record != 0)) ==
	    NULL) {
		log_errorx("sink: unknown sink type %d", cfg->sink.type);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	s->ops = ops;
	s->desc = ops->describe != NULL ? ops->describe(cfg) :
	    xstrdup(ops->name);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->sleep_lock, NULL);
	clock_cond_init(&s->sleep_cond);

	/* SIGPIPE and SIGXFSZ are ignored process-wide (proc.c), so a closed
	   pipe or a file past RLIMIT_FSIZE is an error to retry. */
	if (s->ops->open != NULL && s->ops->open(s) == -1) {
		sink_free(s);
		return NULL;
	}
	if (cfg->sink.on_error == CONFIG_SINK_ON_ERROR_DEAD_LETTER &&
	    (s->dead_letter = sink_dead_letter_open(cfg)) == NULL) {
		if (s->ops->close != NULL)
			s->ops->close(s);
		sink_free(s);
		return NULL;
	}
	return s;
}

/*
 * Flush and close the sink, stopping an exec child; frees it. -1 when the
 * sink failed for good or abandoned records (a write given up on, records
 * an exec command never read).
 */
int
sink_close(struct sink *s)
{
	int rc;

	if (s == NULL)
		return 0;
	pthread_mutex_lock(&s->lock);
	if (s->ops->close != NULL)
		s->ops->close(s);
	pthread_mutex_unlock(&s->lock);
	rc = atomic_load(&s->failed) || atomic_load(&s->abandoned) ? -1 : 0;
	if (s->dead_letter != NULL && sink_dead_letter_close(s->dead_letter) ==
	    -1)
		rc = -1;
	if (rc == -1)
		log_errorx("sink %s: stopped with records it did not take; "
		    "their offsets were not stored", s->desc);
	sink_free(s);
	return rc;
}

/*
 * Format and write one record; 0 once all of it reached the sink, -1 only
 * when the sink was cancelled before it did.
 */
int
sink_write(struct sink *s, const struct sink_record *rec)
{
	struct buf b;
	int rc;

	if (atomic_load(&s->failed))
		return -1;
	buf_init(&b);
	format_record(&b, s->cfg, rec);
	pthread_mutex_lock(&s->lock);
	rc = atomic_load(&s->failed) ? -1 : s->ops->write(s, b.data, b.len);
	pthread_mutex_unlock(&s->lock);
	if (rc == SINK_REJECTED) {
		atomic_fetch_add(&s->rejected, 1);
		rc = -1;
	}
	if (rc == 0) {
		atomic_fetch_add(&s->records, 1);
		atomic_fetch_add(&s->bytes, b.len);
	}
	buf_free(&b);
	return rc;
}

/* True when the sink gives a verdict per record (exec under
   sink.per_record): the caller writes such records with
   sink_write_record, one at a time. */
bool
sink_verdicts(const struct sink *s)
{
	return s->ops->verdicts;
}

/* One attempt at a record under the lock: 0, SINK_REJECTED (out->error
   set) or -1. */
static int
sink_write_attempt(struct sink *s, const char *data, size_t len,
    struct sink_outcome *out)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = atomic_load(&s->failed) ? -1 : s->ops->write(s, data, len);
	if (rc == SINK_REJECTED)
		snprintf(out->error, sizeof out->error, "%s", s->why);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/*
 * Write one formatted record (data, from rec) to a sink that gives
 * verdicts, following sink.on_error when it rejects it: retry (backoff
 * from sink.retry_backoff_ms, doubled) up to sink.retry_max times, then
 * under dead_letter send it there and wait for the acknowledgement. 0
 * once the record is settled (taken, or dead-lettered: out says which);
 * SINK_REJECTED when it was not taken and the caller must stop; -1 when
 * the sink was cancelled or failed, or the dead-letter write failed
 * (out->failure says why).
 */
int
sink_write_record(struct sink *s, const struct sink_record *rec,
    const char *data, size_t len, struct sink_outcome *out)
{
	const struct config *cfg = s->cfg;
	int64_t delay = cfg->sink.retry_backoff_ms;
	int64_t retries = cfg->sink.on_error == CONFIG_SINK_ON_ERROR_STOP ? 0 :
	    cfg->sink.retry_max;
	int rc;

	memset(out, 0, sizeof *out);
	for (;;) {
		out->attempts++;
		if ((rc = sink_write_attempt(s, data, len, out)) == 0) {
			atomic_fetch_add(&s->records, 1);
			atomic_fetch_add(&s->bytes, len);
			return 0;
		}
		if (rc == -1)
			return -1;
		atomic_fetch_add(&s->rejected, 1);
		if (out->attempts > retries)
			break;
		log_warnx("sink %s: %s[%d]@%lld rejected: %s; trying it again "
		    "in %lld ms (retry %d of %lld)", s->desc, rec->topic,
		    (int)rec->partition, (long long)rec->offset, out->error,
		    (long long)delay, out->attempts, (long long)retries);
		if (sink_sleep(s, delay) == -1)
			return -1;
		delay = clock_backoff_ms(delay,
		    CONFIG_SINK_RETRY_BACKOFF_MAX_MS);
	}
	if (s->dead_letter == NULL) {
		atomic_store(&s->abandoned, true);
		return SINK_REJECTED;
	}
	if (sink_dead_letter_put(s->dead_letter, rec, data, len, out->error,
	    out->failure, sizeof out->failure) == -1) {
		atomic_store(&s->abandoned, true);
		return -1;
	}
	atomic_fetch_add(&s->dead_letters, 1);
	out->dead_lettered = true;
	out->destination = sink_dead_letter_describe(s->dead_letter);
	return 0;
}

/* False when the sink throws records away unread (none): the caller need
   not format them. */
bool
sink_formats(const struct sink *s)
{
	return s->ops->formats;
}

/*
 * Write n formatted records at once: data[0..len), record i ending at
 * ends[i]. One lock; one backend write for the backends that take many
 * records as one (stdout, file), one per record for exec, which hands
 * what a child left unread to the next one record by record. 0 once all
 * of them reached the sink, -1 only when the sink was cancelled first.
 */
int
sink_write_batch(struct sink *s, const char *data, size_t len,
    const size_t *ends, size_t n)
{
	size_t i, start = 0;
	int rc = 0;

	if (n == 0)
		return 0;
	if (atomic_load(&s->failed))
		return -1;
	pthread_mutex_lock(&s->lock);
	if (atomic_load(&s->failed))
		rc = -1;
	else if (s->ops->whole_batches)
		rc = s->ops->write(s, data, len);
	else
		for (i = 0; i < n && rc == 0; start = ends[i++])
			rc = atomic_load(&s->failed) ? -1 :
			    s->ops->write(s, data + start, ends[i] - start);
	pthread_mutex_unlock(&s->lock);
	if (rc == SINK_REJECTED) {
		atomic_fetch_add(&s->rejected, 1);
		rc = -1;
	}
	if (rc == 0) {
		atomic_fetch_add(&s->records, n);
		atomic_fetch_add(&s->bytes, len);
	}
	return rc;
}

/* Make what was written durable as configured; -1 only when cancelled. */
int
sink_flush(struct sink *s)
{
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if (s->ops->flush != NULL)
		rc = s->ops->flush(s);
	if (rc == 0 && atomic_load(&s->failed) && s->ops->flush != NULL)
		rc = -1;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Ask for the file to be reopened by the next write or flush. */
void
sink_reopen(struct sink *s)
{
	atomic_store(&s->reopen, true);
	if (s->dead_letter != NULL)
		sink_dead_letter_reopen(s->dead_letter);
}

/* Make retries give up and backoff sleeps end now (shutdown). */
void
sink_cancel(struct sink *s)
{
	atomic_store(&s->cancelled, true);
	pthread_mutex_lock(&s->sleep_lock);
	pthread_cond_broadcast(&s->sleep_cond);
	pthread_mutex_unlock(&s->sleep_lock);
	if (s->dead_letter != NULL)
		sink_dead_letter_cancel(s->dead_letter);
}

/* Read the counters. */
void
sink_stats(struct sink *s, struct sink_stats *out)
{
	out->records = atomic_load(&s->records);
	out->bytes = atomic_load(&s->bytes);
	out->errors = atomic_load(&s->errors);
	out->restarts = atomic_load(&s->restarts);
	out->rejected = atomic_load(&s->rejected);
	out->dead_letters = atomic_load(&s->dead_letters);
}
