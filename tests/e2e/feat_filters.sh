#!/bin/sh
# tests/e2e/feat_filters.sh DIR: -c, --comm and --cgroup in the VM (run by
# tests/e2e/features.sh, two vCPUs).  Each test runs workloads
# (feat_filters: NAME CPU N READY, N write(2)s to /dev/null after SIGUSR1)
# of which the filter under test must tell one from the other, traces
# vfs_write until they have exited, and wants the exact count of the
# calls that pass.  No test waits for a time: workloads say they are ready
# with a file, show_bt that it traces on stderr, and the window ends with
# SIGINT once the workloads have exited.
set -u
D=${1:?usage: feat_filters.sh DIR}
PREFIX=features/$(uname -r)/filters
L=$D/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh disable=SC1091
. "$L"

T=$(mktemp -d /tmp/feat_filters.XXXXXX)
W='' tracer='' CG='' nwork=0
cleanup() {
	for p in $W $tracer; do
		kill -9 "$p" 2> /dev/null
	done
	wait 2> /dev/null
	[ -z "$CG" ] || rmdir "$CG/a/below" "$CG/a" "$CG/b" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$D/show_bt" "$D/feat_filters" "$T/" || {
	fail setup "cannot copy show_bt and feat_filters from $D"
	exit 1
}
# shellcheck disable=SC2034 # lib.sh's start_tracing runs $SB
SB=$T/show_bt

# work NAME CPU N: start a workload, its pid added to $W; waits for it to
# be ready (or to have ended, which the test's count then shows).
work() {
	nwork=$((nwork + 1))
	_r=$T/ready.$nwork
	"$T/feat_filters" "$1" "$2" "$3" "$_r" 2>> "$T/work.err" &
	_w=$!
	W="$W $_w"
	poll 1200 work_ready "$_r" "$_w"
	last=$_w
}
work_ready() { [ -e "$1" ] || ! kill -0 "$2" 2> /dev/null; }

# run NAME WANT ARGS...: trace vfs_write with ARGS while the workloads in
# $W make their calls; WANT the exact count of calls it must see.
run() {
	_name=$1 _want=$2
	shift 2
	if ! start_tracing "$_name" -d 300 "$@" vfs_write; then
		fail "$_name" "show_bt never said it was tracing: $(cat "$T/$_name.err")"
		kill $W 2> /dev/null
		wait 2> /dev/null
		W=''
		return
	fi
	# shellcheck disable=SC2086 # several pids
	kill -USR1 $W
	_wrc=0
	for _p in $W; do
		wait "$_p" || _wrc=$?
	done
	W=''
	stop_tracing
	_got=$(sed -n 's/^show_bt: vfs_write: \([0-9]*\) calls in .*/\1/p' \
		"$T/$_name.err")
	if [ "$rc" != 0 ] || [ "$_wrc" != 0 ]; then
		fail "$_name" "show_bt exit $rc, workloads exit $_wrc: $(cat "$T/$_name.err" "$T/work.err")"
	elif [ "$_got" != "$_want" ]; then
		fail "$_name" "counted ${_got:-nothing}, want $_want: $(tail -1 "$T/$_name.err")"
	else
		pass "$_name"
	fi
}

# -c: one workload on each CPU, one name (--comm leaves the rest of the
# system out; -c alone must tell the two apart).
work ff_cpu 0 300
work ff_cpu 1 700
run cpu_1 700 -c 1 --comm ff_cpu
work ff_cpu 0 300
work ff_cpu 1 700
run cpu_0 300 --cpu=0 --comm ff_cpu
work ff_cpu 0 300
work ff_cpu 1 700
run cpu_range_0_1 1000 -c 0-1 --comm ff_cpu

# --comm: two workloads on any CPU, two names, one counted.
work ff_counted -1 437
work ff_other -1 811
run comm 437 --comm ff_counted
# 15 bytes, the longest name the kernel keeps, in both u64 halves.
work ff_fifteen_byte -1 222
work ff_fifteen_bytf -1 333
run comm_15_bytes 222 --comm ff_fifteen_byte

# --comm with -p: the filters combine (the same name, the pid decides).
work ff_both -1 150
work ff_both -1 260
run comm_and_pid 260 --comm ff_both -p "$last"

# --cgroup: two child cgroups, a workload in each, one counted; a third
# workload in a cgroup below the counted one counts too where the kernel
# has the ancestor helper for kprobes (5.14+), else show_bt says it
# counts PATH's own tasks only.
CG=/sys/fs/cgroup
if [ "$(stat -f -c %T "$CG" 2> /dev/null)" != cgroup2fs ]; then
	mkdir -p "$CG" && mount -t cgroup2 none "$CG" ||
		fail cgroup_mount "cannot mount cgroup2 on $CG"
fi
if mkdir "$CG/a" "$CG/b" "$CG/a/below"; then
	into() { echo "$1" > "$CG/$2/cgroup.procs"; }
	work ff_cg -1 123
	into "$last" a
	work ff_cg -1 456
	into "$last" b
	run cgroup_exact 123 --cgroup "$CG/a"
	work ff_cg -1 123
	into "$last" a
	work ff_cg -1 456
	into "$last" b
	work ff_cg -1 789
	into "$last" a/below
	if grep -q "no bpf_get_current_ancestor_cgroup_id" \
		"$T/cgroup_exact.err"; then
		run cgroup_descendants 123 --cgroup "$CG/a"
		grep -q "counts the tasks of $CG/a itself" \
			"$T/cgroup_descendants.err" &&
			pass cgroup_descendants_note ||
			fail cgroup_descendants_note "no note that only $CG/a counts"
	else
		run cgroup_descendants 912 --cgroup "$CG/a"
	fi
	# A cgroup with -c and --comm: all three must pass.
	work ff_cg3 0 100
	into "$last" b
	work ff_cg3 1 200
	into "$last" b
	work ff_cg3 1 400
	into "$last" a
	run cgroup_cpu_comm 200 --cgroup "$CG/b" -c 1 --comm ff_cg3
else
	fail cgroup_setup "cannot create child cgroups in $CG"
fi

# A CPU the guest does not have: one line, exit 1.
"$SB" -d 1 -c 5 vfs_write > "$T/nocpu.out" 2> "$T/nocpu.err"
rc=$?
if [ $rc = 1 ] && [ "$(wc -l < "$T/nocpu.err")" = 1 ] &&
	grep -q '^show_bt: -c 5: there is no CPU 5 (CPUs online: 0-1)$' "$T/nocpu.err"; then
	pass cpu_absent
else
	fail cpu_absent "exit $rc: $(cat "$T/nocpu.err")"
fi
[ $failed = 0 ]
