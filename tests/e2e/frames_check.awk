# tests/e2e/frames_check.awk: the verdicts of tests/e2e/frames.sh, from
# what show_bt and bpftrace saw of the same calls.  POSIX awk (mawk,
# busybox): no bit operations, numbers are doubles, so a 64-bit address is
# kept as 16 hex digits and computed on in two 32-bit halves.
#
# Input, one record a line, the first field saying what it is:
#   res ADDR KIND START NAME  what kallsyms has at ADDR (frames.sh's
#                             resolve step): KIND func, pad (__pfx_,
#                             __cfi_), marker (a section marker), nontext
#                             or none; START the address of the symbols
#                             that hold ADDR; NAME one of them
#   entry START END           a range of the kernel's entry code
#   sb COUNT ADDR|NAME...     a stack show_bt printed (-a), innermost first
#   sblost COUNT CAUSE        calls show_bt could not give a stack
#   sbcalls N                 show_bt's summary: N calls
#   bt COUNT ADDR|NAME...     a stack bpftrace printed (kstack(perf))
#   btlost COUNT              calls bpftrace gave no stack (its stack id
#                             was an error)
#   btn FUNC N                bpftrace's count of FUNC's calls
# Output: "pass NAME", "fail NAME WHY", "info TEXT" lines.
#
# The naming rule tested (README, "Reading the output"): frame 0 and a
# frame right after an entry frame (the frame before it is a return
# address inside the entry code: its address - 1 is there) are named by
# their own address; every
# other frame by address - 1, unless address - 1 is in padding, a section
# marker or no text symbol, where it is named by its own address.  A
# return trampoline's first byte (kretprobe_trampoline, return_to_handler,
# ...) is named by its own address too.
# bpftrace names every frame by its own address.  So the two must name
# the same function (compared by start address: address - offset) except
# where address - 1 is in a function other than the one at the address:
# there show_bt must name that function, a predicted difference.

function hexval(s,   i, v) {
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function hex8(x) {
	return sprintf("%04x%04x", int(x / 65536), x % 65536)
}
# ADDR (16 hex digits) - N, for 0 <= N < 2^32.
function asub(h, n,   hi, lo) {
	hi = hexval(substr(h, 1, 8))
	lo = hexval(substr(h, 9, 8)) - n
	while (lo < 0) {
		lo += 4294967296
		hi--
	}
	if (hi < 0)
		hi += 4294967296
	return hex8(hi) hex8(lo)
}
function pad16(h) {
	h = tolower(h)
	sub(/^0x/, "", h)
	while (length(h) < 16)
		h = "0" h
	return h
}

# 32-bit words, as the kernel's jhash2 (include/linux/jhash.h) mixes them.
function add32(a, b) { return (a + b) % 4294967296 }
function sub32(a, b) { return (a - b + 4294967296) % 4294967296 }
function rol32(x, k) {
	return (x * P2[k]) % 4294967296 + int(x / P2[32 - k])
}
function xor32(a, b,   r, m, i, x, y) {
	r = 0
	m = 1
	for (i = 0; i < 8; i++) {
		x = a % 16
		y = b % 16
		r += XT[x, y] * m
		a = (a - x) / 16
		b = (b - y) / 16
		m *= 16
	}
	return r
}
function jmix() {
	JA = sub32(JA, JC); JA = xor32(JA, rol32(JC, 4)); JC = add32(JC, JB)
	JB = sub32(JB, JA); JB = xor32(JB, rol32(JA, 6)); JA = add32(JA, JC)
	JC = sub32(JC, JB); JC = xor32(JC, rol32(JB, 8)); JB = add32(JB, JA)
	JA = sub32(JA, JC); JA = xor32(JA, rol32(JC, 16)); JC = add32(JC, JB)
	JB = sub32(JB, JA); JB = xor32(JB, rol32(JA, 19)); JA = add32(JA, JC)
	JC = sub32(JC, JB); JC = xor32(JC, rol32(JB, 4)); JB = add32(JB, JA)
}
function jfinal() {
	JC = xor32(JC, JB); JC = sub32(JC, rol32(JB, 14))
	JA = xor32(JA, JC); JA = sub32(JA, rol32(JC, 11))
	JB = xor32(JB, JA); JB = sub32(JB, rol32(JA, 25))
	JC = xor32(JC, JB); JC = sub32(JC, rol32(JB, 16))
	JA = xor32(JA, JC); JA = sub32(JA, rol32(JC, 4))
	JB = xor32(JB, JA); JB = sub32(JB, rol32(JA, 14))
	JC = xor32(JC, JB); JC = sub32(JC, rol32(JB, 24))
}
# The bucket of a stack (comma-separated addresses) in a stack-trace map
# of NB buckets: jhash2 over its frames as u32 words, low half first
# (x86-64 and arm64 are little-endian), seed 0 (kernel/bpf/stackmap.c).
function bucket(key, nb,   n, a, w, i, nw) {
	n = split(key, a, ",")
	nw = 0
	for (i = 1; i <= n; i++) {
		w[++nw] = hexval(substr(a[i], 9, 8))
		w[++nw] = hexval(substr(a[i], 1, 8))
	}
	JA = JB = JC = (3735928559 + nw * 4) % 4294967296
	i = 1
	while (nw > 3) {
		JA = add32(JA, w[i]); JB = add32(JB, w[i + 1]); JC = add32(JC, w[i + 2])
		jmix()
		nw -= 3
		i += 3
	}
	if (nw == 3) JC = add32(JC, w[i + 2])
	if (nw >= 2) JB = add32(JB, w[i + 1])
	if (nw >= 1) {
		JA = add32(JA, w[i])
		jfinal()
	}
	return JC % nb
}

# name+0xOFF (show_bt, hex) or name+OFF (bpftrace, decimal): the offset,
# -1 if there is none.
function offset_of(name,   o) {
	if (name !~ /\+(0x[0-9a-f]+|[0-9]+)$/)
		return -1
	o = name
	sub(/.*\+/, "", o)
	if (o ~ /^0x/)
		return hexval(substr(o, 3))
	return o + 0
}
function fname(name) {
	sub(/\+[0-9a-fx]+$/, "", name)
	return name
}
# The start of the function a tool named: its address - its offset.
function start_of(addr, name,   o) {
	o = offset_of(name)
	return o < 0 ? "?" : asub(addr, o)
}
function in_entry(addr,   i) {
	for (i = 1; i <= NENT; i++)
		if (addr >= ENTS[i] && addr < ENTE[i])
			return 1
	return 0
}

# One stack's context, from its function names, innermost first: the
# first softirq runner, or the first frame in the entry code (a syscall,
# an interrupt or an exception), page-fault handlers seen on the way.
function context(key,   n, a, i, nm, fault) {
	n = split(key, a, ",")
	fault = 0
	for (i = 2; i <= n; i++) {
		nm = fname(NAME[a[i]])
		if (nm ~ /^(__do_softirq|__softirqentry_text_start|handle_softirqs|do_softirq|run_ksoftirqd)$/)
			return "softirq"
		if (nm ~ /page_fault|mem_abort|translation_fault/)
			fault = 1
		if (in_entry(a[i])) {
			if (fault)
				return "pagefault"
			if (nm ~ /SYSCALL|syscall|system_call|SYSENTER|INT80|el0t_64_sync|el0_svc|ret_from_fork/)
				return "process"
			return "hardirq"
		}
	}
	return fault ? "pagefault" : "process"
}

function example(kind, text) {
	if (NEX[kind]++ < 5)
		EX[kind] = EX[kind] (EX[kind] == "" ? "" : "; ") text
}

BEGIN {
	P2[0] = 1
	for (i = 1; i <= 32; i++)
		P2[i] = P2[i - 1] * 2
	for (x = 0; x < 16; x++)
		for (y = 0; y < 16; y++) {
			r = 0
			for (i = 0; i < 4; i++)
				if ((int(x / P2[i]) % 2) != (int(y / P2[i]) % 2))
					r += P2[i]
			XT[x, y] = r
		}
	NENT = 0
}

# ADDR|NAME fields $3.. into a key (addresses) and names.
function stack_key(   i, f, a, k) {
	k = ""
	for (i = 3; i <= NF; i++) {
		f = $i
		a = pad16(substr(f, 1, index(f, "|") - 1))
		k = k (k == "" ? "" : ",") a
		LASTNAME[i - 2] = substr(f, index(f, "|") + 1)
		LASTADDR[i - 2] = a
	}
	return k
}

$1 == "res" { KIND[$2] = $3; START[$2] = $4; RESNAME[$2] = $5; next }
$1 == "entry" { ENTS[++NENT] = $2; ENTE[NENT] = $3; next }
$1 == "sbcalls" { SBCALLS = $2; next }
$1 == "sblost" { SBLOST += $2; SBLOSTWHY = SBLOSTWHY " " $3 "=" $2; next }
$1 == "btlost" { BTLOST += $2; next }
$1 == "btn" { BTN[$2] = $3; BTTOTAL += $3; next }
$1 == "sb" || $1 == "bt" {
	k = stack_key()
	if ($1 == "sb") {
		if (k in SB)
			SBDUP++
		SB[k] += $2
		SBSUM += $2
		for (i = 1; i <= NF - 2; i++)
			SBNAME[k, i] = LASTNAME[i]
		SBN[k] = NF - 2
		f0 = fname(LASTNAME[1])
		SBF[f0] += $2
	} else {
		if (k in BT)
			BTDUP++
		BT[k] += $2
		BTSUM += $2
		for (i = 1; i <= NF - 2; i++)
			NAME[LASTADDR[i]] = LASTNAME[i]
	}
	next
}

END {
	# Totals: to the call, per function and in all.
	ok = 1
	why = ""
	if (SBLOST) {
		ok = 0
		why = why sprintf(" show_bt counted %d calls without a stack (%s);", SBLOST, SBLOSTWHY)
	}
	if (SBCALLS != SBSUM + SBLOST) {
		ok = 0
		why = why sprintf(" show_bt's summary says %d calls, its stacks hold %d;", SBCALLS, SBSUM)
	}
	if (BTTOTAL != BTSUM + BTLOST) {
		ok = 0
		why = why sprintf(" bpftrace counted %d calls, its stacks hold %d and %d failed stack ids;", BTTOTAL, BTSUM, BTLOST)
	}
	for (f in BTN)
		if (BTN[f] != SBF[f] + 0) {
			ok = 0
			why = why sprintf(" %s: bpftrace %d calls, show_bt %d;", f, BTN[f], SBF[f])
		}
	for (f in SBF)
		if (!(f in BTN)) {
			ok = 0
			why = why sprintf(" show_bt has %d calls of %s, bpftrace none;", SBF[f], f)
		}
	if (SBCALLS != BTTOTAL) {
		ok = 0
		why = why sprintf(" show_bt %d calls, bpftrace %d;", SBCALLS, BTTOTAL)
	}
	if (SBCALLS == 0) {
		ok = 0
		why = why " no call was traced;"
	}
	for (f in BTN)
		printf "info %s: %d calls (bpftrace %d)\n", f, SBF[f], BTN[f]
	if (ok)
		print "pass totals"
	else
		print "fail totals" why

	# The stacks, count for count.  A stack bpftrace lost to a collision
	# in its stack-trace map (128 Ki buckets in 0.17, no
	# BPF_F_REUSE_STACKID: the id is -EEXIST) is absent there: each
	# such stack must share a bucket with one bpftrace kept, and they must
	# add up to its failed ids.
	ok = 1
	why = ""
	nstk = 0
	for (k in SB)
		nstk++
	if (SBDUP || BTDUP) {
		ok = 0
		why = why sprintf(" a stack printed twice (show_bt %d, bpftrace %d);", SBDUP, BTDUP)
	}
	for (k in BT)
		if (!(k in SB)) {
			ok = 0
			example("btonly", BT[k] "x " k)
		} else if (BT[k] != SB[k]) {
			ok = 0
			example("count", "show_bt " SB[k] "x, bpftrace " BT[k] "x: " k)
		}
	missing = 0
	nmissing = 0
	for (k in SB)
		if (!(k in BT)) {
			missing += SB[k]
			nmissing++
			MISSING[k] = 1
		}
	if (nmissing) {
		for (k in BT)
			BUCKET[bucket(k, 131072)] = k
		for (k in MISSING) {
			b = bucket(k, 131072)
			if (!(b in BUCKET)) {
				ok = 0
				example("sbonly", SB[k] "x in bucket " b " (no stack of bpftrace's there): " k)
			} else
				printf "info bpftrace lost a stack to a collision in its stack map (bucket %d): %dx %s, whose bucket holds %s\n", b, SB[k], k, BUCKET[b]
		}
		if (missing != BTLOST) {
			ok = 0
			why = why sprintf(" show_bt has %d calls in %d stacks bpftrace has not, bpftrace %d failed stack ids;", missing, nmissing, BTLOST)
		}
	} else if (BTLOST) {
		ok = 0
		why = why sprintf(" bpftrace has %d failed stack ids but no stack of show_bt's is missing there;", BTLOST)
	}
	if (NEX["btonly"])
		why = why " bpftrace only (" NEX["btonly"] "): " EX["btonly"] ";"
	if (NEX["count"])
		why = why " counts differ (" NEX["count"] "): " EX["count"] ";"
	if (NEX["sbonly"])
		why = why " show_bt only (" NEX["sbonly"] "): " EX["sbonly"] ";"
	printf "info %d distinct stacks, %d calls; %d stacks (%d calls) lost by bpftrace to collisions\n", nstk, SBSUM, nmissing, missing
	if (ok)
		print "pass stacks"
	else
		print "fail stacks" why

	# Frame by frame.
	bad = 0
	compared = 0
	for (k in SB) {
		if (k in MISSING) {
			notcompared += SBN[k]
			continue
		}
		n = split(k, a, ",")
		ctx = context(k)
		CTXSTACKS[ctx]++
		for (f = 1; f <= n; f++) {
			A = a[f]
			sbn = SBNAME[k, f]
			btn = NAME[A]
			sbs = start_of(A, sbn)
			bts = start_of(A, btn)
			compared++
			CTXFRAMES[ctx]++
			rule = "own"
			if (f == 1)
				rule = "frame0"
			else if (KIND[A] == "func" && START[A] == A &&
				 RESNAME[A] ~ /^(__)?(kretprobe|arch_rethook|rethook)_trampoline$|^return_to_handler$/)
				rule = "trampoline"
			else if (in_entry(f == 2 ? a[1] : asub(a[f - 1], 1))) {
				rule = "after-entry"
				if (KIND[A] == "func" && START[A] == A) {
					AESTART[ctx]++
					AESTARTALL++
					example("ae", fname(NAME[a[f - 1]]) " then " btn)
				}
			} else {
				m1 = asub(A, 1)
				if (KIND[m1] == "func")
					rule = "minus1"
				else
					rule = "pad"
			}
			RULES[rule]++
			# The return address of a call the workload makes to a
			# function that never returns (do_exit), or of the 32-bit
			# entry's call to do_fast_syscall_32 (x86-64): where the
			# caller's code ends with that call, the return address
			# is the next symbol's first byte.
			if (f > 1 && fname(NAME[a[f - 1]]) ~ /^(do_exit|do_fast_syscall_32)$/) {
				site = fname(NAME[a[f - 1]])
				SITES[site]++
				if (rule == "minus1" && START[m1] != START[A])
					SITEAT[site] = "a symbol's first byte (" btn ")"
				else if (!(site in SITEAT))
					SITEAT[site] = btn
			}
			if (rule == "minus1" && START[m1] != START[A]) {
				# Predicted: show_bt names the function holding
				# address - 1, bpftrace the one at the address.
				PRED[ctx]++
				PREDALL++
				example("pred", "show_bt " sbn ", bpftrace " btn " at " A)
				if (sbs != START[m1]) {
					bad++
					example("bad", "predicted difference: at " A " show_bt " sbn " (start " sbs "), but address - 1 is in " RESNAME[m1] " (start " START[m1] "); bpftrace " btn)
				} else if (bts != START[A] && bts != A) {
					bad++
					example("bad", "predicted difference: at " A " bpftrace names " btn " (start " bts "), kallsyms has " RESNAME[A] " at " START[A])
				}
				continue
			}
			if (sbs == "?" || sbs != bts) {
				bad++
				example("bad", "frame " f - 1 " (" rule ") at " A ": show_bt " sbn ", bpftrace " btn "; address - 1 in " RESNAME[asub(A, 1)] " (" KIND[asub(A, 1)] ")")
			}
		}
	}
	printf "info %d frames compared in %d stacks (%d frames not: stacks bpftrace lost); frame 0: %d, after an entry frame: %d, by address - 1: %d, by address (address - 1 in padding, a marker or no text): %d\n", compared, nstk - nmissing, notcompared, RULES["frame0"], RULES["after-entry"], RULES["minus1"], RULES["pad"]
	for (c in CTXSTACKS)
		printf "info context %s: %d stacks, %d frames, %d frames after an entry frame at a function's first byte, %d predicted differences\n", c, CTXSTACKS[c], CTXFRAMES[c], AESTART[c], PRED[c]
	if (NEX["ae"])
		printf "info after an entry frame at a function's first byte (%d): %s\n", AESTARTALL, EX["ae"]
	if (NEX["pred"])
		printf "info predicted differences (%d): %s\n", PREDALL, EX["pred"]
	if (bad)
		printf "fail names %d frames named otherwise than the rule predicts: %s\n", bad, EX["bad"]
	else if (!compared)
		print "fail names no frame compared"
	else
		print "pass names"
	for (site in SITES)
		printf "info the calls to %s return to %s (%d frames)\n", site, SITEAT[site], SITES[site]

	# Return addresses at a symbol's first byte: there must be some,
	# unless every call of that kind the workload made returns inside
	# its caller (the compiler put padding after it).
	why = ""
	if (!("do_exit" in SITES))
		why = why " no stack through do_exit (the workload's exiting threads);"
	if (COMPAT > 0 && !("do_fast_syscall_32" in SITES))
		why = why " no stack through do_fast_syscall_32, though the workload made " COMPAT " 32-bit system calls;"
	if (ARCH == "x86_64" && COMPAT == 0)
		why = why " the workload made no 32-bit system call (see its output);"
	if (PREDALL)
		print "pass coverage_return"
	else if (why != "")
		print "fail coverage_return the workload did not produce a return address at a symbol's first byte:" why
	else {
		print "info no return address at a symbol's first byte: on this kernel each call of that kind the workload makes is followed by more of its caller"
		print "pass coverage_return"
	}
	printf "counts aestart %d pred %d\n", AESTARTALL, PREDALL
}
