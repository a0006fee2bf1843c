/*
 * demo.h: kconsumerd --demo, three members on an embedded mock cluster
 * or a real one.
 *
 * Main thread (plus the demo's producer thread and the members' threads,
 * which report through the rebalance observer).
 */
#ifndef KCONSUMERD_DEMO_H
#define KCONSUMERD_DEMO_H

struct config;

int demo_main(struct config *cfg, const char *bootstrap);

#endif
