#!/bin/sh
# tests/install/run.sh: what a user installs, reads and types, on the host
# (no kernel support needed): make install and uninstall in scratch DESTDIRs,
# the man page (lint, rendering, sections, every option of --help in it and
# the reverse), the bash completion (sourced in bash, its function called
# with COMP_WORDS and COMP_CWORD set, on fixture files), the static musl
# binary (size at most 200 KiB, static, behaving as the dynamic one), the
# arm64 one (the same size, static, musl, mappable with 64 KiB pages) and
# stackcount's option names.
#
#   sh tests/install/run.sh     (from anywhere; after `make test-bins`)
#
# One "PASS: install/NAME" or "FAIL: install/NAME: why" line per check on
# stdout, make's chatter on stderr; exit 1 when any check failed.  Needs
# what `make deps` installs (musl-tools, groff-base, mandoc, man-db,
# bash-completion, binutils), and for arm64 what `make test-bins-arm64`
# fetches itself (the cross gcc through tests/vm/kit.sh, Debian's arm64
# musl through tests/vm/musl.sh): a missing tool is a failure, never a
# skip.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=tests/build/install
FX=tests/install/fixtures
MAX_STATIC=204800			# 200 KiB
mkdir -p "$B"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PREFIX=install
# pass, fail, $failed: tests/lib.sh.
# shellcheck source=tests/lib.sh
. tests/lib.sh
# check NAME WHY COMMAND...: PASS when the command succeeds.
check() {
	name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}
have() { command -v "$1" > /dev/null; }
oneline() { tr '\n' ' ' | cut -c1-300; }

# ---- the binaries under test ----
if ! make show_bt tests/build/static/show_bt >&2; then
	fail build "make show_bt tests/build/static/show_bt failed (see stderr)"
	exit 1
fi
SB=./show_bt
STATIC=tests/build/static/show_bt

# ---- options: --help's and the man page's, parsed apart ----

# Option lines of --help ("  -d, --duration=SECONDS  text"): the tag,
# up to two spaces.  One line per name: NAME <tab> TAG.
help_tags() {
	awk '/^  (    )?-/ {
		t = $0
		sub(/^ +/, "", t)
		sub(/  .*/, "", t)
		n = split(t, p, /, /)
		for (i = 1; i <= n; i++) {
			name = p[i]
			sub(/[[= ].*/, "", name)
			print name "\t" t
		}
	}'
}

# The tags of .TP paragraphs under .SH OPTIONS, as they print:
# ".BR \-d \", \" \-\-duration =\fISECONDS\fP" is "-d, --duration=SECONDS"
# (the alternating font macros join their arguments).
man_tags() {
	awk '
	/^\.SH/ { in_opts = $0 ~ /^\.SH "?OPTIONS"?$/; next }
	!in_opts { next }
	/^\.TP/ { tp = 1; next }
	tp {
		tp = 0
		line = $0
		macro = line
		sub(/[ \t].*/, "", macro)
		sub(/^\.[A-Z]+[ \t]*/, "", line)
		gsub(/\\-/, "-", line)
		gsub(/\\f[BIRP]/, "", line)
		gsub(/\\&/, "", line)
		# Arguments: words, or "quoted strings" with their spaces.
		t = ""
		while (line != "") {
			if (substr(line, 1, 1) == "\"") {
				line = substr(line, 2)
				i = index(line, "\"")
				if (!i)
					i = length(line) + 1
				a = substr(line, 1, i - 1)
				line = substr(line, i + 1)
			} else {
				i = match(line, /[ \t]/)
				if (!i)
					i = length(line) + 1
				a = substr(line, 1, i - 1)
				line = substr(line, i)
			}
			sub(/^[ \t]+/, "", line)
			# .B and .I join with spaces, .BR and the like without.
			t = t (t != "" && macro ~ /^\.[BI]$/ ? " " : "") a
		}
		if (t !~ /^-/)
			next
		n = split(t, p, /, /)
		for (i = 1; i <= n; i++) {
			name = p[i]
			sub(/[[= ].*/, "", name)
			print name "\t" t
		}
	}'
}

# Names of $1 (NAME <tab> TAG lines) missing from $2.
missing() {
	cut -f1 "$1" | sort -u > "$T/names.a"
	cut -f1 "$2" | sort -u > "$T/names.b"
	comm -23 "$T/names.a" "$T/names.b" | tr '\n' ' ' | sed 's/ $//'
}

if $SB --help > "$T/help" 2>&1; then
	help_tags < "$T/help" | sort -u > "$T/help.tags"
else
	fail help "$SB --help failed: $(oneline < "$T/help")"
	: > "$T/help.tags"
fi
man_tags < show_bt.8 | sort -u > "$T/man.tags"
if [ "$(wc -l < "$T/help.tags")" -lt 20 ]; then
	fail options_parsed "found $(wc -l < "$T/help.tags") options in --help, want 20 or more: the parser is lost"
else
	pass options_parsed
fi
m=$(missing "$T/help.tags" "$T/man.tags")
check options_help_in_man "in --help, not under OPTIONS in show_bt.8: $m" \
	test -z "$m"
m=$(missing "$T/man.tags" "$T/help.tags")
check options_man_in_help "under OPTIONS in show_bt.8, not in --help: $m" \
	test -z "$m"
# Where both have an option, the same spelling: names together, values.
m=$(join -t "$(printf '\t')" "$T/help.tags" "$T/man.tags" |
	awk -F '\t' '$2 != $3 { printf "%s (help \"%s\", man \"%s\") ", $1, $2, $3 }')
check options_same_tags "written differently: $m" test -z "$m"

# ---- the man page ----
if have groff; then
	groff -ww -z -man show_bt.8 > "$T/groff" 2>&1
	st=$?
	check man_lint_groff "groff -ww -z -man: exit $st: $(oneline < "$T/groff")" \
		test $st = 0 -a ! -s "$T/groff"
else
	fail man_lint_groff "no groff (make deps installs groff-base)"
fi
if have mandoc; then
	mandoc -T lint -W warning show_bt.8 > "$T/mandoc" 2>&1
	st=$?
	check man_lint_mandoc "mandoc -T lint: exit $st: $(oneline < "$T/mandoc")" \
		test $st = 0 -a ! -s "$T/mandoc"
else
	fail man_lint_mandoc "no mandoc (make deps installs it)"
fi
if have man; then
	MANPAGER=cat MANWIDTH=80 man -l show_bt.8 > "$T/man.txt" 2> "$T/man.err"
	st=$?
	ok=1
	for h in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' ENVIRONMENT \
		 FILES EXAMPLES NOTES 'SEE ALSO'; do
		grep -qx "$h" "$T/man.txt" || { ok=0; miss="$h"; }
	done
	if [ $st != 0 ] || [ -s "$T/man.err" ]; then
		fail man_renders "man -l show_bt.8: exit $st: $(oneline < "$T/man.err")"
	elif [ $ok = 0 ]; then
		fail man_renders "man -l show_bt.8 shows no $miss heading"
	elif ! grep -q -- '--stack-slots=N' "$T/man.txt"; then
		fail man_renders "man -l show_bt.8 has no '--stack-slots=N' (hyphens rendered as something else?)"
	else
		pass man_renders
	fi
else
	fail man_renders "no man (make deps installs man-db)"
fi
# man-pages(7) order.
got=$(sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' show_bt.8 | tr '\n' ,)
want="NAME,SYNOPSIS,DESCRIPTION,OPTIONS,EXIT STATUS,ENVIRONMENT,FILES,EXAMPLES,NOTES,SEE ALSO,"
check man_sections "sections are $got want $want" test "$got" = "$want"
m=
for w in 'bpftrace (8)' 'stackcount (8)' 'perf (1)' ftrace; do
	sed -n '/^\.SH "\{0,1\}SEE ALSO/,$p' show_bt.8 | grep -qF "$w" ||
		m="$m $w"
done
check man_see_also "SEE ALSO lacks$m" test -z "$m"
v=$($SB --version 2>&1)
th=$(sed -n 's/^\.TH .*"\(show_bt [^"]*\)".*/\1/p' show_bt.8)
check man_version ".TH says '$th', show_bt --version '$v'" test "$th" = "$v"
# Every variable the sources read is under ENVIRONMENT.
m=
# shellcheck disable=SC2013
for v in $(grep -ho 'getenv("[A-Z_]*")' ./*.c | sed 's/getenv("\(.*\)")/\1/' |
	   sort -u); do
	sed -n '/^\.SH ENVIRONMENT/,/^\.SH/p' show_bt.8 | grep -qx "\.B $v" ||
		m="$m $v"
done
check man_environment "read by the sources, not under ENVIRONMENT:$m" \
	test -z "$m"

# ---- make install / uninstall ----
# The files under $1, with their modes: "MODE PATH" lines.
tree() {
	(cd "$1" && find . \( -type f -o -type l \) -exec stat -c '%a %n' {} + |
		sort)
}

# PREFIX in the environment (tests/lib.sh uses it) changes nothing: only
# make's command line does.
D=$T/dest
if PREFIX=/env make install DESTDIR="$D" >&2; then
	printf '%s\n' "755 ./usr/local/sbin/show_bt" \
		"644 ./usr/local/share/bash-completion/completions/show_bt" \
		"644 ./usr/local/share/man/man8/show_bt.8" | sort > "$T/want"
	tree "$D" > "$T/got"
	if ! cmp -s "$T/want" "$T/got"; then
		fail install_files "installed [$(oneline < "$T/got")], want [$(oneline < "$T/want")]"
	elif ! cmp -s $SB "$D/usr/local/sbin/show_bt" ||
	     ! cmp -s show_bt.8 "$D/usr/local/share/man/man8/show_bt.8" ||
	     ! cmp -s completion/show_bt.bash \
		"$D/usr/local/share/bash-completion/completions/show_bt"; then
		fail install_files "an installed file differs from the tree's"
	else
		pass install_files
	fi
else
	fail install_files "make install DESTDIR=$D failed (see stderr)"
fi

# bash-completion, as it runs in an interactive shell, finds the installed
# file under $PREFIX/share (on its XDG_DATA_DIRS) and loads it.
BC=/usr/share/bash-completion/bash_completion
if [ -r $BC ]; then
	got=$(BASH_COMPLETION_USER_DIR=$T/none \
	      XDG_DATA_DIRS=$D/usr/local/share bash --norc --noprofile -c '
		. '$BC' > /dev/null 2>&1
		__load_completion show_bt || exit 1
		shopt -s extdebug
		complete -p show_bt
		declare -F _show_bt' 2>&1)
	check completion_found_by_bash_completion \
		"bash-completion did not load $D's file: $(echo "$got" | oneline)" \
		test "$got" = "complete -F _show_bt show_bt
_show_bt $(grep -n '^_show_bt()' completion/show_bt.bash | cut -d: -f1) $D/usr/local/share/bash-completion/completions/show_bt"
else
	fail completion_found_by_bash_completion "no $BC (make deps installs bash-completion)"
fi

# Uninstall removes what was installed and nothing else: files of others
# in the same directories stay.
if [ -d "$D/usr/local/sbin" ]; then
	for f in sbin/other share/man/man8/other.8 \
		 share/bash-completion/completions/other; do
		echo keep > "$D/usr/local/$f"
	done
	if make uninstall DESTDIR="$D" >&2; then
		tree "$D" > "$T/got"
		printf '%s\n' "644 ./usr/local/sbin/other" \
			"644 ./usr/local/share/bash-completion/completions/other" \
			"644 ./usr/local/share/man/man8/other.8" | sort > "$T/want"
		check uninstall_exact "left [$(oneline < "$T/got")], want [$(oneline < "$T/want")]" \
			cmp -s "$T/want" "$T/got"
	else
		fail uninstall_exact "make uninstall DESTDIR=$D failed (see stderr)"
	fi
	rm -rf "$D"
	make uninstall DESTDIR="$D" >&2
	check uninstall_nothing_installed "make uninstall fails where nothing is installed" \
		test $? = 0
else
	fail uninstall_exact "nothing was installed"
fi

# PREFIX=/usr puts the completion where bash-completion's own .pc says.
D=$T/usr
if make install DESTDIR="$D" PREFIX=/usr >&2; then
	pc=/usr/share/pkgconfig/bash-completion.pc
	dir=$(sed -n 's/^completionsdir=//p' $pc 2> /dev/null |
	      sed 's|[$]{datadir}|/usr/share|')
	if [ ! -f "$D/usr/sbin/show_bt" ] ||
	   [ ! -f "$D/usr/share/man/man8/show_bt.8" ]; then
		fail install_prefix "PREFIX=/usr: no usr/sbin/show_bt or usr/share/man/man8/show_bt.8 in [$(tree "$D" | oneline)]"
	elif [ -z "$dir" ]; then
		fail install_prefix "no completionsdir in $pc (make deps installs bash-completion)"
	elif [ ! -f "$D$dir/show_bt" ]; then
		fail install_prefix "no $dir/show_bt (bash-completion's completionsdir) in [$(tree "$D" | oneline)]"
	else
		pass install_prefix
	fi
	make uninstall DESTDIR="$D" PREFIX=/usr >&2
	m=$(tree "$D")
	check uninstall_prefix "left behind: $m" test -z "$m"
else
	fail install_prefix "make install PREFIX=/usr failed (see stderr)"
fi

# STATIC=1 installs the static build, the one the VM suites test, and
# leaves the tree's ./show_bt as it was.
D=$T/static
sum=$(cksum < $SB)
if make install STATIC=1 DESTDIR="$D" >&2; then
	bin=$D/usr/local/sbin/show_bt
	if ! cmp -s $STATIC "$bin"; then
		fail install_static "installed show_bt is not $STATIC"
	elif readelf -lW "$bin" | grep -q 'INTERP\|Requesting program interpreter'; then
		fail install_static "installed show_bt has a program interpreter: not static"
	elif [ "$(cksum < $SB)" != "$sum" ]; then
		fail install_static "make install STATIC=1 changed ./show_bt"
	else
		pass install_static
	fi
else
	fail install_static "make install STATIC=1 failed (see stderr)"
fi

# ---- the static binary ----
if have musl-gcc; then
	size=$(wc -c < $STATIC)
	check static_musl_built "the stamp says '$(cat tests/build/static/.build-flags 2> /dev/null)', not musl-gcc" \
		grep -q '^musl-gcc ' tests/build/static/.build-flags
	check static_size "$STATIC is $size bytes, more than 200 KiB ($MAX_STATIC)" \
		test "$size" -le $MAX_STATIC
	if readelf -lW $STATIC | grep -q INTERP; then
		fail static_is_static "$STATIC has a program interpreter"
	elif grep -q GLIBC_ $STATIC; then
		fail static_is_static "$STATIC holds GLIBC_ strings: glibc, not musl"
	else
		pass static_is_static
	fi
	# Built apart from the unit tests' glibc: the option parser under musl.
	if musl-gcc -std=gnu11 -O2 -o "$B/test_options.musl" \
		tests/unit/test_options.c options.c msg.c numparse.c 2> "$T/cc"; then
		"$B/test_options.musl" > "$T/opts" 2>&1
		st=$?
		n=$(grep -c '^PASS' "$T/opts")
		f=$(grep -v '^PASS' "$T/opts" | head -3 | oneline)
		check static_options_musl "test_options under musl: exit $st, $n passed; $f" \
			test $st = 0 -a "$n" -gt 100 -a -z "$f"
	else
		fail static_options_musl "musl-gcc cannot build test_options: $(oneline < "$T/cc")"
	fi
	# numparse.c against musl's strtoul(), strtol() and strtod().
	if musl-gcc -std=gnu11 -O2 -o "$B/test_numparse.musl" \
		tests/unit/test_numparse.c numparse.c 2> "$T/cc"; then
		"$B/test_numparse.musl" > "$T/np" 2>&1
		st=$?
		n=$(grep -c '^PASS' "$T/np")
		f=$(grep -v '^PASS' "$T/np" | head -3 | oneline)
		check static_numparse_musl "test_numparse under musl: exit $st, $n passed; $f" \
			test $st = 0 -a "$n" -ge 7 -a -z "$f"
	else
		fail static_numparse_musl "musl-gcc cannot build test_numparse: $(oneline < "$T/cc")"
	fi
else
	fail static_musl_built "no musl-gcc: make deps (apt-get install musl-tools)"
fi
# What the static binary prints is what the dynamic one prints.
ok=1
for args in "--version" "--help" "--dump -p 1" "--dump -P -p 7 --depth 5" \
	    "-d 0 f" "f -D" "--bogus f"; do
	# shellcheck disable=SC2086
	$SB $args > "$T/a.out" 2> "$T/a.err"
	a=$?
	# shellcheck disable=SC2086
	$STATIC $args > "$T/b.out" 2> "$T/b.err"
	b=$?
	if [ $a != $b ] || ! cmp -s "$T/a.out" "$T/b.out" ||
	   ! cmp -s "$T/a.err" "$T/b.err"; then
		ok=0
		fail static_same_output "show_bt $args: exit $a/$b, stderr [$(oneline < "$T/a.err")] vs [$(oneline < "$T/b.err")]"
		break
	fi
done
[ $ok = 1 ] && pass static_same_output
# Without musl-gcc, make says how to get it and builds with glibc.
make -n HAVE_MUSL= tests/build/static/show_bt > "$T/n" 2>&1
if ! grep -q 'apt-get install musl-tools' "$T/n"; then
	fail static_without_musl "make without musl-gcc does not say 'apt-get install musl-tools': $(oneline < "$T/n")"
elif ! grep -q '^cc .*-static .*-o tests/build/static/show_bt' "$T/n" &&
     ! grep -q -- '-static .*-o tests/build/static/show_bt' "$T/n"; then
	fail static_without_musl "no glibc static build without musl-gcc: $(oneline < "$T/n")"
elif grep -q '^musl-gcc' "$T/n"; then
	fail static_without_musl "musl-gcc used when it is said to be missing"
else
	pass static_without_musl
fi

# ---- the arm64 static binary ----
# make test-bins-arm64: the cross gcc (kit.sh installs it) with Debian's
# arm64 musl (tests/vm/musl.sh fetches it); the arm64 VM suites run it.
A64=tests/build/static-arm64/show_bt
A64_MAX_STATIC=204800			# 200 KiB, as for x86 (issue 22)
A64_MAX_PAGE=65536			# RHEL's and others' arm64 kernels: 64 KiB pages
if make test-bins-arm64 >&2; then
	check arm64_static_musl_built "the stamp says '$(cat tests/build/static-arm64/.build-flags 2> /dev/null)', not the cross gcc with musl's specs" \
		grep -q '^aarch64-linux-gnu-gcc -specs [^ ]*/musl-gcc\.specs ' \
		tests/build/static-arm64/.build-flags
	# x86's 200 KiB (issue 22): 191,008 bytes once numparse.c replaced
	# scanf and strtod (whose float scanning did long double in software
	# on arm64); glibc's build is 800 KiB.
	size=$(wc -c < $A64)
	check arm64_static_size "$A64 is $size bytes, more than 200 KiB ($A64_MAX_STATIC)" \
		test "$size" -le $A64_MAX_STATIC
	readelf -hlW $A64 > "$T/a64" 2>&1
	if ! grep -q 'Machine: *AArch64' "$T/a64" ||
	   ! grep -q 'Type: *EXEC' "$T/a64"; then
		fail arm64_static_is_static "$A64 is no arm64 executable: $(oneline < "$T/a64")"
	elif grep -q INTERP "$T/a64"; then
		fail arm64_static_is_static "$A64 has a program interpreter"
	elif grep -q GLIBC_ $A64; then
		fail arm64_static_is_static "$A64 holds GLIBC_ strings: glibc, not musl"
	else
		pass arm64_static_is_static
	fi
	# The kernel maps each PT_LOAD from the page holding p_offset to the
	# page holding p_vaddr: with pages of 4, 16 or 64 KiB that needs
	# p_offset = p_vaddr modulo the page size, and the segments in pages
	# of their own.  All three hold when they hold for 64 KiB.
	why=$(awk -v P=$A64_MAX_PAGE '
	function hex(s,   i, n) {
		s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	function mod(a) { return a - int(a / P) * P }
	$1 == "LOAD" {
		off = hex($2); va = hex($3); mem = hex($6); al = hex($NF); n++
		if (al < P || mod(al) != 0)
			{ printf "LOAD %d: p_align %s, not a multiple of %d; ", n, $NF, P }
		if (mod(va) != mod(off))
			{ printf "LOAD %d: p_offset %s and p_vaddr %s differ modulo %d; ", n, $2, $3, P }
		if (n > 1 && int(va / P) <= last)
			{ printf "LOAD %d: starts in the %d-byte page where LOAD %d ends; ", n, P, n - 1 }
		last = int((va + mem - 1) / P)
	}
	END { if (n == 0) printf "no LOAD segment" }' "$T/a64")
	check arm64_static_64k_pages "$A64 cannot be mapped with $A64_MAX_PAGE-byte pages: $why" \
		test -z "$why"
else
	fail arm64_static_musl_built "make test-bins-arm64 failed (see stderr)"
fi
# Without musl for arm64, make says so loudly and builds with glibc.
make -n CROSS=aarch64-linux-gnu- HAVE_MUSL= tests/build/static-arm64/show_bt \
	> "$T/n" 2>&1
if ! grep -q 'WARNING: no musl for arm64' "$T/n"; then
	fail arm64_static_without_musl "make without arm64 musl gives no WARNING: $(oneline < "$T/n")"
elif ! grep -q '^aarch64-linux-gnu-gcc .*-static .*-o tests/build/static-arm64/show_bt' "$T/n" ||
     grep -q -- '-specs' "$T/n"; then
	fail arm64_static_without_musl "no plain glibc cross build without arm64 musl: $(oneline < "$T/n")"
else
	pass arm64_static_without_musl
fi

# ---- stackcount's names ----
# usage_error NAME ARGS WANT: show_bt ARGS exits 2 with WANT in its message.
usage_error() {
	# shellcheck disable=SC2086
	$SB $2 > /dev/null 2> "$T/err"
	st=$?
	if [ $st = 2 ] && grep -qF "$3" "$T/err"; then
		pass "$1"
	else
		fail "$1" "show_bt $2: exit $st, '$(oneline < "$T/err")', want 2 and '$3'"
	fi
}
usage_error alias_D "-D 0 f" "invalid duration '0'"
usage_error alias_v "-v" "no function given"
$SB --dump -p 1 -a -d 2 > "$T/a" 2>&1
$SB --dump -p 1 -v -D 2 > "$T/b" 2>&1
check alias_same_program "--dump with -v -D differs from -a -d" \
	cmp -s "$T/a" "$T/b"
m=
grep -q '^  -D SECONDS .*stackcount' "$T/help" || m="$m -D"
grep -q '^  -v  .*stackcount' "$T/help" || m="$m -v"
grep -q "stackcount's -s" "$T/help" || m="$m offsets(-s)"
check alias_help "--help does not name stackcount's spelling for:$m" \
	test -z "$m"

# ---- bash completion ----
if have bash; then
	mkdir -p "$T/proc/1" "$T/proc/42" "$T/proc/4242" "$T/proc/self" \
		"$T/files"
	: > "$T/files/prog.s"
	: > "$T/files/probe.txt"
	# comp WORD...: what _show_bt offers for the command line WORD...
	# (the last word is the one completed), one per line, sorted.
	comp() {
		SHOW_BT_COMP_FUNCTIONS=${CF-$FX/available_filter_functions} \
		SHOW_BT_COMP_BLACKLIST=$FX/blacklist \
		SHOW_BT_COMP_KALLSYMS=$FX/kallsyms \
		SHOW_BT_COMP_PROC=$T/proc \
		SHOW_BT_COMP_EVENTS=$T/events \
		bash --norc --noprofile -c '
			. completion/show_bt.bash || exit 1
			COMP_WORDS=("$@")
			COMP_CWORD=$(($# - 1))
			_show_bt
			printf "%s\n" "${COMPREPLY[@]}"' comp "$@" | sort
	}
	# want NAME WANT WORD...: the offers, space-separated, must be WANT.
	want() {
		name=$1 w=$2
		shift 2
		got=$(comp "$@" | tr '\n' ' ' | sed 's/ $//')
		check "completion_$name" "'$*' offers [$got], want [$w]" \
			test "$got" = "$w"
	}
	got=$(bash --norc --noprofile -c \
		'. completion/show_bt.bash && complete -p show_bt' 2>&1)
	check completion_registered "sourcing it registers [$got]" \
		test "$got" = "complete -F _show_bt show_bt"
	# Every option --help lists, and nothing else.
	cut -f1 "$T/help.tags" | sort -u > "$T/want"
	comp $SB - | sort -u > "$T/got"
	check completion_options "'-' offers [$(oneline < "$T/got")], --help has [$(oneline < "$T/want")]" \
		cmp -s "$T/want" "$T/got"
	want long_option "--depth" $SB --dep
	want functions "vfs_read vfs_write vfs_writev" $SB vfs_
	want functions_blacklisted "" $SB notify_d
	want functions_module "ext4_sync_file" $SB ext4_s
	want functions_after_flag "vfs_write vfs_writev" $SB -P vfs_wr
	want functions_after_value "vfs_write vfs_writev" $SB -d 2 vfs_wr
	want functions_after_double_dash "" $SB -- -
	want pattern "" $SB 'vfs_*'
	want offset "" $SB vfs_write+
	CF=$T/none want kallsyms_fallback \
		"vfs_clone.isra.0 vfs_fsync vfs_mod vfs_write" $SB vfs_
	CF=$T/none want kallsyms_text_only "" $SB data_
	# Tracepoints: bash splits t:sched:sch at each ':', and readline
	# replaces what follows the last one.
	mkdir -p "$T/events/sched/sched_switch" "$T/events/sched/sched_wakeup" \
		"$T/events/block/block_rq_issue"
	: > "$T/events/enable"
	want tracepoint_names "sched_switch sched_wakeup" $SB t : sched : sch
	want tracepoint_categories "block:block_rq_issue sched:sched_switch sched:sched_wakeup" $SB t :
	want tracepoint_category "sched:sched_switch sched:sched_wakeup" $SB t : s
	want tracepoint_long_prefix "sched_switch" $SB tracepoint : sched : sched_s
	want tracepoint_after_function "block_rq_issue" $SB vfs_write t : block : ''
	want tracepoint_pattern "" $SB t : sched : 'sch*'
	want pid "1 42 4242" $SB -p ''
	want pid_long "1 42 4242" $SB --pid ''
	want pid_equals "42 4242" $SB --pid = 4
	want pid_one_word "--pid=42 --pid=4242" $SB --pid=4
	want verifier_log "1 2" $SB --verifier-log = ''
	want file "$T/files/probe.txt $T/files/prog.s" $SB --prog "$T/files/pr"
	want json_stdout "-" $SB --json = -
	want duration_default "5" $SB -d ''
	# Options come from the --help of the show_bt being completed, now:
	# one that only this fake has is offered, with its PID values.
	cat > "$T/fake" <<-'EOF'
	#!/bin/sh
	printf '%s\n' 'Usage: fake' '' \
		'  -z, --frobnicate=PID    a new option' \
		'                          (continued)'
	EOF
	chmod +x "$T/fake"
	want follows_help "--frobnicate -z" "$T/fake" -
	want follows_help_values "1 42 4242" "$T/fake" -z ''
else
	fail completion_registered "no bash"
fi

[ $failed = 0 ]
