// SPDX-License-Identifier: GPL-2.0
/*
 * test_frames.c - how symtab.c names each kind of frame, on excerpts of
 * the /proc/kallsyms of Debian's 5.10, 6.1 and 6.12 x86-64 kernels and its
 * 6.1 arm64 one (tests/fixtures/kallsyms/<kernel>: the entry text whole,
 * the functions below and the symbol after each), and on a made-up file
 * with __cfi_ padding (padding).  Every case is named twice: from the file
 * (symtab_build_traced()) and from a copy of it (symtab_build_copied()).
 *
 * The frames, innermost first, as the kernel's unwinders give them:
 * - a return address right after a call to a function that never returns,
 *   the caller's last instruction: the next function's first byte (or its
 *   __pfx_ padding's), named after the caller;
 * - an interrupted function's first instruction, right after the return
 *   address into each kernel's entry code (asm_sysvec_apic_timer_interrupt,
 *   asm_common_interrupt, asm_exc_page_fault; el1h_64_irq, el1h_64_sync),
 *   named after that function, not the one before it;
 * - a return trampoline's first byte (kretprobe_trampoline,
 *   arch_rethook_trampoline, return_to_handler), named after it;
 * - section markers that share an address with a function, a .cold part,
 *   padding and data.
 * A resolver that names every frame past 0 by addr - 1 fails the second
 * kind; one that names every frame by addr fails the first.
 *
 * Usage: test_frames FIXTURE_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kallsyms.h"
#include "../../symtab.h"
#include "unit.h"

#define MAX_FRAMES	16

static const char *fixtures;

/*
 * One stack of n frames (innermost first), named from fixture file through
 * both sources; want: the frames' names joined by ';'.
 */
static void expect_names(const char *file, const char *want, unsigned int n,
			 ...)
{
	__u64 ips[MAX_FRAMES];
	struct stack st = { .count = 1, .nframes = n, .ips = ips };
	struct stack_set set = { .stacks = &st, .n = 1, .cap = 1,
				 .depth = 127, .calls = 1, .by_id = 1 };
	struct kallsyms copy = KALLSYMS_NONE;
	char path[4096], got[4096], name[KSYM_NAME_LEN + 96];
	const char *traced[] = { NULL };
	struct symtab tab;
	unsigned int f, from;
	va_list ap;
	int err;

	va_start(ap, n);
	for (f = 0; f < n; f++)
		ips[f] = va_arg(ap, unsigned long long);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", fixtures, file);
	for (from = 0; from < 2; from++) {
		if (from == 0) {
			err = symtab_build_traced(&tab, &set, path, traced, 0);
		} else {
			err = kallsyms_read_all(&copy, path,
						"/nonexistent/modules", 0);
			EXPECT(!err, "%s: cannot copy: %d", file, err);
			if (err)
				return;
			err = symtab_build_copied(&tab, &set, &copy, traced, 0);
		}
		EXPECT(!err, "%s: symtab_build returned %d", file, err);
		got[0] = '\0';
		for (f = 0; f < n; f++) {
			symtab_frame_name(name, sizeof(name), &tab, &st, f);
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%s%s", f ? ";" : "", name);
		}
		EXPECT(!strcmp(got, want), "%s (%s): got [%s], want [%s]",
		       file, from ? "copy" : "file", got, want);
		symtab_free(&tab);
	}
	kallsyms_free(&copy);
}

/*
 * A timer interrupt at kmem_cache_alloc's first instruction, during a
 * write, then kmem_cache_free called in the interrupt: 6.1's file puts
 * ___slab_alloc before kmem_cache_alloc, which addr - 1 would name.
 */
static void test_x86_6_1(void)
{
	const char *k = "6.1";

	expect_names(k, "kmem_cache_free+0x5;irq_exit_rcu+0x8;"
		     "sysvec_apic_timer_interrupt+0x6e;"
		     "asm_sysvec_apic_timer_interrupt+0x1a;"
		     "kmem_cache_alloc+0x0;vfs_write+0x40;ksys_write+0x6d;"
		     "do_syscall_64+0x3b;entry_SYSCALL_64_after_hwframe+0x63",
		     9, 0xffffffff8132d295ull, 0xffffffff810a9968ull,
		     0xffffffff81a47c4eull, 0xffffffff81c00f0aull,
		     0xffffffff8132bb10ull, 0xffffffff813671a0ull,
		     0xffffffff813676edull, 0xffffffff81a43dfbull,
		     0xffffffff81c0011bull);
	/* A page fault at copy_user_generic_unrolled's first instruction. */
	expect_names(k, "kmem_cache_free+0x5;exc_page_fault+0x70;"
		     "asm_exc_page_fault+0x22;copy_user_generic_unrolled+0x0;"
		     "vfs_write+0x40",
		     5, 0xffffffff8132d295ull, 0xffffffff81a485d0ull,
		     0xffffffff81c00c02ull, 0xffffffff819f6ef0ull,
		     0xffffffff813671a0ull);
	/* An older kind of interrupt entry: asm_common_interrupt. */
	expect_names(k, "kmem_cache_free+0x5;asm_common_interrupt+0x22;"
		     "kmem_cache_alloc+0x0",
		     3, 0xffffffff8132d295ull, 0xffffffff81c00e62ull,
		     0xffffffff8132bb10ull);
	/*
	 * __x64_sys_exit's last instruction calls do_exit: its return
	 * address is __ia32_sys_exit's first byte, and the frame is
	 * __x64_sys_exit's.  The same address after an entry frame is an
	 * interrupted __ia32_sys_exit: one address, two names, one set.
	 */
	expect_names(k, "kmem_cache_free+0x5;do_exit+0x200;"
		     "__x64_sys_exit+0x20;do_syscall_64+0x3b",
		     4, 0xffffffff8132d295ull, 0xffffffff810a7210ull,
		     0xffffffff810a7bd0ull, 0xffffffff81a43dfbull);
	expect_names(k, "kmem_cache_free+0x5;do_exit+0x200;"
		     "__x64_sys_exit+0x20;asm_common_interrupt+0x22;"
		     "__ia32_sys_exit+0x0",
		     5, 0xffffffff8132d295ull, 0xffffffff810a7210ull,
		     0xffffffff810a7bd0ull, 0xffffffff81c00e62ull,
		     0xffffffff810a7bd0ull);
	/* An interrupted function start as the outermost frame. */
	expect_names(k, "kmem_cache_free+0x5;"
		     "asm_sysvec_apic_timer_interrupt+0x1a;kmem_cache_free+0x0",
		     3, 0xffffffff8132d295ull, 0xffffffff81c00f0aull,
		     0xffffffff8132d290ull);
	/*
	 * A .cold part by its own name; the section marker
	 * __irqentry_text_end shares swapgs_restore_regs_and_return_to_
	 * usermode's address and never names it; past __entry_text_end,
	 * before the next function: no function.
	 */
	expect_names(k, "kmem_cache_free+0x5;_swap_info_get.cold+0x8;"
		     "swapgs_restore_regs_and_return_to_usermode+0x10;"
		     "0xffffffff81c01b20",
		     4, 0xffffffff8132d295ull, 0xffffffff81a10321ull,
		     0xffffffff81c01160ull, 0xffffffff81c01b20ull);
	/* rethook's and the function graph tracer's return trampolines. */
	expect_names(k, "kmem_cache_free+0x5;arch_rethook_trampoline+0x0;"
		     "return_to_handler+0x0",
		     3, 0xffffffff8132d295ull, 0xffffffff81076930ull,
		     0xffffffff810768d0ull);
	test_end("frames_x86_6.1");
}

/* 6.12 pads every function with 16 bytes of __pfx_. */
static void test_x86_6_12(void)
{
	const char *k = "6.12";

	expect_names(k, "kmem_cache_free+0x4;irq_exit_rcu+0x8;"
		     "sysvec_apic_timer_interrupt+0x6e;"
		     "asm_sysvec_apic_timer_interrupt+0x1a;"
		     "kmem_cache_alloc_noprof+0x0;vfs_write+0x40",
		     6, 0xffffffff813c2884ull, 0xffffffff810cd188ull,
		     0xffffffff81d1256eull, 0xffffffff81e0160aull,
		     0xffffffff813c5820ull, 0xffffffff81448260ull);
	expect_names(k, "kmem_cache_free+0x4;exc_page_fault+0x70;"
		     "asm_exc_page_fault+0x26;rep_movs_alternative+0x0;"
		     "vfs_write+0x40",
		     5, 0xffffffff813c2884ull, 0xffffffff81d12f30ull,
		     0xffffffff81e012a6ull, 0xffffffff81cb54a0ull,
		     0xffffffff81448260ull);
	/* The noreturn call's return address is __pfx___ia32_sys_exit. */
	expect_names(k, "kmem_cache_free+0x4;do_exit+0x200;"
		     "__x64_sys_exit+0x20;do_syscall_64+0x82",
		     4, 0xffffffff813c2884ull, 0xffffffff810c9c20ull,
		     0xffffffff810ca5c0ull, 0xffffffff81d0d922ull);
	/*
	 * An interrupted start whose entry frame is not there (a stack cut
	 * at the entry): addr - 1 is padding, which holds no call, so the
	 * frame is the function at addr.
	 */
	expect_names(k, "kmem_cache_free+0x4;kmem_cache_alloc_noprof+0x0;"
		     "vfs_write+0x40",
		     3, 0xffffffff813c2884ull, 0xffffffff813c5820ull,
		     0xffffffff81448260ull);
	test_end("frames_x86_6.12");
}

static void test_x86_5_10(void)
{
	const char *k = "5.10";

	expect_names(k, "kmem_cache_free+0x5;irq_exit_rcu+0x8;"
		     "sysvec_apic_timer_interrupt+0x6e;"
		     "asm_sysvec_apic_timer_interrupt+0x12;"
		     "kmem_cache_alloc+0x0;vfs_write+0x40",
		     6, 0xffffffff812ae795ull, 0xffffffff81094998ull,
		     0xffffffff8190cc7eull, 0xffffffff81a00e02ull,
		     0xffffffff812acaf0ull, 0xffffffff812ddaa0ull);
	expect_names(k, "kmem_cache_free+0x5;exc_page_fault+0x70;"
		     "asm_exc_page_fault+0x1e;copy_user_generic_unrolled+0x0",
		     4, 0xffffffff812ae795ull, 0xffffffff8190d4c0ull,
		     0xffffffff81a00b9eull, 0xffffffff81502c60ull);
	expect_names(k, "kmem_cache_free+0x5;do_exit+0x200;"
		     "__x64_sys_exit+0x20;do_syscall_64+0x33",
		     4, 0xffffffff812ae795ull, 0xffffffff81092b80ull,
		     0xffffffff810934a0ull, 0xffffffff819095a3ull);
	/*
	 * A kretprobe on the function the frame returns into: 5.10's
	 * unwinder leaves kretprobe_trampoline's first byte, which no call
	 * put there (addr - 1 would be elfcorehdr_read).
	 */
	expect_names(k, "kmem_cache_free+0x5;kretprobe_trampoline+0x0", 2,
		     0xffffffff812ae795ull, 0xffffffff81068310ull);
	test_end("frames_x86_5.10");
}

/*
 * arm64: the vectors el1h_64_irq and el1h_64_sync; __entry_text_end
 * shares an address with a __kern_my_cpu_offset.
 */
static void test_arm64_6_1(void)
{
	const char *k = "arm64-6.1";

	expect_names(k, "kmem_cache_free+0x8;el1_interrupt+0x30;"
		     "el1h_64_irq_handler+0x18;el1h_64_irq+0x64;"
		     "kmem_cache_alloc+0x0;vfs_write+0x40",
		     6, 0xffffdb59dc971f78ull, 0xffffdb59dd2d8160ull,
		     0xffffdb59dd2d971cull, 0xffffdb59dc6112e8ull,
		     0xffffdb59dc9707c0ull, 0xffffdb59dc9abcb0ull);
	expect_names(k, "kmem_cache_free+0x8;el1h_64_sync+0x64;"
		     "kmem_cache_alloc+0x0",
		     3, 0xffffdb59dc971f78ull, 0xffffdb59dc611280ull,
		     0xffffdb59dc9707c0ull);
	/* bl do_exit is __arm64_sys_exit's last instruction. */
	expect_names(k, "kmem_cache_free+0x8;do_exit+0x200;"
		     "__arm64_sys_exit+0x20;invoke_syscall+0x48",
		     4, 0xffffdb59dc971f78ull, 0xffffdb59dc69b490ull,
		     0xffffdb59dc69be30ull, 0xffffdb59dc628788ull);
	expect_names(k, "kmem_cache_free+0x8;__kern_my_cpu_offset+0x8",
		     2, 0xffffdb59dc971f78ull, 0xffffdb59dc614348ull);
	expect_names(k, "kmem_cache_free+0x8;__kretprobe_trampoline+0x0;"
		     "return_to_handler+0x0",
		     3, 0xffffdb59dc971f78ull, 0xffffdb59dc638284ull,
		     0xffffdb59dc62d19cull);
	test_end("frames_arm64_6.1");
}

/*
 * Made up: __cfi_ and __pfx_ padding, a data symbol in the text, and no
 * entry text at all (every frame past 0 a return address).
 */
static void test_padding(void)
{
	const char *k = "padding";

	/* addr - 1 in __cfi_ padding: the function at addr. */
	expect_names(k, "first_fn+0x4;cfi_fn+0x0", 2,
		     0xffffffff81100004ull, 0xffffffff81100080ull);
	/* A return address at __cfi_'s first byte: the caller's. */
	expect_names(k, "first_fn+0x4;first_fn+0x70", 2,
		     0xffffffff81100004ull, 0xffffffff81100070ull);
	/* Inside padding and inside data: no function. */
	expect_names(k, "first_fn+0x4;0xffffffff81100078;0xffffffff81100208", 3,
		     0xffffffff81100004ull, 0xffffffff81100078ull,
		     0xffffffff81100208ull);
	test_end("frames_padding");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	fixtures = argv[1];
	test_x86_6_1();
	test_x86_6_12();
	test_x86_5_10();
	test_arm64_6_1();
	test_padding();
	return test_failed ? 1 : 0;
}
