/* Dwarfsmith AOT runtime: sections of the running executable's own ELF file.
 *
 * The AOT compiler attaches tables the runtime needs only when something goes wrong (the code offset
 * table, wasm_code_map.c; the frame table, wasm_coredump.c) as non-allocated sections: they cost
 * nothing at run time, and are read here from /proc/self/exe with pread only, so that a fault
 * handler may call this (async-signal-safe). pcs in those tables are link-time addresses; the load
 * bias is where the ELF header is (__ehdr_start) minus its link-time address (the PT_LOAD segment at
 * file offset 0). */
#define _GNU_SOURCE
#include "wasm_rt.h"

#if UINTPTR_MAX > 0xFFFFFFFFu

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

/* Defined by the linker (GNU ld, gold, lld) at the ELF header; weak, in case one does not. */
extern const char __ehdr_start __attribute__((weak, visibility("hidden")));

int wasm_self_read(int fd, void *buffer, size_t size, uint64_t offset) {
    return pread(fd, buffer, size, (off_t)offset) == (ssize_t)size;
}

/* The link-time address of the ELF header: the address of the loadable segment at file offset 0. */
static int header_link_address(int fd, const Elf64_Ehdr *elf, uint64_t *address) {
    for (uint32_t i = 0; i < elf->e_phnum; i++) {
        Elf64_Phdr segment;
        if (!wasm_self_read(fd, &segment, sizeof segment, elf->e_phoff + (uint64_t)i * elf->e_phentsize)) return 0;
        if (segment.p_type == PT_LOAD && segment.p_offset == 0) {
            *address = segment.p_vaddr;
            return 1;
        }
    }
    return 0;
}

static int find_section(int fd, const Elf64_Ehdr *elf, const char *wanted, uint64_t *offset, uint64_t *size) {
    Elf64_Shdr names;
    size_t length = strlen(wanted) + 1;
    char name[64];
    if (length > sizeof name) return 0;
    if (elf->e_shstrndx == SHN_UNDEF || elf->e_shstrndx >= elf->e_shnum) return 0;
    if (!wasm_self_read(fd, &names, sizeof names, elf->e_shoff + (uint64_t)elf->e_shstrndx * elf->e_shentsize)) return 0;
    for (uint32_t i = 0; i < elf->e_shnum; i++) {
        Elf64_Shdr section;
        if (!wasm_self_read(fd, &section, sizeof section, elf->e_shoff + (uint64_t)i * elf->e_shentsize)) return 0;
        if (section.sh_name >= names.sh_size || names.sh_size - section.sh_name < length) continue;
        if (!wasm_self_read(fd, name, length, names.sh_offset + section.sh_name)) return 0;
        if (memcmp(name, wanted, length) == 0) {
            *offset = section.sh_offset;
            *size = section.sh_size;
            return 1;
        }
    }
    return 0;
}

int wasm_self_section_open(const char *name, wasm_self_section *section) {
    Elf64_Ehdr elf;
    uint64_t header_address;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    if (!wasm_self_read(fd, &elf, sizeof elf, 0) || memcmp(elf.e_ident, ELFMAG, SELFMAG) != 0 || elf.e_ident[EI_CLASS] != ELFCLASS64
        || !&__ehdr_start || !header_link_address(fd, &elf, &header_address)
        || !find_section(fd, &elf, name, &section->offset, &section->size)) {
        close(fd);
        return 0;
    }
    section->fd = fd;
    section->bias = (uint64_t)(uintptr_t)&__ehdr_start - header_address;
    return 1;
}

void wasm_self_section_close(wasm_self_section *section) {
    if (section->fd >= 0) close(section->fd);
    section->fd = -1;
}

#else

int wasm_self_read(int fd, void *buffer, size_t size, uint64_t offset) {
    (void)fd; (void)buffer; (void)size; (void)offset;
    return 0;
}

int wasm_self_section_open(const char *name, wasm_self_section *section) {
    (void)name; (void)section;
    return 0;
}

void wasm_self_section_close(wasm_self_section *section) {
    (void)section;
}

#endif
