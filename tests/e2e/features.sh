#!/bin/sh
# tests/e2e/features.sh DIR: the suites of show_bt's probe points and
# filters (tracepoints, -i, -c, --comm, --cgroup, -T), each a
# tests/e2e/feat_*.sh, one after the other in one boot (tests/run.sh's
# features suite: the host's root shared in with tests/vm/run.sh -r, so that
# bpftrace runs beside show_bt, and two vCPUs for -c).  DIR (/t in the VM)
# holds show_bt, lib.sh, the feat_*.sh suites and their static workloads
# (tests/e2e/feat_*.c, built by make test-bins as feat_NAME).  Each suite
# takes DIR and prints its own PASS and FAIL lines; then the kernel must have
# come through unharmed.
set -u
D=${1:?usage: features.sh DIR}
PREFIX=features/$(uname -r)
T=$(mktemp -d /tmp/features.XXXXXX)
# shellcheck source=tests/lib.sh
. "$D/lib.sh"
kernel_snapshot
rc=0

# What every feature suite counts on: bpftrace to compare with, two CPUs.
cpus=$(grep -c '^processor' /proc/cpuinfo)
if ! command -v bpftrace > /dev/null; then
	fail harness "no bpftrace here (tests/vm/run.sh -r shares the host's root, which has it)"
elif [ "$cpus" -lt 2 ]; then
	fail harness "the guest has $cpus CPU, the -c tests need 2"
else
	pass harness
fi
n=0
for s in "$D"/feat_*.sh; do
	[ -e "$s" ] || continue
	n=$((n + 1))
	sh "$s" "$D" || rc=1
done
[ $n -gt 0 ] || fail suites "no feat_*.sh suite in $D"
kernel_unharmed kernel_unharmed
rm -rf "$T"
[ $failed = 0 ] || rc=1
exit $rc
