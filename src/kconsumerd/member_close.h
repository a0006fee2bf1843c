/*
 * member_close.h: a member's close protocol with the shutdown.timeout_ms
 * deadline, and the destroy of its handle.
 *
 * The member's own thread.
 */
#ifndef KCONSUMERD_MEMBER_CLOSE_H
#define KCONSUMERD_MEMBER_CLOSE_H

struct member;

/* The least wait for rd_kafka_destroy, even past the shutdown deadline:
   a clean stop takes at most shutdown.timeout_ms plus this (and the
   batch the sink was writing when the stop came). */
#define MEMBER_DESTROY_MIN_MS	1000

void member_close(struct member *m);

#endif
