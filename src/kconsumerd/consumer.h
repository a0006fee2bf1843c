/*
 * consumer.h: a group member's life: its own rd_kafka_t and thread,
 * subscribed to the configured topics, polling, writing to the sink,
 * storing offsets, closing with a deadline (struct member: member.h).
 *
 * Main thread; the member's own thread runs everything else.
 */
#ifndef KCONSUMERD_CONSUMER_H
#define KCONSUMERD_CONSUMER_H

#include "member.h"

void consumer_init(struct member *m, int index, struct member_shared *sh);
int consumer_start(struct member *m);
void consumer_stop(struct member *m);
int consumer_join(struct member *m);
void consumer_free(struct member *m);
void consumer_request_state(struct member *m);

#endif
