/*
 * demo_compare.c: kconsumerd --demo --compare. The demo's script (three
 * members join one by one, on a real cluster member 1 restarts at once,
 * then it stops and restarts) played once per rebalance protocol, eager,
 * cooperative and Kafka's consumer group protocol (KIP-848) where the
 * linked librdkafka and the cluster can, each on a group of its own; then
 * one table of what each cost.
 *
 * Main thread only (demo_play runs each play).
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "config.h"
#include "demo.h"
#include "exitcodes.h"

/* On a real cluster a topic of this run's own (kconsumerd-compare-PID),
   deleted at the end: a demo run beside it would count this one's
   records as its own. */
#define DEMO_COMPARE_TOPIC	"kconsumerd-compare"

static const struct {
	enum demo_protocol	 proto;
	const char		*name;
} demo_compare_rows[] = {
	{ DEMO_EAGER,		"eager (classic, range)" },
	{ DEMO_COOPERATIVE,	"cooperative (classic, coop.-sticky)" },
	{ DEMO_CONSUMER,	"consumer (KIP-848, broker assigns)" },
};
#define DEMO_COMPARE_N (sizeof demo_compare_rows / sizeof *demo_compare_rows)

/* Why proto cannot be played here (NULL: it can), in why. */
static const char *
demo_compare_why_not(enum demo_protocol proto, const char *bootstrap,
    char *why, size_t size)
{
	if (proto != DEMO_CONSUMER)
		return NULL;
	if (bootstrap == NULL) {
		snprintf(why, size, "not played: the embedded mock does not "
		    "run it here; use --bootstrap");
		return why;
	}
	if (!config_consumer_protocol_supported(rd_kafka_version())) {
		snprintf(why, size, "not played: needs librdkafka %s or "
		    "later, this is %s", CONFIG_CONSUMER_PROTOCOL_MIN_NAME,
		    rd_kafka_version_str());
		return why;
	}
	return NULL;
}

/* Print one row of the table. */
static void
demo_compare_row(const char *name, const struct demo_result *r,
    const char *why)
{
	printf("  %-36s ", name);
	if (why != NULL) {
		printf("%s\n", why);
		return;
	}
	if (!r->played) {
		printf("did not run (see its output above)\n");
		return;
	}
	printf("%7d %7.2f s %7.2f s %8d %9.2f s %8lld%s\n", r->changes,
	    r->changes > 0 ? (double)r->settle_sum_ms / r->changes / 1000.0 :
	    0.0, (double)r->settle_max_ms / 1000.0, r->revoked,
	    (double)r->stay_pause_ms / 1000.0, r->twice,
	    r->accounted ? "" : "  (records NOT all accounted for)");
}

/* kconsumerd --demo [--bootstrap LIST] --compare. */
int
demo_compare_main(const char *bootstrap)
{
	struct demo_result res[DEMO_COMPARE_N];
	char why[DEMO_COMPARE_N][128];
	char own[64];
	const char *topic = NULL;
	bool stopped = false;
	size_t i;
	int rc = EXIT_CLEAN;

	memset(res, 0, sizeof res);
	if (bootstrap != NULL) {
		snprintf(own, sizeof own, "%s-%ld", DEMO_COMPARE_TOPIC,
		    (long)getpid());
		topic = own;
	}
	for (i = 0; i < DEMO_COMPARE_N; i++) {
		if (demo_compare_why_not(demo_compare_rows[i].proto, bootstrap,
		    why[i], sizeof why[i]) != NULL || stopped)
			continue;
		printf("\n==== %d of %d: %s\n\n", (int)i + 1, (int)DEMO_COMPARE_N,
		    demo_compare_rows[i].name);
		fflush(stdout);
		if ((rc = demo_play(NULL, bootstrap, demo_compare_rows[i].proto,
		    topic, &res[i])) != EXIT_CLEAN)
			break;
		stopped = res[i].interrupted;
	}
	printf("\nSide by side: the same acts for each protocol, %s, 3 members, "
	    "6 partitions,\na group of its own each (columns below the "
	    "table).\n\n", bootstrap != NULL ? "on a real cluster" :
	    "on the embedded mock");
	printf("  %-36s %7s %9s %9s %8s %11s %8s\n", "protocol", "changes",
	    "settled", "settled", "revoked", "kept part.", "twice");
	printf("  %-36s %7s %9s %9s %8s %11s %8s\n", "", "", "(mean)",
	    "(max)", "", "max pause", "");
	for (i = 0; i < DEMO_COMPARE_N; i++)
		demo_compare_row(demo_compare_rows[i].name, &res[i],
		    demo_compare_why_not(demo_compare_rows[i].proto, bootstrap,
		    why[i], sizeof why[i]));
	printf("\nchanges: membership changes played (joins, stops, restarts); "
	    "settled: from a\nchange until every partition was owned again, "
	    "evenly; revoked: partitions the\ngroup took from members (not "
	    "their own closes); kept part. max pause: the\nlongest time a "
	    "partition the group revoked was unowned before it went back "
	    "to\nthe same member (0: the group never stopped a partition "
	    "that did not move);\ntwice: records written to the sink beyond "
	    "the committed offsets, delivered\nagain by their next reader "
	    "(at least once).\n");
	if (topic != NULL)
		demo_delete_topic(bootstrap, topic);
	return rc;
}
