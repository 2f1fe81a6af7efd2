/* @description: an integer division by zero three calls deep, with locals of every kind on the way */
#include <stdint.h>
#include <stdio.h>

struct account {
    int32_t id;
    int64_t balance;
    double rate;
};

static int32_t share(int32_t total, int32_t parts)
{
    int32_t each; /* assigned by the statement that traps: zero until then in both builds of the tests */
    each = total / parts; /* TRAP: divide */
    return each;
}

static int64_t split(const struct account *account, int32_t people)
{
    float weight = 1.5f;
    int32_t portion = share((int32_t)account->balance, people - 3);
    return portion * (int64_t)weight;
}

/* How many people share: read where the compiler cannot fold it, so that -O2 keeps the division. */
static volatile int32_t sharing_people = 3;

int main(void)
{
    struct account account = { 7, 1000, 0.25 };
    char label[8] = "savings";
    int32_t people = sharing_people;
    printf("splitting %s\n", label);
    int64_t result = split(&account, people);
    printf("%lld\n", (long long)result);
    return 0;
}
