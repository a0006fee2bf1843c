/*
 * timeline.h: rebuilding partition ownership over time from kconsumerd's
 * JSON event logs, grouping rebalances into episodes, and showing them as
 * a table (timeline_print.c) or an SVG chart (timeline_svg.c).
 *
 * Main thread only (kconsumerctl). A struct timeline owns everything in it.
 *
 * Sections: timeline_event.c reads lines into events, timeline.c replays
 * them into ownership intervals and episodes, timeline_finish.c closes
 * them and adds up totals, timeline_broker.c reads the coordinator's
 * reasons from Kafka's server.log (--broker-log), timeline_cmd.c is the
 * "kconsumerctl timeline" command.
 */
#ifndef KCONSUMERD_TIMELINE_H
#define KCONSUMERD_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Default --gap: events closer than this belong to one episode. */
#define TIMELINE_GAP_MS		10000
#define TIMELINE_NO_SINCE	INT64_MIN

/* Why an assign or revoke happened (the events' "origin"; older logs
   have none). */
enum timeline_origin {
	TIMELINE_ORIGIN_UNKNOWN,
	TIMELINE_ORIGIN_REBALANCE,
	TIMELINE_ORIGIN_CLOSE,
	TIMELINE_ORIGIN_LOST,
	TIMELINE_ORIGIN_JOIN,
};

/* Rebalance protocols, as bits so an episode can show both. */
#define TIMELINE_EAGER	0x1
#define TIMELINE_COOPERATIVE	0x2

enum timeline_kind {
	TIMELINE_START,
	TIMELINE_STOP,
	TIMELINE_ASSIGN,
	TIMELINE_REVOKE,
	TIMELINE_LOST,
	TIMELINE_FATAL,
	TIMELINE_MAXPOLL,
	TIMELINE_MEMBER,	/* other per-member events: state, error, ... */
	TIMELINE_PROCESS,	/* process-wide lines: log, rdkafka */
};

struct timeline_event_part {
	char		*topic;
	int32_t		 partition;
	int64_t		 offset;	/* the event's offset; -1: none */
};

/* One accepted log line. */
struct timeline_event {
	int64_t			 ts;		/* ms since the epoch */
	size_t			 seq;		/* input order, for stable sort */
	int			 stream;	/* which LOG it came from */
	enum timeline_kind	 kind;
	bool			 has_consumer;
	int64_t			 consumer;
	int64_t			 pid;		/* start only; -1 otherwise */
	char			*group;		/* NULL when absent */
	char			*member_id;	/* NULL or "" when unknown */
	char			*instance_id;	/* NULL when dynamic */
	int			 protocol;	/* a protocol bit, or 0 */
	enum timeline_origin	 origin;
	struct timeline_event_part	*parts;
	size_t			 nparts;
};

/* One partition of one group. */
struct timeline_part {
	char		*group;
	char		*topic;
	int32_t		 partition;
	char		*label;		/* orders[3], or shop/orders[3] */
	int		 owner;		/* member index, -1 when none */
	size_t		 open;		/* owner's interval index */
	int		 prev;		/* last owner while unowned, or -1 */
	int64_t		 released;	/* when prev's interval ended */
	int		 released_in;	/* episode of that release, or -1 */
};

/* One consumer-group member: a (process, consumer) pair. */
struct timeline_member {
	int		 stream;
	int64_t		 consumer;
	int64_t		 pid;		/* -1 when its start is not in the logs */
	char		*instance_id;
	char		*member_id;	/* the first one; rejoins may change it */
	char		*last_member_id;
	char		*label;		/* instance id, member id, or pid */
	bool		 started;	/* its start event was seen */
	bool		 stopped;
	bool		 fatal;
	bool		 vanished;	/* lost partitions without a stop */
	bool		 rebalanced;	/* took part in a rebalance already */
	bool		 in_group;	/* assigned since its start or loss */
	int64_t		 last_seen;	/* its latest line */
	int64_t		 last_own;	/* its latest event of its own */
	bool		 replaced;	/* its process restarted under its pid */
	int		 colour;
};

/* A partition owned by one member from one time to another. */
struct timeline_interval {
	size_t		 part;
	int		 member;
	int64_t		 from;
	int64_t		 to;
	bool		 open;		/* still owned at the end of the logs */
	bool		 vanished;	/* ended by the owner disappearing */
};

/* A partition changing hands (or coming back) within an episode. */
struct timeline_move {
	size_t		 part;
	int		 from;		/* -1: had no owner before */
	int		 to;		/* -1: no owner until the end */
	int64_t		 pause;		/* ms without owner; -1 when none */
	size_t		 order;
	int64_t		 start;		/* where the new owner starts (its
					   assign's offset); -1: unknown */
	int64_t		 redelivered;	/* records read again (--sink);
					   -1: not counted */
};

enum timeline_trigger_kind {
	TIMELINE_TRIG_START,
	TIMELINE_TRIG_JOIN,
	TIMELINE_TRIG_STOP,
	TIMELINE_TRIG_LOST,
	TIMELINE_TRIG_FATAL,
	TIMELINE_TRIG_MAXPOLL,
	TIMELINE_TRIG_VANISHED,
};

struct timeline_trigger {
	enum timeline_trigger_kind	 kind;
	int				 member;
};

/* Rebalance events close together in time. */
struct timeline_episode {
	int64_t			 start;
	int64_t			 end;
	int			 protocols;	/* protocol bits, OR-ed */
	bool			 rebalance;	/* a group rebalance, not only
						   members' own starts, closes
						   and joins */
	struct timeline_trigger	*triggers;
	size_t			 ntriggers;
	char			*trigger;	/* triggers as one sentence */
	struct timeline_move	*moves;
	size_t			 nmoves;
};

/* A record a sink file holds (--sink). */
struct timeline_record {
	char		*topic;
	int32_t		 partition;
	int64_t		 offset;
};

/* What the coordinator gave as a rebalance's reason (--broker-log). */
enum timeline_cause_kind {
	TIMELINE_CAUSE_OTHER,
	TIMELINE_CAUSE_JOIN,
	TIMELINE_CAUSE_LEAVE,
	TIMELINE_CAUSE_SESSION,
	TIMELINE_CAUSE_MAXPOLL,
	TIMELINE_CAUSE_STATIC,
	TIMELINE_CAUSE_METADATA,
	TIMELINE_CAUSE_LEADER,
};

/* One rebalance (or static replacement) from a broker log. */
struct timeline_cause {
	int64_t			 ts;
	char			*group;
	int			 generation;	/* old generation; -1 unknown */
	enum timeline_cause_kind kind;
	char			*who;		/* member or instance id named;
						   NULL: none */
	int			 member;	/* who, as a member; -1 */
	char			*reason;	/* Kafka's own words */
	int			 episode;	/* -1: in none */
};

struct timeline_totals {
	size_t		 episodes;
	size_t		 rebalances;	/* episodes with a group rebalance */
	size_t		 moved;		/* partitions that changed owner */
	size_t		 paused;	/* pauses that ended */
	int64_t		 pause_total;
	int64_t		 pause_max;
	size_t		 pause_max_part;
	size_t		 pause_max_episode;
};

struct timeline {
	int64_t			 gap_ms;
	int64_t			 since_ms;
	int			 nstreams;
	char			**stream_names;	/* log file stems; NULL: none
						   (labels fall back to ids) */
	int			 nnames;

	struct timeline_event	*events;
	size_t			 nevents;
	size_t			 skipped_json;
	size_t			 skipped_unknown;
	size_t			 skipped_fields;

	struct timeline_part	*parts;
	size_t			 nparts;
	struct timeline_member	*members;
	size_t			 nmembers;
	struct timeline_interval	*intervals;
	size_t			 nintervals;
	struct timeline_episode	*episodes;
	size_t			 nepisodes;
	struct timeline_cause	*causes;	/* --broker-log */
	size_t			 ncauses;
	bool			 broker_logs;	/* --broker-log was given */
	struct timeline_record	*records;	/* --sink, sorted */
	size_t			 nrecords;
	bool			 sinks;		/* --sink was given */
	char			*groups;	/* "shop", or "a, b" */
	int			 protocols;
	int64_t			 view_start;	/* left edge: first ts or --since */
	int64_t			 view_end;	/* last timestamp seen */
	size_t			 norder;
};

/* timeline_event.c */
bool timeline_parse_time(const char *s, int64_t *out);
void timeline_add_line(struct timeline *tl, int stream, const char *line,
    size_t len);
int timeline_read(struct timeline *tl, FILE *fp);
void timeline_event_free(struct timeline_event *ev);

/* timeline_broker.c */
int timeline_broker_read(struct timeline *tl, FILE *fp);
void timeline_broker_match(struct timeline *tl);
void timeline_cause_free(struct timeline_cause *c);
const char *timeline_cause_name(enum timeline_cause_kind kind, bool text);

/* timeline_sinks.c */
int timeline_sinks_read(struct timeline *tl, FILE *fp);
void timeline_sinks_count(struct timeline *tl);
int64_t timeline_episode_redelivered(const struct timeline_episode *ep);
int64_t timeline_redelivered(const struct timeline *tl);

/* timeline.c */
void timeline_init(struct timeline *tl, int64_t gap_ms, int64_t since_ms);
void timeline_build(struct timeline *tl);

/* timeline_finish.c */
void timeline_name_stream(struct timeline *tl, int stream, const char *path);
void timeline_finish(struct timeline *tl);
void timeline_free(struct timeline *tl);
void timeline_totals(const struct timeline *tl, int protocols,
    struct timeline_totals *t);
const char *timeline_protocol_name(int protocols);

/* timeline_print.c */
void timeline_print(const struct timeline *tl, FILE *fp);
void timeline_print_skipped(const struct timeline *tl, FILE *fp);
void timeline_format_clock(char out[16], int64_t ms);

/* timeline_svg.c */
int timeline_svg_write(const struct timeline *tl, FILE *fp);

/* timeline_json.c */
void timeline_json_write(const struct timeline *tl, FILE *fp);

/* timeline_cmd.c */
int timeline_main(int argc, char **argv);
void timeline_usage(FILE *fp);

#endif
