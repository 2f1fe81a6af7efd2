/* @description: recursion: fibonacci, ackermann, a binary search tree (insert, walk, height), hanoi */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct tree {
    int32_t key;
    struct tree *left;
    struct tree *right;
};

static int32_t fib(int32_t n)
{
    if (n < 2)
        return n; /* BREAK: fib_base */
    return fib(n - 1) + fib(n - 2);
}

static int32_t ackermann(int32_t m, int32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1)); /* BREAK: ackermann */
}

static struct tree *insert(struct tree *t, int32_t key)
{
    if (t == NULL) {
        t = calloc(1, sizeof *t);
        if (t == NULL)
            exit(2);
        t->key = key; /* BREAK: tree_new */
        return t;
    }
    if (key < t->key)
        t->left = insert(t->left, key);
    else
        t->right = insert(t->right, key);
    return t;
}

static int height(const struct tree *t)
{
    if (t == NULL)
        return 0;
    int l = height(t->left), r = height(t->right);
    return 1 + (l > r ? l : r);
}

static void walk(const struct tree *t)
{
    if (t == NULL)
        return;
    walk(t->left);
    printf(" %d", t->key);
    walk(t->right);
}

static void release(struct tree *t)
{
    if (t == NULL)
        return;
    release(t->left);
    release(t->right);
    free(t);
}

static int32_t hanoi(int disks, int from, int to, int via)
{
    if (disks == 0)
        return 0;
    return hanoi(disks - 1, from, via, to) + 1 + hanoi(disks - 1, via, to, from);
}

int main(void)
{
    for (int32_t i = 0; i <= 20; i += 5)
        printf("fib(%d) = %d\n", i, fib(i));
    printf("ackermann(2, 3) = %d\n", ackermann(2, 3));
    printf("ackermann(3, 3) = %d\n", ackermann(3, 3));
    struct tree *root = NULL;
    uint32_t seed = 12345;
    for (int i = 0; i < 15; i++) {
        seed = seed * 1103515245u + 12345u;
        root = insert(root, (int32_t)((seed >> 16) % 100));
    }
    printf("tree:");
    walk(root);
    printf("\nheight %d\n", height(root));
    release(root);
    printf("hanoi(10) moves %d\n", hanoi(10, 1, 3, 2));
    return 0;
}
