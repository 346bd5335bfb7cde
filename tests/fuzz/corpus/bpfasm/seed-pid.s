# show_bt's BPF program: 98 instructions, for a kprobe (license GPL).
# Maps by name: map[gate], map[stacks], map[counts], map[scratch], map[frames], map[lost].
# Edit a copy, then load it: show_bt --prog FILE FUNCTION

# r6 = ctx (the probed task's registers): calls clobber r1
   0: r6 = r1

# the gate: count only while the window is open, gate[0] != 0 (show_bt opens
# it once every probe is attached and closes it before reading the maps
# back)
   1: *(u32 *)(r10 - 4) = 0
   2: r2 = r10
   3: r2 += -4
   4: r1 = map[gate] ll
   6: call 1                           # bpf_map_lookup_elem
   7: if r0 == 0 goto +70              # -> 78
   8: r1 = *(u64 *)(r0 + 0)
   9: if r1 == 0 goto +68              # -> 78

# which process? the upper half of bpf_get_current_pid_tgid() is the process
# id: with -p only that one counts, else every one but show_bt itself
  10: call 14                          # bpf_get_current_pid_tgid
  11: r0 >>= 32
  12: if r0 != 1 goto +65              # -> 78

# r0 = bpf_get_stackid(ctx, &stacks, 0): the stack is stored once, its id
# returned; flags 0: skip no frame, compare whole stacks, never evict
# another stack
  13: r1 = r6
  14: r2 = map[stacks] ll
  16: r3 = 0
  17: call 27                          # bpf_get_stackid
  18: if r0 s< 0 goto +8               # -> 27

# counts[id] += 1: the key goes on the stack, since map helpers take a
# pointer to it; the verifier insists on the NULL check
  19: *(u32 *)(r10 - 4) = r0
  20: r2 = r10
  21: r2 += -4
  22: r1 = map[counts] ll
  24: call 1                           # bpf_map_lookup_elem
  25: if r0 != 0 goto +50              # -> 76
  26: goto +51                         # -> 78

# -EFAULT: no stack could be taken, a loss.  Any other error (-EEXIST:
# another stack holds this one's bucket; -ENOMEM) is no loss: count the
# frames themselves below
  27: if r0 == -14 goto +55            # -> 83

# r7 = this CPU's scratch space: a serial, then the frames (too big for the
# 512-byte BPF stack)
  28: *(u32 *)(r10 - 4) = 0
  29: r2 = r10
  30: r2 += -4
  31: r1 = map[scratch] ll
  33: call 1                           # bpf_map_lookup_elem
  34: if r0 == 0 goto +47              # -> 82
  35: r7 = r0

# r9 = bpf_get_stack(ctx, &buf[1], depth * 8, 0): the frames' bytes,
# zero-padded to the depth
  36: r1 = r6
  37: r2 = r7
  38: r2 += 16
  39: r3 = 1016
  40: r4 = 0
  41: call 67                          # bpf_get_stack
  42: if r0 s< 0 goto +40              # -> 83
  43: r9 = r0

# the first key's link is zero: stacks are not split per process
  44: *(u64 *)(r7 + 8) = 0

# r0 = frames[key]: the key is {link, the frames}
  45: r2 = r7
  46: r2 += 8
  47: r1 = map[frames] ll
  49: call 1                           # bpf_map_lookup_elem
  50: if r0 != 0 goto +25              # -> 76

# a new key: its value {count 0, id, comm} on the stack; the id is (cpu + 1)
# << 32 | this CPU's serial, unique without atomics, as one CPU runs one
# program at a time
  51: call 8                           # bpf_get_smp_processor_id
  52: r0 += 1
  53: r0 <<= 32
  54: r1 = *(u64 *)(r7 + 0)
  55: r1 += 1
  56: *(u64 *)(r7 + 0) = r1
  57: r0 |= r1
  58: *(u64 *)(r10 - 24) = r0
  59: *(u64 *)(r10 - 32) = 0
  60: *(u64 *)(r10 - 16) = 0
  61: *(u64 *)(r10 - 8) = 0

# insert it, BPF_NOEXIST: a key another CPU inserted meanwhile is kept, with
# its id; then look it up again: not there means the map is full
  62: r1 = map[frames] ll
  64: r2 = r7
  65: r2 += 8
  66: r3 = r10
  67: r3 += -32
  68: r4 = 1
  69: call 2                           # bpf_map_update_elem
  70: r2 = r7
  71: r2 += 8
  72: r1 = map[frames] ll
  74: call 1                           # bpf_map_lookup_elem
  75: if r0 == 0 goto +4               # -> 80

# *r0 += 1, atomically: other CPUs may count the same stack (the count is
# the first u64 of every value here)
  76: r1 = 1
  77: lock *(u64 *)(r0 + 0) += r1
  78: r0 = 0
  79: exit

# a hit whose stack cannot be kept: r0 = -errno becomes the slot of lost[]
# (enum lost_cause), r1
  80: r0 = -28
  81: goto +1                          # -> 83
  82: r0 = -2
  83: r1 = 0
  84: if r0 == -14 goto +4             # -> 89
  85: r1 = 1
  86: if r0 == -12 goto +2             # -> 89
  87: if r0 == -28 goto +1             # -> 89
  88: r1 = 2

# lost[r1] += 1
  89: *(u32 *)(r10 - 4) = r1
  90: r2 = r10
  91: r2 += -4
  92: r1 = map[lost] ll
  94: call 1                           # bpf_map_lookup_elem
  95: if r0 != 0 goto -20              # -> 76
  96: r0 = 0
  97: exit

# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI for one kprobe_multi
# link (several functions, where the kernel has such links), else with 0 for
# perf kprobes: the instructions are the same either way.
