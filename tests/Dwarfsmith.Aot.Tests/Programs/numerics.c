/* Edge cases of wasm numerics, printed bit-exactly: float min/max/nearest/trunc/copysign/sqrt with
 * NaN, -0, infinities and subnormals; saturating conversions; rotates, shifts, clz/ctz/popcnt;
 * signed division and remainder at the limits. Built with clang's wasm builtins so that each maps
 * to one instruction. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile float fs[] = { 0.0f, -0.0f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, 1e-45f, -1e-45f, 3.4028235e38f,
                               1.0f / 0.0f, -1.0f / 0.0f, 0.0f / 0.0f, 2147483520.0f, -2147483648.0f, 4294967040.0f, 1e20f };
static volatile double ds[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 4503599627370497.0, 5e-324, -5e-324, 1.7976931348623157e308,
                                1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 2147483647.9, -2147483648.9, 4294967295.5, 9.2233720368547758e18 };
static volatile uint32_t is[] = { 0, 1, 31, 32, 33, 0x80000000u, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x12345678u };
static volatile uint64_t ls[] = { 0, 1, 63, 64, 65, 0x8000000000000000ull, ~0ull, 0x7FFFFFFFFFFFFFFFull, 0x123456789ABCDEF0ull };

/* Bits of a result; a NaN result prints as the canonical NaN, since the spec lets its sign and
 * payload vary (except for neg, abs and copysign, which print raw bits). */
static uint32_t fbits(float f) { uint32_t u; if (f != f) return 0x7FC00000u; memcpy(&u, &f, 4); return u; }
static uint64_t dbits(double d) { uint64_t u; if (d != d) return 0x7FF8000000000000ull; memcpy(&u, &d, 8); return u; }
static uint32_t fraw(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t draw(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
#define NF (sizeof fs / sizeof fs[0])
#define ND (sizeof ds / sizeof ds[0])
#define NI (sizeof is / sizeof is[0])
#define NL (sizeof ls / sizeof ls[0])

int main(void) {
    uint32_t h = 0;
    for (unsigned i = 0; i < NF; i++) {
        float a = fs[i];
        printf("f32 %08x: nearest %08x trunc %08x floor %08x ceil %08x sqrt %08x neg %08x abs %08x i32s %d i32u %u i64s %lld\n",
               fraw(a), fbits(__builtin_nearbyintf(a)), fbits(__builtin_truncf(a)), fbits(__builtin_floorf(a)),
               fbits(__builtin_ceilf(a)), fbits(__builtin_sqrtf(a)), fraw(-a), fraw(__builtin_fabsf(a)),
               __builtin_wasm_trunc_saturate_s_i32_f32(a), __builtin_wasm_trunc_saturate_u_i32_f32(a),
               (long long)__builtin_wasm_trunc_saturate_s_i64_f32(a));
        for (unsigned j = 0; j < NF; j++) {
            float b = fs[j];
            h = h * 31 + fbits(__builtin_wasm_min_f32(a, b));
            h = h * 31 + fbits(__builtin_wasm_max_f32(a, b));
            h = h * 31 + fraw(__builtin_copysignf(a, b));
            h = h * 31 + (a < b) + 2 * (a == b) + 4 * (a >= b);
            h = h * 31 + fbits(a * b) + fbits(a / b) + fbits(a + b);
        }
    }
    printf("f32 pairs %08x\n", h);
    h = 0;
    for (unsigned i = 0; i < ND; i++) {
        double a = ds[i];
        printf("f64 %016llx: nearest %016llx trunc %016llx sqrt %016llx f32 %08x i32s %d i32u %u i64s %lld i64u %llu\n",
               (unsigned long long)draw(a), (unsigned long long)dbits(__builtin_nearbyint(a)), (unsigned long long)dbits(__builtin_trunc(a)),
               (unsigned long long)dbits(__builtin_sqrt(a)), fbits((float)a),
               __builtin_wasm_trunc_saturate_s_i32_f64(a), __builtin_wasm_trunc_saturate_u_i32_f64(a),
               (long long)__builtin_wasm_trunc_saturate_s_i64_f64(a), (unsigned long long)__builtin_wasm_trunc_saturate_u_i64_f64(a));
        for (unsigned j = 0; j < ND; j++) {
            double b = ds[j];
            uint64_t m = dbits(__builtin_wasm_min_f64(a, b)) ^ (dbits(__builtin_wasm_max_f64(a, b)) << 1) ^ draw(__builtin_copysign(a, b));
            h = h * 31 + (uint32_t)m + (uint32_t)(m >> 32);
        }
    }
    printf("f64 pairs %08x\n", h);
    for (unsigned i = 0; i < NI; i++) {
        uint32_t a = is[i];
        printf("i32 %08x: clz %u ctz %u popcnt %u f32 %08x f64 %016llx\n", a, a ? __builtin_clz(a) : 32, a ? __builtin_ctz(a) : 32,
               __builtin_popcount(a), fbits((float)a), (unsigned long long)dbits((double)(int32_t)a));
        for (unsigned j = 0; j < NI; j++) {
            uint32_t b = is[j];
            printf(" %08x %08x %08x %08x", __builtin_rotateleft32(a, b), __builtin_rotateright32(a, b), a << (b & 31), (uint32_t)((int32_t)a >> (b & 31)));
            if (b && !(a == 0x80000000u && b == 0xFFFFFFFFu))
                printf(" %d %d %u %u", (int32_t)a / (int32_t)b, (int32_t)a % (int32_t)b, a / b, a % b);
        }
        printf("\n");
    }
    for (unsigned i = 0; i < NL; i++) {
        uint64_t a = ls[i];
        printf("i64 %016llx: clz %d ctz %d popcnt %d f32 %08x f64 %016llx\n", (unsigned long long)a, a ? __builtin_clzll(a) : 64,
               a ? __builtin_ctzll(a) : 64, __builtin_popcountll(a), fbits((float)a), (unsigned long long)dbits((double)(int64_t)a));
        for (unsigned j = 0; j < NL; j++) {
            uint64_t b = ls[j];
            printf(" %016llx %016llx", (unsigned long long)__builtin_rotateleft64(a, b), (unsigned long long)((int64_t)a >> (b & 63)));
            if (b && !(a == 0x8000000000000000ull && b == ~0ull))
                printf(" %lld %lld", (long long)((int64_t)a / (int64_t)b), (long long)((int64_t)a % (int64_t)b));
        }
        printf("\n");
    }
    return 0;
}
