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
#include <strings.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "member_bridge.h"
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
	logrec_str(r, "next", "this member stops; the others close cleanly; "
	    "exit 76");
	logrec_emit(r);
	status_on_fatal(m->shared->status, m->index, rd_kafka_err2name(err));
	atomic_store(&m->result, MEMBER_FATAL);
	member_stop_all(m);
}

/* True when an error means the cluster refused us for good: SASL
   credentials refused, a TLS handshake failed, or (TLS 1.3, where the
   broker judges the client's certificate after the handshake) a TLS
   alert ended the connection. */
static bool
member_bridge_is_denied(int err, const char *reason)
{
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
	    err == RD_KAFKA_RESP_ERR__SSL)
		return true;
	return err == RD_KAFKA_RESP_ERR__TRANSPORT && reason != NULL &&
	    strstr(reason, "SSL routines") != NULL &&
	    strstr(reason, " alert ") != NULL;
}

/* True when the SASL mechanism is SCRAM and librdkafka predates 2.6.1,
   whose SCRAM Kafka 4 brokers refuse (librdkafka#4895). */
static bool
member_bridge_old_scram(const struct config *cfg)
{
	const char *mech = config_kafka_get(cfg, "sasl.mechanisms");

	if (mech == NULL)
		mech = config_kafka_get(cfg, "sasl.mechanism");
	return mech != NULL && strncasecmp(mech, "SCRAM", 5) == 0 &&
	    rd_kafka_version() < 0x020601ff;
}

/* What an authentication or TLS failure most likely means, from
   librdkafka's reason (OpenSSL's and the broker's words). */
static const char *
member_bridge_denied_cause(const struct member *m, int err,
    const char *reason)
{
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION &&
	    member_bridge_old_scram(m->shared->cfg))
		return "the cluster refused the SASL credentials (unknown "
		    "user or wrong password: sasl.username, sasl.password); "
		    "or a Kafka 4 broker refused the SCRAM of librdkafka "
		    "before 2.6.1 (librdkafka#4895)";
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION)
		return "the cluster refused the SASL credentials (unknown "
		    "user or wrong password: sasl.username, sasl.password)";
	if (strstr(reason, "certificate verify failed") != NULL)
		return "the broker's certificate is not trusted (ssl.ca.location, "
		    "ssl.ca.pem) or has expired";
	if (strstr(reason, " alert ") != NULL)
		return "the broker refused this client's certificate (expired, "
		    "not signed by a CA it trusts, or missing: "
		    "ssl.certificate.location, ssl.key.location)";
	return "the TLS handshake failed";
}

/* An authentication or TLS failure: log it once with its cause and stop
   everything; the process exits 77 (restarting would not help). */
static void
member_bridge_denied(struct member *m, int err, const char *reason)
{
	struct logrec *r;

	if (m->fatal_logged)
		return;
	m->fatal_logged = true;
	r = member_logrec(m, LOG_LEVEL_ERROR, "fatal");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "cause", member_bridge_denied_cause(m, err, reason));
	logrec_str(r, "msg", reason);
	logrec_str(r, "next", "this member stops; the others close cleanly; "
	    "exit 77");
	logrec_emit(r);
	status_on_fatal(m->shared->status, m->index, rd_kafka_err2name(err));
	atomic_store(&m->result, MEMBER_DENIED);
	member_stop_all(m);
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
	if (member_bridge_is_denied(err, reason)) {
		member_bridge_denied(m, err, reason);
		return;
	}
	r = member_logrec(m, LOG_LEVEL_WARN, "error");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "msg", reason);
	logrec_str(r, "next", "librdkafka retries by itself");
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
	if (m->shared->status != NULL)
		rd_kafka_conf_set_stats_cb(conf, stats_cb);
	return conf;
}
