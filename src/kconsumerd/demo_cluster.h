/*
 * demo_cluster.h: an in-process librdkafka mock cluster, or a real one,
 * with a producer thread, for --demo.
 *
 * Started and stopped by the main thread; the producer runs on its own
 * thread and touches only its own handle.
 */
#ifndef KCONSUMERD_DEMO_CLUSTER_H
#define KCONSUMERD_DEMO_CLUSTER_H

#include <stdbool.h>
#include <stdint.h>

struct demo_cluster;

/* Where the records the demo produced are when it stops. */
struct demo_account {
	long long	produced;	/* acknowledged by the brokers */
	long long	failed;		/* the producer gave up on */
	long long	in_kafka;	/* the topic grew by (= produced) */
	long long	read;		/* up to the group's committed offsets */
	long long	unread;		/* past them, still in Kafka */
};

struct demo_cluster *demo_cluster_start(int brokers, const char *topic,
    int partitions, int rate_per_sec);
struct demo_cluster *demo_cluster_connect(const char *bootstraps,
    const char *topic, int partitions, int rate_per_sec);
const char *demo_cluster_bootstraps(const struct demo_cluster *dc);
bool demo_cluster_start_group(struct demo_cluster *dc, const char *group);
void demo_cluster_stop_producer(struct demo_cluster *dc);
bool demo_cluster_account(struct demo_cluster *dc, const char *group,
    struct demo_account *acct);
bool demo_cluster_delete_topic(const char *bootstraps, const char *topic);
void demo_cluster_stop(struct demo_cluster *dc);

#endif
