# tests/lib/sink.sh: sink files: the records they hold, delivery
# checks, and when each record arrived.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- consume, sinks

# Sink-format JSON line template for kcat -f (topic, partition, offset...).
LIB_KCAT_SINK_FMT='{"topic":"%t","partition":%p,"offset":%o,"timestamp":%T,"key":"%k","value":"%s"}\n'

# Print every message of TOPIC now in the log as sink JSON lines (pure):
# consume_all TOPIC. Within 30 s: while a producer still writes, kcat -e
# may never see the end of a partition (librdkafka 2.14's fetches keep
# returning new records), and a wait around this must keep its deadline.
consume_all() {
	# shellcheck disable=SC2086
	timeout 30 "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -C -t "$1" -o beginning \
	    -e -q -f "$LIB_KCAT_SINK_FMT"
}

# Start a kcat balanced consumer NAME in GROUP writing sink JSON lines to
# $T/NAME.out: kcat_group NAME GROUP TOPIC...
kcat_group() {
	local name=$1 grp=$2 session=3000
	shift 2
	is_live && session=6000
	proc_start "$name" "$T/$name.out" "$T/$name.err" \
	    "$KCAT" -b "$BOOTSTRAP" $KCAT_OPTS -G "$grp" -q -u \
	    -X auto.offset.reset=earliest -X session.timeout.ms=$session \
	    -X heartbeat.interval.ms=500 -f "$LIB_KCAT_SINK_FMT" "$@"
}

# Print "topic partition offset" for each record of the sink files,
# sorted, duplicates kept (pure): sink_offsets FILE...
sink_offsets() {
	cat "$@" 2>/dev/null | jq -rR '(try fromjson catch null) | objects |
	    "\(.topic) \(.partition) \(.offset)"' | sort -k1,1 -k2,2n -k3,3n
}

# Print how many records the sink files hold, duplicates counted (pure).
sink_count() {
	sink_offsets "$@" | wc -l
}

# Print how many distinct (topic, partition, offset) the sink files hold.
sink_distinct() {
	sink_offsets "$@" | uniq | wc -l
}

# Print how many partitions of sink FILE (one topic) do not hold a run of
# offsets from 0 without a gap (pure): sink_gaps FILE.
sink_gaps() {
	jq -r '"\(.partition) \(.offset)"' "$1" | sort -n -k1,1 -k2,2 |
	    awk '$1 != p { if (p != "" && n != max + 1) bad++; p = $1; n = 0 }
		{ if ($2 != n) bad++; n++; max = $2 }
		END { if (p != "" && n != max + 1) bad++; print bad + 0 }'
}

# Print "PARTITION NEXT" for each partition of sink FILE (one topic), NEXT
# one past its last record, sorted (pure): sink_next FILE.
sink_next() {
	jq -r '"\(.partition) \(.offset)"' "$1" |
	    awk '{ if (!($1 in m) || $2 > m[$1]) m[$1] = $2 }
		END { for (p in m) print p, m[p] + 1 }' | sort -n
}

# Print "PARTITION OFFSET" for each offset above 0 the stop events of LOG
# say was committed, sorted (pure): stop_committed LOG.
stop_committed() {
	jq -r 'select(.event == "stop") | .committed[] | select(.offset > 0) |
	    "\(.partition) \(.offset)"' "$1" | sort -n
}

# Check a kconsumerd -n N run, with TAP assertions: its sink FILE (one
# topic) holds exactly N records, from several partitions, each
# partition's a run from offset 0 without a gap; the stop events of LOG
# count N messages and committed one past the last record of each
# partition: count_run_ok LOG FILE N.
count_run_ok() {
	local log=$1 sink=$2 n=$3
	is "$(wc -l <"$sink")" "$n" "the sink holds exactly $n lines"
	is "$(sink_distinct "$sink")" "$n" "and $n distinct offsets"
	is "$(jq -s '[.[] | select(.event == "stop") | .messages] | add' "$log")" \
	    "$n" "the stop events count $n messages"
	cmp_ok "$(jq -r .partition "$sink" | sort -u | wc -l)" -ge 2 \
	    "records came from several partitions"
	is "$(sink_gaps "$sink")" 0 \
	    "each partition's records start at offset 0 and have no gap"
	is "$(stop_committed "$log")" "$(sink_next "$sink")" \
	    "the committed offsets are, per partition, one past the last record written"
}

# Wait until the sink files hold at least N distinct records (duplicates
# from a rebalance do not count): wait_sink_count N DEADLINE_S FILE...
wait_sink_count() {
	local want=$1 deadline=$2 n=0 files
	shift 2
	files=("$@")
	wait_until "$deadline" eval \
	    'n=$(sink_distinct "${files[@]}"); [ "$n" -ge "$want" ]' &&
	    return 0
	diag "wait_sink_count: $n of $want distinct records in $* after $deadline s"
	return 1
}

# Print "topic partition low end" for each partition of TOPIC (pure).
log_offsets() {
	local parts p args=()
	parts=$(lib_kcat -L -t "$1" -J 2>/dev/null |
	    jq -r '.topics[0].partitions[]?.partition') || return 1
	[ -n "$parts" ] || return 1
	for p in $parts; do
		args+=(-t "$1:$p:-2")
	done
	lib_kcat -Q "${args[@]}" >"$T/lo.$$" || return 1
	args=()
	for p in $parts; do
		args+=(-t "$1:$p:-1")
	done
	lib_kcat -Q "${args[@]}" >"$T/hi.$$" || return 1
	awk 'FNR == NR { gsub(/[][]/, "", $2); lo[$1 " " $2] = $4; next }
	    { gsub(/[][]/, "", $2); print $1, $2, lo[$1 " " $2] + 0, $4 }' \
	    "$T/lo.$$" "$T/hi.$$"
	rm -f "$T/lo.$$" "$T/hi.$$"
}

# Follow sink FILE (from its start, across appends) in the background as
# NAME, writing "ARRIVAL_MS PARTITION OFFSET" a record to $T/NAME.stamps
# (arrival = when the line showed up in the file, 50 ms resolution; the
# sink's own timestamp is the producer's). FILE holds sink JSON lines or
# Kafka's console consumer output with print.partition and print.offset
# ("Partition:P<tab>Offset:O..."): sink_stamp NAME FILE.
sink_stamp() {
	proc_start "$1" "$T/$1.stamps" "$T/$1.stamp.err" perl -MTime::HiRes=time,sleep -e '
	    my ($f, $fh, $buf) = ($ARGV[0], undef, "");
	    $| = 1;
	    sleep 0.05 until open($fh, "<", $f);
	    while (1) {
		my $l = <$fh>;
		if (!defined $l) { sleep 0.05; seek($fh, 0, 1); next; }
		$buf .= $l;
		next unless $buf =~ /\n\z/;
		printf "%d %d %d\n", time * 1000, $1, $2
		    if $buf =~ /partition"?:(\d+)[,\t]"?offset"?:(\d+)/i;
		$buf = "";
	    }' "$2"
}

# Print "GAP_MS PARTITION": the longest time any partition went without
# progress (a record past the highest offset seen for it arriving in a
# sink) between FROM_MS and TO_MS (epoch ms; a gap still open at TO_MS
# counts), from sink_stamp files (pure): stamp_max_gap FROM_MS TO_MS STAMPS...
stamp_max_gap() {
	local from=$1 to=$2
	shift 2
	sort -s -n -k1,1 "$@" | awk -v from="$from" -v to="$to" '
	    $1 > to { next }
	    {
		if (!($2 in last)) { last[$2] = from; max[$2] = -1 }
		if ($3 <= max[$2]) next
		max[$2] = $3
		if ($1 >= from && $1 - last[$2] > best) { best = $1 - last[$2]; bp = $2 }
		if ($1 > last[$2]) last[$2] = $1
	    }
	    END {
		for (p in last) if (to - last[p] > best) { best = to - last[p]; bp = p }
		printf "%d %s\n", best, bp
	    }'
}

# Check that the sink files hold every message in the log of each topic
# they name, EXPECTED_TOTAL in all, and count duplicates; sets
# DELIVERY_UNIQUE, DELIVERY_MISSING, DELIVERY_DUPLICATES:
# check_delivery EXPECTED_TOTAL FILE...
check_delivery() {
	local want=$1 recs total topics t logged=0 st=0
	shift
	recs=$T/delivery.$$
	sink_offsets "$@" >"$recs.all"
	sort -u -k1,1 -k2,2n -k3,3n "$recs.all" >"$recs.uniq"
	total=$(wc -l <"$recs.all")
	DELIVERY_UNIQUE=$(wc -l <"$recs.uniq")
	DELIVERY_DUPLICATES=$((total - DELIVERY_UNIQUE))
	DELIVERY_MISSING=0
	topics=$(cut -d' ' -f1 "$recs.uniq" | sort -u)
	: >"$recs.log"
	for t in $topics; do
		log_offsets "$t" >>"$recs.log" ||
		    { diag "check_delivery: no offsets for $t"; st=1; }
	done
	awk 'FNR == NR { have[$1 " " $2 " " $3] = 1; next }
	    { for (o = $3; o < $4; o++) if (!have[$1 " " $2 " " o])
		print $1, $2, o }' "$recs.uniq" "$recs.log" >"$recs.missing"
	DELIVERY_MISSING=$(wc -l <"$recs.missing")
	logged=$(awk '{ n += $4 - $3 } END { print n + 0 }' "$recs.log")
	diag "delivery: expected $want, log holds $logged, sinks hold $DELIVERY_UNIQUE distinct + $DELIVERY_DUPLICATES duplicates, $DELIVERY_MISSING missing"
	if [ "$DELIVERY_MISSING" -gt 0 ]; then
		diag "missing (topic partition offset), first 10:" \
		    "$(head -n 10 "$recs.missing")"
		st=1
	fi
	[ "$logged" -eq "$want" ] || {
		diag "the log holds $logged messages, not $want"; st=1; }
	[ "$DELIVERY_UNIQUE" -eq "$want" ] || st=1
	rm -f "$recs".*
	return "$st"
}

# ---------------------------------------------------------------- arrivals
# When did each record reach a sink? The sink format has only the
# record's own timestamp (the producer's), so sink_stamp (above) follows
# a sink file and notes each record's arrival.

# Print how many records of PARTITIONS (space-separated) that sink_stamp
# NAME saw arrived between FROM_MS and TO_MS (pure): arrivals_between NAME
# FROM TO PARTITIONS.
arrivals_between() {
	awk -v a="$2" -v b="$3" -v ps=" $4 " \
	    'index(ps, " " $2 " ") && $1 >= a && $1 <= b { n++ } END { print n + 0 }' \
	    "$T/$1.stamps" 2>/dev/null || echo 0
}
