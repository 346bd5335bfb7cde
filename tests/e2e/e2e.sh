#!/bin/sh
# End-to-end tests of show_bt on a kernel with kprobes: run inside the test
# VM (tests/vm/run.sh) or natively as root.  POSIX sh: the VM has busybox.
#
#   e2e.sh BINDIR     BINDIR holds show_bt and the static workload `writer`
#
# Prints "PASS: e2e/KERNEL/NAME" or "FAIL: e2e/KERNEL/NAME: why" per test;
# exits 1 if any failed.
set -u
BIN=${1:?usage: e2e.sh BINDIR}
SB=$BIN/show_bt
KREL=$(uname -r)
T=$(mktemp -d /tmp/e2e.XXXXXX)
PREFIX=e2e/$KREL
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"
V=$(kernel_version)

# What differs by architecture (uname -m), from the kernels' own stacks:
# SYS, the prefix of the syscalls' functions; ROOT, the outermost frame of
# a system call's stack; WRITE_FOLDED, write()'s frames in folded order,
# from ROOT to ksys_write.  ENTRY_LOSES_CALLER=1 where a probe at a
# function's first instruction does not see the direct caller in a run
# that mixes entry and NAME+OFFSET probes: arm64's frame-pointer unwinder
# starts from the frame record that x29 points to, which is still the
# caller's, while the return address into the caller is only in the link
# register x30; show_bt puts it in only when every probe is at an entry
# (LIMITATIONS.md, "arm64").
ARCH=$(uname -m)
case $ARCH in
aarch64)
	SYS=__arm64_sys_
	ROOT=el0t_64_sync
	WRITE_FOLDED='el0t_64_sync;el0t_64_sync_handler;el0_svc;do_el0_svc;el0_svc_common[.a-z0-9]*;invoke_syscall;__arm64_sys_write;ksys_write'
	ENTRY_LOSES_CALLER=1
	;;
*)
	SYS=__x64_sys_
	ROOT='entry_SYSCALL_64[a-z_]*'
	WRITE_FOLDED='entry_SYSCALL_64[a-z_]*;do_syscall_64;ksys_write'
	ENTRY_LOSES_CALLER=0
	;;
esac
X='\+0x[0-9a-f]+'	# a frame's offset, as a stack prints it

# stacks, count_of, trace (show_bt while the writers run), ran_ok:
# tests/lib.sh.

# 1. write(2)s: vfs_write <- ksys_write <- ... <- entry, in a window ended
# by SIGINT once the writer is done; then a window that ends by itself
# (-d 3), which asserts nothing that depends on what ran in it.
test_write_stack() {
	start_writer writer "$T/ws" write=20
	trace ws vfs_write -p $last_writer -d 300 vfs_write
	# The direct caller, ksys_write, follows vfs_write: on arm64 too,
	# where show_bt puts it in from x30 (every probe at an entry).
	want="^20 vfs_write$X;ksys_write$X;.*$ROOT$X\$"
	if ! ran_ok write_stack ws; then
		:
	elif ! stacks "$T/ws.out" | grep -Eq "$want"; then
		fail write_stack "no stack matching '$want' in: $(head -20 "$T/ws.out")"
	elif ! grep -Eq '^show_bt: vfs_write: 20 calls in [0-9]+\.[0-9]+ s, 1 distinct stack; counted by stack id [0-9]+, by frames [0-9]+( \([^)]*\))?, unreadable 0, lost 0 ' "$T/ws.err"; then
		fail write_stack "summary wrong: $(cat "$T/ws.err")"
	else
		pass write_stack
	fi
	# With every probe at an entry nothing is lost: no note.
	if grep -q "^show_bt: note: on arm64 a probe placed before its function" "$T/ws.err"; then
		fail entry_caller_note "a note where the caller is seen: $(cat "$T/ws.err")"
	else
		pass entry_caller_note
	fi
	kprobes_unchanged write_stack_detached
	# The window lasts 3 s at least: a busy machine may make it longer,
	# by any amount, never shorter.
	"$SB" -d 3 vfs_write > "$T/wt.out" 2> "$T/wt.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail timed_window "exit $rc: $(cat "$T/wt.err")"
	elif ! grep -Eq '^show_bt: vfs_write: [0-9]+ calls? in ([3-9]|[1-9][0-9]+)\.[0-9]+ s' "$T/wt.err"; then
		fail timed_window "summary wrong: $(cat "$T/wt.err")"
	else
		pass timed_window
	fi
	kprobes_unchanged timed_window_detached
}

# The counts of all stacks, sorted, space-separated.
all_counts() {
	stacks "$1" | cut -d' ' -f1 | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# 2. Exact counts per path, traced with -p, window ended by SIGINT.
test_exact_counts() {
	fn=generic_perform_write
	start_writer writer "$T/exact" write=37 pwrite64=23 writev=11
	wp=$last_writer
	trace ex $fn -p $wp -d 300 $fn
	ran_ok exact_counts ex || return
	w=$(count_of "$T/ex.out" ';ksys_write\+')
	p=$(count_of "$T/ex.out" ";(ksys_pwrite64|${SYS}pwrite64)\\+")
	v=$(count_of "$T/ex.out" ';(do_writev|vfs_writev)\+')
	n=$(stacks "$T/ex.out" | wc -l)
	if [ "$w/$p/$v/$n" != "37/23/11/3" ]; then
		fail exact_counts "write/pwrite64/writev/stacks = $w/$p/$v/$n, want 37/23/11/3; output: $(stacks "$T/ex.out")"
	elif ! grep -Eq "^show_bt: $fn: 71 calls in .*, 3 distinct stacks; counted by stack id [0-9]+, by frames [0-9]+( \([^)]*\))?, unreadable 0, lost 0 " "$T/ex.err"; then
		fail exact_counts "summary wrong: $(cat "$T/ex.err")"
	elif ! grep -q "process $wp exited during the window" "$T/ex.err"; then
		fail exact_counts "no note that process $wp exited: $(cat "$T/ex.err")"
	else
		pass exact_counts
	fi
	# Nothing else on stderr: no stray line (an unwritten buffer once
	# printed "show_bt: /proc/PID/status" here).
	stray=$(grep -Ev "^show_bt: (tracing |$fn: |process $wp exited|note: |warning: )" "$T/ex.err" | head -1)
	if [ -n "$stray" ]; then
		fail exact_counts_stderr "a stray line on stderr: '$stray'"
	else
		pass exact_counts_stderr
	fi
	kprobes_unchanged exact_counts_detached
}

# 3. A one-slot stack map: every stack but one collides, and each must
# still be counted exactly, by its frames.  Seven paths into one function.
test_lossless() {
	fn=generic_perform_write
	start_writer writer "$T/lossless" write=37 pwrite64=23 writev=11 \
		pwritev=7 pwritev2=5 sendfile=3 copy_file_range=2
	trace ll $fn --stack-slots 1 -p $last_writer -d 300 $fn
	ran_ok lossless ll || return
	counts=$(all_counts "$T/ll.out")
	if [ "$counts" != "2 3 5 7 11 23 37" ]; then
		fail lossless "stack counts '$counts', want '2 3 5 7 11 23 37': $(stacks "$T/ll.out")"
	elif [ "$(count_of "$T/ll.out" ';ksys_write\+')" != 37 ] ||
	     [ "$(count_of "$T/ll.out" ";${SYS}sendfile64\\+")" != 3 ] ||
	     [ "$(count_of "$T/ll.out" ";(__do_sys_copy_file_range|${SYS}copy_file_range)\\+")" != 2 ]; then
		fail lossless "write/sendfile/copy_file_range stacks miscounted: $(stacks "$T/ll.out")"
	elif ! grep -Eq "^show_bt: $fn: 88 calls in .*, 7 distinct stacks; counted by stack id [0-9]+, by frames [1-9][0-9]* \((stack map collisions|arm64 entry: x30 as frame 1)\), unreadable 0, lost 0 " "$T/ll.err"; then
		fail lossless "summary wrong: $(cat "$T/ll.err")"
	else
		pass lossless
	fi
}

# A folded file as FlameGraph reads it: "frame;frame;... COUNT" a line,
# no empty frame, no space inside the stack.  Prints the total count.
folded_total() {
	awk '{ if (NF != 2 || $2 !~ /^[0-9]+$/ || $1 ~ /(^;|;;|;$)/) bad++
	       else total += $2 }
	     END { print (bad || !NR ? "bad" : total) }' "$1"
}

# 4. -P and -f: two processes with their own command names and counts.
test_per_process() {
	fn=generic_perform_write
	start_writer alpha "$T/pa" write=5 writev=2
	a=$last_writer
	start_writer beta "$T/pb" write=7
	b=$last_writer
	trace pp $fn -P -d 300 $fn
	ran_ok per_process pp || return
	# The process is named by /proc/PID/comm while it lives, else by the
	# thread name the program saw, noted as such: the writers have
	# exited by the time show_bt prints.
	if ! awk -v a="$a" -v b="$b" '
		/^pid / { who = $0; sub(/^pid /, "", who); sub(/\(thread: /, "(", who) }
		/^    [0-9]+$/ { seen[who " " $1]++ }
		END { exit !(seen[a " (alpha) 5"] && seen[a " (alpha) 2"] &&
			     seen[b " (beta) 7"]) }' "$T/pp.out"; then
		fail per_process "want pid $a (alpha) 5 and 2, pid $b (beta) 7: $(head -40 "$T/pp.out")"
	else
		pass per_process
	fi

	start_writer alpha "$T/pa" write=5 writev=2
	start_writer beta "$T/pb" write=7
	trace pf $fn -P -f -d 300 $fn
	ran_ok folded_per_process pf || return
	total=$(folded_total "$T/pf.out")
	if [ "$total" = bad ]; then
		fail folded_per_process "not FlameGraph input: $(cat "$T/pf.out")"
	elif ! grep -Eq "^(thread:)?alpha-[0-9]+;$WRITE_FOLDED;vfs_write;.*generic_perform_write 5\$" "$T/pf.out" ||
	     ! grep -Eq "^(thread:)?alpha-[0-9]+;$ROOT;.*;(do_writev|vfs_writev);.*generic_perform_write 2\$" "$T/pf.out" ||
	     ! grep -Eq "^(thread:)?beta-[0-9]+;$WRITE_FOLDED;vfs_write;.*generic_perform_write 7\$" "$T/pf.out"; then
		fail folded_per_process "want alpha ... 5, alpha ... 2, beta ... 7: $(cat "$T/pf.out")"
	else
		pass folded_per_process
	fi

	start_writer writer "$T/fo" write=4 pwrite64=3
	trace fo $fn -f -p $last_writer -d 300 $fn
	ran_ok folded fo || return
	if [ "$(folded_total "$T/fo.out")" != 7 ] || [ "$(wc -l < "$T/fo.out")" -ne 2 ] ||
	   ! grep -Eq "^$WRITE_FOLDED;vfs_write;.*generic_perform_write 4\$" "$T/fo.out"; then
		fail folded "want 2 lines, 4 + 3 calls, root first: $(cat "$T/fo.out")"
	else
		pass folded
	fi
}

# 5. --depth merges what becomes equal; -a prints addresses.
test_depth_addresses() {
	fn=generic_perform_write
	start_writer writer "$T/dp" write=4 pwrite64=3 writev=2
	trace dp $fn --depth 1 -a -p $last_writer -d 300 $fn
	ran_ok depth dp || return
	if [ "$(all_counts "$T/dp.out")" != 9 ] ||
	   ! grep -Eq "^  [0-9a-f]{16} $fn\+0x[0-9a-f]+$" "$T/dp.out" ||
	   [ "$(grep -c '^  [^ ]' "$T/dp.out")" -ne 1 ]; then
		fail depth_addresses "want one 1-frame stack, with its address, of 9 calls: $(cat "$T/dp.out")"
	else
		pass depth_addresses
	fi
}

# 6. Several functions, patterns, and offsets: frame 0 tells which was hit.
test_functions() {
	start_writer writer "$T/mf" write=4 writev=3
	trace mf vfs_writev -p $last_writer -d 300 vfs_write vfs_writev
	ran_ok several_functions mf || return
	if [ "$(count_of "$T/mf.out" '^vfs_write\+')" != 4 ] ||
	   [ "$(count_of "$T/mf.out" '^vfs_writev\+')" != 3 ] ||
	   ! grep -q '^show_bt: 2 functions: 7 calls' "$T/mf.err"; then
		fail several_functions "want vfs_write 4, vfs_writev 3: $(stacks "$T/mf.out") $(cat "$T/mf.err")"
	else
		pass several_functions
	fi

	# A pattern picks what ftrace can trace: on 6.12 vfs_writev is not.
	aff=/sys/kernel/tracing/available_filter_functions
	want_v=none extra=0
	grep -qx vfs_writev "$aff" && want_v=3 extra=3
	n=$(grep -c '^vfs_write' "$aff")
	start_writer writer "$T/wc" write=4 writev=3
	trace wc vfs_write -p $last_writer -d 300 'vfs_write*'
	ran_ok wildcard wc || return
	if [ "$(count_of "$T/wc.out" '^vfs_write\+')" != 4 ] ||
	   [ "$(count_of "$T/wc.out" '^vfs_writev\+')" != $want_v ] ||
	   ! grep -Eq "^show_bt: $n functions?: $((4 + extra)) calls" "$T/wc.err"; then
		fail wildcard "want vfs_write 4, vfs_writev $want_v, $n functions: $(stacks "$T/wc.out") $(cat "$T/wc.err")"
	else
		pass wildcard
	fi

	# A FUNC+OFFSET probe on a real instruction boundary, past the
	# entry, where the direct caller is in the stack on every
	# architecture.  x86: the ftrace call site is where the kprobe sits;
	# the next instruction starts 5 bytes later.  arm64: the first
	# instruction after the prologue has set up vfs_write's frame record
	# (test_entry_caller_frame finds it).
	if [ $ENTRY_LOSES_CALLER = 1 ]; then
		test_entry_caller_frame
		[ -n "$frame_off" ] || return
		off=$frame_off
	else
		test_entry_caller_frame
		off=$(after_probe_site vfs_write)
		if [ -z "$off" ]; then
			fail offset "no probe site of vfs_write: $(cat "$T/site.err")"
			return
		fi
	fi
	start_writer writer "$T/of" write=6
	trace of vfs_write -p $last_writer -d 300 "vfs_write+$off"
	ran_ok offset of || return
	if [ "$(all_counts "$T/of.out")" != 6 ] ||
	   ! stacks "$T/of.out" | grep -q "^6 vfs_write+0x[0-9a-f]*;ksys_write+"; then
		fail offset "vfs_write+$off: want one stack of 6 calls, ksys_write next: $(cat "$T/of.out" "$T/of.err")"
	else
		pass offset
	fi
}

# 6c. /proc/kallsyms is read once a run.  The target expansion reads it
# (which names several functions share), and its copy names the stacks
# (SHOW_BT_TIMING says kallsyms_copied before the tracing line), one
# function or several.  Where another BPF program was loaded after that
# read (its symbol is not in the copy), the copy is made anew during the
# window (after that line): a second show_bt, stopped once attached,
# holds one loaded while the first, stopped at the same point, goes on.
line_of() {
	grep -n "$1" "$2" | head -n 1 | cut -d: -f1
}
# copied_where NAME OUT RC WRC before|after: NAME passes if the run and
# its writers exited 0, 4 vfs_write calls were named, and the copy was
# whole before or after the tracing line.
copied_where() {
	_c=$(line_of 'timing: kallsyms_copied' "$T/$2.err")
	_t=$(line_of '^show_bt: tracing' "$T/$2.err")
	if [ "$3" != 0 ] || [ "$4" != 0 ] || [ -z "$_c" ] || [ -z "$_t" ] ||
	   { [ "$5" = before ] && [ "$_c" -gt "$_t" ]; } ||
	   { [ "$5" = after ] && [ "$_c" -lt "$_t" ]; } ||
	   ! stacks "$T/$2.out" | grep -Eq "^4 vfs_write$X;ksys_write$X;"; then
		fail "$1" "want the copy $5 the tracing line and 4 named vfs_write calls: $(cat "$T/$2.err") $(stacks "$T/$2.out")"
	else
		pass "$1"
	fi
}
test_kallsyms_once() {
	export SHOW_BT_TIMING=1
	start_writer writer "$T/k2" write=4
	trace k2 vfs_write -p $last_writer -d 300 vfs_write vfs_writev
	copied_where kallsyms_read_once k2 $rc $wrc before
	start_writer writer "$T/k1" write=4
	trace k1 vfs_write -p $last_writer -d 300 vfs_write
	copied_where kallsyms_read_once_one k1 $rc $wrc before
	start_writer writer "$T/k3" write=4
	w=$last_writer
	rc=99 wrc=99
	if stop_at attached k3 -p "$w" -d 300 vfs_write; then
		a=$tracer
		if stop_at attached kx -d 300 vfs_read; then
			kill -CONT "$a"
			if wait_ready "$T/k3.err" "$a"; then
				kill -USR1 "$w"
				wait "$w"
				wrc=$?
			fi
			resume_tracing	# the second: an empty window
			tracer=$a
			stop_tracing
		else
			echo "the second show_bt never stopped: $(cat "$T/kx.err")" >> "$T/k3.err"
			kill -9 "$a" "$w" 2> /dev/null
			wait "$a" "$w"
		fi
	else
		kill "$w" 2> /dev/null
		wait "$w"
	fi
	writers=
	copied_where kallsyms_window_copy k3 $rc $wrc after
	unset SHOW_BT_TIMING
}

# 6b. The direct caller in a stack taken at a function's entry.  x86: the
# unwinder finds ksys_write at vfs_write's entry site (write_stack's run).
# arm64: every 4-byte instruction in vfs_write's first 0x40 bytes that
# the kernel lets a kprobe sit on (--check says; ftrace's patch site is
# refused), all probed at once over 3 write() calls: frame 1 is the
# caller's caller (__arm64_sys_write) until the prologue has pointed x29
# at vfs_write's own frame record, and ksys_write from there on.  Sets
# $frame_off to the first offset that has it.
test_entry_caller_frame() {
	frame_off=
	if [ $ENTRY_LOSES_CALLER = 0 ]; then
		if stacks "$T/ws.out" | grep -Eq "^[1-9][0-9]* vfs_write$X;ksys_write$X;"; then
			pass entry_caller_frame
		else
			fail entry_caller_frame "no vfs_write stack with ksys_write as frame 1: $(stacks "$T/ws.out" | head -5)"
		fi
		return
	fi
	offs='' i=0
	while [ $i -le 64 ]; do
		offs="$offs vfs_write+$(printf '0x%x' $i)"
		i=$((i + 4))
	done
	# shellcheck disable=SC2086
	"$SB" --check $offs > "$T/cf.check" 2>&1
	ok=$(sed -n 's/^\(vfs_write+0x[0-9a-f]*\): ok$/\1/p' "$T/cf.check")
	if [ "$(echo "$ok" | wc -w)" -lt 8 ]; then
		fail entry_caller_frame "fewer than 8 of vfs_write's first 17 instructions can be probed: $(tr '\n' ' ' < "$T/cf.check")"
		return
	fi
	start_writer writer "$T/cf" write=3
	# shellcheck disable=SC2086
	trace cf vfs_write -p $last_writer -d 300 $ok
	ran_ok entry_caller_frame cf || return
	# Entries mixed with NAME+OFFSET probes: the caller is lost at the
	# entry, and show_bt says so.
	if grep -q "^show_bt: note: on arm64 a probe placed before its function" "$T/cf.err"; then
		pass entry_caller_note_mixed
	else
		fail entry_caller_note_mixed "no note: $(cat "$T/cf.err")"
	fi
	# "first OFF" if every probe counted 3 calls, the callers' caller
	# before OFF and ksys_write from OFF on; else why not.
	v=$(stacks "$T/cf.out" | awk -v n="$(echo "$ok" | wc -w)" -v sys="${SYS}write" '
		function hex(s,  i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		{
			split($2, f, ";")
			o = f[1]; sub(/^vfs_write\+0x/, "", o)
			c = f[2]; sub(/\+.*/, "", c)
			if ($1 != 3) bad = bad " " f[1] " counted " $1
			at[hex(o)] = c; name[hex(o)] = f[1]; m++
		}
		END {
			if (m != n) bad = bad " " m " stacks for " n " probes"
			first = -1
			for (i = 0; i <= 64; i += 4) {
				if (!(i in at)) continue
				if (at[i] == "ksys_write") {
					if (first < 0) first = i
				} else if (at[i] != sys || first >= 0)
					bad = bad " " name[i] " has " at[i] " as frame 1"
			}
			if (first <= 0) bad = bad " no probe before the frame record, or none after"
			if (bad != "") print "bad" bad
			else printf "first 0x%x\n", first
		}')
	case $v in
	first\ *)
		frame_off=${v#first }
		pass entry_caller_frame
		echo "INFO: $PREFIX/entry_caller_frame: $ARCH: from vfs_write+$frame_off on, ksys_write is frame 1; before, ${SYS}write (the caller's caller)"
		;;
	*)
		fail entry_caller_frame "$v: $(stacks "$T/cf.out" | cut -d';' -f1-2 | tr '\n' ' ')"
		;;
	esac
}

# 8. Hits the kernel skips (a kprobe hit while BPF is held off on that
# CPU, here by bpf() map lookups) are reported, not silently missing.
test_skipped() {
	fn=array_map_lookup_elem
	start_writer writer "$T/sk" bpf_map_lookup=50
	trace sk $fn -d 300 $fn
	ran_ok skipped_hits sk || return
	# From 6.7 the default attach is a link, which counts every skip;
	# before, nothing is counted and the summary says so.
	if [ "$V" -ge 6007 ]; then
		want="; skipped by the kernel 50\$"
		warn="^show_bt: warning: the kernel skipped 50 hits made while a BPF program or map operation was running on the same CPU"
		may=
	else
		want="; skipped by the kernel maybe some, which this kernel cannot count (Linux 6.7 and later can)\$"
		warn=
		may="^show_bt: warning: $fn is BPF or tracing code: its hits made while a kprobe or BPF program was running on the same CPU were skipped"
	fi
	if ! grep -q "^show_bt: $fn: 0 calls .*$want" "$T/sk.err" ||
	   { [ -n "$warn" ] && ! grep -q "$warn" "$T/sk.err"; } ||
	   { [ -n "$may" ] && ! grep -q "$may" "$T/sk.err"; }; then
		fail skipped_hits "want '$want', '$warn' and '$may': $(cat "$T/sk.err")"
	else
		pass skipped_hits
	fi
	[ "$V" -ge 6007 ] || return
	# The card's ioctl cannot read the kprobes' own skips: it says so.
	start_writer writer "$T/si" bpf_map_lookup=50
	trace si $fn -d 300 --attach ioctl $fn
	ran_ok skipped_hits_ioctl si || return
	if ! grep -q "^show_bt: $fn: 0 calls .*; skipped by the kernel 50, and maybe more that --attach ioctl cannot count" "$T/si.err"; then
		fail skipped_hits_ioctl "$(cat "$T/si.err")"
	else
		pass skipped_hits_ioctl
	fi
}

# 7b. Hits the kprobe itself skips: show_bt B traces get_perf_callchain
# while show_bt A traces vfs_write over 20 write() calls (nested_skips,
# tests/lib.sh): B's kprobe skips each of A's hits.  From 6.7 B's links
# count the 20; before, B says that it cannot count them.
test_kprobe_skips() {
	# shellcheck disable=SC2119 # B's arguments: none
	nested_skips
	if [ "$V" -ge 6007 ]; then
		want="get_perf_callchain: 0 calls in .*; skipped by the kernel 20\$"
	else
		want="get_perf_callchain: 0 calls in .*; skipped by the kernel maybe some, which this kernel cannot count"
	fi
	if [ $rc -ne 0 ] || [ $wrc -ne 0 ] || [ $brc -ne 0 ] ||
	   ! grep -q "^show_bt: vfs_write: 20 calls in " "$T/ka.err" ||
	   ! grep -q "^show_bt: $want" "$T/kb.err"; then
		fail kprobe_skips "A exit $rc, writer exit $wrc, B exit $brc; want '$want': A: $(cat "$T/ka.err") B: $(cat "$T/kb.err")"
	else
		pass kprobe_skips
	fi
}

# 8. Both attach paths (the card's PERF_EVENT_IOC_SET_BPF, and a perf-event
# BPF link from 5.15) give the same stacks and the same exact counts for
# the same workload; the suite asserts which path each run took.
test_attach_paths() {
	fn=generic_perform_write
	for how in ioctl link; do
		if [ $how = link ] && [ "$V" -lt 5015 ]; then
			"$SB" --attach link -d 1 $fn > "$T/ap.out" 2> "$T/ap.err"
			rc=$?
			if [ $rc -eq 1 ] && grep -q "^show_bt: --attach link needs Linux 5.15 or later" "$T/ap.err"; then
				pass attach_link_refused
			else
				fail attach_link_refused "exit $rc: $(cat "$T/ap.err")"
			fi
			continue
		fi
		start_writer writer "$T/ap_$how" write=37 pwrite64=23 writev=11
		trace ap_$how $fn -p $last_writer -d 300 --attach $how $fn
		ran_ok attach_$how ap_$how || continue
		# Which path: the tracing line says.
		case $how in
		ioctl) path=PERF_EVENT_IOC_SET_BPF ;;
		link) path="perf-event BPF links" ;;
		esac
		got=$(all_counts "$T/ap_$how.out")
		if ! grep -q "^show_bt: tracing $fn for 300 s, attached with $path " "$T/ap_$how.err"; then
			fail attach_$how "no 'attached with $path' on the tracing line: $(cat "$T/ap_$how.err")"
		elif [ "$got" != "11 23 37" ]; then
			fail attach_$how "counts '$got', want '11 23 37': $(stacks "$T/ap_$how.out")"
		else
			pass attach_$how
		fi
	done
	if [ -s "$T/ap_link.out" ] && [ -s "$T/ap_ioctl.out" ]; then
		if [ "$(stacks "$T/ap_ioctl.out")" = "$(stacks "$T/ap_link.out")" ]; then
			pass attach_paths_same_stacks
		else
			fail attach_paths_same_stacks "ioctl: $(stacks "$T/ap_ioctl.out") link: $(stacks "$T/ap_link.out")"
		fi
	fi
	kprobes_unchanged attach_paths_nothing_left
}

# 9. Inside a container (a pid namespace of its own, with its own /proc):
# -p takes the container's pid and counts exactly that process; -P names
# processes by the container's pids and leaves show_bt itself out.
test_pid_namespace() {
	fn=generic_perform_write
	if ! unshare -p -f --mount-proc true 2> /dev/null; then
		fail pid_namespace "unshare -p -f --mount-proc does not work here"
		return
	fi
	cat > "$T/ns.sh" <<-'EOF'
	# In the new namespace: $1 tests/lib.sh, $2 BINDIR, $3 scratch, $4
	# the function.
	BIN=$2 T=$3 fn=$4 SB=$2/show_bt PREFIX=
	. "$1"
	start_writer writer "$T/nsw" write=5 writev=2 || exit 2
	w=$last_writer
	trace nsp $fn -p $w -d 300 $fn
	[ $rc = 0 ] && [ $wrc = 0 ] || exit 3
	echo "writer $w show_bt $tracer" > "$T/nsp.pids"
	start_writer writer "$T/nsw" write=3 || exit 2
	w=$last_writer
	trace nsP $fn -P -d 300 $fn
	[ $rc = 0 ] && [ $wrc = 0 ] || exit 4
	echo "writer $w show_bt $tracer" > "$T/nsP.pids"
	EOF
	unshare -p -f --mount-proc sh "$T/ns.sh" "$L" "$BIN" "$T" $fn
	rc=$?
	if [ $rc -ne 0 ]; then
		fail pid_namespace "the run in the namespace failed ($rc): $(cat "$T/nsp.err" "$T/nsP.err" 2> /dev/null)"
		return
	fi
	read -r _ w _ sp < "$T/nsp.pids"
	got=$(all_counts "$T/nsp.out")
	if [ "$w" -ge 100 ] || [ "$got" != "2 5" ]; then
		fail pid_namespace "-p $w (the container's pid): counts '$got', want '2 5': $(cat "$T/nsp.err")"
	else
		pass pid_namespace
	fi
	read -r _ w _ sp < "$T/nsP.pids"
	if ! grep -q "^pid $w " "$T/nsP.out"; then
		fail pid_namespace_per_process "no 'pid $w' (the container's pid of the writer) in: $(head -20 "$T/nsP.out")"
	elif grep -q "^pid $sp " "$T/nsP.out"; then
		fail pid_namespace_per_process "show_bt ($sp) counted its own calls: $(head -20 "$T/nsP.out")"
	else
		pass pid_namespace_per_process
	fi
	kprobes_unchanged pid_namespace_nothing_left
}

# 10. NAME and NAME+4: where the kernel skips an ENDBR at function entry
# (x86 IBT), both are one probe site and each call is counted once; where
# +4 is inside an instruction, it is refused.  arm64: +4 is an instruction,
# the second of the two that -fpatchable-function-entry puts first and
# ftrace patches into its call; arm64 kprobes cannot sit on ftrace's call
# site (no KPROBES_ON_FTRACE) and the kernel refuses it with EINVAL.
test_entry_plus4() {
	fn=vfs_write
	if [ "$ARCH" = aarch64 ]; then
		refused="the kernel refused the kprobe (Invalid argument)"
	else
		refused="offset 0x4 is not on an instruction boundary"
	fi
	start_writer writer "$T/p4" write=5
	if ! start_tracing p4 -p $last_writer -d 300 $fn $fn+4; then
		kill $last_writer
		wait $last_writer
		writers=
		if [ $rc -eq 1 ] && grep -qF "show_bt: cannot probe $fn+0x4: $refused" "$T/p4.err"; then
			pass entry_plus4
		else
			fail entry_plus4 "exit $rc: $(cat "$T/p4.err")"
		fi
		return
	fi
	kill -USR1 $last_writer
	wait $last_writer
	writers=
	stop_tracing
	got=$(all_counts "$T/p4.out")
	if [ $rc -ne 0 ] || [ "$got" != 5 ] ||
	   ! grep -q "^show_bt: 1 of the functions named were the same as another's" "$T/p4.err"; then
		fail entry_plus4 "exit $rc, counts '$got' (want 5, probed once): $(cat "$T/p4.err")"
	else
		pass entry_plus4
	fi
	kprobes_unchanged entry_plus4_nothing_left
}

# Run show_bt expecting failure: $1 test name, $2 ERE for its one error
# line, then show_bt's arguments.
expect_error() {
	name=$1 re=$2
	shift 2
	"$SB" "$@" > "$T/err.out" 2> "$T/err.err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, want 1: $(cat "$T/err.err")"
	elif [ -s "$T/err.out" ]; then
		fail "$name" "printed on stdout: $(cat "$T/err.out")"
	elif [ "$(wc -l < "$T/err.err")" -ne 1 ] ||
	     ! grep -Eq "$re" "$T/err.err"; then
		fail "$name" "want one line matching '$re', got: $(cat "$T/err.err")"
	else
		pass "$name"
	fi
	kprobes_unchanged "${name}_nothing_left"
}

test_errors() {
	expect_error missing_function \
		'^show_bt: cannot probe no_such_fn_xyz: no symbol in /proc/kallsyms: no such function, inlined everywhere, or in a module that is not loaded$' \
		-d 1 no_such_fn_xyz
	expect_error suggestions \
		'^show_bt: cannot probe vfs_writ: no symbol in /proc/kallsyms: .* \(did you mean: vfs_write(, [a-z_0-9.]+){0,2}\?\)$' \
		-d 1 vfs_writ
	grep -q '	notify_die$' /sys/kernel/debug/kprobes/blacklist ||
		fail blacklist_has_notify_die "notify_die not in the blacklist"
	expect_error blacklisted \
		'^show_bt: cannot probe notify_die: the kernel refused the kprobe \(.*\): notify_die is listed in /sys/kernel/debug/kprobes/blacklist$' \
		-d 1 notify_die
	# A data symbol of this kernel's: jiffies where /proc/kallsyms lists
	# it, else the first one it lists whose name is not shared (arm64's
	# Debian kernel has no CONFIG_KALLSYMS_ALL: _etext is its only one).
	data=$(awk '{ n[$3]++ }
		$2 ~ /^[dDbB]$/ && NF == 3 { d[++k] = $3 }
		END {
			for (i = 1; i <= k; i++)
				if (d[i] == "jiffies" && n[d[i]] == 1) { print d[i]; exit }
			for (i = 1; i <= k; i++)
				if (n[d[i]] == 1) { print d[i]; exit }
		}' /proc/kallsyms)
	if [ -z "$data" ]; then
		fail data_symbol "no data symbol in /proc/kallsyms"
	else
		expect_error data_symbol \
			"^show_bt: cannot probe $data: it is a data symbol \(type '[dDbB]' in /proc/kallsyms\), not a function$" \
			-d 1 "$data"
	fi
	expect_error no_such_pid '^show_bt: no process with pid 999999$' \
		-p 999999 vfs_write
	expect_error pattern_matches_nothing \
		"^show_bt: no traceable function matches 'zzz_no_such_\\*' \\(0 on the kprobe blacklist\\); patterns pick among" \
		-d 1 'zzz_no_such_*'
	expect_error max_probes \
		'^show_bt: the patterns match [0-9]+ traceable functions, more than --max-probes=2$' \
		-d 1 --max-probes 2 'vfs_*'
	expect_error offset_not_boundary \
		'^show_bt: cannot probe vfs_write\+0x1: offset 0x1 is not on an instruction boundary of vfs_write$' \
		-d 1 'vfs_write+0x1'
	expect_error wrong_address \
		'^show_bt: no function vfs_write at 0x1234: 1 function of that name starts at 0x[0-9a-f]+$' \
		-d 1 'vfs_write@1234'
}

# 7. A name several static functions share (several text symbols in
# /proc/kallsyms): every one of them is probed, on every kernel, whether
# the kernel refuses the name (6.6, and backports: EADDRNOTAVAIL) or takes
# it and probes one of them by itself (older ones, and names its own count
# misses); or the one NAME@ADDR picks.  Checked where the probes are:
# kprobes/list while the window is open (stopped there: testhook.h), or
# for a kprobe_multi link ftrace's enabled_functions, which lists a
# function once for each function of that name it calls out for.
ENABLED=/sys/kernel/tracing/enabled_functions

# copies NAME: the start of every function named NAME, sorted.
copies() {
	awk -v s="$1" '$3 == s && NF == 3 && $2 ~ /^[tTwW]$/ { print $1 }' \
		/proc/kallsyms | sort
}

# probed_starts NAME: where the functions start that kprobes/list holds a
# kprobe on under NAME (its address less the +0xOFF it names), sorted.
# awk reckons the low 32 bits (its numbers cannot hold 64), and prints
# them in two halves (its %x cannot either: busybox stops at 2^31).
probed_starts() {
	awk -v s="$1" '
		function lo(h,  i, v) {
			h = tolower(h)
			if (length(h) > 8)
				h = substr(h, length(h) - 7)
			v = 0
			for (i = 1; i <= length(h); i++)
				v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			return v
		}
		{
			n = split($3, a, "+")
			if (n != 2 || a[1] != s || a[2] !~ /^0x/)
				next
			hi = substr($1, 1, length($1) - 8)
			v = lo($1) - lo(substr(a[2], 3))
			printf "%s%04x%04x\n", hi, int(v / 65536), v % 65536
		}' "$KPROBE_LIST" | sort
}

# shared_list: every name of two or more text symbols, none a clone's (a
# '.'), none on the kprobe blacklist, as "NAME COPIES TRACEABLE" (how often
# ftrace's list names it), sorted, into $T/shared.
shared_list() {
	awk '$2 ~ /^[tTwW]$/ && NF == 3 { n[$3]++ }
	     END { for (s in n) if (n[s] > 1 && s !~ /\./) print s, n[s] }' \
		/proc/kallsyms > "$T/shared.names"
	awk 'FNR == 1 { f++ }
	     f == 1 { bl[$2] = 1; next }
	     f == 2 { c[$1]++; next }
	     !($1 in bl) { print $1, $2, ($1 in c) ? c[$1] : 0 }' \
		/sys/kernel/debug/kprobes/blacklist \
		/sys/kernel/tracing/available_filter_functions "$T/shared.names" |
		sort > "$T/shared"
}

# kernel_takes NAME: the kernel itself takes NAME for a kprobe by name
# (the writer asks it, as show_bt would), and would probe one function.
kernel_takes() { "$BIN/writer" --kprobe "$1" 2> /dev/null; }

# shared_run TEST NAME OUT ARGS...: show_bt ARGS stopped in its window;
# TEST passes if it exited 0 having said that NAME's every function is
# probed (the line below), with a kprobe at each (or, on a kprobe_multi
# link, each in enabled_functions).
shared_run() {
	_t=$1 _n=$2 _o=$3
	shift 3
	if ! stop_at tracing "$_o" "$@"; then
		fail "$_t" "never stopped in its window: exit $rc: $(cat "$T/$_o.err")"
		return
	fi
	copies "$_n" > "$T/$_o.want"
	probed_starts "$_n" > "$T/$_o.got"
	_e=$(awk -v s="$_n" '$1 == s' "$ENABLED" 2> /dev/null | wc -l)
	resume_tracing
	_w=$(wc -l < "$T/$_o.want")
	if [ $rc -ne 0 ] ||
	   ! grep -q "^show_bt: 1 name is shared by several functions: each function is probed (pick one with NAME@ADDR)\$" "$T/$_o.err"; then
		fail "$_t" "$*: exit $rc: $(cat "$T/$_o.err")"
	elif grep -q 'attached with a kprobe_multi link (' "$T/$_o.err"; then
		if [ -s "$T/$_o.got" ] || [ "$_e" -ne "$_w" ]; then
			fail "$_t" "$*: on the link, $_e of $_w functions $_n in $ENABLED; kprobes at $(tr '\n' ' ' < "$T/$_o.got")"
		else
			pass "$_t"
		fi
	elif ! cmp -s "$T/$_o.want" "$T/$_o.got"; then
		fail "$_t" "$*: kprobes at $(tr '\n' ' ' < "$T/$_o.got"), want one at each of $(tr '\n' ' ' < "$T/$_o.want")"
	else
		pass "$_t"
	fi
}

test_shared_name() {
	shared_list
	# A name whose functions ftrace can all trace, so that a kprobe
	# can go on each: __send_ipi_mask first (Debian's 5.10 without the
	# kernel's check took it), then one the kernel takes by name, else
	# the first.
	name='' taken=0
	for s in __send_ipi_mask $(awk '$2 == $3 { print $1 }' "$T/shared"); do
		grep -q "^$s [0-9]* [0-9]*\$" "$T/shared" || continue
		awk -v s="$s" '$1 == s && $2 == $3 { ok = 1 } END { exit !ok }' \
			"$T/shared" || continue
		[ -n "$name" ] || name=$s
		if kernel_takes "$s"; then
			name=$s taken=1
			break
		fi
	done
	if [ -z "$name" ]; then
		fail shared_name "no name of two or more functions that ftrace can all trace in /proc/kallsyms"
		return
	fi
	n=$(copies "$name" | wc -l)
	echo "INFO: $PREFIX: shared name $name ($n functions); the kernel $([ $taken = 1 ] && echo takes it by name || echo refuses it by name)"
	shared_run shared_name "$name" sh -d 300 "$name"
	# A run on a link (6.12) has the kprobes' path checked too.
	if grep -q 'attached with a kprobe_multi link' "$T/sh.err"; then
		shared_run shared_name_kprobes "$name" shk --attach ioctl \
			-d 300 "$name"
	fi
	# The same name from a pattern: ftrace's list names it n times.
	pat=$(echo "$name" | sed 's/\(.\)$/[\1]/')
	shared_run shared_name_pattern "$name" shp -d 300 "$pat"

	"$SB" --check "$name" > "$T/shc.out" 2> "$T/shc.err"
	rc=$?
	want="$name: ok; $n functions share this name and each was probed (pick one with NAME@ADDR)"
	if [ $rc -ne 0 ] || [ "$(cat "$T/shc.out")" != "$want" ]; then
		fail shared_name_check "exit $rc: $(cat "$T/shc.out" "$T/shc.err")"
	else
		pass shared_name_check
	fi

	# NAME@ADDR: one kprobe, at ADDR, and not a word of sharing.
	addr=$(copies "$name" | tail -1)
	if stop_at tracing shpick -d 300 "$name@$addr"; then
		got=$(probed_starts "$name" | tr '\n' ' ')
		resume_tracing
		if [ $rc -ne 0 ] || grep -q shared "$T/shpick.err" ||
		   [ "$got" != "$addr " ]; then
			fail shared_name_pick "$name@$addr: exit $rc, kprobes at '$got': $(cat "$T/shpick.err")"
		else
			pass shared_name_pick
		fi
	else
		fail shared_name_pick "$name@$addr never stopped in its window: exit $rc: $(cat "$T/shpick.err")"
	fi
	kprobes_unchanged shared_name_nothing_left

	test_shared_name_partial
}

# A name of functions only some of which ftrace can trace (Debian's 5.10:
# t_next, 6 functions, one in ftrace's list): the kernel refuses a kprobe
# on the others, and a kernel that takes such a name by name would probe
# one of them without a word.  show_bt asks for each, and says which were
# refused and which one was not; --check says so too.  One the kernel
# takes by name, if there is one.
test_shared_name_partial() {
	tname='' taken=0
	for s in $(awk '$3 > 0 && $3 < $2 { print $1 }' "$T/shared"); do
		[ -n "$tname" ] || tname=$s
		if kernel_takes "$s"; then
			tname=$s taken=1
			break
		fi
	done
	if [ -z "$tname" ]; then
		echo "INFO: $PREFIX: no shared name with functions ftrace cannot trace"
		return 0
	fi
	n=$(copies "$tname" | wc -l)
	ok=$(awk -v s="$tname" '$1 == s { print $3 }' "$T/shared")
	echo "INFO: $PREFIX: $tname names $n functions, ftrace can trace $ok; the kernel $([ $taken = 1 ] && echo takes it by name || echo refuses it by name)"
	if ! stop_at tracing sht -d 300 "$tname"; then
		fail shared_name_partial "$tname never stopped in its window: exit $rc: $(cat "$T/sht.err")"
		return
	fi
	probed_starts "$tname" > "$T/sht.got"
	resume_tracing
	# Each start kprobes/list holds must be one of the name's.
	copies "$tname" > "$T/sht.all"
	stray=$(grep -vxFf "$T/sht.all" "$T/sht.got")
	line="^show_bt: warning: $tname names $n functions, and the kernel refused a kprobe on $((n - ok)) of them, such as $tname@0x[0-9a-f]+ \\([A-Za-z ]+\\); $tname@0x[0-9a-f]+ took one: the calls of the others are not counted \\(pick one with NAME@ADDR\\)\$"
	if [ $rc -ne 0 ] || ! grep -Eq "$line" "$T/sht.err"; then
		fail shared_name_partial "exit $rc, want a line matching '$line': $(cat "$T/sht.err")"
	elif [ "$(wc -l < "$T/sht.got")" -ne "$ok" ] || [ -n "$stray" ]; then
		fail shared_name_partial "kprobes at $(tr '\n' ' ' < "$T/sht.got"), want $ok of $(tr '\n' ' ' < "$T/sht.all")"
	else
		pass shared_name_partial
	fi
	"$SB" --check "$tname" > "$T/shtc.out" 2> "$T/shtc.err"
	rc=$?
	line="^$tname: ok; but $tname names $n functions, and the kernel refused a kprobe on $((n - ok)) of them, such as .*: the calls of the others would not be counted \\(pick one with NAME@ADDR\\)\$"
	if [ $rc -ne 0 ] || ! grep -Eq "$line" "$T/shtc.out"; then
		fail shared_name_partial_check "exit $rc, want '$line': $(cat "$T/shtc.out" "$T/shtc.err")"
	else
		pass shared_name_partial_check
	fi
	kprobes_unchanged shared_name_partial_nothing_left
}

# The depth of the deepest stack of show_bt's text output $1.
deepest() {
	stacks "$1" | awk '{ n = split($2, f, ";"); if (n > m) m = n } END { print m + 0 }'
}

# 11. Stacks deeper than one chunk of the frames map (before 5.11 a stack
# counted by its frames is a chain of keys of 63 frames each, prog.h):
# the writer's wake_chain hits ep_poll_callback at every level of a chain
# of wake-ups, on stacks up to 69 frames deep on 5.10.  Two show_bts
# trace the same calls at once: one counts by stack id (16384 slots,
# where a collision, which would count a stack by its frames, is rare),
# one with -P, which counts every stack by its frames.  The same stacks,
# frame for frame, with the same counts, and one deeper than 63 frames.
# Only where the frames map is keyed in chunks (before 5.11): elsewhere a
# stack is one key, and tests/unit/test_chunks.c checks the chain alone.
test_deep_stack() {
	fn=ep_poll_callback
	# The connection goes over the loopback: the VM's is down.
	ip link set lo up 2> /dev/null || ifconfig lo up 2> /dev/null
	if ! start_writer writer "$T/deep" wake_chain=20; then
		fail deep_stack "the writer never got ready (is the loopback up?)"
		kill $last_writer 2> /dev/null
		wait $last_writer
		writers=
		return
	fi
	w=$last_writer
	if ! start_tracing dpi --stack-slots 16384 -p $w -d 300 $fn; then
		fail deep_stack "show_bt (by id) never said it was tracing: $(cat "$T/dpi.err")"
		kill $w
		wait $w
		writers=
		return
	fi
	by_id=$tracer
	trace dpf $fn -P -p $w -d 300 $fn
	kill -INT $by_id
	wait $by_id
	irc=$?
	ran_ok deep_stack dpf || return
	stacks "$T/dpi.out" | sort > "$T/dpi.stacks"
	stacks "$T/dpf.out" | sort > "$T/dpf.stacks"
	d=$(deepest "$T/dpi.out")
	if [ $irc -ne 0 ]; then
		fail deep_stack "show_bt (by id) exit $irc: $(cat "$T/dpi.err")"
	elif [ "$d" -le 63 ]; then
		fail deep_stack "no stack deeper than 63 frames (the deepest: $d): $(stacks "$T/dpi.out" | tail -3)"
	elif ! grep -Eq "^show_bt: $fn: [1-9][0-9]* calls in .*; counted by stack id 0, by frames [1-9]" "$T/dpf.err"; then
		fail deep_stack "-P counted some stacks by id, or none: $(cat "$T/dpf.err")"
	elif ! cmp -s "$T/dpi.stacks" "$T/dpf.stacks"; then
		fail deep_stack "by frames (-P) and by id differ (deepest $d): $(diff -u "$T/dpi.stacks" "$T/dpf.stacks" | grep -E '^[-+][0-9]' | head -4 | cut -c1-400 | tr '\n' '|') $(grep "^show_bt: $fn:" "$T/dpi.err" "$T/dpf.err")"
	else
		pass deep_stack
	fi
}

writers=
kprobes_snapshot
test_write_stack
test_exact_counts
test_lossless
[ "$V" -ge 5011 ] || test_deep_stack
test_per_process
test_pid_namespace
test_entry_plus4
test_depth_addresses
test_functions
test_kallsyms_once
test_skipped
test_kprobe_skips
test_attach_paths
test_errors
test_shared_name
rm -rf "$T"
exit $failed
