/*
 * consumer.c: one group member: its rd_kafka_t, its thread, the poll loop,
 * at-least-once delivery to the sink, and close with a deadline.
 *
 * consumer_init/start/stop/join/request_state run on the main thread;
 * everything else runs on the member's own thread, which is the only one
 * that touches m->rk. librdkafka's logs, errors and statistics are routed
 * to the consumer queue (log.queue, rd_kafka_poll_set_consumer), so they
 * are served by this thread's rd_kafka_consumer_poll() and no other thread
 * resets the max.poll.interval.ms timer.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "consumer.h"
#include "log.h"
#include "sink.h"
#include "stats.h"
#include "status.h"
#include "xmalloc.h"

#define CONSUMER_POLL_MS	100	/* poll timeout: how often flags are seen */
#define CONSUMER_BATCH_RECORDS	1000	/* flush and store after this many */
#define CONSUMER_BATCH_MS	200	/* ... or after this long */
#define CONSUMER_UNSUBSCRIBE_MS	5000	/* wait for the revoke after leaving */
#define CONSUMER_DESTROY_MIN_MS	1000	/* least wait for rd_kafka_destroy */

/* Prepare a member (main thread). */
void
consumer_init(struct member *m, int index, struct member_shared *sh)
{
	const struct config *cfg = sh->cfg;

	memset(m, 0, sizeof *m);
	m->index = index;
	m->shared = sh;
	if (cfg->instance_ids != NULL && index < cfg->consumers)
		m->instance_id = xstrdup(cfg->instance_ids[index]);
	atomic_init(&m->stop, false);
	atomic_init(&m->want_state, false);
	atomic_init(&m->result, MEMBER_OK);
	atomic_init(&m->running, false);
	atomic_init(&m->assignment, 0);
	atomic_init(&m->records, 0);
	atomic_init(&m->last_poll_ms, 0);
	offsets_init(&m->offsets);
}

/* Free what consumer_init allocated (after join). */
void
consumer_free(struct member *m)
{
	free(m->instance_id);
	m->instance_id = NULL;
	free(m->member_id);
	m->member_id = NULL;
	offsets_free(&m->offsets);
}

/* Ask the member to stop polling and close (any thread). */
void
consumer_stop(struct member *m)
{
	atomic_store(&m->stop, true);
}

/* Ask the member to log a state event (any thread). */
void
consumer_request_state(struct member *m)
{
	atomic_store(&m->want_state, true);
}

/* Map a syslog level from librdkafka to ours. */
static enum log_level
consumer_log_level(int level)
{
	if (level <= 3)
		return LOG_LEVEL_ERROR;
	if (level == 4)
		return LOG_LEVEL_WARN;
	if (level <= 6)
		return LOG_LEVEL_INFO;
	return LOG_LEVEL_DEBUG;
}

/* Pass one librdkafka log line to our logger. */
static void
consumer_log_rdkafka(struct member *m, int level, const char *fac,
    const char *msg)
{
	struct logrec *r;

	if (!log_enabled(consumer_log_level(level)))
		return;
	r = logrec_new(consumer_log_level(level), "rdkafka");
	logrec_int(r, "consumer", m->index);
	logrec_str(r, "facility", fac);
	logrec_str(r, "msg", msg);
	logrec_emit(r);
}

/* librdkafka's log callback (served on the member's thread). */
static void
consumer_log_cb(const rd_kafka_t *rk, int level, const char *fac,
    const char *msg)
{
	struct member *m = rd_kafka_opaque(rk);

	if (m != NULL)
		consumer_log_rdkafka(m, level, fac, msg);
}

/* Ask the whole process to stop (fatal error, -n reached, sink gave up). */
static void
consumer_stop_all(struct member *m)
{
	atomic_store(&m->stop, true);
	atomic_store(&m->shared->stop_all, true);
}

/* Log the fatal error that ended this member, once, and stop everything. */
void
consumer_log_fatal(struct member *m)
{
	char reason[512];
	rd_kafka_resp_err_t err;
	struct logrec *r;

	if (m->fatal_logged)
		return;
	m->fatal_logged = true;
	err = rd_kafka_fatal_error(m->rk, reason, sizeof reason);
	r = rebalance_logrec(m, LOG_LEVEL_ERROR, "fatal");
	logrec_str(r, "error", rd_kafka_err2name(err));
	if (err == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID)
		logrec_printf(r, "cause", "another member uses "
		    "group.instance.id %s", m->instance_id != NULL ?
		    m->instance_id : "(unknown)");
	else
		logrec_str(r, "cause", reason);
	logrec_str(r, "msg", reason);
	logrec_str(r, "next", "this member stops; the others close cleanly; "
	    "exit 76");
	logrec_emit(r);
	status_on_fatal(m->shared->status, m->index, rd_kafka_err2name(err));
	atomic_store(&m->result, MEMBER_FATAL);
	consumer_stop_all(m);
}

/* librdkafka's error callback: fatal errors stop, others are logged. */
static void
consumer_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct member *m = opaque;
	struct logrec *r;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		consumer_log_fatal(m);
		return;
	}
	r = rebalance_logrec(m, LOG_LEVEL_WARN, "error");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "msg", reason);
	logrec_str(r, "next", "librdkafka retries by itself");
	logrec_emit(r);
}

/* Result of an automatic or manual commit: failures are logged. */
static void
consumer_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
	struct member *m = opaque;
	struct logrec *r;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (offsets != NULL)
			offsets_mark_committed(&m->offsets, offsets);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
		return;
	status_on_commit_failed(m->shared->status, m->index,
	    rd_kafka_err2name(err));
	r = rebalance_logrec(m, LOG_LEVEL_WARN, "commit_failed");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "when", "auto");
	logrec_str(r, "next", "the next commit retries; a new owner would "
	    "start from the last committed offset (redelivery)");
	logrec_emit(r);
}

/* Build this member's librdkafka configuration; NULL when refused. */
static rd_kafka_conf_t *
consumer_conf(struct member *m, char *errstr, size_t errlen)
{
	const struct config *cfg = m->shared->cfg;
	char client_id[128], host[64];
	rd_kafka_conf_t *conf;
	struct {
		const char *name, *value;
	} fixed[] = {
		/* at-least-once: offsets are stored after the sink */
		{ "enable.auto.offset.store", "false" },
		/* logs go to a queue this thread serves */
		{ "log.queue", "true" },
		{ NULL, NULL },
	};
	int i;

	if ((conf = config_kafka_conf(cfg, m->index < cfg->consumers ?
	    m->index : 0, errstr, errlen)) == NULL)
		return NULL;
	if (m->instance_id != NULL && rd_kafka_conf_set(conf,
	    "group.instance.id", m->instance_id, errstr, errlen) !=
	    RD_KAFKA_CONF_OK)
		goto fail;
	for (i = 0; fixed[i].name != NULL; i++)
		if (rd_kafka_conf_set(conf, fixed[i].name, fixed[i].value,
		    errstr, errlen) != RD_KAFKA_CONF_OK)
			goto fail;
	if (m->shared->bootstrap != NULL &&
	    rd_kafka_conf_set(conf, "bootstrap.servers", m->shared->bootstrap,
	    errstr, errlen) != RD_KAFKA_CONF_OK)
		goto fail;
	/* at-least-once: a partition without a committed offset starts at
	   its beginning, not at its end (librdkafka's default), unless the
	   configuration says otherwise */
	if (config_kafka_get(cfg, "auto.offset.reset") == NULL &&
	    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr,
	    errlen) != RD_KAFKA_CONF_OK)
		goto fail;
	if (config_kafka_get(cfg, "client.id") == NULL) {
		config_short_hostname(host, sizeof host);
		snprintf(client_id, sizeof client_id, "kconsumerd-%s-%d", host,
		    m->index);
		rd_kafka_conf_set(conf, "client.id", client_id, NULL, 0);
	}
	rd_kafka_conf_set_opaque(conf, m);
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_log_cb(conf, consumer_log_cb);
	rd_kafka_conf_set_error_cb(conf, consumer_error_cb);
	rd_kafka_conf_set_offset_commit_cb(conf, consumer_commit_cb);
	if (m->shared->status != NULL && stats_conf(conf,
	    config_kafka_get(cfg, "statistics.interval.ms") != NULL, errstr,
	    errlen) != 0)
		goto fail;
	return conf;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/* Log the start event: the configuration summary for this member. */
static void
consumer_log_start(struct member *m)
{
	const struct config *cfg = m->shared->cfg;
	struct logrec *r = logrec_new(LOG_LEVEL_INFO, "start");
	char host[64];

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "unknown");
	host[sizeof host - 1] = '\0';
	logrec_int(r, "consumer", m->index);
	logrec_str(r, "group", cfg->group_id);
	logrec_str(r, "instance_id", m->instance_id);
	logrec_int(r, "pid", (long long)getpid());
	logrec_str(r, "host", host);
	logrec_str(r, "librdkafka", rd_kafka_version_str());
	logrec_str(r, "assignor", config_word("group.assignor", cfg->assignor));
	logrec_strv(r, "topics", cfg->topics, cfg->ntopics);
	logrec_int(r, "consumers", cfg->consumers);
	logrec_int(r, "session_timeout_ms", cfg->session_timeout_ms);
	logrec_int(r, "heartbeat_interval_ms", cfg->heartbeat_interval_ms);
	logrec_int(r, "max_poll_interval_ms", cfg->max_poll_interval_ms);
	logrec_str(r, "sink", config_word("sink.type", cfg->sink.type));
	logrec_emit(r);
}

/* Create the handle, route its queues and subscribe; false when not. */
static bool
consumer_open(struct member *m)
{
	const struct config *cfg = m->shared->cfg;
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t err;
	char errstr[512];
	size_t i;

	if ((conf = consumer_conf(m, errstr, sizeof errstr)) == NULL ||
	    (m->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof errstr)) == NULL) {
		if (conf != NULL)
			rd_kafka_conf_destroy(conf);
		log_errorx("consumer %d: cannot create the Kafka client: %s",
		    m->index, errstr);
		return false;
	}
	rd_kafka_set_log_queue(m->rk, NULL);
	rd_kafka_poll_set_consumer(m->rk);
	consumer_log_start(m);
	topics = rd_kafka_topic_partition_list_new((int)cfg->ntopics);
	for (i = 0; i < cfg->ntopics; i++)
		rd_kafka_topic_partition_list_add(topics, cfg->topics[i],
		    RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(m->rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_errorx("consumer %d: subscribe failed: %s", m->index,
		    rd_kafka_err2name(err));
		rd_kafka_destroy(m->rk);
		m->rk = NULL;
		return false;
	}
	return true;
}

/* After a failed flush: when the sink failed for good, stop every member. */
static void
consumer_on_flush_error(struct member *m)
{
	if (!sink_failed(m->shared->sink))
		return;
	atomic_store(&m->result, MEMBER_FAILED);
	consumer_stop_all(m);
}

/* Flush the sink and store the offsets of what it accepted. */
void
consumer_flush_batch(struct member *m)
{
	m->batch_start_ms = 0;
	if (offsets_pending(&m->offsets) == 0)
		return;
	if (sink_flush(m->shared->sink) == 0)
		offsets_store(&m->offsets, m->rk);
	else {
		offsets_drop_pending(&m->offsets);
		consumer_on_flush_error(m);
	}
}

/* Sleep for the simulated processing time; false when asked to stop. */
static bool
consumer_processing_delay(struct member *m, int64_t us)
{
	struct timespec ts;
	int64_t slice;

	while (us > 0) {
		if (atomic_load(&m->stop))
			return false;
		slice = us > 100000 ? 100000 : us;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(slice * 1000);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		us -= slice;
	}
	return true;
}

/* Turn a librdkafka message into a sink record (headers into hv). */
static void
consumer_record(const rd_kafka_message_t *msg, struct sink_record *rec,
    struct sink_header **hv)
{
	rd_kafka_headers_t *hdrs = NULL;
	rd_kafka_timestamp_type_t tstype;
	const void *value;
	const char *name;
	size_t i, n, size;

	memset(rec, 0, sizeof *rec);
	rec->topic = rd_kafka_topic_name(msg->rkt);
	rec->partition = msg->partition;
	rec->offset = msg->offset;
	rec->timestamp = rd_kafka_message_timestamp(msg, &tstype);
	rec->key = msg->key;
	rec->key_len = msg->key_len;
	rec->value = msg->payload;
	rec->value_len = msg->len;
	*hv = NULL;
	if (rd_kafka_message_headers(msg, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    (n = rd_kafka_header_cnt(hdrs)) == 0)
		return;
	*hv = xcalloc(n, sizeof **hv);
	for (i = 0; i < n; i++) {
		if (rd_kafka_header_get_all(hdrs, i, &name, &value, &size) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		(*hv)[i].name = name;
		(*hv)[i].value = value;
		(*hv)[i].len = size;
	}
	rec->headers = *hv;
	rec->nheaders = i;
}

/*
 * Deliver one message: simulated processing, the -n limit, the sink, then
 * note its offset. False when the member must stop.
 */
static bool
consumer_deliver(struct member *m, const rd_kafka_message_t *msg)
{
	struct member_shared *sh = m->shared;
	struct sink_header *hv;
	struct sink_record rec;
	long long slot;
	int rc;

	if (!consumer_processing_delay(m,
	    sh->cfg->experiment.processing_delay_us))
		return false;
	slot = atomic_fetch_add(&sh->written, 1) + 1;
	if (sh->limit > 0 && slot > sh->limit) {
		consumer_stop_all(m);
		return false;
	}
	consumer_record(msg, &rec, &hv);
	rc = sink_write(sh->sink, &rec);
	free(hv);
	if (rc != 0) {
		log_errorx("consumer %d: the sink did not take %s[%d]@%lld; "
		    "stopping without storing its offset (it will be "
		    "redelivered)", m->index, rec.topic, (int)rec.partition,
		    (long long)rec.offset);
		atomic_store(&m->result, MEMBER_FAILED);
		consumer_stop_all(m);
		return false;
	}
	offsets_note(&m->offsets, rec.topic, rec.partition, rec.offset);
	atomic_fetch_add(&m->records, 1);
	status_on_message(sh->status, m->index, rec.topic,
	    rec.key_len + rec.value_len);
	if (m->batch_start_ms == 0)
		m->batch_start_ms = log_now_ms();
	if (sh->limit > 0 && slot == sh->limit) {
		consumer_flush_batch(m);
		consumer_stop_all(m);
		return false;
	}
	return true;
}

/* Handle a message that carries an error instead of data. */
static void
consumer_on_error_message(struct member *m, const rd_kafka_message_t *msg)
{
	struct logrec *r;

	switch (msg->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
		return;
	case RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED:
		r = rebalance_logrec(m, LOG_LEVEL_WARN, "max_poll_exceeded");
		logrec_int(r, "max_poll_interval_ms",
		    m->shared->cfg->max_poll_interval_ms);
		logrec_str(r, "msg", rd_kafka_message_errstr(msg));
		logrec_str(r, "next", "the member left the group; its "
		    "partitions are lost and it rejoins on the next poll");
		logrec_emit(r);
		return;
	case RD_KAFKA_RESP_ERR__FATAL:
		consumer_log_fatal(m);
		return;
	default:
		r = rebalance_logrec(m, LOG_LEVEL_WARN, "error");
		logrec_str(r, "error", rd_kafka_err2name(msg->err));
		logrec_str(r, "msg", rd_kafka_message_errstr(msg));
		if (msg->rkt != NULL) {
			logrec_str(r, "topic", rd_kafka_topic_name(msg->rkt));
			logrec_int(r, "partition", msg->partition);
		}
		logrec_str(r, "next", "consumption goes on");
		logrec_emit(r);
	}
}

/* Poll and deliver until asked to stop. */
static void
consumer_loop(struct member *m)
{
	rd_kafka_message_t *msg;
	bool go_on;
	int64_t now;

	while (!atomic_load(&m->stop)) {
		if (atomic_exchange(&m->want_state, false))
			rebalance_log_state(m);
		msg = rd_kafka_consumer_poll(m->rk, CONSUMER_POLL_MS);
		now = log_now_ms();
		atomic_store(&m->last_poll_ms, now);
		status_on_poll(m->shared->status, m->index, now);
		if (msg == NULL) {
			/* idle: a flush lets the sink notice an exec command
			   that exited and give what it left unread to the
			   next one */
			if (offsets_pending(&m->offsets) == 0 &&
			    sink_flush(m->shared->sink) != 0)
				consumer_on_flush_error(m);
			consumer_flush_batch(m);
			continue;
		}
		if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			consumer_on_error_message(m, msg);
			rd_kafka_message_destroy(msg);
			continue;
		}
		go_on = consumer_deliver(m, msg);
		rd_kafka_message_destroy(msg);
		if (!go_on)
			break;
		if (offsets_pending(&m->offsets) >= CONSUMER_BATCH_RECORDS ||
		    now - m->batch_start_ms >= CONSUMER_BATCH_MS)
			consumer_flush_batch(m);
	}
	consumer_flush_batch(m);
}

/* Serve one event from the close queue. */
static void
consumer_close_event(struct member *m, rd_kafka_event_t *ev)
{
	const char *fac, *str;
	int level;

	switch (rd_kafka_event_type(ev)) {
	case RD_KAFKA_EVENT_REBALANCE:
		rebalance_handle(m, rd_kafka_event_error(ev),
		    rd_kafka_event_topic_partition_list(ev));
		break;
	case RD_KAFKA_EVENT_LOG:
		if (rd_kafka_event_log(ev, &fac, &str, &level) == 0)
			consumer_log_rdkafka(m, level, fac, str);
		break;
	case RD_KAFKA_EVENT_OFFSET_COMMIT:
		consumer_commit_cb(m->rk, rd_kafka_event_error(ev),
		    (rd_kafka_topic_partition_list_t *)
		    rd_kafka_event_topic_partition_list(ev), m);
		break;
	case RD_KAFKA_EVENT_ERROR:
		consumer_error_cb(m->rk, rd_kafka_event_error(ev),
		    rd_kafka_event_error_string(ev), m);
		break;
	default:
		break;
	}
}

/*
 * Leave the group on purpose (shutdown.leave_group = always): unsubscribe
 * sends LeaveGroup even for a static member; serve the revoke it causes.
 */
static void
consumer_unsubscribe(struct member *m, int64_t deadline)
{
	rd_kafka_message_t *msg;
	int64_t until = log_now_ms() + CONSUMER_UNSUBSCRIBE_MS;

	if (until > deadline)
		until = deadline;
	rd_kafka_unsubscribe(m->rk);
	while (atomic_load(&m->assignment) > 0 && log_now_ms() < until) {
		if ((msg = rd_kafka_consumer_poll(m->rk, CONSUMER_POLL_MS)))
			rd_kafka_message_destroy(msg);
	}
}

/*
 * Commit list and wait for the result until until_ms at most: a
 * synchronous rd_kafka_commit waits for the coordinator however long it
 * takes (seconds when no broker answers), which shutdown.timeout_ms must
 * bound. Returns the commit's error, or __TIMED_OUT.
 */
rd_kafka_resp_err_t
consumer_commit_until(struct member *m,
    const rd_kafka_topic_partition_list_t *list, int64_t until_ms)
{
	const rd_kafka_topic_partition_list_t *done;
	rd_kafka_resp_err_t err;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	int64_t left;

	q = rd_kafka_queue_new(m->rk);
	err = rd_kafka_commit_queue(m->rk, list, q, NULL, NULL);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		err = RD_KAFKA_RESP_ERR__TIMED_OUT;
		while ((left = until_ms - log_now_ms()) > 0) {
			if ((ev = rd_kafka_queue_poll(q, (int)left)) == NULL)
				continue;
			if (rd_kafka_event_type(ev) ==
			    RD_KAFKA_EVENT_OFFSET_COMMIT) {
				err = rd_kafka_event_error(ev);
				done = rd_kafka_event_topic_partition_list(ev);
				if (err == RD_KAFKA_RESP_ERR_NO_ERROR &&
				    done != NULL)
					offsets_mark_committed(&m->offsets, done);
				rd_kafka_event_destroy(ev);
				break;
			}
			rd_kafka_event_destroy(ev);
		}
	}
	rd_kafka_queue_destroy(q);
	return err;
}

/* Commit the stored offsets of the whole assignment, synchronously. */
static void
consumer_commit_assignment(struct member *m)
{
	rd_kafka_topic_partition_list_t *a = NULL, *c;

	if (atomic_load(&m->result) == MEMBER_FATAL ||
	    rd_kafka_assignment(m->rk, &a) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	c = offsets_stored_list(&m->offsets, a);
	if (c->cnt > 0)
		consumer_commit_until(m, c, m->close_deadline_ms);
	rd_kafka_topic_partition_list_destroy(c);
	rd_kafka_topic_partition_list_destroy(a);
}

/*
 * The member starts closing. When the whole process stops, commit, then
 * wait (up to half the shutdown time) until every member of the process
 * has committed too, so that no member's LeaveGroup starts a rebalance
 * while the others still commit (a coordinator may refuse those commits
 * with REBALANCE_IN_PROGRESS, and the mock cluster always does): the
 * final revoke then has nothing left to commit.
 */
static void
consumer_close_begin(struct member *m, int64_t deadline)
{
	struct member_shared *sh = m->shared;
	struct timespec slice = { 0, 10 * 1000000L };
	int64_t until = log_now_ms() + sh->cfg->shutdown.timeout_ms / 2;
	bool all = atomic_load(&sh->stop_all);

	m->closing = true;
	if (all)
		consumer_commit_assignment(m);
	atomic_fetch_sub(&sh->active, 1);
	if (until > deadline)
		until = deadline;
	while (all && atomic_load(&sh->active) > 0 && log_now_ms() < until)
		nanosleep(&slice, NULL);
}

/* A destroy running on its own thread, shared with the member that
   waits for it; the last of the two to let go frees it. */
struct consumer_destroy_job {
	rd_kafka_t	*rk;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	bool		 done;
	int		 refs;
};

/* Drop one reference to a destroy job, freeing it with the last. */
static void
consumer_destroy_unref(struct consumer_destroy_job *job)
{
	bool last;

	pthread_mutex_lock(&job->lock);
	last = --job->refs == 0;
	pthread_mutex_unlock(&job->lock);
	if (last) {
		pthread_mutex_destroy(&job->lock);
		pthread_cond_destroy(&job->cond);
		free(job);
	}
}

/* The destroy thread: rd_kafka_destroy, however long it takes. */
static void *
consumer_destroy_main(void *arg)
{
	struct consumer_destroy_job *job = arg;

	rd_kafka_destroy_flags(job->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	pthread_mutex_lock(&job->lock);
	job->done = true;
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	consumer_destroy_unref(job);
	return NULL;
}

/*
 * Destroy the handle once close is over, waiting for it until the close
 * deadline (at least CONSUMER_DESTROY_MIN_MS). rd_kafka_destroy joins
 * librdkafka's threads, which can wait on group requests still under way
 * (a close that did not finish, a static member whose group is
 * rebalancing): past the deadline the handle is left to the process exit,
 * every commit being done by then. librdkafka before 2.3.0 asserts (abort)
 * when a cooperative-sticky consumer is destroyed after it joined but
 * before its first assignment (#4312): such a handle is never destroyed.
 */
static void
consumer_destroy(struct member *m, bool closed)
{
	struct consumer_destroy_job *job;
	int64_t until = m->close_deadline_ms;
	struct timespec ts;
	pthread_t thread;
	bool done;

	if (m->cooperative && !m->assigned_once &&
	    rd_kafka_version() < 0x020300ff) {
		log_info("consumer %d: not destroying the client, which never "
		    "got an assignment (librdkafka < 2.3 would abort, #4312)",
		    m->index);
		m->rk = NULL;
		return;
	}
	if (until < log_now_ms() + CONSUMER_DESTROY_MIN_MS)
		until = log_now_ms() + CONSUMER_DESTROY_MIN_MS;
	job = xcalloc(1, sizeof *job);
	job->rk = m->rk;
	job->refs = 2;
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->cond, NULL);
	m->rk = NULL;
	if (pthread_create(&thread, NULL, consumer_destroy_main, job) != 0) {
		log_warnx("consumer %d: cannot start a thread to destroy the "
		    "client; leaving it to the process exit", m->index);
		free(job);
		return;
	}
	pthread_detach(thread);
	ts.tv_sec = (time_t)(until / 1000);
	ts.tv_nsec = (long)(until % 1000) * 1000000L;
	pthread_mutex_lock(&job->lock);
	while (!job->done && pthread_cond_timedwait(&job->cond, &job->lock,
	    &ts) == 0)
		;
	done = job->done;
	pthread_mutex_unlock(&job->lock);
	if (!done)
		log_warnx("consumer %d: librdkafka did not finish destroying the "
		    "client by the shutdown deadline (close %s); leaving it to "
		    "the process exit", m->index, closed ? "finished" :
		    "did not finish");
	consumer_destroy_unref(job);
}

/*
 * Close with the shutdown.timeout_ms deadline: the final revoke and commit
 * come through the close queue; a close that cannot finish (brokers
 * unreachable) is abandoned at the deadline instead of blocking.
 */
static void
consumer_close(struct member *m)
{
	const struct config *cfg = m->shared->cfg;
	int64_t deadline = log_now_ms() + cfg->shutdown.timeout_ms;
	rd_kafka_error_t *error;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	bool closed = false;

	m->close_deadline_ms = deadline;
	consumer_close_begin(m, deadline);
	if (cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_NEVER) {
		/* Commit, then go without LeaveGroup: the group waits out
		   session.timeout.ms as if the member had crashed. */
		consumer_commit_assignment(m);
		consumer_destroy(m, true);
		return;
	}
	if (cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_ALWAYS &&
	    m->instance_id != NULL && atomic_load(&m->result) != MEMBER_FATAL)
		consumer_unsubscribe(m, deadline);
	q = rd_kafka_queue_new(m->rk);
	if ((error = rd_kafka_consumer_close_queue(m->rk, q)) != NULL) {
		if (rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR__FATAL)
			log_warnx("consumer %d: close: %s", m->index,
			    rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
		closed = true;	/* nothing to wait for */
	} else {
		while (!(closed = rd_kafka_consumer_closed(m->rk)) &&
		    log_now_ms() < deadline) {
			if ((ev = rd_kafka_queue_poll(q, CONSUMER_POLL_MS))) {
				consumer_close_event(m, ev);
				rd_kafka_event_destroy(ev);
			}
		}
		if (!closed)
			log_warnx("consumer %d: close did not finish within "
			    "shutdown.timeout_ms (%lld ms); leaving without "
			    "a final commit (uncommitted records will be "
			    "redelivered)", m->index,
			    (long long)cfg->shutdown.timeout_ms);
	}
	rd_kafka_queue_destroy(q);
	consumer_destroy(m, closed);
}

/* Log the stop event: records written and the offsets committed. */
static void
consumer_log_stop(struct member *m, const char *member_id)
{
	rd_kafka_topic_partition_list_t *c;
	struct log_part *parts;
	struct logrec *r;
	int i;

	c = offsets_committed_list(&m->offsets);
	parts = xcalloc((size_t)(c->cnt > 0 ? c->cnt : 1), sizeof *parts);
	for (i = 0; i < c->cnt; i++) {
		parts[i].topic = c->elems[i].topic;
		parts[i].partition = c->elems[i].partition;
		parts[i].offset = c->elems[i].offset;
	}
	r = logrec_new(LOG_LEVEL_INFO, "stop");
	logrec_int(r, "consumer", m->index);
	logrec_str(r, "group", m->shared->cfg->group_id);
	logrec_str(r, "member_id", member_id);
	logrec_str(r, "instance_id", m->instance_id);
	logrec_int(r, "messages", atomic_load(&m->records));
	logrec_parts(r, "committed", parts, (size_t)c->cnt);
	logrec_str(r, "result", atomic_load(&m->result) == MEMBER_OK ? "ok" :
	    atomic_load(&m->result) == MEMBER_FATAL ? "fatal" : "failed");
	logrec_emit(r);
	free(parts);
	rd_kafka_topic_partition_list_destroy(c);
}

/* The member's thread: open, poll, close. */
static void *
consumer_main(void *arg)
{
	struct member *m = arg;

	if (!consumer_open(m)) {
		atomic_store(&m->result, MEMBER_FAILED);
		consumer_stop_all(m);
		atomic_store(&m->running, false);
		return NULL;
	}
	atomic_fetch_add(&m->shared->active, 1);
	consumer_loop(m);
	rebalance_member_id(m);
	consumer_close(m);
	consumer_log_stop(m, rebalance_member_id(m));
	atomic_store(&m->running, false);
	return NULL;
}

/* Start the member's thread (main thread); -1 when it cannot start. */
int
consumer_start(struct member *m)
{
	int err;

	atomic_store(&m->stop, false);
	atomic_store(&m->running, true);
	atomic_store(&m->result, MEMBER_OK);
	m->last_revoke_ms = 0;
	m->fatal_logged = false;
	m->closing = false;
	free(m->member_id);
	m->member_id = NULL;
	atomic_store(&m->assignment, 0);
	m->assigned_once = false;
	m->cooperative = m->shared->cfg->assignor ==
	    CONFIG_ASSIGNOR_COOPERATIVE_STICKY;
	offsets_free(&m->offsets);
	if ((err = pthread_create(&m->thread, NULL, consumer_main, m)) != 0) {
		atomic_store(&m->running, false);
		errno = err;
		log_error("consumer %d: cannot start its thread", m->index);
		return -1;
	}
	m->started = true;
	return 0;
}

/* Wait for the member's thread; returns its enum member_result. */
int
consumer_join(struct member *m)
{
	if (m->started) {
		pthread_join(m->thread, NULL);
		m->started = false;
	}
	return atomic_load(&m->result);
}
