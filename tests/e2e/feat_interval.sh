#!/bin/sh
# tests/e2e/feat_interval.sh DIR: show_bt -i on the running kernel
# (tests/e2e/features.sh runs it in the VM).  DIR holds show_bt,
# feat_interval (tests/e2e/feat_interval.c) and lib.sh.
#
# The workload makes write(2)s to /dev/null, one vfs_write each, in three
# phases: 1000 calls; calls without end until show_bt has printed two
# more intervals (so they go on across interval ends); 700 calls.  Before
# each phase the test waits for one more interval printed, so that no two
# phases share an interval.  show_bt -p traces vfs_write with -i 0.5, in
# text with --json FILE beside it, then with -f; then:
#   sum      the intervals' calls (their stacks, and their summary lines)
#            add up to the workload's exact count, as does the run's
#            summary;
#   several  three intervals at least had calls, and the headers number
#            the intervals 1, 2, ... as the summaries do;
#   json     each line of --json is a JSON document of one interval, in
#            order, whose counts add up to the same;
#   folded   -f: the blocks that "-- " headers part add up to it too.
# And the run ends by Ctrl-C: -i without -d runs until it.
# No test waits for a time: each waits for a state (the workload stopped,
# a line of output).
set -u
D=${1:?usage: feat_interval.sh DIR}
PREFIX=features/interval/$(uname -r)
L=$D/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh disable=SC1091
. "$L"
T=$(mktemp -d /tmp/feat_iv.XXXXXX)
W='' tracer=''
cleanup() {
	for p in $W $tracer; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$D/show_bt" "$D/feat_interval" "$T/" || {
	fail setup "cannot copy show_bt and feat_interval from $D"
	exit 1
}
# shellcheck disable=SC2034 # lib.sh's start_tracing runs $SB
SB=$T/show_bt

# headers OUT: how many interval headers show_bt has printed so far.
headers() { grep -c '^-- ' "$T/$1.out" 2> /dev/null || true; }
# more OUT N: it has printed more than N.
more() { [ "$(headers "$1")" -gt "$2" ]; }
# next_interval OUT: wait (60 s at most) for one more header than now.
next_interval() {
	_h=$(headers "$1")
	poll 600 more "$1" "$_h"
}

# run OUT ARGS...: the three phases under show_bt -p W -i 0.5 ARGS
# vfs_write, ended by SIGINT; sets $rc and $N (the workload's count), 1
# if a state never came (why in $T/OUT.err).
run() {
	_o=$1
	shift
	rm -f "$T/count"
	"$T/feat_interval" "$T/count" 1000 until 700 &
	W=$!
	poll 600 stopped $W || { echo "the workload never stopped" >> "$T/$_o.err"; return 1; }
	start_tracing "$_o" -p $W -i 0.5 "$@" vfs_write ||
		{ echo "show_bt never said it was tracing" >> "$T/$_o.err"; return 1; }
	next_interval "$_o" || return 1
	kill -CONT $W
	poll 600 stopped $W || return 1
	next_interval "$_o" || return 1
	kill -CONT $W
	next_interval "$_o" && next_interval "$_o" || return 1
	kill -USR2 $W
	poll 600 stopped $W || return 1
	next_interval "$_o" || return 1
	kill -CONT $W
	poll 600 stopped $W || return 1
	stop_tracing
	tracer=''
	kill -CONT $W
	wait $W || { echo "the workload failed" >> "$T/$_o.err"; return 1; }
	W=''
	N=$(cat "$T/count")
}

# sum_text OUT: every count line of the text output, summed.
sum_text() { awk '/^    [0-9]+$/ { s += $1 } END { print s + 0 }' "$T/$1.out"; }
# sum_summaries ERR: the calls of the per-interval summary lines.
sum_summaries() {
	sed -n 's/^show_bt: vfs_write: interval [0-9]*: \([0-9]*\) calls\{0,1\} in .*/\1/p' \
		"$T/$1.err" | awk '{ s += $1 } END { print s + 0 }'
}
# run_total ERR: the calls of the run's own summary line.
run_total() {
	sed -n 's/^show_bt: vfs_write: \([0-9]*\) calls\{0,1\} in .*/\1/p' "$T/$1.err"
}
# busy OUT: how many intervals of the text output had calls.
busy() {
	awk '/^-- / { n++ } /^    [0-9]+$/ && $1 > 0 { had[n] = 1 }
	     END { c = 0; for (i in had) c++; print c }' "$T/$1.out"
}
# numbered OUT ERR: the headers say 1, 2, ..., K and K summaries follow.
numbered() {
	_k=$(headers "$1")
	[ "$(sed -n 's/^-- [0-9:]* UTC (interval \([0-9]*\), [0-9.]* s)$/\1/p' "$T/$1.out" |
	    awk '$1 != NR { bad = 1 } END { print bad ? "bad" : NR }')" = "$_k" ] &&
	[ "$(grep -c '^show_bt: vfs_write: interval [0-9]*: ' "$T/$2.err")" = "$_k" ]
}

if run text --json "$T/iv.jsonl"; then
	st=$(sum_text text) ss=$(sum_summaries text) tot=$(run_total text)
	if [ "$rc" -eq 0 ] && [ "$st" = "$N" ] && [ "$ss" = "$N" ] &&
	   [ "$tot" = "$N" ]; then
		pass sum
	else
		fail sum "exit $rc; workload $N calls, stacks $st, interval summaries $ss, run $tot: $(tr '\n' ' ' < "$T/text.err" | cut -c1-600)"
	fi
	b=$(busy text)
	if [ "$b" -ge 3 ] && numbered text text; then
		pass several
	else
		fail several "$b intervals had calls (want 3 or more), $(headers text) headers: $(grep -v '^  ' "$T/text.out" | tr '\n' ' ' | cut -c1-400)"
	fi
	if ! command -v python3 > /dev/null; then
		# arm64's root has no python: the same counts, read by awk
		# from the one-line documents (show_bt's own layout).
		why=$(awk -v n="$N" -v k="$(headers text)" '
		function num(re,   s) {
			if (!match($0, re)) return -1
			s = substr($0, RSTART, RLENGTH); sub(/.*: /, "", s)
			return s + 0
		}
		{
			if (num("\"interval\": [{]\"number\": [0-9]+") != NR) {
				print "document " NR " has the wrong number"; bad = 1
			}
			calls = num("\"calls\": [0-9]+")
			lost = num("\"unreadable\": [0-9]+") + num("\"lost_map_full\": [0-9]+") + num("\"lost_other\": [0-9]+")
			s = 0; line = $0
			while (match(line, /[{]"count": [0-9]+/)) {
				c = substr(line, RSTART + 10, RLENGTH - 10) + 0
				if (c <= 0) { print "a stack of 0 calls"; bad = 1 }
				s += c; line = substr(line, RSTART + RLENGTH)
			}
			if (calls < 0 || s + lost != calls) {
				print "interval " NR ": stacks do not add up"; bad = 1
			}
			total += calls
		}
		END {
			if (NR != k) print NR " documents, " k " intervals"
			else if (total != n) print "the documents count " total ", the workload " n
			else if (!bad) print "ok"
		}' "$T/iv.jsonl")
		if [ "$why" = ok ]; then
			pass json
		else
			fail json "$why $(head -c 300 "$T/iv.jsonl")"
		fi
	elif why=$(python3 - "$T/iv.jsonl" "$N" "$(headers text)" << 'PY'
import json, sys
lines = open(sys.argv[1]).read().split('\n')
assert lines[-1] == '', 'no newline at the end'
docs = [json.loads(l) for l in lines[:-1]]
assert len(docs) == int(sys.argv[3]), '%d documents, %s intervals' % (len(docs), sys.argv[3])
total = 0
for i, d in enumerate(docs, 1):
    iv = d['interval']
    assert iv['number'] == i, 'document %d says interval %d' % (i, iv['number'])
    assert iv['seconds'] == d['window_seconds'] and iv['start'] > 0
    s = d['summary']
    lost = s['unreadable'] + s['lost_map_full'] + s['lost_other']
    assert sum(x['count'] for x in d['stacks']) + lost == s['calls'], 'interval %d: stacks do not add up' % i
    assert all(x['count'] > 0 for x in d['stacks']), 'a stack of 0 calls'
    total += s['calls']
assert total == int(sys.argv[2]), 'the documents count %d, the workload %s' % (total, sys.argv[2])
PY
	); then
		pass json
	else
		fail json "$why $(head -c 300 "$T/iv.jsonl")"
	fi
else
	fail sum "a state never came: $(tr '\n' ' ' < "$T/text.err" | cut -c1-600)"
fi

if run folded -f; then
	fs=$(awk '/^-- / { next } { s += $NF } END { print s + 0 }' "$T/folded.out")
	fb=$(awk '/^-- / { n++; next } $NF > 0 { had[n] = 1 }
		  END { c = 0; for (i in had) c++; print c }' "$T/folded.out")
	bad=$(grep -v '^-- ' "$T/folded.out" | grep -cv '^[^ ]* [0-9][0-9]*$')
	if [ "$rc" -eq 0 ] && [ "$fs" = "$N" ] && [ "$fb" -ge 3 ] &&
	   [ "$bad" = 0 ] && numbered folded folded; then
		pass folded
	else
		fail folded "exit $rc; workload $N calls, folded $fs in $fb intervals, $bad bad lines: $(head -c 400 "$T/folded.out")"
	fi
else
	fail folded "a state never came: $(tr '\n' ' ' < "$T/folded.err" | cut -c1-600)"
fi
[ $failed = 0 ]
