/* Shared declarations of the deadcode program (see main.c). */
#ifndef DEADCODE_H
#define DEADCODE_H

struct point {
    int x;
    int y;
};

int shapes_perimeter(const struct point *corners, int count);
int shapes_unused_area(const struct point *corners, int count);
unsigned text_checksum(const char *text);
int text_unused_vowels(const char *text);
long numbers_collatz_steps(long start);
long numbers_unused_sum_of_squares(long limit);
double unused_only_mean(const double *values, int count);

#endif
