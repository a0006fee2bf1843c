/*
 * handover.c: what kconsumerd -t prints after "configuration is valid":
 * for this configuration, how long a member's partitions go without an
 * owner when it crashes, stops cleanly or restarts, and the longest a
 * clean stop takes (what a supervisor's grace period must exceed).
 *
 * Main thread only, after the configuration is loaded; reads it only.
 */
#include "autoconf.h"

#include <stdio.h>

#include "config.h"
#include "handover.h"
#include "member_close.h"

/* The broker's default group.consumer.session.timeout.ms (Kafka 4). */
#define HANDOVER_BROKER_SESSION_MS	45000

/* Milliseconds as seconds for the text ("90 s", "1.5 s"). */
static double
handover_s(int64_t ms)
{
	return (double)ms / 1000.0;
}

/* The longest a clean stop takes, in milliseconds. */
int64_t
handover_stop_bound_ms(const struct config *cfg)
{
	return cfg->shutdown.timeout_ms + MEMBER_DESTROY_MIN_MS;
}

/* Whether a clean stop sends LeaveGroup (shutdown.leave_group). */
static bool
handover_leaves(const struct config *cfg)
{
	switch (cfg->shutdown.leave_group) {
	case CONFIG_LEAVE_GROUP_ALWAYS:
		return true;
	case CONFIG_LEAVE_GROUP_NEVER:
		return false;
	default:
		return cfg->instance_id == NULL;
	}
}

/* Print the handover times for cfg to fp. */
void
handover_print(const struct config *cfg, FILE *fp)
{
	bool consumer = cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CONSUMER;
	bool is_static = cfg->instance_id != NULL, leaves = handover_leaves(cfg);
	int64_t session = consumer ? HANDOVER_BROKER_SESSION_MS :
	    cfg->session_timeout_ms;
	char sess[128];

	if (consumer)
		snprintf(sess, sizeof sess, "the broker's "
		    "group.consumer.session.timeout.ms, %g s by default",
		    handover_s(session));
	else
		snprintf(sess, sizeof sess, "group.session_timeout_ms");
	fprintf(fp, "partitions without an owner (%s members, group.protocol "
	    "%s, shutdown.leave_group %s):\n", is_static ? "static" :
	    "dynamic", config_word("group.protocol", cfg->group_protocol),
	    config_word("shutdown.leave_group", cfg->shutdown.leave_group));
	fprintf(fp, "  crash (kill -9, host lost): up to %g s (%s), until "
	    "the broker removes the member; then a rebalance\n",
	    handover_s(session), sess);
	if (leaves)
		fprintf(fp, "  clean stop: the stop's own time (under %g s), "
		    "then at once a rebalance: the member leaves the group\n",
		    handover_s(handover_stop_bound_ms(cfg)));
	else
		fprintf(fp, "  clean stop: up to %g s (%s): the member does "
		    "not leave the group, its partitions wait for it; then a "
		    "rebalance\n", handover_s(session), sess);
	if (is_static && !leaves)
		fprintf(fp, "  restart within %g s: the restart's own time "
		    "(stop, start, join); the member gets its partitions back "
		    "without a rebalance (later than %g s: as a crash, and a "
		    "rebalance again when it joins)\n", handover_s(session),
		    handover_s(session));
	else if (leaves)
		fprintf(fp, "  restart: two rebalances, one when the member "
		    "leaves and one when it joins again\n");
	else
		fprintf(fp, "  restart: joins as a new member while the old "
		    "one holds its partitions for up to %g s\n",
		    handover_s(session));
	if (is_static && consumer)
		fprintf(fp, "  restart after a crash: the broker refuses the "
		    "id (UNRELEASED_INSTANCE_ID) until the old member's "
		    "session ends, up to %g s; kconsumerd retries for "
		    "group.unreleased_wait_ms (%g s)\n", handover_s(session),
		    handover_s(cfg->unreleased_wait_ms));
	if (!consumer)
		fprintf(fp, "  each rebalance: %s\n",
		    cfg->assignor == CONFIG_ASSIGNOR_COOPERATIVE_STICKY ?
		    "only the partitions that move pause (cooperative-sticky)" :
		    "every member pauses all its partitions until it is done "
		    "(an eager assignor)");
	fprintf(fp, "a clean stop takes at most %lld ms (shutdown.timeout_ms "
	    "%lld + %d for the client's destroy) plus the batch being "
	    "written: give a supervisor's grace period (systemd "
	    "TimeoutStopSec, Kubernetes terminationGracePeriodSeconds) more\n",
	    (long long)handover_stop_bound_ms(cfg),
	    (long long)cfg->shutdown.timeout_ms, MEMBER_DESTROY_MIN_MS);
}
