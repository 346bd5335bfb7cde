#!/bin/sh
# tests/hostile/host.sh: the hostile-input table's host rows: show_bt and
# tests/hostile/fmt built with ASan and UBSan, run on this machine (no
# kprobes needed), in a private mount namespace so that the rows can bind
# damaged files over /proc/kallsyms and a fake kprobe PMU over sysfs.
# Needs root (unshare -m, mount, bpf()).
#
#   tests/hostile/host.sh [ID...]
#
# Prints the PASS/FAIL lines of tests/hostile/run.sh -H and exits as it does.
set -u
cd "$(dirname "$0")/../.." || exit 1
if [ "$(id -u)" -ne 0 ]; then
	echo "FAIL: hostile/host/root: the host rows mount files and load BPF programs: run as root"
	exit 1
fi
if ! sh tests/hostile/build.sh > tests/build/hostile-build.log 2>&1; then
	echo "FAIL: hostile/host/build: $(tail -5 tests/build/hostile-build.log | tr '\n' ' ')"
	exit 1
fi
B=$PWD/tests/build/hostile
mkdir -p "$B/kallsyms"
HELPERS=$B/static KDIR=$B/kallsyms
export HELPERS KDIR
exec unshare -m --propagation private \
	sh tests/hostile/run.sh -H "$B" "$PWD/tests/hostile/cases.tsv" "$@"
