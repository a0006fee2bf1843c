/*
 * rebalance.h: a member's rebalance callback for both protocols, commit on
 * revoke, the assign/revoke/lost events, and the state event (SIGUSR1).
 *
 * The member's own thread.
 */
#ifndef KCONSUMERD_REBALANCE_H
#define KCONSUMERD_REBALANCE_H

#include <stdbool.h>

#include <librdkafka/rdkafka.h>

struct member;

/* KIP-848's commit errors, by Kafka's codes: librdkafka names them from
   2.4.0 on, and a build on older headers still knows them. */
#define REBALANCE_ERR_FENCED_MEMBER_EPOCH	110
#define REBALANCE_ERR_STALE_MEMBER_EPOCH	113

void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts, void *opaque);
void rebalance_handle(struct member *m, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts);
void rebalance_log_state(struct member *m);
const char *rebalance_error_name(rd_kafka_resp_err_t err);
bool rebalance_refusal_error(rd_kafka_resp_err_t err);
bool rebalance_commit_refused(struct member *m, rd_kafka_resp_err_t err,
    const rd_kafka_topic_partition_list_t *parts, const char *when);

#endif
