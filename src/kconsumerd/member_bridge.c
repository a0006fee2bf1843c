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

/* Log the fatal error that ended this member, once, and stop everything. */
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
	logrec_str(r, "next", "this member stops; the others close cleanly; "
	    "exit 76");
	logrec_emit(r);
	status_on_fatal(m->shared->status, m->index, rd_kafka_err2name(err));
	atomic_store(&m->result, MEMBER_FATAL);
	member_stop_all(m);
}

/* librdkafka's error callback: fatal errors stop, others are logged. */
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
	    rd_kafka_err2name(err));
	r = member_logrec(m, LOG_LEVEL_WARN, "commit_failed");
	logrec_str(r, "error", rd_kafka_err2name(err));
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
