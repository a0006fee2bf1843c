/*
 * member_poll.h: a member's poll loop and at-least-once delivery.
 *
 * The member's own thread.
 */
#ifndef KCONSUMERD_MEMBER_POLL_H
#define KCONSUMERD_MEMBER_POLL_H

struct member;

void member_poll_loop(struct member *m);

#endif
