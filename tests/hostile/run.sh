#!/bin/sh
# tests/hostile/run.sh: show_bt against hostile input and faults, one row
# of tests/hostile/cases.tsv at a time.  POSIX sh; runs under busybox.
#
#   run.sh [-t] BINDIR TABLE [ID...]   in the test VM (or natively as root
#                                      on a kernel with kprobes): the rows
#                                      whose "where" is vm or both
#   run.sh -H [-t] BINDIR TABLE [ID...]  on the host, in a private mount
#                                      namespace (tests/hostile/host.sh):
#                                      the rows whose "where" is host or both
#
# BINDIR holds show_bt, writer and the helpers of tests/hostile (bpfls,
# privs, hammer, pipefill, threads); $HELPERS, if set, names another
# directory for the helpers.  With -H, show_bt is the sanitizer build and
# $KDIR holds the damaged kallsyms files that tests/hostile/fmt wrote.
#
# For each row it prints "PASS: hostile/KERNEL/ID" or "FAIL: hostile/
# KERNEL/ID: why", then "PASS: hostile/KERNEL/ID/clean" (or FAIL) once it
# has checked that nothing is left in the kernel: no kprobe in debugfs'
# kprobes/list, nothing in tracefs' kprobe_events, no BPF program named
# show_bt and no BPF map named show_bt_*.  Load rows add an "INFO:" line
# with what was measured; -t adds a "TIME:" line a row (seconds, and the
# seconds the clean check waited).  Exits 1 if any line was a FAIL.
#
# The table: tab-separated, '#' starts a comment line, "-" is an empty
# field; "where" may also be vm:5.11 (VM kernels 5.11 and later) or
# vm:-5.11 (before 5.11), for what differs by kernel, or vm:x86_64 or
# vm:aarch64 (the VM's machine, uname -m), for what differs by
# architecture; the columns are
#   id  where  setup  drive  command  exit  message  counts  check  description
# setup    fixtures made before the command and undone after it:
#            writer:KIND=N,...  tests/e2e/writer, waiting for SIGUSR1 ($W)
#            comm:NAME          the writer runs as NAME (printf escapes:
#                               its command name, a process's own choice)
#            threads:N          tests/hostile/threads ($TP the process,
#                               $TID the thread that writes N times)
#            sysctl:NAME=VALUE  /proc/sys/NAME (dots for slashes), restored
#            kprobes:0|1        debugfs' kprobes/enabled, restored to 1
#            notracefs          empty tmpfs over both tracefs mount points
#            kallsyms:NAME      a file bound over /proc/kallsyms: "trunc"
#                               is the real one's first 60000 lines, other
#                               names are $KDIR/kallsyms.NAME
#            fakepmu            (host) a kprobe PMU type that no PMU has,
#                               so show_bt gets as far as perf_event_open
# drive    how the run goes; "-" runs the command to its end.  xN first
#          starts N copies.  Then, in order:
#            ready      wait until each copy says "show_bt: tracing"
#            blocked    wait until each copy blocks SIGINT (show_bt does so
#                       once it has read its arguments, before it loads
#                       and attaches; before that a background job's SIGINT
#                       would be ignored, as POSIX shells start them)
#            stopped    wait until each copy has stopped itself: run it
#                       with SHOW_BT_TEST_STOP=PHASE (testhook.h) to catch
#                       it in that phase, whatever the machine's speed
#            go         SIGUSR1 to the workload, wait for it to finish
#            inwrite    wait until each copy is blocked writing to a pipe
#            copied     wait until each copy has copied /proc/kallsyms
#                       (it has the file open from before it says it
#                       traces until the copy is whole; a run of several
#                       functions, which takes over the copy its target
#                       expansion read, never has it open then)
#                       (pipe_write in /proc/PID/stack)
#            sig:NAME   send signal NAME to every copy
#            sleep:S    sleep S seconds
#            hwm        note each copy's VmHWM (kB)
#            hammer:N   run tests/hostile/hammer N (one process a CPU)
#                       while timing a shell command now and then
#            limit:S    the copies must end within S s of here (default
#                       60): a hang check, so generous
# command  shell text for sh -c: $SB show_bt, $BIN, $T a scratch directory,
#          $W $TP $TID the workload, and the facts found at start:
#          $GETPPID $ALIAS (same address, where getppid has two names)
#          $ALIAS1 $ALIAS2 (two names of one traceable function, any)
#          $VW_ADDR (vfs_write's) $VW_NEXT (offset of the next function)
#          $CLONE $DATA (a 'D' symbol) $BSS $SHARED.  Rows that send
#          signals exec show_bt, so that they reach it.
# exit     the status wanted; a|b for either
# message  an ERE that some line of stderr must match; @W@ @TID@ @TP@
#          stand for those pids, @ROOT@ (in checks too) for the outermost
#          frame of a system call's stack on this architecture.  A run that
#          fails before it traces must print exactly one line on stderr,
#          starting "show_bt: ".
# counts   the counts of the stacks on stdout, highest first, a,b,c
# check    more checks, space-separated (EREs have no spaces; use '.'):
#            err:ERE noerr:ERE out:ERE noout:ERE  a line that (does not)
#                       match on stderr / stdout
#            stdout-empty  raw-frames  names-true  maxframes=N  total=N
#            hammer-exact  hammer-exact-P  hwm-flat<KB
#            responsive<S  a hang check, not a timing: no `cat
#                       /proc/loadavg` during the hammer took S s
set -u

HOST=0 TIMES=0
while :; do
	case ${1:-} in
	-H) HOST=1 ;;
	-t) TIMES=1 ;;
	*) break ;;
	esac
	shift
done
BIN=${1:?usage: run.sh [-H] [-t] BINDIR TABLE [ID...]}
TABLE=${2:?usage: run.sh [-H] [-t] BINDIR TABLE [ID...]}
shift 2
ONLY=" $* "
HELPERS=${HELPERS:-$BIN}
KDIR=${KDIR:-}
SB=$BIN/show_bt
KREL=$(uname -r)
[ $HOST = 1 ] && KREL=host
LIST=/sys/kernel/debug/kprobes/list
EVENTS=/sys/kernel/tracing/kprobe_events
T=$(mktemp -d /tmp/hostile.XXXXXX)
TAB=$(printf '\t')
failed=0
export SB BIN T HELPERS KDIR

# Sanitizer builds say what they found and exit with these.
export ASAN_OPTIONS=detect_leaks=1:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87

PREFIX=hostile/$KREL
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"
info() { echo "INFO: hostile/$KREL/$1: $2"; }

# Hundredths of a second since boot (more than a second has passed).
now() { read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}"; }

# Hundredths as seconds: 7 -> 0.07.
secs() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

# The first line of a file, quoted for a verdict, at most 300 bytes.
firstl() { head -c 300 "$1" 2>/dev/null | head -3 | tr '\n\t' '  '; }

# ---- facts about the running kernel, for the commands ----

facts() {
	KS=/proc/kallsyms
	GETPPID='' ALIAS=''
	for s in __x64_sys_getppid __arm64_sys_getppid __do_sys_getppid; do
		if grep -q " [tT] $s\$" $KS; then
			[ -z "$GETPPID" ] && GETPPID=$s || ALIAS=$s
		fi
	done
	VW_ADDR=$(awk '$3 == "vfs_write" && NF == 3 { print $1; exit }' $KS)
	# The next function's start, past vfs_write (its __pfx_ padding
	# skipped): an instruction boundary outside vfs_write.
	VW_NEXT=$(awk 'function lo(s,  i, v) {
			v = 0
			for (i = length(s) > 8 ? length(s) - 7 : 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		$3 == "vfs_write" && NF == 3 { a = lo($1); on = 1; next }
		on && $2 ~ /^[tT]$/ && $3 !~ /^__pfx_/ && lo($1) > a {
			printf "0x%x\n", lo($1) - a; exit
		}' $KS)
	CLONE=$(awk '$3 ~ /^nf_sockopt_find\./ { print $3; exit }' $KS)
	# jiffies if kallsyms lists it, else its first 'D' symbol of a name
	# no other symbol has (arm64's Debian kernel lists no data but _etext:
	# no CONFIG_KALLSYMS_ALL).
	DATA=$(awk '{ n[$3]++ }
		$2 == "D" && NF == 3 { d[++k] = $3 }
		END {
			for (i = 1; i <= k; i++)
				if (d[i] == "jiffies" && n[d[i]] == 1) { print d[i]; exit }
			for (i = 1; i <= k; i++)
				if (n[d[i]] == 1) { print d[i]; exit }
		}' $KS)
	BSS=$(awk '$2 == "B" && NF == 3 && $3 !~ /^__/ { print $3; exit }' $KS)
	# Two names of one address, a function ftrace can trace under one
	# of them, neither name shared, blacklisted, a clone's or a section
	# bound's (__softirqentry_text_start is __do_softirq's address).
	ALIAS1='' ALIAS2=''
	if [ -r /sys/kernel/tracing/available_filter_functions ]; then
		# shellcheck disable=SC2046
		set -- $(awk -F '\t' 'FILENAME ~ /blacklist$/ { bl[$2] = 1; next }
			FILENAME ~ /available_filter/ { sub(/ .*/, ""); aff[$0] = 1; next }
			{ split($0, f, " ") }
			NF == 1 && f[2] ~ /^[tT]$/ && f[3] !~ /[.]|_start$|_end$/ {
				n[f[3]]++
				if (f[1] == pa) { a[++k] = pn; b[k] = f[3] }
				pa = f[1]; pn = f[3]
			}
			END {
				for (i = 1; i <= k; i++)
					if (n[a[i]] == 1 && n[b[i]] == 1 &&
					    !bl[a[i]] && !bl[b[i]] && (aff[a[i]] || aff[b[i]])) {
						print a[i], b[i]
						exit
					}
			}' /sys/kernel/debug/kprobes/blacklist \
			/sys/kernel/tracing/available_filter_functions $KS)
		ALIAS1=${1:-} ALIAS2=${2:-}
	fi
	case $(uname -m) in
	aarch64) ROOT=el0t_64_sync ;;
	*) ROOT=entry_SYSCALL_64 ;;
	esac
	SHARED=
	if [ -r /sys/kernel/tracing/available_filter_functions ]; then
		SHARED=$(awk '$2 ~ /^[tT]$/ && NF == 3 { n[$3]++ }
			END { for (s in n) if (n[s] == 2) print s }' $KS |
			grep -v '\.' | while read -r s; do
				grep -qx "$s" /sys/kernel/tracing/available_filter_functions &&
					{ echo "$s"; break; }
			done)
	fi
	export GETPPID ALIAS ALIAS1 ALIAS2 VW_ADDR VW_NEXT CLONE DATA BSS SHARED
	info facts "$(uname -m): GETPPID=$GETPPID ALIAS=$ALIAS ALIAS1=$ALIAS1 ALIAS2=$ALIAS2 DATA=$DATA BSS=$BSS CLONE=$CLONE SHARED=$SHARED VW_NEXT=$VW_NEXT"
}

# Whether the running kernel is in a range: "5.11" (5.11 or later) or
# "-5.11" (before 5.11); or whether the machine is "x86_64" or "aarch64".
kernel_in() {
	case $1 in [a-z]*) [ "$1" = "$(uname -m)" ]; return ;; esac
	_v=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	case $1 in
	-*) _r=${1#-}; _neg=1 ;;
	*) _r=$1; _neg=0 ;;
	esac
	_r=$(echo "$_r" | awk -F. '{ print $1 * 1000 + $2 }')
	if [ "$_v" -ge "$_r" ]; then [ $_neg = 0 ]; else [ $_neg = 1 ]; fi
}

# ---- what is left in the kernel ----

# Prints what show_bt left behind, nothing if nothing is.
leftovers() {
	if [ $HOST = 0 ]; then
		[ -s $LIST ] && echo "kprobes/list: $(tr '\n' ' ' < $LIST)"
		[ -s $EVENTS ] && echo "kprobe_events: $(tr '\n' ' ' < $EVENTS)"
		[ -e $LIST ] || echo "no $LIST"
	fi
	"$HELPERS/bpfls" > "$T/bpfls" 2>&1 || echo "bpfls failed: $(firstl "$T/bpfls")"
	grep -E '^(prog [0-9]+ show_bt|map [0-9]+ show_bt_[a-z]*)$' "$T/bpfls" |
		tr '\n' ' '
}

# BPF objects are freed by deferred work: give them up to 30 s (a loaded
# TCG guest can be slow at it; a leftover stays for good).
check_clean() {
	i=0
	while :; do
		left=$(leftovers)
		[ -z "$left" ] && { pass "$1/clean"; clean_wait=$i; return; }
		i=$((i + 1))
		[ $i -le 300 ] || break
		sleep 0.1
	done
	fail "$1/clean" "left in the kernel: $left"
	clean_wait=$i
}

# ---- setup and teardown ----

undo=			# shell commands that undo the setup, newest first
W='' TP='' TID=''

# Write VALUE to FILE, retrying for 30 s: perf_event_max_stack says EBUSY
# while a stack map (freed by deferred work) still exists.
put() {
	i=0
	until echo "$2" 2>/dev/null > "$1"; do
		i=$((i + 1))
		[ $i -le 300 ] || { echo "cannot write $2 to $1" >&2; return 1; }
		sleep 0.1
	done
}

# Wait until file $1 exists, 60 s at most.
await() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

setup_one() {
	case $1 in
	comm:*)
		# shellcheck disable=SC2059
		WNAME=$(printf "${1#comm:}")
		;;
	writer:*)
		rm -f "$T/w" "$T/w.ready" "$T/w.src"
		wbin=$BIN/writer
		if [ -n "$WNAME" ]; then
			wbin=$T/$WNAME
			cp "$BIN/writer" "$wbin" || return 1
			undo="rm -f '$wbin'; $undo"
		fi
		# shellcheck disable=SC2046
		"$wbin" "$T/w" $(echo "${1#writer:}" | tr ',' ' ') \
			< /dev/null > "$T/w.out" 2>&1 3<&- &
		W=$!
		undo="kill $W 2>/dev/null; $undo"
		await "$T/w.ready" || { echo "writer never got ready"; return 1; }
		;;
	threads:*)
		rm -f "$T/th" "$T/th.ready" "$T/th.tid"
		"$HELPERS/threads" "$T/th" "${1#threads:}" < /dev/null 3<&- &
		TP=$!
		undo="kill $TP 2>/dev/null; $undo"
		await "$T/th.ready" || { echo "threads never got ready"; return 1; }
		TID=$(cat "$T/th.tid")
		;;
	sysctl:*)
		kv=${1#sysctl:}
		f=/proc/sys/$(echo "${kv%%=*}" | tr . /)
		old=$(cat "$f") || return 1
		undo="put $f '$old'; $undo"
		put "$f" "${kv#*=}" || return 1
		;;
	kprobes:*)
		undo="put /sys/kernel/debug/kprobes/enabled 1; $undo"
		put /sys/kernel/debug/kprobes/enabled "${1#kprobes:}" || return 1
		;;
	notracefs)
		for m in /sys/kernel/tracing /sys/kernel/debug/tracing; do
			mount -t tmpfs none $m || return 1
			undo="umount $m; $undo"
		done
		;;
	kallsyms:*)
		name=${1#kallsyms:}
		if [ "$name" = trunc ]; then
			n=$(wc -l < /proc/kallsyms)
			head -n $((n * 2 / 5)) /proc/kallsyms > "$T/kallsyms.trunc"
			src=$T/kallsyms.trunc
		else
			src=$KDIR/kallsyms.$name
		fi
		[ -e "$src" ] || { echo "no $src"; return 1; }
		mount --bind "$src" /proc/kallsyms || return 1
		undo="umount /proc/kallsyms; $undo"
		;;
	fakepmu)
		d=/sys/bus/event_source/devices
		mount -t tmpfs none $d || return 1
		undo="umount $d; $undo"
		mkdir $d/kprobe && echo 99999 > $d/kprobe/type || return 1
		;;
	-) ;;
	*)
		echo "unknown setup '$1'"
		return 1
		;;
	esac
}

teardown() {
	eval "$undo"
	undo=
	# Reap the workload so that its pid is not reused by the next row.
	wait 2>/dev/null
}

# ---- the run ----

pids=			# the copies of the command
ncopies=1

# Every copy said it traces (or ended): 60 s at most.
step_ready() {
	i=1
	while [ $i -le "$ncopies" ]; do
		pid=$(echo "${pids# }" | cut -d' ' -f$i)
		j=0
		while ! grep -q '^show_bt: tracing ' "$T/err.$i" 2>/dev/null &&
		      kill -0 "$pid" 2>/dev/null; do
			j=$((j + 1))
			[ $j -le 600 ] || { drive_err="copy $i never said it was tracing"; return; }
			sleep 0.1
		done
		i=$((i + 1))
	done
}

step_blocked() {
	for pid in $pids; do
		j=0
		while kill -0 "$pid" 2>/dev/null; do
			m=$(awk '/^SigBlk:/ { print substr($2, length($2)) }' /proc/"$pid"/status 2>/dev/null)
			[ -n "$m" ] && [ $((0x$m & 2)) -ne 0 ] && break
			j=$((j + 1))
			[ $j -le 6000 ] || { drive_err="SIGINT never blocked"; return; }
			sleep 0.01
		done
	done
}

# Wait until "$1 PID" holds for every copy, $3 s at most; $2 says what
# happens then ("it never $2", "it ended before it $2").
wait_each() {
	for pid in $pids; do
		j=0
		until $1 "$pid"; do
			kill -0 "$pid" 2>/dev/null ||
				{ drive_err="it ended before it $2"; return; }
			j=$((j + 1))
			[ $j -le $(($3 * 10)) ] ||
				{ drive_err="it never $2 ($3 s)"; return; }
			sleep 0.1
		done
	done
}

# Stopped: state T in /proc/PID/stat.
is_stopped() {
	[ "$(awk '{ print $3 }' /proc/"$1"/stat 2>/dev/null)" = T ]
}

# Blocked in a write to a pipe (its stdout, full and not read).
in_pipe_write() {
	grep -q pipe_write /proc/"$1"/stack 2>/dev/null
}

# /proc/kallsyms closed: show_bt's copy of it is whole (or was never
# made).  A process that ended has nothing open either.
kallsyms_copied() {
	! ls -l /proc/"$1"/fd 2>/dev/null | grep -q /proc/kallsyms
}

step_stopped() { wait_each is_stopped stopped 60; }
step_inwrite() { wait_each in_pipe_write "blocked writing to the pipe" 60; }
step_copied() { wait_each kallsyms_copied "finished copying /proc/kallsyms" 120; }

step_go() {
	w=${W:-$TP}
	[ -n "$w" ] || { drive_err="no workload to start"; return; }
	kill -USR1 "$w"
	wait "$w"
	wrc=$?
	[ $wrc -eq 0 ] || drive_err="workload exited $wrc: $(firstl "$T/w.out")"
}

step_hwm() {
	i=1
	for pid in $pids; do
		h=$(awk '/^VmHWM:/ { print $2 }' /proc/"$pid"/status 2>/dev/null)
		r=$(awk '/^Rss:/ { print $2 }' /proc/"$pid"/smaps_rollup 2>/dev/null)
		echo "${h:-gone} ${r:-gone}" >> "$T/hwm.$i"
		i=$((i + 1))
	done
}

# The hammer, and meanwhile how long `cat /proc/loadavg` takes (the worst
# time, in hundredths) and show_bt's VmHWM half-way.
step_hammer() {
	"$HELPERS/hammer" "$1" < /dev/null > "$T/hammer.out" 2>&1 3<&- &
	hp=$!
	worst=0 n=0
	while kill -0 $hp 2>/dev/null; do
		t0=$(now)
		cat /proc/loadavg > /dev/null
		d=$(($(now) - t0))
		[ $d -gt $worst ] && worst=$d
		n=$((n + 1))
		[ $n -eq 5 ] && step_hwm
		sleep 0.2
	done
	wait $hp
	hrc=$?
	echo "$worst $n" > "$T/latency"
	[ $hrc -eq 0 ] || drive_err="hammer exited $hrc: $(firstl "$T/hammer.out")"
}

# Wait for every copy to end by the deadline; kill -9 what does not.
# Sets rcs (the statuses) and hung.
reap() {
	rcs='' hung=''
	i=1
	for pid in $pids; do
		n=0
		while kill -0 "$pid" 2>/dev/null && [ "$(now)" -lt "$deadline" ]; do
			n=$((n + 1))
			if [ $n -le 10 ]; then sleep 0.02; else sleep 0.1; fi
		done
		if kill -0 "$pid" 2>/dev/null; then
			hung="$hung $i"
			kill -9 "$pid"
		fi
		wait "$pid"
		rcs="$rcs $?"
		i=$((i + 1))
	done
	rcs=${rcs# }
}

# Run the row's command and drive it; sets rcs, hung, took, drive_err.
run_row() {
	cmd=$1 drive=$2
	ncopies=1
	case $drive in
	x[0-9]*)
		ncopies=${drive%% *}
		ncopies=${ncopies#x}
		drive=${drive#x"$ncopies"}
		;;
	esac
	rm -f "$T"/out.* "$T"/err.* "$T"/hwm.* "$T/latency" "$T/hammer.out"
	pids=
	start=$(now)
	i=1
	while [ $i -le "$ncopies" ]; do
		sh -c "$cmd" < /dev/null > "$T/out.$i" 2> "$T/err.$i" 3<&- &
		pids="$pids $!"
		i=$((i + 1))
	done
	deadline=$((start + 6000))
	drive_err=
	for step in $drive; do
		case $step in
		-) ;;
		ready) step_ready ;;
		blocked) step_blocked ;;
		stopped) step_stopped ;;
		go) step_go ;;
		inwrite) step_inwrite ;;
		copied) step_copied ;;
		sig:*) for p in $pids; do kill -"${step#sig:}" "$p" 2>/dev/null; done ;;
		sleep:*) sleep "${step#sleep:}" ;;
		hwm) step_hwm ;;
		hammer:*) step_hammer "${step#hammer:}" ;;
		limit:*) deadline=$(($(now) + ${step#limit:} * 100)) ;;
		*) drive_err="unknown drive step '$step'" ;;
		esac
		[ -z "$drive_err" ] || break
	done
	reap
	took=$(($(now) - start))
}

# ---- checks ----

# The counts of the stacks in a text output, highest first, a,b,c.
counts_of() {
	awk '/^    [0-9]+$/ { print $1 }' "$1" | sort -rn | tr '\n' ',' | sed 's/,$//'
}

# "N calls" from the summary line.
total_of() {
	sed -n 's/^show_bt: .*: \([0-9][0-9]*\) calls\{0,1\} in .*/\1/p' "$1" | head -1
}

# Every "  ADDR name+0xOFF" frame (from -a) names the function that
# really holds ADDR, as the real /proc/kallsyms says.  Kernel addresses
# differ from each other in their low 32 bits only: compare those as
# numbers, the rest as text.
names_true() {
	awk 'function lo(s,  i, v) {
		sub(/^0x/, "", s)
		v = 0
		for (i = length(s) > 8 ? length(s) - 7 : 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	NR == FNR {
		if ($0 ~ /^  [0-9a-f]+ [^ ]+\+0x[0-9a-f]+/) {
			split($2, p, "+")
			n++
			addr[n] = $1; name[n] = p[1]; off[n] = p[2]; want[p[1]] = 1
		}
		next
	}
	($3 in want) && $2 ~ /^[tTwW]$/ { at[$3] = at[$3] " " $1 }
	END {
		if (!n) { print "no named frame"; exit }
		for (f = 1; f <= n; f++) {
			ok = 0
			k = split(at[name[f]], a, " ")
			for (i = 1; i <= k; i++)
				if (substr(a[i], 1, 8) == substr(addr[f], 1, 8) &&
				    lo(a[i]) + lo(off[f]) == lo(addr[f]))
					ok = 1
			if (!ok) {
				print "frame " addr[f] " " name[f] "+" off[f] " is not in " name[f]
				exit
			}
		}
	}' "$1" /proc/kallsyms
}

# One check word on copy $2; prints why it failed, nothing if it passed.
check_word() {
	w=$1 c=$2
	out=$T/out.$c err=$T/err.$c
	case $w in
	err:*) grep -Eq -- "${w#err:}" "$err" || echo "no stderr line matches '${w#err:}'" ;;
	noerr:*) grep -Eq -- "${w#noerr:}" "$err" && echo "stderr has '$(grep -E -m1 -- "${w#noerr:}" "$err")'" ;;
	out:*) grep -Eq -- "${w#out:}" "$out" || echo "no stdout line matches '${w#out:}'" ;;
	noout:*) grep -Eq -- "${w#noout:}" "$out" && echo "stdout has '$(grep -E -m1 -- "${w#noout:}" "$out")'" ;;
	stdout-empty) [ -s "$out" ] && echo "stdout not empty: $(firstl "$out")" ;;
	raw-frames)
		grep -q '^  ' "$out" || echo "no frame printed"
		grep '^  ' "$out" | grep -Ev '^  0x[0-9a-f]+$|^    [0-9]+$' | head -1 |
			sed 's/^/not a raw address: /'
		grep -Eq '^  0x0+$' "$out" && echo "a frame printed as 0x0"
		;;
	names-true) names_true "$out" ;;
	maxframes=*)
		# [truncated] marks a stack the kernel cut: no frame.
		awk -v max="${w#maxframes=}" '/^    [0-9]+$/ {
				if (n > max) bad = n
				n = 0
				next
			}
			/^  \[truncated\]$/ { next }
			/^  / { n++ }
			END { if (bad) print "a stack of " bad " frames, more than " max }' "$out"
		;;
	total=*)
		t=$(total_of "$err")
		[ "$t" = "${w#total=}" ] || echo "summary says ${t:-no} calls, want ${w#total=}"
		;;
	hammer-exact|hammer-exact-P)
		want=$(sed -n 's/^hammer: total \([0-9]*\) calls$/\1/p' "$T/hammer.out")
		if [ "$w" = hammer-exact ]; then
			got=$(total_of "$err")
		else
			got=$(awk '/^pid [0-9]+ \((thread: )?hammer\)$/ { h = 1; next }
				/^pid / { h = 0 }
				h && /^    [0-9]+$/ { s += $1 }
				END { print s + 0 }' "$out")
		fi
		skipped=$(sed -n 's/.*; skipped by the kernel \([0-9][0-9]*\)$/\1/p' "$err")
		[ -n "$want" ] && [ "$got" = "$want" ] ||
			echo "show_bt counted ${got:-nothing}, the hammer made ${want:-?} calls (skipped by the kernel: ${skipped:-not counted})"
		;;
	responsive\<*)
		read -r worst n < "$T/latency"
		[ "$worst" -lt $((${w#responsive<} * 100)) ] ||
			echo "cat /proc/loadavg took $(secs "$worst") s under load"
		;;
	hwm-flat\<*)
		f=$T/hwm.$c
		read -r first rfirst < "$f"
		last=$(tail -1 "$f")
		rlast=${last#* } last=${last%% *}
		case "$first $last $rfirst $rlast" in *gone*)
			echo "VmHWM not read: $(tr '\n' ' ' < "$f")"; return ;;
		esac
		[ "$(wc -l < "$f")" -ge 2 ] ||
			{ echo "VmHWM read once only"; return; }
		[ $((last - first)) -le "${w#hwm-flat<}" ] ||
			echo "VmHWM grew from $first kB to $last kB"
		[ $((rlast - rfirst)) -le "${w#hwm-flat<}" ] ||
			echo "Rss (smaps_rollup) grew from $rfirst kB to $rlast kB"
		;;
	*) echo "unknown check '$w'" ;;
	esac
}

# Every verdict on copy $1: prints the first reason it failed.
verdict() {
	c=$1 rc=$2
	out=$T/out.$c err=$T/err.$c
	case " $hung " in *" $c "*)
		echo "hung: still running after the deadline (killed; stderr: $(firstl "$err"))"
		return ;;
	esac
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$err"; then
		echo "sanitizer: $(grep -E -m1 'ERROR|runtime error' "$err")"
		return
	fi
	case "|$exp|" in *"|$rc|"*) ;; *)
		echo "exit $rc, want $exp: $(firstl "$err")"
		return ;;
	esac
	if [ "$msg" != - ]; then
		re=$(printf '%s' "$msg" | sed "s/@W@/$W/g; s/@TP@/$TP/g; s/@TID@/$TID/g; s/@ROOT@/$ROOT/g")
		grep -Eq -- "$re" "$err" ||
			{ echo "no stderr line matches '$re': $(firstl "$err")"; return; }
	fi
	# A run that failed before tracing says why in one line.
	if [ "$rc" != 0 ] && [ "$rc" -lt 128 ] &&
	   ! grep -q '^show_bt: tracing ' "$err" && [ -s "$err" ]; then
		if [ "$(wc -l < "$err")" -ne 1 ] || ! grep -q '^show_bt: ' "$err"; then
			echo "want one line 'show_bt: ...' on stderr, got $(wc -l < "$err") lines: $(firstl "$err")"
			return
		fi
	fi
	if [ "$counts" != - ]; then
		got=$(counts_of "$out")
		[ "$got" = "$counts" ] ||
			{ echo "stack counts '$got', want '$counts'; stderr: $(grep ' calls in ' "$err" | head -1)"; return; }
	fi
	[ "$check" = - ] && return
	for word in $check; do
		word=$(printf '%s' "$word" | sed "s/@ROOT@/$ROOT/g")
		why=$(check_word "$word" "$c")
		[ -z "$why" ] || { echo "$why"; return; }
	done
}

# ---- the table ----

facts
if ! "$HELPERS/bpfls" > /dev/null; then
	fail bpfls "cannot list the kernel's BPF objects"
fi
left=$(leftovers)
[ -z "$left" ] || fail start "left in the kernel before the first row: $left"

# The kernel traced comes through unharmed: no taint, no WARNING.
[ $HOST = 1 ] || kernel_snapshot
exec 3< "$TABLE"
# shellcheck disable=SC2034
while IFS=$TAB read -r id where setup drive cmd exp msg counts check desc <&3; do
	case $id in '' | '#'* | id) continue ;; esac
	case $HOST/$where in
	0/vm | 0/both | 1/host | 1/both) ;;
	0/vm:*) kernel_in "${where#vm:}" || continue ;;
	*) continue ;;
	esac
	[ "$ONLY" = "  " ] || case $ONLY in *" $id "*) ;; *) continue ;; esac
	undo=
	why=
	W='' TP='' TID='' WNAME=''
	for s in $setup; do
		setup_one "$s" > "$T/setup.err" 2>&1 ||
			{ why="setup $s: $(firstl "$T/setup.err")"; break; }
	done
	if [ -n "$why" ]; then
		teardown
		fail "$id" "$why"
		check_clean "$id"
		continue
	fi
	export W TP TID
	row_start=$(now)
	run_row "$cmd" "$drive"
	teardown
	if [ -n "$drive_err" ]; then
		fail "$id" "$drive_err; stderr: $(firstl "$T/err.1")"
	else
		verdicts=
		c=1
		for rc in $rcs; do
			v=$(verdict "$c" "$rc")
			[ -z "$v" ] || { verdicts="copy $c of $ncopies: $v"; break; }
			c=$((c + 1))
		done
		[ "$ncopies" -gt 1 ] || verdicts=${verdicts#copy 1 of 1: }
		if [ -z "$verdicts" ]; then pass "$id"; else fail "$id" "$verdicts"; fi
	fi
	if [ -s "$T/latency" ] && [ -s "$T/hwm.1" ]; then
		read -r worst n < "$T/latency"
		info "$id" "hammer $(sed -n 's/^hammer: total //p' "$T/hammer.out"), show_bt $(total_of "$T/err.1") calls; slowest of $n shell commands $(secs "$worst") s; VmHWM/Rss kB: $(tr '\n' ',' < "$T/hwm.1" 2>/dev/null)"
	fi
	check_clean "$id"
	if [ $TIMES = 1 ]; then
		d=$(($(now) - row_start))
		echo "TIME: hostile/$KREL/$id: $(secs $d) s, clean after $(secs $((clean_wait * 10))) s"
	fi
done
exec 3<&-
[ $HOST = 1 ] || kernel_unharmed kernel_unharmed
rm -rf "$T"
exit $failed
