/* Dwarfsmith AOT runtime: what translated modules and the WASI layer share.
 * Naming scheme (docs/ARCHITECTURE.md, "Dwarfsmith.Aot"): linear memory 0 is wasm_mem0_base /
 * wasm_mem0_size; globals are wasm_global_N; tables wasm_table_N; functions f_<name>. */
#ifndef DWARFSMITH_WASM_RT_H
#define DWARFSMITH_WASM_RT_H

#include <stdint.h>
#include <string.h>

#define WASM_LIKELY(x) __builtin_expect(!!(x), 1)
#define WASM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WASM_PAGE_SIZE 65536u

/* At -O0 (WASM_STEPPABLE) an instruction that has no machine code of its own still gets one
 * instruction, so that every wasm instruction is a steppable statement with a line-table row. */
#ifdef WASM_STEPPABLE
#define WASM_NOP() __asm__ volatile("nop")
#else
#define WASM_NOP() ((void)0)
#endif

/* Debug builds above -O0 (WASM_OUT_OF_LINE) keep each translated function out of line, so that each
 * wasm function's code is one native function that the debug information maps it to (the C
 * compiler would otherwise inline the static f_* functions into each other). Elsewhere nothing. */
#ifdef WASM_OUT_OF_LINE
#define WASM_FUNCTION __attribute__((noinline))
#else
#define WASM_FUNCTION
#endif

typedef enum wasm_trap_kind {
    WASM_TRAP_UNREACHABLE = 1,
    WASM_TRAP_INT_DIV_ZERO,
    WASM_TRAP_INT_OVERFLOW,
    WASM_TRAP_INVALID_CONVERSION,
    WASM_TRAP_MEMORY_OOB,
    WASM_TRAP_TABLE_OOB,
    WASM_TRAP_UNDEFINED_ELEMENT,
    WASM_TRAP_UNINITIALIZED_ELEMENT,
    WASM_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
    WASM_TRAP_CALL_STACK_EXHAUSTED,
    WASM_TRAP_NULL_REFERENCE,
} wasm_trap_kind;

/* Reports a trap at a code offset (DWARF address space) and does not return. 0 means "during
 * instantiation"; WASM_CODE_OFFSET_UNKNOWN that a fault came from code the runtime cannot map back
 * (an executable without its code offset table). */
__attribute__((noreturn, cold)) void wasm_trap(wasm_trap_kind kind, uint32_t code_offset);
#define WASM_CODE_OFFSET_UNKNOWN 0xFFFFFFFFu

/* The spec's text for a trap kind ("integer divide by zero"). */
const char *wasm_trap_message(wasm_trap_kind kind);

/* Core dumps (WASM_COREDUMP, wasm_coredump.c): when a path is set, wasm_trap writes a core dump of
 * the trapping program there before it exits. */
extern const char *wasm_coredump_path;
void wasm_coredump_write(uint32_t trap_code_offset);

/* When set, wasm_trap calls it instead of reporting and exiting; it must not return (the spec-test
 * harness longjmps back to its command loop). */
extern void (*wasm_trap_hook)(wasm_trap_kind kind, uint32_t code_offset);

/* ---- functions and references ---- */

/* A funcref points to one of these (one per function, emitted by the translator); NULL is ref.null. */
typedef struct wasm_func {
    uint32_t type_id;      /* canonical signature id: equal ids mean equal signatures */
    void (*code)(void);
    uint32_t index;        /* function index */
} wasm_func;

typedef const wasm_func *wasm_funcref;
typedef void *wasm_externref;

/* What the trap reporter needs to name the function around a code offset. */
typedef struct wasm_function_info {
    uint32_t code_offset;  /* the body's DWARF low_pc */
    uint32_t size;
    const char *name;
} wasm_function_info;

/* The module's DWARF line table, when it has one (SourceLineTable): rows sorted by code offset,
 * each holding until the next; line 0 is "no source". Weak: a module without DWARF defines none. */
typedef struct wasm_source_row {
    uint32_t code_offset;
    uint32_t file;         /* index into wasm_source_files */
    uint32_t line;
} wasm_source_row;

extern const wasm_source_row wasm_source_rows[] __attribute__((weak));
extern const char *const wasm_source_files[] __attribute__((weak));
extern const uint32_t wasm_source_row_count __attribute__((weak));

extern const wasm_function_info wasm_functions[];
extern const uint32_t wasm_function_count;
extern const char wasm_module_name[];

/* ---- call depth ---- */

#define WASM_MAX_CALL_DEPTH 60000u
extern uint32_t wasm_call_depth;
extern char *wasm_stack_limit;
/* The guest's stack [low, high), where the translated functions' frames are. */
extern char *wasm_guest_stack_low, *wasm_guest_stack_high;

/* The stack pointer, read directly: __builtin_frame_address(0) would make every function set up a
 * frame pointer, which costs SQLite several percent (a register and a push/pop per call). */
#if defined(__x86_64__)
#define WASM_STACK_POINTER() ({ char *wasm_sp_; __asm__("mov %%rsp, %0" : "=r"(wasm_sp_)); wasm_sp_; })
#elif defined(__aarch64__)
#define WASM_STACK_POINTER() ({ char *wasm_sp_; __asm__("mov %0, sp" : "=r"(wasm_sp_)); wasm_sp_; })
#else
#define WASM_STACK_POINTER() ((char *)__builtin_frame_address(0))
#endif

#define WASM_ENTER(offset) do { \
        if (WASM_UNLIKELY(++wasm_call_depth > WASM_MAX_CALL_DEPTH || WASM_STACK_POINTER() < wasm_stack_limit)) \
            wasm_trap(WASM_TRAP_CALL_STACK_EXHAUSTED, offset); \
    } while (0)
#define WASM_LEAVE() (--wasm_call_depth)

/* ---- linear memory 0 ---- */

extern uint8_t *wasm_mem0_base;
extern uint64_t wasm_mem0_size;     /* bytes */
extern uint64_t wasm_mem0_max_pages;

/* Two ways to keep loads and stores inside the memory (docs/ARCHITECTURE.md, "Memory"):
 * - guard pages (WASM_GUARD_PAGES, the default on 64-bit hosts): each memory reserves
 *   WASM_MEMORY_RESERVATION bytes of address space, of which only the current size is accessible.
 *   An access computes base + (uint64_t)address + offset, which for a 32-bit address and offset
 *   stays inside the reservation, so an out-of-bounds access faults on an inaccessible page and the
 *   fault handler (wasm_guard.c) reports the trap: no compare, no branch on the hot path.
 * - explicit checks (-DWASM_EXPLICIT_BOUNDS_CHECKS, `aot --bounds-checks explicit`, or a 32-bit
 *   host): every access compares its end with wasm_mem0_size and calls wasm_trap itself.
 * Bulk operations (fill, copy, init), SIMD accesses and the WASI layer check explicitly in both modes:
 * a bulk operation must trap before it writes anything. */
#if !defined(WASM_EXPLICIT_BOUNDS_CHECKS) && UINTPTR_MAX > 0xFFFFFFFFu
#define WASM_GUARD_PAGES 1
/* address + offset < 2^33, plus the widest access (16 bytes), rounded up to a page */
#define WASM_MEMORY_RESERVATION ((1ull << 33) + WASM_PAGE_SIZE)
#endif

/* The functions take the memory's variables, so that a program holding several modules (the
 * spec-test harness renames wasm_mem0_* per module) shares them; the macros apply them to memory 0. */
void wasm_memory_create_at(uint8_t **base, uint64_t *size, uint64_t *max_pages, uint64_t initial_pages, uint64_t max);
uint32_t wasm_memory_grow_at(uint8_t *base, uint64_t *size, uint64_t max_pages, uint32_t delta_pages);
#define wasm_memory_create(initial, max) wasm_memory_create_at(&wasm_mem0_base, &wasm_mem0_size, &wasm_mem0_max_pages, initial, max)
#define wasm_memory_grow(delta) wasm_memory_grow_at(wasm_mem0_base, &wasm_mem0_size, wasm_mem0_max_pages, delta)

#ifdef WASM_DEBUG_ALIAS
/* Debug builds (wasm_alias.c): memory 0 also mapped at host address == wasm address, from
 * wasm_mem0_alias_start (0: no alias) up; wasm_memory_create_at/grow_at use these. */
extern uint64_t wasm_mem0_alias_start;
void wasm_alias_attach(uint8_t *base, uint64_t max_pages);
int wasm_alias_owns(const uint8_t *base);
int wasm_alias_grow(uint8_t *base, uint64_t old_size, uint64_t new_size);
#endif

#define WASM_MEMORY_CHECK(ea, n, where) \
    if (WASM_UNLIKELY((ea) + (n) > wasm_mem0_size || (ea) + (n) < (ea))) wasm_trap(WASM_TRAP_MEMORY_OOB, where)

/* Accesses with an explicit check, against the global base and size. */
#define WASM_DEFINE_LOAD(name, type, n) \
    static inline type name(uint32_t address, uint64_t offset, uint32_t where) { \
        uint64_t ea = (uint64_t)address + offset; \
        type value; \
        WASM_MEMORY_CHECK(ea, n, where); \
        memcpy(&value, wasm_mem0_base + ea, n); \
        return value; \
    }
#define WASM_DEFINE_STORE(name, type, n) \
    static inline void name(uint32_t address, uint64_t offset, type value, uint32_t where) { \
        uint64_t ea = (uint64_t)address + offset; \
        WASM_MEMORY_CHECK(ea, n, where); \
        memcpy(wasm_mem0_base + ea, &value, n); \
    }
WASM_DEFINE_LOAD(wasm_checked_load8, uint8_t, 1)
WASM_DEFINE_LOAD(wasm_checked_load16, uint16_t, 2)
WASM_DEFINE_LOAD(wasm_checked_load32, uint32_t, 4)
WASM_DEFINE_LOAD(wasm_checked_load64, uint64_t, 8)
WASM_DEFINE_LOAD(wasm_checked_load_f32, float, 4)
WASM_DEFINE_LOAD(wasm_checked_load_f64, double, 8)
WASM_DEFINE_STORE(wasm_checked_store8, uint8_t, 1)
WASM_DEFINE_STORE(wasm_checked_store16, uint16_t, 2)
WASM_DEFINE_STORE(wasm_checked_store32, uint32_t, 4)
WASM_DEFINE_STORE(wasm_checked_store64, uint64_t, 8)
WASM_DEFINE_STORE(wasm_checked_store_f32, float, 4)
WASM_DEFINE_STORE(wasm_checked_store_f64, double, 8)

#ifdef WASM_GUARD_PAGES
/* What translated functions load and store through: macros, not inline functions, so that the
 * machine instruction that faults carries the line of the wasm instruction's #line directive (the
 * native line table then maps the faulting pc to its code offset; an inline function's code would be
 * attributed to this header). wasm_mem0_base_local is the function's copy of wasm_mem0_base (the
 * base never moves): a local the compiler knows no store can change, where the global would be
 * reloaded after every store. WASM_FORCE_READ keeps a load whose value is unused (wasm still traps
 * on it) and keeps it in order with the calls around it (a trap must not be reported by a later
 * instruction). The code offset argument is unused: the fault handler finds it from the pc. */
#if defined(__x86_64__)
#define WASM_FORCE_READ_FLOAT(v) __asm__ volatile("" : : "x"(v))
#elif defined(__aarch64__)
#define WASM_FORCE_READ_FLOAT(v) __asm__ volatile("" : : "w"(v))
#else
#define WASM_FORCE_READ_FLOAT(v) __asm__ volatile("" : : "m"(v))
#endif
#define WASM_FORCE_READ_INT(v) __asm__ volatile("" : : "r"(v))
#define WASM_GUARDED_LOAD(type, force_read, address, offset) ({ \
        type wasm_loaded_; \
        memcpy(&wasm_loaded_, wasm_mem0_base_local + (uint64_t)(uint32_t)(address) + (uint64_t)(offset), sizeof(type)); \
        force_read(wasm_loaded_); \
        wasm_loaded_; })
#define WASM_GUARDED_STORE(type, address, offset, value) do { \
        type wasm_stored_ = (value); \
        memcpy(wasm_mem0_base_local + (uint64_t)(uint32_t)(address) + (uint64_t)(offset), &wasm_stored_, sizeof(type)); \
    } while (0)
#define wasm_load8(address, offset, where) WASM_GUARDED_LOAD(uint8_t, WASM_FORCE_READ_INT, address, offset)
#define wasm_load16(address, offset, where) WASM_GUARDED_LOAD(uint16_t, WASM_FORCE_READ_INT, address, offset)
#define wasm_load32(address, offset, where) WASM_GUARDED_LOAD(uint32_t, WASM_FORCE_READ_INT, address, offset)
#define wasm_load64(address, offset, where) WASM_GUARDED_LOAD(uint64_t, WASM_FORCE_READ_INT, address, offset)
#define wasm_load_f32(address, offset, where) WASM_GUARDED_LOAD(float, WASM_FORCE_READ_FLOAT, address, offset)
#define wasm_load_f64(address, offset, where) WASM_GUARDED_LOAD(double, WASM_FORCE_READ_FLOAT, address, offset)
#define wasm_store8(address, offset, value, where) WASM_GUARDED_STORE(uint8_t, address, offset, value)
#define wasm_store16(address, offset, value, where) WASM_GUARDED_STORE(uint16_t, address, offset, value)
#define wasm_store32(address, offset, value, where) WASM_GUARDED_STORE(uint32_t, address, offset, value)
#define wasm_store64(address, offset, value, where) WASM_GUARDED_STORE(uint64_t, address, offset, value)
#define wasm_store_f32(address, offset, value, where) WASM_GUARDED_STORE(float, address, offset, value)
#define wasm_store_f64(address, offset, value, where) WASM_GUARDED_STORE(double, address, offset, value)
#else
#define wasm_load8 wasm_checked_load8
#define wasm_load16 wasm_checked_load16
#define wasm_load32 wasm_checked_load32
#define wasm_load64 wasm_checked_load64
#define wasm_load_f32 wasm_checked_load_f32
#define wasm_load_f64 wasm_checked_load_f64
#define wasm_store8 wasm_checked_store8
#define wasm_store16 wasm_checked_store16
#define wasm_store32 wasm_checked_store32
#define wasm_store64 wasm_checked_store64
#define wasm_store_f32 wasm_checked_store_f32
#define wasm_store_f64 wasm_checked_store_f64
#endif

static inline void wasm_memory_fill(uint32_t d, uint32_t value, uint32_t n, uint32_t where) {
    WASM_MEMORY_CHECK((uint64_t)d, (uint64_t)n, where);
    memset(wasm_mem0_base + d, (int)(uint8_t)value, n);
}
static inline void wasm_memory_copy(uint32_t d, uint32_t s, uint32_t n, uint32_t where) {
    WASM_MEMORY_CHECK((uint64_t)d, (uint64_t)n, where);
    WASM_MEMORY_CHECK((uint64_t)s, (uint64_t)n, where);
    memmove(wasm_mem0_base + d, wasm_mem0_base + s, n);
}
/* memory.init from a data segment of length `length` (0 once dropped). */
static inline void wasm_memory_init(const uint8_t *segment, uint32_t length, uint32_t d, uint32_t s, uint32_t n, uint32_t where) {
    WASM_MEMORY_CHECK((uint64_t)d, (uint64_t)n, where);
    if (WASM_UNLIKELY((uint64_t)s + n > length)) wasm_trap(WASM_TRAP_MEMORY_OOB, where);
    if (n) memcpy(wasm_mem0_base + d, segment + s, n);
}

/* ---- tables ---- */

typedef struct wasm_table {
    const void **elements;
    uint32_t size;
    uint32_t max;
} wasm_table;

void wasm_table_create(wasm_table *table, uint32_t initial, uint32_t max);
uint32_t wasm_table_grow(wasm_table *table, const void *init, uint32_t delta);

static inline const void *wasm_table_get(const wasm_table *table, uint32_t i, uint32_t where) {
    if (WASM_UNLIKELY(i >= table->size)) wasm_trap(WASM_TRAP_TABLE_OOB, where);
    return table->elements[i];
}
static inline void wasm_table_set(wasm_table *table, uint32_t i, const void *value, uint32_t where) {
    if (WASM_UNLIKELY(i >= table->size)) wasm_trap(WASM_TRAP_TABLE_OOB, where);
    table->elements[i] = value;
}
static inline void wasm_table_fill(wasm_table *table, uint32_t i, const void *value, uint32_t n, uint32_t where) {
    if (WASM_UNLIKELY((uint64_t)i + n > table->size)) wasm_trap(WASM_TRAP_TABLE_OOB, where);
    for (uint32_t k = 0; k < n; k++) table->elements[i + k] = value;
}
static inline void wasm_table_copy(wasm_table *dt, wasm_table *st, uint32_t d, uint32_t s, uint32_t n, uint32_t where) {
    if (WASM_UNLIKELY((uint64_t)d + n > dt->size || (uint64_t)s + n > st->size)) wasm_trap(WASM_TRAP_TABLE_OOB, where);
    if (n) memmove(dt->elements + d, st->elements + s, n * sizeof(void *));
}
/* table.init from an element segment of length `length` (0 once dropped). */
static inline void wasm_table_init(wasm_table *table, const void *const *segment, uint32_t length, uint32_t d, uint32_t s, uint32_t n, uint32_t where) {
    if (WASM_UNLIKELY((uint64_t)d + n > table->size || (uint64_t)s + n > length)) wasm_trap(WASM_TRAP_TABLE_OOB, where);
    for (uint32_t k = 0; k < n; k++) table->elements[d + k] = segment[s + k];
}

/* call_indirect: the code of table[i] after the bounds, null and signature checks. */
static inline void (*wasm_call_target(const wasm_table *table, uint32_t i, uint32_t type_id, uint32_t where))(void) {
    if (WASM_UNLIKELY(i >= table->size)) wasm_trap(WASM_TRAP_UNDEFINED_ELEMENT, where);
    const wasm_func *f = (const wasm_func *)table->elements[i];
    if (WASM_UNLIKELY(f == 0)) wasm_trap(WASM_TRAP_UNINITIALIZED_ELEMENT, where);
    if (WASM_UNLIKELY(f->type_id != type_id)) wasm_trap(WASM_TRAP_INDIRECT_CALL_TYPE_MISMATCH, where);
    return f->code;
}

/* ---- integer operations ---- */

static inline uint32_t wasm_i32_div_s(uint32_t a, uint32_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    if (WASM_UNLIKELY(a == 0x80000000u && b == 0xFFFFFFFFu)) wasm_trap(WASM_TRAP_INT_OVERFLOW, where);
    return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t wasm_i32_div_u(uint32_t a, uint32_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    return a / b;
}
static inline uint32_t wasm_i32_rem_s(uint32_t a, uint32_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    if (WASM_UNLIKELY(b == 0xFFFFFFFFu)) return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}
static inline uint32_t wasm_i32_rem_u(uint32_t a, uint32_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    return a % b;
}
static inline uint64_t wasm_i64_div_s(uint64_t a, uint64_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    if (WASM_UNLIKELY(a == 0x8000000000000000ull && b == ~0ull)) wasm_trap(WASM_TRAP_INT_OVERFLOW, where);
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t wasm_i64_div_u(uint64_t a, uint64_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    return a / b;
}
static inline uint64_t wasm_i64_rem_s(uint64_t a, uint64_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    if (WASM_UNLIKELY(b == ~0ull)) return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint64_t wasm_i64_rem_u(uint64_t a, uint64_t b, uint32_t where) {
    if (WASM_UNLIKELY(b == 0)) wasm_trap(WASM_TRAP_INT_DIV_ZERO, where);
    return a % b;
}
static inline uint32_t wasm_i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32u; }
static inline uint32_t wasm_i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32u; }
static inline uint32_t wasm_i32_popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }
static inline uint64_t wasm_i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64u; }
static inline uint64_t wasm_i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64u; }
static inline uint64_t wasm_i64_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }
static inline uint32_t wasm_i32_rotl(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
static inline uint32_t wasm_i32_rotr(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
static inline uint64_t wasm_i64_rotl(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
static inline uint64_t wasm_i64_rotr(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }

/* ---- floating point: bit-exact where the spec asks for it ---- */

static inline uint32_t wasm_i32_reinterpret_f32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t wasm_i64_reinterpret_f64(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
static inline float wasm_f32_reinterpret_i32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline double wasm_f64_reinterpret_i64(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }
#define wasm_f32_bits(u) wasm_f32_reinterpret_i32(u)
#define wasm_f64_bits(u) wasm_f64_reinterpret_i64(u)

static inline float wasm_f32_abs(float a) { return wasm_f32_reinterpret_i32(wasm_i32_reinterpret_f32(a) & 0x7FFFFFFFu); }
static inline double wasm_f64_abs(double a) { return wasm_f64_reinterpret_i64(wasm_i64_reinterpret_f64(a) & 0x7FFFFFFFFFFFFFFFull); }
static inline float wasm_f32_neg(float a) { return wasm_f32_reinterpret_i32(wasm_i32_reinterpret_f32(a) ^ 0x80000000u); }
static inline double wasm_f64_neg(double a) { return wasm_f64_reinterpret_i64(wasm_i64_reinterpret_f64(a) ^ 0x8000000000000000ull); }
static inline float wasm_f32_copysign(float a, float b) {
    return wasm_f32_reinterpret_i32((wasm_i32_reinterpret_f32(a) & 0x7FFFFFFFu) | (wasm_i32_reinterpret_f32(b) & 0x80000000u));
}
static inline double wasm_f64_copysign(double a, double b) {
    return wasm_f64_reinterpret_i64((wasm_i64_reinterpret_f64(a) & 0x7FFFFFFFFFFFFFFFull) | (wasm_i64_reinterpret_f64(b) & 0x8000000000000000ull));
}
static inline float wasm_f32_ceil(float a) { return __builtin_ceilf(a); }
static inline double wasm_f64_ceil(double a) { return __builtin_ceil(a); }
static inline float wasm_f32_floor(float a) { return __builtin_floorf(a); }
static inline double wasm_f64_floor(double a) { return __builtin_floor(a); }
static inline float wasm_f32_trunc(float a) { return __builtin_truncf(a); }
static inline double wasm_f64_trunc(double a) { return __builtin_trunc(a); }
static inline float wasm_f32_nearest(float a) { return __builtin_nearbyintf(a); }
static inline double wasm_f64_nearest(double a) { return __builtin_nearbyint(a); }
static inline float wasm_f32_sqrt(float a) { return __builtin_sqrtf(a); }
static inline double wasm_f64_sqrt(double a) { return __builtin_sqrt(a); }

/* promote keeps the value in a register the optimizer cannot see through, so that gcc does not fold
 * demote(promote(x)) to x (which would keep a signaling NaN that wasm quiets). */
#if defined(__x86_64__) || defined(__i386__)
#define WASM_FLOAT_BARRIER(v) __asm__("" : "+x"(v))
#else
#define WASM_FLOAT_BARRIER(v) __asm__("" : "+m"(v))
#endif
static inline double wasm_f64_promote_f32(float a) { double d = a; WASM_FLOAT_BARRIER(d); return d; }

/* min/max: NaN if either operand is NaN; -0 is less than +0. */
static inline float wasm_f32_min(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasm_f32_reinterpret_i32(wasm_i32_reinterpret_f32(a) | wasm_i32_reinterpret_f32(b));
    return a < b ? a : b;
}
static inline float wasm_f32_max(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasm_f32_reinterpret_i32(wasm_i32_reinterpret_f32(a) & wasm_i32_reinterpret_f32(b));
    return a > b ? a : b;
}
static inline double wasm_f64_min(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasm_f64_reinterpret_i64(wasm_i64_reinterpret_f64(a) | wasm_i64_reinterpret_f64(b));
    return a < b ? a : b;
}
static inline double wasm_f64_max(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return wasm_f64_reinterpret_i64(wasm_i64_reinterpret_f64(a) & wasm_i64_reinterpret_f64(b));
    return a > b ? a : b;
}

/* Trapping float -> int: NaN is an invalid conversion, out of range an overflow. The bounds are
 * exact in the source type (lo excluded unless noted by >=). */
#define WASM_DEFINE_TRUNC(name, ft, it, ut, lo_ok, hi) \
    static inline ut name(ft a, uint32_t where) { \
        if (WASM_UNLIKELY(a != a)) wasm_trap(WASM_TRAP_INVALID_CONVERSION, where); \
        if (WASM_UNLIKELY(!(lo_ok) || !(a < (hi)))) wasm_trap(WASM_TRAP_INT_OVERFLOW, where); \
        return (ut)(it)a; \
    }
WASM_DEFINE_TRUNC(wasm_i32_trunc_f32_s, float, int32_t, uint32_t, a >= -2147483648.0f, 2147483648.0f)
WASM_DEFINE_TRUNC(wasm_i32_trunc_f32_u, float, uint32_t, uint32_t, a > -1.0f, 4294967296.0f)
WASM_DEFINE_TRUNC(wasm_i32_trunc_f64_s, double, int32_t, uint32_t, a > -2147483649.0, 2147483648.0)
WASM_DEFINE_TRUNC(wasm_i32_trunc_f64_u, double, uint32_t, uint32_t, a > -1.0, 4294967296.0)
WASM_DEFINE_TRUNC(wasm_i64_trunc_f32_s, float, int64_t, uint64_t, a >= -9223372036854775808.0f, 9223372036854775808.0f)
WASM_DEFINE_TRUNC(wasm_i64_trunc_f32_u, float, uint64_t, uint64_t, a > -1.0f, 18446744073709551616.0f)
WASM_DEFINE_TRUNC(wasm_i64_trunc_f64_s, double, int64_t, uint64_t, a >= -9223372036854775808.0, 9223372036854775808.0)
WASM_DEFINE_TRUNC(wasm_i64_trunc_f64_u, double, uint64_t, uint64_t, a > -1.0, 18446744073709551616.0)

/* Saturating float -> int: NaN is 0, out of range clamps. */
#define WASM_DEFINE_TRUNC_SAT(name, ft, it, ut, lo_ok, hi, min, max) \
    static inline ut name(ft a) { \
        if (a != a) return 0; \
        if (!(lo_ok)) return (ut)(min); \
        if (!(a < (hi))) return (ut)(max); \
        return (ut)(it)a; \
    }
WASM_DEFINE_TRUNC_SAT(wasm_i32_trunc_sat_f32_s, float, int32_t, uint32_t, a >= -2147483648.0f, 2147483648.0f, INT32_MIN, INT32_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i32_trunc_sat_f32_u, float, uint32_t, uint32_t, a > -1.0f, 4294967296.0f, 0, UINT32_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i32_trunc_sat_f64_s, double, int32_t, uint32_t, a > -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i32_trunc_sat_f64_u, double, uint32_t, uint32_t, a > -1.0, 4294967296.0, 0, UINT32_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i64_trunc_sat_f32_s, float, int64_t, uint64_t, a >= -9223372036854775808.0f, 9223372036854775808.0f, INT64_MIN, INT64_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i64_trunc_sat_f32_u, float, uint64_t, uint64_t, a > -1.0f, 18446744073709551616.0f, 0, UINT64_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i64_trunc_sat_f64_s, double, int64_t, uint64_t, a >= -9223372036854775808.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
WASM_DEFINE_TRUNC_SAT(wasm_i64_trunc_sat_f64_u, double, uint64_t, uint64_t, a > -1.0, 18446744073709551616.0, 0, UINT64_MAX)

#include "wasm_simd.h"

/* ---- module entry points (generated) and runtime entry points ---- */

void wasm_module_instantiate(void);
/* Calls the exported _start; returns normally when it returns. */
void wasm_module_run_start(void);

/* Runs fn on a thread with a 1 GiB stack (wasm_stack_limit set for WASM_ENTER) and waits for it. */
void wasm_run_on_guest_stack(void (*fn)(void));

/* Guard pages (wasm_guard.c): a memory's reservation is registered so that a fault inside it is
 * reported as an out-of-bounds trap; the guest thread gets an alternate signal stack. */
void wasm_guard_register(uint8_t *base, uint64_t reserved_bytes);
void wasm_guard_thread_init(void);

/* A non-allocated section of the running executable (wasm_self_elf.c), read with pread from
 * /proc/self/exe; bias: the load address minus the link-time address, to add to the pcs it holds. */
typedef struct wasm_self_section {
    int fd;
    uint64_t offset, size;
    uint64_t bias;
} wasm_self_section;
int wasm_self_section_open(const char *name, wasm_self_section *section);
void wasm_self_section_close(wasm_self_section *section);
int wasm_self_read(int fd, void *buffer, size_t size, uint64_t offset);

/* The code offset of the wasm instruction whose native code contains pc, from the table the AOT
 * compiler attaches to the executable (wasm_code_map.c); WASM_CODE_OFFSET_UNKNOWN without one.
 * Async-signal-safe: it only reads /proc/self/exe. */
uint32_t wasm_code_offset_at(uintptr_t pc);

/* The same table kept open for many look-ups (a core dump's frames). */
typedef struct wasm_code_map {
    wasm_self_section section;
    uint64_t first_pc;
    uint32_t row_count;
    void *rows; /* in memory after wasm_code_map_load, else read from the file at each look-up */
} wasm_code_map;
int wasm_code_map_open(wasm_code_map *map);
int wasm_code_map_load(wasm_code_map *map);
uint32_t wasm_code_map_look_up(const wasm_code_map *map, uintptr_t pc);
void wasm_code_map_close(wasm_code_map *map);

/* WASI: the guest's argv and environment, set by main before instantiation. */
void wasi_setup(int argc, char **argv, int envc, char **envp, int preopen_count, char **preopen_hosts, char **preopen_guests);

#endif
