/*
 * timeline_event.c: reading kconsumerd's JSON event log lines into
 * timeline events, counting the lines that are skipped and why.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "timeline.h"
#include "xmalloc.h"

/* What each known event is and which fields it must carry. */
static const struct timeline_event_type {
	const char		*name;
	enum timeline_kind	 kind;
	bool			 need_consumer;	/* else a missing one: process-wide */
	bool			 rebalance;	/* protocol and partitions too */
} timeline_event_types[] = {
	{ "start",		TIMELINE_START,		true,	false },
	{ "stop",		TIMELINE_STOP,		true,	false },
	{ "assign",		TIMELINE_ASSIGN,	true,	true },
	{ "revoke",		TIMELINE_REVOKE,	true,	true },
	{ "lost",		TIMELINE_LOST,		true,	true },
	{ "fatal",		TIMELINE_FATAL,		false,	false },
	{ "max_poll_exceeded",	TIMELINE_MAXPOLL,	false,	false },
	{ "commit_failed",	TIMELINE_MEMBER,	false,	false },
	{ "commit_refused",	TIMELINE_MEMBER,	false,	false },
	{ "error",		TIMELINE_MEMBER,	false,	false },
	{ "state",		TIMELINE_MEMBER,	false,	false },
	{ "log",		TIMELINE_PROCESS,	false,	false },
	{ "rdkafka",		TIMELINE_PROCESS,	false,	false },
};

/* Read exactly n digits at *s into *out and advance; false otherwise. */
static bool
timeline_digits(const char **s, int n, int *out)
{
	int v = 0;

	for (; n > 0; n--, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return false;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return true;
}

/* Days from 1970-01-01 to a proleptic Gregorian date. */
static int64_t
timeline_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Parse RFC 3339 (2026-11-21T08:48:00.123Z or +01:00) into epoch ms. */
bool
timeline_parse_time(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, ms = 0, scale = 100;
	int sign = 0;
	bool leap;

	if (!timeline_digits(&s, 4, &y) || *s++ != '-' ||
	    !timeline_digits(&s, 2, &mo) || *s++ != '-' ||
	    !timeline_digits(&s, 2, &d))
		return false;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return false;
	s++;
	if (!timeline_digits(&s, 2, &h) || *s++ != ':' ||
	    !timeline_digits(&s, 2, &mi) || *s++ != ':' ||
	    !timeline_digits(&s, 2, &sec))
		return false;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return false;
		for (; isdigit((unsigned char)*s); s++, scale /= 10)
			ms += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '+' ? 1 : -1;
		if (!timeline_digits(&s, 2, &oh) || *s++ != ':' ||
		    !timeline_digits(&s, 2, &om) || oh > 23 || om > 59)
			return false;
	} else
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 60)
		return false;
	*out = ((timeline_days(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	    (int64_t)sec * 1000 + ms - (int64_t)sign * (oh * 60 + om) * 60000;
	return true;
}

/* Free what an event owns. */
void
timeline_event_free(struct timeline_event *ev)
{
	size_t i;

	for (i = 0; i < ev->nparts; i++)
		free(ev->parts[i].topic);
	free(ev->parts);
	free(ev->group);
	free(ev->member_id);
	free(ev->instance_id);
}

/* Copy the partition list of a rebalance event; false when malformed. */
static bool
timeline_event_parts(struct timeline_event *ev, const struct json *list)
{
	const struct json *item;
	const char *topic;
	int64_t p;
	size_t i;

	if (list == NULL || list->type != JSON_ARRAY)
		return false;
	ev->parts = xcalloc(list->len + 1, sizeof *ev->parts);
	for (i = 0; i < list->len; i++) {
		item = list->items[i];
		topic = json_get_str(item, "topic");
		if (topic == NULL || *topic == '\0' ||
		    !json_get_int(item, "partition", &p) || p < 0 ||
		    p > INT32_MAX)
			return false;
		ev->parts[ev->nparts].topic = xstrdup(topic);
		if (!json_get_int(item, "offset",
		    &ev->parts[ev->nparts].offset))
			ev->parts[ev->nparts].offset = -1;
		ev->parts[ev->nparts++].partition = (int32_t)p;
	}
	return true;
}

/* Fill ev from a parsed line of known type t; false when fields are bad. */
static bool
timeline_event_fill(struct timeline_event *ev,
    const struct timeline_event_type *t, const struct json *obj)
{
	const char *s;

	ev->kind = t->kind;
	ev->pid = -1;
	ev->has_consumer = json_get_int(obj, "consumer", &ev->consumer) &&
	    ev->consumer >= 0;
	if (t->need_consumer && !ev->has_consumer)
		return false;
	if ((s = json_get_str(obj, "member_id")) != NULL)
		ev->member_id = xstrdup(s);
	if (!ev->has_consumer && (ev->member_id == NULL ||
	    *ev->member_id == '\0') && ev->kind != TIMELINE_PROCESS)
		ev->kind = TIMELINE_PROCESS;
	if ((s = json_get_str(obj, "instance_id")) != NULL)
		ev->instance_id = xstrdup(s);
	if ((s = json_get_str(obj, "group")) != NULL)
		ev->group = xstrdup(s);
	if (ev->kind == TIMELINE_START && !json_get_int(obj, "pid", &ev->pid))
		ev->pid = -1;
	if (!t->rebalance)
		return true;
	if ((s = json_get_str(obj, "protocol")) == NULL)
		return false;
	if (strcasecmp(s, "EAGER") == 0)
		ev->protocol = TIMELINE_EAGER;
	else if (strcasecmp(s, "COOPERATIVE") == 0)
		ev->protocol = TIMELINE_COOPERATIVE;
	else
		return false;
	if ((s = json_get_str(obj, "origin")) != NULL) {
		if (strcmp(s, "rebalance") == 0)
			ev->origin = TIMELINE_ORIGIN_REBALANCE;
		else if (strcmp(s, "close") == 0)
			ev->origin = TIMELINE_ORIGIN_CLOSE;
		else if (strcmp(s, "lost") == 0)
			ev->origin = TIMELINE_ORIGIN_LOST;
		else if (strcmp(s, "join") == 0)
			ev->origin = TIMELINE_ORIGIN_JOIN;
	}
	return timeline_event_parts(ev, json_get(obj, "partitions"));
}

/* Append an event to the list, growing it by doubling. */
static void
timeline_event_append(struct timeline *tl, const struct timeline_event *ev)
{
	size_t n = tl->nevents;

	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0))
		tl->events = xreallocarray(tl->events, n == 0 ? 16 : n * 2,
		    sizeof *tl->events);
	tl->events[tl->nevents++] = *ev;
}

/* Keep one line of LOG number stream (>= 0) as an event, or count it. */
void
timeline_add_line(struct timeline *tl, int stream, const char *line,
    size_t len)
{
	const struct timeline_event_type *t = NULL;
	struct timeline_event ev;
	struct json *obj;
	const char *name, *ts;
	size_t i;

	while (len > 0 && isspace((unsigned char)line[len - 1]))
		len--;
	for (i = 0; i < len && isspace((unsigned char)line[i]); i++)
		;
	if (i == len)
		return;
	obj = json_parse(line, len, NULL, 0);
	if (obj == NULL || obj->type != JSON_OBJECT) {
		tl->skipped_json++;
		json_free(obj);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ts = json_get_str(obj, "ts");
	if ((name = json_get_str(obj, "event")) != NULL) {
		for (i = 0; i < sizeof timeline_event_types / sizeof *t; i++)
			if (strcmp(name, timeline_event_types[i].name) == 0)
				t = &timeline_event_types[i];
	}
	if (name != NULL && t == NULL)
		tl->skipped_unknown++;
	else if (ts == NULL || name == NULL ||
	    !timeline_parse_time(ts, &ev.ts) ||
	    !timeline_event_fill(&ev, t, obj)) {
		tl->skipped_fields++;
		timeline_event_free(&ev);
	} else {
		if (stream >= tl->nstreams)
			tl->nstreams = stream + 1;
		ev.stream = stream;
		ev.seq = tl->nevents;
		timeline_event_append(tl, &ev);
	}
	json_free(obj);
}

/* Read every line of fp as one more LOG; -1 on a read error. */
int
timeline_read(struct timeline *tl, FILE *fp)
{
	int stream = tl->nstreams++;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, fp)) != -1)
		timeline_add_line(tl, stream, line, (size_t)n);
	free(line);
	return ferror(fp) ? -1 : 0;
}
