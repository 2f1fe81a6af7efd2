/* @description: a failed assert inside a loop over an array of structs */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

struct item {
    const char *name;
    int32_t count;
};

static int32_t check(const struct item *item, int32_t limit)
{
    int32_t doubled = item->count * 2;
    assert(doubled < limit); /* TRAP: assert */
    return doubled;
}

int main(void)
{
    struct item items[3] = { { "apples", 3 }, { "pears", 5 }, { "plums", 40 } };
    int32_t total = 0;
    for (int32_t i = 0; i < 3; i++) {
        total += check(&items[i], 50);
        printf("%s %d\n", items[i].name, total);
    }
    return 0;
}
