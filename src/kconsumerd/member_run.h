/*
 * member_run.h: a group member's life: its own rd_kafka_t and thread,
 * subscribed to the configured topics, polling, writing to the sink,
 * storing offsets, closing with a deadline (struct member: member.h).
 *
 * Main thread; the member's own thread runs everything else.
 */
#ifndef KCONSUMERD_MEMBER_RUN_H
#define KCONSUMERD_MEMBER_RUN_H

#include "member.h"

void member_run_init(struct member *m, int index, struct member_shared *sh);
int member_run_start(struct member *m);
void member_run_stop(struct member *m);
int member_run_join(struct member *m);
void member_run_free(struct member *m);
void member_run_request_state(struct member *m);

#endif
