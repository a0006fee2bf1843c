/*
 * member_bridge.h: librdkafka's configuration and callbacks for a member.
 *
 * The member's own thread.
 */
#ifndef KCONSUMERD_MEMBER_BRIDGE_H
#define KCONSUMERD_MEMBER_BRIDGE_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

struct member;

rd_kafka_conf_t *member_bridge_conf(struct member *m, char *errstr,
    size_t errlen);
void member_bridge_log(struct member *m, int level, const char *fac,
    const char *msg);
void member_bridge_fatal(struct member *m);
void member_bridge_error_cb(rd_kafka_t *rk, int err, const char *reason,
    void *opaque);
void member_bridge_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *offsets, void *opaque);

#endif
