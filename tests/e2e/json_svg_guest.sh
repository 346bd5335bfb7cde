#!/bin/sh
# The guest half of tests/e2e/json_svg.sh: run show_bt with --json and
# --svg on the test workload and print every output between "@@@ PART NAME"
# lines for the host to check.  POSIX sh: the VM has busybox.
#
#   json_svg_guest.sh BINDIR     BINDIR holds show_bt, writer (static)
#                                and lib.sh
#
# Three runs, each window ended by SIGINT once the writers are done:
#   p    -p WRITER: exactly 37 write, 23 pwrite64, 11 writev calls;
#        --json FILE and --svg FILE beside the text output
#   P    -P: two writers (w_alpha, w_beta) making every kind of write,
#        plus a shell (sh) writing 100 lines; --json FILE and --svg FILE
#   out  -p WRITER with --json -: the JSON alone on stdout
set -u
BIN=${1:?usage: json_svg_guest.sh BINDIR}
SB=$BIN/show_bt
T=$(mktemp -d /tmp/json_svg.XXXXXX)
FN=generic_perform_write
PREFIX=json/$(uname -r)
# shellcheck source=tests/lib.sh
. "$BIN/lib.sh"

# start_writer, trace: tests/lib.sh.  traced NAME ARGS...: show_bt
# ARGS... while the writers run; the outputs land in $T/NAME.out and
# $T/NAME.err, "STATUS WRITERS_STATUS" in $T/NAME.rc.
traced() {
	name=$1
	shift
	trace "$name" $FN "$@"
	echo "$rc $wrc" > "$T/$name.rc"
}

# A shell that appends $2 lines to file $1 once it gets SIGUSR1, and then
# exits: one of $writers, so that its lines fall inside the window.
start_shell_writer() {
	rm -f "$1.ready"
	(
		go=0
		trap 'go=1' USR1
		: > "$1.ready"
		while [ $go = 0 ]; do
			sleep 0.1
		done
		i=0
		while [ $i -lt "$2" ]; do
			echo x >> "$1"
			i=$((i + 1))
		done
	) &
	writers="${writers:-} $!"
	poll 1200 test -e "$1.ready"
}

part() {
	printf '\n@@@ PART %s\n' "$1"
	[ ! -e "$2" ] || cat "$2"
}

# p: one process, known counts.
writers=
start_writer writer "$T/p.data" write=37 pwrite64=23 writev=11
traced p -d 300 --json "$T/p.json" --svg "$T/p.svg" -p "$last_writer" $FN

# P: per process, every kind of write, from three processes.
start_writer w_alpha "$T/a.data" write=300 pwrite64=200 writev=100 \
	sendfile=60 copy_file_range=40
start_writer w_beta "$T/b.data" pwritev=120 pwritev2=80 write=50
start_shell_writer "$T/loop.data" 100
traced P -d 300 -P --json "$T/P.json" --svg "$T/P.svg" $FN

# out: --json - puts the JSON alone on stdout.
start_writer writer "$T/o.data" write=37 pwrite64=23 writev=11
traced out -d 300 --json - -p "$last_writer" $FN

for run in p P out; do
	part "$run.rc" "$T/$run.rc"
	part "$run.out" "$T/$run.out"
	part "$run.err" "$T/$run.err"
	[ "$run" = out ] && continue
	part "$run.json" "$T/$run.json"
	part "$run.svg" "$T/$run.svg"
done
printf '\n@@@ PART end\n'
