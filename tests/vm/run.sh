#!/bin/sh
# tests/vm/run.sh: boot a stock Debian kernel under QEMU (TCG) with a
# busybox-only initramfs, run one command in it and relay the command's
# output (stdout) and exit status. Harness failures (no boot, panic, timeout,
# missing markers) print "vm: FAIL <kernel>: <why>" on stderr and exit 125.
#
#   run.sh -k KERNEL [-t TIMEOUT] [-s SMP] [-m MEM] [-a ARGS] [-r [-H]]
#          [-f HOST_FILE]... -- COMMAND [ARGS...]
#
# KERNEL: 5.10, 6.1 or 6.12 (Debian's x86-64 kernels, qemu-system-x86_64) or
# arm64-6.1 (Debian's arm64 kernel, qemu-system-aarch64 -M virt -cpu max).
# -f files land in /t (the guest's cwd, first in PATH); they must be static
# binaries for the guest's architecture (tests/build/static-arm64/ for arm64:
# make test-bins-arm64) or scripts. -m: the guest's memory (default 512M).
# -a: arguments appended to the kernel command line (e.g. -a lockdown=integrity;
# several in one -a, space-separated, or several -a).
#
# -r: the command runs in a full root file system instead of the busybox
# initramfs: on the x86 kernels the host's own /, so that host programs
# (bpftrace, python, bcc's tools) run in the guest as they are; on arm64-6.1
# an arm64 bookworm root with bpftrace and a minimal shell (dash, coreutils,
# grep, sed, mawk, findutils, procps) that kit.sh -r builds and caches in
# $CACHE/arm64-6.1/root. That root comes in read-only over 9p, an overlay on
# a tmpfs makes it writable (writes stay in the guest), the guest chroots
# into it with /proc, /sys, /dev, tracefs, debugfs and a tmpfs /tmp mounted,
# /t as above, HOME=/root. kit.sh -r caches the modules this needs (9p,
# virtio, overlay); plain runs load none. -H (x86 kernels) also lays the
# guest kernel's headers over it (kit.sh -H: /usr/src/linux-headers-*,
# /lib/modules/RELEASE/build), for bcc.
#
# The status comes back twice on x86: in the END marker on the serial console
# and through isa-debug-exit, and both must agree. arm64's -M virt has no such
# device: the guest powers off through PSCI after the END marker, and QEMU
# must then exit 0 with no panic in the log. So must an x86 guest whose
# kernel refuses it /dev/port (-a lockdown=integrity or confidentiality),
# which says so on the console after the END marker.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
kver='?'
log=

fail() {
	echo "vm: FAIL $kver: $*" >&2
	if [ -n "$log" ] && [ -s "$log" ]; then
		echo "vm: last serial lines ($CACHE/last-$kver.log):" >&2
		tr -d '\r' <"$log" | tail -n 30 >&2
	fi
	[ ! -s "${tmp:-/nonexistent}/qemu.err" ] || sed 's/^/qemu: /' "$tmp/qemu.err" >&2
	exit 125
}
usage() {
	echo "usage: $0 -k 5.10|6.1|6.12|arm64-6.1 [-t SECONDS] [-s SMP] [-m MEM] [-a KERNEL_ARGS] [-r [-H]] [-f FILE]... -- COMMAND [ARGS...]" >&2
	exit 125
}

# Separate temp dirs keep parallel runs (one per kernel) apart.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/show_bt-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
r=$tmp/root
mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/t" "$r/proc" \
	"$r/sys" "$r/dev" "$r/tmp"

tmo=300
smp=1
mem=512M
withroot=0
headers=0
extra=
while getopts k:t:s:m:a:rHf: opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) tmo=$OPTARG ;;
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	a) extra="$extra $OPTARG" ;;
	r) withroot=1 ;;
	H) headers=1 ;;
	f) cp -p -- "$OPTARG" "$r/t/" || fail "cannot copy -f $OPTARG" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $kver in
5.10 | 6.1 | 6.12) arch=x86_64 ;;
arm64-6.1) arch=arm64 ;;
*) usage ;;
esac
[ $# -gt 0 ] || usage
case $arch/$withroot$headers in
*/01 | arm64/11) usage ;;
esac

kit=
[ $withroot = 0 ] || kit=-r
[ $headers = 0 ] || kit="$kit -H"
# shellcheck disable=SC2086
"$here/kit.sh" $kit "$kver" || fail "kit.sh failed"
if [ $arch = arm64 ]; then
	kernel=$CACHE/$kver/Image
	busybox=$CACHE/$kver/busybox
	rootfs=$CACHE/$kver/root
else
	kernel=$CACHE/$kver/vmlinux
	busybox=/bin/busybox
	rootfs=/
fi

# Random markers, so that no output of the command can fake them.
tok=SHOW_BT_VM_$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
echo "$tok" >"$r/tok"

# The command, each argument single-quoted so spaces and globs survive.
for a in "$@"; do
	printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
done >"$r/cmd"
echo >>"$r/cmd"

# /init makes the other applet links at boot: 20 ms in the guest against
# 0.4 s of ln on the host (and "busybox --install" here would name /usr/bin).
cp "$busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"

# -r: the modules to insmod and, in /lower, the 9p tags the overlay lays
# over each other (the first on top); each tag is one -fsdev below.
if [ $withroot = 1 ]; then
	mkdir "$r/mods"
	cp "$CACHE/$kver/mods/"*.ko "$CACHE/$kver/mods/order" "$r/mods/" ||
		fail "cannot copy the modules from $CACHE/$kver/mods"
	lower=root
	[ $headers = 0 ] || lower="headers $lower"
	echo "$lower" >"$r/lower"
fi

cat >"$r/init" <<'EOF'
#!/bin/sh
# PID 1: the kernel gives it no stdio when /dev/console is absent from the
# initramfs, so mount devtmpfs first and reopen the console (ttyS0).
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sys /sys
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
export PATH=/t:/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp
cd /t
read -r tok </tok
if [ -s /lower ]; then
	# -r (see run.sh): a step that fails ends the boot with a HARNESS line.
	die() {
		echo "$tok HARNESS $*"
		poweroff -f
	}
	while read -r m; do
		insmod "/mods/$m" || die "insmod $m failed"
	done </mods/order
	low=
	for tag in $(cat /lower); do
		mkdir -p "/lower.d/$tag"
		mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro \
			"$tag" "/lower.d/$tag" || die "cannot mount 9p $tag"
		low=${low:+$low:}/lower.d/$tag
	done
	mkdir /ovl
	mount -t tmpfs ovl /ovl && mkdir /ovl/u /ovl/w /ovl/m &&
		mount -t overlay overlay \
			-o "lowerdir=$low,upperdir=/ovl/u,workdir=/ovl/w" /ovl/m ||
		die "cannot mount the overlay"
	m=/ovl/m
	mount -t proc proc $m/proc && mount -t sysfs sys $m/sys &&
		mount -t devtmpfs dev $m/dev &&
		mount -t tracefs tracefs $m/sys/kernel/tracing &&
		mount -t debugfs debugfs $m/sys/kernel/debug &&
		mount -t tmpfs tmp $m/tmp && mkdir -p $m/t &&
		mount -o bind /t $m/t || die "cannot mount /proc, /sys, /dev, /tmp or /t over the root"
	# cgroup v2 for --cgroup's tests (arm64's root has no mount(8)).
	mount -t cgroup2 cgroup2 $m/sys/fs/cgroup 2> /dev/null || :
	echo "$tok BEGIN"
	PATH=/t:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root chroot $m /bin/sh -c "cd /t && $(cat /cmd)" </dev/null
	rc=$?
else
	echo "$tok BEGIN"
	sh /cmd </dev/null
	rc=$?
fi
echo "$tok END $rc"
# x86's isa-debug-exit: QEMU exits at once with status (rc << 1) | 1. arm64
# has no /dev/port: poweroff (PSCI SYSTEM_OFF) ends QEMU with status 0. A
# kernel locked down (-a lockdown=...) refuses /dev/port: say so, and the
# host then wants the poweroff's 0 as on arm64.
if [ -e /dev/port ] &&
   ! printf "\\$(printf %o "$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null; then
	echo "$tok NOPORT"
fi
poweroff -f
EOF
chmod 755 "$r/init"

# Uncompressed: under TCG gunzip in the guest costs more than it saves.
(cd "$r" && find . | /bin/busybox cpio -o -H newc >"$tmp/initrd" 2>/dev/null) ||
	fail "cannot build initramfs"

log=$tmp/serial.log
qs=0
# quiet + loglevel=1 keep kernel chatter off the console (panics still show);
# oops/softlockup become panics and panic=-1 reboots, which -no-reboot turns
# into a QEMU exit, so a broken guest ends at once instead of at the timeout.
append="quiet loglevel=1 panic=-1 oops=panic softlockup_panic=1$extra"
if [ $arch = arm64 ]; then
	# pauth-impdef: the same pointer authentication, with QEMU's cheap
	# algorithm instead of QARMA (several times faster under TCG).
	set -- qemu-system-aarch64 -M virt -accel tcg,thread=single \
		-cpu max,pauth-impdef=on -append "console=ttyAMA0 $append"
else
	set -- qemu-system-x86_64 -M pc -accel tcg,thread=single -cpu max \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-append "console=ttyS0 $append"
fi
# -r: the root (x86: the host's /, several file systems: multidevs=remap
# keeps their inode numbers apart) and -H's headers, read-only.
if [ $withroot = 1 ]; then
	set -- "$@" -fsdev "local,id=root,path=$rootfs,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=root,mount_tag=root
	[ $headers = 0 ] ||
		set -- "$@" -fsdev "local,id=headers,path=$CACHE/$kver/headers,security_model=none,readonly=on" \
			-device virtio-9p-pci,fsdev=headers,mount_tag=headers
fi
timeout -k 10 "$tmo" "$@" -smp "$smp" -m "$mem" -nodefaults -no-user-config \
	-display none -no-reboot -kernel "$kernel" -initrd "$tmp/initrd" \
	-serial "file:$log" </dev/null >"$tmp/qemu.err" 2>&1 || qs=$?
cp "$log" "$CACHE/last-$kver.log.$$" 2>/dev/null &&
	mv "$CACHE/last-$kver.log.$$" "$CACHE/last-$kver.log"

# Output between the markers goes to $tmp/out, the status to $tmp/rc. The END
# marker may share a line with output that lacked a final newline.
tr -d '\r' <"$log" | awk -v b="$tok BEGIN" -v e="$tok END " -v rcf="$tmp/rc" '
	!on && index($0, b) { on = 1; next }
	on && (i = index($0, e)) {
		if (i > 1) print substr($0, 1, i - 1)
		print substr($0, i + length(e)) >rcf
		exit
	}
	on { print }' >"$tmp/out"

panic=$(tr -d '\r' <"$log" | grep -m1 'Kernel panic' || :)
if [ -s "$tmp/rc" ]; then
	rc=$(cat "$tmp/rc")
	case $arch in
	x86_64) want=$((((rc << 1) | 1) & 255)) ;;
	*) want=0 ;;
	esac
	! grep -q "$tok NOPORT" "$log" || want=0
	if [ "$qs" = "$want" ] && [ -z "$panic" ]; then
		cat "$tmp/out"
		exit "$rc"
	fi
fi
# Something went wrong: say what, as precisely as the log allows.
case $qs in 124 | 137) fail "timed out after ${tmo}s" ;; esac
[ -z "$panic" ] || fail "$panic"
h=$(tr -d '\r' <"$log" | grep -m1 "$tok HARNESS" || :)
[ -z "$h" ] || fail "${h#"$tok HARNESS "}"
grep -q "$tok BEGIN" "$log" || fail "guest did not reach /init (qemu exit $qs)"
[ -s "$tmp/rc" ] || fail "no end marker: guest died while running the command (qemu exit $qs)"
fail "command status $(cat "$tmp/rc") but qemu exit $qs (isa-debug-exit or poweroff not reached?)"
