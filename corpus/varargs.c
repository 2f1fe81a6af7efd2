/* @description: variadic functions: an own printf-like formatter over va_list, vsnprintf, va_copy */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A tiny formatter: %d (int), %s (string), %c (char), %x (unsigned), %f (double, 3 decimals). */
static int format(char *out, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
    char tmp[64];
    for (const char *p = fmt; *p != '\0'; p++) {
        const char *piece = tmp;
        if (*p != '%') {
            tmp[0] = *p;
            tmp[1] = '\0';
        } else {
            p++;
            switch (*p) { /* BREAK: format_spec */
            case 'd':
                snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int));
                break;
            case 'x':
                snprintf(tmp, sizeof tmp, "%x", va_arg(ap, unsigned));
                break;
            case 'c':
                tmp[0] = (char)va_arg(ap, int);
                tmp[1] = '\0';
                break;
            case 'f':
                snprintf(tmp, sizeof tmp, "%.3f", va_arg(ap, double));
                break;
            case 's':
                piece = va_arg(ap, const char *);
                break;
            default:
                tmp[0] = '%';
                tmp[1] = '\0';
                break;
            }
        }
        size_t len = strlen(piece);
        if (n + len + 1 > size)
            break;
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
    return (int)n;
}

static int say(const char *fmt, ...)
{
    char buffer[256];
    va_list ap;
    va_start(ap, fmt);
    int n = format(buffer, sizeof buffer, fmt, ap);
    va_end(ap);
    printf("[%d] %s\n", n, buffer);
    return n;
}

static int32_t sum_ints(int count, ...)
{
    va_list ap, copy;
    va_start(ap, count);
    va_copy(copy, ap);
    int32_t sum = 0;
    for (int i = 0; i < count; i++)
        sum += va_arg(ap, int32_t); /* BREAK: sum_ints */
    int32_t first = count > 0 ? va_arg(copy, int32_t) : 0;
    va_end(copy);
    va_end(ap);
    return sum * 100 + first;
}

static void log_line(const char *level, const char *fmt, ...)
{
    char buffer[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buffer, sizeof buffer, fmt, ap);
    va_end(ap);
    printf("%-5s| %s\n", level, buffer);
}

int main(void)
{
    say("plain text");
    say("int %d, hex %x, char %c", -42, 0xbeefu, 'W');
    say("string '%s' and double %f", "dwarf", 2.71828);
    say("percent %% and unknown %q");
    printf("sum_ints %d %d %d\n", sum_ints(0), sum_ints(3, 1, 2, 3), sum_ints(5, 10, 20, 30, 40, 50));
    log_line("info", "%d items in %s", 3, "cart");
    log_line("warn", "%.2f%% full", 99.5);
    return 0;
}
