#!/bin/bash
# t_config_writable: kconsumerd -t (and the daemon before it starts a
# member) refuses a sink file or log.file it could not write, with the
# file:line and exit 78; -p still prints such a configuration (it may be
# meant for another machine); a file sink that cannot be opened at start
# for another reason also exits 78, the status the systemd units do not
# restart (no restart loop).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# Write $T/NAME.yaml with a sink file at SINK and, when given, log.file
# at LOG: writable_config NAME SINK [LOG].
writable_config() {
	{
		printf 'kafka:\n  bootstrap.servers: 127.0.0.1:1\n'
		printf 'group:\n  id: g\ntopics: [t]\n'
		printf 'sink:\n  type: file\n  path: %s\n' "$2"
		[ -z "${3:-}" ] || printf 'log:\n  file: %s\n' "$3"
	} >"$T/$1.yaml"
}

writable_config good "$T/out.jsonl" "$T/kconsumerd.log"
"$KCONSUMERD" -t -c "$T/good.yaml" >/dev/null 2>"$T/good.err"
is "$?" 0 "-t accepts a sink file and log file it can create" ||
    diag "$(cat "$T/good.err")"
: >"$T/out.jsonl"
"$KCONSUMERD" -t -c "$T/good.yaml" >/dev/null 2>"$T/good.err"
is "$?" 0 "-t accepts a sink file that exists and is writable"

writable_config nodir "$T/missing/out.jsonl"
"$KCONSUMERD" -t -c "$T/nodir.yaml" 2>"$T/nodir.err"
is "$?" 78 "-t refuses a sink file in a directory that does not exist (78)"
like "$(cat "$T/nodir.err")" \
    "^$T/nodir.yaml:8: error: sink.path '$T/missing/out.jsonl' cannot be created in $T/missing: No such file or directory" \
    "the error names the file:line of sink.path, the directory and why"
"$KCONSUMERD" -p -c "$T/nodir.yaml" >/dev/null 2>&1
is "$?" 0 "-p still prints that configuration"

writable_config nolog "$T/out.jsonl" "$T/missing/kconsumerd.log"
"$KCONSUMERD" -t -c "$T/nolog.yaml" >/dev/null 2>"$T/nolog.err"
is "$?" 78 "-t refuses a log.file that cannot be created (78)"
like "$(cat "$T/nolog.err")" "^$T/nolog.yaml:10: error: log.file '$T/missing/kconsumerd.log' cannot be created" \
    "the error names the file:line of log.file"

# Passes the check (the directory is writable, the name does not exist)
# but cannot be opened: a dangling symlink into a missing directory.
ln -s "$T/missing/out.jsonl" "$T/dangling.jsonl"
writable_config dangling "$T/dangling.jsonl"
"$KCONSUMERD" -t -c "$T/dangling.yaml" 2>/dev/null
is "$?" 0 "-t passes a dangling symlink in a writable directory"
proc_start dangling "$T/dangling.out" "$T/dangling.log" \
    "$KCONSUMERD" -c "$T/dangling.yaml"
proc_wait_exit dangling 10
is "$?" 78 "the daemon exits 78 when the file sink cannot be opened"
like "$(cat "$T/dangling.log")" "sink file $T/dangling.jsonl: cannot open: No such file or directory" \
    "it logs the path and the reason"
nostart=$(grep -c 'event=start' "$T/dangling.log")
is "$nostart" 0 "no member starts"

done_testing
