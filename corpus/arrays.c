/* @description: 1D and 2D arrays, matrix multiply, insertion sort, binary search, char arrays */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 4

static int32_t primes[16];
static int32_t matrix_a[N][N];
static int32_t matrix_b[N][N];

static void multiply(const int32_t a[N][N], const int32_t b[N][N], int32_t out[N][N])
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < N; k++) {
                sum += a[i][k] * b[k][j]; /* BREAK: multiply_inner */
            }
            out[i][j] = sum;
        }
    }
}

static void insertion_sort(int32_t *values, int count)
{
    for (int i = 1; i < count; i++) {
        int32_t v = values[i];
        int j = i - 1;
        while (j >= 0 && values[j] > v) {
            values[j + 1] = values[j];
            j--;
        }
        values[j + 1] = v; /* BREAK: sort_place */
    }
}

static int binary_search(const int32_t *values, int count, int32_t wanted)
{
    int lo = 0, hi = count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (values[mid] == wanted)
            return mid;
        if (values[mid] < wanted)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int main(void)
{
    int count = 0;
    for (int32_t n = 2; count < 16; n++) {
        int is_prime = 1;
        for (int i = 0; i < count && primes[i] * primes[i] <= n; i++) {
            if (n % primes[i] == 0) {
                is_prime = 0;
                break;
            }
        }
        if (is_prime)
            primes[count++] = n;
    }
    printf("primes:");
    for (int i = 0; i < 16; i++)
        printf(" %d", primes[i]);
    printf("\n");

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            matrix_a[i][j] = i + j;
            matrix_b[i][j] = (i == j) ? 2 : i - j;
        }
    }
    int32_t product[N][N];
    multiply(matrix_a, matrix_b, product);
    for (int i = 0; i < N; i++) {
        printf("row %d:", i);
        for (int j = 0; j < N; j++)
            printf(" %4d", product[i][j]);
        printf("\n");
    }

    int32_t values[10] = { 42, -7, 13, 0, 99, 5, -30, 13, 8, 1 };
    insertion_sort(values, 10);
    printf("sorted:");
    for (int i = 0; i < 10; i++)
        printf(" %d", values[i]);
    printf("\n");
    printf("index of 13: %d, of 99: %d, of 4: %d\n", binary_search(values, 10, 13), binary_search(values, 10, 99),
           binary_search(values, 10, 4));

    char word[32];
    strcpy(word, "wasm");
    strcat(word, "-dwarf");
    size_t len = strlen(word);
    for (size_t i = 0; i < len / 2; i++) {
        char t = word[i];
        word[i] = word[len - 1 - i];
        word[len - 1 - i] = t;
    }
    printf("reversed: %s (%zu chars)\n", word, len); /* BREAK: reversed */
    return 0;
}
