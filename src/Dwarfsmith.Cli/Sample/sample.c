/* The built-in sample of `dwarfsmith demo`: a small program with the things a debugger is asked
 * about (a struct, an array, a global and a static, recursion, a loop, floating point).
 * Rebuild the embedded module with scripts/build-sample.sh. */
#include <stdio.h>

struct point {
    int x;
    int y;
};

int call_count;                 /* a global */
static double scale = 1.5;      /* a file-static */

static int fib(int n) {
    call_count++;
    if (n < 2)
        return n;               /* BREAK: fib_base */
    return fib(n - 1) + fib(n - 2);
}

static double length(const struct point *p) {
    double squared = (double)(p->x * p->x + p->y * p->y);
    double guess = squared / 2.0 + 1.0;
    for (int i = 0; i < 20; i++)
        guess = 0.5 * (guess + squared / guess);   /* BREAK: newton */
    return guess * scale;
}

int main(void) {
    struct point points[3] = {{3, 4}, {5, 12}, {8, 15}};
    double total = 0;
    for (int i = 0; i < 3; i++)
        total += length(&points[i]);            /* BREAK: sum */
    printf("fib(15) = %d in %d calls\n", fib(15), call_count);
    printf("scaled lengths sum to %.3f\n", total);
    return 0;
}
