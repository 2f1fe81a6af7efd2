/* Dwarfsmith AOT runtime: a WebAssembly core dump written when the program traps.
 *
 * The format is tool-conventions' Coredump.md as wasm-tools and Wasmtime write it: a wasm module
 * with the custom sections
 *   core           0x00 name                      (the module's file name)
 *   coremodules    vec(0x00 name)                 (the one module)
 *   coreinstances  vec(0x00 module:u32 memories:vec(u32) globals:vec(u32))
 *   corestack      0x00 "main" vec(frame), frame = 0x00 instance func code-offset vec(value) vec(value)
 * then a memory section (the memory's size at the trap), a global section (each global's value as
 * the initializer of an immutable global) and a data section (linear memory as active segments,
 * runs of zero bytes left out). Frames are youngest first, code offsets relative to the function
 * body; locals come from wasm_coredump_frames.c.
 *
 * The dump goes to a temporary file beside the destination, renamed into place when complete: a dump
 * is whole or absent. Linear memory is streamed from where it is, never copied. */
#define _GNU_SOURCE
#include "wasm_coredump.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

const char *wasm_coredump_path;
void *wasm_fault_context;

/* ---- bytes in mapped memory ---- */

static int reserve(wasm_bytes *bytes, size_t more) {
    if (bytes->failed) return 0;
    if (bytes->capacity - bytes->size >= more) return 1;
    size_t capacity = bytes->capacity ? bytes->capacity : 64 << 10;
    while (capacity - bytes->size < more) {
        if (capacity > SIZE_MAX / 2) { bytes->failed = 1; return 0; }
        capacity *= 2;
    }
    void *data = bytes->data
        ? mremap(bytes->data, bytes->capacity, capacity, MREMAP_MAYMOVE)
        : mmap(0, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (data == MAP_FAILED) { bytes->failed = 1; return 0; }
    bytes->data = data;
    bytes->capacity = capacity;
    return 1;
}

void wasm_bytes_put(wasm_bytes *bytes, const void *data, size_t size) {
    if (!reserve(bytes, size)) return;
    memcpy(bytes->data + bytes->size, data, size);
    bytes->size += size;
}

void wasm_bytes_byte(wasm_bytes *bytes, uint8_t value) {
    wasm_bytes_put(bytes, &value, 1);
}

static size_t encode_u64(uint8_t *out, uint64_t value) {
    size_t n = 0;
    do {
        uint8_t b = value & 0x7F;
        value >>= 7;
        out[n++] = b | (value ? 0x80 : 0);
    } while (value);
    return n;
}

void wasm_bytes_u32(wasm_bytes *bytes, uint32_t value) {
    uint8_t buffer[10];
    wasm_bytes_put(bytes, buffer, encode_u64(buffer, value));
}

void wasm_bytes_s64(wasm_bytes *bytes, int64_t value) {
    uint8_t buffer[10];
    size_t n = 0;
    for (;;) {
        uint8_t b = value & 0x7F;
        value >>= 7; /* arithmetic */
        int done = (value == 0 && !(b & 0x40)) || (value == -1 && (b & 0x40));
        buffer[n++] = b | (done ? 0 : 0x80);
        if (done) break;
    }
    wasm_bytes_put(bytes, buffer, n);
}

void wasm_bytes_name(wasm_bytes *bytes, const char *name) {
    size_t length = strlen(name);
    wasm_bytes_u32(bytes, (uint32_t)length);
    wasm_bytes_put(bytes, name, length);
}

void wasm_bytes_free(wasm_bytes *bytes) {
    if (bytes->data) munmap(bytes->data, bytes->capacity);
    memset(bytes, 0, sizeof *bytes);
}

/* ---- the file ---- */

typedef struct output {
    int fd;
    int failed;
    uint8_t buffer[64 << 10];
    size_t used;
} output;

static void flush(output *out) {
    size_t done = 0;
    while (!out->failed && done < out->used) {
        ssize_t n = write(out->fd, out->buffer + done, out->used - done);
        if (n <= 0) out->failed = 1;
        else done += (size_t)n;
    }
    out->used = 0;
}

static void emit(output *out, const void *data, size_t size) {
    const uint8_t *bytes = data;
    while (size && !out->failed) {
        if (out->used == sizeof out->buffer) flush(out);
        size_t n = sizeof out->buffer - out->used;
        if (n > size) n = size;
        memcpy(out->buffer + out->used, bytes, n);
        out->used += n;
        bytes += n;
        size -= n;
    }
}

static void emit_u32(output *out, uint64_t value) {
    uint8_t buffer[10];
    emit(out, buffer, encode_u64(buffer, value));
}

static size_t u32_size(uint64_t value) {
    uint8_t buffer[10];
    return encode_u64(buffer, value);
}

static void emit_section(output *out, uint8_t id, const wasm_bytes *contents) {
    emit(out, &id, 1);
    emit_u32(out, contents->size);
    emit(out, contents->data, contents->size);
}

/* A custom section: its name, then contents. */
static void emit_custom(output *out, const char *name, const wasm_bytes *contents) {
    size_t length = strlen(name);
    uint8_t id = 0;
    emit(out, &id, 1);
    emit_u32(out, u32_size(length) + length + contents->size);
    emit_u32(out, length);
    emit(out, name, length);
    emit(out, contents->data, contents->size);
}

/* ---- linear memory as data segments ----
 * Memory is looked at in blocks; a run of non-zero blocks becomes a segment, and zero stretches
 * shorter than MIN_GAP blocks stay inside their segment (a segment costs more than a few zeros). */

#define BLOCK 64u
#define MIN_GAP 4u

static int zero_block(const uint8_t *at) {
    const uint64_t *words = (const uint64_t *)at;
    uint64_t any = 0;
    for (unsigned i = 0; i < BLOCK / 8; i++) any |= words[i];
    return any == 0;
}

/* The next segment at or after *from: [start, end). 0 when there is none. */
static int next_segment(uint64_t *from, uint64_t *start, uint64_t *end) {
    uint64_t size = wasm_mem0_size - wasm_mem0_size % BLOCK, at = *from;
    while (at < size && zero_block(wasm_mem0_base + at)) at += BLOCK;
    if (at >= size) return 0;
    *start = at;
    uint64_t last = at; /* the end of the last non-zero block */
    while (at < size) {
        if (!zero_block(wasm_mem0_base + at)) last = at + BLOCK;
        else if (at - last >= (uint64_t)MIN_GAP * BLOCK) break;
        at += BLOCK;
    }
    *end = last;
    *from = last;
    return 1;
}

static size_t segment_header_size(uint64_t start, uint64_t length) {
    wasm_bytes offset = { 0 };
    wasm_bytes_s64(&offset, (int32_t)(uint32_t)start);
    size_t size = 1 + 1 + offset.size + 1 + u32_size(length);
    wasm_bytes_free(&offset);
    return size;
}

static void emit_data(output *out) {
    uint64_t from = 0, start, end, count = 0, total = 0;
    while (next_segment(&from, &start, &end)) {
        count++;
        total += segment_header_size(start, end - start) + (end - start);
    }
    uint8_t id = 11;
    emit(out, &id, 1);
    emit_u32(out, u32_size(count) + total);
    emit_u32(out, count);
    from = 0;
    while (next_segment(&from, &start, &end)) {
        wasm_bytes header = { 0 };
        wasm_bytes_byte(&header, 0x00);                      /* active, memory 0 */
        wasm_bytes_byte(&header, 0x41);                      /* i32.const */
        wasm_bytes_s64(&header, (int32_t)(uint32_t)start);
        wasm_bytes_byte(&header, 0x0B);                      /* end */
        wasm_bytes_u32(&header, (uint32_t)(end - start));
        emit(out, header.data, header.size);
        wasm_bytes_free(&header);
        emit(out, wasm_mem0_base + start, end - start);
    }
}

/* ---- the dump ---- */

static int write_dump(int fd, uint32_t trap_code_offset) {
    static output out; /* 64 KiB: not on the stack of a program that may have exhausted it */
    out.fd = fd;
    out.failed = 0;
    out.used = 0;
    static const uint8_t header[8] = { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
    emit(&out, header, sizeof header);

    wasm_bytes core = { 0 }, modules = { 0 }, instances = { 0 }, stack = { 0 }, frames = { 0 }, memory = { 0 }, globals = { 0 };
    wasm_bytes_byte(&core, 0x00);
    wasm_bytes_name(&core, wasm_module_name);
    wasm_bytes_u32(&modules, 1);
    wasm_bytes_byte(&modules, 0x00);
    wasm_bytes_name(&modules, wasm_module_name);

    uint32_t frame_count = wasm_coredump_frames(&frames, trap_code_offset);
    wasm_bytes_byte(&stack, 0x00);
    wasm_bytes_name(&stack, "main");
    wasm_bytes_u32(&stack, frame_count);
    wasm_bytes_put(&stack, frames.data, frames.size);

    wasm_bytes global_entries = { 0 };
    uint32_t global_count = wasm_coredump_globals(&global_entries);
    wasm_bytes_u32(&globals, global_count);
    wasm_bytes_put(&globals, global_entries.data, global_entries.size);

    int has_memory = wasm_mem0_base != 0;
    wasm_bytes_u32(&instances, 1);
    wasm_bytes_byte(&instances, 0x00);
    wasm_bytes_u32(&instances, 0);
    wasm_bytes_u32(&instances, has_memory ? 1 : 0);
    if (has_memory) wasm_bytes_u32(&instances, 0);
    wasm_bytes_u32(&instances, global_count);
    for (uint32_t i = 0; i < global_count; i++) wasm_bytes_u32(&instances, i);

    if (has_memory) {
        uint64_t pages = wasm_mem0_size / WASM_PAGE_SIZE;
        wasm_bytes_u32(&memory, 1);
        wasm_bytes_byte(&memory, 0x01);
        wasm_bytes_u32(&memory, (uint32_t)pages);
        wasm_bytes_u32(&memory, (uint32_t)(wasm_mem0_max_pages < 65536 ? wasm_mem0_max_pages : 65536));
    }

    emit_custom(&out, "core", &core);
    emit_custom(&out, "coremodules", &modules);
    emit_custom(&out, "coreinstances", &instances);
    emit_custom(&out, "corestack", &stack);
    if (has_memory) emit_section(&out, 5, &memory);
    if (global_count) emit_section(&out, 6, &globals);
    if (has_memory) emit_data(&out);
    flush(&out);

    int failed = out.failed || core.failed || modules.failed || instances.failed || stack.failed || frames.failed
        || memory.failed || globals.failed || global_entries.failed;
    wasm_bytes_free(&core); wasm_bytes_free(&modules); wasm_bytes_free(&instances); wasm_bytes_free(&stack);
    wasm_bytes_free(&frames); wasm_bytes_free(&memory); wasm_bytes_free(&globals); wasm_bytes_free(&global_entries);
    return !failed;
}

static void report(const char *text, const char *path) {
    char buffer[4200];
    int n = snprintf(buffer, sizeof buffer, "%s%s\n", text, path);
    if (n > 0) {
        ssize_t unused = write(2, buffer, (size_t)n < sizeof buffer ? (size_t)n : sizeof buffer - 1);
        (void)unused;
    }
}

void wasm_coredump_write(uint32_t trap_code_offset) {
    const char *path = wasm_coredump_path;
    if (!path || !*path) return;
    char temporary[4096];
    int n = snprintf(temporary, sizeof temporary, "%s.%ld.tmp", path, (long)getpid());
    if (n <= 0 || (size_t)n >= sizeof temporary) {
        report("wasm core dump: the path is too long: ", path);
        return;
    }
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        report("wasm core dump: cannot create ", temporary);
        return;
    }
    int written = write_dump(fd, trap_code_offset);
    if (close(fd) != 0) written = 0;
    if (!written || rename(temporary, path) != 0) {
        unlink(temporary);
        report("wasm core dump: cannot write ", path);
        return;
    }
    report("wasm core dump written to ", path);
}
