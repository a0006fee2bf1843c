/*
 * timeline_json.c: the timeline as one JSON object, for scripts and
 * tests: members, partitions, every ownership interval, and every
 * episode with its triggers and moves (partition, from, to, pause).
 * Members and partitions are named by the labels the table uses.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "log.h"
#include "partlist.h"
#include "timeline.h"
#include "xmalloc.h"

/* Trigger kinds as JSON words, indexed by enum timeline_trigger_kind. */
static const char *const timeline_json_triggers[] = {
	[TIMELINE_TRIG_START] = "start",
	[TIMELINE_TRIG_JOIN] = "join",
	[TIMELINE_TRIG_STOP] = "stop",
	[TIMELINE_TRIG_LOST] = "lost",
	[TIMELINE_TRIG_FATAL] = "fatal",
	[TIMELINE_TRIG_MAXPOLL] = "max_poll_exceeded",
	[TIMELINE_TRIG_VANISHED] = "vanished",
};

/* Add ,"key":"RFC 3339 time",key_ms:N. */
static void
timeline_json_time(struct buf *b, const char *key, int64_t ms)
{
	char ts[32];

	log_format_time(ts, ms);
	buf_printf(b, ",\"%s\":\"%s\",\"%s_ms\":%lld", key, ts, key,
	    (long long)ms);
}

/* Add ,"key":label of member m, or null. */
static void
timeline_json_member(struct buf *b, const struct timeline *tl,
    const char *key, int m)
{
	buf_printf(b, ",\"%s\":", key);
	buf_json_cstr(b, m >= 0 ? tl->members[m].label : NULL);
}

/* The members and partitions arrays. */
static void
timeline_json_names(struct buf *b, const struct timeline *tl)
{
	const struct timeline_member *m;
	struct partlist_item *v;
	size_t i;

	buf_adds(b, ",\"members\":[");
	for (i = 0; i < tl->nmembers; i++) {
		m = &tl->members[i];
		buf_adds(b, i > 0 ? ",{\"label\":" : "{\"label\":");
		buf_json_cstr(b, m->label);
		buf_adds(b, ",\"instance_id\":");
		buf_json_cstr(b, m->instance_id);
		buf_adds(b, ",\"member_id\":");
		buf_json_cstr(b, m->member_id);
		buf_printf(b, ",\"consumer\":%lld,\"pid\":%lld,\"stopped\":%s,"
		    "\"vanished\":%s}", (long long)m->consumer,
		    (long long)m->pid, m->stopped ? "true" : "false",
		    m->vanished ? "true" : "false");
	}
	buf_adds(b, "],\"partitions\":");
	v = xcalloc(tl->nparts > 0 ? tl->nparts : 1, sizeof *v);
	for (i = 0; i < tl->nparts; i++) {
		v[i].label = tl->parts[i].label;
		v[i].group = tl->parts[i].group;
		v[i].topic = tl->parts[i].topic;
		v[i].partition = tl->parts[i].partition;
	}
	partlist_json(b, v, tl->nparts, NULL);
	free(v);
}

/* The intervals array. */
static void
timeline_json_intervals(struct buf *b, const struct timeline *tl)
{
	const struct timeline_interval *iv;
	size_t i;

	buf_adds(b, ",\"intervals\":[");
	for (i = 0; i < tl->nintervals; i++) {
		iv = &tl->intervals[i];
		buf_adds(b, i > 0 ? ",{\"partition\":" : "{\"partition\":");
		buf_json_cstr(b, tl->parts[iv->part].label);
		timeline_json_member(b, tl, "member", iv->member);
		timeline_json_time(b, "from", iv->from);
		timeline_json_time(b, "to", iv->to);
		buf_printf(b, ",\"open\":%s,\"vanished\":%s}",
		    iv->open ? "true" : "false",
		    iv->vanished ? "true" : "false");
	}
	buf_addc(b, ']');
}

/* The broker causes of episode e (-1: of none) as key:[...]. */
static void
timeline_json_causes(struct buf *b, const struct timeline *tl,
    const char *key, int e)
{
	const struct timeline_cause *c;
	const char *sep = "";
	size_t i;

	buf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < tl->ncauses; i++) {
		c = &tl->causes[i];
		if (c->episode != e)
			continue;
		buf_printf(b, "%s{\"cause\":\"%s\"", sep,
		    timeline_cause_name(c->kind, false));
		sep = ",";
		timeline_json_time(b, "ts", c->ts);
		timeline_json_member(b, tl, "member", c->member);
		buf_adds(b, ",\"id\":");
		buf_json_cstr(b, c->who);
		if (c->generation >= 0)
			buf_printf(b, ",\"old_generation\":%d", c->generation);
		buf_adds(b, ",\"reason\":");
		buf_json_cstr(b, c->reason);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* One episode object. */
static void
timeline_json_episode(struct buf *b, const struct timeline *tl, size_t n)
{
	const struct timeline_episode *ep = &tl->episodes[n];
	const struct timeline_move *mv;
	size_t i;

	buf_printf(b, "{\"n\":%zu", n + 1);
	timeline_json_time(b, "start", ep->start);
	timeline_json_time(b, "end", ep->end);
	buf_printf(b, ",\"length_ms\":%lld,\"protocol\":\"%s\","
	    "\"rebalance\":%s,\"trigger\":", (long long)(ep->end - ep->start),
	    timeline_protocol_name(ep->protocols),
	    ep->rebalance ? "true" : "false");
	buf_json_cstr(b, ep->trigger);
	buf_adds(b, ",\"triggers\":[");
	for (i = 0; i < ep->ntriggers; i++) {
		buf_printf(b, "%s{\"kind\":\"%s\"", i > 0 ? "," : "",
		    timeline_json_triggers[ep->triggers[i].kind]);
		timeline_json_member(b, tl, "member", ep->triggers[i].member);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	if (tl->broker_logs)
		timeline_json_causes(b, tl, "broker_causes", (int)n);
	buf_adds(b, ",\"moves\":[");
	for (i = 0; i < ep->nmoves; i++) {
		mv = &ep->moves[i];
		buf_adds(b, i > 0 ? ",{\"partition\":" : "{\"partition\":");
		buf_json_cstr(b, tl->parts[mv->part].label);
		timeline_json_member(b, tl, "from", mv->from);
		timeline_json_member(b, tl, "to", mv->to);
		if (mv->pause >= 0)
			buf_printf(b, ",\"pause_ms\":%lld",
			    (long long)mv->pause);
		else
			buf_adds(b, ",\"pause_ms\":null");
		if (tl->sinks && mv->redelivered >= 0)
			buf_printf(b, ",\"redelivered\":%lld",
			    (long long)mv->redelivered);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	if (tl->sinks)
		buf_printf(b, ",\"redelivered\":%lld",
		    (long long)(timeline_episode_redelivered(ep) > 0 ?
		    timeline_episode_redelivered(ep) : 0));
	buf_addc(b, '}');
}

/* Write the whole timeline as one JSON object and a newline. */
void
timeline_json_write(const struct timeline *tl, FILE *fp)
{
	struct timeline_totals t;
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "{\"groups\":");
	buf_json_cstr(&b, tl->groups != NULL ? tl->groups : "");
	buf_printf(&b, ",\"protocol\":\"%s\"",
	    timeline_protocol_name(tl->protocols));
	timeline_json_time(&b, "view_start", tl->view_start);
	timeline_json_time(&b, "view_end", tl->view_end);
	timeline_json_names(&b, tl);
	timeline_json_intervals(&b, tl);
	buf_adds(&b, ",\"episodes\":[");
	for (i = 0; i < tl->nepisodes; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		timeline_json_episode(&b, tl, i);
	}
	buf_addc(&b, ']');
	if (tl->broker_logs)
		timeline_json_causes(&b, tl, "broker_unmatched", -1);
	timeline_totals(tl, -1, &t);
	buf_printf(&b, ",\"totals\":{\"episodes\":%zu,\"rebalances\":%zu,"
	    "\"moved\":%zu,\"paused\":%zu,\"pause_total_ms\":%lld,"
	    "\"pause_max_ms\":%lld", t.episodes, t.rebalances, t.moved,
	    t.paused, (long long)t.pause_total, (long long)t.pause_max);
	if (tl->sinks)
		buf_printf(&b, ",\"redelivered\":%lld",
		    (long long)timeline_redelivered(tl));
	buf_adds(&b, "}}\n");
	fputs(buf_str(&b), fp);
	buf_free(&b);
}
