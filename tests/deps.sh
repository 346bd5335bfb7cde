#!/bin/sh
# tests/deps.sh (`make deps`): apt-get install what the host test suites use.
# Idempotent: a package already installed is not asked for again, and
# `apt-get update` runs only when an install fails (a fresh machine has no
# package lists, or old ones).  The VM kit (QEMU, busybox, Debian's kernels)
# is tests/vm/kit.sh's, fetched when the VM suites start.
#
#   llvm-19 (llvm elsewhere)  llvm-mc and llvm-objcopy for the encoding tests;
#                       Debian's llvm-19 assembles every BPF form, BPF_ST
#                       included (llvm 14, bookworm's "llvm", does not)
#   musl-tools          musl-gcc: `make static`, the binary the VM suites run
#   groff-base, mandoc, man-db   lint and render show_bt.8
#   bash-completion     where completions are looked for (its .pc file)
#   binutils            readelf: is the static binary static?
#   valgrind            memory checks
#   python3, librsvg2-bin  parse --json; render --svg to a PNG
#
# Prints what it installs on stderr; exit 1 when a package cannot be had.
set -eu

PKGS="musl-tools groff-base mandoc man-db bash-completion binutils valgrind
	python3 librsvg2-bin"

log() { echo "deps: $*" >&2; }

installed() {
	dpkg-query -W -f '${Status}' "$1" 2> /dev/null | grep -q ' installed$'
}

# llvm-19 when this Debian has it (bookworm does, as 1:19.*), else llvm.
llvm=llvm-19
if ! installed llvm-19 &&
   ! apt-cache show llvm-19 > /dev/null 2>&1; then
	llvm=llvm
fi

missing=
for p in $llvm $PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	log "all installed:" $llvm $PKGS
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	log "missing:$missing; run as root (apt-get install)"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log "installing$missing"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2 || {
	log "apt-get install failed; apt-get update, then again"
	apt-get update -q >&2 &&
		apt-get install -y -q --no-install-recommends $missing >&2
} || {
	log "cannot install$missing"
	exit 1
}
# llvm-19 may only be known after the update.
if [ $llvm = llvm ] && ! installed llvm-19 &&
   apt-cache show llvm-19 > /dev/null 2>&1; then
	log "installing llvm-19"
	apt-get install -y -q --no-install-recommends llvm-19 >&2
fi
log "done"
