/* Dwarfsmith AOT runtime: v128 values and the SIMD instructions of WebAssembly 2.0.
 * Included by wasm_rt.h. Lanes are little-endian; vector extensions keep it portable to gcc and clang. */
#ifndef DWARFSMITH_WASM_SIMD_H
#define DWARFSMITH_WASM_SIMD_H

typedef uint64_t wasm_v128 __attribute__((vector_size(16)));

static inline wasm_v128 wasm_v128_make(uint64_t lo, uint64_t hi) { wasm_v128 v = { lo, hi }; return v; }

#endif
