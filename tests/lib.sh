# tests/lib.sh: what the test suites share.  POSIX sh has no local
# variables: the helpers' own are named _l_*, so as not to clobber a
# suite's.  Sourced (POSIX sh: the VM
# has busybox), after setting PREFIX, the start of every test's name
# ("e2e/$(uname -r)", "hostile/host", ...).  Helpers that run things use
# BIN (the directory of show_bt and the writer) and T (a scratch directory).
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

# Wait until show_bt says it is tracing (every probe attached, the window
# open), 120 s at most: $1 its stderr file.  Fails at once if process $2
# (when given) ended without saying so.
said_tracing() {
	grep -q '^show_bt: tracing ' "$1" 2> /dev/null && return 0
	[ -z "${2:-}" ] || kill -0 "$2" 2> /dev/null || return 2
	return 1
}
wait_ready() {
	_l_n=1200
	while :; do
		said_tracing "$1" "${2:-}"
		case $? in 0) return 0 ;; 2) return 1 ;; esac
		_l_n=$((_l_n - 1))
		[ $_l_n -gt 0 ] || return 1
		sleep 0.1
	done
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
