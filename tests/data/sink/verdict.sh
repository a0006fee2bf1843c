# tests/data/sink/verdict.sh: a command for an exec sink under
# sink.per_record (t_dead_letter, t_live_dead_letter): it takes a record
# by appending its line to $OUT, and rejects one whose value starts with
# "poison" with exit status 3 (appending a line to $TRIES when set).
line=$(cat)
case $line in
*'"value":"poison'*)
	[ -n "${TRIES:-}" ] && echo try >>"$TRIES"
	exit 3 ;;
esac
printf '%s\n' "$line" >>"$OUT"
