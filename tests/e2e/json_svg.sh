#!/bin/sh
# tests/e2e/json_svg.sh: --json and --svg end to end, from the host.  Boots
# one VM (tests/vm/run.sh) with the static show_bt and workload and
# tests/lib.sh, runs tests/e2e/json_svg_guest.sh in it (three traced runs, every output
# printed), then checks the outputs here with json_svg_check.py: JSON by
# Python's json module against the text output and summary of the same
# run, SVG by xml.etree, rsvg-convert (Debian's librsvg2-bin, from `make
# deps`; missing, its test fails) and the same totals as the text output.
#
#   tests/e2e/json_svg.sh [-k KERNEL] [-b BINDIR] [-o SAVE_DIR] [-c CAPTURE]
#
# -k the kernel, as tests/vm/run.sh names it (default 6.12); -b where
# show_bt and writer are (default tests/build/static, from `make
# test-bins`, or for arm64-* tests/build/static-arm64, from `make
# test-bins-arm64`); -o keeps the JSON, SVG and
# PNG files and the capture; -c checks a saved capture, without a VM.
# Prints "PASS: json/KERNEL/NAME" / "FAIL: json/KERNEL/NAME: why" (and
# svg/...); exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
kernel=6.12 bin='' save='' capture=''
while getopts k:b:o:c: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	b) bin=$OPTARG ;;
	o) save=$OPTARG ;;
	c) capture=$OPTARG ;;
	*) echo "usage: $0 [-k KERNEL] [-b BINDIR] [-o SAVE_DIR] [-c CAPTURE]" >&2
	   exit 2 ;;
	esac
done
if [ -z "$bin" ]; then
	case $kernel in
	arm64-*) bin=tests/build/static-arm64 ;;
	*) bin=tests/build/static ;;
	esac
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/json_svg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -z "$capture" ]; then
	for f in "$bin/show_bt" "$bin/writer"; do
		if [ ! -x "$f" ]; then
			echo "FAIL: json/$kernel/vm: no $f (make test-bins, or test-bins-arm64)"
			exit 1
		fi
	done
	capture=$tmp/capture
	tests/vm/run.sh -k "$kernel" -t 600 -f "$bin/show_bt" \
		-f "$bin/writer" -f tests/lib.sh -f tests/e2e/json_svg_guest.sh \
		-- sh /t/json_svg_guest.sh /t > "$capture" 2> "$tmp/vm.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: json/$kernel/vm: the VM run failed (exit $rc): $(tail -5 "$tmp/vm.err" | tr '\n' ' ')"
		exit 1
	fi
fi
if [ -n "$save" ]; then
	mkdir -p "$save" && cp "$capture" "$save/capture.txt"
fi
python3 tests/e2e/json_svg_check.py "$kernel" "$capture" ${save:+"$save"}
