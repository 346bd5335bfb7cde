#!/bin/sh
# tests/e2e/feat_thread.sh DIR: -T, stacks split per thread, on the running
# kernel (tests/e2e/features.sh runs it in the VM).  DIR holds show_bt,
# feat_thread (tests/e2e/feat_thread.c) and lib.sh.
#
# One run of the workload: two threads of one process, named fth_a and
# fth_b, make NA and NB one-byte write(2)s to /dev/null after the go
# signal; its main thread makes none.  Three show_bt -p PID -T run at once
# on vfs_write, attached before the go and stopped once the workload says
# it is done: one with text output, --json and --svg; one with -f; one
# with -P -a (-T wins over -P).  Then:
#   text     each thread's stacks sum to its exact count, under the header
#            "tid TID (NAME) of pid PID", and no other thread is there;
#   summary  NA + NB calls, counted by frames (per thread);
#   folded   the first field is NAME-PID/TID, the counts exact;
#   json     each stack carries tid, pid and comm; the counts exact;
#   svg      a tower per thread, named as the text heads it;
#   with_P   -P -T heads stacks as -T does, with addresses (-a).
# And where DIR has the writer (tests/e2e/writer.c; pass it in with -f):
#   deep_stack  its wake_chain's stacks at ep_poll_callback, up to 69
#            frames on 5.10 (past the 63 of one chunk of the frames map
#            there: prog.h), the same with -T, frame for frame and count
#            for count, as by stack id, each headed by the writer's thread;
#            on 5.10 one deeper than 63 frames.
# No test waits for a time: each waits for a state (files, lines).
set -u
D=${1:?usage: feat_thread.sh DIR}
PREFIX=features/thread/$(uname -r)
L=$D/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh disable=SC1091
. "$L"
NA=${FEAT_THREAD_NA:-1234}
NB=${FEAT_THREAD_NB:-567}
T=$(mktemp -d /tmp/feat_thread.XXXXXX)
W='' t1='' t2='' t3='' w=''
cleanup() {
	for p in $W $t1 $t2 $t3 $w; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$D/show_bt" "$D/feat_thread" "$T/" || {
	fail setup "cannot copy show_bt and feat_thread from $D"
	exit 1
}
# shellcheck disable=SC2034 # lib.sh's start_tracing runs $SB
SB=$T/show_bt

mkdir "$T/w"
"$T/feat_thread" "$T/w" "$NA" "$NB" > "$T/work.out" 2> "$T/work.err" &
W=$!
ready() { [ -e "$T/w/ready" ] || ! kill -0 "$W" 2> /dev/null; }
if ! poll 1200 ready || [ ! -e "$T/w/ready" ]; then
	fail setup "feat_thread did not get ready: $(cat "$T/work.err")"
	exit 1
fi
read -r P TA TB < "$T/w/ready"

# The tracers, one after the other until each says it is tracing.
ok=1
start_tracing text -d 3600 -p "$P" -T --json "$T/out.json" \
	--svg "$T/out.svg" vfs_write && t1=$tracer || ok=0
[ $ok = 1 ] && { start_tracing folded -d 3600 -p "$P" -T -f vfs_write &&
	t2=$tracer || ok=0; }
[ $ok = 1 ] && { start_tracing withp -d 3600 -p "$P" -P -T -a vfs_write &&
	t3=$tracer || ok=0; }
if [ $ok = 0 ]; then
	fail setup "show_bt did not start tracing (exit $rc): $(cat "$T"/*.err | tr '\n' ' ')"
	exit 1
fi
kill -USR1 "$W"
done_() { [ -e "$T/w/done" ] || ! kill -0 "$W" 2> /dev/null; }
if ! poll 6000 done_ || [ ! -e "$T/w/done" ]; then
	fail workload "feat_thread did not finish: $(cat "$T/work.err")"
	exit 1
fi
for tracer in $t1 $t2 $t3; do
	stop_tracing
	[ $rc = 0 ] || fail exit "a tracer exited $rc: $(cat "$T"/*.err | tr '\n' ' ')"
done
t1='' t2='' t3=''

# Text: "tid TID (NAME) of pid PID" then frames then "    COUNT"; the
# calls of every header summed.
heads() {
	awk '/^tid / { h = $0; next } /^    [0-9]+$/ { n[h] += $1 }
	     END { for (h in n) print n[h] "\t" h }' "$1" | sort
}
expect=$(printf '%s\ttid %s (fth_a) of pid %s\n%s\ttid %s (fth_b) of pid %s\n' \
	"$NA" "$TA" "$P" "$NB" "$TB" "$P" | sort)
got=$(heads "$T/text.out")
if [ "$got" = "$expect" ]; then
	pass text
else
	fail text "expected [$expect], got [$got]"
fi
if grep -q "^show_bt: vfs_write: $((NA + NB)) calls in .* by frames $((NA + NB)) (per thread), unreadable 0, lost 0 " "$T/text.err"; then
	pass summary
else
	fail summary "$(grep '^show_bt: vfs_write:' "$T/text.err")"
fi

# Folded: COMM-PID/TID;root;...;leaf COUNT.
got=$(awk '{ split($1, f, ";"); n[f[1]] += $NF }
	   END { for (k in n) print n[k] "\t" k }' "$T/folded.out" | sort)
expect=$(printf '%s\tfth_a-%s/%s\n%s\tfth_b-%s/%s\n' \
	"$NA" "$P" "$TA" "$NB" "$P" "$TB" | sort)
if [ "$got" = "$expect" ]; then
	pass folded
else
	fail folded "expected [$expect], got [$got]"
fi

# JSON: each stack's line starts {"count": N, "tid": T, "pid": P, "comm": C.
got=$(sed -n 's/^ *{"count": \([0-9]*\), "tid": \([0-9]*\), "pid": \([0-9]*\), "comm": "\([^"]*\)".*/\2 \3 \4 \1/p' \
	"$T/out.json" | awk '{ n[$1 " " $2 " " $3] += $4 }
	END { for (k in n) print k " " n[k] }' | sort)
expect=$(printf '%s %s fth_a %s\n%s %s fth_b %s\n' \
	"$TA" "$P" "$NA" "$TB" "$P" "$NB" | sort)
if [ "$got" = "$expect" ] && grep -q '"per_thread": true' "$T/out.json"; then
	pass json
else
	fail json "expected [$expect], got [$got]"
fi

# SVG: one box per thread, its title the name and the count.
if grep -q "<title>fth_a (tid $TA of pid $P): $NA call" "$T/out.svg" &&
   grep -q "<title>fth_b (tid $TB of pid $P): $NB call" "$T/out.svg"; then
	pass svg
else
	fail svg "$(grep -o '<title>fth_[ab][^<]*' "$T/out.svg" | tr '\n' ' ')"
fi

# -P -T: -T's headers, frames with their addresses.
got=$(heads "$T/withp.out")
expect=$(printf '%s\ttid %s (fth_a) of pid %s\n%s\ttid %s (fth_b) of pid %s\n' \
	"$NA" "$TA" "$P" "$NB" "$TB" "$P" | sort)
if [ "$got" = "$expect" ] &&
   grep -q '^  [0-9a-f]\{16\} vfs_write+0x' "$T/withp.out"; then
	pass with_P
else
	fail with_P "expected [$expect], got [$got]; $(head -3 "$T/withp.out" | tr '\n' ' ')"
fi

# Each stack of a text output as one line, "frame|frame|...|count", its
# -T header set aside; then the deepest stack's frames.
flat() {
	awk 'BEGIN { RS = "" } { l = ""; n = split($0, f, "\n")
	     for (i = 1; i <= n; i++) if (f[i] !~ /^tid /) l = l "|" f[i]
	     print l }' "$1" | sort
}
deepest() {
	awk 'BEGIN { RS = ""; m = 0 } { n = split($0, f, "\n"); d = 0
	     for (i = 1; i <= n; i++) if (f[i] ~ /^  [^ ]/) d++
	     if (d > m) m = d } END { print m }' "$1"
}
test_deep_stack() {
	# shellcheck disable=SC2034 # lib.sh's start_writer runs $BIN/writer
	BIN=$D
	ip link set lo up 2> /dev/null || ifconfig lo up 2> /dev/null
	if ! start_writer writer "$T/deep" wake_chain=20; then
		fail deep_stack "the writer never got ready (is the loopback up?)"
		return
	fi
	w=$last_writer
	if ! start_tracing dpi --stack-slots 16384 -p "$w" -d 3600 \
		ep_poll_callback; then
		fail deep_stack "show_bt by id did not start: $(cat "$T/dpi.err")"
		return
	fi
	t1=$tracer
	if ! start_tracing dpt -T -p "$w" -d 3600 ep_poll_callback; then
		fail deep_stack "show_bt -T did not start: $(cat "$T/dpt.err")"
		return
	fi
	t2=$tracer
	kill -USR1 "$w"
	wait "$w"
	wrc=$?
	w=''
	for tracer in $t1 $t2; do
		stop_tracing
	done
	t1='' t2=''
	d=$(deepest "$T/dpt.out")
	heads=$(grep '^tid ' "$T/dpt.out" | sort -u)
	if [ $wrc -ne 0 ]; then
		fail deep_stack "the writer exited $wrc"
	elif [ ! -s "$T/dpi.out" ] || [ "$(flat "$T/dpi.out")" != "$(flat "$T/dpt.out")" ]; then
		fail deep_stack "-T's stacks differ from the stack ids': $(diff "$T/dpi.out" "$T/dpt.out" | head -5 | tr '\n' ' ')"
	elif [ "$heads" != "tid $last_writer (writer) of pid $last_writer" ]; then
		fail deep_stack "headers: $heads"
	else
		case $(uname -r) in
		5.10.*)
			if [ "$d" -gt 63 ]; then
				pass deep_stack
			else
				fail deep_stack "the deepest stack has $d frames, not over 63"
			fi
			;;
		*)
			pass deep_stack
			;;
		esac
		echo "INFO: $PREFIX/deep_stack: deepest $d frames"
	fi
}
[ -x "$D/writer" ] && test_deep_stack
[ $failed = 0 ]
