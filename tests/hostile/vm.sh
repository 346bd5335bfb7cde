#!/bin/sh
# tests/hostile/vm.sh: the hostile-input table inside the test VM, on one
# of the Debian kernels, with two vCPUs (the load rows need them).
#
#   tests/hostile/vm.sh 5.10|6.1|6.12 [-t] [ID...]   after `make test-bins`
#   tests/hostile/vm.sh arm64-6.1 [-t] [ID...]       after `make test-bins-arm64`
#
# -t: a TIME line a row.
#
# Prints the PASS/FAIL lines of tests/hostile/run.sh; exits as it does, or
# 125 when the VM itself failed (tests/vm/run.sh says why on stderr).
set -eu
cd "$(dirname "$0")/../.."
k=${1:?usage: tests/hostile/vm.sh 5.10|6.1|6.12|arm64-6.1 [-t] [ID...]}
shift
opts=
if [ "${1:-}" = -t ]; then
	opts=-t
	shift
fi
# The guest's architecture decides whose binaries go in.
case $k in
arm64-*)
	sh tests/hostile/build.sh arm64
	S=tests/build/static-arm64
	H=tests/build/hostile/static-arm64
	;;
*)
	sh tests/hostile/build.sh static
	S=tests/build/static
	H=tests/build/hostile/static
	;;
esac
for f in $S/show_bt $S/writer; do
	[ -x "$f" ] || {
		echo "FAIL: hostile/$k/bins: no $f (make test-bins$([ "$S" = tests/build/static ] || echo -arm64))"
		exit 1
	}
done
exec tests/vm/run.sh -k "$k" -s 2 -t 900 \
	-f $S/show_bt -f $S/writer -f $H/bpfls -f $H/privs -f $H/hammer \
	-f $H/pipefill -f $H/threads -f $H/sigdfl \
	-f tests/lib.sh -f tests/hostile/run.sh -f tests/hostile/cases.tsv \
	-- sh /t/run.sh $opts /t /t/cases.tsv "$@"
