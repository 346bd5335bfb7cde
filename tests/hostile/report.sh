#!/bin/sh
# tests/hostile/report.sh: the hostile-input table with the outcomes that
# runs measured, as Markdown (the table of docs/RELIABILITY.md).
#
#   tests/hostile/report.sh TABLE LOG...
#
# Each LOG is the output of one run of tests/hostile/run.sh (a VM kernel or
# the host); its PASS/FAIL lines give one column, named after the kernel.
# A row's cell is PASS, or FAIL and why (cut to 160 characters), and says
# so when the row left something in the kernel.  "-" marks rows that do not
# run there.
set -eu
TABLE=${1:?usage: report.sh TABLE LOG...}
shift
awk -F'\t' '
FNR == 1 { file++ }
file == 1 {
	if ($0 ~ /^#/ || $1 == "id" || NF < 10) next
	n++; id[n] = $1; where[n] = $2; exitw[n] = $6; msg[n] = $7
	counts[n] = $8; desc[n] = $10
	next
}
/^(PASS|FAIL): hostile\// {
	line = $0
	verdict = substr(line, 1, 4)
	sub(/^(PASS|FAIL): hostile\//, "", line)
	k = line; sub(/\/.*/, "", k)
	col = file - 1
	kern[col] = k
	rest = line; sub(/^[^\/]*\//, "", rest)
	rid = rest; sub(/: .*/, "", rid)
	why = ""
	if (index(rest, ": ")) why = substr(rest, index(rest, ": ") + 2)
	clean = 0
	if (rid ~ /\/clean$/) { clean = 1; sub(/\/clean$/, "", rid) }
	key = col SUBSEP rid
	if (clean) {
		if (verdict == "FAIL") cleanbad[key] = why
	} else {
		res[key] = verdict; reason[key] = why
	}
	if (col > ncol) ncol = col
}
function cell(s) {
	gsub(/\|/, "\\|", s)
	gsub(/`/, "'\''", s)
	return s
}
function short(s) {
	if (length(s) > 160) s = substr(s, 1, 157) "..."
	return s
}
END {
	printf "| case | where | what | want: exit, message, counts |"
	for (c = 1; c <= ncol; c++) printf " %s |", kern[c]
	printf "\n| --- | --- | --- | --- |"
	for (c = 1; c <= ncol; c++) printf " --- |"
	printf "\n"
	for (i = 1; i <= n; i++) {
		want = "exit " cell(exitw[i])
		if (msg[i] != "-") want = want ", `" cell(msg[i]) "`"
		if (counts[i] != "-") want = want ", counts " counts[i]
		printf "| `%s` | %s | %s | %s |", id[i], where[i], cell(desc[i]), want
		for (c = 1; c <= ncol; c++) {
			key = c SUBSEP id[i]
			if (!(key in res)) { printf " - |"; continue }
			s = res[key]
			if (s == "FAIL") s = "**FAIL**: " cell(short(reason[key]))
			if (key in cleanbad)
				s = s "; **left in the kernel**: " cell(short(cleanbad[key]))
			printf " %s |", s
		}
		printf "\n"
	}
}' "$TABLE" "$@"
