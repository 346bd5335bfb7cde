#!/bin/sh
# tests/e2e/lockdown.sh: show_bt on a kernel locked down by the lockdown LSM
# (what Secure Boot systems may run with), on one of the test VM's Debian
# kernels, from the host: two boots (tests/vm/run.sh -a):
#
#   lockdown=integrity        tracing works: a counted workload is counted.
#                             Then the mode is raised at run time to
#                             confidentiality (securityfs's lockdown file;
#                             it never goes down), and show_bt is refused
#                             as below: the kernel refuses kprobes the same
#                             way, but tracefs's files are there and refused
#                             (EPERM) rather than never made.
#   lockdown=confidentiality  show_bt vfs_read, --check vfs_read and a
#                             pattern are refused in one line that names the
#                             lockdown, exit 1, and leave no kprobe in
#                             /sys/kernel/debug/kprobes/list.  First with
#                             securityfs not mounted (the kernel log tells
#                             the lockdown), then mounted (its file does).
#
#   tests/e2e/lockdown.sh -k KERNEL [-b BINDIR]   on the host
#   lockdown.sh --guest DIR MODE                  in the guest (run.sh's VM)
#
# KERNEL as tests/vm/run.sh names it; BINDIR holds the static show_bt and
# writer (default tests/build/static, or tests/build/static-arm64 for
# arm64-*).  Prints "PASS: lockdown/RELEASE/NAME" or "FAIL: ...: why";
# exits 1 if any failed.
set -u

if [ "${1:-}" != --guest ]; then
	cd "$(dirname "$0")/../.." || exit 1
	kernel='' bin=''
	while getopts k:b: opt; do
		case $opt in
		k) kernel=$OPTARG ;;
		b) bin=$OPTARG ;;
		*) echo "usage: $0 -k KERNEL [-b BINDIR]" >&2
		   exit 2 ;;
		esac
	done
	[ -n "$kernel" ] || { echo "usage: $0 -k KERNEL [-b BINDIR]" >&2; exit 2; }
	if [ -z "$bin" ]; then
		case $kernel in
		arm64-*) bin=tests/build/static-arm64 ;;
		*) bin=tests/build/static ;;
		esac
	fi
	for f in "$bin/show_bt" "$bin/writer"; do
		if [ ! -x "$f" ]; then
			echo "FAIL: lockdown/$kernel/vm: no $f (make test-bins, or test-bins-arm64)"
			exit 1
		fi
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/lockdown.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	rc=0
	for mode in integrity confidentiality; do
		tests/vm/run.sh -k "$kernel" -t 900 -a "lockdown=$mode" \
			-f "$bin/show_bt" -f "$bin/writer" -f tests/lib.sh \
			-f tests/e2e/lockdown.sh \
			-- sh /t/lockdown.sh --guest /t "$mode" \
			> "$tmp/$mode.out" 2> "$tmp/$mode.err"
		st=$?
		grep '^PASS: \|^FAIL: \|^INFO: ' "$tmp/$mode.out"
		if [ $st -ne 0 ] && ! grep -q '^FAIL: ' "$tmp/$mode.out"; then
			echo "FAIL: lockdown/$kernel/vm_$mode: the VM run failed (exit $st): $(tail -5 "$tmp/$mode.err" | tr '\n' ' ')"
		fi
		[ $st -eq 0 ] || rc=1
	done
	exit $rc
fi

# --- The guest ---------------------------------------------------------
BIN=${2:?usage: lockdown.sh --guest DIR MODE}
MODE=${3:?usage: lockdown.sh --guest DIR MODE}
SB=$BIN/show_bt
T=$(mktemp -d /tmp/lockdown.XXXXXX)
PREFIX=lockdown/$(uname -r)
# shellcheck source=tests/lib.sh
. "$BIN/lib.sh"
SECFS=/sys/kernel/security
LOCKDOWN=$SECFS/lockdown

# The end of the one line a refusal of kprobes or tracefs ($1) must be:
# because_file, told by securityfs's lockdown file; because_log, by the
# kernel log, with any line of a thing only confidentiality forbids (the
# kernel logs them rate-limited: a boot's own "use of tracefs" lines may
# be all there is).
LOCKED='the kernel is locked down for confidentiality'
forbids() {
	echo "which forbids $1 to every process, root included, until the next boot \\(the lockdown= boot option, or Secure Boot's policy, sets it\\)\$"
}
because_file() {
	echo "$LOCKED \\($LOCKDOWN: none integrity \\[confidentiality\\]\\), $(forbids "$1")"
}
because_log() {
	echo "$LOCKED \\(the kernel log: \"Lockdown: [^\"]+: [^\"]+ is restricted\"\\), $(forbids "$1")"
}

# refused NAME OUT ERE ARGS...: show_bt ARGS must exit 1 with nothing on
# stdout (--check: its one line there) and one line on stderr (none for
# --check) matching ERE, and leave the kprobe list as it was.
refused() {
	_n=$1 _o=$2 _re=$3
	shift 3
	"$SB" "$@" > "$T/$_o.out" 2> "$T/$_o.err"
	_rc=$?
	if [ "$1" = --check ]; then
		_line=$T/$_o.out _other=$T/$_o.err
	else
		_line=$T/$_o.err _other=$T/$_o.out
	fi
	if [ $_rc -ne 1 ] || [ -s "$_other" ] ||
	   [ "$(wc -l < "$_line")" -ne 1 ] || ! grep -Eq "$_re" "$_line"; then
		fail "$_n" "exit $_rc, want 1 and one line matching '$_re'; stdout: $(cat "$T/$_o.out"); stderr: $(cat "$T/$_o.err")"
	else
		pass "$_n"
	fi
	kprobes_unchanged "${_n}_nothing_left"
}

# The refusals, in the mode confidentiality however it came ($1: a word
# for the test names).
refusals() {
	# Without securityfs the kernel log is the evidence: the refused
	# kprobe itself logs "Lockdown: show_bt: use of kprobes ...".
	if ! grep -q " $SECFS securityfs " /proc/mounts; then
		refused "${1}_kprobe_log" r1 \
			"^show_bt: cannot probe vfs_read: Operation not permitted: $(because_log kprobes)" \
			-d 1 vfs_read
		mount -t securityfs securityfs "$SECFS" ||
			fail "${1}_securityfs" "cannot mount securityfs"
	fi
	refused "${1}_kprobe" r2 \
		"^show_bt: cannot probe vfs_read: Operation not permitted: $(because_file kprobes)" \
		-d 1 vfs_read
	refused "${1}_check" r3 \
		"^vfs_read: cannot trace: Operation not permitted: $(because_file kprobes)" \
		--check vfs_read
	# A pattern needs tracefs's list: never made (locked from boot),
	# or refused (raised since).
	refused "${1}_pattern" r4 \
		"^show_bt: cannot list traceable functions for 'vfs_rea\\*' \\(/sys/kernel/tracing/available_filter_functions\\): (No such file or directory|Operation not permitted): $(because_file tracefs)" \
		-d 1 'vfs_rea*'
}

kprobes_snapshot
case $MODE in
integrity)
	# The lockdown LSM took the boot option (it is not built into
	# every kernel): the state must say so before anything counts.
	mount -t securityfs securityfs "$SECFS" 2> /dev/null
	state=$(cat "$LOCKDOWN" 2> /dev/null)
	if [ "$state" != "none [integrity] confidentiality" ]; then
		fail integrity_state "lockdown=integrity, but $LOCKDOWN says '$state'"
	else
		pass integrity_state
	fi
	start_writer writer "$T/w" write=20
	trace tr vfs_write -p "$last_writer" -d 300 vfs_write
	if ran_ok integrity_traces tr; then
		if grep -q '^show_bt: vfs_write: 20 calls in ' "$T/tr.err" &&
		   stacks "$T/tr.out" | grep -q '^[0-9]* vfs_write+0x'; then
			pass integrity_traces
		else
			fail integrity_traces "want 20 calls of vfs_write: $(cat "$T/tr.err") $(stacks "$T/tr.out")"
		fi
	fi
	kprobes_unchanged integrity_nothing_left
	# Raised: the same as from boot, but for tracefs (see the top).
	if echo confidentiality > "$LOCKDOWN" &&
	   [ "$(cat "$LOCKDOWN")" = "none integrity [confidentiality]" ]; then
		pass raised_state
		refusals raised
	else
		fail raised_state "cannot raise the lockdown: $(cat "$LOCKDOWN")"
	fi
	;;
confidentiality)
	refusals boot
	state=$(cat "$LOCKDOWN" 2> /dev/null)
	if [ "$state" != "none integrity [confidentiality]" ]; then
		fail confidentiality_state "lockdown=confidentiality, but $LOCKDOWN says '$state'"
	else
		pass confidentiality_state
	fi
	# The kernel refuses kprobes, not a kprobe_multi link (6.12 has
	# them): what show_bt does with two functions is the kernel's say.
	"$SB" -d 1 vfs_read vfs_write > "$T/m.out" 2> "$T/m.err"
	echo "INFO: $PREFIX: two functions under lockdown=confidentiality: exit $?: $(head -1 "$T/m.err")"
	kprobes_unchanged confidentiality_two_nothing_left
	;;
*)
	fail mode "no mode '$MODE' (integrity, confidentiality)"
	;;
esac
rm -rf "$T"
exit $failed
