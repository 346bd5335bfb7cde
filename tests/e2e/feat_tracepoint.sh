#!/bin/sh
# tests/e2e/feat_tracepoint.sh DIR: tracepoints as probe points, against
# bpftrace on the running kernel (tests/e2e/features.sh runs it in the VM,
# with the host's root for bpftrace).  DIR holds show_bt, feat_tracepoint
# (tests/e2e/feat_tracepoint.c) and lib.sh.
#
# One run of the workload makes N forks and N kill(2)s of itself: N hits of
# sched:sched_process_fork, N of signal:signal_generate and N calls of
# kernel_clone, all its own.  show_bt -p traces the two tracepoints and the
# function together, bpftrace the same three filtered to the same process,
# both attached before the workload's go, stopped once it sleeps.  Then:
#   counts   each tracepoint and the function counted N times by both;
#   stacks   each tracepoint's stacks are bpftrace's, address for address
#            and count for count, once show_bt's frame 0 (the tag that
#            says which tracepoint) is set aside;
#   frame0   frame 0 of those stacks names the tracepoint;
#   caller   sched_process_fork's frame 1 (past __traceiter_NAME where the
#            kernel calls through it) is named kernel_clone, which fires it;
#   check    --check says ok for the tracepoints, refuses a name that is
#            none with the closest names, and for a function kallsyms does
#            not have suggests the tracepoint with its words.
# No test waits for a time: each waits for a state.
set -u
D=${1:?usage: feat_tracepoint.sh DIR}
PREFIX=features/tracepoint/$(uname -r)
L=$D/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh disable=SC1091
. "$L"
N=${FEAT_TP_N:-40}
TPS="sched:sched_process_fork signal:signal_generate"
T=$(mktemp -d /tmp/feat_tp.XXXXXX)
W='' BT='' tracer=''
cleanup() {
	for p in $W $BT $tracer; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$D/show_bt" "$D/feat_tracepoint" "$T/" || {
	fail setup "cannot copy show_bt and feat_tracepoint from $D"
	exit 1
}
# shellcheck disable=SC2034 # lib.sh's start_tracing runs $SB
SB=$T/show_bt

# --check first: no workload needed.
"$SB" --check t:sched:sched_process_fork t:signal:signal_generate \
	> "$T/check.out" 2> "$T/check.err"
crc=$?
if [ $crc -eq 0 ] && grep -q '^t:sched:sched_process_fork: ok$' "$T/check.out" &&
   grep -q '^t:signal:signal_generate: ok$' "$T/check.out"; then
	pass check_ok
else
	fail check_ok "exit $crc: $(cat "$T/check.out" "$T/check.err" | tr '\n' ' ')"
fi
"$SB" --check t:sched:sched_process_forc sched_process_fork_nowhere \
	> "$T/check2.out" 2> "$T/check2.err"
crc=$?
if [ $crc -eq 1 ] &&
   grep -q '^t:sched:sched_process_forc: cannot trace: no such tracepoint (did you mean: t:sched:sched_process_fork' "$T/check2.out" &&
   grep -q '^sched_process_fork_nowhere: cannot trace: .*; tracepoints with words in common: t:sched:sched_process_fork' "$T/check2.out"; then
	pass check_refusals
else
	fail check_refusals "exit $crc: $(cat "$T/check2.out" "$T/check2.err" | tr '\n' ' ')"
fi

mkdir "$T/w"
"$T/feat_tracepoint" "$T/w" "$N" > "$T/work.out" 2> "$T/work.err" &
W=$!
ready() { [ -e "$T/w/ready" ] || ! kill -0 "$W" 2> /dev/null; }
if ! poll 1200 ready || [ ! -e "$T/w/ready" ]; then
	fail setup "feat_tracepoint did not get ready: $(cat "$T/work.err")"
	exit 1
fi

prog="BEGIN { printf(\"tp: attached\\n\"); }"
prog="$prog tracepoint:sched:sched_process_fork /pid == $W/ { @fork[kstack(perf)] = count(); @n[probe] = count(); }"
prog="$prog tracepoint:signal:signal_generate /pid == $W/ { @sig[kstack(perf)] = count(); @n[probe] = count(); }"
prog="$prog kprobe:kernel_clone /pid == $W/ { @n[probe] = count(); }"
bpftrace -e "$prog" > "$T/bt.out" 2> "$T/bt.err" &
BT=$!
bt_ready() { grep -q '^tp: attached' "$T/bt.out" || ! kill -0 "$BT" 2> /dev/null; }
if ! start_tracing sb -p "$W" -a -d 100000 --attach ioctl \
	t:sched:sched_process_fork t:signal:signal_generate kernel_clone; then
	fail setup "show_bt never said it was tracing (exit $rc): $(cat "$T/sb.err")"
	exit 1
fi
if ! poll 3000 bt_ready || ! grep -q '^tp: attached' "$T/bt.out"; then
	fail setup "bpftrace never said it was attached: $(head -c 600 "$T/bt.err")"
	exit 1
fi
: > "$T/w/go"
done_() { [ -e "$T/w/done" ] || ! kill -0 "$W" 2> /dev/null; }
asleep() { [ "$(cut -d' ' -f3 "/proc/$W/stat" 2> /dev/null)" = S ]; }
if ! poll 6000 done_ || [ ! -e "$T/w/done" ] || ! poll 600 asleep; then
	fail setup "feat_tracepoint did not finish: $(cat "$T/work.err")"
	exit 1
fi
stop_tracing
sbrc=$rc
tracer=''
# bpftrace 0.17 may miss a SIGINT that comes outside epoll_wait: again.
kill -INT $BT
n=0
while kill -0 $BT 2> /dev/null && [ $n -lt 3000 ]; do
	sleep 0.1
	n=$((n + 1))
	[ $((n % 20)) != 0 ] || kill -INT $BT 2> /dev/null
done
wait $BT
btrc=$?
BT=''
if [ "$sbrc" -ne 0 ] || [ "$btrc" -ne 0 ]; then
	fail setup "show_bt exit $sbrc, bpftrace exit $btrc: $(tail -3 "$T/sb.err") $(tail -3 "$T/bt.err")"
	exit 1
fi
pass setup
echo "INFO: $PREFIX: $(grep '^show_bt: .* calls in ' "$T/sb.err")"

# show_bt's stacks as "FRAME0 COUNT ADDR1 ADDR2 ..." (frame 0 by name),
# with frame 1's name after a '|'.
awk '
	/^  [0-9a-f]+ / {
		n++
		if (n == 1) f0 = $2
		else { s = s " " $1; if (n == 2) n1 = $2 }
		next
	}
	/^    [0-9]+$/ { print f0, $1, n1 "|" s; s = ""; n = 0 }
' "$T/sb.out" > "$T/sb.stacks"
# bpftrace's: "MAP COUNT ADDR..."; its calls per probe: "n PROBE COUNT".
awk '
	/^@(fork|sig)\[\]: [0-9]+$/ { m = substr($1, 2); sub(/\[.*/, "", m); print m, $2; next }
	/^@(fork|sig)\[$/ { m = substr($0, 2); sub(/\[$/, "", m); s = ""; on = 1; next }
	on && /^\]: [0-9]+$/ { print m, $2, s; on = 0; next }
	on { s = s " " $1; next }
	/^@n\[/ { p = $0; sub(/^@n\[/, "", p); sub(/\].*/, "", p); print "n", p, $NF }
' "$T/bt.out" > "$T/bt.stacks"

total() {	# total FRAME0: show_bt's calls with that frame 0
	awk -v f="$1" '$1 == f { c += $2 } END { print c + 0 }' "$T/sb.stacks"
}
btn() { awk -v p="$1" '$1 == "n" && $2 == p { print $3 }' "$T/bt.stacks"; }
for tp in $TPS; do
	got=$(total "tracepoint:$tp")
	bt=$(btn "tracepoint:$tp")
	if [ "$got" = "$N" ] && [ "${bt:-}" = "$N" ]; then
		pass "counts_$tp"
	else
		fail "counts_$tp" "show_bt $got, bpftrace ${bt:-none}, want $N each"
	fi
done
got=$(awk '$1 ~ /^kernel_clone\+/ { c += $2 } END { print c + 0 }' "$T/sb.stacks")
bt=$(btn kprobe:kernel_clone)
if [ "$got" = "$N" ] && [ "${bt:-}" = "$N" ]; then
	pass counts_kernel_clone_beside
else
	fail counts_kernel_clone_beside "show_bt $got, bpftrace ${bt:-none}, want $N each"
fi

# The stacks, address for address: show_bt's without its frame 0.
for pair in sched:sched_process_fork=fork signal:signal_generate=sig; do
	tp=${pair%=*}
	map=${pair#*=}
	awk -v f="tracepoint:$tp" '$1 == f { line = $0; sub(/^[^|]*\| ?/, "", line); c[line] += $2 }
		END { for (s in c) print c[s], s }' "$T/sb.stacks" |
		sed 's/ *$//' | sort > "$T/sb.$map"
	awk -v m="$map" '$1 == m { $1 = ""; sub(/^ /, ""); print }' \
		"$T/bt.stacks" | sed 's/ *$//' | sort > "$T/bt.$map.s"
	# (no cmp: the arm64 root has none)
	if [ -s "$T/sb.$map" ] &&
	   [ "$(cat "$T/sb.$map")" = "$(cat "$T/bt.$map.s")" ]; then
		pass "stacks_$tp"
	else
		fail "stacks_$tp" "show_bt: $(head -c 400 "$T/sb.$map" | tr '\n' '/') bpftrace: $(head -c 400 "$T/bt.$map.s" | tr '\n' '/')"
	fi
done

bad=$(awk '$1 !~ /^tracepoint:/ && $1 !~ /^kernel_clone\+/' "$T/sb.stacks")
if [ -z "$bad" ] && grep -q '^  0000000000000001 tracepoint:' "$T/sb.out"; then
	pass frame0
else
	fail frame0 "stacks with another frame 0, or no tag: $bad"
fi
# The function that fired it: frame 1, or past __traceiter_NAME where
# the kernel calls its probes through it (arm64: no static calls).
callers=$(awk '
	/^  [0-9a-f]+ / {
		n++
		if (n == 1) tp = $2
		else if (tp == "tracepoint:sched:sched_process_fork" && !got &&
			 $2 !~ /^__traceiter_/) { print $2; got = 1 }
		next
	}
	/^    [0-9]+$/ { n = 0; got = 0; tp = "" }
' "$T/sb.out" | sed 's/+0x.*//' | sort -u | tr '\n' ' ')
if [ "$callers" = "kernel_clone " ]; then
	pass caller
else
	fail caller "sched_process_fork fired from '$callers', want kernel_clone"
fi
[ $failed = 0 ]
