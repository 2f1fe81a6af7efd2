/* For bench/run.sh coredump: 64 MiB of linear memory in use (every page written, with a pattern no
 * run of zeros hides), then a trap three calls deep. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MEMORY_BYTES (64u << 20)

static volatile uint32_t divisor;

static uint32_t checksum(const uint32_t *words, uint32_t count)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < count; i++)
        sum = sum * 31 + words[i];
    return sum / divisor; /* the trap */
}

static uint32_t fill(uint32_t *words, uint32_t count)
{
    uint32_t state = 2463534242u;
    for (uint32_t i = 0; i < count; i++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        words[i] = state | 1;
    }
    return checksum(words, count);
}

int main(void)
{
    /* Most of the memory: what is left of 64 MiB after the module's own data and stack. */
    uint32_t count = (MEMORY_BYTES - (1u << 20)) / sizeof(uint32_t);
    uint32_t *words = malloc(count * sizeof(uint32_t));
    if (!words)
        return 1;
    printf("%u\n", fill(words, count));
    return 0;
}
