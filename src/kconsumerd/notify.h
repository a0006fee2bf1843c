/*
 * notify.h: the systemd notification protocol (sd_notify): READY=1 once
 * every member has its first assignment (or after
 * service.ready_timeout_ms), STATUS= kept current, WATCHDOG=1 only while
 * every consumer thread polls, STOPPING=1 and EXTEND_TIMEOUT_USEC on
 * shutdown. Without libsystemd, or outside systemd (no NOTIFY_SOCKET),
 * it does nothing.
 *
 * Main thread only: driven by daemon.c's tick; it reads the members
 * through status snapshots.
 */
#ifndef KCONSUMERD_NOTIFY_H
#define KCONSUMERD_NOTIFY_H

#include <stdint.h>

struct config;
struct status;
struct notify;

struct notify *notify_new(const struct config *cfg, struct status *st);
void notify_tick(struct notify *n);
void notify_stopping(struct notify *n, int64_t deadline_ms);
void notify_free(struct notify *n);

#endif
