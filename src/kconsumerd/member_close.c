/*
 * member_close.c: a member's close protocol: the commit barrier with the
 * process's other members, leaving on purpose, rd_kafka_consumer_close_queue
 * served until closed or the shutdown.timeout_ms deadline, and the handle
 * destroyed on a thread of its own, waited for until that deadline.
 *
 * The member's own thread (and the destroy job's thread). Nothing here
 * calls what can block while closing (rd_kafka_memberid,
 * rd_kafka_assignment, rd_kafka_rebalance_protocol, a synchronous
 * rd_kafka_commit): README's librdkafka traps.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "member_bridge.h"
#include "member_close.h"
#include "offsets.h"
#include "rebalance.h"
#include "xmalloc.h"

#define MEMBER_UNSUBSCRIBE_MS	5000	/* wait for the revoke after leaving */
#define MEMBER_DESTROY_CLOSED_MS 2000	/* most, once close finished */

/* Serve one event from the close queue. */
static void
member_close_event(struct member *m, rd_kafka_event_t *ev)
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
			member_bridge_log(m, level, fac, str);
		break;
	case RD_KAFKA_EVENT_OFFSET_COMMIT:
		member_bridge_commit_cb(m->rk, rd_kafka_event_error(ev),
		    (rd_kafka_topic_partition_list_t *)
		    rd_kafka_event_topic_partition_list(ev), m);
		break;
	case RD_KAFKA_EVENT_ERROR:
		member_bridge_error_cb(m->rk, rd_kafka_event_error(ev),
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
member_close_unsubscribe(struct member *m, int64_t deadline)
{
	rd_kafka_message_t *msg;
	int64_t until = clock_mono_ms() + MEMBER_UNSUBSCRIBE_MS;

	if (until > deadline)
		until = deadline;
	rd_kafka_unsubscribe(m->rk);
	while (atomic_load(&m->assignment) > 0 && clock_mono_ms() < until) {
		if ((msg = rd_kafka_consumer_poll(m->rk, MEMBER_POLL_MS)))
			rd_kafka_message_destroy(msg);
	}
}

/* Commit the stored offsets of the partitions the member owns (its own
   record of them: rd_kafka_assignment() can block once closing), within
   the close deadline. */
static void
member_close_commit(struct member *m)
{
	rd_kafka_topic_partition_list_t *c;

	if (atomic_load(&m->result) == MEMBER_FATAL ||
	    atomic_load(&m->result) == MEMBER_DENIED)
		return;
	c = offsets_stored_list(&m->offsets, NULL);
	if (c->cnt > 0)
		member_commit_until(m, c, m->close_deadline_ms);
	rd_kafka_topic_partition_list_destroy(c);
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
member_close_begin(struct member *m, int64_t deadline)
{
	struct member_shared *sh = m->shared;
	struct timespec slice = { 0, 10 * 1000000L };
	int64_t until = clock_mono_ms() + sh->cfg->shutdown.timeout_ms / 2;
	bool all = atomic_load(&sh->stop_all);

	m->closing = true;
	if (all)
		member_close_commit(m);
	atomic_fetch_sub(&sh->active, 1);
	if (until > deadline)
		until = deadline;
	while (all && atomic_load(&sh->active) > 0 && clock_mono_ms() < until)
		nanosleep(&slice, NULL);
}

/* A destroy running on its own thread, shared with the member that
   waits for it; the last of the two to let go frees it. */
struct member_destroy_job {
	rd_kafka_t	*rk;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	bool		 done;
	int		 refs;
};


/* Drop one reference to a destroy job, freeing it with the last. */
static void
member_destroy_unref(struct member_destroy_job *job)
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
member_destroy_main(void *arg)
{
	struct member_destroy_job *job = arg;

	rd_kafka_destroy_flags(job->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	pthread_mutex_lock(&job->lock);
	job->done = true;
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	member_destroy_unref(job);
	return NULL;
}

/*
 * Destroy the handle once close is over, waiting for it until the close
 * deadline (at least MEMBER_DESTROY_MIN_MS). rd_kafka_destroy joins
 * librdkafka's threads, which can wait on group requests still under way
 * (a close that did not finish, a static member whose group is
 * rebalancing): past the deadline the handle is left to the process exit,
 * every commit being done by then. When close finished (final commit
 * answered, LeaveGroup sent where it is), nothing the destroy could still
 * do matters to the group, so it gets MEMBER_DESTROY_CLOSED_MS at most:
 * librdkafka 2.0.2 did not finish destroying a consumer after one of its
 * regex-matched topics was deleted (2.8.0 and 2.14.2 do), and the stop
 * would otherwise take all of shutdown.timeout_ms (issue 23,
 * t_live_topic_deleted). librdkafka before 2.3.0 asserts (abort)
 * when a cooperative-sticky consumer is destroyed after it joined but
 * before its first assignment (#4312): such a handle is never destroyed.
 */
static void
member_destroy(struct member *m, bool closed)
{
	struct member_destroy_job *job;
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
	if (closed && until > clock_mono_ms() + MEMBER_DESTROY_CLOSED_MS)
		until = clock_mono_ms() + MEMBER_DESTROY_CLOSED_MS;
	if (until < clock_mono_ms() + MEMBER_DESTROY_MIN_MS)
		until = clock_mono_ms() + MEMBER_DESTROY_MIN_MS;
	job = xcalloc(1, sizeof *job);
	job->rk = m->rk;
	job->refs = 2;
	pthread_mutex_init(&job->lock, NULL);
	clock_cond_init(&job->cond);
	m->rk = NULL;
	if (pthread_create(&thread, NULL, member_destroy_main, job) != 0) {
		log_warnx("consumer %d: cannot start a thread to destroy the "
		    "client; leaving it to the process exit", m->index);
		free(job);
		return;
	}
	pthread_detach(thread);
	clock_mono_timespec(until, &ts);
	pthread_mutex_lock(&job->lock);
	while (!job->done && pthread_cond_timedwait(&job->cond, &job->lock,
	    &ts) == 0)
		;
	done = job->done;
	pthread_mutex_unlock(&job->lock);
	if (!done && closed)
		log_info("consumer %d: librdkafka did not finish destroying the "
		    "client within %d ms of a finished close (every commit "
		    "answered); leaving it to the process exit", m->index,
		    MEMBER_DESTROY_CLOSED_MS);
	else if (!done)
		log_warnx("consumer %d: librdkafka did not finish destroying the "
		    "client by the shutdown deadline (close did not finish); "
		    "leaving it to the process exit", m->index);
	member_destroy_unref(job);
}

/*
 * Close with the shutdown.timeout_ms deadline: the final revoke and commit
 * come through the close queue; a close that cannot finish (brokers
 * unreachable) is abandoned at the deadline instead of blocking.
 */
void
member_close(struct member *m)
{
	const struct config *cfg = m->shared->cfg;
	int64_t deadline = clock_mono_ms() + cfg->shutdown.timeout_ms;
	rd_kafka_error_t *error;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	bool closed = false;

	m->close_deadline_ms = deadline;
	member_close_begin(m, deadline);
	if (cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_NEVER) {
		/* Commit, then go without LeaveGroup: the group waits out
		   session.timeout.ms as if the member had crashed. */
		member_close_commit(m);
		member_destroy(m, true);
		return;
	}
	if (cfg->shutdown.leave_group == CONFIG_LEAVE_GROUP_ALWAYS &&
	    m->instance_id != NULL && atomic_load(&m->result) != MEMBER_FATAL &&
	    atomic_load(&m->result) != MEMBER_DENIED)
		member_close_unsubscribe(m, deadline);
	q = rd_kafka_queue_new(m->rk);
	if ((error = rd_kafka_consumer_close_queue(m->rk, q)) != NULL) {
		if (rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR__FATAL)
			log_warnx("consumer %d: close: %s", m->index,
			    rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
		closed = true;	/* nothing to wait for */
	} else {
		while (!(closed = rd_kafka_consumer_closed(m->rk)) &&
		    clock_mono_ms() < deadline) {
			if ((ev = rd_kafka_queue_poll(q, MEMBER_POLL_MS))) {
				member_close_event(m, ev);
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
	member_destroy(m, closed);
}
