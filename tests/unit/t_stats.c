/*
 * t_stats.c: librdkafka's statistics document read down to what the
 * endpoint shows: desired partitions with position, committed offset and
 * lag, and the group's rebalance_cnt.
 */
#include "autoconf.h"

#include <string.h>

#include "stats.h"
#include "../tap.h"

/* Trimmed from a librdkafka 2.0.2 consumer's statistics. */
static const char stats_doc[] =
    "{\"name\":\"rdkafka#consumer-1\",\"type\":\"consumer\",\"ts\":1,"
    "\"brokers\":{},"
    "\"topics\":{\"orders\":{\"topic\":\"orders\",\"partitions\":{"
    "\"0\":{\"partition\":0,\"desired\":true,\"fetch_state\":\"active\","
    "\"app_offset\":120,\"stored_offset\":120,\"committed_offset\":100,"
    "\"hi_offset\":150,\"consumer_lag\":30},"
    "\"1\":{\"partition\":1,\"desired\":false,\"app_offset\":-1001,"
    "\"committed_offset\":-1001,\"consumer_lag\":-1},"
    "\"-1\":{\"partition\":-1,\"desired\":false}}},"
    "\"audit\":{\"topic\":\"audit\",\"partitions\":{"
    "\"3\":{\"partition\":3,\"desired\":true,\"app_offset\":-1001,"
    "\"committed_offset\":-1001,\"consumer_lag\":-1}}}},"
    "\"cgrp\":{\"state\":\"up\",\"join_state\":\"steady\","
    "\"rebalance_age\":5000,\"rebalance_cnt\":4,"
    "\"rebalance_reason\":\"group rejoin\",\"assignment_size\":2}}";

int
main(void)
{
	struct stats_result r;

	ok(stats_parse(stats_doc, strlen(stats_doc), &r),
	    "a statistics document parses");
	is_int(r.nparts, 2, "only the desired partitions are kept");
	is_str(r.parts[0].topic, "orders", "the first is of orders");
	is_int(r.parts[0].partition, 0, "partition 0");
	is_int(r.parts[0].position, 120, "its position is app_offset");
	is_int(r.parts[0].committed, 100, "its committed offset");
	is_int(r.parts[0].lag, 30, "its consumer_lag");
	is_str(r.parts[1].topic, "audit", "the second is of audit");
	is_int(r.parts[1].lag, -1, "an unknown lag stays -1");
	is_int(r.rebalance_cnt, 4, "cgrp.rebalance_cnt is read");
	stats_result_free(&r);

	ok(stats_parse("{}", 2, &r), "an empty object parses");
	is_int(r.nparts, 0, "with no partitions");
	is_int(r.rebalance_cnt, -1, "and no rebalance count (no group)");
	stats_result_free(&r);
	ok(!stats_parse("{\"topics\":", 10, &r), "a cut document is refused");
	stats_result_free(&r);
	return tap_done();
}
