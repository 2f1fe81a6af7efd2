/* @description: 64-bit and unsigned integer arithmetic, shifts, wrap-around, bit tricks, division */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31); /* BREAK: splitmix */
}

static int popcount64(uint64_t v)
{
    int n = 0;
    while (v != 0) {
        v &= v - 1;
        n++;
    }
    return n;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b != 0) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t result = 0;
    a %= m;
    while (b > 0) {
        if (b & 1)
            result = (result + a) % m;
        a = (a * 2) % m;
        b >>= 1;
    }
    return result;
}

int main(void)
{
    uint64_t state = 42;
    for (int i = 0; i < 4; i++) {
        uint64_t r = splitmix64(&state);
        printf("rand %016" PRIx64 " popcount %d\n", r, popcount64(r));
    }
    int64_t big = INT64_C(9000000000);
    int64_t negative = -big / 7;
    printf("big %" PRId64 " / -7 = %" PRId64 " rem %" PRId64 "\n", big, negative, -big % 7);
    uint32_t wrap = UINT32_MAX;
    wrap += 2;
    uint8_t small = 250;
    small = (uint8_t)(small + 10);
    int16_t half = (int16_t)40000;
    printf("wrap %" PRIu32 " small %u half %d\n", wrap, small, half);
    printf("shifts %" PRIu64 " %" PRId64 " %u\n", UINT64_C(1) << 63, INT64_C(-256) >> 4, 0x80000000u >> 31);
    uint64_t g = gcd(UINT64_C(1071) * 1000003, UINT64_C(462) * 1000003);
    uint64_t mm = mulmod(UINT64_C(123456789012345), UINT64_C(987654321098), UINT64_C(1000000007));
    printf("gcd %" PRIu64 " mulmod %" PRIu64 "\n", g, mm); /* BREAK: gcd_print */
    printf("sizes %zu %zu %zu %zu\n", sizeof(int8_t), sizeof(int16_t), sizeof(int32_t), sizeof(int64_t));
    return 0;
}
