/*
 * sink_dead_letter.c: the destination of sink.on_error dead_letter, for
 * records the sink rejected: a Kafka topic (sink.dead_letter.topic) or a
 * file (sink.dead_letter.path).
 *
 * A topic gets the record's value and key, its headers, and four headers
 * of its own: kconsumerd.topic, kconsumerd.partition, kconsumerd.offset
 * (where it was read) and kconsumerd.error (why the sink rejected it).
 * One idempotent producer (acks=all) with the kafka group's properties;
 * a put waits for the delivery report, so the caller stores the record's
 * offset only once the brokers acknowledged it. At start the topic is
 * looked up: a topic the cluster says does not exist is refused then
 * (the producer never creates topics); at run time a produce that fails
 * is reported and the record is not settled.
 *
 * A file gets the record's line as the sink formatted it (the file
 * sink's format) through a file sink of its own (sink_file.c): appended
 * whole, fsynced as sink.fsync says, reopened on SIGHUP.
 *
 * put runs on consumer threads, one at a time (its own lock); open and
 * close on the main thread; reopen and cancel on any thread (atomics).
 */
#include "autoconf.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "config.h"
#include "log.h"
#include "sink.h"
#include "sink_impl.h"
#include "xmalloc.h"

#define SINK_DEAD_LETTER_CHECK_MS	10000	/* the topic lookup at start */
#define SINK_DEAD_LETTER_POLL_MS	100	/* waiting for a report */

struct sink_dead_letter {
	const struct config	*cfg;
	char			*desc;		/* "topic T", "file P" */
	pthread_mutex_t		 lock;		/* one put at a time */
	atomic_bool		 cancelled;

	/* a topic */
	rd_kafka_t		*rk;

	/* a file: a file sink of its own, on a copy of the configuration */
	struct config		 file_cfg;
	struct sink		*file;
};

/* A put's delivery report, filled in by librdkafka's callback. */
struct sink_dead_letter_report {
	bool			 done;
	rd_kafka_resp_err_t	 err;
};

/* The delivery report callback (served by rd_kafka_poll in put). */
static void
sink_dead_letter_dr(rd_kafka_t *rk, const rd_kafka_message_t *msg,
    void *opaque)
{
	struct sink_dead_letter_report *r = msg->_private;

	r->err = msg->err;
	r->done = true;
}

/* librdkafka's log lines, as ours. */
static void
sink_dead_letter_log(const rd_kafka_t *rk, int level, const char *fac,
    const char *buf)
{
	if (level <= 4)
		log_warnx("sink dead-letter producer: %s: %s", fac, buf);
	else
		log_debug("sink dead-letter producer: %s: %s", fac, buf);
}

/*
 * Whether the topic exists, asked of the cluster: 0 when it does or
 * cannot be told yet (logged), -1 when the cluster says it does not.
 */
static int
sink_dead_letter_check(struct sink_dead_letter *dl)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *rkt;
	rd_kafka_resp_err_t err;
	const char *topic = dl->cfg->sink.dead_letter_topic;

	rkt = rd_kafka_topic_new(dl->rk, topic, NULL);
	err = rd_kafka_metadata(dl->rk, 0, rkt, &md,
	    SINK_DEAD_LETTER_CHECK_MS);
	rd_kafka_topic_destroy(rkt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_warnx("sink dead-letter topic %s: cannot tell whether it "
		    "exists (%s); going on: a record is dead-lettered only "
		    "once the topic acknowledged it", topic,
		    rd_kafka_err2name(err));
		return 0;
	}
	err = md->topic_cnt == 1 ? md->topics[0].err :
	    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
	rd_kafka_metadata_destroy(md);
	if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
		log_errorx("sink dead-letter topic %s does not exist (%s): "
		    "create it (kconsumerd does not create topics) or change "
		    "sink.dead_letter.topic", topic, rd_kafka_err2name(err));
		return -1;
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warnx("sink dead-letter topic %s: %s; going on: a record "
		    "is dead-lettered only once the topic acknowledged it",
		    topic, rd_kafka_err2name(err));
	return 0;
}

/*
 * The producer: the kafka group's properties (the cluster, its security)
 * over kconsumerd's producer defaults (librdkafka warns once about those
 * only a consumer uses, and ignores them).
 */
static int
sink_dead_letter_producer(struct sink_dead_letter *dl)
{
	static const char *const defaults[][2] = {
		{ "enable.idempotence", "true" },
		{ "acks", "all" },
		{ "allow.auto.create.topics", "false" },
		{ "message.timeout.ms", "30000" },
		{ "log.connection.close", "false" },
	};
	rd_kafka_conf_t *conf;
	char errstr[512];

	if ((conf = config_kafka_producer_conf(dl->cfg, defaults,
	    sizeof defaults / sizeof *defaults, errstr, sizeof errstr)) ==
	    NULL) {
		log_errorx("sink dead-letter producer: %s", errstr);
		return -1;
	}
	rd_kafka_conf_set_dr_msg_cb(conf, sink_dead_letter_dr);
	rd_kafka_conf_set_log_cb(conf, sink_dead_letter_log);
	if ((dl->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr,
	    sizeof errstr)) == NULL) {
		log_errorx("sink dead-letter producer: %s", errstr);
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	return 0;
}

/* Open the destination; NULL after logging why it cannot be used. */
struct sink_dead_letter *
sink_dead_letter_open(const struct config *cfg)
{
	struct sink_dead_letter *dl = xcalloc(1, sizeof *dl);

	dl->cfg = cfg;
	pthread_mutex_init(&dl->lock, NULL);
	if (cfg->sink.dead_letter_topic != NULL) {
		xasprintf(&dl->desc, "topic %s", cfg->sink.dead_letter_topic);
		if (sink_dead_letter_producer(dl) == 0 &&
		    sink_dead_letter_check(dl) == 0)
			return dl;
	} else {
		xasprintf(&dl->desc, "file %s", cfg->sink.dead_letter_path);
		dl->file_cfg = *cfg;
		dl->file_cfg.sink.type = CONFIG_SINK_FILE;
		dl->file_cfg.sink.path = cfg->sink.dead_letter_path;
		dl->file_cfg.sink.per_record = 0;
		dl->file_cfg.sink.on_error = CONFIG_SINK_ON_ERROR_STOP;
		if ((dl->file = sink_open(&dl->file_cfg)) != NULL)
			return dl;
	}
	sink_dead_letter_close(dl);
	return NULL;
}

/* "topic T" or "file P", for events and log lines. */
const char *
sink_dead_letter_describe(const struct sink_dead_letter *dl)
{
	return dl->desc;
}

/* The record's headers and the four of the dead letter. */
static rd_kafka_headers_t *
sink_dead_letter_headers(const struct sink_record *rec, const char *error)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(rec->nheaders + 4);
	char num[32];
	size_t i;

	for (i = 0; i < rec->nheaders; i++)
		rd_kafka_header_add(h, rec->headers[i].name, -1,
		    rec->headers[i].value, (ssize_t)rec->headers[i].len);
	rd_kafka_header_add(h, "kconsumerd.topic", -1, rec->topic, -1);
	snprintf(num, sizeof num, "%d", (int)rec->partition);
	rd_kafka_header_add(h, "kconsumerd.partition", -1, num, -1);
	snprintf(num, sizeof num, "%lld", (long long)rec->offset);
	rd_kafka_header_add(h, "kconsumerd.offset", -1, num, -1);
	rd_kafka_header_add(h, "kconsumerd.error", -1, error, -1);
	return h;
}

/* Produce the record to the topic and wait for its delivery report. */
static int
sink_dead_letter_produce(struct sink_dead_letter *dl,
    const struct sink_record *rec, const char *error, char *why,
    size_t whylen)
{
	struct sink_dead_letter_report r = { false, 0 };
	rd_kafka_headers_t *h = sink_dead_letter_headers(rec, error);
	rd_kafka_resp_err_t err;

	err = rd_kafka_producev(dl->rk,
	    RD_KAFKA_V_TOPIC(dl->cfg->sink.dead_letter_topic),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	    RD_KAFKA_V_VALUE((void *)rec->value, rec->value_len),
	    RD_KAFKA_V_KEY(rec->key, rec->key_len),
	    RD_KAFKA_V_HEADERS(h),
	    RD_KAFKA_V_OPAQUE(&r),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(h);
		snprintf(why, whylen, "cannot produce to %s: %s", dl->desc,
		    rd_kafka_err2name(err));
		return -1;
	}
	while (!r.done) {
		rd_kafka_poll(dl->rk, SINK_DEAD_LETTER_POLL_MS);
		if (!r.done && atomic_load(&dl->cancelled)) {
			/* the report still refers to r: purge the record
			   and wait for its report */
			rd_kafka_purge(dl->rk, RD_KAFKA_PURGE_F_QUEUE |
			    RD_KAFKA_PURGE_F_INFLIGHT);
			while (!r.done)
				rd_kafka_poll(dl->rk, SINK_DEAD_LETTER_POLL_MS);
			snprintf(why, whylen, "the sink is shutting down before "
			    "%s acknowledged the record", dl->desc);
			return r.done && r.err == RD_KAFKA_RESP_ERR_NO_ERROR ?
			    0 : -1;
		}
	}
	if (r.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(why, whylen, "%s did not take the record: %s (%s)",
		    dl->desc, rd_kafka_err2name(r.err), rd_kafka_err2str(r.err));
		return -1;
	}
	return 0;
}

/*
 * Send a rejected record (rec, formatted as data) with the reason to the
 * destination; 0 once it acknowledged it (in the brokers, or written and
 * synced as sink.fsync says), -1 with why set when it did not.
 */
int
sink_dead_letter_put(struct sink_dead_letter *dl,
    const struct sink_record *rec, const char *data, size_t len,
    const char *error, char *why, size_t whylen)
{
	int rc;

	pthread_mutex_lock(&dl->lock);
	if (dl->rk != NULL)
		rc = sink_dead_letter_produce(dl, rec, error, why, whylen);
	else {
		rc = sink_write_batch(dl->file, data, len, &len, 1) == 0 &&
		    sink_flush(dl->file) == 0 ? 0 : -1;
		if (rc == -1)
			snprintf(why, whylen, "%s did not take the record (the "
			    "sink is shutting down or failed)", dl->desc);
	}
	pthread_mutex_unlock(&dl->lock);
	return rc;
}

/* SIGHUP: reopen the file (a topic has nothing to reopen). */
void
sink_dead_letter_reopen(struct sink_dead_letter *dl)
{
	if (dl->file != NULL)
		sink_reopen(dl->file);
}

/* Make a put waiting for its acknowledgement give up (shutdown). */
void
sink_dead_letter_cancel(struct sink_dead_letter *dl)
{
	atomic_store(&dl->cancelled, true);
	if (dl->file != NULL)
		sink_cancel(dl->file);
}

/* Close and free; -1 when the file sink abandoned records. */
int
sink_dead_letter_close(struct sink_dead_letter *dl)
{
	int rc = 0;

	if (dl->rk != NULL) {
		rd_kafka_flush(dl->rk, (int)dl->cfg->shutdown.timeout_ms);
		rd_kafka_destroy(dl->rk);
	}
	if (dl->file != NULL)
		rc = sink_close(dl->file);
	pthread_mutex_destroy(&dl->lock);
	free(dl->desc);
	free(dl);
	return rc;
}
