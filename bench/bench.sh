#!/bin/sh
# bench/bench.sh [SOURCE...]: `make bench`. Builds the static binaries,
# measures show_bt against its floors, bpftrace and bcc's stackcount
# (bench/guest.sh) natively when this kernel has kprobes, else in QEMU
# guests on Debian's 6.12 and 6.1 kernels, both at once: the test suites'
# tests/vm/run.sh, with the host's root shared in (-r) so that the host's
# bpftrace, stackcount and python run there, and the guest kernel's headers
# laid over it (-H) for stackcount; tests/vm/kit.sh -r -H fetches what that
# needs. Writes the table (bench/report.sh) to bench/results.md and stdout.
# BENCH_KERNELS=arm64-6.1 measures in the arm64 guest instead (or besides):
# its root is kit.sh's arm64 bookworm one (bpftrace, a minimal shell; no
# python3, bcc or headers, so no stackcount), which cannot see the host's
# files, so show_bt, trial and floor, cross-built for arm64, and guest.sh
# go in through run.sh -f.
#
# SOURCE...: the product's C files (the Makefile passes $(SRCS)); without
# them they are read from the Makefile. Knobs (environment), besides
# guest.sh's BENCH_ROUNDS (7 here), BENCH_SROUNDS, BENCH_CALLS,
# BENCH_SC_ROUNDS, BENCH_BIG, BENCH_TOOLS:
#   BENCH_KERNELS="6.12 6.1"   guest kernels; both run every row
#                              (stackcount and the 1000-function attach
#                              too): trim rounds, not rows; arm64-6.1
#                              too (every row but stackcount's)
#   BENCH_NATIVE=auto|0|1      measure on this kernel (auto: if it has
#                              kprobes and we are root)
#   BENCH_OUT=bench/results.md
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cd "$top"
start=$(date +%s)
BUILD=$here/build
OUT=${BENCH_OUT:-$here/results.md}
KERNELS=${BENCH_KERNELS:-6.12 6.1}
NATIVE=${BENCH_NATIVE:-auto}
mkdir -p "$BUILD"
# The x86 guests share the host's root and binaries; the arm64 ones need
# binaries of their own and no -H (run.sh has no headers for arm64).
X86K=
ARMK=
for k in $KERNELS; do
	case $k in
	arm64-*) ARMK="$ARMK $k" ;;
	*) X86K="$X86K $k" ;;
	esac
done
XCROSS=aarch64-linux-gnu-

say() { echo "bench: $*" >&2; }

if [ $# -gt 0 ]; then
	srcs="$*"
else
	srcs=$(make -s -pn all 2>/dev/null | sed -n 's/^SRCS = //p' | head -n 1)
fi
[ -n "$srcs" ] || { say "cannot tell the product's sources"; exit 1; }

if [ "$NATIVE" = auto ]; then
	NATIVE=0
	[ "$(id -u)" != 0 ] || [ ! -e /sys/bus/event_source/devices/kprobe/type ] ||
		NATIVE=1
fi

# The other tracers, on the host (the guests run them from its root), and
# musl for the size row. Best effort: what cannot be installed leaves its
# rows out, and the table says so.
PKGS="bpftrace bpfcc-tools musl-tools musl-dev"
missing=
for p in $PKGS; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q ' installed$' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	:
elif [ "$(id -u)" != 0 ]; then
	say "not root: cannot apt-get install$missing (their rows will be missing)"
else
	say "installing$missing (log: $BUILD/apt.log)"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >"$BUILD/apt.log" 2>&1 || {
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get \
			install -y -q --no-install-recommends $missing
	} >>"$BUILD/apt.log" 2>&1 || say "apt-get install failed; going on without"
fi
# The guests' kernels, the modules that share the host's root, the headers.
# (kit.sh with no kernel named does them all: call it only for some.)
if [ "$NATIVE" != 1 ]; then
	# shellcheck disable=SC2086
	[ -z "$X86K" ] || "$top/tests/vm/kit.sh" -r -H $X86K ||
		{ say "tests/vm/kit.sh failed"; exit 1; }
	# shellcheck disable=SC2086
	[ -z "$ARMK" ] || "$top/tests/vm/kit.sh" -r $ARMK ||
		{ say "tests/vm/kit.sh failed"; exit 1; }
fi

# Static binaries: the product as `cc -static -O2` builds it, and the
# helpers, floor with the product's own bpf.c, kprobe.c (and kversion.c,
# which bpf.c uses). The table's sizes are of these builds.
CC=${CC:-cc}
CF="-std=gnu11 -O2"
say "building static binaries"
# shellcheck disable=SC2086
{
	$CC $CF -static -o "$BUILD/show_bt" $srcs
	$CC $CF -Wall -Wextra -static -o "$BUILD/trial" "$here/trial.c"
	$CC $CF -Wall -Wextra -static -I"$top" -o "$BUILD/floor" \
		"$here/floor.c" "$top/bpf.c" "$top/kprobe.c" "$top/kversion.c" \
		"$top/numparse.c"
}
# The same three for the arm64 guests, with the same flags and the cross
# gcc (kit.sh installed it): its glibc, static, so that the measured
# show_bt differs from the x86 one by its architecture alone.
if [ -n "$ARMK" ] && [ "$NATIVE" != 1 ]; then
	A=$BUILD/arm64
	mkdir -p "$A"
	# shellcheck disable=SC2086
	{
		${XCROSS}gcc $CF -static -o "$A/show_bt" $srcs
		${XCROSS}gcc $CF -Wall -Wextra -static -o "$A/trial" "$here/trial.c"
		${XCROSS}gcc $CF -Wall -Wextra -static -I"$top" -o "$A/floor" \
			"$here/floor.c" "$top/bpf.c" "$top/kprobe.c" \
			"$top/kversion.c" "$top/numparse.c"
	}
fi
size_of() { wc -c <"$1" | tr -d ' '; }
strip -o "$BUILD/show_bt.stripped" "$BUILD/show_bt"
{
	echo "INFO size_glibc=$(size_of "$BUILD/show_bt")"
	echo "INFO size_glibc_stripped=$(size_of "$BUILD/show_bt.stripped")"
	echo "INFO cc=$($CC --version | head -n 1)"
	echo "INFO size_os_commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null)"
	# What ships (make static): -Os, stripped; the size targets are
	# these builds' (the -O2 ones above run the measurements).
	# shellcheck disable=SC2086
	$CC -std=gnu11 -Os -static -s -o "$BUILD/show_bt.os" $srcs &&
		echo "INFO size_glibc_os=$(size_of "$BUILD/show_bt.os")"
	# musl has its own libc headers but not the kernel's uapi ones: give
	# it linux/, asm/ and asm-generic/ alone (all of /usr/include would
	# bring glibc's headers in too).
	if command -v musl-gcc >/dev/null; then
		u=$BUILD/uapi
		mkdir -p "$u"
		ln -sfn /usr/include/linux "$u/linux"
		ln -sfn /usr/include/asm-generic "$u/asm-generic"
		ln -sfn "/usr/include/$(gcc -dumpmachine)/asm" "$u/asm"
		# shellcheck disable=SC2086
		if musl-gcc $CF -static -I"$u" -o "$BUILD/show_bt.musl" $srcs \
			2>"$BUILD/musl.log"; then
			strip -o "$BUILD/show_bt.musl.stripped" "$BUILD/show_bt.musl"
			echo "INFO size_musl=$(size_of "$BUILD/show_bt.musl")"
			echo "INFO size_musl_stripped=$(size_of "$BUILD/show_bt.musl.stripped")"
		fi
		# What ships is what make builds, with its flags.
		if make -s -C "$top" tests/build/static/show_bt >>"$BUILD/musl.log" 2>&1 &&
			grep -q '^musl-gcc ' "$top/tests/build/static/.build-flags"; then
			echo "INFO size_musl_os=$(size_of "$top/tests/build/static/show_bt")"
		else
			echo "INFO size_musl=failed: $(grep -m1 error "$BUILD/musl.log")"
		fi
	else
		echo "INFO size_musl=not measured: musl-gcc (musl-tools) not installed"
	fi
	# The arm64 one, as make test-bins-arm64 builds it (the cross gcc
	# with Debian's arm64 musl, tests/vm/musl.sh), where the cross gcc is.
	if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
		echo "INFO size_musl_arm64=not measured: no aarch64-linux-gnu-gcc (make test-bins-arm64 installs it)"
	elif make -s -C "$top" CROSS=aarch64-linux-gnu- \
		tests/build/static-arm64/show_bt >>"$BUILD/musl.log" 2>&1 &&
		grep -q -- '-specs [^ ]*/musl-gcc\.specs ' \
			"$top/tests/build/static-arm64/.build-flags"; then
		echo "INFO size_musl_arm64=$(size_of "$top/tests/build/static-arm64/show_bt")"
	else
		echo "INFO size_musl_arm64=not measured: no musl build for arm64 (see $BUILD/musl.log)"
	fi
	echo "INFO host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "INFO host_cpus=$(nproc)"
	echo "INFO host_kernel=$(uname -r)"
	echo "INFO qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n 1)"
	if [ -n "$ARMK" ]; then
		echo "INFO cc_arm64=$(${XCROSS}gcc --version | head -n 1)"
		echo "INFO qemu_arm64=$(qemu-system-aarch64 --version 2>/dev/null | head -n 1)"
	fi
	# shellcheck disable=SC2086
	echo "INFO commit=$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- $srcs 2>/dev/null || echo ' + uncommitted changes')"
	echo "INFO load_start=$(cut -d' ' -f1 /proc/loadavg)"
} >"$BUILD/host.txt"

rm -f "$BUILD"/raw-*.txt
if [ "$NATIVE" = 1 ]; then
	say "measuring natively on $(uname -r)"
	sh "$here/guest.sh" "$BUILD" "$here" >"$BUILD/raw-native.txt"
else
	pids=
	for k in $KERNELS; do
		say "measuring in a $k guest (log: $BUILD/raw-$k.txt)"
		# x86: the host's root, with the binaries in $BUILD. arm64: its
		# own root, the binaries and guest.sh in /t; 3 hours, as its
		# calls run about 5x slower than the x86 guests' under TCG
		# (write(2) with nothing attached: 3,800 ns against 600-900),
		# and a timeout loses the whole run's output.
		case $k in
		arm64-*)
			set -- -r -m 2048M -t 10800 -f "$A/show_bt" -f "$A/trial" \
				-f "$A/floor" -f "$here/guest.sh"
			gbin=/t
			gdir=/t ;;
		*)
			set -- -r -H -m 2048M -t 3600
			gbin=$BUILD
			gdir=$here ;;
		esac
		# shellcheck disable=SC2086
		"$top/tests/vm/run.sh" -k "$k" "$@" -- env \
			BENCH_ROUNDS="${BENCH_ROUNDS:-7}" \
			BENCH_SROUNDS="${BENCH_SROUNDS:-3}" \
			BENCH_CALLS="${BENCH_CALLS:-20000}" \
			BENCH_SC_ROUNDS="${BENCH_SC_ROUNDS:-2}" \
			BENCH_BIG="${BENCH_BIG:-2}" \
			BENCH_TOOLS="${BENCH_TOOLS-bpftrace stackcount}" \
			sh "$gdir/guest.sh" "$gbin" "$gdir" >"$BUILD/raw-$k.txt" &
		pids="$pids $!"
	done
	fail=0
	for p in $pids; do
		wait "$p" || fail=1
	done
	[ $fail = 0 ] || say "a guest failed; the table has what it measured"
fi
{
	echo "INFO wall_s=$(($(date +%s) - start))"
	echo "INFO load_end=$(cut -d' ' -f1 /proc/loadavg)"
} >>"$BUILD/host.txt"
sh "$here/report.sh" "$BUILD/host.txt" "$BUILD"/raw-*.txt >"$OUT"
cat "$OUT"
say "wrote $OUT in $(($(date +%s) - start)) s"
