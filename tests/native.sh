#!/bin/sh
# Tests of show_bt against the host's own kernel, whatever it is: the real
# program passes the verifier, errors are one clear line, and a kernel
# without kprobes is named as such.  Needs root (the bpf() loads).
#
#   tests/native.sh SHOW_BT
set -u
SB=${1:?usage: native.sh SHOW_BT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
AS=			# a command prefix: whom to run show_bt as
PREFIX=native
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# $1 name, $2 want exit, $3 ERE the whole stderr (one line) must match,
# then the arguments.
expect() {
	name=$1 want=$2 re=$3
	shift 3
	# shellcheck disable=SC2086
	$AS "$SB" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(cat "$T/err")"
	elif [ "$(wc -l < "$T/err")" -ne 1 ] || ! grep -Eq "$re" "$T/err"; then
		fail "$name" "want one line matching '$re', got: $(cat "$T/err")"
	else
		pass "$name"
	fi
}

if [ "$(id -u)" -ne 0 ]; then
	fail root "these tests load BPF programs and must run as root"
	exit 1
fi

# The verifier accepts both forms of the program, with and without -p.
for args in "vfs_write" "-p $$ vfs_write"; do
	case $args in
	-p*) name=verifier_accepts_pid_filter ;;
	*) name=verifier_accepts ;;
	esac
	# shellcheck disable=SC2086
	"$SB" --verifier-log=1 $args > "$T/out" 2> "$T/err"
	if grep -Eq '^processed [0-9]+ insns' "$T/err"; then
		pass "$name"
	else
		fail "$name" "no 'processed N insns' in the verifier log: $(head -5 "$T/err")"
	fi
done

if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	echo "native: this kernel has kprobes; the end-to-end suite runs natively" >&2
else
	expect no_kprobe_support 1 \
		'^show_bt: this kernel has no kprobe support \(no /sys/bus/event_source/devices/kprobe/type\): it was built without CONFIG_KPROBES$' \
		vfs_write
fi

if command -v setpriv > /dev/null; then
	# As nobody, from a copy that nobody may run.
	cp "$SB" "$T/sb" && chmod 755 "$T" "$T/sb"
	SB_SAVED=$SB SB=$T/sb
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	expect not_permitted 1 \
		'^show_bt: cannot create BPF maps: Operation not permitted: show_bt lacks CAP_SYS_ADMIN, or CAP_BPF \(CapEff in /proc/self/status is 0+\): run as root \(or with CAP_BPF and CAP_PERFMON\)$' \
		vfs_write
	SB=$SB_SAVED AS=
else
	fail not_permitted "setpriv (util-linux) is missing"
fi

# What older kernels are told, in one line, before anything is loaded
# (SHOW_BT_TEST_KERNEL stands in for uname's release: kversion.h).
AS="env SHOW_BT_TEST_KERNEL=4.15.0-213-generic"
expect kernel_too_old 1 \
	'^show_bt: this kernel is 4\.15: show_bt needs Linux 4\.18 or later \(bpf_get_stack' \
	vfs_write
AS="env SHOW_BT_TEST_KERNEL=5.10.0-46-amd64"
expect attach_link_too_old 1 \
	'^show_bt: --attach link needs Linux 5\.15 or later \(perf-event BPF links\), and this is 5\.10: use --attach ioctl$' \
	--attach link vfs_write
AS=
if unshare -p -f --mount-proc true 2> /dev/null; then
	AS="unshare -p -f --mount-proc env SHOW_BT_TEST_KERNEL=5.6.19"
	expect container_pid_too_old 1 \
		'^show_bt: -p inside a pid namespace \(a container\) needs Linux 5\.7 or later \(bpf_get_ns_current_pid_tgid\), and this is 5\.6$' \
		-p 1 vfs_write
	AS=
	# In a container the real kernel (5.7+) takes the namespace's ids:
	# the program loads with bpf_get_ns_current_pid_tgid.
	if unshare -p -f --mount-proc "$SB" --dump -p 1 2>&1 | grep -q 'bpf_get_ns_current_pid_tgid' &&
	   unshare -p -f --mount-proc "$SB" --xlated -P --verifier-log 2>&1 | grep -Eq '^processed [0-9]+ insns'; then
		pass container_program_loads
	else
		fail container_program_loads "$(unshare -p -f --mount-proc "$SB" --xlated -P 2>&1 | tail -3)"
	fi
	# -T there: {tid, tgid} from the same helper, the longer values.
	if unshare -p -f --mount-proc "$SB" --xlated -T -p 1 --verifier-log 2>&1 | grep -Eq '^processed [0-9]+ insns'; then
		pass container_per_thread_loads
	else
		fail container_per_thread_loads "$(unshare -p -f --mount-proc "$SB" --xlated -T -p 1 2>&1 | tail -3)"
	fi
	AS="unshare -p -f --mount-proc env SHOW_BT_TEST_KERNEL=5.6.19"
	expect container_per_thread_too_old 1 \
		'^show_bt: -T inside a pid namespace \(a container\) needs Linux 5\.7 or later \(bpf_get_ns_current_pid_tgid\), and this is 5\.6$' \
		-T vfs_write
	AS=
else
	fail container "unshare -p -f --mount-proc does not work here"
fi
# As on 5.10 (before 6.1): the frames map preallocated, the program loads.
if SHOW_BT_TEST_KERNEL=5.10.0-46-amd64 "$SB" --xlated --verifier-log -P > "$T/out" 2> "$T/err" &&
   grep -Eq '^processed [0-9]+ insns' "$T/err"; then
	pass preallocated_maps_load
else
	fail preallocated_maps_load "$(tail -3 "$T/err")"
fi
# -T, preallocated as before 6.1: its longer values, its program loads.
if SHOW_BT_TEST_KERNEL=5.10.0-46-amd64 "$SB" --xlated --verifier-log -T > "$T/out" 2> "$T/err" &&
   grep -Eq '^processed [0-9]+ insns' "$T/err"; then
	pass per_thread_program_loads
else
	fail per_thread_program_loads "$(tail -3 "$T/err")"
fi

# Tracepoints need no kprobes: where this kernel has them (tracefs mounted
# here if it was not), a counted workload (tests/e2e/feat_tracepoint.c: N
# forks, N signals to itself) is counted exactly, frame 0 names the
# tracepoint and the stacks are the kernel's; else one line says why.
TPW=$(dirname "$0")/build/static/feat_tracepoint
[ -d /sys/kernel/tracing/events ] ||
	mount -t tracefs none /sys/kernel/tracing 2> /dev/null
if [ ! -d /sys/kernel/tracing/events ]; then
	expect tp_no_tracefs 1 '^show_bt: tracepoints are listed in tracefs' \
		t:sched:sched_switch
elif [ ! -x "$TPW" ]; then
	fail tp_workload "no $TPW (make test-bins builds it)"
else
	for args in "t:sched:sched_switch" "-P t:sched:sched_switch"; do
		name=tp_verifier_accepts
		[ "$args" = t:sched:sched_switch ] || name=${name}_per_process
		# shellcheck disable=SC2086
		if "$SB" --xlated --verifier-log $args > "$T/out" 2> "$T/err" &&
		   grep -Eq '^processed [0-9]+ insns' "$T/err" &&
		   grep -q 'BPF_PROG_TYPE_TRACEPOINT' "$T/out"; then
			pass "$name"
		else
			fail "$name" "$(tail -3 "$T/err")"
		fi
	done
	mkdir "$T/w"
	"$TPW" "$T/w" 25 > "$T/w.out" 2>&1 &
	W=$!
	poll 1200 test -e "$T/w/ready"
	"$SB" -d 100000 -p $W t:sched:sched_process_fork \
		t:signal:signal_generate > "$T/tp.out" 2> "$T/tp.err" &
	tracer=$!
	wait_ready "$T/tp.err" $tracer
	: > "$T/w/go"
	poll 1200 test -e "$T/w/done"
	stop_tracing
	kill $W 2> /dev/null
	wait $W 2> /dev/null
	fork=$(awk '/^  tracepoint:/ { tp = $1 } /^    [0-9]+$/ { c[tp] += $1 }
		END { print c["tracepoint:sched:sched_process_fork"] + 0, c["tracepoint:signal:signal_generate"] + 0 }' "$T/tp.out")
	if [ $rc -eq 0 ] && [ "$fork" = "25 25" ] &&
	   grep -q '^show_bt: 2 tracepoints: 50 calls in ' "$T/tp.err"; then
		pass tp_exact_counts
	else
		fail tp_exact_counts "exit $rc, counts '$fork', want '25 25': $(tail -2 "$T/tp.err")"
	fi
	if awk '/^  tracepoint:sched:sched_process_fork$/ { getline; print; exit }' "$T/tp.out" |
	   grep -Eq '^  (kernel_clone|__traceiter_sched_process_fork)\+0x[0-9a-f]+$'; then
		pass tp_frame1_named
	else
		fail tp_frame1_named "$(head -4 "$T/tp.out" | tr '\n' ' ')"
	fi
	# In a container (a pid namespace): -p takes the namespace's pid,
	# and -P heads the stacks with it.
	cat > "$T/ns.sh" <<-'EOF'
	set -u
	mkdir "$1/nsw"
	"$2" "$1/nsw" 7 > /dev/null 2>&1 &
	w=$!
	while [ ! -e "$1/nsw/ready" ]; do sleep 0.1; done
	"$3" -d 100000 -P -p $w t:sched:sched_process_fork > "$1/ns.out" 2> "$1/ns.err" &
	s=$!
	until grep -q '^show_bt: tracing' "$1/ns.err"; do
		kill -0 $s 2> /dev/null || exit 1
		sleep 0.1
	done
	: > "$1/nsw/go"
	while [ ! -e "$1/nsw/done" ]; do sleep 0.1; done
	kill -INT $s
	wait $s
	rc=$?
	kill $w
	echo "w=$w rc=$rc"
	EOF
	nsres=$(unshare -p -f --mount-proc sh "$T/ns.sh" "$T" "$TPW" "$SB" 2>&1)
	nsw=${nsres#*w=}
	nsw=${nsw%% *}
	if [ "$nsres" = "w=$nsw rc=0" ] && [ "$nsw" -lt 100 ] &&
	   grep -q "^pid $nsw (feat_tracepoint)\$" "$T/ns.out" &&
	   [ "$(awk '/^    [0-9]+$/ { c += $1 } END { print c }' "$T/ns.out")" = 7 ]; then
		pass tp_container_pid
	else
		fail tp_container_pid "$nsres: $(head -3 "$T/ns.out" | tr '\n' ' ') $(tail -2 "$T/ns.err" | tr '\n' ' ')"
	fi
	expect tp_misspelt 1 \
		"^show_bt: no tracepoint t:sched:sched_swich in /sys/kernel/tracing/events \\(did you mean: t:sched:sched_switch" \
		-d 1 t:sched:sched_swich
fi

# An output file that cannot be written is said before the window, not
# after it.
expect json_unwritable 1 '^show_bt: cannot write /nonexistent/dir/x\.json: No such file or directory$' \
	--json /nonexistent/dir/x.json -d 300 vfs_write

expect bad_duration 2 "^show_bt: invalid duration '0': " -d 0 vfs_write
expect bad_pid 2 "^show_bt: invalid pid 'x': " -p x vfs_write
expect no_function 2 "^show_bt: no function given" -d 1
expect unknown_option 2 "^show_bt: unknown option '--frobnicate'$" --frobnicate vfs_write

if "$SB" --help > "$T/out" 2> "$T/err" && grep -q '^Usage: show_bt ' "$T/out" &&
   [ ! -s "$T/err" ]; then
	pass help
else
	fail help "--help did not print the usage on stdout and exit 0"
fi
if "$SB" --version | grep -Eqx 'show_bt [0-9]+\.[0-9]+(\.[0-9]+)?'; then
	pass version
else
	fail version "--version printed '$("$SB" --version)'"
fi
exit $failed
