/*
 * @description: four units whose unused functions wasm-ld removes (--gc-sections): dead code
 * in several units, the tombstones of issue 16; main calls one function of three units, and
 * none of the fourth (unused_only.c), so that unit's code is all dead.
 */
#include <stdio.h>
#include "deadcode.h"

static int unused_in_main(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += i * n;
    return total;
}

int main(void)
{
    struct point square[4] = { { 0, 0 }, { 3, 0 }, { 3, 3 }, { 0, 3 } };
    printf("perimeter %d\n", shapes_perimeter(square, 4)); /* BREAK: perimeter */
    printf("checksum %u\n", text_checksum("dead code stays dead"));
    printf("collatz %ld\n", numbers_collatz_steps(27));
    return 0;
}

/* Referenced nowhere, so removed; keeps the compiler from warning about the static above. */
int main_unused(int n)
{
    return unused_in_main(n) + 1;
}
