/* @description: float and double arithmetic, math.h, conversions, a numeric integration */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static double integrate(double (*f)(double), double a, double b, int steps)
{
    double h = (b - a) / steps;
    double sum = 0.5 * (f(a) + f(b));
    for (int i = 1; i < steps; i++) {
        double x = a + i * h;
        sum += f(x); /* BREAK: integrate_step */
    }
    return sum * h;
}

static double square(double x) { return x * x; }

static float average(const float *values, int count)
{
    float sum = 0.0f;
    for (int i = 0; i < count; i++)
        sum += values[i];
    return sum / (float)count; /* BREAK: average */
}

int main(void)
{
    const double pi = 3.14159265358979323846;
    double angle = pi / 6.0;
    printf("sin %.6f cos %.6f tan %.6f\n", sin(angle), cos(angle), tan(angle));
    printf("sqrt(2) %.9f cbrt(27) %.6f hypot %.6f\n", sqrt(2.0), cbrt(27.0), hypot(3.0, 4.0));
    printf("exp(1) %.6f log(10) %.6f pow(2,0.5) %.6f\n", exp(1.0), log(10.0), pow(2.0, 0.5));
    printf("floor %.1f ceil %.1f round %.1f trunc %.1f fmod %.3f\n", floor(-2.5), ceil(-2.5), round(-2.5),
           trunc(-2.7), fmod(10.0, 3.3));
    float values[5] = { 1.5f, 2.25f, -0.75f, 10.0f, 3.125f };
    float avg = average(values, 5);
    printf("average %.4f\n", (double)avg);
    double area = integrate(square, 0.0, 3.0, 1000);
    printf("integral x^2 0..3 = %.6f\n", area);
    double big = 1e300;
    printf("overflow %g underflow %g\n", big * 1e10, 1e-300 / 1e100);
    printf("nan? %d inf? %d\n", isnan(sqrt(-1.0)) != 0, isinf(big * big) != 0);
    int32_t truncated = (int32_t)-7.9;
    double from_int = (double)INT32_MAX;
    float narrowed = (float)0.1;
    printf("convert %d %.1f %.10f\n", truncated, from_int, (double)narrowed); /* BREAK: convert */
    return 0;
}
