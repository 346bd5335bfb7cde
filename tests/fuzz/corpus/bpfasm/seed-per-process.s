# show_bt's BPF program: 87 instructions, for a kprobe (license GPL).
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
   7: if r0 == 0 goto +59              # -> 67
   8: r1 = *(u64 *)(r0 + 0)
   9: if r1 == 0 goto +57              # -> 67

# which process? the upper half of bpf_get_current_pid_tgid() is the process
# id: with -p only that one counts, else every one but show_bt itself
  10: call 14                          # bpf_get_current_pid_tgid
  11: r0 >>= 32
  12: if r0 == 30535 goto +54          # -> 67

# r7 = this CPU's scratch space: a serial, then the frames (too big for the
# 512-byte BPF stack)
  13: *(u32 *)(r10 - 4) = 0
  14: r2 = r10
  15: r2 += -4
  16: r1 = map[scratch] ll
  18: call 1                           # bpf_map_lookup_elem
  19: if r0 == 0 goto +51              # -> 71
  20: r7 = r0

# r9 = bpf_get_stack(ctx, &buf[1], depth * 8, 0): the frames' bytes,
# zero-padded to the depth
  21: r1 = r6
  22: r2 = r7
  23: r2 += 16
  24: r3 = 1016
  25: r4 = 0
  26: call 67                          # bpf_get_stack
  27: if r0 s< 0 goto +44              # -> 72
  28: r9 = r0

# -P: the first key's link is the process id (0 for a task outside show_bt's
# pid namespace)
  29: call 14                          # bpf_get_current_pid_tgid
  30: r0 >>= 32
  31: *(u64 *)(r7 + 8) = r0

# r0 = frames[key]: the key is {link, the frames}
  32: r2 = r7
  33: r2 += 8
  34: r1 = map[frames] ll
  36: call 1                           # bpf_map_lookup_elem
  37: if r0 != 0 goto +27              # -> 65

# a new key: its value {count 0, id, comm} on the stack; the id is (cpu + 1)
# << 32 | this CPU's serial, unique without atomics, as one CPU runs one
# program at a time
  38: call 8                           # bpf_get_smp_processor_id
  39: r0 += 1
  40: r0 <<= 32
  41: r1 = *(u64 *)(r7 + 0)
  42: r1 += 1
  43: *(u64 *)(r7 + 0) = r1
  44: r0 |= r1
  45: *(u64 *)(r10 - 24) = r0
  46: *(u64 *)(r10 - 32) = 0
  47: r1 = r10
  48: r1 += -16
  49: r2 = 16
  50: call 16                          # bpf_get_current_comm

# insert it, BPF_NOEXIST: a key another CPU inserted meanwhile is kept, with
# its id; then look it up again: not there means the map is full
  51: r1 = map[frames] ll
  53: r2 = r7
  54: r2 += 8
  55: r3 = r10
  56: r3 += -32
  57: r4 = 1
  58: call 2                           # bpf_map_update_elem
  59: r2 = r7
  60: r2 += 8
  61: r1 = map[frames] ll
  63: call 1                           # bpf_map_lookup_elem
  64: if r0 == 0 goto +4               # -> 69

# *r0 += 1, atomically: other CPUs may count the same stack (the count is
# the first u64 of every value here)
  65: r1 = 1
  66: lock *(u64 *)(r0 + 0) += r1
  67: r0 = 0
  68: exit

# a hit whose stack cannot be kept: r0 = -errno becomes the slot of lost[]
# (enum lost_cause), r1
  69: r0 = -28
  70: goto +1                          # -> 72
  71: r0 = -2
  72: r1 = 0
  73: if r0 == -14 goto +4             # -> 78
  74: r1 = 1
  75: if r0 == -12 goto +2             # -> 78
  76: if r0 == -28 goto +1             # -> 78
  77: r1 = 2

# lost[r1] += 1
  78: *(u32 *)(r10 - 4) = r1
  79: r2 = r10
  80: r2 += -4
  81: r1 = map[lost] ll
  83: call 1                           # bpf_map_lookup_elem
  84: if r0 != 0 goto -20              # -> 65
  85: r0 = 0
  86: exit

# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI for one kprobe_multi
# link (several functions, where the kernel has such links), else with 0 for
# perf kprobes: the instructions are the same either way.
