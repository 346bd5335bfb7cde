#!/bin/sh
# make.sh SHOW_BT [EXPERIMENT.s...]: (re)make verifier experiments from the
# built-in program.  Each file starts with a header of "# " lines, up to
# the first blank line, which this keeps:
#
#	# experiment: NAME
#	# what: one line on what the edit does
#	# edit N: OLD => NEW	  instruction N of the listing becomes NEW
#	# license: NAME		  load under this license (a .license line)
#	# expect: MESSAGE	  the verifier's line, on any kernel
#	# expect 6.1: MESSAGE	  ... on this kernel series only
#	# expect: accepted	  the verifier lets it load
#
# The rest is made anew: `SHOW_BT --dump -p 1` with each edit applied,
# where instruction N must still read OLD (else the experiment is stale:
# the program changed under it, and its edit needs a new look).
# tests/e2e/verifier.sh runs them; docs/VERIFIER-EXPERIMENTS.md explains.
set -eu
sb=${1:?usage: make.sh SHOW_BT [EXPERIMENT.s...]}
shift
[ $# -gt 0 ] || set -- "$(dirname "$0")"/*.s
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$sb" --dump -p 1 > "$tmp/base.s"
for f in "$@"; do
	sed '/^$/q' "$f" > "$tmp/head"
	grep -q '^# \(edit \|license: \)' "$tmp/head" ||
		{ echo "$f: no '# edit' or '# license' line" >&2; exit 1; }
	awk -v head="$tmp/head" -v file="$f" '
	BEGIN {
		while ((getline l < head) > 0) {
			if (l !~ /^# edit [0-9]+: /)
				continue
			sub(/^# edit /, "", l)
			n = l; sub(/:.*/, "", n)
			sub(/^[0-9]+: /, "", l)
			i = index(l, " => ")
			old[n] = substr(l, 1, i - 1)
			new[n] = substr(l, i + 4)
		}
	}
	{
		if (match($0, /^ *[0-9]+: /)) {
			n = $0; sub(/:.*/, "", n); n += 0
			if (n in old) {
				text = substr($0, RLENGTH + 1)
				sub(/ *#.*/, "", text)
				if (text != old[n]) {
					printf "%s: instruction %d is \"%s\", not \"%s\": remake the edit by hand\n", file, n, text, old[n] > "/dev/stderr"
					bad = 1
				}
				printf "%4d: %-32s # EDITED, was: %s\n", n, new[n], old[n]
				done[n] = 1
				next
			}
		}
		print
	}
	END {
		for (n in old)
			if (!(n in done)) {
				printf "%s: no instruction %d\n", file, n > "/dev/stderr"
				bad = 1
			}
		exit bad
	}' "$tmp/base.s" > "$tmp/body"
	lic=$(sed -n 's/^# license: //p' "$tmp/head")
	{
		cat "$tmp/head"
		[ -z "$lic" ] || printf '.license "%s"\n\n' "$lic"
		cat "$tmp/body"
	} > "$f"
done
