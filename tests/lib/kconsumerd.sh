# tests/lib/kconsumerd.sh: kconsumerd configuration files and the
# kconsumerd processes a script runs.
#
# Sourced by tests/lib.sh only (it sets the environment and state these
# functions use; see there and tests/README.md).

# shellcheck shell=bash disable=SC2016,SC2034,SC2086

# ---------------------------------------------------------------- kconsumerd

# Write $T/NAME.yaml from standard input: kc_config NAME <<EOF ... EOF.
kc_config() {
	cat >"$T/$1.yaml"
}

# Write $T/NAME.yaml for a group member on the standard test settings,
# each SETTING=VALUE replacing a standard value or adding one:
# kc_member_config NAME GROUP TOPIC [SETTING=VALUE...]. The standard:
#   kafka.bootstrap.servers=$BOOTSTRAP group.id=GROUP
#   group.session_timeout_ms=6000 group.heartbeat_interval_ms=1000
#   topics=["TOPIC"] log.format=json sink.type=file sink.path=$T/NAME.sink
# A SETTING is SECTION.KEY as in kconsumerd.conf(5) (kafka.KEY for a
# librdkafka property) or a top-level key (consumers). VALUE is written
# as is: quote it where YAML needs it ('group.instance_id="%h-kc-%i"').
# Setting sink.type drops the standard sink.path. Empty arguments are
# ignored (for "${X:+SETTING=$X}").
kc_member_config() {
	local name=$1 arg key i found sec open secs=" "
	local keys=(kafka.bootstrap.servers group.id group.session_timeout_ms
	    group.heartbeat_interval_ms topics log.format sink.type sink.path)
	local vals=("$BOOTSTRAP" "$2" 6000 1000 "[\"$3\"]" json file
	    "$T/$1.sink")
	shift 3
	for arg in "$@"; do
		[ -n "$arg" ] || continue
		if [ "${arg#-}" != "$arg" ]; then	# -KEY drops a standard one
			for i in "${!keys[@]}"; do
				[ "${keys[i]}" = "${arg#-}" ] && keys[i]=
			done
			continue
		fi
		key=${arg%%=*}
		[ "$key" = sink.type ] && keys[7]=
		found=
		for i in "${!keys[@]}"; do
			[ "${keys[i]}" = "$key" ] && found=$i
		done
		if [ -n "$found" ]; then
			vals[found]=${arg#*=}
		else
			keys+=("$key")
			vals+=("${arg#*=}")
		fi
	done
	# one map a section (a dropped setting has an empty key), in the
	# order the sections first appear
	for key in "${keys[@]}"; do
		sec=${key%%.*}
		[ -z "$key" ] || [[ $secs == *" $sec "* ]] || secs+="$sec "
	done
	for sec in $secs; do
		open=
		for i in "${!keys[@]}"; do
			key=${keys[i]}
			[ "${key%%.*}" = "$sec" ] || continue
			if [ "$key" = "$sec" ]; then
				printf '%s: %s\n' "$key" "${vals[i]}"
			else
				[ -n "$open" ] || printf '%s:\n' "$sec"
				open=1
				printf '  %s: %s\n' "${key#*.}" "${vals[i]}"
			fi
		done
	done >"$T/$name.yaml"
}

# kc_member_config's settings for group.protocol consumer: the standard
# ones without the session timeout and heartbeat interval, which are the
# broker's there (kc_member_config NAME GROUP TOPIC $KC_CONSUMER ...).
KC_CONSUMER="group.protocol=consumer -group.session_timeout_ms -group.heartbeat_interval_ms"

# True when the kconsumerd under test runs the consumer group protocol
# (KIP-848); else false with CONSUMER_PROTOCOL_WHY set to its -t's reason
# (the linked librdkafka is older than 2.12.0: Debian 12's 2.0.2, Debian
# 13's 2.8.0): can_consumer_protocol.
can_consumer_protocol() {
	local out
	printf 'kafka:\n  bootstrap.servers: 127.0.0.1:9\ngroup:\n  id: g\n  protocol: consumer\ntopics: [t]\n' \
	    >"$T/kip848-probe.yaml"
	out=$("$KCONSUMERD" -t -c "$T/kip848-probe.yaml" 2>&1) && return 0
	CONSUMER_PROTOCOL_WHY="this kconsumerd cannot run group.protocol consumer: ${out#*error: }"
	return 1
}

# Skip the script unless can_consumer_protocol: require_consumer_protocol.
require_consumer_protocol() {
	can_consumer_protocol || skip_all "$CONSUMER_PROTOCOL_WHY"
}

# Print the SASL mechanism for lab/with-kafka's SASL_SSL listener with
# the librdkafka of the kconsumerd that CMD runs (default: the one under
# test): SCRAM-SHA-512 from librdkafka 2.6.1, PLAIN before (Kafka 4
# refuses the SCRAM of older ones, librdkafka#4895) (pure):
# sasl_mechanism [CMD...].
sasl_mechanism() {
	local v
	[ $# -gt 0 ] || set -- "$KCONSUMERD"
	v=$("$@" -V | sed -n 's/.*(librdkafka \([0-9.]*\)).*/\1/p')
	if [ "$(printf '%s\n' 2.6.1 "$v" | sort -V | head -n 1)" = 2.6.1 ]; then
		echo SCRAM-SHA-512
	else
		echo PLAIN
	fi
}

# Print conf/kconsumerd-secure.conf as shipped but for lab/with-kafka's
# SASL_SSL listener and user, with SASL mechanism MECH, TOPIC and GROUP
# (pure): secure_example MECH TOPIC GROUP.
secure_example() {
	sed -e "s|^\(\tbootstrap_servers = \).*|\1\"$KCD_LIVE_SASL_SSL_BOOTSTRAP\";|" \
	    -e "s|\"SCRAM-SHA-512\"|\"$1\"|" \
	    -e "s|\"orders-audit\"|\"$KCD_LIVE_SASL_USER\"|" \
	    -e "s|\"orders\"|\"$2\"|" \
	    -e "s|\(\tid = \).*|\1\"$3\";|" \
	    "$top_srcdir/conf/kconsumerd-secure.conf"
}

# Start kconsumerd as NAME (stderr: $T/NAME.log, stdout: $T/NAME.out):
# kc_start NAME CONFIGFILE [ARGS...].
kc_start() {
	local name=$1 conf=$2
	shift 2
	proc_start "$name" "$T/$name.out" "$T/$name.log" \
	    "$KCONSUMERD" -c "$conf" "$@"
}

# Print the path of NAME's log (its stderr).
kc_log() {
	echo "$T/$1.log"
}

# SIGTERM kconsumerd NAME, wait; return (and KC_STATUS) its exit status:
# kc_stop NAME [DEADLINE_S=20].
kc_stop() {
	proc_stop "$@"
}

# SIGKILL kconsumerd NAME.
kc_kill() {
	proc_kill "$1"
}

# Wait for kconsumerd NAME to exit by itself: kc_wait_exit NAME DEADLINE_S.
kc_wait_exit() {
	proc_wait_exit "$1" "$2"
}

# Print field FIELD of kconsumerd NAME's event=fatal (pure):
# fatal_field NAME FIELD.
fatal_field() {
	jq -rR --arg f "$2" 'fromjson? | select(.event == "fatal") | .[$f]' \
	    "$(kc_log "$1")"
}

# Check that kconsumerd NAME (started) is refused by the cluster: exit
# 77 within 60 s, one event=fatal, its cause matching the ERE (four
# assertions): kc_denied NAME ERE SENTENCE.
kc_denied() {
	local cause
	kc_wait_exit "$1" 60
	is "$KC_STATUS" 77 "$3: exit 77 (not restarted by systemd)"
	is "$(count_events "$(kc_log "$1")" '.event == "fatal"')" 1 \
	    "$3: one event=fatal"
	cause=$(fatal_field "$1" cause)
	like "$cause" "$2" "$3: its cause says so ($cause)"
}

# Skip the script unless kconsumerd was built with libmicrohttpd (its HTTP
# endpoint): require_http.
require_http() {
	grep -q '^#define HAVE_LIBMICROHTTPD 1' "$top_builddir/src/autoconf.h" ||
	    skip_all "built without libmicrohttpd: no HTTP endpoint"
}

# Print the port kconsumerd NAME serves HTTP on (pure).
http_port() {
	jq -rR 'fromjson? | select(.event == "http_listen") | .port' \
	    "$(kc_log "$1")" | head -n 1
}

# True when kconsumerd NAME's /readyz answers 200.
ready() {
	local port
	port=$(http_port "$1")
	[ -n "$port" ] && [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$port/readyz")" = 200 ]
}
