/*
 * describe_print.c: a describe_snap as a table for people or as one JSON
 * object for scripts, and what changed since the previous snapshot (for
 * --watch): owners, committed offsets, lag, members and state.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "describe.h"
#include "log.h"
#include "xmalloc.h"

#define DESCRIBE_MAX_COLS	12

/* A table of strings printed in aligned columns. */
struct describe_table {
	char	**cells;	/* nrows * ncols, NULL prints as "" */
	size_t	  nrows;
	size_t	  ncols;
};

/* Append a row of ncols cells (taken over; NULL prints nothing). */
static void
describe_table_row(struct describe_table *t, char **row)
{
	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	memcpy(t->cells + t->nrows * t->ncols, row, t->ncols * sizeof *row);
	t->nrows++;
}

/* Print the table with two spaces between columns, then free it. */
static void
describe_table_print(struct describe_table *t, const char *indent, FILE *fp)
{
	size_t w[DESCRIBE_MAX_COLS] = { 0 }, r, c, len;
	const char *cell;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			len = cell != NULL ? strlen(cell) : 0;
			w[c] = len > w[c] ? len : w[c];
		}
	for (r = 0; r < t->nrows; r++) {
		fputs(indent, fp);
		for (len = t->ncols; len > 0 &&
		    t->cells[r * t->ncols + len - 1] == NULL; len--)
			;
		for (c = 0; c < len; c++) {
			cell = t->cells[r * t->ncols + c];
			fprintf(fp, "%-*s%s", c + 1 < len ? (int)w[c] : 0,
			    cell != NULL ? cell : "", c + 1 < len ? "  " : "");
		}
		fputc('\n', fp);
	}
	for (r = 0; r < t->nrows * t->ncols; r++)
		free(t->cells[r]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

/* A cell with a number, or "-" when it is unknown (negative). */
static char *
describe_num(int64_t v)
{
	char *s;

	if (v < 0)
		return xstrdup("-");
	xasprintf(&s, "%lld", (long long)v);
	return s;
}

/* A cell with milliseconds as seconds to a tenth, or "-" when unknown. */
static char *
describe_secs(int64_t ms)
{
	char *s;

	if (ms < 0)
		return xstrdup("-");
	xasprintf(&s, "%.1f", (double)ms / 1000);
	return s;
}

/* A cell with a string, or "-" when there is none. */
static char *
describe_str(const char *v)
{
	return xstrdup(v != NULL && *v != '\0' ? v : "-");
}

/* The previous snapshot's partition topic[partition], or NULL. */
static const struct describe_part *
describe_find_part(const struct describe_snap *s, const char *topic,
    int32_t partition)
{
	size_t i;

	for (i = 0; i < s->nparts; i++)
		if (s->parts[i].partition == partition &&
		    strcmp(s->parts[i].topic, topic) == 0)
			return &s->parts[i];
	return NULL;
}

/* True when s has a member with this member id. */
static bool
describe_has_member(const struct describe_snap *s, const char *member_id)
{
	size_t i;

	for (i = 0; i < s->nmembers; i++)
		if (strcmp(s->members[i].member_id, member_id) == 0)
			return true;
	return false;
}

/* Add a group-level note to s. */
static void
describe_note(struct describe_snap *s, char *note)
{
	s->notes = xreallocarray(s->notes, s->nnotes + 1, sizeof *s->notes);
	s->notes[s->nnotes++] = note;
}

/* Note members that joined or left and a change of state. */
static void
describe_compare_group(struct describe_snap *s,
    const struct describe_snap *prev)
{
	char *note;
	size_t i;

	if (!s->described || !prev->described)
		return;
	if (strcmp(s->state, prev->state) != 0) {
		xasprintf(&note, "state %s -> %s", prev->state, s->state);
		describe_note(s, note);
	}
	for (i = 0; i < s->nmembers; i++)
		if (!describe_has_member(prev, s->members[i].member_id)) {
			xasprintf(&note, "member %s joined",
			    describe_member_label(s, (int)i));
			describe_note(s, note);
		}
	for (i = 0; i < prev->nmembers; i++)
		if (!describe_has_member(s, prev->members[i].member_id)) {
			xasprintf(&note, "member %s left",
			    describe_member_label(prev, (int)i));
			describe_note(s, note);
		}
}

/* Mark what changed in s since prev (a snapshot from the last print). */
void
describe_snap_compare(struct describe_snap *s,
    const struct describe_snap *prev)
{
	const struct describe_part *q;
	struct describe_part *p;
	const char *was, *now;
	size_t i;

	if (prev == NULL || prev->unreachable != NULL ||
	    s->unreachable != NULL)
		return;
	describe_compare_group(s, prev);
	for (i = 0; i < s->nparts; i++) {
		p = &s->parts[i];
		if ((q = describe_find_part(prev, p->topic,
		    p->partition)) == NULL) {
			p->changes |= DESCRIBE_CH_NEW;
			continue;
		}
		was = describe_member_label(prev, q->owner);
		now = describe_member_label(s, p->owner);
		if (s->described && prev->described && strcmp(was, now) != 0) {
			p->changes |= DESCRIBE_CH_OWNER;
			p->prev_owner = xstrdup(was);
		}
		if (p->committed != q->committed) {
			p->changes |= DESCRIBE_CH_COMMITTED;
			p->d_committed = p->committed - q->committed;
		}
		if (p->high != q->high)
			p->changes |= DESCRIBE_CH_END;
		if (p->lag >= 0 && q->lag >= 0 && p->lag != q->lag) {
			p->changes |= p->lag > q->lag ? DESCRIBE_CH_LAG_UP :
			    DESCRIBE_CH_LAG_DOWN;
			p->d_lag = p->lag - q->lag;
		}
	}
}

/* The CHANGES cell of a partition: "owner a -> b, lag +12, ...". */
static char *
describe_changes(const struct describe_snap *s, const struct describe_part *p)
{
	struct buf b;

	buf_init(&b);
	if (p->changes & DESCRIBE_CH_NEW)
		buf_adds(&b, ", new");
	if (p->changes & DESCRIBE_CH_OWNER)
		buf_printf(&b, ", owner %s -> %s", p->prev_owner,
		    describe_member_label(s, p->owner));
	if (p->changes & (DESCRIBE_CH_LAG_UP | DESCRIBE_CH_LAG_DOWN))
		buf_printf(&b, ", lag %+lld", (long long)p->d_lag);
	if (p->changes & DESCRIBE_CH_COMMITTED)
		buf_printf(&b, ", committed %+lld", (long long)p->d_committed);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	memmove(b.data, b.data + 2, b.len - 1);
	return buf_steal(&b);
}

/* Fill row with one partition's cells; the number of cells. */
static size_t
describe_part_row(const struct describe_snap *s, const struct describe_part *p,
    bool watch, char **row)
{
	const struct describe_member *m;
	size_t n = 0;

	m = p->owner >= 0 ? &s->members[p->owner] : NULL;
	if (watch)
		row[n++] = p->changes & (DESCRIBE_CH_OWNER |
		    DESCRIBE_CH_LAG_UP | DESCRIBE_CH_NEW) ? xstrdup("*") : NULL;
	row[n++] = xstrdup(p->topic);
	row[n++] = describe_num(p->partition);
	row[n++] = describe_num(p->committed);
	row[n++] = p->error != NULL ? xstrdup(p->error) : describe_num(p->high);
	row[n++] = describe_num(p->lag);
	row[n++] = describe_secs(p->lag_ms);
	if (s->described) {
		row[n++] = describe_str(m != NULL ? m->member_id : NULL);
		row[n++] = describe_str(m != NULL ? m->instance_id : NULL);
		row[n++] = describe_str(m != NULL ? m->host : NULL);
		row[n++] = describe_str(m != NULL ? m->client_id : NULL);
	}
	if (watch)
		row[n++] = describe_changes(s, p);
	return n;
}

/* The partition table, with owner columns when members are known. */
static void
describe_print_parts(const struct describe_snap *s, bool watch, FILE *fp)
{
	static const char *head[] = { "TOPIC", "PARTITION", "COMMITTED",
	    "LOG-END", "LAG", "LAG-S", "MEMBER-ID", "INSTANCE-ID", "HOST",
	    "CLIENT-ID" };
	struct describe_table t = { NULL, 0, 0 };
	char *row[DESCRIBE_MAX_COLS];
	size_t i, n = 0;

	if (watch)
		row[n++] = NULL;
	for (i = 0; i < (s->described ? 10 : 6); i++)
		row[n++] = xstrdup(head[i]);
	if (watch)
		row[n++] = xstrdup("CHANGES");
	t.ncols = n;
	describe_table_row(&t, row);
	for (i = 0; i < s->nparts; i++) {
		describe_part_row(s, &s->parts[i], watch, row);
		describe_table_row(&t, row);
	}
	describe_table_print(&t, "", fp);
}

/* The members table. */
static void
describe_print_members(const struct describe_snap *s, FILE *fp)
{
	struct describe_table t = { NULL, 0, 5 };
	const struct describe_member *m;
	char *row[5];
	size_t i;

	fprintf(fp, "members (%zu):\n", s->nmembers);
	if (s->nmembers == 0)
		return;
	row[0] = xstrdup("MEMBER-ID");
	row[1] = xstrdup("INSTANCE-ID");
	row[2] = xstrdup("HOST");
	row[3] = xstrdup("CLIENT-ID");
	row[4] = xstrdup("PARTITIONS");
	describe_table_row(&t, row);
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		row[0] = describe_str(m->member_id);
		row[1] = describe_str(m->instance_id);
		row[2] = describe_str(m->host);
		row[3] = describe_str(m->client_id);
		row[4] = describe_num((int64_t)m->nparts);
		describe_table_row(&t, row);
	}
	describe_table_print(&t, "  ", fp);
	/* consumer protocol: where the broker is taking each member */
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->target != NULL && strcmp(m->target, m->assignment) != 0)
			fprintf(fp, "  %s is reconciling: owns [%s], target "
			    "[%s]\n", describe_member_label(s, (int)i),
			    m->assignment, m->target);
	}
}

/* Print one snapshot as text; say_unsupported prints the one line that
   says the cluster cannot describe groups. */
void
describe_print_text(const struct describe_snap *s, bool watch,
    bool say_unsupported, FILE *fp)
{
	char ts[32];
	size_t i;

	log_format_time(ts, s->ts);
	fprintf(fp, "%s  group %s  bootstrap %s\n", ts, s->group,
	    s->bootstrap);
	if (s->unreachable != NULL) {
		fprintf(fp, "cluster unreachable: %s\n", s->unreachable);
		return;
	}
	if (s->described) {
		fprintf(fp, "state %s, ", s->state);
		if (s->type != NULL)
			fprintf(fp, "group protocol %s, ", s->type);
		fprintf(fp, "assignor %s, %zu member%s",
		    *s->assignor != '\0' ? s->assignor : "(none)",
		    s->nmembers, s->nmembers == 1 ? "" : "s");
		if (s->coordinator != NULL)
			fprintf(fp, ", coordinator %d (%s)",
			    s->coordinator_id, s->coordinator);
		fputc('\n', fp);
	} else if (!s->unsupported)
		fprintf(fp, "state and members unavailable: %s\n",
		    s->describe_error);
	else if (say_unsupported)
		fprintf(fp, "state and members not shown: the cluster does not "
		    "support DescribeGroups (%s); offsets and lag follow\n",
		    s->describe_error);
	if (s->offsets_error != NULL)
		fprintf(fp, "committed offsets unavailable: %s\n",
		    s->offsets_error);
	for (i = 0; i < s->nnotes; i++)
		fprintf(fp, "note: %s\n", s->notes[i]);
	if (s->nparts == 0)
		fprintf(fp, "no partitions: the group has no committed offsets "
		    "or members, and no topics were given (-c)\n");
	else
		describe_print_parts(s, watch, fp);
	fprintf(fp, "total: %zu partition%s, committed %lld, log end %lld, "
	    "lag %lld", s->nparts, s->nparts == 1 ? "" : "s",
	    (long long)s->committed_total, (long long)s->end_total,
	    (long long)s->lag_total);
	if (s->no_commit > 0)
		fprintf(fp, " (%zu partition%s without a committed offset)",
		    s->no_commit, s->no_commit == 1 ? "" : "s");
	if (s->lag_ms_max >= 0)
		fprintf(fp, ", lag in time up to %.1f s",
		    (double)s->lag_ms_max / 1000);
	fputc('\n', fp);
	if (s->described)
		describe_print_members(s, fp);
}

/* Add "key":number, or null when v is negative. */
static void
describe_json_num(struct buf *b, const char *key, int64_t v)
{
	if (v < 0)
		buf_printf(b, ",\"%s\":null", key);
	else
		buf_printf(b, ",\"%s\":%lld", key, (long long)v);
}

/* Add "key":seconds (milliseconds to three decimals) or null. */
static void
describe_json_secs(struct buf *b, const char *key, int64_t ms)
{
	if (ms < 0)
		buf_printf(b, ",\"%s\":null", key);
	else
		buf_printf(b, ",\"%s\":%.3f", key, (double)ms / 1000);
}

/* Add "key":"string" or null. */
static void
describe_json_str(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, ",\"%s\":", key);
	buf_json_cstr(b, v);
}

/* One partition as a JSON object. */
static void
describe_json_part(struct buf *b, const struct describe_snap *s,
    const struct describe_part *p)
{
	static const struct {
		int		 bit;
		const char	*name;
	} marks[] = {
		{ DESCRIBE_CH_NEW, "new" }, { DESCRIBE_CH_OWNER, "owner" },
		{ DESCRIBE_CH_COMMITTED, "committed" },
		{ DESCRIBE_CH_LAG_UP, "lag_up" },
		{ DESCRIBE_CH_LAG_DOWN, "lag_down" },
		{ DESCRIBE_CH_END, "log_end" },
	};
	const struct describe_member *m;
	const char *sep = "";
	size_t i;

	m = p->owner >= 0 ? &s->members[p->owner] : NULL;
	buf_adds(b, "{\"topic\":");
	buf_json_cstr(b, p->topic);
	buf_printf(b, ",\"partition\":%d", (int)p->partition);
	describe_json_num(b, "committed", p->committed);
	describe_json_num(b, "log_start", p->low);
	describe_json_num(b, "log_end", p->high);
	describe_json_num(b, "lag", p->lag);
	describe_json_secs(b, "lag_seconds", p->lag_ms);
	describe_json_str(b, "member_id", m != NULL ? m->member_id : NULL);
	describe_json_str(b, "instance_id", m != NULL ? m->instance_id : NULL);
	describe_json_str(b, "host", m != NULL ? m->host : NULL);
	describe_json_str(b, "client_id", m != NULL ? m->client_id : NULL);
	describe_json_str(b, "error", p->error);
	buf_adds(b, ",\"changes\":[");
	for (i = 0; i < sizeof marks / sizeof *marks; i++)
		if (p->changes & marks[i].bit) {
			buf_printf(b, "%s\"%s\"", sep, marks[i].name);
			sep = ",";
		}
	buf_addc(b, ']');
	if (p->changes & DESCRIBE_CH_OWNER)
		describe_json_str(b, "previous_owner", p->prev_owner);
	if (p->changes & DESCRIBE_CH_COMMITTED)
		buf_printf(b, ",\"committed_delta\":%lld",
		    (long long)p->d_committed);
	if (p->changes & (DESCRIBE_CH_LAG_UP | DESCRIBE_CH_LAG_DOWN))
		buf_printf(b, ",\"lag_delta\":%lld", (long long)p->d_lag);
	buf_addc(b, '}');
}

/* The members as a JSON array, or null when they are not known. */
static void
describe_json_members(struct buf *b, const struct describe_snap *s)
{
	const struct describe_member *m;
	size_t i;

	buf_adds(b, ",\"members\":");
	if (!s->described) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '[');
	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		buf_adds(b, i > 0 ? ",{\"member_id\":" : "{\"member_id\":");
		buf_json_cstr(b, m->member_id);
		describe_json_str(b, "instance_id", m->instance_id);
		describe_json_str(b, "host", m->host);
		describe_json_str(b, "client_id", m->client_id);
		buf_printf(b, ",\"partitions\":%zu", m->nparts);
		describe_json_str(b, "assignment", m->assignment);
		describe_json_str(b, "target_assignment", m->target);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* Print one snapshot as one line of JSON. */
void
describe_print_json(const struct describe_snap *s, FILE *fp)
{
	char ts[32];
	struct buf b;
	size_t i;

	buf_init(&b);
	log_format_time(ts, s->ts);
	buf_printf(&b, "{\"ts\":\"%s\"", ts);
	describe_json_str(&b, "group", s->group);
	describe_json_str(&b, "bootstrap", s->bootstrap);
	describe_json_str(&b, "unreachable", s->unreachable);
	describe_json_str(&b, "state", s->state);
	describe_json_str(&b, "type", s->type);
	describe_json_str(&b, "assignor", s->assignor);
	describe_json_str(&b, "coordinator", s->coordinator);
	describe_json_str(&b, "describe_error", s->describe_error);
	buf_printf(&b, ",\"describe_unsupported\":%s",
	    s->unsupported ? "true" : "false");
	describe_json_str(&b, "offsets_error", s->offsets_error);
	describe_json_members(&b, s);
	buf_adds(&b, ",\"partitions\":[");
	for (i = 0; i < s->nparts; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		describe_json_part(&b, s, &s->parts[i]);
	}
	buf_printf(&b, "],\"totals\":{\"partitions\":%zu,\"committed\":%lld,"
	    "\"log_end\":%lld,\"lag\":%lld,\"without_commit\":%zu",
	    s->nparts, (long long)s->committed_total,
	    (long long)s->end_total, (long long)s->lag_total, s->no_commit);
	describe_json_secs(&b, "lag_seconds_max", s->lag_ms_max);
	buf_addc(&b, '}');
	buf_adds(&b, ",\"notes\":[");
	for (i = 0; i < s->nnotes; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_json_cstr(&b, s->notes[i]);
	}
	buf_adds(&b, "]}\n");
	fputs(buf_str(&b), fp);
	buf_free(&b);
}
