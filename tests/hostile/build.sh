#!/bin/sh
# tests/hostile/build.sh: build what the hostile-input suite runs.
#
#   tests/hostile/build.sh [static|arm64|host]   (from anywhere; default
#                                                static and host)
#
# Into tests/build/hostile/:
#   static/   bpfls privs hammer pipefill threads sigdfl: static helpers for the VM
#   static-arm64/   the same for the arm64 VM, built with Debian's cross gcc
#             (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross: tests/vm/kit.sh
#             arm64-6.1 installs them; missing, this fails)
#   show_bt   show_bt from the product sources, with ASan and UBSan (host rows)
#   fmt       tests/hostile/fmt.c with output.c and what it names with, sanitized
# Prints nothing on success; on failure the compiler's errors and exit 1.
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
B=tests/build/hostile
WARN="-std=gnu11 -Wall -Wextra -Wno-missing-field-initializers"
SAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer"
mkdir -p "$B/static"

what=${1:-all}

# Each file appears whole or not at all: two runs (one per kernel) may
# build at once while the other copies the files into its VM.
cc_to() {
	out=$1
	shift
	# shellcheck disable=SC2086
	$CC "$@" -o "$out.$$" && mv -f "$out.$$" "$out"
}

HELPERS="bpfls privs hammer pipefill threads sigdfl"

if [ "$what" = arm64 ]; then
	CC=${ARM64_CC:-aarch64-linux-gnu-gcc}
	command -v "$CC" > /dev/null || {
		echo "build.sh: no $CC: the arm64 helpers need Debian's gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (sh tests/vm/kit.sh arm64-6.1 installs them)" >&2
		exit 1
	}
	mkdir -p "$B/static-arm64"
	for h in $HELPERS; do
		# shellcheck disable=SC2086
		cc_to "$B/static-arm64/$h" $WARN -O2 -static \
			"tests/hostile/$h.c" -pthread
	done
	exit 0
fi

[ "$what" = host ] || for h in $HELPERS; do
	# shellcheck disable=SC2086
	cc_to "$B/static/$h" $WARN -O2 -static "tests/hostile/$h.c" -pthread
done

[ "$what" != static ] || exit 0

# The product's sources, as the Makefile's SRCS lists them.
srcs=$(sed -n '/^SRCS *=/,/[^\\]$/p' Makefile | sed 's/^SRCS *=//; s/\\$//')
# shellcheck disable=SC2086
cc_to "$B/show_bt" $WARN $SAN $srcs -lm
# shellcheck disable=SC2086
cc_to "$B/fmt" $WARN $SAN tests/hostile/fmt.c output.c symtab.c \
	ksym.c kallsyms.c kallsyms_read.c numparse.c
