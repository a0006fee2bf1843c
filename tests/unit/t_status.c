/*
 * t_status.c: member state from rebalance events, counters, statistics,
 * and the joined / ready / healthy verdicts with their reasons.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "buf.h"
#include "clock.h"
#include "log.h"
#include "status_fixture.h"
#include "../tap.h"

/* Take a snapshot, evaluate one verdict, keep the reason in why. */
static bool
verdict(struct status *st, int which, int64_t max_age, struct buf *why)
{
	struct status_snapshot s;
	bool v;

	buf_reset(why);
	status_snapshot(st, &s);
	v = which == 0 ? status_joined(&s, why) : which == 1 ?
	    status_ready(&s, why) : status_healthy(&s, max_age, why);
	status_snapshot_free(&s);
	return v;
}

int
main(void)
{
	static const int two[] = { 0, 2 }, one[] = { 2 };
	struct status_partition stats[2];
	struct status_snapshot s;
	struct config cfg;
	struct status *st;
	struct buf why;
	int64_t now = clock_mono_ms();

	buf_init(&why);
	fixture_status_config(&cfg);
	st = status_new(&cfg, NULL);

	ok(!verdict(st, 0, 0, &why), "no member has joined at the start");
	like(buf_str(&why), "consumer 0 has no assignment yet; consumer 1",
	    "the reason names both members");
	ok(!verdict(st, 1, 0, &why), "not ready at the start");
	like(buf_str(&why), "consumer 0 is joining its group",
	    "the reason says the member is joining");

	fixture_rebalance(st, 0, REBALANCE_ASSIGN, "orders", two, 2, -1);
	ok(!verdict(st, 0, 0, &why), "one member in is not all of them");
	like(buf_str(&why), "consumer 1 has no assignment yet",
	    "the reason names the member still out");
	fixture_rebalance(st, 1, REBALANCE_ASSIGN, "orders", NULL, 0, -1);
	ok(verdict(st, 0, 0, &why), "an empty first assignment counts as in");
	ok(verdict(st, 1, 0, &why), "ready once both are assigned");

	fixture_rebalance(st, 0, REBALANCE_REVOKE, "orders", one, 1, -1);
	ok(!verdict(st, 1, 0, &why), "not ready inside a rebalance");
	like(buf_str(&why), "consumer 0 is inside a rebalance",
	    "the reason names the member that was revoked");
	fixture_rebalance(st, 0, REBALANCE_ASSIGN, "orders", NULL, 0, 250);
	ok(verdict(st, 1, 0, &why), "ready again after the next assign");

	/* a cooperative newcomer: an empty first round, partitions later */
	fixture_rebalance_at(st, 1, REBALANCE_ASSIGN, "orders", NULL, 0, -1,
	    clock_mono_ms());
	ok(!verdict(st, 1, 0, &why), "not ready right after an empty assign");
	like(buf_str(&why), "consumer 1 owns nothing yet",
	    "the reason says the member owns nothing yet");
	fixture_rebalance_at(st, 1, REBALANCE_ASSIGN, "orders", one, 1, -1,
	    clock_mono_ms());
	ok(verdict(st, 1, 0, &why), "ready once the second round assigns "
	    "partitions");
	fixture_rebalance(st, 1, REBALANCE_REVOKE, "orders", one, 1, -1);
	fixture_rebalance(st, 1, REBALANCE_ASSIGN, "orders", NULL, 0, -1);
	ok(verdict(st, 1, 0, &why), "an empty assignment that lasted longer "
	    "than two heartbeats is final: ready");
	fixture_rebalance(st, 1, REBALANCE_LOST, "orders", NULL, 0, -1);

	status_on_message(st, 0, "orders", 10);
	status_on_message(st, 0, "orders", 5);
	status_on_message(st, 0, "audit", 7);
	status_on_commit_failed(st, 0, "REBALANCE_IN_PROGRESS");
	status_on_commit_failed(st, 0, "REBALANCE_IN_PROGRESS");
	memset(stats, 0, sizeof stats);
	stats[0].topic = "orders";
	stats[0].partition = 0;
	stats[0].position = 40;
	stats[0].committed = 38;
	stats[0].lag = 7;
	stats[1] = stats[0];
	stats[1].partition = 9;		/* not owned: ignored */
	status_on_stats(st, 0, stats, 2, 3);

	status_snapshot(st, &s);
	is_int(s.nmembers, 2, "the snapshot has both members");
	is_str(s.members[0].member_id, "rdkafka-aaa",
	    "the member id comes from the rebalance event");
	is_int(s.members[0].nparts, 1, "assign 0,2 then revoke 2 leaves one "
	    "partition");
	is_int(s.members[0].parts[0].partition, 0, "and it is partition 0");
	is_int(s.members[0].parts[0].lag, 7, "its lag comes from the "
	    "statistics");
	is_int(s.members[0].parts[0].committed, 38, "and its committed "
	    "offset");
	is_int(s.members[0].rdkafka_rebalances, 3, "librdkafka's rebalance "
	    "count is kept");
	is_int(s.members[0].rebalances[REBALANCE_ASSIGN][1], 2,
	    "two cooperative assigns are counted");
	is_int(s.members[0].rebalances[REBALANCE_REVOKE][1], 1,
	    "one cooperative revoke is counted");
	is_int(s.members[1].rebalances[REBALANCE_LOST][1], 1,
	    "a lost assignment is counted as lost");
	is_int(s.members[0].last_pause_ms, 250, "the last pause is kept");
	is_int(s.members[0].ntopics, 2, "messages are counted per topic");
	is_int(s.members[0].topics[0].messages, 2, "two messages of orders");
	is_int(s.members[0].topics[0].bytes, 15, "with their bytes");
	is_int(s.members[0].messages, 3, "three messages in all");
	is_int(s.members[0].ncommit_failures, 1, "commit failures are "
	    "counted by error name");
	is_int(s.members[0].commit_failures[0].count, 2, "twice "
	    "REBALANCE_IN_PROGRESS");
	status_snapshot_free(&s);

	status_on_poll(st, 0, now);
	status_on_poll(st, 1, now);
	ok(verdict(st, 2, 5000, &why), "healthy while both poll");
	status_on_poll(st, 1, now - 20000);
	ok(!verdict(st, 2, 5000, &why), "unhealthy when one has not polled "
	    "for longer than the limit");
	like(buf_str(&why), "consumer 1 has not polled for",
	    "the reason names the member");
	status_set_stopping(st);
	ok(verdict(st, 2, 5000, &why), "a stop does not count as stuck");
	ok(!verdict(st, 1, 0, &why), "not ready while stopping");
	status_on_fatal(st, 0, "FENCED_INSTANCE_ID");
	ok(!verdict(st, 2, 5000, &why), "a fatal error is unhealthy");
	like(buf_str(&why), "consumer 0 failed: FENCED_INSTANCE_ID",
	    "and says why");

	status_on_message(NULL, 0, "orders", 1);
	status_on_poll(st, 7, now);
	ok(true, "hooks accept a NULL status and an unknown member");
	status_free(st);

	/* origins: a join and a close are not group rebalances */
	st = status_new(&cfg, NULL);
	fixture_rebalance_origin(st, 0, REBALANCE_ASSIGN,
	    REBALANCE_ORIGIN_JOIN, "orders", two, 2);
	fixture_rebalance_origin(st, 0, REBALANCE_REVOKE,
	    REBALANCE_ORIGIN_REBALANCE, "orders", one, 1);
	fixture_rebalance_origin(st, 0, REBALANCE_ASSIGN,
	    REBALANCE_ORIGIN_REBALANCE, "orders", NULL, 0);
	fixture_rebalance_origin(st, 1, REBALANCE_ASSIGN,
	    REBALANCE_ORIGIN_JOIN, "orders", one, 1);
	fixture_rebalance_origin(st, 1, REBALANCE_REVOKE,
	    REBALANCE_ORIGIN_CLOSE, "orders", one, 1);
	status_on_commit_refused(st, 1);
	status_snapshot(st, &s);
	is_int(s.members[0].group_rebalances, 1, "a join is not a group "
	    "rebalance, a later assign is");
	is_int(s.members[1].group_rebalances, 0, "a member that joined and "
	    "closed went through no group rebalance");
	is_int(s.members[1].rebalances[REBALANCE_REVOKE][1], 0,
	    "its close's revoke is not counted as a revoke");
	is_int(s.members[1].rebalances[STATUS_KIND_CLOSE][1], 1,
	    "but as a close");
	is_int(s.members[1].state, STATUS_ASSIGNED, "a close leaves the "
	    "state as it was (not rebalancing)");
	is_int(s.members[1].nparts, 0, "and the member owns nothing after");
	is_int(s.members[1].commits_refused, 1, "refused commits are "
	    "counted");
	is_str(status_kind_name(STATUS_KIND_CLOSE), "close", "the kind's "
	    "name is close");
	status_snapshot_free(&s);
	status_free(st);
	buf_free(&why);
	return tap_done();
}
