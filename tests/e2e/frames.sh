#!/bin/sh
# tests/e2e/frames.sh DIR: show_bt's stacks against bpftrace's, frame for
# frame and count for count, on the running kernel (as root, where it has
# kprobes: the test VM in tests/vm/run.sh's -r mode, whose host root
# brings bpftrace in).  DIR holds show_bt, frames_work, lib.sh and
# frames_check.awk (in the VM, /t).
#
# One run of frames_work (a mixed workload in one process: files, pipes,
# sockets, loopback TCP, page faults, fork and exec, exiting threads),
# traced by show_bt -p and by bpftrace filtered to the same process, both
# attached before its go signal and stopped once it sleeps after its work.
# The functions: kmem_cache_free (hit in process, softirq and page-fault
# context, and from the interrupts that land in them), handle_mm_fault
# (page faults, from user space and inside system calls) and
# update_process_times (the timer interrupt, wherever it lands).  Then, in frames_check.awk:
#   totals  both counted every call, the same per function;
#   stacks  the same raw stacks (the addresses), count for count; a stack
#           bpftrace lost to a collision in its stack-trace map must be one
#           whose bucket holds another stack, and the lost add up;
#   names   each frame names the same function in both (compared by start
#           address, as aliases differ), except where show_bt's rule
#           predicts otherwise (a return address at a function's first
#           byte: show_bt names the function holding address - 1), each
#           such frame checked on its own;
#   coverage_entry  the run had frames right after an entry frame at a
#           function's first byte (where naming by address - 1 is wrong);
#   coverage_return  and return addresses at a symbol's first byte (where
#           naming by the address is wrong), unless each call that makes
#           them on the workload's paths (the exit system call's to
#           do_exit; x86-64's 32-bit entry's to do_fast_syscall_32) is
#           followed by more of its caller on this kernel.
# No test waits for a time: each waits for a state (the workload's files,
# the tracers' lines, the workload asleep in pause()).
#
# Knobs: FRAMES_ROUNDS (30) the workload's rounds; FRAMES_KEEP=DIR copies
# the raw outputs there.
set -u
D=${1:?usage: frames.sh DIR}
PREFIX=frames/$(uname -r)
L=$D/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh disable=SC1091
. "$L"
CHECK=$D/frames_check.awk
[ -r "$CHECK" ] || CHECK=$(dirname "$0")/frames_check.awk
ROUNDS=${FRAMES_ROUNDS:-30}
FUNCS="kmem_cache_free handle_mm_fault update_process_times"

T=$(mktemp -d /tmp/frames.XXXXXX)
W='' BT='' tracer=''
cleanup() {
	for p in $W $BT $tracer; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	if [ -n "${FRAMES_KEEP:-}" ]; then
		mkdir -p "$FRAMES_KEEP" && cp -r "$T"/. "$FRAMES_KEEP"/
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$D/show_bt" "$D/frames_work" "$T/" || {
	fail setup "cannot copy show_bt and frames_work from $D"
	exit 1
}
# shellcheck disable=SC2034 # lib.sh's start_tracing runs $SB
SB=$T/show_bt
if ! command -v bpftrace > /dev/null; then
	fail setup "no bpftrace here (Debian's bpftrace, on the host whose root tests/vm/run.sh -r shares)"
	exit 1
fi
kernel_snapshot

# The workload, set up and waiting for its go signal.
mkdir "$T/w"
"$T/frames_work" "$T/w" "$ROUNDS" > "$T/work.out" 2> "$T/work.err" &
W=$!
workload_ready() { [ -e "$T/w/ready" ] || ! kill -0 "$W" 2> /dev/null; }
if ! poll 1200 workload_ready || [ ! -e "$T/w/ready" ]; then
	fail setup "frames_work did not get ready: $(cat "$T/work.err")"
	exit 1
fi

# bpftrace: every stack and every call of the process.  Its BEGIN line
# comes out once every probe is attached (0.17 reads its output only
# then).  Its stack-trace map has 128 Ki buckets; its count map gets room
# for far more keys than stacks.
prog="BEGIN { printf(\"frames: attached\\n\"); }"
for f in $FUNCS; do
	prog="$prog kprobe:$f /pid == $W/ { @s[kstack(perf)] = count(); @n[probe] = count(); }"
done
BPFTRACE_MAP_KEYS_MAX=65536 bpftrace -e "$prog" > "$T/bt.out" 2> "$T/bt.err" &
BT=$!
bt_ready() {
	grep -q '^frames: attached' "$T/bt.out" || ! kill -0 "$BT" 2> /dev/null
}
# show_bt: -a for the addresses; a window far longer than the run.  On
# kprobes, as bpftrace 0.17 attaches (perf_event_open, then
# PERF_EVENT_IOC_SET_BPF): the two programs then run from the same kprobe
# at every hit, and a hit the kprobe skips (one made while a kprobe
# handler runs on that CPU: an interrupt during a hit) is skipped for
# both.  A kprobe_multi link, the default for several functions where the
# kernel has one, guards against recursion per context instead, and counts
# such hits that bpftrace's kprobes miss.
# shellcheck disable=SC2086
if ! start_tracing sb -p "$W" -a -d 100000 --attach ioctl $FUNCS; then
	fail setup "show_bt never said it was tracing (exit $rc): $(cat "$T/sb.err")"
	exit 1
fi
if ! poll 3000 bt_ready || ! grep -q '^frames: attached' "$T/bt.out"; then
	fail setup "bpftrace never said it was attached: $(head -c 600 "$T/bt.err")"
	exit 1
fi

# Go; then wait for the work to end and the process to sleep in pause():
# it makes no more calls, so both tracers have seen them all.
: > "$T/w/go"
work_done() { [ -e "$T/w/done" ] || ! kill -0 "$W" 2> /dev/null; }
asleep() {
	[ "$(cut -d' ' -f3 "/proc/$W/stat" 2> /dev/null)" = S ] &&
		grep -q '^Threads:[[:space:]]*1$' "/proc/$W/status"
}
if ! poll 6000 work_done || [ ! -e "$T/w/done" ] || ! poll 600 asleep; then
	fail setup "frames_work did not finish its work: $(cat "$T/work.err")"
	exit 1
fi
stop_tracing
sbrc=$rc
tracer=''
# bpftrace 0.17 misses a SIGINT that comes while it is not in epoll_wait
# (it then polls on forever): send it again until it exits.
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
kill $W
wait $W 2> /dev/null
W=''
if [ "$sbrc" -ne 0 ] || [ "$btrc" -ne 0 ]; then
	fail setup "show_bt exit $sbrc, bpftrace exit $btrc: $(tail -3 "$T/sb.err") $(tail -3 "$T/bt.err")"
	exit 1
fi
pass setup
echo "INFO: $PREFIX: $(cat "$T/work.out")"
echo "INFO: $PREFIX: $(grep '^show_bt: .* calls in ' "$T/sb.err")"

# arm64, every probe at a function's entry: show_bt puts x30 in as frame 1
# (the caller, whose return address only x30 holds there); bpftrace's
# stacks lack it.  That frame is left out of the comparison, and the
# stacks that differ only in it are one stack of bpftrace's.
drop1=0
if grep -q '(arm64 entry: x30 as frame 1)' "$T/sb.err"; then
	drop1=1
	echo "INFO: $PREFIX: arm64: show_bt's frame 1 (x30, the caller, which bpftrace's stacks lack) is left out of the comparison"
fi

# Both outputs as "sb|bt COUNT ADDR|NAME..." lines (frames_check.awk).
awk -v drop1=$drop1 '
	/^  [0-9a-f]+ / { n++; if (!(drop1 && n == 2)) s = s " " $1 "|" $2; next }
	/^  \[/ { lost = $0; sub(/^  \[/, "", lost); sub(/\].*/, "", lost); gsub(/ /, "_", lost); next }
	/^    [0-9]+$/ {
		if (lost != "") print "sblost", $1, lost
		else { c[s] += $1; if (!(s in seen)) { seen[s] = 1; order[++m] = s } }
		s = ""; lost = ""; n = 0
	}
	END { for (i = 1; i <= m; i++) print "sb", c[order[i]] order[i] }' "$T/sb.out" > "$T/stacks"
sed -n 's/.* \([0-9][0-9]*\) calls in .*/sbcalls \1/p' "$T/sb.err" >> "$T/stacks"
awk '
	/^@s\[\]: [0-9]+$/ { sub(/.*: /, ""); print "btlost", $0; next }
	/^@s\[$/ { on = 1; s = ""; next }
	on && /^\]: [0-9]+$/ {
		print (s == "" ? "btlost " $2 : "bt " $2 s)
		on = 0; next
	}
	on { s = s " " $1 "|" $2; next }
	/^@n\[kprobe:/ { f = $0; sub(/^@n\[kprobe:/, "", f); sub(/\].*/, "", f); print "btn", f, $NF }
' "$T/bt.out" >> "$T/stacks"

# What kallsyms has at each frame's address and at address - 1: symbols
# and questions sorted together by address (16 hex digits sort as
# text), then for each question the symbols at the highest address at or
# below it.
grep -E '^(sb|bt) ' "$T/stacks" | tr ' ' '\n' | grep '|' | cut -d'|' -f1 |
	sort -u | awk '
	function hexval(s,   i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	{
		print $1, 2
		hi = hexval(substr($1, 1, 8)); lo = hexval(substr($1, 9, 8)) - 1
		if (lo < 0) { lo += 4294967296; hi = (hi + 4294967295) % 4294967296 }
		printf "%04x%04x%04x%04x 2\n", int(hi / 65536), hi % 65536,
			int(lo / 65536), lo % 65536
	}' > "$T/questions"
awk '{ print $1, 1, $2, $3 }' /proc/kallsyms | cat - "$T/questions" |
	LC_ALL=C sort -k1,1 -k2,2n | awk '
	# The image bounds, and __*text_start, __*text_end, __*thunk_start,
	# __*thunk_end (__entry_text_end, __static_call_text_end,
	# __indirect_thunk_start); not __start_*, __stop_* (__start_tty is a
	# function).
	function marker(n) {
		return n ~ /^(_text|_stext|_etext|_sinittext|_einittext|_sdata|_edata|_end)$/ ||
			n ~ /^__.*(text_start|text_end|thunk_start|thunk_end)$/
	}
	$2 == 1 {
		if ($1 != at) { at = $1; kind = "none"; name = "-"; rank = 0 }
		if ($3 !~ /^[tTwW]$/) { k = "nontext"; r = 1 }
		else if ($4 ~ /^__(pfx|cfi)_/) { k = "pad"; r = 3 }
		else if (marker($4)) { k = "marker"; r = 2 }
		else { k = "func"; r = 4 }
		if (r > rank) { rank = r; kind = k; name = $4 }
		next
	}
	$2 == 2 && !seen[$1]++ { print "res", $1, (at == "" ? "none" : kind), (at == "" ? "-" : at), name }
' > "$T/res"
# The entry code's ranges.
awk '$3 ~ /^__(irq)?entry_text_(start|end)$/ { a[$3] = $1 }
	END {
		if ("__entry_text_start" in a) print "entry", a["__entry_text_start"], a["__entry_text_end"]
		if ("__irqentry_text_start" in a) print "entry", a["__irqentry_text_start"], a["__irqentry_text_end"]
	}' /proc/kallsyms > "$T/entry"

compat=$(sed -n 's/.* compat \([0-9][0-9]*\).*/\1/p' "$T/work.out")
cat "$T/res" "$T/entry" "$T/stacks" |
	awk -v COMPAT="${compat:-0}" -v ARCH="$(uname -m)" -f "$CHECK" > "$T/verdicts"
while read -r what name rest; do
	case $what in
	pass) pass "$name" ;;
	fail) fail "$name" "$rest" ;;
	info) echo "INFO: $PREFIX: $name $rest" ;;
	counts) counts="$name $rest" ;;
	esac
done < "$T/verdicts"
grep -q '^pass names\|^fail names' "$T/verdicts" ||
	fail names "frames_check.awk gave no verdict: $(head -c 300 "$T/verdicts")"

# Coverage: frames after an entry frame at a function's first byte.
# shellcheck disable=SC2086 # its words
set -- ${counts:-aestart 0 pred 0}
if [ "$2" -gt 0 ]; then
	pass coverage_entry
else
	fail coverage_entry "the workload made no stack with a frame right after an entry frame at a function's first byte (an interrupt or exception taken there): nothing tells naming by address from naming by address - 1"
fi
kernel_unharmed kernel_unharmed
[ "$failed" = 0 ]
