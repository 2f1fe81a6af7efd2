/* Dwarfsmith AOT runtime: the debug alias of linear memory 0 (debug builds, -DWASM_DEBUG_ALIAS;
 * docs/ARCHITECTURE.md, "Debug builds: the memory alias").
 *
 * A wasm pointer is a 32-bit linear-memory address, and a debugger reading the original program's
 * DWARF dereferences a pointer value p at host address p. So the memory's pages live in a memfd,
 * mapped twice: at the reservation base (wasm_mem0_base, guard pages as usual), which the code uses,
 * and at the identity address, host address a == wasm address a, which only debuggers read. Below
 * the kernel's vm.mmap_min_addr nothing can be mapped: those addresses have no alias, and
 * wasm_mem0_alias_start (0: no alias at all) says where it begins. The whole range the memory can
 * grow into, [alias start, min(maximum, 4 GiB)), is reserved inaccessible at instantiation, so that
 * nothing else is placed there; memory.grow extends the memfd and maps the new pages into both views.
 * When any step fails (no memfd, the range taken, a 32-bit host), the memory is made as without the
 * alias and the program runs the same: only the debug view is missing. */
#define _GNU_SOURCE
#include "wasm_rt.h"

#ifdef WASM_DEBUG_ALIAS

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Headers older than glibc 2.28 lack it; a kernel older than 4.17 ignores it (checked below). */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

uint64_t wasm_mem0_alias_start;

static uint8_t *aliased_base; /* the memory the alias belongs to (the first one created) */
static uint64_t alias_end;
static int memory_fd = -1;

/* vm.mmap_min_addr rounded up to a page; the largest value any distribution uses when unreadable. */
static uint64_t lowest_mappable_address(void) {
    uint64_t address = 65536;
    int fd = open("/proc/sys/vm/mmap_min_addr", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char text[32];
        ssize_t n = read(fd, text, sizeof text - 1);
        close(fd);
        if (n > 0) {
            uint64_t value = 0;
            ssize_t i = 0;
            for (; i < n && text[i] >= '0' && text[i] <= '9'; i++) value = value * 10 + (uint64_t)(text[i] - '0');
            if (i > 0) address = value;
        }
    }
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    address = (address + page - 1) / page * page;
    return address ? address : page;
}

void wasm_alias_attach(uint8_t *base, uint64_t max_pages) {
    if (UINTPTR_MAX <= 0xFFFFFFFFu || aliased_base) return;
    uint64_t start = lowest_mappable_address();
    uint64_t end = max_pages * WASM_PAGE_SIZE;
    if (end > (1ull << 32)) end = 1ull << 32;
    if (end <= start) return;
    int fd = memfd_create("wasm-memory-0", MFD_CLOEXEC);
    if (fd < 0) return;
    /* MAP_FIXED_NOREPLACE fails where anything is mapped already; a kernel older than 4.17 takes it
     * as a hint and may place the reservation elsewhere, which is a failure too. */
    void *reserved = mmap((void *)(uintptr_t)start, end - start, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (reserved != (void *)(uintptr_t)start) {
        if (reserved != MAP_FAILED) munmap(reserved, end - start);
        close(fd);
        return;
    }
    memory_fd = fd;
    aliased_base = base;
    alias_end = end;
    wasm_mem0_alias_start = start;
}

int wasm_alias_owns(const uint8_t *base) {
    return aliased_base && base == aliased_base;
}

/* [old_size, new_size) of the memory becomes accessible in both views; 0 when it cannot. */
int wasm_alias_grow(uint8_t *base, uint64_t old_size, uint64_t new_size) {
    if (ftruncate(memory_fd, (off_t)new_size) != 0) return 0;
    if (mmap(base + old_size, new_size - old_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, memory_fd, (off_t)old_size) == MAP_FAILED) {
        if (ftruncate(memory_fd, (off_t)old_size) != 0) { /* the size stays larger; nothing maps it */ }
        return 0;
    }
    uint64_t low = old_size > wasm_mem0_alias_start ? old_size : wasm_mem0_alias_start;
    uint64_t high = new_size < alias_end ? new_size : alias_end;
    /* Inside our own reservation, so MAP_FIXED replaces nothing else; should it fail, those pages
     * merely stay invisible to debuggers. */
    if (low < high)
        mmap((void *)(uintptr_t)low, high - low, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, memory_fd, (off_t)low);
    return 1;
}

#endif
