#!/bin/sh
# Run every test suite and end with one line "N passed, N failed".
#
# Suites print "PASS: name" / "FAIL: name: why" lines.  A suite that dies
# without saying why counts as one failure: nothing is skipped quietly.
# The runner talks as it goes: a line when each suite starts, and when it
# ends its verdict lines and a line with its counts and the running total.
#
#   tests/run.sh            every suite (from the top of the tree, after
#                           `make test-bins`)
#   tests/run.sh KERNEL...  only the suites of those VM kernels (5.10, 6.1,
#                           6.12, arm64-6.1), as tests/repeat.sh runs them
set -u
KERNELS=${*:-5.10 6.1 6.12 arm64-6.1}
ALL=$(($# == 0))
for k in $KERNELS; do
	case $k in
	5.10|6.1|6.12|arm64-6.1) ;;
	*) echo "tests/run.sh: no kernel '$k' (5.10, 6.1, 6.12, arm64-6.1)" >&2
	   exit 2 ;;
	esac
done
B=tests/build
STATIC=$B/static
LOG=$B/logs
mkdir -p "$LOG"
rm -f "$LOG"/*.out "$LOG"/*.done
: > "$LOG/.print"

# $1 (PASS or FAIL) lines in the files named, or in every finished suite's.
tally() {
	what=$1
	shift
	if [ $# -eq 0 ]; then
		set -- "$LOG"/*.done
	fi
	cat "$@" 2> /dev/null | grep -c "^$what: "
}

# Print under a lock: the VM suites end in parallel, and a suite's lines
# must not be torn by another's.
say() {
	(
		flock 8
		cat
	) 8< "$LOG/.print"
}

# $1 suite name, then the command; its PASS/FAIL lines go to $LOG/NAME.out.
suite() {
	name=$1
	shift
	echo "suite $name: started at $(date +%T)" | say
	"$@" > "$LOG/$name.out" 2> "$LOG/$name.err"
	rc=$?
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$LOG/$name.out"; then
		echo "FAIL: $name: suite exited $rc without a verdict; last lines of $LOG/$name.err:" \
			"$(tail -5 "$LOG/$name.err" | tr '\n' ' ')" >> "$LOG/$name.out"
	fi
	if ! grep -q '^PASS: \|^FAIL: ' "$LOG/$name.out"; then
		echo "FAIL: $name: suite ran no test" >> "$LOG/$name.out"
	fi
	grep '^PASS: \|^FAIL: \|^INFO: ' "$LOG/$name.out" > "$LOG/$name.done"
	{
		grep '^PASS: \|^FAIL: \|^INFO: ' "$LOG/$name.out"
		echo "suite $name: ended at $(date +%T): $(tally PASS "$LOG/$name.done") PASS, $(tally FAIL "$LOG/$name.done") FAIL; so far $(tally PASS) PASS, $(tally FAIL) FAIL"
	} | say
}

# The end-to-end suites on one Debian kernel, in one boot: the static
# show_bt, the workload, the suites and the verifier experiments go in
# (arm64-*: the cross-built ones, from make test-bins-arm64).
vm_suite() {
	bins=$STATIC
	case $1 in arm64-*) bins=$B/static-arm64 ;; esac
	# shellcheck disable=SC2046
	tests/vm/run.sh -k "$1" -t 1800 -f "$bins/show_bt" \
		-f "$bins/writer" -f tests/lib.sh -f tests/e2e/all.sh \
		-f tests/e2e/e2e.sh \
		-f tests/e2e/limits.sh -f tests/e2e/verifier.sh \
		-f tests/e2e/attach.sh -f tests/e2e/window.sh \
		$(for f in tests/experiments/*.s; do printf -- '-f %s ' "$f"; done) \
		-- sh /t/all.sh /t
}

# show_bt's stacks against bpftrace's, frame for frame, in one boot of
# its own: with the host's root shared in (-r) for bpftrace, and memory for
# bpftrace's stack map (128 Ki stacks of 127 frames, allocated up front).
frames_suite() {
	bins=$STATIC
	case $1 in arm64-*) bins=$B/static-arm64 ;; esac
	tests/vm/run.sh -k "$1" -r -m 1G -t 1500 -f "$bins/show_bt" \
		-f "$bins/frames_work" -f tests/lib.sh \
		-f tests/e2e/frames.sh -f tests/e2e/frames_check.awk \
		-- sh /t/frames.sh /t
}

# The probe points and filters (tracepoints, -i, -c, --comm, --cgroup,
# -T): every tests/e2e/feat_*.sh in one boot with the host's root (-r, for
# bpftrace) and two vCPUs (for -c).
features_suite() {
	bins=$STATIC
	case $1 in arm64-*) bins=$B/static-arm64 ;; esac
	# shellcheck disable=SC2046
	tests/vm/run.sh -k "$1" -r -s 2 -m 1G -t 1500 -f "$bins/show_bt" \
		$(for f in "$bins"/feat_*; do [ -e "$f" ] && printf -- '-f %s ' "$f"; done) \
		$(for f in tests/e2e/feat_*.sh; do [ -e "$f" ] && printf -- '-f %s ' "$f"; done) \
		-f tests/lib.sh -f tests/e2e/features.sh \
		-- sh /t/features.sh /t
}

if [ $ALL = 1 ]; then
	suite unit tests/unit/run.sh
	suite unit-valgrind tests/unit/run.sh valgrind
	suite fuzz sh tests/fuzz/run.sh regress
	# One after the other: each checks that it left no BPF object behind.
	suite native sh tests/native.sh ./show_bt
	suite verifier-native sh tests/e2e/verifier.sh ./show_bt tests/experiments
	suite hostile-host sh tests/hostile/host.sh
	suite install sh tests/install/run.sh
	suite valgrind sh tests/valgrind.sh ./show_bt
fi

# The Debian kernels, two at a time: each QEMU is single-threaded and
# there are 2 cores.  tests/vm/kit.sh first, alone, so that two runs do
# not both fetch the kit (-r: with the modules that share the host's root,
# for the frames suite).  Per kernel: the end-to-end suites, then the
# hostile-input table (in a boot of its own, with the two vCPUs its load
# rows need), then the JSON and SVG checks, then the frames against
# bpftrace's (arm64: in kit.sh's arm64 root with its bpftrace), then two
# boots locked down (lockdown=integrity, lockdown=confidentiality).
kernel_suites() {
	for k in "$@"; do
		suite vm-$k vm_suite $k
		suite hostile-$k sh tests/hostile/vm.sh $k
		suite json-svg-$k sh tests/e2e/json_svg.sh -k $k
		suite frames-$k frames_suite $k
		suite features-$k features_suite $k
		suite lockdown-$k sh tests/e2e/lockdown.sh -k $k
	done
}
echo "suite vm-kit: checking the VM kit (QEMU, busybox, Debian kernels $KERNELS)" | say
X86=
ARM64=
for k in $KERNELS; do
	case $k in
	arm64-*) ARM64=$k ;;
	*) X86="$X86 $k" ;;
	esac
done
# arm64: its kit, the cross gcc (kit.sh installs it), the arm64 show_bt,
# writer and hostile helpers.  If any is missing its suites fail, here,
# and the x86 ones still run.
if [ -n "$ARM64" ] &&
   ! { tests/vm/kit.sh -r arm64-6.1 && make -s test-bins-arm64 &&
       sh tests/hostile/build.sh arm64; } > "$LOG/kit-arm64.log" 2>&1; then
	echo "FAIL: vm-arm64-6.1: the arm64 kit, cross compiler or test binaries could not be set up (tests/vm/kit.sh arm64-6.1, make test-bins-arm64): $(tail -3 "$LOG/kit-arm64.log" | tr '\n' ' ')" \
		> "$LOG/vm-kit-arm64.done"
	say < "$LOG/vm-kit-arm64.done"
	ARM64=
fi
# shellcheck disable=SC2086
if [ -z "$X86" ]; then
	kernel_suites $ARM64
elif tests/vm/kit.sh -r $X86 > "$LOG/kit.log" 2>&1 &&
   sh tests/hostile/build.sh static > "$LOG/hostile-build.log" 2>&1; then
	# Two workers: the slow kernels first, one in each.
	set -- $(for k in 6.12 5.10 6.1 $ARM64; do
		case " $X86 $ARM64 " in *" $k "*) echo $k ;; esac
	done)
	one= two=
	while [ $# -gt 0 ]; do
		one="$one $1"
		two="$two ${2:-}"
		shift $(($# < 2 ? $# : 2))
	done
	kernel_suites $one &
	kernel_suites $two &
	wait
else
	echo "FAIL: vm: the VM kit or the hostile helpers could not be set up: $(tail -3 "$LOG/kit.log" "$LOG/hostile-build.log" | tr '\n' ' ')" \
		> "$LOG/vm-kit.done"
	cat "$LOG/vm-kit.done" | say
fi

# A host kernel with kprobes gets the end-to-end suite natively as well.
if [ $ALL = 1 ] && [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	mkdir -p "$B/native-e2e"
	cp "$STATIC/show_bt" "$STATIC/writer" tests/lib.sh tests/e2e/*.sh \
		tests/experiments/*.s "$B/native-e2e/"
	suite e2e-native sh tests/e2e/all.sh "$B/native-e2e"
fi

passed=$(tally PASS)
failed=$(tally FAIL)
if [ "$failed" -ne 0 ]; then
	echo "The failures:"
	cat "$LOG"/*.done | grep '^FAIL: '
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
