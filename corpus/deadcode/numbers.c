/* Numbers: a live Collatz count and an unused sum of squares. */
#include "deadcode.h"

static inline long square(long n)
{
    return n * n;
}

long numbers_collatz_steps(long start)
{
    long steps = 0;
    for (long n = start; n != 1; steps++)
        n = n % 2 == 0 ? n / 2 : 3 * n + 1;
    return steps;
}

long numbers_unused_sum_of_squares(long limit)
{
    long total = 0;
    for (long i = 1; i <= limit; i++) {
        long sq = square(i);
        if (sq % 3 != 0)
            total += sq;
    }
    return total;
}
