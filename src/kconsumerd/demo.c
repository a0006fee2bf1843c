/*
 * demo.c: kconsumerd --demo. Three members join an embedded mock cluster
 * one after another; one leaves and comes back. Every rebalance event is
 * printed as it happens, then a summary of each rebalance: its trigger,
 * the partitions moved and the longest pause. On a real cluster
 * (--bootstrap) the members are static and the demo plays one more act:
 * a member restarted within session.timeout.ms takes its place back and
 * nobody else rebalances; the summary says whether that held.
 *
 * The main thread runs the script and waits on the demo state; member
 * threads report through demo_observe(), under demo.lock.
 */
#include "autoconf.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "demo.h"
#include "demo_cluster.h"
#include "exitcodes.h"
#include "log.h"
#include "member_run.h"
#include "proc.h"
#include "sink.h"
#include "xmalloc.h"

#define DEMO_MEMBERS		3
#define DEMO_PARTITIONS		6
#define DEMO_TOPIC		"demo"
#define DEMO_REAL_TOPIC		"kconsumerd-demo"
#define DEMO_RATE		50	/* messages per second */
#define DEMO_STEP_DEADLINE_MS	45000
#define DEMO_QUIET_MS		1000	/* no event for this long: settled */
#define DEMO_MAX_EPISODES	8	/* the script has 6, or 7 */

/*
 * The built-in configuration: group id, instance id line (a real
 * cluster: static members), the protocol's lines, max.poll.interval.ms,
 * topic. On a real cluster the group is of this run's own.
 */
static const char demo_config_fmt[] =
	"# kconsumerd --demo built-in configuration\n"
	"group:\n"
	"  id: %s\n"
	"%s"
	"%s"
	"  max_poll_interval_ms: %d\n"
	"topics: [%s]\n"
	"consumers: 3\n"
	"sink:\n"
	"  type: none\n"
	"log:\n"
	"  level: error\n"
	"shutdown:\n"
	"  timeout_ms: 10000\n";

/* The classic protocols' assignors (the consumer protocol's broker
   assigns, and sets the session and heartbeat). */
static const char *const demo_assignors[] = {
	[DEMO_COOPERATIVE] = "cooperative-sticky",
	[DEMO_EAGER] = "range",
	[DEMO_CONSUMER] = NULL,
};

struct demo_part {
	int32_t		 partition;
	int		 owner;		/* member index; -1: none */
	int		 prev_owner;
	int64_t		 revoked_at;	/* 0: not waiting */
	bool		 by_close;	/* revoked by its owner's close */
};

struct demo_episode {
	char		 trigger[64];
	int64_t		 start_ms;
	int64_t		 end_ms;
	int		 revoked;	/* by group rebalances or losses */
	bool		 rebalanced;	/* an event of a group rebalance */
	int		 moved;
	int64_t		 longest_pause;
	int32_t		 longest_part;
	int64_t		 stay_pause;	/* longest of a partition revoked by
					   the group and given back to its
					   owner */
};

/* What the static act saw: member 1 restarted within the session. */
struct demo_static {
	bool		 played;
	int64_t		 back_ms;	/* stop to its assign */
	int		 others_events;	/* the other members' events */
	bool		 same_parts;	/* it got back what it owned */
	char		 parts[64];	/* those partitions */
};

struct demo {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int64_t			 t0;
	const char		*topic;
	const char		*bootstrap;	/* NULL: the embedded mock */
	const char		*protocol;
	const char		*group_protocol;	/* classic, consumer */
	struct demo_part	 parts[DEMO_PARTITIONS];
	struct demo_episode	 eps[DEMO_MAX_EPISODES];
	int			 neps;
	int			 assigns;	/* assign events this episode */
	int64_t			 last_event_ms;	/* of the newest event */
	int			 owned[DEMO_MEMBERS];	/* as last reported */
	int			 events[DEMO_MEMBERS];	/* rebalance events */
	struct demo_static	 act;
	struct demo_result	*res;	/* NULL: not asked for */
	struct member		 members[DEMO_MEMBERS];
	sigset_t		 sigs;
	bool			 interrupted;
};

/* Print one event as it happens and account for it (member threads). */
static void
demo_observe(const struct rebalance_event *ev, void *arg)
{
	struct demo *d = arg;
	struct demo_episode *ep;
	struct demo_part *p;
	char list[256] = "";
	size_t len = 0;
	int i;

	pthread_mutex_lock(&d->lock);
	d->protocol = ev->protocol;
	d->group_protocol = ev->group_protocol;
	ep = d->neps > 0 ? &d->eps[d->neps - 1] : NULL;
	if (ep != NULL && ev->origin == REBALANCE_ORIGIN_REBALANCE)
		ep->rebalanced = true;
	for (i = 0; i < ev->partitions->cnt; i++) {
		int32_t pn = ev->partitions->elems[i].partition;

		if (len < sizeof list - 8)
			len += (size_t)snprintf(list + len, sizeof list - len,
			    "%s%d", i > 0 ? "," : "", (int)pn);
		if (pn < 0 || pn >= DEMO_PARTITIONS)
			continue;
		p = &d->parts[pn];
		if (ev->kind != REBALANCE_ASSIGN) {
			p->prev_owner = p->owner;
			p->owner = -1;
			p->revoked_at = ev->ts_ms;
			p->by_close = ev->origin == REBALANCE_ORIGIN_CLOSE;
			if (ep != NULL && ev->origin != REBALANCE_ORIGIN_CLOSE)
				ep->revoked++;
			continue;
		}
		if (ep != NULL && p->revoked_at > 0 &&
		    ev->ts_ms - p->revoked_at > ep->longest_pause) {
			ep->longest_pause = ev->ts_ms - p->revoked_at;
			ep->longest_part = pn;
		}
		if (ep != NULL && p->revoked_at > 0 && !p->by_close &&
		    p->prev_owner == ev->consumer &&
		    ev->ts_ms - p->revoked_at > ep->stay_pause)
			ep->stay_pause = ev->ts_ms - p->revoked_at;
		if (ep != NULL && p->prev_owner != ev->consumer)
			ep->moved++;
		p->owner = ev->consumer;
		p->prev_owner = ev->consumer;
		p->revoked_at = 0;
	}
	if (ev->kind == REBALANCE_ASSIGN)
		d->assigns++;
	d->last_event_ms = ev->ts_ms;
	if (ev->consumer >= 0 && ev->consumer < DEMO_MEMBERS) {
		d->owned[ev->consumer] = ev->assignment;
		d->events[ev->consumer]++;
	}
	printf("  +%6.2fs  member %d  %-6s  %s[%s]  owns %d  (%s)",
	    (double)(ev->ts_ms - d->t0) / 1000.0, ev->consumer,
	    ev->kind == REBALANCE_ASSIGN ? "assign" : ev->kind ==
	    REBALANCE_REVOKE ? "revoke" : "lost", d->topic, list,
	    ev->assignment, rebalance_origin_name(ev->origin));
	if (ev->paused_ms >= 0)
		printf("  (%.2f s since its last revoke)",
		    (double)ev->paused_ms / 1000.0);
	printf("\n");
	fflush(stdout);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* Open a new episode for the next step of the script. */
static void __attribute__((format(printf, 2, 3)))
demo_begin(struct demo *d, const char *fmt, ...)
{
	struct demo_episode *ep;
	va_list ap;

	pthread_mutex_lock(&d->lock);
	if (d->neps < DEMO_MAX_EPISODES) {
		ep = &d->eps[d->neps++];
		memset(ep, 0, sizeof *ep);
		va_start(ap, fmt);
		vsnprintf(ep->trigger, sizeof ep->trigger, fmt, ap);
		va_end(ap);
		ep->start_ms = clock_mono_ms();
		ep->longest_part = -1;
		printf("\n%s (at +%.2fs)\n", ep->trigger,
		    (double)(ep->start_ms - d->t0) / 1000.0);
		fflush(stdout);
	}
	d->assigns = 0;
	pthread_mutex_unlock(&d->lock);
}

/*
 * True when, after at least one assign in this episode, the running members
 * own every partition between them and evenly (no two differ by more than
 * one), and no member logged an event for DEMO_QUIET_MS: a cooperative
 * rebalance is not over after its first round, when a newcomer got an
 * empty assignment, nor when the last partition found its owner (the
 * others' empty assigns of that round may still be on their way). The
 * counts are those the events reported, so an event is always accounted
 * to the step it belongs to (called under d->lock).
 */
static bool
demo_settled(struct demo *d)
{
	int i, n, owned = 0, lo = DEMO_PARTITIONS, hi = 0;

	for (i = 0; i < DEMO_MEMBERS; i++) {
		if (!atomic_load(&d->members[i].running))
			continue;
		n = d->owned[i];
		owned += n;
		lo = n < lo ? n : lo;
		hi = n > hi ? n : hi;
	}
	return d->assigns > 0 && owned == DEMO_PARTITIONS && hi - lo <= 1 &&
	    clock_mono_ms() - d->last_event_ms >= DEMO_QUIET_MS;
}

/* Take a pending TERM/INT without blocking; true when one came. */
static bool
demo_signalled(struct demo *d)
{
	struct timespec zero = { 0, 0 };
	int sig = sigtimedwait(&d->sigs, NULL, &zero);

	if (sig == SIGTERM || sig == SIGINT) {
		if (d->interrupted)
			_exit(128 + sig);
		printf("\n%s: stopping the demo\n", strsignal(sig));
		d->interrupted = true;
	}
	return d->interrupted;
}

/* Wait until the group settled, the deadline passed or Ctrl-C. */
static void
demo_wait_settled(struct demo *d)
{
	int64_t deadline = clock_mono_ms() + DEMO_STEP_DEADLINE_MS;
	struct timespec ts;
	bool settled = false;

	pthread_mutex_lock(&d->lock);
	while (!(settled = demo_settled(d)) && clock_mono_ms() < deadline) {
		pthread_mutex_unlock(&d->lock);
		if (demo_signalled(d))
			return;
		pthread_mutex_lock(&d->lock);
		clock_mono_timespec(clock_mono_ms() + 100, &ts);
		pthread_cond_timedwait(&d->cond, &d->lock, &ts);
	}
	/* a settled step ended with its last event, not with the quiet */
	if (d->neps > 0)
		d->eps[d->neps - 1].end_ms = settled && d->last_event_ms >
		    d->eps[d->neps - 1].start_ms ? d->last_event_ms :
		    clock_mono_ms();
	pthread_mutex_unlock(&d->lock);
	if (!settled)
		printf("  (the group did not settle within %d s)\n",
		    DEMO_STEP_DEADLINE_MS / 1000);
}

/* Print what the static act showed (real cluster). */
static void
demo_static_summary(const struct demo *d)
{
	const struct demo_static *a = &d->act;

	printf("\nThis demo ran on the Kafka cluster at %s.\n", d->bootstrap);
	if (!a->played) {
		printf("The members were dynamic (no group.instance_id): no "
		    "static-membership act.\n");
		return;
	}
	printf("Static membership: member 1, stopped and restarted within "
	    "session.timeout.ms,\nwas back after %.2f s ", (double)a->back_ms /
	    1000.0);
	if (a->same_parts && a->others_events == 0)
		printf("with the same partitions (%s), and members 0 and 2\n"
		    "logged no revoke and no assign: no rebalance.\n", a->parts);
	else
		printf("but the group rebalanced: members 0 and 2 logged %d "
		    "events, member 1\n%s its partitions back (%s).\n",
		    a->others_events, a->same_parts ? "got" : "did not get",
		    a->parts);
}

/*
 * Print where every record the demo produced is: read by the group and
 * written to the sink (below its committed offsets), or not yet read (in
 * Kafka, past them); the two add up to what was produced. At least once:
 * a record written whose commit the coordinator refused (in a rebalance)
 * is past the committed offsets, so the next reader writes it again;
 * those are counted apart.
 */
static void
demo_records_summary(struct demo *d, struct demo_cluster *dc,
    const struct member_shared *sh)
{
	struct demo_account a;
	long long written = atomic_load(&sh->written);

	if (d->res != NULL)
		d->res->accounted = false;
	if (!demo_cluster_account(dc, sh->cfg->group_id, &a)) {
		printf("Messages produced: %lld, written to the sink: %lld "
		    "(the cluster did not say where the rest are)\n",
		    a.produced, written);
		return;
	}
	printf("Messages produced: %lld (acknowledged by the brokers)\n",
	    a.produced);
	printf("  read, written to the sink and committed: %6lld\n", a.read);
	printf("  not yet read when the demo stopped:      %6lld (in Kafka, "
	    "past the committed offsets)\n", a.unread);
	printf("  %lld + %lld = %lld", a.read, a.unread, a.read + a.unread);
	if (d->res != NULL) {
		d->res->produced = a.produced;
		d->res->twice = written - a.read;
	}
	if (a.read + a.unread == a.produced && a.in_kafka == a.produced &&
	    written >= a.read && a.failed == 0) {
		printf(": every record is accounted for\n");
		if (d->res != NULL)
			d->res->accounted = true;
	} else
		printf(": NOT every record is accounted for (the topic grew by "
		    "%lld, %lld failed, %lld written)\n", a.in_kafka,
		    a.failed, written);
	if (written > a.read)
		printf("Written to the sink: %lld, %lld of them past the "
		    "committed offsets (a commit\nrefused in a rebalance): "
		    "at least once, their next reader writes them again.\n",
		    written, written - a.read);
}

/* Print the summary table. */
static void
demo_summary(struct demo *d, struct demo_cluster *dc,
    const struct member_shared *sh)
{
	const struct demo_episode *ep;
	int i;

	printf("\nSummary: protocol %s, group protocol %s, %d partitions of "
	    "topic \"%s\"\n", d->protocol != NULL ? d->protocol : "(none)",
	    d->group_protocol != NULL ? d->group_protocol : "(none)",
	    DEMO_PARTITIONS,
	    d->topic);
	printf("  %-2s %-38s %7s %9s %8s %6s  %s\n", "#", "trigger", "took",
	    "rebalance", "revoked", "moved", "longest pause");
	for (i = 0; i < d->neps; i++) {
		ep = &d->eps[i];
		printf("  %-2d %-38s %6.1fs %9s %8d %6d  ", i + 1, ep->trigger,
		    (double)((ep->end_ms ? ep->end_ms : clock_mono_ms()) -
		    ep->start_ms) / 1000.0, ep->rebalanced ? "yes" : "no",
		    ep->revoked, ep->moved);
		if (ep->longest_part >= 0)
			printf("%.2f s (%s[%d])\n",
			    (double)ep->longest_pause / 1000.0, d->topic,
			    (int)ep->longest_part);
		else
			printf("-\n");
	}
	demo_records_summary(d, dc, sh);
	if (d->bootstrap != NULL) {
		demo_static_summary(d);
		return;
	}
	printf("\nThis demo ran on librdkafka's embedded mock cluster. It speaks "
	    "the real\nprotocol but does not emulate static-membership "
	    "rejoin: a member restarted\nwith the same group.instance.id "
	    "rebalances here, not on a real\ncluster. Play that act on one with "
	    "kconsumerd --demo --bootstrap HOST:PORT\n(./quickstart lab starts "
	    "one). Try an eager assignor with:\nkconsumerd --demo -c FILE "
	    "(group.assignor: range).\n");
}

/* Start member i. */
static void
demo_member_start(struct demo *d, struct member_shared *sh, int i)
{
	struct member *m = &d->members[i];

	member_run_init(m, i, sh);
	member_run_start(m);
}

/* Stop member i and wait for its close. */
static void
demo_member_stop(struct demo *d, int i)
{
	member_run_stop(&d->members[i]);
	member_run_join(&d->members[i]);
	member_run_free(&d->members[i]);
}

/* Fill d->res from the episodes: every step but the final shutdown is a
   membership change (called after the script, by the main thread). */
static void
demo_result_fill(struct demo *d)
{
	struct demo_result *r = d->res;
	const struct demo_episode *ep;
	int64_t took;
	int i;

	if (r == NULL)
		return;
	r->played = true;
	r->interrupted = d->interrupted;
	r->protocol = d->protocol;
	for (i = 0; i + 1 < d->neps; i++) {
		ep = &d->eps[i];
		took = (ep->end_ms ? ep->end_ms : clock_mono_ms()) -
		    ep->start_ms;
		r->changes++;
		r->settle_sum_ms += took;
		r->settle_max_ms = took > r->settle_max_ms ? took :
		    r->settle_max_ms;
		r->revoked += ep->revoked;
		r->stay_pause_ms = ep->stay_pause > r->stay_pause_ms ?
		    ep->stay_pause : r->stay_pause_ms;
	}
}

/* Load the built-in configuration of protocol proto through the normal
   loader, from memory: static members in a group of this run's own on a
   real cluster, consuming topic. */
static struct config *
demo_builtin(bool real, enum demo_protocol proto, const char *topic)
{
	static const char *const suffix[] = { [DEMO_COOPERATIVE] = "",
	    [DEMO_EAGER] = "-eager", [DEMO_CONSUMER] = "-consumer" };
	struct config *cfg;
	struct diag dg;
	char id[64], lines[256], text[sizeof demo_config_fmt + 512];

	if (real)
		snprintf(id, sizeof id, "kconsumerd-demo-%ld%s",
		    (long)getpid(), suffix[proto]);
	else
		snprintf(id, sizeof id, "kconsumerd-demo%s", suffix[proto]);
	if (demo_assignors[proto] != NULL)
		snprintf(lines, sizeof lines, "  assignor: %s\n"
		    "  session_timeout_ms: %d\n  heartbeat_interval_ms: 1000\n",
		    demo_assignors[proto], real ? 10000 : 6000);
	else
		snprintf(lines, sizeof lines, "  protocol: consumer\n");
	snprintf(text, sizeof text, demo_config_fmt, id,
	    real ? "  instance_id: \"kconsumerd-demo-%i\"\n" : "", lines,
	    real ? 30000 : 10000, topic);
	diag_init(&dg);
	cfg = config_load_yaml_text("(built-in demo configuration)", text,
	    CONFIG_LOAD_NO_BOOTSTRAP, &dg);
	diag_print(&dg, stderr);
	diag_free(&dg);
	return cfg;
}

/* Write the partitions member i owns ("0,3") into buf. */
static void
demo_owned(struct demo *d, int i, char *buf, size_t size)
{
	size_t len = 0;
	int p;

	buf[0] = '\0';
	for (p = 0; p < DEMO_PARTITIONS && len + 4 < size; p++)
		if (d->parts[p].owner == i)
			len += (size_t)snprintf(buf + len, size - len, "%s%d",
			    len > 0 ? "," : "", p);
}

/* Wait ms (the main thread), unless Ctrl-C comes first. */
static void
demo_watch(struct demo *d, int64_t ms)
{
	int64_t end = clock_mono_ms() + ms;
	struct timespec ts;

	while (clock_mono_ms() < end && !demo_signalled(d)) {
		clock_mono_timespec(clock_mono_ms() + 100, &ts);
		pthread_mutex_lock(&d->lock);
		pthread_cond_timedwait(&d->cond, &d->lock, &ts);
		pthread_mutex_unlock(&d->lock);
	}
}

/* The static act: restart member 1 at once, then watch the others for
   three heartbeat intervals (a rebalance would reach them by then). */
static void
demo_static_act(struct demo *d, struct member_shared *sh)
{
	char before[64], after[64];
	int others;
	int64_t t;

	pthread_mutex_lock(&d->lock);
	demo_owned(d, 1, before, sizeof before);
	others = d->events[0] + d->events[2];
	pthread_mutex_unlock(&d->lock);
	demo_begin(d, "member 1 restarts at once (static)");
	t = clock_mono_ms();
	demo_member_stop(d, 1);
	demo_member_start(d, sh, 1);
	demo_wait_settled(d);
	pthread_mutex_lock(&d->lock);
	d->act.back_ms = d->eps[d->neps - 1].end_ms - t;
	pthread_mutex_unlock(&d->lock);
	demo_watch(d, 3 * sh->cfg->heartbeat_interval_ms);
	pthread_mutex_lock(&d->lock);
	demo_owned(d, 1, after, sizeof after);
	d->act.others_events = d->events[0] + d->events[2] - others;
	d->act.same_parts = strcmp(before, after) == 0;
	snprintf(d->act.parts, sizeof d->act.parts, "%s", after);
	d->act.played = true;
	pthread_mutex_unlock(&d->lock);
	printf("  member 1 is back after %.2f s; members 0 and 2 logged %d "
	    "events\n", (double)d->act.back_ms / 1000.0, d->act.others_events);
}

/* Run the script: join 0, 1, 2; (static act); stop 1; restart 1; stop. */
static void
demo_script(struct demo *d, struct member_shared *sh)
{
	static const int order[] = { 0, 1, 2 };
	size_t i;

	for (i = 0; i < sizeof order / sizeof *order && !d->interrupted; i++) {
		demo_begin(d, "member %d joins", order[i]);
		demo_member_start(d, sh, order[i]);
		demo_wait_settled(d);
	}
	if (!d->interrupted && d->bootstrap != NULL &&
	    sh->cfg->instance_ids != NULL)
		demo_static_act(d, sh);
	if (!d->interrupted) {
		demo_begin(d, sh->cfg->instance_ids != NULL ? "member %d stops "
		    "(static: no LeaveGroup)" : "member %d stops (clean close)",
		    1);
		demo_member_stop(d, 1);
		demo_wait_settled(d);
	}
	if (!d->interrupted) {
		demo_begin(d, "member %d restarts", 1);
		demo_member_start(d, sh, 1);
		demo_wait_settled(d);
	}
}

/* kconsumerd --demo [-c FILE] [--bootstrap LIST]: on the embedded mock,
   or on the real cluster bootstrap names when it is not NULL. */
int
demo_main(struct config *user_cfg, const char *bootstrap)
{
	return demo_play(user_cfg, bootstrap, DEMO_COOPERATIVE, NULL, NULL);
}

/* Delete topic, of this run's own, from the cluster at bootstrap, and
   say so (a warning instead when the cluster refused). */
void
demo_delete_topic(const char *bootstrap, const char *topic)
{
	if (demo_cluster_delete_topic(bootstrap, topic))
		printf("Deleted topic \"%s\" (this run's own) from the "
		    "cluster.\n", topic);
}

/*
 * Play the demo once: with user_cfg, else the built-in configuration of
 * proto, on topic (NULL: the demo's own); what it measured goes to res
 * (NULL: not asked for).
 */
int
demo_play(struct config *user_cfg, const char *bootstrap,
    enum demo_protocol proto, const char *topic, struct demo_result *res)
{
	char own_topic[64];
	struct config *cfg;
	struct member_shared sh;
	struct sink *sink;
	struct demo_cluster *dc;
	struct demo *d;
	int i;

	/* on a real cluster the built-in configuration plays on a topic of
	   this run's own, deleted at the end; a user's on the shared one */
	if (bootstrap == NULL)
		snprintf(own_topic, sizeof own_topic, "%s", DEMO_TOPIC);
	else if (user_cfg != NULL)
		snprintf(own_topic, sizeof own_topic, "%s", DEMO_REAL_TOPIC);
	else
		snprintf(own_topic, sizeof own_topic, "%s-%ld",
		    DEMO_REAL_TOPIC, (long)getpid());
	cfg = user_cfg != NULL ? user_cfg : demo_builtin(bootstrap != NULL,
	    proto, topic != NULL ? topic : own_topic);
	if (cfg == NULL)
		return EXIT_INTERNAL;
	if (!proc_configure_log(cfg))
		return EXIT_CONFIG;
	d = xcalloc(1, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
	clock_cond_init(&d->cond);
	proc_block_signals(&d->sigs);
	for (i = 0; i < DEMO_PARTITIONS; i++) {
		d->parts[i].partition = i;
		d->parts[i].owner = d->parts[i].prev_owner = -1;
	}
	d->bootstrap = bootstrap;
	d->topic = topic != NULL ? topic : own_topic;
	d->res = res;
	printf("kconsumerd demo: %s%s,\ntopic \"%s\" with %d partitions, %d "
	    "messages/s, group \"%s\",\n%s members, ",
	    bootstrap != NULL ? "the Kafka cluster at " : "an embedded mock "
	    "cluster of 3 brokers", bootstrap != NULL ? bootstrap : "",
	    d->topic, DEMO_PARTITIONS, DEMO_RATE, cfg->group_id,
	    cfg->instance_ids != NULL ? "static" : "dynamic");
	if (cfg->group_protocol == CONFIG_GROUP_PROTOCOL_CONSUMER)
		printf("group protocol consumer (KIP-848: the broker assigns "
		    "and sets the session timeout).\n");
	else
		printf("assignor %s, session.timeout.ms %lld.\n",
		    config_word("group.assignor", cfg->assignor),
		    (long long)cfg->session_timeout_ms);
	printf("Press Ctrl-C to stop early.\n");
	dc = bootstrap != NULL ? demo_cluster_connect(bootstrap, d->topic,
	    DEMO_PARTITIONS, DEMO_RATE) : demo_cluster_start(3, d->topic,
	    DEMO_PARTITIONS, DEMO_RATE);
	if (dc == NULL)
		return EXIT_INTERNAL;
	config_kafka_set(cfg, "bootstrap.servers", demo_cluster_bootstraps(dc));
	if ((sink = sink_open(cfg)) == NULL) {
		demo_cluster_stop(dc);
		return EXIT_INTERNAL;
	}
	/* the built-in group, of this run only, starts at this run's first
	   record (a user's group keeps its offsets) */
	if (user_cfg == NULL && !demo_cluster_start_group(dc, cfg->group_id)) {
		sink_close(sink);
		demo_cluster_stop(dc);
		return EXIT_INTERNAL;
	}
	member_shared_init(&sh, cfg, sink, 0, NULL, demo_observe, d);
	d->t0 = clock_mono_ms();
	demo_script(d, &sh);
	demo_begin(d, "shutdown: every member stops");
	/* the whole process stops, as the daemon's does: every member
	   commits before any leaves the group (member_close.c), or the
	   coordinator refuses the later commits as the group rebalances
	   and their last records stay uncommitted */
	atomic_store(&sh.stop_all, true);
	for (i = 0; i < DEMO_MEMBERS; i++)
		member_run_stop(&d->members[i]);
	for (i = 0; i < DEMO_MEMBERS; i++)
		if (d->members[i].started)
			demo_member_stop(d, i);
	pthread_mutex_lock(&d->lock);
	d->eps[d->neps - 1].end_ms = clock_mono_ms();
	pthread_mutex_unlock(&d->lock);
	demo_cluster_stop_producer(dc);
	demo_summary(d, dc, &sh);
	demo_result_fill(d);
	sink_close(sh.sink);
	if (bootstrap != NULL && user_cfg == NULL && topic == NULL)
		demo_delete_topic(bootstrap, d->topic);
	demo_cluster_stop(dc);
	if (user_cfg == NULL)
		config_free(cfg);
	free(d);
	return EXIT_CLEAN;
}
