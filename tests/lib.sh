# tests/lib.sh: what the test suites share.  POSIX sh has no local
# variables: the helpers' own are named _l_*, so as not to clobber a
# suite's.  Sourced (POSIX sh: the VM
# has busybox), after setting PREFIX, the start of every test's name
# ("e2e/$(uname -r)", "hostile/host", ...).  Helpers that run things use
# BIN (the directory of show_bt and the writer), SB (show_bt) and T (a
# scratch directory); those that say what they got set rc, wrc, tracer,
# writers and last_writer, whose names say so.
#
# A suite finds it beside itself (in the VM every file lands in /t) or one
# directory up (tests/lib.sh from tests/e2e/):
#   L=$(dirname "$0")/lib.sh; [ -r "$L" ] || L=$(dirname "$0")/../lib.sh
#   . "$L"

failed=0

pass() { echo "PASS: $PREFIX/$1"; }
fail() { echo "FAIL: $PREFIX/$1: $2"; failed=1; }

# poll N CMD...: run CMD every 0.1 s until it succeeds, N tries at most.
# The bound only ends a hang: a test waits for a state, never for a time.
poll() {
	_l_n=$1
	shift
	while ! "$@"; do
		_l_n=$((_l_n - 1))
		[ $_l_n -gt 0 ] || return 1
		sleep 0.1
	done
}

# stopped PID: process PID is stopped, state T in /proc/PID/stat (a
# SIGSTOP, such as SHOW_BT_TEST_STOP's or the writer's stop=N); for poll.
# shellcheck disable=SC2317 # called through poll
stopped() { [ "$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)" = T ]; }

# Wait until show_bt says it is tracing (every probe attached, the window
# open), 120 s at most: $1 its stderr file.  Fails at once if process $2
# (when given) ended without saying so.
said_tracing() { grep -q '^show_bt: tracing ' "$1" 2> /dev/null; }
said_or_ended() {	# or process $2 has ended
	said_tracing "$1" || { [ -n "${2:-}" ] && ! kill -0 "$2" 2> /dev/null; }
}
wait_ready() {
	poll 1200 said_or_ended "$1" "${2:-}" && said_tracing "$1"
}

# start_tracing OUT ARGS...: $SB ARGS in the background, pid $tracer, into
# $T/OUT.out and $T/OUT.err, until it says it is tracing; else 1, once it
# has ended (killed if it had not), its status in $rc.
start_tracing() {
	_l_out=$1
	shift
	"$SB" "$@" > "$T/$_l_out.out" 2> "$T/$_l_out.err" &
	tracer=$!
	wait_ready "$T/$_l_out.err" "$tracer" && return 0
	kill "$tracer" 2> /dev/null
	wait "$tracer"
	rc=$?
	return 1
}
# stop_tracing: SIGINT ends the window of $tracer; $rc its exit status.
stop_tracing() {
	kill -INT "$tracer"
	wait "$tracer"
	rc=$?
}

# Start a writer (tests/e2e/writer.c) that waits for SIGUSR1: $1 the name
# to run it under (its command name), $2 its file, then the kinds.
# Returns once it is set up (its own writes done), so that a tracer
# started next sees only the calls counted: 1 if it never got ready.  Adds
# it to $writers; $last_writer is its pid.
start_writer() {
	_l_name=$1
	cp "$BIN/writer" "$T/$_l_name" 2> /dev/null
	rm -f "$2.ready"
	shift
	"$T/$_l_name" "$@" &
	writers="${writers:-} $!"
	last_writer=$!
	poll 1200 test -e "$1.ready"
}

# The kernel's kprobes: snapshot them at the start, then check that each
# run left the list as it was (on a host, other tools' kprobes may be
# there before us; in the VM the list is empty).
KPROBE_LIST=/sys/kernel/debug/kprobes/list
kprobes_snapshot() {
	cat "$KPROBE_LIST" > "$T/kprobes.before" 2> /dev/null
}
# Passes or fails test $1: 0 if nothing was left.
kprobes_unchanged() {
	if [ ! -e "$KPROBE_LIST" ]; then
		fail "$1" "no $KPROBE_LIST (debugfs not mounted?)"
		return 1
	fi
	if ! cmp -s "$KPROBE_LIST" "$T/kprobes.before"; then
		fail "$1" "kprobes left after exit: $(tr '\n' ' ' < "$KPROBE_LIST")"
		return 1
	fi
	pass "$1"
}

# No harm to the traced kernel: its taint flags unchanged since
# kernel_snapshot, and no WARNING, BUG or Oops in its log since then.
kernel_snapshot() {
	cat /proc/sys/kernel/tainted > "$T/tainted.before"
	dmesg 2> /dev/null | wc -l > "$T/dmesg.before"
}
kernel_unharmed() {
	_l_was=$(cat "$T/tainted.before")
	_l_now=$(cat /proc/sys/kernel/tainted)
	_l_skip=$(cat "$T/dmesg.before")
	_l_bad=$(dmesg 2> /dev/null | tail -n +$((_l_skip + 1)) |
		grep -E 'WARNING:|BUG:|Oops|Call Trace' | head -3 | tr '\n' ' ')
	if [ "$_l_was" != "$_l_now" ]; then
		fail "$1" "the kernel's taint flags went from $_l_was to $_l_now: $_l_bad"
	elif [ -n "$_l_bad" ]; then
		fail "$1" "the kernel log has: $_l_bad"
	else
		pass "$1"
	fi
}

# stacks OUT: the stacks of show_bt's text output OUT, "COUNT f0;f1;..." each.
stacks() {
	awk '/^    [0-9]+$/ { print $1, s; s = ""; next }
	     /^  / { sub(/^  /, ""); s = s (s == "" ? "" : ";") $0 }' "$1"
}

# count_of OUT ERE: the count of the one stack ERE matches, or none/ambiguous.
count_of() {
	stacks "$1" | re=$2 awk '
		{ f = $0; sub(/^[0-9]+ /, "", f) }
		f ~ ENVIRON["re"] { n++; c = $1 }
		END { print (n == 1 ? c : n ? "ambiguous" : "none") }'
}

# trace OUT WHAT ARGS...: start_tracing OUT ARGS, SIGUSR1 to $writers, and
# SIGINT once they have all exited; WHAT is for a message.  Sets $rc
# (show_bt's status, 99 if it never said it was tracing) and $wrc (the
# writers': the last that is not 0); empties $writers.
trace() {
	_l_t=$1 _l_what=$2
	shift 2
	wrc=0
	# shellcheck disable=SC2086 # $writers: several pids
	if ! start_tracing "$_l_t" "$@"; then
		echo "show_bt never said it was tracing $_l_what" >> "$T/$_l_t.err"
		[ -z "${writers:-}" ] || { kill $writers 2> /dev/null; wait $writers; }
		writers='' rc=99 wrc=99
		return
	fi
	# shellcheck disable=SC2086
	[ -z "${writers:-}" ] || kill -USR1 $writers
	for _l_w in ${writers:-}; do
		wait "$_l_w" || wrc=$?
	done
	writers=
	stop_tracing
}

# ran_ok NAME OUT: the last trace exited 0, writers too; else 1, NAME fails.
ran_ok() {
	[ "$rc" -eq 0 ] && [ "$wrc" -eq 0 ] && return 0
	fail "$1" "show_bt exit $rc, writers exit $wrc: $(cat "$T/$2.err")"
	return 1
}

# kernel_version: this kernel as MAJOR * 1000 + MINOR (6.12.57-amd64: 6012).
kernel_version() {
	_l_r=$(uname -r)
	_l_min=${_l_r#*.}
	echo $((${_l_r%%.*} * 1000 + ${_l_min%%[!0-9]*}))
}

# after_probe_site FN: the offset (0x...) of the instruction after FN's
# kprobe site (x86: the 5-byte ftrace call that kprobes/list names), from
# a run of $SB on FN; nothing if it never said it was tracing ($T/site.err).
after_probe_site() {
	_l_site=
	if start_tracing site -d 300 "$1"; then
		_l_site=$(grep -Eo " $1\\+0x[0-9a-f]+" "$KPROBE_LIST" | head -1 | sed 's/.*+//')
		stop_tracing
	fi
	[ -z "$_l_site" ] || printf '0x%x\n' $((_l_site + 5))
}

# nested_skips ARGS...: hits a kprobe itself skips.  show_bt B (ARGS...
# get_perf_callchain) traces while A traces vfs_write over 20 write() calls:
# each of A's hits takes its stack through get_perf_callchain inside A's
# kprobe handler, where B's program is held off.  Outputs $T/ka.* (A) and
# $T/kb.* (B); sets $rc (A), $wrc, $brc (B): all 99 if B never traced.
nested_skips() {
	if ! start_tracing kb -d 300 "$@" get_perf_callchain; then
		echo "show_bt B never said it was tracing" >> "$T/kb.err"
		: > "$T/ka.err"
		rc=99 wrc=99 brc=99
		return
	fi
	_l_b=$tracer
	start_writer writer "$T/ka.w" write=20
	trace ka vfs_write -p "$last_writer" -d 300 vfs_write
	kill -INT $_l_b
	wait $_l_b
	# shellcheck disable=SC2034 # for the caller
	brc=$?
}

# stop_at PHASE OUT ARGS...: $SB ARGS in the background with
# SHOW_BT_TEST_STOP=PHASE (testhook.h), pid $tracer, into $T/OUT.out and
# $T/OUT.err, until it has said so and stopped itself (state T in
# /proc/PID/stat); else 1, once it has ended (killed if it had not), its
# status in $rc.  resume_tracing then ends its window.
proc_stopped() { [ "$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)" = T ]; }
said_stop() { grep -q "^show_bt: test: stopped at $2\$" "$1" 2> /dev/null; }
stop_or_end() { { said_stop "$1" "$2" && proc_stopped "$3"; } || ! kill -0 "$3" 2> /dev/null; }
stop_at() {
	_l_phase=$1 _l_out=$2
	shift 2
	SHOW_BT_TEST_STOP=$_l_phase "$SB" "$@" > "$T/$_l_out.out" \
		2> "$T/$_l_out.err" &
	tracer=$!
	poll 1200 stop_or_end "$T/$_l_out.err" "$_l_phase" "$tracer" &&
		said_stop "$T/$_l_out.err" "$_l_phase" &&
		proc_stopped "$tracer" && return 0
	kill -9 "$tracer" 2> /dev/null
	wait "$tracer"
	rc=$?
	return 1
}
# resume_tracing: let $tracer go on from its stop and end its window with
# SIGINT (blocked in show_bt, so taken whenever it comes); $rc its status.
resume_tracing() {
	kill -CONT "$tracer"
	stop_tracing
}
