#!/bin/bash
# t_sink_json: the JSON sink writes each record exactly as kconsumerd(8)
# and kconsumerd.conf(5) say: null and empty keys and values kept apart,
# non-UTF-8 bytes as key_b64/value_b64, a multi-kilobyte value whole,
# headers in order, JSON escapes; and sink.format text expands a template
# kcat-style (%t %p %o %k %s %K %S %T %h).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tools kcat jq mock

ok "the cluster starts with topic rec (1 partition)" cluster_start -b 1 rec:1
REC=$(topic rec)

# Produce to partition 0 of rec with kcat: P KCAT-ARGS... (stdin: input).
P() {
	lib_kcat -P -t "$REC" -p 0 -X message.timeout.ms=30000 "$@"
}
BIG=$(for i in $(seq 600); do printf 0123456789; done)
printf '\xff\x00\x01##\xc3\x28@@@' >"$T/binary.in"
produced_all() {
	echo plain | P &&                           # 0: null key
	    echo ":" | P -K: &&                     # 1: empty key, empty value
	    echo ":" | P -K: -Z &&                  # 2: null key, null value
	    echo "k3:" | P -K: &&                   # 3: key, empty value
	    P -K '##' -D '@@@' -l "$T/binary.in" &&  # 4: binary key and value
	    echo "big:$BIG" | P -K: &&              # 5: 6000-byte value
	    echo "hk:hv" | P -K: -H h1=v1 -H h2= -H h3=x=y && # 6: headers
	    printf 'q:say "hi"\tback\\slash \303\251 \001\n' | P -K: # 7: escapes
}
ok "8 records are produced with kcat (null, empty, binary, big, headers)" produced_all

# The timestamps, as kcat reads them back (offset -> timestamp).
lib_kcat -C -t "$REC" -o beginning -e -q -f '%o %T\n' >"$T/ts"
ts() { awk -v o="$1" '$1 == o { print $2 }' "$T/ts"; }
is "$(wc -l <"$T/ts")" 8 "kcat reads back 8 records"
R="\"topic\":\"$REC\",\"partition\":0"
EXPECTED=(
	"{$R,\"offset\":0,\"timestamp\":$(ts 0),\"key\":null,\"value\":\"plain\"}"
	"{$R,\"offset\":1,\"timestamp\":$(ts 1),\"key\":\"\",\"value\":\"\"}"
	"{$R,\"offset\":2,\"timestamp\":$(ts 2),\"key\":null,\"value\":null}"
	"{$R,\"offset\":3,\"timestamp\":$(ts 3),\"key\":\"k3\",\"value\":\"\"}"
	"{$R,\"offset\":4,\"timestamp\":$(ts 4),\"key_b64\":\"/wAB\",\"value_b64\":\"wyg=\"}"
	"{$R,\"offset\":5,\"timestamp\":$(ts 5),\"key\":\"big\",\"value\":\"$BIG\"}"
	"{$R,\"offset\":6,\"timestamp\":$(ts 6),\"key\":\"hk\",\"value\":\"hv\",\"headers\":[{\"name\":\"h1\",\"value\":\"v1\"},{\"name\":\"h2\",\"value\":\"\"},{\"name\":\"h3\",\"value\":\"x=y\"}]}"
)
WHAT=(
	"a null key is null"
	"an empty key and an empty value are \"\", not null"
	"a null key and a null value (kcat -Z) are null"
	"an empty value with a key is \"\""
	"a non-UTF-8 key and value are key_b64 and value_b64"
	"a 6000-byte value is written whole"
	"headers are an array of {name, value} in order, an empty value \"\""
)

kc_member_config j "$(group json)" "$REC" sink.type=stdout sink.format=json
kc_start j "$T/j.yaml"
ok "the JSON sink (stdout) gets all 8 records" wait_sink_count 8 30 "$T/j.out"
kc_stop j 20
is "$?" 0 "kconsumerd exits 0 on SIGTERM"
is "$(wc -l <"$T/j.out")" 8 "stdout holds exactly 8 lines"
for i in "${!EXPECTED[@]}"; do
	is "$(sed -n "$((i + 1))p" "$T/j.out")" "${EXPECTED[i]}" \
	    "offset $i: ${WHAT[i]} (the whole line)"
done
is "$(sed -n 8p "$T/j.out" | jq -c --sort-keys .)" \
    "$(jq -nc --sort-keys --arg t "$REC" --argjson ts "$(ts 7)" \
        '{topic: $t, partition: 0, offset: 7, timestamp: $ts, key: "q",
          value: "say \"hi\"\tback\\slash \u00e9 \u0001"}')" \
    "offset 7: quotes, tab, backslash, UTF-8 and a control byte survive JSON escaping"
like "$(sed -n 8p "$T/j.out")" '\\"hi\\"\\tback\\\\slash .* \\u0001"' \
    "and are escaped as \\\" \\t \\\\ \\u0001"

kc_member_config t "$(group text)" "$REC" sink.path="$T/text.sink" \
    sink.format=text 'sink.template="%t|%p|%o|%k|%s|%K|%S|%T|%h|%%"'
kc_start t "$T/t.yaml"
ok "the text sink gets 8 lines" wait_line "$T/text.sink" "^$REC\\|0\\|" 30 8
kc_stop t 20
is "$?" 0 "the text-sink run exits 0 on SIGTERM"
is "$(sed -n 4p "$T/text.sink")" "$REC|0|3|k3||2|0|$(ts 3)||%" \
    "the template expands topic, partition, offset, key, value, lengths, timestamp, %%"
is "$(sed -n 7p "$T/text.sink")" "$REC|0|6|hk|hv|2|2|$(ts 6)|h1=v1,h2=,h3=x=y|%" \
    "%h prints the headers as name=value joined by commas, as kcat does"
is "$(sed -n 6p "$T/text.sink")" "$REC|0|5|big|$BIG|3|6000|$(ts 5)||%" \
    "a 6000-byte value comes out whole on one line"
is "$(wc -l <"$T/text.sink")" 8 "the text sink holds one line per record"

done_testing
