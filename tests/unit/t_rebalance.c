/*
 * t_rebalance.c: which commit errors are the coordinator's refusals for
 * partitions the member no longer owns (commit_refused, info) and which
 * are genuine failures (commit_failed, warn), the classic protocol's and
 * KIP-848's (STALE_MEMBER_EPOCH, FENCED_MEMBER_EPOCH) alike, and the
 * names the events give them whatever librdkafka is linked.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "buf.h"
#include "config.h"
#include "log.h"
#include "member.h"
#include "offsets.h"
#include "rebalance.h"
#include "tap.h"
#include "log_fixture.h"

/* One partition of topic t, at offset 42. */
static rd_kafka_topic_partition_list_t *
one_part(int32_t p)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);

	rd_kafka_topic_partition_list_add(l, "t", p)->offset = 42;
	return l;
}

/* What rebalance_commit_refused makes of err for partition 1 of t, which
   member m owns or not: the event it logged ("" when none). */
static const char *
refused(struct member *m, rd_kafka_resp_err_t err)
{
	rd_kafka_topic_partition_list_t *l = one_part(1);

	buf_reset(&fixture_log_lines);
	rebalance_commit_refused(m, err, l, "revoke");
	rd_kafka_topic_partition_list_destroy(l);
	return buf_str(&fixture_log_lines);
}

int
main(void)
{
	static const struct { rd_kafka_resp_err_t err; const char *name; }
	    refusals[] = {
		{ RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, "UNKNOWN_MEMBER_ID" },
		{ RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION, "ILLEGAL_GENERATION" },
		{ RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
		    "REBALANCE_IN_PROGRESS" },
		{ REBALANCE_ERR_STALE_MEMBER_EPOCH, "STALE_MEMBER_EPOCH" },
		{ REBALANCE_ERR_FENCED_MEMBER_EPOCH, "FENCED_MEMBER_EPOCH" },
	};
	struct config cfg;
	struct member_shared sh;
	struct member m;
	rd_kafka_topic_partition_list_t *l;
	char want[128];
	size_t i;

	fixture_log_start(LOG_FORMAT_JSON);

	for (i = 0; i < sizeof refusals / sizeof *refusals; i++) {
		const char *name = refusals[i].name;

		ok(rebalance_refusal_error(refusals[i].err),
		    "%s is a refusal for partitions no longer owned", name);
		ok(strcmp(rebalance_error_name(refusals[i].err), name) == 0,
		    "error %d is named %s (the linked librdkafka says %s)",
		    (int)refusals[i].err, name, rd_kafka_err2name(refusals[i].err));
	}
	is_int((int)REBALANCE_ERR_FENCED_MEMBER_EPOCH, 110,
	    "FENCED_MEMBER_EPOCH is Kafka's code 110");
	is_int((int)REBALANCE_ERR_STALE_MEMBER_EPOCH, 113,
	    "STALE_MEMBER_EPOCH is Kafka's code 113");
	ok(!rebalance_refusal_error(RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE),
	    "OFFSET_METADATA_TOO_LARGE is a genuine failure");
	ok(!rebalance_refusal_error(RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID),
	    "FENCED_INSTANCE_ID is not a refusal (it is fatal)");
	ok(!rebalance_refusal_error(RD_KAFKA_RESP_ERR__TIMED_OUT),
	    "a timeout is a genuine failure");

	/* a member (no client) that gave partition 1 up */
	memset(&cfg, 0, sizeof cfg);
	cfg.group_id = "g";
	cfg.group_protocol = CONFIG_GROUP_PROTOCOL_CONSUMER;
	member_shared_init(&sh, &cfg, NULL, 0, NULL, NULL, NULL);
	memset(&m, 0, sizeof m);
	m.shared = &sh;
	offsets_init(&m.offsets);
	l = one_part(1);
	offsets_own(&m.offsets, l, true);

	is_str(refused(&m, REBALANCE_ERR_STALE_MEMBER_EPOCH), "",
	    "while it owns the partition, STALE_MEMBER_EPOCH is no "
	    "commit_refused (the caller logs commit_failed)");
	offsets_forget(&m.offsets, l, false);
	for (i = 3; i < sizeof refusals / sizeof *refusals; i++) {
		const char *out = refused(&m, refusals[i].err);

		like(out, "\"event\":\"commit_refused\"",
		    "%s for a partition revoked since is a commit_refused",
		    refusals[i].name);
		snprintf(want, sizeof want, "\"error\":\"%s\"",
		    refusals[i].name);
		like(out, want, "that names %s", refusals[i].name);
		like(out, "\"level\":\"info\"", "at info level");
		like(out, "\"reason\":\"revoked\"", "with reason revoked");
	}
	ok(strstr(refused(&m, RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE),
	    "commit_refused") == NULL,
	    "a genuine failure for that partition is no commit_refused");
	rd_kafka_topic_partition_list_destroy(l);
	offsets_free(&m.offsets);
	free(m.member_id);
	fixture_log_stop();
	log_free();
	return tap_done();
}
