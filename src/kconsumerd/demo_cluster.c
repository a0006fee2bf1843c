/*
 * demo_cluster.c: the embedded mock cluster (rdkafka_mock.h), or a real
 * cluster given by its bootstrap list, and the producer thread that feeds
 * the demo's topic at a modest rate.
 *
 * demo_cluster_start/stop run on the main thread; demo_cluster_produce on
 * the producer thread, which alone touches the producer handle. The mock
 * cluster lives inside the hosting handle's threads.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "demo_cluster.h"
#include "log.h"
#include "xmalloc.h"

struct demo_cluster {
	rd_kafka_t		*host;		/* hosts the mock brokers */
	rd_kafka_mock_cluster_t	*mock;
	rd_kafka_t		*producer;
	char			*bootstraps;
	char			*topic;
	int			 rate;
	int			 partitions;
	int64_t			*start;		/* each partition's end offset
						   before the demo produced */
	pthread_t		 thread;
	bool			 producing;	/* the thread runs */
	atomic_bool		 stop;
	atomic_llong		 produced;	/* acknowledged by the brokers */
	atomic_llong		 failed;	/* reported failed */
};

/* Drop librdkafka's own log lines from the demo's internal handles unless
   they are warnings or worse. */
static void
demo_cluster_log_cb(const rd_kafka_t *rk, int level, const char *fac,
    const char *msg)
{
	(void)rk;
	if (level <= 4)
		log_warnx("demo cluster: %s: %s", fac, msg);
}

/* Count a record's delivery report (the producer thread, in its polls):
   produced once the brokers acknowledged it, failed otherwise. */
static void
demo_cluster_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *msg,
    void *opaque)
{
	struct demo_cluster *dc = opaque;

	(void)rk;
	if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		atomic_fetch_add(&dc->produced, 1);
	else
		atomic_fetch_add(&dc->failed, 1);
}

/* Create a handle of the given type with the quiet log callback; a
   producer for dc counts its delivery reports there. */
static rd_kafka_t *
demo_cluster_handle(rd_kafka_type_t type, const char *bootstraps,
    struct demo_cluster *dc)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[256];
	rd_kafka_t *rk;

	rd_kafka_conf_set_log_cb(conf, demo_cluster_log_cb);
	if (dc != NULL) {
		rd_kafka_conf_set_opaque(conf, dc);
		rd_kafka_conf_set_dr_msg_cb(conf, demo_cluster_dr_cb);
	}
	if (bootstraps != NULL)
		rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps,
		    NULL, 0);
	rd_kafka_conf_set(conf, "linger.ms", "5", NULL, 0);
	if ((rk = rd_kafka_new(type, conf, errstr, sizeof errstr)) == NULL) {
		rd_kafka_conf_destroy(conf);
		log_errorx("demo: cannot create a Kafka handle: %s", errstr);
	}
	return rk;
}

/* A consumer handle of group that joins nothing: it reads and sets the
   group's committed offsets. */
static rd_kafka_t *
demo_cluster_group_handle(struct demo_cluster *dc, const char *group)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[256];
	rd_kafka_t *rk;

	rd_kafka_conf_set_log_cb(conf, demo_cluster_log_cb);
	if (rd_kafka_conf_set(conf, "bootstrap.servers", dc->bootstraps,
	    errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "group.id", group, errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK ||
	    (rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof errstr)) == NULL) {
		rd_kafka_conf_destroy(conf);
		log_errorx("demo: cannot create a Kafka handle: %s", errstr);
		return NULL;
	}
	return rk;
}

/* The producer thread: one keyed message every 1/rate seconds. */
static void *
demo_cluster_produce(void *arg)
{
	struct demo_cluster *dc = arg;
	struct timespec ts;
	char key[32], value[64];
	long long i;

	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000L / dc->rate;
	for (i = 0; !atomic_load(&dc->stop); i++) {
		snprintf(key, sizeof key, "k%lld", i);
		snprintf(value, sizeof value, "demo message %lld", i);
		if (rd_kafka_producev(dc->producer,
		    RD_KAFKA_V_TOPIC(dc->topic),
		    RD_KAFKA_V_KEY(key, strlen(key)),
		    RD_KAFKA_V_VALUE(value, strlen(value)),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		    RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR)
			atomic_fetch_add(&dc->failed, 1);
		rd_kafka_poll(dc->producer, 0);
		nanosleep(&ts, NULL);
	}
	/* every record sent gets its report: acknowledged, or failed once
	   purged (a flush that did not finish) */
	if (rd_kafka_flush(dc->producer, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_purge(dc->producer, RD_KAFKA_PURGE_F_QUEUE |
		    RD_KAFKA_PURGE_F_INFLIGHT);
		rd_kafka_flush(dc->producer, 5000);
	}
	return NULL;
}

/* A cluster record for topic at rate, nothing started yet. */
static struct demo_cluster *
demo_cluster_new(const char *topic, int rate_per_sec)
{
	struct demo_cluster *dc = xcalloc(1, sizeof *dc);

	atomic_init(&dc->stop, false);
	atomic_init(&dc->produced, 0);
	atomic_init(&dc->failed, 0);
	dc->topic = xstrdup(topic);
	dc->rate = rate_per_sec > 0 ? rate_per_sec : 1;
	return dc;
}

/* Start the producer thread on dc->bootstraps; false after logging. */
static bool
demo_cluster_start_producer(struct demo_cluster *dc)
{
	dc->producer = demo_cluster_handle(RD_KAFKA_PRODUCER, dc->bootstraps,
	    dc);
	if (dc->producer == NULL)
		return false;
	if (pthread_create(&dc->thread, NULL, demo_cluster_produce, dc) != 0) {
		log_errorx("demo: cannot start the producer thread");
		return false;
	}
	dc->producing = true;
	return true;
}

/* Free a cluster whose producer thread is not running (its start
   failed, or it was stopped). */
static struct demo_cluster *
demo_cluster_abandon(struct demo_cluster *dc)
{
	if (dc->producer != NULL)
		rd_kafka_destroy(dc->producer);
	if (dc->mock != NULL)
		rd_kafka_mock_cluster_destroy(dc->mock);
	if (dc->host != NULL)
		rd_kafka_destroy(dc->host);
	free(dc->bootstraps);
	free(dc->topic);
	free(dc->start);
	free(dc);
	return NULL;
}

/* Start the mock brokers, create the topic, start producing. */
struct demo_cluster *
demo_cluster_start(int brokers, const char *topic, int partitions,
    int rate_per_sec)
{
	struct demo_cluster *dc = demo_cluster_new(topic, rate_per_sec);

	if ((dc->host = demo_cluster_handle(RD_KAFKA_PRODUCER, NULL, NULL)) ==
	    NULL)
		return demo_cluster_abandon(dc);
	if ((dc->mock = rd_kafka_mock_cluster_new(dc->host, brokers)) == NULL) {
		log_errorx("demo: cannot start the mock cluster");
		return demo_cluster_abandon(dc);
	}
	if (rd_kafka_mock_topic_create(dc->mock, topic, partitions,
	    brokers < 3 ? brokers : 3) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_errorx("demo: cannot create topic %s", topic);
		return demo_cluster_abandon(dc);
	}
	dc->bootstraps = xstrdup(rd_kafka_mock_cluster_bootstraps(dc->mock));
	dc->partitions = partitions;
	dc->start = xcalloc((size_t)partitions, sizeof *dc->start);
	return demo_cluster_start_producer(dc) ? dc : demo_cluster_abandon(dc);
}

/* Wait up to 20 s on q for the result of a CreateTopics or DeleteTopics
   request of one topic, and destroy q: that topic's error (timed out
   when none came). */
static rd_kafka_resp_err_t
demo_cluster_topic_result(rd_kafka_queue_t *q)
{
	const rd_kafka_topic_result_t **tr = NULL;
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
	rd_kafka_event_t *ev;
	rd_kafka_event_type_t type;
	size_t n = 0;

	if ((ev = rd_kafka_queue_poll(q, 20000)) != NULL) {
		type = rd_kafka_event_type(ev);
		if (type == RD_KAFKA_EVENT_CREATETOPICS_RESULT)
			tr = rd_kafka_CreateTopics_result_topics(
			    rd_kafka_event_CreateTopics_result(ev), &n);
		else if (type == RD_KAFKA_EVENT_DELETETOPICS_RESULT)
			tr = rd_kafka_DeleteTopics_result_topics(
			    rd_kafka_event_DeleteTopics_result(ev), &n);
		if (tr != NULL && n == 1)
			err = rd_kafka_topic_result_error(tr[0]);
		rd_kafka_event_destroy(ev);
	}
	rd_kafka_queue_destroy(q);
	return err;
}

/* Create topic with partitions on the cluster of rk (the broker's
   replication default), unless it exists with that many; false after
   logging why not. */
static bool
demo_cluster_topic(rd_kafka_t *rk, const char *topic, int partitions)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;
	rd_kafka_NewTopic_t *nt;
	rd_kafka_topic_t *rkt;
	rd_kafka_queue_t *q;
	struct timespec pause = { 0, 200 * 1000000L };
	char errstr[256];
	int have = -1, tries;

	if ((nt = rd_kafka_NewTopic_new(topic, partitions, -1, errstr,
	    sizeof errstr)) == NULL) {
		log_errorx("demo: topic %s: %s", topic, errstr);
		return false;
	}
	q = rd_kafka_queue_new(rk);
	rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
	err = demo_cluster_topic_result(q);
	rd_kafka_NewTopic_destroy(nt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
	    err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
		log_errorx("demo: cannot create topic %s: %s", topic,
		    rd_kafka_err2str(err));
		return false;
	}
	/* a topic just created can show no partitions for a moment (the
	   broker's metadata catches up): ask again for up to 15 s */
	rkt = rd_kafka_topic_new(rk, topic, NULL);
	for (tries = 0; have <= 0 && tries < 75; tries++) {
		if (tries > 0)
			nanosleep(&pause, NULL);
		md = NULL;
		if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 &&
		    md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
			have = md->topics[0].partition_cnt;
		if (md != NULL)
			rd_kafka_metadata_destroy(md);
	}
	rd_kafka_topic_destroy(rkt);
	if (have != partitions) {
		log_errorx("demo: topic %s has %d partitions, the demo needs "
		    "%d: delete it or use another cluster", topic, have,
		    partitions);
		return false;
	}
	return true;
}

/* Set ends[p] to each partition's end offset (its high watermark), for
   up to 15 s while a new topic's leaders are still being elected; false
   after logging. */
static bool
demo_cluster_ends(rd_kafka_t *rk, struct demo_cluster *dc, int64_t *ends)
{
	struct timespec pause = { 0, 200 * 1000000L };
	rd_kafka_resp_err_t err;
	int64_t low;
	int p, tries;

	for (p = 0; p < dc->partitions; p++) {
		for (tries = 0; (err = rd_kafka_query_watermark_offsets(rk,
		    dc->topic, p, &low, &ends[p], 5000)) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR && tries < 75; tries++)
			nanosleep(&pause, NULL);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			log_errorx("demo: the end offset of %s[%d]: %s",
			    dc->topic, p, rd_kafka_err2str(err));
			return false;
		}
	}
	return true;
}

/* Give group its starting offsets: each partition's end before the demo
   produced, so its members read this run's records, all of them, and no
   older ones (a real cluster's topic outlives a demo). */
bool
demo_cluster_start_group(struct demo_cluster *dc, const char *group)
{
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_resp_err_t err;
	rd_kafka_t *rk;
	int p;

	if (dc->mock != NULL)
		return true;	/* a new topic: it starts at 0 */
	if ((rk = demo_cluster_group_handle(dc, group)) == NULL)
		return false;
	parts = rd_kafka_topic_partition_list_new(dc->partitions);
	for (p = 0; p < dc->partitions; p++)
		rd_kafka_topic_partition_list_add(parts, dc->topic, p)->offset =
		    dc->start[p];
	if ((err = rd_kafka_commit(rk, parts, 0)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_errorx("demo: cannot set the starting offsets of group "
		    "%s: %s", group, rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(parts);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* Account for the records the demo produced, once the producer stopped
   and the members committed: read (from where the group started to
   its committed offsets) and not yet read (from there to the end);
   false after logging when the cluster did not answer. */
bool
demo_cluster_account(struct demo_cluster *dc, const char *group,
    struct demo_account *acct)
{
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_resp_err_t err;
	int64_t *ends, at;
	rd_kafka_t *rk;
	bool ok;
	int p;

	memset(acct, 0, sizeof *acct);
	acct->produced = atomic_load(&dc->produced);
	acct->failed = atomic_load(&dc->failed);
	if ((rk = demo_cluster_group_handle(dc, group)) == NULL)
		return false;
	ends = xcalloc((size_t)dc->partitions, sizeof *ends);
	parts = rd_kafka_topic_partition_list_new(dc->partitions);
	for (p = 0; p < dc->partitions; p++)
		rd_kafka_topic_partition_list_add(parts, dc->topic, p);
	ok = demo_cluster_ends(rk, dc, ends);
	if (ok && (err = rd_kafka_committed(rk, parts, 10000)) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_errorx("demo: the committed offsets of group %s: %s",
		    group, rd_kafka_err2str(err));
		ok = false;
	}
	for (p = 0; ok && p < dc->partitions; p++) {
		at = parts->elems[p].offset;
		if (at < 0)	/* nothing committed: nothing read */
			at = dc->start[p];
		acct->in_kafka += ends[p] - dc->start[p];
		acct->read += at - dc->start[p];
		acct->unread += ends[p] - at;
	}
	rd_kafka_topic_partition_list_destroy(parts);
	free(ends);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return ok;
}

/* Use the real cluster at bootstraps: create the topic (or find it with
   the right partition count), start producing. */
struct demo_cluster *
demo_cluster_connect(const char *bootstraps, const char *topic,
    int partitions, int rate_per_sec)
{
	struct demo_cluster *dc = demo_cluster_new(topic, rate_per_sec);
	rd_kafka_t *admin;
	bool ok;

	dc->bootstraps = xstrdup(bootstraps);
	dc->partitions = partitions;
	dc->start = xcalloc((size_t)partitions, sizeof *dc->start);
	if ((admin = demo_cluster_handle(RD_KAFKA_PRODUCER, bootstraps,
	    NULL)) == NULL)
		return demo_cluster_abandon(dc);
	ok = demo_cluster_topic(admin, topic, partitions) &&
	    demo_cluster_ends(admin, dc, dc->start);
	rd_kafka_destroy(admin);
	if (!ok || !demo_cluster_start_producer(dc))
		return demo_cluster_abandon(dc);
	return dc;
}

/* The bootstrap list of the cluster. */
const char *
demo_cluster_bootstraps(const struct demo_cluster *dc)
{
	return dc->bootstraps;
}

/* Stop producing: the producer thread ends once every record it sent
   was acknowledged or reported failed. */
void
demo_cluster_stop_producer(struct demo_cluster *dc)
{
	if (!dc->producing)
		return;
	atomic_store(&dc->stop, true);
	pthread_join(dc->thread, NULL);
	dc->producing = false;
}

/* Delete a demo's topic, of its run's own, from the real cluster at
   bootstraps (its records and the group's offsets go with it); false
   after a warning when the cluster refuses. */
bool
demo_cluster_delete_topic(const char *bootstraps, const char *topic)
{
	rd_kafka_resp_err_t err;
	rd_kafka_DeleteTopic_t *dt;
	rd_kafka_queue_t *q;
	rd_kafka_t *rk;

	if ((rk = demo_cluster_handle(RD_KAFKA_PRODUCER, bootstraps,
	    NULL)) == NULL)
		return false;
	dt = rd_kafka_DeleteTopic_new(topic);
	q = rd_kafka_queue_new(rk);
	rd_kafka_DeleteTopics(rk, &dt, 1, NULL, q);
	err = demo_cluster_topic_result(q);
	rd_kafka_DeleteTopic_destroy(dt);
	rd_kafka_destroy(rk);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warnx("demo: cannot delete topic %s: %s (delete it by "
		    "hand)", topic, rd_kafka_err2str(err));
	return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* Stop producing and tear the cluster down. */
void
demo_cluster_stop(struct demo_cluster *dc)
{
	demo_cluster_stop_producer(dc);
	demo_cluster_abandon(dc);
}
