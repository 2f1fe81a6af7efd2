/* Dwarfsmith AOT runtime: the parts of the core dump writer (wasm_coredump.c, wasm_coredump_frames.c). */
#ifndef WASM_COREDUMP_H
#define WASM_COREDUMP_H

#include "wasm_rt.h"

/* Bytes built in memory that is mapped, not allocated: the writer runs after a fault, when the
 * host's malloc may be the thing that broke. A failed growth sets failed and drops what follows. */
typedef struct wasm_bytes {
    uint8_t *data;
    size_t size, capacity;
    int failed;
} wasm_bytes;

void wasm_bytes_put(wasm_bytes *bytes, const void *data, size_t size);
void wasm_bytes_byte(wasm_bytes *bytes, uint8_t value);
void wasm_bytes_u32(wasm_bytes *bytes, uint32_t value);   /* unsigned LEB128 */
void wasm_bytes_s64(wasm_bytes *bytes, int64_t value);    /* signed LEB128 */
void wasm_bytes_name(wasm_bytes *bytes, const char *name); /* vec(byte) */
void wasm_bytes_free(wasm_bytes *bytes);

/* A corestack section's contents for the calling thread: "main", then its frames youngest first
 * (unwound from the caller; the youngest wasm frame's code offset is trap_code_offset when known).
 * Returns the number of frames. */
uint32_t wasm_coredump_frames(wasm_bytes *stack, uint32_t trap_code_offset);

/* The frame table's globals, as the global section of the dump: each one's current value as the
 * initializer of an immutable global. Returns the number of globals. */
uint32_t wasm_coredump_globals(wasm_bytes *globals);

/* The interrupted context of a memory fault (set by the guard-page handler before it reports the
 * trap): the faulting frame's registers, caller-saved ones included. */
extern void *wasm_fault_context;

#endif
