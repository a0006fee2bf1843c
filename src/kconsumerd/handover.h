/*
 * handover.h: how long partitions go without an owner for a
 * configuration, printed by kconsumerd -t (handover.c).
 *
 * Main thread only.
 */
#ifndef KCONSUMERD_HANDOVER_H
#define KCONSUMERD_HANDOVER_H

#include <stdint.h>
#include <stdio.h>

struct config;

int64_t handover_stop_bound_ms(const struct config *cfg);
void handover_print(const struct config *cfg, FILE *fp);

#endif
