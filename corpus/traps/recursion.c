/* @description: unbounded recursion until the call stack is exhausted */
#include <stdint.h>
#include <stdio.h>

/* Each level passes the address of its own local down, so no compiler can turn the recursion
 * into a loop: every level needs a frame of its own. */
static int64_t descend(int32_t depth, volatile int32_t *above)
{
    volatile int32_t square = depth * depth;
    int64_t below = descend(depth + 1, &square); /* TRAP: recurse */
    return below + *above;
}

int main(void)
{
    volatile int32_t top = 0;
    printf("descending\n");
    printf("%lld\n", (long long)descend(1, &top));
    return 0;
}
