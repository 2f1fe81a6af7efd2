/* Text: a live checksum and an unused vowel count. */
#include "deadcode.h"

static inline int is_vowel(char c)
{
    switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u':
        return 1;
    default:
        return 0;
    }
}

unsigned text_checksum(const char *text)
{
    unsigned sum = 2166136261u;
    for (const char *p = text; *p; p++) {
        sum ^= (unsigned char)*p;
        sum *= 16777619u;
    }
    return sum;
}

int text_unused_vowels(const char *text)
{
    int vowels = 0;
    for (const char *p = text; *p; p++) {
        int weight = is_vowel(*p);
        if (weight) {
            int position = (int)(p - text);
            vowels += weight + (position & 1);
        }
    }
    return vowels;
}
