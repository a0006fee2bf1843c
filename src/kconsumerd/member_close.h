/*
 * member_close.h: a member's close protocol with the shutdown.timeout_ms
 * deadline, and the destroy of its handle.
 *
 * The member's own thread.
 */
#ifndef KCONSUMERD_MEMBER_CLOSE_H
#define KCONSUMERD_MEMBER_CLOSE_H

struct member;

void member_close(struct member *m);

#endif
