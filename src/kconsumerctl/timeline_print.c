/*
 * timeline_print.c: the timeline as a plain-text table: one block per
 * rebalance episode, a summary, and who owns what at the end.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "timeline.h"

/* Format the UTC wall-clock time of day with ms: 08:48:00.123. */
void
timeline_format_clock(char out[16], int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(out, 16, "%02u:%02u:%02u.%03u", (unsigned)tm.tm_hour % 24,
	    (unsigned)tm.tm_min % 60, (unsigned)tm.tm_sec % 61,
	    (unsigned)(ms % 1000) % 1000);
}

/* A member's label, or (none). */
static const char *
timeline_who(const struct timeline *tl, int m)
{
	return m >= 0 ? tl->members[m].label : "(none)";
}

/* Print one broker cause: "  broker 08:48:00.123: member joined: b
   (generation 3)". */
static void
timeline_print_cause(const struct timeline *tl, const struct timeline_cause *c,
    FILE *fp)
{
	char clock[16];

	timeline_format_clock(clock, c->ts);
	fprintf(fp, "  broker %s: %s", clock,
	    timeline_cause_name(c->kind, true));
	if (c->member >= 0)
		fprintf(fp, ": %s", tl->members[c->member].label);
	else if (c->who != NULL)
		fprintf(fp, ": %s", c->who);
	if (c->generation >= 0)
		fprintf(fp, " (old generation %d)", c->generation);
	if (c->kind == TIMELINE_CAUSE_OTHER)
		fprintf(fp, " (%s)", c->reason);
	fprintf(fp, "\n");
}

/* Print one episode: header, trigger, one line per partition. */
static void
timeline_print_episode(const struct timeline *tl, size_t n, FILE *fp)
{
	const struct timeline_episode *ep = &tl->episodes[n];
	const struct timeline_move *mv;
	char ts[32], arrow[512];
	int w1 = 0, w2 = 0, len;
	size_t i;

	log_format_time(ts, ep->start);
	fprintf(fp, "episode %zu: %s, %lld ms, %s\n", n + 1, ts,
	    (long long)(ep->end - ep->start),
	    timeline_protocol_name(ep->protocols));
	fprintf(fp, "  trigger: %s\n", ep->trigger);
	for (i = 0; i < tl->ncauses; i++)
		if (tl->causes[i].episode == (int)n)
			timeline_print_cause(tl, &tl->causes[i], fp);
	if (!ep->rebalance)
		fprintf(fp, "  no group rebalance: only members' own starts, "
		    "closes, joins or losses\n");
	for (i = 0; i < ep->nmoves; i++) {
		mv = &ep->moves[i];
		len = (int)strlen(tl->parts[mv->part].label) + 1;
		w1 = len > w1 ? len : w1;
		len = snprintf(arrow, sizeof arrow, "%s -> %s",
		    timeline_who(tl, mv->from), timeline_who(tl, mv->to));
		w2 = len > w2 ? len : w2;
	}
	for (i = 0; i < ep->nmoves; i++) {
		mv = &ep->moves[i];
		snprintf(arrow, sizeof arrow, "%s -> %s",
		    timeline_who(tl, mv->from), timeline_who(tl, mv->to));
		fprintf(fp, "  %s:%*s %-*s", tl->parts[mv->part].label,
		    w1 - (int)strlen(tl->parts[mv->part].label) - 1, "",
		    w2, arrow);
		if (mv->pause >= 0)
			fprintf(fp, "  paused %lld ms", (long long)mv->pause);
		else if (mv->to < 0)
			fprintf(fp, "  no owner until the end of the logs");
		if (mv->redelivered >= 0)
			fprintf(fp, ", %lld redelivered",
			    (long long)mv->redelivered);
		fprintf(fp, "\n");
	}
	if (ep->nmoves == 0)
		fprintf(fp, "  no partition changed hands\n");
	if (timeline_episode_redelivered(ep) >= 0)
		fprintf(fp, "  redelivered: %lld records read again by the new "
		    "owners\n", (long long)timeline_episode_redelivered(ep));
}

/* Print one summary line of totals. */
static void
timeline_print_totals(const struct timeline *tl, const char *what,
    const struct timeline_totals *t, FILE *fp)
{
	fprintf(fp, "%s: %zu episode%s, %zu partition%s moved, %zu pause%s, "
	    "total pause %lld ms", what, t->episodes,
	    t->episodes == 1 ? "" : "s", t->moved, t->moved == 1 ? "" : "s",
	    t->paused, t->paused == 1 ? "" : "s", (long long)t->pause_total);
	if (t->paused > 0)
		fprintf(fp, ", longest pause %lld ms (%s in episode %zu)",
		    (long long)t->pause_max, tl->parts[t->pause_max_part].label,
		    t->pause_max_episode + 1);
	fprintf(fp, "\n");
}

/* Print who owns each partition when the logs end. */
static void
timeline_print_end(const struct timeline *tl, FILE *fp)
{
	const struct timeline_interval *iv;
	const struct timeline_part *p;
	char ts[32], clock[16];
	size_t i, j;

	log_format_time(ts, tl->view_end);
	fprintf(fp, "at the end of the logs (%s):\n", ts);
	for (i = 0; i < tl->nparts; i++) {
		p = &tl->parts[i];
		iv = NULL;
		for (j = 0; j < tl->nintervals; j++)
			if (tl->intervals[j].part == i)
				iv = &tl->intervals[j];
		if (iv != NULL && iv->open) {
			timeline_format_clock(clock, iv->from);
			fprintf(fp, "  %s: %s, open since %s\n", p->label,
			    tl->members[iv->member].label, clock);
		} else if (iv != NULL) {
			timeline_format_clock(clock, iv->to);
			fprintf(fp, "  %s: no owner since %s (last %s)\n",
			    p->label, clock, tl->members[iv->member].label);
		} else
			fprintf(fp, "  %s: no owner\n", p->label);
	}
}

/* Print the whole table: overview, episodes, summary, final owners. */
void
timeline_print(const struct timeline *tl, FILE *fp)
{
	static const int classes[] = { TIMELINE_EAGER, TIMELINE_COOPERATIVE,
	    TIMELINE_EAGER | TIMELINE_COOPERATIVE, 0 };
	struct timeline_totals t;
	char from[32], to[32];
	size_t i;

	if (tl->nevents == 0) {
		fprintf(fp, "no kconsumerd events in the logs\n");
		return;
	}
	log_format_time(from, tl->view_start);
	log_format_time(to, tl->view_end);
	fprintf(fp, "group %s, %s, %s .. %s, %zu member%s, %zu partition%s, "
	    "%zu ownership interval%s\n",
	    *tl->groups != '\0' ? tl->groups : "(unknown)",
	    timeline_protocol_name(tl->protocols), from, to, tl->nmembers,
	    tl->nmembers == 1 ? "" : "s", tl->nparts,
	    tl->nparts == 1 ? "" : "s", tl->nintervals,
	    tl->nintervals == 1 ? "" : "s");
	for (i = 0; i < tl->nepisodes; i++)
		timeline_print_episode(tl, i, fp);
	if (tl->nepisodes == 0)
		fprintf(fp, "no rebalance episodes\n");
	for (i = 0; i < tl->ncauses; i++)
		if (tl->causes[i].episode < 0) {
			fprintf(fp, "broker log, outside every episode:\n");
			break;
		}
	for (i = 0; i < tl->ncauses; i++)
		if (tl->causes[i].episode < 0)
			timeline_print_cause(tl, &tl->causes[i], fp);
	timeline_totals(tl, -1, &t);
	timeline_print_totals(tl, "summary", &t, fp);
	if (tl->sinks)
		fprintf(fp, "redelivered: %lld records in all (the sink files "
		    "hold %zu records)\n", (long long)timeline_redelivered(tl),
		    tl->nrecords);
	fprintf(fp, "group rebalances: %zu of the %zu episode%s\n",
	    t.rebalances, t.episodes, t.episodes == 1 ? "" : "s");
	for (i = 0; i < sizeof classes / sizeof *classes; i++) {
		timeline_totals(tl, classes[i], &t);
		if (t.episodes > 0)
			timeline_print_totals(tl, timeline_protocol_name(
			    classes[i]), &t, fp);
	}
	timeline_print_end(tl, fp);
}

/* Say on fp how many lines were skipped and why; nothing when none. */
void
timeline_print_skipped(const struct timeline *tl, FILE *fp)
{
	size_t total = tl->skipped_json + tl->skipped_unknown +
	    tl->skipped_fields;
	const char *sep = "";

	if (total == 0)
		return;
	fprintf(fp, "kconsumerctl: skipped %zu line%s (", total,
	    total == 1 ? "" : "s");
	if (tl->skipped_json > 0) {
		fprintf(fp, "%zu not JSON", tl->skipped_json);
		sep = ", ";
	}
	if (tl->skipped_unknown > 0) {
		fprintf(fp, "%s%zu unknown event", sep, tl->skipped_unknown);
		sep = ", ";
	}
	if (tl->skipped_fields > 0)
		fprintf(fp, "%s%zu missing or bad fields", sep,
		    tl->skipped_fields);
	fprintf(fp, ")\n");
}
