#!/bin/sh
# tests/vm/demo.sh [-k KERNEL] STATIC_SHOW_BT STATIC_WRITER: run "show_bt
# -d 3 vfs_write" in a guest (default: the x86-64 6.12 kernel; -k arm64-6.1
# for Debian's arm64 one, with arm64 binaries: make demo ARCH=arm64) while
# a background shell loop keeps calling write(2) and the test workload
# makes 3000 write() and 2000 pwrite64() calls, and show what show_bt
# prints (stdout and stderr).  Exits with show_bt's status.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kernel=6.12
if [ "${1:-}" = -k ] && [ $# -ge 2 ]; then
	kernel=$2
	shift 2
fi
if [ $# != 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
	echo "usage: $0 [-k KERNEL] STATIC_SHOW_BT STATIC_WRITER" >&2
	exit 2
fi
# Whatever the file is called on the host, it is show_bt in the guest.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/show_bt-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$1" "$tmp/show_bt"
cp "$2" "$tmp/writer"
chmod 755 "$tmp/show_bt" "$tmp/writer"

"$here/kit.sh" "$kernel"
rel=$(cat "${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}/$kernel/release")
echo "demo: show_bt -d 3 vfs_write on $rel, with a busybox write loop and 3000 write() + 2000 pwrite64() calls running" >&2
case $kernel in
arm64-*)
	echo "demo: on arm64 a probe at a function's first instruction does not see its direct caller (ksys_write, ksys_pwrite64 here): the frame-pointer unwinder starts from the caller's frame record (LIMITATIONS.md, arm64)" >&2
	;;
esac
# shellcheck disable=SC2016 # $! and $? are the guest shell's
"$here/run.sh" -k "$kernel" -t 300 -f "$tmp/show_bt" -f "$tmp/writer" -- sh -c '
	while :; do echo x >/tmp/f; done &
	w=$!
	writer /tmp/g write=3000 pwrite64=2000 &
	g=$!
	show_bt -d 3 vfs_write &
	s=$!
	sleep 1
	kill -USR1 $g
	wait $s
	rc=$?
	kill $w
	exit $rc'
