/*
 * metrics.h: render a status snapshot for the HTTP endpoint: Prometheus
 * text format (/metrics) and the JSON assignment report (/assignment).
 *
 * Any thread; pure functions of the snapshot.
 */
#ifndef KCONSUMERD_METRICS_H
#define KCONSUMERD_METRICS_H

struct buf;
struct status_snapshot;

void metrics_render(const struct status_snapshot *s, struct buf *out);
void metrics_assignment(const struct status_snapshot *s, struct buf *out);

#endif
