/*
 * describe_kafka.c: one round of "kconsumerctl describe" requests: the
 * cluster's metadata (which also says whether it can be reached), the
 * group's description (DescribeConsumerGroups: state, assignor, members
 * and their assignments), its committed offsets (ListConsumerGroupOffsets)
 * and each partition's watermarks, and the lag in time (describe_lag.c),
 * put together into a describe_snap.
 *
 * Main thread only; librdkafka's own threads only see the handles.
 *
 * Group descriptions go through a handle of their own: in librdkafka
 * 2.0.2 a coordinator request that cannot be sent (DescribeGroups on the
 * mock cluster) keeps a broker reference, after which that handle answers
 * nothing more and rd_kafka_destroy waits forever. Such a handle is left
 * for the process exit, and the group is not described again.
 *
 * On librdkafka's mock cluster (its cluster id starts "mockCluster")
 * DescribeConsumerGroups is not sent at all: librdkafka 2.0.2 reads freed
 * memory when the request fails there (ASan: heap-use-after-free in
 * rd_kafka_DescribeConsumerGroups' response path). The members are
 * reported unavailable with that reason instead.
 */
#include "autoconf.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "describe.h"
#include "log.h"
#include "partlist.h"
#include "xmalloc.h"


/* Make the two handles requests go through; -1 (errstr) on error. */
int
describe_client_open(struct describe_client *c, rd_kafka_conf_t *conf,
    char *errstr, size_t errlen)
{
	rd_kafka_conf_t *gconf;
	char value[256];
	size_t len = sizeof value;

	if (rd_kafka_conf_get(conf, "client.id", value, &len) ==
	    RD_KAFKA_CONF_OK && strcmp(value, "rdkafka") == 0)
		rd_kafka_conf_set(conf, "client.id", "kconsumerctl", NULL, 0);
	gconf = rd_kafka_conf_dup(conf);
	if ((c->lrk = describe_lag_open(conf, c->group, errstr, errlen)) ==
	    NULL) {
		rd_kafka_conf_destroy(conf);
		rd_kafka_conf_destroy(gconf);
		return -1;
	}
	if ((c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    errlen)) == NULL) {
		rd_kafka_conf_destroy(conf);
		rd_kafka_conf_destroy(gconf);
		describe_client_close(c);
		return -1;
	}
	if ((c->grk = rd_kafka_new(RD_KAFKA_CONSUMER, gconf, errstr,
	    errlen)) == NULL) {
		rd_kafka_conf_destroy(gconf);
		describe_client_close(c);
		return -1;
	}
	c->queue = rd_kafka_queue_new(c->rk);
	c->gqueue = rd_kafka_queue_new(c->grk);
	return 0;
}

/* Destroy the handles (one that met the 2.0.2 bug is left alone). */
void
describe_client_close(struct describe_client *c)
{
	if (c->queue != NULL)
		rd_kafka_queue_destroy(c->queue);
	if (c->rk != NULL)
		rd_kafka_destroy(c->rk);
	if (c->gqueue != NULL)
		rd_kafka_queue_destroy(c->gqueue);
	if (c->grk != NULL)
		rd_kafka_destroy(c->grk);
	if (c->lrk != NULL)
		rd_kafka_destroy(c->lrk);
	c->lrk = NULL;
	c->gqueue = NULL;
	c->grk = NULL;
	free(c->unsupported);
	c->queue = NULL;
	c->rk = NULL;
	c->unsupported = NULL;
}

/* The partition topic[partition] of s, added when it is not there yet. */
static struct describe_part *
describe_part_get(struct describe_snap *s, const char *topic,
    int32_t partition)
{
	struct describe_part *p;
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		p = &s->parts[i];
		if (p->partition == partition && strcmp(p->topic, topic) == 0)
			return p;
	}
	s->parts = xreallocarray(s->parts, s->nparts + 1, sizeof *s->parts);
	p = &s->parts[s->nparts++];
	memset(p, 0, sizeof *p);
	p->topic = xstrdup(topic);
	p->partition = partition;
	p->committed = p->low = p->high = p->lag = -1;
	p->owner = -1;
	return p;
}

/* True when s already has a partition of topic. */
static bool
describe_has_topic(const struct describe_snap *s, const char *topic)
{
	size_t i;

	for (i = 0; i < s->nparts; i++)
		if (strcmp(s->parts[i].topic, topic) == 0)
			return true;
	return false;
}

/* Admin options for op with the client's request timeout. */
static rd_kafka_AdminOptions_t *
describe_admin_options(struct describe_client *c, rd_kafka_t *rk,
    rd_kafka_admin_op_t op)
{
	rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);

	rd_kafka_AdminOptions_set_request_timeout(o, c->timeout_ms, NULL, 0);
	return o;
}


/* Wait for the admin result of type want; NULL (*err set) on failure. */
static rd_kafka_event_t *
describe_admin_wait(struct describe_client *c, rd_kafka_queue_t *q,
    rd_kafka_event_type_t want, char **err)
{
	rd_kafka_event_t *ev;

	ev = rd_kafka_queue_poll(q, c->timeout_ms + 2000);
	if (ev == NULL) {
		*err = xstrdup("no answer in time");
		return NULL;
	}
	if (rd_kafka_event_type(ev) != want) {
		xasprintf(err, "unexpected answer (%s)",
		    rd_kafka_event_name(ev));
		rd_kafka_event_destroy(ev);
		return NULL;
	}
	if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		xasprintf(err, "%s: %s",
		    rd_kafka_err2name(rd_kafka_event_error(ev)),
		    rd_kafka_event_error_string(ev));
		rd_kafka_event_destroy(ev);
		return NULL;
	}
	return ev;
}

#ifdef HAVE_RD_KAFKA_DESCRIBECONSUMERGROUPS
/* Note that the group description failed, and whether it is unsupported. */
static void
describe_group_failed(struct describe_snap *s, rd_kafka_resp_err_t code,
    const char *msg)
{
	s->unsupported = code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ||
	    code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION ||
	    code == RD_KAFKA_RESP_ERR_INVALID_REQUEST;
	xasprintf(&s->describe_error, "%s: %s", rd_kafka_err2name(code), msg);
}

/* A partition list as "topic[p],topic[q]", sorted (to be freed). */
static char *
describe_parts_text(const rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_topic_partition_list_t *sorted;
	struct partlist_item *v;
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "");
	if (l != NULL && l->cnt > 0) {
		sorted = rd_kafka_topic_partition_list_copy(l);
		rd_kafka_topic_partition_list_sort(sorted, NULL, NULL);
		v = partlist_from_rd(sorted);
		partlist_text(&b, v, (size_t)sorted->cnt, 0);
		free(v);
		rd_kafka_topic_partition_list_destroy(sorted);
	}
	return buf_steal(&b);
}

/* Copy one member and its assignment into s. */
static void
describe_group_member(struct describe_snap *s,
    const rd_kafka_MemberDescription_t *md)
{
	const rd_kafka_topic_partition_list_t *l;
	struct describe_member *m;
	struct describe_part *p;
	const char *iid;
	int i, index = (int)s->nmembers;

	s->members = xreallocarray(s->members, s->nmembers + 1,
	    sizeof *s->members);
	m = &s->members[s->nmembers++];
	memset(m, 0, sizeof *m);
	m->member_id = xstrdup(rd_kafka_MemberDescription_consumer_id(md));
	iid = rd_kafka_MemberDescription_group_instance_id(md);
	m->instance_id = iid != NULL && *iid != '\0' ? xstrdup(iid) : NULL;
	m->client_id = xstrdup(rd_kafka_MemberDescription_client_id(md));
	m->host = xstrdup(rd_kafka_MemberDescription_host(md));
	l = rd_kafka_MemberAssignment_partitions(
	    rd_kafka_MemberDescription_assignment(md));
	m->assignment = describe_parts_text(l);
#ifdef HAVE_RD_KAFKA_MEMBERDESCRIPTION_TARGET_ASSIGNMENT
	/* NULL for a classic group's members */
	if (rd_kafka_MemberDescription_target_assignment(md) != NULL)
		m->target = describe_parts_text(
		    rd_kafka_MemberAssignment_partitions(
		    rd_kafka_MemberDescription_target_assignment(md)));
#endif
	for (i = 0; l != NULL && i < l->cnt; i++) {
		p = describe_part_get(s, l->elems[i].topic,
		    l->elems[i].partition);
		p->owner = index;
		m->nparts++;
	}
}

/* DescribeConsumerGroups: state, assignor, coordinator, members. */
static void
describe_group(struct describe_client *c, struct describe_snap *s)
{
	const rd_kafka_ConsumerGroupDescription_t **groups, *g;
	const rd_kafka_error_t *gerr;
	const rd_kafka_Node_t *node;
	const char *name[1] = { c->group };
	rd_kafka_AdminOptions_t *opts;
	rd_kafka_event_t *ev;
	char *err = NULL;
	size_t i, n;

	opts = describe_admin_options(c, c->grk,
	    RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
	rd_kafka_DescribeConsumerGroups(c->grk, name, 1, opts, c->gqueue);
	rd_kafka_AdminOptions_destroy(opts);
	ev = describe_admin_wait(c, c->gqueue,
	    RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT, &err);
	if (ev == NULL) {
		s->describe_error = err;
		return;
	}
	groups = rd_kafka_DescribeConsumerGroups_result_groups(
	    rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
	if (n != 1)
		s->describe_error = xstrdup("no description in the answer");
	else if ((gerr = rd_kafka_ConsumerGroupDescription_error(
	    g = groups[0])) != NULL)
		describe_group_failed(s, rd_kafka_error_code(gerr),
		    rd_kafka_error_string(gerr));
	else {
		s->described = true;
		s->state = xstrdup(rd_kafka_consumer_group_state_name(
		    rd_kafka_ConsumerGroupDescription_state(g)));
		s->assignor = xstrdup(
		    rd_kafka_ConsumerGroupDescription_partition_assignor(g));
#ifdef HAVE_RD_KAFKA_CONSUMERGROUPDESCRIPTION_TYPE
		s->type = xstrdup(rd_kafka_ConsumerGroupDescription_type(g) ==
		    RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER ? "consumer" :
		    rd_kafka_ConsumerGroupDescription_type(g) ==
		    RD_KAFKA_CONSUMER_GROUP_TYPE_CLASSIC ? "classic" :
		    "unknown");
#endif
		if ((node = rd_kafka_ConsumerGroupDescription_coordinator(g))
		    != NULL) {
			s->coordinator_id = rd_kafka_Node_id(node);
			xasprintf(&s->coordinator, "%s:%u",
			    rd_kafka_Node_host(node),
			    (unsigned)rd_kafka_Node_port(node));
		}
		n = rd_kafka_ConsumerGroupDescription_member_count(g);
		for (i = 0; i < n; i++)
			describe_group_member(s,
			    rd_kafka_ConsumerGroupDescription_member(g, i));
	}
	rd_kafka_event_destroy(ev);
}
#else
/* This librdkafka has no DescribeConsumerGroups (2.0.0 added it). */
static void
describe_group(struct describe_client *c, struct describe_snap *s)
{
	s->unsupported = true;
	xasprintf(&s->describe_error, "librdkafka %s has no "
	    "DescribeConsumerGroups (2.0.0 or later has)", rd_kafka_version_str());
}
#endif

#ifdef HAVE_RD_KAFKA_LISTCONSUMERGROUPOFFSETS
/*
 * ListConsumerGroupOffsets: the committed offsets of the partitions in
 * want, or of every partition the group committed when want is NULL.
 * The number of committed offsets found.
 */
static size_t
describe_offsets(struct describe_client *c, struct describe_snap *s,
    const rd_kafka_topic_partition_list_t *want)
{
	const rd_kafka_group_result_t **res;
	const rd_kafka_topic_partition_list_t *l;
	const rd_kafka_error_t *gerr;
	rd_kafka_ListConsumerGroupOffsets_t *req;
	rd_kafka_AdminOptions_t *opts;
	rd_kafka_event_t *ev;
	struct describe_part *p;
	char *err = NULL;
	size_t n, found = 0;
	int i;

	req = rd_kafka_ListConsumerGroupOffsets_new(c->group, want);
	opts = describe_admin_options(c, c->rk,
	    RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
	rd_kafka_ListConsumerGroupOffsets(c->rk, &req, 1, opts, c->queue);
	rd_kafka_AdminOptions_destroy(opts);
	rd_kafka_ListConsumerGroupOffsets_destroy(req);
	ev = describe_admin_wait(c, c->queue,
	    RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT, &err);
	if (ev == NULL) {
		s->offsets_error = err;
		return 0;
	}
	res = rd_kafka_ListConsumerGroupOffsets_result_groups(
	    rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
	if (n != 1)
		s->offsets_error = xstrdup("no offsets in the answer");
	else if ((gerr = rd_kafka_group_result_error(res[0])) != NULL)
		xasprintf(&s->offsets_error, "%s: %s",
		    rd_kafka_err2name(rd_kafka_error_code(gerr)),
		    rd_kafka_error_string(gerr));
	else if ((l = rd_kafka_group_result_partitions(res[0])) != NULL) {
		for (i = 0; i < l->cnt; i++) {
			if (l->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR ||
			    l->elems[i].offset < 0)
				continue;
			p = describe_part_get(s, l->elems[i].topic,
			    l->elems[i].partition);
			p->committed = l->elems[i].offset;
			found++;
		}
	}
	rd_kafka_event_destroy(ev);
	return found;
}
#else
/* This librdkafka has no ListConsumerGroupOffsets (2.0.0 added it). */
static size_t
describe_offsets(struct describe_client *c, struct describe_snap *s,
    const rd_kafka_topic_partition_list_t *want)
{
	if (s->offsets_error == NULL)
		xasprintf(&s->offsets_error, "librdkafka %s has no "
		    "ListConsumerGroupOffsets (2.0.0 or later has)",
		    rd_kafka_version_str());
	return 0;
}
#endif

/*
 * The committed offsets of the group. The mock cluster answers nothing to
 * "all partitions" (an OffsetFetch without topics), so when that finds
 * none, ask again for every partition in the metadata.
 */
static void
describe_offsets_all(struct describe_client *c, struct describe_snap *s,
    const struct rd_kafka_metadata *md)
{
	rd_kafka_topic_partition_list_t *want;
	const struct rd_kafka_metadata_topic *t;
	int i, j;

	if (describe_offsets(c, s, NULL) > 0 || s->offsets_error != NULL)
		return;
	want = rd_kafka_topic_partition_list_new(16);
	for (i = 0; i < md->topic_cnt; i++) {
		t = &md->topics[i];
		if (strncmp(t->topic, "__", 2) == 0)
			continue;
		for (j = 0; j < t->partition_cnt; j++)
			rd_kafka_topic_partition_list_add(want, t->topic,
			    t->partitions[j].id);
	}
	if (want->cnt > 0)
		describe_offsets(c, s, want);
	rd_kafka_topic_partition_list_destroy(want);
}

/* True when the configured topics name topic (directly or by ^regex). */
static bool
describe_topic_wanted(const struct describe_client *c, const char *topic)
{
	regex_t re;
	size_t i;
	bool match;

	for (i = 0; i < c->ntopics; i++) {
		if (c->topics[i][0] != '^') {
			if (strcmp(c->topics[i], topic) == 0)
				return true;
			continue;
		}
		if (strncmp(topic, "__", 2) == 0 ||
		    regcomp(&re, c->topics[i], REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		match = regexec(&re, topic, 0, NULL, 0) == 0;
		regfree(&re);
		if (match)
			return true;
	}
	return false;
}

/* Add every partition of the topics the group reads, from metadata. */
static void
describe_add_topics(struct describe_client *c, struct describe_snap *s,
    const struct rd_kafka_metadata *md)
{
	const struct rd_kafka_metadata_topic *t;
	char *note;
	size_t i;
	int j;

	for (i = 0; i < c->ntopics; i++) {
		if (c->topics[i][0] == '^')
			continue;
		for (j = 0; j < md->topic_cnt; j++)
			if (strcmp(md->topics[j].topic, c->topics[i]) == 0)
				break;
		if (j < md->topic_cnt && md->topics[j].partition_cnt > 0)
			continue;
		xasprintf(&note, "topic %s is not in the cluster's metadata",
		    c->topics[i]);
		s->notes = xreallocarray(s->notes, s->nnotes + 1,
		    sizeof *s->notes);
		s->notes[s->nnotes++] = note;
	}
	for (j = 0; j < md->topic_cnt; j++) {
		t = &md->topics[j];
		if (!describe_has_topic(s, t->topic) &&
		    !describe_topic_wanted(c, t->topic))
			continue;
		for (i = 0; i < (size_t)t->partition_cnt; i++)
			describe_part_get(s, t->topic, t->partitions[i].id);
	}
}

/* Order partitions by topic, then by number. */
static int
describe_cmp_part(const void *a, const void *b)
{
	const struct describe_part *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);

	if (c != 0)
		return c;
	return x->partition < y->partition ? -1 : x->partition > y->partition;
}

/* Query each partition's watermarks, work out lag, add up the totals. */
static void
describe_watermarks(struct describe_client *c, struct describe_snap *s)
{
	rd_kafka_resp_err_t err;
	struct describe_part *p;
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		p = &s->parts[i];
		err = rd_kafka_query_watermark_offsets(c->rk, p->topic,
		    p->partition, &p->low, &p->high, c->timeout_ms);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			p->low = p->high = -1;
			p->error = xstrdup(rd_kafka_err2name(err));
		}
		if (p->committed >= 0 && p->high >= 0) {
			p->lag = p->high > p->committed ?
			    p->high - p->committed : 0;
			s->lag_total += p->lag;
		}
		if (p->committed >= 0)
			s->committed_total += p->committed;
		else
			s->no_commit++;
		if (p->high >= 0)
			s->end_total += p->high;
	}
}

#define DESCRIBE_MOCK_PREFIX "mockCluster"

/*
 * Why groups must not be described on this cluster (a string to free),
 * or NULL: librdkafka's mock cluster, told by its cluster id.
 */
static char *
describe_mock_reason(struct describe_client *c)
{
	char *id, *why = NULL;

	if ((id = rd_kafka_clusterid(c->rk, c->timeout_ms)) == NULL)
		return NULL;
	if (strncmp(id, DESCRIBE_MOCK_PREFIX,
	    strlen(DESCRIBE_MOCK_PREFIX)) == 0)
		xasprintf(&why, "librdkafka's mock cluster (cluster id %s): "
		    "DescribeConsumerGroups is not sent there, librdkafka "
		    "2.0.2 reads freed memory when it fails", id);
	rd_kafka_mem_free(c->rk, id);
	return why;
}

/* Ask the cluster everything describe shows, into s. */
void
describe_snap_take(struct describe_client *c, struct describe_snap *s)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;

	memset(s, 0, sizeof *s);
	s->ts = clock_wall_ms();
	s->group = xstrdup(c->group);
	s->bootstrap = xstrdup(c->bootstrap);
	s->coordinator_id = -1;
	s->lag_ms_max = -1;
	err = rd_kafka_metadata(c->rk, 1, NULL, &md, c->timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		xasprintf(&s->unreachable, "no metadata from %s within %d ms "
		    "(%s)", c->bootstrap, c->timeout_ms, rd_kafka_err2name(err));
		return;
	}
	describe_offsets_all(c, s, md);
	if (c->unsupported == NULL && !c->checked_mock) {
		c->checked_mock = true;
		c->unsupported = describe_mock_reason(c);
	}
	if (c->unsupported != NULL) {
		s->unsupported = true;
		s->describe_error = xstrdup(c->unsupported);
	} else {
		describe_group(c, s);
		if (s->unsupported) {
			/* leave the stuck handle to the exit (see above) */
			c->unsupported = xstrdup(s->describe_error);
			c->grk = NULL;
			c->gqueue = NULL;
		}
	}
	describe_add_topics(c, s, md);
	rd_kafka_metadata_destroy(md);
	/* owners are indexes into members, so sort before anything points
	   at parts */
	qsort(s->parts, s->nparts, sizeof *s->parts, describe_cmp_part);
	describe_watermarks(c, s);
	describe_lag_seconds(c->lrk, s, c->timeout_ms);
}

/* Free everything a snapshot holds. */
void
describe_snap_free(struct describe_snap *s)
{
	size_t i;

	for (i = 0; i < s->nmembers; i++) {
		free(s->members[i].member_id);
		free(s->members[i].instance_id);
		free(s->members[i].client_id);
		free(s->members[i].host);
		free(s->members[i].assignment);
		free(s->members[i].target);
	}
	for (i = 0; i < s->nparts; i++) {
		free(s->parts[i].topic);
		free(s->parts[i].error);
		free(s->parts[i].prev_owner);
	}
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->members);
	free(s->parts);
	free(s->notes);
	free(s->group);
	free(s->bootstrap);
	free(s->unreachable);
	free(s->describe_error);
	free(s->state);
	free(s->type);
	free(s->assignor);
	free(s->coordinator);
	free(s->offsets_error);
	memset(s, 0, sizeof *s);
}

/* The name a member goes by: its instance id, else its member id. */
const char *
describe_member_label(const struct describe_snap *s, int m)
{
	if (m < 0 || (size_t)m >= s->nmembers)
		return "-";
	return s->members[m].instance_id != NULL ?
	    s->members[m].instance_id : s->members[m].member_id;
}
