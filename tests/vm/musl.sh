#!/bin/sh
# tests/vm/musl.sh: Debian's musl (musl, musl-dev) for a foreign architecture,
# for the static cross build (`make CROSS=aarch64-linux-gnu-`, `make
# test-bins-arm64`). Prints the musl-gcc specs file to pass to the cross gcc
# (-specs FILE), as Debian's own ARCH musl-gcc wrapper does, but with the
# paths moved into the cache. Silent and fast when cached.
#
#   musl.sh ARCH      ARCH: a Debian architecture (arm64)
#
#   $CACHE/musl-ARCH/usr/include/TRIPLET/   musl's headers
#   $CACHE/musl-ARCH/usr/lib/TRIPLET/       libc.a, the crt objects
#   $CACHE/musl-ARCH/musl-gcc.specs         the specs, pointing there
#   $CACHE/musl-ARCH/version                the packages' version
#
# The packages come through a private apt state (lists, cache and an empty
# status of its own, APT::Architecture=ARCH), as tests/vm/kit.sh fetches the
# arm64 kernel, from the suites and mirrors of the system's own apt sources:
# the host's release, so the newest musl it has, never a pinned one. Delete
# $CACHE/musl-ARCH to fetch it again. Messages go to stderr; exit 1 (and
# nothing on stdout) when musl cannot be had.
set -eu

CACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}

die() { echo "musl.sh: FAIL: $*" >&2; exit 1; }
say() { echo "musl.sh: $*" >&2; }

[ $# = 1 ] || die "usage: musl.sh ARCH (a Debian architecture: arm64)"
ARCH=$1
OUT=$CACHE/musl-$ARCH

have() { [ -s "$OUT/musl-gcc.specs" ] && [ -s "$OUT/version" ]; }
if have; then
	echo "$OUT/musl-gcc.specs"
	exit 0
fi

mkdir -p "$CACHE" || die "cannot create cache dir $CACHE"
# As tests/vm/kit.sh: two runs must not fetch into the same place.
exec 9>"$CACHE/.lock"
flock 9 || die "cannot lock $CACHE/.lock"
if have; then
	echo "$OUT/musl-gcc.specs"
	exit 0
fi

# sources DIR: the system's binary package sources (deb, not deb-src) into
# DIR: deb822 stanzas with their Types cut down to deb, one-line entries as
# they are.
sources() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		/(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && !/(^|\n)Enabled: *no/ {
			sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb")
			sub(/^\n/, "")
			print
		}' "$f" >"$1/$(basename "$f")"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		grep '^[[:space:]]*deb[[:space:]]' "$f" >"$1/$(basename "$f").list" || :
	done
}

a=$CACHE/apt-musl-$ARCH
rm -rf "$a"
mkdir -p "$a/parts" "$a/lists/partial" "$a/cache/archives/partial" \
	"$a/state" "$a/deb" "$a/x" || die "cannot create $a"
sources "$a/parts"
o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$a/parts
   -o Dir::State=$a/state -o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
   -o Dir::State::status=/dev/null -o APT::Architecture=$ARCH
   -o APT::Architectures=$ARCH -o APT::Sandbox::User=root"
log=$a/log
say "fetching musl and musl-dev ($ARCH) through apt-get"
# A source without ARCH (a third party's) may fail the update: what
# matters is whether the download then works.
# shellcheck disable=SC2086
apt-get $o update >"$log" 2>&1 || say "apt-get update for $ARCH reported errors (see $log)"
# shellcheck disable=SC2086
(cd "$a/deb" && apt-get $o download musl musl-dev) >>"$log" 2>&1 ||
	die "apt-get download musl musl-dev ($ARCH) failed (see $log)"
for p in "$a"/deb/*.deb; do
	dpkg-deb -x "$p" "$a/x" || die "cannot unpack $p"
done
specs=
for f in "$a"/x/usr/lib/*/musl-gcc.specs; do
	[ -e "$f" ] && specs=$f
done
[ -n "$specs" ] || die "no usr/lib/*/musl-gcc.specs in musl-dev ($ARCH)"
lib=${specs%/musl-gcc.specs}
triplet=${lib##*/}
inc=$a/x/usr/include/$triplet
for f in "$lib/libc.a" "$lib/Scrt1.o" "$lib/crti.o" "$lib/crtn.o" "$inc/stdio.h"; do
	[ -e "$f" ] || die "no ${f#"$a"/x} in musl-dev ($ARCH)"
done

# The specs name /usr/lib/TRIPLET and /usr/include/TRIPLET: the cache's.
n=$a/out
mkdir -p "$n/usr/lib" "$n/usr/include"
{ mv "$lib" "$n/usr/lib/" && mv "$inc" "$n/usr/include/"; } ||
	die "cannot move musl into $n"
sed -e "s|/usr/lib/$triplet|$OUT/usr/lib/$triplet|g" \
	-e "s|/usr/include/$triplet|$OUT/usr/include/$triplet|g" \
	"$n/usr/lib/$triplet/musl-gcc.specs" >"$n/musl-gcc.specs" ||
	die "cannot write $n/musl-gcc.specs"
dpkg-deb -f "$(ls "$a"/deb/musl-dev_*.deb)" Version >"$n/version" ||
	die "no version in musl-dev"
rm -rf "$OUT"
mv "$n" "$OUT" || die "cannot move $n to $OUT"
rm -rf "$a"
say "cached musl $(cat "$OUT/version") ($triplet) in $OUT"
echo "$OUT/musl-gcc.specs"
