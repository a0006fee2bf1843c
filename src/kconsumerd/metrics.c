/*
 * metrics.c: a status snapshot as Prometheus text exposition format
 * (version 0.0.4) and as the JSON of /assignment.
 *
 * Runs on the HTTP thread (or a test); reads only the snapshot it is
 * given. Every metric is declared with HELP and TYPE before its samples,
 * all names start with kconsumerd_, and labels are consumer, topic,
 * partition (and kind, protocol, error where they apply).
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "metrics.h"
#include "partlist.h"
#include "status.h"
#include "xmalloc.h"

/* Declare a metric. */
static void
metrics_declare(struct buf *out, const char *name, const char *type,
    const char *help)
{
	buf_printf(out, "# HELP kconsumerd_%s %s\n# TYPE kconsumerd_%s %s\n",
	    name, help, name, type);
}

/* A label value with \, " and newline escaped. */
static void
metrics_label(struct buf *out, const char *v)
{
	buf_addc(out, '"');
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(out, '\\');
		if (*v == '\n') {
			buf_adds(out, "\\n");
			continue;
		}
		buf_addc(out, *v);
	}
	buf_addc(out, '"');
}

/* Start a sample: name{consumer="N" (the caller closes the braces). */
static void
metrics_sample(struct buf *out, const char *name, int consumer)
{
	buf_printf(out, "kconsumerd_%s{consumer=\"%d\"", name, consumer);
}

/* Messages and bytes per member and topic. */
static void
metrics_topics(const struct status_snapshot *s, struct buf *out,
    const char *name, bool bytes)
{
	const struct status_member_snap *m;
	size_t i, j;

	metrics_declare(out, name, "counter", bytes ?
	    "Bytes (key and value) of the messages written to the sink." :
	    "Messages written to the sink.");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < m->ntopics; j++) {
			metrics_sample(out, name, m->index);
			buf_adds(out, ",topic=");
			metrics_label(out, m->topics[j].topic);
			buf_printf(out, "} %llu\n", (unsigned long long)
			    (bytes ? m->topics[j].bytes :
			    m->topics[j].messages));
		}
	}
}

/* Rebalance events by kind and protocol, and librdkafka's count. */
static void
metrics_rebalances(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i;
	int k, p;

	metrics_declare(out, "rebalance_events_total", "counter",
	    "Rebalance events (assign, revoke, lost) by protocol; a revoke "
	    "of the member's own close is kind close, not revoke.");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (k = 0; k < STATUS_KINDS; k++)
			for (p = 0; p < STATUS_PROTOCOLS; p++) {
				metrics_sample(out, "rebalance_events_total",
				    m->index);
				buf_printf(out, ",kind=\"%s\",protocol=\"%s\"} "
				    "%llu\n", status_kind_name(k),
				    status_protocol_name(p),
				    (unsigned long long)m->rebalances[k][p]);
			}
	}
	metrics_declare(out, "rebalances_total", "counter",
	    "Group rebalances the member went through: assigns other than "
	    "its join (first assignment after a start or a loss).");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		metrics_sample(out, "rebalances_total", m->index);
		buf_printf(out, "} %llu\n",
		    (unsigned long long)m->group_rebalances);
	}
	metrics_declare(out, "rdkafka_rebalances_total", "counter",
	    "librdkafka's own rebalance count (cgrp.rebalance_cnt).");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->rdkafka_rebalances < 0)
			continue;
		metrics_sample(out, "rdkafka_rebalances_total", m->index);
		buf_printf(out, "} %lld\n", (long long)m->rdkafka_rebalances);
	}
}

/* Per-member gauges: partitions, last pause, last poll, readiness. */
static void
metrics_members(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i;

	metrics_declare(out, "partitions_owned", "gauge",
	    "Partitions the member owns.");
	for (i = 0; i < s->nmembers; i++) {
		metrics_sample(out, "partitions_owned", s->members[i].index);
		buf_printf(out, "} %zu\n", s->members[i].nparts);
	}
	metrics_declare(out, "last_pause_seconds", "gauge",
	    "Time between the member's last revoke and the assign after it.");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->last_pause_ms < 0)
			continue;
		metrics_sample(out, "last_pause_seconds", m->index);
		buf_printf(out, "} %.3f\n", (double)m->last_pause_ms / 1000);
	}
	metrics_declare(out, "seconds_since_last_poll", "gauge",
	    "Time since the member's thread last polled librdkafka.");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		metrics_sample(out, "seconds_since_last_poll", m->index);
		buf_printf(out, "} %.3f\n", (double)(s->now_ms -
		    (m->last_poll_ms > 0 ? m->last_poll_ms : m->started_ms)) /
		    1000);
	}
}

/* Commit failures by Kafka error name. */
static void
metrics_commit_failures(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i, j;

	metrics_declare(out, "commit_failures_total", "counter",
	    "Offset commits that failed, by Kafka error name.");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < m->ncommit_failures; j++) {
			metrics_sample(out, "commit_failures_total", m->index);
			buf_adds(out, ",error=");
			metrics_label(out, m->commit_failures[j].name);
			buf_printf(out, "} %llu\n", (unsigned long long)
			    m->commit_failures[j].count);
		}
	}
	metrics_declare(out, "commits_refused_total", "counter",
	    "Offset commits the coordinator refused for partitions the "
	    "member had lost or given up (commit_refused events).");
	for (i = 0; i < s->nmembers; i++) {
		metrics_sample(out, "commits_refused_total",
		    s->members[i].index);
		buf_printf(out, "} %llu\n", (unsigned long long)
		    s->members[i].commits_refused);
	}
}

/* Consumer lag per owned partition, from librdkafka's statistics. */
static void
metrics_lag(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i, j;

	metrics_declare(out, "consumer_lag", "gauge",
	    "Messages between the partition's high watermark and the "
	    "member's position (librdkafka statistics).");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < m->nparts; j++) {
			if (m->parts[j].lag < 0)
				continue;
			metrics_sample(out, "consumer_lag", m->index);
			buf_adds(out, ",topic=");
			metrics_label(out, m->parts[j].topic);
			buf_printf(out, ",partition=\"%d\"} %lld\n",
			    (int)m->parts[j].partition,
			    (long long)m->parts[j].lag);
		}
	}
}

/* Lag in time per owned partition where it is known (status_lag_ms):
   a partition revoked is no longer in the snapshot, nor its series. */
static void
metrics_lag_seconds(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i, j;

	metrics_declare(out, "partition_lag_seconds", "gauge",
	    "How far behind in time the member is on the partition: 0 at "
	    "the high watermark, else now minus the timestamp of the first "
	    "record not yet delivered (see kconsumerd(8)).");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < m->nparts; j++) {
			if (m->parts[j].lag_ms < 0)
				continue;
			metrics_sample(out, "partition_lag_seconds", m->index);
			buf_adds(out, ",topic=");
			metrics_label(out, m->parts[j].topic);
			buf_printf(out, ",partition=\"%d\"} %.3f\n",
			    (int)m->parts[j].partition,
			    (double)m->parts[j].lag_ms / 1000);
		}
	}
}

/* Whether each owned partition is stalled (health.stall_ms). */
static void
metrics_stalled(const struct status_snapshot *s, struct buf *out)
{
	const struct status_member_snap *m;
	size_t i, j;

	metrics_declare(out, "partition_stalled", "gauge",
	    "1 while the partition has records waiting and its position did "
	    "not move for health.stall_ms, else 0 (always 0 when off).");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		for (j = 0; j < m->nparts; j++) {
			metrics_sample(out, "partition_stalled", m->index);
			buf_adds(out, ",topic=");
			metrics_label(out, m->parts[j].topic);
			buf_printf(out, ",partition=\"%d\"} %d\n",
			    (int)m->parts[j].partition,
			    m->parts[j].stalled ? 1 : 0);
		}
	}
}

/* One histogram per member: cumulative buckets, sum and count. */
static void
metrics_histogram(const struct status_snapshot *s, struct buf *out,
    const char *name, size_t offset, const char *help)
{
	const struct status_hist *h;
	uint64_t cum;
	size_t i, j;

	metrics_declare(out, name, "histogram", help);
	for (i = 0; i < s->nmembers; i++) {
		h = (const struct status_hist *)(const void *)
		    ((const char *)&s->members[i] + offset);
		cum = 0;
		for (j = 0; j <= STATUS_HIST_BUCKETS; j++) {
			cum += h->bucket[j];
			buf_printf(out, "kconsumerd_%s_bucket{consumer=\"%d\","
			    "le=\"", name, s->members[i].index);
			if (j < STATUS_HIST_BUCKETS)
				buf_printf(out, "%g", status_hist_bounds[j]);
			else
				buf_adds(out, "+Inf");
			buf_printf(out, "\"} %llu\n", (unsigned long long)cum);
		}
		buf_printf(out, "kconsumerd_%s_sum{consumer=\"%d\"} %.3f\n",
		    name, s->members[i].index, h->sum);
		buf_printf(out, "kconsumerd_%s_count{consumer=\"%d\"} %llu\n",
		    name, s->members[i].index, (unsigned long long)h->count);
	}
}

/* The whole /metrics page. */
void
metrics_render(const struct status_snapshot *s, struct buf *out)
{
	metrics_topics(s, out, "messages_total", false);
	metrics_topics(s, out, "bytes_total", true);
	metrics_rebalances(s, out);
	metrics_members(s, out);
	metrics_commit_failures(s, out);
	metrics_lag(s, out);
	metrics_lag_seconds(s, out);
	metrics_stalled(s, out);
	metrics_histogram(s, out, "partition_pause_seconds",
	    offsetof(struct status_member_snap, pause),
	    "Time a partition assigned to the member had spent without an "
	    "owner in this process since the process gave it up (observed "
	    "on assign; not for partitions new to the process).");
	metrics_histogram(s, out, "rebalance_duration_seconds",
	    offsetof(struct status_member_snap, rebalance),
	    "From the member's revoke (or lost) to its next assign.");
	metrics_declare(out, "sink_errors_total", "counter",
	    "Failed sink write or flush attempts (each is retried).");
	buf_printf(out, "kconsumerd_sink_errors_total %llu\n",
	    (unsigned long long)s->sink.errors);
	metrics_declare(out, "sink_records_total", "counter",
	    "Records the sink wrote, all members.");
	buf_printf(out, "kconsumerd_sink_records_total %llu\n",
	    (unsigned long long)s->sink.records);
	metrics_declare(out, "sink_bytes_total", "counter",
	    "Bytes of formatted output the sink wrote.");
	buf_printf(out, "kconsumerd_sink_bytes_total %llu\n",
	    (unsigned long long)s->sink.bytes);
	metrics_declare(out, "sink_rejected_total", "counter",
	    "Times the sink rejected a record (exec under sink.per_record: "
	    "a non-zero exit), each attempt counted.");
	buf_printf(out, "kconsumerd_sink_rejected_total %llu\n",
	    (unsigned long long)s->sink.rejected);
	metrics_declare(out, "dead_letter_records_total", "counter",
	    "Records sent to the dead-letter destination (sink.on_error "
	    "dead_letter) and acknowledged there.");
	buf_printf(out, "kconsumerd_dead_letter_records_total %llu\n",
	    (unsigned long long)s->sink.dead_letters);
}

/* The /assignment report: one object per member. */
void
metrics_assignment(const struct status_snapshot *s, struct buf *out)
{
	static const char *const names[] = { "position", "committed", "lag",
	    "lag_ms", NULL };
	const struct status_member_snap *m;
	const struct status_partition *p;
	struct partlist_item *v;
	size_t i, j;

	buf_adds(out, "{\"members\":[");
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		buf_printf(out, "%s{\"consumer\":%d,\"member_id\":",
		    i > 0 ? "," : "", m->index);
		buf_json_cstr(out, m->member_id);
		buf_adds(out, ",\"instance_id\":");
		buf_json_cstr(out, m->instance_id);
		buf_printf(out, ",\"protocol\":\"%s\",\"state\":\"%s\","
		    "\"partitions\":", m->protocol,
		    status_state_name(m->state));
		v = xcalloc(m->nparts > 0 ? m->nparts : 1, sizeof *v);
		for (j = 0; j < m->nparts; j++) {
			p = &m->parts[j];
			v[j].topic = p->topic;
			v[j].partition = p->partition;
			v[j].num[0] = p->position;
			v[j].num[1] = p->committed;
			v[j].num[2] = p->lag;
			v[j].num[3] = p->lag_ms;
		}
		partlist_json(out, v, m->nparts, names);
		free(v);
		buf_addc(out, '}');
	}
	buf_adds(out, "]}\n");
}
