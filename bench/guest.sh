#!/bin/sh
# bench/guest.sh BINDIR BENCHDIR: make bench's measurements, on the running
# kernel (inside the VM, or natively where the kernel has kprobes). Needs
# root. Prints "INFO key=value" lines and one "RES cfg=NAME round=R ..."
# line per run of a configuration (bench/trial.c's fields, plus stacks= and
# funcs=); bench/report.sh makes the table from them.
#
# BINDIR holds the static show_bt, trial and floor; BENCHDIR is
# bench/ (for stackcount_wrap.py). The configurations run round robin,
# each round in a rotated order, so that the guest's drifting speed hits
# them all alike. Knobs (environment):
#   BENCH_ROUNDS=5       rounds of the startup and cost configurations
#                        (bench.sh asks for 7)
#   BENCH_SROUNDS=3      rounds of the many-stacks and wildcard ones (each
#                        run takes 5-30 s under emulation)
#   BENCH_CALLS=20000    traced write(2)s per cost measurement
#   BENCH_STARTS=5       starts a round of the startup-alone runs (the
#                        minimal loader, the stack-id floor, show_bt): the
#                        round's figure is their median
#   BENCH_SC_ROUNDS=2    rounds of stackcount (each run costs 1-2 minutes
#                        under emulation: it compiles C with clang)
#   BENCH_BIG=2          rounds of the 1000-function attach, after the
#                        others (0: none; minutes a round: the kernel arms
#                        and disarms each perf kprobe one by one)
#   BENCH_TOOLS="bpftrace stackcount"   the other tracers to compare
set -eu
# Globs here are patterns for the tracers, never file names.
set -f

[ $# = 2 ] || { echo "usage: $0 BINDIR BENCHDIR" >&2; exit 2; }
src=$1
here=$2
ROUNDS=${BENCH_ROUNDS:-5}
SROUNDS=${BENCH_SROUNDS:-3}
CALLS=${BENCH_CALLS:-20000}
STARTS=${BENCH_STARTS:-5}
SC_ROUNDS=${BENCH_SC_ROUNDS:-2}
BIG=${BENCH_BIG:-2}
TOOLS=${BENCH_TOOLS-bpftrace stackcount}
FUNC=vfs_write
# The tracepoint row's: one hit per system call, the kernel's stack there.
TP=raw_syscalls:sys_enter
AFF=/sys/kernel/tracing/available_filter_functions
BLACKLIST=/sys/kernel/debug/kprobes/blacklist
SC=/usr/sbin/stackcount-bpfcc

# Run from a tmpfs: in the VM the host's files come over 9p.
B=$(mktemp -d /tmp/bench.XXXXXX)
trap 'rm -rf "$B"' EXIT
for f in show_bt trial floor; do
	cp "$src/$f" "$B/$f"
done
export SHOW_BT_TIMING=1

info() { echo "INFO $*"; }
info "kernel=$(uname -r)"
# report.sh words an arm64 guest's section apart.
info "arch=$(uname -m)"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
# arm64's /proc/cpuinfo has no model name, only the MIDR's fields: name
# the CPU by them (implementer 0, "for software use", is QEMU's -cpu max).
if [ -z "$cpu" ] && [ "$(uname -m)" = aarch64 ]; then
	midr() { sed -n "s/^CPU $1[[:space:]]*: //p" /proc/cpuinfo | head -n 1; }
	cpu="aarch64, MIDR implementer $(midr implementer) part $(midr part)"
	[ "$(midr implementer)" != 0x00 ] || cpu="QEMU TCG -cpu max ($cpu)"
fi
info "guest_cpu=$cpu"
info "guest_cpus=$(grep -c ^processor /proc/cpuinfo)"
info "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
info "rounds=$ROUNDS"
info "srounds=$SROUNDS"
info "calls=$CALLS"
info "sc_rounds=$SC_ROUNDS"
info "big=$BIG"
info "starts=$STARTS"
info "func=$FUNC"

# The perf path as show_bt takes it for one function: perf-event links
# from 6.7 (they count the kprobes' skips), PERF_EVENT_IOC_SET_BPF before.
# The kprobe_multi path needs kprobe_multi links (show_bt looks for the
# same symbol).
case $(uname -r) in
[0-5].* | 6.[0-6].* | 6.[0-6]-*) PERF_ATTACH=ioctl ;;
*) PERF_ATTACH=link ;;
esac
MULTI=0
grep -qw bpf_kprobe_multi_link_release /proc/kallsyms && MULTI=1
# -T, where this show_bt has it.
HAS_T=0
"$B/show_bt" --help 2>/dev/null | grep -q -- '--per-thread' && HAS_T=1
info "perf_attach=$PERF_ATTACH"
info "multi=$MULTI"

has_bt=0
has_sc=0
case " $TOOLS " in *" bpftrace "*)
	if command -v bpftrace >/dev/null; then
		has_bt=1
		info "bpftrace=$(bpftrace --version 2>&1 | head -n 1)"
	else
		info "missing=bpftrace: not installed"
	fi ;;
esac
case " $TOOLS " in *" stackcount "*)
	if [ ! -x "$SC" ] && [ "$(uname -m)" = aarch64 ]; then
		# tests/vm/kit.sh -r builds the arm64 root with bpftrace
		# alone: no python3, no bcc, no kernel headers.
		info "missing=stackcount: no bcc on the arm64 root"
	elif [ ! -x "$SC" ]; then
		info "missing=stackcount: $SC not installed"
	elif [ ! -e "/lib/modules/$(uname -r)/build/include" ]; then
		info "missing=stackcount: no kernel headers in /lib/modules/$(uname -r)/build"
	else
		has_sc=1
		info "stackcount=bcc $(python3 -c 'import bcc; print(bcc.__version__)' 2>&1)"
	fi ;;
esac

# Cold functions for the wildcard attach: families no guest activity
# reaches (IPsec, PCI, crypto API, hugetlb, input), less the kprobe
# blacklist, as show_bt picks them.
sed 's/^0x[0-9a-f]*-0x[0-9a-f]*[[:space:]]*//' "$BLACKLIST" 2>/dev/null |
	sort -u >"$B/blacklist"
awk '{ print $1 }' "$AFF" | grep -E '^(xfrm_|pci_|crypto_|hugetlb_|input_)' |
	grep -v -e '\.cold' -e '^__ftrace_invalid' | sort -u |
	comm -23 - "$B/blacklist" >"$B/pool"
info "cold_pool=$(wc -l <"$B/pool")"

# patterns K: globs "PREFIX*" over the pool matching close to K functions
# (greedy: the largest prefix family that still fits, never two that
# overlap). Prints the patterns on one line; PATTERNS_N gets the count.
patterns() {
	awk -v want="$1" '
	{
		name[NR] = $1
		for (i = 2; i < length($1); i++)
			if (substr($1, i, 1) == "_") n[substr($1, 1, i)]++
	}
	function overlaps(p,   q) {
		for (q in chosen)
			if (index(p, q) == 1 || index(q, p) == 1) return 1
		return 0
	}
	END {
		left = want
		while (left > 0) {
			best = ""
			for (p in n)
				if (n[p] <= left && !overlaps(p) &&
				    (best == "" || n[p] > n[best] ||
				     (n[p] == n[best] && p < best)))
					best = p
			if (best == "") break
			chosen[best] = 1
			left -= n[best]
			out = out (out == "" ? "" : " ") best "*"
		}
		print want - left, out
	}' "$B/pool"
}

# The workloads that make stacks for the 100 and 2,000 stack runs, traced
# on kfree and kmem_cache_free: an exec of true; and the /proc/sys files,
# ps, df, file and pipe traffic on the tmpfs.
S_FUNCS="kfree kmem_cache_free"
W_SMALL=/bin/true
# shellcheck disable=SC2016
W_BIG='find /proc/sys -type f 2>/dev/null | xargs cat >/dev/null 2>&1
ps aux >/dev/null; df >/dev/null; mkdir -p /tmp/w
for i in 1 2 3 4 5 6 7 8; do echo $i >/tmp/w/f$i; cp /tmp/w/f$i /tmp/w/g$i
mv /tmp/w/g$i /tmp/w/h$i; ln -s /tmp/w/h$i /tmp/w/l$i; cat /tmp/w/l$i; done
rm -rf /tmp/w; echo x | cat | wc -c | sort | uniq >/dev/null'

# shellcheck disable=SC2046
{
	set -- $(patterns 10)
	W10_N=$1; shift; W10="$*"
	set -- $(patterns 100)
	W100_N=$1; shift; W100="$*"
	set -- $(patterns 1000)
	W1000_N=$1; shift; W1000="$*"
}
info "wild10=$W10_N: $W10"
info "wild100=$W100_N: $W100"
info "wild1000=$W1000_N: $W1000"

# bpftrace: the program the issue names, plus a BEGIN probe whose line
# stamps the moment every probe is attached.  bpftrace 0.17 fires BEGIN
# before it attaches the other probes (BPFtrace::run), so BEGIN's nsecs
# would be early, by 26 s for 993 kprobes on 6.1 (strace); but it reads
# the line from its perf buffer only after the last attach, so the line's
# arrival (timing_at, trial.c) is the moment.
bt_prog() {
	printf 'BEGIN { printf("bench: timing_at: attached\\n"); } %s { @[%skstack] = count(); }' "$1" "${2:+$2, }"
}
bt_list() {
	for f in "$@"; do printf 'kprobe:%s,' "$f"; done | sed 's/,$//'
}

# Distinct stacks in the output: show_bt and stackcount end each stack
# with its count on a line of its own, bpftrace starts each with "@[".
count_stacks() {
	case $1 in
	bt_*) grep -c '^@\[' "$B/out" || : ;;
	*) grep -Ec '^    [0-9]+$' "$B/out" || : ;;
	esac
}

# run CFG ROUND: one run of a configuration, one RES line. bpftrace 0.17
# now and then never exits after its SIGINT: its runs get 2 minutes.
run() {
	cfg=$1
	rnd=$2
	t=300
	case $cfg in
	nothing) set -- -n "$CALLS" ;;
	floor_empty) set -- -n "$CALLS" -k -- "$B/floor" empty "$FUNC" ;;
	floor_stackid) set -- -n "$CALLS" -k -- "$B/floor" stackid "$FUNC" ;;
	# The minimal loader: floor's empty program, no calls, startup only.
	minload) set -- -k -- "$B/floor" empty "$FUNC" ;;
	stackid_load) set -- -k -- "$B/floor" stackid "$FUNC" ;;
	# show_bt's calls are timed once its copy of /proc/kallsyms is made
	# (-a): on this one-CPU guest the copy would share the CPU with
	# them; it is a one-off cost of the run, not of each call.
	sb_A) set -- -n "$CALLS" -a kallsyms_copied -- "$B/show_bt" -d 5 \
		"$FUNC" ;;
	sb_A_multi) set -- -n "$CALLS" -a kallsyms_copied -- "$B/show_bt" \
		-d 5 --attach multi "$FUNC" ;;
	sb_A_1k) set -- -k -- "$B/show_bt" -d 600 "$FUNC" ;;
	bt_A) t=120; set -- -n "$CALLS" -k -- bpftrace -e "$(bt_prog "kprobe:$FUNC")" ;;
	# A tracepoint every write(2) fires (every system call does: the
	# trial's few others too, alike for both), with a kernel stack.
	sb_TP) set -- -n "$CALLS" -a kallsyms_copied -- "$B/show_bt" -d 5 \
		"t:$TP" ;;
	bt_TP) t=120; set -- -n "$CALLS" -k -- bpftrace -e "$(bt_prog "tracepoint:$TP")" ;;
	# Stacks per process (-P) and per thread (-T): the frames path; for
	# bpftrace the same keys, pid or tid beside kstack.
	sb_P) set -- -n "$CALLS" -a kallsyms_copied -- "$B/show_bt" -d 5 -P \
		"$FUNC" ;;
	bt_P) t=120; set -- -n "$CALLS" -k -- bpftrace -e "$(bt_prog "kprobe:$FUNC" pid)" ;;
	sb_T) set -- -n "$CALLS" -a kallsyms_copied -- "$B/show_bt" -d 5 -T \
		"$FUNC" ;;
	bt_T) t=120; set -- -n "$CALLS" -k -- bpftrace -e "$(bt_prog "kprobe:$FUNC" tid)" ;;
	sc_A) t=900; set -- -n "$CALLS" -k -- python3 "$here/stackcount_wrap.py" \
		"$SC" "$FUNC" ;;
	sb_S100 | sb_S2000 | sb_S2000_slots1 | bt_S100 | bt_S2000 | sc_S100 | sc_S2000)
		w=$W_SMALL
		case $cfg in *S2000*) w=$W_BIG ;; esac
		# shellcheck disable=SC2086
		case $cfg in
		sb_S2000_slots1) set -- "$B/show_bt" -d 600 --stack-slots 1 $S_FUNCS ;;
		sb_*) set -- "$B/show_bt" -d 600 $S_FUNCS ;;
		bt_*) t=120; set -- bpftrace -e "$(bt_prog "$(bt_list $S_FUNCS)")" ;;
		sc_*) t=900; set -- python3 "$here/stackcount_wrap.py" "$SC" -r \
			"^($(echo $S_FUNCS | tr ' ' '|'))\$" ;;
		esac
		set -- -k -x "$w" -- "$@" ;;
	# The 0.5 s pause: bpftrace 0.17 can miss a SIGINT that comes right
	# after BEGIN and then never exits.
	# sb_WN_perf, sb_WN_multi: N functions on either attach path.
	sb_W*)
		wn=${cfg#sb_W}
		how=${wn#*_}
		[ "$how" != perf ] || how=$PERF_ATTACH
		eval "p=\$W${wn%_*}"
		t=1800
		# shellcheck disable=SC2086,SC2154
		set -- -k -x 'sleep 0.5' -- "$B/show_bt" -d 600 \
			--max-probes 100000 --attach "$how" $p ;;
	# bpftrace 0.17 puts many kprobes on a kprobe_multi link where the
	# kernel has them, else attaches them one by one (minutes for 1000).
	bt_W*)
		eval "p=\$W${cfg#bt_W}"
		t=120
		[ "$cfg" != bt_W1000 ] || t=900
		# Past bpftrace's default limit of 512 probes, as its message
		# says to.
		# shellcheck disable=SC2086
		set -- -k -x 'sleep 0.5' -- env BPFTRACE_MAX_PROBES=100000 bpftrace -e "$(bt_prog "$(bt_list $p)")" ;;
	*) echo "guest.sh: unknown configuration $cfg" >&2; return 1 ;;
	esac
	# The kernel frees the previous run's maps and programs after it has
	# exited (a kworker, RCU callbacks): on a one-CPU guest that work
	# lands in this run's startup (measured: show_bt right after the
	# stack-id floor started 2-20x slower than after itself).  Let it
	# finish first.
	# The startup-alone runs start STARTS times: one start is 20-40 ms,
	# and the host's load moves it by as much; the round's figure
	# (startup=) is their median.  (st_*: the main loop's n, i and k
	# are global too.)
	st_n=1
	case $cfg in minload | stackid_load | sb_A_1k) st_n=$STARTS ;; esac
	st_j=0
	st_all=
	while [ $st_j -lt $st_n ]; do
		sleep 1
		r=$("$B/trial" -t "$t" -o "$B/out" -e "$B/err" "$@") ||
			r="status=125"
		case $r in *status=0*) ;; *) break ;; esac
		st_all="$st_all $(echo "$r" | tr ' ' '\n' | awk -F= '
			$1 == "exec" { e = $2 } $1 == "attached" { a = $2 }
			END { print a - e }')"
		st_j=$((st_j + 1))
	done
	if [ $st_n -gt 1 ] && [ $st_j = $st_n ]; then
		r="$r startup=$(echo $st_all | tr ' ' '\n' | sort -g |
			awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
	fi
	[ -e "$B/out" ] || : >"$B/out"
	funcs=$(sed -n 's/^show_bt: \([0-9]*\) functions:.*/\1/p' "$B/err" 2>/dev/null | head -n 1)
	echo "RES cfg=$cfg round=$rnd $r stacks=$(count_stacks "$cfg") funcs=${funcs:--}"
	case $r in *status=0*) ;; *)
		sed "s/^/LOG $cfg: /" "$B/err" 2>/dev/null | tail -n 5 ;;
	esac
	rm -f "$B/out" "$B/err"
}

# rounds_of CFG: how many rounds CFG takes part in.
rounds_of() {
	case $1 in
	bt_*) [ $has_bt = 1 ] || { echo 0; return; } ;;
	sc_*) [ $has_sc = 1 ] || { echo 0; return; } ;;
	*_multi) [ $MULTI = 1 ] || { echo 0; return; } ;;
	sb_T | bt_T) [ $HAS_T = 1 ] || { echo 0; return; } ;;
	esac
	case $1 in
	sc_A) echo "$SC_ROUNDS" ;;
	*_W1000*) echo "$BIG" ;;
	sb_S2000_slots1) echo 1 ;;
	*_S* | *_W*) echo "$SROUNDS" ;;
	*) echo "$ROUNDS" ;;
	esac
}

CFGS="nothing floor_empty floor_stackid minload stackid_load sb_A sb_A_multi sb_A_1k bt_A
sb_TP bt_TP sb_P bt_P sb_T bt_T sc_A sb_S100 bt_S100 sb_S2000 bt_S2000 sb_S2000_slots1 sb_W10_perf
sb_W10_multi bt_W10 sb_W100_perf sb_W100_multi bt_W100"
BIGS="sb_W1000_perf sb_W1000_multi bt_W1000"

# Warm-up, not counted: page cache, the emulator's translated code.
for cfg in nothing floor_stackid minload sb_A_1k bt_A; do
	[ "$(rounds_of $cfg)" = 0 ] || run "$cfg" 0 >/dev/null
done

max=$ROUNDS
[ "$SROUNDS" -le "$max" ] || max=$SROUNDS
[ "$SC_ROUNDS" -le "$max" ] || max=$SC_ROUNDS
# shellcheck disable=SC2086
n=$(echo $CFGS | wc -w)
round=1
while [ $round -le "$max" ]; do
	# Round r starts at configuration r: the order rotates.
	i=0
	while [ $i -lt "$n" ]; do
		k=$(( (i + round - 1) % n + 1 ))
		# shellcheck disable=SC2086
		cfg=$(echo $CFGS | cut -d' ' -f$k)
		[ "$(rounds_of "$cfg")" -lt $round ] || run "$cfg" $round
		i=$((i + 1))
	done
	round=$((round + 1))
done
# The 1000-function runs come last, apart from the rest, in rounds of
# their own (rotated too).
round=1
while [ $round -le "$BIG" ]; do
	for k in 1 2 3; do
		# shellcheck disable=SC2086
		cfg=$(echo $BIGS | cut -d' ' -f$(( (k + round - 2) % 3 + 1 )))
		[ "$(rounds_of "$cfg")" = 0 ] || run "$cfg" $round
	done
	round=$((round + 1))
done
info "done=$(date -u '+%H:%M:%S')"
