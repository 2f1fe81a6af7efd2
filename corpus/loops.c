/* @description: for, while and do-while loops, nested loops, break, continue, goto-free early exits */
#include <stdint.h>
#include <stdio.h>

static int32_t collatz_steps(uint32_t n)
{
    int32_t steps = 0;
    while (n != 1) {
        n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
        steps++; /* BREAK: collatz */
    }
    return steps;
}

static int32_t digit_sum(uint32_t n)
{
    int32_t sum = 0;
    do {
        sum += (int32_t)(n % 10);
        n /= 10;
    } while (n != 0);
    return sum;
}

int main(void)
{
    int32_t longest = 0, longest_n = 0;
    for (uint32_t n = 1; n <= 30; n++) {
        int32_t s = collatz_steps(n);
        if (s > longest) {
            longest = s;
            longest_n = (int32_t)n;
        }
    }
    printf("longest collatz below 30: %d (%d steps)\n", longest_n, longest);

    int32_t odd_sum = 0;
    for (int32_t i = 0; i < 50; i++) {
        if (i % 2 == 0)
            continue;
        if (i > 40)
            break;
        odd_sum += i; /* BREAK: odd_sum */
    }
    printf("odd sum %d\n", odd_sum);

    printf("triangle:\n");
    for (int row = 1; row <= 5; row++) {
        for (int col = 1; col <= row; col++)
            printf("%3d", row * col); /* BREAK: nested */
        printf("\n");
    }

    int found_i = -1, found_j = -1;
    for (int i = 1; i < 20 && found_i < 0; i++) {
        for (int j = i; j < 20; j++) {
            if (i * i + j * j == 13 * 13) {
                found_i = i;
                found_j = j;
                break;
            }
        }
    }
    printf("pythagorean pair for 13: %d %d\n", found_i, found_j);

    printf("digit sums: %d %d %d\n", digit_sum(0), digit_sum(12345), digit_sum(4294967295u));
    int32_t countdown = 5;
    while (countdown-- > 0)
        printf("%d ", countdown);
    printf("liftoff\n");
    return 0;
}
