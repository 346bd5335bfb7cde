# bash completion for show_bt(8)                         -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0
#
# Installed by `make install` as share/bash-completion/completions/show_bt,
# where bash-completion loads it on first use; or source it by hand.
#
# Options, and what their values can be, are read from `show_bt --help` each
# time, so they cannot go stale: every option line of --help ("  -d,
# --duration=SECONDS  ...") gives its names and its value's placeholder.
# PID completes to process ids, FILE to file names (and "-" where the help
# says "FILE - is stdout"), a value whose help says "A or B" to those, any
# other to the default the help names, if any.
#
# FUNCTION completes to what show_bt can trace: the names in ftrace's
# available_filter_functions less the kprobe blacklist, where they can be
# read (as root); else the text symbols (t, T) of /proc/kallsyms, which
# anyone can read.  Patterns, NAME+OFFSET and NAME@ADDR are left alone.
# t:CATEGORY:NAME (or tracepoint:...) completes to the tracepoints in
# tracefs' events directory.
#
# Environment, for tests (see show_bt(8)): these name other files to read.
#   SHOW_BT_COMP_FUNCTIONS  instead of .../tracing/available_filter_functions
#   SHOW_BT_COMP_BLACKLIST  instead of /sys/kernel/debug/kprobes/blacklist
#   SHOW_BT_COMP_KALLSYMS   instead of /proc/kallsyms
#   SHOW_BT_COMP_PROC       instead of /proc (its numbered entries are pids)
#   SHOW_BT_COMP_EVENTS     instead of /sys/kernel/tracing/events

# The --help of the show_bt being completed: the word typed, else the one in
# PATH, else where `make install` puts it (sbin is not in every user's PATH).
_show_bt_help()
{
	local prog=$1 p

	[[ $prog == "~"/* ]] && prog=$HOME/${prog#"~"/}
	for p in "$prog" show_bt /usr/local/sbin/show_bt /usr/sbin/show_bt \
		 /sbin/show_bt; do
		"$p" --help 2> /dev/null && return
	done
	return 1
}

# The option lines of --help, one per option name:
#   NAME <tab> none|required|optional <tab> PLACEHOLDER <tab> VALUES
# VALUES: @pid, @file (with "-" after it when FILE - is stdout), or words.
_show_bt_options()
{
	awk '
	function flush(	n, part, i, ph, kind, w, vals, name, m) {
		if (tag == "")
			return
		ph = ""
		kind = "none"
		n = split(tag, part, /, /)
		for (i = 1; i <= n; i++) {
			if (match(part[i], /\[=[^]]*\]$/)) {
				ph = substr(part[i], RSTART + 2, RLENGTH - 3)
				kind = "optional"
			} else if (match(part[i], /[= ][^= ]+$/)) {
				ph = substr(part[i], RSTART + 1)
				kind = "required"
			}
		}
		vals = ""
		if (ph == "PID") {
			vals = "@pid"
		} else if (ph == "FILE") {
			vals = "@file"
			if (desc ~ /FILE - /)
				vals = vals " -"
		} else if (ph != "" && match(desc, /[0-9]+ or [0-9]+/)) {
			m = substr(desc, RSTART, RLENGTH)
			sub(/ or /, " ", m)
			vals = m
		} else if (ph != "" && match(desc, /default [0-9.]+/)) {
			vals = substr(desc, RSTART + 8, RLENGTH - 8)
		}
		for (i = 1; i <= n; i++) {
			name = part[i]
			sub(/[[= ].*/, "", name)
			printf "%s\t%s\t%s\t%s\n", name, kind, ph, vals
		}
		tag = ""
	}
	/^[ \t]+-/ {
		flush()
		line = $0
		sub(/^[ \t]+/, "", line)
		if (match(line, /   */)) {
			tag = substr(line, 1, RSTART - 1)
			desc = substr(line, RSTART + RLENGTH)
		} else {
			tag = line
			desc = ""
		}
		next
	}
	/^[ \t][ \t][ \t][ \t][ \t][ \t][ \t][ \t]/ && tag != "" {
		line = $0
		sub(/^[ \t]+/, "", line)
		desc = desc " " line
		next
	}
	{ flush() }
	END { flush() }'
}

# Traceable function names that start with $1.
_show_bt_functions()
{
	local cur=$1 f list='' black='' syms

	if [[ -n ${SHOW_BT_COMP_FUNCTIONS-} ]]; then
		[[ -r $SHOW_BT_COMP_FUNCTIONS ]] && list=$SHOW_BT_COMP_FUNCTIONS
	else
		for f in /sys/kernel/tracing/available_filter_functions \
			 /sys/kernel/debug/tracing/available_filter_functions; do
			[[ -r $f ]] && { list=$f; break; }
		done
	fi
	f=${SHOW_BT_COMP_BLACKLIST-/sys/kernel/debug/kprobes/blacklist}
	[[ -r $f ]] && black=$f
	syms=${SHOW_BT_COMP_KALLSYMS-/proc/kallsyms}

	if [[ -n $list ]]; then
		# "name" or "name [module]"; the blacklist: "0xSTART-0xEND name".
		awk -v cur="$cur" -v black="$black" '
		BEGIN {
			while (black != "" && (getline l < black) > 0) {
				split(l, w, /[ \t]+/)
				bl[w[2]] = 1
			}
		}
		index($1, cur) == 1 && !($1 in bl) && !seen[$1]++ { print $1 }
		' "$list" 2> /dev/null
	elif [[ -r $syms ]]; then
		# "address type name [module]": text symbols, less the padding
		# and CFI stubs before functions, which are no functions.
		awk -v cur="$cur" '
		($2 == "t" || $2 == "T") && index($3, cur) == 1 &&
		$3 !~ /^__(pfx|cfi)_/ && !seen[$3]++ { print $3 }
		' "$syms" 2> /dev/null
	fi
}

# Tracepoints whose "PREFIX:CATEGORY:NAME" starts with $1 (PREFIX t or
# tracepoint, as $1 has it), from tracefs' events directory.
_show_bt_tracepoints()
{
	local tok=$1 pre=${1%%:*} dir='' d e cat

	if [[ -n ${SHOW_BT_COMP_EVENTS-} ]]; then
		dir=$SHOW_BT_COMP_EVENTS
	else
		for d in /sys/kernel/tracing/events \
			 /sys/kernel/debug/tracing/events; do
			[[ -d $d ]] && { dir=$d; break; }
		done
	fi
	[[ -d $dir ]] || return 0
	for e in "$dir"/*/*/; do
		e=${e%/}
		cat=${e%/*}
		cat=${cat##*/}
		[[ $pre:$cat:${e##*/} == "$tok"* ]] && echo "$pre:$cat:${e##*/}"
	done
}

# The whole argument being completed: bash splits "t:sched:sch" at each
# ':' (COMP_WORDBREAKS), into "t" ":" "sched" ":" "sch".
_show_bt_colon_word()
{
	local tok=${COMP_WORDS[COMP_CWORD]} i=$COMP_CWORD

	while ((i > 1)) && [[ ${COMP_WORDS[i - 1]} == *: || $tok == :* ]]; do
		tok=${COMP_WORDS[i - 1]}$tok
		((i--))
	done
	echo "$tok"
}

_show_bt()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' prev2='' specs opt='' val=''
	local prefix='' kind='' vals='' i p
	local -a words

	COMPREPLY=()
	((COMP_CWORD >= 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	((COMP_CWORD >= 2)) && prev2=${COMP_WORDS[COMP_CWORD - 2]}
	specs=$(_show_bt_help "${COMP_WORDS[0]}" | _show_bt_options)

	# The value of an option: "--pid=12" is one word, or three ("--pid",
	# "=", "12") when '=' breaks words, as it does by default.
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*} val=${cur#*=} prefix=$opt=
	elif [[ $cur == = && $prev == --* ]]; then
		opt=$prev
	elif [[ $prev == = && $prev2 == --* ]]; then
		opt=$prev2 val=$cur
	elif [[ $prev == -* ]]; then
		# "-d 5", "--pid 12": only when the option requires a value.
		kind=$(awk -F '\t' -v o="$prev" '$1 == o { print $2 }' \
			<<< "$specs")
		[[ $kind == required ]] && opt=$prev val=$cur
	fi
	if [[ -n $opt ]]; then
		vals=$(awk -F '\t' -v o="$opt" '$1 == o { print $4; exit }' \
			<<< "$specs")
		words=()
		for p in $vals; do
			case $p in
			@pid)
				for i in "${SHOW_BT_COMP_PROC-/proc}"/[0-9]*; do
					[[ -e $i ]] && words+=("${i##*/}")
				done
				;;
			@file)
				compopt -o filenames 2> /dev/null
				while IFS= read -r i; do
					COMPREPLY+=("$prefix$i")
				done < <(compgen -f -- "$val")
				;;
			*)
				words+=("$p")
				;;
			esac
		done
		for i in "${words[@]}"; do
			[[ $i == "$val"* ]] && COMPREPLY+=("$prefix$i")
		done
		return 0
	fi

	# After "--" every word is a FUNCTION.
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] && break
	done
	if [[ $cur == -* ]] && ((i == COMP_CWORD)); then
		while IFS= read -r i; do
			COMPREPLY+=("$i")
		done < <(compgen -W "$(cut -f1 <<< "$specs")" -- "$cur")
		return 0
	fi

	# A tracepoint: readline replaces only what follows the last ':'.
	p=$(_show_bt_colon_word)
	if [[ $p == t:* || $p == tracepoint:* ]]; then
		[[ $p == *[][*?]* ]] && return 0
		i=${p%"${p##*:}"}
		[[ $COMP_WORDBREAKS == *:* ]] || i=''
		while IFS= read -r val; do
			COMPREPLY+=("${val#"$i"}")
		done < <(_show_bt_tracepoints "$p")
		return 0
	fi

	# A pattern, NAME+OFFSET or NAME@ADDR: nothing to offer.
	[[ $cur == *[][*?+@]* ]] && return 0
	while IFS= read -r i; do
		COMPREPLY+=("$i")
	done < <(_show_bt_functions "$cur")
	return 0
}

complete -F _show_bt show_bt
