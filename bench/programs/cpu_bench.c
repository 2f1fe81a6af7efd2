/* A CPU-bound program for bench/run.sh aot: a prime sieve, a double-precision matrix product, an
 * integer hash chain, recursive Fibonacci and a quicksort, each printing a checksum (so that every
 * engine's output can be compared). Only stdio from libc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t sieve(int limit)
{
    uint8_t *composite = calloc((size_t)limit + 1, 1);
    uint32_t count = 0;
    for (int i = 2; i <= limit; i++) {
        if (composite[i])
            continue;
        count++;
        for (long long j = (long long)i * i; j <= limit; j += i)
            composite[j] = 1;
    }
    free(composite);
    return count;
}

static double matrix(int n)
{
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = calloc((size_t)n * n, sizeof(double));
    for (int i = 0; i < n * n; i++) {
        a[i] = (i % 17) * 0.25;
        b[i] = (i % 13) * 0.5 - 1.0;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                c[i * n + j] += a[i * n + k] * b[k * n + j];
    double trace = 0;
    for (int i = 0; i < n; i++)
        trace += c[i * n + i];
    free(a);
    free(b);
    free(c);
    return trace;
}

static uint64_t hash_chain(int rounds)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < rounds; i++) {
        h ^= (uint64_t)i;
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void quicksort(int32_t *v, int lo, int hi)
{
    while (lo < hi) {
        int32_t pivot = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static int64_t sort(int n)
{
    int32_t *v = malloc(sizeof(int32_t) * n);
    uint32_t x = 1;
    for (int i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v[i] = (int32_t)x;
    }
    quicksort(v, 0, n - 1);
    int64_t sum = 0;
    for (int i = 0; i < n; i += 1000)
        sum += v[i];
    free(v);
    return sum;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    printf("primes: %u\n", sieve(10000000 * scale));
    printf("matrix: %.3f\n", matrix(300));
    printf("hash: %016llx\n", (unsigned long long)hash_chain(200000000 * scale));
    printf("fib: %d\n", fib(32));
    printf("sort: %lld\n", (long long)sort(3000000 * scale));
    return 0;
}
