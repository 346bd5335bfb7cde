#!/bin/sh
# bench/setup.sh: everything `make bench` needs besides the product, fetched
# once and cached. Idempotent; quiet and fast when all is in place.
#
#   host packages   bpftrace, bpfcc-tools (stackcount), musl-tools, musl-dev
#   guest kernels   tests/vm/kit.sh (vmlinux of Debian's 6.1 and 6.12)
#   $BCACHE/K/      for each kernel K (6.1, 6.12):
#     release       the kernel release, as kit.sh cached it
#     mods/         the modules that share the host root in the guest (9p,
#                   virtio, overlay), uncompressed, and mods/order, the order
#                   to insmod them in
#     layer/        the kernel's headers (linux-headers-*, linux-kbuild-*)
#                   and /usr/lib/modules/REL/build, laid over the host root
#                   in the guest so that bcc finds them
#
# Host packages that cannot be installed are reported and skipped: bench.sh
# then leaves their rows out and says so. Exit 1 only when the VM cannot run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
VMCACHE=${SHOW_BT_VM_CACHE:-$HOME/.cache/show_bt-vm}
BCACHE=${SHOW_BT_BENCH_CACHE:-$HOME/.cache/show_bt-bench}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
PKGS="bpftrace bpfcc-tools musl-tools musl-dev"

say() { echo "bench-setup: $*" >&2; }
die() { say "FAIL: $*"; exit 1; }

mkdir -p "$BCACHE"
exec 9>"$BCACHE/.lock"
flock 9 || die "cannot lock $BCACHE/.lock"

have_pkgs() {
	for p in $PKGS; do
		dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
			grep -q ' installed$' || return 1
	done
}
if ! have_pkgs; then
	if [ "$(id -u)" != 0 ]; then
		say "not root: cannot apt-get install $PKGS (their rows will be missing)"
	else
		say "installing $PKGS"
		log=$BCACHE/apt-install.log
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		apt-get install -y -q --no-install-recommends $PKGS >"$log" 2>&1 || {
			apt-get update -q >>"$log" 2>&1 &&
				apt-get install -y -q --no-install-recommends \
					$PKGS >>"$log" 2>&1
		} || say "apt-get install $PKGS failed (see $log); going on without"
	fi
fi

# The mirror URIs, from the system's own apt configuration, as kit.sh does.
mirror() {
	f=/etc/apt/sources.list.d/debian.sources
	{
		[ ! -r "$f" ] || awk -v want="$1" 'BEGIN { RS = "" }
		/(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && !/(^|\n)Enabled: *no/ {
			u = s = ""
			n = split($0, l, "\n")
			for (i = 1; i <= n; i++) {
				if (l[i] ~ /^URIs:/)   { split(l[i], w, " "); u = w[2] }
				if (l[i] ~ /^Suites:/) s = l[i]
			}
			if (u != "" && (s ~ /-security/) == (want == "security"))
				print u
		}' "$f"
		[ ! -r /etc/apt/sources.list ] || awk -v want="$1" '$1 == "deb" {
			i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if (($(i + 1) ~ /-security/) == (want == "security"))
				print $i
		}' /etc/apt/sources.list
	} | head -n 1
}

# Modules the guest loads to mount the host root: 9p over virtio, overlay.
WANT="9p 9pnet_virtio virtio_pci overlay"

# deps DIR REL: WANT and what they depend on, dependencies first.
deps() {
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

# prepare K SUITE: modules and headers for kernel K from SUITE.
prepare() {
	k=$1
	rel=$(cat "$VMCACHE/$k/release")
	d=$BCACHE/$k
	if [ -s "$d/mods/order" ] && [ "$(cat "$d/release" 2>/dev/null)" = "$rel" ] &&
		[ -L "$d/layer/usr/lib/modules/$rel/source" ]; then
		return 0
	fi
	main=$(mirror main)
	sec=$(mirror security)
	[ -n "$main" ] || die "no Debian mirror in the apt configuration"
	a=$d/apt
	rm -rf "$d" && mkdir -p "$a/parts" "$a/lists/partial" \
		"$a/cache/archives/partial" "$a/deb" "$d/mods" "$d/layer" "$d/x"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
			"$main" "$2" "$2" "$KEYRING"
		[ -z "$sec" ] ||
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
				"$sec" "$2" "$KEYRING"
	} >"$a/parts/$2.sources"
	o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$a/parts
	   -o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
	   -o Dir::State::status=/dev/null -o APT::Architecture=amd64
	   -o APT::Architectures=amd64 -o APT::Sandbox::User=root"
	log=$d/log
	say "fetching modules and headers of $rel from $2"
	# shellcheck disable=SC2086
	apt-get $o update >"$log" 2>&1 || die "apt-get update for $2 failed (see $log)"
	# The headers package names the -common and kbuild ones it needs.
	# shellcheck disable=SC2086
	hdr=$(apt-cache $o depends "linux-headers-$rel" 2>>"$log" |
		awk '$1 == "Depends:" && $2 ~ /^linux-(headers|kbuild)-/ { print $2 }')
	# shellcheck disable=SC2086
	(cd "$a/deb" && apt-get $o download "linux-image-$rel" \
		"linux-headers-$rel" $hdr) >>"$log" 2>&1 ||
		die "apt-get download of $rel's packages failed (see $log)"
	for p in "$a"/deb/*.deb; do
		dpkg-deb -x "$p" "$d/x" || die "cannot unpack $p"
	done
	# bookworm keeps modules in /lib, trixie in /usr/lib; the host's /lib
	# is a link to usr/lib, so the layer must use usr/lib only.
	for m in "$d/x/lib/modules/$rel" "$d/x/usr/lib/modules/$rel"; do
		[ -d "$m" ] || continue
		mkdir -p "$d/x/m/lib/modules"
		cp -a "$m" "$d/x/m/lib/modules/"
	done
	depmod -b "$d/x/m" "$rel" || die "depmod for $rel failed"
	: >"$d/mods/order"
	for m in $(deps "$d/x/m" "$rel"); do
		n=$(basename "$m")
		case $n in
		*.xz) xz -dc "$d/x/m/lib/modules/$rel/$m" >"$d/mods/${n%.xz}" ;;
		*.zst) zstd -dcq "$d/x/m/lib/modules/$rel/$m" >"$d/mods/${n%.zst}" ;;
		*) cp "$d/x/m/lib/modules/$rel/$m" "$d/mods/$n" ;;
		esac
		n=${n%.xz}
		echo "${n%.zst}" >>"$d/mods/order"
	done
	grep -q '^9p\.ko$' "$d/mods/order" || die "no 9p module in $rel"
	# The layer: headers, kbuild, and the build link bcc looks for.
	mkdir -p "$d/layer/usr/lib/modules/$rel"
	cp -a "$d/x/usr/src" "$d/layer/usr/"
	for kb in "$d"/x/usr/lib/linux-kbuild-*; do
		[ ! -d "$kb" ] || cp -a "$kb" "$d/layer/usr/lib/"
	done
	# The headers packages' own build and source links (bcc needs both);
	# they are relative to /usr/lib/modules/REL or /lib/modules/REL, and
	# from either place ../../../src is /usr/src.
	for l in build source; do
		for m in "$d/x/lib/modules/$rel/$l" "$d/x/usr/lib/modules/$rel/$l"; do
			[ -L "$m" ] || continue
			ln -sfn "/usr/src/$(readlink "$m" | sed 's#.*/src/##')" \
				"$d/layer/usr/lib/modules/$rel/$l"
		done
	done
	[ -L "$d/layer/usr/lib/modules/$rel/build" ] ||
		ln -sfn "/usr/src/linux-headers-$rel" "$d/layer/usr/lib/modules/$rel/build"
	rm -rf "$d/x" "$a"
	echo "$rel" >"$d/release"
	say "cached $d ($(wc -l <"$d/mods/order") modules, headers)"
}

# Natively (BENCH_SETUP_HOST_ONLY=1) no guest is booted.
[ "${BENCH_SETUP_HOST_ONLY:-0}" != 1 ] || exit 0
"$top/tests/vm/kit.sh" || die "tests/vm/kit.sh failed"
prepare 6.1 bookworm &
p1=$!
prepare 6.12 trixie &
p2=$!
ok=0
wait $p1 || ok=1
wait $p2 || ok=1
exit $ok
