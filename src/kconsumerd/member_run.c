/*
 * member_run.c: a member's life: prepared and started by the main thread,
 * its thread opens the handle and subscribes (member_bridge.c), polls
 * (member_poll.c) and closes (member_close.c), logging start and stop.
 *
 * member_run_init/start/stop/join/free/request_state run on the main
 * thread; everything else on the member's own thread, the only one that
 * touches m->rk. librdkafka's logs, errors and statistics are routed to
 * the consumer queue (log.queue, rd_kafka_poll_set_consumer), so they
 * are served by this thread's rd_kafka_consumer_poll() and no other
 * thread resets the max.poll.interval.ms timer.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "member_bridge.h"
#include "member_close.h"
#include "member_poll.h"
#include "member_run.h"
#include "offsets.h"
#include "partlist.h"
#include "renew.h"
#include "xmalloc.h"

/* Prepare a member (main thread). */
void
member_run_init(struct member *m, int index, struct member_shared *sh)
{
	const struct config *cfg = sh->cfg;

	memset(m, 0, sizeof *m);
	m->index = index;
	m->shared = sh;
	m->instance_id = config_instance_id(cfg, index);
	atomic_init(&m->stop, false);
	atomic_init(&m->want_state, false);
	atomic_init(&m->result, MEMBER_OK);
	atomic_init(&m->running, false);
	atomic_init(&m->assignment, 0);
	atomic_init(&m->records, 0);
	offsets_init(&m->offsets);
}

/* Free what member_run_init allocated (after join). */
void
member_run_free(struct member *m)
{
	free(m->instance_id);
	m->instance_id = NULL;
	free(m->member_id);
	m->member_id = NULL;
	offsets_free(&m->offsets);
}

/* Ask the member to stop polling and close (any thread). */
void
member_run_stop(struct member *m)
{
	atomic_store(&m->stop, true);
}

/* Ask the member to log a state event (any thread). */
void
member_run_request_state(struct member *m)
{
	atomic_store(&m->want_state, true);
}

/* Log the start event: the configuration summary for this member. */
static void
member_run_log_start(struct member *m)
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
	logrec_str(r, "group_protocol", config_word("group.protocol",
	    cfg->group_protocol));
	/* under consumer the broker assigns and times the session */
	if (cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CONSUMER)
		logrec_str(r, "remote_assignor", cfg->remote_assignor != NULL &&
		    *cfg->remote_assignor != '\0' ? cfg->remote_assignor :
		    "(broker default)");
	else
		logrec_str(r, "assignor", config_word("group.assignor",
		    cfg->assignor));
	logrec_strv(r, "topics", cfg->topics, cfg->ntopics);
	logrec_int(r, "consumers", cfg->consumers);
	if (cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CLASSIC) {
		logrec_int(r, "session_timeout_ms", cfg->session_timeout_ms);
		logrec_int(r, "heartbeat_interval_ms",
		    cfg->heartbeat_interval_ms);
	}
	logrec_int(r, "max_poll_interval_ms", cfg->max_poll_interval_ms);
	logrec_str(r, "sink", config_word("sink.type", cfg->sink.type));
	logrec_emit(r);
}

/* Create the handle, route its queues and subscribe; false when not. */
static bool
member_run_open(struct member *m)
{
	const struct config *cfg = m->shared->cfg;
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t err;
	char errstr[512];
	size_t i;

	if ((conf = member_bridge_conf(m, errstr, sizeof errstr)) == NULL ||
	    (m->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof errstr)) == NULL) {
		if (conf != NULL)
			rd_kafka_conf_destroy(conf);
		log_errorx("consumer %d: cannot create the Kafka client: %s",
		    m->index, errstr);
		return false;
	}
	/* a new handle (a rejoin's too) starts from the configuration's
	   credentials: hand it those a SIGHUP renewed, if any */
	m->renew_seen = 0;
	renew_apply(m->shared->renew, m->rk, &m->renew_seen, m->index);
	rd_kafka_set_log_queue(m->rk, NULL);
	rd_kafka_poll_set_consumer(m->rk);
	member_run_log_start(m);
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

/* Log the stop event: records written and the offsets committed. */
static void
member_run_log_stop(struct member *m, const char *id)
{
	rd_kafka_topic_partition_list_t *c;
	struct partlist_item *parts;
	struct logrec *r;

	c = offsets_committed_list(&m->offsets);
	parts = partlist_from_rd(c);
	r = logrec_new(LOG_LEVEL_INFO, "stop");
	logrec_int(r, "consumer", m->index);
	logrec_str(r, "group", m->shared->cfg->group_id);
	logrec_str(r, "member_id", id);
	logrec_str(r, "instance_id", m->instance_id);
	logrec_int(r, "messages", atomic_load(&m->records));
	logrec_parts(r, "committed", parts, (size_t)c->cnt);
	logrec_str(r, "result", atomic_load(&m->result) == MEMBER_OK ? "ok" :
	    atomic_load(&m->result) == MEMBER_FATAL ? "fatal" :
	    atomic_load(&m->result) == MEMBER_DENIED ? "denied" : "failed");
	logrec_emit(r);
	free(parts);
	rd_kafka_topic_partition_list_destroy(c);
}

/*
 * After a client refused with UNRELEASED_INSTANCE_ID was closed: wait out
 * the back-off (member_bridge.c) and forget that client; false when the
 * member was asked to stop meanwhile.
 */
static bool
member_run_rejoin(struct member *m)
{
	struct timespec slice = { 0, MEMBER_POLL_MS * 1000000L };

	while (!atomic_load(&m->stop) && clock_mono_ms() < m->rejoin_at_ms)
		nanosleep(&slice, NULL);
	if (atomic_load(&m->stop))
		return false;
	m->rejoin = false;
	m->fatal_logged = false;
	m->closing = false;
	m->in_group = false;
	free(m->member_id);
	m->member_id = NULL;
	m->generation = -1;
	return true;
}

/* The member's thread: open, poll, close; open again after a refusal
   with UNRELEASED_INSTANCE_ID (see member_run_rejoin). */
static void *
member_run_main(void *arg)
{
	struct member *m = arg;

	do {
		if (!member_run_open(m)) {
			atomic_store(&m->result, MEMBER_FAILED);
			member_stop_all(m);
			atomic_store(&m->running, false);
			return NULL;
		}
		atomic_fetch_add(&m->shared->active, 1);
		member_poll_loop(m);
		member_id(m);	/* cached now: close does not ask librdkafka */
		member_generation(m);
		/* a refused client was never assigned: under the consumer
		   protocol librdkafka is 2.12 or later, so destroying it is
		   safe (#4312 was fixed in 2.3.0) */
		member_close(m);
	} while (m->rejoin && member_run_rejoin(m));
	member_run_log_stop(m, member_id(m));
	atomic_store(&m->running, false);
	return NULL;
}

/* Start the member's thread (main thread); -1 when it cannot start. */
int
member_run_start(struct member *m)
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
	m->generation = -1;
	atomic_store(&m->assignment, 0);
	m->assigned_once = false;
	m->in_group = false;
	m->rejoin = false;
	m->rejoin_at_ms = 0;
	m->unreleased_since_ms = 0;
	m->rejoin_attempts = 0;
	/* the consumer protocol is incremental whatever the assignor */
	m->cooperative = m->shared->cfg->assignor ==
	    CONFIG_ASSIGNOR_COOPERATIVE_STICKY ||
	    m->shared->cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CONSUMER;
	offsets_free(&m->offsets);
	err = pthread_create(&m->thread, NULL, member_run_main, m);
	if (err != 0) {
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
member_run_join(struct member *m)
{
	if (m->started) {
		pthread_join(m->thread, NULL);
		m->started = false;
	}
	return atomic_load(&m->result);
}
