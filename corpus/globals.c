/* @description: globals of every kind a debugger prints: floats, enums, unions, bit fields, nested structs, 2D arrays, padded char arrays, function-pointer tables */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };
typedef enum color color_t;

struct point {
    int16_t x;
    int16_t y;
};

struct shape {
    const char *name;
    struct point corners[3];
    color_t color;
    bool filled;
};

struct flags {
    unsigned int ready : 1;
    int delta : 4;
    unsigned int mode : 3;
    uint8_t tail;
};

union bits {
    uint32_t word;
    float real;
};

typedef int32_t (*unary_op)(int32_t);

static int32_t twice(int32_t v) { return 2 * v; }
static int32_t negate(int32_t v) { return -v; }

float pi_f = 3.14159265f;
double tenth = 0.1;
double negative_zero = -0.0;
double large = 1.5e300;
float tiny = 1.25e-7f;
color_t favourite = BLUE;
enum color unnamed_color = GREEN;
bool enabled = true;
char letter = 'Q';
signed char minus_one = -1;
unsigned char high_byte = 200;
int16_t small = -12345;
uint16_t port = 65535;
int64_t big = -9223372036854775807LL - 1;
uint64_t all_ones = 18446744073709551615ULL;
struct shape triangle = { "triangle", { { 0, 0 }, { 4, 0 }, { 0, 3 } }, GREEN, true };
struct flags packed = { 1, -3, 5, 0x7f };
union bits one = { .real = 1.0f };
int32_t grid[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
int32_t zeros[20];
char padded[16] = "hi";
char exact[4] = "abc";
char escapes[8] = "a\tb\n\"\\";
unary_op ops[2] = { twice, negate };
static const char *const words[3] = { "alpha", "beta", "gamma" };
char fill[24] = "xxxxxxxxxxxxxxxxxxxxyz";
const char *fill_pointer = fill;

int main(void)
{
    int32_t sum = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            sum += ops[(i + j) % 2](grid[i][j]); /* BREAK: sum */
    printf("sum %d\n", (int)sum);
    printf("pi %.4f tenth %.2f tiny %.9f large %.1e zero %.1f\n", pi_f, tenth, tiny, large, negative_zero);
    printf("colors %d %d enabled %d letter %c %d %d\n", (int)favourite, (int)unnamed_color, (int)enabled, letter, (int)minus_one, (int)high_byte);
    printf("small %d port %u big %lld ones %llu\n", (int)small, (unsigned)port, (long long)big, (unsigned long long)all_ones);
    printf("%s %d,%d %d %d\n", triangle.name, triangle.corners[1].x, triangle.corners[2].y, (int)triangle.color, (int)triangle.filled);
    printf("flags %u %d %u %u word %08x\n", packed.ready, packed.delta, packed.mode, (unsigned)packed.tail, (unsigned)one.word);
    printf("zeros %d padded %s exact %.3s escapes %d\n", (int)zeros[7], padded, exact, (int)escapes[3]);
    for (int i = 0; i < 3; i++)
        printf("%s\n", words[i]);
    printf("%s\n", fill_pointer);
    return 0;
}
