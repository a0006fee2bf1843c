#!/bin/bash
# t_commit_refused: a commit the coordinator refuses because the member
# lost its partitions is logged as commit_refused (info level, naming the
# partitions and the reason), not as commit_failed with a retry promise;
# a genuine commit failure for partitions the member still owns stays
# commit_failed (issue 23 item 2). The revoke and lost events say why
# (origin). On the mock cluster: injected OffsetCommit and Heartbeat
# errors.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_mock "fault injection (OffsetCommit and Heartbeat errors)"
require_tools kcat jq mock
ok "the cluster starts" cluster_start orders:4
ORDERS=$(topic orders)
produce_bg traffic "$ORDERS" 100
kc_member_config a "$(group refused)" "$ORDERS" \
    group.session_timeout_ms=3000
kc_start a "$T/a.yaml"
LOG=$(kc_log a)
ok "the member joins with all 4 partitions (origin join)" \
    wait_event "$LOG" '.event == "assign" and .origin == "join" and .assignment == 4'
ok "it commits (the sink grows)" wait_sink_count 50 30 "$T/a.sink"

# a genuine failure: partitions still owned, no loss
ok "two OffsetCommit requests will fail with OFFSET_METADATA_TOO_LARGE" \
    mock_cmd "error OffsetCommit OFFSET_METADATA_TOO_LARGE 2"
ok "that is a commit_failed at warn level" \
    wait_event "$LOG" '.event == "commit_failed" and .level == "warn" and .error == "OFFSET_METADATA_TOO_LARGE"' 20
is "$(count_events "$LOG" '.event == "commit_refused"')" 0 \
    "and no commit_refused: the member still owns its partitions"

# the coordinator forgets the member (a heartbeat answered
# UNKNOWN_MEMBER_ID): the assignment is lost, the member rejoins
ok "the next Heartbeat fails with UNKNOWN_MEMBER_ID" \
    mock_cmd "error Heartbeat UNKNOWN_MEMBER_ID 1"
ok "the member loses its assignment (lost, origin lost)" \
    wait_event "$LOG" '.event == "lost" and .origin == "lost"' 30
ok "it rejoins (assign, origin join)" \
    wait_event "$LOG" '.event == "assign" and .origin == "join"' 30 2

# KIP-848's commit errors go by Kafka's codes whatever librdkafka is
# linked: 2.0.2 has no name for them and reports an auto-commit refused
# with 113 as it is, a genuine failure for partitions still owned, which
# must read STALE_MEMBER_EPOCH; 2.4.0 and later retry such an auto-commit
# themselves (no event)
LIBRDKAFKA=$(nth_field "$LOG" '.event == "start"' 1 .librdkafka)
if [ "$(printf '%s\n' "$LIBRDKAFKA" 2.4.0 | sort -V | head -n 1)" != 2.4.0 ]; then
	ok "the next OffsetCommit request fails with code 113 (STALE_MEMBER_EPOCH)" \
	    mock_cmd "error OffsetCommit 113 1"
	ok "that is a commit_failed that names STALE_MEMBER_EPOCH" \
	    wait_event "$LOG" '.event == "commit_failed" and .error == "STALE_MEMBER_EPOCH"' 20
	is "$(count_events "$LOG" '.event == "commit_refused"')" 0 \
	    "and no commit_refused: the member still owns its partitions"
else
	skip "librdkafka $LIBRDKAFKA retries an auto-commit refused with STALE_MEMBER_EPOCH itself" 3
fi

# a commit refused with UNKNOWN_MEMBER_ID: librdkafka marks the
# assignment lost; the refusal is expected, nothing is retried
ok "the next OffsetCommit request fails with UNKNOWN_MEMBER_ID" \
    mock_cmd "error OffsetCommit UNKNOWN_MEMBER_ID 1"
ok "the refusal is logged as commit_refused at info level, reason lost" \
    wait_event "$LOG" '.event == "commit_refused" and .level == "info" and .error == "UNKNOWN_MEMBER_ID" and .reason == "lost"' 30
ok "naming the partitions" \
    wait_event "$LOG" '.event == "commit_refused" and (.partitions | length) > 0 and (.partitions[0].topic | length) > 0' 1
ok "the assignment is lost again and the member rejoins" \
    wait_event "$LOG" '.event == "assign" and .origin == "join"' 30 3
is "$(count_events "$LOG" '.event == "commit_failed" and .error == "UNKNOWN_MEMBER_ID"')" 0 \
    "no commit_failed for UNKNOWN_MEMBER_ID (nothing will be retried)"
is "$(count_events "$LOG" '.event == "assign" and .origin == "rebalance"')" 0 \
    "a lone member's rejoins are joins, not group rebalances"
ok "the producer stops" produce_bg_stop traffic
ok "every record reaches the sink after the loss" \
    wait_sink_count "$(produced "$ORDERS")" 40 "$T/a.sink"
kc_stop a 20
is "$?" 0 "the member stops cleanly"
cmp_ok "$(count_events "$LOG" '.event == "revoke" and .origin == "close"')" -ge 1 \
    "its final revoke says origin close"
is "$(count_events "$LOG" '.event == "revoke" and .origin == "rebalance"')" 0 \
    "and no revoke of a group rebalance (it was alone)"
ok "nothing is lost" check_delivery "$(produced "$ORDERS")" "$T/a.sink"
done_testing
