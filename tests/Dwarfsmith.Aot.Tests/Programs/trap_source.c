/* Traps on request (argv[1]), so that the trap message's source line can be checked. Each trapping
 * statement is marked with a TRAP label; the test finds the line by its label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int divide(int a, int b) {
    return a / b; /* TRAP: divide */
}

static int load_far(volatile int *base) {
    return base[0x3FFFFFF0]; /* TRAP: load */
}

static void give_up(void) {
    __builtin_trap(); /* TRAP: unreachable */
}

int main(int argc, char **argv) {
    const char *kind = argc > 1 ? argv[1] : "";
    int zero = argc - 2; /* 0 when one argument is given: not a constant the compiler can see */
    if (strcmp(kind, "divide") == 0)
        printf("%d\n", divide(argc, zero));
    else if (strcmp(kind, "load") == 0)
        printf("%d\n", load_far((volatile int *)(size_t)(zero + 64)));
    else if (strcmp(kind, "unreachable") == 0)
        give_up();
    printf("no trap\n");
    return 0;
}
