#!/bin/sh
# bpfasm_llvm.sh TEST_BPFASM SHOW_BT WORKDIR: what bpfasm prints, assembled
# by llvm-mc -triple=bpf, must be the bytes it printed.  LLVM_MC and
# LLVM_OBJCOPY name the tools (run.sh picks Debian's llvm 19, which
# assembles every form bpfasm prints but three, below).
#
#  - each instruction form (test_bpfasm cases), printed alone;
#  - show_bt --dump, whole, for the pid filter, the self filter and -P,
#    against prog_build()'s bytes (test_bpfasm raw) with the same map fds;
#  - show_bt --prog reads show_bt --dump's output back unchanged.
#
# Before llvm-mc sees a listing, instruction numbers ("  12: ") and
# comments ("# ..." to the end of the line) are cut, and map[NAME] becomes
# the stand-in fd --dump uses (3 for the first map its header names, 4 for
# the next, ...: gate 3, stacks 4, counts 5, scratch 6, frames 7, lost 8);
# llvm-mc encodes that load with src_reg 0, so src_reg is set to
# BPF_PSEUDO_MAP_FD (1) afterwards.
# One PASS/FAIL line per check.
set -u
tb=$1 sb=$2 work=$3/bpfasm_llvm
mc=${LLVM_MC:-llvm-mc}
objcopy=${LLVM_OBJCOPY:-llvm-objcopy}
mkdir -p "$work"
PREFIX=unit
# pass, fail: tests/lib.sh.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# The maps in fd order, as --dump's header names them: "# Maps by name:
# map[gate], map[stacks], ...".
maps=$("$sb" --dump -p 1 2> /dev/null | sed -n 's/^# Maps by name: //p' |
       sed 's/map\[\([a-z]*\)\][,.]*/\1/g')
if [ -z "$maps" ]; then
	fail bpfasm_llvm_maps "no '# Maps by name:' line in show_bt --dump"
	exit 0
fi

# Cut numbers and comments, drop empty lines: what llvm-mc reads.
strip() {
	sed -e 's/[[:space:]]*#.*$//' -e 's/^[[:space:]]*[0-9]*:[[:space:]]*//' \
		-e '/^[[:space:]]*$/d'
}

# FILE.s to FILE.hex: the .text bytes, 8 a line, "bf 16 00 ...".
assemble() {
	"$mc" -triple=bpf -filetype=obj -o "$1.o" "$1.s" 2> "$1.err" &&
		"$objcopy" -O binary --only-section=.text "$1.o" "$1.bin" &&
		od -An -v -tx1 -w8 "$1.bin" | sed 's/^ *//' > "$1.hex"
}

# BASE.body (stripped) to BASE.hex, what the bytes must be: map names
# pinned to their stand-in fds, then src_reg 1 (BPF_PSEUDO_MAP_FD) in
# byte 1 of those loads.  0 when llvm-mc took it all.
assemble_listing() {
	awk -v prog="$1.s" -v patches="$1.patch" -v maps="$maps" '
	BEGIN {
		n = split(maps, m, " ")
		for (i = 1; i <= n; i++)
			fd[m[i]] = 2 + i
		printf "" > patches
		slot = 0
	}
	{
		line = $0
		if (match(line, /map\[[a-z]+\]/)) {
			name = substr(line, RSTART + 4, RLENGTH - 5)
			line = substr(line, 1, RSTART - 1) fd[name] \
			       substr(line, RSTART + RLENGTH)
			print slot > patches
		}
		print line > prog
		slot += line ~ / ll$/ ? 2 : 1
	}' "$1.body"
	assemble "$1" || return 1
	awk -v patches="$1.patch" '
	BEGIN {
		while ((getline l < patches) > 0)
			map[l] = 1
	}
	{
		if ((NR - 1) in map)
			$2 = "1" substr($2, 2)
		print
	}' "$1.hex" > "$1.want"
	mv "$1.want" "$1.hex"
}

# Each form alone, the "new" ones (BPF v4, atomics) too.  llvm 19 has no
# syntax for three, which the round trip in test_bpfasm.c checks: gotol
# with a number (it wants a label), nospec, and call pc+N (read as a
# symbol).
"$tb" cases > "$work/cases.tsv" || fail bpfasm_llvm_cases "test_bpfasm cases failed"
tab=$(printf '\t')
while IFS=$tab read -r name _ bytes text; do
	case $name in gotol | nospec | call_pc) continue ;; esac
	c=$work/case_$name
	echo "$text" | tr ';' '\n' | strip > "$c.body"
	want=$(echo "$bytes" | sed 's/0x//g; s/,/ /g')
	if ! assemble_listing "$c"; then
		fail "bpfasm_llvm_$name" "llvm-mc cannot assemble \"$text\": $(head -1 "$c.err")"
		continue
	fi
	got=$(tr '\n' ' ' < "$c.hex" | sed 's/ *$//')
	if [ "$got" = "$want" ]; then
		pass "bpfasm_llvm_$name"
	else
		fail "bpfasm_llvm_$name" "\"$text\" assembles to [$got], printed from [$want]"
	fi
done < "$work/cases.tsv"

# The --dump of each configuration, whole.
depth=$(cat /proc/sys/kernel/perf_event_max_stack 2> /dev/null || echo 127)
[ "$depth" -gt 0 ] 2> /dev/null && [ "$depth" -le 127 ] || depth=127
for cfg in pid per_process_pid self per_process_self; do
	case $cfg in
	pid) args="-p 1234" ;;
	per_process_pid) args="-P -p 1234" ;;
	self) args="" ;;
	per_process_self) args="-P" ;;
	esac
	d=$work/dump_$cfg
	# shellcheck disable=SC2086
	if ! "$sb" --dump $args > "$d.txt" 2> "$d.stderr"; then
		fail "bpfasm_llvm_dump_$cfg" "show_bt --dump $args failed: $(head -1 "$d.stderr")"
		continue
	fi
	pid=0 self=0 pp=0
	case $args in *-P*) pp=1 ;; esac
	case $args in
	*-p*) pid=1234 ;;
	*)	# The self filter holds the pid show_bt had.
		self=$(sed -n '/: r0 >>= 32$/{n;s/^ *[0-9]*: if r0 == \([0-9]*\) goto.*/\1/p;}' "$d.txt" | head -1) ;;
	esac
	if [ -z "$self" ]; then
		fail "bpfasm_llvm_dump_$cfg" "no self filter after r0 >>= 32 in --dump $args"
		continue
	fi
	"$tb" raw "$pid" "$self" "$pp" "$depth" > "$d.raw" &&
		od -An -v -tx1 -w8 "$d.raw" | sed 's/^ *//' > "$d.raw.hex"
	strip < "$d.txt" > "$d.body"
	if ! assemble_listing "$d"; then
		fail "bpfasm_llvm_dump_$cfg" "llvm-mc cannot assemble --dump $args: $(head -1 "$d.err")"
	elif cmp -s "$d.hex" "$d.raw.hex"; then
		pass "bpfasm_llvm_dump_$cfg"
	else
		n=$(cmp "$d.hex" "$d.raw.hex" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
		fail "bpfasm_llvm_dump_$cfg" "instruction slot $((${n:-1} - 1)): llvm-mc gave [$(sed -n "${n:-1}p" "$d.hex")], the program has [$(sed -n "${n:-1}p" "$d.raw.hex")] (see $d.*)"
	fi
done

# --prog reads --dump's output back: dumped again, the same instructions.
d=$work/reread
if "$sb" --dump -P -p 1234 > "$d.1" && "$sb" --prog "$d.1" --dump > "$d.2" &&
   grep -v '^#' "$d.1" | grep -v '^$' > "$d.1.insns" &&
   grep -v '^#' "$d.2" | grep -v '^$' > "$d.2.insns" &&
   [ -s "$d.1.insns" ] && cmp -s "$d.1.insns" "$d.2.insns"; then
	pass bpfasm_dump_prog_dump
else
	fail bpfasm_dump_prog_dump "show_bt --prog of --dump's output dumps other instructions (see $d.*)"
fi
