/* @description: switch statements: a dense jump table, a sparse switch, fallthrough, enums */
#include <stdint.h>
#include <stdio.h>

enum color { RED, ORANGE, YELLOW, GREEN, BLUE, INDIGO, VIOLET };

static const char *color_name(enum color c)
{
    switch (c) { /* BREAK: dense_switch */
    case RED:
        return "red";
    case ORANGE:
        return "orange";
    case YELLOW:
        return "yellow";
    case GREEN:
        return "green";
    case BLUE:
        return "blue";
    case INDIGO:
        return "indigo";
    case VIOLET:
        return "violet";
    }
    return "?";
}

static int32_t dense(int32_t op, int32_t a, int32_t b)
{
    switch (op) {
    case 0:
        return a + b;
    case 1:
        return a - b;
    case 2:
        return a * b;
    case 3:
        return b != 0 ? a / b : 0;
    case 4:
        return b != 0 ? a % b : 0;
    case 5:
        return a & b;
    case 6:
        return a | b;
    case 7:
        return a ^ b;
    case 8:
        return a << (b & 31);
    case 9:
        return a >> (b & 31);
    default:
        return -1;
    }
}

static const char *sparse(int32_t code)
{
    switch (code) {
    case 1:
        return "one";
    case 100:
        return "hundred";
    case 4096:
        return "page";
    case -5:
        return "minus five";
    case 65535:
        return "max16";
    case 1000000:
        return "million"; /* BREAK: sparse_million */
    default:
        return "other";
    }
}

static int32_t fallthrough(int32_t n)
{
    int32_t acc = 0;
    switch (n) {
    case 3:
        acc += 100;
        /* fall through */
    case 2:
        acc += 10;
        /* fall through */
    case 1:
        acc += 1;
        break;
    default:
        acc = -1;
    }
    return acc;
}

int main(void)
{
    for (int c = RED; c <= VIOLET; c++)
        printf("%d=%s ", c, color_name((enum color)c));
    printf("\n");
    for (int32_t op = 0; op <= 10; op++)
        printf("dense(%d, 29, 3) = %d\n", op, dense(op, 29, 3));
    const int32_t codes[] = { 1, 2, 100, 4096, -5, 65535, 1000000, 7 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        printf("sparse(%d) = %s\n", codes[i], sparse(codes[i]));
    for (int32_t n = 0; n <= 3; n++)
        printf("fallthrough(%d) = %d\n", n, fallthrough(n));
    return 0;
}
