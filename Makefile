# show_bt - see README.md.  `make` builds ./show_bt; `make static` (or
# `make STATIC=1`) a static one; `make test` runs every test suite.
CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra
# probes.c closes many kprobes from threads (glibc before 2.34 and musl
# keep pthread_create in libpthread).
LDLIBS += -lpthread

# A static binary for rescue systems: no debug symbols, nothing to load.
# With STATIC=1, ./show_bt is a copy of $(STATIC_DIR)/show_bt (below).
ifeq ($(STATIC),1)
LDFLAGS += -static -s
endif
STATIC_DIR = tests/build/static

# Cross build: `make CROSS=aarch64-linux-gnu-` makes ./show_bt a static
# binary for that target (Debian's gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross, with Debian's musl for the target: see the static
# build below), its test binaries under tests/build/static-ARCH.
ifneq ($(CROSS),)
CC = $(CROSS)gcc
STATIC = 1
CROSS_ARCH := $(patsubst aarch64,arm64,$(firstword $(subst -, ,$(CROSS))))
STATIC_DIR = tests/build/static-$(CROSS_ARCH)
endif

SRCS = show_bt.c preflight.c load.c attach.c window.c interval.c report.c msg.c bpf.c prog.c prog_maps.c kprobe.c tracepoint.c ksym.c kallsyms.c kallsyms_read.c options.c \
       stackmap.c symtab.c output.c targets.c kview.c probes.c diagnose.c \
       bpfasm_ops.c bpfasm_print.c bpfasm_parse.c bpfasm_lex.c \
       bpfasm_xlated.c kversion.c testhook.c export.c json.c \
       svg.c utf8.c kfeatures.c perm.c numparse.c glob.c \
       filters.c notes.c
OBJS = $(SRCS:.c=.o)
HDRS = $(wildcard *.h)

all: show_bt

# Rebuild when the flags change (say, between `make` and `make static`).
FLAGS_STAMP = .build-flags
$(FLAGS_STAMP): FORCE
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

ifeq ($(STATIC),1)
show_bt: $(STATIC_DIR)/show_bt $(FLAGS_STAMP)
	cp $(STATIC_DIR)/show_bt $@
else
show_bt: $(OBJS) $(FLAGS_STAMP)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)
endif

%.o: %.c $(HDRS) $(FLAGS_STAMP)
	$(CC) $(CFLAGS) -c -o $@ $<

static:
	$(MAKE) STATIC=1 show_bt

# Install.  show_bt goes to sbin: it loads a BPF program and opens kprobe
# perf events, which need root (or CAP_BPF and CAP_PERFMON), so it is an
# administrator's command, as bcc's stackcount is (/usr/sbin).  The man
# page goes to man8 (system administration), the completion where
# bash-completion looks for it ($(PREFIX)/share is on its XDG_DATA_DIRS).
# STATIC=1 installs the static build.  Set PREFIX and DESTDIR on the command
# line (make install PREFIX=/usr): not from the environment, where tests
# use PREFIX for other things.
DESTDIR =
PREFIX = /usr/local
SBINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ifeq ($(STATIC),1)
INSTALL_BIN = $(STATIC_DIR)/show_bt
else
INSTALL_BIN = show_bt
endif

install: $(INSTALL_BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(SBINDIR)/show_bt
	install -m 0644 show_bt.8 $(DESTDIR)$(MANDIR)/man8/show_bt.8
	install -m 0644 completion/show_bt.bash $(DESTDIR)$(BASHCOMPDIR)/show_bt

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/show_bt $(DESTDIR)$(MANDIR)/man8/show_bt.8 \
		$(DESTDIR)$(BASHCOMPDIR)/show_bt

# What the test suites need on the host (apt-get); .ci/run runs it.
deps:
	sh tests/deps.sh

# The static build: one binary, the one the VM suites run and the one
# `make static` and `make install STATIC=1` ship.  With musl it is under
# 200 KiB (tested, for x86-64 and arm64), with glibc about 900 KiB.  On the
# host musl is musl-gcc (Debian's musl-tools); for CROSS, tests/vm/musl.sh
# fetches Debian's musl for the target (once, into the VM kit's cache) and
# names a musl-gcc specs file for the cross gcc, as Debian's own wrapper
# does.  musl has its own libc headers but not the kernel's uapi ones: a
# directory of links to linux/, asm/ and asm-generic/ alone gives them
# (-isystem /usr/include would bring in glibc's headers too).
ifeq ($(CROSS),)
HAVE_MUSL := $(shell command -v musl-gcc 2> /dev/null)
MUSL_CC = musl-gcc
UAPI_DIR = tests/build/musl-uapi
UAPI_ASM = /usr/include/$$($(MUSL_CC) -dumpmachine)/asm
else
HAVE_MUSL := $(shell sh tests/vm/musl.sh $(CROSS_ARCH))
MUSL_CC = $(CC) -specs $(HAVE_MUSL)
UAPI_DIR = tests/build/musl-uapi-$(CROSS_ARCH)
UAPI_ASM = /usr/$$($(CC) -dumpmachine)/include/asm
endif
# -Os: the rescue binary's size is a goal (under 200 KiB, tested), and
# nothing show_bt does in user space is hot.  No unwind tables: nothing
# unwinds show_bt's own stack (no C++ exceptions; musl's thread
# cancellation does not unwind), and .eh_frame was 16 KiB of it.
STATIC_OPT = -Os -fno-asynchronous-unwind-tables -fno-unwind-tables
# With musl:
# - -z norelro: musl applies PT_GNU_RELRO in its dynamic linker only, never
#   in a static binary, so the segment protects nothing there; on arm64 it
#   cost 44 KiB of file padding (the relro end is aligned to 64 KiB).
#   glibc applies it in static binaries too: its build keeps it;
# - --gc-sections: musl's libc.a has a section per function, and the
#   linker drops those nothing refers to (2 KiB on arm64).
MUSL_FLAGS = -Wl,-z,norelro -Wl,--gc-sections
# For arm64 targets (tests/install/run.sh checks the program headers):
# - max-page-size 64 KiB (the linker's default, made explicit): every
#   PT_LOAD is aligned to 64 KiB and has p_offset = p_vaddr modulo 64 KiB,
#   and no two share a 64 KiB page, so kernels with 4 KiB, 16 KiB and
#   64 KiB pages (RHEL's) all map it;
# - common-page-size 64 KiB: the data segment then starts in the file where
#   the text ends, at the same offset within its 64 KiB page, instead of
#   on the next 4 KiB boundary (up to 4 KiB of padding);
# - -fno-pie -mcmodel=tiny: the binary is a fixed-address ET_EXEC anyway,
#   and under 1 MiB, so ADR reaches every symbol (a program outgrowing it
#   fails to link, it is not miscompiled): 4 KiB less code.
MUSL_FLAGS_aarch64 = -fno-pie -mcmodel=tiny \
	-Wl,-z,max-page-size=65536 -Wl,-z,common-page-size=65536
ifneq ($(HAVE_MUSL),)
MUSL_TARGET := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
STATIC_CC = $(MUSL_CC)
STATIC_CFLAGS = $(CFLAGS) $(STATIC_OPT) -isystem $(UAPI_DIR) \
	$(MUSL_FLAGS) $(MUSL_FLAGS_$(MUSL_TARGET))
else
STATIC_CC = $(CC)
STATIC_CFLAGS = $(CFLAGS) $(STATIC_OPT)
endif
STATIC_STAMP = $(STATIC_DIR)/.build-flags

$(STATIC_STAMP): FORCE
	@mkdir -p $(STATIC_DIR)
	@echo '$(STATIC_CC) $(STATIC_CFLAGS)' | cmp -s - $@ || \
		echo '$(STATIC_CC) $(STATIC_CFLAGS)' > $@

$(STATIC_DIR)/show_bt: $(SRCS) $(HDRS) $(STATIC_STAMP)
ifneq ($(HAVE_MUSL),)
	@mkdir -p $(UAPI_DIR)
	@ln -sfn /usr/include/linux $(UAPI_DIR)/linux
	@ln -sfn /usr/include/asm-generic $(UAPI_DIR)/asm-generic
	@ln -sfn $(UAPI_ASM) $(UAPI_DIR)/asm
else ifeq ($(CROSS),)
	@echo 'note: no musl-gcc; the static show_bt is built with glibc' \
		'(about 900 KiB): apt-get install musl-tools for one of' \
		'under 200 KiB' >&2
else
	@echo 'WARNING: no musl for $(CROSS_ARCH) (tests/vm/musl.sh' \
		'failed, see above): the static show_bt is built with' \
		'glibc, about 900 KiB instead of under 200 KiB' >&2
endif
	$(STATIC_CC) $(STATIC_CFLAGS) -static -s -o $@ $(SRCS) $(LDLIBS)

$(STATIC_DIR)/writer: tests/e2e/writer.c
	@mkdir -p $(STATIC_DIR)
	$(CC) $(CFLAGS) -static -o $@ $<

# The mixed workload of tests/e2e/frames.sh (threads: -lpthread for the
# older libcs that keep pthread_create apart).
$(STATIC_DIR)/frames_work: tests/e2e/frames_work.c
	@mkdir -p $(STATIC_DIR)
	$(CC) $(CFLAGS) -static -o $@ $< -lpthread

# The workloads of the features suite (tests/e2e/features.sh): every
# tests/e2e/feat_NAME.c, built static as feat_NAME.
FEAT_BINS = $(patsubst tests/e2e/%.c,$(STATIC_DIR)/%,\
	      $(wildcard tests/e2e/feat_*.c))
$(STATIC_DIR)/feat_%: tests/e2e/feat_%.c
	@mkdir -p $(STATIC_DIR)
	$(CC) $(CFLAGS) -static -o $@ $< -lpthread

test-bins: show_bt $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer \
	$(STATIC_DIR)/frames_work $(FEAT_BINS)

# The arm64 static show_bt and writer for the arm64 VM (tests/vm/run.sh -k
# arm64-6.1), without touching ./show_bt; kit.sh installs the cross gcc.
ARM64_CROSS = aarch64-linux-gnu-
test-bins-arm64:
	@command -v $(ARM64_CROSS)gcc > /dev/null || sh tests/vm/kit.sh arm64-6.1
	$(MAKE) CROSS=$(ARM64_CROSS) tests/build/static-arm64/show_bt \
		tests/build/static-arm64/writer \
		tests/build/static-arm64/frames_work \
		$(patsubst tests/e2e/%.c,tests/build/static-arm64/%,\
			$(wildcard tests/e2e/feat_*.c))

# Every suite: unit, native (host kernel), end to end in the VM on Debian's
# 5.10, 6.1 and 6.12 x86-64 kernels and its arm64 6.1 one (and natively
# where the host has kprobes).  tests/run.sh builds the arm64 binaries
# (make test-bins-arm64): without a cross gcc, the arm64 suites fail.
test: test-bins
	sh tests/run.sh

# The suites ROUNDS times in a row (10), with a CPU hog on one core: every
# round must pass.  KERNELS="6.1" limits a round to those VM suites;
# empty, a round is the whole of make test.
ROUNDS ?= 10
KERNELS ?=
test-repeat: test-bins
	sh tests/repeat.sh -H $(ROUNDS) $(KERNELS)

# show_bt vfs_write inside the VM, for machines without kprobes; with
# ARCH=arm64, the cross-built show_bt on Debian's arm64 kernel.
ifeq ($(ARCH),arm64)
demo: test-bins-arm64
	sh tests/vm/demo.sh -k arm64-6.1 tests/build/static-arm64/show_bt \
		tests/build/static-arm64/writer
else
demo: $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer
	sh tests/vm/demo.sh $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer
endif

clean-objs:
	rm -f $(OBJS)

clean: clean-objs
	rm -f show_bt $(FLAGS_STAMP)
	rm -rf tests/build

.PHONY: all static install uninstall deps clean clean-objs test test-bins demo FORCE
.PHONY: test-bins-arm64 test-repeat

# Fuzzing: a libFuzzer target for every parser of outside input (the
# --prog assembler, --dump's instructions read back, kallsyms lines, kernel
# version strings, the command line), each run for FUZZ_SECONDS under ASan
# and UBSan with clang-19, one after the other, nice -n 19 (FUZZ_TARGETS
# picks some).  What they find is saved in tests/fuzz/findings/TARGET/;
# `make fuzz-merge` folds their new inputs into the committed corpus,
# tests/fuzz/corpus/TARGET/, which `make test` replays once (the suite
# "fuzz"; no timing).  See tests/fuzz/run.sh.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?=
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh fuzz $(FUZZ_TARGETS)

fuzz-merge:
	sh tests/fuzz/run.sh merge $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-merge

# Benchmarks: show_bt against its floors, bpftrace and stackcount, in QEMU
# guests (natively where the kernel has kprobes); prints the table and
# writes bench/results.md. See bench/bench.sh. `make test` does not use it.
bench:
	sh bench/bench.sh $(SRCS)

.PHONY: bench
