/* SQLite doing real work, for bench/run.sh aot: ROWS inserts in one transaction through a prepared
 * statement, an index, grouped aggregates, indexed point queries, an update and a sorted scan, on an
 * in-memory database. Prints checksums, so that every engine's output can be compared. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s failed: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static uint32_t state = 12345;

static uint32_t next_random(void)
{
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

int main(int argc, char **argv)
{
    int rows = argc > 1 ? atoi(argv[1]) : 200000;
    sqlite3 *db;
    check(NULL, sqlite3_open(":memory:", &db), "open");
    /* Sorting for CREATE INDEX spills to temporary files otherwise, which a WASI sandbox has none of. */
    exec(db, "PRAGMA temp_store = MEMORY");
    exec(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, value REAL, grp INTEGER)");

    sqlite3_stmt *insert;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO items(name, value, grp) VALUES (?, ?, ?)", -1, &insert, NULL), "prepare insert");
    exec(db, "BEGIN");
    for (int i = 0; i < rows; i++) {
        char name[32];
        snprintf(name, sizeof name, "item-%u", next_random() % 100000);
        sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 2, (next_random() % 1000000) / 100.0);
        sqlite3_bind_int(insert, 3, (int)(next_random() % 500));
        check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(insert);
    exec(db, "CREATE INDEX items_grp_value ON items(grp, value)");

    double checksum = 0;
    sqlite3_stmt *query;
    check(db, sqlite3_prepare_v2(db, "SELECT grp, count(*), sum(value), avg(length(name)) FROM items GROUP BY grp ORDER BY grp", -1, &query, NULL), "prepare group");
    while (sqlite3_step(query) == SQLITE_ROW)
        checksum += sqlite3_column_int(query, 0) + sqlite3_column_int(query, 1) + sqlite3_column_double(query, 2) / 1000 + sqlite3_column_double(query, 3);
    sqlite3_finalize(query);
    printf("groups: %.3f\n", checksum);

    long long found = 0;
    check(db, sqlite3_prepare_v2(db, "SELECT count(*), max(value) FROM items WHERE grp = ? AND value > ?", -1, &query, NULL), "prepare lookup");
    for (int i = 0; i < rows / 20; i++) {
        sqlite3_bind_int(query, 1, (int)(next_random() % 500));
        sqlite3_bind_double(query, 2, (next_random() % 1000000) / 100.0);
        if (sqlite3_step(query) == SQLITE_ROW)
            found += sqlite3_column_int64(query, 0);
        sqlite3_reset(query);
    }
    sqlite3_finalize(query);
    printf("lookups: %lld\n", found);

    exec(db, "UPDATE items SET value = value * 1.5 WHERE grp % 7 = 0");
    check(db, sqlite3_prepare_v2(db, "SELECT id, name, value FROM items ORDER BY value DESC, id LIMIT 1000", -1, &query, NULL), "prepare sort");
    checksum = 0;
    while (sqlite3_step(query) == SQLITE_ROW)
        checksum += sqlite3_column_int(query, 0) + sqlite3_column_double(query, 2);
    sqlite3_finalize(query);
    printf("top: %.3f\n", checksum);
    sqlite3_close(db);
    return 0;
}
