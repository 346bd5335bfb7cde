#!/bin/sh
# bench/vm.sh: tests/vm/run.sh's guest, plus the host's root file system:
# boot a stock Debian kernel under QEMU (TCG), share the host's / into it
# read-only over 9p, lay an overlay on a tmpfs over it (writable, so the
# guest can mount and write), chroot into that and run one command. Host
# programs (bpftrace, bcc's tools, python) then run in the guest as they
# are. The kernel's headers (bench/setup.sh) are laid over the host root
# too, for bcc.
#
#   vm.sh -k 6.1|6.12 [-t TIMEOUT] [-s SMP] [-m MEM] -- COMMAND [ARGS...]
#
# The command runs as root in / of the guest's view; its stdout comes back
# on stdout, its exit status as ours. Harness failures print
# "bench-vm: FAIL <kernel>: <why>" on stderr and exit 125.
set -eu

VMCACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
BCACHE=${SHOW_BT_BENCH_CACHE:-$HOME/.cache/show_bt-bench}
kver='?'
log=

fail() {
	echo "bench-vm: FAIL $kver: $*" >&2
	if [ -n "$log" ] && [ -s "$log" ]; then
		echo "bench-vm: last serial lines:" >&2
		tr -d '\r' <"$log" | tail -n 30 >&2
	fi
	[ ! -s "${tmp:-/nonexistent}/qemu.err" ] || sed 's/^/qemu: /' "$tmp/qemu.err" >&2
	exit 125
}
usage() {
	echo "usage: $0 -k 6.1|6.12 [-t SECONDS] [-s SMP] [-m MEM] -- COMMAND [ARGS...]" >&2
	exit 125
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/show_bt-bench-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
r=$tmp/root
mkdir -p "$r/bin" "$r/mods" "$r/proc" "$r/sys" "$r/dev" "$r/host" \
	"$r/layer" "$r/ovl"

tmo=1800
smp=1
mem=2048M
while getopts k:t:s:m: opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) tmo=$OPTARG ;;
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $kver in 6.1 | 6.12) ;; *) usage ;; esac
[ $# -gt 0 ] || usage

vmlinux=$VMCACHE/$kver/vmlinux
layer=$BCACHE/$kver/layer
if [ ! -s "$vmlinux" ] || [ ! -s "$BCACHE/$kver/mods/order" ] ||
	[ ! -d "$layer" ]; then
	fail "kernel or modules not cached: run bench/setup.sh"
fi
cp "$BCACHE/$kver/mods/"*.ko "$BCACHE/$kver/mods/order" "$r/mods/"

tok=SHOW_BT_BENCH_$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
echo "$tok" >"$r/tok"
for a in "$@"; do
	printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
done >"$r/cmd"
echo >>"$r/cmd"

cp /bin/busybox "$r/bin/busybox"
ln -s busybox "$r/bin/sh"

cat >"$r/init" <<'EOF_INIT'
#!/bin/sh
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sys /sys
read -r tok </tok
die() {
	echo "$tok HARNESS $*"
	poweroff -f
}
while read -r m; do
	insmod "/mods/$m" || die "insmod $m failed"
done </mods/order
o=trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro
mount -t 9p -o "$o" hostroot /host || die "cannot mount the host root"
mount -t 9p -o "$o" layer /layer || die "cannot mount the layer"
mount -t tmpfs -o size=1g ovl /ovl
mkdir -p /ovl/u /ovl/w /ovl/m
mount -t overlay overlay -o lowerdir=/layer:/host,upperdir=/ovl/u,workdir=/ovl/w \
	/ovl/m || die "cannot mount the overlay"
m=/ovl/m
mount -t proc proc $m/proc
mount -t sysfs sys $m/sys
mount -t devtmpfs dev $m/dev
mount -t tracefs tracefs $m/sys/kernel/tracing
mount -t debugfs debugfs $m/sys/kernel/debug
mount -t tmpfs tmp $m/tmp
cp /cmd $m/tmp/.bench-cmd
echo "$tok BEGIN"
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	chroot $m /bin/sh -c 'cd / && exec sh /tmp/.bench-cmd' </dev/null
rc=$?
echo "$tok END $rc"
printf "\\$(printf %o "$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
EOF_INIT
chmod 755 "$r/init"

(cd "$r" && find . | /bin/busybox cpio -o -H newc >"$tmp/initrd" 2>/dev/null) ||
	fail "cannot build initramfs"

log=$tmp/serial.log
qs=0
timeout -k 10 "$tmo" qemu-system-x86_64 -M pc -accel tcg,thread=single \
	-cpu max -smp "$smp" -m "$mem" -nodefaults -no-user-config \
	-display none -no-reboot \
	-kernel "$vmlinux" -initrd "$tmp/initrd" \
	-append "console=ttyS0 quiet loglevel=1 panic=-1 oops=panic softlockup_panic=1" \
	-fsdev local,id=hr,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hr,mount_tag=hostroot \
	-fsdev local,id=ly,path="$layer",security_model=none,readonly=on \
	-device virtio-9p-pci,fsdev=ly,mount_tag=layer \
	-serial "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	</dev/null >"$tmp/qemu.err" 2>&1 || qs=$?

tr -d '\r' <"$log" | awk -v b="$tok BEGIN" -v e="$tok END " -v rcf="$tmp/rc" '
	!on && index($0, b) { on = 1; next }
	on && (i = index($0, e)) {
		if (i > 1) print substr($0, 1, i - 1)
		print substr($0, i + length(e)) >rcf
		exit
	}
	on { print }' >"$tmp/out"

if [ -s "$tmp/rc" ]; then
	rc=$(cat "$tmp/rc")
	if [ "$qs" = $((((rc << 1) | 1) & 255)) ]; then
		cat "$tmp/out"
		exit "$rc"
	fi
fi
case $qs in 124 | 137) fail "timed out after ${tmo}s" ;; esac
h=$(tr -d '\r' <"$log" | grep -m1 "$tok HARNESS" || :)
[ -z "$h" ] || fail "${h#"$tok HARNESS "}"
panic=$(tr -d '\r' <"$log" | grep -m1 'Kernel panic' || :)
[ -z "$panic" ] || fail "$panic"
grep -q "$tok BEGIN" "$log" || fail "guest did not reach the command (qemu exit $qs)"
[ -s "$tmp/rc" ] || fail "no end marker: guest died while running the command (qemu exit $qs)"
fail "command status $(cat "$tmp/rc") but qemu exit $qs"
