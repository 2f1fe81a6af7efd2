/* Dwarfsmith AOT runtime: native pc -> wasm code offset, for traps that a fault finds (guard pages)
 * and for the frames of a core dump.
 *
 * The translated C has `#line <code offset> "<module>.wasm"` before every instruction, so the
 * executable's own line table maps native addresses to code offsets. After linking, the AOT compiler
 * reduces it to a sorted table (NativeCodeOffsetTable.cs) and attaches it to the executable as the
 * non-allocated section .dwarfsmith.code_offsets, little-endian:
 *   header  char magic[8] = "DWSMCO1\0"; uint64_t first_pc; uint32_t row_count; uint32_t reserved;
 *   rows    { uint32_t pc - first_pc; uint32_t code_offset; } sorted by pc, each holding until the
 *           next; code offset 0xFFFFFFFF: no wasm instruction there (runtime code, line 0, gaps).
 * pcs are link-time addresses (wasm_self_elf.c). Everything is read with pread, and only when it is
 * needed: nothing is loaded at start, and the lookup is async-signal-safe. */
#define _GNU_SOURCE
#include "wasm_rt.h"

#include <sys/mman.h>

#define TABLE_SECTION ".dwarfsmith.code_offsets"
#define TABLE_MAGIC "DWSMCO1"

typedef struct table_header {
    char magic[8];
    uint64_t first_pc;
    uint32_t row_count;
    uint32_t reserved;
} table_header;

typedef struct table_row {
    uint32_t pc;
    uint32_t code_offset;
} table_row;

int wasm_code_map_open(wasm_code_map *map) {
    table_header header;
    if (!wasm_self_section_open(TABLE_SECTION, &map->section)) return 0;
    if (map->section.size < sizeof header || !wasm_self_read(map->section.fd, &header, sizeof header, map->section.offset)
        || memcmp(header.magic, TABLE_MAGIC, 8) != 0 || (map->section.size - sizeof header) / sizeof(table_row) < header.row_count) {
        wasm_self_section_close(&map->section);
        return 0;
    }
    map->first_pc = header.first_pc;
    map->row_count = header.row_count;
    map->rows = 0;
    return 1;
}

/* Many look-ups (a core dump of a deep stack) search the rows in memory rather than by a pread each. */
int wasm_code_map_load(wasm_code_map *map) {
    size_t size = (size_t)map->row_count * sizeof(table_row);
    if (size == 0) return 1;
    void *rows = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rows == MAP_FAILED) return 0;
    if (!wasm_self_read(map->section.fd, rows, size, map->section.offset + sizeof(table_header))) {
        munmap(rows, size);
        return 0;
    }
    map->rows = rows;
    return 1;
}

void wasm_code_map_close(wasm_code_map *map) {
    if (map->rows) munmap(map->rows, (size_t)map->row_count * sizeof(table_row));
    map->rows = 0;
    wasm_self_section_close(&map->section);
}

static int row_at(const wasm_code_map *map, uint32_t index, table_row *row) {
    if (map->rows) {
        *row = ((const table_row *)map->rows)[index];
        return 1;
    }
    return wasm_self_read(map->section.fd, row, sizeof *row, map->section.offset + sizeof(table_header) + (uint64_t)index * sizeof *row);
}

uint32_t wasm_code_map_look_up(const wasm_code_map *map, uintptr_t pc) {
    uint64_t link_pc = (uint64_t)pc - map->section.bias;
    if (link_pc < map->first_pc || link_pc - map->first_pc > UINT32_MAX) return WASM_CODE_OFFSET_UNKNOWN;
    uint32_t key = (uint32_t)(link_pc - map->first_pc);
    uint32_t lo = 0, hi = map->row_count; /* the first row after key */
    table_row row;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (!row_at(map, mid, &row)) return WASM_CODE_OFFSET_UNKNOWN;
        if (row.pc <= key) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0 || !row_at(map, lo - 1, &row)) return WASM_CODE_OFFSET_UNKNOWN;
    return row.code_offset;
}

uint32_t wasm_code_offset_at(uintptr_t pc) {
    wasm_code_map map;
    if (!wasm_code_map_open(&map)) return WASM_CODE_OFFSET_UNKNOWN;
    uint32_t code_offset = wasm_code_map_look_up(&map, pc);
    wasm_code_map_close(&map);
    return code_offset;
}
