# tests/lib/kafka.sh: a real Kafka of lab/kafka-local: its brokers'
# logs, Kafka's own tools, a cluster of the script's own.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- real Kafka
# On lab/kafka-local's clusters the brokers' own logs are evidence: Kafka
# logs every "Preparing to rebalance group G", every static member's
# rejoin and every member removal with its reason.

# True when the brokers' logs are at hand (a lab/kafka-local cluster).
has_broker_log() {
	[ -n "$LIB_KAFKA_DIR" ]
}

# ok SENTENCE CMD... where CMD reads the brokers' logs; a skip on a
# cluster whose logs are not at hand (KAFKA_BOOTSTRAP's).
ok_broker() {
	if has_broker_log; then
		ok "$@"
	else
		skip "no broker log: the cluster is not lab/kafka-local's"
	fi
}

# Print the brokers' log lines that name consumer group GROUP, every node,
# oldest first (pure): broker_group_lines GROUP.
broker_group_lines() {
	[ -n "$LIB_KAFKA_DIR" ] || return 1
	grep -hF -e " group $1 " -e " group $1." -e " group $1," -e "[GroupId $1]" \
	    "$LIB_KAFKA_DIR"/node-*/server.log 2>/dev/null | sort -s -k1,1
}

# Print how many of GROUP's broker log lines match the ERE (pure):
# broker_count GROUP ERE.
broker_count() {
	broker_group_lines "$1" | grep -cE -e "$2"
}

# Wait until MIN of GROUP's broker log lines match the ERE:
# broker_wait GROUP ERE [DEADLINE_S=30] [MIN=1].
broker_wait() {
	local g=$1 re=$2 deadline=${3:-30} min=${4:-1}
	lib_wait_count "$deadline" "$min" broker_count "$g" "$re" && return 0
	diag "broker_wait: $LIB_COUNT of $min broker log lines match /$re/ for group $g after $deadline s; its last lines:" \
	    "$(broker_group_lines "$g" | tail -n 10 | cut -c1-400 | sed 's/^/    /')"
	return 1
}

# Show GROUP's broker log lines as TAP diagnostics, the last N (default 20).
broker_diag() {
	has_broker_log || return 0
	diag "the broker's log for group $1:" \
	    "$(broker_group_lines "$1" | tail -n "${2:-20}" | sed -E 's/^\[[^]]*T([^]]*)\] INFO \[GroupCoordinator[^]]*\] /    \1 /; s/ \(org\.apache[^)]*\)$//' | cut -c1-300)"
}

# Run Kafka's own consumer-group tool on the cluster (prints its output):
# kafka_groups ARGS... (e.g. --describe --group G --members --verbose).
kafka_groups() {
	"$KAFKA_LOCAL" run org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
	    --bootstrap-server "$BOOTSTRAP" "$@"
}

# Start a cluster of NODES (1 or 3) of this script's own, in place of the
# shared one (after require_live), stopped on exit; its logs are the
# broker logs: kafka_own_start NODES.
kafka_own_start() {
	local dir
	dir=$(mktemp -d "/dev/shm/kct-$LIB_NAME.XXXXXX" 2>/dev/null ||
	    mktemp -d "$T/kafka.XXXXXX") || return 1
	LIB_OWN_KAFKA_DIR=$dir
	# a second try on new ports if the first start fails
	"$KAFKA_LOCAL" -d "$dir" start -n "$1" >"$T/kafka-own.bootstrap" \
	    2>"$T/kafka-own.err" ||
	    "$KAFKA_LOCAL" -d "$dir" start -n "$1" >"$T/kafka-own.bootstrap" \
	    2>>"$T/kafka-own.err" || {
		diag "kafka_own_start: the cluster did not start:" \
		    "$(tail -n 20 "$T/kafka-own.err")"
		return 1
	}
	KAFKA_BOOTSTRAP=$(cat "$T/kafka-own.bootstrap")
	LIB_KAFKA_DIR=$dir
}

# Run lab/kafka-local on this script's own cluster: kafka_own ARGS...
kafka_own() {
	"$KAFKA_LOCAL" -d "$LIB_OWN_KAFKA_DIR" "$@"
}
