/* Dwarfsmith AOT runtime: the wasm frames of a core dump, with their locals' values.
 *
 * The native stack is unwound with the C compiler's unwinder (libgcc's _Unwind_Backtrace, through
 * the call-frame information every function has); each native frame whose pc is in a translated
 * function is a wasm frame. Where each wasm local lives there comes from the frame table the AOT
 * compiler attaches as the non-allocated section .dwarfsmith.frames (NativeFrameTable.cs), built
 * from the native DWARF of the translated C. Little-endian, offsets from the section's start, pcs
 * relative to first_pc (a link-time address, see wasm_self_elf.c):
 *   header    char magic[8] = "DWSMFR2\0"; u64 first_pc; u32 function_count, global_count,
 *             functions_at, globals_at; u64 reserved
 *   function  u32 low, high; u32 function_index, body_code_offset (the body's DWARF low_pc);
 *             u32 local_count (parameters included), described_count, locals_at;
 *             u32 slots_at, slot_count; u32 points_at, point_count                  (sorted by low)
 *   variable  u8 wasm value type; u8 pad[3]; u32 height (operand-stack slots: their index from the
 *             bottom); u32 entry_count, entries_at   (a function's locals in order; its slots sorted
 *             by height, then type)
 *   entry     u32 begin, end; u32 expression_at, expression_length: over [begin, end) the variable is
 *             where this native DWARF expression says (a register, a memory address, or a value)
 *   point     u32 code_offset (DWARF); u32 shape_at; u32 height_at_call: the operand stack before an
 *             instruction where a frame can stand (a call, or one that can trap), sorted by code offset;
 *             a shape is u32 height, then that many value type bytes, bottom first. A caller keeps the
 *             first height_at_call of them (a call's operands are the callee's); the youngest frame all.
 *   global    u8 wasm value type, mutable; u8 pad[2]; u32 reserved; u64 link address of its C variable
 * A value is written only when it can be read for certain: a register of the frame that the unwinder
 * restores (callee-saved ones; every register in the frame a fault interrupted), memory on the guest
 * stack or in linear memory. Anything else is a missing value (0x01), never a guess. */
#define _GNU_SOURCE
#include "wasm_coredump.h"

#include <sys/mman.h>
#include <unwind.h>
#if defined(__x86_64__)
#include <ucontext.h>
#endif

#define FRAMES_SECTION ".dwarfsmith.frames"
#define FRAMES_MAGIC "DWSMFR2"

typedef struct frames_header {
    char magic[8];
    uint64_t first_pc;
    uint32_t function_count, global_count, functions_at, globals_at;
    uint64_t reserved;
} frames_header;

typedef struct frames_function {
    uint32_t low, high, function_index, body_code_offset, local_count, described_count, locals_at;
    uint32_t slots_at, slot_count, points_at, point_count;
} frames_function;

typedef struct frames_variable {
    uint8_t type, pad[3];
    uint32_t height, entry_count, entries_at;
} frames_variable;

typedef struct frames_point {
    uint32_t code_offset, shape_at, height_at_call;
} frames_point;

typedef struct frames_entry {
    uint32_t begin, end, expression_at, expression_length;
} frames_entry;

typedef struct frames_global {
    uint8_t type, is_mutable, pad[2];
    uint32_t reserved;
    uint64_t address;
} frames_global;

/* The whole section, read into mapped memory once. */
typedef struct frame_table {
    const uint8_t *data;
    uint64_t size, bias;
    const frames_header *header;
} frame_table;

static int table_holds(const frame_table *table, uint64_t at, uint64_t size) {
    return at <= table->size && size <= table->size - at;
}

static int frame_table_load(frame_table *table) {
    wasm_self_section section;
    if (!wasm_self_section_open(FRAMES_SECTION, &section)) return 0;
    int ok = 0;
    if (section.size >= sizeof(frames_header)) {
        void *data = mmap(0, section.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (data != MAP_FAILED) {
            if (wasm_self_read(section.fd, data, section.size, section.offset)) {
                table->data = data;
                table->size = section.size;
                table->bias = section.bias;
                table->header = data;
                ok = memcmp(table->header->magic, FRAMES_MAGIC, 8) == 0
                    && table_holds(table, table->header->functions_at, (uint64_t)table->header->function_count * sizeof(frames_function))
                    && table_holds(table, table->header->globals_at, (uint64_t)table->header->global_count * sizeof(frames_global));
            }
            if (!ok) munmap(data, section.size);
        }
    }
    wasm_self_section_close(&section);
    return ok;
}

static void frame_table_free(frame_table *table) {
    if (table->data) munmap((void *)table->data, table->size);
    table->data = 0;
}

static const frames_function *function_at(const frame_table *table, uint64_t link_pc) {
    if (link_pc < table->header->first_pc || link_pc - table->header->first_pc > UINT32_MAX) return 0;
    uint32_t key = (uint32_t)(link_pc - table->header->first_pc);
    const frames_function *functions = (const frames_function *)(table->data + table->header->functions_at);
    uint32_t lo = 0, hi = table->header->function_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (key < functions[mid].low) hi = mid;
        else if (key >= functions[mid].high) lo = mid + 1;
        else return &functions[mid];
    }
    return 0;
}

/* ---- one frame's registers and readable memory ---- */

#define REGISTER_COUNT 17 /* x86-64 DWARF numbering: rax..r15 (0-15), the return address (16) */

typedef struct frame_state {
    uint64_t registers[REGISTER_COUNT];
    uint32_t known; /* bit i: registers[i] is the frame's value */
    uint64_t cfa;   /* the frame's canonical frame address (DW_OP_call_frame_cfa: gcc's frame base) */
    int cfa_known;
    const void *fault_context; /* the frame a fault interrupted: every register, vector ones too */
} frame_state;

/* Memory a location may point to: the guest's stack and linear memory. */
static int readable(uint64_t address, uint64_t size) {
    uint64_t low = (uint64_t)(uintptr_t)wasm_guest_stack_low, high = (uint64_t)(uintptr_t)wasm_guest_stack_high;
    if (address >= low && address <= high && size <= high - address) return 1;
    uint64_t base = (uint64_t)(uintptr_t)wasm_mem0_base;
    return base && address >= base && address - base <= wasm_mem0_size && size <= wasm_mem0_size - (address - base);
}

static int read_register(const frame_state *frame, uint64_t number, int size, uint64_t *value) {
#if defined(__x86_64__)
    if (number >= 17 && number <= 32 && frame->fault_context) {
        /* xmm0-15: only the interrupted frame has them (they are caller-saved). */
        const ucontext_t *context = frame->fault_context;
        if (!context->uc_mcontext.fpregs) return 0;
        const void *xmm = &context->uc_mcontext.fpregs->_xmm[number - 17];
        *value = 0;
        memcpy(value, xmm, size < 8 ? (size_t)size : 8);
        return 1;
    }
#endif
    (void)size;
    if (number >= REGISTER_COUNT || !(frame->known & (1u << number))) return 0;
    *value = frame->registers[number];
    return 1;
}

/* ---- a small DWARF expression evaluator: what NativePlace admits, and no more ---- */

typedef enum place_kind { PLACE_NONE, PLACE_MEMORY, PLACE_REGISTER, PLACE_VALUE } place_kind;

typedef struct expression_reader {
    const uint8_t *at, *end;
    int failed;
} expression_reader;

static uint8_t take_byte(expression_reader *r) {
    if (r->at >= r->end) { r->failed = 1; return 0; }
    return *r->at++;
}

static uint64_t take_fixed(expression_reader *r, int size) {
    uint64_t value = 0;
    for (int i = 0; i < size; i++) value |= (uint64_t)take_byte(r) << (8 * i);
    return value;
}

static uint64_t take_uleb(expression_reader *r) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = take_byte(r);
        value |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) return value;
    }
    r->failed = 1;
    return 0;
}

static int64_t take_sleb(expression_reader *r) {
    uint64_t value = 0;
    int shift = 0;
    uint8_t b;
    do {
        if (shift >= 64) { r->failed = 1; return 0; }
        b = take_byte(r);
        value |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) value |= ~(uint64_t)0 << shift;
    return (int64_t)value;
}

static uint64_t sign_extend(uint64_t value, int size) {
    int bits = 8 * size;
    return bits >= 64 ? value : (uint64_t)(((int64_t)(value << (64 - bits))) >> (64 - bits));
}

#define EVAL_STACK 64

/* Evaluates the expression for a frame: where the local is (memory address or register number) or
 * its value. Any operation outside the admitted set, a register the frame does not have, or memory
 * outside the guest's fails the evaluation. */
static place_kind evaluate(const frame_table *table, const frame_state *frame, const uint8_t *code, uint32_t length, uint64_t *result) {
    expression_reader r = { code, code + length, 0 };
    uint64_t stack[EVAL_STACK];
    int depth = 0;
#define PUSH(v) do { if (depth == EVAL_STACK) return PLACE_NONE; stack[depth++] = (v); } while (0)
#define NEED(n) do { if (depth < (n)) return PLACE_NONE; } while (0)
    while (r.at < r.end && !r.failed) {
        uint8_t op = take_byte(&r);
        uint64_t a, b;
        if (op >= 0x30 && op <= 0x4F) { PUSH((uint64_t)(op - 0x30)); continue; }            /* lit0-31 */
        if (op >= 0x50 && op <= 0x6F) {                                                       /* reg0-31 */
            if (depth != 0 || r.at != r.end) return PLACE_NONE;
            *result = op - 0x50;
            return PLACE_REGISTER;
        }
        if (op >= 0x70 && op <= 0x8F) {                                                       /* breg0-31 */
            int64_t offset = take_sleb(&r);
            if (!read_register(frame, op - 0x70, 8, &a)) return PLACE_NONE;
            PUSH(a + (uint64_t)offset);
            continue;
        }
        switch (op) {
        case 0x03: PUSH(take_fixed(&r, 8) + table->bias); break;                               /* addr */
        case 0x06: case 0x94: {                                                                /* deref, deref_size */
            int size = op == 0x06 ? 8 : take_byte(&r);
            NEED(1);
            if (size < 1 || size > 8 || !readable(stack[depth - 1], (uint64_t)size)) return PLACE_NONE;
            a = 0;
            memcpy(&a, (const void *)(uintptr_t)stack[depth - 1], (size_t)size);
            stack[depth - 1] = a;
            break;
        }
        case 0x08: PUSH(take_fixed(&r, 1)); break;
        case 0x09: PUSH(sign_extend(take_fixed(&r, 1), 1)); break;
        case 0x0A: PUSH(take_fixed(&r, 2)); break;
        case 0x0B: PUSH(sign_extend(take_fixed(&r, 2), 2)); break;
        case 0x0C: PUSH(take_fixed(&r, 4)); break;
        case 0x0D: PUSH(sign_extend(take_fixed(&r, 4), 4)); break;
        case 0x0E: case 0x0F: PUSH(take_fixed(&r, 8)); break;
        case 0x10: PUSH(take_uleb(&r)); break;
        case 0x11: PUSH((uint64_t)take_sleb(&r)); break;
        case 0x12: NEED(1); PUSH(stack[depth - 1]); break;                                     /* dup */
        case 0x13: NEED(1); depth--; break;                                                    /* drop */
        case 0x14: NEED(2); PUSH(stack[depth - 2]); break;                                     /* over */
        case 0x16: NEED(2); a = stack[depth - 1]; stack[depth - 1] = stack[depth - 2]; stack[depth - 2] = a; break;
        case 0x17: NEED(3); a = stack[depth - 1]; stack[depth - 1] = stack[depth - 2];         /* rot */
            stack[depth - 2] = stack[depth - 3]; stack[depth - 3] = a; break;
        case 0x19: NEED(1); if ((int64_t)stack[depth - 1] < 0) stack[depth - 1] = -stack[depth - 1]; break;
        case 0x1F: NEED(1); stack[depth - 1] = -stack[depth - 1]; break;
        case 0x20: NEED(1); stack[depth - 1] = ~stack[depth - 1]; break;
        case 0x23: NEED(1); stack[depth - 1] += take_uleb(&r); break;                          /* plus_uconst */
        case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x21: case 0x22:
        case 0x24: case 0x25: case 0x26: case 0x27:
            NEED(2);
            b = stack[--depth];
            a = stack[depth - 1];
            switch (op) {
            case 0x1A: a &= b; break;
            case 0x1B: if (b == 0) return PLACE_NONE; a = (uint64_t)((int64_t)a / (int64_t)b); break;
            case 0x1C: a -= b; break;
            case 0x1D: if (b == 0) return PLACE_NONE; a %= b; break;
            case 0x1E: a *= b; break;
            case 0x21: a |= b; break;
            case 0x22: a += b; break;
            case 0x24: a = b >= 64 ? 0 : a << b; break;
            case 0x25: a = b >= 64 ? 0 : a >> b; break;
            case 0x26: a = (uint64_t)((int64_t)a >> (b >= 64 ? 63 : b)); break;
            case 0x27: a ^= b; break;
            }
            stack[depth - 1] = a;
            break;
        case 0x90:                                                                             /* regx */
            a = take_uleb(&r);
            if (depth != 0 || r.at != r.end || r.failed) return PLACE_NONE;
            *result = a;
            return PLACE_REGISTER;
        case 0x92: {                                                                           /* bregx */
            uint64_t number = take_uleb(&r);
            int64_t offset = take_sleb(&r);
            if (!read_register(frame, number, 8, &a)) return PLACE_NONE;
            PUSH(a + (uint64_t)offset);
            break;
        }
        case 0x96: break;                                                                      /* nop */
        case 0x9C: if (!frame->cfa_known) return PLACE_NONE; PUSH(frame->cfa); break;          /* call_frame_cfa */
        case 0x9F:                                                                             /* stack_value */
            NEED(1);
            if (r.at != r.end) return PLACE_NONE;
            *result = stack[depth - 1];
            return PLACE_VALUE;
        default:
            return PLACE_NONE;
        }
    }
#undef PUSH
#undef NEED
    if (r.failed || depth == 0) return PLACE_NONE;
    *result = stack[depth - 1];
    return PLACE_MEMORY;
}

/* ---- values ---- */

static int value_size(uint8_t type) {
    switch (type) {
    case 0x7F: case 0x7D: return 4;
    case 0x7E: case 0x7C: return 8;
    default: return 0; /* v128 and references: not a core dump value */
    }
}

/* A value as the convention encodes it: the type byte, then a signed LEB for integers, the IEEE bits
 * for floats. */
static void put_value(wasm_bytes *out, uint8_t type, uint64_t bits) {
    wasm_bytes_byte(out, type);
    switch (type) {
    case 0x7F: wasm_bytes_s64(out, (int32_t)(uint32_t)bits); break;
    case 0x7E: wasm_bytes_s64(out, (int64_t)bits); break;
    case 0x7D: { uint32_t f = (uint32_t)bits; wasm_bytes_put(out, &f, 4); break; }
    case 0x7C: wasm_bytes_put(out, &bits, 8); break;
    }
}

static int local_value(const frame_table *table, const frame_state *frame, const frames_variable *local, uint32_t key, uint64_t *bits) {
    int size = value_size(local->type);
    if (!size || !table_holds(table, local->entries_at, (uint64_t)local->entry_count * sizeof(frames_entry))) return 0;
    const frames_entry *entries = (const frames_entry *)(table->data + local->entries_at);
    for (uint32_t i = 0; i < local->entry_count; i++) {
        const frames_entry *entry = &entries[i];
        if (key < entry->begin || key >= entry->end) continue;
        if (!table_holds(table, entry->expression_at, entry->expression_length)) return 0;
        uint64_t result;
        switch (evaluate(table, frame, table->data + entry->expression_at, entry->expression_length, &result)) {
        case PLACE_MEMORY:
            if (!readable(result, (uint64_t)size)) return 0;
            *bits = 0;
            memcpy(bits, (const void *)(uintptr_t)result, (size_t)size);
            return 1;
        case PLACE_REGISTER:
            return read_register(frame, result, size, bits);
        case PLACE_VALUE:
            *bits = result;
            return 1;
        case PLACE_NONE:
            return 0;
        }
    }
    return 0;
}

/* ---- the walk ---- */

/* A wasm frame found and not yet written: its canonical frame address is the stack pointer its
 * caller had at the call, which the next native frame of the walk gives (_Unwind_GetCFA). */
typedef struct pending_frame {
    int present;
    const frames_function *function;
    uintptr_t pc;
    frame_state state;
} pending_frame;

typedef struct walk {
    frame_table table;
    pending_frame pending;
    wasm_code_map code_map;
    int have_code_map;
    wasm_bytes *frames;
    uint32_t count;
    uint32_t trap_code_offset;
} walk;

static const uint8_t callee_saved[] = { 3, 6, 12, 13, 14, 15 }; /* rbx, rbp, r12-r15 */

static void frame_registers(struct _Unwind_Context *context, int interrupted, frame_state *frame) {
    memset(frame, 0, sizeof *frame);
#if defined(__x86_64__)
    const ucontext_t *fault = wasm_fault_context;
    if (interrupted && fault && (uintptr_t)fault->uc_mcontext.gregs[REG_RIP] == _Unwind_GetIP(context)) {
        /* DWARF numbering against the kernel's saved registers. */
        static const int gregs[16] = { REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
                                       REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
        for (int i = 0; i < 16; i++) frame->registers[i] = (uint64_t)fault->uc_mcontext.gregs[gregs[i]];
        frame->registers[16] = (uint64_t)fault->uc_mcontext.gregs[REG_RIP];
        frame->known = (1u << 17) - 1;
        frame->fault_context = fault;
        return;
    }
    /* The unwinder restores the callee-saved registers (the others are not saved across a call).
     * The stack pointer it keeps by value, as "the CFA": the frame's own stack pointer at the call
     * it is in (libgcc and LLVM's libunwind agree on that meaning of _Unwind_GetCFA). */
    for (size_t i = 0; i < sizeof callee_saved; i++) {
        frame->registers[callee_saved[i]] = _Unwind_GetGR(context, callee_saved[i]);
        frame->known |= 1u << callee_saved[i];
    }
    frame->registers[7] = _Unwind_GetCFA(context);
    frame->known |= 1u << 7;
#else
    (void)interrupted;
#endif
}

static void put_stack(walk *w, const frame_state *frame, const frames_function *function, uint32_t code_offset, uint32_t key, int youngest);

/* Writes one wasm frame of the corestack section. */
static void write_frame(walk *w, const pending_frame *found) {
    const frames_function *function = found->function;
    uintptr_t pc = found->pc;
    uint32_t code_offset = w->count == 0 && w->trap_code_offset != WASM_CODE_OFFSET_UNKNOWN && w->trap_code_offset != 0
        ? w->trap_code_offset
        : w->have_code_map ? wasm_code_map_look_up(&w->code_map, pc) : WASM_CODE_OFFSET_UNKNOWN;
    /* Relative to the function's body, as Wasmtime and wasm-tools write it; 0 (the function's
     * start) when the instruction is unknown. */
    uint32_t relative = code_offset != WASM_CODE_OFFSET_UNKNOWN && code_offset >= function->body_code_offset
        ? code_offset - function->body_code_offset : 0;

    wasm_bytes *out = w->frames;
    wasm_bytes_byte(out, 0x00);
    wasm_bytes_u32(out, 0); /* the one instance */
    wasm_bytes_u32(out, function->function_index);
    wasm_bytes_u32(out, relative);
    wasm_bytes_u32(out, function->local_count);
    uint32_t key = (uint32_t)((uint64_t)pc - w->table.bias - w->table.header->first_pc);
    const frames_variable *locals = table_holds(&w->table, function->locals_at, (uint64_t)function->described_count * sizeof(frames_variable))
        ? (const frames_variable *)(w->table.data + function->locals_at) : 0;
    for (uint32_t i = 0; i < function->local_count; i++) {
        uint64_t bits;
        if (locals && i < function->described_count && local_value(&w->table, &found->state, &locals[i], key, &bits))
            put_value(out, locals[i].type, bits);
        else
            wasm_bytes_byte(out, 0x01);
    }
    put_stack(w, &found->state, function, code_offset, key, w->count == 0);
    w->count++;
}

static _Unwind_Reason_Code on_native_frame(struct _Unwind_Context *context, void *argument) {
    walk *w = argument;
    if (w->pending.present) {
        w->pending.state.cfa = _Unwind_GetCFA(context);
        w->pending.state.cfa_known = 1;
        write_frame(w, &w->pending);
        w->pending.present = 0;
        if (w->frames->failed) return _URC_END_OF_STACK;
    }
    int before_instruction = 0;
    uintptr_t ip = _Unwind_GetIPInfo(context, &before_instruction);
    if (ip == 0) return _URC_END_OF_STACK;
    /* A return address is after the call: the call itself is one byte before. */
    uintptr_t pc = before_instruction ? ip : ip - 1;
    const frames_function *function = function_at(&w->table, (uint64_t)pc - w->table.bias);
    if (!function) return _URC_NO_REASON;
    w->pending.present = 1;
    w->pending.function = function;
    w->pending.pc = pc;
    frame_registers(context, before_instruction, &w->pending.state);
    return _URC_NO_REASON;
}

/* The operand stack slot (height, type) of a function, or 0. */
static const frames_variable *stack_slot(const frame_table *table, const frames_function *function, uint32_t height, uint8_t type) {
    if (!table_holds(table, function->slots_at, (uint64_t)function->slot_count * sizeof(frames_variable))) return 0;
    const frames_variable *slots = (const frames_variable *)(table->data + function->slots_at);
    uint32_t lo = 0, hi = function->slot_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (slots[mid].height < height || (slots[mid].height == height && slots[mid].type < type)) lo = mid + 1;
        else hi = mid;
    }
    return lo < function->slot_count && slots[lo].height == height && slots[lo].type == type ? &slots[lo] : 0;
}

/* The frame's operand stack: the shape at its instruction, each slot's value where it can be read.
 * Empty when the instruction is not one of the table's points (then nothing is known of it). */
static void put_stack(walk *w, const frame_state *frame, const frames_function *function, uint32_t code_offset, uint32_t key, int youngest) {
    const frame_table *table = &w->table;
    wasm_bytes *out = w->frames;
    const frames_point *point = 0;
    if (code_offset != WASM_CODE_OFFSET_UNKNOWN && table_holds(table, function->points_at, (uint64_t)function->point_count * sizeof(frames_point))) {
        const frames_point *points = (const frames_point *)(table->data + function->points_at);
        uint32_t lo = 0, hi = function->point_count;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (points[mid].code_offset < code_offset) lo = mid + 1;
            else hi = mid;
        }
        if (lo < function->point_count && points[lo].code_offset == code_offset) point = &points[lo];
    }
    uint32_t height = 0;
    const uint8_t *types = 0;
    if (point && table_holds(table, point->shape_at, 4)) {
        memcpy(&height, table->data + point->shape_at, 4);
        if (!table_holds(table, (uint64_t)point->shape_at + 4, height)) height = 0;
        types = table->data + point->shape_at + 4;
        if (!youngest && point->height_at_call < height) height = point->height_at_call;
    }
    wasm_bytes_u32(out, height);
    for (uint32_t i = 0; i < height; i++) {
        const frames_variable *slot = stack_slot(table, function, i, types[i]);
        uint64_t bits;
        if (slot && local_value(table, frame, slot, key, &bits))
            put_value(out, types[i], bits);
        else
            wasm_bytes_byte(out, 0x01);
    }
}

uint32_t wasm_coredump_frames(wasm_bytes *frames, uint32_t trap_code_offset) {
    walk w;
    memset(&w, 0, sizeof w);
    w.frames = frames;
    w.trap_code_offset = trap_code_offset;
    if (!frame_table_load(&w.table)) return 0;
    w.have_code_map = wasm_code_map_open(&w.code_map);
    if (w.have_code_map) wasm_code_map_load(&w.code_map);
    _Unwind_Backtrace(on_native_frame, &w);
    if (w.pending.present && !frames->failed) write_frame(&w, &w.pending); /* the outermost: no caller, no CFA */
    if (w.have_code_map) wasm_code_map_close(&w.code_map);
    frame_table_free(&w.table);
    return w.count;
}

uint32_t wasm_coredump_globals(wasm_bytes *out) {
    frame_table table;
    memset(&table, 0, sizeof table);
    if (!frame_table_load(&table)) return 0;
    const frames_global *globals = (const frames_global *)(table.data + table.header->globals_at);
    uint32_t count = table.header->global_count;
    for (uint32_t i = 0; i < count; i++) {
        const frames_global *global = &globals[i];
        uint64_t bits = 0;
        int size = value_size(global->type);
        if (global->address && size) memcpy(&bits, (const void *)(uintptr_t)(global->address + table.bias), (size_t)size);
        /* globaltype (immutable), then a constant initializer: the value at the trap. v128 and
         * references, which the convention has no value for, are written as zero and null. */
        wasm_bytes_byte(out, global->type);
        wasm_bytes_byte(out, 0x00);
        switch (global->type) {
        case 0x7F: wasm_bytes_byte(out, 0x41); wasm_bytes_s64(out, (int32_t)(uint32_t)bits); break;
        case 0x7E: wasm_bytes_byte(out, 0x42); wasm_bytes_s64(out, (int64_t)bits); break;
        case 0x7D: wasm_bytes_byte(out, 0x43); wasm_bytes_put(out, &bits, 4); break;
        case 0x7C: wasm_bytes_byte(out, 0x44); wasm_bytes_put(out, &bits, 8); break;
        case 0x7B: {
            static const uint8_t zero[16];
            wasm_bytes_byte(out, 0xFD); wasm_bytes_u32(out, 12); wasm_bytes_put(out, zero, 16);
            break;
        }
        default: wasm_bytes_byte(out, 0xD0); wasm_bytes_byte(out, global->type); break;
        }
        wasm_bytes_byte(out, 0x0B);
    }
    frame_table_free(&table);
    return count;
}
