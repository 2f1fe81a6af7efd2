/* Dwarfsmith AOT runtime: WASI preview1 (wasi_snapshot_preview1) over POSIX/Linux.
 * Guest pointers are offsets into linear memory 0 and are bounds-checked (EFAULT). Paths are
 * resolved beneath their directory descriptor with openat2(RESOLVE_BENEATH): `..` above the
 * preopen, absolute paths and symlinks leading out fail with ENOTCAPABLE. */
#define _GNU_SOURCE
#include "wasm_rt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum {
    W_SUCCESS = 0, W_2BIG = 1, W_ACCES = 2, W_AGAIN = 6, W_BADF = 8, W_BUSY = 10, W_EXIST = 20, W_FAULT = 21,
    W_FBIG = 22, W_INTR = 27, W_INVAL = 28, W_IO = 29, W_ISDIR = 31, W_LOOP = 32, W_MFILE = 33, W_MLINK = 34,
    W_NAMETOOLONG = 37, W_NFILE = 41, W_NODEV = 43, W_NOENT = 44, W_NOMEM = 48, W_NOSPC = 51, W_NOSYS = 52,
    W_NOTDIR = 54, W_NOTEMPTY = 55, W_NOTSUP = 58, W_NOTTY = 59, W_NXIO = 60, W_OVERFLOW = 61, W_PERM = 63,
    W_PIPE = 64, W_RANGE = 68, W_ROFS = 69, W_SPIPE = 70, W_TXTBSY = 74, W_XDEV = 75, W_NOTCAPABLE = 76,
};

enum { FT_UNKNOWN = 0, FT_BLOCK = 1, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4, FT_SOCK_STREAM = 6, FT_SYMLINK = 7 };

#define RIGHTS_ALL 0x1FFFFFFFull

static uint32_t from_errno(int e) {
    switch (e) {
    case 0: return W_SUCCESS;
    case E2BIG: return W_2BIG;
    case EACCES: return W_ACCES;
    case EAGAIN: return W_AGAIN;
    case EBADF: return W_BADF;
    case EBUSY: return W_BUSY;
    case EEXIST: return W_EXIST;
    case EFAULT: return W_FAULT;
    case EFBIG: return W_FBIG;
    case EINTR: return W_INTR;
    case EINVAL: return W_INVAL;
    case EIO: return W_IO;
    case EISDIR: return W_ISDIR;
    case ELOOP: return W_LOOP;
    case EMFILE: return W_MFILE;
    case EMLINK: return W_MLINK;
    case ENAMETOOLONG: return W_NAMETOOLONG;
    case ENFILE: return W_NFILE;
    case ENODEV: return W_NODEV;
    case ENOENT: return W_NOENT;
    case ENOMEM: return W_NOMEM;
    case ENOSPC: return W_NOSPC;
    case ENOSYS: return W_NOSYS;
    case ENOTDIR: return W_NOTDIR;
    case ENOTEMPTY: return W_NOTEMPTY;
    case EOPNOTSUPP: return W_NOTSUP;
    case ENOTTY: return W_NOTTY;
    case ENXIO: return W_NXIO;
    case EOVERFLOW: return W_OVERFLOW;
    case EPERM: return W_PERM;
    case EPIPE: return W_PIPE;
    case ERANGE: return W_RANGE;
    case EROFS: return W_ROFS;
    case ESPIPE: return W_SPIPE;
    case ETXTBSY: return W_TXTBSY;
    case EXDEV: return W_NOTCAPABLE; /* RESOLVE_BENEATH refused to leave the directory */
    default: return W_IO;
    }
}

/* ---- guest memory ---- */

static int in_bounds(uint32_t ptr, uint64_t len) { return (uint64_t)ptr + len <= wasm_mem0_size; }
static uint8_t *at(uint32_t ptr) { return wasm_mem0_base + ptr; }
static void put_u8(uint32_t p, uint8_t v) { *at(p) = v; }
static void put_u16(uint32_t p, uint16_t v) { memcpy(at(p), &v, 2); }
static void put_u32(uint32_t p, uint32_t v) { memcpy(at(p), &v, 4); }
static void put_u64(uint32_t p, uint64_t v) { memcpy(at(p), &v, 8); }
static uint32_t get_u32(uint32_t p) { uint32_t v; memcpy(&v, at(p), 4); return v; }
static uint64_t get_u64(uint32_t p) { uint64_t v; memcpy(&v, at(p), 8); return v; }
#define CHECK(ptr, len) do { if (!in_bounds((ptr), (len))) return W_FAULT; } while (0)

/* ---- descriptors ---- */

typedef struct fd_entry {
    int host;          /* -1 when free */
    char *preopen;     /* guest name of a preopened directory, else NULL */
} fd_entry;

static fd_entry *fds;
static uint32_t fd_count;

static int guest_argc, guest_envc;
static char **guest_argv, **guest_envp;

static uint32_t fd_insert(int host) {
    for (uint32_t i = 0; i < fd_count; i++)
        if (fds[i].host < 0) { fds[i].host = host; fds[i].preopen = 0; return i; }
    fds = realloc(fds, (fd_count + 1) * sizeof *fds);
    fds[fd_count].host = host;
    fds[fd_count].preopen = 0;
    return fd_count++;
}

static int host_fd(uint32_t fd) { return fd < fd_count ? fds[fd].host : -1; }

void wasi_setup(int argc, char **argv, int envc, char **envp, int preopen_count, char **hosts, char **guests) {
    guest_argc = argc;
    guest_argv = argv;
    guest_envc = envc;
    guest_envp = envp;
    for (int i = 0; i < 3; i++) fd_insert(i);
    for (int i = 0; i < preopen_count; i++) {
        int host = open(hosts[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (host < 0) {
            fprintf(stderr, "wasm runtime: --dir %s: %s\n", hosts[i], strerror(errno));
            _exit(66);
        }
        uint32_t fd = fd_insert(host);
        fds[fd].preopen = guests[i];
    }
}

/* ---- paths ---- */

/* Copies a guest path, normalizing it lexically: no "." or empty components, ".." may not climb
 * above the directory, absolute paths are refused. Result "." for the directory itself. */
static uint32_t guest_path(uint32_t ptr, uint32_t len, char *out, size_t size) {
    CHECK(ptr, len);
    if (len == 0) return W_NOENT;
    if (len >= size) return W_NAMETOOLONG;
    const char *p = (const char *)at(ptr);
    if (memchr(p, 0, len)) return W_INVAL;
    if (p[0] == '/') return W_NOTCAPABLE;
    size_t o = 0;
    uint32_t i = 0;
    while (i < len) {
        uint32_t j = i;
        while (j < len && p[j] != '/') j++;
        uint32_t n = j - i;
        if (n == 0 || (n == 1 && p[i] == '.')) {
            /* skip */
        } else if (n == 2 && p[i] == '.' && p[i + 1] == '.') {
            if (o == 0) return W_NOTCAPABLE;
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
        } else {
            if (o > 0) out[o++] = '/';
            memcpy(out + o, p + i, n);
            o += n;
        }
        i = j + 1;
    }
    if (o == 0) out[o++] = '.';
    out[o] = 0;
    return W_SUCCESS;
}

static int open_beneath(int dir, const char *path, uint64_t flags, uint64_t mode) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags | O_CLOEXEC;
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dir, path, &how, sizeof how);
}

/* Resolves a guest path to (parent directory host fd, last component). The caller closes *parent. */
static uint32_t resolve_parent(uint32_t fd, uint32_t ptr, uint32_t len, int *parent, char *name, size_t size) {
    int dir = host_fd(fd);
    if (dir < 0) return W_BADF;
    char path[4096];
    uint32_t e = guest_path(ptr, len, path, sizeof path);
    if (e) return e;
    char *slash = strrchr(path, '/');
    const char *last = slash ? slash + 1 : path;
    if (strlen(last) >= size) return W_NAMETOOLONG;
    strcpy(name, last);
    if (slash) *slash = 0;
    *parent = open_beneath(dir, slash ? path : ".", O_PATH | O_DIRECTORY, 0);
    return *parent < 0 ? from_errno(errno) : W_SUCCESS;
}

static uint8_t filetype_of(mode_t mode) {
    if (S_ISREG(mode)) return FT_REG;
    if (S_ISDIR(mode)) return FT_DIR;
    if (S_ISCHR(mode)) return FT_CHAR;
    if (S_ISBLK(mode)) return FT_BLOCK;
    if (S_ISLNK(mode)) return FT_SYMLINK;
    if (S_ISSOCK(mode)) return FT_SOCK_STREAM;
    return FT_UNKNOWN;
}

static uint64_t ns(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec; }

static void put_filestat(uint32_t p, const struct stat *st) {
    memset(at(p), 0, 64);
    put_u64(p, st->st_dev);
    put_u64(p + 8, st->st_ino);
    put_u8(p + 16, filetype_of(st->st_mode));
    put_u64(p + 24, st->st_nlink);
    put_u64(p + 32, (uint64_t)st->st_size);
    put_u64(p + 40, ns(st->st_atim));
    put_u64(p + 48, ns(st->st_mtim));
    put_u64(p + 56, ns(st->st_ctim));
}

/* ---- args, environ ---- */

static uint32_t strings_get(int count, char **strings, uint32_t list, uint32_t buffer) {
    uint64_t total = 0;
    for (int i = 0; i < count; i++) total += strlen(strings[i]) + 1;
    CHECK(list, (uint64_t)count * 4);
    CHECK(buffer, total);
    for (int i = 0; i < count; i++) {
        size_t n = strlen(strings[i]) + 1;
        put_u32(list + 4 * (uint32_t)i, buffer);
        memcpy(at(buffer), strings[i], n);
        buffer += (uint32_t)n;
    }
    return W_SUCCESS;
}

static uint32_t strings_sizes(int count, char **strings, uint32_t count_ptr, uint32_t size_ptr) {
    uint64_t total = 0;
    for (int i = 0; i < count; i++) total += strlen(strings[i]) + 1;
    CHECK(count_ptr, 4);
    CHECK(size_ptr, 4);
    put_u32(count_ptr, (uint32_t)count);
    put_u32(size_ptr, (uint32_t)total);
    return W_SUCCESS;
}

uint32_t wasi_args_get(uint32_t argv, uint32_t buf) { return strings_get(guest_argc, guest_argv, argv, buf); }
uint32_t wasi_args_sizes_get(uint32_t argc, uint32_t size) { return strings_sizes(guest_argc, guest_argv, argc, size); }
uint32_t wasi_environ_get(uint32_t env, uint32_t buf) { return strings_get(guest_envc, guest_envp, env, buf); }
uint32_t wasi_environ_sizes_get(uint32_t count, uint32_t size) { return strings_sizes(guest_envc, guest_envp, count, size); }

/* ---- clocks, random, scheduling, process ---- */

static int clock_of(uint32_t id, clockid_t *clock) {
    switch (id) {
    case 0: *clock = CLOCK_REALTIME; return 1;
    case 1: *clock = CLOCK_MONOTONIC; return 1;
    case 2: *clock = CLOCK_PROCESS_CPUTIME_ID; return 1;
    case 3: *clock = CLOCK_THREAD_CPUTIME_ID; return 1;
    default: return 0;
    }
}

uint32_t wasi_clock_res_get(uint32_t id, uint32_t out) {
    clockid_t clock;
    struct timespec t;
    if (!clock_of(id, &clock)) return W_INVAL;
    CHECK(out, 8);
    if (clock_getres(clock, &t) != 0) return from_errno(errno);
    put_u64(out, ns(t));
    return W_SUCCESS;
}

uint32_t wasi_clock_time_get(uint32_t id, uint64_t precision, uint32_t out) {
    clockid_t clock;
    struct timespec t;
    (void)precision;
    if (!clock_of(id, &clock)) return W_INVAL;
    CHECK(out, 8);
    if (clock_gettime(clock, &t) != 0) return from_errno(errno);
    put_u64(out, ns(t));
    return W_SUCCESS;
}

uint32_t wasi_random_get(uint32_t buf, uint32_t len) {
    CHECK(buf, len);
    uint32_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(at(buf + done), len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return from_errno(errno);
        }
        done += (uint32_t)n;
    }
    return W_SUCCESS;
}

uint32_t wasi_sched_yield(void) { sched_yield(); return W_SUCCESS; }

void wasi_proc_exit(uint32_t code) { exit((int)code); }

uint32_t wasi_proc_raise(uint32_t sig) { (void)sig; return W_NOSYS; }

/* poll_oneoff: clock subscriptions sleep until the earliest timeout; fd subscriptions are ready at once. */
uint32_t wasi_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nevents) {
    if (n == 0) return W_INVAL;
    CHECK(in, (uint64_t)n * 48);
    CHECK(out, (uint64_t)n * 32);
    CHECK(nevents, 4);
    uint32_t events = 0;
    int64_t earliest = -1;
    uint32_t earliest_index = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s = in + i * 48;
        uint8_t tag = *at(s + 8);
        if (tag == 0) {
            clockid_t clock;
            uint32_t id = get_u32(s + 16);
            uint64_t timeout = get_u64(s + 24);
            uint16_t flags;
            memcpy(&flags, at(s + 40), 2);
            if (!clock_of(id, &clock)) return W_INVAL;
            if (flags & 1) {
                struct timespec now;
                clock_gettime(clock, &now);
                timeout = timeout > ns(now) ? timeout - ns(now) : 0;
            }
            if (earliest < 0 || (int64_t)timeout < earliest) { earliest = (int64_t)timeout; earliest_index = i; }
        } else {
            uint32_t e = out + events * 32;
            memset(at(e), 0, 32);
            put_u64(e, get_u64(s));
            put_u8(e + 10, tag);
            events++;
        }
    }
    if (events == 0 && earliest >= 0) {
        struct timespec t = { (time_t)(earliest / 1000000000), (long)(earliest % 1000000000) };
        while (nanosleep(&t, &t) != 0 && errno == EINTR) { }
        uint32_t e = out;
        memset(at(e), 0, 32);
        put_u64(e, get_u64(in + earliest_index * 48));
        put_u8(e + 10, 0);
        events = 1;
    }
    put_u32(nevents, events);
    return W_SUCCESS;
}

/* ---- descriptors: reading and writing ---- */

static uint32_t host_iovecs(uint32_t iovs, uint32_t count, struct iovec *v) {
    CHECK(iovs, (uint64_t)count * 8);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t buf = get_u32(iovs + 8 * i), len = get_u32(iovs + 8 * i + 4);
        CHECK(buf, len);
        v[i].iov_base = at(buf);
        v[i].iov_len = len;
    }
    return W_SUCCESS;
}

static uint32_t transfer(uint32_t fd, uint32_t iovs, uint32_t count, int64_t offset, uint32_t result, int write_) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    if (count > 1024) return W_INVAL;
    struct iovec v[count ? count : 1];
    uint32_t e = host_iovecs(iovs, count, v);
    if (e) return e;
    CHECK(result, 4);
    ssize_t n;
    do {
        if (offset < 0) n = write_ ? writev(host, v, (int)count) : readv(host, v, (int)count);
        else n = write_ ? pwritev(host, v, (int)count, offset) : preadv(host, v, (int)count, offset);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return from_errno(errno);
    put_u32(result, (uint32_t)n);
    return W_SUCCESS;
}

uint32_t wasi_fd_read(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) { return transfer(fd, iovs, n, -1, nread, 0); }
uint32_t wasi_fd_write(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) { return transfer(fd, iovs, n, -1, nwritten, 1); }
uint32_t wasi_fd_pread(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nread) {
    return offset > INT64_MAX ? W_INVAL : transfer(fd, iovs, n, (int64_t)offset, nread, 0);
}
uint32_t wasi_fd_pwrite(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nwritten) {
    return offset > INT64_MAX ? W_INVAL : transfer(fd, iovs, n, (int64_t)offset, nwritten, 1);
}

uint32_t wasi_fd_seek(uint32_t fd, uint64_t offset, uint32_t whence, uint32_t result) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    if (whence > 2) return W_INVAL;
    CHECK(result, 8);
    off_t r = lseek(host, (off_t)offset, whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : SEEK_END);
    if (r < 0) return from_errno(errno);
    put_u64(result, (uint64_t)r);
    return W_SUCCESS;
}

uint32_t wasi_fd_tell(uint32_t fd, uint32_t result) { return wasi_fd_seek(fd, 0, 1, result); }

uint32_t wasi_fd_close(uint32_t fd) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    fds[fd].host = -1;
    fds[fd].preopen = 0;
    return close(host) == 0 ? W_SUCCESS : from_errno(errno);
}

uint32_t wasi_fd_renumber(uint32_t fd, uint32_t to) {
    int from = host_fd(fd), target = host_fd(to);
    if (from < 0 || target < 0) return W_BADF;
    if (fd == to) return W_SUCCESS;
    close(target);
    fds[to] = fds[fd];
    fds[fd].host = -1;
    fds[fd].preopen = 0;
    return W_SUCCESS;
}

uint32_t wasi_fd_sync(uint32_t fd) { int h = host_fd(fd); return h < 0 ? W_BADF : fsync(h) == 0 ? W_SUCCESS : from_errno(errno); }
uint32_t wasi_fd_datasync(uint32_t fd) { int h = host_fd(fd); return h < 0 ? W_BADF : fdatasync(h) == 0 ? W_SUCCESS : from_errno(errno); }

uint32_t wasi_fd_advise(uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
    int h = host_fd(fd);
    (void)offset; (void)len;
    if (h < 0) return W_BADF;
    return advice > 5 ? W_INVAL : W_SUCCESS;
}

uint32_t wasi_fd_allocate(uint32_t fd, uint64_t offset, uint64_t len) {
    int h = host_fd(fd);
    if (h < 0) return W_BADF;
    int e = posix_fallocate(h, (off_t)offset, (off_t)len);
    return from_errno(e);
}

uint32_t wasi_fd_fdstat_get(uint32_t fd, uint32_t out) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    CHECK(out, 24);
    struct stat st;
    if (fstat(host, &st) != 0) return from_errno(errno);
    int fl = fcntl(host, F_GETFL);
    uint16_t flags = 0;
    if (fl >= 0) {
        if (fl & O_APPEND) flags |= 1;
        if (fl & O_DSYNC) flags |= 2;
        if (fl & O_NONBLOCK) flags |= 4;
        if ((fl & O_SYNC) == O_SYNC) flags |= 16;
    }
    memset(at(out), 0, 24);
    put_u8(out, filetype_of(st.st_mode));
    put_u16(out + 2, flags);
    put_u64(out + 8, RIGHTS_ALL);
    put_u64(out + 16, RIGHTS_ALL);
    return W_SUCCESS;
}

uint32_t wasi_fd_fdstat_set_flags(uint32_t fd, uint32_t flags) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    int fl = fcntl(host, F_GETFL);
    if (fl < 0) return from_errno(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & 1) fl |= O_APPEND;
    if (flags & 4) fl |= O_NONBLOCK;
    return fcntl(host, F_SETFL, fl) == 0 ? W_SUCCESS : from_errno(errno);
}

uint32_t wasi_fd_fdstat_set_rights(uint32_t fd, uint64_t base, uint64_t inheriting) {
    (void)base; (void)inheriting;
    return host_fd(fd) < 0 ? W_BADF : W_SUCCESS;
}

uint32_t wasi_fd_filestat_get(uint32_t fd, uint32_t out) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    CHECK(out, 64);
    struct stat st;
    if (fstat(host, &st) != 0) return from_errno(errno);
    put_filestat(out, &st);
    return W_SUCCESS;
}

uint32_t wasi_fd_filestat_set_size(uint32_t fd, uint64_t size) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    return ftruncate(host, (off_t)size) == 0 ? W_SUCCESS : from_errno(errno);
}

static void times_of(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec t[2]) {
    /* fstflags: ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8 */
    t[0].tv_sec = (time_t)(atim / 1000000000); t[0].tv_nsec = (long)(atim % 1000000000);
    t[1].tv_sec = (time_t)(mtim / 1000000000); t[1].tv_nsec = (long)(mtim % 1000000000);
    if (flags & 2) t[0].tv_nsec = UTIME_NOW; else if (!(flags & 1)) t[0].tv_nsec = UTIME_OMIT;
    if (flags & 8) t[1].tv_nsec = UTIME_NOW; else if (!(flags & 4)) t[1].tv_nsec = UTIME_OMIT;
}

uint32_t wasi_fd_filestat_set_times(uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    struct timespec t[2];
    times_of(atim, mtim, flags, t);
    return futimens(host, t) == 0 ? W_SUCCESS : from_errno(errno);
}

uint32_t wasi_fd_prestat_get(uint32_t fd, uint32_t out) {
    if (host_fd(fd) < 0) return W_BADF;
    if (!fds[fd].preopen) return W_BADF;
    CHECK(out, 8);
    memset(at(out), 0, 8);
    put_u32(out + 4, (uint32_t)strlen(fds[fd].preopen));
    return W_SUCCESS;
}

uint32_t wasi_fd_prestat_dir_name(uint32_t fd, uint32_t path, uint32_t len) {
    if (host_fd(fd) < 0 || !fds[fd].preopen) return W_BADF;
    size_t n = strlen(fds[fd].preopen);
    if (len < n) return W_NAMETOOLONG;
    CHECK(path, n);
    memcpy(at(path), fds[fd].preopen, n);
    return W_SUCCESS;
}

/* fd_readdir: entries in directory order, the cookie being the index of the next entry. */
uint32_t wasi_fd_readdir(uint32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t used) {
    int host = host_fd(fd);
    if (host < 0) return W_BADF;
    CHECK(buf, len);
    CHECK(used, 4);
    int copy = openat(host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0) return from_errno(errno);
    DIR *dir = fdopendir(copy);
    if (!dir) { close(copy); return from_errno(errno); }
    uint64_t index = 0;
    uint32_t o = 0;
    struct dirent *d;
    while (o < len && (d = readdir(dir)) != 0) {
        if (index++ < cookie) continue;
        uint8_t header[24];
        uint32_t namelen = (uint32_t)strlen(d->d_name);
        uint64_t next = index, ino = d->d_ino;
        uint8_t type = d->d_type == DT_DIR ? FT_DIR : d->d_type == DT_REG ? FT_REG : d->d_type == DT_LNK ? FT_SYMLINK
                       : d->d_type == DT_CHR ? FT_CHAR : d->d_type == DT_BLK ? FT_BLOCK : d->d_type == DT_SOCK ? FT_SOCK_STREAM : FT_UNKNOWN;
        memset(header, 0, sizeof header);
        memcpy(header, &next, 8);
        memcpy(header + 8, &ino, 8);
        memcpy(header + 16, &namelen, 4);
        header[20] = type;
        uint32_t n = len - o < 24 ? len - o : 24;
        memcpy(at(buf + o), header, n);
        o += n;
        n = len - o < namelen ? len - o : namelen;
        memcpy(at(buf + o), d->d_name, n);
        o += n;
    }
    closedir(dir);
    put_u32(used, o);
    return W_SUCCESS;
}

/* ---- paths ---- */

uint32_t wasi_path_open(uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                        uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, uint32_t result) {
    (void)rights_inheriting;
    int dir = host_fd(fd);
    if (dir < 0) return W_BADF;
    char normalized[4096];
    uint32_t e = guest_path(path, path_len, normalized, sizeof normalized);
    if (e) return e;
    CHECK(result, 4);
    /* rights: fd_read 1<<1, fd_write 1<<6 */
    int can_read = (rights_base & (1ull << 1)) != 0 || (rights_base & 0x4000) != 0; /* fd_readdir */
    int can_write = (rights_base & ((1ull << 6) | (1ull << 22))) != 0;              /* fd_write, fd_filestat_set_size */
    uint64_t flags = (oflags & 2) ? O_RDONLY : can_write ? (can_read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & 1) flags |= O_CREAT;
    if (oflags & 2) flags |= O_DIRECTORY;
    if (oflags & 4) flags |= O_EXCL;
    if (oflags & 8) flags |= O_TRUNC;
    if (fdflags & 1) flags |= O_APPEND;
    if (fdflags & 2) flags |= O_DSYNC;
    if (fdflags & 4) flags |= O_NONBLOCK;
    if (fdflags & 16) flags |= O_SYNC;
    if (!(dirflags & 1)) flags |= O_NOFOLLOW;
    int host = open_beneath(dir, normalized, flags, 0666);
    if (host < 0 && errno == EISDIR && (flags & O_ACCMODE) != O_RDONLY) {
        /* a directory opened for writing by a libc that asks for every right */
        flags = (flags & ~(uint64_t)O_ACCMODE) | O_RDONLY;
        host = open_beneath(dir, normalized, flags, 0666);
    }
    if (host < 0) return errno == ELOOP && (flags & O_NOFOLLOW) ? W_LOOP : from_errno(errno);
    put_u32(result, fd_insert(host));
    return W_SUCCESS;
}

uint32_t wasi_path_filestat_get(uint32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint32_t out) {
    int dir = host_fd(fd);
    if (dir < 0) return W_BADF;
    char normalized[4096];
    uint32_t e = guest_path(path, len, normalized, sizeof normalized);
    if (e) return e;
    CHECK(out, 64);
    int h = open_beneath(dir, normalized, O_PATH | ((flags & 1) ? 0 : O_NOFOLLOW), 0);
    if (h < 0) return from_errno(errno);
    struct stat st;
    int r = fstat(h, &st);
    int saved = errno;
    close(h);
    if (r != 0) return from_errno(saved);
    put_filestat(out, &st);
    return W_SUCCESS;
}

uint32_t wasi_path_filestat_set_times(uint32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint64_t atim, uint64_t mtim, uint32_t fst) {
    int parent;
    char name[256];
    uint32_t e = resolve_parent(fd, path, len, &parent, name, sizeof name);
    if (e) return e;
    struct timespec t[2];
    times_of(atim, mtim, fst, t);
    int r = utimensat(parent, name, t, (flags & 1) ? 0 : AT_SYMLINK_NOFOLLOW);
    int saved = errno;
    close(parent);
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

uint32_t wasi_path_create_directory(uint32_t fd, uint32_t path, uint32_t len) {
    int parent;
    char name[256];
    uint32_t e = resolve_parent(fd, path, len, &parent, name, sizeof name);
    if (e) return e;
    int r = mkdirat(parent, name, 0777);
    int saved = errno;
    close(parent);
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

static uint32_t unlink_path(uint32_t fd, uint32_t path, uint32_t len, int flags) {
    int parent;
    char name[256];
    uint32_t e = resolve_parent(fd, path, len, &parent, name, sizeof name);
    if (e) return e;
    int r = unlinkat(parent, name, flags);
    int saved = errno;
    close(parent);
    if (r != 0 && saved == EISDIR && flags == 0) return W_ISDIR;
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

uint32_t wasi_path_remove_directory(uint32_t fd, uint32_t path, uint32_t len) { return unlink_path(fd, path, len, AT_REMOVEDIR); }
uint32_t wasi_path_unlink_file(uint32_t fd, uint32_t path, uint32_t len) { return unlink_path(fd, path, len, 0); }

uint32_t wasi_path_rename(uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
    int p1, p2;
    char n1[256], n2[256];
    uint32_t e = resolve_parent(fd, old_path, old_len, &p1, n1, sizeof n1);
    if (e) return e;
    e = resolve_parent(new_fd, new_path, new_len, &p2, n2, sizeof n2);
    if (e) { close(p1); return e; }
    int r = renameat(p1, n1, p2, n2);
    int saved = errno;
    close(p1);
    close(p2);
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

uint32_t wasi_path_link(uint32_t fd, uint32_t flags, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
    int p1, p2;
    char n1[256], n2[256];
    uint32_t e = resolve_parent(fd, old_path, old_len, &p1, n1, sizeof n1);
    if (e) return e;
    e = resolve_parent(new_fd, new_path, new_len, &p2, n2, sizeof n2);
    if (e) { close(p1); return e; }
    (void)flags; /* following a symlink could leave the directory: links are made to the link itself */
    int r = linkat(p1, n1, p2, n2, 0);
    int saved = errno;
    close(p1);
    close(p2);
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

uint32_t wasi_path_symlink(uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path, uint32_t new_len) {
    CHECK(old_path, old_len);
    char target[4096];
    if (old_len >= sizeof target) return W_NAMETOOLONG;
    memcpy(target, at(old_path), old_len);
    target[old_len] = 0;
    int parent;
    char name[256];
    uint32_t e = resolve_parent(fd, new_path, new_len, &parent, name, sizeof name);
    if (e) return e;
    int r = symlinkat(target, parent, name);
    int saved = errno;
    close(parent);
    return r == 0 ? W_SUCCESS : from_errno(saved);
}

uint32_t wasi_path_readlink(uint32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buf_len, uint32_t used) {
    int parent;
    char name[256];
    uint32_t e = resolve_parent(fd, path, len, &parent, name, sizeof name);
    if (e) return e;
    CHECK(buf, buf_len);
    CHECK(used, 4);
    ssize_t n = readlinkat(parent, name, (char *)at(buf), buf_len);
    int saved = errno;
    close(parent);
    if (n < 0) return from_errno(saved);
    put_u32(used, (uint32_t)n);
    return W_SUCCESS;
}
