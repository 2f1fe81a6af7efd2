/* @description: file I/O in the current directory: fopen, fprintf, fwrite, fseek, fread, remove
 * @workdir: true
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const file_name = "corpus_file_io.txt";

static int write_file(void)
{
    FILE *f = fopen(file_name, "w");
    if (f == NULL) {
        perror("fopen for writing");
        return -1;
    }
    for (int i = 1; i <= 5; i++)
        fprintf(f, "line %d: %d squared is %d\n", i, i, i * i); /* BREAK: write_line */
    const uint8_t raw[4] = { 'E', 'N', 'D', '\n' };
    fwrite(raw, 1, sizeof raw, f);
    return fclose(f);
}

static long read_file(char *buffer, size_t size)
{
    FILE *f = fopen(file_name, "rb");
    if (f == NULL) {
        perror("fopen for reading");
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long length = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t got = fread(buffer, 1, size - 1, f); /* BREAK: read_all */
    buffer[got] = '\0';
    fclose(f);
    return length == (long)got ? length : -2;
}

int main(void)
{
    if (write_file() != 0)
        return 1;
    char buffer[512];
    long length = read_file(buffer, sizeof buffer);
    printf("read %ld bytes\n", length);
    int lines = 0;
    for (char *p = buffer; *p != '\0'; p++)
        lines += *p == '\n';
    printf("%d lines\n%s", lines, buffer);
    FILE *f = fopen(file_name, "a+");
    if (f == NULL)
        return 1;
    fputs("appended\n", f);
    fclose(f);
    f = fopen(file_name, "r");
    if (f == NULL)
        return 1;
    char line[64];
    int count = 0;
    while (fgets(line, sizeof line, f) != NULL)
        count++;
    fclose(f);
    printf("after append: %d lines\n", count);
    printf("remove: %d\n", remove(file_name));
    printf("reopen after remove: %s\n", fopen(file_name, "r") == NULL ? "fails" : "works");
    return 0;
}
