/* Shapes: a live perimeter and an unused area, with helpers inlined into both at -O2. */
#include "deadcode.h"

static inline int distance(const struct point *a, const struct point *b)
{
    int dx = a->x > b->x ? a->x - b->x : b->x - a->x;
    int dy = a->y > b->y ? a->y - b->y : b->y - a->y;
    return dx + dy;
}

int shapes_perimeter(const struct point *corners, int count)
{
    int total = 0;
    for (int i = 0; i < count; i++) {
        const struct point *next = &corners[(i + 1) % count];
        total += distance(&corners[i], next);
    }
    return total;
}

int shapes_unused_area(const struct point *corners, int count)
{
    int twice = 0;
    for (int i = 0; i < count; i++) {
        const struct point *next = &corners[(i + 1) % count];
        int cross = corners[i].x * next->y - next->x * corners[i].y;
        if (distance(&corners[i], next) > 0)
            twice += cross;
    }
    return twice < 0 ? -twice / 2 : twice / 2;
}
