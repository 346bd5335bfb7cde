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
#   clang-19, libclang-rt-19-dev  libFuzzer, ASan and UBSan for the fuzz
#                       targets (tests/fuzz/; make fuzz, and their corpora
#                       replayed by make test)
#   musl-tools          musl-gcc: `make static`, the binary the VM suites run
#   groff-base, mandoc, man-db   lint and render show_bt.8
#   bash-completion     where completions are looked for (its .pc file)
#   binutils            readelf: is the static binary static?
#   valgrind            memory checks
#   python3, librsvg2-bin  parse --json; render --svg to a PNG
#   bpftrace            the frames suite runs it in the VM (tests/vm/run.sh
#                       -r shares the host's root with the guest)
#
# Prints what it installs on stderr; exit 1 when a package cannot be had.
set -eu

PKGS="clang-19 libclang-rt-19-dev musl-tools groff-base mandoc man-db
	bash-completion binutils valgrind python3 librsvg2-bin bpftrace"

log() { echo "deps: $*" >&2; }

installed() {
	dpkg-query -W -f '${Status}' "$1" 2> /dev/null | grep -q ' installed$'
}

missing=
for p in llvm-19 $PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	# shellcheck disable=SC2086
	log "all installed: llvm-19" $PKGS
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	log "missing:$missing; run as root (apt-get install)"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
	log "installing $*"
	apt-get install -y -q --no-install-recommends "$@" >&2
}
# shellcheck disable=SC2086
apt_install $missing || {
	log "apt-get install failed; apt-get update, then again"
	apt-get update -q >&2 && apt_install $missing
} || {
	# A Debian without llvm-19: its llvm, whose llvm-mc the unit tests
	# try (they fail, saying so, if it cannot assemble BPF_ST), and no
	# clang-19 (the fuzz suite fails, saying so).
	# shellcheck disable=SC2046
	apt_install $(echo "$missing " | sed 's/ llvm-19 / llvm /;
		s/ clang-19 / /; s/ libclang-rt-19-dev / /')
} || {
	log "cannot install$missing"
	exit 1
}
log "done"
