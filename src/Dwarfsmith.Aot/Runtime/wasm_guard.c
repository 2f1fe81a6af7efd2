/* Dwarfsmith AOT runtime: guard pages. Each linear memory reserves WASM_MEMORY_RESERVATION bytes of
 * address space (wasm_rt.c), of which only its current size is accessible, and translated loads and
 * stores compute base + address + offset without a check (wasm_rt.h). An out-of-bounds access
 * therefore faults inside a reservation; the handler here reports that fault as the trap "out of
 * bounds memory access" at the code offset of the faulting instruction, found from the pc
 * (wasm_code_map.c), through wasm_trap like an explicit check would (so a harness's wasm_trap_hook
 * catches it too). Any other fault keeps its default action: a crash, not a trap. */
#define _GNU_SOURCE
#include "wasm_rt.h"
#ifdef WASM_COREDUMP
#include "wasm_coredump.h"
#endif

#ifdef WASM_GUARD_PAGES

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

/* 4096 reservations of 8 GiB are 32 TiB, a quarter of a 47-bit address space. */
#define MAX_RESERVATIONS 4096u
#define SIGNAL_STACK_SIZE ((size_t)64 << 10)

typedef struct reservation {
    uintptr_t start, end;
} reservation;

/* Appended by wasm_guard_register, read by the handler: the count is published after the entry. */
static reservation reservations[MAX_RESERVATIONS];
static uint32_t reservation_count;

static int in_reservation(uintptr_t address) {
    uint32_t count = __atomic_load_n(&reservation_count, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < count; i++)
        if (address >= reservations[i].start && address < reservations[i].end) return 1;
    return 0;
}

static uintptr_t faulting_pc(void *context) {
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void on_fault(int signal, siginfo_t *info, void *context) {
    if (!in_reservation((uintptr_t)info->si_addr)) {
        /* Not a wasm memory access: restore the default action; the access faults again and the
         * process dies of the signal as it would without this handler. */
        struct sigaction fallback = { .sa_handler = SIG_DFL };
        sigemptyset(&fallback.sa_mask);
        sigaction(signal, &fallback, 0);
        return;
    }
#ifdef WASM_COREDUMP
    wasm_fault_context = context;
#endif
    uintptr_t pc = faulting_pc(context);
    uint32_t code_offset = pc ? wasm_code_offset_at(pc) : WASM_CODE_OFFSET_UNKNOWN;
    /* A harness's trap hook leaves by longjmp, not through the kernel's sigreturn: unblock the
     * signal, or the next out-of-bounds access would find it blocked and kill the process. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, signal);
    pthread_sigmask(SIG_UNBLOCK, &signals, 0);
    wasm_trap(WASM_TRAP_MEMORY_OOB, code_offset);
}

void wasm_guard_register(uint8_t *base, uint64_t reserved_bytes) {
    static int installed;
    uint32_t count = __atomic_load_n(&reservation_count, __ATOMIC_ACQUIRE);
    if (count == MAX_RESERVATIONS) {
        fprintf(stderr, "wasm runtime: more than %u linear memories\n", MAX_RESERVATIONS);
        _exit(70);
    }
    reservations[count].start = (uintptr_t)base;
    reservations[count].end = (uintptr_t)base + reserved_bytes;
    __atomic_store_n(&reservation_count, count + 1, __ATOMIC_RELEASE);
    if (installed) return;
    /* On the alternate stack, so that the handler also runs when the fault is a stack overflow
     * (which it passes on to the default action). */
    struct sigaction action = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSEGV, &action, 0) != 0 || sigaction(SIGBUS, &action, 0) != 0) {
        fprintf(stderr, "wasm runtime: cannot install the memory fault handler\n");
        _exit(70);
    }
    installed = 1;
}

/* An alternate signal stack is per thread: the guest thread gets one when it starts. */
void wasm_guard_thread_init(void) {
    stack_t stack = { .ss_sp = malloc(SIGNAL_STACK_SIZE), .ss_size = SIGNAL_STACK_SIZE, .ss_flags = 0 };
    if (!stack.ss_sp || sigaltstack(&stack, 0) != 0) {
        fprintf(stderr, "wasm runtime: cannot set up the signal stack\n");
        _exit(70);
    }
}

#endif
