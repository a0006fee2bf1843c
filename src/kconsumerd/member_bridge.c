/*
 * member_bridge.c: librdkafka's side of a member: its configuration with
 * the callbacks, and the callbacks themselves (logs, errors, commits),
 * which librdkafka serves from rd_kafka_consumer_poll() and close feeds
 * through member_close_event().
 *
 * The member's own thread (member_bridge_conf: the thread creating it).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "member_bridge.h"
#include "member_denied.h"
#include "offsets.h"
#include "rebalance.h"
#include "stats.h"
#include "status.h"

/* Map a syslog level from librdkafka to ours. */
static enum log_level
member_bridge_level(int level)
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
void
member_bridge_log(struct member *m, int level, const char *fac,
    const char *msg)
{
	struct logrec *r;

	if (!log_enabled(member_bridge_level(level)))
		return;
	r = logrec_new(member_bridge_level(level), "rdkafka");
	logrec_int(r, "consumer", m->index);
	logrec_str(r, "facility", fac);
	logrec_str(r, "msg", msg);
	logrec_emit(r);
}

/* librdkafka's log callback (served on the member's thread). */
static void
member_bridge_log_cb(const rd_kafka_t *rk, int level, const char *fac,
    const char *msg)
{
	struct member *m = rd_kafka_opaque(rk);

	if (m != NULL)
		member_bridge_log(m, level, fac, msg);
}

#if RD_KAFKA_VERSION >= 0x020400ff
/*
 * Under the consumer protocol a static member whose previous run was
 * killed is refused with UNRELEASED_INSTANCE_ID until the broker's
 * session timeout removes that run; a genuine duplicate is refused the
 * same way. Before its first assignment in this run, a member waits:
 * true when it will close this client and join with a new one after a
 * back-off (m->rejoin), false when group.unreleased_wait_ms is spent (or
 * 0), the member was ever assigned, or it is stopping: then it is fatal.
 */
static bool
member_bridge_rejoin_wait(struct member *m, const char *reason)
{
	const struct config *cfg = m->shared->cfg;
	int64_t now = clock_mono_ms(), left, backoff;
	struct logrec *r;
	int i;

	if (m->assigned_once || cfg->unreleased_wait_ms <= 0 ||
	    atomic_load(&m->stop))
		return false;
	if (m->unreleased_since_ms == 0)
		m->unreleased_since_ms = now;
	left = cfg->unreleased_wait_ms - (now - m->unreleased_since_ms);
	if (left <= 0)
		return false;
	backoff = MEMBER_REJOIN_MIN_MS;
	for (i = 0; i < m->rejoin_attempts && backoff < MEMBER_REJOIN_MAX_MS;
	    i++)
		backoff *= 2;
	if (backoff > MEMBER_REJOIN_MAX_MS)
		backoff = MEMBER_REJOIN_MAX_MS;
	if (backoff > left)
		backoff = left;
	m->rejoin_attempts++;
	m->rejoin = true;
	m->rejoin_at_ms = now + backoff;
	r = member_logrec(m, LOG_LEVEL_WARN, "rejoin_wait");
	logrec_str(r, "reason", "UNRELEASED_INSTANCE_ID");
	logrec_printf(r, "cause", "group.instance.id %s is still held by "
	    "another member, or by this one's previous run until the "
	    "broker's session timeout removes it",
	    m->instance_id != NULL ? m->instance_id : "(unknown)");
	logrec_str(r, "msg", reason);
	logrec_int(r, "attempt", m->rejoin_attempts);
	logrec_int(r, "waited_ms", now - m->unreleased_since_ms);
	logrec_int(r, "unreleased_wait_ms", cfg->unreleased_wait_ms);
	logrec_int(r, "retry_in_ms", backoff);
	logrec_str(r, "next", "this client closes and a new one joins after "
	    "retry_in_ms; still refused after unreleased_wait_ms: exit 76");
	logrec_emit(r);
	return true;
}
#endif

/* Log the fatal error that ended this member, once, and stop everything
   (or, refused with UNRELEASED_INSTANCE_ID, wait and join again). */
void
member_bridge_fatal(struct member *m)
{
	char reason[512];
	rd_kafka_resp_err_t err;
	struct logrec *r;

	if (m->fatal_logged)
		return;
	m->fatal_logged = true;
	err = rd_kafka_fatal_error(m->rk, reason, sizeof reason);
#if RD_KAFKA_VERSION >= 0x020400ff
	if (err == RD_KAFKA_RESP_ERR_UNRELEASED_INSTANCE_ID &&
	    member_bridge_rejoin_wait(m, reason))
		return;
#endif
	r = member_logrec(m, LOG_LEVEL_ERROR, "fatal");
	logrec_str(r, "error", rd_kafka_err2name(err));
	if (err == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID)
		logrec_printf(r, "cause", "another member uses "
		    "group.instance.id %s", m->instance_id != NULL ?
		    m->instance_id : "(unknown)");
#if RD_KAFKA_VERSION >= 0x020400ff
	else if (err == RD_KAFKA_RESP_ERR_UNRELEASED_INSTANCE_ID)
		/* the consumer protocol fences the newcomer, not the holder */
		logrec_printf(r, "cause", "group.instance.id %s is still held "
		    "by another member (or by this one's previous run until "
		    "the broker's session timeout removes it)",
		    m->instance_id != NULL ? m->instance_id : "(unknown)");
#endif
	else
		logrec_str(r, "cause", reason);
	logrec_str(r, "msg", reason);
	if (m->unreleased_since_ms != 0)
		logrec_int(r, "waited_ms", clock_mono_ms() -
		    m->unreleased_since_ms);
	member_end_fatal(m, r, err, MEMBER_FATAL);
}

/* librdkafka's error callback: fatal errors stop, and so do refused
   credentials and failed TLS handshakes; others are logged. */
void
member_bridge_error_cb(rd_kafka_t *rk, int err, const char *reason,
    void *opaque)
{
	struct member *m = opaque;
	struct logrec *r;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		member_bridge_fatal(m);
		return;
	}
	if (member_denied_is(m, err, reason)) {
		member_denied(m, err, reason);
		return;
	}
	r = member_logrec(m, LOG_LEVEL_WARN, "error");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "msg", reason);
	logrec_str(r, "next", member_denied_reauth_user(m, err, reason) ?
	    "the broker closes this connection; librdkafka makes a new one, "
	    "authenticated as the renewed user" :
	    "librdkafka retries by itself");
	logrec_emit(r);
}

/* Result of an automatic or manual commit: failures are logged, a
   refusal for partitions lost or revoked as such (commit_refused). */
void
member_bridge_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
	struct member *m = opaque;
	struct logrec *r;
	int i;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (offsets != NULL)
			offsets_mark_committed(&m->offsets, offsets);
		return;
	}
	/* a commit fails as a whole with its first partition's error while
	   the others may have been committed (a deleted topic's partition
	   beside a live one): when partitions carry errors of their own,
	   those without one were committed */
	for (i = 0; offsets != NULL && i < offsets->cnt; i++)
		if (offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			offsets_mark_committed(&m->offsets, offsets);
			break;
		}
	if (err == RD_KAFKA_RESP_ERR__NO_OFFSET ||
	    rebalance_commit_refused(m, err, offsets, "auto"))
		return;
	status_on_commit_failed(m->shared->status, m->index,
	    rebalance_error_name(err));
	r = member_logrec(m, LOG_LEVEL_WARN, "commit_failed");
	logrec_str(r, "error", rebalance_error_name(err));
	logrec_str(r, "when", "auto");
	logrec_str(r, "next", err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ?
	    "the topic or partition is gone (deleted?): its commits fail "
	    "until it leaves the assignment" : "the next commit retries; a "
	    "new owner would start from the last committed offset "
	    "(redelivery)");
	logrec_emit(r);
}

/* This member's librdkafka configuration (config_kafka_conf) with the
   callbacks that bridge librdkafka to the member; NULL when refused. */
rd_kafka_conf_t *
member_bridge_conf(struct member *m, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf;

	if ((conf = config_kafka_conf(m->shared->cfg, m->index, errstr,
	    errlen)) == NULL)
		return NULL;
	rd_kafka_conf_set_opaque(conf, m);
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_log_cb(conf, member_bridge_log_cb);
	rd_kafka_conf_set_error_cb(conf, member_bridge_error_cb);
	rd_kafka_conf_set_offset_commit_cb(conf, member_bridge_commit_cb);
	member_denied_conf(m, conf);
	if (m->shared->status != NULL)
		rd_kafka_conf_set_stats_cb(conf, stats_cb);
	return conf;
}
