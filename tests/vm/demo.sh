#!/bin/sh
# tests/vm/demo.sh STATIC_SHOW_BT: run "show_bt -d 3 vfs_write" in a 6.12
# guest while a background shell loop keeps calling write(2), and show what
# show_bt prints (stdout and stderr). Exits with show_bt's status.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ $# != 1 ] || [ ! -f "$1" ]; then
	echo "usage: $0 STATIC_SHOW_BT" >&2
	exit 2
fi
# Whatever the file is called on the host, it is show_bt in the guest.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/show_bt-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$1" "$tmp/show_bt"
chmod 755 "$tmp/show_bt"

"$here/kit.sh"
rel=$(cat "${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}/6.12/release")
echo "demo: show_bt -d 3 vfs_write on $rel, with a busybox write loop running" >&2
# shellcheck disable=SC2016 # $! and $? are the guest shell's
"$here/run.sh" -k 6.12 -t 300 -f "$tmp/show_bt" -- sh -c '
	while :; do echo x >/tmp/f; done &
	w=$!
	show_bt -d 3 vfs_write
	rc=$?
	kill $w
	exit $rc'
