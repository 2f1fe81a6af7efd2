/* Dwarfsmith AOT runtime: v128 values and the SIMD instructions of WebAssembly 2.0, one function
 * per instruction named after its mnemonic (i8x16.add_sat_s -> wasm_i8x16_add_sat_s). Included at
 * the end of wasm_rt.h. Portable C: GCC/Clang vector extensions for the value and simple lanewise
 * operations, plain loops over lanes (which the compiler vectorizes) where wasm's semantics
 * (saturation, NaN rules, out-of-range indices) differ from C's. Lanes are little-endian. */
#ifndef DWARFSMITH_WASM_SIMD_H
#define DWARFSMITH_WASM_SIMD_H

typedef uint64_t wasm_v128 __attribute__((vector_size(16)));
typedef int8_t wasm_i8x16 __attribute__((vector_size(16)));
typedef uint8_t wasm_u8x16 __attribute__((vector_size(16)));
typedef int16_t wasm_i16x8 __attribute__((vector_size(16)));
typedef uint16_t wasm_u16x8 __attribute__((vector_size(16)));
typedef int32_t wasm_i32x4 __attribute__((vector_size(16)));
typedef uint32_t wasm_u32x4 __attribute__((vector_size(16)));
typedef int64_t wasm_i64x2 __attribute__((vector_size(16)));
typedef uint64_t wasm_u64x2 __attribute__((vector_size(16)));
typedef float wasm_f32x4 __attribute__((vector_size(16)));
typedef double wasm_f64x2 __attribute__((vector_size(16)));

static inline wasm_v128 wasm_v128_make(uint64_t lo, uint64_t hi) { wasm_v128 v = { lo, hi }; return v; }

/* r[i] = expr of a[i] (and b[i]) for n lanes: a, b of vector type VT, r of RT. */
#define WASM_SIMD_MAP1(name, VT, RT, n, expr) \
    static inline wasm_v128 name(wasm_v128 va) { VT a = (VT)va; RT r; for (int i = 0; i < (n); i++) r[i] = (expr); return (wasm_v128)r; }
#define WASM_SIMD_MAP2(name, VT, RT, n, expr) \
    static inline wasm_v128 name(wasm_v128 va, wasm_v128 vb) { VT a = (VT)va, b = (VT)vb; RT r; for (int i = 0; i < (n); i++) r[i] = (expr); return (wasm_v128)r; }
#define WASM_SIMD_CLAMP(x, lo, hi) ((x) < (lo) ? (lo) : (x) > (hi) ? (hi) : (x))

/* ---- memory ---- */

WASM_DEFINE_LOAD(wasm_v128_load, wasm_v128, 16)
WASM_DEFINE_STORE(wasm_v128_store, wasm_v128, 16)

/* 8 bytes, each of n lanes of type ST widened into the lanes of DVT. */
#define WASM_SIMD_LOAD_EXTEND(name, ST, DVT, n) \
    static inline wasm_v128 name(uint32_t address, uint64_t offset, uint32_t where) { \
        uint64_t ea = (uint64_t)address + offset; \
        ST source[n]; \
        WASM_MEMORY_CHECK(ea, 8, where); \
        memcpy(source, wasm_mem0_base + ea, 8); \
        DVT r; \
        for (int i = 0; i < (n); i++) r[i] = source[i]; \
        return (wasm_v128)r; \
    }
WASM_SIMD_LOAD_EXTEND(wasm_v128_load8x8_s, int8_t, wasm_i16x8, 8)
WASM_SIMD_LOAD_EXTEND(wasm_v128_load8x8_u, uint8_t, wasm_u16x8, 8)
WASM_SIMD_LOAD_EXTEND(wasm_v128_load16x4_s, int16_t, wasm_i32x4, 4)
WASM_SIMD_LOAD_EXTEND(wasm_v128_load16x4_u, uint16_t, wasm_u32x4, 4)
WASM_SIMD_LOAD_EXTEND(wasm_v128_load32x2_s, int32_t, wasm_i64x2, 2)
WASM_SIMD_LOAD_EXTEND(wasm_v128_load32x2_u, uint32_t, wasm_u64x2, 2)

#define WASM_SIMD_LOAD_SPLAT(name, load, VT, n) \
    static inline wasm_v128 name(uint32_t address, uint64_t offset, uint32_t where) { \
        VT r; \
        __typeof__(r[0]) x = load(address, offset, where); \
        for (int i = 0; i < (n); i++) r[i] = x; \
        return (wasm_v128)r; \
    }
WASM_SIMD_LOAD_SPLAT(wasm_v128_load8_splat, wasm_checked_load8, wasm_u8x16, 16)
WASM_SIMD_LOAD_SPLAT(wasm_v128_load16_splat, wasm_checked_load16, wasm_u16x8, 8)
WASM_SIMD_LOAD_SPLAT(wasm_v128_load32_splat, wasm_checked_load32, wasm_u32x4, 4)
WASM_SIMD_LOAD_SPLAT(wasm_v128_load64_splat, wasm_checked_load64, wasm_u64x2, 2)

static inline wasm_v128 wasm_v128_load32_zero(uint32_t address, uint64_t offset, uint32_t where) {
    wasm_u32x4 r = { wasm_checked_load32(address, offset, where), 0, 0, 0 };
    return (wasm_v128)r;
}
static inline wasm_v128 wasm_v128_load64_zero(uint32_t address, uint64_t offset, uint32_t where) {
    return wasm_v128_make(wasm_checked_load64(address, offset, where), 0);
}

#define WASM_SIMD_LOAD_LANE(name, load, VT) \
    static inline wasm_v128 name(uint32_t address, uint64_t offset, wasm_v128 v, uint32_t lane, uint32_t where) { \
        VT r = (VT)v; \
        r[lane] = load(address, offset, where); \
        return (wasm_v128)r; \
    }
#define WASM_SIMD_STORE_LANE(name, store, VT) \
    static inline void name(uint32_t address, uint64_t offset, wasm_v128 v, uint32_t lane, uint32_t where) { \
        store(address, offset, ((VT)v)[lane], where); \
    }
WASM_SIMD_LOAD_LANE(wasm_v128_load8_lane, wasm_checked_load8, wasm_u8x16)
WASM_SIMD_LOAD_LANE(wasm_v128_load16_lane, wasm_checked_load16, wasm_u16x8)
WASM_SIMD_LOAD_LANE(wasm_v128_load32_lane, wasm_checked_load32, wasm_u32x4)
WASM_SIMD_LOAD_LANE(wasm_v128_load64_lane, wasm_checked_load64, wasm_u64x2)
WASM_SIMD_STORE_LANE(wasm_v128_store8_lane, wasm_checked_store8, wasm_u8x16)
WASM_SIMD_STORE_LANE(wasm_v128_store16_lane, wasm_checked_store16, wasm_u16x8)
WASM_SIMD_STORE_LANE(wasm_v128_store32_lane, wasm_checked_store32, wasm_u32x4)
WASM_SIMD_STORE_LANE(wasm_v128_store64_lane, wasm_checked_store64, wasm_u64x2)

/* ---- lanes: shuffle, swizzle, splat, extract, replace ---- */

/* lanes: the 16 lane indices of i8x16.shuffle (each < 32: a's lanes, then b's). */
static inline wasm_v128 wasm_i8x16_shuffle(wasm_v128 va, wasm_v128 vb, wasm_v128 vlanes) {
    wasm_u8x16 a = (wasm_u8x16)va, b = (wasm_u8x16)vb, lanes = (wasm_u8x16)vlanes, r;
    for (int i = 0; i < 16; i++) r[i] = lanes[i] < 16 ? a[lanes[i]] : b[lanes[i] & 15];
    return (wasm_v128)r;
}
static inline wasm_v128 wasm_i8x16_swizzle(wasm_v128 va, wasm_v128 vs) {
    wasm_u8x16 a = (wasm_u8x16)va, s = (wasm_u8x16)vs, r;
    for (int i = 0; i < 16; i++) r[i] = s[i] < 16 ? a[s[i]] : 0;
    return (wasm_v128)r;
}

#define WASM_SIMD_SPLAT(name, T, VT, n) \
    static inline wasm_v128 name(T x) { VT r; for (int i = 0; i < (n); i++) r[i] = x; return (wasm_v128)r; }
WASM_SIMD_SPLAT(wasm_i8x16_splat, uint32_t, wasm_u8x16, 16)
WASM_SIMD_SPLAT(wasm_i16x8_splat, uint32_t, wasm_u16x8, 8)
WASM_SIMD_SPLAT(wasm_i32x4_splat, uint32_t, wasm_u32x4, 4)
WASM_SIMD_SPLAT(wasm_i64x2_splat, uint64_t, wasm_u64x2, 2)
WASM_SIMD_SPLAT(wasm_f32x4_splat, float, wasm_f32x4, 4)
WASM_SIMD_SPLAT(wasm_f64x2_splat, double, wasm_f64x2, 2)

#define WASM_SIMD_EXTRACT(name, T, VT) static inline T name(wasm_v128 v, uint32_t lane) { return (T)((VT)v)[lane]; }
WASM_SIMD_EXTRACT(wasm_i8x16_extract_lane_s, uint32_t, wasm_i8x16)
WASM_SIMD_EXTRACT(wasm_i8x16_extract_lane_u, uint32_t, wasm_u8x16)
WASM_SIMD_EXTRACT(wasm_i16x8_extract_lane_s, uint32_t, wasm_i16x8)
WASM_SIMD_EXTRACT(wasm_i16x8_extract_lane_u, uint32_t, wasm_u16x8)
WASM_SIMD_EXTRACT(wasm_i32x4_extract_lane, uint32_t, wasm_u32x4)
WASM_SIMD_EXTRACT(wasm_i64x2_extract_lane, uint64_t, wasm_u64x2)
WASM_SIMD_EXTRACT(wasm_f32x4_extract_lane, float, wasm_f32x4)
WASM_SIMD_EXTRACT(wasm_f64x2_extract_lane, double, wasm_f64x2)

#define WASM_SIMD_REPLACE(name, T, VT) \
    static inline wasm_v128 name(wasm_v128 v, T x, uint32_t lane) { VT r = (VT)v; r[lane] = x; return (wasm_v128)r; }
WASM_SIMD_REPLACE(wasm_i8x16_replace_lane, uint32_t, wasm_u8x16)
WASM_SIMD_REPLACE(wasm_i16x8_replace_lane, uint32_t, wasm_u16x8)
WASM_SIMD_REPLACE(wasm_i32x4_replace_lane, uint32_t, wasm_u32x4)
WASM_SIMD_REPLACE(wasm_i64x2_replace_lane, uint64_t, wasm_u64x2)
WASM_SIMD_REPLACE(wasm_f32x4_replace_lane, float, wasm_f32x4)
WASM_SIMD_REPLACE(wasm_f64x2_replace_lane, double, wasm_f64x2)

/* ---- comparisons: all ones or all zeros per lane (what vector comparisons give) ---- */

#define WASM_SIMD_CMP(name, VT, op) static inline wasm_v128 name(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((VT)a op (VT)b); }
#define WASM_SIMD_CMP_INT(shape, S, U) \
    WASM_SIMD_CMP(wasm_##shape##_eq, U, ==) WASM_SIMD_CMP(wasm_##shape##_ne, U, !=) \
    WASM_SIMD_CMP(wasm_##shape##_lt_s, S, <) WASM_SIMD_CMP(wasm_##shape##_lt_u, U, <) \
    WASM_SIMD_CMP(wasm_##shape##_gt_s, S, >) WASM_SIMD_CMP(wasm_##shape##_gt_u, U, >) \
    WASM_SIMD_CMP(wasm_##shape##_le_s, S, <=) WASM_SIMD_CMP(wasm_##shape##_le_u, U, <=) \
    WASM_SIMD_CMP(wasm_##shape##_ge_s, S, >=) WASM_SIMD_CMP(wasm_##shape##_ge_u, U, >=)
WASM_SIMD_CMP_INT(i8x16, wasm_i8x16, wasm_u8x16)
WASM_SIMD_CMP_INT(i16x8, wasm_i16x8, wasm_u16x8)
WASM_SIMD_CMP_INT(i32x4, wasm_i32x4, wasm_u32x4)
WASM_SIMD_CMP(wasm_i64x2_eq, wasm_i64x2, ==) WASM_SIMD_CMP(wasm_i64x2_ne, wasm_i64x2, !=)
WASM_SIMD_CMP(wasm_i64x2_lt_s, wasm_i64x2, <) WASM_SIMD_CMP(wasm_i64x2_gt_s, wasm_i64x2, >)
WASM_SIMD_CMP(wasm_i64x2_le_s, wasm_i64x2, <=) WASM_SIMD_CMP(wasm_i64x2_ge_s, wasm_i64x2, >=)
#define WASM_SIMD_CMP_FLOAT(shape, VT) \
    WASM_SIMD_CMP(wasm_##shape##_eq, VT, ==) WASM_SIMD_CMP(wasm_##shape##_ne, VT, !=) \
    WASM_SIMD_CMP(wasm_##shape##_lt, VT, <) WASM_SIMD_CMP(wasm_##shape##_gt, VT, >) \
    WASM_SIMD_CMP(wasm_##shape##_le, VT, <=) WASM_SIMD_CMP(wasm_##shape##_ge, VT, >=)
WASM_SIMD_CMP_FLOAT(f32x4, wasm_f32x4)
WASM_SIMD_CMP_FLOAT(f64x2, wasm_f64x2)

/* ---- bitwise ---- */

static inline wasm_v128 wasm_v128_not(wasm_v128 a) { return ~a; }
static inline wasm_v128 wasm_v128_and(wasm_v128 a, wasm_v128 b) { return a & b; }
static inline wasm_v128 wasm_v128_andnot(wasm_v128 a, wasm_v128 b) { return a & ~b; }
static inline wasm_v128 wasm_v128_or(wasm_v128 a, wasm_v128 b) { return a | b; }
static inline wasm_v128 wasm_v128_xor(wasm_v128 a, wasm_v128 b) { return a ^ b; }
static inline wasm_v128 wasm_v128_bitselect(wasm_v128 a, wasm_v128 b, wasm_v128 c) { return (a & c) | (b & ~c); }
static inline uint32_t wasm_v128_any_true(wasm_v128 a) { return (a[0] | a[1]) != 0; }

/* ---- integer lanes ---- */

/* shape, signed and unsigned vector types, lane count, lane bits, signed lane minimum and maximum */
#define WASM_SIMD_INT_COMMON(shape, S, U, n) \
    static inline wasm_v128 wasm_##shape##_add(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((U)a + (U)b); } \
    static inline wasm_v128 wasm_##shape##_sub(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((U)a - (U)b); } \
    static inline wasm_v128 wasm_##shape##_neg(wasm_v128 a) { return (wasm_v128)(-(U)a); } \
    WASM_SIMD_MAP1(wasm_##shape##_abs, S, U, n, a[i] < 0 ? -(__typeof__(r[0]))a[i] : (__typeof__(r[0]))a[i]) \
    static inline uint32_t wasm_##shape##_all_true(wasm_v128 va) { \
        U a = (U)va; for (int i = 0; i < (n); i++) if (a[i] == 0) return 0; return 1; } \
    static inline uint32_t wasm_##shape##_bitmask(wasm_v128 va) { \
        S a = (S)va; uint32_t r = 0; for (int i = 0; i < (n); i++) r |= (uint32_t)(a[i] < 0) << i; return r; } \
    static inline wasm_v128 wasm_##shape##_shl(wasm_v128 va, uint32_t s) { \
        U a = (U)va, r; s &= 128 / (n) - 1; for (int i = 0; i < (n); i++) r[i] = (uint64_t)a[i] << s; return (wasm_v128)r; } \
    static inline wasm_v128 wasm_##shape##_shr_s(wasm_v128 va, uint32_t s) { \
        S a = (S)va, r; s &= 128 / (n) - 1; for (int i = 0; i < (n); i++) r[i] = a[i] >> s; return (wasm_v128)r; } \
    static inline wasm_v128 wasm_##shape##_shr_u(wasm_v128 va, uint32_t s) { \
        U a = (U)va, r; s &= 128 / (n) - 1; for (int i = 0; i < (n); i++) r[i] = a[i] >> s; return (wasm_v128)r; }
WASM_SIMD_INT_COMMON(i8x16, wasm_i8x16, wasm_u8x16, 16)
WASM_SIMD_INT_COMMON(i16x8, wasm_i16x8, wasm_u16x8, 8)
WASM_SIMD_INT_COMMON(i32x4, wasm_i32x4, wasm_u32x4, 4)
WASM_SIMD_INT_COMMON(i64x2, wasm_i64x2, wasm_u64x2, 2)

static inline wasm_v128 wasm_i16x8_mul(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((wasm_u16x8)a * (wasm_u16x8)b); }
static inline wasm_v128 wasm_i32x4_mul(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((wasm_u32x4)a * (wasm_u32x4)b); }
static inline wasm_v128 wasm_i64x2_mul(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((wasm_u64x2)a * (wasm_u64x2)b); }

/* Narrow lanes (8, 16 and 32 bits): min, max, saturating add/sub, rounding average. */
#define WASM_SIMD_INT_NARROW_LANES(shape, S, U, n, smin, smax, umax) \
    WASM_SIMD_MAP2(wasm_##shape##_min_s, S, S, n, a[i] < b[i] ? a[i] : b[i]) \
    WASM_SIMD_MAP2(wasm_##shape##_min_u, U, U, n, a[i] < b[i] ? a[i] : b[i]) \
    WASM_SIMD_MAP2(wasm_##shape##_max_s, S, S, n, a[i] > b[i] ? a[i] : b[i]) \
    WASM_SIMD_MAP2(wasm_##shape##_max_u, U, U, n, a[i] > b[i] ? a[i] : b[i])
WASM_SIMD_INT_NARROW_LANES(i8x16, wasm_i8x16, wasm_u8x16, 16, INT8_MIN, INT8_MAX, UINT8_MAX)
WASM_SIMD_INT_NARROW_LANES(i16x8, wasm_i16x8, wasm_u16x8, 8, INT16_MIN, INT16_MAX, UINT16_MAX)
WASM_SIMD_INT_NARROW_LANES(i32x4, wasm_i32x4, wasm_u32x4, 4, INT32_MIN, INT32_MAX, UINT32_MAX)

#define WASM_SIMD_SATURATING(shape, S, U, n, smin, smax, umax) \
    WASM_SIMD_MAP2(wasm_##shape##_add_sat_s, S, S, n, WASM_SIMD_CLAMP((int32_t)a[i] + b[i], smin, smax)) \
    WASM_SIMD_MAP2(wasm_##shape##_add_sat_u, U, U, n, WASM_SIMD_CLAMP((int32_t)a[i] + b[i], 0, umax)) \
    WASM_SIMD_MAP2(wasm_##shape##_sub_sat_s, S, S, n, WASM_SIMD_CLAMP((int32_t)a[i] - b[i], smin, smax)) \
    WASM_SIMD_MAP2(wasm_##shape##_sub_sat_u, U, U, n, WASM_SIMD_CLAMP((int32_t)a[i] - b[i], 0, umax)) \
    WASM_SIMD_MAP2(wasm_##shape##_avgr_u, U, U, n, ((uint32_t)a[i] + b[i] + 1) >> 1)
WASM_SIMD_SATURATING(i8x16, wasm_i8x16, wasm_u8x16, 16, INT8_MIN, INT8_MAX, UINT8_MAX)
WASM_SIMD_SATURATING(i16x8, wasm_i16x8, wasm_u16x8, 8, INT16_MIN, INT16_MAX, UINT16_MAX)

WASM_SIMD_MAP1(wasm_i8x16_popcnt, wasm_u8x16, wasm_u8x16, 16, (uint8_t)__builtin_popcount(a[i]))

WASM_SIMD_MAP2(wasm_i16x8_q15mulr_sat_s, wasm_i16x8, wasm_i16x8, 8,
               WASM_SIMD_CLAMP(((int32_t)a[i] * b[i] + 0x4000) >> 15, INT16_MIN, INT16_MAX))

/* Narrowing with signed saturation of the signed source lanes: a's lanes first, then b's. */
#define WASM_SIMD_NARROW(name, SVT, DVT, n, lo, hi) \
    static inline wasm_v128 name(wasm_v128 va, wasm_v128 vb) { \
        SVT a = (SVT)va, b = (SVT)vb; DVT r; \
        for (int i = 0; i < (n); i++) { r[i] = WASM_SIMD_CLAMP(a[i], lo, hi); r[i + (n)] = WASM_SIMD_CLAMP(b[i], lo, hi); } \
        return (wasm_v128)r; \
    }
WASM_SIMD_NARROW(wasm_i8x16_narrow_i16x8_s, wasm_i16x8, wasm_i8x16, 8, INT8_MIN, INT8_MAX)
WASM_SIMD_NARROW(wasm_i8x16_narrow_i16x8_u, wasm_i16x8, wasm_u8x16, 8, 0, UINT8_MAX)
WASM_SIMD_NARROW(wasm_i16x8_narrow_i32x4_s, wasm_i32x4, wasm_i16x8, 4, INT16_MIN, INT16_MAX)
WASM_SIMD_NARROW(wasm_i16x8_narrow_i32x4_u, wasm_i32x4, wasm_u16x8, 4, 0, UINT16_MAX)

/* Widening: n destination lanes from source lanes first..first+n-1; WT the wide lane type. */
#define WASM_SIMD_EXTEND(name, SVT, DVT, n, first) \
    static inline wasm_v128 name(wasm_v128 va) { SVT a = (SVT)va; DVT r; for (int i = 0; i < (n); i++) r[i] = a[i + (first)]; return (wasm_v128)r; }
#define WASM_SIMD_EXTMUL(name, SVT, DVT, WT, n, first) \
    static inline wasm_v128 name(wasm_v128 va, wasm_v128 vb) { \
        SVT a = (SVT)va, b = (SVT)vb; DVT r; \
        for (int i = 0; i < (n); i++) r[i] = (WT)a[i + (first)] * (WT)b[i + (first)]; \
        return (wasm_v128)r; \
    }
#define WASM_SIMD_WIDEN(dshape, sshape, SS, SU, DS, DU, WS, WU, n) \
    WASM_SIMD_EXTEND(wasm_##dshape##_extend_low_##sshape##_s, SS, DS, n, 0) \
    WASM_SIMD_EXTEND(wasm_##dshape##_extend_high_##sshape##_s, SS, DS, n, n) \
    WASM_SIMD_EXTEND(wasm_##dshape##_extend_low_##sshape##_u, SU, DU, n, 0) \
    WASM_SIMD_EXTEND(wasm_##dshape##_extend_high_##sshape##_u, SU, DU, n, n) \
    WASM_SIMD_EXTMUL(wasm_##dshape##_extmul_low_##sshape##_s, SS, DU, WS, n, 0) \
    WASM_SIMD_EXTMUL(wasm_##dshape##_extmul_high_##sshape##_s, SS, DU, WS, n, n) \
    WASM_SIMD_EXTMUL(wasm_##dshape##_extmul_low_##sshape##_u, SU, DU, WU, n, 0) \
    WASM_SIMD_EXTMUL(wasm_##dshape##_extmul_high_##sshape##_u, SU, DU, WU, n, n)
WASM_SIMD_WIDEN(i16x8, i8x16, wasm_i8x16, wasm_u8x16, wasm_i16x8, wasm_u16x8, int32_t, uint32_t, 8)
WASM_SIMD_WIDEN(i32x4, i16x8, wasm_i16x8, wasm_u16x8, wasm_i32x4, wasm_u32x4, int64_t, uint64_t, 4)
WASM_SIMD_WIDEN(i64x2, i32x4, wasm_i32x4, wasm_u32x4, wasm_i64x2, wasm_u64x2, int64_t, uint64_t, 2)

/* Pairwise sums into lanes twice as wide (stored modulo the lane width, which holds every sum). */
#define WASM_SIMD_EXTADD(name, SVT, DVT, n) \
    static inline wasm_v128 name(wasm_v128 va) { SVT a = (SVT)va; DVT r; for (int i = 0; i < (n); i++) r[i] = (int32_t)a[2 * i] + a[2 * i + 1]; return (wasm_v128)r; }
WASM_SIMD_EXTADD(wasm_i16x8_extadd_pairwise_i8x16_s, wasm_i8x16, wasm_u16x8, 8)
WASM_SIMD_EXTADD(wasm_i16x8_extadd_pairwise_i8x16_u, wasm_u8x16, wasm_u16x8, 8)
WASM_SIMD_EXTADD(wasm_i32x4_extadd_pairwise_i16x8_s, wasm_i16x8, wasm_u32x4, 4)
WASM_SIMD_EXTADD(wasm_i32x4_extadd_pairwise_i16x8_u, wasm_u16x8, wasm_u32x4, 4)

/* The sum of two products can be 2^31, which wraps. */
WASM_SIMD_MAP2(wasm_i32x4_dot_i16x8_s, wasm_i16x8, wasm_u32x4, 4,
               (uint32_t)((int64_t)a[2 * i] * b[2 * i] + (int64_t)a[2 * i + 1] * b[2 * i + 1]))

/* ---- floating-point lanes ---- */

#define WASM_SIMD_FLOAT(shape, p, VT, n) \
    static inline wasm_v128 wasm_##shape##_add(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((VT)a + (VT)b); } \
    static inline wasm_v128 wasm_##shape##_sub(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((VT)a - (VT)b); } \
    static inline wasm_v128 wasm_##shape##_mul(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((VT)a * (VT)b); } \
    static inline wasm_v128 wasm_##shape##_div(wasm_v128 a, wasm_v128 b) { return (wasm_v128)((VT)a / (VT)b); } \
    WASM_SIMD_MAP1(wasm_##shape##_abs, VT, VT, n, wasm_##p##_abs(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_neg, VT, VT, n, wasm_##p##_neg(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_sqrt, VT, VT, n, wasm_##p##_sqrt(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_ceil, VT, VT, n, wasm_##p##_ceil(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_floor, VT, VT, n, wasm_##p##_floor(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_trunc, VT, VT, n, wasm_##p##_trunc(a[i])) \
    WASM_SIMD_MAP1(wasm_##shape##_nearest, VT, VT, n, wasm_##p##_nearest(a[i])) \
    WASM_SIMD_MAP2(wasm_##shape##_min, VT, VT, n, wasm_##p##_min(a[i], b[i])) \
    WASM_SIMD_MAP2(wasm_##shape##_max, VT, VT, n, wasm_##p##_max(a[i], b[i])) \
    WASM_SIMD_MAP2(wasm_##shape##_pmin, VT, VT, n, b[i] < a[i] ? b[i] : a[i]) \
    WASM_SIMD_MAP2(wasm_##shape##_pmax, VT, VT, n, a[i] < b[i] ? b[i] : a[i])
WASM_SIMD_FLOAT(f32x4, f32, wasm_f32x4, 4)
WASM_SIMD_FLOAT(f64x2, f64, wasm_f64x2, 2)

/* ---- conversions ---- */

WASM_SIMD_MAP1(wasm_i32x4_trunc_sat_f32x4_s, wasm_f32x4, wasm_u32x4, 4, wasm_i32_trunc_sat_f32_s(a[i]))
WASM_SIMD_MAP1(wasm_i32x4_trunc_sat_f32x4_u, wasm_f32x4, wasm_u32x4, 4, wasm_i32_trunc_sat_f32_u(a[i]))
WASM_SIMD_MAP1(wasm_f32x4_convert_i32x4_s, wasm_i32x4, wasm_f32x4, 4, (float)a[i])
WASM_SIMD_MAP1(wasm_f32x4_convert_i32x4_u, wasm_u32x4, wasm_f32x4, 4, (float)a[i])
WASM_SIMD_MAP1(wasm_i32x4_trunc_sat_f64x2_s_zero, wasm_f64x2, wasm_u32x4, 4, i < 2 ? wasm_i32_trunc_sat_f64_s(a[i & 1]) : 0)
WASM_SIMD_MAP1(wasm_i32x4_trunc_sat_f64x2_u_zero, wasm_f64x2, wasm_u32x4, 4, i < 2 ? wasm_i32_trunc_sat_f64_u(a[i & 1]) : 0)
WASM_SIMD_MAP1(wasm_f64x2_convert_low_i32x4_s, wasm_i32x4, wasm_f64x2, 2, (double)a[i])
WASM_SIMD_MAP1(wasm_f64x2_convert_low_i32x4_u, wasm_u32x4, wasm_f64x2, 2, (double)a[i])
WASM_SIMD_MAP1(wasm_f32x4_demote_f64x2_zero, wasm_f64x2, wasm_f32x4, 4, i < 2 ? (float)a[i & 1] : 0.0f)
WASM_SIMD_MAP1(wasm_f64x2_promote_low_f32x4, wasm_f32x4, wasm_f64x2, 2, (double)a[i])

#endif
