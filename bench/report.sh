#!/bin/sh
# bench/report.sh HOST.txt RAW.txt...: the markdown table of make bench,
# from bench.sh's host facts and guest.sh's RES lines (one RAW file per
# kernel). Every figure is the median over the rounds with its spread,
# "±" half the range of the per-round values (from 5 rounds on, without the
# lowest and the highest: one run that the host starved of CPU must not
# unsettle everything); a ratio is taken within each
# round (both runs in the same stretch of the guest's speed), then its
# median and spread. A verdict is "met" or "MISSED" only when the spread
# is within the margin between the median and the target, else "not
# settled".
set -eu
[ $# -ge 1 ] || { echo "usage: $0 HOST.txt RAW.txt..." >&2; exit 2; }

awk '
function num(x) { return x != "" && x != "-" }
function sortv(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) a[i] += 0
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# stat over v[1..n]: sets M (median), S (half range, from 5 values on
# without the extremes), N.
function stat(v, n,   i) {
	N = n
	if (!n) { M = S = ""; return }
	sortv(v, n)
	M = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	S = n >= 5 ? (v[n - 1] - v[2]) / 2 : (v[n] - v[1]) / 2
}
# Statistics of metric m of configuration c on kernel k.
function cstat(k, c, m,   r, n, v) {
	n = 0
	for (r = 1; r <= maxr[k]; r++)
		if ((k, c, m, r) in val) v[++n] = val[k, c, m, r]
	stat(v, n)
}
# Per-round ratio of metric m: c1 / c2 (m2: metric of c2, default m).
function rstat(k, c1, c2, m, m2,   r, n, v, a, b) {
	if (m2 == "") m2 = m
	n = 0
	for (r = 1; r <= maxr[k]; r++) {
		if (!((k, c1, m, r) in val) || !((k, c2, m2, r) in val)) continue
		a = val[k, c1, m, r]; b = val[k, c2, m2, r]
		if (b > 0) v[++n] = a / b
	}
	stat(v, n)
}
function cell(scale, digits,   s) {
	if (M == "") return "–"
	s = sprintf("%." digits "f ±%." digits "f", M * scale, S * scale)
	if (N != rounds) s = s " (n=" N ")"
	return s
}
function verdict(target, dir,   ok, margin) {
	if (M == "") return "not measured"
	ok = dir == "le" ? M <= target : M >= target
	margin = M > target ? M - target : target - M
	if (N < 2) return "not settled (1 run)"
	if (S > margin) return "not settled (spread " sprintf("%.2f", S) " > margin " sprintf("%.2f", margin) ")"
	return ok ? "met" : "**MISSED**"
}
# A target row that cannot be measured here, and why.
function nrow(what, tshow, why) {
	printf "| %s | %s | – | %s |\n", what, tshow, why
}
# why: the reason printed after a miss.
function trow(what, target, dir, tshow, why,   v) {
	v = verdict(target, dir)
	if (why != "" && v ~ /MISSED/) v = v ": " why
	printf "| %s | %s | %s | %s |\n", what, tshow, M == "" ? "–" : sprintf("%.2f ±%.2f%s", M, S, N != rounds ? " (n=" N ")" : ""), v
}

FNR == 1 { k = ""; if (FILENAME != ARGV[1]) nk++ }
/^INFO / {
	line = substr($0, 6)
	key = substr(line, 1, index(line, "=") - 1)
	v = substr(line, index(line, "=") + 1)
	if (FILENAME == ARGV[1]) { host[key] = v; next }
	if (key == "kernel") { kname[nk] = v }
	if (key == "arch" && v == "aarch64") { arm[nk] = 1; narm++ }
	info[nk, key] = v
	if (key == "missing") miss[nk] = miss[nk] "\n- " v
	next
}
/^LOG / { logs[nk] = logs[nk] "\n    " substr($0, 5); next }
/^RES / {
	delete f
	for (i = 2; i <= NF; i++) {
		e = index($i, "=")
		f[substr($i, 1, e - 1)] = substr($i, e + 1)
	}
	c = f["cfg"]; r = f["round"] + 0
	if (r > maxr[nk]) maxr[nk] = r
	if (f["status"] + 0 != 0) { bad[nk] = bad[nk] "\n- " c " round " r ": status " f["status"]; next }
	if (num(f["startup"]))
		val[nk, c, "startup", r] = f["startup"] + 0
	else if (num(f["attached"]) && num(f["exec"]))
		val[nk, c, "startup", r] = f["attached"] - f["exec"]
	if (f["units_per_call"] + 0 > 0) {
		val[nk, c, "units", r] = f["units_per_call"] + 0
		spins[nk, ++nspin[nk]] = f["spin_ns"] + 0
	}
	we = num(f["kill"]) ? f["kill"] : f["window_end"]
	od = num(f["output_done"]) ? f["output_done"] : f["out_last"]
	if (num(we) && num(od) && f["stacks"] + 0 > 0) val[nk, c, "out", r] = od - we
	if (num(we) && num(f["exit"])) val[nk, c, "detach", r] = f["exit"] - we
	if (f["maxrss_kb"] + 0 > 0) val[nk, c, "rss", r] = f["maxrss_kb"] + 0
	if (f["stacks"] != "") val[nk, c, "stacks", r] = f["stacks"] + 0
	if (num(f["funcs"])) val[nk, c, "funcs", r] = f["funcs"] + 0
	seen[nk, c] = 1
}
END {
	# Costs in spin iterations (see trial.c), turned into ns at the
	# median guest speed of the kernel: the speed of the moment cancels.
	ncs = split("nothing floor_empty floor_stackid sb_A sb_A_multi bt_A sc_A sb_TP bt_TP sb_P bt_P sb_T bt_T", cs, " ")
	for (k = 1; k <= nk; k++) {
		delete sv
		for (i = 1; i <= nspin[k]; i++) sv[i] = spins[k, i]
		stat(sv, nspin[k])
		spin_ref[k] = M
		for (r = 1; r <= maxr[k]; r++)
			for (i = 1; i <= ncs; i++) {
				if (!((k, cs[i], "units", r) in val)) continue
				val[k, cs[i], "nspc", r] = val[k, cs[i], "units", r] * spin_ref[k]
				if ((k, "nothing", "units", r) in val && i > 1)
					val[k, cs[i], "added", r] = (val[k, cs[i], "units", r] - val[k, "nothing", "units", r]) * spin_ref[k]
			}
	}

	print "# show_bt benchmarks"
	print ""
	print "Written by `make bench` (bench/bench.sh); do not edit by hand."
	print ""
	printf "- Date: %s\n", info[1, "date"]
	printf "- Host CPU: %s (%s cores), host kernel %s\n", host["host_cpu"], host["host_cpus"], host["host_kernel"]
	for (k = 1; k <= nk; k++)
		printf "- Measured on kernel %s, CPU: %s (%s CPU%s)\n", kname[k], info[k, "guest_cpu"], info[k, "guest_cpus"], info[k, "guest_cpus"] == 1 ? "" : "s"
	# The x86 emulator line as ever, unless the arm64 guest is all
	# that ran (its own line follows).
	if (host["qemu"] != "" && (narm < nk || !nk)) printf "- Emulator: %s, TCG (software emulation, single-threaded), one guest per kernel, both at once\n", host["qemu"]
	if (narm) printf "- Emulator for arm64: qemu-system-aarch64, %s, `-M virt -cpu max,pauth-impdef=on`, TCG (software emulation, single-threaded)%s\n", host["qemu_arm64"], narm < nk ? ", at once with the x86 guests" : ""
	printf "- Product: %s, built `%s -static -O2`; other tracers: %s, %s\n", host["commit"], host["cc"], info[1, "bpftrace"] != "" ? info[1, "bpftrace"] : "bpftrace not measured", info[1, "stackcount"] != "" ? "stackcount from " info[1, "stackcount"] : "stackcount not measured"
	if (narm) printf "- arm64: show_bt, trial and floor built `%s -static -O2` (its glibc, as on x86), run in tests/vm/kit.sh'"'"'s arm64 bookworm root, whose bpftrace is measured (no bcc there)\n", host["cc_arm64"]
	printf "- `make bench` took %d min %d s; host load average (1 min) %s at the start, %s at the end (other work on the host slows the guests and widens the spreads)\n", host["wall_s"] / 60, host["wall_s"] % 60, host["load_start"], host["load_end"]
	print ""
	print "How to read: each figure is the median over the rounds, ± half the range of the"
	print "per-round values (from 5 rounds on, without the lowest and the highest value)."
	print "The configurations ran round robin inside one guest per kernel,"
	print "each round in a rotated order, so that the emulated CPU'"'"'s speed drift (10-20 %"
	print "from minute to minute, more when the host is busy) hits them alike; ratios are"
	print "taken within each round, then their median and spread. A target is *met* or"
	print "**MISSED** only when the spread is within the margin between the median and"
	print "the target; otherwise it is *not settled*. Times under emulation are 10-50x"
	print "native ones; the ratios are what carries over."
	print ""
	print "Sizes (host build, bytes; 1 KiB = 1024 B):"
	print ""
	print "| build | as built | stripped | target | verdict |"
	print "| --- | ---: | ---: | --- | --- |"
	g = host["size_glibc"]; gs = host["size_glibc_stripped"]
	printf "| glibc, `cc -static -O2` (the one measured below) | %d (%.0f KiB) | %d (%.0f KiB) | – | – |\n", g, g / 1024, gs, gs / 1024
	go = host["size_glibc_os"]
	if (go ~ /^[0-9]+$/)
		printf "| glibc, `cc -static -Os -s` (`make static` without musl) | | %d (%.0f KiB) | ≤ 1 MiB | %s |\n", go, go / 1024, go + 0 <= 1048576 ? "met" : "**MISSED**"
	mu = host["size_musl"]; ms = host["size_musl_stripped"]
	if (mu ~ /^[0-9]+$/)
		printf "| musl, `musl-gcc -static -O2` | %d (%.0f KiB) | %d (%.0f KiB) | – | – |\n", mu, mu / 1024, ms, ms / 1024
	else
		printf "| musl | %s | | | not measured |\n", mu
	mo = host["size_musl_os"]
	if (mo ~ /^[0-9]+$/)
		printf "| musl, `make static` (what ships: `musl-gcc -static -Os -s`, no unwind tables) | | %d (%.0f KiB) | ≤ 200 KiB | %s |\n", mo, mo / 1024, mo + 0 <= 204800 ? "met" : "**MISSED**"
	else
		printf "| musl, `make static` (what ships) | | | ≤ 200 KiB | not measured |\n"
	ma = host["size_musl_arm64"]
	if (ma ~ /^[0-9]+$/)
		printf "| arm64 musl, `make CROSS=aarch64-linux-gnu-` (what ships for arm64) | | %d (%.0f KiB) | ≤ 200 KiB | %s |\n", ma, ma / 1024, ma + 0 <= 204800 ? "met" : "**MISSED**"
	else
		printf "| arm64 musl, `make CROSS=aarch64-linux-gnu-` | %s | | ≤ 200 KiB | not measured |\n", ma
	if (host["size_os_commit"] != "")
		printf "\nThe `-Os -s` rows were built at %s, after the measured run.\n", host["size_os_commit"]
	print ""
	print "musl-gcc is given the kernel'"'"'s uapi headers alone (a directory with links to"
	print "/usr/include/linux, /usr/include/asm-generic and /usr/include/x86_64-linux-gnu/asm):"
	print "`-I/usr/include -I/usr/include/x86_64-linux-gnu` brings glibc'"'"'s headers in and fails."

	for (k = 1; k <= nk; k++) {
		rounds = info[k, "rounds"]
		srounds = info[k, "srounds"]
		print ""
		printf "## Kernel %s\n\n", kname[k]
		# On arm64 the function rows are the frames path'"'"'s: say so
		# where they are read, and in their labels.
		on = arm[k] ? " on arm64" : ""
		if (arm[k]) {
			print "arm64: show_bt takes every function-entry stack by its frames: its program puts x30, the return address into the caller that the prologue has not saved yet, in as frame 1 (a stack id would lack that caller), so its function rows here compare the frames path (bpf_get_stack() and a hash lookup keyed by the frames) with the floor'"'"'s and bpftrace'"'"'s bpf_get_stackid(), like the tracepoint, -P and -T rows."
			print ""
		}
		printf "%s rounds of the startup and cost runs (%s 1-byte write(2)s to /dev/null each, traced at %s), %s rounds of the many-stacks and wildcard runs, %s of stackcount, %s of the 1000-function attach; `--stack-slots 1` once. show_bt'"'"'s perf path here: `--attach %s`.\n", rounds, info[k, "calls"], info[k, "func"], srounds, info[k, "sc_rounds"], info[k, "big"], info[k, "perf_attach"]
		multi = info[k, "multi"] == 1
		perf_vs_multi = "bpftrace puts the functions on one kprobe_multi link here, as show_bt does by default for several functions (the kprobe_multi rows); this path makes a perf kprobe of each function, and the kernel arms each with an ftrace update of its own and, on close, waits an RCU grace period for each"
		perf_vs_perf = "both make a perf kprobe of each function here, and the kernel arms and disarms each with an ftrace update of its own, and waits RCU grace periods on each close; show_bt closes from 8 threads, which share those waits (in the 6.1 guest, 697 functions: detach 34 s closed one by one, 17 s from 8 threads)"
		startup_why = "the minimal loader creates no map; show_bt needs a stack map, and the kernel preallocates and zeroes it at creation (1024 slots of 127 frames, 1 MiB: about 4 ms of these guests'"'"' startup, measured with --stack-slots 1; the stack-id floor creates the same map, see the next row); its other maps cost under 2 ms together (--max-stacks 16 for the frames map changed nothing measurable), and its option and kernel checks about 1.5 ms. Phases in the 6.1 guest, median of 10 runs, exec to: main 4 ms (both), maps 12 ms, program loaded 15 ms (loader 7 ms), probe enabled 29 ms (loader 21 ms): the kprobe itself, about 14 ms, is the same for both. A smaller default stack map would trade collisions (counted exactly, but by the slower frames path) for 3 ms."
		cost_why = arm[k] ? "every arm64 function-entry stack goes by its frames (x30 put in as frame 1): bpf_get_stack() into per-CPU scratch and a hash lookup keyed by the 1 KiB of frames, where the floor and bpftrace take a stack id" : "show_bt'"'"'s program does more a call than the floor'"'"'s lone bpf_get_stackid(): the gate and the count (two array lookups, which the kernel inlines), bpf_get_current_pid_tgid() for the filter that leaves show_bt'"'"'s own calls out, an atomic add: about 25 instructions on the path of a stored stack; its calls are timed once its copy of /proc/kallsyms is made (trial -a), so the copy is not in them"
		tp_why = "a tracepoint'"'"'s stack goes by its frames (a stack id cannot carry its tag): bpf_get_stack() into per-CPU scratch and a hash lookup keyed by the 1 KiB of frames, where bpftrace takes a stack id and keys a hash by it"
		frames_why = "keyed by process or thread, every stack goes by its frames: bpf_get_stack() and a hash lookup keyed by the 1 KiB of frames, where bpftrace takes a stack id and keys a hash by it and the id"
		nomulti = "not available on this kernel (no kprobe_multi links)"
		nobcc = "not measured: no bcc on the arm64 root"
		if (info[k, "sc_rounds"] == 0 && info[k, "stackcount"] != "")
			miss[k] = miss[k] "\n- stackcount: BENCH_SC_ROUNDS=0"
		if (info[k, "big"] == 0)
			miss[k] = miss[k] "\n- the 1000-function attach: BENCH_BIG=0"
		if (!multi)
			miss[k] = miss[k] "\n- show_bt'"'"'s kprobe_multi path (`--attach multi`): " nomulti
		# (arm64 has no stackcount at all: its own line says so.)
		if (!arm[k])
			miss[k] = miss[k] "\n- stackcount at ~100 and ~2,000 stacks: left out to keep make bench short (each stackcount run costs 1-2 minutes under emulation)"
		if (miss[k] != "") printf "\nNot measured:%s\n", miss[k]
		if (bad[k] != "") printf "\nFailed runs (left out):%s\n", bad[k]

		print ""
		print "### Targets"
		print ""
		print "| figure | target | median ±spread | verdict |"
		print "| --- | --- | --- | --- |"
		rstat(k, "sb_A_1k", "minload", "startup")
		trow("startup: show_bt / minimal loader", 1.25, "le", "≤ 1.25", startup_why)
		rstat(k, "sb_A_1k", "stackid_load", "startup")
		trow("(startup: show_bt / stack-id floor, which creates the same stack map)", 1.25, "le", "(≤ 1.25)")
		rstat(k, "bt_A", "sb_A", "startup")
		trow("startup: bpftrace / show_bt", 15, "ge", "≥ 15")
		rstat(k, "sb_A", "floor_stackid", "added")
		trow("added cost per call" on ": show_bt (perf kprobe) / stack-id floor", 1.10, "le", "≤ 1.10", cost_why)
		if (multi) {
			rstat(k, "sb_A_multi", "floor_stackid", "added")
			trow("added cost per call" on ": show_bt (kprobe_multi) / stack-id floor", 1.10, "le", "≤ 1.10", cost_why)
		} else
			nrow("added cost per call" on ": show_bt (kprobe_multi) / stack-id floor", "≤ 1.10", nomulti)
		rstat(k, "sb_A", "bt_A", "added")
		trow("added cost per call" on ": show_bt / bpftrace", 1, "le", "≤ 1", cost_why)
		rstat(k, "sb_A", "sc_A", "added")
		if (arm[k] && M == "")
			nrow("added cost per call" on ": show_bt / stackcount", "≤ 1", nobcc)
		else
			trow("added cost per call" on ": show_bt / stackcount", 1, "le", "≤ 1")
		rstat(k, "sb_TP", "bt_TP", "added")
		trow("added cost per call" on ", a tracepoint (raw_syscalls:sys_enter): show_bt / bpftrace", 1, "le", "≤ 1", tp_why)
		rstat(k, "sb_P", "bt_P", "added")
		trow("added cost per call" on ", -P (bpftrace: @[pid, kstack]): show_bt / bpftrace", 1, "le", "≤ 1", frames_why)
		rstat(k, "sb_T", "bt_T", "added")
		trow("added cost per call" on ", -T (bpftrace: @[tid, kstack]): show_bt / bpftrace", 1, "le", "≤ 1", frames_why)
		split("A S100 S2000", sz, " ")
		split("~1 stack|~100 stacks|~2,000 stacks", szn, "|")
		for (i = 1; i <= 3; i++) {
			rstat(k, "sb_" sz[i], "bt_" sz[i], "out")
			if (i == 1)
				trow("window end → last line, ~1 stack (5 s window): show_bt / bpftrace", 0.5, "le", "≤ 0.5")
			else
				trow("window end → last line, " szn[i] ": show_bt / bpftrace", 1, "le", "≤ 1")
		}
		split("perf kprobes|kprobe_multi", pn, "|")
		split("perf multi", pc, " ")
		for (j = 100; j <= 1000; j *= 10)
			for (w = 1; w <= 2; w++)
				for (i = 1; i <= 2; i++) {
					what = sprintf("%s, %d functions, %s: show_bt / bpftrace", w == 1 ? "attach" : "detach", j, pn[i])
					if (i == 2 && !multi) {
						nrow(what, "≤ 1", nomulti)
						continue
					}
					rstat(k, "sb_W" j "_" pc[i], "bt_W" j, w == 1 ? "startup" : "detach")
					trow(what, 1, "le", "≤ 1", i == 2 ? "" : multi ? perf_vs_multi : perf_vs_perf)
				}
		for (i = 1; i <= 3; i += 2) {
			rstat(k, "sb_" sz[i], "sc_" sz[i], "out")
			if (arm[k] && M == "")
				nrow("window end → last line, " szn[i] ": show_bt / stackcount", "≤ 1", nobcc)
			else
				trow("window end → last line, " szn[i] ": show_bt / stackcount", 1, "le", "≤ 1")
		}
		# Growth: (time ratio) / (stacks ratio) per round, <= 1 is linear or better.
		delete gv; n = 0
		for (r = 1; r <= maxr[k]; r++)
			if ((k, "sb_S2000", "out", r) in val && (k, "sb_S100", "out", r) in val && val[k, "sb_S100", "stacks", r] > 0)
				gv[++n] = (val[k, "sb_S2000", "out", r] / val[k, "sb_S100", "out", r]) / (val[k, "sb_S2000", "stacks", r] / val[k, "sb_S100", "stacks", r])
		stat(gv, n)
		trow("show_bt output growth ~100 → ~2,000 stacks: time ratio / stacks ratio", 1, "le", "≤ 1 (linear)")
		delete gv; n = 0
		for (r = 1; r <= maxr[k]; r++)
			if ((k, "sb_S100", "out", r) in val && (k, "sb_A", "out", r) in val && val[k, "sb_A", "stacks", r] > 0)
				gv[++n] = (val[k, "sb_S100", "out", r] / val[k, "sb_A", "out", r]) / (val[k, "sb_S100", "stacks", r] / val[k, "sb_A", "stacks", r])
		stat(gv, n)
		trow("show_bt output growth ~1 → ~100 stacks: time ratio / stacks ratio", 1, "le", "≤ 1 (linear)")
		cstat(k, "sb_A", "rss")
		if (M != "") { M /= 1024; S /= 1024 }
		trow("show_bt peak RSS, 5 s run (MiB)", 4, "le", "≤ 4")

		print ""
		print "### Startup, cost per traced call, peak RSS"
		print ""
		print "Startup: from the launcher'"'"'s clock reading just before exec to the probe"
		print "enabled (show_bt'"'"'s SHOW_BT_TIMING `attached`; the helpers print the same;"
		print "bpftrace: the arrival of the line its BEGIN probe prints, which it reads"
		print "only once every probe is attached (BEGIN itself fires before those);"
		print "stackcount: when it starts its sleep, just after printing \"Tracing...\")."
		printf "The startup-alone runs (no calls timed) start %s times a round; a round'"'"'s\n", info[k, "starts"] == "" ? 1 : info[k, "starts"]
		print "figure is the median of its starts, which the startup targets compare."
		print "Cost per call: the workload times its calls in 50 slices, each followed by a"
		print "fixed user-space spin, and takes the median slice in spin iterations per call:"
		print "that cancels the guest'"'"'s speed of the moment; shown in ns at this guest'"'"'s"
		printf "median speed (%.2f ns per spin iteration). Added = ns/call minus the\n", spin_ref[k]
		print "nothing-attached ns/call of the same round."
		print ""
		print "| tracer | startup (ms) | ns/call | added ns/call | peak RSS (KiB) |"
		print "| --- | ---: | ---: | ---: | ---: |"
		split("nothing floor_empty floor_stackid minload stackid_load sb_A sb_A_multi sb_A_1k bt_A sc_A", cs, " ")
		split("nothing attached|floor: empty program (bench/floor.c)|floor: bpf_get_stackid only (bench/floor.c)|minimal loader (bench/floor.c: the empty program, nothing else; startup alone)|stack-id floor, startup alone|**show_bt**|show_bt --attach multi (a kprobe_multi link)|**show_bt**, startup alone|bpftrace `@[kstack] = count()`|stackcount", cn, "|")
		for (i = 1; i <= 10; i++) {
			if (!((k, cs[i]) in seen)) continue
			printf "| %s ", cn[i]
			cstat(k, cs[i], "startup"); printf "| %s ", cell(1000, 1)
			cstat(k, cs[i], "nspc"); printf "| %s ", cell(1, 0)
			cstat(k, cs[i], "added"); printf "| %s ", cell(1, 0)
			cstat(k, cs[i], "rss"); printf "| %s |\n", cell(1, 0)
		}

		rounds = srounds
		print ""
		print "### Window end → last line printed"
		print ""
		print "Seconds from the end of the window to the last line of output: show_bt'"'"'s"
		print "`window_end` (or the SIGINT that ended the window) to its `output_done`; for"
		print "bpftrace to the arrival of its last byte on the pipe, for stackcount to its"
		print "exit() after printing. show_bt detaches its probes inside this interval."
		print "~1 stack: vfs_write under the cost workload (show_bt: `-d 5`, a 5 s window;"
		print "bpftrace: SIGINT once the workload is done); ~100 and ~2,000: kfree and"
		print "kmem_cache_free under an exec of true, and under a mix of /proc/sys reads,"
		print "ps, df, tmpfs file and pipe traffic. [distinct stacks seen]"
		print ""
		print "| tracer | ~1 stack | ~100 stacks | ~2,000 stacks |"
		print "| --- | ---: | ---: | ---: |"
		split("sb bt sc sb", tp, " ")
		split("**show_bt**|bpftrace|stackcount|show_bt --stack-slots 1 (all collisions)", tn, "|")
		for (i = 1; i <= 4; i++) {
			line = "| " tn[i] " "
			any = 0
			for (j = 1; j <= 3; j++) {
				c = tp[i] "_" sz[j] (i == 4 ? "_slots1" : "")
				if (!((k, c) in seen)) { line = line "| – "; continue }
				any = 1
				cstat(k, c, "stacks"); st = M
				cstat(k, c, "out")
				line = line "| " cell(1, 2) " [" st "] "
			}
			if (any) print line "|"
		}

		print ""
		print "### Wildcard attach and detach"
		print ""
		print "Cold functions (IPsec, PCI, crypto API, hugetlb, input: nothing in the idle"
		print "guest calls them) picked by glob patterns. Attach: exec to probes enabled."
		print "Detach: from the SIGINT that ends the window (0.5 s after attach) to the"
		print "process'"'"'s exit, output (none: no calls) included. show_bt on its two"
		printf "paths: perf kprobes (`--attach %s`, a kprobe each) and one kprobe_multi\n", info[k, "perf_attach"]
		print "link (`--attach multi`); bpftrace as it chooses (a kprobe_multi link where"
		printf "the kernel has them, else a kprobe each). %s rounds, the 1000 functions %s.\n", srounds, info[k, "big"]
		if (!multi) { print ""; print "kprobe_multi: " nomulti "." }
		print ""
		print "| functions | patterns | show_bt perf attach (s) | show_bt perf detach (s) | show_bt multi attach (s) | show_bt multi detach (s) | bpftrace attach (s) | bpftrace detach (s) |"
		print "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		split("10 100 1000", wn, " ")
		for (i = 1; i <= 3; i++) {
			if (!((k, "sb_W" wn[i] "_perf") in seen) && !((k, "bt_W" wn[i]) in seen)) continue
			rounds = i == 3 ? info[k, "big"] : srounds
			w = info[k, "wild" wn[i]]
			cstat(k, "sb_W" wn[i] "_perf", "funcs")
			printf "| %s | `%s` ", M != "" ? M : wn[i], substr(w, index(w, ":") + 2)
			cstat(k, "sb_W" wn[i] "_perf", "startup"); printf "| %s ", cell(1, 2)
			cstat(k, "sb_W" wn[i] "_perf", "detach"); printf "| %s ", cell(1, 2)
			if (multi) {
				cstat(k, "sb_W" wn[i] "_multi", "startup"); printf "| %s ", cell(1, 2)
				cstat(k, "sb_W" wn[i] "_multi", "detach"); printf "| %s ", cell(1, 2)
			} else
				printf "| n/a | n/a "
			cstat(k, "bt_W" wn[i], "startup"); printf "| %s ", cell(1, 2)
			cstat(k, "bt_W" wn[i], "detach"); printf "| %s |\n", cell(1, 2)
		}
		if (logs[k] != "") printf "\nLast stderr lines of failed runs:\n%s\n", logs[k]
	}
}' "$@"
