#!/bin/sh
# tests/vm/kit.sh: install the host tools and cache the guest kernels that the
# VM tests boot. Idempotent; silent and fast when everything is cached.
#
#   kit.sh [-r] [-H] [KERNEL]...   KERNEL: 5.10 6.1 6.12 arm64-6.1 (default: all)
#
#   $CACHE/5.10/vmlinux   newest bullseye 5.10.0-N-amd64 (Debian 11)
#   $CACHE/6.1/vmlinux    newest bookworm 6.1.0-N-amd64 (Debian 12)
#   $CACHE/6.12/vmlinux   newest trixie 6.12.*+deb13-amd64 (Debian 13)
#   $CACHE/arm64-6.1/Image, busybox   newest bookworm 6.1.0-N-arm64 and
#                         bookworm's arm64 busybox-static
#   $CACHE/KERNEL/release the kernel's release (uname -r)
#
# Only when asked (plain runs need none of these):
#   -r  $CACHE/KERNEL/mods/   the modules that share a root file system into
#                         the guest (run.sh -r: 9p over virtio, overlay), with
#                         their dependencies, uncompressed, and mods/order,
#                         the order to insmod them in; for arm64-6.1 also
#       $CACHE/arm64-6.1/root/   that root: bookworm's arm64 bpftrace, the
#                         closure of its Depends and Pre-Depends, and a
#                         minimal shell (dash, coreutils, grep, sed, mawk,
#                         findutils, procps), each package's files unpacked
#                         (no maintainer scripts, no docs) into a merged-/usr
#                         tree (the x86 kernels share the host's own root)
#   -H  $CACHE/KERNEL/headers/   (x86 kernels only) the kernel's headers
#                         (linux-headers-*, linux-kbuild-*) as a tree to lay
#                         over the host's root (run.sh -H): /usr/src/linux-headers-*,
#                         /usr/lib/linux-kbuild-*, /usr/lib/modules/REL/build
#                         and source, as bcc's tools look for them
#
# The x86 kernels need qemu-system-x86 and the host's static busybox; the
# arm64 one qemu-system-arm and, for the arm64 test binaries (`make
# test-bins-arm64`), gcc-aarch64-linux-gnu and libc6-dev-arm64-cross. Package
# names are resolved from the current index, never pinned. Delete $CACHE (or
# one of its kernel dirs) to fetch the newest kernels again; a new kernel
# keeps the cached arm64 root: delete arm64-6.1/root to rebuild it.
set -eu

CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ALL="5.10 6.1 6.12 arm64-6.1"
X86PKGS="qemu-system-x86 busybox-static kmod xz-utils zstd"
ARMPKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross"

die() { echo "vm-kit: FAIL: $*" >&2; exit 1; }
say() { echo "vm-kit: $*" >&2; }

MODS=0
HDRS=0
while getopts rH opt; do
	case $opt in
	r) MODS=1 ;;
	H) HDRS=1 ;;
	*) die "usage: kit.sh [-r] [-H] [KERNEL]... (KERNEL: $ALL)" ;;
	esac
done
shift $((OPTIND - 1))
# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $ALL
arm=0
for k in "$@"; do
	case $k in
	5.10 | 6.1 | 6.12) ;;
	arm64-6.1) arm=1 ;;
	*) die "unknown kernel '$k' (known: $ALL)" ;;
	esac
	case $k/$MODS$HDRS in
	arm64-*/?1) die "-H is for the x86 kernels (bcc runs from the host's x86-64 root)" ;;
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
# mods/, root/ and headers/ arrive whole (mv of a finished directory).
have_mods() { [ "$MODS" = 0 ] || [ -s "$CACHE/$1/mods/order" ]; }
have_root() {
	case $MODS/$1 in
	1/arm64-*) [ -x "$CACHE/$1/root/usr/bin/bpftrace" ] ;;
	esac
}
have_hdrs() { [ "$HDRS" = 0 ] || [ -d "$CACHE/$1/headers/usr/src" ]; }
have_all() {
	for k in "$@"; do
		have "$k" && have_mods "$k" && have_root "$k" && have_hdrs "$k" || return 1
	done
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

# WANT: the modules that mount the host's root in the guest (run.sh -r);
# mods_of TREE REL lists them and what they need, dependencies first, as
# paths relative to TREE/lib/modules/REL (from depmod's modules.dep).
WANT="9p 9pnet_virtio virtio_pci overlay"
mods_of() {
	awk -v want="$WANT" '
	{
		m = $1; sub(/:$/, "", m)
		n = m; sub(/.*\//, "", n); sub(/\.ko.*$/, "", n)
		path[n] = m
		for (i = 2; i <= NF; i++) {
			d = $i; sub(/.*\//, "", d); sub(/\.ko.*$/, "", d)
			dep[n] = dep[n] " " d
		}
	}
	function visit(n,   k, a, i) {
		if (seen[n]++) return
		k = split(dep[n], a, " ")
		for (i = 1; i <= k; i++) visit(a[i])
		if (n in path) print path[n]
	}
	END { k = split(want, w, " "); for (i = 1; i <= k; i++) visit(w[i]) }
	' "$1/lib/modules/$2/modules.dep"
}

# modules X REL OUT: from the unpacked image package X, WANT's modules into
# OUT, uncompressed (busybox's insmod takes them as they are), and
# OUT/order. bookworm ships them under lib/, trixie under usr/lib/.
modules() {
	mkdir -p "$1/m/lib/modules" "$3"
	for m in "$1/lib/modules/$2" "$1/usr/lib/modules/$2"; do
		[ ! -d "$m" ] || mv "$m" "$1/m/lib/modules/"
	done
	depmod -b "$1/m" "$2" || die "depmod for $2 failed"
	: >"$3/order"
	for m in $(mods_of "$1/m" "$2"); do
		f=$1/m/lib/modules/$2/$m
		n=$(basename "$m")
		case $n in
		*.xz) n=${n%.xz}; xz -dc "$f" >"$3/$n" ;;
		*.zst) n=${n%.zst}; zstd -dcq "$f" >"$3/$n" ;;
		*) cp "$f" "$3/$n" ;;
		esac || die "cannot uncompress $m"
		echo "$n" >>"$3/order"
	done
	grep -q '^9p\.ko$' "$3/order" || die "no 9p module in $2"
}

# headers X REL OUT: from the unpacked headers packages X, the tree that
# run.sh -H lays over the host's root: /usr/src, /usr/lib/linux-kbuild-*,
# and /usr/lib/modules/REL/{build,source}. The packages' own links are
# relative to /lib/modules/REL (bookworm) or /usr/lib/modules/REL (trixie);
# they are made absolute, since the host's /lib is a link to usr/lib.
headers() {
	mkdir -p "$3/usr/lib/modules/$2"
	cp -a "$1/usr/src" "$3/usr/" || die "no usr/src in $2's headers"
	for kb in "$1"/usr/lib/linux-kbuild-*; do
		[ ! -d "$kb" ] || cp -a "$kb" "$3/usr/lib/"
	done
	for l in build source; do
		for m in "$1/lib/modules/$2/$l" "$1/usr/lib/modules/$2/$l"; do
			[ -L "$m" ] || continue
			ln -sfn "/usr/src/$(readlink "$m" | sed 's#.*/src/##')" \
				"$3/usr/lib/modules/$2/$l"
		done
	done
	[ -L "$3/usr/lib/modules/$2/build" ] ||
		ln -sfn "/usr/src/linux-headers-$2" "$3/usr/lib/modules/$2/build"
}

# ROOTPKGS: what the arm64 root (kit.sh -r arm64-6.1) is made of, with what
# they need. usr-is-merged satisfies init-system-helpers' (procps) "usrmerge
# | usr-is-merged", which would otherwise pull in usrmerge and all of perl.
ROOTPKGS="bpftrace dash coreutils grep sed mawk findutils procps usr-is-merged"

# mkroot DEBS OUT: every package in the directory DEBS unpacked into OUT as
# a merged-/usr root like bookworm's own (/bin, /sbin and /lib link into
# /usr, which tar keeps), so that /bin/sh, /lib/ld-linux-aarch64.so.1 and
# the loader's built-in search path (/lib/aarch64-linux-gnu,
# /usr/lib/aarch64-linux-gnu) all resolve without an ld.so.cache.
mkroot() {
	mkdir -p "$2/usr/bin" "$2/usr/sbin" "$2/usr/lib" "$2/etc" "$2/root" \
		"$2/proc" "$2/sys" "$2/dev" "$2/tmp" "$2/run" "$2/t"
	for d in bin sbin lib; do
		ln -s "usr/$d" "$2/$d"
	done
	chmod 1777 "$2/tmp"
	for p in "$1"/*.deb; do
		dpkg-deb --fsys-tarfile "$p" | tar -x --keep-directory-symlink \
			--exclude=./usr/share/doc --exclude=./usr/share/man \
			--exclude=./usr/share/info --exclude=./usr/share/locale \
			--exclude=./usr/share/lintian -C "$2" || die "cannot unpack $p"
	done
	# No base-files or base-passwd (their scripts would make these), and
	# the links that mawk's and debianutils' scripts make as alternatives.
	echo 'root:x:0:0:root:/root:/bin/sh' >"$2/etc/passwd"
	echo 'root:x:0:' >"$2/etc/group"
	ln -s mawk "$2/usr/bin/awk"
	ln -s which.debianutils "$2/usr/bin/which"
	for f in usr/bin/bpftrace usr/bin/sh usr/bin/mawk usr/bin/which.debianutils \
		lib/ld-linux-aarch64.so.1 \
		usr/lib/aarch64-linux-gnu/libc.so.6; do
		[ -e "$2/$f" ] || die "no /$f in the arm64 root"
	done
}

# parts NAME: what fetch is to get, from its nb, nm, nr and nh.
parts() {
	w=
	[ "$nb" = 0 ] || w="the $1 kernel"
	[ "$nm" = 0 ] || w="${w:+$w, }modules"
	[ "$nr" = 0 ] || w="${w:+$w, }root (bpftrace)"
	[ "$nh" = 0 ] || w="${w:+$w, }headers"
	echo "$w"
}

# fetch NAME SUITE ARCH REGEX: the newest package matching REGEX from SUITE
# (+updates, +security) for ARCH, via a private apt state so the host's apt
# setup is untouched; arm64 also gets busybox-static. With -r and -H, the
# modules and the headers of the cached kernel's release too (of the newest
# one, fetched anew, when the mirror no longer has the cached one), and for
# arm64 with -r the root that run.sh -r shares into the guest. The
# keyring of any bookworm machine verifies bullseye's and trixie's Release
# files too (both are signed with keys it holds; checked with gpgv).
fetch() {
	nb=0 nm=0 nr=0 nh=0
	have "$1" || nb=1
	have_mods "$1" || nm=1
	have_root "$1" || nr=1
	have_hdrs "$1" || nh=1
	[ $nb$nm$nr$nh != 0000 ] || return 0
	a=$CACHE/apt-$1
	rm -rf "$a" && mkdir -p "$a/parts" "$a/lists/partial" \
		"$a/cache/archives/partial" "$a/state" "$a/deb" "$a/rdeb"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
			"$MAIN" "$2" "$2" "$KEYRING"
		[ -z "$SEC" ] ||
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
				"$SEC" "$2" "$KEYRING"
	} >"$a/parts/$2.sources"
	o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$a/parts
	   -o Dir::State=$a/state -o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
	   -o Dir::State::status=/dev/null -o APT::Architecture=$3
	   -o APT::Architectures=$3 -o APT::Sandbox::User=root"
	log=$a/log
	say "fetching $(parts "$1") from $2 ($3)"
	# shellcheck disable=SC2086
	apt-get $o update >"$log" 2>&1 || die "apt-get update for $2 ($3) failed (see $log)"
	if [ $nb = 0 ]; then
		rel=$(cat "$CACHE/$1/release")
		# shellcheck disable=SC2086
		apt-cache $o show "linux-image-$rel" >/dev/null 2>&1 || {
			say "$rel is gone from $2: fetching the newest $1 kernel instead"
			nb=1 nm=$MODS nh=$HDRS
		}
	fi
	if [ $nb = 1 ]; then
		# shellcheck disable=SC2086
		pkg=$(apt-cache $o search --names-only "$4" | awk '{ print $1 }' | sort -V | tail -n 1)
		[ -n "$pkg" ] || die "no package matching $4 in $2 (see $log)"
		rel=${pkg#linux-image-}
	fi
	pkg=linux-image-$rel
	get=
	[ $nb$nm = 00 ] || get=$pkg
	[ $nb = 0 ] || [ "$3" = amd64 ] || get="$get busybox-static"
	if [ $nh = 1 ]; then
		# The headers package names the -common and kbuild ones it needs.
		# shellcheck disable=SC2086
		get="$get linux-headers-$rel $(apt-cache $o depends "linux-headers-$rel" 2>>"$log" |
			awk '$1 == "Depends:" && $2 ~ /^linux-(headers|kbuild)-/ { print $2 }')"
	fi
	# shellcheck disable=SC2086
	[ -z "$get" ] || (cd "$a/deb" && apt-get $o download $get) >>"$log" 2>&1 ||
		die "apt-get download $get failed (see $log)"
	if [ $nr = 1 ]; then
		# apt's resolver, on an empty status, names ROOTPKGS' closure
		# (Depends, Pre-Depends; no Recommends) and the versions it chose.
		# shellcheck disable=SC2086
		rget=$(apt-get $o -s install --no-install-recommends $ROOTPKGS 2>>"$log" |
			awk '$1 == "Inst" { v = $3; sub(/^\(/, "", v); print $2 "=" v }') ||
			die "cannot resolve $ROOTPKGS (see $log)"
		[ -n "$rget" ] || die "apt-get -s install $ROOTPKGS named no packages (see $log)"
		# shellcheck disable=SC2086
		(cd "$a/rdeb" && apt-get $o download $rget) >>"$log" 2>&1 ||
			die "apt-get download of the root's packages failed (see $log)"
	fi
	mkdir -p "$a/out"
	if [ $nb = 1 ]; then
		# The image: no modules needed (results come over serial).
		dpkg-deb --fsys-tarfile "$a/deb/${pkg}_"*.deb |
			tar -xOf - "./boot/vmlinuz-$rel" >"$a/vmlinuz" ||
			die "no boot/vmlinuz-$rel in $pkg"
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
	fi
	if [ $nm = 1 ]; then
		dpkg-deb -x "$a/deb/${pkg}_"*.deb "$a/img" || die "cannot unpack $pkg"
		modules "$a/img" "$rel" "$a/out/mods"
	fi
	if [ $nh = 1 ]; then
		for p in "$a"/deb/linux-headers-*.deb "$a"/deb/linux-kbuild-*.deb; do
			[ ! -e "$p" ] || dpkg-deb -x "$p" "$a/hdr" || die "cannot unpack $p"
		done
		headers "$a/hdr" "$rel" "$a/out/headers"
	fi
	[ $nr = 0 ] || mkroot "$a/rdeb" "$a/out/root"
	if [ $nb = 1 ]; then
		# The root does not depend on the kernel's release: keep it.
		[ ! -d "$CACHE/$1/root" ] || [ -d "$a/out/root" ] ||
			mv "$CACHE/$1/root" "$a/out/root"
		rm -rf "${CACHE:?}/$1"
		mv "$a/out" "$CACHE/$1"
	else
		for d in mods root headers; do
			[ -d "$a/out/$d" ] || continue
			rm -rf "${CACHE:?}/$1/$d"
			mv "$a/out/$d" "$CACHE/$1/$d"
		done
	fi
	rm -rf "$a"
	say "cached $(parts "$1") of $rel in $CACHE/$1"
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
