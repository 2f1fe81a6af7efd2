/* @description: globals, file-static and function-static variables, const lookup tables */
#include <stdint.h>
#include <stdio.h>

int32_t global_counter = 10;
const char *const global_greeting = "hello";
static int32_t file_static_total;
static const uint8_t crc_nibbles[16] = { 0x0, 0x7, 0xe, 0x9, 0x5, 0x2, 0xb, 0xc,
                                         0xa, 0xd, 0x4, 0x3, 0xf, 0x8, 0x1, 0x6 };
static const struct {
    const char *name;
    int32_t weight;
} table[] = { { "iron", 56 }, { "gold", 197 }, { "lead", 207 }, { "zinc", 65 } };

static int32_t next_id(void)
{
    static int32_t id = 100;
    id += 1; /* BREAK: next_id */
    return id;
}

static int32_t accumulate(int32_t value)
{
    static int32_t calls;
    calls++;
    file_static_total += value;
    global_counter += calls;
    return calls;
}

static uint8_t checksum(const char *s)
{
    uint8_t c = 0;
    for (; *s != '\0'; s++) {
        c = (uint8_t)(crc_nibbles[(c ^ (uint8_t)*s) & 0xf] ^ (c >> 4)); /* BREAK: checksum */
    }
    return c;
}

int main(void)
{
    for (int i = 0; i < 3; i++)
        printf("id %d\n", next_id());
    int32_t calls = 0;
    for (int32_t v = 1; v <= 5; v++)
        calls = accumulate(v * 3);
    printf("calls %d total %d counter %d\n", calls, file_static_total, global_counter);
    printf("%s checksum %u\n", global_greeting, checksum(global_greeting));
    int32_t heaviest = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].weight > table[heaviest].weight)
            heaviest = (int32_t)i;
        printf("%s %d\n", table[i].name, table[i].weight);
    }
    printf("heaviest %s\n", table[heaviest].name); /* BREAK: heaviest */
    return 0;
}
