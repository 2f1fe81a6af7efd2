/* @description: static inline helpers that -O2 inlines (inlined subroutines in DWARF), always_inline, noinline */
#include <stdint.h>
#include <stdio.h>

static inline int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
    if (v < lo)
        return lo; /* BREAK: clamp_low */
    if (v > hi)
        return hi;
    return v;
}

static inline uint32_t rotl(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }

static inline __attribute__((always_inline)) uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h = rotl(h, 13); /* BREAK: mix */
    return h * 0x9e3779b1u;
}

static __attribute__((noinline)) uint32_t hash_values(const int32_t *values, int count)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < count; i++)
        h = mix(h, (uint32_t)clamp(values[i], -1000, 1000));
    return h;
}

static inline int32_t lerp(int32_t a, int32_t b, int32_t t_percent) { return a + (b - a) * t_percent / 100; }

int main(void)
{
    int32_t values[12];
    for (int i = 0; i < 12; i++)
        values[i] = (i * 397 - 1500) * (i % 3 == 0 ? 1 : -1);
    for (int i = 0; i < 12; i++)
        printf("%d -> %d\n", values[i], clamp(values[i], -1000, 1000));
    printf("hash %08x\n", hash_values(values, 12));
    for (int32_t t = 0; t <= 100; t += 25)
        printf("lerp(10, 90, %d) = %d\n", t, lerp(10, 90, t)); /* BREAK: lerp_loop */
    return 0;
}
