#!/bin/sh
# Run the suites several times in a row, to show that none of them flakes.
#
#   tests/repeat.sh [-H] ROUNDS [KERNEL...]   (after `make test-bins`)
#
# With kernels named (5.10, 6.1, 6.12, arm64-6.1) a round is their VM
# suites (tests/run.sh KERNEL...); without, a round is the whole of
# tests/run.sh.  -H keeps one CPU busy with `yes > /dev/null` throughout,
# as a loaded CI machine would.  Each round's output goes to
# tests/build/logs/round-N.log; a line per round says its tally and time.
# Ends with one line "R rounds: N passed, N failed" and exits non-zero if
# any round failed.
set -u
hog=0
if [ "${1:-}" = -H ]; then
	hog=1
	shift
fi
rounds=${1:?usage: tests/repeat.sh [-H] ROUNDS [KERNEL...]}
shift
case $rounds in
''|*[!0-9]*|0) echo "tests/repeat.sh: ROUNDS must be a positive number, not '$rounds'" >&2
	exit 2 ;;
esac
LOG=tests/build/logs
mkdir -p "$LOG"
if [ $hog = 1 ]; then
	yes > /dev/null &
	hogpid=$!
	trap 'kill $hogpid 2>/dev/null' EXIT
	trap 'exit 130' INT TERM
fi
good=0 bad=0 i=1
while [ $i -le "$rounds" ]; do
	log=$LOG/round-$i.log
	start=$(date +%s)
	sh tests/run.sh "$@" > "$log" 2>&1 < /dev/null
	rc=$?
	tally=$(tail -1 "$log")
	echo "round $i of $rounds: $tally (exit $rc) in $(($(date +%s) - start)) s"
	if [ $rc -eq 0 ]; then
		good=$((good + 1))
	else
		bad=$((bad + 1))
		grep '^FAIL: ' "$log" | sed 's/^/  /'
	fi
	i=$((i + 1))
done
echo "$rounds rounds: $good passed, $bad failed"
[ $bad -eq 0 ]
