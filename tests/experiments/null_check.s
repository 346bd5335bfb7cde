# experiment: null_check
# what: test the wrong register after the counts lookup: r0 is never checked for NULL
# edit 16: if r0 != 0 goto +39 => if r6 != 0 goto +39
# expect: R0 invalid mem access 'map_value_or_null'
# Made by make.sh from show_bt --dump -p 1; docs/VERIFIER-EXPERIMENTS.md explains it.

# show_bt's BPF program: 78 instructions, for a kprobe (license GPL).
# Maps by name: map[stacks], map[counts], map[scratch], map[frames], map[lost].
# Edit a copy, then load it: show_bt --prog FILE FUNCTION

# r6 = ctx (the probed task's registers): calls clobber r1
   0: r6 = r1

# which process? the upper half of bpf_get_current_pid_tgid() is the process
# id: with -p only that one counts, else every one but show_bt itself
   1: call 14                          # bpf_get_current_pid_tgid
   2: r0 >>= 32
   3: if r0 != 1 goto +54              # -> 58

# r0 = bpf_get_stackid(ctx, &stacks, 0): the stack is stored once, its id
# returned; flags 0: skip no frame, compare whole stacks, never evict
# another stack
   4: r1 = r6
   5: r2 = map[stacks] ll
   7: r3 = 0
   8: call 27                          # bpf_get_stackid
   9: if r0 s< 0 goto +8               # -> 18

# counts[id] += 1: the key goes on the stack, since map helpers take a
# pointer to it; the verifier insists on the NULL check
  10: *(u32 *)(r10 - 4) = r0
  11: r2 = r10
  12: r2 += -4
  13: r1 = map[counts] ll
  15: call 1                           # bpf_map_lookup_elem
  16: if r6 != 0 goto +39              # EDITED, was: if r0 != 0 goto +39
  17: goto +40                         # -> 58

# -EEXIST: another stack holds this one's bucket; count the frames
# themselves below.  Other errors are losses
  18: if r0 != -17 goto +44            # -> 63

# r7 = this CPU's scratch space for a frames key (too big for the 512-byte
# BPF stack)
  19: *(u32 *)(r10 - 4) = 0
  20: r2 = r10
  21: r2 += -4
  22: r1 = map[scratch] ll
  24: call 1                           # bpf_map_lookup_elem
  25: if r0 == 0 goto +36              # -> 62
  26: r7 = r0

# the key's head (process id, command) stays zero: stacks are not split per
# process
  27: *(u64 *)(r7 + 0) = 0
  28: *(u64 *)(r7 + 8) = 0
  29: *(u64 *)(r7 + 16) = 0

# r0 = bpf_get_stack(ctx, key frames, size, 0): the frames, zero-padded to
# the map's depth
  30: r1 = r6
  31: r2 = r7
  32: r2 += 24
  33: r3 = 1016
  34: r4 = 0
  35: call 67                          # bpf_get_stack
  36: if r0 s< 0 goto +26              # -> 63

# frames[key] += 1 if the key is there
  37: r2 = r7
  38: r1 = map[frames] ll
  40: call 1                           # bpf_map_lookup_elem
  41: if r0 != 0 goto +14              # -> 56

# else insert it with a count of 1; BPF_NOEXIST, so that a key another CPU
# inserted meanwhile is not reset
  42: *(u64 *)(r10 - 16) = 1
  43: r1 = map[frames] ll
  45: r2 = r7
  46: r3 = r10
  47: r3 += -16
  48: r4 = 1
  49: call 2                           # bpf_map_update_elem
  50: if r0 == 0 goto +7               # -> 58

# the insert failed: either another CPU inserted the key first (look again
# and add) or the map is full
  51: r2 = r7
  52: r1 = map[frames] ll
  54: call 1                           # bpf_map_lookup_elem
  55: if r0 == 0 goto +4               # -> 60

# *r0 += 1, atomically: other CPUs may count the same stack
  56: r1 = 1
  57: lock *(u64 *)(r0 + 0) += r1
  58: r0 = 0
  59: exit

# a hit whose stack cannot be kept: r0 = -errno becomes the slot of lost[]
# (enum lost_cause), r1
  60: r0 = -28
  61: goto +1                          # -> 63
  62: r0 = -2
  63: r1 = 0
  64: if r0 == -14 goto +4             # -> 69
  65: r1 = 1
  66: if r0 == -12 goto +2             # -> 69
  67: if r0 == -28 goto +1             # -> 69
  68: r1 = 2

# lost[r1] += 1
  69: *(u32 *)(r10 - 4) = r1
  70: r2 = r10
  71: r2 += -4
  72: r1 = map[lost] ll
  74: call 1                           # bpf_map_lookup_elem
  75: if r0 != 0 goto -20              # -> 56
  76: r0 = 0
  77: exit
