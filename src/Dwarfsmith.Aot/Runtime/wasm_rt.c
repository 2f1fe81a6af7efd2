/* Dwarfsmith AOT runtime: memory, tables, traps, and main. */
#define _GNU_SOURCE
#include "wasm_rt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

uint8_t *wasm_mem0_base;
uint64_t wasm_mem0_size;
uint64_t wasm_mem0_max_pages;
uint32_t wasm_call_depth;
char *wasm_stack_limit;
char *wasm_guest_stack_low, *wasm_guest_stack_high;
void (*wasm_trap_hook)(wasm_trap_kind kind, uint32_t code_offset);

const char *wasm_trap_message(wasm_trap_kind kind) {
    switch (kind) {
    case WASM_TRAP_UNREACHABLE: return "unreachable";
    case WASM_TRAP_INT_DIV_ZERO: return "integer divide by zero";
    case WASM_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASM_TRAP_TABLE_OOB: return "out of bounds table access";
    case WASM_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WASM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASM_TRAP_INDIRECT_CALL_TYPE_MISMATCH: return "indirect call type mismatch";
    case WASM_TRAP_CALL_STACK_EXHAUSTED: return "call stack exhausted";
    case WASM_TRAP_NULL_REFERENCE: return "null reference";
    }
    return "unknown trap";
}

static const wasm_function_info *function_at(uint32_t code_offset) {
    uint32_t lo = 0, hi = wasm_function_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const wasm_function_info *f = &wasm_functions[mid];
        if (code_offset < f->code_offset) hi = mid;
        else if (code_offset >= f->code_offset + f->size) lo = mid + 1;
        else return f;
    }
    return 0;
}

/* The source row in effect at a code offset, or 0 (no line table, or no source there). */
static const wasm_source_row *source_at(uint32_t code_offset) {
    if (!&wasm_source_row_count || !wasm_source_row_count) return 0;
    uint32_t lo = 0, hi = wasm_source_row_count; /* first row after code_offset */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (wasm_source_rows[mid].code_offset <= code_offset) lo = mid + 1;
        else hi = mid;
    }
    return lo > 0 && wasm_source_rows[lo - 1].line != 0 ? &wasm_source_rows[lo - 1] : 0;
}

/* Message format (stderr), then exit status 134; the source line when the module has DWARF:
 *   wasm trap: integer divide by zero
 *     at divide (code offset 0x1f3) in module.wasm
 *     at /src/divide.c:12 */
void wasm_trap(wasm_trap_kind kind, uint32_t code_offset) {
#ifdef WASM_COREDUMP
    /* Saves every callee-saved register here, with call-frame information, so that the core dump's
     * unwinder finds the trapping frame's values even if a noreturn function would not keep them. */
    __builtin_unwind_init();
#endif
    if (wasm_trap_hook) wasm_trap_hook(kind, code_offset);
    char buffer[1024];
    const wasm_function_info *f = code_offset && code_offset != WASM_CODE_OFFSET_UNKNOWN ? function_at(code_offset) : 0;
    int n;
    const wasm_source_row *source = f ? source_at(code_offset) : 0;
    if (code_offset == WASM_CODE_OFFSET_UNKNOWN)
        n = snprintf(buffer, sizeof buffer, "wasm trap: %s\n    at an unknown code offset in %s\n", wasm_trap_message(kind), wasm_module_name);
    else if (f && source)
        n = snprintf(buffer, sizeof buffer, "wasm trap: %s\n    at %s (code offset 0x%x) in %s\n    at %s:%u\n",
                     wasm_trap_message(kind), f->name, (unsigned)code_offset, wasm_module_name,
                     wasm_source_files[source->file], (unsigned)source->line);
    else if (f)
        n = snprintf(buffer, sizeof buffer, "wasm trap: %s\n    at %s (code offset 0x%x) in %s\n",
                     wasm_trap_message(kind), f->name, (unsigned)code_offset, wasm_module_name);
    else
        n = snprintf(buffer, sizeof buffer, "wasm trap: %s\n    during instantiation of %s\n", wasm_trap_message(kind), wasm_module_name);
    if (n > 0) {
        ssize_t unused = write(2, buffer, (size_t)n < sizeof buffer ? (size_t)n : sizeof buffer - 1);
        (void)unused;
    }
#ifdef WASM_COREDUMP
    wasm_coredump_write(code_offset);
#endif
    _exit(134);
}

/* Memory: the address space is reserved once, so the base never moves; pages become accessible as
 * the memory grows. With guard pages the reservation covers every address a load or store can
 * compute (WASM_MEMORY_RESERVATION); with explicit checks, the maximum. */
void wasm_memory_create_at(uint8_t **base, uint64_t *size, uint64_t *max_pages, uint64_t initial_pages, uint64_t max) {
#ifdef WASM_GUARD_PAGES
    uint64_t reserved_bytes = WASM_MEMORY_RESERVATION;
#else
    uint64_t reserved_bytes = max * WASM_PAGE_SIZE;
    if (reserved_bytes == 0) reserved_bytes = WASM_PAGE_SIZE;
#endif
    void *reserved = mmap(0, reserved_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED) {
#ifdef WASM_GUARD_PAGES
        fprintf(stderr, "wasm runtime: cannot reserve %llu bytes of address space for linear memory (guard pages; "
                        "compile with --bounds-checks explicit to reserve only the maximum)\n", (unsigned long long)reserved_bytes);
#else
        fprintf(stderr, "wasm runtime: cannot reserve %llu bytes of linear memory\n", (unsigned long long)reserved_bytes);
#endif
        _exit(70);
    }
    *base = reserved;
#ifdef WASM_GUARD_PAGES
    wasm_guard_register(reserved, reserved_bytes);
#endif
    *size = 0;
    *max_pages = max;
#ifdef WASM_DEBUG_ALIAS
    wasm_alias_attach(*base, max);
#endif
    if (initial_pages && wasm_memory_grow_at(*base, size, max, (uint32_t)initial_pages) == 0xFFFFFFFFu) {
        fprintf(stderr, "wasm runtime: cannot allocate %llu pages of linear memory\n", (unsigned long long)initial_pages);
        _exit(70);
    }
}

uint32_t wasm_memory_grow_at(uint8_t *base, uint64_t *size, uint64_t max_pages, uint32_t delta) {
    uint64_t old_pages = *size / WASM_PAGE_SIZE;
    uint64_t new_pages = old_pages + delta;
    if (new_pages > max_pages) return 0xFFFFFFFFu;
    if (delta == 0) return (uint32_t)old_pages;
#ifdef WASM_DEBUG_ALIAS
    if (wasm_alias_owns(base)) {
        if (!wasm_alias_grow(base, *size, new_pages * WASM_PAGE_SIZE)) return 0xFFFFFFFFu;
    } else
#endif
    if (mprotect(base + *size, (uint64_t)delta * WASM_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0)
        return 0xFFFFFFFFu;
    *size = new_pages * WASM_PAGE_SIZE;
    return (uint32_t)old_pages;
}

void wasm_table_create(wasm_table *table, uint32_t initial, uint32_t max) {
    table->elements = initial ? calloc(initial, sizeof(void *)) : 0;
    if (initial && !table->elements) {
        fprintf(stderr, "wasm runtime: cannot allocate a table of %u elements\n", initial);
        _exit(70);
    }
    table->size = initial;
    table->max = max;
}

uint32_t wasm_table_grow(wasm_table *table, const void *init, uint32_t delta) {
    uint32_t old = table->size;
    uint64_t size = (uint64_t)old + delta;
    if (size > table->max) return 0xFFFFFFFFu;
    if (delta == 0) return old;
    const void **elements = realloc(table->elements, size * sizeof(void *));
    if (!elements) return 0xFFFFFFFFu;
    for (uint64_t i = old; i < size; i++) elements[i] = init;
    table->elements = elements;
    table->size = (uint32_t)size;
    return old;
}

/* ---- main: runtime options, then the guest on a large stack ----
 * The guest runs on the main thread, on a stack of its own that makecontext/swapcontext switch to:
 * a debugger then shows it as the process's one thread ("Breakpoint 1, f (...)"), as it shows a
 * native build, where a second thread with a large stack made it "Thread 2 hit Breakpoint 1". The
 * stack is reserved, not committed (MAP_NORESERVE), with an inaccessible page below it. */

#define GUEST_STACK_SIZE ((size_t)1 << 30)
#define STACK_RESERVE ((size_t)256 << 10)

static ucontext_t host_context, guest_context;
static void (*guest_function)(void);

static void run_guest(void) {
    char here;
    wasm_stack_limit = &here - GUEST_STACK_SIZE + STACK_RESERVE;
#ifdef WASM_GUARD_PAGES
    wasm_guard_thread_init();
#endif
    guest_function();
}

void wasm_run_on_guest_stack(void (*fn)(void)) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *stack = mmap(0, GUEST_STACK_SIZE + page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED || mprotect(stack, page, PROT_NONE) != 0 || getcontext(&guest_context) != 0) {
        fprintf(stderr, "wasm runtime: cannot set up the guest stack\n");
        _exit(70);
    }
    guest_function = fn;
    wasm_guest_stack_low = stack + page;
    wasm_guest_stack_high = stack + page + GUEST_STACK_SIZE;
    guest_context.uc_stack.ss_sp = stack + page;
    guest_context.uc_stack.ss_size = GUEST_STACK_SIZE;
    guest_context.uc_link = &host_context;
    makecontext(&guest_context, run_guest, 0);
    if (swapcontext(&host_context, &guest_context) != 0) {
        fprintf(stderr, "wasm runtime: cannot switch to the guest stack\n");
        _exit(70);
    }
}

/* The spec-test harness has its own main (spectest.c). */
#ifndef WASM_NO_MAIN
static void run_command(void) {
    wasm_module_instantiate();
    wasm_module_run_start();
}

static void usage(const char *self) {
#ifdef WASM_COREDUMP
    fprintf(stderr, "usage: %s [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--coredump-on-trap FILE] [--] [ARGS...]\n", self);
#else
    fprintf(stderr, "usage: %s [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--] [ARGS...]\n", self);
#endif
    _exit(64);
}

#ifdef WASM_COREDUMP
/* Where a trap's core dump goes: --coredump-on-trap FILE, else $DWARFSMITH_COREDUMP, else
 * <module name without .wasm>.coredump in the current directory. */
static void choose_coredump_path(const char *option) {
    static char fallback[512];
    const char *from_environment = getenv("DWARFSMITH_COREDUMP");
    if (option) { wasm_coredump_path = option; return; }
    if (from_environment && *from_environment) { wasm_coredump_path = from_environment; return; }
    size_t length = strlen(wasm_module_name);
    if (length > 5 && strcmp(wasm_module_name + length - 5, ".wasm") == 0) length -= 5;
    snprintf(fallback, sizeof fallback, "%.*s.coredump", (int)length, wasm_module_name);
    wasm_coredump_path = fallback;
}
#endif

int main(int argc, char **argv) {
    char **hosts = calloc((size_t)argc + 1, sizeof(char *));
    char **guests = calloc((size_t)argc + 1, sizeof(char *));
    char **envs = calloc((size_t)argc + 1, sizeof(char *));
    int preopens = 0, envc = 0, i = 1;
#ifdef WASM_COREDUMP
    const char *coredump_option = 0;
#endif
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
#ifdef WASM_COREDUMP
        if (strcmp(argv[i], "--coredump-on-trap") == 0) {
            if (i + 1 >= argc) usage(argv[0]);
            coredump_option = argv[++i];
            continue;
        }
#endif
        if (strcmp(argv[i], "--dir") == 0 || strcmp(argv[i], "--env") == 0) {
            if (i + 1 >= argc) usage(argv[0]);
            char *value = argv[++i];
            if (argv[i - 1][2] == 'd') {
                char *sep = strstr(value, "::");
                if (sep) { *sep = 0; hosts[preopens] = value; guests[preopens] = sep + 2; }
                else { hosts[preopens] = value; guests[preopens] = value; }
                preopens++;
            } else {
                if (!strchr(value, '=')) usage(argv[0]);
                envs[envc++] = value;
            }
            continue;
        }
        break;
    }
    /* The guest's argv: argv[0], then everything after the runtime options. */
    char **guest_argv = calloc((size_t)argc + 1, sizeof(char *));
    int guest_argc = 0;
    guest_argv[guest_argc++] = argv[0];
    for (; i < argc; i++) guest_argv[guest_argc++] = argv[i];
    wasi_setup(guest_argc, guest_argv, envc, envs, preopens, hosts, guests);
#ifdef WASM_COREDUMP
    choose_coredump_path(coredump_option);
#endif

    wasm_run_on_guest_stack(run_command);
    return 0;
}
#endif
