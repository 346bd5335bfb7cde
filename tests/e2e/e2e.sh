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
LIST=/sys/kernel/debug/kprobes/list
T=$(mktemp -d /tmp/e2e.XXXXXX)
failed=0

pass() { echo "PASS: e2e/$KREL/$1"; }
fail() { echo "FAIL: e2e/$KREL/$1: $2"; failed=1; }

# show_bt's stacks, one line each: "COUNT frame0;frame1;..." with offsets.
stacks() {
	awk '/^    [0-9]+$/ { print $1, s; s = ""; next }
	     /^  / { sub(/^  /, ""); s = s (s == "" ? "" : ";") $0 }' "$1"
}

# The count of the one stack whose frames match the ERE $2, or "none".
count_of() {
	stacks "$1" | awk -v re="$2" '
		{ f = $0; sub(/^[0-9]+ /, "", f) }
		f ~ re { n++; c = $1 }
		END { print (n == 1 ? c : n ? "ambiguous" : "none") }'
}

# Wait until the kernel lists a kprobe on $1 (show_bt attached), 60 s max.
wait_probe() {
	i=0
	while ! grep -Eq " $1\+0x[0-9a-f]+( |\$)" "$LIST" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

# Every probe show_bt made must be gone once it exits.
check_no_probe() {
	if [ -s "$LIST" ]; then
		fail "$1" "kprobes left after exit: $(tr '\n' ' ' < "$LIST")"
		return 1
	fi
	[ -e "$LIST" ] || { fail "$1" "no $LIST (debugfs not mounted?)"; return 1; }
	pass "$1"
}

# 1. A shell writing in a loop: vfs_write <- ksys_write <- ... <- entry.
test_write_stack() {
	( while :; do echo x >> "$T/w"; done ) &
	loop=$!
	"$SB" -d 3 vfs_write > "$T/ws.out" 2> "$T/ws.err"
	rc=$?
	kill $loop; wait $loop 2>/dev/null
	if [ $rc -ne 0 ]; then
		fail write_stack "exit $rc: $(cat "$T/ws.err")"
	elif ! stacks "$T/ws.out" | grep -Eq \
	    '^[1-9][0-9]* vfs_write\+0x[0-9a-f]+;ksys_write\+0x[0-9a-f]+;.*entry_SYSCALL_64[a-z_]*\+0x[0-9a-f]+$'; then
		fail write_stack "no vfs_write<-ksys_write<-...<-entry_SYSCALL_64 stack in: $(head -20 "$T/ws.out")"
	elif ! grep -Eq '^show_bt: vfs_write: [1-9][0-9]* calls in [34]\.[0-9]+ s, [1-9][0-9]* distinct stacks?, 0 stacks lost' "$T/ws.err"; then
		fail write_stack "summary wrong: $(cat "$T/ws.err")"
	else
		pass write_stack
	fi
	check_no_probe write_stack_detached
}

# 2. Exact counts per path, traced with -p, window ended by SIGINT.
test_exact_counts() {
	fn=generic_perform_write
	"$BIN/writer" 37 23 11 "$T/exact" &
	wp=$!
	"$SB" -p $wp -d 300 $fn > "$T/ex.out" 2> "$T/ex.err" &
	sp=$!
	if ! wait_probe $fn; then
		fail exact_counts "probe on $fn never appeared: $(cat "$T/ex.err")"
		kill $wp $sp 2>/dev/null; wait
		return
	fi
	kill -USR1 $wp
	wait $wp; wrc=$?
	kill -INT $sp
	wait $sp; rc=$?
	w=$(count_of "$T/ex.out" ';ksys_write\+')
	p=$(count_of "$T/ex.out" ';(ksys_pwrite64|__x64_sys_pwrite64)\+')
	v=$(count_of "$T/ex.out" ';(do_writev|vfs_writev)\+')
	n=$(stacks "$T/ex.out" | wc -l)
	if [ $wrc -ne 0 ] || [ $rc -ne 0 ]; then
		fail exact_counts "writer exit $wrc, show_bt exit $rc: $(cat "$T/ex.err")"
	elif [ "$w/$p/$v/$n" != "37/23/11/3" ]; then
		fail exact_counts "write/pwrite64/writev/stacks = $w/$p/$v/$n, want 37/23/11/3; output: $(stacks "$T/ex.out")"
	elif ! grep -q "^show_bt: $fn: 71 calls in .*, 3 distinct stacks, 0 stacks lost" "$T/ex.err"; then
		fail exact_counts "summary wrong: $(cat "$T/ex.err")"
	elif ! grep -q "process $wp exited during the window" "$T/ex.err"; then
		fail exact_counts "no note that process $wp exited: $(cat "$T/ex.err")"
	else
		pass exact_counts
	fi
	check_no_probe exact_counts_detached
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
	check_no_probe "${name}_nothing_left"
}

test_errors() {
	expect_error missing_function \
		'^show_bt: no function no_such_fn_xyz in /proc/kallsyms$' \
		-d 1 no_such_fn_xyz
	expect_error suggestions \
		'^show_bt: no function vfs_writ in /proc/kallsyms \(did you mean: vfs_write(, [a-z_0-9.]+){0,2}\?\)$' \
		-d 1 vfs_writ
	grep -q '	notify_die$' /sys/kernel/debug/kprobes/blacklist ||
		fail blacklist_has_notify_die "notify_die not in the blacklist"
	expect_error blacklisted \
		'^show_bt: cannot probe notify_die: the kernel refused the kprobe \(.*\): notify_die is listed in /sys/kernel/debug/kprobes/blacklist$' \
		-d 1 notify_die
	expect_error data_symbol \
		"^show_bt: cannot probe jiffies: it is a data symbol \(type '[dDbB]' in /proc/kallsyms\), not a function$" \
		-d 1 jiffies
	expect_error no_such_pid '^show_bt: no process with pid 999999$' \
		-p 999999 vfs_write
}

test_write_stack
test_exact_counts
test_errors
rm -rf "$T"
exit $failed
