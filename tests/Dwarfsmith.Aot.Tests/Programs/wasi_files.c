/* WASI under test: args, environment, file I/O and directories in the preopened current directory,
 * escapes that must fail with a WASI error, and the exit code. Output is deterministic. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void try_open(const char *path, const char *mode) {
    errno = 0;
    FILE *f = fopen(path, mode);
    printf("fopen(%s, %s): %s (errno %d)\n", path, mode, f ? "opened" : "failed", f ? 0 : errno);
    if (f) fclose(f);
}

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("arg %d: [%s]\n", i, argv[i]);
    int envc = 0;
    for (char **e = environ; *e; e++) envc++;
    printf("environ %d, GREETING=%s, MISSING=%s\n", envc, getenv("GREETING"), getenv("MISSING") ? "set" : "(null)");

    FILE *f = fopen("data.txt", "w");
    if (!f) { perror("fopen data.txt"); return 1; }
    for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    f = fopen("data.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen("data.txt", "r");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, -9, SEEK_END);
    char tail[32] = {0};
    size_t n = fread(tail, 1, sizeof tail - 1, f);
    rewind(f);
    char first[32];
    fgets(first, sizeof first, f);
    fclose(f);
    printf("size %ld, tail %zu [%s], first [%s]\n", size, n, strtok(tail, "\n"), strtok(first, "\n"));
    struct stat st;
    printf("stat %d size %lld regular %d\n", stat("data.txt", &st), (long long)st.st_size, S_ISREG(st.st_mode));

    printf("mkdir %d\n", mkdir("sub", 0755));
    f = fopen("sub/inner.txt", "w");
    fputs("inner\n", f);
    fclose(f);
    printf("rename %d\n", rename("sub/inner.txt", "sub/moved.txt"));
    try_open("sub/inner.txt", "r");
    try_open("sub/./../sub/moved.txt", "r");

    DIR *dir = opendir(".");
    char *names[16];
    int count = 0;
    struct dirent *d;
    while (dir && (d = readdir(dir)) && count < 16)
        if (d->d_name[0] != '.') names[count++] = strdup(d->d_name);
    if (dir) closedir(dir);
    qsort(names, count, sizeof names[0], compare);
    printf("entries:");
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");

    /* Escapes: each must fail with a WASI error. */
    try_open("../aot-escape.txt", "w");
    try_open("sub/../../aot-escape.txt", "w");
    try_open("/etc/passwd", "r");
    try_open("/aot-escape.txt", "w");

    printf("unlink %d, rmdir non-empty %d, unlink %d, rmdir %d\n",
           unlink("data.txt"), rmdir("sub") == 0 ? 0 : -1, unlink("sub/moved.txt"), rmdir("sub"));
    try_open("data.txt", "r");
    return 7;
}
