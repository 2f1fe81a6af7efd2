/* Dwarfsmith spec-test harness runtime: the standard "spectest" host module and the command loop
 * that a generated driver (SpecHarnessWriter) hands its commands to. Compiled with -DWASM_NO_MAIN
 * together with wasm_rt.c and every module of one .wast file (each renamed by ModuleLinkage). */
#define _GNU_SOURCE
#include "wasm_rt.h"
#include "spectest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The harness holds no module of its own under the fixed names; traps are caught by the hook. */
const wasm_function_info wasm_functions[1];
const uint32_t wasm_function_count = 0;
const char wasm_module_name[] = "spec-test harness";

/* ---- the spectest module (names as in the reference interpreter) ---- */

uint32_t spectest_global_i32 = 666;
uint64_t spectest_global_i64 = 666;
float spectest_global_f32 = 666.6f;
double spectest_global_f64 = 666.6;
wasm_table spectest_table;
uint8_t *spectest_mem0_base;
uint64_t spectest_mem0_size, spectest_mem0_max_pages;

/* Prints go to stderr: stdout carries the command results. */
void spectest_print(void) { fprintf(stderr, "spectest.print()\n"); }
void spectest_print_i32(uint32_t a) { fprintf(stderr, "spectest.print_i32(%d)\n", (int32_t)a); }
void spectest_print_i64(uint64_t a) { fprintf(stderr, "spectest.print_i64(%lld)\n", (long long)a); }
void spectest_print_f32(float a) { fprintf(stderr, "spectest.print_f32(%g)\n", (double)a); }
void spectest_print_f64(double a) { fprintf(stderr, "spectest.print_f64(%g)\n", a); }
void spectest_print_i32_f32(uint32_t a, float b) { fprintf(stderr, "spectest.print_i32_f32(%d, %g)\n", (int32_t)a, (double)b); }
void spectest_print_f64_f64(double a, double b) { fprintf(stderr, "spectest.print_f64_f64(%g, %g)\n", a, b); }

/* ---- results ---- */

static char failure[512];

void spec_fail(const char *format, ...) {
    if (failure[0]) return; /* the first mismatch explains the command */
    va_list args;
    va_start(args, format);
    vsnprintf(failure, sizeof failure, format, args);
    va_end(args);
}

void spec_expect_bits(const char *what, uint64_t got, uint64_t expected, int bits) {
    if (got != expected)
        spec_fail("%s: got 0x%0*llx, expected 0x%0*llx", what, bits / 4, (unsigned long long)got, bits / 4, (unsigned long long)expected);
}

/* nan:canonical: only the quiet bit in the payload, either sign; nan:arithmetic: the quiet bit set. */
void spec_expect_nan(const char *what, uint64_t got, int bits, int arithmetic) {
    uint64_t exponent_and_quiet = bits == 32 ? 0x7FC00000ull : 0x7FF8000000000000ull;
    uint64_t magnitude = bits == 32 ? got & 0x7FFFFFFFull : got & 0x7FFFFFFFFFFFFFFFull;
    int ok = arithmetic ? (magnitude & exponent_and_quiet) == exponent_and_quiet : magnitude == exponent_and_quiet;
    if (!ok)
        spec_fail("%s: got 0x%0*llx, expected nan:%s", what, bits / 4, (unsigned long long)got, arithmetic ? "arithmetic" : "canonical");
}

/* ---- the command loop ---- */

static jmp_buf trap_exit;
static volatile wasm_trap_kind trapped;

static void catch_trap(wasm_trap_kind kind, uint32_t code_offset) {
    (void)code_offset;
    trapped = kind;
    longjmp(trap_exit, 1);
}

static const spec_command *commands;
static uint32_t command_count;

/* One line per command on stdout, by its index in the list: "<index> ok" or "<index> FAIL <why>". */
static void run_commands(void) {
    wasm_trap_hook = catch_trap;
    for (uint32_t i = 0; i < command_count; i++) {
        const spec_command *command = &commands[i];
        failure[0] = 0;
        wasm_call_depth = 0;
        if (setjmp(trap_exit) == 0) {
            command->run();
            if (command->expected_trap)
                spec_fail("returned, expected trap \"%s\"", command->expected_trap);
        } else if (!command->expected_trap) {
            spec_fail("trap: %s", wasm_trap_message(trapped));
        } else if (strncmp(wasm_trap_message(trapped), command->expected_trap, strlen(wasm_trap_message(trapped))) != 0) {
            spec_fail("trap \"%s\", expected \"%s\"", wasm_trap_message(trapped), command->expected_trap);
        }
        if (failure[0])
            printf("%u FAIL %s\n", i, failure);
        else
            printf("%u ok\n", i);
        fflush(stdout);
    }
}

int spec_main(const spec_command *list, uint32_t count) {
    wasm_table_create(&spectest_table, 10, 20);
    wasm_memory_create_at(&spectest_mem0_base, &spectest_mem0_size, &spectest_mem0_max_pages, 1, 2);
    commands = list;
    command_count = count;
    wasm_run_on_guest_stack(run_commands);
    return 0;
}
