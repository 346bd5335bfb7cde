#!/bin/sh
# tests/vm/kit.sh: install the host tools and cache the guest kernels that the
# VM tests boot. Idempotent; silent and fast when everything is cached.
#
#   kit.sh [KERNEL]...      KERNEL: 5.10 6.1 6.12 arm64-6.1 (default: all)
#
#   $CACHE/5.10/vmlinux   newest bullseye 5.10.0-N-amd64 (Debian 11)
#   $CACHE/6.1/vmlinux    newest bookworm 6.1.0-N-amd64 (Debian 12)
#   $CACHE/6.12/vmlinux   newest trixie 6.12.*+deb13-amd64 (Debian 13)
#   $CACHE/arm64-6.1/Image, busybox   newest bookworm 6.1.0-N-arm64 and
#                         bookworm's arm64 busybox-static
#   $CACHE/KERNEL/release the kernel's release (uname -r)
#
# The x86 kernels need qemu-system-x86 and the host's static busybox; the
# arm64 one qemu-system-arm and, for the arm64 test binaries (`make
# test-bins-arm64`), gcc-aarch64-linux-gnu and libc6-dev-arm64-cross. Package
# names are resolved from the current index, never pinned. Delete $CACHE (or
# one of its kernel dirs) to fetch the newest kernels again.
set -eu

CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ALL="5.10 6.1 6.12 arm64-6.1"
X86PKGS="qemu-system-x86 busybox-static kmod xz-utils zstd"
ARMPKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross"

die() { echo "vm-kit: FAIL: $*" >&2; exit 1; }
say() { echo "vm-kit: $*" >&2; }

# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $ALL
arm=0
for k in "$@"; do
	case $k in
	5.10 | 6.1 | 6.12) ;;
	arm64-6.1) arm=1 ;;
	*) die "unknown kernel '$k' (known: $ALL)" ;;
	esac
done
pkgs=$X86PKGS
[ $arm = 0 ] || pkgs="$pkgs $ARMPKGS"

# busybox (dynamic) also provides /bin/busybox, so ask dpkg for the static one.
host_ok() {
	for t in qemu-system-x86_64 xz zstd; do
		command -v $t >/dev/null || return 1
	done
	[ -x /bin/busybox ] &&
		dpkg-query -W -f '${Status}' busybox-static 2>/dev/null |
		grep -q ' installed$' || return 1
	[ $arm = 0 ] && return 0
	for t in qemu-system-aarch64 aarch64-linux-gnu-gcc; do
		command -v $t >/dev/null || return 1
	done
	[ -e /usr/aarch64-linux-gnu/lib/libc.a ]
}
have() {
	case $1 in
	arm64-*) [ -s "$CACHE/$1/Image" ] && [ -s "$CACHE/$1/busybox" ] ;;
	*) [ -s "$CACHE/$1/vmlinux" ] ;;
	esac && [ -s "$CACHE/$1/release" ]
}
have_all() {
	for k in "$@"; do have "$k" || return 1; done
}

host_ok && have_all "$@" && exit 0

mkdir -p "$CACHE" || die "cannot create cache dir $CACHE"
# Parallel runs (two kernels at once) must not fetch into the same place.
exec 9>"$CACHE/.lock"
flock 9 || die "cannot lock $CACHE/.lock"

if ! host_ok; then
	[ "$(id -u)" = 0 ] || die "host tools missing; run as root to apt-get install $pkgs"
	say "installing $pkgs"
	log=$CACHE/apt-install.log
	export DEBIAN_FRONTEND=noninteractive
	# Try without 'apt-get update' first: it is only needed on a fresh machine
	# (no lists) or when the lists are stale.
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $pkgs >"$log" 2>&1 || {
		apt-get update -q >>"$log" 2>&1 &&
			apt-get install -y -q --no-install-recommends $pkgs >>"$log" 2>&1
	} || die "apt-get install $pkgs failed (see $log)"
	host_ok || die "installed $pkgs but a tool is still missing (qemu, xz, zstd, static busybox, aarch64 gcc and libc)"
fi

# The mirror URIs come from the system's own apt configuration (deb822 first,
# one-line format as fallback). Prints "main URI" and "security URI" lines.
mirrors() {
	f=/etc/apt/sources.list.d/debian.sources
	if [ -r "$f" ]; then
		awk 'BEGIN { RS = "" }
		/(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && !/(^|\n)Enabled: *no/ {
			u = s = ""
			n = split($0, l, "\n")
			for (i = 1; i <= n; i++) {
				if (l[i] ~ /^URIs:/)   { split(l[i], w, " "); u = w[2] }
				if (l[i] ~ /^Suites:/) s = l[i]
			}
			if (u != "") print (s ~ /-security/ ? "security " : "main ") u
		}' "$f"
	fi
	[ ! -r /etc/apt/sources.list ] || awk '$1 == "deb" {
		i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
		print ($(i + 1) ~ /-security/ ? "security " : "main ") $i
	}' /etc/apt/sources.list
}
MAIN=$(mirrors | awk '$1 == "main" { print $2; exit }')
SEC=$(mirrors | awk '$1 == "security" { print $2; exit }')
[ -n "$MAIN" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"

# vmlinux_of VMLINUZ OUT: the uncompressed ELF inside an x86 bzImage, which
# boots through QEMU's PVH entry without the slow in-guest decompression.
# The bzImage header locates the compressed payload: (setup_sects + 1) * 512
# + payload_offset, payload_length bytes, the last 4 being the decompressed
# size. bullseye and bookworm use xz, trixie zstd.
vmlinux_of() {
	v=$1
	u() { od -An -tu"$2" -j "$1" -N "$2" "$v" | tr -d ' '; }
	off=$(( ($(u 497 1) + 1) * 512 + $(u 584 4) ))
	len=$(( $(u 588 4) - 4 ))
	case $(tail -c +$((off + 1)) "$v" | head -c 4 | od -An -tx1 | tr -d ' ') in
	fd377a58) dec="xz -dc" ;;
	28b52ffd) dec="zstd -dcq" ;;
	1f8b*) dec="gzip -dc" ;;
	*) die "$v: unknown compression at offset $off" ;;
	esac
	tail -c +$((off + 1)) "$v" | head -c "$len" | $dec >"$2" ||
		die "$v: $dec failed"
	[ "$(head -c 4 "$2" | tail -c 3)" = ELF ] || die "$v: payload is not an ELF"
}

# image_of VMLINUZ OUT: the arm64 Image (magic "ARMd" at byte 56) that QEMU's
# -kernel loads; Debian ships it gzipped.
image_of() {
	case $(head -c 2 "$1" | od -An -tx1 | tr -d ' ') in
	1f8b) gzip -dc <"$1" >"$2" || die "$1: gunzip failed" ;;
	*) cp "$1" "$2" ;;
	esac
	[ "$(tail -c +57 "$2" | head -c 4)" = "ARMd" ] ||
		die "$1: not an arm64 Image (EFI zboot or unknown format)"
}

# fetch NAME SUITE ARCH REGEX: the newest package matching REGEX from SUITE
# (+updates, +security) for ARCH, via a private apt state so the host's apt
# setup is untouched; arm64 also gets busybox-static. The keyring of any
# bookworm machine verifies bullseye's and trixie's Release files too (both
# are signed with keys it holds; checked with gpgv).
fetch() {
	have "$1" && return 0
	a=$CACHE/apt-$1
	rm -rf "$a" && mkdir -p "$a/parts" "$a/lists/partial" "$a/cache/archives/partial" "$a/deb"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
			"$MAIN" "$2" "$2" "$KEYRING"
		[ -z "$SEC" ] ||
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
				"$SEC" "$2" "$KEYRING"
	} >"$a/parts/$2.sources"
	o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$a/parts
	   -o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
	   -o Dir::State::status=/dev/null -o APT::Architecture=$3
	   -o APT::Architectures=$3 -o APT::Sandbox::User=root"
	log=$a/log
	say "fetching the newest $1 kernel from $2 ($3)"
	# shellcheck disable=SC2086
	apt-get $o update >"$log" 2>&1 || die "apt-get update for $2 ($3) failed (see $log)"
	# shellcheck disable=SC2086
	pkg=$(apt-cache $o search --names-only "$4" | awk '{ print $1 }' | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no package matching $4 in $2 (see $log)"
	rel=${pkg#linux-image-}
	bb=
	[ "$3" = amd64 ] || bb=busybox-static
	# shellcheck disable=SC2086
	(cd "$a/deb" && apt-get $o download "$pkg" $bb) >>"$log" 2>&1 ||
		die "apt-get download $pkg $bb failed (see $log)"
	# Only the kernel image is needed: no modules (results come over serial).
	dpkg-deb --fsys-tarfile "$a/deb/${pkg}_"*.deb |
		tar -xOf - "./boot/vmlinuz-$rel" >"$a/vmlinuz" ||
		die "no boot/vmlinuz-$rel in $pkg"
	mkdir -p "$a/out"
	if [ "$3" = amd64 ]; then
		vmlinux_of "$a/vmlinuz" "$a/out/vmlinux"
	else
		image_of "$a/vmlinuz" "$a/out/Image"
		dpkg-deb --fsys-tarfile "$a"/deb/busybox-static_*.deb |
			tar -xOf - ./bin/busybox >"$a/out/busybox" ||
			die "no bin/busybox in busybox-static ($3)"
		chmod 755 "$a/out/busybox"
	fi
	echo "$rel" >"$a/out/release"
	rm -rf "${CACHE:?}/$1"
	mv "$a/out" "$CACHE/$1"
	rm -rf "$a"
	say "cached $CACHE/$1 ($rel)"
}

# All downloads at once: the mirror, not the CPU, is the bottleneck.
pids=
for k in "$@"; do
	case $k in
	5.10) fetch 5.10 bullseye amd64 '^linux-image-5\.10\.0-[0-9]+-amd64$' & ;;
	6.1) fetch 6.1 bookworm amd64 '^linux-image-6\.1\.0-[0-9]+-amd64$' & ;;
	6.12) fetch 6.12 trixie amd64 '^linux-image-6\.12\.[0-9]+\+deb13-amd64$' & ;;
	arm64-6.1) fetch arm64-6.1 bookworm arm64 '^linux-image-6\.1\.0-[0-9]+-arm64$' & ;;
	esac
	pids="$pids $!"
done
ok=0
for p in $pids; do
	wait "$p" || ok=1
done
[ $ok = 0 ] || exit 1
have_all "$@" || die "kernels missing after fetch"
