#!/bin/sh
# What show_bt cannot trace, proven on the running kernel: for one real
# function of each category in LIMITATIONS.md, show_bt --check's verdict and
# reason; real runs for what --check cannot tell (a caller that got an
# inlined copy, a compiler clone traced by its own name, a very hot
# function).  Run inside the test VM (tests/vm/run.sh) or natively as root.
# POSIX sh: the VM has busybox.
#
#   limits.sh BINDIR     BINDIR holds show_bt and the static workload `writer`
#
# Prints "PASS: e2e/KERNEL/limits/NAME" or "FAIL: e2e/KERNEL/limits/NAME: why"
# per test, nothing else on stdout; exits 1 if any failed.
#
# The examples are the same on Debian's 6.1 and 6.12 kernels; where a kernel
# may differ (a module that is loaded, a function not cloned or not
# inlined), the example is chosen or the expectation derived from the
# kernel's own files, never assumed.
# shellcheck disable=SC2317 # the fact helpers are called through need()
set -u
BIN=${1:?usage: limits.sh BINDIR}
SB=$BIN/show_bt
KREL=$(uname -r)
KSYMS=/proc/kallsyms
BLACKLIST=/sys/kernel/debug/kprobes/blacklist
LIST=/sys/kernel/debug/kprobes/list
AFF=/sys/kernel/tracing/available_filter_functions
T=$(mktemp -d /tmp/limits.XXXXXX)
PREFIX=e2e/$KREL/limits
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"
kprobes_snapshot

# --- What the kernel's own files say ------------------------------------

# The blacklist's examples are each architecture's own, for the same three
# kinds: noinstr code (x86: the page fault handler; arm64: el0_da, the
# handler of a data abort from user space, the page fault's way in), the
# entry code (the system call's entry: x86 entry_SYSCALL_64, arm64's
# vector el0t_64_sync) and kprobes' own code (the breakpoint handler).
# HOT: a very hot function that is a function on both (arm64 inlines the
# spinlocks: no _raw_spin_lock there).
case $(uname -m) in
aarch64)
	BL_NOINSTR=el0_da BL_ENTRY=el0t_64_sync
	BL_KPROBES=kprobe_breakpoint_handler SYS=__arm64_sys_
	;;
*)
	BL_NOINSTR=exc_page_fault BL_ENTRY=entry_SYSCALL_64
	BL_KPROBES=kprobe_int3_handler SYS=__x64_sys_
	;;
esac
ENTRY_WRITE=ksys_write		# vfs_write's frame 1 at its entry
HOT=kmem_cache_free

# Functions these tests name, and a few section bounds.  Candidates for "a
# module that is not loaded": functions that Debian's 6.1 and 6.12 packages
# ship in ext4.ko, btrfs.ko and xfs.ko (CONFIG_*_FS=m in both).
MODULE_CANDIDATES="ext4_sync_file:ext4 btrfs_sync_file:btrfs xfs_file_fsync:xfs"
NAMES="$BL_NOINSTR $BL_ENTRY $BL_KPROBES rcu_is_watching
	new_sync_write ksys_pwrite64 ${SYS}pwrite64 link_path_walk
	do_sysinfo load_elf_binary start_kernel array_map_lookup_elem
	get_perf_callchain $HOT ext4_sync_file btrfs_sync_file
	xfs_file_fsync _sinittext _einittext __noinstr_text_start
	__noinstr_text_end __entry_text_start __entry_text_end"

# One pass over /proc/kallsyms: "sym NAME ADDR TYPE [MODULE]" for each
# symbol named in $NAMES, "clone NAME FULLNAME" for each text symbol
# NAME.suffix (a .isra/.constprop/.part clone, or a .cold fragment).
awk -v names="$NAMES" '
	BEGIN { n = split(names, v); for (i = 1; i <= n; i++) want[v[i]] = 1 }
	$3 in want { print "sym", $3, $1, $2, (NF > 3 ? $4 : ""); next }
	$2 ~ /^[tT]$/ && (p = index($3, ".")) > 1 {
		base = substr($3, 1, p - 1)
		if (base in want) print "clone", base, $3
	}' "$KSYMS" > "$T/facts"

# The address of the text symbol $1, or nothing.
addr_of() {
	awk -v s="$1" '$1 == "sym" && $2 == s && $4 ~ /^[tT]$/ { print $3; exit }' "$T/facts"
}
# How many text symbols are named $1.
text_count() {
	awk -v s="$1" '$1 == "sym" && $2 == s && $4 ~ /^[tT]$/ { n++ } END { print n + 0 }' "$T/facts"
}
# How many clones $1 has, and the first one's name.
clone_count() {
	awk -v s="$1" '$1 == "clone" && $2 == s { n++ } END { print n + 0 }' "$T/facts"
}
first_clone() {
	awk -v s="$1" '$1 == "clone" && $2 == s { print $3; exit }' "$T/facts"
}
# Whether symbol $1 lies in [$2, $3): kallsyms addresses have 16 hex
# digits, so comparing them as strings compares them as numbers.
within() {
	a=$(addr_of "$1") lo=$(addr_of "$2") hi=$(addr_of "$3")
	[ -n "$a" ] && [ -n "$lo" ] && [ -n "$hi" ] &&
		awk -v a="$a" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(a >= lo "" && a < hi "") }'
}
blacklisted() {
	awk -v s="$1" -F '\t' '$2 == s { f = 1 } END { exit !f }' "$BLACKLIST"
}
ftrace_can_trace() {
	grep -qx "$1" "$AFF"
}
has_symbol() { [ -n "$(addr_of "$1")" ]; }
not() { ! "$@"; }

# need COMMAND...: a fact about the kernel the next example relies on;
# verdict() fails the test if one did not hold.
why=
need() {
	"$@" || why="${why:+$why; }not true: $*"
}

# --- show_bt --check: one call for every example ------------------------

# Inlined everywhere: no symbol, no clone.  new_sync_write (fs/read_write.c)
# is inlined into vfs_write on 6.1 and 6.12 but still a function on 5.10;
# file_start_write (include/linux/fs.h, static inline) never is one.
INLINED=
for f in new_sync_write file_start_write; do
	if ! grep -q " $f\$" "$KSYMS"; then
		INLINED=$f
		break
	fi
done
# A function known only as clones, and one to trace by its clone's name.
CLONED=link_path_walk
CLONED_RUN=do_sysinfo
# A function of a module that is not loaded (none is, in the VM).
MODFN=
for c in $MODULE_CANDIDATES; do
	f=${c%%:*} m=${c#*:}
	if [ -z "$(addr_of "$f")" ] && ! grep -q "^$m " /proc/modules; then
		MODFN=$f
		break
	fi
done
# A name two static functions share: binfmt_elf and compat_binfmt_elf.
SHARED=load_elf_binary
SHARED_ADDR=$(addr_of "$SHARED")
# The clone to trace instead: do_sysinfo.isra.0 on 6.1 and 6.12.
CLONE_NAME=$(first_clone "$CLONED")
RUN_NAME=$CLONED_RUN
[ -n "$(addr_of "$CLONED_RUN")" ] || RUN_NAME=$(first_clone "$CLONED_RUN")

"$SB" --check $BL_NOINSTR $BL_ENTRY $BL_KPROBES \
	rcu_is_watching "$INLINED" ksys_pwrite64 "$CLONED" ${CLONE_NAME:+"$CLONE_NAME"} \
	"$CLONED_RUN" ${MODFN:+"$MODFN"} "$SHARED" "$SHARED@$SHARED_ADDR" \
	start_kernel array_map_lookup_elem get_perf_callchain $HOT \
	> "$T/check.out" 2> "$T/check.err"
check_rc=$?
if [ $check_rc -ne 1 ] || [ -s "$T/check.err" ]; then
	fail check_exit_status "exit $check_rc (want 1: some cannot be traced), stderr: $(cat "$T/check.err")"
else
	pass check_exit_status
fi
kprobes_unchanged check_nothing_left

# Test $1 passes if what need() was told held and show_bt --check printed
# a line matching the ERE $2 (the whole line).
verdict() {
	name=$1 re=$2
	if [ -n "$why" ]; then
		fail "$name" "the kernel's files do not show what the example needs: $why"
	elif ! grep -Eqx "$re" "$T/check.out"; then
		fail "$name" "want a line '$re' in: $(cat "$T/check.out")"
	else
		pass "$name"
	fi
	why=
}
refused_bl() {
	echo "$1: cannot trace: the kernel refused the kprobe \\(Invalid argument\\): $1 is listed in $BLACKLIST"
}

# 1. The kprobe blacklist: noinstr code (exc_page_fault, el0_da: in
# .noinstr.text), entry code (entry_SYSCALL_64, el0t_64_sync: in
# .entry.text), kprobes' own code (kprobe_int3_handler,
# kprobe_breakpoint_handler: NOKPROBE_SYMBOL; ftrace can trace them, so
# only the blacklist refuses them).
need blacklisted $BL_NOINSTR
need within $BL_NOINSTR __noinstr_text_start __noinstr_text_end
verdict blacklist_noinstr "$(refused_bl $BL_NOINSTR)"
need blacklisted $BL_ENTRY
need within $BL_ENTRY __entry_text_start __entry_text_end
verdict blacklist_entry "$(refused_bl $BL_ENTRY)"
need blacklisted $BL_KPROBES
need ftrace_can_trace $BL_KPROBES
verdict blacklist_kprobes_own "$(refused_bl $BL_KPROBES)"

# 2. notrace: not blacklisted, but ftrace cannot trace it, and kernels
# without CONFIG_KPROBE_EVENTS_ON_NOTRACE refuse kprobe events there.
need has_symbol rcu_is_watching
need not blacklisted rcu_is_watching
need not ftrace_can_trace rcu_is_watching
verdict notrace 'rcu_is_watching: cannot trace: the kernel refused the kprobe \(Invalid argument\): ftrace cannot trace rcu_is_watching \(notrace\), and this kernel allows kprobes on such functions only with CONFIG_KPROBE_EVENTS_ON_NOTRACE'
if grep -q '^rcu_is_watching: .*is listed in' "$T/check.out"; then
	fail notrace_not_called_blacklisted "$(grep '^rcu_is_watching: ' "$T/check.out")"
else
	pass notrace_not_called_blacklisted
fi

# 3. Inlined everywhere: the static function left no symbol at all.
need not has_symbol "$INLINED"
need [ "$(clone_count "$INLINED")" = 0 ]
verdict inlined_everywhere \
	"$INLINED: cannot trace: no symbol in $KSYMS: no such function, inlined everywhere, or in a module that is not loaded( \\(did you mean: .*\\?\\))?(; tracepoints with words in common: t:[^ ]+(, t:[^ ]+)*)?"

# 4. Inlined into some callers: ksys_pwrite64 has a symbol and --check
# says ok; the run below shows what it misses.
verdict inlined_copy_check 'ksys_pwrite64: ok'

# 5. Only clones: the plain name is refused, the clone's name is ok.
# "made N clone(s) of it, such as CLONE: probe it/them by that name"
clones_re() {
	n=$(clone_count "$1")
	if [ "$n" -gt 1 ]; then s=s them=them; else s='' them=it; fi
	echo "$1: cannot trace: no symbol $1 in $KSYMS, but the compiler made $n clone$s of it, such as $2: probe $them by that name"
}
need not has_symbol "$CLONED"
need [ -n "$CLONE_NAME" ]
verdict clone "$(clones_re "$CLONED" "$CLONE_NAME")"
need [ -n "$CLONE_NAME" ]
verdict clone_by_its_name "$CLONE_NAME: ok"
if [ "$RUN_NAME" = "$CLONED_RUN" ]; then
	verdict clone_run_check "$CLONED_RUN: ok"
else
	verdict clone_run_check "$(clones_re "$CLONED_RUN" "$RUN_NAME")"
fi

# 6. A function of a module that is not loaded.
if [ -z "$MODFN" ]; then
	fail module_not_loaded "every candidate's module is loaded: $MODULE_CANDIDATES"
else
	verdict module_not_loaded \
		"$MODFN: cannot trace: no symbol in $KSYMS: no such function, inlined everywhere, or in a module that is not loaded( \\(did you mean: .*\\?\\))?(; tracepoints with words in common: t:[^ ]+(, t:[^ ]+)*)?"
fi

# 7. Static functions sharing a name: each is probed, NAME@ADDR picks one.
n=$(text_count "$SHARED")
need [ "$n" -ge 2 ]
verdict shared_name "$SHARED: ok; $n functions share this name and each was probed \\(pick one with NAME@ADDR\\)"
verdict shared_name_pick "$SHARED@0x$SHARED_ADDR: ok"

# 8. __init code: freed after boot; its kallsyms entry stays.
need within start_kernel _sinittext _einittext
verdict init_freed 'start_kernel: cannot trace: it is __init code, freed after boot \(start_kernel is in \.init\.text\)'

# 9. Code that BPF and the tracing machinery run: ok, but may miss hits.
# (The misses themselves, counted: e2e.sh's skipped_hits test.)
maymiss='ok; may miss hits: it is BPF or tracing code, and the kernel skips hits made while a BPF program runs on the same CPU'
verdict bpf_machinery_map "array_map_lookup_elem: $maymiss"
verdict bpf_machinery_stack "get_perf_callchain: $maymiss"

# 10. A very hot function: --check cannot tell; it is ok.
need has_symbol $HOT
verdict hot_check "$HOT: ok"

# --- Real runs -----------------------------------------------------------

# stacks: tests/lib.sh.  The summed count of the stacks in output $1
# whose frames match the ERE $2 (0 if none does); lib.sh's count_of wants
# exactly one.
sum_of() {
	stacks "$1" | re=$2 awk '{ f = $0; sub(/^[0-9]+ /, "", f) }
		f ~ ENVIRON["re"] { c += $1 } END { print c + 0 }'
}

# 11. A caller with an inlined copy is not seen: the writer makes 5
# pwrite64 and 3 write calls; ksys_pwrite64 and vfs_write are traced.
# Where __x64_sys_pwrite64 calls vfs_write directly (ksys_pwrite64 inlined
# into it, as on Debian's 5.10, 6.1 and 6.12), the probe on ksys_pwrite64
# sees none of the 5.  arm64's __arm64_sys_pwrite64 calls ksys_pwrite64
# (no inlined copy: the example does not apply, inlined_copy_none): its
# probe sees all 5, and vfs_write's stacks go through ksys_pwrite64 (both
# probes at an entry: show_bt puts in the caller that arm64's unwinder
# misses there, from x30).
test_inlined_copy() {
	start_writer writer "$T/inl" pwrite64=5 write=3
	wp=$last_writer
	# Perf kprobes (--attach ioctl): kprobes/list shows each, with its
	# type (a kprobe_multi link is an fprobe, which it does not list).
	if ! start_tracing inl --attach ioctl -p $wp -d 300 ksys_pwrite64 vfs_write; then
		kill $wp 2>/dev/null
		wait $wp
		fail inlined_copy_unseen "show_bt never said it was tracing: $(cat "$T/inl.err")"
		return
	fi
	# Both probes are plain kprobes ("k"), none a return probe ("r").
	awk '{ print $2 }' "$LIST" | sort -u > "$T/types"
	kill -USR1 $wp
	wait $wp
	wrc=$?
	stop_tracing
	direct=$(sum_of "$T/inl.out" "^vfs_write\\+0x[0-9a-f]+;${SYS}pwrite64\\+")
	via=$(sum_of "$T/inl.out" '^vfs_write\+0x[0-9a-f]+;ksys_pwrite64\+')
	seen=$(sum_of "$T/inl.out" '^ksys_pwrite64\+')
	if [ "$(uname -m)" = aarch64 ]; then
		name=inlined_copy_none want="0/5/5"
	else
		name=inlined_copy_unseen want="5/0/0"
	fi
	if [ $rc -ne 0 ] || [ $wrc -ne 0 ]; then
		fail $name "show_bt exit $rc, writer exit $wrc: $(cat "$T/inl.err")"
	elif [ "$((direct + via))" != 5 ] ||
	     [ "$(sum_of "$T/inl.out" "^vfs_write\\+0x[0-9a-f]+;$ENTRY_WRITE\\+")" != 3 ]; then
		fail $name "want 5 pwrite64 and 3 write calls of vfs_write: $(stacks "$T/inl.out")"
	elif [ "$direct/$via/$seen" != "$want" ]; then
		fail $name "vfs_write from ${SYS}pwrite64 / from ksys_pwrite64 / ksys_pwrite64 hit: $direct/$via/$seen, want $want: $(stacks "$T/inl.out")"
	else
		pass $name
	fi
	if [ "$(cat "$T/types")" = k ]; then
		pass no_return_probes
	else
		fail no_return_probes "probe types in $LIST while tracing: $(tr '\n' ' ' < "$T/types")"
	fi
	kprobes_unchanged inlined_copy_nothing_left
}

# 12. What to do instead of a clone-only name: trace the clone by its own
# name.  busybox free makes one sysinfo() call.
test_clone_run() {
	if ! start_tracing cl -d 300 "$RUN_NAME"; then
		fail clone_traced "show_bt never said it was tracing $RUN_NAME: $(cat "$T/cl.err")"
		return
	fi
	for i in 1 2 3; do
		busybox free > /dev/null
	done
	stop_tracing
	got=$(stacks "$T/cl.out")
	if [ $rc -ne 0 ]; then
		fail clone_traced "show_bt exit $rc: $(cat "$T/cl.err")"
	elif ! echo "$got" | grep -Eqx "3 $RUN_NAME\\+0x[0-9a-f]+;.*sysinfo.*"; then
		fail clone_traced "want one stack of 3 calls from sysinfo() into $RUN_NAME: $got"
	else
		pass clone_traced
	fi
	kprobes_unchanged clone_nothing_left
}

# 13. A very hot function while a shell loop opens, writes and closes a
# file 2000 times: each open frees its path name (putname) with $HOT,
# so the window, ended by SIGINT once the loop is done, counts at least
# one call a line the loop wrote.  Meanwhile a new process starts and the
# loop runs to its end; the run exits 0 and leaves nothing.  No rate is
# assumed: the loop may take as long as it takes, up to 300 s.
test_hot() {
	fn=$HOT
	rm -f "$T/loop" "$T/loop.done"
	if ! start_tracing hot -d 300 $fn; then
		fail hot_run "show_bt never said it was tracing $fn: $(cat "$T/hot.err")"
		return
	fi
	(
		i=0
		while [ $i -lt 2000 ]; do
			echo x >> "$T/loop"
			i=$((i + 1))
		done
		: > "$T/loop.done"
	) &
	lp=$!
	load=$(cat /proc/loadavg)
	poll 3000 test -e "$T/loop.done"
	kill $lp 2> /dev/null
	wait $lp
	stop_tracing
	n=$(cat "$T/loop" 2> /dev/null | wc -l)
	calls=$(sed -n "s/^show_bt: $fn: \\([0-9]*\\) calls in [0-9.]* s, .*/\\1/p" "$T/hot.err")
	if [ $rc -ne 0 ] || [ -z "$calls" ]; then
		fail hot_run "exit $rc, want a summary: $(cat "$T/hot.err")"
	elif [ "$calls" -lt "$n" ]; then
		fail hot_run "$calls calls of $fn for $n files opened: $(cat "$T/hot.err")"
	else
		pass hot_run
	fi
	# A new process started and answered; the loop ran to its end.
	if [ -n "$load" ] && [ "$n" -eq 2000 ]; then
		pass hot_kernel_responsive
	else
		fail hot_kernel_responsive "the loop wrote $n of 2000 lines in 300 s, /proc/loadavg read '$load'"
	fi
	kprobes_unchanged hot_nothing_left
}

# A .cold fragment is no entry point: it is not offered as a clone.  Any
# function of this kernel with no symbol of its own, whose only other
# pieces are one clone and that clone's .cold part, shows it.
test_cold_not_a_clone() {
	base=$(awk '$3 ~ /\.cold$/ { c = $3; sub(/\..*/, "", c); cold[c] = 1 }
		    { n = $3; sub(/\..*/, "", n); pieces[n]++
		      if ($3 == n) plain[n] = 1 }
		    END { for (c in cold) if (!plain[c] && pieces[c] == 2)
				  { print c; exit } }' "$KSYMS")
	if [ -z "$base" ]; then
		pass cold_not_a_clone_none_here
		return
	fi
	"$SB" --check "$base" > "$T/cold.out" 2>&1
	if grep -q "made 1 clone of it" "$T/cold.out" &&
	   ! grep -q '\.cold' "$T/cold.out"; then
		pass cold_not_a_clone
	else
		fail cold_not_a_clone "$base: $(cat "$T/cold.out")"
	fi
}

test_inlined_copy
test_clone_run
test_hot
test_cold_not_a_clone
rm -rf "$T"
exit $failed
