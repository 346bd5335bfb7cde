#!/bin/sh
# The window ends where it says: calls made after its end are not counted,
# though the probes stay in until show_bt has read the maps and detached
# them (many seconds for hundreds of probes).  show_bt is stopped right
# after it closed the gate and waited for the programs in flight
# (SHOW_BT_TEST_STOP=closed, testhook.h), the workload makes more calls
# through the probes still in, and the count printed must be the calls
# made in the window, exactly.  For one function and for a pattern, on
# each attach path this kernel has.  Run inside the test VM
# (tests/vm/run.sh) or natively as root.  POSIX sh: the VM has busybox.
#
#   window.sh BINDIR     BINDIR holds show_bt and the static workload `writer`
#
# Prints "PASS: e2e/KERNEL/window/NAME" or "FAIL: e2e/KERNEL/window/NAME:
# why" per test; exits 1 if any failed.
set -u
BIN=${1:?usage: window.sh BINDIR}
SB=$BIN/show_bt
KREL=$(uname -r)
ENABLED=/sys/kernel/tracing/enabled_functions
T=$(mktemp -d /tmp/window.XXXXXX)
PREFIX=e2e/$KREL/window
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"
kprobes_snapshot
V=$(kernel_version)

# The attach paths this kernel has: a kprobe each through the card's
# ioctl (always), through a perf-event link (5.15+), and one kprobe_multi
# link (5.18+ with CONFIG_FPROBE, which show_bt tells from this symbol).
PATHS=ioctl
[ $V -lt 5015 ] || PATHS="$PATHS link"
grep -q ' bpf_kprobe_multi_link_release$' /proc/kallsyms &&
	PATHS="$PATHS multi"

# What the tracing line says of each path.
path_said() {
	case $1 in
	ioctl) echo 'attached with PERF_EVENT_IOC_SET_BPF' ;;
	link) echo 'attached with perf-event BPF links' ;;
	multi) echo 'attached with a kprobe_multi link' ;;
	*) echo 'attached with ' ;;
	esac
}

# vfs_write is still probed: a kprobe (kprobes/list) or the link's
# fprobe (ftrace's enabled_functions).
probed() {
	grep -q ' vfs_write+0x' "$KPROBE_LIST" 2> /dev/null ||
		grep -q '^vfs_write ' "$ENABLED" 2> /dev/null
}

# Calls in the window, and after it.
IN=20
AFTER=7

# after_window NAME ARGS...: show_bt ARGS -p WRITER -d 300, stopped at
# `closed`; a writer makes IN write(2)s in the window and stops itself,
# SIGINT ends the window, and once show_bt has stopped at `closed` (the
# gate shut, the programs done, vfs_write still probed) the writer makes
# AFTER more; then show_bt goes on.  Sets $rc (show_bt, 99 if it never
# got that far) and $wrc (the writer); $T/NAME.out and .err.  1 (and NAME
# fails) when a step never came.
after_window() {
	_n=$1
	shift
	rc=99 wrc=99
	if ! start_writer writer "$T/$_n.w" write=$IN stop=1 write=$AFTER; then
		fail "$_n" "the writer never got ready"
		kill -9 $last_writer 2> /dev/null
		wait
		writers=
		return 1
	fi
	writers=
	_w=$last_writer
	SHOW_BT_TEST_STOP=closed "$SB" -p "$_w" -d 300 "$@" \
		> "$T/$_n.out" 2> "$T/$_n.err" &
	_s=$!
	_why=
	if ! wait_ready "$T/$_n.err" $_s; then
		_why="show_bt never said it was tracing"
	else
		kill -USR1 $_w
		if ! poll 1200 stopped $_w; then
			_why="the writer never stopped after its $IN calls"
		else
			kill -INT $_s
			if ! poll 1200 grep -q '^show_bt: test: stopped at closed$' "$T/$_n.err" ||
			   ! poll 1200 stopped $_s; then
				_why="show_bt never stopped at 'closed'"
			elif ! probed; then
				# Else the calls below would prove nothing.
				_why="vfs_write no longer probed at 'closed'"
			fi
		fi
	fi
	if [ -n "$_why" ]; then
		fail "$_n" "$_why: $(cat "$T/$_n.err")"
		kill -9 $_s $_w 2> /dev/null
		wait
		return 1
	fi
	kill -CONT $_w
	wait $_w
	wrc=$?
	kill -CONT $_s
	wait $_s
	rc=$?
	# Every call was made: one byte each.
	if [ $wrc = 0 ] && [ "$(wc -c < "$T/$_n.w")" -ne $((IN + AFTER)) ]; then
		fail "$_n" "the writer wrote $(wc -c < "$T/$_n.w") bytes, want $((IN + AFTER))"
		return 1
	fi
	ran_ok "$_n" "$_n"
}

# counted NAME HOW SUMMARY: the run counted IN calls, every one on
# vfs_write's stack from write(), attached as HOW says; SUMMARY, the
# head of its last line.
counted() {
	_c=$(count_of "$T/$1.out" '^vfs_write\+.*;ksys_write\+')
	if ! grep -q "^show_bt: tracing .* $(path_said "$2")" "$T/$1.err"; then
		fail "$1" "not $(path_said "$2"): $(cat "$T/$1.err")"
	elif [ "$_c" != $IN ] || [ "$(stacks "$T/$1.out" | wc -l)" != 1 ] ||
	     ! grep -Eq "^show_bt: $3: $IN calls in " "$T/$1.err"; then
		fail "$1" "want $IN calls on one stack (made $AFTER more after the window): vfs_write's stack has $_c: $(stacks "$T/$1.out" | tr '\n' '|') $(cat "$T/$1.err")"
	else
		pass "$1"
	fi
}

# One function, on a kprobe (the default for one) and on a kprobe_multi
# link of its own where the kernel has them.
after_window one_function vfs_write &&
	counted one_function any vfs_write
case " $PATHS " in
*" multi "*)
	after_window one_function_multi --attach multi vfs_write &&
		counted one_function_multi multi vfs_write
	;;
esac

# A pattern, on every path: 'vfs_*' is a hundred functions or more, of
# which the writer's write(2)s call only vfs_write.
for how in $PATHS; do
	after_window pattern_$how --attach $how 'vfs_*' &&
		counted pattern_$how $how '[0-9]+ functions'
done

kprobes_unchanged nothing_left
rm -rf "$T"
exit $failed
