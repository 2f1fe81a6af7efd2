/* @description: a call through a function pointer of the wrong type (an indirect call type mismatch) */
#include <stdint.h>
#include <stdio.h>

typedef int32_t (*unary)(int32_t);
typedef int32_t (*binary)(int32_t, int32_t);

static int32_t add(int32_t a, int32_t b) { return a + b; }

/* The pointer is read where the compiler cannot see which function it is, so -O2 keeps the call. */
static binary volatile chosen = add;

static int32_t apply(unary function, int32_t argument)
{
    int32_t result; /* assigned by the statement that traps: zero until then in both builds of the tests */
    result = function(argument); /* TRAP: call */
    return result;
}

int main(void)
{
    int32_t seed = 11;
    printf("applying\n");
    printf("%d\n", apply((unary)(void *)chosen, seed));
    return 0;
}
