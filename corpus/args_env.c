/* @description: reads its arguments and environment variables (argv[0] is not printed: it differs per engine)
 * @args: alpha "two words" 42
 * @env: DWARFSMITH_GREETING=hello from env
 * @env: DWARFSMITH_COUNT=3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    long total = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        printf("argv[%d] = '%s' (%zu chars)\n", i, arg, strlen(arg)); /* BREAK: each_arg */
        total += strtol(arg, NULL, 10);
    }
    printf("numeric total %ld\n", total);

    const char *greeting = getenv("DWARFSMITH_GREETING");
    const char *count_text = getenv("DWARFSMITH_COUNT");
    const char *missing = getenv("DWARFSMITH_SURELY_UNSET");
    int count = count_text != NULL ? atoi(count_text) : 1;
    for (int i = 0; i < count; i++)
        printf("%d: %s\n", i, greeting != NULL ? greeting : "(no greeting)"); /* BREAK: greet */
    printf("unset variable is %s\n", missing == NULL ? "null" : missing);
    return 0;
}
