#!/bin/sh
# Every end-to-end suite, one after the other, in one boot of the test VM
# (or natively on a kprobe host): their PASS/FAIL lines, then whether the
# kernel came through unharmed (no new taint, no WARNING in its log); exit
# 1 if any failed.
#
#   all.sh DIR     DIR holds show_bt, writer, lib.sh, the suites and
#                  experiments
set -u
D=${1:?usage: all.sh DIR}
PREFIX=e2e/$(uname -r)
T=$(mktemp -d /tmp/all.XXXXXX)
# shellcheck source=tests/lib.sh
. "$D/lib.sh"
kernel_snapshot
rc=0
sh "$D/e2e.sh" "$D" || rc=1
sh "$D/limits.sh" "$D" || rc=1
sh "$D/attach.sh" "$D" || rc=1
sh "$D/window.sh" "$D" || rc=1
sh "$D/verifier.sh" "$D/show_bt" "$D" || rc=1
kernel_unharmed kernel_unharmed
rm -rf "$T"
[ $failed = 0 ] || rc=1
exit $rc
