#!/bin/bash
# t_clean_start: a plain start and stop logs nothing at warn level or
# above, and nothing but JSON event lines: no library writes to standard
# error on its own (libmicrohttpd warned on every start when its logger
# was not the first option: issue 23), so alerts on warn lines stay quiet
# through a rollout. With the HTTP endpoint on, as in the shipped units.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock
ok "the cluster starts" mock_start orders:4
ORDERS=$(topic orders)
ok "40 messages are produced" produce "$ORDERS" 40
HTTP=
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" &&
    HTTP=http.listen=127.0.0.1:0
kc_member_config a "$(group clean)" "$ORDERS" consumers=2 $HTTP
kc_start a "$T/a.yaml"
ok "both members are assigned" \
    wait_event "$(kc_log a)" '.event == "assign"' 30 2
if [ -n "$HTTP" ]; then
	ok "the HTTP endpoint listens" \
	    wait_event "$(kc_log a)" '.event == "http_listen"' 10
else
	skip "built without libmicrohttpd" 1
fi
ok "every message reaches the sink" wait_sink_count 40 30 "$T/a.sink"
kc_stop a 20
is "$?" 0 "kconsumerd stops cleanly on SIGTERM"
is "$(count_events "$(kc_log a)" '.level == "warn" or .level == "error"')" 0 \
    "no line at warn level or above from start to stop"
is "$(grep -cv '^{' "$(kc_log a)")" 0 \
    "every line of standard error is a JSON event (no library wrote there)"
is "$(count_events "$(kc_log a)" '.event == "stop"')" 2 \
    "both members log their stop"
done_testing
