/* @description: strings: char arrays and pointers, string.h, a word counter, a tiny tokenizer, qsort of strings */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text[] = "the quick brown fox jumps over the lazy dog the end";

static int compare_words(const void *a, const void *b)
{
    const char *const *wa = a;
    const char *const *wb = b;
    return strcmp(*wa, *wb); /* BREAK: compare */
}

static void upcase(char *s)
{
    for (; *s != '\0'; s++)
        *s = (char)toupper((unsigned char)*s);
}

int main(void)
{
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    const char *words[32];
    int count = 0;
    for (char *tok = strtok(copy, " "); tok != NULL && count < 32; tok = strtok(NULL, " "))
        words[count++] = tok; /* BREAK: token */
    printf("%d words\n", count);
    qsort(words, (size_t)count, sizeof words[0], compare_words);
    for (int i = 0; i < count; i++) {
        int repeats = 1;
        while (i + 1 < count && strcmp(words[i], words[i + 1]) == 0) {
            repeats++;
            i++;
        }
        printf("%-6s x%d\n", words[i], repeats);
    }
    char shout[64];
    snprintf(shout, sizeof shout, "%.*s!", 15, text);
    upcase(shout);
    printf("%s\n", shout);
    const char *fox = strstr(text, "fox");
    printf("fox at %d, last 'e' at %d, span %zu\n", (int)(fox - text), (int)(strrchr(text, 'e') - text),
           strspn(text, "the "));
    return 0;
}
