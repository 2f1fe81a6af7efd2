/* Dwarfsmith spec-test harness: what a generated driver calls (see spectest.c). */
#ifndef DWARFSMITH_SPECTEST_H
#define DWARFSMITH_SPECTEST_H

#include "wasm_rt.h"

/* A command of a .wast file: run() performs it and checks results with spec_expect_*; a trap is
 * expected when expected_trap is set (its text starts with the runtime's message). */
typedef struct spec_command {
    uint32_t line;
    void (*run)(void);
    const char *expected_trap;
} spec_command;

int spec_main(const spec_command *commands, uint32_t count);
void spec_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* what: "result 0", "result 1 lane 3" */
void spec_expect_bits(const char *what, uint64_t got, uint64_t expected, int bits);
void spec_expect_nan(const char *what, uint64_t got, int bits, int arithmetic);

/* Lane `lane` of `bits` bits of a v128, zero-extended. */
static inline uint64_t spec_v128_lane(wasm_v128 v, int lane, int bits) {
    uint64_t value = 0;
    memcpy(&value, (const uint8_t *)&v + lane * (bits / 8), (size_t)(bits / 8));
    return value;
}

/* ref.extern N as the harness passes it: never null, distinct per N. */
#define SPEC_EXTERNREF(n) ((wasm_externref)(uintptr_t)((n) + 1))

#endif
