# show_bt - see README.md.  `make` builds ./show_bt; `make static` (or
# `make STATIC=1`) a static one; `make test` runs every test suite.
CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra

# A static binary for rescue systems: no debug symbols, nothing to load.
ifeq ($(STATIC),1)
LDFLAGS += -static -s
endif

SRCS = show_bt.c bpf.c prog.c kprobe.c kallsyms.c options.c stackmap.c \
       output.c targets.c bpfasm.c kversion.c testhook.c
OBJS = show_bt.o bpf.o prog.o kprobe.o kallsyms.o options.o stackmap.o \
       output.o targets.o bpfasm.o kversion.o testhook.o
HDRS = $(wildcard *.h)

all: show_bt

# Rebuild when the flags change (say, between `make` and `make static`).
FLAGS_STAMP = .build-flags
$(FLAGS_STAMP): FORCE
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

show_bt: $(OBJS) $(FLAGS_STAMP)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

%.o: %.c $(HDRS) $(FLAGS_STAMP)
	$(CC) $(CFLAGS) -c -o $@ $<

static:
	$(MAKE) STATIC=1 show_bt

# Static binaries for the test VM, built apart from ./show_bt.
STATIC_DIR = tests/build/static

$(STATIC_DIR)/show_bt: $(SRCS) $(HDRS)
	@mkdir -p $(STATIC_DIR)
	$(CC) $(CFLAGS) -static -o $@ $(SRCS)

$(STATIC_DIR)/writer: tests/e2e/writer.c
	@mkdir -p $(STATIC_DIR)
	$(CC) $(CFLAGS) -static -o $@ $<

test-bins: show_bt $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer

# Every suite: unit, native (host kernel), end to end in the VM on Debian's
# 6.1 and 6.12 kernels (and natively where the host has kprobes).
test: test-bins
	sh tests/run.sh

# show_bt vfs_write inside the VM, for machines without kprobes.
demo: $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer
	sh tests/vm/demo.sh $(STATIC_DIR)/show_bt $(STATIC_DIR)/writer

clean-objs:
	rm -f $(OBJS)

clean: clean-objs
	rm -f show_bt $(FLAGS_STAMP)
	rm -rf tests/build

.PHONY: all static clean clean-objs test test-bins demo FORCE

# Benchmarks: show_bt against its floors, bpftrace and stackcount, in QEMU
# guests (natively where the kernel has kprobes); prints the table and
# writes bench/results.md. See bench/bench.sh. `make test` does not use it.
bench:
	sh bench/bench.sh $(SRCS)

.PHONY: bench
