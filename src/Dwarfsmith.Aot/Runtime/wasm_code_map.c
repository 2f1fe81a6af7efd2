/* Dwarfsmith AOT runtime: native pc -> wasm code offset, for traps that a fault finds (guard pages).
 *
 * The translated C has `#line <code offset> "<module>.wasm"` before every instruction, so the
 * executable's own line table maps native addresses to code offsets. After linking, the AOT compiler
 * reduces it to a sorted table (NativeCodeOffsetTable.cs) and attaches it to the executable as the
 * non-allocated section .dwarfsmith.code_offsets, little-endian:
 *   header  char magic[8] = "DWSMCO1\0"; uint64_t first_pc; uint32_t row_count; uint32_t reserved;
 *   rows    { uint32_t pc - first_pc; uint32_t code_offset; } sorted by pc, each holding until the
 *           next; code offset 0xFFFFFFFF: no wasm instruction there (runtime code, line 0, gaps).
 * pcs are link-time addresses; the load bias is where the ELF header is (__ehdr_start) minus its
 * link-time address (the PT_LOAD segment at file offset 0). Everything is read with pread from
 * /proc/self/exe, and only when a fault happens: nothing is loaded at start, and the lookup is
 * async-signal-safe. */
#define _GNU_SOURCE
#include "wasm_rt.h"

#if UINTPTR_MAX > 0xFFFFFFFFu

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

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

/* Defined by the linker (GNU ld, gold, lld) at the ELF header; weak, in case one does not. */
extern const char __ehdr_start __attribute__((weak, visibility("hidden")));

static int read_at(int fd, void *buffer, size_t size, uint64_t offset) {
    return pread(fd, buffer, size, (off_t)offset) == (ssize_t)size;
}

/* The link-time address of the ELF header: the address of the loadable segment at file offset 0. */
static int header_link_address(int fd, const Elf64_Ehdr *elf, uint64_t *address) {
    for (uint32_t i = 0; i < elf->e_phnum; i++) {
        Elf64_Phdr segment;
        if (!read_at(fd, &segment, sizeof segment, elf->e_phoff + (uint64_t)i * elf->e_phentsize)) return 0;
        if (segment.p_type == PT_LOAD && segment.p_offset == 0) {
            *address = segment.p_vaddr;
            return 1;
        }
    }
    return 0;
}

static int find_table(int fd, const Elf64_Ehdr *elf, uint64_t *offset, uint64_t *size) {
    Elf64_Shdr names;
    if (elf->e_shstrndx == SHN_UNDEF || elf->e_shstrndx >= elf->e_shnum) return 0;
    if (!read_at(fd, &names, sizeof names, elf->e_shoff + (uint64_t)elf->e_shstrndx * elf->e_shentsize)) return 0;
    for (uint32_t i = 0; i < elf->e_shnum; i++) {
        Elf64_Shdr section;
        char name[sizeof TABLE_SECTION];
        if (!read_at(fd, &section, sizeof section, elf->e_shoff + (uint64_t)i * elf->e_shentsize)) return 0;
        if (section.sh_name >= names.sh_size || names.sh_size - section.sh_name < sizeof name) continue;
        if (!read_at(fd, name, sizeof name, names.sh_offset + section.sh_name)) return 0;
        if (memcmp(name, TABLE_SECTION, sizeof name) == 0) {
            *offset = section.sh_offset;
            *size = section.sh_size;
            return 1;
        }
    }
    return 0;
}

static uint32_t look_up(int fd, uintptr_t pc) {
    Elf64_Ehdr elf;
    uint64_t header_address, table_offset, table_size;
    table_header header;
    if (!read_at(fd, &elf, sizeof elf, 0) || memcmp(elf.e_ident, ELFMAG, SELFMAG) != 0 || elf.e_ident[EI_CLASS] != ELFCLASS64) return WASM_CODE_OFFSET_UNKNOWN;
    if (!&__ehdr_start || !header_link_address(fd, &elf, &header_address)) return WASM_CODE_OFFSET_UNKNOWN;
    if (!find_table(fd, &elf, &table_offset, &table_size) || table_size < sizeof header) return WASM_CODE_OFFSET_UNKNOWN;
    if (!read_at(fd, &header, sizeof header, table_offset) || memcmp(header.magic, TABLE_MAGIC, 8) != 0) return WASM_CODE_OFFSET_UNKNOWN;
    if ((table_size - sizeof header) / sizeof(table_row) < header.row_count) return WASM_CODE_OFFSET_UNKNOWN;

    uint64_t link_pc = (uint64_t)pc - (uint64_t)(uintptr_t)&__ehdr_start + header_address;
    if (link_pc < header.first_pc || link_pc - header.first_pc > UINT32_MAX) return WASM_CODE_OFFSET_UNKNOWN;
    uint32_t key = (uint32_t)(link_pc - header.first_pc);
    uint64_t rows = table_offset + sizeof header;
    uint32_t lo = 0, hi = header.row_count; /* the first row after key */
    table_row row;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (!read_at(fd, &row, sizeof row, rows + (uint64_t)mid * sizeof row)) return WASM_CODE_OFFSET_UNKNOWN;
        if (row.pc <= key) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0 || !read_at(fd, &row, sizeof row, rows + (uint64_t)(lo - 1) * sizeof row)) return WASM_CODE_OFFSET_UNKNOWN;
    return row.code_offset;
}

uint32_t wasm_code_offset_at(uintptr_t pc) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return WASM_CODE_OFFSET_UNKNOWN;
    uint32_t code_offset = look_up(fd, pc);
    close(fd);
    return code_offset;
}

#else

uint32_t wasm_code_offset_at(uintptr_t pc) {
    (void)pc;
    return WASM_CODE_OFFSET_UNKNOWN;
}

#endif
