#!/bin/sh
# The two attach paths, on the running kernel: one kprobe_multi link
# (BPF_TRACE_KPROBE_MULTI, Linux 5.18+ with CONFIG_FPROBE) and a perf
# kprobe per function.  Where the kernel has the link, both give the same
# stacks (frame 0 included) and the same exact counts for the same
# workload, the link is the default for several functions, its window is
# gated like the kprobes', it counts the hits the kernel skipped, it takes
# the functions it can and leaves the rest to kprobes, and kill -9 leaves
# nothing behind.  Where it has none, the kprobes are used, and said so.
# Run inside the test VM (tests/vm/run.sh) or natively as root.  POSIX sh:
# the VM has busybox.
#
#   attach.sh BINDIR     BINDIR holds show_bt and the static workload `writer`
#
# Prints "PASS: e2e/KERNEL/attach/NAME" or "FAIL: e2e/KERNEL/attach/NAME:
# why" per test, and one INFO line saying which path this kernel has;
# exits 1 if any failed.
set -u
BIN=${1:?usage: attach.sh BINDIR}
SB=$BIN/show_bt
KREL=$(uname -r)
KSYMS=/proc/kallsyms
ENABLED=/sys/kernel/tracing/enabled_functions
T=$(mktemp -d /tmp/attach.XXXXXX)
PREFIX=e2e/$KREL/attach
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"
kprobes_snapshot
cat "$ENABLED" > "$T/enabled.before" 2> /dev/null

V=$(kernel_version)

# stacks, count_of, trace, ran_ok: tests/lib.sh.

# Trace the workload: $1 the output name, then show_bt's arguments (-p
# and -d 300 are added).  A writer makes write=37 pwrite64=23 writev=11
# once show_bt says it is tracing; SIGINT ends the window once it has
# exited (trace).  Sets $rc (show_bt) and $wrc (the writer).
trace_workload() {
	out=$1
	shift
	start_writer writer "$T/$out.w" write=37 pwrite64=23 writev=11
	trace "$out" "$*" -p "$last_writer" -d 300 "$@"
}

# The functions traced: a name and a pattern (ksys_write
# 'generic_perform_write*'), so that the link is the default where there
# is one.  ksys_write: 37 stacks from write(); generic_perform_write: one
# stack from each kind of call.  The counts and stacks wanted of them, and
# the summary's head:
exact() {
	k=$(count_of "$1" '^ksys_write\+')
	w=$(count_of "$1" '^generic_perform_write\+.*;ksys_write\+')
	p=$(count_of "$1" '^generic_perform_write\+.*;(ksys_pwrite64|__x64_sys_pwrite64)\+')
	v=$(count_of "$1" '^generic_perform_write\+.*;(do_writev|vfs_writev)\+')
	n=$(stacks "$1" | wc -l)
	echo "$k/$w/$p/$v/$n"
}
WANT=37/37/23/11/4
SUMMARY='^show_bt: [0-9]+ functions: 108 calls in .*, 4 distinct stacks; counted by stack id [0-9]+, by frames [0-9]+( \([^)]*\))?, unreadable 0, lost 0 '

# --- Which path this kernel has ------------------------------------------

# show_bt tells from KPROBE_MULTI_SYMBOL (kprobe.h); CONFIG_FPROBE's own
# code (kernel/trace/fprobe.c: register_fprobe) says the same
# independently: both or neither, and neither before 5.18.
has_sym() { grep -q " $1\$" "$KSYMS"; }
MULTI=0
has_sym bpf_kprobe_multi_link_release && MULTI=1
FPROBE=0
has_sym register_fprobe && FPROBE=1
if [ $V -lt 5018 ] && [ $MULTI = 1 ]; then
	fail detect "a kprobe_multi symbol on $KREL, before 5.18"
elif [ $MULTI != $FPROBE ]; then
	fail detect "bpf_kprobe_multi_link_release $MULTI, register_fprobe $FPROBE: the two tell different stories"
else
	pass detect
fi
echo "INFO: $PREFIX: kprobe_multi links: $([ $MULTI = 1 ] && echo yes || echo "no (CONFIG_FPROBE is off, or the kernel is before 5.18)")"

# What the tracing line says of perf kprobes on this kernel: links from
# 6.7 (they count the kprobes' own skips), else the card's ioctl.
if [ $V -ge 6007 ]; then
	PERF="perf-event BPF links"
else
	PERF=PERF_EVENT_IOC_SET_BPF
fi

# --- 1. The default for several functions, and the same stacks ----------

trace_workload dflt ksys_write 'generic_perform_write*'
if ran_ok default dflt; then
	if [ $MULTI = 1 ]; then
		path="a kprobe_multi link"
	else
		path=$PERF
	fi
	got=$(exact "$T/dflt.out")
	if ! grep -q "^show_bt: tracing 2 functions for 300 s, attached with $path (Ctrl-C ends it early)\$" "$T/dflt.err"; then
		fail default "no 'attached with $path' on the tracing line: $(cat "$T/dflt.err")"
	elif [ "$got" != $WANT ] || ! grep -Eq "$SUMMARY" "$T/dflt.err"; then
		fail default "ksys_write/write/pwrite64/writev/stacks = $got, want $WANT: $(stacks "$T/dflt.out") $(cat "$T/dflt.err")"
	else
		pass default
	fi
fi

if [ $MULTI = 1 ]; then
	trace_workload perf --attach link ksys_write 'generic_perform_write*'
	if ran_ok perf_path perf; then
		if ! grep -q "^show_bt: tracing 2 functions for 300 s, attached with $PERF " "$T/perf.err"; then
			fail perf_path "no 'attached with $PERF': $(cat "$T/perf.err")"
		elif [ "$(exact "$T/perf.out")" != $WANT ]; then
			fail perf_path "want $WANT: $(stacks "$T/perf.out")"
		else
			pass perf_path
		fi
	fi
	# Frame 0 too: NAME+0x.. where a kprobe says it, whatever the
	# link's registers hold (targets.c: probes_frame0()).
	if [ -s "$T/dflt.out" ] && [ -s "$T/perf.out" ]; then
		if [ "$(stacks "$T/dflt.out")" = "$(stacks "$T/perf.out")" ]; then
			pass same_stacks
		else
			fail same_stacks "link: $(stacks "$T/dflt.out" | tr '\n' '|') kprobes: $(stacks "$T/perf.out" | tr '\n' '|')"
		fi
	fi
else
	# No link here: asking for one is an error that says why.
	"$SB" --attach multi -d 1 vfs_write > "$T/no.out" 2> "$T/no.err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l < "$T/no.err")" -eq 1 ] &&
	   grep -q '^show_bt: --attach multi needs kprobe_multi links (Linux 5.18 or later built with CONFIG_FPROBE), and this kernel has none' "$T/no.err"; then
		pass multi_refused
	else
		fail multi_refused "exit $rc: $(cat "$T/no.err")"
	fi
fi
kprobes_unchanged paths_nothing_left

if [ $MULTI = 0 ]; then
	rm -rf "$T"
	exit $failed
fi

# --- 2. The window's gate: nothing counts before the tracing line ------

# Stopped once the link is made, before the gate opens (testhook.h): the
# writer's calls made then are not counted.  (stopped: tests/lib.sh.)
start_writer writer "$T/gate.w" write=5
w=$last_writer
SHOW_BT_TEST_STOP=attached "$SB" --attach multi -p "$w" -d 300 \
	ksys_write 'generic_perform_write*' > "$T/gate.out" 2> "$T/gate.err" &
sp=$!
if poll 1200 grep -q '^show_bt: test: stopped at attached' "$T/gate.err" &&
   poll 1200 stopped $sp; then
	kill -USR1 "$w"
	wait "$w"
	kill -CONT $sp
	wait_ready "$T/gate.err" $sp
	kill -INT $sp
	wait $sp
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$T/gate.out" ] ||
	   ! grep -q '^show_bt: 2 functions: 0 calls in ' "$T/gate.err" ||
	   ! grep -q 'attached with a kprobe_multi link ' "$T/gate.err"; then
		fail window_gate "exit $rc, stdout '$(cat "$T/gate.out")': $(cat "$T/gate.err")"
	else
		pass window_gate
	fi
else
	fail window_gate "show_bt never stopped at 'attached' (state $(awk '{ print $3 }' /proc/$sp/stat 2> /dev/null)): $(cat "$T/gate.err")"
	kill -9 $sp "$w" 2> /dev/null
	wait
fi
writers=

# --- 3. A mixed run: the link, and a kprobe for what it cannot take -----

# An offset is a kprobe's: vfs_write+OFF (the instruction after the ftrace
# call site, as kprobes/list shows it) beside the two on the link.  The
# same stacks as with kprobes alone; two loads of the program.
# (after_probe_site: tests/lib.sh.)
off=$(after_probe_site vfs_write)
if [ -z "$off" ]; then
	fail mixed "no probe site of vfs_write: $(cat "$T/site.err")"
else
	trace_workload mix ksys_write 'generic_perform_write*' "vfs_write+$off"
fi
if [ -n "$off" ] && ran_ok mixed mix; then
	trace_workload mixp --attach link ksys_write 'generic_perform_write*' "vfs_write+$off"
	if ran_ok mixed mixp; then
		# write() and pwrite64() both pass vfs_write.
		m=$(count_of "$T/mix.out" "^vfs_write\\+.*;ksys_write\\+")
		m=$m/$(count_of "$T/mix.out" "^vfs_write\\+.*;(ksys_pwrite64|__x64_sys_pwrite64)\\+")
		if ! grep -q "attached with a kprobe_multi link on 2 functions and $PERF on 1 kprobe " "$T/mix.err"; then
			fail mixed "the tracing line: $(cat "$T/mix.err")"
		elif [ "$m" != 37/23 ] || [ "$(stacks "$T/mix.out" | wc -l)" != 6 ]; then
			fail mixed "want 37/23 at vfs_write+$off (got $m) and 6 stacks: $(stacks "$T/mix.out")"
		elif [ "$(stacks "$T/mix.out")" != "$(stacks "$T/mixp.out")" ]; then
			fail mixed "link and kprobe: $(stacks "$T/mix.out" | tr '\n' '|') kprobes: $(stacks "$T/mixp.out" | tr '\n' '|')"
		else
			pass mixed
		fi
	fi
fi

# --- 4. Hits the kernel skipped: counted on the link as on kprobes ------

# BPF's recursion guard (the program's own count): array_map_lookup_elem
# runs while bpf() holds BPF programs off.
if [ $V -ge 6007 ]; then
	start_writer writer "$T/sk.w" bpf_map_lookup=50
	trace sk array_map_lookup_elem --attach multi -d 300 array_map_lookup_elem
	if [ $rc -ne 0 ] || [ $wrc -ne 0 ] ||
	   ! grep -q '^show_bt: array_map_lookup_elem: 0 calls .*; skipped by the kernel 50$' "$T/sk.err" ||
	   ! grep -q 'attached with a kprobe_multi link ' "$T/sk.err"; then
		fail skipped_recursion "exit $rc, writer exit $wrc: $(cat "$T/sk.err")"
	else
		pass skipped_recursion
	fi

	# Skips while a kprobe runs: B's link on get_perf_callchain sees each
	# of A's hits from inside A's kprobe handler (ftrace lets that one
	# nested level through to the link's handler), where BPF's recursion
	# guard holds B's program off.  "skipped by the kernel 20", not
	# "20, and maybe more": the link's own count (its info's missed, 0
	# here) was read as well, as a perf-event link's would be.
	# (nested_skips: tests/lib.sh.)
	nested_skips --attach multi
	if [ $rc -ne 0 ] || [ $wrc -ne 0 ] || [ $brc -ne 0 ] ||
	   ! grep -q '^show_bt: vfs_write: 20 calls in ' "$T/ka.err" ||
	   ! grep -q '^show_bt: get_perf_callchain: 0 calls in .*; skipped by the kernel 20$' "$T/kb.err"; then
		fail skipped_link "A exit $rc, writer exit $wrc, B exit $brc: A: $(cat "$T/ka.err") B: $(cat "$T/kb.err")"
	else
		pass skipped_link
	fi
fi

# --- 5. --check on the link's path --------------------------------------

# Each function on a link of its own, a kprobe where that is refused: the
# verdicts a run would meet.
"$SB" --check --attach multi ksys_write notify_die jiffies \
	> "$T/check.out" 2> "$T/check.err"
rc=$?
if [ $rc -ne 1 ] || [ -s "$T/check.err" ] ||
   ! grep -qx 'ksys_write: ok' "$T/check.out" ||
   ! grep -q '^notify_die: cannot trace: the kernel refused the kprobe (Invalid argument): notify_die is listed in ' "$T/check.out" ||
   ! grep -q '^jiffies: cannot trace: it is a data symbol' "$T/check.out"; then
	fail check "exit $rc: $(cat "$T/check.out" "$T/check.err")"
else
	pass check
fi

# --xlated: the expected attach type is the link's; --dump tells both.
if "$SB" --xlated --attach multi -p 1 > "$T/x.out" 2> "$T/x.err" &&
   grep -q '^# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI' "$T/x.out" &&
   "$SB" --xlated -p 1 > "$T/x0.out" 2> "$T/x0.err" &&
   grep -q '^# Loaded with expected_attach_type 0, for perf kprobes' "$T/x0.out"; then
	pass xlated_attach_type
else
	fail xlated_attach_type "$(head -3 "$T/x.out" "$T/x.err" "$T/x0.err")"
fi
kprobes_unchanged multi_nothing_left

# --- 6. kill -9: the link goes with the process ---------------------------

# A link holds no kprobe: ftrace's list of the functions it calls out for
# (enabled_functions) is where it shows, and it must empty.
start_tracing k9 --attach multi -d 300 ksys_write 'generic_perform_write*'
if ! grep -q '^ksys_write ' "$ENABLED"; then
	fail kill9 "ksys_write is not in $ENABLED while traced: $(head -5 "$ENABLED") $(cat "$T/k9.err")"
fi
kill -9 "$tracer" 2> /dev/null
wait "$tracer" 2> /dev/null
if poll 300 cmp -s "$ENABLED" "$T/enabled.before"; then
	pass kill9
else
	fail kill9 "$ENABLED after kill -9: $(head -5 "$ENABLED" | tr '\n' ' ')"
fi
kprobes_unchanged kill9_no_kprobe

rm -rf "$T"
exit $failed
