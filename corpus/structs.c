/* @description: nested structs, arrays of structs, unions, bitfields, struct copies and returns */
#include <stdint.h>
#include <stdio.h>

struct point {
    int32_t x;
    int32_t y;
};

struct rect {
    struct point min;
    struct point max;
    char name[8];
};

struct flags {
    unsigned int visible : 1;
    unsigned int layer : 3;
    unsigned int color : 12;
    unsigned int reserved : 16;
};

union number {
    int32_t i;
    uint32_t u;
    float f;
    unsigned char bytes[4];
};

struct shape {
    int kind; /* 0 = rect, 1 = circle */
    union {
        struct rect r;
        struct {
            struct point center;
            int32_t radius;
        } c;
    } u;
    struct flags flags;
};

static int32_t rect_area(const struct rect *r)
{
    int32_t w = r->max.x - r->min.x;
    int32_t h = r->max.y - r->min.y;
    return w * h; /* BREAK: rect_area */
}

static struct point midpoint(struct point a, struct point b)
{
    struct point m = { (a.x + b.x) / 2, (a.y + b.y) / 2 };
    return m; /* BREAK: midpoint_return */
}

int main(void)
{
    struct shape shapes[4];
    for (int i = 0; i < 4; i++) {
        struct shape *s = &shapes[i];
        s->kind = i % 2;
        s->flags.visible = (unsigned)(i != 2);
        s->flags.layer = (unsigned)i;
        s->flags.color = 0x100u * (unsigned)i + 7u;
        s->flags.reserved = 0;
        if (s->kind == 0) {
            s->u.r.min.x = i;
            s->u.r.min.y = -i;
            s->u.r.max.x = 10 + 3 * i;
            s->u.r.max.y = 5 + i;
            snprintf(s->u.r.name, sizeof s->u.r.name, "rect%d", i);
        } else {
            s->u.c.center.x = 2 * i;
            s->u.c.center.y = 3 * i;
            s->u.c.radius = i + 1;
        }
    }

    int32_t total = 0;
    for (int i = 0; i < 4; i++) {
        const struct shape *s = &shapes[i]; /* BREAK: shape_loop */
        if (s->kind == 0) {
            int32_t a = rect_area(&s->u.r);
            total += a;
            printf("shape %d: %s area=%d layer=%u color=0x%03x visible=%u\n", i, s->u.r.name, a,
                   s->flags.layer, s->flags.color, s->flags.visible);
        } else {
            printf("shape %d: circle at (%d,%d) r=%d layer=%u color=0x%03x visible=%u\n", i,
                   s->u.c.center.x, s->u.c.center.y, s->u.c.radius, s->flags.layer, s->flags.color,
                   s->flags.visible);
        }
    }
    printf("total area %d\n", total);

    struct point m = midpoint(shapes[0].u.r.min, shapes[0].u.r.max);
    printf("midpoint (%d,%d)\n", m.x, m.y);

    struct rect copy = shapes[2].u.r;
    copy.max.x += 100;
    printf("copy area %d, original area %d\n", rect_area(&copy), rect_area(&shapes[2].u.r));

    union number n;
    n.f = 1.5f;
    unsigned char b0 = n.bytes[0], b1 = n.bytes[1], b2 = n.bytes[2], b3 = n.bytes[3];
    printf("union: f=%.2f u=0x%08x bytes=%02x %02x %02x %02x\n", n.f, n.u, b0, b1, b2, b3); /* BREAK: union_print */
    n.i = -2;
    printf("union: i=%d u=%u\n", n.i, n.u);
    printf("sizeof: point=%zu rect=%zu flags=%zu number=%zu\n", sizeof(struct point), sizeof(struct rect),
           sizeof(struct flags), sizeof(union number));
    return 0;
}
