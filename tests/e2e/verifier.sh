#!/bin/sh
# verifier.sh SHOW_BT EXPERIMENTS_DIR: the verifier experiments of
# docs/VERIFIER-EXPERIMENTS.md against the running kernel, as root.
#
# Each EXPERIMENTS_DIR/NAME.s is the built-in program with a small edit
# (tests/experiments/make.sh made it); its "# expect: MESSAGE" line (or
# "# expect SERIES: MESSAGE" for this kernel series, e.g. 6.1) is a line
# the verifier's log must hold when show_bt --prog loads it and exits 1;
# "# expect: accepted" means the program must load.  Also: --dump's own
# output loads, a parse error is one line, and --xlated shows map fds
# replaced (by the map's address, which the kernel dumps as its id).
#
# POSIX sh for busybox: it runs in the VM and natively.  One line per test,
# "PASS: verifier/RELEASE/NAME" or "FAIL: ...: why"; exit 1 on any failure.
#
#   sh tests/e2e/verifier.sh ./show_bt tests/experiments
#   tests/vm/run.sh -k 6.12 -f tests/build/static/show_bt \
#	-f tests/e2e/verifier.sh $(printf -- '-f %s ' tests/experiments/*.s) \
#	-- sh /t/verifier.sh /t/show_bt /t
set -u
SB=${1:?usage: verifier.sh SHOW_BT EXPERIMENTS_DIR}
DIR=${2:?usage: verifier.sh SHOW_BT EXPERIMENTS_DIR}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rel=$(uname -r)
series=$(echo "$rel" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
PREFIX=verifier/$rel
L=$(dirname "$0")/lib.sh
[ -r "$L" ] || L=$(dirname "$0")/../lib.sh
# shellcheck source=tests/lib.sh
. "$L"

# The last lines of a file, on one line, for a FAIL.
tail_of() { tail -n "${2:-3}" "$1" | tr '\n' ' '; }

# The message an experiment expects on this kernel series.
expect_of() {
	m=$(sed -n "s/^# expect $series: //p" "$1" | head -n 1)
	[ -n "$m" ] || m=$(sed -n 's/^# expect: //p' "$1" | head -n 1)
	printf '%s' "$m"
}

# $1 name, $2 program file: it must load (on a kernel without kprobes the
# run ends after the load, at the missing kprobe support).
loads() {
	"$SB" -d 0.1 --verifier-log --prog "$2" vfs_write > "$T/out" 2> "$T/err"
	if grep -q 'the verifier rejected' "$T/err"; then
		fail "$1" "the verifier rejected it: $(tail_of "$T/err")"
	elif ! grep -Eq '^processed [0-9]+ insns' "$T/err"; then
		fail "$1" "no 'processed N insns' in the verifier log: $(tail_of "$T/err")"
	else
		pass "$1"
	fi
}

if [ "$(id -u)" -ne 0 ]; then
	fail root "the verifier experiments load BPF programs: run as root"
	exit 1
fi

n=0
for f in "$DIR"/*.s; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" .s)
	want=$(expect_of "$f")
	if [ -z "$want" ]; then
		fail "$name" "no '# expect: MESSAGE' line in $f"
		continue
	fi
	if [ "$want" = accepted ]; then
		loads "$name" "$f"
		continue
	fi
	"$SB" -d 0.1 --verifier-log --prog "$f" vfs_write > "$T/out" 2> "$T/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, want 1: $(tail_of "$T/err")"
	elif ! grep -q '^show_bt: the verifier rejected the program (' "$T/err"; then
		fail "$name" "no 'the verifier rejected the program': $(tail_of "$T/err")"
	elif ! grep -qxF -- "$want" "$T/err"; then
		fail "$name" "no line '$want' in the verifier log, which ends: $(tail_of "$T/err")"
	else
		pass "$name"
	fi
done
[ $n -gt 0 ] || fail experiments "no experiment (*.s) in $DIR"

# show_bt --dump's output, unedited, loads through --prog.
if "$SB" --dump -p 1 > "$T/base.s" 2> "$T/err"; then
	loads dump_loads "$T/base.s"
else
	fail dump_loads "show_bt --dump failed: $(tail_of "$T/err")"
fi

# A parse error: one line naming the line and the column, exit 1.
printf 'r0 = 0\nexit\n  r1 = r11\n' > "$T/bad.s"
"$SB" --prog "$T/bad.s" vfs_write > "$T/out" 2> "$T/err"
rc=$?
want="show_bt: $T/bad.s: line 3, column 8: no register r11: there are r0 to r10"
if [ $rc -eq 1 ] && [ "$(cat "$T/err")" = "$want" ]; then
	pass parse_error
else
	fail parse_error "exit $rc, stderr '$(cat "$T/err")', want 1 and '$want'"
fi

# --xlated: every map load shows our map by name on the left and, on the
# right, the id of that very map where the fd was.
if "$SB" --xlated -p 1 > "$T/x" 2> "$T/err"; then
	bad=$(awk '
	/^#   map\[[a-z]+\]: fd [0-9]+ -> map\[id:[0-9]+\]$/ {
		name = $2; sub(/^map\[/, "", name); sub(/\]:$/, "", name)
		id[name] = $6; sub(/^map\[id:/, "", id[name])
		sub(/\]$/, "", id[name])
		maps++
		next
	}
	/^#/ { next }
	{
		i = index($0, "|")
		left = substr($0, 1, i - 1); right = substr($0, i + 1)
		if (!match(left, /= map\[[a-z]+\] ll/))
			next
		name = substr(left, RSTART + 6, RLENGTH - 10)
		loads++
		if (!(name in id))
			printf "no id for map %s; ", name
		else if (index(right, "= map[id:" id[name] "] ll") == 0)
			printf "not map[id:%s] for map[%s]: %s; ", id[name], name, right
	}
	END {
		if (!loads)
			printf "no map load in the listing"
		if (maps != 6)
			printf "%d maps listed, want 6 (gate, stacks, counts, scratch, frames, lost)", maps
	}' "$T/x")
	if [ -z "$bad" ]; then
		pass xlated_map_loads
	else
		fail xlated_map_loads "$bad"
	fi
	if grep -Eq '^~ +[0-9]+: call 27 .*\| +[0-9]+: call bpf_get_stackid$' "$T/x"; then
		pass xlated_calls
	else
		fail xlated_calls "no row 'call 27 | call bpf_get_stackid' in --xlated"
	fi
else
	fail xlated_map_loads "show_bt --xlated -p 1 failed: $(tail_of "$T/err")"
fi
exit $failed
