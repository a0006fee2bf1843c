#!/bin/bash
# t_live_kip848_broker_failure: t_live_broker_failure with the members
# speaking Kafka's consumer group protocol (group.protocol: consumer): a
# partition leader, then the group coordinator of a 3-node cluster is
# killed; every member keeps consuming, the new coordinator loads the
# consumer group with its 3 members, nothing is lost. Needs librdkafka
# 2.12.0 or later (skips with the reason otherwise).
GROUP_PROTOCOL=consumer exec bash "$(dirname "$0")/t_live_broker_failure.sh" "$@"
