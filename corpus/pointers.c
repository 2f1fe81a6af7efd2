/* @description: pointer arithmetic, pointers to pointers, function pointers, a linked list on the heap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    int32_t value;
    struct node *next;
};

typedef int32_t (*binary_op)(int32_t, int32_t);

static int32_t add(int32_t a, int32_t b) { return a + b; }
static int32_t sub(int32_t a, int32_t b) { return a - b; }
static int32_t mul(int32_t a, int32_t b) { return a * b; }

static struct node *push(struct node *head, int32_t value)
{
    struct node *n = malloc(sizeof *n);
    if (n == NULL)
        exit(2);
    n->value = value;
    n->next = head; /* BREAK: push */
    return n;
}

static struct node *reverse(struct node *head)
{
    struct node *prev = NULL;
    while (head != NULL) {
        struct node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

static void print_list(const char *label, const struct node *head)
{
    printf("%s:", label);
    for (const struct node *n = head; n != NULL; n = n->next)
        printf(" %d", n->value); /* BREAK: print_node */
    printf("\n");
}

static void swap(int32_t *a, int32_t *b)
{
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void set_through(int32_t **pp, int32_t value) { **pp = value; }

int main(void)
{
    int32_t data[8] = { 1, 1, 2, 3, 5, 8, 13, 21 };
    int32_t *p = data;
    int32_t *end = data + 8;
    int32_t sum = 0;
    while (p < end)
        sum += *p++;
    printf("sum %d, distance %d\n", sum, (int)(end - data));
    swap(&data[0], &data[7]);
    int32_t *q = &data[2];
    set_through(&q, 100);
    printf("data:");
    for (int i = 0; i < 8; i++)
        printf(" %d", *(data + i));
    printf("\n");

    binary_op ops[3] = { add, sub, mul };
    const char *names[3] = { "add", "sub", "mul" };
    for (int i = 0; i < 3; i++) {
        binary_op op = ops[i];
        printf("%s(7, 5) = %d\n", names[i], op(7, 5)); /* BREAK: call_op */
    }

    struct node *list = NULL;
    for (int32_t i = 1; i <= 6; i++)
        list = push(list, i * i);
    print_list("list", list);
    list = reverse(list);
    print_list("reversed", list);
    int32_t total = 0;
    while (list != NULL) {
        struct node *next = list->next;
        total += list->value;
        free(list);
        list = next;
    }
    printf("freed, total %d\n", total);
    return 0;
}
