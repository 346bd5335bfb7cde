#!/bin/sh
# Every end-to-end suite, one after the other, in one boot of the test VM
# (or natively on a kprobe host): their PASS/FAIL lines; exit 1 if any
# suite failed.
#
#   all.sh DIR     DIR holds show_bt, writer, the suites and experiments
set -u
D=${1:?usage: all.sh DIR}
rc=0
sh "$D/e2e.sh" "$D" || rc=1
sh "$D/limits.sh" "$D" || rc=1
sh "$D/verifier.sh" "$D/show_bt" "$D" || rc=1
exit $rc
