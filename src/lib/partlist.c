/*
 * partlist.c: partition lists written as JSON or text, and the items of a
 * librdkafka partition list.
 *
 * Any thread; no state.
 */
#include "autoconf.h"

#include "buf.h"
#include "partlist.h"
#include "xmalloc.h"

/* Append a JSON array with one object per item: label and group when set,
   topic, partition, then num[i] named names[i] (names NULL-terminated). */
void
partlist_json(struct buf *b, const struct partlist_item *v, size_t n,
    const char *const *names)
{
	size_t i, j;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ",{" : "{");
		if (v[i].label != NULL) {
			buf_adds(b, "\"label\":");
			buf_json_cstr(b, v[i].label);
			buf_addc(b, ',');
		}
		if (v[i].group != NULL) {
			buf_adds(b, "\"group\":");
			buf_json_cstr(b, v[i].group);
			buf_addc(b, ',');
		}
		buf_adds(b, "\"topic\":");
		buf_json_cstr(b, v[i].topic);
		buf_printf(b, ",\"partition\":%d", (int)v[i].partition);
		for (j = 0; names != NULL && names[j] != NULL &&
		    j < PARTLIST_MAXNUM; j++)
			buf_printf(b, ",\"%s\":%lld", names[j],
			    (long long)v[i].num[j]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* Append topic[partition]@num0/num1/... for each item (the first nnum
   numbers), comma-separated. */
void
partlist_text(struct buf *b, const struct partlist_item *v, size_t n,
    size_t nnum)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		buf_printf(b, "%s%s[%d]", i > 0 ? "," : "", v[i].topic,
		    (int)v[i].partition);
		for (j = 0; j < nnum && j < PARTLIST_MAXNUM; j++)
			buf_printf(b, "%c%lld", j == 0 ? '@' : '/',
			    (long long)v[i].num[j]);
	}
}

/* The items of a librdkafka list (to be freed; at least one slot), num[0]
   its offset, -1 when it has none or an error. */
struct partlist_item *
partlist_from_rd(const rd_kafka_topic_partition_list_t *l)
{
	struct partlist_item *v;
	int i;

	v = xcalloc((size_t)(l->cnt > 0 ? l->cnt : 1), sizeof *v);
	for (i = 0; i < l->cnt; i++) {
		v[i].topic = l->elems[i].topic;
		v[i].partition = l->elems[i].partition;
		v[i].num[0] = l->elems[i].offset >= 0 &&
		    l->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR ?
		    l->elems[i].offset : -1;
	}
	return v;
}
