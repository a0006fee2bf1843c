#!/bin/bash
# t_dead_letter: sink.on_error on the mock cluster, with an exec sink under
# sink.per_record whose command rejects (exits 3 for) one poison record
# among 20. stop: the process stops at it (exit 74, a record_rejected
# event), the records before it are taken and it is not. retry: it is
# tried 1 + sink.retry_max times, then the process stops. dead_letter to a
# file: the other 19 are taken, the poison record is in the file in the
# sink's format, a dead_letter event names it, the counter is 1.
# dead_letter to a topic: read back with kcat, it has its key, value and
# header, and the headers naming its origin and the error (a dead-letter
# topic that does not exist: t_live_dead_letter, the mock creates every
# topic asked for). kill -9 while records are being dead-lettered loses none: each
# is in the sink, in the dead-letter topic, or read again after a restart.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topics in (1 partition), dlq (1), many (1), dlq2 (1)" \
    cluster_start -b 1 in:1 dlq:1 many:1 dlq2:1
IN=$(topic in)
DLQ=$(topic dlq)

# the command: takes a record by appending it to $OUT, rejects a poison
# one (counted in $TRIES)
VERDICT=$(cd "$top_srcdir" && pwd)/tests/data/sink/verdict.sh

# The settings of member NAME: per-record exec sink writing $T/NAME.taken.
verdict_config() {
	local name=$1 grp=$2 topic=$3
	shift 3
	kc_member_config "$name" "$(group "$grp")" "$topic" sink.type=exec \
	    sink.per_record=true shutdown.timeout_ms=3000 \
	    sink.command="\"OUT=$T/$name.taken TRIES=$T/$name.tries exec /bin/sh $VERDICT\"" \
	    "$@"
}

ok "7 records are produced" produce "$IN" 7
ok "a poison record with a header is produced" \
    eval "echo kp:poison | lib_kcat -P -t $IN -K: -H origin=t_dead_letter"
ok "12 more are produced" produce "$IN" 12

# stop (the default)
verdict_config stop stop "$IN"
kc_start stop "$T/stop.yaml"
kc_wait_exit stop 60
is "$KC_STATUS" 74 "on_error stop: the process stops at the poison record (exit 74)"
ok "a record_rejected event names it and the command's status" \
    wait_event "$(kc_log stop)" ".event == \"record_rejected\" and .topic == \"$IN\" and .partition == 0 and .offset == 7 and .attempts == 1 and (.error | test(\"status 3\"))" 5
is "$(sink_offsets "$T/stop.taken" | awk '{ print $3 }' | paste -sd,)" 0,1,2,3,4,5,6 \
    "the records before it are taken, not it nor any after"
is "$(wc -l <"$T/stop.tries")" 1 "it was tried once"

# retry
verdict_config retry retry "$IN" sink.on_error=retry sink.retry_max=2 \
    sink.retry_backoff_ms=100
kc_start retry "$T/retry.yaml"
kc_wait_exit retry 60
is "$KC_STATUS" 74 "on_error retry: the process stops after the retries (exit 74)"
is "$(wc -l <"$T/retry.tries")" 3 "the poison record was tried 1 + retry_max times"
ok "the record_rejected event counts 3 attempts" \
    wait_event "$(kc_log retry)" '.event == "record_rejected" and .offset == 7 and .attempts == 3' 5
is "$(sink_count "$T/retry.taken")" 7 "no record after it is taken"

# dead_letter to a file
verdict_config file file "$IN" sink.on_error=dead_letter sink.retry_max=1 \
    sink.retry_backoff_ms=50 sink.dead_letter.path="$T/dead.jsonl"
kc_start file "$T/file.yaml"
ok "dead_letter file: the 19 good records are taken" \
    wait_sink_count 19 60 "$T/file.taken"
ok "a dead_letter event names the record, the error and the file" \
    wait_event "$(kc_log file)" ".event == \"dead_letter\" and .topic == \"$IN\" and .offset == 7 and .attempts == 2 and .destination == \"file $T/dead.jsonl\" and (.error | test(\"status 3\"))" 10
is "$(jq -c '[.topic, .partition, .offset, .key, .value]' "$T/dead.jsonl")" \
    "[\"$IN\",0,7,\"kp\",\"poison\"]" \
    "the dead-letter file holds the record, in the sink's format"
is "$(sink_offsets "$T/file.taken" | awk '$3 == 7' | wc -l)" 0 \
    "the sink did not take it"
kc_stop file 20
is "$KC_STATUS" 0 "the member stops cleanly"

# dead_letter to a topic, with the counter on /metrics when built with it
HTTP=
grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" &&
    [ -n "${CURL:-$(command -v curl)}" ] && HTTP=http.listen=127.0.0.1:0
verdict_config topic topic "$IN" sink.on_error=dead_letter sink.retry_max=0 \
    sink.dead_letter.topic="$DLQ" $HTTP
kc_start topic "$T/topic.yaml"
ok "dead_letter topic: the 19 good records are taken" \
    wait_sink_count 19 60 "$T/topic.taken"
ok "a dead_letter event names the topic" \
    wait_event "$(kc_log topic)" ".event == \"dead_letter\" and .offset == 7 and .destination == \"topic $DLQ\"" 10
if [ -n "$HTTP" ]; then
	ok "topic serves HTTP" wait_event "$(kc_log topic)" '.event == "http_listen" and .port > 0' 10
	is "$("${CURL:-curl}" -s --max-time 10 "http://127.0.0.1:$(http_port topic)/metrics" |
	    grep '^kconsumerd_dead_letter_records_total ')" \
	    "kconsumerd_dead_letter_records_total 1" "the counter is 1"
else
	skip "built without libmicrohttpd: no /metrics" 2
fi
kc_stop topic 20
is "$KC_STATUS" 0 "the member stops cleanly"
lib_kcat -C -t "$DLQ" -o beginning -e -q -f 'key=%k value=%s headers=%h\n' \
    >"$T/dlq.out" 2>"$T/dlq.err"
is "$(wc -l <"$T/dlq.out")" 1 "the dead-letter topic holds one record"
like "$(cat "$T/dlq.out")" "^key=kp value=poison headers=" "with the record's key and value"
like "$(cat "$T/dlq.out")" "origin=t_dead_letter" "its own header"
like "$(cat "$T/dlq.out")" "kconsumerd.topic=$IN,kconsumerd.partition=0,kconsumerd.offset=7,kconsumerd.error=the command exited with status 3" \
    "and headers naming its origin and the error"

# kill -9 while records are dead-lettered: none lost
MANY=$(topic many)
DLQ2=$(topic dlq2)
cat >"$T/every3.sh" <<'SH'
line=$(cat)
o=${line#*\"offset\":}
o=${o%%,*}
sleep 0.02
[ $((o % 3)) -eq 0 ] && exit 5
printf '%s\n' "$line" >>"$OUT"
SH
ok "300 records are produced to many" produce "$MANY" 300
kc_member_config k9 "$(group k9)" "$MANY" sink.type=exec sink.per_record=true \
    sink.command="\"OUT=$T/k9.taken exec /bin/sh $T/every3.sh\"" \
    sink.on_error=dead_letter sink.retry_max=0 sink.dead_letter.topic="$DLQ2"
kc_start k9 "$T/k9.yaml"
ok "some records were dead-lettered" \
    wait_event "$(kc_log k9)" '.event == "dead_letter" and .offset >= 30' 60
kc_kill k9
mv "$(kc_log k9)" "$T/k9.first.log"
kc_start k9 "$T/k9.yaml"
ok "after a restart the last rejected record is dead-lettered" \
    wait_event "$(kc_log k9)" '.event == "dead_letter" and .offset == 297' 120
ok "and the 200 others are taken" \
    wait_until 60 eval '[ "$(sink_distinct "$T/k9.taken")" -eq 200 ]'
kc_stop k9 20
is "$KC_STATUS" 0 "the restart stops cleanly"
lib_kcat -C -t "$DLQ2" -o beginning -e -q -f '%h\n' |
    sed -n 's/.*kconsumerd.offset=\([0-9]*\).*/\1/p' | sort -un >"$T/k9.dead"
sink_offsets "$T/k9.taken" | awk '{ print $3 }' | sort -un >"$T/k9.offsets"
is "$(sort -n -u "$T/k9.dead" "$T/k9.offsets" | wc -l)" 300 \
    "every offset of the 300 is in the sink or the dead-letter topic"
is "$(wc -l <"$T/k9.dead")" 100 "the dead-letter topic holds exactly the rejected ones"

done_testing
