/*
 * demo.h: kconsumerd --demo, three members on an embedded mock cluster
 * or a real one; --compare plays it once per rebalance protocol and
 * ends with one table.
 *
 * Main thread (plus the demo's producer thread and the members' threads,
 * which report through the rebalance observer).
 */
#ifndef KCONSUMERD_DEMO_H
#define KCONSUMERD_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct config;

/* The rebalance protocols the built-in configuration can play. */
enum demo_protocol {
	DEMO_COOPERATIVE,	/* classic, cooperative-sticky (the default) */
	DEMO_EAGER,		/* classic, range */
	DEMO_CONSUMER,		/* KIP-848: group.protocol consumer */
};

/* What one play of the script measured (demo_compare.c's table). */
struct demo_result {
	bool		 played;
	bool		 interrupted;	/* Ctrl-C cut it short */
	const char	*protocol;	/* the callback's: EAGER, COOPERATIVE */
	int		 changes;	/* membership changes played */
	int64_t		 settle_sum_ms;	/* change to every partition owned */
	int64_t		 settle_max_ms;
	int		 revoked;	/* partitions revoked by the group */
	int64_t		 stay_pause_ms;	/* longest pause of a partition the
					   group revoked and gave back to
					   its owner */
	bool		 accounted;	/* every record produced is in Kafka,
					   read or not yet read */
	long long	 produced;
	long long	 twice;		/* written past the committed offsets:
					   delivered again by the next reader */
};

int demo_main(struct config *cfg, const char *bootstrap);
int demo_play(struct config *user_cfg, const char *bootstrap,
    enum demo_protocol proto, const char *topic, struct demo_result *res);
int demo_compare_main(const char *bootstrap);
void demo_delete_topic(const char *bootstrap, const char *topic);

#endif
