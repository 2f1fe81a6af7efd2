/* @description: a store through a corrupted pointer far outside linear memory (a guard-page fault) */
#include <stdint.h>
#include <stdio.h>

struct buffer {
    uint8_t *data;
    uint32_t length;
};

/* The corruption: an address the compiler cannot see through. */
static volatile uint32_t corrupted_address = 0x7FFF0000u;

static void fill(struct buffer *buffer, uint8_t value)
{
    for (uint32_t i = 0; i < buffer->length; i++)
        buffer->data[i] = value; /* TRAP: store */
}

int main(void)
{
    static uint8_t storage[17]; /* one more than filled: a string's end, wherever it is laid out */
    struct buffer good = { storage, 16 };
    double scale = 2.5;
    fill(&good, (uint8_t)(scale * 2));
    printf("filled %d\n", storage[3]);
    struct buffer bad = { (uint8_t *)(uintptr_t)corrupted_address, 8 };
    fill(&bad, 9);
    printf("unreachable\n");
    return 0;
}
