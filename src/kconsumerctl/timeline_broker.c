/*
 * timeline_broker.c: "kconsumerctl timeline --broker-log FILE": the
 * coordinator's own account of each rebalance, from Kafka's server.log.
 * Every "Preparing to rebalance group G ... with old generation N (reason:
 * R)" line of a group in the event logs, and every static member the
 * coordinator replaced, becomes a cause (member joined, left with
 * LeaveGroup, removed on session timeout, static member replaced,
 * metadata change, leader rejoined) with who caused it; each cause goes
 * to the episode it falls in (a LeaveGroup of a member whose next event
 * is max_poll_exceeded is told as a max.poll eviction).
 *
 * Kafka writes its log in the broker host's local time without a zone;
 * the times are read in this host's (TZ= for another zone).
 *
 * Main thread only (kconsumerctl).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeline.h"
#include "xmalloc.h"

/* A cause may come this long before its episode's first event (a session
   expiry precedes the members' revokes by up to a heartbeat) or after
   its last. */
#define TIMELINE_CAUSE_BEFORE_MS	5000
#define TIMELINE_CAUSE_AFTER_MS		1000

#define TIMELINE_PREPARING	"Preparing to rebalance group "
#define TIMELINE_STATIC		"Static member with groupInstanceId="

/* Reason texts of Kafka's GroupMetadataManager and what they mean; the
   member named follows the prefix. */
static const struct {
	const char		*prefix;
	enum timeline_cause_kind kind;
} timeline_reasons[] = {
	{ "Adding new member ", TIMELINE_CAUSE_JOIN },
	{ "Adding new static member ", TIMELINE_CAUSE_JOIN },
	{ "explicit `LeaveGroup` request for (", TIMELINE_CAUSE_LEAVE },
	{ "removing member ", TIMELINE_CAUSE_SESSION },
	{ "Updating metadata for static member ", TIMELINE_CAUSE_STATIC },
	{ "Updating metadata for member ", TIMELINE_CAUSE_METADATA },
	{ "Leader ", TIMELINE_CAUSE_LEADER },
	{ "Static member ", TIMELINE_CAUSE_STATIC },
};

static const char *const timeline_cause_names[][2] = {
	[TIMELINE_CAUSE_OTHER] = { "other", "other" },
	[TIMELINE_CAUSE_JOIN] = { "join", "member joined" },
	[TIMELINE_CAUSE_LEAVE] = { "leave", "member left (LeaveGroup)" },
	[TIMELINE_CAUSE_SESSION] = { "session_timeout",
	    "member removed on session timeout" },
	[TIMELINE_CAUSE_MAXPOLL] = { "max_poll", "member left: its "
	    "max.poll.interval.ms was exceeded (LeaveGroup)" },
	[TIMELINE_CAUSE_STATIC] = { "static_replaced",
	    "static member replaced" },
	[TIMELINE_CAUSE_METADATA] = { "metadata", "member metadata changed" },
	[TIMELINE_CAUSE_LEADER] = { "leader_rejoin", "leader rejoined" },
};

/* The cause's name: JSON (short) or text (a phrase). */
const char *
timeline_cause_name(enum timeline_cause_kind kind, bool text)
{
	return timeline_cause_names[kind][text ? 1 : 0];
}

/* Read "[2026-12-07T10:33:33,249]" (or with a space) as local time. */
static bool
timeline_broker_time(const char *line, int64_t *out)
{
	struct tm tm;
	int ms;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (sscanf(line, "[%4d-%2d-%2d%*1[T ]%2d:%2d:%2d,%3d]", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &ms) != 7)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return false;
	*out = (int64_t)t * 1000 + ms;
	return true;
}

/* A copy of the word at s (up to a space, ';', ')' or ','). */
static char *
timeline_broker_word(const char *s)
{
	return xstrndup(s, strcspn(s, " ;),"));
}

/* The reason of a Preparing line: after "(reason: ", without the final
   ")." and Kafka's " (org....)" logger name. */
static char *
timeline_broker_reason(const char *line)
{
	const char *r = strstr(line, "(reason: "), *end, *p;

	if (r == NULL)
		return xstrdup("");
	r += strlen("(reason: ");
	end = r + strlen(r);
	for (p = r; (p = strstr(p, " (org.")) != NULL; p++)
		end = p;
	while (end > r && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end > r && end[-1] == '.')
		end--;
	if (end > r && end[-1] == ')')
		end--;
	return xstrndup(r, (size_t)(end - r));
}

/* Classify a reason; *who gets the member it names (to free) or NULL. */
static enum timeline_cause_kind
timeline_broker_classify(const char *reason, char **who)
{
	const char *id;
	size_t i;

	*who = NULL;
	for (i = 0; i < sizeof timeline_reasons / sizeof *timeline_reasons;
	    i++) {
		if (strncmp(reason, timeline_reasons[i].prefix,
		    strlen(timeline_reasons[i].prefix)) != 0)
			continue;
		*who = timeline_broker_word(reason +
		    strlen(timeline_reasons[i].prefix));
		/* a static member joining names its instance id */
		if (timeline_reasons[i].kind == TIMELINE_CAUSE_JOIN &&
		    (id = strstr(reason, "group instance id ")) != NULL &&
		    strncmp(id + 18, "null", 4) != 0) {
			free(*who);
			*who = timeline_broker_word(id + 18);
		}
		if (timeline_reasons[i].kind == TIMELINE_CAUSE_SESSION &&
		    strstr(reason, "on LeaveGroup") != NULL)
			return TIMELINE_CAUSE_LEAVE;
		return timeline_reasons[i].kind;
	}
	return TIMELINE_CAUSE_OTHER;
}

/* Add a cause. */
static void
timeline_broker_add(struct timeline *tl, const struct timeline_cause *c)
{
	tl->causes = xreallocarray(tl->causes, tl->ncauses + 1,
	    sizeof *tl->causes);
	tl->causes[tl->ncauses++] = *c;
}

/* Take one server.log line: a rebalance's cause or a static member
   replaced; anything else is ignored. */
static void
timeline_broker_line(struct timeline *tl, const char *line)
{
	struct timeline_cause c;
	const char *p, *g;

	memset(&c, 0, sizeof c);
	c.generation = -1;
	c.episode = -1;
	if (!timeline_broker_time(line, &c.ts))
		return;
	if ((p = strstr(line, TIMELINE_PREPARING)) != NULL) {
		g = p + strlen(TIMELINE_PREPARING);
		c.group = timeline_broker_word(g);
		if ((p = strstr(g, "with old generation ")) != NULL)
			c.generation = atoi(p + strlen("with old generation "));
		c.reason = timeline_broker_reason(line);
		c.kind = timeline_broker_classify(c.reason, &c.who);
	} else if ((p = strstr(line, TIMELINE_STATIC)) != NULL &&
	    (g = strstr(p, " joins group ")) != NULL) {
		c.group = timeline_broker_word(g + strlen(" joins group "));
		c.who = timeline_broker_word(p + strlen(TIMELINE_STATIC));
		c.kind = TIMELINE_CAUSE_STATIC;
		c.reason = xstrndup(p, strcspn(p, "\r\n"));
	} else
		return;
	timeline_broker_add(tl, &c);
}

/* Read a broker log (Kafka's server.log); -1 on a read error. */
int
timeline_broker_read(struct timeline *tl, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, fp) != -1)
		timeline_broker_line(tl, line);
	free(line);
	return ferror(fp) ? -1 : 0;
}

/* Whether any event of the logs is of group. */
static bool
timeline_broker_group_seen(const struct timeline *tl, const char *group)
{
	size_t i;

	for (i = 0; i < tl->nevents; i++)
		if (tl->events[i].group != NULL &&
		    strcmp(tl->events[i].group, group) == 0)
			return true;
	return false;
}

/* The member whose member id is id, or -1. */
static int
timeline_broker_member(const struct timeline *tl, const char *id)
{
	const struct timeline_member *m;
	size_t i;

	for (i = 0; id != NULL && i < tl->nmembers; i++) {
		m = &tl->members[i];
		if ((m->member_id != NULL && strcmp(m->member_id, id) == 0) ||
		    (m->last_member_id != NULL &&
		    strcmp(m->last_member_id, id) == 0) ||
		    (m->instance_id != NULL && strcmp(m->instance_id, id) == 0))
			return (int)i;
	}
	return -1;
}

/* The episode ts falls in (the nearest when several), or -1. */
static int
timeline_broker_episode(const struct timeline *tl, int64_t ts)
{
	const struct timeline_episode *ep;
	int64_t d, best_d = INT64_MAX;
	int best = -1;
	size_t i;

	for (i = 0; i < tl->nepisodes; i++) {
		ep = &tl->episodes[i];
		if (ts < ep->start - TIMELINE_CAUSE_BEFORE_MS ||
		    ts > ep->end + TIMELINE_CAUSE_AFTER_MS)
			continue;
		d = ts < ep->start ? ep->start - ts : ts > ep->end ?
		    ts - ep->end : 0;
		if (d < best_d) {
			best_d = d;
			best = (int)i;
		}
	}
	return best;
}

/*
 * Whether member m's LeaveGroup at ts was librdkafka leaving for it on a
 * max.poll.interval.ms overrun: the member's first event from about then
 * on is max_poll_exceeded (logged when its slow work returns, so after the
 * broker's line), not the revoke of its own close or a new assign.
 */
static bool
timeline_broker_maxpoll(const struct timeline *tl, int m, int64_t ts)
{
	const struct timeline_member *mb = &tl->members[m];
	const struct timeline_event *ev;
	size_t i;

	for (i = 0; i < tl->nevents; i++) {
		ev = &tl->events[i];
		if (ev->stream != mb->stream || !ev->has_consumer ||
		    ev->consumer != mb->consumer ||
		    ev->ts < ts - TIMELINE_CAUSE_AFTER_MS)
			continue;
		switch (ev->kind) {
		case TIMELINE_MAXPOLL:
			return true;
		case TIMELINE_ASSIGN:
		case TIMELINE_REVOKE:
		case TIMELINE_LOST:
		case TIMELINE_STOP:
		case TIMELINE_FATAL:
			return false;
		default:
			break;
		}
	}
	return false;
}

/*
 * After the build: keep the causes of the logs' groups, give each its
 * episode and its member, and tell a max.poll eviction from a LeaveGroup.
 */
void
timeline_broker_match(struct timeline *tl)
{
	struct timeline_cause *c;
	size_t i, n = 0;

	for (i = 0; i < tl->ncauses; i++) {
		c = &tl->causes[i];
		if (!timeline_broker_group_seen(tl, c->group) ||
		    c->ts < tl->since_ms) {
			timeline_cause_free(c);
			continue;
		}
		c->episode = timeline_broker_episode(tl, c->ts);
		c->member = timeline_broker_member(tl, c->who);
		if (c->kind == TIMELINE_CAUSE_LEAVE && c->member >= 0 &&
		    timeline_broker_maxpoll(tl, c->member, c->ts))
			c->kind = TIMELINE_CAUSE_MAXPOLL;
		tl->causes[n++] = *c;
	}
	tl->ncauses = n;
}

/* Free what a cause owns. */
void
timeline_cause_free(struct timeline_cause *c)
{
	free(c->group);
	free(c->who);
	free(c->reason);
}
