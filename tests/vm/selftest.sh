#!/bin/sh
# tests/vm/selftest.sh: prove that run.sh works on each kernel: guest boots,
# output and exit status come back, arguments keep spaces, quotes and globs,
# -f files arrive executable, tracefs/debugfs are mounted, failures give 125.
# With -r, also run.sh -r and -r -H on the x86 kernels: the host's root is
# the guest's, writable there and unchanged here, with the kernel's headers
# only under -H (kit.sh -r -H fetches the modules and headers this needs);
# and run.sh -r on arm64-6.1: the cached arm64 root (kit.sh -r) is the
# guest's, its bpftrace runs, writable there and unchanged here.
#
#   selftest.sh [-r] [KERNEL]...     default: 5.10 6.1 6.12 arm64-6.1
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
run=$here/run.sh
bad=0
pass() { echo "PASS: $*"; }
flunk() { echo "FAIL: $*"; bad=1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

hostroot=0
if [ "${1:-}" = -r ]; then
	hostroot=1
	shift
fi
[ $# -gt 0 ] || set -- 5.10 6.1 6.12 arm64-6.1
"$here/kit.sh" "$@"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/show_bt-vm-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A -f file: prints its arguments one per line, and one line on stderr.
printf '#!/bin/sh\nprintf "<%%s>\\n" "$@"\necho stderr-line >&2\n' >"$tmp/args.sh"
chmod 755 "$tmp/args.sh"

for k in "$@"; do
	rel=$(cat "$CACHE/$k/release")
	t0=$(now)
	rc=0
	"$run" -k "$k" -f "$tmp/args.sh" -- sh -c '
		uname -r
		cat /sys/bus/event_source/devices/kprobe/type
		test -e /sys/kernel/tracing/kprobe_events && echo tracefs
		test -e /sys/kernel/debug/kprobes/blacklist && echo debugfs
		args.sh "$@"' sh 'a  b' 'vfs_*' "it's" >"$tmp/out" 2>"$tmp/err" || rc=$?
	t1=$(now)
	type=$(sed -n 2p "$tmp/out")
	printf '%s\n' "$rel" "$type" tracefs debugfs '<a  b>' '<vfs_*>' "<it's>" \
		stderr-line >"$tmp/want"
	if [ $rc = 0 ] && cmp -s "$tmp/out" "$tmp/want" &&
		[ "$type" -gt 0 ] 2>/dev/null; then
		pass "$k: $rel boots, kprobe PMU type $type, output and args intact ($(secs "$t0" "$t1")s)"
	else
		flunk "$k: status $rc, output differs:"
		diff "$tmp/want" "$tmp/out" || :
		cat "$tmp/err"
	fi

	t0=$(now)
	rc=0
	"$run" -k "$k" -- sh -c 'exit 3' || rc=$?
	t1=$(now)
	if [ $rc = 3 ]; then
		pass "$k: exit status 3 propagates ($(secs "$t0" "$t1")s)"
	else
		flunk "$k: sh -c 'exit 3' gave status $rc"
	fi
done

# -r: the command runs in the host's root (its Debian version, its
# programs), cwd /t with the -f files; writes land in the guest's overlay,
# not here; tracefs and debugfs are there; -H adds the headers.
mark=/etc/show_bt-vm-selftest.$$
for k in "$@"; do
	[ $hostroot = 1 ] || break
	rel=$(cat "$CACHE/$k/release")
	case $k in
	arm64-*)
		t0=$(now)
		rc=0
		# shellcheck disable=SC2016 # expanded in the guest
		"$run" -k "$k" -r -f "$tmp/args.sh" -- sh -c '
			uname -r
			uname -m
			pwd
			args.sh "$@"
			bpftrace --version
			echo x >"$0" && cat "$0"
			test -e /sys/kernel/tracing/kprobe_events && echo tracefs
			test -e /sys/kernel/debug/kprobes/blacklist && echo debugfs
			echo "$HOME"
			exit 3' "$mark" 'a  b' "it's" >"$tmp/out" 2>"$tmp/err" || rc=$?
		t1=$(now)
		printf '%s\n' "$rel" aarch64 /t '<a  b>' "<it's>" stderr-line \
			"$(grep -m1 '^bpftrace v' "$tmp/out")" x tracefs \
			debugfs /root >"$tmp/want"
		if [ $rc = 3 ] && cmp -s "$tmp/out" "$tmp/want" &&
			grep -q '^bpftrace v' "$tmp/out" && [ ! -e "$CACHE/$k/root$mark" ]; then
			pass "$k: run.sh -r: the arm64 root, its $(grep '^bpftrace v' "$tmp/out") runs, writable in the guest only, status 3 ($(secs "$t0" "$t1")s)"
		else
			flunk "$k: run.sh -r: status $rc, output differs:"
			diff "$tmp/want" "$tmp/out" || :
			cat "$tmp/err"
		fi
		continue
		;;
	esac
	for h in "" -H; do
		t0=$(now)
		rc=0
		# shellcheck disable=SC2016 # expanded in the guest
		"$run" -k "$k" -r $h -f "$tmp/args.sh" -- sh -c '
			uname -r
			cat /etc/debian_version
			pwd
			args.sh "$@"
			command -v dpkg
			echo x >"$0" && cat "$0"
			test -e /sys/kernel/tracing/kprobe_events && echo tracefs
			test -e /sys/kernel/debug/kprobes/blacklist && echo debugfs
			if test -e "/lib/modules/$(uname -r)/build/include/generated" &&
				test -e "/lib/modules/$(uname -r)/source/include/linux/kprobes.h"
			then echo headers; else echo no headers; fi
			exit 3' "$mark" 'a  b' "it's" >"$tmp/out" 2>"$tmp/err" || rc=$?
		t1=$(now)
		hd="no headers"
		[ -z "$h" ] || hd=headers
		printf '%s
' "$rel" "$(cat /etc/debian_version)" /t '<a  b>' \
			"<it's>" stderr-line "$(command -v dpkg)" x tracefs debugfs \
			"$hd" >"$tmp/want"
		if [ $rc = 3 ] && cmp -s "$tmp/out" "$tmp/want" && [ ! -e "$mark" ]; then
			pass "$k: run.sh -r${h:+ $h}: the host's root, writable in the guest only, status 3 ($(secs "$t0" "$t1")s)"
		else
			flunk "$k: run.sh -r${h:+ $h}: status $rc, $mark $([ -e "$mark" ] && echo "written here" || echo "not here"), output differs:"
			diff "$tmp/want" "$tmp/out" || :
			cat "$tmp/err"
			rm -f "$mark"
		fi
	done
done

rc=0
"$run" -k "$1" -t 5 -- sleep 60 2>"$tmp/err" || rc=$?
if [ $rc = 125 ] && grep -q "^vm: FAIL $1: timed out" "$tmp/err"; then
	pass "$1: a hung guest gives 'vm: FAIL' and status 125"
else
	flunk "$1: timeout gave status $rc: $(head -n 1 "$tmp/err")"
fi

exit $bad
