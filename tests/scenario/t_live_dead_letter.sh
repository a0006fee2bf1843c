#!/bin/bash
# t_live_dead_letter: sink.on_error dead_letter on a real broker, an exec
# sink under sink.per_record rejecting one poison record among 20. A
# dead-letter topic that does not exist is refused at start (exit 78, an
# error naming it) and nothing is read or committed: the next start, with
# a topic that exists, takes the 19 others from offset 0 and puts the
# poison record in the dead-letter topic with its key, value and header
# and the kconsumerd.* headers. A dead-letter topic deleted while
# kconsumerd runs: the dead letter fails, the process stops (exit 74,
# record_rejected naming the failure) without storing the poison
# record's offset; once the topic is back, a restart dead-letters it: no
# record lost. The mock cluster creates any topic asked for: this runs on
# a real broker only.

# shellcheck disable=SC2016,SC2086
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_live "the mock cluster creates any topic a producer asks for"
require_tools kcat jq

ok "topics in, dlq, in2 and dlq2 (1 partition each) are created" \
    cluster_start in:1 dlq:1 in2:1 dlq2:1
IN=$(topic in)
DLQ=$(topic dlq)
IN2=$(topic in2)
DLQ2=$(topic dlq2)
G=$(group dead)

# takes a record (appends it to $OUT), rejects a poison one (exit 3)
VERDICT=$(cd "$top_srcdir" && pwd)/tests/data/sink/verdict.sh

# The settings of member NAME in GROUP on TOPIC, dead letters to DLQ.
dl_config() {
	kc_member_config "$1" "$2" "$3" sink.type=exec sink.per_record=true \
	    sink.command="\"OUT=$T/$1.taken exec /bin/sh $VERDICT\"" \
	    sink.on_error=dead_letter sink.retry_max=0 \
	    sink.dead_letter.topic="$4" shutdown.timeout_ms=5000
}

ok "7 records are produced" produce "$IN" 7
ok "a poison record with a header is produced" \
    eval "echo kp:poison | lib_kcat -P -t $IN -K: -H origin=live"
ok "12 more are produced" produce "$IN" 12

ABSENT=$(topic absent-dlq)
dl_config missing "$G" "$IN" "$ABSENT"
kc_start missing "$T/missing.yaml"
kc_wait_exit missing 60
is "$KC_STATUS" 78 "a dead-letter topic that does not exist: exit 78 at start"
like "$(cat "$(kc_log missing)")" "dead-letter topic $ABSENT does not exist \\(UNKNOWN_TOPIC_OR_PART\\)" \
    "the error names the topic"
ok "nothing was read" eval '[ ! -s "$T/missing.taken" ]'
is "$(lib_kcat -L -t "$ABSENT" -J 2>/dev/null | jq -r '.topics[0].error // "none"')" \
    "Broker: Unknown topic or partition" "the check did not create the topic"

dl_config a "$G" "$IN" "$DLQ"
kc_start a "$T/a.yaml"
ok "the same group with a topic that exists takes the 19 good records" \
    wait_sink_count 19 60 "$T/a.taken"
is "$(sink_offsets "$T/a.taken" | awk '{ print $3 }' | sort -n | head -n 1)" 0 \
    "from offset 0: the refused start committed nothing"
ok "a dead_letter event names the poison record" \
    wait_event "$(kc_log a)" ".event == \"dead_letter\" and .topic == \"$IN\" and .offset == 7 and .destination == \"topic $DLQ\"" 30
kc_stop a 30
is "$KC_STATUS" 0 "the member stops cleanly"
lib_kcat -C -t "$DLQ" -o beginning -e -q -f 'key=%k value=%s headers=%h\n' \
    >"$T/dlq.out" 2>"$T/dlq.err"
is "$(wc -l <"$T/dlq.out")" 1 "the dead-letter topic holds one record"
like "$(cat "$T/dlq.out")" "^key=kp value=poison headers=origin=live,kconsumerd.topic=$IN,kconsumerd.partition=0,kconsumerd.offset=7,kconsumerd.error=the command exited with status 3\$" \
    "with its key, value, header and the kconsumerd.* headers"

# the dead-letter topic deleted at run time (Kafka's TopicCommand, which
# needs the host's Java: a Debian root of release_check.sh has none)
if [ -z "${KAFKA_LOCAL:-}" ] || ! command -v java >/dev/null; then
	skip "needs lab/kafka-local and Java to delete a topic" 11
else
	G2=$(group dead2)
	dl_config b "$G2" "$IN2" "$DLQ2"
	kc_start b "$T/b.yaml"
	ok "b is assigned" wait_event "$(kc_log b)" '.event == "assign" and .assignment == 1' 60
	"$KAFKA_LOCAL" run org.apache.kafka.tools.TopicCommand \
	    --bootstrap-server "$BOOTSTRAP" --delete --topic "$DLQ2" >"$T/delete.out" 2>&1
	ok_status $? "the dead-letter topic is deleted"
	ok "3 records, a poison one and 3 more are produced" eval \
	    'produce "$IN2" 3 && echo kq:poison | lib_kcat -P -t "$IN2" -K: && produce "$IN2" 3'
	kc_wait_exit b 180
	is "$KC_STATUS" 74 "the dead letter fails: the process stops (exit 74)"
	ok "a record_rejected event names the poison record and the failure" \
	    wait_event "$(kc_log b)" ".event == \"record_rejected\" and .offset == 3 and (.dead_letter_error | test(\"$DLQ2\"))" 5
	is "$(sink_offsets "$T/b.taken" | awk '{ print $3 }' | paste -sd,)" 0,1,2 \
	    "the records before it were taken, not it nor any after"
	ok "the dead-letter topic is created again" cluster_start dlq2:1
	mv "$(kc_log b)" "$T/b.first.log"
	kc_start b "$T/b.yaml"
	ok "after a restart the poison record is dead-lettered" \
	    wait_event "$(kc_log b)" '.event == "dead_letter" and .offset == 3' 90
	ok "and the 3 after it are taken" wait_sink_count 6 60 "$T/b.taken"
	kc_stop b 30
	is "$KC_STATUS" 0 "the restart stops cleanly"
	is "$(lib_kcat -C -t "$DLQ2" -o beginning -e -q -f '%h\n' | grep -c 'kconsumerd.offset=3,')" 1 \
	    "the dead-letter topic holds it"
fi
done_testing
