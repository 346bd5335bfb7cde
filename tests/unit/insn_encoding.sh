#!/bin/sh
# insn_encoding.sh BIN WORKDIR: check each case that BIN (insn_encoding.c)
# prints against llvm-mc's encoding of the hand-written assembly beside it.
# One PASS/FAIL line per case; see insn_encoding.c for the kinds.
#
# LLVM_MC is the llvm-mc to use (run.sh picks one that assembles BPF_ST,
# Debian's llvm-mc-19).  The "st" cases are written by insn_encoding.c in
# two halves, "*(SZ *)(rD + OFF) = r0" and "r0 = IMM" (llvm 14 had no
# syntax for BPF_ST); they are joined here into the store of an immediate,
# "*(SZ *)(rD + OFF) = IMM", which llvm-mc assembles itself.
set -eu
bin=$1 work=$2
mc=${LLVM_MC:-llvm-mc}

"$bin" > "$work/insn.tsv"
# A label before each instruction ties llvm-mc's output to its case.
awk -F'\t' '{
	text = $4
	if ($2 == "st") {
		imm = $5
		sub(/^r0 = /, "", imm)
		sub(/= r0$/, "= " imm, text)
	}
	printf "c%d_1:\n%s\n", NR, text
}' "$work/insn.tsv" > "$work/insn.s"
"$mc" -triple=bpf -show-encoding "$work/insn.s" \
	> "$work/insn.enc" 2> "$work/insn.err" || cat "$work/insn.err" >&2

awk -F'\t' '
FNR == NR {
	if ($0 ~ /^c[0-9]+_1:$/) {
		label = substr($0, 1, length($0) - 1)
		next
	}
	i = index($0, "# encoding: [")
	if (i && label != "") {
		e = substr($0, i + 13); sub(/\].*/, "", e); enc[label] = e
		label = ""
	}
	next
}
function fail(why) { printf "FAIL: unit/%s: %s\n", $1, why }
{
	text = $4
	if ($2 == "st") {
		imm = $5
		sub(/^r0 = /, "", imm)
		sub(/= r0$/, "= " imm, text)
	}
	got = $3; e1 = enc["c" FNR "_1"]
	if (e1 == "") { fail("llvm-mc cannot assemble \"" text "\""); next }
	want = e1
	if ($2 == "mapfd") {
		# BPF_PSEUDO_MAP_FD: src_reg, the high nibble of byte 1, is 1.
		split(got, g, ","); split(e1, w, ",")
		if (substr(g[2], 3, 1) != "1") {
			fail("src_reg nibble is " substr(g[2], 3, 1) \
			     ", want 1 (BPF_PSEUDO_MAP_FD) in " got)
			next
		}
		want = w[1] ",0x1" substr(w[2], 4) \
		       substr(e1, length(w[1] w[2]) + 2)
	}
	if (got != want)
		fail("macro gave [" got "], llvm-mc [" want "] for \"" text "\"")
	else
		printf "PASS: unit/%s\n", $1
}
' "$work/insn.enc" "$work/insn.tsv"
