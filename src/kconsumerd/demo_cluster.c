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
	pthread_t		 thread;
	atomic_bool		 stop;
	atomic_llong		 produced;
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

/* Create a handle of the given type with the quiet log callback. */
static rd_kafka_t *
demo_cluster_handle(rd_kafka_type_t type, const char *bootstraps)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[256];
	rd_kafka_t *rk;

	rd_kafka_conf_set_log_cb(conf, demo_cluster_log_cb);
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
		    RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR)
			atomic_fetch_add(&dc->produced, 1);
		rd_kafka_poll(dc->producer, 0);
		nanosleep(&ts, NULL);
	}
	rd_kafka_flush(dc->producer, 2000);
	return NULL;
}

/* A cluster record for topic at rate, nothing started yet. */
static struct demo_cluster *
demo_cluster_new(const char *topic, int rate_per_sec)
{
	struct demo_cluster *dc = xcalloc(1, sizeof *dc);

	atomic_init(&dc->stop, false);
	atomic_init(&dc->produced, 0);
	dc->topic = xstrdup(topic);
	dc->rate = rate_per_sec > 0 ? rate_per_sec : 1;
	return dc;
}

/* Start the producer thread on dc->bootstraps; false after logging. */
static bool
demo_cluster_start_producer(struct demo_cluster *dc)
{
	dc->producer = demo_cluster_handle(RD_KAFKA_PRODUCER, dc->bootstraps);
	if (dc->producer == NULL)
		return false;
	if (pthread_create(&dc->thread, NULL, demo_cluster_produce, dc) != 0) {
		log_errorx("demo: cannot start the producer thread");
		return false;
	}
	return true;
}

/* Free a cluster whose start failed (no producer thread runs). */
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
	free(dc);
	return NULL;
}

/* Start the mock brokers, create the topic, start producing. */
struct demo_cluster *
demo_cluster_start(int brokers, const char *topic, int partitions,
    int rate_per_sec)
{
	struct demo_cluster *dc = demo_cluster_new(topic, rate_per_sec);

	if ((dc->host = demo_cluster_handle(RD_KAFKA_PRODUCER, NULL)) == NULL)
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
	return demo_cluster_start_producer(dc) ? dc : demo_cluster_abandon(dc);
}

/* Create topic with partitions on the cluster of rk (the broker's
   replication default), unless it exists with that many; false after
   logging why not. */
static bool
demo_cluster_topic(rd_kafka_t *rk, const char *topic, int partitions)
{
	const rd_kafka_CreateTopics_result_t *res;
	const rd_kafka_topic_result_t **tr;
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
	rd_kafka_NewTopic_t *nt;
	rd_kafka_topic_t *rkt;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	char errstr[256];
	size_t n;
	int have = -1;

	if ((nt = rd_kafka_NewTopic_new(topic, partitions, -1, errstr,
	    sizeof errstr)) == NULL) {
		log_errorx("demo: topic %s: %s", topic, errstr);
		return false;
	}
	q = rd_kafka_queue_new(rk);
	rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
	if ((ev = rd_kafka_queue_poll(q, 20000)) != NULL &&
	    (res = rd_kafka_event_CreateTopics_result(ev)) != NULL &&
	    (tr = rd_kafka_CreateTopics_result_topics(res, &n)) != NULL &&
	    n == 1)
		err = rd_kafka_topic_result_error(tr[0]);
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy(nt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
	    err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
		log_errorx("demo: cannot create topic %s: %s", topic,
		    rd_kafka_err2str(err));
		return false;
	}
	rkt = rd_kafka_topic_new(rk, topic, NULL);
	if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1)
		have = md->topics[0].partition_cnt;
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	if (have != partitions) {
		log_errorx("demo: topic %s has %d partitions, the demo needs "
		    "%d: delete it or use another cluster", topic, have,
		    partitions);
		return false;
	}
	return true;
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
	if ((admin = demo_cluster_handle(RD_KAFKA_PRODUCER, bootstraps)) == NULL)
		return demo_cluster_abandon(dc);
	ok = demo_cluster_topic(admin, topic, partitions);
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

/* How many messages the producer has sent so far. */
long long
demo_cluster_produced(struct demo_cluster *dc)
{
	return atomic_load(&dc->produced);
}

/* Stop producing and tear the cluster down. */
void
demo_cluster_stop(struct demo_cluster *dc)
{
	atomic_store(&dc->stop, true);
	pthread_join(dc->thread, NULL);
	rd_kafka_destroy(dc->producer);
	if (dc->mock != NULL)
		rd_kafka_mock_cluster_destroy(dc->mock);
	if (dc->host != NULL)
		rd_kafka_destroy(dc->host);
	free(dc->bootstraps);
	free(dc->topic);
	free(dc);
}
