#!/bin/sh
# tests/unit/run.sh: build the unit tests under ASan and UBSan into
# tests/build/unit, run them, print one PASS/FAIL line per case on stdout
# (everything else goes to stderr).  Exit 0 when all passed, 1 otherwise.
#
#   tests/unit/run.sh [valgrind]
#
# valgrind: the C tests again, built without sanitizers, each under
# valgrind's memcheck, which catches reads of uninitialized memory (ASan
# does not); their lines say valgrind/ for unit/.
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
WARN="-std=gnu11 -O1 -g -Wall -Wextra -Wno-missing-field-initializers"
if [ "${1:-}" = valgrind ]; then
	TAG=valgrind
	B=tests/build/unit-valgrind
	CFLAGS=$WARN
	VG="valgrind -q --error-exitcode=99 --track-origins=yes
		--leak-check=full --errors-for-leak-kinds=definite
		--suppressions=tests/unit/valgrind.supp"
	command -v valgrind > /dev/null ||
		{ echo "FAIL: valgrind/setup: no valgrind: run 'make deps'"; exit 1; }
else
	TAG=unit
	B=tests/build/unit
	CFLAGS="$WARN -fsanitize=address,undefined -fno-sanitize-recover=all
		-fno-omit-frame-pointer"
	VG=
fi
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
mkdir -p $B
: > $B/results

fail() { echo "FAIL: $TAG/$1: $2" | tee -a $B/results; }

# build NAME SOURCE...: a FAIL line when it does not compile.
build() {
	name=$1
	shift
	rm -f "$B/$name"
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$B/$name" "$@" -lm >&2 && return
	fail "${name}_build" "$CC cannot build $* (errors on stderr)"
	return 1
}

# run NAME COMMAND...: its lines; a crash or sanitizer report is a FAIL.
# With valgrind, only the C tests run (under it); the scripts are skipped
# there, as the sanitized pass runs them.
run() {
	name=$1
	shift
	st=0
	if [ -n "$VG" ]; then
		[ "$1" != sh ] || return 0
		# shellcheck disable=SC2086
		$VG "$@" > "$B/$name.out" || st=$?
		sed -i "s#^\(PASS\|FAIL\): unit/#\1: valgrind/#" "$B/$name.out"
	else
		"$@" > "$B/$name.out" || st=$?
	fi
	tee -a $B/results < "$B/$name.out"
	[ $st = 0 ] || fail "$name" "exited with status $st (report on stderr)"
}

# llvm-mc checks the encodings.  It must assemble every form show_bt
# uses, BPF_ST ("*(u64 *)(r10 - 8) = 0") included: Debian's llvm-19 does,
# llvm 14 does not.  Installing it is `make deps`'s job; here a missing
# one is a failure.  LLVM_MC (and LLVM_OBJCOPY beside it) for the scripts.
llvm_mc() {
	[ -n "${LLVM_OBJCOPY-}" ] && return
	for mc in ${LLVM_MC-} llvm-mc-19 \
		  $(ls -r /usr/lib/llvm-*/bin/llvm-mc 2> /dev/null) llvm-mc; do
		mc=$(command -v "$mc") || continue
		echo '*(u64 *)(r10 - 8) = 0' |
			"$mc" -triple=bpf -show-encoding > /dev/null 2>&1 ||
			continue
		base=${mc##*/}
		LLVM_OBJCOPY=${mc%/*}/llvm-objcopy${base#llvm-mc}
		[ -x "$LLVM_OBJCOPY" ] || continue
		LLVM_MC=$mc
		export LLVM_MC LLVM_OBJCOPY
		return
	done
	LLVM_OBJCOPY=
	return 1
}
NO_LLVM="no llvm-mc (with its llvm-objcopy) that assembles BPF_ST; run 'make deps' (Debian's llvm-19)"

if build insn_encoding tests/unit/insn_encoding.c; then
	if llvm_mc; then
		run insn_encoding sh tests/unit/insn_encoding.sh \
			$B/insn_encoding $B
	else
		fail insn_encoding "$NO_LLVM"
	fi
fi
build test_prog tests/unit/test_prog.c prog.c prog_maps.c bpf.c kversion.c &&
	run test_prog $B/test_prog
# The chains of frames-map keys of kernels before 5.11, in real BPF maps
# (bpf() as root), read back by stackmap.c.
build test_chunks tests/unit/test_chunks.c stackmap.c bpf.c prog.c \
	prog_maps.c kversion.c &&
	run test_chunks $B/test_chunks
# -i: the difference of two reads, and that the intervals add up.
build test_interval tests/unit/test_interval.c stackmap.c bpf.c prog.c \
	prog_maps.c kversion.c &&
	run test_interval $B/test_interval
build test_kallsyms tests/unit/test_kallsyms.c tests/unit/kallsyms_oracle.c \
	ksym.c numparse.c &&
	run test_kallsyms $B/test_kallsyms tests/fixtures/kallsyms $B
build test_kview tests/unit/test_kview.c tests/unit/kallsyms_oracle.c kview.c \
	ksym.c kallsyms.c kallsyms_read.c kprobe.c bpf.c kversion.c numparse.c &&
	run test_kview $B/test_kview tests/fixtures/kallsyms $B
build test_probes tests/unit/test_probes.c probes.c notes.c bpf.c diagnose.c \
	perm.c msg.c kprobe.c stackmap.c testhook.c kview.c ksym.c kallsyms.c \
	kallsyms_read.c kversion.c targets.c tracepoint.c prog.c prog_maps.c \
	options.c numparse.c glob.c -lpthread &&
	run test_probes $B/test_probes
build test_tracepoint tests/unit/test_tracepoint.c tracepoint.c probes.c \
	notes.c bpf.c diagnose.c perm.c msg.c kprobe.c stackmap.c testhook.c \
	kview.c ksym.c kallsyms.c kallsyms_read.c kversion.c targets.c prog.c \
	prog_maps.c options.c numparse.c glob.c -lpthread &&
	run test_tracepoint $B/test_tracepoint
# A shared name's probes, against a fake kernel (tests/unit/fake_kprobe.c).
build test_shared tests/unit/test_shared.c tests/unit/fake_kprobe.c probes.c \
	notes.c bpf.c diagnose.c perm.c msg.c stackmap.c testhook.c kview.c \
	kallsyms.c kallsyms_read.c ksym.c kversion.c targets.c tracepoint.c \
	prog.c prog_maps.c options.c numparse.c glob.c -lpthread &&
	run test_shared $B/test_shared $B
# The cause of an EPERM or EACCES, from files standing in for the system's.
build test_perm tests/unit/test_perm.c perm.c bpf.c kversion.c numparse.c &&
	run test_perm $B/test_perm $B
# The resolver against the one-pass oracle, on the fixtures, test_kallsyms's
# files and the host's own kallsyms (not under valgrind: 100,000 lines and
# more).
build test_kallsyms_copy tests/unit/test_kallsyms_copy.c \
	tests/unit/kallsyms_oracle.c ksym.c kallsyms.c kallsyms_read.c bpf.c \
	kversion.c numparse.c &&
	run test_kallsyms_copy $B/test_kallsyms_copy tests/fixtures/kallsyms $B \
		$([ -z "$VG" ] && [ -r /proc/kallsyms ] && echo /proc/kallsyms)
build test_output tests/unit/test_output.c output.c symtab.c kallsyms.c \
	kallsyms_read.c ksym.c stackmap.c bpf.c prog.c prog_maps.c kversion.c \
	numparse.c &&
	run test_output $B/test_output tests/fixtures/kallsyms
# Output and naming link no BPF layer: the symbol code makes no bpf() call.
build test_frames tests/unit/test_frames.c symtab.c kallsyms.c \
	kallsyms_read.c ksym.c numparse.c &&
	run test_frames $B/test_frames tests/fixtures/kallsyms
# The kernel feature table: decisions from each kernel's answers, and this
# kernel's own (bpf() as root).
build test_features tests/unit/test_features.c kfeatures.c bpf.c kversion.c &&
	run test_features $B/test_features
build test_options tests/unit/test_options.c options.c msg.c numparse.c &&
	run test_options $B/test_options
build test_filters tests/unit/test_filters.c filters.c options.c prog.c \
	prog_maps.c bpf.c msg.c kfeatures.c kversion.c numparse.c &&
	run test_filters $B/test_filters
# The codec alone, with prog.c for the built-in program: no bpf.c.
build test_bpfasm tests/unit/test_bpfasm.c bpfasm_ops.c bpfasm_print.c \
	bpfasm_parse.c bpfasm_lex.c prog.c prog_maps.c msg.c &&
	run test_bpfasm $B/test_bpfasm
# glob.c's wildcards, against the host libc's fnmatch().
build test_glob tests/unit/test_glob.c glob.c &&
	run test_glob $B/test_glob
# numparse.c's parsers, against the host libc's strto*().
build test_numparse tests/unit/test_numparse.c numparse.c &&
	run test_numparse $B/test_numparse
build test_kversion tests/unit/test_kversion.c kversion.c &&
	run test_kversion $B/test_kversion
build test_json tests/unit/test_json.c json.c utf8.c output.c symtab.c \
	ksym.c kallsyms.c kallsyms_read.c numparse.c &&
	run test_json $B/test_json
build test_svg tests/unit/test_svg.c svg.c utf8.c output.c symtab.c \
	ksym.c kallsyms.c kallsyms_read.c numparse.c &&
	run test_svg $B/test_svg
# bpfasm's text through llvm-mc, with show_bt --dump itself (under ASan).
if [ -z "$VG" ] && build show_bt_asan ./*.c && [ -x $B/test_bpfasm ]; then
	if llvm_mc; then
		run bpfasm_llvm sh tests/unit/bpfasm_llvm.sh $B/test_bpfasm \
			$B/show_bt_asan $B
	else
		fail bpfasm_llvm "$NO_LLVM"
	fi
fi
! grep -q '^FAIL' $B/results
