# show_bt - see README.md.  `make` builds ./show_bt; `make static` (or
# `make STATIC=1`) a static one; `make test` runs every test suite.
CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra
LDLIBS += -lm

ifeq ($(STATIC),1)
LDFLAGS += -static
endif

OBJS = show_bt.o bpf.o prog.o kprobe.o kallsyms.o options.o stackmap.o \
       output.o
HDRS = $(wildcard *.h)

all: show_bt

show_bt: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

%.o: %.c $(HDRS)
	$(CC) $(CFLAGS) -c -o $@ $<

static:
	$(MAKE) clean-objs
	$(MAKE) STATIC=1 show_bt

clean-objs:
	rm -f $(OBJS)

clean: clean-objs
	rm -f show_bt
	rm -rf tests/build

.PHONY: all static clean clean-objs
