/*
 * demo_cluster.h: an in-process librdkafka mock cluster, or a real one,
 * with a producer thread, for --demo.
 *
 * Started and stopped by the main thread; the producer runs on its own
 * thread and touches only its own handle.
 */
#ifndef KCONSUMERD_DEMO_CLUSTER_H
#define KCONSUMERD_DEMO_CLUSTER_H

struct demo_cluster;

struct demo_cluster *demo_cluster_start(int brokers, const char *topic,
    int partitions, int rate_per_sec);
struct demo_cluster *demo_cluster_connect(const char *bootstraps,
    const char *topic, int partitions, int rate_per_sec);
const char *demo_cluster_bootstraps(const struct demo_cluster *dc);
long long demo_cluster_produced(struct demo_cluster *dc);
void demo_cluster_stop(struct demo_cluster *dc);

#endif
