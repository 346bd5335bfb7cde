r1 = (s8)r2
w1 = (s16)w2
r1 s/= r2
w3 s%= 7
r1 = bswap64 r1
r1 = be16 r1
r2 = *(s32 *)(r1 - 32768)
lock *(u32 *)(r1 + 0) ^= w2
r3 = atomic_fetch_or((u64 *)(r1 + 8), r3)
w2 = xchg32_32(r1 + 0, w2)
r0 = cmpxchg_64(r10 - 8, r0, r1)
gotol -1
call pc+1
nospec
*(u16 *)(r10 - 2) = -1
if w1 & 0x10 goto -3
r1 = 0xffffffffffffffff ll
.quad 0x00000000000000ff
r0 = -r0
exit
