#!/bin/sh
# Run every test suite and end with one line "N passed, N failed".
#
# Suites print "PASS: name" / "FAIL: name: why" lines.  A suite that dies
# without saying why counts as one failure: nothing is skipped quietly.
#
#   tests/run.sh          (from the top of the tree, after `make test-bins`)
set -u
B=tests/build
STATIC=$B/static
LOG=$B/logs
mkdir -p "$LOG"
rm -f "$LOG"/*.out

# $1 suite name, then the command; its PASS/FAIL lines go to $LOG/NAME.out.
suite() {
	name=$1
	shift
	"$@" > "$LOG/$name.out" 2> "$LOG/$name.err"
	rc=$?
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$LOG/$name.out"; then
		echo "FAIL: $name: suite exited $rc without a verdict; last lines of $LOG/$name.err:" \
			"$(tail -5 "$LOG/$name.err" | tr '\n' ' ')" >> "$LOG/$name.out"
	fi
	if ! grep -q '^PASS: \|^FAIL: ' "$LOG/$name.out"; then
		echo "FAIL: $name: suite ran no test" >> "$LOG/$name.out"
	fi
}

# The end-to-end suites on one Debian kernel, in one boot: the static
# show_bt, the workload, the suites and the verifier experiments go in.
vm_suite() {
	# shellcheck disable=SC2046
	tests/vm/run.sh -k "$1" -t 1800 -f "$STATIC/show_bt" \
		-f "$STATIC/writer" -f tests/e2e/all.sh -f tests/e2e/e2e.sh \
		-f tests/e2e/limits.sh -f tests/e2e/verifier.sh \
		$(for f in tests/experiments/*.s; do printf -- '-f %s ' "$f"; done) \
		-- sh /t/all.sh /t
}

suite unit tests/unit/run.sh
# One after the other: each checks that it left no BPF object behind.
suite native sh tests/native.sh ./show_bt
suite verifier-native sh tests/e2e/verifier.sh ./show_bt tests/experiments
suite hostile-host sh tests/hostile/host.sh

# Both kernels at once: each QEMU is single-threaded and there are 2 cores.
# tests/vm/kit.sh first, alone, so the two do not both fetch the kit.
# Per kernel: the end-to-end suites, then the hostile-input table (in a
# boot of its own, with the two vCPUs its load rows need).
if tests/vm/kit.sh > "$LOG/kit.log" 2>&1 &&
   sh tests/hostile/build.sh static > "$LOG/hostile-build.log" 2>&1; then
	{ suite vm-6.1 vm_suite 6.1; suite hostile-6.1 sh tests/hostile/vm.sh 6.1; } &
	{ suite vm-6.12 vm_suite 6.12; suite hostile-6.12 sh tests/hostile/vm.sh 6.12; } &
	wait
else
	echo "FAIL: vm: the VM kit or the hostile helpers could not be set up: $(tail -3 "$LOG/kit.log" "$LOG/hostile-build.log" | tr '\n' ' ')" \
		> "$LOG/vm-kit.out"
fi

# A host kernel with kprobes gets the end-to-end suite natively as well.
if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	mkdir -p "$B/native-e2e"
	cp "$STATIC/show_bt" "$STATIC/writer" tests/e2e/*.sh \
		tests/experiments/*.s "$B/native-e2e/"
	suite e2e-native sh tests/e2e/all.sh "$B/native-e2e"
fi

cat "$LOG"/*.out
passed=$(cat "$LOG"/*.out | grep -c '^PASS: ')
failed=$(cat "$LOG"/*.out | grep -c '^FAIL: ')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
