#!/bin/sh
# The guest half of tests/e2e/json_svg.sh: run show_bt with --json and
# --svg on the test workload and print every output between "@@@ PART NAME"
# lines for the host to check.  POSIX sh: the VM has busybox.
#
#   json_svg_guest.sh BINDIR     BINDIR holds show_bt and writer (static)
#
# Three runs, each window ended by SIGINT once the writers are done:
#   p    -p WRITER: exactly 37 write, 23 pwrite64, 11 writev calls;
#        --json FILE and --svg FILE beside the text output
#   P    -P: two writers (w_alpha, w_beta) making every kind of write,
#        plus a shell loop; --json FILE and --svg FILE
#   out  -p WRITER with --json -: the JSON alone on stdout
set -u
BIN=${1:?usage: json_svg_guest.sh BINDIR}
SB=$BIN/show_bt
T=$(mktemp -d /tmp/json_svg.XXXXXX)
FN=generic_perform_write

# Start a writer under the name $1 on file $2 with kinds $3...; waits until
# it is set up (its own writes done).  Its pid in $last.
start_writer() {
	name=$1 file=$2
	shift 2
	cp "$BIN/writer" "$T/$name"
	rm -f "$file.ready"
	"$T/$name" "$file" "$@" &
	last=$!
	i=0
	while [ ! -e "$file.ready" ] && [ $i -lt 600 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

# Until show_bt says it is tracing (every probe attached), 60 s at most.
wait_ready() {
	i=0
	while ! grep -q '^show_bt: tracing ' "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

# Run $1 (a name) as show_bt ARGS... while the writers $writers run; the
# outputs land in $T/$1.out and $T/$1.err, the status in $T/$1.rc.
trace() {
	run=$1
	shift
	"$SB" "$@" > "$T/$run.out" 2> "$T/$run.err" &
	sp=$!
	if ! wait_ready "$T/$run.err"; then
		echo "show_bt never said it was tracing" >> "$T/$run.err"
		# shellcheck disable=SC2086 # $writers: several pids
		kill $writers "$sp" 2>/dev/null
		wait
		echo 99 > "$T/$run.rc"
		return
	fi
	# shellcheck disable=SC2086
	kill -USR1 $writers
	wrc=0
	for w in $writers; do
		wait "$w" || wrc=$?
	done
	[ -z "${loop:-}" ] || { kill "$loop"; wait "$loop" 2>/dev/null; loop=''; }
	kill -INT "$sp"
	wait "$sp"
	echo "$? $wrc" > "$T/$run.rc"
}

part() {
	printf '\n@@@ PART %s\n' "$1"
	[ ! -e "$2" ] || cat "$2"
}

# p: one process, known counts.
start_writer writer "$T/p.data" write=37 pwrite64=23 writev=11
writers=$last
trace p -d 300 --json "$T/p.json" --svg "$T/p.svg" -p "$last" $FN

# P: per process, every kind of write, from three processes.
start_writer w_alpha "$T/a.data" write=300 pwrite64=200 writev=100 \
	sendfile=60 copy_file_range=40
wa=$last
start_writer w_beta "$T/b.data" pwritev=120 pwritev2=80 write=50
writers="$wa $last"
( while :; do echo x >> "$T/loop.data"; done ) &
loop=$!
trace P -d 300 -P --json "$T/P.json" --svg "$T/P.svg" $FN

# out: --json - puts the JSON alone on stdout.
start_writer writer "$T/o.data" write=37 pwrite64=23 writev=11
writers=$last
trace out -d 300 --json - -p "$last" $FN

for run in p P out; do
	part "$run.rc" "$T/$run.rc"
	part "$run.out" "$T/$run.out"
	part "$run.err" "$T/$run.err"
	[ "$run" = out ] && continue
	part "$run.json" "$T/$run.json"
	part "$run.svg" "$T/$run.svg"
done
printf '\n@@@ PART end\n'
