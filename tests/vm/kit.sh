#!/bin/sh
# tests/vm/kit.sh: install the host tools and cache the guest kernels that the
# VM tests boot. Idempotent; silent and fast when everything is cached.
#
#   $CACHE/6.1/vmlinux   $CACHE/6.1/release    newest bookworm 6.1.0-N-amd64
#   $CACHE/6.12/vmlinux  $CACHE/6.12/release   newest trixie 6.12.*+deb13-amd64
#
# Delete $CACHE (or one of its kernel dirs) to fetch the newest kernels again.
set -eu

CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
HOSTPKGS="qemu-system-x86 busybox-static kmod xz-utils zstd"

die() { echo "vm-kit: FAIL: $*" >&2; exit 1; }
say() { echo "vm-kit: $*" >&2; }

# busybox (dynamic) also provides /bin/busybox, so ask dpkg for the static one.
host_ok() {
	for t in qemu-system-x86_64 xz zstd; do
		command -v $t >/dev/null || return 1
	done
	[ -x /bin/busybox ] &&
		dpkg-query -W -f '${Status}' busybox-static 2>/dev/null |
		grep -q ' installed$'
}
have() { [ -s "$CACHE/$1/vmlinux" ] && [ -s "$CACHE/$1/release" ]; }

host_ok && have 6.1 && have 6.12 && exit 0

mkdir -p "$CACHE" || die "cannot create cache dir $CACHE"
# Parallel runs (two kernels at once) must not fetch into the same place.
exec 9>"$CACHE/.lock"
flock 9 || die "cannot lock $CACHE/.lock"

if ! host_ok; then
	[ "$(id -u)" = 0 ] || die "host tools missing; run as root to apt-get install $HOSTPKGS"
	say "installing $HOSTPKGS"
	log=$CACHE/apt-install.log
	export DEBIAN_FRONTEND=noninteractive
	# Try without 'apt-get update' first: it is only needed on a fresh machine
	# (no lists) or when the lists are stale.
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $HOSTPKGS >"$log" 2>&1 || {
		apt-get update -q >>"$log" 2>&1 &&
			apt-get install -y -q --no-install-recommends $HOSTPKGS >>"$log" 2>&1
	} || die "apt-get install $HOSTPKGS failed (see $log)"
	host_ok || die "installed $HOSTPKGS but qemu-system-x86_64/xz/zstd/static busybox still missing"
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

# fetch DIR SUITE REGEX: newest package matching REGEX from SUITE (+updates,
# +security), via a private apt state so the host's apt setup is untouched.
# Trixie's Release files are also signed by the bookworm archive key, so the
# keyring of any bookworm machine verifies them (checked with gpgv).
fetch() {
	have "$1" && return 0
	a=$CACHE/apt-$2
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
	   -o Dir::State::status=/dev/null -o APT::Architecture=amd64
	   -o APT::Architectures=amd64 -o APT::Sandbox::User=root"
	log=$a/log
	say "fetching the newest $1 kernel from $2"
	# shellcheck disable=SC2086
	apt-get $o update >"$log" 2>&1 || die "apt-get update for $2 failed (see $log)"
	# shellcheck disable=SC2086
	pkg=$(apt-cache $o search --names-only "$3" | awk '{ print $1 }' | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no package matching $3 in $2 (see $log)"
	rel=${pkg#linux-image-}
	# shellcheck disable=SC2086
	(cd "$a/deb" && apt-get $o download "$pkg") >>"$log" 2>&1 ||
		die "apt-get download $pkg failed (see $log)"
	# Only the kernel image is needed: no modules (results come over serial).
	dpkg-deb --fsys-tarfile "$a"/deb/*.deb | tar -xOf - "./boot/vmlinuz-$rel" >"$a/vmlinuz" ||
		die "no boot/vmlinuz-$rel in $pkg"
	# An uncompressed ELF boots through QEMU's PVH entry without the slow
	# in-guest decompression. The bzImage header locates the compressed
	# payload: (setup_sects + 1) * 512 + payload_offset, payload_length bytes,
	# the last 4 being the decompressed size. bookworm uses xz, trixie zstd.
	v=$a/vmlinuz
	u() { od -An -tu"$2" -j "$1" -N "$2" "$v" | tr -d ' '; }
	off=$(( ($(u 497 1) + 1) * 512 + $(u 584 4) ))
	len=$(( $(u 588 4) - 4 ))
	case $(tail -c +$((off + 1)) "$v" | head -c 4 | od -An -tx1 | tr -d ' ') in
	fd377a58) dec="xz -dc" ;;
	28b52ffd) dec="zstd -dcq" ;;
	1f8b*) dec="gzip -dc" ;;
	*) die "vmlinuz-$rel: unknown compression at offset $off" ;;
	esac
	tail -c +$((off + 1)) "$v" | head -c "$len" | $dec >"$a/vmlinux" ||
		die "vmlinuz-$rel: $dec failed"
	[ "$(head -c 4 "$a/vmlinux" | tail -c 3)" = ELF ] || die "vmlinuz-$rel: payload is not an ELF"
	mkdir -p "$CACHE/$1"
	mv "$a/vmlinux" "$CACHE/$1/vmlinux"
	echo "$rel" >"$CACHE/$1/release"
	rm -rf "$a"
	say "cached $CACHE/$1/vmlinux ($rel)"
}

# Both downloads at once: the mirror, not the CPU, is the bottleneck.
fetch 6.1 bookworm '^linux-image-6\.1\.0-[0-9]+-amd64$' &
p1=$!
fetch 6.12 trixie '^linux-image-6\.12\.[0-9]+\+deb13-amd64$' &
p2=$!
ok=0
wait $p1 || ok=1
wait $p2 || ok=1
[ $ok = 0 ] || exit 1
if ! have 6.1 || ! have 6.12; then die "kernels missing after fetch"; fi
