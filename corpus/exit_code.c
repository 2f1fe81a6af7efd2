/* @description: validates a table, reports a failure and exits with a non-zero code from a nested call
 * @exit: 3
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const int32_t readings[] = { 12, 15, 11, 19, -4, 14 };

static void fail(const char *what, int index, int32_t value)
{
    fprintf(stderr, "error: %s at %d (%d)\n", what, index, value);
    printf("giving up after %d readings\n", index);
    exit(3); /* BREAK: exit_call */
}

static int32_t check(const int32_t *values, int count)
{
    int32_t sum = 0;
    for (int i = 0; i < count; i++) {
        if (values[i] < 0)
            fail("negative reading", i, values[i]);
        sum += values[i];
        printf("reading %d ok, running sum %d\n", i, sum); /* BREAK: reading_ok */
    }
    return sum;
}

int main(void)
{
    int32_t sum = check(readings, (int)(sizeof readings / sizeof readings[0]));
    printf("all good: %d\n", sum);
    return 0;
}
