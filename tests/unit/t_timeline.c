/*
 * t_timeline.c: the timeline rebuilt from the hand-written event logs in
 * tests/data/timeline: episodes, triggers, moves, pauses and totals are
 * exactly what the logs say.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "timeline.h"
#include "../tap.h"

#define A_ID	"rdkafka-0f3c2a9e-5b1d-4c7e-9a2f-6d8b1e4c7a30"
#define B_ID	"rdkafka-b2e71d44-9c0a-4f3e-8d15-3a6c9f2e0b87"

/* Read the named data files into tl and build it. */
static void
load(struct timeline *tl, int64_t gap, int64_t since, const char *const *names)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *fp;

	timeline_init(tl, gap, since);
	for (; *names != NULL; names++) {
		snprintf(path, sizeof path, "%s/tests/data/timeline/%s",
		    top != NULL ? top : ".", *names);
		if ((fp = fopen(path, "r")) == NULL) {
			printf("# cannot open %s\n", path);
			continue;
		}
		timeline_read(tl, fp);
		fclose(fp);
	}
	timeline_build(tl);
}

/* An RFC 3339 string for ms (one of two rotating buffers). */
static const char *
when(int64_t ms)
{
	static char out[2][32];
	static int i;

	i = !i;
	log_format_time(out[i], ms);
	return out[i];
}

/* Epoch ms of an RFC 3339 string. */
static int64_t
at(const char *s)
{
	int64_t ms = 0;

	if (!timeline_parse_time(s, &ms))
		printf("# bad time %s\n", s);
	return ms;
}

/* A member's label, "-" for none. */
static const char *
who(const struct timeline *tl, int m)
{
	return m >= 0 ? tl->members[m].label : "-";
}

/* The n-th move of episode e for partition label, or NULL. */
static const struct timeline_move *
move_of(const struct timeline *tl, size_t e, const char *label)
{
	size_t i;

	if (e >= tl->nepisodes)
		return NULL;
	for (i = 0; i < tl->episodes[e].nmoves; i++)
		if (strcmp(tl->parts[tl->episodes[e].moves[i].part].label,
		    label) == 0)
			return &tl->episodes[e].moves[i];
	return NULL;
}

/* Check one move: from, to, pause. */
static void
check_move(const struct timeline *tl, size_t e, const char *label,
    const char *from, const char *to, int64_t pause)
{
	const struct timeline_move *mv = move_of(tl, e, label);

	if (!ok(mv != NULL && strcmp(who(tl, mv->from), from) == 0 &&
	    strcmp(who(tl, mv->to), to) == 0 && mv->pause == pause,
	    "episode %zu: %s: %.12s -> %.12s, paused %lld ms", e + 1, label,
	    from, to, (long long)pause) && mv != NULL)
		printf("#   got %s -> %s, %lld ms\n", who(tl, mv->from),
		    who(tl, mv->to), (long long)mv->pause);
}

/* How many intervals a partition has. */
static size_t
intervals_of(const struct timeline *tl, const char *label, size_t *last)
{
	size_t i, n = 0;

	for (i = 0; i < tl->nintervals; i++)
		if (strcmp(tl->parts[tl->intervals[i].part].label, label) == 0) {
			n++;
			*last = i;
		}
	return n;
}

/* Eager: B's join stops every partition, B's stop too. */
static void
test_eager(void)
{
	static const char *const files[] = { "eager-a.log", "eager-b.log",
	    NULL };
	struct timeline tl;
	struct timeline_totals t;
	char label[16];
	int p;

	load(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE, files);
	is_int(tl.nepisodes, 3, "eager: three episodes");
	is_int(tl.nmembers, 2, "eager: two members");
	is_str(when(tl.episodes[0].start), "2026-11-21T08:48:00.000Z",
	    "eager: episode 1 starts with A's start");
	is_str(when(tl.episodes[1].start), "2026-11-21T08:48:30.000Z",
	    "eager: episode 2 starts with B's start");
	is_str(when(tl.episodes[2].start), "2026-11-21T08:49:10.010Z",
	    "eager: episode 3 starts with B's revoke");
	is_str(tl.episodes[0].trigger, "member " A_ID " started",
	    "eager: episode 1 is triggered by A starting");
	is_str(tl.episodes[1].trigger, "member " B_ID " started",
	    "eager: episode 2 is triggered by B starting");
	is_str(tl.episodes[2].trigger, "member " B_ID " stopped",
	    "eager: episode 3 is triggered by B stopping");
	is_int(tl.episodes[0].nmoves, 6, "eager: A first gets all 6");
	check_move(&tl, 0, "orders[5]", "-", A_ID, -1);
	is_int(tl.episodes[1].nmoves, 6,
	    "eager: every partition pauses at B's join");
	for (p = 0; p < 6; p++) {
		snprintf(label, sizeof label, "orders[%d]", p);
		check_move(&tl, 1, label, A_ID, p < 3 ? A_ID : B_ID,
		    p < 3 ? 6581 : 6583);
		check_move(&tl, 2, label, p < 3 ? A_ID : B_ID, A_ID,
		    p < 3 ? 7120 : 9010);
	}
	timeline_totals(&tl, -1, &t);
	ok(t.episodes == 3 && t.moved == 6 && t.paused == 12,
	    "eager summary: 3 episodes, 6 partitions moved, 12 pauses");
	is_int(t.pause_total, 87882, "eager summary: total pause 87882 ms");
	ok(t.pause_max == 9010 && t.pause_max_episode == 2 &&
	    strcmp(tl.parts[t.pause_max_part].label, "orders[3]") == 0,
	    "eager summary: longest pause 9010 ms, orders[3] in episode 3");
	timeline_totals(&tl, TIMELINE_EAGER, &t);
	is_int(t.episodes, 3, "eager: all episodes are EAGER");
	timeline_totals(&tl, TIMELINE_COOPERATIVE, &t);
	is_int(t.episodes, 0, "eager: no episode is COOPERATIVE");
	is_int(tl.nintervals, 18, "eager: 18 ownership intervals");
	is_str(when(tl.view_end), "2026-11-21T08:49:25.000Z",
	    "eager: the logs end at A's last line");
	ok(tl.skipped_json + tl.skipped_unknown + tl.skipped_fields == 0,
	    "eager: no line is skipped");
	timeline_free(&tl);
}

/* Cooperative: only orders[3..5] move; orders[0..2] never stop. */
static void
test_cooperative(void)
{
	static const char *const files[] = { "cooperative-b.log",
	    "cooperative-a.log", NULL };
	const struct timeline_interval *iv;
	struct timeline tl;
	struct timeline_totals t;
	char label[16];
	size_t last = 0;
	int p;

	load(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE, files);
	is_int(tl.nepisodes, 3, "cooperative: three episodes");
	is_str(tl.episodes[1].trigger, "member shop-b started",
	    "cooperative: episode 2 is triggered by shop-b starting");
	is_str(tl.episodes[2].trigger, "member shop-b stopped",
	    "cooperative: episode 3 is triggered by shop-b stopping");
	is_str(when(tl.episodes[2].start), "2026-11-21T10:01:10.010Z",
	    "cooperative: episode 3 starts with shop-b's revoke");
	is_int(tl.episodes[1].nmoves, 3,
	    "cooperative: only 3 partitions move when shop-b joins");
	is_int(tl.episodes[2].nmoves, 3,
	    "cooperative: only 3 partitions move when shop-b stops");
	for (p = 0; p < 6; p++) {
		snprintf(label, sizeof label, "orders[%d]", p);
		if (p >= 3) {
			check_move(&tl, 1, label, "shop-a", "shop-b", 222);
			check_move(&tl, 2, label, "shop-b", "shop-a", 9120);
			continue;
		}
		ok(move_of(&tl, 1, label) == NULL &&
		    move_of(&tl, 2, label) == NULL,
		    "cooperative: %s does not move in episodes 2 and 3", label);
		is_int(intervals_of(&tl, label, &last), 1,
		    "cooperative: %s has one ownership interval", label);
		iv = &tl.intervals[last];
		ok(iv->from < tl.episodes[1].start &&
		    iv->to > tl.episodes[2].end && iv->open &&
		    strcmp(tl.members[iv->member].label, "shop-a") == 0,
		    "cooperative: shop-a owns %s unbroken across both "
		    "episodes until the end", label);
	}
	timeline_totals(&tl, -1, &t);
	ok(t.moved == 6 && t.paused == 6 && t.pause_total == 28026 &&
	    t.pause_max == 9120,
	    "cooperative summary: 6 moved, 6 pauses, 28026 ms, longest 9120");
	timeline_totals(&tl, TIMELINE_COOPERATIVE, &t);
	is_int(t.episodes, 3, "cooperative: all episodes are COOPERATIVE");
	is_int(tl.nintervals, 12, "cooperative: 12 ownership intervals");
	timeline_free(&tl);
}

/* A killed member: its partitions move without a stop event. */
static void
test_kill(void)
{
	static const char *const files[] = { "kill-ab.log", "kill-c.log",
	    NULL };
	const struct timeline_interval *iv;
	struct timeline tl;
	struct timeline_totals t;
	size_t i, n, good, last = 0;

	load(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE, files);
	is_int(tl.nmembers, 3,
	    "kill: consumers 0 of two processes are different members");
	is_int(tl.nepisodes, 2, "kill: two episodes");
	is_str(tl.episodes[0].trigger, "member kill-a started; member kill-b "
	    "started; member kill-c started",
	    "kill: episode 1 is the three starts");
	is_str(tl.episodes[1].trigger,
	    "member kill-c disappeared (no stop event)",
	    "kill: episode 2 says kill-c disappeared");
	is_str(when(tl.episodes[1].start), "2026-11-21T11:00:31.210Z",
	    "kill: episode 2 starts at the first takeover");
	is_int(tl.episodes[1].nmoves, 2, "kill: two partitions move");
	check_move(&tl, 1, "orders[4]", "kill-c", "kill-a", 10510);
	check_move(&tl, 1, "orders[5]", "kill-c", "kill-b", 10512);
	for (i = 0, n = 0, good = 0; i < tl.nintervals; i++) {
		iv = &tl.intervals[i];
		if (strcmp(tl.members[iv->member].label, "kill-c") != 0)
			continue;
		n++;
		good += iv->vanished && !iv->open &&
		    iv->to == at("2026-11-21T11:00:20.700Z");
	}
	ok(n == 2 && good == 2, "kill: kill-c's 2 intervals end at its last "
	    "line, 11:00:20.700, marked as vanished");
	ok(tl.members[2].vanished && !tl.members[0].vanished &&
	    !tl.members[1].vanished, "kill: only kill-c is marked vanished");
	is_int(intervals_of(&tl, "orders[0]", &last), 1,
	    "kill: survivors' partitions keep one interval");
	timeline_totals(&tl, -1, &t);
	ok(t.moved == 2 && t.pause_total == 21022 && t.pause_max == 10512,
	    "kill summary: 2 moved, total pause 21022 ms, longest 10512 ms");
	is_int(tl.nintervals, 8, "kill: 8 ownership intervals");
	timeline_free(&tl);
}

/* Broken lines are counted by kind and never stop the good ones. */
static void
test_malformed(void)
{
	static const char *const files[] = { "malformed.log", NULL };
	static const char *const junk[] = { "", "{", "}", "null", "\"x\"",
	    "{\"ts\":1,\"event\":\"assign\"}",
	    "{\"ts\":\"2026-11-21T12:00:09Z\",\"event\":\"assign\","
	    "\"consumer\":0,\"protocol\":\"EAGER\",\"partitions\":[7]}",
	    "{\"ts\":\"2026-11-21T12:00:09Z\",\"event\":\"revoke\","
	    "\"consumer\":-3,\"protocol\":\"EAGER\",\"partitions\":[]}",
	    "{\"ts\":\"2026-02-30T12:00:09Z\",\"event\":\"log\"}" };
	struct timeline tl;
	size_t i;

	load(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE, files);
	is_int(tl.skipped_json, 7, "malformed: 7 lines are not JSON");
	is_int(tl.skipped_unknown, 1, "malformed: 1 line is an unknown event");
	is_int(tl.skipped_fields, 6,
	    "malformed: 6 lines miss fields or have bad ones");
	is_int(tl.nevents, 4, "malformed: the 4 good events are kept");
	is_int(tl.nepisodes, 1, "malformed: the good events make 1 episode");
	is_str(tl.episodes[0].trigger,
	    "member m-a started; member m-a stopped",
	    "malformed: the episode's trigger is m-a's start and stop");
	ok(tl.nintervals == 2 && !tl.intervals[0].open &&
	    tl.intervals[0].to == at("2026-11-21T12:00:07.000Z"),
	    "malformed: m-a owned 2 partitions until its stop");
	check_move(&tl, 0, "orders[0]", "-", "m-a", -1);
	timeline_free(&tl);

	timeline_init(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE);
	for (i = 0; i < sizeof junk / sizeof *junk; i++)
		timeline_add_line(&tl, 0, junk[i], strlen(junk[i]));
	timeline_build(&tl);
	ok(tl.nevents == 0 && tl.skipped_json == 4 &&
	    tl.skipped_fields == 4, "junk lines: 4 not JSON, 4 bad fields, "
	    "the blank one ignored");
	timeline_free(&tl);
}

/* --since keeps earlier state but starts episodes and bars at TS. */
static void
test_since_and_gap(void)
{
	static const char *const files[] = { "eager-a.log", "eager-b.log",
	    NULL };
	struct timeline tl;
	size_t i, clipped = 0;

	load(&tl, TIMELINE_GAP_MS, at("2026-11-21T08:48:30Z"), files);
	is_int(tl.nepisodes, 2, "--since 08:48:30: the first episode is gone");
	is_str(tl.episodes[0].trigger, "member " B_ID " started",
	    "--since 08:48:30: B's start opens the first episode");
	check_move(&tl, 0, "orders[3]", A_ID, B_ID, 6583);
	for (i = 0; i < tl.nintervals; i++)
		clipped += tl.intervals[i].from == tl.view_start;
	ok(tl.view_start == at("2026-11-21T08:48:30Z") && clipped == 6,
	    "--since 08:48:30: A's 6 earlier bars start at the cut");
	timeline_free(&tl);

	load(&tl, 1000, TIMELINE_NO_SINCE, files);
	is_int(tl.nepisodes, 8, "--gap 1000 splits the eager logs into 8");
	timeline_free(&tl);
}

/* Time parsing, stable order, and a member rejoining with a new id. */
static void
test_details(void)
{
	static const char *const rejoin[] = {
	    "{\"ts\":\"2026-11-21T09:00:00.000Z\",\"event\":\"start\","
	    "\"consumer\":0,\"group\":\"g\",\"instance_id\":null,"
	    "\"pid\":9}",
	    "{\"ts\":\"2026-11-21T09:00:03.000Z\",\"event\":\"assign\","
	    "\"consumer\":0,\"group\":\"g\",\"member_id\":\"m1\","
	    "\"protocol\":\"COOPERATIVE\",\"partitions\":[{\"topic\":"
	    "\"t\",\"partition\":0,\"offset\":-1}]}",
	    "{\"ts\":\"2026-11-21T09:01:00.000Z\",\"event\":\"lost\","
	    "\"consumer\":0,\"group\":\"g\",\"member_id\":\"m1\","
	    "\"protocol\":\"COOPERATIVE\",\"partitions\":[{\"topic\":"
	    "\"t\",\"partition\":0,\"offset\":-1}]}",
	    "{\"ts\":\"2026-11-21T09:01:04.000Z\",\"event\":\"assign\","
	    "\"consumer\":0,\"group\":\"g\",\"member_id\":\"m2\","
	    "\"protocol\":\"COOPERATIVE\",\"partitions\":[{\"topic\":"
	    "\"t\",\"partition\":0,\"offset\":-1}]}" };
	struct timeline tl;
	int64_t ms = 0;
	size_t i;

	ok(timeline_parse_time("2026-11-21T09:48:00.5+01:00", &ms) &&
	    ms == at("2026-11-21T08:48:00.500Z"),
	    "a +01:00 offset and a short fraction are understood");
	ok(!timeline_parse_time("2026-02-29T00:00:00Z", &ms) &&
	    timeline_parse_time("2028-02-29T00:00:00Z", &ms),
	    "February 29 exists only in leap years");
	ok(!timeline_parse_time("2026-11-21T08:48:00", &ms) &&
	    !timeline_parse_time("2026-11-21", &ms) &&
	    !timeline_parse_time("08:48:00Z", &ms),
	    "times without zone or date are refused");

	timeline_init(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE);
	for (i = 0; i < sizeof rejoin / sizeof *rejoin; i++)
		timeline_add_line(&tl, 0, rejoin[i], strlen(rejoin[i]));
	timeline_add_line(&tl, 1, rejoin[0], strlen(rejoin[0]));
	timeline_build(&tl);
	ok(tl.events[0].stream == 0 && tl.events[1].stream == 1,
	    "events with equal timestamps keep their input order");
	ok(tl.nmembers == 2 && tl.members[0].last_member_id != NULL &&
	    strcmp(tl.members[0].last_member_id, "m2") == 0,
	    "a rejoin with a new member id after lost stays the same member "
	    "(one member per start)");
	is_str(tl.members[0].label, "m1",
	    "a dynamic member is labelled by its first member id");
	is_int(tl.nepisodes, 2, "lost and rejoin form a second episode");
	is_str(tl.episodes[1].trigger, "member m1 lost its partitions",
	    "the trigger is the lost event");
	check_move(&tl, 1, "t[0]", "m1", "m1", 4000);
	timeline_free(&tl);
}

/* A static member restarted (close, stop, start, join) is no group
   rebalance; a revoke of origin rebalance is; older logs without origin
   count a revoke as one. */
#define EV(ts, ev, m, extra) "{\"ts\":\"2026-11-21T09:" ts "Z\",\"event\":\"" \
	ev "\",\"consumer\":0,\"group\":\"g\",\"member_id\":\"" m \
	"\",\"instance_id\":\"i\",\"protocol\":\"EAGER\",\"pid\":1" extra "}"
#define PARTS ",\"partitions\":[{\"topic\":\"t\",\"partition\":0}]"
static void
test_origins(void)
{
	static const char *const restart[] = {
	    EV("00:00.000", "start", "", ""),
	    EV("00:03.000", "assign", "m1", PARTS ",\"origin\":\"join\""),
	    EV("01:00.000", "revoke", "m1", PARTS ",\"origin\":\"close\""),
	    EV("01:00.100", "stop", "m1", ""),
	    EV("01:01.000", "start", "", ""),
	    EV("01:01.500", "assign", "m2", PARTS ",\"origin\":\"join\""),
	    EV("02:00.000", "revoke", "m2", PARTS ",\"origin\":\"rebalance\""),
	    EV("02:01.000", "assign", "m2", PARTS ",\"origin\":\"rebalance\""),
	    EV("03:00.000", "revoke", "m2", PARTS),
	    EV("03:01.000", "assign", "m2", PARTS) };
	struct timeline tl;
	struct timeline_totals t;
	size_t i;

	timeline_init(&tl, TIMELINE_GAP_MS, TIMELINE_NO_SINCE);
	for (i = 0; i < sizeof restart / sizeof *restart; i++)
		timeline_add_line(&tl, 0, restart[i], strlen(restart[i]));
	timeline_build(&tl);
	is_int(tl.skipped_fields + tl.skipped_unknown + tl.skipped_json, 0,
	    "every line with an origin is read");
	is_int(tl.nepisodes, 4, "join, restart, rebalance, old-style "
	    "rebalance: four episodes");
	ok(!tl.episodes[0].rebalance, "a member's first join is no group "
	    "rebalance");
	ok(!tl.episodes[1].rebalance, "a static restart (close, stop, start, "
	    "join) is no group rebalance");
	ok(tl.episodes[2].rebalance, "a revoke and assign of origin "
	    "rebalance are one");
	ok(tl.episodes[3].rebalance, "without an origin (older logs) a "
	    "revoke counts as a rebalance");
	timeline_totals(&tl, -1, &t);
	is_int(t.rebalances, 2, "the totals count two group rebalances");
	timeline_free(&tl);
}

/* Run every group of timeline assertions. */
int
main(void)
{
	test_eager();
	test_cooperative();
	test_kill();
	test_malformed();
	test_since_and_gap();
	test_details();
	test_origins();
	return tap_done();
}
