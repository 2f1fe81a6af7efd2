/* A unit nothing calls: all its code is dead after linking. */
#include "deadcode.h"

double unused_only_mean(const double *values, int count)
{
    double sum = 0;
    for (int i = 0; i < count; i++)
        sum += values[i];
    return count > 0 ? sum / count : 0;
}
