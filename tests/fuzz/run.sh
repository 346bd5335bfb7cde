#!/bin/sh
# tests/fuzz/run.sh: libFuzzer targets for every parser of outside input,
# built with clang-19 under ASan and UBSan (Debian's clang-19 and
# libclang-rt-19-dev; `make deps` installs them).
#
#   tests/fuzz/run.sh regress           each target once over its corpus,
#                                       every file executed once (make test)
#   tests/fuzz/run.sh fuzz [TARGET...]  each target for FUZZ_SECONDS (120),
#                                       nice -n 19, one after the other
#                                       (make fuzz)
#   tests/fuzz/run.sh merge [TARGET...] fold what fuzz found into the
#                                       committed corpus, minimized
#                                       (-set_cover_merge=1; make
#                                       fuzz-merge)
#   tests/fuzz/run.sh build             only build them
#
# The targets (tests/fuzz/fuzz_TARGET.c says what each checks):
#   bpfasm    --prog's assembler: print then parse gives the same program
#   insn      any 8-byte instructions, printed as --dump does, read back
#   kallsyms  a fuzzed /proc/kallsyms through kallsyms.c, the one-pass oracle
#             and symtab.c, against a plain reference
#   kversion  kernel version strings (kversion.c)
#   options   the command line (options.c)
#
# Seeds, committed: tests/fuzz/corpus/TARGET/.  A campaign's new inputs go
# to tests/build/fuzz/corpus/TARGET/ (kept between runs); what crashes goes
# to tests/fuzz/findings/TARGET/ (not committed), with the command that
# replays it.  A crash fixed goes into the committed corpus, so regress
# replays it from then on.
#
# regress prints a PASS or FAIL line per target on stdout, as the other
# suites do; without clang-19 and libFuzzer every target FAILs, saying so.
set -u
cd "$(dirname "$0")/../.."
FUZZ_CC=${FUZZ_CC:-clang-19}
FUZZ_SECONDS=${FUZZ_SECONDS:-120}
TARGETS="bpfasm insn kallsyms kversion options"
B=tests/build/fuzz
FINDINGS=tests/fuzz/findings
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p $B

# The product's sources each target links.
BPFASM="bpfasm_ops.c bpfasm_print.c bpfasm_parse.c bpfasm_lex.c prog.c
	prog_maps.c msg.c tests/fuzz/stub_bpf.c"
KSYMS="ksym.c kallsyms.c kallsyms_read.c tests/unit/kallsyms_oracle.c symtab.c
       numparse.c"
sources() {
	case $1 in
	bpfasm|insn) echo "$BPFASM" ;;
	kallsyms) echo "$KSYMS" ;;
	kversion) echo "kversion.c" ;;
	options) echo "options.c msg.c numparse.c" ;;
	esac
}

# libFuzzer's options per target: the longest input, a dictionary.
fuzz_opts() {
	case $1 in
	bpfasm) echo "-max_len=8192 -dict=tests/fuzz/bpfasm.dict" ;;
	insn) echo "-max_len=4096" ;;
	kallsyms) echo "-max_len=8192 -dict=tests/fuzz/kallsyms.dict" ;;
	kversion) echo "-max_len=512 -dict=tests/fuzz/kversion.dict" ;;
	options) echo "-max_len=1024 -dict=tests/fuzz/options.dict" ;;
	esac
}

# Whether FUZZ_CC links a libFuzzer target; why not on stderr.
have_libfuzzer() {
	command -v "$FUZZ_CC" > /dev/null 2>&1 || {
		echo "no $FUZZ_CC" >&2
		return 1
	}
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; return (int)n & 0; }' > $B/probe.c
	# shellcheck disable=SC2086
	$FUZZ_CC $CFLAGS -o $B/probe $B/probe.c 2> $B/probe.err || {
		echo "$FUZZ_CC cannot link libFuzzer with ASan and UBSan" \
			"(libclang-rt-19-dev): $(tail -2 $B/probe.err |
			tr '\n' ' ')" >&2
		return 1
	}
}

# build TARGET: tests/build/fuzz/fuzz_TARGET, again when a source or the
# command changed.  Errors on stderr.
build() {
	bin=$B/fuzz_$1
	srcs="tests/fuzz/fuzz_$1.c $(sources "$1")"
	cmd="$FUZZ_CC $CFLAGS -o $bin $srcs"
	if [ -x "$bin" ] && [ "$(cat "$bin.cmd" 2> /dev/null)" = "$cmd" ]; then
		stale=
		for f in $srcs tests/fuzz/*.h ./*.h; do
			[ "$f" -nt "$bin" ] && stale=1
		done
		[ -z "$stale" ] && return 0
	fi
	rm -f "$bin"
	# shellcheck disable=SC2086
	$cmd >&2 || return 1
	echo "$cmd" > "$bin.cmd"
}

# regress: every file of each target's corpus, once, as libFuzzer replays
# files named on its command line (no mutation, no time limit).
regress() {
	if ! why=$(have_libfuzzer 2>&1); then
		for t in $TARGETS; do
			echo "FAIL: fuzz/$t: $why; run 'make deps'"
		done
		return 1
	fi
	st=0
	for t in $TARGETS; do
		dir=tests/fuzz/corpus/$t
		if ! build "$t" 2> "$B/$t.build"; then
			echo "FAIL: fuzz/$t: cannot build (errors in $B/$t.build)"
			st=1
			continue
		fi
		n=$(find "$dir" -type f 2> /dev/null | wc -l)
		if [ "$n" -eq 0 ]; then
			echo "FAIL: fuzz/$t: no corpus in $dir"
			st=1
			continue
		fi
		# shellcheck disable=SC2046
		if find "$dir" -type f -print0 | sort -z |
		   xargs -0 "$B/fuzz_$t" -runs=1 > "$B/$t.regress" 2>&1; then
			ran=$(grep -c '^Executed ' "$B/$t.regress")
			if [ "$ran" -eq "$n" ]; then
				echo "PASS: fuzz/$t: $n corpus files, each run once"
			else
				echo "FAIL: fuzz/$t: ran $ran of $n corpus files ($B/$t.regress)"
				st=1
			fi
		else
			echo "FAIL: fuzz/$t: a corpus file fails: $(grep -m1 \
				'property failed\|ERROR: \|runtime error' \
				"$B/$t.regress" | cut -c1-300) (whole report in $B/$t.regress)"
			st=1
		fi
	done
	return $st
}

# fuzz TARGET...: each for FUZZ_SECONDS; then its totals in one line.
fuzz() {
	why=$(have_libfuzzer 2>&1) || {
		echo "fuzz: $why; run 'make deps'" >&2
		return 1
	}
	st=0
	for t in "$@"; do
		build "$t" || return 1
		work=$B/corpus/$t
		out=$FINDINGS/$t
		mkdir -p "$work" "$out"
		log=$B/$t.fuzz.log
		echo "fuzz/$t: $FUZZ_SECONDS s (log: $log)"
		# shellcheck disable=SC2046
		nice -n 19 "$B/fuzz_$t" $(fuzz_opts "$t") \
			-max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
			-artifact_prefix="$out/" "$work" "tests/fuzz/corpus/$t" \
			> "$log" 2>&1
		rc=$?
		done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' \
			"$log" | tail -1)
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
		cov=$(echo "$done_line" | sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*/\1 \2/p')
		if [ $rc -eq 0 ]; then
			echo "fuzz/$t: ${secs:-?} s, ${runs:-?} executions, ${cov:-cov ?}, no finding"
		else
			st=1
			crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" |
				tail -1)
			echo "fuzz/$t: FOUND after ${runs:-?} executions:" \
				"$(grep -m1 'property failed\|ERROR: \|runtime error' "$log" |
				cut -c1-300)"
			echo "  input: ${crash:-see $log}; replay:" \
				"$B/fuzz_$t ${crash:-FILE}"
		fi
	done
	return $st
}

# merge TARGET...: the committed corpus and the campaign's, minimized
# into the committed one: -set_cover_merge=1, the smallest set of inputs
# that keeps every feature (edges and their hit counts) the two reach;
# -merge=1 keeps about twice as many (720 files for bpfasm, not 451).
merge() {
	for t in "$@"; do
		build "$t" || return 1
		seeds=tests/fuzz/corpus/$t
		new=$B/merge-$t
		rm -rf "$new"
		mkdir -p "$new" "$seeds" "$B/corpus/$t"
		# shellcheck disable=SC2046
		"$B/fuzz_$t" $(fuzz_opts "$t") -set_cover_merge=1 "$new" "$seeds" \
			"$B/corpus/$t" > "$B/$t.merge.log" 2>&1 || {
			echo "merge/$t: failed ($B/$t.merge.log)" >&2
			return 1
		}
		# Inputs kept on purpose (named, not by their SHA-1 as
		# libFuzzer names them) stay, under their names only.
		for f in "$seeds"/*; do
			case ${f##*/} in *[!0-9a-f]*) ;; *) continue ;; esac
			[ -f "$f" ] || continue
			cp "$f" "$new/"
			rm -f "$new/$(sha1sum < "$f" | cut -d' ' -f1)"
		done
		rm -rf "$seeds"
		mv "$new" "$seeds"
		echo "merge/$t: $(find "$seeds" -type f | wc -l) files in $seeds"
	done
}

cmd=${1:-regress}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- $TARGETS
case $cmd in
build)
	have_libfuzzer || exit 1
	for t in "$@"; do
		build "$t" || exit 1
	done ;;
regress) regress ;;
fuzz) fuzz "$@" ;;
merge) merge "$@" ;;
*) echo "usage: tests/fuzz/run.sh [regress | fuzz | merge | build] [TARGET...]" >&2
   exit 2 ;;
esac
