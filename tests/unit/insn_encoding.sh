#!/bin/sh
# insn_encoding.sh BIN WORKDIR: check each case that BIN (insn_encoding.c)
# prints against llvm-mc's encoding of the hand-written assembly beside it.
# One PASS/FAIL line per case; see insn_encoding.c for the three kinds.
set -eu
bin=$1 work=$2

"$bin" > "$work/insn.tsv"
# A label before each instruction ties llvm-mc's output to its case.
awk -F'\t' '{ printf "c%d_1:\n%s\n", NR, $4
	if ($5 != "") printf "c%d_2:\n%s\n", NR, $5 }' \
	"$work/insn.tsv" > "$work/insn.s"
llvm-mc -triple=bpf -show-encoding "$work/insn.s" \
	> "$work/insn.enc" 2> "$work/insn.err" || cat "$work/insn.err" >&2

awk -F'\t' '
FNR == NR {
	if ($0 ~ /^c[0-9]+_[12]:$/) {
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
	got = $3; e1 = enc["c" FNR "_1"]; e2 = enc["c" FNR "_2"]
	if (e1 == "") { fail("llvm-mc cannot assemble \"" $4 "\""); next }
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
	} else if ($2 == "st") {
		if (e2 == "") {
			fail("llvm-mc cannot assemble \"" $5 "\"")
			next
		}
		# Class BPF_STX (3) becomes BPF_ST (2), in bits 0-2 of byte 0.
		split(e1, w, ","); split(e2, m, ",")
		c = substr(w[1], 4, 1)
		c = c == "3" ? "2" : c == "b" ? "a" : "?"
		want = substr(w[1], 1, 3) c "," w[2] "," w[3] "," w[4] "," \
		       m[5] "," m[6] "," m[7] "," m[8]
	}
	if (got != want)
		fail("macro gave [" got "], llvm-mc [" want "] for \"" $4 "\"")
	else
		printf "PASS: unit/%s\n", $1
}
' "$work/insn.enc" "$work/insn.tsv"
